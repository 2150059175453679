// The in-memory file tree behind the 9P server: what the guest sees as /host.
//
// Two kinds of callers change it. The server (for the guest) works on nodes
// and gets FsError with an errno back; the UI and the CLI use the path-based
// host API (writeFile, mkdir, remove, list, ...) and get FsError with a
// readable message. Both go through the same operations, so the limits hold
// for both and every change reaches the change listeners, tagged with its
// origin. `readOnly` refuses changes from the guest only.
//
// Times come from `clock` (milliseconds since 1970, like Date.now). The tree
// never reads the host clock itself: pass a deterministic clock (see
// guest-clock.ts) and a run that uses the tree stays a pure function of its
// inputs.
import type { StateReader, StateWriter } from '../../board/state-stream.ts';
import { EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EROFS, FsError } from './errno.ts';
import { DirNode, FileNode, timeFromMs, timeToMs, type Node, type Time } from './node.ts';
import { NAME_MAX } from './protocol.ts';
import { readTree, writeTree } from './tree-state.ts';
import { utf8Length } from './wire.ts';

export interface TreeLimits {
  /** Largest file, in bytes. */
  maxFileBytes: number;
  /** All file contents together, in bytes. */
  maxTotalBytes: number;
  /** Files and directories together, the root included. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<TreeLimits> = {
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxNodes: 10_000,
};

export interface HostTreeOptions {
  /** Milliseconds since 1970 for mtime/ctime/atime; default: always 0 (deterministic). */
  clock?: () => number;
  limits?: Partial<TreeLimits>;
  /** The guest may read but not change anything (EROFS). */
  readOnly?: boolean;
}

export type Origin = 'host' | 'guest';

export interface TreeChange {
  /** 'reset': the whole tree was replaced (snapshot restore). */
  op: 'create' | 'write' | 'remove' | 'rename' | 'attr' | 'reset';
  /** Absolute path ("/dir/file"); for a rename, the new one. */
  path: string;
  /** A rename's old path. */
  from?: string;
  kind: 'file' | 'dir';
  origin: Origin;
}

export interface FileInfo {
  path: string;
  name: string;
  kind: 'file' | 'dir';
  /** Bytes for a file; entries for a directory. */
  size: number;
  /** Permission bits. */
  mode: number;
  mtimeMs: number;
  /** Bumped by every content change. */
  version: number;
}

export interface TreeUsage extends TreeLimits {
  nodes: number;
  bytes: number;
}

/** The fields Tsetattr can change. */
export interface AttrChanges {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Time;
  mtime?: Time;
}

const encoder = new TextEncoder();

export class HostTree {
  clock: () => number;
  readonly limits: TreeLimits;
  readOnly: boolean;
  private rootNode: DirNode;
  private nextId = 2;
  private nodeCount = 1;
  private byteCount = 0;
  private readonly listeners = new Set<(change: TreeChange) => void>();

  constructor(options: HostTreeOptions = {}) {
    this.clock = options.clock ?? (() => 0);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.readOnly = options.readOnly ?? false;
    this.rootNode = new DirNode(1, 0o755, 0, 0, this.now());
  }

  get root(): DirNode { return this.rootNode; }

  /** The current time from the clock; a clock that throws or returns garbage gives 0. */
  now(): Time {
    let ms = 0;
    try { ms = this.clock(); } catch { ms = 0; }
    return timeFromMs(ms);
  }

  // ------------------------------------------------------------ events

