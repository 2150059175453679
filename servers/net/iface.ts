// The one network interface: its device, addresses (host byte order, 0 = not
// configured), counters, and the two frame buffers every protocol shares.
// Frames are built in place in `txFrame` (Ethernet header at 0, IPv4 at 14,
// the transport header at 34) and received into `rxFrame`, so building a reply
// while parsing a request never overwrites it.
import { NetDevice, FRAME_MAX, RX_HEADROOM } from "./virtio-net";

export const ETH_HLEN: usize = 14;
export const IP_HLEN: usize = 20;
/** Where a transport header starts in txFrame. */
export const L4: usize = ETH_HLEN + IP_HLEN;
const IPPROTO_TCP: u8 = 6;
/** The largest IPv4 packet in one Ethernet frame. */
export const MTU: i32 = 1500;

export class Iface {
  dev: NetDevice | null = null;
  mac: usize = heap.alloc(8);
  addr: u32 = 0;
  netmask: u32 = 0;
  gateway: u32 = 0;
  dns: u32 = 0;
  dhcp: bool = false;
  leaseS: u32 = 0;
  rxFrames: u32 = 0;
  txFrames: u32 = 0;
  rxBytes: u32 = 0;
  txBytes: u32 = 0;
  /** Frames we could not parse or had no use for. */
  rxDropped: u32 = 0;
  /** The card validated rxFrame's TCP/UDP checksum (virtio's DATA_VALID): nobody sums it again. */
  rxChecked: bool = false;
}

export const iface = new Iface();
export const txFrame: usize = heap.alloc(<usize>FRAME_MAX + 64);
export const rxFrame: usize = heap.alloc(<usize>FRAME_MAX + 64 + RX_HEADROOM) + RX_HEADROOM;

/**
 * Whether TCP leaves its checksums to the card: tcp.ts then writes only the
 * pseudo-header's sum, and sendFrame asks the card to complete every TCP segment.
 */
export function tcpChecksumOffload(): bool {
  const d = iface.dev;
  return d !== null && d.txCsum;
}

/** Hands a finished frame to the device. */
export function sendFrame(p: usize, len: i32): bool {
  const d = iface.dev;
  if (d === null) return false;
  if (len < 60) {
    // Ethernet's minimum frame (without FCS): pad with zeros, as a NIC would.
    memory.fill(p + <usize>len, 0, <usize>(60 - len));
    len = 60;
  }
  // A TCP segment (our IPv4 headers carry no options) when TCP leaves its checksum to the card.
  const tcp = d.txCsum && load<u16>(p + 12) == 0x0008 && load<u8>(p + 23) == IPPROTO_TCP;
  if (!d.transmit(p, <u32>len, tcp ? <u16>L4 : 0, tcp ? 16 : 0)) return false;
  iface.txFrames++;
  iface.txBytes += <u32>len;
  return true;
}

/** The address to ARP for when sending to dst: dst itself on our subnet, else the gateway. */
export function nextHop(dst: u32): u32 {
  if ((dst & iface.netmask) == (iface.addr & iface.netmask)) return dst;
  return iface.gateway != 0 ? iface.gateway : dst;
}
