// virtio-9p through real virtqueues: the config space (mount tag), requests
// gathered from any number of readable descriptors and replies scattered into
// the writable ones, direct and indirect, legacy and modern transports, what
// happens with malformed chains, driver resets and snapshots.
import { describe, expect, it } from 'vitest';
import { VIRTIO_9P_F_MOUNT_TAG, Virtio9p, type NinePTransport } from '../../../src/board/devices/virtio/9p.ts';
import { STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC, VirtioMmio } from '../../../src/board/devices/virtio/mmio.ts';
import { decode, encode } from '../../../src/host/9p/codec.ts';
import { EPROTO } from '../../../src/host/9p/errno.ts';
import { NinePServer } from '../../../src/host/9p/server.ts';
import { HostTree } from '../../../src/host/9p/tree.ts';
import { str, TestClient, text, type Request, type Wire } from '../../host/9p-test-client.ts';
import { expectRoundTrip, FakeRam, IrqRecorder } from './helpers.ts';
import { REG, TestDriver, type Buffer } from './virtio-driver.ts';

const IRQ = 3;

function split(bytes: Uint8Array, pieces: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const step = Math.max(1, Math.ceil(bytes.length / pieces));
  for (let i = 0; i < bytes.length; i += step) out.push(bytes.subarray(i, i + step));
  return out;
}

function setup(legacy: boolean, transport?: NinePTransport) {
  const ram = new FakeRam(8 << 20);
  const irq = new IrqRecorder();
  const tree = new HostTree({ clock: () => 1_767_225_600_000 });
  tree.writeFile('/hello.txt', 'hello from the host\n');
  const server = new NinePServer(tree);
  const backend = new Virtio9p(transport ?? server, 'host');
  const dev = new VirtioMmio({ base: 0x1000_3000, irq: IRQ, plic: irq, dma: ram, backend, legacy });
  const drv = new TestDriver(dev, ram, legacy);
  drv.init(VIRTIO_9P_F_MOUNT_TAG | VIRTIO_RING_F_INDIRECT_DESC | (legacy ? 0n : VIRTIO_F_VERSION_1), 16);
  let shape = { reqPieces: 1, replyPieces: 1, indirect: false };
  /** One request through the queue: returns the reply bytes (as long as the used length says). */
  const roundTrip = (bufs: Buffer[], opts: { indirect?: boolean } = {}): { len: number; reply: Uint8Array } => {
    const s = drv.submit(0, bufs, opts);
    const used = drv.takeUsed(0);
    expect(used).toHaveLength(1);
    expect(used[0]!.id).toBe(s.head);
    const parts: number[] = [];
    bufs.forEach((b, i) => { if (b.writeLen !== undefined) parts.push(...ram.readBytes(s.addrs[i]!, b.writeLen)); });
    return { len: used[0]!.len, reply: Uint8Array.from(parts.slice(0, used[0]!.len)) };
  };
  const wire: Wire = {
    handle(request, maxReply) {
      const reply = Math.min(maxReply, 64 * 1024);
      const bufs: Buffer[] = [
        ...split(request, shape.reqPieces).map((data) => ({ data })),
        ...split(new Uint8Array(reply), shape.replyPieces).map((b) => ({ writeLen: b.length })),
      ];
      const { len, reply: bytes } = roundTrip(bufs, { indirect: shape.indirect });
      return len === 0 ? null : bytes;
    },
  };
  const client = new TestClient(wire, 16 * 1024);
  return { ram, irq, tree, server, dev, drv, client, roundTrip, setShape: (s: Partial<typeof shape>) => { shape = { ...shape, ...s }; } };
}

