// A fast 64-bit (two independent 32-bit lanes) non-cryptographic hash for
// machine-state comparison: same state, same hash; it is not a checksum against
// tampering.

export class StateHash {
  private a = 0x811c9dc5;
  private b = 0x9e3779b9;

  /** Mixes bytes in; whole words at a time when aligned. */
  update(data: Uint8Array): this {
    let a = this.a, b = this.b;
    const words = data.byteOffset % 4 === 0 ? Math.floor(data.length / 4) : 0;
    if (words > 0) {
      const w32 = new Int32Array(data.buffer, data.byteOffset, words);
      for (let i = 0; i < words; i++) {
        const w = w32[i]!;
        a = Math.imul(a ^ w, 0x01000193);
        b = Math.imul((b + w) ^ (b >>> 15), 0x2c1b3c6d);
      }
    }
    for (let i = words * 4; i < data.length; i++) {
      a = Math.imul(a ^ data[i]!, 0x01000193);
      b = Math.imul((b + data[i]!) ^ (b >>> 15), 0x2c1b3c6d);
    }
    this.a = a; this.b = b;
    return this;
  }

  hex(): string {
    const h = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
    return h(this.a) + h(this.b);
  }
}
