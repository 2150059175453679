// Type-ahead: bytes received while nobody reads wait here (4 KiB) until a read
// arrives. When it is full, newer bytes are dropped (and the bell rings), so a
// flood of input costs bounded memory.
export const RING_CAP: i32 = 4096;

export class ByteRing {
  private readonly data: StaticArray<u8> = new StaticArray<u8>(RING_CAP);
  private head: i32 = 0;
  count: i32 = 0;
  /** Bytes dropped because the ring was full. */
  dropped: i32 = 0;

  /** Appends b; false (and counted in `dropped`) if the ring is full. */
  push(b: u8): bool {
    if (this.count == RING_CAP) {
      this.dropped++;
      return false;
    }
    unchecked((this.data[(this.head + this.count) % RING_CAP] = b));
    this.count++;
    return true;
  }

  /** The oldest byte (the ring must not be empty). */
  shift(): u8 {
    const b = unchecked(this.data[this.head]);
    this.head = (this.head + 1) % RING_CAP;
    this.count--;
    return b;
  }

  /** Does the ring hold byte b? */
  holds(b: u8): bool {
    for (let i = 0; i < this.count; i++) if (unchecked(this.data[(this.head + i) % RING_CAP]) == b) return true;
    return false;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
