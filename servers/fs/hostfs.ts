// /host: the host's files over virtio-9p. Every request walks from the attach
// point afresh (fids are cheap and nothing goes stale when the host changes
// the tree); an open file keeps its own fid until its handle closes.
import {
  E_END,
  E_EXISTS,
  E_IO,
  E_IS_DIR,
  E_NOT_DIR,
  E_NOT_FOUND,
  E_READ_ONLY,
  FS_KIND_DIR,
  FS_KIND_FILE,
  FS_O_APPEND,
  FS_O_CREATE,
  FS_O_TRUNCATE,
  FS_O_WRITE,
  FS_O_READ,
} from "../sdk/assembly";
import {
  AT_REMOVEDIR,
  L_APPEND,
  L_RDONLY,
  L_RDWR,
  L_TRUNC,
  L_WRONLY,
  NineP,
  QTDIR,
} from "./ninep";
import { Entry, Mount, OpenFile } from "./vfs";
import { VirtioDevice } from "./virtio";

const VIRTIO_ID_9P: u32 = 9;
const VIRTIO_9P_MOUNT_TAG: u32 = 1;
const S_IFMT: u32 = 0xf000;
const S_IFDIR: u32 = 0x4000;
const FILE_MODE: u32 = 0o644;
const DIR_MODE: u32 = 0o755;

class HostFile extends OpenFile {
  constructor(private p: NineP, private fid: u32) {
    super();
  }
  read(offset: u32, dst: usize, len: u32): i32 {
    return this.p.read(this.fid, offset, dst, len);
  }
  write(offset: u32, src: usize, len: u32, append: bool): i32 {
    // Opened with O_APPEND: the server writes at the end whatever the offset.
    let done: u32 = 0;
    while (done < len) {
      const n = this.p.write(this.fid, offset + done, src + <usize>done, len - done);
      if (n < 0) return done > 0 ? <i32>done : n;
      if (n == 0) break;
      done += <u32>n;
    }
    return <i32>done;
  }
  close(): void {
    this.p.clunk(this.fid);
  }
}

/** Linux open flags for fs_open flags. */
function linuxFlags(flags: u32): u32 {
  const rd = (flags & <u32>FS_O_READ) != 0;
  const wr = (flags & <u32>(FS_O_WRITE | FS_O_APPEND)) != 0;
  let l = wr ? (rd ? L_RDWR : L_WRONLY) : L_RDONLY;
  if (wr && (flags & <u32>FS_O_TRUNCATE) != 0) l |= L_TRUNC;
  if ((flags & <u32>FS_O_APPEND) != 0) l |= L_APPEND;
  return l;
}

export class HostFs extends Mount {
  /** The mount tag the device announced ("host" on the board). */
  tag: string = "";

  constructor(private p: NineP) {
    super();
  }

  /** Finds the virtio-9p device, connects and attaches; null without one (or if it fails). */
  static probe(): HostFs | null {
    const dev = VirtioDevice.find(VIRTIO_ID_9P);
    if (dev === null) return null;
    if (dev.init(VIRTIO_9P_MOUNT_TAG, 8192) < 0) return null;
    const p = new NineP(dev);
    if (p.connect() < 0) return null;
    const fs = new HostFs(p);
    const len = <i32>dev.config16(0);
    const tag = new Uint8Array(min(len, 255));
    for (let i = 0; i < tag.length; i++) tag[i] = dev.config8(2 + <u32>i);
    fs.tag = String.UTF8.decode(tag.buffer);
    return fs;
  }

  get transport(): string {
    return "virtio-9p";
  }

  private isDir(): bool {
    return (this.p.lastQidType & QTDIR) != 0;
  }

  stat(names: string[], dirOnly: bool, out: Entry): i32 {
    const fid = this.p.walk(names, names.length);
    if (fid < 0) return fid;
    const r = this.p.getattr(<u32>fid);
    this.p.clunk(<u32>fid);
    if (r < 0) return r;
    const dir = (this.p.mode & S_IFMT) == S_IFDIR;
    if (dirOnly && !dir) return E_NOT_DIR;
    out.kind = <u8>(dir ? FS_KIND_DIR : FS_KIND_FILE);
    out.size = dir ? 0 : <u32>min(this.p.size, <u64>0xffffffff);
    return 0;
  }

