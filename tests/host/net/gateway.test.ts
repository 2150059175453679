// The gateway's own services with crafted frames: ARP, ICMP echo, UDP to a
// closed port, DHCP, DNS, pcap; and hostile frames that must change nothing.
import { describe, expect, it } from 'vitest';
import { DNS_IP, GATEWAY_IP, GATEWAY_MAC, GUEST_IP, NETMASK } from '../../../src/host/net/addresses.ts';
import { checksum, ip, ipToString, put16, u16, u32 } from '../../../src/host/net/bytes.ts';
import { StaticResolver } from '../../../src/host/net/dns-resolver.ts';
import { parseEthernet } from '../../../src/host/net/ethernet.ts';
import { PROTO_ICMP } from '../../../src/host/net/ipv4.ts';
import { PcapWriter } from '../../../src/host/net/pcap.ts';
import { GUEST_MAC, Guest } from './guest.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** An ARP request from the guest for `target`, written out byte by byte. */
function arpRequest(target: string): Uint8Array {
  const t = ip(target);
  return hex(`ffffffffffff 525400123456 0806  0001 0800 06 04 0001 525400123456 0a00020f 000000000000 ${t.toString(16).padStart(8, '0')}`);
}

/** An ICMP echo request 10.0.2.15 -> dst with id 0x1234, seq 1 and 8 data bytes, checksums computed here. */
function pingFrame(dst: string): Uint8Array {
  const icmp = hex('0800 0000 1234 0001 6162636465666768');
  put16(icmp, 2, checksum(icmp, 0, icmp.length));
  const iph = hex(`4500 0024 0001 4000 4001 0000 0a00020f ${ip(dst).toString(16).padStart(8, '0')}`);
  put16(iph, 2, 20 + icmp.length);
  put16(iph, 10, checksum(iph, 0, 20));
  return Uint8Array.from([...GATEWAY_MAC, ...GUEST_MAC, 0x08, 0x00, ...iph, ...icmp]);
}

function dhcpMessage(type: number, xid: number, opts: number[] = [], flags = 0x8000): Uint8Array {
  const b = new Uint8Array(240 + opts.length + 4);
  b[0] = 1; b[1] = 1; b[2] = 6;
  b[4] = xid >>> 24; b[5] = (xid >>> 16) & 0xff; b[6] = (xid >>> 8) & 0xff; b[7] = xid & 0xff;
  put16(b, 10, flags);
  b.set(GUEST_MAC, 28);
  b.set([99, 130, 83, 99], 236);
  b.set([53, 1, type, ...opts, 255], 240);
  return b;
}

function dhcpOptions(b: Uint8Array): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  for (let i = 240; i < b.length && b[i] !== 255;) {
    if (b[i] === 0) { i++; continue; }
    m.set(b[i]!, b.slice(i + 2, i + 2 + b[i + 1]!));
    i += 2 + b[i + 1]!;
  }
  return m;
}

function dnsQuery(id: number, name: string, type = 1): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...new TextEncoder().encode(l)]);
  return Uint8Array.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, type, 0, 1]);
}

describe('gateway: ARP', () => {
  it('answers for 10.0.2.2 and 10.0.2.3 with its MAC, and not for other addresses', () => {
    const g = new Guest();
    for (const target of ['10.0.2.2', '10.0.2.3']) {
      g.send(arpRequest(target));
      const [f] = g.take();
      expect(f).toBeDefined();
      const e = parseEthernet(f!)!;
      expect(Array.from(e.dst)).toEqual(Array.from(GUEST_MAC));
      expect(e.type).toBe(0x0806);
      const a = e.payload;
      expect(u16(a, 6)).toBe(2); // reply
      expect(Array.from(a.subarray(8, 14))).toEqual(Array.from(GATEWAY_MAC));
      expect(ipToString(u32(a, 14))).toBe(target);
      expect(ipToString(u32(a, 24))).toBe('10.0.2.15');
    }
    g.send(arpRequest('10.0.2.99'));
    expect(g.take()).toEqual([]);
  });
});

describe('gateway: ICMP and UDP', () => {
  it('answers echo requests to its addresses with the same id, sequence and data', () => {
    const g = new Guest();
    g.send(pingFrame('10.0.2.2'));
    const [p] = g.takeIp();
    expect(p!.proto).toBe(PROTO_ICMP);
    expect(p!.src).toBe(GATEWAY_IP);
    expect(p!.dst).toBe(GUEST_IP);
    expect(Array.from(p!.payload)).toEqual(Array.from(hex('0000 0000 1234 0001 6162636465666768')).map((v, i) => (i === 2 || i === 3 ? p!.payload[i]! : v)));
    expect(checksum(p!.payload, 0, p!.payload.length)).toBe(0);
    // Elsewhere: no answer (like slirp without ICMP sockets), counted.
    g.send(pingFrame('8.8.8.8'));
    expect(g.take()).toEqual([]);
    expect(g.net.stats.dropped['icmp-unroutable']).toBe(1);
  });

  it('answers UDP to a closed port with ICMP port unreachable quoting the datagram', () => {
    const g = new Guest();
    g.udp('10.0.2.2', 5000, 9999, new TextEncoder().encode('hello'));
    const [p] = g.takeIp();
    expect(p!.proto).toBe(PROTO_ICMP);
    expect([p!.payload[0], p!.payload[1]]).toEqual([3, 3]);
    expect(checksum(p!.payload, 0, p!.payload.length)).toBe(0);
    // The quote: the original IP header (20) + 8 bytes of UDP header.
    expect(p!.payload.length).toBe(8 + 28);
    expect(u16(p!.payload, 8 + 20 + 2)).toBe(9999);
    // A broadcast to a closed port gets no error.
    g.udp('255.255.255.255', 5000, 9999, new Uint8Array(4));
    expect(g.take()).toEqual([]);
  });
});

