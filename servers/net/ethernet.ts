// Ethernet II framing: the 14-byte header (destination, source, EtherType).
import { get16, put16 } from "./bytes";
import { iface } from "./iface";

export const ETHERTYPE_IPV4: u16 = 0x0800;
export const ETHERTYPE_ARP: u16 = 0x0806;

/** Writes the header at p: to `dst` (6 bytes at that address), from our MAC. */
export function putEthHeader(p: usize, dst: usize, type: u16): void {
  memory.copy(p, dst, 6);
  memory.copy(p + 6, iface.mac, 6);
  put16(p + 12, type);
}

@inline export function ethType(p: usize): u16 {
  return get16(p + 12);
}

/** True if the frame at p is for us: our MAC or broadcast. */
export function ethForUs(p: usize): bool {
  if (load<u32>(p) == 0xffffffff && load<u16>(p, 4) == 0xffff) return true;
  return load<u32>(p) == load<u32>(iface.mac) && load<u16>(p, 4) == load<u16>(iface.mac, 4);
}

export const BROADCAST: usize = memory.data<u8>([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const ZERO_MAC: usize = memory.data<u8>([0, 0, 0, 0, 0, 0]);
