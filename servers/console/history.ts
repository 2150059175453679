// The lines entered before, for Up/Down: the newest HISTORY_MAX, without empty
// lines or a repeat of the line just before. Browsing keeps the line being
// typed (the draft) so Down past the newest entry brings it back.
export const HISTORY_MAX: i32 = 50;

export class History {
  private readonly lines: Array<Uint8Array> = new Array<Uint8Array>(0);
  /** The entry shown while browsing; lines.length = the draft. */
  private pos: i32 = 0;
  private draft: Uint8Array = new Uint8Array(0);

  get length(): i32 {
    return this.lines.length;
  }

  /** Adds an entered line (a copy of len bytes at ptr) and ends browsing. */
  add(ptr: usize, len: i32): void {
    if (len > 0 && !this.sameAsLast(ptr, len)) {
      const copy = new Uint8Array(len);
      memory.copy(copy.dataStart, ptr, <usize>len);
      if (this.lines.length == HISTORY_MAX) this.lines.shift();
      this.lines.push(copy);
    }
    this.restart();
  }

  /** A new line starts: browsing begins at the draft again. */
  restart(): void {
    this.pos = this.lines.length;
    this.draft = new Uint8Array(0);
  }

  /** The older entry (null at the oldest); the current line (ptr, len) is kept as the draft when leaving it. */
  older(ptr: usize, len: i32): Uint8Array | null {
    if (this.pos == 0) return null;
    if (this.pos == this.lines.length) {
      const d = new Uint8Array(len);
      memory.copy(d.dataStart, ptr, <usize>len);
      this.draft = d;
    }
    this.pos--;
    return this.lines[this.pos];
  }

  /** The newer entry, the draft after the newest, or null when already at the draft. */
  newer(): Uint8Array | null {
    if (this.pos >= this.lines.length) return null;
    this.pos++;
    return this.pos == this.lines.length ? this.draft : this.lines[this.pos];
  }

  private sameAsLast(ptr: usize, len: i32): bool {
    const n = this.lines.length;
    if (n == 0) return false;
    const last = this.lines[n - 1];
    return last.length == len && memory.compare(last.dataStart, ptr, <usize>len) == 0;
  }
}
