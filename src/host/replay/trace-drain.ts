// When the host empties the kernel's trace ring. The ring lives in guest RAM
// and the host, its consumer, writes the ring's tail there, so the instants
// of draining are visible to the guest: the kernel reads the tail for every
// record it writes (free space), values derived from it linger in registers
// and from there in saved contexts and dead stack slots (seen: the a5 that the
// M-mode trap entry saves), and a full ring drops records. Draining at the end
// of each live slice — an instant chosen by host timing — therefore made a
// replay's state hash differ now and then (and always once the ring filled).
// So the host drains only at instants that are a function of guest time alone:
// every multiple of TRACE_DRAIN_CYCLES guest cycles, and at power-off (nothing
// runs after it). Live slices, replays and time travel all stop at those
// instants and drain there and nowhere else.
import type { Machine, StopReason } from '../../board/machine.ts';

/**
 * Guest cycles between drains (2.5 ms of guest time). Small enough that the
 * 256 KiB ring does not fill in busy IPC (2 M did now and then); live slices
 * are several such runs between yields, so the cost is a call per run.
 */
export const TRACE_DRAIN_CYCLES = 250_000;

/** The first drain instant after `cycles`. */
export function nextDrainAt(cycles: number): number {
  return (Math.floor(cycles / TRACE_DRAIN_CYCLES) + 1) * TRACE_DRAIN_CYCLES;
}

/** Whether a run that stopped with `stop` at `cycles` ends at a drain instant. */
export function drainDue(cycles: number, stop: StopReason): boolean {
  return stop.kind === 'poweroff' || cycles % TRACE_DRAIN_CYCLES === 0;
}

/**
 * Runs `m` for up to `cycles` guest cycles (what one `m.run(cycles)` would do)
 * as runs that end at the drain instants on the way, calling `drain` there.
 * Instants while the hart waits in WFI are passed over: once drained, the ring
 * cannot change before the guest runs again, so draining again then is a no-op
 * (and a guest sleeping for seconds costs one run, not one per instant).
 * Returns early as m.run does: power-off, a guest reset, or an idle stop for a
 * network frame that arrived during the run (the caller applies it at once).
 * A guest that idles at the end of the budget until after the next drain
 * instant idles on to that instant (it is only skipped time), so its last
 * records are drained before the caller sleeps, not when the guest next wakes.
 */
export function runWithDrains(m: Machine, cycles: number, drain: () => void): StopReason {
  let end = m.cycles + Math.max(0, Math.floor(cycles));
  // The guest idles (and so writes no records) until this cycle count at least.
  let idleUntil = m.cycles;
  for (;;) {
    const stop = m.run(Math.min(end, nextDrainAt(Math.max(m.cycles, idleUntil))) - m.cycles);
    if (drainDue(m.cycles, stop)) drain();
    if (stop.kind === 'poweroff' || stop.kind === 'reset') return stop;
    if (stop.kind === 'idle' && stop.until <= m.cycles) return stop;
    idleUntil = stop.kind === 'idle' ? stop.until : m.cycles;
    if (m.cycles < end) continue;
    if (stop.kind !== 'idle' || m.cycles % TRACE_DRAIN_CYCLES === 0 || stop.until <= nextDrainAt(m.cycles)) return stop;
    end = nextDrainAt(m.cycles);
  }
}
