// init.rc: what init starts, one `server` or `shell` line each, in the kernel
// manifest's syntax (docs/kernel.md "The boot archive"): words separated by
// blanks, values bare or "double-quoted" (\" and \\ the only escapes), `#`
// starting a comment where a word could start. A bad line is reported with its
// number and skipped; it never stops the others.
import { Entry, FLAG_ALL_DEVICES, FLAG_KILL_ANY, FLAG_SYSTEM, MAX_DEVICES } from "./entry";
import { cutUtf8, utf8Length } from "./text";

/** What parsing gave: the entries in file order, and one message per bad line. */
export class RcFile {
  entries: Entry[] = [];
  errors: string[] = [];
}

const ARGS_MAX = 4096; // the kernel's argument block (WASM_ARGS_MAX)
const LIST_MAX = 255; // uses/provides, as the kernel copies them (256 with the NUL)
const NAME_MAX = 23; // a task name (TASK_NAME_MAX 24 with the NUL)
const FILE_MAX = 55; // a boot archive name

// A line being read: the text and a position in it.
class Cursor {
  constructor(public s: string, public i: i32 = 0) {}
  get done(): bool {
    return this.i >= this.s.length;
  }
  get c(): i32 {
    return this.s.charCodeAt(this.i);
  }
}

function isBlank(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d;
}

function skipBlanks(cur: Cursor): void {
  while (!cur.done && isBlank(cur.c)) cur.i++;
}

// Reads a key up to '=' or a blank; `hasValue` tells whether '=' followed.
let hasValue = false;
function readKey(cur: Cursor): string {
  const start = cur.i;
  while (!cur.done && !isBlank(cur.c) && cur.c != 0x3d) cur.i++;
  const key = cur.s.substring(start, cur.i);
  hasValue = !cur.done && cur.c == 0x3d;
  if (hasValue) cur.i++;
  return key;
}

// Reads a bare or quoted value; null when malformed (unterminated quote, a
// quote inside a bare value, an unknown escape, junk right after the quote).
function readValue(cur: Cursor): string | null {
  if (!cur.done && cur.c == 0x22) {
    cur.i++;
    let out = "";
    for (;;) {
      if (cur.done) return null;
      let ch = cur.c;
      cur.i++;
      if (ch == 0x22) break;
      if (ch == 0x5c) {
        if (cur.done || (cur.c != 0x22 && cur.c != 0x5c)) return null;
        ch = cur.c;
        cur.i++;
      }
      if (ch == 0) return null;
      out += String.fromCharCode(ch);
    }
    if (!cur.done && !isBlank(cur.c)) return null;
    return out;
  }
  const start = cur.i;
  while (!cur.done && !isBlank(cur.c)) {
    if (cur.c == 0x22 || cur.c == 0) return null;
    cur.i++;
  }
  return cur.s.substring(start, cur.i);
}

/** Decimal bytes with an optional K, M or G (binary) suffix; -1 if malformed or over 4 GiB - 1. */
export function parseSize(s: string): i64 {
  let v: i64 = 0;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
    v = v * 10 + <i64>(s.charCodeAt(i) - 0x30);
    if (v > 0xffffffff) return -1;
    i++;
  }
  if (i == 0) return -1;
  let shift: i64 = 0;
  if (i < s.length) {
    const c = s.charCodeAt(i) | 0x20; // lower case
    if (c == 0x6b) shift = 10;
    else if (c == 0x6d) shift = 20;
    else if (c == 0x67) shift = 30;
    else return -1;
    i++;
  }
  if (i != s.length) return -1;
  v <<= shift;
  return v > 0xffffffff ? -1 : v;
}

// Comma-separated flag names -> FLAG_* bits; -1 for an unknown name.
function parseFlags(s: string): i32 {
  let bits = 0;
  const words = s.split(",");
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w == "all-devices") bits |= FLAG_ALL_DEVICES;
    else if (w == "kill-any") bits |= FLAG_KILL_ANY;
    else if (w == "system") bits |= FLAG_SYSTEM;
    else return -1;
  }
  return bits;
}

