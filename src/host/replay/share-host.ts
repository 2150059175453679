// The worker's share features, next to the MachineController: it records the
// running session (Recorder), replays a recording opened from a link
// (Replayer, at full speed, then hands the machine to the user) and answers
// for links. The controller calls its hooks at boot, in its slice loop and
// when the host changes something; the page reaches it as controller.share.
import type { Machine } from '../../board/machine.ts';
import { StateReader, StateWriter } from '../../board/state-stream.ts';
import { BoardError, Machine as MachineClass } from '../../board/machine.ts';
import { HostTree, NinePServer, guestClock } from '../9p/index.ts';
import type { TaskRow } from '../protocol.ts';
import { TaskTracker } from '../task-tracker.ts';
import { Checkpoints } from './checkpoints.ts';
import { ConsoleLog } from './console-log.ts';
import type { SnapshotBundle, SnapshotMeta } from './snapshot-bundle.ts';
import { buildId } from './build-id.ts';
import { Recorder } from './recorder.ts';
import { RecordingError, type Recording } from './recording.ts';
import { Replayer } from './replayer.ts';

/** What the controller's boot options say about the OS and the board. */
export interface BootFacts {
  image: Uint8Array;
  initrd?: Uint8Array;
  bootargs: string;
  memMiB?: number;
}

export type OpenResult =
  | { ok: true; board: Recording['board']; inputs: number; endCycles: number }
  | { ok: false; reason: 'invalid' | 'build'; message: string };

export interface ReplayProgress {
  state: 'replaying' | 'done' | 'diverged';
  cycles: number;
  endCycles: number;
  /** Once done: the state hash reached and the one the recording promised. */
  hash: string | null;
  expectedHash: string;
  message: string;
}

export interface ShareLink {
  /** The fragment ("r=...") when it fits a link; null when the recording must be a file. */
  fragment: string | null;
  /** The packed recording (for a .wasmos-recording file). */
  packed: Uint8Array;
  inputs: number;
  cycles: number;
  hash: string;
  /** Set when a host change could not be recorded: the replay would not be exact. */
  warning: string | null;
}

const DEFAULT_MEM_MIB = 128;

// The link and snapshot codecs (zod, fflate) load on first use: the machine
// worker starts without them, which keeps its script small before the boot.
const linkCodec = (): Promise<typeof import('./link.ts')> => import('./link.ts');
const snapshotCodec = (): Promise<typeof import('./snapshot-bundle.ts')> => import('./snapshot-bundle.ts');
/**
 * Guest cycles per replay step; several steps make one slice between yields.
 * (The trace is drained at the drain instants of trace-drain.ts, as live.)
 */
export const REPLAY_STEP_CYCLES = 250_000;
const REPLAY_RUNS_PER_SLICE = 40;

export class ShareHost {
  private recorder: Recorder | null = null;
  private pending: Recording | null = null;
  private replaying: { rec: Recording; replayer: Replayer | null } | null = null;
  private progress: ReplayProgress | null = null;
  private machine: Machine | null = null;
  private build = '';

  private pauseAtEnd = true;
  /** Makes the power-on checkpoint's snapshot (see afterBoot). */
  private powerOn: (() => Uint8Array) | null = null;
  private readonly setTrace: (on: boolean) => void;
  /** The console's recent output (for snapshots and time travel). */
  readonly console = new ConsoleLog();
  readonly checkpoints = new Checkpoints();

  constructor(private readonly tree: HostTree, private readonly target: ShareTarget) {
    this.setTrace = target.setTrace;
    tree.onChange((c) => {
      if (this.machine) this.recorder?.treeChange(this.machine.cycles, c, tree);
    });
  }

