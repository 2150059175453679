// Test client for sdk.test.ts. With no argument it runs every check and
// returns 0 or the number of the first one that failed; "panic" and "abort"
// end the task the two ways the SDK stops a program.
import {
  E_NOT_FOUND,
  E_UNSUPPORTED,
  E_WOULD_BLOCK,
  IPC_ANY,
  IPC_POLL,
  Message,
  Ping,
  PingReply,
  ServiceLookup,
  ServiceLookupReply,
  TASK_KERNEL,
  TcpipData,
  TcpipRead,
  arg,
  argCount,
  call,
  check,
  errorText,
  instructions,
  lookup,
  lookupTimeout,
  nowMs,
  nowNs,
  println,
  recvTimeout,
  register,
  send,
  sleep,
  taskId,
  useConsole,
} from "./index";

export function main(): i32 {
  const mode = argCount() > 1 ? arg(1) : "";
  if (mode == "panic") {
    check(lookupTimeout("nobody", 0), "lookup nobody");
    return 0;
  }
  if (mode == "abort") {
    assert(taskId() < 0, "deliberate");
    return 0;
  }
  if (mode == "long") {
    println(arg(2).length.toString() + " " + arg(2).slice(0, 3) + " [" + arg(9) + "]");
    return 0;
  }

  const m = Message.alloc();

  // The kernel answers ping itself.
  Ping.init(m).value = 1234;
  if (call(TASK_KERNEL, m) != 0 || PingReply.at(m).value != 1234) return 1;

  // Register through the import, look up through the kernel's message.
  if (register("probe-client") != 0) return 2;
  ServiceLookup.init(m).name = "probe-client";
  if (call(TASK_KERNEL, m) != 0 || ServiceLookupReply.at(m).task != taskId()) return 3;
  if (lookupTimeout("nobody", 0) != E_NOT_FOUND) return 4;
  if (recvTimeout(IPC_ANY, m, IPC_POLL) != E_WOULD_BLOCK) return 5;

  // A lookup by message waits for the registration like ipc_lookup.
  ServiceLookup.init(m).name = "probe-service";
  if (call(TASK_KERNEL, m) != 0) return 13;
  const byMessage = ServiceLookupReply.at(m).task;

  // Oneway messages, then a call that reports how many arrived.
  const svc = lookup("probe-service");
  if (svc <= 0 || svc != byMessage) return 6;
  TcpipData.init(m).sock = 5;
  if (send(svc, m) != 0) return 7;
  TcpipData.init(m).sock = 6;
  if (send(svc, m) != 0) return 8;
  Ping.init(m);
  if (call(svc, m) != 0 || PingReply.at(m).value != 206) return 9;

  // An error reply comes back as the call's result.
  TcpipRead.init(m);
  if (call(svc, m) != E_UNSUPPORTED) return 10;
  if (errorText(E_UNSUPPORTED) != "E_UNSUPPORTED" || errorText(-999) != "error -999") return 11;

  // Output through a console server, then back to the kernel console.
  useConsole(svc);
  println("through the console server");
  useConsole(0);
  println("through the kernel");

  if (nowMs() <= 0 || nowNs() <= 0 || instructions() <= 0 || sleep(1) != 0) return 12;
  println("all checks passed");
  return 0;
}
