// The console's output as the worker saw it, bounded: snapshots keep its tail
// (the terminal looks the same after a restore) and time travel rebuilds the
// console of an earlier instant from a checkpoint's position in it.
const KEEP = 1024 * 1024;

export class ConsoleLog {
  private text = '';
  /** Bytes ever written; `text` holds the last ones. */
  total = 0;

  clear(): void { this.text = ''; this.total = 0; }

  write(bytes: Uint8Array): void {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    this.text += s;
    this.total += bytes.length;
    if (this.text.length > 2 * KEEP) this.text = this.text.slice(-KEEP);
  }

  /** Starts over from text restored with a snapshot. */
  seed(text: string): void { this.text = text; this.total = text.length; }

  tail(n: number): string { return this.text.slice(-n); }

  /** What had been written when `total` was `count` (as much of it as is kept). */
  upTo(count: number): string {
    const start = this.total - this.text.length;
    return count <= start ? '' : this.text.slice(0, count - start);
  }
}
