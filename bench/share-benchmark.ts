// Share figures (docs/share.md): the compressed snapshot of a freshly booted
// OS with 64 MiB of RAM (target <= 1 MB), the time to restore it (unpack +
// Machine.fromSnapshot; target < 0.5 s), and the permalink of a typical
// session (boot, a few commands, a small uploaded program; target < 4 KB),
// which is then replayed and checked against its state hash.
import { readFileSync } from 'node:fs';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';
import { Machine } from '../src/board/machine.ts';
import { StateReader, StateWriter } from '../src/board/state-stream.ts';
import { loadOsSource } from '../src/cli/os-files.ts';
import { KERNEL } from '../src/cli/os-session.ts';
import { HostTree, NinePServer, guestClock } from '../src/host/9p/index.ts';
import { osArchive } from '../src/host/os-archive.ts';
import { buildId } from '../src/host/replay/build-id.ts';
import { packRecording, recordingFragment, unpackRecording } from '../src/host/replay/link.ts';
import { Recorder } from '../src/host/replay/recorder.ts';
import { Replayer } from '../src/host/replay/replayer.ts';
import { runWithDrains } from '../src/host/replay/trace-drain.ts';
import { packSnapshot, unpackSnapshot } from '../src/host/replay/snapshot-bundle.ts';

const MEM = 64;

function boot(): { m: Machine; tree: HostTree; out: () => string; recorder: Recorder } {
  const image = new Uint8Array(readFileSync(KERNEL));
  const initrd = osArchive(loadOsSource());
  const tree = new HostTree();
  const m = new Machine({ image, initrd, memMiB: MEM, hostFs: new NinePServer(tree) });
  tree.clock = guestClock(m);
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  m.trace?.setEnabled(true);
  const w = new StateWriter();
  tree.save(w);
  const recorder = new Recorder(buildId(image, initrd), { memMiB: MEM, bootargs: '', trace: true }, w.finish());
  recorder.watch(m);
  tree.onChange((c) => recorder.treeChange(m.cycles, c, tree));
  return { m, tree, out: () => out, recorder };
}

function runUntil(m: Machine, done: () => boolean): void {
  for (let i = 0; !done(); i++) {
    if (m.cycles > 4e9) throw new Error('the OS did not get there');
    // The trace is drained at guest-time instants only, as the worker does (trace-drain.ts).
    runWithDrains(m, 2_000_000, () => m.trace?.drain());
  }
}

export const shareBenchmark: Benchmark = {
  name: 'share',
  description: 'snapshot size and restore time (fresh OS, 64 MiB), permalink size of a typical session, replay speed',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const errors: string[] = [];
    const figures: Figure[] = [];
    const { m, tree, out, recorder } = boot();
    const prompts = (): number => out().split('shell> ').length - 1;
    runUntil(m, () => prompts() >= 1);
    const fresh = recorder.recording({ cycles: m.cycles, hash: m.stateHash() });
    const snap = packSnapshot({
      meta: { label: 'bench', savedAt: 0, build: fresh.build, cycles: m.cycles, instret: m.instret, hash: fresh.end.hash, memMiB: MEM, console: out(), tasks: [] },
      recording: fresh, board: m.snapshot(),
    });
    figures.push({ name: 'snapshot_fresh_os_64mib', value: snap.length, unit: 'bytes', target: { max: 1024 * 1024 } });
    let best = Infinity;
    for (let r = 0; r < opts.runs; r++) {
      const t0 = performance.now();
      const bundle = unpackSnapshot(snap);
      const back = Machine.fromSnapshot(bundle.board, { hostFs: new NinePServer(new HostTree()) });
      best = Math.min(best, performance.now() - t0);
      if (r === 0 && back.stateHash() !== fresh.end.hash) errors.push('the restored snapshot has another state hash');
    }
    figures.push({ name: 'snapshot_restore', value: Math.round(best), unit: 'ms', target: { max: 500 } });

    // A typical session: two commands and a small uploaded program.
    m.sendSerial(new TextEncoder().encode('ping\r'));
    runUntil(m, () => prompts() >= 2);
    const hello = new Uint8Array(readFileSync(new URL('../servers/build/apps/hello.wasm', import.meta.url)));
    tree.writeFile('/uploads/hello.wasm', hello);
    m.mailbox.post('spawn /host/uploads/hello.wasm');
    runUntil(m, () => out().includes('Hello from WasmOS!'));
    m.sendSerial(new TextEncoder().encode('ps\r'));
    runUntil(m, () => prompts() >= 3);
    const rec = recorder.recording({ cycles: m.cycles, hash: m.stateHash() });
    const fragment = recordingFragment(packRecording(rec));
    opts.log(`share: typical session: ${rec.inputs.length} inputs, hello.wasm ${hello.length} bytes, link fragment ${fragment.length} characters`);
    figures.push({ name: 'permalink_typical_session', value: fragment.length, unit: 'characters', target: { max: 4096 } });

    const t0 = performance.now();
    const again = unpackRecording(packRecording(rec));
    const r = boot();
    r.tree.restore(new StateReader(again.tree));
    const replayer = new Replayer(r.m, r.tree, again.inputs, { drain: () => r.m.trace?.drain() });
    while (!replayer.step({ cycles: again.end.cycles }, 20_000_000));
    const seconds = (performance.now() - t0) / 1000;
    if (r.m.stateHash() !== rec.end.hash) errors.push('the replay did not reach the recorded state hash');
    if (r.out() !== out()) errors.push('the replay printed something else');
    figures.push({ name: 'replay_typical_session', value: Math.round(seconds * 1000), unit: 'ms' });
    return {
      name: 'share', instructions: r.m.instret, board: { seconds, mips: r.m.instret / seconds / 1e6 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
