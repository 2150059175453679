// A task that dies, and only that task: after a short countdown it reads past
// the end of its own linear memory. The kernel ends it with a trap (exit
// reason EXIT_WASM_TRAP) and logs why; the shell and every other task carry on.
// Change HOW to "unreachable" or "assert" to see the other ways a task dies.
import { println, sleep } from "../../sdk/assembly";

const HOW: string = "oob";

export function main(): i32 {
  for (let i = 3; i > 0; i--) {
    println("trap demo: " + i.toString() + "...");
    sleep(200);
  }
  if (HOW == "unreachable") {
    println("trap demo: executing unreachable");
    unreachable();
  }
  if (HOW == "assert") {
    println("trap demo: failing an assertion");
    assert(HOW != "assert", "the trap demo asked for it");
  }
  // memory.size() is only known at run time, so the optimizer cannot fold this away.
  const end = <usize>memory.size() << 16;
  println("trap demo: reading 4 bytes at 0x" + end.toString(16) + ", the end of my linear memory");
  const v = load<u32>(end);
  println("trap demo: read " + v.toString() + " (isolation is broken!)");
  return 1;
}
