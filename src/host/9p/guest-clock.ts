// A clock for the host tree that follows guest time instead of the host's:
// the board's RTC reading (its configured epoch plus guest time since power
// on), so mtimes the guest sees agree with its own clock and a run stays a
// pure function of its inputs (replays and snapshots give the same mtimes).
//
// It reads the hart's cycle count, not the board's Clock, which is brought up
// to date lazily (timer deadlines, device access): between slices, where the
// host writes, the Clock may lag, and by a different amount after a restore
// or in a replay than on the original board.
import { nanosAt } from '../../board/clock.ts';
import type { Machine } from '../../board/machine.ts';

/** Milliseconds since 1970 on `machine`'s RTC; give it to HostTree as `clock`. */
export function guestClock(machine: Pick<Machine, 'cycles' | 'config'>): () => number {
  return () => machine.config.rtcEpochNs / 1e6 + nanosAt(machine.cycles) / 1e6;
}
