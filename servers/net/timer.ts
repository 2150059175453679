// The server's one wake-up time: the earliest deadline of any protocol timer.
// Whoever sets a deadline calls wakeAt, so the loop can skip the timer scan on
// turns where nothing is due (each scan costs thousands of guest instructions
// in the interpreter, and a transfer makes thousands of turns a second).
export let nextWake: i64 = 0;

export function wakeAt(at: i64): void {
  if (at < nextWake) nextWake = at;
}

export function setNextWake(at: i64): void {
  nextWake = at;
}
