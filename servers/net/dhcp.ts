// The DHCP client (RFC 2131/2132): DISCOVER -> OFFER -> REQUEST -> ACK, as an
// explicit state machine. Retransmits with backoff (1, 2, 4, 4... s); renews
// at half the lease (by REQUEST, broadcast like the first one); a NAK starts over.
import { wakeAt } from "./timer";
import { nowMs, println } from "../sdk/assembly";
import { get16, get32, put16, put32, ipString } from "./bytes";
import { iface } from "./iface";
import { udpData, udpOutput } from "./udp";

export const DHCP_CLIENT_PORT: u16 = 68;
const SERVER_PORT: u16 = 67;
const COOKIE: u32 = 0x63825363;
const OPTS: i32 = 240;

const DISCOVER: u8 = 1;
const OFFER: u8 = 2;
const REQUEST: u8 = 3;
const ACK: u8 = 5;
const NAK: u8 = 6;

export enum DhcpState { Init, Selecting, Requesting, Bound, Renewing }

export let dhcpState = DhcpState.Init;
let xid: u32 = 0;
let tries = 0;
let deadline: i64 = i64.MAX_VALUE;
let offered: u32 = 0;
let server: u32 = 0;
let renewAt: i64 = i64.MAX_VALUE;

/** Starts (or restarts) address configuration. */
export function dhcpStart(): void {
  xid = (load<u32>(iface.mac, 2) ^ <u32>nowMs()) | 1;
  tries = 0;
  offered = 0;
  server = 0;
  dhcpState = DhcpState.Selecting;
  send(DISCOVER);
}

function send(type: u8): void {
  const p = udpData();
  memory.fill(p, 0, <usize>OPTS);
  store<u8>(p, 1); // BOOTREQUEST
  store<u8>(p + 1, 1); // Ethernet
  store<u8>(p + 2, 6);
  put32(p + 4, xid);
  put16(p + 10, 0x8000); // broadcast the answer: we cannot take unicast before we have an address
  if (dhcpState == DhcpState.Renewing) put32(p + 12, iface.addr);
  memory.copy(p + 28, iface.mac, 6);
  put32(p + 236, COOKIE);
  let o = p + <usize>OPTS;
  store<u8>(o, 53); store<u8>(o + 1, 1); store<u8>(o + 2, type); o += 3;
  if (type == REQUEST && dhcpState == DhcpState.Requesting) {
    store<u8>(o, 50); store<u8>(o + 1, 4); put32(o + 2, offered); o += 6;
    store<u8>(o, 54); store<u8>(o + 1, 4); put32(o + 2, server); o += 6;
  }
  // Parameter request list: subnet mask, router, DNS server, lease time.
  store<u8>(o, 55); store<u8>(o + 1, 4); store<u8>(o + 2, 1); store<u8>(o + 3, 3); store<u8>(o + 4, 6); store<u8>(o + 5, 51); o += 6;
  store<u8>(o, 255); o += 1;
  const len = <i32>(o - p);
  udpOutput(0xffffffff, DHCP_CLIENT_PORT, SERVER_PORT, max(len, 300)); // BOOTP's minimum size
  deadline = nowMs() + (<i64>1000 << min(tries, 2));
  wakeAt(deadline);
  tries++;
}

export function dhcpInput(p: usize, len: i32): void {
  if (len < OPTS + 1 || load<u8>(p) != 2 || get32(p + 4) != xid || get32(p + 236) != COOKIE) return;
  if (load<u32>(p + 28) != load<u32>(iface.mac) || load<u16>(p + 32) != load<u16>(iface.mac, 4)) return;
  let type: u8 = 0, mask: u32 = 0, router: u32 = 0, dns: u32 = 0, lease: u32 = 86400, sid: u32 = 0;
  let o = OPTS;
  while (o < len) {
    const code = load<u8>(p + <usize>o);
    if (code == 255) break;
    if (code == 0) { o++; continue; }
    if (o + 2 > len) break;
    const n = <i32>load<u8>(p + <usize>o + 1);
    const v = p + <usize>o + 2;
    if (o + 2 + n > len) break;
    if (code == 53 && n >= 1) type = load<u8>(v);
    else if (code == 1 && n >= 4) mask = get32(v);
    else if (code == 3 && n >= 4) router = get32(v);
    else if (code == 6 && n >= 4) dns = get32(v);
    else if (code == 51 && n >= 4) lease = get32(v);
    else if (code == 54 && n >= 4) sid = get32(v);
    o += 2 + n;
  }
  const yiaddr = get32(p + 16);
  if (type == OFFER && dhcpState == DhcpState.Selecting && yiaddr != 0) {
    offered = yiaddr;
    server = sid;
    dhcpState = DhcpState.Requesting;
    tries = 0;
    send(REQUEST);
  } else if (type == ACK && (dhcpState == DhcpState.Requesting || dhcpState == DhcpState.Renewing)) {
    const first = dhcpState == DhcpState.Requesting;
    iface.addr = yiaddr;
    iface.netmask = mask != 0 ? mask : 0xffffff00;
    iface.gateway = router;
    iface.dns = dns;
    iface.leaseS = lease;
    iface.dhcp = true;
    dhcpState = DhcpState.Bound;
    deadline = i64.MAX_VALUE;
    renewAt = nowMs() + <i64>max(lease / 2, 10) * 1000;
    wakeAt(renewAt);
    if (first) println("tcpip: " + ipString(yiaddr) + " by DHCP, gateway " + ipString(router) + ", dns " + ipString(dns));
  } else if (type == NAK && dhcpState != DhcpState.Bound) {
    iface.addr = 0;
    dhcpStart();
  }
}

export function dhcpTick(now: i64): void {
  if (dhcpState == DhcpState.Bound && now >= renewAt) {
    dhcpState = DhcpState.Renewing;
    renewAt = i64.MAX_VALUE;
    tries = 0;
    send(REQUEST);
    return;
  }
  if (now < deadline) return;
  if (dhcpState == DhcpState.Selecting) send(DISCOVER);
  else if (dhcpState == DhcpState.Requesting) {
    if (tries >= 4) dhcpStart(); // the offer went stale: start over
    else send(REQUEST);
  } else if (dhcpState == DhcpState.Renewing) {
    if (tries >= 4) {
      // The server stopped answering: keep the address (QEMU's never expires) and try later.
      dhcpState = DhcpState.Bound;
      deadline = i64.MAX_VALUE;
      renewAt = now + <i64>max(iface.leaseS / 4, 10) * 1000;
      wakeAt(renewAt);
    } else send(REQUEST);
  }
}

export function dhcpDeadline(): i64 {
  return min(deadline, renewAt);
}
