// A tiny stand-in for the fs server in init's tests: serves the boot archive's
// files read-only ("/boot/NAME" or "NAME") through fs_open, fs_read and
// fs_close, straight from wasmos.bootfs_read. It registers "fs".
import {
  E_BAD_HANDLE,
  E_NOT_FOUND,
  E_UNSUPPORTED,
  FsOpen,
  FsOpenReply,
  FsRead,
  FsReadReply,
  FsCloseReply,
  MSG_FS_CLOSE,
  MSG_FS_OPEN,
  MSG_FS_READ,
  Message,
  REPLY,
  serve,
  wasmos_bootfs_read,
} from "../../sdk/assembly";

const open = new Array<ArrayBuffer>(0); // handle -> file name (NUL-terminated)
const scratch = memory.data(4, 4);

function handle(m: Message): i32 {
  if (m.type == MSG_FS_OPEN) {
    let path = FsOpen.at(m).path;
    if (path.startsWith("/boot/")) path = path.substring(6);
    const name = String.UTF8.encode(path, true);
    if (wasmos_bootfs_read(changetype<usize>(name), 0, scratch, 0) < 0) return E_NOT_FOUND;
    open.push(name);
    FsOpenReply.init(m).handle = open.length - 1;
    return REPLY;
  }
  if (m.type == MSG_FS_READ) {
    const h = FsRead.at(m).handle;
    const offset = FsRead.at(m).offset;
    const len = min<u32>(FsRead.at(m).len, 1024);
    if (h < 0 || h >= open.length) return E_BAD_HANDLE;
    const out = FsReadReply.init(m);
    const n = wasmos_bootfs_read(changetype<usize>(open[h]), offset, out.data_ptr(), len);
    if (n < 0) return n;
    out.data_len = <u32>n;
    return REPLY;
  }
  if (m.type == MSG_FS_CLOSE) {
    FsCloseReply.init(m);
    return REPLY;
  }
  return E_UNSUPPORTED;
}

export function main(): i32 {
  serve("fs", handle);
  return 0;
}
