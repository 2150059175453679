// TCP termination at the gateway, driven segment by segment: handshake, data
// both ways, the guest's window, loss and retransmission through tick(), FIN
// from either side, RST, several connections, connections into the guest and
// garbage that must change nothing.
import { describe, expect, it } from 'vitest';
import * as bytes from '../../../src/host/net/bytes.ts';
import { ip } from '../../../src/host/net/bytes.ts';
import { INITIAL_RTO, MAX_RETRIES, MIN_RTO, OUR_MSS, TIME_WAIT_MS, type TcpStream, type CloseReason } from '../../../src/host/net/tcp-connection.ts';
import { ACK, FIN, PSH, RST, SYN, buildTcp, type TcpSegment } from '../../../src/host/net/tcp-segment.ts';
import type { TcpConnector, TcpTarget } from '../../../src/host/net/user-net.ts';
import { PROTO_TCP } from '../../../src/host/net/ipv4.ts';
import { Guest, text } from './guest.ts';

interface Opened {
  stream: TcpStream;
  to: TcpTarget;
  from: TcpTarget;
  data: string;
  ended: boolean;
  closed: CloseReason | null;
}

class Recorder implements TcpConnector {
  readonly opened: Opened[] = [];
  open(stream: TcpStream, to: TcpTarget, from: TcpTarget): void {
    const o: Opened = { stream, to, from, data: '', ended: false, closed: null };
    stream.setHandler({
      data: (b) => { o.data += text(b); },
      end: () => { o.ended = true; },
      closed: (r) => { o.closed = r; },
    });
    this.opened.push(o);
  }
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const SERVER = '93.184.216.34';
const GISN = 5000;

function setup() {
  const rec = new Recorder();
  const g = new Guest({ connector: rec });
  return { g, rec };
}

/** Guest handshake from port `sport`; returns the gateway's ISN. */
function handshake(g: Guest, sport = 40000, opts: { mss?: number; window?: number } = {}): number {
  g.tcp(SERVER, { srcPort: sport, dstPort: 80, seq: GISN, ack: 0, flags: SYN, window: opts.window ?? 65535, mss: opts.mss ?? 1460 });
  const [synack] = g.takeTcp();
  expect(synack!.flags).toBe(SYN | ACK);
  expect(synack!.ack).toBe(GISN + 1);
  expect(synack!.mss).toBe(OUR_MSS);
  g.tcp(SERVER, { srcPort: sport, dstPort: 80, seq: GISN + 1, ack: synack!.seq + 1, flags: ACK, window: opts.window ?? 65535 });
  expect(g.take()).toEqual([]);
  return synack!.seq;
}

describe('TCP termination', () => {
  it('completes the handshake, opens the connector with the dialled address and carries data both ways', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    expect(rec.opened).toHaveLength(1);
    const o = rec.opened[0]!;
    expect(o.to).toEqual({ ip: SERVER, port: 80 });
    expect(o.from).toEqual({ ip: '10.0.2.15', port: 40000 });
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1, flags: ACK | PSH, window: 65535, payload: enc('GET / HTTP/1.1\r\n\r\n') });
    const [ack] = g.takeTcp();
    expect(ack!.ack).toBe(GISN + 1 + 18);
    expect(o.data).toBe('GET / HTTP/1.1\r\n\r\n');
    o.stream.write(enc('HTTP/1.1 200 OK\r\n\r\n'));
    const [d] = g.takeTcp();
    expect(d!.seq).toBe(iss + 1);
    expect(text(d!.payload)).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(o.stream.buffered).toBe(19);
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 19, ack: iss + 1 + 19, flags: ACK, window: 65535 });
    expect(o.stream.buffered).toBe(0);
  });

  it('honours a guest MSS above 1460 (fewer, larger frames on the virtual link)', () => {
    const { g, rec } = setup();
    const iss = handshake(g, 40000, { mss: 9000 });
    rec.opened[0]!.stream.write(new Uint8Array(20000).fill(7));
    expect(g.takeTcp().map((s) => [s.seq - iss - 1, s.payload.length])).toEqual([[0, 9000], [9000, 9000], [18000, 2000]]);
  });

  it('splits by the guest\'s MSS and never sends beyond its window; a window update releases more', () => {
    const { g, rec } = setup();
    const iss = handshake(g, 40000, { mss: 500, window: 1200 });
    const o = rec.opened[0]!;
    o.stream.write(new Uint8Array(5000).fill(0x41));
    let segs = g.takeTcp();
    expect(segs.map((s) => s.payload.length)).toEqual([500, 500, 200]);
    // The guest acknowledges everything but closes its window.
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1 + 1200, flags: ACK, window: 0 });
    expect(g.takeTcp()).toEqual([]);
    // A probe after the RTO carries one byte; the guest still has no room.
    g.net.tick(INITIAL_RTO);
    segs = g.takeTcp();
    expect(segs.map((s) => [s.seq - iss - 1, s.payload.length])).toEqual([[1200, 1]]);
    // Window opens: sending resumes from the probe byte on.
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1 + 1200, flags: ACK, window: 1000 });
    segs = g.takeTcp();
    expect(segs.map((s) => [s.seq - iss - 1, s.payload.length])).toEqual([[1201, 500], [1701, 499]]);
  });

  it('retransmits lost data on the tick-driven timer with backoff, then gives up with RST', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    const o = rec.opened[0]!;
    o.stream.write(enc('hello'));
    expect(g.takeTcp()).toHaveLength(1); // "lost"
    // The handshake measured an RTT of 0, so the RTO is at its floor.
    g.net.tick(MIN_RTO - 1);
    expect(g.take()).toEqual([]);
    g.net.tick(MIN_RTO);
    const [again] = g.takeTcp();
    expect([again!.seq, text(again!.payload)]).toEqual([iss + 1, 'hello']);
    // Backoff: the next one comes after 2 x RTO.
    g.net.tick(MIN_RTO + 2 * MIN_RTO - 1);
    expect(g.take()).toEqual([]);
    g.net.tick(MIN_RTO + 2 * MIN_RTO);
    expect(g.takeTcp()).toHaveLength(1);
    // Delivered at last: no more retransmissions.
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 6, flags: ACK, window: 65535 });
    g.net.tick(1e6);
    expect(g.take()).toEqual([]);
    // A second write the guest never acknowledges: after MAX_RETRIES, RST and closed('timeout').
    o.stream.write(enc('x'));
    g.take();
    for (let t = 1e6, i = 0; i < 40 && o.closed === null; i++) { t += 120_000; g.net.tick(t); }
    const segs = g.takeTcp();
    expect(segs.filter((s) => s.payload.length === 1)).toHaveLength(MAX_RETRIES);
    expect(segs.at(-1)!.flags & RST).toBe(RST);
    expect(o.closed).toBe('timeout');
    expect(g.net.connections).toBe(0);
  });

  it('fast-retransmits on three duplicate ACKs and takes a retransmitted guest segment once', () => {
    const { g, rec } = setup();
    const iss = handshake(g, 40000, { mss: 100 });
    const o = rec.opened[0]!;
    o.stream.write(new Uint8Array(400).fill(1));
    expect(g.takeTcp()).toHaveLength(4);
    // One ACK for the first segment, then three duplicates of it.
    for (let i = 0; i < 4; i++) g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 101, flags: ACK, window: 65535 });
    const [re] = g.takeTcp();
    expect(re!.seq).toBe(iss + 101);
    // The guest sends the same data twice (our ACK was lost): delivered once, ACKed twice.
    const seg = { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 101, flags: ACK | PSH, window: 65535, payload: enc('abc') };
    g.tcp(SERVER, seg);
    g.tcp(SERVER, seg);
    expect(o.data).toBe('abc');
    expect(g.takeTcp().map((s) => s.ack)).toEqual([GISN + 4, GISN + 4]);
    // Out of order: a duplicate ACK, nothing delivered.
    g.tcp(SERVER, { ...seg, seq: GISN + 10, payload: enc('zzz') });
    expect(g.takeTcp().map((s) => s.ack)).toEqual([GISN + 4]);
    expect(o.data).toBe('abc');
  });

  it('closes when the guest sends FIN first (CLOSE_WAIT, LAST_ACK)', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    const o = rec.opened[0]!;
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1, flags: FIN | ACK, window: 65535 });
    expect(o.ended).toBe(true);
    expect(o.stream.state).toBe('CLOSE_WAIT');
    expect(g.takeTcp().map((s) => [s.flags, s.ack])).toEqual([[ACK, GISN + 2]]);
    o.stream.write(enc('bye'));
    o.stream.end();
    const segs = g.takeTcp();
    expect(segs.map((s) => s.flags)).toEqual([ACK | PSH, FIN | ACK]);
    expect(o.stream.state).toBe('LAST_ACK');
    // The FIN is lost once: retransmitted with the data.
    g.net.tick(INITIAL_RTO);
    expect(g.takeTcp().map((s) => s.flags)).toEqual([ACK | PSH, FIN | ACK]);
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 2, ack: iss + 1 + 3 + 1, flags: ACK, window: 65535 });
    expect(o.closed).toBe('closed');
    expect(g.net.connections).toBe(0);
  });

  it('closes when the host ends first (FIN_WAIT_1/2, TIME_WAIT re-ACKs a repeated FIN)', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    const o = rec.opened[0]!;
    o.stream.end();
    const [fin] = g.takeTcp();
    expect(fin!.flags).toBe(FIN | ACK);
    expect(o.stream.state).toBe('FIN_WAIT_1');
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 2, flags: ACK, window: 65535 });
    expect(o.stream.state).toBe('FIN_WAIT_2');
    // The guest may still send data, then its FIN.
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 2, flags: ACK | PSH | FIN, window: 65535, payload: enc('late') });
    expect(o.data).toBe('late');
    expect(o.stream.state).toBe('TIME_WAIT');
    expect(o.closed).toBe('closed');
    expect(g.takeTcp().map((s) => s.ack)).toEqual([GISN + 6]);
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 5, ack: iss + 2, flags: ACK | FIN, window: 65535 });
    expect(g.takeTcp().map((s) => [s.flags, s.ack])).toEqual([[ACK, GISN + 6]]);
    g.net.tick(TIME_WAIT_MS);
    expect(g.net.connections).toBe(0);
  });

  it('handles simultaneous close (CLOSING)', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    const o = rec.opened[0]!;
    o.stream.end();
    g.take();
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1, flags: FIN | ACK, window: 65535 });
    expect(o.stream.state).toBe('CLOSING');
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 2, ack: iss + 2, flags: ACK, window: 65535 });
    expect(o.stream.state).toBe('TIME_WAIT');
  });

  it('resets on an exact RST in any state, challenges an inexact one, and aborts with RST', () => {
    for (const prepare of ['established', 'close-wait', 'fin-wait-1', 'syn-rcvd'] as const) {
      const { g, rec } = setup();
      let rcv = GISN + 1;
      if (prepare === 'syn-rcvd') {
        g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 0, flags: SYN, window: 65535 });
        g.take();
      } else {
        const iss = handshake(g);
        if (prepare === 'close-wait') { g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1, flags: FIN | ACK, window: 65535 }); rcv++; }
        if (prepare === 'fin-wait-1') rec.opened[0]!.stream.end();
        g.take();
      }
      g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: rcv + 10, ack: 0, flags: RST, window: 0 });
      expect(g.takeTcp().map((s) => s.flags)).toEqual([ACK]); // challenge
      expect(g.net.connections).toBe(1);
      g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: rcv, ack: 0, flags: RST, window: 0 });
      expect(g.take()).toEqual([]);
      expect(g.net.connections).toBe(0);
      if (prepare !== 'syn-rcvd') expect(rec.opened[0]!.closed).toBe('reset');
    }
    const { g, rec } = setup();
    handshake(g);
    rec.opened[0]!.stream.abort();
    expect(g.takeTcp().map((s) => s.flags & RST)).toEqual([RST]);
    expect(g.net.connections).toBe(0);
  });

  it('keeps several connections apart', () => {
    const { g, rec } = setup();
    const isns = [41000, 41001, 41002].map((p) => handshake(g, p));
    expect(rec.opened.map((o) => o.from.port)).toEqual([41000, 41001, 41002]);
    [41000, 41001, 41002].forEach((p, i) => {
      g.tcp(SERVER, { srcPort: p, dstPort: 80, seq: GISN + 1, ack: isns[i]! + 1, flags: ACK | PSH, window: 65535, payload: enc(`conn${i}`) });
    });
    rec.opened.forEach((o, i) => o.stream.write(enc(`reply${i}`)));
    const segs = g.takeTcp().filter((s) => s.payload.length > 0);
    expect(segs.map((s) => [s.dstPort, text(s.payload)])).toEqual([[41000, 'reply0'], [41001, 'reply1'], [41002, 'reply2']]);
    expect(rec.opened.map((o) => o.data)).toEqual(['conn0', 'conn1', 'conn2']);
    expect(g.net.connections).toBe(3);
  });

  it('refuses SYNs without a connector and answers segments for unknown connections with RST', () => {
    const g = new Guest();
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 0, flags: SYN, window: 65535 });
    const [r] = g.takeTcp();
    expect([r!.flags, r!.ack]).toEqual([RST | ACK, GISN + 1]);
    const { g: g2 } = setup();
    g2.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 777, flags: ACK | PSH, window: 65535, payload: enc('stray') });
    const [r2] = g2.takeTcp();
    expect([r2!.flags, r2!.seq]).toEqual([RST, 777]);
    g2.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 0, flags: RST, window: 0 });
    expect(g2.take()).toEqual([]);
    expect(g2.net.connections).toBe(0);
  });

  it('retransmits a lost SYN-ACK when the guest repeats its SYN', () => {
    const { g } = setup();
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 0, flags: SYN, window: 65535 });
    const [a] = g.takeTcp();
    g.tcp(SERVER, { srcPort: 40000, dstPort: 80, seq: GISN, ack: 0, flags: SYN, window: 65535 });
    const [b] = g.takeTcp();
    expect([b!.flags, b!.seq]).toEqual([SYN | ACK, a!.seq]);
    g.net.tick(INITIAL_RTO);
    expect(g.takeTcp().map((s) => s.flags)).toEqual([SYN | ACK]);
  });

  it('ignores garbage: bad checksums, truncated headers, bad data offsets, option soup', () => {
    const { g, rec } = setup();
    const iss = handshake(g);
    const dst = ip(SERVER);
    const good = buildTcp(g.ip, dst, { srcPort: 40000, dstPort: 80, seq: GISN + 1, ack: iss + 1, flags: ACK | PSH, window: 65535, payload: enc('ok') });
    const bad: Uint8Array[] = [good.subarray(0, 10), good.subarray(0, 19)];
    const badSum = good.slice(); badSum[21] ^= 0xff; bad.push(badSum);
    const badOff = good.slice(); badOff[12] = 0xf0; bad.push(badOff); // data offset 60 > segment length
    const lowOff = good.slice(); lowOff[12] = 0x20; bad.push(lowOff); // data offset 8 < 20
    for (const b of bad) g.send(g.ipFrame(dst, PROTO_TCP, b));
    expect(g.take()).toEqual([]);
    expect(rec.opened[0]!.data).toBe('');
    // Options garbage on a SYN: zero-length option, MSS of wrong length, option past the header.
    for (const opts of [[2, 0, 1, 1], [2, 3, 5, 1], [8, 40, 1, 1], [2, 4, 0, 0]]) {
      const syn = buildTcp(g.ip, dst, { srcPort: 42000 + opts[1]!, dstPort: 80, seq: 1, ack: 0, flags: SYN, window: 100 });
      const withOpts = new Uint8Array(24);
      withOpts.set(syn.subarray(0, 20));
      withOpts[12] = 6 << 4;
      withOpts.set(opts, 20);
      withOpts[16] = withOpts[17] = 0;
      const { checksum, pseudoSum } = bytes;
      const c = checksum(withOpts, 0, 24, pseudoSum(g.ip, dst, PROTO_TCP, 24));
      withOpts[16] = c >>> 8; withOpts[17] = c & 0xff;
      g.send(g.ipFrame(dst, PROTO_TCP, withOpts));
      const [sa] = g.takeTcp();
      expect(sa!.flags).toBe(SYN | ACK); // accepted with the default MSS
    }
    expect(g.net.stats.errors).toBe(0);
    g.send(g.ipFrame(dst, PROTO_TCP, good));
    expect(rec.opened[0]!.data).toBe('ok');
  });
});

