// A clock for the host tree that follows guest time instead of the host's:
// the board's RTC reading (its configured epoch plus guest time since power
// on), so mtimes the guest sees agree with its own clock and a run stays a
// pure function of its inputs (replays and snapshots give the same mtimes).
import type { Machine } from '../../board/machine.ts';

/** Milliseconds since 1970 on `machine`'s RTC; give it to HostTree as `clock`. */
export function guestClock(machine: Pick<Machine, 'clock' | 'config'>): () => number {
  return () => machine.config.rtcEpochNs / 1e6 + machine.clock.nanos() / 1e6;
}
