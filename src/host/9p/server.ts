// The 9P2000.L server: one session (one client) over a HostTree.
//
// `handle` takes one request message and returns its reply. It never throws:
// a message it cannot decode is answered with Rlerror (EPROTO, EILSEQ,
// EOPNOTSUPP, EMSGSIZE) when it has a tag, or dropped (null) when it has
// none; every failed operation is an Rlerror with a Linux errno. All requests
// complete before `handle` returns, so there is never anything for Tflush to
// abort.
import type { NinePTransport } from '../../board/devices/virtio/9p.ts';
import { StateError, type StateReader, type StateWriter } from '../../board/state-stream.ts';
import { decode, encode, encodeError, isReply } from './codec.ts';
import { direntSize, writeDirent } from './dirent.ts';
import {
  EBADF, EBUSY, EFBIG, EINVAL, EIO, EISDIR, EMSGSIZE, ENOENT, ENOTDIR, EOPNOTSUPP, EPROTO, EROFS, FsError,
} from './errno.ts';
import { FidTable, type Fid, type OpenMode } from './fids.ts';
import type { Message, Msg } from './messages.ts';
import type { DirNode, FileNode, Node, Time } from './node.ts';
import {
  AT_REMOVEDIR, BLOCK_SIZE, DT_DIR, DT_REG, GETATTR_ALL, IOHDRSZ, MAXWELEM, NAME_MAX, NOFID, NONUNAME,
  O_ACCMODE, O_APPEND, O_DIRECTORY, O_RDONLY, O_TRUNC, O_WRONLY, QTDIR, QTFILE, RREAD_HEADER,
  S_IFDIR, S_IFREG, SETATTR_ATIME, SETATTR_ATIME_SET, SETATTR_GID, SETATTR_MODE, SETATTR_MTIME,
  SETATTR_MTIME_SET, SETATTR_SIZE, SETATTR_UID, V9FS_MAGIC, VERSION_9P2000_L, VERSION_UNKNOWN,
} from './protocol.ts';
import type { AttrChanges, HostTree } from './tree.ts';
import { WireWriter, type Qid } from './wire.ts';

export interface NinePServerOptions {
  /** Largest msize the server agrees to (default 128 KiB + IOHDRSZ). */
  maxMsize?: number;
  /** Most fids a session may hold at once (default 1024). */
  maxFids?: number;
}

/** Below this msize a getattr or a long directory entry would not fit in a reply. */
export const MIN_MSIZE = 512;
export const DEFAULT_MAX_MSIZE = 128 * 1024 + IOHDRSZ;
const DEFAULT_MAX_FIDS = 1024;

type Reply = Message;

export class NinePServer implements NinePTransport {
  readonly maxMsize: number;
  /** The negotiated msize; 0 until a Tversion succeeds. */
  private msize = 0;
  private readonly fids: FidTable;
  /** Requests that hit a server bug (answered EIO); stays 0 unless something is wrong here. */
  internalErrors = 0;

  constructor(readonly tree: HostTree, options: NinePServerOptions = {}) {
    this.maxMsize = Math.max(MIN_MSIZE, Math.floor(options.maxMsize ?? DEFAULT_MAX_MSIZE));
    this.fids = new FidTable(tree, options.maxFids ?? DEFAULT_MAX_FIDS);
  }

  /** The negotiated msize (0: no session). */
  get sessionMsize(): number { return this.msize; }

  /** Fids in use. */
  get fidCount(): number { return this.fids.size; }

  handle(request: Uint8Array, maxReply = Number.MAX_SAFE_INTEGER): Uint8Array | null {
    const limit = Math.min(this.msize || this.maxMsize, maxReply);
    const fit = (reply: Uint8Array, tag: number): Uint8Array | null => {
      if (reply.length <= limit) return reply;
      return limit >= RREAD_HEADER ? encodeError(tag, EMSGSIZE) : null;
    };
    const d = decode(request);
    if (!d.ok) return d.tag === null ? null : fit(encodeError(d.tag, d.errno), d.tag);
    const msg = d.msg;
    if (d.size > (this.msize || this.maxMsize)) return fit(encodeError(msg.tag, EMSGSIZE), msg.tag);
    let reply: Uint8Array;
    try {
      if (isReply(msg.type)) throw new FsError(EPROTO, `${msg.type} is a reply`);
      if (msg.type !== 'Tversion' && this.msize === 0) throw new FsError(EPROTO, 'no Tversion yet');
      reply = encode(this.dispatch(msg, limit));
    } catch (e) {
      if (!(e instanceof FsError)) this.internalErrors++;
      reply = encodeError(msg.tag, e instanceof FsError ? e.errno : EIO);
    }
    return fit(reply, msg.tag);
  }

