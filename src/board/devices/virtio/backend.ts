// What a virtio device (blk, rng, later net and 9p) implements to plug into the
// virtio-mmio transport. The transport owns feature negotiation, queues and
// interrupts; a backend sees its config space and the requests on its queues.
import type { Dma, Width } from '../../bus.ts';
import type { StateReader, StateWriter } from '../../state-stream.ts';
import type { Virtqueue } from './queue.ts';

/** Services the transport offers a backend (given once, via `attach`). */
export interface VirtioHost {
  readonly dma: Dma;
  /** Features the driver accepted (device-specific and transport bits). */
  readonly driverFeatures: bigint;
  /** Queue `index` when the driver has set it up and the device is live, else null. */
  queue(index: number): Virtqueue | null;
  /** The backend changed its config space: bumps ConfigGeneration and interrupts. */
  configChanged(): void;
  /** The backend found the driver's requests unusable: DEVICE_NEEDS_RESET. */
  fail(): void;
}

export interface VirtioBackend {
  /** virtio device id (1 = net, 2 = blk, 4 = rng, 9 = 9p ...). */
  readonly deviceId: number;
  /** Device-specific feature bits; the transport adds VERSION_1/INDIRECT_DESC itself. */
  readonly deviceFeatures: bigint;
  /** QueueNumMax of each queue; the length is the number of queues. */
  readonly queueSizes: readonly number[];
  attach(host: VirtioHost): void;
  /** Device-specific configuration space (MMIO offset 0x100 + offset). */
  readConfig(offset: number, width: Width): number;
  writeConfig(offset: number, value: number, width: Width): void;
  /** The driver made buffers available on `queue` (or just set DRIVER_OK). */
  onNotify(queueIndex: number, queue: Virtqueue): void;
  /** Device reset by the driver or the board; persistent media (a disk) is kept. */
  reset(): void;
  save(w: StateWriter): void;
  restore(r: StateReader): void;
}

/** Reads `width` bytes at `offset` of a little-endian config image (0 outside it). */
export function readConfigBytes(config: Uint8Array, offset: number, width: Width): number {
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + (config[offset + i] ?? 0);
  return v >>> 0;
}
