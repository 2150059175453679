// Test client of the fs server (tests/servers/fs.test.ts): runs the suites
// named by its arguments and prints one "t: " line per request, which the
// test compares with what it expects. Suites: root, boot, tmp, paths, quota,
// owner (holds a handle while "intruder", another task, tries to use it), host,
// leak (opens files and exits without closing them) and reclaim (waits for the
// leaker to exit, then needs every handle of the table).
import {
  E_INVALID,
  FS_KIND_DIR,
  FS_O_APPEND,
  FS_O_CREATE,
  FS_O_READ,
  FS_O_TRUNCATE,
  FS_O_WRITE,
  IPC_ANY,
  Message,
  Ping,
  PingReply,
  argCount,
  arg,
  call,
  check,
  lookup,
  nowNs,
  println,
  recv,
  register,
  reply,
  sleep,
  wasmos_task_info,
} from "../../sdk/assembly";
import * as f from "./fsops";

const R: u32 = <u32>FS_O_READ;
const W: u32 = <u32>FS_O_WRITE;
const C: u32 = <u32>FS_O_CREATE;
const T: u32 = <u32>FS_O_TRUNCATE;
const A: u32 = <u32>FS_O_APPEND;

function say(s: string): void {
  println("t: " + s);
}

/** Text with control bytes as \xNN, so a transcript line stays one line. */
function shown(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f && c != 0x5c) s += String.fromCharCode(c);
    else s += "\\x" + (c < 16 ? "0" : "") + c.toString(16);
  }
  return s;
}

function fnv1a(h: u32, b: Uint8Array): u32 {
  for (let i = 0; i < b.length; i++) h = (h ^ b[i]) * 16777619;
  return h;
}

function hex(v: u32): string {
  let s = v.toString(16);
  while (s.length < 8) s = "0" + s;
  return "0x" + s;
}

function kindText(): string {
  return f.entKind == FS_KIND_DIR ? "dir" : "file " + f.entSize.toString();
}

function stat(path: string): void {
  const r = f.stat(path);
  say("stat " + path + " -> " + (r < 0 ? f.res(r) : kindText()));
}

function open(path: string, flags: u32): i32 {
  const h = f.open(path, flags);
  say("open " + path + " " + flags.toString() + " -> " + f.res(h));
  return h;
}

function close(h: i32): void {
  say("close -> " + f.res(f.close(h)));
}

function read(h: i32, off: u32, len: u32): void {
  const r = f.read(h, off, len);
  say("read " + off.toString() + " " + len.toString() + " -> " + (r < 0 ? f.res(r) : r.toString() + " \"" + shown(f.data) + "\""));
}

function write(h: i32, off: u32, text: string): void {
  const r = f.write(h, off, text);
  say("write " + off.toString() + " \"" + text + "\" -> " + (r < 0 ? f.res(r) : r.toString()));
}

function ls(path: string): void {
  let s = "ls " + path + ":";
  for (let i: u32 = 0; ; i++) {
    const r = f.readdir(path, i);
    if (r < 0) {
      s += " " + f.res(r);
      break;
    }
    s += " " + f.entName + "(" + kindText() + ")";
  }
  say(s);
}

function mkdir(path: string): void {
  say("mkdir " + path + " -> " + f.res(f.mkdir(path)));
}

function remove(path: string): void {
  say("delete " + path + " -> " + f.res(f.remove(path)));
}

/** Reads a whole file in 1024-byte requests: "sum P: N bytes in K reads, fnv1a 0x...". */
function sum(path: string): void {
  const h = f.open(path, R);
  if (h < 0) {
    say("sum " + path + ": " + f.res(h));
    return;
  }
  let total: u32 = 0;
  let reads = 0;
  let hash: u32 = 2166136261;
  for (;;) {
    const r = f.read(h, total, 1024);
    if (r < 0) {
      say("sum " + path + ": " + f.res(r));
      f.close(h);
      return;
    }
    reads++;
    if (r == 0) break;
    hash = fnv1a(hash, f.data);
    total += <u32>r;
  }
  f.close(h);
  say("sum " + path + ": " + total.toString() + " bytes in " + reads.toString() + " reads, fnv1a " + hex(hash));
}

