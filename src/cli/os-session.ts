// Boots the whole OS (kernel + init + servers + shell) on the board, headless
// and synchronously, for the tests and the benchmarks: types each script line
// after a "shell> " prompt, like a user, and returns the console output.
// WASMOS_KERNEL picks another kernel image. bootOsAsync does the same but lets
// the event loop run between slices, for host work that completes later (the
// network backend's fetches and sockets).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NetBackend } from '../board/devices/virtio/net.ts';
import { Machine } from '../board/machine.ts';
import { HostTree, NinePServer, guestClock } from '../host/9p/index.ts';
import { osArchive } from '../host/os-archive.ts';
import { loadOsSource } from './os-files.ts';

export const KERNEL = process.env.WASMOS_KERNEL ?? fileURLToPath(new URL('../../public/kernel.elf', import.meta.url));
export const PROMPT = 'shell> ';

export interface OsBootOptions {
  /** Lines typed into the shell, each after the next prompt. */
  script?: string[];
  /** Files under /host (path -> content); the tree is returned for inspection. */
  hostFiles?: Record<string, string | Uint8Array>;
  /** Attach the virtio-9p device (/host); default true. */
  host?: boolean;
  /** Extra files in the boot archive (/boot). */
  bootFiles?: Record<string, Uint8Array>;
  /** Guest instructions before giving up (default 2 G). */
  maxCycles?: number;
  /** Raw input sent at given points: after the prompt of line i is typed, wait for `after` in the output, then send. */
  keys?: { afterLine: number; waitFor: string; send: string }[];
  /**
   * Host mailbox commands (docs/devices.md "Host mailbox"), in order: once script line
   * `afterLine` is typed, `waitFor` appears in the output since, and every
   * earlier command has its reply, post `post` (a function gets the replies so far).
   */
  mailbox?: { afterLine: number; waitFor: string; post: string | ((replies: string[]) => string) }[];
  /**
   * A network card (virtio-net in slot 1): called once with `deliver`, which
   * queues a frame for the guest (Machine.netReceive), it returns the backend
   * that takes the guest's frames (normally a UserNet, src/host/net).
   */
  net?: (deliver: (frame: Uint8Array) => void) => NetBackend;
  /** Called after every slice (e.g. to drive the network backend's timers). */
  afterSlice?: (machine: Machine) => void;
  /** Console output as it arrives (latin1 text, \r kept). */
  onOutput?: (text: string) => void;
  /** After the script (and mailbox) is done, keep running until this returns true. */
  until?: () => boolean;
}

export interface OsBootResult {
  /** Console output, \r removed. */
  out: string;
  /** Power-off code, or null (the script ended at a prompt, or the limit was hit). */
  code: number | null;
  instret: number;
  /** Guest instructions from reset to the first prompt (null if none). */
  firstPromptAt: number | null;
  /** Lines of the script that were typed. */
  typed: number;
  tree: HostTree;
  machine: Machine;
  /** The OS's mailbox replies, in order. */
  replies: string[];
}

/** The boot as a sequence of slices: `step` runs one and says whether to go on. */
class OsSession {
  readonly tree = new HostTree();
  readonly machine: Machine;
  private out = '';
  // Prompts are counted as output arrives (a prompt may be split across writes), not by rescanning it all.
  private prompts = 0;
  private scanned = 0;
  private readonly script: string[];
  private readonly max: number;
  private typed = 0;
  private code: number | null = null;
  private firstPromptAt: number | null = null;
  private readonly pendingKeys: NonNullable<OsBootOptions['keys']>;
  private readonly pendingMail: NonNullable<OsBootOptions['mailbox']>;
  private readonly replies: string[] = [];
  private posted = 0;
  private readonly typedAt: number[] = [];
  /** The last slice ended idle (nothing to run until a timer or input). */
  idle = false;

