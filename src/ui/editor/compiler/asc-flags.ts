// The AssemblyScript flags of every WasmOS program. They must equal
// servers/sdk/tools/compile-as.ts's ascFlags() (a test holds them to it), so a
// module built in the browser is the same kind as `npm run build:servers`
// makes; that file imports node:fs and cannot be loaded in the browser.

/** Where the SDK sits in the compiler's virtual tree (as in the repository). */
export const SDK_DIR = 'servers/sdk/assembly';

export function ascFlags(): string[] {
  const rt = `${SDK_DIR}/runtime`;
  return [
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--runtime', 'incremental',
    '--use', `abort=${rt}/wasmosAbort`,
    '--use', `trace=${rt}/wasmosTrace`,
    '--use', `seed=${rt}/wasmosSeed`,
    '--noColors',
  ];
}
