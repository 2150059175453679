// The smallest WasmOS program: prints who it is, its arguments and the time.
// Run it with arguments: `run /boot/examples/hello.wasm one two`.
import { argCount, arg, nowMs, println, taskId } from "../../sdk/assembly";

export function main(): i32 {
  println("Hello from WasmOS! I am task " + taskId().toString() + ", up for " + nowMs().toString() + " ms.");
  for (let i = 1; i < argCount(); i++) println("  argument " + i.toString() + ": " + arg(i));
  return 0;
}
