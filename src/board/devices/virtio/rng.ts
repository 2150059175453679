// virtio-rng / entropy device (virtio 1.2 §5.4): fills every device-writable
// buffer it is given. The bytes come from a seeded PRNG, not the host, so runs
// replay exactly; the PRNG state is part of the snapshot.
import type { Width } from '../../bus.ts';
import type { StateReader, StateWriter } from '../../state-stream.ts';
import { Xoshiro128 } from '../xoshiro128.ts';
import type { VirtioBackend, VirtioHost } from './backend.ts';
import type { Virtqueue } from './queue.ts';

export const VIRTIO_ID_ENTROPY = 4;
const QUEUE_SIZE = 64;
/** Upper bound per request, so a driver offering a huge buffer cannot stall the board. */
const MAX_REQUEST = 64 * 1024;

export class VirtioRng implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly deviceFeatures = 0n;
  readonly queueSizes = [QUEUE_SIZE];
  private readonly prng: Xoshiro128;
  private host: VirtioHost | null = null;

  constructor(seed: number) {
    this.prng = new Xoshiro128(seed);
  }

  attach(host: VirtioHost): void { this.host = host; }

  readConfig(_offset: number, _width: Width): number { return 0; }
  writeConfig(_offset: number, _value: number, _width: Width): void {}

  onNotify(_queueIndex: number, queue: Virtqueue): void {
    const host = this.host;
    if (host === null) return;
    for (let c = queue.pop(); c !== null; c = queue.pop()) {
      const bytes = new Uint8Array(Math.min(c.writableLength, MAX_REQUEST));
      this.prng.fill(bytes);
      queue.push(c, c.write(host.dma, 0, bytes));
    }
  }

  /** The PRNG keeps running across resets: a reset must not replay earlier "entropy". */
  reset(): void {}

  save(w: StateWriter): void {
    w.tag('virtio-rng');
    this.prng.save(w);
  }

  restore(r: StateReader): void {
    r.tag('virtio-rng');
    this.prng.restore(r);
  }
}
