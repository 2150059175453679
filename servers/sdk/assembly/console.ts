// Text output. By default it goes to the kernel console (wasmos.debug_print:
// the UART, and the trace log); useConsole(task) sends it to a console server
// as console_write messages instead, falling back to the kernel console if that
// server stops answering.
import { wasmos_debug_print } from "./imports";
import { call } from "./ipc";
import { Message } from "./message";
import { ConsoleWrite } from "./messages";

let consoleTask: i32 = 0;
let consoleMsg: Message | null = null;

/** Sends later output to the console server `task` (0: back to the kernel console). */
export function useConsole(task: i32): void {
  consoleTask = task;
  if (task > 0 && consoleMsg === null) consoleMsg = Message.alloc();
}

/** Writes len bytes at ptr as they are. */
export function printBytes(ptr: usize, len: u32): void {
  let off: u32 = 0;
  const m = consoleMsg;
  while (consoleTask > 0 && m !== null && off < len) {
    const n = min(len - off, 1024);
    const w = ConsoleWrite.init(m);
    memory.copy(w.data_ptr(), ptr + off, n);
    w.data_len = n;
    if (call(consoleTask, w) < 0) consoleTask = 0;
    else off += n;
  }
  if (off < len) wasmos_debug_print(ptr + off, len - off);
}

/** Writes s as UTF-8. */
export function print(s: string): void {
  const b = String.UTF8.encode(s);
  printBytes(changetype<usize>(b), <u32>b.byteLength);
}

/** Writes s and a newline. */
export function println(s: string = ""): void {
  print(s + "\n");
}