describe('connections into the guest', () => {
  it('connects from 10.0.2.2, carries data both ways and closes', () => {
    const g = new Guest();
    const s = g.net.connectToGuest(8080);
    let got = '';
    let closed: CloseReason | null = null;
    s.setHandler({ data: (b) => { got += text(b); }, end: () => s.end(), closed: (r) => { closed = r; } });
    s.write(enc('GET / HTTP/1.0\r\n\r\n'));
    const [syn] = g.takeTcp() as TcpSegment[];
    expect(syn!.flags).toBe(SYN);
    expect(syn!.dstPort).toBe(8080);
    const from = syn!.srcPort;
    const gw = '10.0.2.2';
    g.tcp(gw, { srcPort: 8080, dstPort: from, seq: 9000, ack: syn!.seq + 1, flags: SYN | ACK, window: 65535, mss: 1460 });
    const segs = g.takeTcp();
    expect(segs.map((x) => x.flags)).toEqual([ACK, ACK | PSH]);
    expect(text(segs[1]!.payload)).toBe('GET / HTTP/1.0\r\n\r\n');
    expect(s.state).toBe('ESTABLISHED');
    g.tcp(gw, { srcPort: 8080, dstPort: from, seq: 9001, ack: syn!.seq + 19, flags: ACK | PSH | FIN, window: 65535, payload: enc('hi there') });
    expect(got).toBe('hi there');
    // Our end() ran inside the guest FIN's handling: FIN first, then the ACK for the data.
    expect(g.takeTcp().map((x) => [x.flags, x.ack])).toEqual([[FIN | ACK, 9010], [ACK, 9010]]);
    expect(s.state).toBe('LAST_ACK');
    g.tcp(gw, { srcPort: 8080, dstPort: from, seq: 9010, ack: syn!.seq + 20, flags: ACK, window: 65535 });
    expect(closed).toBe('closed');
  });

  it('reports a closed guest port as a reset', () => {
    const g = new Guest();
    const s = g.net.connectToGuest(81);
    let closed: CloseReason | null = null;
    s.setHandler({ data() {}, end() {}, closed: (r) => { closed = r; } });
    const [syn] = g.takeTcp();
    g.tcp('10.0.2.2', { srcPort: 81, dstPort: syn!.srcPort, seq: 0, ack: syn!.seq + 1, flags: RST | ACK, window: 0 });
    expect(closed).toBe('reset');
    expect(g.net.connections).toBe(0);
  });
});