// A service list is names separated by commas, none empty.
function validList(s: string): bool {
  if (s.length == 0 || utf8Length(s) > LIST_MAX) return false;
  const words = s.split(",");
  for (let i = 0; i < words.length; i++) if (words[i].length == 0) return false;
  return true;
}

// Applies key=value to e; an error message, or null.
function applyKey(e: Entry, key: string, v: string): string | null {
  if (key == "name") {
    const n = utf8Length(v);
    if (n < 1 || n > NAME_MAX) return "name must be 1.." + NAME_MAX.toString() + " bytes";
    e.name = v;
  } else if (key == "arg") {
    e.argBytes += utf8Length(v) + 1;
    if (e.argBytes > ARGS_MAX) return "arguments over " + ARGS_MAX.toString() + " bytes";
    e.args.push(v);
  } else if (key == "quota") {
    const q = parseSize(v);
    if (q < 0) return "bad quota \"" + v + "\" (bytes, with K, M or G)";
    e.quota = <u32>q;
  } else if (key == "priority") {
    if (v.length != 1 || v.charCodeAt(0) < 0x31 || v.charCodeAt(0) > 0x37) return "priority must be 1..7";
    e.priority = v.charCodeAt(0) - 0x30;
  } else if (key == "uses") {
    if (!validList(v)) return "bad uses list \"" + v + "\"";
    e.uses = v;
  } else if (key == "provides") {
    if (!validList(v)) return "bad provides list \"" + v + "\"";
    e.provides = v;
  } else if (key == "flags") {
    const f = parseFlags(v);
    if (f < 0) return "bad flags \"" + v + "\" (all-devices, kill-any, system)";
    e.flags = f;
  } else if (key == "device") {
    if (v.length == 0) return "device needs a compatible string or virtio:N";
    if (e.devices.length >= MAX_DEVICES) return "at most " + MAX_DEVICES.toString() + " devices";
    e.devices.push(v);
  } else if (key == "dma") {
    const d = parseSize(v);
    if (d <= 0) return "bad dma size \"" + v + "\"";
    e.dma = <u32>d;
  } else {
    return "unknown key \"" + key + "\"";
  }
  return null;
}

// Parses one directive line (after its first word); an entry or an error via `err`.
let err: string | null = null;
function parseEntry(cur: Cursor, shell: bool, line: i32): Entry | null {
  skipBlanks(cur);
  const file = readValue(cur);
  if (file === null || file.length == 0 || utf8Length(file) > FILE_MAX) {
    const what: string = shell ? "shell" : "server";
    err = what + " needs a module file name (1.." + FILE_MAX.toString() + " bytes)";
    return null;
  }
  const e = new Entry(line, shell, file);
  for (;;) {
    skipBlanks(cur);
    if (cur.done || cur.c == 0x23) break;
    const key = readKey(cur);
    const v = hasValue ? readValue(cur) : null;
    if (v === null) {
      err = "\"" + key + "\": expected key=value (values with blanks in double quotes)";
      return null;
    }
    const problem = applyKey(e, key, v);
    if (problem !== null) {
      err = problem;
      return null;
    }
  }
  // A dma quota without a device gets an entry of its own (the kernel sums them).
  if (e.dma > 0 && e.devices.length == 0) e.devices.push("");
  e.name = cutUtf8(e.name, NAME_MAX); // a long file name makes a long default name
  return e;
}

/** Parses init.rc's text. */
export function parseRc(text: string): RcFile {
  const out = new RcFile();
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const cur = new Cursor(lines[n]);
    skipBlanks(cur);
    if (cur.done || cur.c == 0x23) continue;
    const word = readKey(cur);
    const line = n + 1;
    if (hasValue || (word != "server" && word != "shell")) {
      out.errors.push("init.rc line " + line.toString() + ": unknown directive \"" + word + "\" (server or shell)");
      continue;
    }
    err = null;
    const e = parseEntry(cur, word == "shell", line);
    if (e === null) {
      const why = err !== null ? <string>err : "malformed";
      out.errors.push("init.rc line " + line.toString() + ": " + why + "; line skipped");
    } else {
      out.entries.push(e);
    }
  }
  return out;
}
