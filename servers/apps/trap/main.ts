// Shows isolation: `trap` reads past the end of its own linear memory, the
// kernel ends this task alone with a trap message naming the module, and
// everything else keeps running. `trap unreachable` and `trap abort` (an
// AssemblyScript assert) show the other ways a task dies. Built with --debug
// (asc.json) so the module keeps its name section and the kernel's trap message
// names the function too.
import { argCount, arg, println } from "../../sdk/assembly";

export function main(): i32 {
  const how = argCount() > 1 ? arg(1) : "oob";
  if (how == "oob") {
    // memory.size() is only known at run time: the optimizer cannot fold the access away.
    const end = <usize>memory.size() << 16;
    println("trap: reading 4 bytes at 0x" + end.toString(16) + ", the end of my " + (end >> 10).toString() + " KiB of linear memory");
    const v = load<u32>(end);
    println("trap: read " + v.toString() + " (isolation is broken!)");
    return 1;
  }
  if (how == "unreachable") {
    println("trap: executing unreachable");
    unreachable();
  }
  if (how == "abort") {
    println("trap: failing an assertion");
    assert(argCount() < 2, "trap abort asked for it");
  }
  println("trap: unknown kind '" + how + "' (oob, unreachable, abort)");
  return 2;
}
