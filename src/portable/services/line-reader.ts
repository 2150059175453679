// Reads stdin on demand: whole lines for console_read_line, raw bytes for
// console_read. Nothing is read until an app asks, so a program that never
// reads input does not hold the terminal.
export class LineReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private waiters: (() => void)[] = [];
  private started = false;

  constructor(private readonly input: NodeJS.ReadableStream) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.input.on('data', (d: Buffer | string) => {
      this.buf = Buffer.concat([this.buf, typeof d === 'string' ? Buffer.from(d) : d]);
      this.flush();
    });
    this.input.on('end', () => {
      this.ended = true;
      this.flush();
    });
    this.input.resume();
  }

  private flush(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async waitFor(ready: () => boolean): Promise<void> {
    this.start();
    while (!ready() && !this.ended) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** The next line without its newline; null at the end of input. */
  async line(): Promise<string | null> {
    await this.waitFor(() => this.buf.includes(10));
    const nl = this.buf.indexOf(10);
    if (nl < 0 && this.buf.length === 0) return null;
    const end = nl < 0 ? this.buf.length : nl;
    const line = this.buf.subarray(0, end).toString('utf8').replace(/\r$/, '');
    this.buf = this.buf.subarray(nl < 0 ? end : nl + 1);
    return line;
  }

  /** Up to max bytes as they arrive; null at the end of input. */
  async bytes(max: number): Promise<Uint8Array | null> {
    await this.waitFor(() => this.buf.length > 0);
    if (this.buf.length === 0) return null;
    const out = new Uint8Array(this.buf.subarray(0, max));
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** Lets the process exit even if stdin is still open. */
  close(): void {
    if (this.started) this.input.pause();
  }
}