describe('gateway: DHCP', () => {
  it('offers and acknowledges 10.0.2.15/24 with router 10.0.2.2, DNS 10.0.2.3 and a lease', () => {
    const g = new Guest();
    g.ip = 0;
    g.udp('255.255.255.255', 68, 67, dhcpMessage(1, 0xdeadbeef));
    const [offer] = g.takeUdp();
    expect(offer!.srcPort).toBe(67);
    expect(offer!.dstPort).toBe(68);
    expect(ipToString(offer!.dst)).toBe('255.255.255.255');
    const o = offer!.payload;
    expect(o[0]).toBe(2);
    expect(u32(o, 4)).toBe(0xdeadbeef);
    expect(ipToString(u32(o, 16))).toBe('10.0.2.15');
    expect(Array.from(o.subarray(28, 34))).toEqual(Array.from(GUEST_MAC));
    const oo = dhcpOptions(o);
    expect(oo.get(53)![0]).toBe(2);
    expect(u32(oo.get(54)!, 0)).toBe(GATEWAY_IP);
    expect(u32(oo.get(1)!, 0)).toBe(NETMASK);
    expect(u32(oo.get(3)!, 0)).toBe(GATEWAY_IP);
    expect(u32(oo.get(6)!, 0)).toBe(DNS_IP);
    expect(u32(oo.get(51)!, 0)).toBe(86400);

    g.udp('255.255.255.255', 68, 67, dhcpMessage(3, 0xdeadbeef, [50, 4, 10, 0, 2, 15, 54, 4, 10, 0, 2, 2]));
    const [ack] = g.takeUdp();
    const ao = dhcpOptions(ack!.payload);
    expect(ao.get(53)![0]).toBe(5);
    expect(ipToString(u32(ack!.payload, 16))).toBe('10.0.2.15');
    expect(g.net.dhcp.leased).toBe(true);

    // Unicast reply when the client does not ask for broadcast; NAK for another address.
    g.udp('255.255.255.255', 68, 67, dhcpMessage(1, 7, [], 0));
    const [uni] = g.takeUdp();
    expect(ipToString(uni!.dst)).toBe('10.0.2.15');
    g.udp('255.255.255.255', 68, 67, dhcpMessage(3, 8, [50, 4, 10, 0, 2, 77]));
    const [nak] = g.takeUdp();
    expect(dhcpOptions(nak!.payload).get(53)![0]).toBe(6);
    // RELEASE gives the lease back, without a reply.
    g.udp('10.0.2.2', 68, 67, dhcpMessage(7, 9, [54, 4, 10, 0, 2, 2]));
    expect(g.take()).toEqual([]);
    expect(g.net.dhcp.leased).toBe(false);
  });
});

describe('gateway: DNS', () => {
  it('answers A queries from the resolver, NXDOMAIN for unknown names, NODATA for other types', async () => {
    const g = new Guest({ resolver: new StaticResolver({ 'example.test': '93.184.216.34', 'multi.test': ['1.2.3.4', '5.6.7.8'] }) });
    g.udp('10.0.2.3', 40000, 53, dnsQuery(0x4242, 'Example.Test'));
    const [a] = g.takeUdp();
    expect(a!.src).toBe(DNS_IP);
    expect(a!.srcPort).toBe(53);
    expect(a!.dstPort).toBe(40000);
    const r = a!.payload;
    expect(u16(r, 0)).toBe(0x4242);
    expect(u16(r, 2) & 0x800f).toBe(0x8000); // response, NOERROR
    expect(u16(r, 6)).toBe(1); // one answer
    const q = dnsQuery(0, 'Example.Test');
    const ans = r.subarray(q.length);
    expect(u16(ans, 0)).toBe(0xc00c);
    expect(u16(ans, 2)).toBe(1);
    expect(ipToString(u32(ans, 12))).toBe('93.184.216.34');

    g.udp('10.0.2.3', 40000, 53, dnsQuery(2, 'multi.test'));
    expect(u16(g.takeUdp()[0]!.payload, 6)).toBe(2);
    g.udp('10.0.2.3', 40000, 53, dnsQuery(3, 'localhost'));
    const lo = g.takeUdp()[0]!.payload;
    expect(ipToString(u32(lo, lo.length - 4))).toBe('127.0.0.1');
    g.udp('10.0.2.3', 40000, 53, dnsQuery(4, 'nowhere.test'));
    expect(u16(g.takeUdp()[0]!.payload, 2) & 0xf).toBe(3);
    g.udp('10.0.2.3', 40000, 53, dnsQuery(5, 'example.test', 28));
    const aaaa = g.takeUdp()[0]!.payload;
    expect([u16(aaaa, 2) & 0xf, u16(aaaa, 6)]).toEqual([0, 0]);

    // An asynchronous resolver answers later, through deliver.
    const slow = new Guest({ resolver: { resolveA: async (n: string) => (n === 'late.test' ? ['10.9.8.7'] : []) } });
    slow.udp('10.0.2.3', 40001, 53, dnsQuery(6, 'late.test'));
    expect(slow.take()).toEqual([]);
    expect(slow.net.pending).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    const late = slow.takeUdp()[0]!.payload;
    expect(ipToString(u32(late, late.length - 4))).toBe('10.9.8.7');
    expect(slow.net.pending).toBe(0);
  });

  it('answers a malformed query with FORMERR', () => {
    const g = new Guest();
    const bad = dnsQuery(9, 'x.test');
    bad[12] = 0xc0; // compression pointer in the question
    g.udp('10.0.2.3', 40000, 53, bad);
    const r = g.takeUdp()[0]!.payload;
    expect(u16(r, 0)).toBe(9);
    expect(u16(r, 2) & 0xf).toBe(1);
  });
});

