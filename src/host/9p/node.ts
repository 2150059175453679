// The nodes of the in-memory file tree: directories and regular files. A node
// keeps its identity (its qid path) for life, across renames; a node that is
// unlinked while a fid still holds it lives on detached (parent null), the way
// an open file outlives its name on Linux.

/** A timestamp as 9P carries it. */
export interface Time {
  sec: number;
  nsec: number;
}

/** A directory entry: the node and its readdir cookie (increasing in insertion order, never reused). */
export interface DirEntry {
  node: Node;
  cookie: number;
}

abstract class NodeBase {
  /** Set by the tree when the node is linked into a directory; null when detached. */
  parent: DirNode | null = null;
  name = '';
  /** Permission bits (st_mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bumped on every content change; the qid version (mod 2^32). */
  version = 0;
  atime: Time;
  mtime: Time;
  ctime: Time;
  btime: Time;
  /** Fids holding this node (the server's count): a detached node is freed when it drops to 0. */
  refs = 0;

  constructor(readonly id: number, mode: number, uid: number, gid: number, now: Time) {
    this.mode = mode & 0o7777;
    this.uid = uid >>> 0;
    this.gid = gid >>> 0;
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.btime = now;
  }

  bumpVersion(): void { this.version = (this.version + 1) >>> 0; }
}

export class FileNode extends NodeBase {
  readonly kind = 'file';
  /** Capacity buffer; bytes [0, size) are the contents. */
  private buf = new Uint8Array(0);
  private length = 0;

  get size(): number { return this.length; }

  /** The contents (a view: valid until the next change). */
  contents(): Uint8Array { return this.buf.subarray(0, this.length); }

  readAt(offset: number, count: number): Uint8Array {
    if (offset >= this.length) return new Uint8Array(0);
    return this.buf.slice(offset, Math.min(this.length, offset + count));
  }

  /** Writes at `offset`, zero-filling any gap after the old end. */
  writeAt(offset: number, data: Uint8Array): void {
    const end = offset + data.length;
    if (end > this.length) this.resize(end);
    this.buf.set(data, offset);
  }

  /** Truncates or zero-extends to `size` bytes. */
  resize(size: number): void {
    if (size > this.buf.length) {
      const next = new Uint8Array(Math.max(size, Math.min(this.buf.length * 2, size + (1 << 20))));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    } else if (size < this.length) {
      this.buf.fill(0, size, this.length);
    }
    this.length = size;
  }

  replace(data: Uint8Array): void {
    this.buf = data.slice();
    this.length = data.length;
  }
}

export class DirNode extends NodeBase {
  readonly kind = 'dir';
  readonly entries = new Map<string, DirEntry>();
  /** Cookies 1 and 2 are "." and ".."; children start at 3. */
  nextCookie = 3;

  link(name: string, node: Node): void {
    this.entries.set(name, { node, cookie: this.nextCookie++ });
    node.parent = this;
    node.name = name;
  }

  /** Relinks an entry with its old cookie (snapshot restore). */
  relink(name: string, node: Node, cookie: number): void {
    this.entries.set(name, { node, cookie });
    node.parent = this;
    node.name = name;
  }

  unlink(name: string): Node | undefined {
    const e = this.entries.get(name);
    if (e === undefined) return undefined;
    this.entries.delete(name);
    e.node.parent = null;
    return e.node;
  }

  /** Number of subdirectories (for nlink). */
  subdirs(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.node.kind === 'dir') n++;
    return n;
  }
}

export type Node = FileNode | DirNode;

/** Milliseconds since 1970 (a Date.now()-like clock) as a 9P timestamp. */
export function timeFromMs(ms: number): Time {
  const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const sec = Math.floor(v / 1000);
  const nsec = Math.min(999_999_999, Math.floor((v - sec * 1000) * 1e6));
  return { sec, nsec };
}

export function timeToMs(t: Time): number {
  return t.sec * 1000 + Math.floor(t.nsec / 1e6);
}