/** Writes n bytes of a pattern in 1024-byte requests. */
function fill(h: i32, n: u32, seed: u32): i32 {
  const chunk = new Uint8Array(1024);
  let done: u32 = 0;
  while (done < n) {
    const len = min(n - done, 1024);
    for (let i: u32 = 0; i < len; i++) chunk[i] = <u8>((done + i) * 31 + seed);
    const r = f.writeBytes(h, done, chunk.subarray(0, len));
    if (r < 0) return r;
    done += <u32>r;
  }
  return <i32>done;
}

function suiteRoot(): void {
  stat("/");
  ls("/");
  open("/", R);
  open("/nothing", R);
  open("/nothing", W | C);
  stat("/nothing");
  mkdir("/");
  mkdir("/newtop");
  remove("/");
  remove("/tmp");
  remove("/boot");
  mkdir("/tmp");
  // A message the server does not handle.
  const m = f.m;
  Ping.init(m).value = 1;
  say("ping -> " + f.res(call(f.fs, m)));
}

function suiteBoot(): void {
  ls("/boot");
  stat("/boot");
  stat("/boot/manifest");
  const h = open("/boot/manifest", R);
  read(h, 0, 4);
  write(h, 0, "x");
  close(h);
  open("/boot/manifest", W);
  open("/boot/manifest", R | T);
  open("/boot/new.txt", W | C);
  open("/boot/missing", R);
  open("/boot/manifest/", R);
  stat("/boot/manifest/x");
  ls("/boot/manifest");
  mkdir("/boot/dir");
  remove("/boot/manifest");
  sum("/boot/fs.wasm");
}

function suiteTmp(): void {
  ls("/tmp");
  mkdir("/tmp/d");
  mkdir("/tmp/d");
  mkdir("/tmp/nope/x");
  let h = open("/tmp/d/a.txt", W | C);
  write(h, 0, "hello ");
  write(h, 6, "world");
  read(h, 0, 10);
  close(h);
  close(h);
  stat("/tmp/d/a.txt");
  h = open("/tmp/d/a.txt", R);
  read(h, 0, 100);
  read(h, 6, 3);
  read(h, 11, 10);
  read(h, 1000, 10);
  read(h, 0, 5000);
  write(h, 0, "no");
  close(h);
  h = open("/tmp/d/a.txt", W | A);
  write(h, 0, "!");
  close(h);
  h = open("/tmp/d/a.txt", R | W);
  write(h, 0, "J");
  read(h, 0, 100);
  close(h);
  h = open("/tmp/d/b.txt", W | C);
  write(h, 5000, "x");
  close(h);
  stat("/tmp/d/b.txt");
  h = open("/tmp/d/b.txt", R);
  read(h, 4996, 10);
  close(h);
  h = open("/tmp/d/b.txt", R | W | T);
  read(h, 0, 10);
  close(h);
  stat("/tmp/d/b.txt");
  h = open("/tmp/d/b.txt", R | W);
  write(h, 4094, "abcd");
  read(h, 4092, 10);
  close(h);
  h = open("/tmp/big", W | C);
  say("fill 10000 -> " + f.res(fill(h, 10000, 7)));
  close(h);
  sum("/tmp/big");
  mkdir("/tmp/d/sub");
  ls("/tmp/d");
  open("/tmp/d", R);
  open("/tmp/d/sub", W | C);
  open("/tmp/missing", R);
  open("/tmp/d/a.txt", 0x100);
  say("read bad handle -> " + f.res(f.read(12345, 0, 1)));
  remove("/tmp/d");
  remove("/tmp/d/a.txt");
  stat("/tmp/d/a.txt");
  remove("/tmp/d/a.txt");
  remove("/tmp/d/sub/");
  remove("/tmp/d/b.txt/");
  remove("/tmp/d/b.txt");
  remove("/tmp/d");
  stat("/tmp/d");
  // Removed while open: the handle keeps the data until it is closed.
  h = open("/tmp/o", R | W | C);
  write(h, 0, "still here");
  remove("/tmp/o");
  stat("/tmp/o");
  read(h, 0, 100);
  close(h);
  remove("/tmp/big");
  ls("/tmp");
}

