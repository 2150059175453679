// The one network interface: its device, addresses (host byte order, 0 = not
// configured), counters, and the two frame buffers every protocol shares.
// Frames are built in place in `txFrame` (Ethernet header at 0, IPv4 at 14,
// the transport header at 34) and received into `rxFrame`, so building a reply
// while parsing a request never overwrites it.
import { NetDevice, FRAME_MAX } from "./virtio-net";

export const ETH_HLEN: usize = 14;
export const IP_HLEN: usize = 20;
/** Where a transport header starts in txFrame. */
export const L4: usize = ETH_HLEN + IP_HLEN;
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
}

export const iface = new Iface();
export const txFrame: usize = heap.alloc(<usize>FRAME_MAX + 64);
export const rxFrame: usize = heap.alloc(<usize>FRAME_MAX + 64);

/** Hands a finished frame to the device. */
export function sendFrame(p: usize, len: i32): bool {
  const d = iface.dev;
  if (d === null) return false;
  if (len < 60) {
    // Ethernet's minimum frame (without FCS): pad with zeros, as a NIC would.
    memory.fill(p + <usize>len, 0, <usize>(60 - len));
    len = 60;
  }
  if (!d.transmit(p, <u32>len)) return false;
  iface.txFrames++;
  iface.txBytes += <u32>len;
  return true;
}

/** The address to ARP for when sending to dst: dst itself on our subnet, else the gateway. */
export function nextHop(dst: u32): u32 {
  if ((dst & iface.netmask) == (iface.addr & iface.netmask)) return dst;
  return iface.gateway != 0 ? iface.gateway : dst;
}
