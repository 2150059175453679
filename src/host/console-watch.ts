// Finds the first appearance of a text in a console byte stream that arrives
// in arbitrary chunks (a match may straddle two of them). Matching is on the
// UTF-8 bytes with a KMP automaton, so each byte is looked at once.

export class ConsoleWatch {
  private readonly needle: Uint8Array;
  private readonly fail: Int32Array;
  private matched = 0;
  /** Bytes seen before the end of the first match; -1 until it appears. */
  foundAt = -1;
  private seen = 0;

  constructor(text: string) {
    this.needle = new TextEncoder().encode(text);
    const n = this.needle;
    this.fail = new Int32Array(n.length);
    for (let i = 1, k = 0; i < n.length; i++) {
      while (k > 0 && n[i] !== n[k]) k = this.fail[k - 1]!;
      if (n[i] === n[k]) k++;
      this.fail[i] = k;
    }
  }

  get found(): boolean { return this.foundAt >= 0; }

  /** Feeds console bytes; returns true when this chunk completes the first match. */
  feed(bytes: Uint8Array): boolean {
    if (this.found || this.needle.length === 0) return false;
    const n = this.needle;
    let k = this.matched;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      while (k > 0 && b !== n[k]) k = this.fail[k - 1]!;
      if (b === n[k]) k++;
      if (k === n.length) {
        this.foundAt = this.seen + i + 1;
        this.seen += bytes.length;
        return true;
      }
    }
    this.matched = k;
    this.seen += bytes.length;
    return false;
  }
}