  constructor(private readonly opts: OsBootOptions) {
    for (const [path, content] of Object.entries(opts.hostFiles ?? {})) this.tree.writeFile(path, content);
    const image = new Uint8Array(readFileSync(KERNEL));
    const initrd = osArchive(loadOsSource(), opts.bootFiles);
    const deliver = (frame: Uint8Array): void => this.machine.netReceive(frame);
    const net = opts.net ? { backend: opts.net(deliver) } : undefined;
    this.machine = new Machine({
      image, initrd, memMiB: 128, ...(opts.host === false ? {} : { hostFs: new NinePServer(this.tree) }), ...(net ? { net } : {}),
    });
    this.tree.clock = guestClock(this.machine);
    this.machine.onSerial = (b) => {
      const text = Buffer.from(b).toString('latin1');
      this.out += text;
      opts.onOutput?.(text);
      for (let i = this.out.indexOf(PROMPT, this.scanned); i >= 0; i = this.out.indexOf(PROMPT, this.scanned)) {
        this.prompts++;
        this.scanned = i + PROMPT.length;
      }
      this.scanned = Math.max(this.scanned, this.out.length - PROMPT.length + 1);
    };
    this.script = opts.script ?? [];
    this.max = opts.maxCycles ?? 2_000_000_000;
    this.pendingKeys = [...(opts.keys ?? [])];
    this.pendingMail = [...(opts.mailbox ?? [])];
    this.machine.mailbox.onReply((t) => this.replies.push(t));
  }

  step(): boolean {
    const { machine, script, pendingKeys, pendingMail, replies, typedAt } = this;
    if (machine.cycles >= this.max) return false;
    const r = machine.run(1_000_000);
    this.opts.afterSlice?.(machine);
    this.idle = r.kind === 'idle';
    if (r.kind === 'poweroff') { this.code = r.code; return false; }
    if (r.kind === 'reset' || (r.kind === 'idle' && r.until === Infinity && !machine.inputPending)) return false;
    if (this.prompts > 0 && this.firstPromptAt === null) this.firstPromptAt = machine.instret;
    const out = this.out;
    const key = pendingKeys[0];
    if (key && this.typed === key.afterLine + 1 && out.lastIndexOf(key.waitFor) > out.lastIndexOf(PROMPT)) {
      machine.sendSerial(new TextEncoder().encode(key.send));
      pendingKeys.shift();
    }
    const mail = pendingMail[0];
    if (mail && this.typed > mail.afterLine && replies.length === this.posted && out.indexOf(mail.waitFor, typedAt[mail.afterLine]) >= 0) {
      machine.mailbox.post(typeof mail.post === 'string' ? mail.post : mail.post(replies));
      this.posted++;
      pendingMail.shift();
    }
    if (this.prompts > this.typed) {
      if (this.typed === script.length && pendingMail.length === 0 && replies.length === this.posted && (this.opts.until?.() ?? true)) return false;
      if (this.typed === script.length) return true;
      typedAt[this.typed] = out.length;
      machine.sendSerial(new TextEncoder().encode(`${script[this.typed]}\r`));
      this.typed++;
    }
    return true;
  }

  result(): OsBootResult {
    const { machine } = this;
    return {
      out: this.out.replace(/\r/g, ''), code: this.code, instret: machine.instret, firstPromptAt: this.firstPromptAt,
      typed: this.typed, tree: this.tree, machine, replies: this.replies,
    };
  }
}

export function bootOs(opts: OsBootOptions = {}): OsBootResult {
  const s = new OsSession(opts);
  while (s.step());
  return s.result();
}

/**
 * bootOs with the event loop running between slices. `pace` (when given) is
 * awaited after a slice that ended idle: a network test passes one that waits
 * a little real time while its backend has host work outstanding, so guest
 * time does not race past a fetch that is still on its way.
 */
export async function bootOsAsync(opts: OsBootOptions & { pace?: () => Promise<void> } = {}): Promise<OsBootResult> {
  const s = new OsSession(opts);
  while (s.step()) {
    if (s.idle && opts.pace) await opts.pace();
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return s.result();
}

/** The output of script line i: from after its prompt to the next prompt. */
export function outputOf(r: OsBootResult, i: number): string {
  const parts = r.out.split(PROMPT);
  const seg = parts[i + 1] ?? '';
  const nl = seg.indexOf('\n');
  return nl >= 0 ? seg.slice(nl + 1) : '';
}
