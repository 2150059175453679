// Guest time (deterministic on the board: it counts guest instructions, not
// host time) and sleeping.
import { wasmos_clock_ms, wasmos_clock_ns, wasmos_instret, wasmos_sleep, wasmos_timer_set } from "./imports";

/** Milliseconds since boot. */
export function nowMs(): i64 {
  return wasmos_clock_ms();
}

/** Nanoseconds since boot. */
export function nowNs(): i64 {
  return wasmos_clock_ns();
}

/** Guest instructions this task has run so far. */
export function instructions(): i64 {
  return wasmos_instret();
}

/** Blocks the task for ms milliseconds. 0 or an error. */
export function sleep(ms: i32): i32 {
  return wasmos_sleep(ms);
}

/** Asks for one MSG_NOTIFY with NOTIFY_TIMER after ms milliseconds (0 cancels). */
export function setTimer(ms: i32): i32 {
  return wasmos_timer_set(ms);
}
