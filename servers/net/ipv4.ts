// IPv4 (RFC 791): header checks on the way in, header and routing on the way
// out. No options are sent, fragments are dropped (every peer here sends
// 1500-byte packets at most), broadcast is accepted for DHCP.
import { get16, get32, put16, put32, sumBytes, foldSum } from "./bytes";
import { ETHERTYPE_IPV4, putEthHeader } from "./ethernet";
import { ETH_HLEN, IP_HLEN, iface, nextHop, txFrame } from "./iface";
import { sendToHop } from "./arp";
import { icmpInput } from "./icmp";
import { tcpInput } from "./tcp";
import { udpInput } from "./udp";
import { BROADCAST } from "./ethernet";

export const PROTO_ICMP: u8 = 1;
export const PROTO_TCP: u8 = 6;
export const PROTO_UDP: u8 = 17;
const TTL: u8 = 64;

let ident: u16 = 1;

/** The received packet's TTL, for ping's output. */
export let lastTtl: u8 = 0;

/**
 * Sends txFrame's transport payload (payloadLen bytes at offset 34) to dst:
 * fills the IPv4 and Ethernet headers and routes it (the gateway off our subnet).
 */
export function ipOutput(dst: u32, proto: u8, payloadLen: i32): void {
  const ip = txFrame + ETH_HLEN;
  store<u8>(ip, 0x45);
  store<u8>(ip + 1, 0);
  put16(ip + 2, <u16>(<i32>IP_HLEN + payloadLen));
  put16(ip + 4, ident++);
  put16(ip + 6, 0x4000); // don't fragment
  store<u8>(ip + 8, TTL);
  store<u8>(ip + 9, proto);
  put16(ip + 10, 0);
  put32(ip + 12, iface.addr);
  put32(ip + 16, dst);
  put16(ip + 10, foldSum(sumBytes(0, ip, <i32>IP_HLEN)));
  putEthHeader(txFrame, BROADCAST, ETHERTYPE_IPV4);
  sendToHop(dst == 0xffffffff ? dst : nextHop(dst), txFrame, <i32>(ETH_HLEN + IP_HLEN) + payloadLen);
}

/** Handles an IPv4 frame (at p, len bytes including the Ethernet header). */
export function ipInput(p: usize, len: i32): void {
  const ip = p + ETH_HLEN;
  const avail = len - <i32>ETH_HLEN;
  if (avail < <i32>IP_HLEN) return drop();
  const vihl = load<u8>(ip);
  const ihl = <i32>(vihl & 15) * 4;
  if (vihl >> 4 != 4 || ihl < <i32>IP_HLEN || ihl > avail) return drop();
  const total = <i32>get16(ip + 2);
  if (total < ihl || total > avail) return drop();
  if (foldSum(sumBytes(0, ip, ihl)) != 0) return drop();
  if ((get16(ip + 6) & 0x3fff) != 0) return drop(); // a fragment (MF or an offset)
  const src = get32(ip + 12);
  const dst = get32(ip + 16);
  const bcast = dst == 0xffffffff || (iface.netmask != 0 && dst == (iface.addr | ~iface.netmask));
  if (!bcast && dst != iface.addr && iface.addr != 0) return drop();
  lastTtl = load<u8>(ip + 8);
  const l4 = ip + <usize>ihl;
  const l4len = total - ihl;
  switch (load<u8>(ip + 9)) {
    case PROTO_ICMP:
      if (!bcast) icmpInput(src, l4, l4len);
      break;
    case PROTO_TCP:
      if (!bcast) tcpInput(src, dst, l4, l4len);
      break;
    case PROTO_UDP:
      udpInput(src, dst, l4, l4len);
      break;
    default:
      drop();
  }
}

function drop(): void {
  iface.rxDropped++;
}
