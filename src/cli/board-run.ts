// `wasmos board run`: the board in a terminal, like `qemu-system-riscv32
// -machine virt -nographic`. Serial output goes to stdout as raw bytes, stdin
// goes to the UART, the guest's power-off decides the exit status.
import { readFileSync, writeFileSync, accessSync, constants as fsConstants } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Machine, type BoardConfig } from '../board/machine.ts';
import { NodeNet } from '../host/net/node-setup.ts';
import type { BoardRunOptions } from './board-run-options.ts';
import { HostInput } from './host-input.ts';
import { exitStatus, runLoop } from './run-loop.ts';

/** Where the command writes; process.stdout/stderr in real use. */
export interface Terminal {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/** An error worth one line to the user (bad file, bad image), exit status 1. */
export class RunError extends Error {}

function readInput(what: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new RunError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function loadConfig(o: BoardRunOptions): BoardConfig {
  const config: BoardConfig = { image: readInput('image', o.image), bios: o.bios, virtio: o.virtio };
  if (o.memMiB !== undefined) config.memMiB = o.memMiB;
  if (o.initrd !== undefined) config.initrd = readInput('initrd', o.initrd);
  if (o.append !== undefined) config.bootargs = o.append;
  if (o.drive !== undefined) {
    config.drive = readInput('drive', o.drive);
    // The disk is written back at exit: find out now, not after the run.
    try {
      accessSync(o.drive, fsConstants.W_OK);
    } catch {
      throw new RunError(`drive ${o.drive} is not writable`);
    }
  }
  return config;
}

/**
 * Writes guest output to stdout, remembering whether it ended a line. A
 * closed stdout (EPIPE) is reported once through `onBroken`; output is
 * dropped from then on.
 */
class SerialOut {
  atLineStart = true;
  broken = false;
  private drain: Promise<void> | null = null;
  private release: (() => void) | null = null;

  constructor(private readonly out: NodeJS.WriteStream, private readonly onBroken: () => void) {
    // Stays attached for good: writes still in flight may fail after the run.
    out.on('error', () => {
      if (!this.broken) {
        this.broken = true;
        this.onBroken();
      }
      this.release?.();
    });
  }

  write(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.broken) return;
    this.atLineStart = bytes[bytes.length - 1] === 0x0a;
    if (!this.out.write(bytes) && this.drain === null) {
      this.drain = new Promise((resolve) => {
        this.release = () => { this.drain = null; this.release = null; resolve(); };
        this.out.once('drain', this.release);
      });
    }
  }

  /** Waits while stdout is backed up, so a chatty guest cannot fill host memory. */
  flushed(): Promise<void> {
    return this.drain ?? Promise.resolve();
  }
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
/** 128 + SIGPIPE: stdout was closed (e.g. piped into head). */
const EXIT_BROKEN_PIPE = 141;

export async function boardRun(o: BoardRunOptions, t: Terminal): Promise<number> {
  const config = loadConfig(o);
  const net = o.net === 'user' ? openNet(o.pcap) : null;
  if (net) config.net = { backend: net.net };
  let machine: Machine;
  try {
    machine = new Machine(config);
  } catch (e) {
    await net?.close();
    // Only host input can make the constructor fail: the image, its fit in RAM, the memory size.
    throw new RunError(`${o.image}: ${(e as Error).message}`);
  }
  net?.attach(machine);
  try {
    return await runOnTerminal(machine, t, {
      maxInsns: o.maxInsns, stats: o.stats, ...(net ? { afterSlice: () => net.afterSlice(machine) } : {}),
    });
  } finally {
    await net?.close();
    // QEMU writes a raw drive through; writing it back at exit leaves the
    // file as a write-through disk would, even if the run failed.
    if (o.drive !== undefined && config.drive) writeFileSync(o.drive, config.drive);
  }
}

export interface TerminalRunOptions {
  maxInsns?: number | undefined;
  /** Print {"instructions","seconds","mips"} at the end. */
  stats?: boolean;
  /** Sees every byte of guest output; may type into the guest or stop the run (`wasmos boot --script`). */
  watcher?: OutputWatcher;
  /** Awaited after every slice (the network's timers and pacing). */
  afterSlice?: () => Promise<void> | void;
}

/** The user-mode network of `--net user`; a bad --pcap path is the user's error. */
export function openNet(pcapFile: string | undefined, extra: { forwards?: import('../host/net/node-forward.ts').PortForward[] } = {}): NodeNet {
  try {
    return new NodeNet({ ...(pcapFile !== undefined ? { pcapFile } : {}), ...extra });
  } catch (e) {
    throw new RunError(`cannot write pcap file ${pcapFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Reacts to guest output: `send` types into the guest, `stop` ends the run with `status`. */
export interface OutputWatcher {
  onOutput(bytes: Uint8Array, send: (bytes: Uint8Array) => void, stop: (status: number, notice?: string) => void): void;
}

/**
 * Runs a machine with its serial console on the terminal until it powers off,
 * the user quits (Ctrl-A x, a signal), the limit runs out or the watcher stops
 * it. Returns the exit status.
 */
export async function runOnTerminal(machine: Machine, t: Terminal, opts: TerminalRunOptions): Promise<number> {
  const input = new HostInput(t.stdin, (bytes) => machine.sendSerial(bytes), (text) => t.stderr.write(text));
  const serial = new SerialOut(t.stdout, () => input.interrupt());
  let stopped: { status: number; notice: string | undefined } | null = null;
  const stop = (status: number, notice?: string): void => {
    stopped ??= { status, notice };
    input.interrupt();
  };
  const send = (bytes: Uint8Array): void => machine.sendSerial(bytes);
  machine.onSerial = (bytes) => {
    serial.write(bytes);
    opts.watcher?.onOutput(bytes, send, stop);
  };
  let signal: keyof typeof SIGNALS | null = null;
  const handlers = (Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>).map((name) => {
    const h = (): void => { signal = name; input.interrupt(); };
    process.on(name, h);
    return [name, h] as const;
  });

  const start = performance.now();
  let status: number;
  try {
    input.start();
    const outcome = await runLoop(machine, input, {
      maxInsns: opts.maxInsns,
      afterSlice: async () => { await opts.afterSlice?.(); await serial.flushed(); },
    });
    status = exitStatus(outcome);
    // On a terminal stdout and stderr share the screen: start notices on a line of their own.
    const notice = (text: string): void => {
      t.stderr.write(`${serial.atLineStart || !t.stderr.isTTY ? '' : '\n'}wasmos: ${text}\n`);
    };
    if (outcome.kind === 'limit') notice(`instruction limit reached (${opts.maxInsns})`);
    if (outcome.kind === 'stuck') notice('the guest waits for input forever and stdin is closed');
    if (outcome.kind === 'quit' && stopped !== null) {
      const s: { status: number; notice: string | undefined } = stopped;
      status = s.status;
      if (s.notice) notice(s.notice);
    } else if (outcome.kind === 'quit' && !serial.broken) notice('terminated');
  } finally {
    input.close();
    for (const [name, h] of handlers) process.off(name, h);
  }
  const seconds = (performance.now() - start) / 1000;
  if (signal !== null) status = 128 + SIGNALS[signal];
  if (serial.broken) return EXIT_BROKEN_PIPE;

  if (opts.stats) {
    const instructions = machine.instret;
    const mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
    const line = JSON.stringify({ instructions, seconds: round3(seconds), mips: round3(mips) });
    t.stdout.write((serial.atLineStart ? '' : '\n') + line + '\n');
  }
  return status;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