  open(names: string[], dirOnly: bool, flags: u32): i32 {
    if (names.length == 0) return E_IS_DIR;
    const lflags = linuxFlags(flags);
    const fid = this.p.walk(names, names.length);
    if (fid >= 0) {
      let r = this.isDir() ? E_IS_DIR : dirOnly ? E_NOT_DIR : 0;
      if (r == 0) r = this.p.lopen(<u32>fid, lflags);
      if (r < 0) {
        this.p.clunk(<u32>fid);
        return r;
      }
      this.opened = new HostFile(this.p, <u32>fid);
      return 0;
    }
    if (fid != E_NOT_FOUND || (flags & <u32>FS_O_CREATE) == 0) return fid;
    // Create: the parent's fid becomes the new file's.
    const dfid = this.p.walk(names, names.length - 1);
    if (dfid < 0) return dfid;
    let r = this.isDir() ? (dirOnly ? E_IS_DIR : 0) : E_NOT_DIR;
    if (r == 0) r = this.p.lcreate(<u32>dfid, names[names.length - 1], lflags, FILE_MODE);
    if (r < 0) {
      this.p.clunk(<u32>dfid);
      return r;
    }
    this.opened = new HostFile(this.p, <u32>dfid);
    return 0;
  }

  readdir(names: string[], index: u32, out: Entry): i32 {
    const p = this.p;
    const fid = p.walk(names, names.length);
    if (fid < 0) return fid;
    let r = this.isDir() ? p.lopen(<u32>fid, L_RDONLY) : E_NOT_DIR;
    // Entries in the server's order, without "." and ".."; the index-th is the answer.
    let seen: u32 = 0;
    let offset: u64 = 0;
    let found = false;
    let name = "";
    let qtype: u8 = 0;
    while (r == 0 && !found) {
      const n = p.readdir(<u32>fid, offset);
      if (n < 0) r = n;
      else if (n == 0) r = E_END;
      else {
        while (p.nextEntry()) {
          offset = p.entOffset;
          if (p.entName == "." || p.entName == "..") continue;
          if (seen == index) {
            found = true;
            name = p.entName;
            qtype = p.entQidType;
            break;
          }
          seen++;
        }
        if (p.short) r = E_IO;
      }
    }
    if (found) {
      out.name = name;
      out.kind = <u8>((qtype & QTDIR) != 0 ? FS_KIND_DIR : FS_KIND_FILE);
      out.size = 0;
      if ((qtype & QTDIR) == 0) {
        // The size is not in the entry: ask the file.
        const one = [name];
        const parts = names.concat(one);
        const ffid = p.walk(parts, parts.length);
        if (ffid >= 0) {
          if (p.getattr(<u32>ffid) == 0) out.size = <u32>min(p.size, <u64>0xffffffff);
          p.clunk(<u32>ffid);
        }
      }
    }
    p.clunk(<u32>fid);
    return r;
  }

  mkdir(names: string[]): i32 {
    if (names.length == 0) return E_EXISTS;
    const dfid = this.p.walk(names, names.length - 1);
    if (dfid < 0) return dfid;
    const r = this.isDir() ? this.p.mkdir(<u32>dfid, names[names.length - 1], DIR_MODE) : E_NOT_DIR;
    this.p.clunk(<u32>dfid);
    return r;
  }

  remove(names: string[], dirOnly: bool): i32 {
    if (names.length == 0) return E_READ_ONLY; // the mount point itself
    const fid = this.p.walk(names, names.length);
    if (fid < 0) return fid;
    const dir = this.isDir();
    this.p.clunk(<u32>fid);
    if (dirOnly && !dir) return E_NOT_DIR;
    const dfid = this.p.walk(names, names.length - 1);
    if (dfid < 0) return dfid == E_NOT_FOUND ? E_IO : dfid; // it was there a moment ago
    const r = this.p.unlinkat(<u32>dfid, names[names.length - 1], dir ? AT_REMOVEDIR : 0);
    this.p.clunk(<u32>dfid);
    return r;
  }
}