function suitePaths(): void {
  mkdir("/tmp/p");
  const h = f.open("/tmp/p/f", W | C);
  f.write(h, 0, "abc");
  f.close(h);
  stat("//tmp///p/./f");
  stat("/tmp/p/../p/f");
  stat("/tmp/../../tmp/p/f");
  stat("/tmp/p/");
  stat("/tmp/p/f/");
  stat("/tmp/p/f/x");
  stat("tmp/p");
  stat("");
  ls("/tmp/p/.");
  const n63 = "n".repeat(63);
  mkdir("/tmp/p/" + n63);
  stat("/tmp/p/" + n63);
  mkdir("/tmp/p/" + n63 + "x");
  // 255 bytes is the longest path, 256 too long.
  const base = "/tmp/p/"; // 7 bytes
  let long = base;
  while (long.length < 255) long += "/";
  stat(long.slice(0, 255) + "");
  stat(long + "/");
  remove("/tmp/p/" + n63);
  remove("/tmp/p/f");
  remove("/tmp/p");
}

function suiteQuota(): void {
  const h = open("/tmp/fill", W | C);
  const r = fill(h, 64 << 20, 1);
  const s = f.stat("/tmp/fill");
  say("fill -> " + f.res(r) + " at " + (f.entSize >> 10).toString() + " KiB (" + f.res(s) + ")");
  close(h);
  remove("/tmp/fill");
  // The space is back.
  const h2 = open("/tmp/again", W | C);
  say("fill 100000 -> " + f.res(fill(h2, 100000, 3)));
  close(h2);
  stat("/tmp/again");
  remove("/tmp/again");
}

function suiteOwner(): void {
  const h = open("/tmp/mine", R | W | C);
  write(h, 0, "owned");
  check(register("fstest"), "register fstest");
  const m = Message.alloc();
  // The intruder asks for the handle, then says when it is done.
  for (let round = 0; round < 2; round++) {
    check(recv(IPC_ANY, m), "recv");
    const src = m.src;
    PingReply.init(m).value = h;
    reply(src, m);
  }
  read(h, 0, 10);
  close(h);
  remove("/tmp/mine");
}

function suiteIntruder(): void {
  const owner = check(lookup("fstest"), "lookup fstest");
  const m = Message.alloc();
  Ping.init(m).value = 0;
  check(call(owner, m), "ping owner");
  const h = PingReply.at(m).value;
  say("intruder read -> " + f.res(f.read(h, 0, 5)));
  say("intruder write -> " + f.res(f.write(h, 0, "x")));
  say("intruder close -> " + f.res(f.close(h)));
  Ping.init(m).value = 1;
  check(call(owner, m), "ping owner");
}

const LEAKED = 200;
const TABLE = 256;

function suiteLeak(): void {
  let ok = 0;
  for (let i = 0; i < LEAKED; i++) if (f.open("/tmp/leak", R | W | C) > 0) ok++;
  say("leak opened " + ok.toString());
}

function taskNamed(name: string): bool {
  const info = memory.data(56, 8);
  for (let i = 0; wasmos_task_info(i, info) == 0; i++) {
    if (String.UTF8.decodeUnsafe(info + 8, name.length) == name && load<u8>(info + 8 + name.length) == 0) return true;
  }
  return false;
}

