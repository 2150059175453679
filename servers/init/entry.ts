// One line of init.rc: a program to start, what it needs and what it grants.

/** spawn_ex flags (docs/userland.md). */
export const FLAG_ALL_DEVICES: i32 = 1;
export const FLAG_KILL_ANY: i32 = 2;
export const FLAG_SYSTEM: i32 = 4;
/** spawn_ex takes at most four device grants. */
export const MAX_DEVICES: i32 = 4;

/** Where an entry is in the boot sequence. */
export const PENDING: i32 = 0;
export const STARTED: i32 = 1;
export const FAILED: i32 = 2;

export class Entry {
  /** The task name (default: the file name without .wasm). */
  name: string;
  args: string[] = [];
  /** Bytes of the argument block (each argument and its NUL). */
  argBytes: i32 = 0;
  /** Bytes, 0 = the kernel's default. */
  quota: u32 = 0;
  /** 1..7, 0 = the kernel's default. */
  priority: i32 = 0;
  /** Comma-separated service names ("" = none). */
  uses: string = "";
  provides: string = "";
  flags: i32 = 0;
  /** device= values in order: a compatible string, "virtio:N", or "" (a DMA-only grant). */
  devices: string[] = [];
  /** DMA quota in bytes (granted with the first device). */
  dma: u32 = 0;

  state: i32 = PENDING;
  task: i32 = 0;

  constructor(public line: i32, public shell: bool, public file: string) {
    this.name = file.endsWith(".wasm") && file.length > 5 ? file.substring(0, file.length - 5) : file;
  }

  /** The names in uses that someone has to provide ("*" grants, it names nobody). */
  needs(): string[] {
    return namesOf(this.uses);
  }

  /** The names in provides that init waits for ("*" is not one). */
  offers(): string[] {
    return namesOf(this.provides);
  }
}

function namesOf(list: string): string[] {
  const out = new Array<string>(0);
  if (list.length == 0) return out;
  const words = list.split(",");
  for (let i = 0; i < words.length; i++) if (words[i] != "*" && words[i].length > 0) out.push(words[i]);
  return out;
}
