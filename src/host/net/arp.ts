// ARP (RFC 826) for Ethernet/IPv4: the gateway answers requests for its own
// addresses; every valid ARP packet teaches it the sender's MAC.
import { put16, put32, u16, u32 } from './bytes.ts';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
const ARP_LEN = 28;

export interface ArpPacket {
  op: number;
  senderMac: Uint8Array;
  senderIp: number;
  targetMac: Uint8Array;
  targetIp: number;
}

export function parseArp(b: Uint8Array): ArpPacket | null {
  // htype Ethernet, ptype IPv4, hlen 6, plen 4.
  if (b.length < ARP_LEN || u16(b, 0) !== 1 || u16(b, 2) !== 0x0800 || b[4] !== 6 || b[5] !== 4) return null;
  const op = u16(b, 6);
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return null;
  return { op, senderMac: b.slice(8, 14), senderIp: u32(b, 14), targetMac: b.slice(18, 24), targetIp: u32(b, 24) };
}

export function buildArp(p: ArpPacket): Uint8Array {
  const b = new Uint8Array(ARP_LEN);
  put16(b, 0, 1);
  put16(b, 2, 0x0800);
  b[4] = 6;
  b[5] = 4;
  put16(b, 6, p.op);
  b.set(p.senderMac, 8);
  put32(b, 14, p.senderIp);
  b.set(p.targetMac, 18);
  put32(b, 24, p.targetIp);
  return b;
}
