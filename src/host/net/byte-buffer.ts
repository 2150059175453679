// A FIFO of bytes kept as chunks: the TCP send buffer appends whole writes,
// reads arbitrary ranges for (re)transmission and drops what was acknowledged.
export class ByteBuffer {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already dropped. */
  private head = 0;
  length = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.length += data.length;
  }

  /** Copies `len` bytes starting `offset` bytes from the front (short if the buffer ends). */
  peek(offset: number, len: number): Uint8Array {
    const n = Math.max(0, Math.min(len, this.length - offset));
    const out = new Uint8Array(n);
    let skip = offset + this.head;
    let done = 0;
    for (const c of this.chunks) {
      if (done === n) break;
      if (skip >= c.length) { skip -= c.length; continue; }
      const take = Math.min(c.length - skip, n - done);
      out.set(c.subarray(skip, skip + take), done);
      done += take;
      skip = 0;
    }
    return out;
  }

  drop(n: number): void {
    let left = Math.min(n, this.length);
    this.length -= left;
    while (left > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.head;
      if (left < avail) { this.head += left; return; }
      left -= avail;
      this.chunks.shift();
      this.head = 0;
    }
  }
}
