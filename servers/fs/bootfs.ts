// /boot: the boot archive, read-only and flat (the archive has no directories).
// The archive never changes while the system runs, so its table is read once.
import {
  E_END,
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
  wasmos_bootfs_entry,
  wasmos_bootfs_read,
} from "../sdk/assembly";
import { Entry, Mount, OpenFile } from "./vfs";

/** Archive names are at most 55 bytes (docs/kernel.md). */
const NAME_CAP: u32 = 64;

class BootFile extends OpenFile {
  constructor(private cname: ArrayBuffer) {
    super();
  }
  read(offset: u32, dst: usize, len: u32): i32 {
    return wasmos_bootfs_read(changetype<usize>(this.cname), offset, dst, len);
  }
  write(offset: u32, src: usize, len: u32, append: bool): i32 {
    return E_READ_ONLY;
  }
}

export class BootFs extends Mount {
  private names: string[] = [];
  private sizes: u32[] = [];

  constructor() {
    super();
    const buf = heap.alloc(<usize>NAME_CAP);
    for (let i = 0; ; i++) {
      const size = wasmos_bootfs_entry(i, buf, NAME_CAP);
      if (size < 0) break;
      let n = 0;
      while (<u32>n < NAME_CAP && load<u8>(buf + <usize>n) != 0) n++;
      this.names.push(String.UTF8.decodeUnsafe(buf, <usize>n));
      this.sizes.push(<u32>size);
    }
    heap.free(buf);
  }

  get count(): i32 {
    return this.names.length;
  }

  /** The file's index, or an error for a path that names no file. */
  private find(names: string[]): i32 {
    if (names.length == 0) return E_IS_DIR;
    const i = this.names.indexOf(names[0]);
    if (i < 0) return E_NOT_FOUND;
    // "/boot/init.wasm/x": a file is not a directory.
    if (names.length > 1) return E_NOT_DIR;
    return i;
  }

  stat(names: string[], dirOnly: bool, out: Entry): i32 {
    if (names.length == 0) {
      out.kind = <u8>FS_KIND_DIR;
      out.size = 0;
      return 0;
    }
    const i = this.find(names);
    if (i < 0) return i;
    if (dirOnly) return E_NOT_DIR;
    out.kind = <u8>FS_KIND_FILE;
    out.size = this.sizes[i];
    return 0;
  }

  open(names: string[], dirOnly: bool, flags: u32): i32 {
    const i = this.find(names);
    const writes = (flags & <u32>(FS_O_WRITE | FS_O_CREATE | FS_O_TRUNCATE | FS_O_APPEND)) != 0;
    if (i == E_NOT_FOUND && writes) return E_READ_ONLY;
    if (i < 0) return i;
    if (dirOnly) return E_NOT_DIR;
    if (writes) return E_READ_ONLY;
    this.opened = new BootFile(String.UTF8.encode(this.names[i], true));
    return 0;
  }

  readdir(names: string[], index: u32, out: Entry): i32 {
    if (names.length > 0) {
      const i = this.find(names);
      return i < 0 ? i : E_NOT_DIR;
    }
    if (index >= <u32>this.names.length) return E_END;
    out.name = this.names[index];
    out.size = this.sizes[index];
    out.kind = <u8>FS_KIND_FILE;
    return 0;
  }

  mkdir(names: string[]): i32 {
    return E_READ_ONLY;
  }

  remove(names: string[], dirOnly: bool): i32 {
    return E_READ_ONLY;
  }
}