  /** Calls `listener` after every change; returns a function that stops it. */
  onChange(listener: (change: TreeChange) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private emit(change: TreeChange): void {
    for (const l of [...this.listeners]) {
      // A listener's failure is the listener's problem: it must not fail a guest request.
      try { l(change); } catch { /* ignored */ }
    }
  }

  private emitFor(node: Node, op: TreeChange['op'], origin: Origin, from?: string): void {
    const path = this.pathOf(node);
    if (path === null || this.listeners.size === 0) return;
    this.emit(from === undefined ? { op, path, kind: node.kind, origin } : { op, path, from, kind: node.kind, origin });
  }

  // ------------------------------------------------------------ structure

  /** True while `node` is reachable from the root. */
  attached(node: Node): boolean {
    return node === this.rootNode || node.parent !== null;
  }

  /** "/a/b" for an attached node, null for a detached one. */
  pathOf(node: Node): string | null {
    if (node === this.rootNode) return '/';
    const parts: string[] = [];
    for (let n: Node | null = node; n !== this.rootNode; n = n.parent) {
      if (n === null) return null;
      parts.push(n.name);
    }
    return '/' + parts.reverse().join('/');
  }

  lookup(dir: DirNode, name: string): Node | undefined {
    return dir.entries.get(name)?.node;
  }

  usage(): TreeUsage {
    return { ...this.limits, nodes: this.nodeCount, bytes: this.byteCount };
  }

  /** A fid took hold of `node`. */
  retain(node: Node): void { node.refs++; }

  /** A fid let go of `node`; a detached node nobody holds is gone. */
  release(node: Node): void {
    if (node.refs > 0) node.refs--;
    if (node.refs === 0 && !this.attached(node)) this.free(node);
  }

  private free(node: Node): void {
    this.nodeCount--;
    if (node.kind === 'file') this.byteCount -= node.size;
  }

  /** After `node` was unlinked: freed now, or kept for the fids that hold it. */
  private detached(node: Node): void {
    if (node.refs === 0) this.free(node);
  }

  // ------------------------------------------------------------ operations (node based)

  /** Throws EINVAL/ENAMETOOLONG for a name that cannot be a directory entry. */
  checkName(name: string): void {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new FsError(EINVAL, `invalid file name ${JSON.stringify(name)}`);
    }
    if (utf8Length(name) > NAME_MAX) throw new FsError(ENAMETOOLONG, `file name longer than ${NAME_MAX} bytes`);
  }

  private mayChange(origin: Origin): void {
    if (origin === 'guest' && this.readOnly) throw new FsError(EROFS, 'the host tree is read-only for the guest');
  }

  private liveDir(dir: Node): DirNode {
    if (dir.kind !== 'dir') throw new FsError(ENOTDIR, `${this.describe(dir)} is not a directory`);
    if (!this.attached(dir)) throw new FsError(ENOENT, 'directory was removed');
    return dir;
  }

  private describe(node: Node): string {
    return this.pathOf(node) ?? `(removed ${node.kind})`;
  }

  private touchDir(dir: DirNode, now: Time): void {
    dir.mtime = now;
    dir.ctime = now;
    dir.bumpVersion();
  }

  /** Makes a new file or directory `name` in `dir`. */
  create(dir: Node, name: string, kind: 'file' | 'dir', mode: number, uid: number, gid: number, origin: Origin): Node {
    this.mayChange(origin);
    const parent = this.liveDir(dir);
    this.checkName(name);
    if (parent.entries.has(name)) throw new FsError(EEXIST, `${this.join(parent, name)} exists`);
    if (this.nodeCount + 1 > this.limits.maxNodes) throw new FsError(ENOSPC, `no room for more than ${this.limits.maxNodes} files`);
    const now = this.now();
    const node = kind === 'dir' ? new DirNode(this.nextId++, mode, uid, gid, now) : new FileNode(this.nextId++, mode, uid, gid, now);
    parent.link(name, node);
    this.nodeCount++;
    this.touchDir(parent, now);
    this.emitFor(node, 'create', origin);
    return node;
  }

  /** Unlinks `name` from `dir`; `expect` 'dir' is rmdir, 'file' is unlink, null takes either. */
  unlink(dir: Node, name: string, expect: 'file' | 'dir' | null, origin: Origin): void {
    this.mayChange(origin);
    const parent = this.liveDir(dir);
    if (name === '.' || name === '..') throw new FsError(EINVAL, `cannot remove ${JSON.stringify(name)}`);
    const node = this.lookup(parent, name);
    if (node === undefined) throw new FsError(ENOENT, `${this.join(parent, name)} does not exist`);
    if (expect === 'dir' && node.kind !== 'dir') throw new FsError(ENOTDIR, `${this.describe(node)} is not a directory`);
    if (expect === 'file' && node.kind === 'dir') throw new FsError(EISDIR, `${this.describe(node)} is a directory`);
    if (node.kind === 'dir' && node.entries.size > 0) throw new FsError(ENOTEMPTY, `${this.describe(node)} is not empty`);
    const path = this.pathOf(node)!;
    const now = this.now();
    parent.unlink(name);
    node.ctime = now;
    this.touchDir(parent, now);
    this.detached(node);
    this.emit({ op: 'remove', path, kind: node.kind, origin });
  }

