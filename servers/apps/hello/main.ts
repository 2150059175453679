// The first program to run: greets and lists its arguments.
// `hello one two` prints "Hello from WasmOS!" then each argument on its line.
import { argCount, arg, println } from "../../sdk/assembly";

export function main(): i32 {
  println("Hello from WasmOS!");
  for (let i = 1; i < argCount(); i++) println("  arg " + i.toString() + ": " + arg(i));
  return 0;
}
