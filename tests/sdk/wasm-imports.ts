// Reads a module's function imports with their signatures straight from the
// binary (type and import sections), since V8's WebAssembly.Module.imports()
// does not give types.

export interface ImportSig {
  readonly module: string;
  readonly name: string;
  /** "(i32, i32) -> i32" */
  readonly sig: string;
}

const VALTYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x70: 'funcref', 0x6f: 'externref' };

export const formatSig = (params: readonly string[], results: readonly string[]): string =>
  `(${params.join(', ')}) -> ${results.length === 0 ? '()' : results.join(', ')}`;

export function functionImports(wasm: Uint8Array): ImportSig[] {
  let at = 8;
  const u32 = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at++]!;
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return v >>> 0;
      shift += 7;
    }
  };
  const name = (): string => {
    const n = u32();
    const s = new TextDecoder().decode(wasm.subarray(at, at + n));
    at += n;
    return s;
  };
  const types: string[] = [];
  const out: ImportSig[] = [];
  while (at < wasm.length) {
    const id = wasm[at++]!;
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (wasm[at++] !== 0x60) throw new Error('not a function type');
        const params = Array.from({ length: u32() }, () => VALTYPES[wasm[at++]!] ?? '?');
        const results = Array.from({ length: u32() }, () => VALTYPES[wasm[at++]!] ?? '?');
        types.push(formatSig(params, results));
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const module = name();
        const field = name();
        const kind = wasm[at++];
        if (kind !== 0) throw new Error(`import ${module}.${field} is not a function`);
        out.push({ module, name: field, sig: types[u32()]! });
      }
    }
    at = end;
  }
  return out;
}
