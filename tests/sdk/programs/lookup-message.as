// Looks example-echo up by message (service_lookup to the kernel, the IDL's
// 64-byte name field) before the service has registered, and compares the
// answer with env.ipc_lookup's. Used by board.test.ts.
import { Message, ServiceLookup, ServiceLookupReply, TASK_KERNEL, call, errorText, lookup, println } from "./index";

export function main(): i32 {
  const m = Message.alloc();
  ServiceLookup.init(m).name = "example-echo";
  const r = call(TASK_KERNEL, m);
  if (r < 0) {
    println("lookup by message: " + errorText(r));
    return 1;
  }
  const same = ServiceLookupReply.at(m).task == lookup("example-echo");
  println("lookup by message: " + (same ? "same task" : "different tasks"));
  return same ? 0 : 2;
}