  /** The session ends: every fid is clunked and a new Tversion is needed. */
  reset(): void {
    this.fids.clear();
    this.msize = 0;
  }

  // ------------------------------------------------------------ dispatch

  private dispatch(m: Message, limit: number): Reply {
    const tag = m.tag;
    switch (m.type) {
      case 'Tversion': return this.version(m);
      case 'Tauth': throw new FsError(EOPNOTSUPP, 'no authentication');
      case 'Tattach': return { type: 'Rattach', tag, qid: this.attach(m) };
      case 'Tflush': return { type: 'Rflush', tag };
      case 'Twalk': return { type: 'Rwalk', tag, wqids: this.walk(m) };
      case 'Tlopen': return { type: 'Rlopen', tag, ...this.lopen(m) };
      case 'Tlcreate': return { type: 'Rlcreate', tag, ...this.lcreate(m) };
      case 'Tread': return { type: 'Rread', tag, data: this.read(m, limit) };
      case 'Twrite': return { type: 'Rwrite', tag, count: this.write(m) };
      case 'Tclunk': this.fids.clunk(m.fid); return { type: 'Rclunk', tag };
      case 'Tremove': this.remove(m.fid); return { type: 'Rremove', tag };
      case 'Tunlinkat': this.unlinkat(m); return { type: 'Runlinkat', tag };
      case 'Tmkdir': return { type: 'Rmkdir', tag, qid: this.mkdir(m) };
      case 'Tgetattr': return this.getattr(tag, this.fids.get(m.fid).node);
      case 'Tsetattr': this.setattr(m); return { type: 'Rsetattr', tag };
      case 'Treaddir': return { type: 'Rreaddir', tag, data: this.readdir(m, limit) };
      case 'Tstatfs': this.fids.get(m.fid); return this.statfs(tag);
      case 'Tfsync': this.fids.get(m.fid); return { type: 'Rfsync', tag };
      case 'Trename': this.rename(m); return { type: 'Rrename', tag };
      case 'Trenameat':
        this.tree.move(this.fids.get(m.olddirfid).node, m.oldname, this.fids.get(m.newdirfid).node, m.newname, 'guest');
        return { type: 'Rrenameat', tag };
      default: throw new FsError(EOPNOTSUPP, `${m.type} is not supported`);
    }
  }

  private version(m: Msg<'Tversion'>): Reply {
    // A Tversion aborts the session whatever it negotiates.
    this.fids.clear();
    this.msize = 0;
    if (m.version !== VERSION_9P2000_L) return { type: 'Rversion', tag: m.tag, msize: Math.min(m.msize, this.maxMsize), version: VERSION_UNKNOWN };
    if (m.msize < MIN_MSIZE) throw new FsError(EINVAL, `msize ${m.msize} is below ${MIN_MSIZE}`);
    this.msize = Math.min(m.msize, this.maxMsize);
    return { type: 'Rversion', tag: m.tag, msize: this.msize, version: VERSION_9P2000_L };
  }

  private attach(m: Msg<'Tattach'>): Qid {
    if (this.fids.has(m.fid)) throw new FsError(EBADF, `fid ${m.fid} is already in use`);
    if (m.afid !== NOFID) throw new FsError(EBADF, 'no authentication fids');
    // aname selects a directory of the tree to attach at ("" and "/" are the root).
    let node: Node = this.tree.root;
    for (const name of m.aname.split('/').filter((p) => p !== '' && p !== '.')) {
      if (node.kind !== 'dir') throw new FsError(ENOTDIR, `aname ${m.aname}: not a directory`);
      const next: Node | undefined = name === '..' ? (node.parent ?? node) : this.tree.lookup(node, name);
      if (next === undefined) throw new FsError(ENOENT, `aname ${m.aname} does not exist`);
      node = next;
    }
    if (node.kind !== 'dir') throw new FsError(ENOTDIR, `aname ${m.aname}: not a directory`);
    this.fids.add(m.fid, { node, root: node, uid: m.nUname === NONUNAME ? 0 : m.nUname, open: null });
    return qidOf(node);
  }