function suiteReclaim(): void {
  while (taskNamed("leaker")) sleep(10);
  const handles = new Array<i32>();
  for (let i = 0; i < TABLE; i++) {
    const h = f.open("/tmp/leak", R);
    if (h < 0) break;
    handles.push(h);
  }
  say("reclaim opened " + handles.length.toString());
  let closed = 0;
  for (let i = 0; i < handles.length; i++) if (f.close(handles[i]) == 0) closed++;
  say("reclaim closed " + closed.toString());
}

function suiteHost(): void {
  ls("/host");
  stat("/host");
  stat("/host/hello.txt");
  let h = open("/host/hello.txt", R);
  read(h, 0, 100);
  read(h, 6, 4);
  write(h, 0, "x");
  close(h);
  sum("/host/big.bin");
  h = open("/host/out.txt", W | C);
  write(h, 0, "written by fs");
  write(h, 13, " over 9P");
  close(h);
  stat("/host/out.txt");
  mkdir("/host/made");
  mkdir("/host/made");
  h = open("/host/made/inner.txt", W | C);
  write(h, 0, "inner");
  close(h);
  ls("/host/made");
  h = open("/host/log.txt", W | C | A);
  write(h, 0, "one,");
  write(h, 0, "two");
  close(h);
  h = open("/host/hello.txt", R | W);
  write(h, 0, "HELLO");
  close(h);
  h = open("/host/trunc.txt", W | T);
  write(h, 0, "short");
  close(h);
  open("/host/missing", R);
  open("/host/dir", R);
  open("/host/hello.txt/", R);
  stat("/host/hello.txt/x");
  stat("/host/missing/x");
  ls("/host/hello.txt");
  mkdir("/host/hello.txt");
  mkdir("/host/missing/x");
  remove("/host/dir");
  remove("/host/scratch.txt");
  stat("/host/scratch.txt");
  remove("/host/scratch.txt");
  remove("/host/dir/keep.txt");
  remove("/host/dir");
  remove("/host");
  // Deeper than one Twalk (16 names).
  stat("/host/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/deep.txt");
  h = open("/host/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/deep.txt", R);
  read(h, 0, 100);
  close(h);
  stat("/host/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/none.txt");
  stat("/host/../host/hello.txt");
}

/** Guest time per 1 KiB read and write (the client's and the server's work, IPC and kernel included). */
function bench(dir: string): void {
  const path = dir + "/bench.bin";
  const h = f.open(path, R | W | C | T);
  const chunk = new Uint8Array(1024);
  const n = 200;
  let t0 = nowNs();
  for (let i = 0; i < n; i++) f.writeBytes(h, <u32>(i * 1024), chunk);
  const w = (nowNs() - t0) / n;
  t0 = nowNs();
  for (let i = 0; i < n; i++) f.read(h, <u32>(i * 1024), 1024);
  const r = (nowNs() - t0) / n;
  t0 = nowNs();
  for (let i = 0; i < n; i++) f.stat(path);
  const s = (nowNs() - t0) / n;
  f.close(h);
  f.remove(path);
  say("bench " + dir + ": write " + (w / 1000).toString() + " us, read " + (r / 1000).toString() + " us, stat " + (s / 1000).toString() + " us");
}

export function main(): i32 {
  f.connect();
  for (let i = 1; i < argCount(); i++) {
    const s = arg(i);
    say("suite " + s);
    if (s == "root") suiteRoot();
    else if (s == "boot") suiteBoot();
    else if (s == "tmp") suiteTmp();
    else if (s == "paths") suitePaths();
    else if (s == "quota") suiteQuota();
    else if (s == "owner") suiteOwner();
    else if (s == "intruder") suiteIntruder();
    else if (s == "host") suiteHost();
    else if (s == "leak") suiteLeak();
    else if (s == "reclaim") suiteReclaim();
    else if (s == "bench") {
      bench("/tmp");
      if (f.stat("/host") == 0) bench("/host");
    }
    else {
      say("unknown suite " + s);
      return E_INVALID;
    }
  }
  say("done");
  return 0;
}
