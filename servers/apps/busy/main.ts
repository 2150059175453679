// Shows preemption: `busy` spins forever without calling the kernel (no IPC,
// no yield), yet the other tasks and the shell keep running because the
// kernel's timer preempts it. `busy SECONDS` stops after that much guest time,
// which costs one clock read per 65,536 iterations.
import { argCount, nowNs, println } from "../../sdk/assembly";
import { intArg } from "../lib/args";

const PROG = "busy";

// A global the loop writes, so the optimizer cannot drop the work.
let state: u32 = 0x9e3779b9;

/** One step of xorshift32: some real work per iteration. */
@inline function step(): void {
  let x = state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state = x;
}

export function main(): i32 {
  if (argCount() < 2) {
    println(PROG + ": spinning forever (kill me, or Ctrl-C)");
    for (;;) step();
  }
  const seconds = intArg(PROG, 1, "SECONDS", 1, 0, 86400);
  println(PROG + ": spinning for " + seconds.toString() + " s of guest time");
  const start = nowNs();
  const until = start + <i64>seconds * 1000000000;
  let iterations: i64 = 0;
  do {
    for (let i = 0; i < 65536; i++) step();
    iterations += 65536;
  } while (nowNs() < until);
  const ms = (nowNs() - start) / 1000000;
  println(PROG + ": done after " + ms.toString() + " ms, " + iterations.toString() + " iterations (state " + state.toString(16) + ")");
  return 0;
}
