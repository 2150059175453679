// The AssemblyScript flags of every WasmOS program (docs/sdk.md explains each).
// No Node imports: the playground's editor compiles with the same flags in the
// browser, so its modules are the same kind `npm run build:servers` makes.

/** The SDK's AssemblyScript sources, relative to the repository root (and in the editor's virtual tree). */
export const SDK_ASSEMBLY = 'servers/sdk/assembly';

export function ascFlags(): string[] {
  const rt = `${SDK_ASSEMBLY}/runtime`;
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
