// Device grants for init.rc's device= keys: `device=COMPAT` is the first
// device tree node compatible with COMPAT, `device=virtio:N` the first
// virtio-mmio slot whose DeviceID register (offset 8) reads N. init holds
// all-devices, so it may read any slot's registers to probe it.
import { E_INVALID, E_NOT_FOUND, wasmos_device_find, wasmos_mmio_read } from "../sdk/assembly";

/** A device grant as spawn_ex takes it. */
export class Grant {
  base: u32 = 0;
  size: u32 = 0;
  irq: i32 = 0;
  dma: u32 = 0;
}

const VIRTIO_DEVICE_ID: u32 = 8;
const VIRTIO_SLOTS_MAX = 64; // the board has 8; a bound so a broken tree cannot loop forever

// device_find's output: {u32 base; u32 size; i32 irq}.
const found = memory.data(12, 4);

// The index-th node compatible with `compat` into `found`: 0 or an error.
function find(compat: string, index: i32): i32 {
  const c = String.UTF8.encode(compat, true);
  return wasmos_device_find(changetype<usize>(c), index, found);
}

function grantFromFound(): Grant {
  const g = new Grant();
  g.base = load<u32>(found);
  g.size = load<u32>(found, 4);
  g.irq = load<i32>(found, 8);
  return g;
}

// "virtio:N" -> N, or -1 when N is not a decimal number.
function virtioId(spec: string): i32 {
  const digits = spec.substring(7);
  if (digits.length == 0 || digits.length > 6) return -1;
  let n = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Error of the last resolve() that returned null. */
export let resolveError: i32 = 0;

/** The grant for one device= value ("" = no device, for a DMA-only grant), or null (see resolveError). */
export function resolve(spec: string): Grant | null {
  if (spec.length == 0) return new Grant();
  if (!spec.startsWith("virtio:")) {
    const r = find(spec, 0);
    if (r < 0) {
      resolveError = r;
      return null;
    }
    return grantFromFound();
  }
  const want = virtioId(spec);
  if (want < 0) {
    resolveError = E_INVALID;
    return null;
  }
  for (let i = 0; i < VIRTIO_SLOTS_MAX; i++) {
    if (find("virtio,mmio", i) < 0) break;
    const id = wasmos_mmio_read(load<u32>(found) + VIRTIO_DEVICE_ID, 4);
    if (id >= 0 && id == <i64>want) return grantFromFound();
  }
  resolveError = E_NOT_FOUND;
  return null;
}
