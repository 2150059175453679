// Binary state streams used by snapshots. Every stateful part of the board
// (CPU, RAM, each device) writes itself with a StateWriter and reads itself
// back with a StateReader in the same order; the snapshot container
// (snapshot.ts) adds the header, version and checksum around the stream.

/** Thrown for a truncated or inconsistent stream; snapshot.ts turns it into a clear error. */
export class StateError extends Error {}

export class StateWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void { this.reserve(1); this.view.setUint8(this.pos, v); this.pos += 1; }
  u32(v: number): void { this.reserve(4); this.view.setUint32(this.pos, v >>> 0, true); this.pos += 4; }
  i32(v: number): void { this.reserve(4); this.view.setInt32(this.pos, v | 0, true); this.pos += 4; }
  bool(v: boolean): void { this.u8(v ? 1 : 0); }
  /** A non-negative integer up to 2^53 (instruction counts, times). */
  u53(v: number): void { this.u32(v % 0x100000000); this.u32(Math.floor(v / 0x100000000)); }
  f64(v: number): void { this.reserve(8); this.view.setFloat64(this.pos, v, true); this.pos += 8; }
  bytes(b: Uint8Array): void { this.u32(b.length); this.reserve(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
  str(s: string): void { this.bytes(new TextEncoder().encode(s)); }
  u32array(a: Uint32Array | Int32Array): void {
    this.u32(a.length);
    for (let i = 0; i < a.length; i++) this.u32(a[i]!);
  }
  /** Section tags make a mismatched reader fail loudly instead of reading garbage. */
  tag(name: string): void { this.str(name); }

  finish(): Uint8Array { return this.buf.slice(0, this.pos); }
}

export class StateReader {
  private view: DataView;
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new StateError(`snapshot truncated at byte ${this.pos}`);
  }

  u8(): number { this.need(1); return this.view.getUint8(this.pos++); }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i32(): number { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  bool(): boolean { return this.u8() !== 0; }
  u53(): number { const lo = this.u32(); const hi = this.u32(); return hi * 0x100000000 + lo; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.pos, true); this.pos += 8; return v; }
  bytes(): Uint8Array {
    const n = this.u32(); this.need(n);
    const b = this.buf.slice(this.pos, this.pos + n); this.pos += n; return b;
  }
  str(): string { return new TextDecoder().decode(this.bytes()); }
  /** Reads an array written by u32array into `into`, which must have the same length. */
  u32arrayInto(into: Uint32Array | Int32Array): void {
    const n = this.u32();
    if (n !== into.length) throw new StateError(`snapshot array length ${n}, expected ${into.length}`);
    for (let i = 0; i < n; i++) into[i] = this.u32();
  }
  tag(name: string): void {
    const got = this.str();
    if (got !== name) throw new StateError(`snapshot section "${got}" found where "${name}" was expected`);
  }
  get done(): boolean { return this.pos === this.buf.length; }
}
