// Reading a program through the fs server for proc_spawn: fs_open, fs_read in
// 1024-byte chunks into a growing heap block, fs_close. The first chunk must
// start with "\0asm" (E_NOT_WASM otherwise), so a large text file is refused
// after one read.
import {
  E_EXITED,
  E_NO_MEMORY,
  E_NO_TASK,
  E_NOT_WASM,
  FS_O_READ,
  FsClose,
  FsOpen,
  FsOpenReply,
  FsRead,
  FsReadReply,
  Message,
  call,
  lookupTimeout,
} from "../sdk/assembly";

const CHUNK: u32 = 1024;
const FILE_MAX: u32 = 4 << 20; // growing to more could run init itself out of memory (a trap)
const FS_LOOKUP_MS = 2000;

let fsTask: i32 = 0;
let fsMsg: Message | null = null;

/** Size of the block the last loadFile returned. */
export let fileSize: u32 = 0;

// The fs server's task id (looked up once, again after it went away), or an error.
function fs(): i32 {
  if (fsTask <= 0) fsTask = lookupTimeout("fs", FS_LOOKUP_MS);
  return fsTask;
}

// A call to fs; on E_NO_TASK/E_EXITED the next call looks it up again.
function fsCall(m: Message): i32 {
  const dst = fs();
  if (dst < 0) {
    fsTask = 0;
    return dst;
  }
  const r = call(dst, m);
  if (r == E_NO_TASK || r == E_EXITED) fsTask = 0;
  return r;
}

function isWasm(p: usize, n: u32): bool {
  return n >= 4 && load<u32>(p) == 0x6d736100; // "\0asm" little-endian
}

/** The error of the last loadFile that returned 0. */
export let loadFileError: i32 = 0;

/**
 * The whole file at path in a new heap block (the caller frees it with
 * heap.free), its size in fileSize; or 0, with the error in loadFileError.
 */
export function loadFile(path: string): usize {
  let m = fsMsg;
  if (m === null) {
    m = Message.alloc();
    fsMsg = m;
  }
  FsOpen.init(m).path = path;
  FsOpen.at(m).flags = <u32>FS_O_READ;
  let r = fsCall(m);
  if (r < 0) {
    loadFileError = r;
    return 0;
  }
  const handle = FsOpenReply.at(m).handle;
  let cap: u32 = 4096;
  let buf = heap.alloc(<usize>cap);
  let size: u32 = 0;
  let err = 0;
  for (;;) {
    const rd = FsRead.init(m);
    rd.handle = handle;
    rd.offset = size;
    rd.len = CHUNK;
    r = fsCall(m);
    if (r < 0) {
      err = r;
      break;
    }
    const got = FsReadReply.at(m).data_len;
    if (got == 0) break;
    if (size + got > FILE_MAX) {
      err = E_NO_MEMORY;
      break;
    }
    if (size + got > cap) {
      cap = max(cap * 2, size + got);
      buf = heap.realloc(buf, <usize>cap);
    }
    memory.copy(buf + <usize>size, FsReadReply.at(m).data_ptr(), <usize>got);
    size += got;
    if (size == got && !isWasm(buf, size) && size >= 4) {
      err = E_NOT_WASM;
      break;
    }
  }
  FsClose.init(m).handle = handle;
  fsCall(m); // nothing to do if closing fails: the handle dies with the fs server anyway
  if (err == 0 && !isWasm(buf, size)) err = E_NOT_WASM; // shorter than 4 bytes
  if (err != 0) {
    heap.free(buf);
    loadFileError = err;
    return 0;
  }
  fileSize = size;
  return buf;
}
