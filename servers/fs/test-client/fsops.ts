// The fs requests of the test client, each printed as one transcript line by
// the suites (main.ts), so the TypeScript test can compare the whole run.
import {
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
  Message,
  call,
  check,
  errorText,
  lookup,
} from "../../sdk/assembly";

export let fs: i32 = 0;
export const m = Message.alloc();

export function connect(): void {
  fs = check(lookup("fs"), "lookup fs");
}

/** "ok" / "E_..." for a result. */
export function res(r: i32): string {
  return r < 0 ? errorText(r) : "ok";
}

export function open(path: string, flags: u32): i32 {
  const o = FsOpen.init(m);
  o.path = path;
  o.flags = flags;
  const r = call(fs, m);
  return r < 0 ? r : FsOpenReply.at(m).handle;
}

export function close(h: i32): i32 {
  FsClose.init(m).handle = h;
  return call(fs, m);
}

/** The bytes of the last successful read. */
export let data = new Uint8Array(0);

export function read(h: i32, offset: u32, len: u32): i32 {
  const q = FsRead.init(m);
  q.handle = h;
  q.offset = offset;
  q.len = len;
  const r = call(fs, m);
  if (r < 0) return r;
  data = FsReadReply.at(m).data_bytes();
  return data.length;
}

export function writeBytes(h: i32, offset: u32, bytes: Uint8Array): i32 {
  const w = FsWrite.init(m);
  w.handle = h;
  w.offset = offset;
  w.set_data(bytes);
  const r = call(fs, m);
  return r < 0 ? r : <i32>FsWriteReply.at(m).written;
}

export function write(h: i32, offset: u32, text: string): i32 {
  return writeBytes(h, offset, Uint8Array.wrap(String.UTF8.encode(text)));
}

export let entName = "";
export let entSize: u32 = 0;
export let entKind: u8 = 0;

export function readdir(path: string, index: u32): i32 {
  const q = FsReaddir.init(m);
  q.path = path;
  q.index = index;
  const r = call(fs, m);
  if (r < 0) return r;
  const e = FsReaddirReply.at(m);
  entName = e.name;
  entSize = e.size;
  entKind = e.kind;
  return 0;
}

export function stat(path: string): i32 {
  FsStat.init(m).path = path;
  const r = call(fs, m);
  if (r < 0) return r;
  entSize = FsStatReply.at(m).size;
  entKind = FsStatReply.at(m).kind;
  return 0;
}

export function mkdir(path: string): i32 {
  FsMkdir.init(m).path = path;
  return call(fs, m);
}

export function remove(path: string): i32 {
  FsDelete.init(m).path = path;
  return call(fs, m);
}
