// File commands: ls, cat, write, rm, mkdir, cd, pwd. Each talks to the fs
// server with the shell's one message buffer and reports failures as
// "<command>: <path>: E_... (meaning)".
import {
  E_END,
  E_NOT_DIR,
  FS_KIND_DIR,
  FS_O_CREATE,
  FS_O_READ,
  FS_O_TRUNCATE,
  FS_O_WRITE,
  FsClose,
  FsDelete,
  FsMkdir,
  FsOpen,
  FsOpenReply,
  FsRead,
  FsReadReply,
  FsReaddir,
  FsReaddirReply,
  FsStat,
  FsStatReply,
  FsWrite,
  FsWriteReply,
  printBytes,
  println,
} from "../sdk/assembly";
import { describe } from "./errors";
import { currentDir, resolvePath, setCurrentDir } from "./path";
import { callService, msg } from "./services";

/** Bytes per fs_read / fs_write (the IDL's bytes[1024]). */
const CHUNK: u32 = 1024;

/** Prints "<cmd>: <path>: E_... (meaning)". */
function fail(cmd: string, path: string, code: i32): void {
  println(cmd + ": " + path + ": " + describe(code));
}

/** The result of stat(): kind and size, or an error code in `error`. */
export class Stat {
  error: i32 = 0;
  kind: i32 = 0;
  size: u32 = 0;
}

export function stat(path: string): Stat {
  const s = new Stat();
  FsStat.init(msg).path = path;
  const r = callService("fs", msg);
  if (r < 0) {
    s.error = r;
    return s;
  }
  const reply = FsStatReply.at(msg);
  s.kind = reply.kind;
  s.size = reply.size;
  return s;
}

function padRight(s: string, width: i32): string {
  return s.length >= width ? s + " " : s + " ".repeat(width - s.length);
}

function padLeft(s: string, width: i32): string {
  return s.length >= width ? s : " ".repeat(width - s.length) + s;
}

/** One `ls` row: name, kind, size. */
function row(name: string, kind: i32, size: u32): string {
  const isDir = kind == FS_KIND_DIR;
  return padRight(isDir ? name + "/" : name, 24) + padRight(isDir ? "dir" : "file", 5) + padLeft(size.toString(), 9);
}

export function ls(args: string[]): void {
  const path = resolvePath(args.length > 1 ? args[1] : ".");
  let count = 0;
  for (let i: u32 = 0; ; i++) {
    const q = FsReaddir.init(msg);
    q.path = path;
    q.index = i;
    const r = callService("fs", msg);
    if (r == E_END) break;
    if (r == E_NOT_DIR && i == 0) {
      // `ls FILE` shows the file itself.
      const s = stat(path);
      if (s.error < 0) fail("ls", path, s.error);
      else println(row(path, s.kind, s.size));
      return;
    }
    if (r < 0) {
      fail("ls", path, r);
      return;
    }
    const e = FsReaddirReply.at(msg);
    println(row(e.name, e.kind, e.size));
    count++;
  }
  if (count == 0) println("(empty)");
}

/** Opens a file: the handle, or an error. */
function open(path: string, flags: i32): i32 {
  const q = FsOpen.init(msg);
  q.path = path;
  q.flags = <u32>flags;
  const r = callService("fs", msg);
  return r < 0 ? r : FsOpenReply.at(msg).handle;
}

function close(handle: i32): void {
  FsClose.init(msg).handle = handle;
  callService("fs", msg);
}

/** Prints one file; the error if it fails. */
function catOne(path: string): void {
  const h = open(path, FS_O_READ);
  if (h < 0) {
    fail("cat", path, h);
    return;
  }
  let offset: u32 = 0;
  let lastByte: u8 = 0x0a;
  while (true) {
    const q = FsRead.init(msg);
    q.handle = h;
    q.offset = offset;
    q.len = CHUNK;
    const r = callService("fs", msg);
    if (r < 0) {
      println("");
      fail("cat", path, r);
      break;
    }
    const data = FsReadReply.at(msg);
    const n = data.data_len;
    if (n == 0) break;
    printBytes(data.data_ptr(), n);
    lastByte = load<u8>(data.data_ptr() + n - 1);
    offset += n;
  }
  close(h);
  // Keep the prompt on a line of its own after a file without a final newline.
  if (lastByte != 0x0a) println("");
}

export function cat(args: string[]): void {
  if (args.length < 2) {
    println("usage: cat FILE...");
    return;
  }
  for (let i = 1; i < args.length; i++) catOne(resolvePath(args[i]));
}

/** write FILE TEXT...: the words joined by spaces, and a newline. */
export function write(args: string[]): void {
  if (args.length < 2) {
    println("usage: write FILE TEXT...");
    return;
  }
  const path = resolvePath(args[1]);
  const text = String.UTF8.encode(args.slice(2).join(" ") + "\n");
  const bytes = changetype<usize>(text);
  const total = <u32>text.byteLength;
  const h = open(path, FS_O_WRITE | FS_O_CREATE | FS_O_TRUNCATE);
  if (h < 0) {
    fail("write", path, h);
    return;
  }
  let offset: u32 = 0;
  while (offset < total) {
    const n = min(total - offset, CHUNK);
    const q = FsWrite.init(msg);
    q.handle = h;
    q.offset = offset;
    memory.copy(q.data_ptr(), bytes + offset, n);
    q.data_len = n;
    const r = callService("fs", msg);
    if (r < 0) {
      fail("write", path, r);
      break;
    }
    const written = FsWriteReply.at(msg).written;
    if (written == 0) {
      println("write: " + path + ": the file system took no bytes");
      break;
    }
    offset += written;
  }
  close(h);
}

export function rm(args: string[]): void {
  if (args.length != 2) {
    println("usage: rm PATH");
    return;
  }
  const path = resolvePath(args[1]);
  FsDelete.init(msg).path = path;
  const r = callService("fs", msg);
  if (r < 0) fail("rm", path, r);
}

export function mkdir(args: string[]): void {
  if (args.length != 2) {
    println("usage: mkdir DIR");
    return;
  }
  const path = resolvePath(args[1]);
  FsMkdir.init(msg).path = path;
  const r = callService("fs", msg);
  if (r < 0) fail("mkdir", path, r);
}

export function cd(args: string[]): void {
  if (args.length > 2) {
    println("usage: cd [DIR]");
    return;
  }
  const path = resolvePath(args.length == 2 ? args[1] : "/");
  if (path != "/") {
    const s = stat(path);
    if (s.error < 0) {
      fail("cd", path, s.error);
      return;
    }
    if (s.kind != FS_KIND_DIR) {
      fail("cd", path, E_NOT_DIR);
      return;
    }
  }
  setCurrentDir(path);
}

export function pwd(args: string[]): void {
  println(currentDir());
}
