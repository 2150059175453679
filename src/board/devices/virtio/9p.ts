// virtio-9p (virtio 1.2 §5.11 "9P transport"): the guest's file-system
// requests travel over one virtqueue and are answered by a pluggable
// transport, normally the 9P2000.L server of src/host/9p over the host tree.
//
// Each request is the device-readable part of a chain (one 9P message); the
// reply goes into the device-writable part. Requests are answered
// synchronously when the driver notifies, so the device is deterministic as
// long as its transport is. The mount tag, the name the guest mounts the
// share by, sits in config space (VIRTIO_9P_MOUNT_TAG).
import type { Width } from '../../bus.ts';
import type { StateReader, StateWriter } from '../../state-stream.ts';
import { readConfigBytes, type VirtioBackend, type VirtioHost } from './backend.ts';
import type { Virtqueue } from './queue.ts';

export const VIRTIO_ID_9P = 9;
export const VIRTIO_9P_F_MOUNT_TAG = 1n << 0n;

/** QEMU's queue size for virtio-9p (MAX_REQ). */
const QUEUE_SIZE = 128;
/** size[4] type[1] tag[2]: a request shorter than this has no tag to answer. */
const HEADER = 7;
/** Rlerror (header + ecode[4]), the smallest reply there is. */
const MIN_REPLY = 11;
/** Requests larger than any msize a server accepts are cut here (the server then answers EPROTO). */
const MAX_REQUEST = 4 * 1024 * 1024;
const MAX_TAG_BYTES = 255;

/** The other side of the device: a 9P server, or anything that speaks like one. */
export interface NinePTransport {
  /**
   * Answers one request. `maxReply` is the room in the driver's reply
   * buffers; a reply must not be longer. null drops the request (nothing is
   * written back). Must not throw.
   */
  handle(request: Uint8Array, maxReply: number): Uint8Array | null;
  /** The driver reset the device: the 9P session ends (every fid is gone). */
  reset(): void;
  /** Session state (and whatever else the transport wants in machine snapshots). */
  save(w: StateWriter): void;
  restore(r: StateReader): void;
}

export class Virtio9p implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_9P;
  readonly deviceFeatures = VIRTIO_9P_F_MOUNT_TAG;
  readonly queueSizes = [QUEUE_SIZE];
  private readonly config: Uint8Array;
  private host: VirtioHost | null = null;

  constructor(readonly transport: NinePTransport, readonly mountTag: string) {
    const tag = new TextEncoder().encode(mountTag);
    if (tag.length === 0 || tag.length > MAX_TAG_BYTES) throw new RangeError(`9p mount tag must be 1..${MAX_TAG_BYTES} bytes`);
    // struct virtio_9p_config { le16 tag_len; u8 tag[tag_len]; }
    this.config = new Uint8Array(2 + tag.length);
    this.config[0] = tag.length & 0xff;
    this.config[1] = tag.length >> 8;
    this.config.set(tag, 2);
  }

  attach(host: VirtioHost): void { this.host = host; }

  readConfig(offset: number, width: Width): number {
    return readConfigBytes(this.config, offset, width);
  }

  writeConfig(_offset: number, _value: number, _width: Width): void {}

  onNotify(_queueIndex: number, queue: Virtqueue): void {
    const host = this.host;
    if (host === null) return;
    for (let c = queue.pop(); c !== null; c = queue.pop()) {
      let written = 0;
      if (c.readableLength >= HEADER && c.writableLength >= MIN_REPLY) {
        const declared = new DataView(c.read(host.dma, 0, 4).buffer).getUint32(0, true);
        const request = c.read(host.dma, 0, Math.min(c.readableLength, Math.max(declared, HEADER), MAX_REQUEST));
        let reply: Uint8Array | null;
        try {
          reply = this.transport.handle(request, c.writableLength);
        } catch {
          // A transport must not throw; if it does, the device stops rather than the board.
          host.fail();
          return;
        }
        if (reply !== null) written = c.write(host.dma, 0, reply);
      }
      // A chain without a header or without room for a reply is returned unanswered.
      queue.push(c, written);
    }
  }

  reset(): void {
    this.transport.reset();
  }

  save(w: StateWriter): void {
    w.tag('virtio-9p');
    this.transport.save(w);
  }

  restore(r: StateReader): void {
    r.tag('virtio-9p');
    this.transport.restore(r);
  }
}
