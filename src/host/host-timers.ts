// The wall-clock services the machine controller needs, behind an interface
// so tests can drive it with a fake clock.

export interface HostTimers {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
  /** Lets pending events in: a macrotask without setTimeout's nested-call clamp (4 ms in browsers). */
  yieldToEvents(): Promise<void>;
}

function messageChannelYield(): () => Promise<void> {
  const waiting: Array<() => void> = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { waiting.shift()?.(); };
  // Node keeps the process alive while a port listens; a worker lives as long as its page anyway.
  (channel.port1 as { unref?: () => void }).unref?.();
  return () => new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

export function realTimers(): HostTimers {
  return {
    now: () => performance.now(),
    after: (ms, fn) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    yieldToEvents: messageChannelYield(),
  };
}

/** A sleep that input, pause or reset can cut short. */
export class Sleeper {
  private wakeUp: (() => void) | null = null;

  constructor(private readonly timers: HostTimers) {}

  /** Resolves after `ms` (Infinity: only on wake()) with true, or at wake() with false, whichever is first. */
  sleep(ms: number): Promise<boolean> {
    this.wake();
    return new Promise<boolean>((resolve) => {
      let cancel = (): void => {};
      const done = (timedOut: boolean): void => {
        cancel();
        if (this.wakeUp === woken) this.wakeUp = null;
        resolve(timedOut);
      };
      const woken = (): void => done(false);
      this.wakeUp = woken;
      if (ms !== Infinity) cancel = this.timers.after(ms, () => done(true));
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