  /** Moves `fromName` in `fromDir` to `toName` in `toDir`, replacing a compatible target (rename(2)). */
  move(fromDir: Node, fromName: string, toDir: Node, toName: string, origin: Origin): void {
    this.mayChange(origin);
    const src = this.liveDir(fromDir);
    const dst = this.liveDir(toDir);
    if (fromName === '.' || fromName === '..') throw new FsError(EINVAL, `cannot rename ${JSON.stringify(fromName)}`);
    this.checkName(toName);
    const node = this.lookup(src, fromName);
    if (node === undefined) throw new FsError(ENOENT, `${this.join(src, fromName)} does not exist`);
    const target = this.lookup(dst, toName);
    if (target === node) return;
    if (node.kind === 'dir') {
      for (let d: DirNode | null = dst; d !== null; d = d.parent) {
        if (d === node) throw new FsError(EINVAL, `cannot move ${this.describe(node)} into itself`);
      }
    }
    if (target !== undefined) {
      if (node.kind === 'dir' && target.kind !== 'dir') throw new FsError(ENOTDIR, `${this.describe(target)} is not a directory`);
      if (node.kind !== 'dir' && target.kind === 'dir') throw new FsError(EISDIR, `${this.describe(target)} is a directory`);
      if (target.kind === 'dir' && target.entries.size > 0) throw new FsError(ENOTEMPTY, `${this.describe(target)} is not empty`);
    }
    const from = this.pathOf(node)!;
    const now = this.now();
    src.unlink(fromName);
    if (target !== undefined) {
      dst.unlink(toName);
      target.ctime = now;
      this.detached(target);
    }
    dst.link(toName, node);
    node.ctime = now;
    this.touchDir(src, now);
    if (dst !== src) this.touchDir(dst, now);
    this.emitFor(node, 'rename', origin, from);
  }

  read(file: FileNode, offset: number, count: number): Uint8Array {
    return file.readAt(offset, count);
  }

  /** Writes `data` at `offset` (zero-filling a gap); returns the bytes written. */
  write(file: FileNode, offset: number, data: Uint8Array, origin: Origin): number {
    this.mayChange(origin);
    this.resizeCheck(file, Math.max(file.size, offset + data.length));
    const before = file.size;
    file.writeAt(offset, data);
    this.byteCount += file.size - before;
    this.changed(file, origin);
    return data.length;
  }

  truncate(file: FileNode, size: number, origin: Origin): void {
    this.mayChange(origin);
    this.resizeCheck(file, size);
    this.byteCount += size - file.size;
    file.resize(size);
    this.changed(file, origin);
  }

  /** Applies Tsetattr's changes; ctime becomes now. */
  setAttr(node: Node, changes: AttrChanges, origin: Origin): void {
    this.mayChange(origin);
    if (changes.size !== undefined) {
      if (node.kind === 'dir') throw new FsError(EISDIR, `${this.describe(node)} is a directory`);
      this.resizeCheck(node, changes.size);
    }
    const now = this.now();
    if (changes.mode !== undefined) node.mode = changes.mode & 0o7777;
    if (changes.uid !== undefined) node.uid = changes.uid >>> 0;
    if (changes.gid !== undefined) node.gid = changes.gid >>> 0;
    if (changes.size !== undefined && node.kind === 'file') {
      this.byteCount += changes.size - node.size;
      node.resize(changes.size);
      node.mtime = now;
      node.bumpVersion();
    }
    if (changes.atime !== undefined) node.atime = changes.atime;
    if (changes.mtime !== undefined) node.mtime = changes.mtime;
    node.ctime = now;
    this.emitFor(node, changes.size !== undefined ? 'write' : 'attr', origin);
  }

