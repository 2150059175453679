// The host mailbox ("wasmos,mailbox", docs/devices.md): the page or the CLI
// asks the OS to spawn a program or kill a task even while the console is busy.
// init drives it because it already holds all-devices and kill-any and is the
// one that spawns programs. init cannot grant an IRQ to itself (only spawn_ex
// hands IRQs out), so it POLLS: the service loop receives with a timeout
// (POLL_MS) and looks at the mailbox after every message or timeout. Commands:
//   spawn PATH [ARG...]  ->  "ok TASK" | "error E_NAME detail"
//   kill TASK            ->  "ok" | "error E_NAME detail"
import { E_INVALID, errorText, wasmos_device_find, wasmos_mmio_read, wasmos_mmio_write } from "../sdk/assembly";
import { argBlock } from "./spawn";
import { killProgram, spawnProgram } from "./proc";

/** How long init's service loop waits for a message before looking at the mailbox. */
export const POLL_MS = 50;

const MAGIC: i64 = 0x58424d57; // "WMBX"
const IN_LEN: u32 = 0x04;
const IN_POP: u32 = 0x08;
const OUT_LEN: u32 = 0x0c;
const IN_BUF: u32 = 0x100;
const OUT_BUF: u32 = 0x600;
const BUF_SIZE: u32 = 0x400;

let base: u32 = 0;
const found = memory.data(12, 4);

/** Finds the device; true when there is a mailbox to poll. */
export function mailboxInit(): bool {
  const compat = String.UTF8.encode("wasmos,mailbox", true);
  if (wasmos_device_find(changetype<usize>(compat), 0, found) < 0) return false;
  const b = load<u32>(found);
  if (wasmos_mmio_read(b, 4) != MAGIC) return false;
  base = b;
  return true;
}

// The oldest pending command as a string, or null when there is none.
function readCommand(): string | null {
  const len = wasmos_mmio_read(base + IN_LEN, 4);
  if (len <= 0) return null;
  const n = <u32>min<i64>(len, <i64>BUF_SIZE);
  const buf = new Uint8Array(<i32>n);
  for (let i: u32 = 0; i < n; i += 4) {
    const w = wasmos_mmio_read(base + IN_BUF + i, 4);
    const word = w < 0 ? 0 : <u32>w;
    for (let k: u32 = 0; k < 4 && i + k < n; k++) buf[<i32>(i + k)] = <u8>(word >> (8 * k));
  }
  return String.UTF8.decode(buf.buffer);
}

function writeReply(text: string): void {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  const n = <u32>min<i32>(bytes.length, <i32>BUF_SIZE);
  for (let i: u32 = 0; i < n; i += 4) {
    let word: u32 = 0;
    for (let k: u32 = 0; k < 4 && i + k < n; k++) word |= (<u32>bytes[<i32>(i + k)]) << (8 * k);
    wasmos_mmio_write(base + OUT_BUF + i, 4, word);
  }
  wasmos_mmio_write(base + OUT_LEN, 4, n);
}

function errorReply(code: i32, detail: string): string {
  return "error " + errorText(code) + " " + detail;
}

// "12" -> 12; -1 for anything that is not a positive decimal number.
function parseTask(s: string): i32 {
  if (s.length == 0 || s.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function words(line: string): string[] {
  const parts = line.split(" ");
  const out = new Array<string>(0);
  for (let i = 0; i < parts.length; i++) if (parts[i].length > 0) out.push(parts[i]);
  return out;
}

function execute(line: string): string {
  const w = words(line.trim());
  if (w.length == 0) return errorReply(E_INVALID, "empty command");
  const verb = w[0];
  if (verb == "spawn") {
    if (w.length < 2) return errorReply(E_INVALID, "usage: spawn PATH [ARG...]");
    const args = argBlock(w.slice(2));
    const task = spawnProgram(w[1], args.dataStart, <u32>args.length, 0);
    if (task < 0) return errorReply(task, w[1]);
    return "ok " + task.toString();
  }
  if (verb == "kill") {
    const task = w.length == 2 ? parseTask(w[1]) : -1;
    if (task <= 0) return errorReply(E_INVALID, "usage: kill TASK");
    const r = killProgram(task);
    if (r < 0) return errorReply(r, "task " + w[1]);
    return "ok";
  }
  return errorReply(E_INVALID, "unknown command: " + verb);
}

/** Answers every pending command (call only after mailboxInit returned true); true if there was one. */
export function mailboxPoll(): bool {
  let any = false;
  for (let guard = 0; guard < 64; guard++) {
    const cmd = readCommand();
    if (cmd === null) break;
    any = true;
    const answer = execute(cmd);
    // Pop first, then reply: once the host hears the reply, the command is gone.
    wasmos_mmio_write(base + IN_POP, 4, 1);
    writeReply(answer);
  }
  return any;
}
