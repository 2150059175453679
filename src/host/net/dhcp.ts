// The DHCP server (RFC 2131/2132), reduced to what a one-guest network needs:
// every client gets 10.0.2.15/24 with router 10.0.2.2 and DNS 10.0.2.3, as
// under QEMU's user networking. DISCOVER -> OFFER, REQUEST -> ACK (or NAK for
// another address), INFORM -> ACK without a lease; RELEASE/DECLINE are noted.
import { put16, put32, u32 } from './bytes.ts';
import { DNS_IP, GATEWAY_IP, GUEST_IP, LEASE_SECONDS, NETMASK } from './addresses.ts';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const BOOTREQUEST = 1;
const BOOTREPLY = 2;
const MAGIC = 0x63825363;
const FIXED = 236;

export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;

const OPT_SUBNET = 1;
const OPT_ROUTER = 3;
const OPT_DNS = 6;
const OPT_REQUESTED_IP = 50;
const OPT_LEASE = 51;
const OPT_MSG_TYPE = 53;
const OPT_SERVER_ID = 54;
const OPT_RENEWAL = 58;
const OPT_REBINDING = 59;
const OPT_END = 255;
const OPT_PAD = 0;

export interface DhcpMessage {
  op: number;
  xid: number;
  flags: number;
  ciaddr: number;
  chaddr: Uint8Array;
  type: number;
  requestedIp: number | null;
  serverId: number | null;
}

/** Parses a BOOTP/DHCP message; null when malformed (bad lengths, no cookie, no message type). */
export function parseDhcp(b: Uint8Array): DhcpMessage | null {
  if (b.length < FIXED + 4 || b[1] !== 1 || b[2] !== 6 || u32(b, FIXED) !== MAGIC) return null;
  let type = 0;
  let requestedIp: number | null = null;
  let serverId: number | null = null;
  for (let i = FIXED + 4; i < b.length;) {
    const code = b[i]!;
    if (code === OPT_END) break;
    if (code === OPT_PAD) { i++; continue; }
    if (i + 1 >= b.length) return null;
    const len = b[i + 1]!;
    const v = i + 2;
    if (v + len > b.length) return null;
    if (code === OPT_MSG_TYPE && len === 1) type = b[v]!;
    if (code === OPT_REQUESTED_IP && len === 4) requestedIp = u32(b, v);
    if (code === OPT_SERVER_ID && len === 4) serverId = u32(b, v);
    i = v + len;
  }
  if (type === 0) return null;
  return { op: b[0]!, xid: u32(b, 4), flags: (b[10]! << 8) | b[11]!, ciaddr: u32(b, 12), chaddr: b.slice(28, 34), type, requestedIp, serverId };
}

export interface DhcpReply {
  payload: Uint8Array;
  /** Send to the broadcast address (the client asked, or has no address yet and may not take unicast). */
  broadcast: boolean;
  /** The address the reply is for (yiaddr, or ciaddr for INFORM). */
  to: number;
}

export class DhcpServer {
  /** The client holds the lease (ACKed and not released). */
  leased = false;
  readonly log: string[] = [];

  /** The reply to a client message, or null when none is due. */
  handle(m: DhcpMessage): DhcpReply | null {
    if (m.op !== BOOTREQUEST) return null;
    switch (m.type) {
      case DHCPDISCOVER:
        return this.reply(m, DHCPOFFER, GUEST_IP);
      case DHCPREQUEST: {
        // A REQUEST naming another server is that server's business (RFC 2131 §4.3.2).
        if (m.serverId !== null && m.serverId !== GATEWAY_IP) return null;
        const wanted = m.requestedIp ?? m.ciaddr;
        if (wanted !== GUEST_IP) return this.reply(m, DHCPNAK, 0);
        this.leased = true;
        return this.reply(m, DHCPACK, GUEST_IP);
      }
      case DHCPINFORM:
        return this.reply(m, DHCPACK, 0);
      case DHCPRELEASE:
      case DHCPDECLINE:
        this.leased = false;
        this.log.push(m.type === DHCPRELEASE ? 'release' : 'decline');
        return null;
      default:
        return null;
    }
  }

  private reply(m: DhcpMessage, type: number, yiaddr: number): DhcpReply {
    const opts: number[] = [OPT_MSG_TYPE, 1, type, OPT_SERVER_ID, 4, ...be32(GATEWAY_IP)];
    if (type !== DHCPNAK) {
      opts.push(OPT_SUBNET, 4, ...be32(NETMASK), OPT_ROUTER, 4, ...be32(GATEWAY_IP), OPT_DNS, 4, ...be32(DNS_IP));
      if (type !== DHCPACK || yiaddr !== 0) {
        opts.push(OPT_LEASE, 4, ...be32(LEASE_SECONDS), OPT_RENEWAL, 4, ...be32(LEASE_SECONDS / 2),
          OPT_REBINDING, 4, ...be32((LEASE_SECONDS * 7) / 8));
      }
    }
    opts.push(OPT_END);
    const b = new Uint8Array(FIXED + 4 + Math.max(opts.length, 60));
    b[0] = BOOTREPLY;
    b[1] = 1;
    b[2] = 6;
    put32(b, 4, m.xid);
    put16(b, 10, m.flags & 0x8000);
    put32(b, 12, m.type === DHCPINFORM ? m.ciaddr : 0);
    put32(b, 16, yiaddr);
    put32(b, 20, GATEWAY_IP); // siaddr
    b.set(m.chaddr, 28);
    put32(b, FIXED, MAGIC);
    b.set(opts, FIXED + 4);
    const to = m.type === DHCPINFORM ? m.ciaddr : yiaddr;
    // RFC 2131 §4.1: NAKs and replies to clients without an address (that asked for broadcast) go to 255.255.255.255.
    const broadcast = type === DHCPNAK || (m.flags & 0x8000) !== 0 || to === 0;
    return { payload: b, broadcast, to };
  }
}

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}
