// Minimal WebAssembly binary writer for hand-made (often deliberately malformed) test modules.

export const u32 = (n: number): number[] => {
  const out: number[] = [];
  let x = n >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return out;
};

export const s32 = (n: number): number[] => {
  const out: number[] = [];
  let x = n | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && !(b & 0x40)) || (x === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

export const str = (s: string): number[] => {
  const b = [...Buffer.from(s, 'utf8')];
  return [...u32(b.length), ...b];
};

export const vec = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];

export const section = (id: number, body: number[]): number[] => [id, ...u32(body.length), ...body];

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export const functype = (params: number[], results: number[]): number[] => [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];

/** A function body: local groups [count, type] and raw instruction bytes (without the final end). */
export const body = (locals: [number, number][], code: number[], end = true): number[] => {
  const b = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...code, ...(end ? [0x0b] : [])];
  return [...u32(b.length), ...b];
};

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const module = (...sections: number[][]): Uint8Array => new Uint8Array([...HEADER, ...sections.flat()]);

const RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/** Module with one function of the given type and body, exported as "f"; extra sections are put in order. */
export function oneFunc(params: number[], results: number[], code: number[], locals: [number, number][] = [], extra: number[][] = []): Uint8Array {
  const secs = [
    section(1, vec([functype(params, results)])),
    section(3, vec([[0]])),
    section(7, vec([[...str('f'), 0, 0]])),
    section(10, vec([body(locals, code)])),
    ...extra,
  ];
  const replaced = new Map<number, number[]>();
  for (const s of secs) replaced.set(s[0], s);
  return module(...[...replaced.values()].sort((a, b) => RANK[a[0]] - RANK[b[0]]));
}
