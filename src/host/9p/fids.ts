// The fid table of one 9P session: which node each client fid stands for,
// under which attach root and user, and whether (and how) it is open. Fids
// hold their nodes in the tree (retain/release), so a file unlinked while
// open stays readable until its last fid is clunked.
import { EBADF, EMFILE, FsError } from './errno.ts';
import type { DirNode, Node } from './node.ts';
import { NOFID } from './protocol.ts';
import type { HostTree } from './tree.ts';

export interface OpenMode {
  read: boolean;
  write: boolean;
  append: boolean;
}

export interface Fid {
  node: Node;
  /** The attach point: ".." never walks above it. */
  root: DirNode;
  /** Owner of what this fid creates (Tattach's n_uname). */
  uid: number;
  open: OpenMode | null;
}

export class FidTable {
  private readonly fids = new Map<number, Fid>();

  constructor(private readonly tree: HostTree, readonly max: number) {}

  get size(): number { return this.fids.size; }

  has(fid: number): boolean { return this.fids.has(fid); }

  get(fid: number): Fid {
    const f = this.fids.get(fid);
    if (f === undefined) throw new FsError(EBADF, `fid ${fid} is not in use`);
    return f;
  }

  /** Binds a new fid (EBADF if it is taken or NOFID, EMFILE past the limit). */
  add(fid: number, entry: Fid): void {
    if (fid === NOFID || this.fids.has(fid)) throw new FsError(EBADF, `fid ${fid} is already in use`);
    if (this.fids.size >= this.max) throw new FsError(EMFILE, `more than ${this.max} fids`);
    this.tree.retain(entry.node);
    this.fids.set(fid, entry);
  }

  /** Points an existing fid at another node (walk onto itself, lcreate). */
  repoint(fid: number, node: Node): void {
    const f = this.get(fid);
    this.tree.retain(node);
    this.tree.release(f.node);
    f.node = node;
  }

  clunk(fid: number): void {
    const f = this.get(fid);
    this.fids.delete(fid);
    this.tree.release(f.node);
  }

  /** Clunks every fid (a new Tversion, a device reset). */
  clear(): void {
    for (const f of this.fids.values()) this.tree.release(f.node);
    this.fids.clear();
  }

  /** Drops every fid without touching the tree (its state is being replaced). */
  forget(): void {
    this.fids.clear();
  }

  /** Fids in ascending order, so a snapshot does not depend on history. */
  sorted(): Array<[number, Fid]> {
    return [...this.fids.entries()].sort((a, b) => a[0] - b[0]);
  }
}
