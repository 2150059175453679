// Boots the whole OS (kernel + init + servers + shell) on the board, headless
// and synchronously, for the tests and the benchmarks: types each script line
// after a "shell> " prompt, like a user, and returns the console output.
// WASMOS_KERNEL picks another kernel image.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

export function bootOs(opts: OsBootOptions = {}): OsBootResult {
  const tree = new HostTree();
  for (const [path, content] of Object.entries(opts.hostFiles ?? {})) tree.writeFile(path, content);
  const image = new Uint8Array(readFileSync(KERNEL));
  const initrd = osArchive(loadOsSource(), opts.bootFiles);
  const machine = new Machine({ image, initrd, memMiB: 128, ...(opts.host === false ? {} : { hostFs: new NinePServer(tree) }) });
  tree.clock = guestClock(machine);
  let out = '';
  // Prompts are counted as output arrives (a prompt may be split across writes), not by rescanning it all.
  let prompts = 0;
  let scanned = 0;
  machine.onSerial = (b) => {
    out += Buffer.from(b).toString('latin1');
    for (let i = out.indexOf(PROMPT, scanned); i >= 0; i = out.indexOf(PROMPT, scanned)) {
      prompts++;
      scanned = i + PROMPT.length;
    }
    scanned = Math.max(scanned, out.length - PROMPT.length + 1);
  };
  const script = opts.script ?? [];
  const max = opts.maxCycles ?? 2_000_000_000;
  let typed = 0;
  let code: number | null = null;
  let firstPromptAt: number | null = null;
  const pendingKeys = [...(opts.keys ?? [])];
  const pendingMail = [...(opts.mailbox ?? [])];
  const replies: string[] = [];
  machine.mailbox.onReply((t) => replies.push(t));
  let posted = 0;
  const typedAt: number[] = [];
  while (machine.cycles < max) {
    const r = machine.run(1_000_000);
    if (r.kind === 'poweroff') { code = r.code; break; }
    if (r.kind === 'reset' || (r.kind === 'idle' && r.until === Infinity)) break;
    if (prompts > 0 && firstPromptAt === null) firstPromptAt = machine.instret;
    const key = pendingKeys[0];
    if (key && typed === key.afterLine + 1 && out.lastIndexOf(key.waitFor) > out.lastIndexOf(PROMPT)) {
      machine.sendSerial(new TextEncoder().encode(key.send));
      pendingKeys.shift();
    }
    const mail = pendingMail[0];
    if (mail && typed > mail.afterLine && replies.length === posted && out.indexOf(mail.waitFor, typedAt[mail.afterLine]) >= 0) {
      machine.mailbox.post(typeof mail.post === 'string' ? mail.post : mail.post(replies));
      posted++;
      pendingMail.shift();
    }
    if (prompts > typed) {
      if (typed === script.length && pendingMail.length === 0 && replies.length === posted) break;
      if (typed === script.length) continue;
      typedAt[typed] = out.length;
      machine.sendSerial(new TextEncoder().encode(`${script[typed]}\r`));
      typed++;
    }
  }
  return { out: out.replace(/\r/g, ''), code, instret: machine.instret, firstPromptAt, typed, tree, machine, replies };
}

/** The output of script line i: from after its prompt to the next prompt. */
export function outputOf(r: OsBootResult, i: number): string {
  const parts = r.out.split(PROMPT);
  const seg = parts[i + 1] ?? '';
  const nl = seg.indexOf('\n');
  return nl >= 0 ? seg.slice(nl + 1) : '';
}
