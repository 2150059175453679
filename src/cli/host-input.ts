// The host side of the board's serial console input: reads stdin (in raw mode
// when it is a terminal, so every key reaches the guest, Ctrl-C included),
// applies the Ctrl-A escapes and hands the rest to the board. The run loop
// sleeps on `activity()` while the guest waits for input.
import { ESCAPE_HELP, SerialEscape } from './serial-escape.ts';

/** The part of process.stdin used here (a terminal has setRawMode). */
export interface InputStream {
  on(event: 'data', cb: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close' | 'error', cb: () => void): unknown;
  off(event: 'data', cb: (chunk: Buffer | string) => void): unknown;
  off(event: 'end' | 'close' | 'error', cb: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

const END_EVENTS = ['end', 'close', 'error'] as const;

export class HostInput {
  /** Ctrl-A x was typed or a terminating signal arrived. */
  quit = false;
  /** No more input will come (stdin closed). */
  ended = false;
  private readonly escape = new SerialEscape();
  private waiters: Array<() => void> = [];
  private raw = false;

  constructor(
    private readonly stream: InputStream,
    private readonly toGuest: (bytes: Uint8Array) => void,
    private readonly toUser: (text: string) => void,
  ) {}

  start(): void {
    if (this.stream.isTTY && this.stream.setRawMode) {
      this.stream.setRawMode(true);
      this.raw = true;
    }
    this.stream.on('data', this.onData);
    for (const ev of END_EVENTS) this.stream.on(ev, this.onEnd);
    this.stream.resume();
  }

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.quit) return;
    const r = this.escape.feed(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    if (r.toGuest.length > 0) this.toGuest(r.toGuest);
    if (r.help) this.toUser(ESCAPE_HELP);
    if (r.quit) this.quit = true;
    this.wake();
  };

  /** Stops the board from outside (a signal). */
  interrupt(): void {
    this.quit = true;
    this.wake();
  }

  /** Resolves on the next input, end of input or interrupt. */
  activity(): Promise<void> {
    if (this.quit || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  close(): void {
    this.stream.off('data', this.onData);
    for (const ev of END_EVENTS) this.stream.off(ev, this.onEnd);
    this.stream.pause();
    if (this.raw) this.stream.setRawMode?.(false);
    this.wake();
  }
}
