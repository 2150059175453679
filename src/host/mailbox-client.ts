// The worker's side of the host mailbox (docs/devices.md "Host mailbox"): posts a
// command to the running machine and resolves with the OS's reply. The OS
// answers commands one by one in order, so replies are matched to requests by
// position. A request that waits too long (no driver, a paused or wedged OS)
// resolves with null, but keeps its place so later replies still match.
import type { Machine } from '../board/machine.ts';
import type { HostTimers } from './host-timers.ts';

interface Waiting {
  resolve: (reply: string | null) => void;
  done: boolean;
}

export class MailboxClient {
  private machine: Machine | null = null;
  private waiting: Waiting[] = [];

  constructor(private readonly timers: HostTimers) {}

  /** Talks to `m` from now on (a new machine after boot/reset); requests to the old one end with null. */
  attach(m: Machine | null): void {
    for (const w of this.waiting.splice(0)) this.finish(w, null);
    this.machine = m;
    m?.mailbox.onReply((text) => {
      if (this.machine === m) this.finish(this.waiting.shift(), text);
    });
  }

  /** Posts `command`; the reply, or null when there is no machine or no answer within timeoutMs. */
  request(command: string, timeoutMs: number): Promise<string | null> {
    const m = this.machine;
    if (!m || !m.mailbox.post(command)) return Promise.resolve(null);
    return new Promise((resolve) => {
      const w: Waiting = { resolve, done: false };
      this.waiting.push(w);
      this.timers.after(timeoutMs, () => this.finish(w, null));
    });
  }

  private finish(w: Waiting | undefined, reply: string | null): void {
    if (!w || w.done) return;
    w.done = true;
    w.resolve(reply);
  }
}

/** A reply split into its parts: "ok 14" -> ok, "14"; "error E_NO_TASK task 9" -> not ok, E_NO_TASK, "task 9". */
export function parseReply(reply: string): { ok: boolean; code: string; rest: string } {
  const [head = '', ...words] = reply.trim().split(/\s+/);
  if (head === 'ok') return { ok: true, code: '', rest: words.join(' ') };
  const [code = '', ...detail] = words;
  return { ok: false, code, rest: detail.join(' ') };
}