describe('virtio-9p', () => {
  it('is device 9 with the mount tag feature and the tag in config space', () => {
    const { dev, drv } = setup(false);
    expect(dev.read(REG.deviceId, 4)).toBe(9);
    expect(drv.deviceFeatures() & 1n).toBe(1n);
    expect(dev.read(REG.config, 2)).toBe(4);
    expect(dev.read(REG.config, 4)).toBe(4 | (0x68 << 16) | (0x6f << 24)); // len 4, "ho"
    expect(String.fromCharCode(...[2, 3, 4, 5].map((i) => dev.read(REG.config + i, 1)))).toBe('host');
    expect(dev.read(REG.config + 6, 4)).toBe(0);
    dev.write(REG.config, 0xffffffff, 4);
    expect(dev.read(REG.config, 2)).toBe(4);
    expect(() => new Virtio9p(new NinePServer(new HostTree()), '')).toThrow(RangeError);
    expect(() => new Virtio9p(new NinePServer(new HostTree()), 'x'.repeat(256))).toThrow(RangeError);
  });

  for (const legacy of [true, false]) {
    it(`${legacy ? 'legacy' : 'modern'}: a whole session through the queue, with an interrupt per reply`, () => {
      const { client, irq, tree, drv } = setup(legacy);
      client.connect(8192);
      expect(irq.level(IRQ)).toBe(true);
      expect(drv.ack() & 1).toBe(1);
      expect(irq.level(IRQ)).toBe(false);
      expect(str(client.readFile(0, 1, ['hello.txt']))).toBe('hello from the host\n');
      client.walk(0, 2);
      client.ok({ type: 'Tlcreate', fid: 2, name: 'guest.txt', flags: 1, mode: 0o644, gid: 0 });
      client.ok({ type: 'Twrite', fid: 2, offset: 0n, data: text('written by the guest\n') });
      client.ok({ type: 'Tclunk', fid: 2 });
      expect(tree.readText('/guest.txt')).toBe('written by the guest\n');
      expect(client.readdirAll(0, 3).map((d) => d.name)).toEqual(['.', '..', 'hello.txt', 'guest.txt']);
    });
  }

  it('gathers requests from several readable descriptors and scatters replies over several writable ones', () => {
    const { client, tree, setShape } = setup(false);
    tree.writeFile('/big', Uint8Array.from({ length: 20_000 }, (_, i) => i & 0xff));
    client.connect(16384);
    for (const indirect of [false, true]) {
      setShape({ reqPieces: 5, replyPieces: 7, indirect });
      expect(client.readFile(0, 1, ['big'], 9000)).toEqual(tree.readFile('/big'));
      client.walk(0, 2, 'big');
      client.ok({ type: 'Tlopen', fid: 2, flags: 2 });
      const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
      client.ok({ type: 'Twrite', fid: 2, offset: 100n, data });
      expect(tree.readFile('/big').subarray(100, 5100)).toEqual(data);
      client.ok({ type: 'Tclunk', fid: 2 });
    }
  });

  it('never writes more than the reply buffers hold: reads shrink to fit', () => {
    const { client, tree } = setup(true);
    tree.writeFile('/big', new Uint8Array(50_000).fill(1));
    client.connect(65536);
    client.maxReply = 100;
    client.walk(0, 1, 'big');
    client.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(client.ok({ type: 'Tread', fid: 1, offset: 0n, count: 50_000 }).data.length).toBe(89);
  });

  it('returns chains without a header or without room for a reply unanswered, and keeps working', () => {
    const { roundTrip, client, dev } = setup(false);
    client.connect();
    expect(roundTrip([{ data: Uint8Array.of(1, 2, 3) }, { writeLen: 64 }]).len).toBe(0);
    expect(roundTrip([{ writeLen: 64 }]).len).toBe(0);
    const clunk = encode({ type: 'Tclunk', tag: 1, fid: 0 });
    expect(roundTrip([{ data: clunk }, { writeLen: 10 }]).len).toBe(0);
    expect(roundTrip([{ data: clunk }]).len).toBe(0);
    // A size field claiming more than the chain holds: EPROTO, with the tag.
    const lying = encode({ type: 'Tclunk', tag: 44, fid: 0 });
    new DataView(lying.buffer).setUint32(0, 5000, true);
    const r = roundTrip([{ data: lying }, { writeLen: 64 }]);
    expect(decode(r.reply)).toMatchObject({ ok: true, msg: { type: 'Rlerror', tag: 44, ecode: EPROTO } });
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(0);
    expect(client.ok({ type: 'Tstatfs', fid: 0 }).type).toBe('Rstatfs');
  });

  it('a driver reset ends the 9P session', () => {
    const { client, server, drv } = setup(false);
    client.connect();
    client.walk(0, 1);
    expect(server.fidCount).toBe(2);
    drv.w(REG.status, 0);
    expect(server.fidCount).toBe(0);
    expect(server.sessionMsize).toBe(0);
  });

  it('a transport that throws stops the device, not the board', () => {
    const broken: NinePTransport = {
      handle: () => { throw new Error('bug'); }, reset: () => {}, save: () => {}, restore: () => {},
    };
    const { dev, drv, irq } = setup(false, broken);
    drv.submit(0, [{ data: encode({ type: 'Tclunk', tag: 1, fid: 0 }) }, { writeLen: 64 }]);
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(irq.level(IRQ)).toBe(true);
  });

  it('snapshots carry the session and the tree: a restored device answers exactly like the original', () => {
    const a = setup(false);
    a.client.connect();
    a.client.walk(0, 1, 'hello.txt');
    a.client.ok({ type: 'Tlopen', fid: 1, flags: 2 });
    a.client.ok({ type: 'Twrite', fid: 1, offset: 0n, data: text('HELLO') });
    const b = setup(false);
    b.tree.writeFile('/other', 'different contents before the restore');
    b.ram.bytes.set(a.ram.bytes);
    expectRoundTrip(a.dev, b.dev);
    b.drv.adoptProgress(a.drv);
    expect(b.tree.entries()).toEqual(a.tree.entries());
    const reqs: Request[] = [
      { type: 'Tread', fid: 1, offset: 0n, count: 100 },
      { type: 'Twalk', fid: 0, newfid: 2, wnames: ['hello.txt'] },
      { type: 'Tgetattr', fid: 2, requestMask: 0x3fffn },
    ];
    for (const r of reqs) expect(b.client.send(r, 5)).toEqual(a.client.send(r, 5));
    expect(str(b.client.readFile(0, 3, ['hello.txt']))).toBe('HELLO from the host\n');
  });
});
