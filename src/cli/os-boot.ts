// `wasmos boot`: the whole OS headless in the terminal: the committed kernel
// with the boot archive of servers/ (init, console, fs, shell, apps), the
// serial console on stdio, a host folder shared as /host. With --script, the
// lines of a file are typed into the shell one per prompt, and the command
// ends when the guest shuts down (or, if the script does not shut it down,
// when the shell prompts after the last line).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Machine } from '../board/machine.ts';
import { HostTree, NinePServer, guestClock } from '../host/9p/index.ts';
import { DirectoryMirror, loadDirectory } from '../host/9p/node-dir.ts';
import { parseForward, type PortForward } from '../host/net/node-forward.ts';
import { osArchive } from '../host/os-archive.ts';
import { UsageError } from './board-run-options.ts';
import { openNet, RunError, runOnTerminal, type OutputWatcher, type Terminal } from './board-run.ts';
import { loadOsSource, REPO_ROOT } from './os-files.ts';

export const BOOT_USAGE = `usage: wasmos boot [options]

Boots WasmOS (kernel, init, servers, shell) on the emulated board with the
serial console on this terminal. Ctrl-A x quits.

options:
  --script FILE    type the lines of FILE into the shell, one per prompt, and
                   exit when the guest shuts down (or when the shell prompts
                   again after the last line)
  --host DIR       share DIR with the guest as /host (changes are written back)
  --kernel FILE    boot another kernel image (default: public/kernel.elf)
  --mem MIB        RAM size in MiB (default 128)
  --stats          print {"instructions":N,"seconds":S,"mips":M} at the end
  --net user|none  the network card (default user: QEMU-style user-mode
                   networking, guest 10.0.2.15, host 10.0.2.2; docs/net.md)
  --forward H:G    forward host port H (on 127.0.0.1) to guest TCP port G;
                   may be repeated
  --pcap FILE      write all network traffic to FILE (libpcap format)
  -h, --help       show this help
`;

export const SHELL_PROMPT = 'shell> ';

export interface BootOptions {
  script: string | undefined;
  host: string | undefined;
  kernel: string;
  memMiB: number;
  stats: boolean;
  net: 'user' | 'none';
  forwards: PortForward[];
  pcap: string | undefined;
}

export function parseBootArgs(args: string[]): BootOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args, strict: true, allowPositionals: false,
      options: {
        script: { type: 'string' }, host: { type: 'string' }, kernel: { type: 'string' },
        mem: { type: 'string' }, stats: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        net: { type: 'string' }, forward: { type: 'string', multiple: true }, pcap: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const mem = v.mem === undefined ? 128 : Number(v.mem);
  if (!Number.isInteger(mem) || mem < 16 || mem > 1024) throw new UsageError(`--mem needs a size in MiB (16..1024), not "${v.mem}"`);
  const net = v.net ?? 'user';
  if (net !== 'user' && net !== 'none') throw new UsageError(`--net must be user or none, not "${net}"`);
  let forwards: PortForward[];
  try {
    forwards = (v.forward ?? []).map(parseForward);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (net === 'none' && (forwards.length > 0 || v.pcap !== undefined)) throw new UsageError('--forward and --pcap need the network (--net user)');
  return {
    script: v.script, host: v.host, kernel: v.kernel ?? join(REPO_ROOT, 'public/kernel.elf'), memMiB: mem, stats: v.stats ?? false,
    net, forwards, pcap: v.pcap,
  };
}

/** Types script lines at prompts; stops after the prompt that follows the last line. */
export class ScriptTyper implements OutputWatcher {
  private tail = '';
  private next = 0;

  constructor(private readonly lines: readonly string[]) {}

  onOutput(bytes: Uint8Array, send: (b: Uint8Array) => void, stop: (status: number, notice?: string) => void): void {
    // Keep just enough output to see a prompt split across writes.
    this.tail = (this.tail + new TextDecoder('latin1').decode(bytes)).slice(-256);
    while (this.tail.includes(SHELL_PROMPT)) {
      this.tail = this.tail.slice(this.tail.indexOf(SHELL_PROMPT) + SHELL_PROMPT.length);
      if (this.next === this.lines.length) {
        stop(0, 'the script ended without shutdown');
        return;
      }
      send(new TextEncoder().encode(`${this.lines[this.next++]}\r`));
    }
  }
}

function readFile(what: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new RunError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function osBoot(o: BootOptions, t: Terminal): Promise<number> {
  const image = readFile('kernel', o.kernel);
  const lines = o.script === undefined ? null
    : new TextDecoder().decode(readFile('script', o.script)).split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
  const tree = new HostTree();
  let mirror: DirectoryMirror | null = null;
  if (o.host !== undefined) {
    if (!existsSync(o.host) || !statSync(o.host).isDirectory()) throw new RunError(`--host ${o.host}: not a directory`);
    const loaded = loadDirectory(tree, o.host);
    for (const p of loaded.skipped) t.stderr.write(`wasmos: --host: skipped ${p}\n`);
    mirror = new DirectoryMirror(tree, o.host, (e) => t.stderr.write(`wasmos: --host: ${e.message}\n`));
  }
  let initrd: Uint8Array;
  try {
    initrd = osArchive(loadOsSource());
  } catch (e) {
    throw new RunError(`cannot assemble the boot archive: ${(e as Error).message}`);
  }
  const net = o.net === 'user' ? openNet(o.pcap, { forwards: o.forwards }) : null;
  try {
    const machine = new Machine({ image, initrd, memMiB: o.memMiB, hostFs: new NinePServer(tree), ...(net ? { net: { backend: net.net } } : {}) });
    tree.clock = guestClock(machine);
    net?.attach(machine);
    try {
      await net?.listen();
    } catch (e) {
      throw new RunError(`--forward: ${(e as Error).message}`);
    }
    for (const l of net?.listeners ?? []) t.stderr.write(`wasmos: forwarding 127.0.0.1:${l.port} to guest port ${o.forwards[net!.listeners.indexOf(l)]!.guestPort}\n`);
    return await runOnTerminal(machine, t, {
      stats: o.stats, watcher: lines ? new ScriptTyper(lines) : undefined,
      ...(net ? { afterSlice: () => net.afterSlice(machine) } : {}),
    });
  } finally {
    mirror?.close();
    await net?.close();
  }
}
