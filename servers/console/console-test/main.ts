// A test client of the console server (tests/servers/console.test.ts). With
// the argument "spin" it only burns CPU (a foreground task for Ctrl-C to
// kill). Otherwise it reads lines and prints each as `line: [text]`, with
// `interrupted` for E_INTERRUPTED and `end` for E_END; before each read it
// writes the prompt "> " through console_write, as a shell does. It obeys a
// few lines:
//   raw         one console_read of up to 8 bytes, printed as hex
//   fg N        makes task N the foreground, waits 300 ms (guest), clears it
//   sleep N     sleeps N ms (input meanwhile is type-ahead)
//   kill N      kills task N (the manifest grants kill-any)
// With the argument "reader" it reads lines too, printed as `reader: [text]`.
//   quit        exits 0
//   poweroff    powers the machine off (the manifest grants `system`)
import {
  ConsoleRead, ConsoleReadLine, ConsoleReadLineReply, ConsoleReadReply, ConsoleSetForeground, E_END,
  E_INTERRUPTED, Message, arg, argCount, call, check, errorText, kill, lookup, print, println, sleep, useConsole, wasmos_system,
} from "../../sdk/assembly";

function hex(ptr: usize, n: u32): string {
  let s = "";
  for (let i: u32 = 0; i < n; i++) {
    const b = load<u8>(ptr + <usize>i);
    s += (i > 0 ? " " : "") + (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

function setForeground(console: i32, m: Message, task: i32): void {
  ConsoleSetForeground.init(m).task = task;
  check(call(console, m), "console_set_foreground");
}

export function main(): i32 {
  if (argCount() > 1 && arg(1) == "spin") {
    let x: u32 = 1;
    while (x != 0) x = x * 1103515245 + 12345 | 1; // never ends: killed by Ctrl-C
    return <i32>x;
  }
  const console = check(lookup("console"), "lookup console");
  const m = Message.alloc();
  if (argCount() > 1 && arg(1) == "reader") {
    for (;;) {
      ConsoleReadLine.init(m);
      const r = call(console, m);
      println(r < 0 ? "reader: " + errorText(r) : "reader: [" + ConsoleReadLineReply.at(m).line + "]");
    }
  }
  println("client: ready");
  for (;;) {
    useConsole(console);
    print("> ");
    useConsole(0);
    ConsoleReadLine.init(m);
    const r = call(console, m);
    if (r == E_INTERRUPTED) {
      println("interrupted");
      continue;
    }
    if (r == E_END) {
      println("end");
      continue;
    }
    if (r < 0) {
      println("read_line: " + errorText(r));
      return 1;
    }
    const line = ConsoleReadLineReply.at(m).line;
    println("line: [" + line + "]");
    if (line == "quit") return 0;
    if (line == "poweroff") wasmos_system(1);
    if (line == "raw") {
      ConsoleRead.init(m).max_len = 8;
      const e = call(console, m);
      if (e < 0) println("read: " + errorText(e));
      else println("raw: " + hex(ConsoleReadReply.at(m).data_ptr(), ConsoleReadReply.at(m).data_len));
    } else if (line.startsWith("fg ")) {
      setForeground(console, m, I32.parseInt(line.substring(3)));
      println("fg set");
      sleep(300);
      setForeground(console, m, 0);
      println("fg done");
    } else if (line.startsWith("kill ")) {
      const e = kill(I32.parseInt(line.substring(5)));
      println(e < 0 ? "kill: " + errorText(e) : "killed");
    } else if (line.startsWith("sleep ")) {
      sleep(I32.parseInt(line.substring(6)));
    }
  }
  return 0; // not reached: the loop ends by returning
}
