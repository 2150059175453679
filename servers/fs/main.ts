// The fs server: one name space over three mounts (docs/fs.md).
//   /boot  the boot archive, read-only (bootfs.ts)
//   /tmp   files and directories in RAM, up to the task's quota (ramfs.ts)
//   /host  the host's files over virtio-9p, when the board has the device (hostfs.ts)
// It registers "fs" only once every mount is ready, so a client that looked
// the service up can use all of it at once.
import {
  E_BAD_HANDLE,
  E_DENIED,
  E_INVALID,
  E_UNSUPPORTED,
  FS_O_APPEND,
  FS_O_CREATE,
  FS_O_READ,
  FS_O_TRUNCATE,
  FS_O_WRITE,
  FsClose,
  FsCloseReply,
  FsDelete,
  FsDeleteReply,
  FsMkdir,
  FsMkdirReply,
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
  MSG_FS_CLOSE,
  MSG_FS_DELETE,
  MSG_FS_MKDIR,
  MSG_FS_OPEN,
  MSG_FS_READ,
  MSG_FS_READDIR,
  MSG_FS_STAT,
  MSG_FS_WRITE,
  Message,
  NO_REPLY,
  REPLY,
  TASK_KERNEL,
  println,
  serve,
} from "../sdk/assembly";
import { reserveHeap } from "./blocks";
import { BootFs } from "./bootfs";
import { closeHandle, getHandle, openHandle } from "./handles";
import { HostFs } from "./hostfs";
import { parsePath, parsed } from "./path";
import { RamFs } from "./ramfs";
import { RootFs } from "./root";
import { Entry, Mount } from "./vfs";

const ALL_FLAGS: u32 = <u32>(FS_O_READ | FS_O_WRITE | FS_O_CREATE | FS_O_TRUNCATE | FS_O_APPEND);
/** Heap kept free for the server's own bookkeeping before /tmp's blocks may take the quota. */
const HEAP_RESERVE: usize = 256 << 10;
/** Bytes per fs_read/fs_write (the message's data field). */
const IO_MAX: u32 = 1024;

const root = new RootFs();
const entry = new Entry();

/** Set by resolve(): the mount a path goes to and the names below it. */
let target: Mount = root;
let names: string[] = [];
let dirOnly = false;

/** Parses the path field at p and picks its mount. 0 or an error. */
function resolve(p: usize): i32 {
  const r = parsePath(p, 256);
  if (r < 0) return r;
  const parts = parsed.parts;
  dirOnly = parsed.dirOnly;
  const m = parts.length > 0 ? root.mountFor(parts[0]) : null;
  if (m === null) {
    target = root;
    names = parts;
  } else {
    target = m;
    names = parsed.rest();
  }
  return 0;
}

function handle(m: Message): i32 {
  const src = m.src;
  if (src == TASK_KERNEL) return NO_REPLY; // a late IRQ notification: nothing to do
  switch (m.type) {
    case MSG_FS_OPEN: {
      let flags = FsOpen.at(m).flags;
      if ((flags & ~ALL_FLAGS) != 0) return E_INVALID;
      if ((flags & <u32>(FS_O_READ | FS_O_WRITE | FS_O_APPEND)) == 0) flags |= <u32>FS_O_READ;
      let r = resolve(FsOpen.at(m).path_ptr());
      if (r < 0) return r;
      r = target.open(names, dirOnly, flags);
      if (r < 0) return r;
      const file = target.opened!;
      target.opened = null;
      const h = openHandle(src, file, flags);
      if (h < 0) {
        file.close();
        return h;
      }
      FsOpenReply.init(m).handle = h;
      return REPLY;
    }
    case MSG_FS_CLOSE: {
      const r = closeHandle(src, FsClose.at(m).handle);
      if (r < 0) return r;
      FsCloseReply.init(m);
      return REPLY;
    }
    case MSG_FS_READ: {
      const req = FsRead.at(m);
      const h = getHandle(src, req.handle);
      if (h === null) return E_BAD_HANDLE;
      if ((h.flags & <u32>FS_O_READ) == 0) return E_DENIED;
      const offset = req.offset;
      const len = min(req.len, IO_MAX);
      const out = FsReadReply.init(m);
      const n = h.file.read(offset, out.data_ptr(), len);
      if (n < 0) return n;
      out.data_len = <u32>n;
      return REPLY;
    }
    case MSG_FS_WRITE: {
      const req = FsWrite.at(m);
      const h = getHandle(src, req.handle);
      if (h === null) return E_BAD_HANDLE;
      if ((h.flags & <u32>(FS_O_WRITE | FS_O_APPEND)) == 0) return E_DENIED;
      const append = (h.flags & <u32>FS_O_APPEND) != 0;
      const n = h.file.write(req.offset, req.data_ptr(), req.data_len, append);
      if (n < 0) return n;
      FsWriteReply.init(m).written = <u32>n;
      return REPLY;
    }
    case MSG_FS_READDIR: {
      const index = FsReaddir.at(m).index;
      let r = resolve(FsReaddir.at(m).path_ptr());
      if (r < 0) return r;
      r = target.readdir(names, index, entry);
      if (r < 0) return r;
      const out = FsReaddirReply.init(m);
      out.size = entry.size;
      out.kind = entry.kind;
      out.name = entry.name;
      return REPLY;
    }
    case MSG_FS_MKDIR: {
      let r = resolve(FsMkdir.at(m).path_ptr());
      if (r < 0) return r;
      r = target.mkdir(names);
      if (r < 0) return r;
      FsMkdirReply.init(m);
      return REPLY;
    }
    case MSG_FS_DELETE: {
      let r = resolve(FsDelete.at(m).path_ptr());
      if (r < 0) return r;
      r = target.remove(names, dirOnly);
      if (r < 0) return r;
      FsDeleteReply.init(m);
      return REPLY;
    }
    case MSG_FS_STAT: {
      let r = resolve(FsStat.at(m).path_ptr());
      if (r < 0) return r;
      r = target.stat(names, dirOnly, entry);
      if (r < 0) return r;
      const out = FsStatReply.init(m);
      out.size = entry.size;
      out.kind = entry.kind;
      return REPLY;
    }
    default:
      return E_UNSUPPORTED;
  }
}

export function main(): i32 {
  reserveHeap(HEAP_RESERVE);
  const boot = new BootFs();
  root.add("boot", boot);
  root.add("tmp", new RamFs());
  const host = HostFs.probe();
  if (host !== null) root.add("host", host);
  println(
    "fs: /boot (" + boot.count.toString() + " files), /tmp" +
      (host !== null ? ", /host (9P2000.L, tag \"" + host.tag + "\")" : ", no /host (no virtio-9p device)"),
  );
  serve("fs", handle);
  return 0;
}