  /**
   * Checks a packed recording against the OS build `facts` names; when it fits,
   * the next boot replays it.
   */
  async open(packed: Uint8Array, facts: BootFacts, options: { pauseAtEnd?: boolean } = {}): Promise<OpenResult> {
    const { unpackRecording } = await linkCodec();
    let rec: Recording;
    try {
      rec = unpackRecording(packed);
    } catch (e) {
      return { ok: false, reason: 'invalid', message: (e as Error).message };
    }
    const build = buildId(facts.image, facts.initrd);
    if (rec.build !== build) {
      return {
        ok: false, reason: 'build',
        message: `This recording was made with OS build ${rec.build}; this page runs build ${build}. It cannot be replayed exactly here.`,
      };
    }
    this.pending = rec;
    this.pauseAtEnd = options.pauseAtEnd ?? true;
    return { ok: true, board: rec.board, inputs: rec.inputs.length, endCycles: rec.end.cycles };
  }

  /** Before the machine exists: the host tree as the recording had it. Returns the trace setting to use. */
  beforeBoot(facts: BootFacts, traceOn: boolean): { traceOn: boolean; memMiB: number; bootargs: string } {
    this.build = buildId(facts.image, facts.initrd);
    this.machine = null;
    const rec = this.pending;
    this.pending = null;
    if (rec) {
      this.tree.restore(new StateReader(rec.tree));
      this.recorder = new Recorder(rec.build, rec.board, rec.tree);
      this.recorder.muted = true;
      this.replaying = { rec, replayer: null };
      this.progress = { state: 'replaying', cycles: 0, endCycles: rec.end.cycles, hash: null, expectedHash: rec.end.hash, message: 'Replaying the recording…' };
      return { traceOn: rec.board.trace, memMiB: rec.board.memMiB, bootargs: rec.board.bootargs };
    }
    const memMiB = facts.memMiB ?? DEFAULT_MEM_MIB;
    this.replaying = null;
    this.progress = null;
    this.recorder = new Recorder(this.build, { memMiB, bootargs: facts.bootargs, trace: traceOn }, saveTree(this.tree));
    return { traceOn, memMiB, bootargs: facts.bootargs };
  }

  afterBoot(m: Machine): void {
    this.machine = m;
    this.console.clear();
    this.checkpoints.clear();
    this.recorder?.watch(m);
    // A snapshot scans all of RAM (~100 ms in a fresh worker), which would
    // delay the guest's first instruction. At power-on the same board built
    // again from its configuration and the host tree of that instant is in
    // this state, so that first checkpoint is made only when time travel needs it.
    const powerOn = m.cycles === 0 && this.recorder ? powerOnBoard(m, this.recorder.tree) : null;
    this.powerOn = powerOn;
    this.checkpoints.add({ cycles: m.cycles, instret: m.instret, board: powerOn ? LATER : m.snapshot(), console: 0, tasks: [] });
    if (this.replaying) this.replaying.replayer = new Replayer(m, this.tree, this.replaying.rec.inputs, { setTrace: this.setTrace });
  }

  /** The machine was dropped (shutdown, a failed boot). */
  detach(): void { this.machine = null; this.replaying = null; }

  /** True while a replay drives the machine: the controller runs replaySlice instead of its paced slices. */
  get isReplaying(): boolean { return this.replaying !== null; }

  /** Host input is refused while replaying: it would not be in the recording. */
  get acceptsInput(): boolean { return this.replaying === null; }

