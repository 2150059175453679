// A busy loop: spins without calling the kernel (no IPC, no yield), yet the
// shell stays responsive because the kernel's timer preempts the task. It
// prints a line every second of guest time and stops after SECONDS; kill it
// early from the Tasks panel (or `kill <id>` at the shell).
import { nowNs, println } from "../../sdk/assembly";

const SECONDS = 10;

// Written by the loop so the optimizer cannot drop the work.
let state: u32 = 0x9e3779b9;

export function main(): i32 {
  const start = nowNs();
  for (let s = 1; s <= SECONDS; s++) {
    const until = start + <i64>s * 1000000000;
    let spins: i64 = 0;
    while (nowNs() < until) {
      // xorshift32 steps between clock reads: real work, little kernel traffic.
      for (let i = 0; i < 4096; i++) {
        let x = state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        state = x;
      }
      spins += 4096;
    }
    println("busy loop: " + s.toString() + " s, " + spins.toString() + " steps this second");
  }
  println("busy loop: done (state " + state.toString(16) + ")");
  return 0;
}
