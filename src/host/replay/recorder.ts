// Collects a session's host inputs as they happen: the board's own input log
// (serial, mailbox, net: read from the machine), host-side changes to the
// /host tree and trace switches (told by the controller). A host-side action
// happens between slices at the current cycle count, before the inputs the
// next slice applies at that same count; syncing the machine's log before
// appending one keeps the list in exactly that order.
import type { Machine } from '../../board/machine.ts';
import type { HostTree, TreeChange } from '../9p/index.ts';
import { RECORDING_VERSION, type BoardSetup, type RecordedInput, type Recording } from './recording.ts';

export class Recorder {
  private readonly inputs: RecordedInput[];
  private machine: Machine | null = null;
  private seen = 0;
  /** While a replay drives the machine, its inputs are already in the list. */
  muted = false;
  /** Set when a host change happened that a recording cannot express; replays would diverge. */
  inexact: string | null = null;

  constructor(readonly build: string, readonly board: BoardSetup, readonly tree: Uint8Array, inputs: RecordedInput[] = []) {
    this.inputs = inputs.slice();
  }

  /** Follows `m`'s input log from now on (entries already in it are not taken). */
  watch(m: Machine): void {
    this.machine = m;
    this.seen = m.inputLog.length;
  }

  private sync(): void {
    const m = this.machine;
    if (!m || this.muted) return;
    for (; this.seen < m.inputLog.length; this.seen++) {
      const x = m.inputLog[this.seen]!;
      this.inputs.push({ cycles: x.cycles, kind: x.kind, data: x.data });
    }
  }

  trace(cycles: number, on: boolean): void {
    if (this.muted) return;
    this.sync();
    this.inputs.push({ cycles, kind: 'trace', data: Uint8Array.of(on ? 1 : 0) });
  }

  /** A change to the host tree; only host-side ones are inputs (the guest's follow from the rest). */
  treeChange(cycles: number, change: TreeChange, tree: HostTree): void {
    if (this.muted || change.origin !== 'host') return;
    this.sync();
    const empty = new Uint8Array(0);
    switch (change.op) {
      case 'create':
        // A file's creation is followed by its 'write' (HostTree.writeFile), which carries it.
        if (change.kind === 'dir') this.inputs.push({ cycles, kind: 'mkdir', path: change.path, data: empty });
        break;
      case 'write':
        this.inputs.push({ cycles, kind: 'file', path: change.path, data: tree.readFile(change.path) });
        break;
      case 'remove':
        this.inputs.push({ cycles, kind: 'remove', path: change.path, data: empty });
        break;
      case 'rename':
        this.inputs.push({ cycles, kind: 'rename', path: change.from!, to: change.path, data: empty });
        break;
      default:
        this.inexact ??= `a host-side ${change.op} of ${change.path}`;
    }
  }

  /** Every input so far. */
  all(): RecordedInput[] {
    this.sync();
    return this.inputs.slice();
  }

  recording(end: { cycles: number; hash: string }): Recording {
    return { version: RECORDING_VERSION, build: this.build, board: { ...this.board }, tree: this.tree, inputs: this.all(), end };
  }
}
