// QEMU as the oracle for the gateway: the whole OS boots on qemu-system-riscv32
// with `-netdev user` (slirp) and a filter-dump capture; the guest's own
// frames from that capture (DHCP DISCOVER/REQUEST, ARP, ICMP echo) are replayed
// into UserNet, and its answers are compared field by field with slirp's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOsSource } from '../../../src/cli/os-files.ts';
import { KERNEL, PROMPT } from '../../../src/cli/os-session.ts';
import { u16, u32 } from '../../../src/host/net/bytes.ts';
import { parseEthernet } from '../../../src/host/net/ethernet.ts';
import { parseIpv4 } from '../../../src/host/net/ipv4.ts';
import { osArchive } from '../../../src/host/os-archive.ts';
import { UserNet } from '../../../src/host/net/user-net.ts';
import { QEMU_BINARY } from '../../helpers/qemu.ts';

/** Records of a little-endian, microsecond pcap file. */
function readPcap(b: Buffer): Uint8Array[] {
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const n = b.readUInt32LE(o + 8);
    out.push(new Uint8Array(b.subarray(o + 16, o + 16 + n)));
    o += 16 + n;
  }
  return out;
}

async function qemuCapture(script: string[]): Promise<Uint8Array[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-oracle-'));
  try {
    const initrd = join(dir, 'os.img');
    const pcap = join(dir, 'slirp.pcap');
    writeFileSync(initrd, osArchive(loadOsSource()));
    const child = spawn(QEMU_BINARY, [
      '-machine', 'virt', '-bios', 'none', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
      '-kernel', KERNEL, '-initrd', initrd,
      '-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0,bus=virtio-mmio-bus.1',
      '-object', `filter-dump,id=f0,netdev=n0,file=${pcap}`,
    ], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let typed = 0;
    const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (out.split(PROMPT).length - 1 <= typed) return;
      if (typed === script.length) { child.kill('SIGTERM'); return; }
      child.stdin.write(`${script[typed++]}\r`);
    });
    await done;
    clearTimeout(timer);
    expect(typed, out.slice(-400)).toBe(script.length);
    return readPcap(readFileSync(pcap));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GUEST_MAC = '525400123456';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function dhcpOptions(udpPayload: Uint8Array): Map<number, string> {
  const m = new Map<number, string>();
  for (let i = 240; i < udpPayload.length && udpPayload[i] !== 255;) {
    if (udpPayload[i] === 0) { i++; continue; }
    m.set(udpPayload[i]!, hex(udpPayload.subarray(i + 2, i + 2 + udpPayload[i + 1]!)));
    i += 2 + udpPayload[i + 1]!;
  }
  return m;
}

/** The interesting parts of a gateway frame, for comparison. */
function describe_(f: Uint8Array): Record<string, unknown> {
  const e = parseEthernet(f)!;
  const d: Record<string, unknown> = { dst: hex(e.dst), src: hex(e.src), type: e.type };
  if (e.type === 0x0806) {
    d.arp = { op: u16(e.payload, 6), sha: hex(e.payload.subarray(8, 14)), spa: u32(e.payload, 14), tha: hex(e.payload.subarray(18, 24)), tpa: u32(e.payload, 24) };
    return d;
  }
  const p = parseIpv4(e.payload);
  if (!p.ok) return { ...d, bad: p.reason };
  d.ip = { src: p.packet.src, dst: p.packet.dst, proto: p.packet.proto };
  if (p.packet.proto === 17 && u16(p.packet.payload, 0) === 67) {
    const b = p.packet.payload.subarray(8);
    const opts = dhcpOptions(b);
    d.dhcp = {
      op: b[0], xid: u32(b, 4), yiaddr: u32(b, 16), chaddr: hex(b.subarray(28, 34)),
      type: opts.get(53), mask: opts.get(1), router: opts.get(3), dns: opts.get(6), server: opts.get(54),
    };
  }
  if (p.packet.proto === 1) d.icmp = hex(p.packet.payload.subarray(0, 2)) + hex(p.packet.payload.subarray(4));
  return d;
}

describe('the gateway against QEMU slirp', () => {
  it('answers the guest\'s DHCP, ARP and ping frames as slirp does', async () => {
    const frames = await qemuCapture(['ping 10.0.2.2 2']);
    const fromGuest = frames.filter((f) => hex(f.subarray(6, 12)) === GUEST_MAC);
    const fromSlirp = frames.filter((f) => hex(f.subarray(6, 12)) !== GUEST_MAC);
    expect(fromGuest.length).toBeGreaterThan(3);
    // Replay the guest's frames into UserNet, pairing each answer with slirp's answer to the same frame.
    const ours: Uint8Array[] = [];
    const net = new UserNet({ deliver: (f) => ours.push(f) });
    const compared: string[] = [];
    for (const f of fromGuest) {
      const before = ours.length;
      net.transmit(f);
      const mine = ours.slice(before).map(describe_);
      if (mine.length === 0) continue;
      // slirp's answer: the first of its frames after this guest frame in the capture, of the same kind.
      const at = frames.indexOf(f);
      const theirs = frames.slice(at + 1).filter((x) => fromSlirp.includes(x)).map(describe_)
        .find((x) => JSON.stringify(Object.keys(x)) === JSON.stringify(Object.keys(mine[0]!)));
      expect(theirs, `slirp answered ${JSON.stringify(mine[0])}`).toBeDefined();
      expect(mine[0]).toEqual(theirs);
      compared.push(Object.keys(mine[0]!).at(-1)!);
    }
    expect(net.stats.errors).toBe(0);
    // DHCP offer and ack, ARP for the gateway, and the two echo replies at least.
    expect(compared.filter((k) => k === 'dhcp').length).toBeGreaterThanOrEqual(2);
    expect(compared).toContain('icmp');
  }, 90_000);
});
