// A 9P2000.L client over one virtio-9p device (docs/9p.md has the protocol and
// the layouts). One request at a time: the fs server is single-threaded, so a
// single tag and one transmit and one receive buffer of msize bytes suffice.
// Every call returns 0 (or a count) or a negative E_* code; an Rlerror's Linux
// errno is translated by errnoToError.
import {
  E_BAD_HANDLE,
  E_EXISTS,
  E_INVALID,
  E_IO,
  E_IS_DIR,
  E_NAME_TOO_LONG,
  E_NOT_DIR,
  E_NOT_EMPTY,
  E_NOT_FOUND,
  E_NO_SPACE,
  E_READ_ONLY,
  E_UNSUPPORTED,
} from "../sdk/assembly";
import { VirtioDevice } from "./virtio";

export const MSIZE: u32 = 8192;
/** Header: size[4] type[1] tag[2]. */
const HDR: u32 = 7;
/** Rread/Rreaddir overhead: header + count[4]. */
export const IO_HDR: u32 = 11;
const NOTAG: u16 = 0xffff;
const NOFID: u32 = 0xffffffff;
const TAG: u16 = 1;
/** Names per Twalk (the protocol's MAXWELEM). */
const MAXWELEM: i32 = 16;

const RLERROR: u8 = 7;
const TLOPEN: u8 = 12;
const TLCREATE: u8 = 14;
const TGETATTR: u8 = 24;
const TREADDIR: u8 = 40;
const TMKDIR: u8 = 72;
const TUNLINKAT: u8 = 76;
const TVERSION: u8 = 100;
const TATTACH: u8 = 104;
const TWALK: u8 = 110;
const TREAD: u8 = 116;
const TWRITE: u8 = 118;
const TCLUNK: u8 = 120;

/** Linux open(2) flags for Tlopen/Tlcreate. */
export const L_RDONLY: u32 = 0;
export const L_WRONLY: u32 = 1;
export const L_RDWR: u32 = 2;
export const L_TRUNC: u32 = 0x200;
export const L_APPEND: u32 = 0x400;
export const L_DIRECTORY: u32 = 0x10000;
/** Tunlinkat: remove a directory. */
export const AT_REMOVEDIR: u32 = 0x200;
export const QTDIR: u8 = 0x80;
const GETATTR_BASIC: u64 = 0x7ff;

/** Maps an Rlerror's Linux errno to the fs server's errors. */
export function errnoToError(errno: u32): i32 {
  switch (errno) {
    case 2: return E_NOT_FOUND; // ENOENT
    case 9: return E_BAD_HANDLE; // EBADF
    case 17: return E_EXISTS; // EEXIST
    case 20: return E_NOT_DIR; // ENOTDIR
    case 21: return E_IS_DIR; // EISDIR
    case 22: return E_INVALID; // EINVAL
    case 27: // EFBIG
    case 28: return E_NO_SPACE; // ENOSPC
    case 30: return E_READ_ONLY; // EROFS
    case 36: return E_NAME_TOO_LONG; // ENAMETOOLONG
    case 39: return E_NOT_EMPTY; // ENOTEMPTY
    case 95: return E_UNSUPPORTED; // EOPNOTSUPP
    default: return E_IO;
  }
}

export class NineP {
  msize: u32 = MSIZE;
  private tx: usize = heap.alloc(<usize>MSIZE);
  private rx: usize = heap.alloc(<usize>MSIZE);
  private pos: u32 = 0;
  private type: u8 = 0;
  /** Where the reply's body is being read, and where it ends. */
  rpos: u32 = 0;
  rend: u32 = 0;
  /** The attach point's fid. */
  readonly root: u32 = 0;
  private nextFid: u32 = 1;
  private freeFids: u32[] = [];
  /** Type of the last qid a walk returned (QTDIR for the root). */
  lastQidType: u8 = QTDIR;

  constructor(private dev: VirtioDevice) {}

  // ---- message building and parsing ----

