// The console output on the page side: live listeners (the terminal) plus a
// bounded copy, so a terminal created later (or re-created) can replay what it
// missed, and the first lines, which the Machine panel shows as the boot log.

const decoder = (): TextDecoder => new TextDecoder('utf-8');

export class ConsoleBuffer {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private listeners = new Set<(bytes: Uint8Array) => void>();
  private clearListeners = new Set<() => void>();
  private bootText = '';
  private bootDecoder = decoder();

  constructor(private readonly maxBytes = 1 << 20, private readonly bootLogLines = 200) {}

  /** Everything written since the last clear (or its last maxBytes). */
  replay(): Uint8Array[] {
    return this.chunks.slice();
  }

  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.bytes += bytes.length;
    while (this.bytes > this.maxBytes && this.chunks.length > 1) this.bytes -= this.chunks.shift()!.length;
    if (this.bootLines().length < this.bootLogLines) this.bootText += this.bootDecoder.decode(bytes, { stream: true });
    for (const l of this.listeners) l(bytes);
  }

  clear(): void {
    this.chunks = [];
    this.bytes = 0;
    this.bootText = '';
    this.bootDecoder = decoder();
    for (const l of this.clearListeners) l();
  }

  /** The first lines of output since the boot, without carriage returns. */
  bootLines(): string[] {
    const lines = this.bootText.replace(/\r/g, '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(0, this.bootLogLines);
  }

  onData(fn: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onClear(fn: () => void): () => void {
    this.clearListeners.add(fn);
    return () => this.clearListeners.delete(fn);
  }
}