  private walk(m: Msg<'Twalk'>): Qid[] {
    const from = this.fids.get(m.fid);
    if (m.newfid === m.fid && from.open !== null) throw new FsError(EINVAL, `fid ${m.fid} is open`);
    if (m.newfid !== m.fid && this.fids.has(m.newfid)) throw new FsError(EBADF, `fid ${m.newfid} is already in use`);
    if (m.wnames.length > MAXWELEM) throw new FsError(EINVAL, `walk of ${m.wnames.length} names (at most ${MAXWELEM})`);
    const qids: Qid[] = [];
    let node = from.node;
    let failure = 0;
    for (const name of m.wnames) {
      if (node.kind !== 'dir') { failure = ENOTDIR; break; }
      let next: Node | undefined;
      if (name === '..') next = node === from.root ? node : (node.parent ?? node);
      else if (name === '.') next = node;
      else next = this.tree.lookup(node, name);
      if (next === undefined) { failure = ENOENT; break; }
      node = next;
      qids.push(qidOf(node));
    }
    // Only the first name failing is an error; a partial walk is an Rwalk with fewer qids and no newfid.
    if (qids.length < m.wnames.length) {
      if (qids.length === 0) throw new FsError(failure);
      return qids;
    }
    if (m.newfid === m.fid) this.fids.repoint(m.fid, node);
    else this.fids.add(m.newfid, { node, root: from.root, uid: from.uid, open: null });
    return qids;
  }

  private openMode(flags: number): OpenMode {
    const acc = flags & O_ACCMODE;
    if (acc === O_ACCMODE) throw new FsError(EINVAL, 'bad access mode');
    return { read: acc !== O_WRONLY, write: acc !== O_RDONLY, append: (flags & O_APPEND) !== 0 };
  }

  private iounit(): number {
    return this.msize - IOHDRSZ;
  }

  private lopen(m: Msg<'Tlopen'>): { qid: Qid; iounit: number } {
    const f = this.fids.get(m.fid);
    if (f.open !== null) throw new FsError(EINVAL, `fid ${m.fid} is already open`);
    const mode = this.openMode(m.flags);
    const node = f.node;
    if (node.kind === 'dir') {
      if (mode.write) throw new FsError(EISDIR);
    } else {
      if (m.flags & O_DIRECTORY) throw new FsError(ENOTDIR);
      if (mode.write && this.tree.readOnly) throw new FsError(EROFS);
      if (mode.write && (m.flags & O_TRUNC)) this.tree.truncate(node, 0, 'guest');
    }
    f.open = mode;
    return { qid: qidOf(node), iounit: this.iounit() };
  }

  private lcreate(m: Msg<'Tlcreate'>): { qid: Qid; iounit: number } {
    const f = this.fids.get(m.fid);
    if (f.open !== null) throw new FsError(EINVAL, `fid ${m.fid} is already open`);
    const mode = this.openMode(m.flags);
    const file = this.tree.create(f.node, m.name, 'file', m.mode, f.uid, m.gid, 'guest');
    this.fids.repoint(m.fid, file);
    f.open = mode;
    return { qid: qidOf(file), iounit: this.iounit() };
  }

  private openFile(fid: number, want: 'read' | 'write'): FileNode {
    const f = this.fids.get(fid);
    if (f.node.kind === 'dir') throw new FsError(EISDIR);
    if (f.open === null || !f.open[want]) throw new FsError(EBADF, `fid ${fid} is not open for ${want === 'read' ? 'reading' : 'writing'}`);
    return f.node;
  }