  private resizeCheck(file: FileNode, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0) throw new FsError(EINVAL, `bad file size ${size}`);
    if (size > this.limits.maxFileBytes) throw new FsError(EFBIG, `files are limited to ${this.limits.maxFileBytes} bytes`);
    if (this.byteCount + size - file.size > this.limits.maxTotalBytes) {
      throw new FsError(ENOSPC, `the tree is limited to ${this.limits.maxTotalBytes} bytes`);
    }
  }

  private changed(file: FileNode, origin: Origin): void {
    const now = this.now();
    file.mtime = now;
    file.ctime = now;
    file.bumpVersion();
    this.emitFor(file, 'write', origin);
  }

  private join(dir: DirNode, name: string): string {
    const p = this.describe(dir);
    return p === '/' ? `/${name}` : `${p}/${name}`;
  }

  // ------------------------------------------------------------ host API (paths)

  /** Splits "/a/b" (or "a/b") into names; "." and empty parts are skipped, ".." is refused. */
  private parse(path: string): string[] {
    const names = path.split('/').filter((p) => p !== '' && p !== '.');
    for (const n of names) {
      if (n === '..') throw new FsError(EINVAL, `${path}: ".." is not allowed in host paths`);
      this.checkName(n);
    }
    return names;
  }

  private resolve(path: string): Node {
    let node: Node = this.rootNode;
    for (const name of this.parse(path)) {
      if (node.kind !== 'dir') throw new FsError(ENOTDIR, `${path}: ${this.describe(node)} is not a directory`);
      const next = this.lookup(node, name);
      if (next === undefined) throw new FsError(ENOENT, `${path}: no such file or directory`);
      node = next;
    }
    return node;
  }

  private info(node: Node): FileInfo {
    return {
      path: this.pathOf(node) ?? '', name: node === this.rootNode ? '' : node.name, kind: node.kind,
      size: node.kind === 'file' ? node.size : node.entries.size, mode: node.mode,
      mtimeMs: timeToMs(node.mtime), version: node.version,
    };
  }

  /** Creates or replaces the file at `path` (and any missing parent directories). */
  writeFile(path: string, data: Uint8Array | string, options: { mode?: number } = {}): void {
    const names = this.parse(path);
    const name = names.pop();
    if (name === undefined) throw new FsError(EISDIR, 'the root is a directory');
    const dir = this.mkdirs(names, path);
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    let node = this.lookup(dir, name);
    if (node?.kind === 'dir') throw new FsError(EISDIR, `${path} is a directory`);
    if (node === undefined) {
      // Check the size before creating, so a refused file leaves nothing behind.
      if (bytes.length > this.limits.maxFileBytes) throw new FsError(EFBIG, `${path}: files are limited to ${this.limits.maxFileBytes} bytes`);
      if (this.byteCount + bytes.length > this.limits.maxTotalBytes) throw new FsError(ENOSPC, `${path}: the tree is limited to ${this.limits.maxTotalBytes} bytes`);
      node = this.create(dir, name, 'file', options.mode ?? 0o644, 0, 0, 'host');
    }
    const file = node as FileNode;
    this.resizeCheck(file, bytes.length);
    this.byteCount += bytes.length - file.size;
    file.replace(bytes);
    if (options.mode !== undefined) file.mode = options.mode & 0o7777;
    this.changed(file, 'host');
  }

  /** The file's contents (a copy). */
  readFile(path: string): Uint8Array {
    const node = this.resolve(path);
    if (node.kind !== 'file') throw new FsError(EISDIR, `${path} is a directory`);
    return node.contents().slice();
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.readFile(path));
  }

  /** Creates the directory and its missing parents (like mkdir -p). */
  mkdir(path: string, options: { mode?: number } = {}): void {
    this.mkdirs(this.parse(path), path, options.mode);
  }

  private mkdirs(names: string[], path: string, mode = 0o755): DirNode {
    let dir = this.rootNode;
    for (const name of names) {
      const next = this.lookup(dir, name) ?? this.create(dir, name, 'dir', mode, 0, 0, 'host');
      if (next.kind !== 'dir') throw new FsError(ENOTDIR, `${path}: ${this.describe(next)} is not a directory`);
      dir = next;
    }
    return dir;
  }

  /** Removes a file or an empty directory; `recursive` removes a directory with everything in it. */
  remove(path: string, options: { recursive?: boolean } = {}): void {
    const node = this.resolve(path);
    if (node === this.rootNode) throw new FsError(EBUSY, 'the root cannot be removed (use clear)');
    if (node.kind === 'dir' && options.recursive) this.emptyDir(node);
    this.unlink(node.parent!, node.name, null, 'host');
  }

  /** Removes everything. */
  clear(): void {
    this.emptyDir(this.rootNode);
  }

  private emptyDir(dir: DirNode): void {
    // Depth-first without recursion: a deep tree must not exhaust the stack.
    const stack: DirNode[] = [dir];
    while (stack.length > 0) {
      const d = stack[stack.length - 1]!;
      const sub = [...d.entries.values()].find((e) => e.node.kind === 'dir' && e.node.entries.size > 0);
      if (sub !== undefined) { stack.push(sub.node as DirNode); continue; }
      for (const name of [...d.entries.keys()]) this.unlink(d, name, null, 'host');
      stack.pop();
    }
  }

  /** Moves a file or directory (replacing a compatible target, like rename(2)). */
  rename(from: string, to: string): void {
    const node = this.resolve(from);
    if (node === this.rootNode) throw new FsError(EBUSY, 'the root cannot be renamed');
    const names = this.parse(to);
    const name = names.pop();
    if (name === undefined) throw new FsError(EBUSY, 'cannot rename onto the root');
    const dir = this.resolve('/' + names.join('/'));
    this.move(node.parent!, node.name, dir, name, 'host');
  }

  exists(path: string): boolean {
    return this.stat(path) !== null;
  }

  /** What is at `path`, or null when nothing is. */
  stat(path: string): FileInfo | null {
    try {
      return this.info(this.resolve(path));
    } catch (e) {
      if (e instanceof FsError && (e.errno === ENOENT || e.errno === ENOTDIR)) return null;
      throw e;
    }
  }

  /** The entries of a directory, in readdir order. */
  list(path = '/'): FileInfo[] {
    const node = this.resolve(path);
    if (node.kind !== 'dir') throw new FsError(ENOTDIR, `${path} is not a directory`);
    return [...node.entries.values()].map((e) => this.info(e.node));
  }

  /** Every file and directory below the root, parents before children. */
  entries(): FileInfo[] {
    const out: FileInfo[] = [];
    const stack: Node[] = [...this.rootNode.entries.values()].map((e) => e.node).reverse();
    while (stack.length > 0) {
      const n = stack.pop()!;
      out.push(this.info(n));
      if (n.kind === 'dir') stack.push(...[...n.entries.values()].map((e) => e.node).reverse());
    }
    return out;
  }

  // ------------------------------------------------------------ snapshots

  /** Writes the whole tree, plus the detached nodes in `held` (those fids still hold). */
  save(w: StateWriter, held: Iterable<Node> = []): void {
    writeTree(w, this.rootNode, this.nextId, held);
  }

  /**
   * Replaces the whole tree with a saved one; returns every restored node by
   * id, for the fids to find theirs. Reference counts start at 0. Throws
   * StateError (and changes nothing) when the state is inconsistent.
   */
  restore(r: StateReader): Map<number, Node> {
    const state = readTree(r);
    this.rootNode = state.root;
    this.nextId = state.nextId;
    this.nodeCount = state.byId.size;
    this.byteCount = 0;
    for (const n of state.byId.values()) if (n.kind === 'file') this.byteCount += n.size;
    this.emit({ op: 'reset', path: '/', kind: 'dir', origin: 'host' });
    return state.byId;
  }
}
