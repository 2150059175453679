// The compact binary form of a recording (before compression):
//
//   "WREC" u8 version | str build | uv memMiB | str bootargs | u8 trace
//   | bytes tree | uv count | count × (uv Δcycles | u8 kind | [str path] [str to] | bytes data)
//   | uv Δend | 8 bytes hash
//
// uv: unsigned LEB128 varint (up to 2^53); str/bytes: uv length + bytes.
// Cycle counts are stored as differences from the previous input, so a typical
// input costs a few bytes. The decoder checks every length against what is
// left, so a hostile blob cannot make it allocate more than its own size.
import { INPUT_KINDS, RECORDING_VERSION, RecordingError, type InputKind, type Recording } from './recording.ts';
import { validateRecording } from './recording-schema.ts';

const MAGIC = [0x57, 0x52, 0x45, 0x43]; // "WREC"
const KIND_HAS_PATH: ReadonlySet<InputKind> = new Set(['file', 'mkdir', 'remove', 'rename']);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Writer {
  private parts: number[] = [];
  private blobs: Array<number[] | Uint8Array> = [];
  u8(v: number): void { this.parts.push(v & 0xff); }
  uv(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RecordingError(`cannot encode ${v}`);
    while (v >= 0x80) { this.parts.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
    this.parts.push(v);
  }
  bytes(b: Uint8Array): void {
    this.uv(b.length);
    this.blobs.push(this.parts, b);
    this.parts = [];
  }
  str(s: string): void { this.bytes(encoder.encode(s)); }
  finish(): Uint8Array {
    this.blobs.push(this.parts);
    const total = this.blobs.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of this.blobs) { out.set(b, o); o += b.length; }
    return out;
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  private fail(what: string): never { throw new RecordingError(`recording is malformed: ${what} at byte ${this.pos}`); }
  u8(): number {
    if (this.pos >= this.buf.length) this.fail('truncated');
    return this.buf[this.pos++]!;
  }
  uv(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (!Number.isSafeInteger(v)) this.fail('number too large');
      if ((b & 0x80) === 0) return v;
      scale *= 0x80;
    }
  }
  bytes(): Uint8Array {
    const n = this.uv();
    if (n > this.buf.length - this.pos) this.fail('length beyond the end');
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  str(): string {
    try { return decoder.decode(this.bytes()); } catch (e) { if (e instanceof RecordingError) throw e; return this.fail('bad text'); }
  }
  get done(): boolean { return this.pos === this.buf.length; }
}

export function encodeRecording(r: Recording): Uint8Array {
  const w = new Writer();
  for (const b of MAGIC) w.u8(b);
  w.u8(r.version);
  w.str(r.build);
  w.uv(r.board.memMiB);
  w.str(r.board.bootargs);
  w.u8(r.board.trace ? 1 : 0);
  w.bytes(r.tree);
  w.uv(r.inputs.length);
  let last = 0;
  for (const x of r.inputs) {
    w.uv(x.cycles - last);
    last = x.cycles;
    w.u8(INPUT_KINDS.indexOf(x.kind));
    if (KIND_HAS_PATH.has(x.kind)) w.str(x.path ?? '');
    if (x.kind === 'rename') w.str(x.to ?? '');
    w.bytes(x.data);
  }
  w.uv(r.end.cycles - last);
  const hash = r.end.hash.match(/../g)!.map((h) => parseInt(h, 16));
  for (const b of hash) w.u8(b);
  return w.finish();
}

/** Decodes and validates (RecordingSchema); throws RecordingError with the reason. */
export function decodeRecording(blob: Uint8Array): Recording {
  const rd = new Reader(blob);
  if (blob.length < 5 || MAGIC.some((b, i) => blob[i] !== b)) throw new RecordingError('not a WasmOS recording');
  for (let i = 0; i < MAGIC.length; i++) rd.u8();
  const version = rd.u8();
  if (version !== RECORDING_VERSION) {
    throw new RecordingError(`recording format ${version} is not supported (this page reads format ${RECORDING_VERSION})`);
  }
  const build = rd.str();
  const memMiB = rd.uv();
  const bootargs = rd.str();
  const trace = rd.u8() !== 0;
  const tree = rd.bytes();
  const count = rd.uv();
  // Each input takes at least three bytes: a count beyond that is a lie.
  if (count > blob.length) throw new RecordingError('recording is malformed: input count beyond its size');
  const inputs: Recording['inputs'] = [];
  let cycles = 0;
  for (let i = 0; i < count; i++) {
    cycles += rd.uv();
    const k = rd.u8();
    const kind = INPUT_KINDS[k];
    if (kind === undefined) throw new RecordingError(`recording is malformed: unknown input kind ${k}`);
    const path = KIND_HAS_PATH.has(kind) ? rd.str() : undefined;
    const to = kind === 'rename' ? rd.str() : undefined;
    const data = rd.bytes();
    inputs.push({ cycles, kind, data, ...(path !== undefined ? { path } : {}), ...(to !== undefined ? { to } : {}) });
  }
  const endCycles = cycles + rd.uv();
  let hash = '';
  for (let i = 0; i < 8; i++) hash += rd.u8().toString(16).padStart(2, '0');
  if (!rd.done) throw new RecordingError('recording is malformed: trailing bytes');
  return validateRecording({ version, build, board: { memMiB, bootargs, trace }, tree, inputs, end: { cycles: endCycles, hash } });
}
