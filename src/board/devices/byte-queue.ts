// An unbounded FIFO of bytes (host input waiting for a device to take it).
// Amortised O(1): consumed bytes are compacted away only when they dominate.

export class ByteQueue {
  private buf = new Uint8Array(64);
  private head = 0;
  private tail = 0;

  get length(): number { return this.tail - this.head; }

  push(bytes: Uint8Array): void {
    if (this.tail + bytes.length > this.buf.length) this.makeRoom(bytes.length);
    this.buf.set(bytes, this.tail);
    this.tail += bytes.length;
  }

  /** The oldest byte, removed; -1 when empty. */
  shift(): number {
    if (this.head === this.tail) return -1;
    const b = this.buf[this.head++]!;
    if (this.head === this.tail) this.head = this.tail = 0;
    return b;
  }

  /** A copy of the queued bytes, oldest first. */
  toBytes(): Uint8Array { return this.buf.slice(this.head, this.tail); }

  clear(): void { this.head = this.tail = 0; }

  private makeRoom(n: number): void {
    const live = this.length;
    let size = this.buf.length;
    while (size < live + n) size *= 2;
    if (size === this.buf.length) {
      this.buf.copyWithin(0, this.head, this.tail);
    } else {
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(this.head, this.tail));
      this.buf = next;
    }
    this.head = 0;
    this.tail = live;
  }
}
