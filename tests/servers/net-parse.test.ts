// The network stack's parsing code on its own: servers/net/bytes.ts and the
// shell's chunked decoder compiled with the real AssemblyScript toolchain and
// run in Node's WebAssembly, fed good, split and hostile input.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileAs } from '../../servers/sdk/tools/compile-as.ts';

const ENTRY = 'servers/net/parse-test-entry.ts';
const SOURCE = `
import { sumBytes, foldSum, parseIp, seqLt, pseudoSum } from "./bytes";
import { ChunkedDecoder } from "../shell/chunked";
export function alloc(n: i32): usize { return heap.alloc(<usize>n); }
export function checksum(p: usize, n: i32): u32 { return foldSum(sumBytes(0, p, n)); }
export function pseudo(src: u32, dst: u32, proto: u8, len: i32): u32 { return pseudoSum(src, dst, proto, len); }
export function ip(p: usize, n: i32): i64 { return parseIp(String.UTF8.decodeUnsafe(p, <usize>n)); }
export function lt(a: u32, b: u32): bool { return seqLt(a, b); }
let out = heap.alloc(1 << 20);
let outLen = 0;
let dec = new ChunkedDecoder((p: usize, n: i32): void => { memory.copy(out + <usize>outLen, p, <usize>n); outLen += n; });
export function reset(): void { outLen = 0; dec = new ChunkedDecoder((p: usize, n: i32): void => { memory.copy(out + <usize>outLen, p, <usize>n); outLen += n; }); }
export function feed(p: usize, n: i32): i32 { dec.feed(p, n); return dec.done ? 1 : dec.failed ? -1 : 0; }
export function output(): usize { return out; }
export function outputLen(): i32 { return outLen; }
`;

interface Exports {
  memory: WebAssembly.Memory;
  alloc(n: number): number;
  checksum(p: number, n: number): number;
  pseudo(src: number, dst: number, proto: number, len: number): number;
  ip(p: number, n: number): bigint;
  lt(a: number, b: number): number;
  reset(): void;
  feed(p: number, n: number): number;
  output(): number;
  outputLen(): number;
}

let x: Exports;
let scratch = 0;

function put(bytes: Uint8Array): number {
  new Uint8Array(x.memory.buffer, scratch, bytes.length).set(bytes);
  return scratch;
}

beforeAll(async () => {
  const r = await compileAs(ENTRY, process.cwd(), new Map([[ENTRY, SOURCE]]));
  expect(r.diagnostics).not.toMatch(/ERROR/);
  const mod = new WebAssembly.Module(r.wasm! as Uint8Array<ArrayBuffer>);
  // The SDK runtime imports console output and exit: nothing to do here.
  const imports: Record<string, Record<string, () => number>> = {};
  for (const i of WebAssembly.Module.imports(mod)) (imports[i.module] ??= {})[i.name] = () => 0;
  x = new WebAssembly.Instance(mod, imports).exports as unknown as Exports;
  scratch = x.alloc(1 << 21);
}, 60_000);

/** RFC 1071's reference: 16-bit big-endian words, end-around carry. */
function refChecksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) + (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

describe('bytes.ts', () => {
  it('computes the Internet checksum of any length like RFC 1071', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 19, 20, 1499, 1500]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 151 + 7) & 0xff);
      expect(x.checksum(put(b), n)).toBe(refChecksum(b));
    }
    // A real IPv4 header (checksum field included) sums to zero.
    const hdr = Uint8Array.from([0x45, 0, 0, 0x54, 0xa6, 0xf2, 0x40, 0, 0x40, 1, 0, 0, 10, 0, 2, 15, 10, 0, 2, 2]);
    const c = x.checksum(put(hdr), 20);
    hdr[10] = c >> 8;
    hdr[11] = c & 0xff;
    expect(x.checksum(put(hdr), 20)).toBe(0);
    expect(x.pseudo(0x0a00020f, 0x0a000202, 6, 20)).toBe(0x0a00 + 0x020f + 0x0a00 + 0x0202 + 6 + 20);
  });

  it('parses dotted quads and refuses everything else', () => {
    const ip = (s: string) => { const b = new TextEncoder().encode(s); return Number(x.ip(put(b), b.length)); };
    expect(ip('10.0.2.2')).toBe(0x0a000202);
    expect(ip('255.255.255.255')).toBe(0xffffffff);
    expect(ip('0.0.0.0')).toBe(0);
    for (const bad of ['', '10.0.2', '10.0.2.2.1', '256.1.1.1', '1..2.3', 'a.b.c.d', '10.0.2.2 ', '-1.0.0.0', 'example.com']) {
      expect(ip(bad)).toBe(-1);
    }
  });

  it('compares sequence numbers across the wrap', () => {
    expect(x.lt(1, 2)).toBe(1);
    expect(x.lt(0xfffffff0, 5)).toBe(1);
    expect(x.lt(5, 0xfffffff0)).toBe(0);
    expect(x.lt(7, 7)).toBe(0);
  });
});

describe('the chunked decoder', () => {
  const enc = new TextEncoder();
  function decode(text: string, pieces: number[] = []): { state: number; body: string } {
    x.reset();
    const all = enc.encode(text);
    let state = 0;
    let off = 0;
    for (const n of [...pieces, all.length]) {
      const part = all.subarray(off, Math.min(all.length, off + n));
      if (part.length > 0) state = x.feed(put(part), part.length);
      off += part.length;
      if (off >= all.length) break;
    }
    const body = new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.output(), x.outputLen()));
    return { state, body };
  }

  it('decodes chunks, extensions and trailers, in any split', () => {
    const msg = '5\r\nhello\r\n7;ext=1\r\n, world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n';
    expect(decode(msg)).toEqual({ state: 1, body: 'hello, world0123456789' });
    for (let i = 1; i < msg.length; i++) expect(decode(msg, [i, 1, 2])).toEqual({ state: 1, body: 'hello, world0123456789' });
    expect(decode('0\r\n\r\n')).toEqual({ state: 1, body: '' });
    expect(decode('1f\r\n' + 'x'.repeat(31) + '\r\n0\r\n\r\n').body).toBe('x'.repeat(31));
  });

  it('stops at malformed input instead of reading past it', () => {
    expect(decode('zz\r\nhello\r\n').state).toBe(-1);
    expect(decode('5\r\nhelloXX0\r\n\r\n').state).toBe(-1);
    expect(decode('5\nhello').state).toBe(-1);
    expect(decode('fffffffff\r\n').state).toBe(-1); // a size no sane server sends
    expect(decode('5\r\nhel').state).toBe(0); // incomplete: waiting for more
  });
});
