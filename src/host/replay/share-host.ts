// The worker's share features, next to the MachineController: it records the
// running session (Recorder), replays a recording opened from a link
// (Replayer, at full speed, then hands the machine to the user) and answers
// for links. The controller calls its hooks at boot, in its slice loop and
// when the host changes something; the page reaches it as controller.share.
import type { Machine, StopReason } from '../../board/machine.ts';
import { StateReader, StateWriter } from '../../board/state-stream.ts';
import type { HostTree } from '../9p/index.ts';
import { buildId } from './build-id.ts';
import { MAX_LINK_CHARS, packRecording, recordingFragment, unpackRecording } from './link.ts';
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
/** Guest cycles per replay step between yields to the worker's event loop. */
export const REPLAY_STEP_CYCLES = 20_000_000;

export class ShareHost {
  private recorder: Recorder | null = null;
  private pending: Recording | null = null;
  private replaying: { rec: Recording; replayer: Replayer | null } | null = null;
  private progress: ReplayProgress | null = null;
  private machine: Machine | null = null;
  private build = '';

  private pauseAtEnd = true;

  constructor(
    private readonly tree: HostTree,
    private readonly setTrace: (on: boolean) => void,
    /** Stops the machine at the recorded instant (the user resumes it). */
    private readonly pause: () => void = () => {},
  ) {
    tree.onChange((c) => {
      if (this.machine) this.recorder?.treeChange(this.machine.cycles, c, tree);
    });
  }

  /**
   * Checks a packed recording against the OS build `facts` names; when it fits,
   * the next boot replays it.
   */
  open(packed: Uint8Array, facts: BootFacts, options: { pauseAtEnd?: boolean } = {}): OpenResult {
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
    this.recorder?.watch(m);
    if (this.replaying) this.replaying.replayer = new Replayer(m, this.tree, this.replaying.rec.inputs, { setTrace: this.setTrace });
  }

  /** The machine was dropped (shutdown, a failed boot). */
  detach(): void { this.machine = null; this.replaying = null; }

  /** True while a replay drives the machine: the controller runs replaySlice instead of its paced slices. */
  get isReplaying(): boolean { return this.replaying !== null; }

  /** Host input is refused while replaying: it would not be in the recording. */
  get acceptsInput(): boolean { return this.replaying === null; }

  /** One bounded step of the replay; `afterRun` drains the trace as in a live slice. */
  replaySlice(afterRun: (stop: StopReason) => void): void {
    const r = this.replaying;
    if (!r?.replayer) return;
    const m = r.replayer.machine;
    const done = r.replayer.step({ cycles: r.rec.end.cycles }, REPLAY_STEP_CYCLES, afterRun);
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
    if (this.pauseAtEnd) this.pause();
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
  link(): ShareLink | RecordingErrorResult {
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
}

export interface RecordingErrorResult { error: string }

export function saveTree(tree: HostTree): Uint8Array {
  const w = new StateWriter();
  tree.save(w);
  return w.finish();
}

export { RecordingError };