describe('gateway: pcap', () => {
  it('records every frame both ways in libpcap format', () => {
    let t = 1_700_000_000_123.5;
    const pcap = new PcapWriter(() => t);
    const g = new Guest({ pcap });
    const req = arpRequest('10.0.2.2');
    g.send(req);
    t += 1;
    g.send(pingFrame('10.0.2.2'));
    const b = pcap.bytes();
    const v = new DataView(b.buffer, b.byteOffset);
    expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
    expect([v.getUint16(4, true), v.getUint16(6, true), v.getUint32(20, true)]).toEqual([2, 4, 1]);
    expect(pcap.count).toBe(4);
    // First record: the ARP request at t.
    expect(v.getUint32(24, true)).toBe(1_700_000_000);
    expect(v.getUint32(28, true)).toBe(123_500);
    expect(v.getUint32(32, true)).toBe(req.length);
    expect(Array.from(b.subarray(40, 40 + req.length))).toEqual(Array.from(req));
    // Walk all records: lengths add up to the file.
    let off = 24;
    for (let i = 0; i < 4; i++) off += 16 + v.getUint32(off + 8, true);
    expect(off).toBe(b.length);
  });
});

describe('gateway: hostile frames', () => {
  it('drops malformed, truncated and forged frames without exceptions or answers', () => {
    const g = new Guest();
    const good = pingFrame('10.0.2.2');
    const cases: Uint8Array[] = [
      new Uint8Array(0), new Uint8Array(5), good.subarray(0, 14), good.subarray(0, 20), good.subarray(0, 33),
    ];
    const mutate = (off: number, v: number): Uint8Array => { const f = good.slice(); f[off] = v; return f; };
    cases.push(mutate(14, 0x46)); // IHL 6 without options: checksum/length wrong
    cases.push(mutate(14, 0x44)); // IHL 4
    cases.push(mutate(14, 0x65)); // version 6
    cases.push(mutate(16, 0xff)); // total length beyond the frame
    cases.push(mutate(24, 0x00)); // header checksum broken
    cases.push(mutate(14 + 20 + 2, 0x00)); // ICMP checksum broken
    cases.push(mutate(0, 0x01)); // not for us
    cases.push(mutate(6, 0xff)); // multicast source
    const frag = good.slice(); frag[20] = 0x20; put16(frag, 24, 0); put16(frag, 24, checksum(frag, 14, 20)); cases.push(frag);
    const arp = arpRequest('10.0.2.2'); cases.push(arp.subarray(0, 30));
    const arpForged = arp.slice(); arpForged[22] = 0x99; cases.push(arpForged); // sender MAC differs from the source
    cases.push(Uint8Array.from({ length: 1600 }, (_, i) => (i * 131) & 0xff));
    for (let seed = 1; seed < 300; seed++) {
      const f = good.slice();
      for (let k = 0; k < 3; k++) f[14 + ((seed * 7919 * (k + 1)) % (f.length - 14))] ^= (seed * (k + 3)) & 0xff;
      cases.push(f.subarray(0, 14 + ((seed * 31) % (f.length - 13))));
    }
    for (const f of cases) g.send(f);
    expect(g.net.stats.errors).toBe(0);
    // Only well-formed echo requests that survived mutation by chance may be answered.
    for (const p of g.takeIp()) expect(p.proto).toBe(PROTO_ICMP);
    expect(g.net.connections).toBe(0);
    expect(g.net.dhcp.leased).toBe(false);
    // The gateway still works.
    g.send(good);
    expect(g.takeIp()).toHaveLength(1);
  });
});
