// The host tree in machine snapshots: every node reachable from the root, in
// breadth-first order (so a parent always comes before its children and each
// directory's entries keep their order and readdir cookies), then the
// detached nodes that fids still hold. Node ids, versions and times are kept,
// so qids and readdir offsets a guest holds stay valid after a restore.
import { StateError, type StateReader, type StateWriter } from '../../board/state-stream.ts';
import { DirNode, FileNode, type Node, type Time } from './node.ts';

const KIND_FILE = 0;
const KIND_DIR = 1;

export interface TreeState {
  root: DirNode;
  nextId: number;
  /** Every node, by id (the tree's and the detached ones). */
  byId: Map<number, Node>;
}

/** Writes `root`'s tree and the detached `held` nodes. */
export function writeTree(w: StateWriter, root: DirNode, nextId: number, held: Iterable<Node>): void {
  const order: Node[] = [root];
  for (let i = 0; i < order.length; i++) {
    const n = order[i]!;
    if (n.kind === 'dir') for (const e of n.entries.values()) order.push(e.node);
  }
  const seen = new Set(order);
  const detached = [...new Set(held)].filter((n) => !seen.has(n)).sort((a, b) => a.id - b.id);
  w.tag('host-tree');
  w.u53(nextId);
  w.u32(order.length);
  for (const n of order) writeNode(w, n, n === root ? 0 : n.parent!.id, n === root ? 0 : n.parent!.entries.get(n.name)!.cookie);
  w.u32(detached.length);
  for (const n of detached) writeNode(w, n, 0, 0);
}

function writeTime(w: StateWriter, t: Time): void {
  w.u53(t.sec);
  w.u32(t.nsec);
}

function writeNode(w: StateWriter, n: Node, parentId: number, cookie: number): void {
  w.u53(n.id);
  w.u8(n.kind === 'dir' ? KIND_DIR : KIND_FILE);
  w.u53(parentId);
  w.u32(cookie);
  w.str(n.name);
  w.u32(n.mode);
  w.u32(n.uid);
  w.u32(n.gid);
  w.u32(n.version);
  writeTime(w, n.atime);
  writeTime(w, n.mtime);
  writeTime(w, n.ctime);
  writeTime(w, n.btime);
  if (n.kind === 'file') w.bytes(n.contents());
  else w.u32(n.nextCookie);
}

export function readTree(r: StateReader): TreeState {
  r.tag('host-tree');
  const nextId = r.u53();
  const byId = new Map<number, Node>();
  const count = r.u32();
  let root: DirNode | null = null;
  for (let i = 0; i < count; i++) {
    const { node, parentId, cookie } = readNode(r, nextId);
    if (byId.has(node.id)) throw new StateError(`host tree node ${node.id} twice`);
    byId.set(node.id, node);
    if (i === 0) {
      if (node.kind !== 'dir' || parentId !== 0) throw new StateError('host tree has no root directory');
      root = node;
      continue;
    }
    const parent = byId.get(parentId);
    if (parent === undefined || parent.kind !== 'dir' || parent.entries.has(node.name) || cookie >= parent.nextCookie) {
      throw new StateError(`host tree node ${node.id} has no place in its parent ${parentId}`);
    }
    parent.relink(node.name, node, cookie);
  }
  if (root === null) throw new StateError('host tree is empty');
  const detached = r.u32();
  for (let i = 0; i < detached; i++) {
    const { node } = readNode(r, nextId);
    if (byId.has(node.id)) throw new StateError(`host tree node ${node.id} twice`);
    byId.set(node.id, node);
  }
  return { root, nextId, byId };
}

function readTime(r: StateReader): Time {
  const sec = r.u53();
  const nsec = r.u32();
  if (nsec > 999_999_999) throw new StateError('host tree time out of range');
  return { sec, nsec };
}

function readNode(r: StateReader, nextId: number): { node: Node; parentId: number; cookie: number } {
  const id = r.u53();
  const kind = r.u8();
  const parentId = r.u53();
  const cookie = r.u32();
  const name = r.str();
  const mode = r.u32();
  const uid = r.u32();
  const gid = r.u32();
  const version = r.u32();
  const atime = readTime(r);
  const mtime = readTime(r);
  const ctime = readTime(r);
  const btime = readTime(r);
  if (id === 0 || id >= nextId || (kind !== KIND_FILE && kind !== KIND_DIR)) throw new StateError(`bad host tree node ${id}`);
  const node = kind === KIND_DIR ? new DirNode(id, mode, uid, gid, atime) : new FileNode(id, mode, uid, gid, atime);
  node.name = name;
  node.version = version;
  node.mtime = mtime;
  node.ctime = ctime;
  node.btime = btime;
  if (node.kind === 'file') node.replace(r.bytes());
  else node.nextCookie = r.u32();
  return { node, parentId, cookie };
}
