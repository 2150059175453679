// What every mount (/boot, /tmp, /host) implements. Paths reach a mount as
// the names below its mount point (["a", "b"] for /tmp/a/b; [] for /tmp
// itself). Methods return 0 or a negative E_* code; results go into the
// `out` objects. AssemblyScript dispatches overridden methods virtually, so the
// base class answers E_UNSUPPORTED for what a mount does not override.
import { E_UNSUPPORTED } from "../sdk/assembly";

/** fs_stat's and fs_readdir's answer. */
export class Entry {
  name: string = "";
  size: u32 = 0;
  /** FS_KIND_FILE or FS_KIND_DIR. */
  kind: u8 = 0;
}

/** An open file, owned by a handle. */
export class OpenFile {
  /** Copies up to len bytes at offset to dst; the count (0 at the end) or an error. */
  read(offset: u32, dst: usize, len: u32): i32 {
    return E_UNSUPPORTED;
  }
  /** Writes len bytes from src at offset (at the end if append); the count or an error. */
  write(offset: u32, src: usize, len: u32, append: bool): i32 {
    return E_UNSUPPORTED;
  }
  /** The handle is closed: release what the file holds. */
  close(): void {}
}

export class Mount {
  /** The file open() opened. */
  opened: OpenFile | null = null;

  stat(names: string[], dirOnly: bool, out: Entry): i32 {
    return E_UNSUPPORTED;
  }
  /** Opens (FS_O_CREATE: creates) a file; the result is in `opened`. */
  open(names: string[], dirOnly: bool, flags: u32): i32 {
    return E_UNSUPPORTED;
  }
  /** The index-th entry of a directory; E_END past the last. */
  readdir(names: string[], index: u32, out: Entry): i32 {
    return E_UNSUPPORTED;
  }
  mkdir(names: string[]): i32 {
    return E_UNSUPPORTED;
  }
  /** Removes a file or an empty directory. */
  remove(names: string[], dirOnly: bool): i32 {
    return E_UNSUPPORTED;
  }
}