  private read(m: Msg<'Tread'>, limit: number): Uint8Array {
    const file = this.openFile(m.fid, 'read');
    const count = Math.max(0, Math.min(m.count, limit - RREAD_HEADER));
    return m.offset >= BigInt(file.size) ? new Uint8Array(0) : this.tree.read(file, Number(m.offset), count);
  }

  private write(m: Msg<'Twrite'>): number {
    const file = this.openFile(m.fid, 'write');
    const f = this.fids.get(m.fid);
    if (f.open!.append) return this.tree.write(file, file.size, m.data, 'guest');
    if (m.offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new FsError(EFBIG);
    return this.tree.write(file, Number(m.offset), m.data, 'guest');
  }

  private remove(fid: number): void {
    const f = this.fids.get(fid);
    // The fid is clunked whether or not the remove succeeds.
    try {
      const node = f.node;
      if (node === this.tree.root || node === f.root) throw new FsError(EBUSY, 'cannot remove the attach point');
      if (node.parent === null) throw new FsError(ENOENT);
      this.tree.unlink(node.parent, node.name, null, 'guest');
    } finally {
      this.fids.clunk(fid);
    }
  }

  private unlinkat(m: Msg<'Tunlinkat'>): void {
    if (m.flags & ~AT_REMOVEDIR) throw new FsError(EINVAL, `unlinkat flags 0x${m.flags.toString(16)}`);
    this.tree.unlink(this.fids.get(m.dirfid).node, m.name, m.flags & AT_REMOVEDIR ? 'dir' : 'file', 'guest');
  }

  private mkdir(m: Msg<'Tmkdir'>): Qid {
    const f = this.fids.get(m.dfid);
    return qidOf(this.tree.create(f.node, m.name, 'dir', m.mode, f.uid, m.gid, 'guest'));
  }

  private rename(m: Msg<'Trename'>): void {
    const f = this.fids.get(m.fid);
    const dir = this.fids.get(m.dfid).node;
    const node = f.node;
    if (node === this.tree.root || node === f.root) throw new FsError(EBUSY, 'cannot rename the attach point');
    if (node.parent === null) throw new FsError(ENOENT);
    this.tree.move(node.parent, node.name, dir, m.name, 'guest');
  }

  private getattr(tag: number, node: Node): Reply {
    const size = node.kind === 'file' ? node.size : 0;
    const attached = this.tree.attached(node);
    const nlink = node.kind === 'dir' ? (attached ? 2 + node.subdirs() : 0) : (attached ? 1 : 0);
    const t = (time: Time): [bigint, bigint] => [BigInt(time.sec), BigInt(time.nsec)];
    const [atimeSec, atimeNsec] = t(node.atime);
    const [mtimeSec, mtimeNsec] = t(node.mtime);
    const [ctimeSec, ctimeNsec] = t(node.ctime);
    const [btimeSec, btimeNsec] = t(node.btime);
    return {
      type: 'Rgetattr', tag, valid: GETATTR_ALL, qid: qidOf(node),
      mode: (node.kind === 'dir' ? S_IFDIR : S_IFREG) | node.mode, uid: node.uid, gid: node.gid,
      nlink: BigInt(nlink), rdev: 0n, size: BigInt(size), blksize: BigInt(BLOCK_SIZE), blocks: BigInt(Math.ceil(size / 512)),
      atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec, btimeSec, btimeNsec,
      gen: 0n, dataVersion: BigInt(node.version),
    };
  }

  private setattr(m: Msg<'Tsetattr'>): void {
    const node = this.fids.get(m.fid).node;
    const v = m.valid;
    const changes: AttrChanges = {};
    if (v & SETATTR_MODE) changes.mode = m.mode;
    if (v & SETATTR_UID) changes.uid = m.uid;
    if (v & SETATTR_GID) changes.gid = m.gid;
    if (v & SETATTR_SIZE) {
      if (m.size > BigInt(Number.MAX_SAFE_INTEGER)) throw new FsError(EFBIG);
      changes.size = Number(m.size);
    }
    const time = (set: boolean, sec: bigint, nsec: bigint): Time => {
      if (!set) return this.tree.now();
      if (nsec > 999_999_999n || sec > BigInt(Number.MAX_SAFE_INTEGER)) throw new FsError(EINVAL, 'time out of range');
      return { sec: Number(sec), nsec: Number(nsec) };
    };
    if (v & SETATTR_ATIME) changes.atime = time((v & SETATTR_ATIME_SET) !== 0, m.atimeSec, m.atimeNsec);
    if (v & SETATTR_MTIME) changes.mtime = time((v & SETATTR_MTIME_SET) !== 0, m.mtimeSec, m.mtimeNsec);
    this.tree.setAttr(node, changes, 'guest');
  }

  private readdir(m: Msg<'Treaddir'>, limit: number): Uint8Array {
    const f = this.fids.get(m.fid);
    const dir = f.node;
    if (dir.kind !== 'dir') throw new FsError(ENOTDIR);
    if (f.open === null) throw new FsError(EBADF, `fid ${m.fid} is not open`);
    const room = Math.max(0, Math.min(m.count, limit - RREAD_HEADER));
    const parent: DirNode = dir === f.root ? dir : (dir.parent ?? dir);
    const entries: Array<[string, Node, number]> = [['.', dir, 1], ['..', parent, 2]];
    for (const [name, e] of dir.entries) entries.push([name, e.node, e.cookie]);
    const w = new WireWriter();
    let skipped = false;
    for (const [name, node, cookie] of entries) {
      if (BigInt(cookie) <= m.offset) continue;
      if (w.length + direntSize(name) > room) { skipped = true; break; }
      writeDirent(w, { qid: qidOf(node), offset: BigInt(cookie), type: node.kind === 'dir' ? DT_DIR : DT_REG, name });
    }
    if (w.length === 0 && skipped) throw new FsError(EINVAL, `readdir count ${m.count} is too small for the next entry`);
    return w.finish();
  }

  private statfs(tag: number): Reply {
    const u = this.tree.usage();
    const blocks = Math.floor(u.maxTotalBytes / BLOCK_SIZE);
    const free = Math.max(0, Math.floor((u.maxTotalBytes - u.bytes) / BLOCK_SIZE));
    return {
      type: 'Rstatfs', tag, fsType: V9FS_MAGIC, bsize: BLOCK_SIZE, blocks: BigInt(blocks), bfree: BigInt(free),
      bavail: BigInt(free), files: BigInt(u.maxNodes), ffree: BigInt(Math.max(0, u.maxNodes - u.nodes)),
      fsid: 0n, namelen: NAME_MAX,
    };
  }

  // ------------------------------------------------------------ snapshots

  save(w: StateWriter): void {
    w.tag('9p-server');
    w.u32(this.msize);
    const fids = this.fids.sorted();
    this.tree.save(w, fids.map(([, f]) => f.node));
    w.u32(fids.length);
    for (const [fid, f] of fids) {
      w.u32(fid);
      w.u53(f.node.id);
      w.u53(f.root.id);
      w.u32(f.uid);
      w.u8(f.open === null ? 0 : 1 | (f.open.read ? 2 : 0) | (f.open.write ? 4 : 0) | (f.open.append ? 8 : 0));
    }
  }

  restore(r: StateReader): void {
    r.tag('9p-server');
    const msize = r.u32();
    if (msize !== 0 && (msize < MIN_MSIZE || msize > this.maxMsize)) throw new StateError(`9p msize ${msize} out of range`);
    const nodes = this.tree.restore(r);
    this.fids.forget();
    this.msize = msize;
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const fid = r.u32();
      const node = nodes.get(r.u53());
      const root = nodes.get(r.u53());
      const uid = r.u32();
      const bits = r.u8();
      if (node === undefined || root === undefined || root.kind !== 'dir') throw new StateError(`9p fid ${fid} refers to a missing node`);
      const open = bits & 1 ? { read: (bits & 2) !== 0, write: (bits & 4) !== 0, append: (bits & 8) !== 0 } : null;
      const entry: Fid = { node, root, uid, open };
      try {
        this.fids.add(fid, entry);
      } catch (e) {
        throw new StateError(`9p fid ${fid}: ${(e as Error).message}`);
      }
    }
  }
}

export function qidOf(node: Node): Qid {
  return { type: node.kind === 'dir' ? QTDIR : QTFILE, version: node.version, path: BigInt(node.id) };
}
