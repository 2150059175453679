// A whole-OS session for the replay tests, driven like the page's worker
// drives it: slices of varying size, the trace drained at the drain instants
// (src/host/replay/trace-drain.ts) as the worker does, host
// input only between slices, host-tree writes and trace switches told to a
// Recorder. Replays go through the real Replayer on a fresh machine.
import { readFileSync } from 'node:fs';
import type { TraceRecord } from '../../src/board/devices/trace.ts';
import { Machine } from '../../src/board/machine.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL } from '../../src/cli/os-session.ts';
import { HostTree, NinePServer, guestClock } from '../../src/host/9p/index.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import { buildId } from '../../src/host/replay/build-id.ts';
import { Recorder } from '../../src/host/replay/recorder.ts';
import { Replayer } from '../../src/host/replay/replayer.ts';
import { runWithDrains } from '../../src/host/replay/trace-drain.ts';
import type { Recording } from '../../src/host/replay/recording.ts';
import { StateReader, StateWriter } from '../../src/board/state-stream.ts';
import { TaskTracker } from '../../src/host/task-tracker.ts';

export const kernelImage = new Uint8Array(readFileSync(KERNEL));
export const osImage = osArchive(loadOsSource());
export const BUILD = buildId(kernelImage, osImage);
export const app = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../servers/build/apps/${name}.wasm`, import.meta.url)));

const MEM = 64;

/** A machine with its host tree, console text, task table and trace (drained at the drain instants). */
export class Rig {
  readonly tree = new HostTree();
  readonly machine: Machine;
  readonly tracker = new TaskTracker();
  readonly trace: TraceRecord[] = [];
  out = '';
  traceOn = true;

  constructor(bootargs = '') {
    this.machine = new Machine({ image: kernelImage, initrd: osImage, memMiB: MEM, bootargs, hostFs: new NinePServer(this.tree) });
    this.tree.clock = guestClock(this.machine);
    this.machine.onSerial = (b) => { this.out += Buffer.from(b).toString('latin1'); };
    this.machine.trace?.setEnabled(true);
  }

  drain(): void {
    if (!this.machine.trace || !this.traceOn) return;
    const { records } = this.machine.trace.drain();
    this.tracker.feed(records);
    this.trace.push(...records);
  }

  setTrace(on: boolean): void {
    this.traceOn = on;
    this.machine.trace?.setEnabled(on);
  }

  treeState(): Uint8Array {
    const w = new StateWriter();
    this.tree.save(w);
    return w.finish();
  }

  tasks(): string[] {
    return this.tracker.rows().map((t) => `${t.id} ${t.name} ${t.state}`);
  }

  /** The hash is of the state between slices. */
  hash(): string { return this.machine.stateHash(); }
}

/** The live side: a user at the keyboard and the upload button, recorded. */
export class LiveSession extends Rig {
  readonly recorder: Recorder;
  private slice = 0;

  constructor(bootargs = '') {
    super(bootargs);
    this.recorder = new Recorder(BUILD, { memMiB: MEM, bootargs, trace: true }, this.treeState());
    this.recorder.watch(this.machine);
    this.tree.onChange((c) => this.recorder.treeChange(this.machine.cycles, c, this.tree));
  }

  /** Runs in slices of irregular size (like a worker's) until `text` has appeared `times` times. */
  runUntil(text: string, times = 1, maxCycles = 3e9): void {
    const sizes = [1_000_003, 2_500_000, 377_777, 4_000_000];
    while (this.out.split(text).length - 1 < times) {
      if (this.machine.cycles > maxCycles) throw new Error(`"${text}" did not appear; output:\n${this.out}`);
      const stop = runWithDrains(this.machine, sizes[this.slice++ % sizes.length]!, () => this.drain());
      if (stop.kind === 'poweroff') throw new Error('powered off');
    }
  }

  /** Runs `cycles` more guest cycles in irregular slices. */
  runFor(cycles: number): void {
    const end = this.machine.cycles + cycles;
    while (this.machine.cycles < end) {
      runWithDrains(this.machine, Math.min(end - this.machine.cycles, 1_234_567 + (this.slice++ % 3) * 1_000_000), () => this.drain());
    }
  }

  type(line: string): void { this.machine.sendSerial(new TextEncoder().encode(`${line}\r`)); }

  upload(name: string, bytes: Uint8Array): void {
    this.tree.writeFile(`/uploads/${name}`, bytes);
    this.machine.mailbox.post(`spawn /host/uploads/${name}`);
  }

  override setTrace(on: boolean): void {
    super.setTrace(on);
    this.recorder?.trace(this.machine.cycles, on);
  }

  recording(): Recording {
    return this.recorder.recording({ cycles: this.machine.cycles, hash: this.hash() });
  }
}

/** Replays `rec` on a fresh machine in steps of `budget` cycles. */
export function replay(rec: Recording, budget = 3_000_000): { rig: Rig; replayer: Replayer } {
  const rig = new Rig(rec.board.bootargs);
  rig.tree.restore(new StateReader(rec.tree));
  rig.setTrace(rec.board.trace);
  const replayer = new Replayer(rig.machine, rig.tree, rec.inputs, { drain: () => rig.drain(), setTrace: (on) => rig.setTrace(on) });
  while (!replayer.step({ cycles: rec.end.cycles }, budget));
  return { rig, replayer };
}