  /** One bounded step of the replay; `drain` empties the trace ring at each drain instant, as live. */
  replaySlice(drain: () => void): void {
    const r = this.replaying;
    if (!r?.replayer) return;
    const m = r.replayer.machine;
    let done = false;
    try {
      for (let i = 0; i < REPLAY_RUNS_PER_SLICE && !done; i++) done = r.replayer.step({ cycles: r.rec.end.cycles }, REPLAY_STEP_CYCLES, drain);
    } catch (e) {
      // An input the machine ran past (ReplayDiverged) or a broken recording: say so and hand over,
      // rather than leave the page replaying forever.
      this.progress = {
        state: 'diverged', cycles: m.cycles, endCycles: r.rec.end.cycles, hash: m.stateHash(), expectedHash: r.rec.end.hash,
        message: `The replay stopped at cycle ${m.cycles}: ${(e as Error).message}`,
      };
      this.replaying = null;
      this.target.pause();
      return;
    }
    this.checkpoint(m);
    this.progress = { ...this.progress!, cycles: m.cycles };
    if (!done) return;
    const hash = m.stateHash();
    const ok = hash === r.rec.end.hash && r.replayer.failures.length === 0;
    this.progress = {
      state: ok ? 'done' : 'diverged', cycles: m.cycles, endCycles: r.rec.end.cycles, hash, expectedHash: r.rec.end.hash,
      message: ok
        ? `Replayed ${r.rec.inputs.length} inputs: the machine is in the recorded state (hash ${hash}).`
        : `The replay diverged: state hash ${hash}, the recording says ${r.rec.end.hash}${r.replayer.failures.length ? ` (${r.replayer.failures[0]})` : ''}.`,
    };
    // From here on the user drives: the recording goes on from the replayed inputs.
    this.recorder = new Recorder(r.rec.build, r.rec.board, r.rec.tree, r.rec.inputs);
    this.recorder.watch(m);
    this.replaying = null;
    if (this.pauseAtEnd) this.target.pause();
  }

  replayProgress(): ReplayProgress | null { return this.progress; }

  /** The host switched the trace (recorded: it changes what the kernel executes). */
  traceSwitched(on: boolean): void {
    if (this.machine) this.recorder?.trace(this.machine.cycles, on);
  }

  /** The session so far as a recording (call between slices: the controller's methods always are). */
  recording(): Recording | null {
    const m = this.machine;
    if (!m || !this.recorder || this.replaying) return null;
    return this.recorder.recording({ cycles: m.cycles, hash: m.stateHash() });
  }

  /** The session as a link fragment, or (too long) as the bytes of a file. */
  async link(): Promise<ShareLink | RecordingErrorResult> {
    const { MAX_LINK_CHARS, packRecording, recordingFragment } = await linkCodec();
    const rec = this.recording();
    if (!rec) return { error: this.replaying ? 'Wait until the replay has finished.' : 'The machine is not running.' };
    const packed = packRecording(rec);
    const fragment = recordingFragment(packed);
    return {
      fragment: fragment.length <= MAX_LINK_CHARS ? fragment : null, packed, inputs: rec.inputs.length,
      cycles: rec.end.cycles, hash: rec.end.hash, warning: this.recorder?.inexact ?? null,
    };
  }

  /** The current machine's state hash (tests and the e2e compare it). */
  stateHash(): string | null { return this.machine?.stateHash() ?? null; }

  buildId(): string { return this.build; }

  // ------------------------------------------------------------ snapshots

  /** The whole machine, compressed, with what a restore needs (call between slices). */
  async snapshot(label: string): Promise<{ bytes: Uint8Array; meta: SnapshotMeta } | RecordingErrorResult> {
    const { packSnapshot } = await snapshotCodec();
    const m = this.machine;
    const rec = this.recording();
    if (!m || !rec) return { error: this.replaying ? 'Wait until the replay has finished.' : 'The machine is not running.' };
    const meta: SnapshotMeta = {
      label: label.slice(0, 200), savedAt: Date.now(), build: this.build, cycles: m.cycles, instret: m.instret, hash: rec.end.hash,
      memMiB: m.config.memMiB, console: this.console.tail(CONSOLE_KEEP),
      tasks: this.target.tasks().filter((t) => t.state !== 'exited').map(({ id, parent, priority, name }) => ({ id, parent, priority, name: name.slice(0, 64) })),
    };
    return { bytes: packSnapshot({ meta, recording: rec, board: m.snapshot() }), meta };
  }

