// What the host needs to know about a Wasm module before it runs it, read
// from the binary: each import's kind and signature (Node 20's
// WebAssembly.Module.imports() has no types), the exports' signatures (the
// entry point) and the function names of the name section (trap messages).
// Only called on a module WebAssembly.compile accepted, so the reader can be
// simple; anything it does not understand is skipped.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | '?';

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface ImportInfo {
  module: string;
  field: string;
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  /** For functions. */
  type?: FuncType;
}

export interface ModuleInfo {
  imports: ImportInfo[];
  /** Exported functions by name. */
  exports: Map<string, FuncType>;
  /** Function index (imports first) -> name, from the name section. */
  names: Map<number, string>;
}

const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS = ['func', 'table', 'memory', 'global', 'tag'] as const;

class Reader {
  constructor(readonly b: Uint8Array, public p = 0) {}
  byte(): number {
    if (this.p >= this.b.length) throw new RangeError('unexpected end');
    return this.b[this.p++]!;
  }
  u32(): number {
    let r = 0;
    for (let shift = 0; ; shift += 7) {
      const x = this.byte();
      r += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return r;
    }
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.p, this.p + n));
    this.p += n;
    return s;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = { imports: [], exports: new Map(), names: new Map() };
  const types: FuncType[] = [];
  const funcTypes: number[] = []; // type index of every function, imports first
  const exportFuncs: [string, number][] = [];
  const r = new Reader(bytes, 8);
  while (r.p < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.p + size;
    const s = new Reader(bytes.subarray(0, end), r.p);
    if (id === 1) {
      for (let n = s.u32(), i = 0; i < n; i++) {
        s.byte(); // 0x60
        const params = Array.from({ length: s.u32() }, () => VALTYPES[s.byte()] ?? '?');
        const results = Array.from({ length: s.u32() }, () => VALTYPES[s.byte()] ?? '?');
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = s.u32(), i = 0; i < n; i++) {
        const module = s.name();
        const field = s.name();
        const kind = KINDS[s.byte()] ?? 'tag';
        const imp: ImportInfo = { module, field, kind };
        if (kind === 'func') {
          const t = s.u32();
          imp.type = types[t];
          funcTypes.push(t);
        } else if (kind === 'table') {
          s.byte();
          s.limits();
        } else if (kind === 'memory') {
          s.limits();
        } else if (kind === 'global') {
          s.byte();
          s.byte();
        } else {
          s.byte();
          s.u32();
        }
        info.imports.push(imp);
      }
    } else if (id === 3) {
      for (let n = s.u32(), i = 0; i < n; i++) funcTypes.push(s.u32());
    } else if (id === 7) {
      for (let n = s.u32(), i = 0; i < n; i++) {
        const name = s.name();
        const kind = s.byte();
        const index = s.u32();
        if (kind === 0) exportFuncs.push([name, index]);
      }
    } else if (id === 0) {
      if (s.name() === 'name') readNames(s, end, info.names);
    }
    r.p = end;
  }
  for (const [name, index] of exportFuncs) {
    const t = types[funcTypes[index] ?? -1];
    if (t) info.exports.set(name, t);
  }
  return info;
}

function readNames(s: Reader, end: number, out: Map<number, string>): void {
  try {
    while (s.p < end) {
      const sub = s.byte();
      const size = s.u32();
      const next = s.p + size;
      if (sub === 1) for (let n = s.u32(), i = 0; i < n; i++) out.set(s.u32(), s.name());
      s.p = next;
    }
  } catch {
    // A damaged name section only costs the names.
  }
}

/** "(i32, i32) -> i32" as the kernel writes signatures ("() -> ()" for none). */
export function signatureText(t: FuncType): string {
  return `(${t.params.join(', ')}) -> ${t.results.length ? t.results.join(', ') : '()'}`;
}
