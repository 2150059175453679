// Little-endian 9P wire primitives. The reader is bounds-checked: running off
// the end of a message (or meeting a string that is not UTF-8) throws a
// WireError, which the codec turns into a protocol error; nothing a client
// sends can make it read outside the message.
import { EILSEQ, EPROTO } from './errno.ts';

/** A 13-byte qid: type[1] version[4] path[8]. */
export interface Qid {
  type: number;
  version: number;
  path: bigint;
}

export const QID_SIZE = 13;

export class WireError extends Error {
  constructor(readonly errno: number, message: string) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** UTF-8 length of a string, as it goes on the wire. */
export function utf8Length(s: string): number {
  return utf8Encoder.encode(s).length;
}

export class WireReader {
  private pos: number;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array, start = 0, private readonly end = buf.length) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number { return this.end - this.pos; }

  private need(n: number): number {
    if (n > this.end - this.pos) throw new WireError(EPROTO, `message truncated at byte ${this.pos}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number { return this.view.getUint8(this.need(1)); }
  u16(): number { return this.view.getUint16(this.need(2), true); }
  u32(): number { return this.view.getUint32(this.need(4), true); }
  u64(): bigint { return this.view.getBigUint64(this.need(8), true); }

  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.buf.slice(at, at + n);
  }

  str(): string {
    const n = this.u16();
    const at = this.need(n);
    try {
      return utf8.decode(this.buf.subarray(at, at + n));
    } catch {
      throw new WireError(EILSEQ, `string at byte ${at} is not UTF-8`);
    }
  }

  qid(): Qid {
    const type = this.u8();
    const version = this.u32();
    return { type, version, path: this.u64() };
  }
}

export class WireWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  get length(): number { return this.pos; }

  private reserve(n: number): number {
    if (this.pos + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.pos + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(v: number): void { const at = this.reserve(1); this.view.setUint8(at, v); }
  u16(v: number): void { const at = this.reserve(2); this.view.setUint16(at, v, true); }
  u32(v: number): void { const at = this.reserve(4); this.view.setUint32(at, v >>> 0, true); }
  u64(v: bigint): void { const at = this.reserve(8); this.view.setBigUint64(at, BigInt.asUintN(64, v), true); }

  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length); // before touching buf: reserve may replace it
    this.buf.set(b, at);
  }

  /** Strings longer than 65535 bytes cannot be framed; callers keep names short. */
  str(s: string): void {
    const b = utf8Encoder.encode(s);
    if (b.length > 0xffff) throw new RangeError(`9P string of ${b.length} bytes`);
    this.u16(b.length);
    this.bytes(b);
  }

  qid(q: Qid): void {
    this.u8(q.type);
    this.u32(q.version);
    this.u64(q.path);
  }

  /** Overwrites a u32 already written (the size field). */
  patchU32(at: number, v: number): void { this.view.setUint32(at, v >>> 0, true); }

  finish(): Uint8Array { return this.buf.slice(0, this.pos); }
}