  /** Replaces the machine with a saved one (paused at the saved instant). */
  async restore(file: Uint8Array): Promise<{ ok: true; meta: SnapshotMeta } | RecordingErrorResult> {
    const { unpackSnapshot } = await snapshotCodec();
    let bundle: SnapshotBundle;
    let m: Machine;
    try {
      bundle = unpackSnapshot(file);
      m = this.rebuild(bundle.board, this.tree, 'live');
    } catch (e) {
      return { error: `Cannot restore: ${(e as Error).message}` };
    }
    this.adopt(m, bundle.recording, bundle.meta.console, bundle.meta.tasks);
    return { ok: true, meta: bundle.meta };
  }

  private adopt(m: Machine, rec: Recording, consoleText: string, tasks: SnapshotMeta['tasks']): void {
    this.tree.clock = guestClock(m);
    this.replaying = null;
    this.progress = null;
    this.build = rec.build;
    this.target.adopt(m, new Uint8Array([...consoleText].map((c) => c.charCodeAt(0) & 0xff)), tasks);
    // adopt() went through afterBoot: the recording goes on from the saved one.
    this.recorder = new Recorder(rec.build, rec.board, rec.tree, rec.inputs);
    this.recorder.watch(m);
    this.console.seed(consoleText);
  }

  /**
   * A machine from a board snapshot, with the host objects a snapshot cannot
   * hold: the host tree, and a network card backend when the saved board had
   * a card ('live': the running machine's, 'discard': frames go nowhere, for
   * a past that must not talk to the real network; its input is replayed).
   */
  private rebuild(blob: Uint8Array, tree: HostTree, net: 'live' | 'discard'): Machine {
    const hostFs = new NinePServer(tree);
    const live = this.machine?.config.net;
    const card = net === 'live' && live ? live : { backend: { transmit: () => {} }, mac: live?.mac };
    try {
      return MachineClass.fromSnapshot(blob, { hostFs, net: card });
    } catch (e) {
      // A board saved without a network card does not take one.
      if (!(e instanceof BoardError)) throw e;
      return MachineClass.fromSnapshot(blob, { hostFs: new NinePServer(tree) });
    }
  }

  // ------------------------------------------------------------ time travel

  /** After each live slice: keeps a checkpoint every so often (bounded count). */
  afterSlice(m: Machine): void {
    if (!this.replaying) this.checkpoint(m);
  }

  private checkpoint(m: Machine): void {
    if (this.viewing || m !== this.machine) return;
    if (this.checkpoints.due(m.instret)) {
      this.checkpoints.add({ cycles: m.cycles, instret: m.instret, board: m.snapshot(), console: this.console.total, tasks: this.taskSeeds() });
    }
  }

  private taskSeeds(): SnapshotMeta['tasks'] {
    return this.target.tasks().filter((t) => t.state !== 'exited').map(({ id, parent, priority, name }) => ({ id, parent, priority, name }));
  }

  private viewing: PastView | null = null;

  /**
   * Rebuilds the machine as it was when instret was `instret` (a trace
   * record's time): from the last checkpoint before it, replaying the
   * recorded inputs. The live machine is paused meanwhile and left alone.
   */
  async travel(instret: number): Promise<TravelResult | RecordingErrorResult> {
    const live = this.machine;
    if (!live || this.replaying) return { error: 'Time travel needs a running machine (not while a replay runs).' };
    if (!Number.isSafeInteger(instret) || instret < 0) return { error: `${instret} is not an instruction count.` };
    if (instret > live.instret) return { error: 'That instant is in the future.' };
    this.target.pause();
    const cp = this.checkpoints.before(instret);
    if (!cp) return { error: 'No checkpoint that early is kept any more.' };
    if (cp.board === LATER && this.powerOn) cp.board = this.powerOn();
    const tree = new HostTree();
    const past = this.rebuild(cp.board, tree, 'discard');
    tree.clock = guestClock(past);
    const tracker = new TaskTracker();
    tracker.feed(cp.tasks.map((t) => ({ kind: 'task-create' as const, time: cp.instret, task: 0, ...t })));
    let out = '';
    past.onSerial = (b) => { for (const c of b) out += String.fromCharCode(c); };
    let traceOn = past.trace?.enabled ?? false;
    const replayer = new Replayer(past, tree, this.recorder?.all() ?? [], {
      setTrace: (on) => { traceOn = on; past.trace?.setEnabled(on); },
      drain: () => {
        if (!past.trace || !traceOn) return;
        tracker.feed(past.trace.drain().records);
      },
    });
    for (let i = 1; !replayer.step({ instret }, REPLAY_STEP_CYCLES); i++) {
      if (i % REPLAY_RUNS_PER_SLICE === 0) await new Promise((r) => setTimeout(r, 0));
    }
    this.viewing = { machine: past, console: this.console.upTo(cp.console) + out };
    return {
      instret: past.instret, cycles: past.cycles, hash: past.stateHash(), fromCheckpoint: cp.instret,
      tasks: tracker.rows(), console: this.viewing.console.slice(-CONSOLE_VIEW),
    };
  }

