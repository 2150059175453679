// UDP (RFC 768): length and checksum checks, and two fixed local ports: the
// DHCP client's (68) and the DNS client's. There are no UDP sockets for tasks.
import { get16, put16, pseudoSum, sumBytes, foldSum } from "./bytes";
import { L4, iface, txFrame } from "./iface";
import { PROTO_UDP, ipOutput } from "./ipv4";
import { DHCP_CLIENT_PORT, dhcpInput } from "./dhcp";
import { DNS_CLIENT_PORT, dnsInput } from "./dns";

export const UDP_HLEN: i32 = 8;
/** Where a UDP payload is built: in txFrame, after the UDP header. */
export function udpData(): usize {
  return txFrame + L4 + <usize>UDP_HLEN;
}

export function udpInput(src: u32, dst: u32, p: usize, len: i32): void {
  if (len < UDP_HLEN) return;
  const ulen = <i32>get16(p + 4);
  if (ulen < UDP_HLEN || ulen > len) return;
  if (get16(p + 6) != 0 && !iface.rxChecked && foldSum(sumBytes(pseudoSum(src, dst, PROTO_UDP, ulen), p, ulen)) != 0) {
    iface.rxDropped++;
    return;
  }
  const sport = get16(p);
  const dport = get16(p + 2);
  if (dport == DHCP_CLIENT_PORT) dhcpInput(p + UDP_HLEN, ulen - UDP_HLEN);
  else if (dport == DNS_CLIENT_PORT) dnsInput(src, sport, p + UDP_HLEN, ulen - UDP_HLEN);
  else iface.rxDropped++; // no ICMP port-unreachable: nobody here needs it
}

/** Sends the payload already at UDP_DATA (len bytes) from sport to dst:dport. */
export function udpOutput(dst: u32, sport: u16, dport: u16, len: i32): void {
  const p = txFrame + L4;
  const ulen = UDP_HLEN + len;
  put16(p, sport);
  put16(p + 2, dport);
  put16(p + 4, <u16>ulen);
  put16(p + 6, 0);
  let c = foldSum(sumBytes(pseudoSum(iface.addr, dst, PROTO_UDP, ulen), p, ulen));
  put16(p + 6, c == 0 ? 0xffff : c); // 0 means "no checksum" in UDP
  ipOutput(dst, PROTO_UDP, ulen);
}