  private begin(type: u8): void {
    this.type = type;
    this.pos = HDR;
  }
  private u8(v: u8): void {
    store<u8>(this.tx + <usize>this.pos, v);
    this.pos += 1;
  }
  private u16(v: u16): void {
    store<u16>(this.tx + <usize>this.pos, v);
    this.pos += 2;
  }
  private u32(v: u32): void {
    store<u32>(this.tx + <usize>this.pos, v);
    this.pos += 4;
  }
  private u64(v: u64): void {
    store<u64>(this.tx + <usize>this.pos, v);
    this.pos += 8;
  }
  private str(s: string): void {
    const n = String.UTF8.byteLength(s);
    this.u16(<u16>n);
    String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, this.tx + <usize>this.pos);
    this.pos += <u32>n;
  }
  private bytes(src: usize, n: u32): void {
    memory.copy(this.tx + <usize>this.pos, src, <usize>n);
    this.pos += n;
  }

  /** Room left in the transmit buffer. */
  private room(): u32 {
    return this.msize - this.pos;
  }

  /** Reply fields, bounds-checked: a short reply reads as zeros (the caller checks `short`). */
  short: bool = false;
  r8(): u8 {
    if (this.rpos + 1 > this.rend) { this.short = true; return 0; }
    const v = load<u8>(this.rx + <usize>this.rpos);
    this.rpos += 1;
    return v;
  }
  r16(): u16 {
    if (this.rpos + 2 > this.rend) { this.short = true; return 0; }
    const v = load<u16>(this.rx + <usize>this.rpos);
    this.rpos += 2;
    return v;
  }
  r32(): u32 {
    if (this.rpos + 4 > this.rend) { this.short = true; return 0; }
    const v = load<u32>(this.rx + <usize>this.rpos);
    this.rpos += 4;
    return v;
  }
  r64(): u64 {
    if (this.rpos + 8 > this.rend) { this.short = true; return 0; }
    const v = load<u64>(this.rx + <usize>this.rpos);
    this.rpos += 8;
    return v;
  }
  rstr(): string {
    const n = <u32>this.r16();
    if (this.rpos + n > this.rend) { this.short = true; return ""; }
    const s = String.UTF8.decodeUnsafe(this.rx + <usize>this.rpos, <usize>n);
    this.rpos += n;
    return s;
  }
  /** Address of the next reply byte (for bulk copies after a count field). */
  rptr(): usize {
    return this.rx + <usize>this.rpos;
  }

  /** Sends the message built since begin() and checks the reply's type. 0 or an error. */
  private rpc(tag: u16 = TAG): i32 {
    store<u32>(this.tx, this.pos);
    store<u8>(this.tx, this.type, 4);
    store<u16>(this.tx, tag, 5);
    const n = this.dev.transact(this.tx, this.pos, this.rx, this.msize);
    if (n < 0) return n;
    if (<u32>n < HDR) return E_IO;
    const size = load<u32>(this.rx);
    if (size < HDR || size > <u32>n) return E_IO;
    this.rend = size;
    this.rpos = HDR;
    this.short = false;
    const type = load<u8>(this.rx, 4);
    if (type == RLERROR) {
      const errno = this.r32();
      return this.short ? E_IO : errnoToError(errno);
    }
    return type == this.type + 1 ? 0 : E_IO;
  }

  // ---- fids ----

  newFid(): u32 {
    if (this.freeFids.length > 0) return this.freeFids.pop();
    return this.nextFid++;
  }
  /** Returns a fid the server no longer knows (a failed walk) to the pool. */
  dropFid(fid: u32): void {
    this.freeFids.push(fid);
  }

  // ---- the messages ----

  /** Tversion + Tattach: a new session with the root at fid 0. */
  connect(): i32 {
    this.begin(TVERSION);
    this.u32(MSIZE);
    this.str("9P2000.L");
    let r = this.rpc(NOTAG);
    if (r < 0) return r;
    const msize = this.r32();
    const version = this.rstr();
    if (this.short || version != "9P2000.L" || msize < 512) return E_IO;
    if (msize < this.msize) this.msize = msize;
    this.begin(TATTACH);
    this.u32(this.root);
    this.u32(NOFID);
    this.str("");
    this.str("");
    this.u32(0);
    r = this.rpc();
    if (r < 0) return r;
    return (this.r8() & QTDIR) != 0 ? 0 : E_IO;
  }

  /**
   * Walks from the root along names[0..count) to a new fid (lastQidType says
   * what it is). The fid, or E_NOT_FOUND / E_NOT_DIR for the first name
   * that fails.
   */
  walk(names: string[], count: i32): i32 {
    this.lastQidType = QTDIR;
    let cur = this.root; // the root fid is never clunked
    let done = 0;
    // Chunks of MAXWELEM names; a walk of no names clones the root.
    do {
      const n = min(count - done, MAXWELEM);
      const to = this.newFid();
      this.begin(TWALK);
      this.u32(cur);
      this.u32(to);
      this.u16(<u16>n);
      for (let i = 0; i < n; i++) this.str(names[done + i]);
      let r = this.rpc();
      let qtype = this.lastQidType;
      if (r == 0) {
        const nq = <i32>this.r16();
        for (let i = 0; i < nq; i++) {
          qtype = this.r8();
          this.r32();
          this.r64();
        }
        // A short walk stopped at names[done + nq]: missing, or below a file.
        if (this.short) r = E_IO;
        else if (nq < n) r = (qtype & QTDIR) != 0 ? E_NOT_FOUND : E_NOT_DIR;
      }
      if (cur != this.root) this.clunk(cur);
      if (r < 0) {
        this.dropFid(to); // a failed walk leaves newfid unbound
        return r;
      }
      cur = to;
      done += n;
      this.lastQidType = qtype;
    } while (done < count);
    return <i32>cur;
  }

  clunk(fid: u32): void {
    this.begin(TCLUNK);
    this.u32(fid);
    this.rpc();
    this.freeFids.push(fid);
  }

  /** Tgetattr: the mode (S_IFDIR 0x4000 / S_IFREG 0x8000 in the type bits) and the size. */
  mode: u32 = 0;
  size: u64 = 0;
  getattr(fid: u32): i32 {
    this.begin(TGETATTR);
    this.u32(fid);
    this.u64(GETATTR_BASIC);
    const r = this.rpc();
    if (r < 0) return r;
    this.r64(); // valid
    this.r8();
    this.r32();
    this.r64(); // qid
    this.mode = this.r32();
    this.r32(); // uid
    this.r32(); // gid
    this.r64(); // nlink
    this.r64(); // rdev
    this.size = this.r64();
    return this.short ? E_IO : 0;
  }

  lopen(fid: u32, flags: u32): i32 {
    this.begin(TLOPEN);
    this.u32(fid);
    this.u32(flags);
    return this.rpc();
  }

  /** Creates `name` in directory fid, which then stands for the new file, open with flags. */
  lcreate(fid: u32, name: string, flags: u32, mode: u32): i32 {
    this.begin(TLCREATE);
    this.u32(fid);
    this.str(name);
    this.u32(flags);
    this.u32(mode);
    this.u32(0);
    return this.rpc();
  }

  /** Reads up to len bytes at offset into dst; the count. */
  read(fid: u32, offset: u64, dst: usize, len: u32): i32 {
    this.begin(TREAD);
    this.u32(fid);
    this.u64(offset);
    this.u32(min(len, this.msize - IO_HDR));
    const r = this.rpc();
    if (r < 0) return r;
    const n = this.r32();
    if (this.short || n > len || this.rpos + n > this.rend) return E_IO;
    memory.copy(dst, this.rptr(), <usize>n);
    return <i32>n;
  }

  write(fid: u32, offset: u64, src: usize, len: u32): i32 {
    this.begin(TWRITE);
    this.u32(fid);
    this.u64(offset);
    const n = min(len, this.room() - 4);
    this.u32(n);
    this.bytes(src, n);
    const r = this.rpc();
    if (r < 0) return r;
    const count = this.r32();
    return this.short ? E_IO : <i32>count;
  }

  /**
   * Treaddir from a directory cookie: the reply's entries are then read with
   * nextEntry(). The number of entry bytes (0 at the end), or an error.
   */
  readdir(fid: u32, offset: u64): i32 {
    this.begin(TREADDIR);
    this.u32(fid);
    this.u64(offset);
    this.u32(this.msize - IO_HDR);
    const r = this.rpc();
    if (r < 0) return r;
    const n = this.r32();
    if (this.short || this.rpos + n > this.rend) return E_IO;
    this.rend = this.rpos + n;
    return <i32>n;
  }

  /** One entry of the last Rreaddir: false at its end. */
  entName: string = "";
  entOffset: u64 = 0;
  entQidType: u8 = 0;
  nextEntry(): bool {
    if (this.rpos >= this.rend) return false;
    this.entQidType = this.r8();
    this.r32();
    this.r64();
    this.entOffset = this.r64();
    this.r8(); // d_type
    this.entName = this.rstr();
    return !this.short;
  }

  mkdir(dfid: u32, name: string, mode: u32): i32 {
    this.begin(TMKDIR);
    this.u32(dfid);
    this.str(name);
    this.u32(mode);
    this.u32(0);
    return this.rpc();
  }

  unlinkat(dfid: u32, name: string, flags: u32): i32 {
    this.begin(TUNLINKAT);
    this.u32(dfid);
    this.str(name);
    this.u32(flags);
    return this.rpc();
  }
}