  /** Leaves the past view; the live machine resumes where it was. */
  backToLive(): void {
    this.viewing = null;
    this.target.resume();
  }

  /** Makes the viewed past the live machine (the later inputs are dropped: a new branch). */
  continueFromPast(): { ok: true; hash: string } | RecordingErrorResult {
    const v = this.viewing;
    if (!v || !this.recorder) return { error: 'Not viewing the past.' };
    const rec = this.recorder.recording({ cycles: v.machine.cycles, hash: v.machine.stateHash() });
    rec.inputs = rec.inputs.filter((x) => x.cycles < v.machine.cycles);
    const snap = v.machine.snapshot();
    this.viewing = null;
    const m = this.rebuild(snap, this.tree, 'live');
    this.adopt(m, rec, v.console.slice(-CONSOLE_KEEP), []);
    return { ok: true, hash: m.stateHash() };
  }
}

export interface ShareTarget {
  setTrace(on: boolean): void;
  pause(): void;
  resume(): void;
  tasks(): TaskRow[];
  /** Makes `m` the machine (a new epoch), paused; `console` is shown first, `tasks` seed the task table. */
  adopt(m: Machine, console: Uint8Array, tasks: SnapshotMeta['tasks']): void;
}

interface PastView {
  machine: Machine;
  console: string;
}

export interface TravelResult {
  instret: number;
  cycles: number;
  hash: string;
  /** The checkpoint the replay started from. */
  fromCheckpoint: number;
  /** The task table at that instant. */
  tasks: TaskRow[];
  /** The console's last output at that instant. */
  console: string;
}

const CONSOLE_KEEP = 64 * 1024;
const CONSOLE_VIEW = 4 * 1024;

export interface RecordingErrorResult { error: string }

/** The board of the power-on checkpoint until it is made (see afterBoot). */
const LATER = new Uint8Array(0);

/**
 * The snapshot `m` had at power-on, made later: the board built again from
 * m's configuration, with the host tree as `treeState` (saveTree) held then
 * and the trace switched as m's was.
 */
export function powerOnBoard(m: Machine, treeState: Uint8Array): () => Uint8Array {
  const config = m.config;
  const traceOn = m.trace?.enabled ?? false;
  let made: Uint8Array | null = null;
  return () => {
    if (made) return made;
    const tree = new HostTree();
    tree.restore(new StateReader(treeState));
    // The snapshot holds the card's MAC, not its backend: this board sends nothing anywhere.
    const net = config.net ? { backend: { transmit: () => {} }, mac: config.net.mac } : undefined;
    const fresh = new MachineClass({ ...config, hostFs: config.hostFs ? new NinePServer(tree) : undefined, net });
    fresh.trace?.setEnabled(traceOn);
    made = fresh.snapshot();
    return made;
  };
}

export function saveTree(tree: HostTree): Uint8Array {
  const w = new StateWriter();
  tree.save(w);
  return w.finish();
}

export { RecordingError };
