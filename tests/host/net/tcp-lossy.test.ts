// The gateway's TCP over a lossy link, driven with a fake clock: a connector
// streams bytes to the guest and reads the guest's upload, while a seeded
// PRNG drops frames in both directions. Everything must arrive intact, in
// order, with both FINs, through retransmissions alone.
import { describe, expect, it } from 'vitest';
import { GATEWAY_MAC, GUEST_IP } from '../../../src/host/net/addresses.ts';
import { ip } from '../../../src/host/net/bytes.ts';
import { ETHERTYPE_IPV4, buildEthernet, parseEthernet } from '../../../src/host/net/ethernet.ts';
import { PROTO_TCP, buildIpv4, parseIpv4 } from '../../../src/host/net/ipv4.ts';
import { ACK, FIN, PSH, SYN, buildTcp, parseTcp, type TcpSegment } from '../../../src/host/net/tcp-segment.ts';
import type { TcpStream } from '../../../src/host/net/tcp-connection.ts';
import { UserNet } from '../../../src/host/net/user-net.ts';
import { GUEST_MAC } from './guest.ts';

/** xorshift32: the loss pattern is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x1_0000_0000; };
}

const pattern = (n: number, k: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * k + (i >> 9)) & 0xff);

function run(seed: number, loss: number) {
  const rnd = prng(seed);
  const SERVER = ip('198.51.100.7');
  const down = pattern(200_000, 31);
  const up = pattern(60_000, 17);
  let now = 0;
  const toGuest: Uint8Array[] = [];
  const hostGot: number[] = [];
  let hostEnded = false;
  let hostClosed: string | null = null;
  const net = new UserNet({
    isn: () => 0xfffff000, // the gateway's sequence numbers wrap during the transfer
    deliver: (f) => { if (rnd() >= loss) toGuest.push(f); },
    connector: {
      open(s: TcpStream) {
        s.setHandler({
          data: (b) => { for (const x of b) hostGot.push(x); },
          end: () => { hostEnded = true; },
          closed: (r) => { hostClosed = r; },
        });
        for (let o = 0; o < down.length; o += 7000) s.write(down.subarray(o, o + 7000));
        s.end();
      },
    },
  });
  net.tick(0);

  // The guest: a small TCP that takes data in order only and sends its upload go-back-N on its own timer.
  const ISS = 0xffffff00; // the guest's sequence numbers wrap too
  const base = (ISS + 1) >>> 0;
  const guestGot: number[] = [];
  let gFin = false;
  let acked = 0; // bytes of `up` (plus 1 for our FIN) the gateway acknowledged
  let sent = 0; // highest offset sent
  let rcv = 0;
  let established = false;
  let lastSend = -1e9;
  const tx = (seq: number, flags: number, payload?: Uint8Array): void => {
    if (rnd() < loss) return;
    const tcp = buildTcp(GUEST_IP, SERVER, { srcPort: 40000, dstPort: 7777, seq: seq >>> 0, ack: rcv, flags, window: 8192, mss: flags & SYN ? 1460 : undefined, ...(payload ? { payload } : {}) });
    net.transmit(buildEthernet(GATEWAY_MAC, GUEST_MAC, ETHERTYPE_IPV4, buildIpv4(GUEST_IP, SERVER, PROTO_TCP, tcp)));
  };
  const pureAck = (): void => tx(base + sent, ACK);
  const sendWindow = (): void => {
    lastSend = now;
    if (!established) { tx(ISS, SYN); return; }
    for (let off = acked, n = 0; off < up.length && n < 4; off += 1000, n++) {
      const part = up.subarray(off, off + 1000);
      tx(base + off, ACK | PSH, part);
      sent = Math.max(sent, off + part.length);
    }
    if (acked >= up.length) { tx(base + up.length, FIN | ACK); sent = up.length + 1; }
  };
  for (let step = 0; step < 50_000 && !(hostClosed !== null && gFin); step++) {
    const frames = toGuest.splice(0);
    for (const f of frames) {
      const p = parseIpv4(parseEthernet(f)!.payload);
      if (!p.ok) throw new Error('bad frame from the gateway');
      const t = parseTcp(p.packet.payload, p.packet.src, p.packet.dst);
      if (!t.ok) throw new Error('bad segment from the gateway');
      const s: TcpSegment = t.seg;
      if (s.flags & SYN) {
        if (!established) { rcv = (s.seq + 1) >>> 0; established = true; }
        pureAck();
        continue;
      }
      if (!established) continue;
      const a = (s.ack - base) | 0;
      if ((s.flags & ACK) && a > acked && a <= up.length + 1) acked = a;
      if (s.seq === rcv && s.payload.length > 0) { guestGot.push(...s.payload); rcv = (rcv + s.payload.length) >>> 0; }
      if (((s.seq + s.payload.length) >>> 0) === rcv && (s.flags & FIN) && !gFin && guestGot.length === down.length) { rcv = (rcv + 1) >>> 0; gFin = true; }
      if (s.payload.length > 0 || (s.flags & FIN)) pureAck();
    }
    if (now - lastSend >= 300) sendWindow();
    if (toGuest.length === 0) { now += 50; net.tick(now); }
  }
  return { guestGot, down, hostGot, up, hostEnded, hostClosed, gFin, net, now };
}

describe('TCP over a lossy link', () => {
  for (const [seed, loss] of [[1, 0.05], [7, 0.1], [42, 0.2]] as const) {
    it(`seed ${seed}, ${loss * 100}% loss each way: both streams arrive intact and close`, () => {
      const r = run(seed, loss);
      expect(r.guestGot.length).toBe(r.down.length);
      expect(r.guestGot.every((v, i) => v === r.down[i])).toBe(true);
      expect(r.hostGot.length).toBe(r.up.length);
      expect(r.hostGot.every((v, i) => v === r.up[i])).toBe(true);
      expect(r.gFin).toBe(true);
      expect(r.hostEnded).toBe(true);
      expect(r.hostClosed).toBe('closed');
      expect(r.net.stats.errors).toBe(0);
    });
  }
});
