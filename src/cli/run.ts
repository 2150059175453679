// `wasmos run APP.wasm [ARGS...]`: runs a WasmOS app on Node's own
// WebAssembly engine through the portable host (src/portable/, docs/portable.md):
// no board, no kernel. Output is the app's console output; the exit status is
// the app's exit code (1 if it trapped or was killed, 124 after --timeout).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from './board-run-options.ts';
import { RunError, type Terminal } from './board-run.ts';
import { EXIT_KILLED } from '../portable/errors.ts';
import { PortableHost } from '../portable/host.ts';
import { spawnApp } from '../portable/wasm-app.ts';
import { offerHostServices } from '../portable/services/index.ts';

export const RUN_USAGE = `usage: wasmos run APP.wasm [ARGS...] [options]

Runs a WasmOS app (a Wasm module using the env/wasmos imports, or WASI) on
Node's WebAssembly engine, with TypeScript services for what it looks up:
console, fs, tcpip, proc, pong, echo, counter.

options:
  --with SERVICE.wasm      also run this Wasm app first (e.g. a service the app
                           looks up); repeatable
  --dir HOSTDIR            the fs service serves HOSTDIR (as / and /host);
                           WASI programs get it preopened as /
  --forward HOST:GUEST     tcpip_listen(GUEST) listens on host port HOST
                           (otherwise on GUEST itself); repeatable
  --timeout SECONDS        kill the app after SECONDS (exit status 124)
  --                       everything after is an argument of the app
  -h, --help               show this help
`;

export interface RunOptions {
  app: string;
  args: string[];
  with: string[];
  dir: string | undefined;
  forward: Map<number, number>;
  timeoutMs: number | undefined;
}

function port(s: string, what: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < 1 || n > 65535) throw new UsageError(`--forward: ${what} port must be 1..65535, not "${s}"`);
  return n;
}

export function parseRunArgs(argv: string[]): RunOptions | 'help' {
  const o: RunOptions = { app: '', args: [], with: [], dir: undefined, forward: new Map(), timeoutMs: undefined };
  let literal = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (!literal && (a === '-h' || a === '--help')) return 'help';
    else if (!literal && a === '--') literal = true;
    else if (!literal && a === '--with') o.with.push(value());
    else if (!literal && a === '--dir') o.dir = value();
    else if (!literal && a === '--forward') {
      const v = value();
      const m = /^([^:]+):([^:]+)$/.exec(v);
      if (!m) throw new UsageError(`--forward needs HOSTPORT:GUESTPORT, not "${v}"`);
      o.forward.set(port(m[2]!, 'guest'), port(m[1]!, 'host'));
    } else if (!literal && a === '--timeout') {
      const v = value();
      const s = Number(v);
      if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout needs a number of seconds, not "${v}"`);
      o.timeoutMs = s * 1000;
    } else if (!o.app) {
      if (!literal && a.startsWith('--')) throw new UsageError(`unknown option "${a}"`);
      o.app = a;
    } else o.args.push(a);
  }
  if (!o.app) throw new UsageError('missing APP.wasm');
  if (o.dir !== undefined && !isDir(o.dir)) throw new UsageError(`--dir: "${o.dir}" is not a directory`);
  return o;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function load(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new RunError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The task name the OS would give the program: the file name without ".wasm", cut to 23 bytes. */
export function programName(path: string): string {
  return basename(path).replace(/\.wasm$/, '').slice(0, 23) || 'app';
}

export async function portableRun(o: RunOptions, t: Terminal, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const services = o.with.map((p) => ({ path: p, bytes: load(p) }));
  const app = load(o.app);
  const host = new PortableHost({ out: (b) => void t.stdout.write(b), dir: o.dir, spawner: spawnApp });
  offerHostServices(host, { stdin, forward: o.forward });
  try {
    for (const s of services) {
      const id = await host.spawn({ module: s.bytes, name: programName(s.path) });
      if (id < 0) return 1;
      // The app starts once the service serves (its first receive), so its lookups find the Wasm service;
      // one that never receives holds the app back 10 s at most.
      let wait: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([host.task(id)?.serving(), new Promise((r) => (wait = setTimeout(r, 10_000)))]);
      clearTimeout(wait);
    }
    const id = await host.spawn({ module: app, name: programName(o.app), args: o.args });
    if (id < 0) return 1;
    const task = host.task(id)!;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    if (o.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        host.kernel.exit(task, EXIT_KILLED);
      }, o.timeoutMs);
    }
    const reason = await Promise.race([task.exited(), host.whenPoweredOff().then(() => 0)]);
    clearTimeout(timer);
    if (timedOut) {
      t.stderr.write(`wasmos: ${programName(o.app)} killed after ${o.timeoutMs! / 1000} s (--timeout)\n`);
      return 124;
    }
    return reason >= 0 ? Math.min(reason, 255) : 1;
  } finally {
    host.shutdown();
  }
}

/** `wasmos run ...` (argv without "run"): the exit status. */
export async function runCommand(argv: string[], t: Terminal): Promise<number> {
  const o = parseRunArgs(argv);
  if (o === 'help') {
    t.stdout.write(RUN_USAGE);
    return 0;
  }
  return portableRun(o, t);
}
