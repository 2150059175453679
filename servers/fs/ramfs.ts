// /tmp: a tree of directories and files in RAM. File data is a sparse list of
// blocks (blocks.ts): a block never written reads as zeros. A file removed
// while open keeps its data until its last handle closes, like POSIX.
import {
  E_END,
  E_EXISTS,
  E_IS_DIR,
  E_NOT_DIR,
  E_NOT_EMPTY,
  E_NOT_FOUND,
  E_NO_SPACE,
  E_READ_ONLY,
  FS_KIND_DIR,
  FS_KIND_FILE,
  FS_O_CREATE,
  FS_O_TRUNCATE,
} from "../sdk/assembly";
import { BLOCK, allocBlock, freeBlock } from "./blocks";
import { Entry, Mount, OpenFile } from "./vfs";

/** At most this many files and directories, so the bookkeeping fits the heap reserve. */
export const MAX_NODES: i32 = 512;
/** Largest /tmp file (the block list stays small). */
export const MAX_FILE: u32 = 16 << 20;

class Node {
  children: Node[] = [];
  blocks: usize[] = [];
  size: u32 = 0;
  opens: i32 = 0;
  removed: bool = false;
  constructor(public name: string, public isDir: bool) {}

  child(name: string): Node | null {
    const c = this.children;
    for (let i = 0; i < c.length; i++) if (c[i].name == name) return c[i];
    return null;
  }

  truncate(): void {
    const b = this.blocks;
    for (let i = 0; i < b.length; i++) if (b[i] != 0) freeBlock(b[i]);
    this.blocks = [];
    this.size = 0;
  }
}

class RamFile extends OpenFile {
  constructor(private node: Node) {
    super();
    node.opens++;
  }

  read(offset: u32, dst: usize, len: u32): i32 {
    const n = this.node;
    if (offset >= n.size) return 0;
    const count = min(len, n.size - offset);
    let done: u32 = 0;
    while (done < count) {
      const at = offset + done;
      const bi = <i32>(at / BLOCK);
      const within = at % BLOCK;
      const piece = min(count - done, BLOCK - within);
      const b = bi < n.blocks.length ? n.blocks[bi] : 0;
      if (b == 0) memory.fill(dst + <usize>done, 0, <usize>piece);
      else memory.copy(dst + <usize>done, b + <usize>within, <usize>piece);
      done += piece;
    }
    return <i32>count;
  }

  write(offset: u32, src: usize, len: u32, append: bool): i32 {
    const n = this.node;
    const start = append ? n.size : offset;
    if (<u64>start + <u64>len > <u64>MAX_FILE) return E_NO_SPACE;
    let done: u32 = 0;
    while (done < len) {
      const at = start + done;
      const bi = <i32>(at / BLOCK);
      const within = at % BLOCK;
      const piece = min(len - done, BLOCK - within);
      while (n.blocks.length <= bi) n.blocks.push(0);
      let b = n.blocks[bi];
      if (b == 0) {
        b = allocBlock();
        if (b == 0) break; // quota reached: a short write, or E_NO_SPACE below
        n.blocks[bi] = b;
      }
      memory.copy(b + <usize>within, src + <usize>done, <usize>piece);
      done += piece;
    }
    if (done == 0 && len > 0) return E_NO_SPACE;
    if (start + done > n.size) n.size = start + done;
    return <i32>done;
  }

  close(): void {
    const n = this.node;
    n.opens--;
    if (n.opens == 0 && n.removed) n.truncate();
  }
}

export class RamFs extends Mount {
  private root: Node = new Node("", true);
  private nodes: i32 = 1;

  /** The node at names, or null with `lookupError` saying why. */
  private lookupError: i32 = 0;
  private lookup(names: string[], upTo: i32): Node | null {
    let n = this.root;
    for (let i = 0; i < upTo; i++) {
      if (!n.isDir) {
        this.lookupError = E_NOT_DIR;
        return null;
      }
      const c = n.child(names[i]);
      if (c === null) {
        this.lookupError = E_NOT_FOUND;
        return null;
      }
      n = c;
    }
    return n;
  }

  /** The parent directory of the last name, or null (lookupError). */
  private parentOf(names: string[]): Node | null {
    const p = this.lookup(names, names.length - 1);
    if (p !== null && !p.isDir) {
      this.lookupError = E_NOT_DIR;
      return null;
    }
    return p;
  }

  stat(names: string[], dirOnly: bool, out: Entry): i32 {
    const n = this.lookup(names, names.length);
    if (n === null) return this.lookupError;
    if (dirOnly && !n.isDir) return E_NOT_DIR;
    out.kind = <u8>(n.isDir ? FS_KIND_DIR : FS_KIND_FILE);
    out.size = n.isDir ? 0 : n.size;
    return 0;
  }

  open(names: string[], dirOnly: bool, flags: u32): i32 {
    if (names.length == 0) return E_IS_DIR;
    const dir = this.parentOf(names);
    if (dir === null) return this.lookupError;
    const name = names[names.length - 1];
    let n = dir.child(name);
    if (n === null) {
      if ((flags & <u32>FS_O_CREATE) == 0) return E_NOT_FOUND;
      if (dirOnly) return E_IS_DIR;
      if (this.nodes >= MAX_NODES) return E_NO_SPACE;
      n = new Node(name, false);
      dir.children.push(n);
      this.nodes++;
    } else if (n.isDir) {
      return E_IS_DIR;
    } else if (dirOnly) {
      return E_NOT_DIR;
    } else if ((flags & <u32>FS_O_TRUNCATE) != 0) {
      n.truncate();
    }
    this.opened = new RamFile(n);
    return 0;
  }

  readdir(names: string[], index: u32, out: Entry): i32 {
    const n = this.lookup(names, names.length);
    if (n === null) return this.lookupError;
    if (!n.isDir) return E_NOT_DIR;
    if (index >= <u32>n.children.length) return E_END;
    const c = n.children[index];
    out.name = c.name;
    out.kind = <u8>(c.isDir ? FS_KIND_DIR : FS_KIND_FILE);
    out.size = c.isDir ? 0 : c.size;
    return 0;
  }

  mkdir(names: string[]): i32 {
    if (names.length == 0) return E_EXISTS;
    const dir = this.parentOf(names);
    if (dir === null) return this.lookupError;
    const name = names[names.length - 1];
    if (dir.child(name) !== null) return E_EXISTS;
    if (this.nodes >= MAX_NODES) return E_NO_SPACE;
    dir.children.push(new Node(name, true));
    this.nodes++;
    return 0;
  }

  remove(names: string[], dirOnly: bool): i32 {
    if (names.length == 0) return E_READ_ONLY; // /tmp itself is a mount point
    const dir = this.parentOf(names);
    if (dir === null) return this.lookupError;
    const name = names[names.length - 1];
    const n = dir.child(name);
    if (n === null) return E_NOT_FOUND;
    if (n.isDir && n.children.length > 0) return E_NOT_EMPTY;
    if (!n.isDir && dirOnly) return E_NOT_DIR;
    dir.children.splice(dir.children.indexOf(n), 1);
    this.nodes--;
    n.removed = true;
    if (n.opens == 0) n.truncate();
    return 0;
  }
}
