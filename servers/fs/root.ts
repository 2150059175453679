// "/": a synthetic directory of the mount points. Requests on a path below a
// mount point go to that mount with the names below it; requests on "/"
// itself, or on a name that is no mount point, are answered here.
import {
  E_END,
  E_EXISTS,
  E_IS_DIR,
  E_NOT_FOUND,
  E_READ_ONLY,
  FS_KIND_DIR,
  FS_O_CREATE,
} from "../sdk/assembly";
import { Entry, Mount } from "./vfs";

export class RootFs extends Mount {
  names: string[] = [];
  mounts: Mount[] = [];

  add(name: string, m: Mount): void {
    this.names.push(name);
    this.mounts.push(m);
  }

  /** The mount for the first name, or null. */
  mountFor(name: string): Mount | null {
    const i = this.names.indexOf(name);
    return i < 0 ? null : this.mounts[i];
  }

  // The methods below see paths that are "/" (names empty) or start with a
  // name that is not a mount point (names[0]).

  stat(names: string[], dirOnly: bool, out: Entry): i32 {
    if (names.length > 0) return E_NOT_FOUND;
    out.kind = <u8>FS_KIND_DIR;
    out.size = 0;
    return 0;
  }

  open(names: string[], dirOnly: bool, flags: u32): i32 {
    if (names.length == 0) return E_IS_DIR;
    return (flags & <u32>FS_O_CREATE) != 0 ? E_READ_ONLY : E_NOT_FOUND;
  }

  readdir(names: string[], index: u32, out: Entry): i32 {
    if (names.length > 0) return E_NOT_FOUND;
    if (index >= <u32>this.names.length) return E_END;
    out.name = this.names[index];
    out.kind = <u8>FS_KIND_DIR;
    out.size = 0;
    return 0;
  }

  mkdir(names: string[]): i32 {
    return names.length == 0 ? E_EXISTS : E_READ_ONLY;
  }

  remove(names: string[], dirOnly: bool): i32 {
    return names.length == 0 ? E_READ_ONLY : E_NOT_FOUND;
  }
}
