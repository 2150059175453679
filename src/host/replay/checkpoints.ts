// Periodic in-memory board snapshots for time travel. At most MAX are kept,
// together at most MAX_BYTES: when over, every other one is dropped and the
// interval doubles, so they always cover the whole session (recent and old
// instants alike) in bounded memory. The first one is taken at power-on, so
// every instant is reachable. The interval trades the live machine's time
// (a snapshot scans all of RAM: tens of ms) against how far a travel replays.
export interface Checkpoint {
  cycles: number;
  instret: number;
  /** Machine.snapshot() (uncompressed: restoring must be quick). */
  board: Uint8Array;
  /** ConsoleLog.total then. */
  console: number;
  tasks: Array<{ id: number; parent: number; priority: number; name: string }>;
}

export const CHECKPOINT_INTERVAL = 50_000_000;
export const MAX_CHECKPOINTS = 8;
export const MAX_BYTES = 96 * 1024 * 1024;

export class Checkpoints {
  private list: Checkpoint[] = [];
  interval = CHECKPOINT_INTERVAL;

  clear(): void { this.list = []; this.interval = CHECKPOINT_INTERVAL; }

  get count(): number { return this.list.length; }

  due(instret: number): boolean {
    const last = this.list[this.list.length - 1];
    return last === undefined || instret - last.instret >= this.interval;
  }

  add(cp: Checkpoint): void {
    this.list.push(cp);
    const bytes = (): number => this.list.reduce((n, c) => n + c.board.length, 0);
    while (this.list.length > 2 && (this.list.length > MAX_CHECKPOINTS || bytes() > MAX_BYTES)) {
      this.list = this.list.filter((_, i) => i % 2 === 0 || i === this.list.length - 1);
      this.interval *= 2;
    }
  }

  /** The latest checkpoint at or before `instret`. */
  before(instret: number): Checkpoint | null {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.instret <= instret) return this.list[i]!;
    return null;
  }
}
