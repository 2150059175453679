// The tcpip server (docs/tcpip.md): the virtio-net driver and the whole
// protocol stack in one task, so a frame costs no IPC on its way between the
// card and TCP. One loop: receive a request or a kernel notification (our
// IRQ) with a timeout that is the earliest protocol timer, then drain the
// receive ring, run the timers and deliver socket notifications.
import {
  E_IO,
  E_UNREACHABLE,
  E_UNSUPPORTED,
  IPC_ANY,
  MSG_NET_IFCONFIG,
  MSG_NET_PING,
  MSG_NOTIFY,
  MSG_TCPIP_CONNECT,
  MSG_TCPIP_DESTROY,
  MSG_TCPIP_DNS_RESOLVE,
  MSG_TCPIP_LISTEN,
  MSG_TCPIP_READ,
  MSG_TCPIP_WRITE,
  Message,
  NO_REPLY,
  NetIfconfigReply,
  NetPing,
  REPLY,
  TASK_KERNEL,
  TcpipDnsResolve,
  TcpipDnsResolveReply,
  nowMs,
  println,
  recvTimeout,
  register,
  reply,
  replyError,
} from "../sdk/assembly";
import { arpDeadline, arpInput, arpTick } from "./arp";
import { parseIp } from "./bytes";
import { DhcpState, dhcpDeadline, dhcpStart, dhcpState, dhcpTick } from "./dhcp";
import { dnsDeadline, dnsResolve, dnsTick } from "./dns";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ethForUs, ethType } from "./ethernet";
import { icmpDeadline, icmpTick, startPing } from "./icmp";
import { iface, rxFrame } from "./iface";
import { ipInput } from "./ipv4";
import { deliverNotifications, tcpipConnect, tcpipDestroy, tcpipListen, tcpipRead, tcpipWrite } from "./sockets";
import { tcpDeadline, tcpTick } from "./tcp";
import { NetDevice } from "./virtio-net";
import { nextWake, setNextWake } from "./timer";

/** How long boot waits for DHCP before registering "tcpip" anyway (it goes on in the background). */
const DHCP_BOOT_WAIT_MS: i64 = 3000;
/** Retry interval for a notification its task was not ready to receive. */
const RETRY_MS: i64 = 5;
/** Frames handled per loop turn, so requests are not starved by a flood. */
const RX_BATCH = 64;
const IDLE_MS: i64 = 10_000;
const PING_TIMEOUT_MS: u32 = 1000;

const m = Message.alloc();
let notePending = false;
/**
 * net is built with the minimal runtime (asc.json): no shadow stack, so every
 * function is cheaper, but garbage is collected only when asked, and only from
 * globals. Between turns of the loop nothing else holds a managed object.
 */
const COLLECT_MS: i64 = 100;
let nextCollect: i64 = 0;

function handle(m: Message): i32 {
  switch (m.type) {
    case MSG_TCPIP_CONNECT:
      return tcpipConnect(m);
    case MSG_TCPIP_LISTEN:
      return tcpipListen(m);
    case MSG_TCPIP_DESTROY:
      return tcpipDestroy(m);
    case MSG_TCPIP_WRITE:
      return tcpipWrite(m);
    case MSG_TCPIP_READ:
      return tcpipRead(m);
    case MSG_TCPIP_DNS_RESOLVE: {
      const name = TcpipDnsResolve.at(m).hostname;
      const literal = parseIp(name);
      if (literal >= 0) {
        TcpipDnsResolveReply.init(m).addr = <u32>literal;
        return REPLY;
      }
      if (iface.dev === null) return E_IO;
      dnsResolve(m.src, name);
      return NO_REPLY;
    }
    case MSG_NET_IFCONFIG:
      ifconfig(m);
      return REPLY;
    case MSG_NET_PING: {
      const req = NetPing.at(m);
      if (iface.dev === null) return E_IO;
      if (iface.addr == 0 || req.addr == 0) return E_UNREACHABLE;
      startPing(m.src, req.addr, req.seq, <i32>req.size, <i32>(req.timeout_ms != 0 ? req.timeout_ms : PING_TIMEOUT_MS));
      return NO_REPLY;
    }
    default:
      return E_UNSUPPORTED;
  }
}

function ifconfig(m: Message): void {
  const r = NetIfconfigReply.init(m);
  r.up = iface.dev !== null;
  r.dhcp = iface.dhcp;
  for (let i = 0; i < 6; i++) r.set_mac(i, load<u8>(iface.mac + <usize>i));
  r.addr = iface.addr;
  r.netmask = iface.netmask;
  r.gateway = iface.gateway;
  r.dns = iface.dns;
  r.lease_s = iface.leaseS;
  r.rx_frames = iface.rxFrames;
  r.tx_frames = iface.txFrames;
  r.rx_bytes = iface.rxBytes;
  r.tx_bytes = iface.txBytes;
}

function pollRx(): void {
  const dev = iface.dev;
  if (dev === null) return;
  for (let i = 0; i < RX_BATCH; i++) {
    const n = dev.receive(rxFrame);
    if (n < 0) break;
    iface.rxFrames++;
    iface.rxBytes += <u32>n;
    iface.rxChecked = dev.rxValid;
    if (n < 14 || !ethForUs(rxFrame)) continue;
    const type = ethType(rxFrame);
    if (type == ETHERTYPE_IPV4) ipInput(rxFrame, n);
    else if (type == ETHERTYPE_ARP) arpInput(rxFrame, n);
  }
  dev.flushRx();
}

function nextDeadline(): i64 {
  let d = min(min(arpDeadline(), dhcpDeadline()), min(dnsDeadline(), icmpDeadline()));
  return min(d, tcpDeadline());
}

/** One turn of the loop; waits at most maxWait ms for something to happen. */
function step(maxWait: i64): void {
  const now = nowMs();
  let wait = min(maxWait, nextWake - now);
  if (notePending) wait = min(wait, RETRY_MS);
  if (wait < 0) wait = 0;
  const r = recvTimeout(IPC_ANY, m, <i32>wait);
  if (r >= 0) {
    if (m.src == TASK_KERNEL) {
      if (m.type == MSG_NOTIFY && iface.dev !== null) iface.dev!.ackIrq();
    } else {
      const src = m.src;
      const res = handle(m);
      if (res == REPLY) reply(src, m);
      else if (res != NO_REPLY) replyError(src, m, res);
    }
  }
  pollRx();
  const t = nowMs();
  if (t >= nextWake) {
    // Something is due: run every module's timers, then find the next deadline
    // (modules setting a deadline later lower it with wakeAt).
    setNextWake(i64.MAX_VALUE);
    arpTick(t);
    dhcpTick(t);
    dnsTick(t);
    icmpTick(t);
    tcpTick(t);
    setNextWake(min(nextWake, nextDeadline()));
  }
  notePending = deliverNotifications();
  if (t >= nextCollect) {
    __collect();
    nextCollect = t + COLLECT_MS;
  }
}

export function main(): i32 {
  const dev = NetDevice.probe();
  if (dev === null) {
    println("tcpip: no network device");
  } else if (dev.init() != 0) {
    println("tcpip: the virtio-net device failed to start");
  } else {
    iface.dev = dev;
    memory.copy(iface.mac, dev.mac, 6);
    dhcpStart();
    const until = nowMs() + DHCP_BOOT_WAIT_MS;
    while (dhcpState != DhcpState.Bound && nowMs() < until) step(until - nowMs());
    if (dhcpState != DhcpState.Bound) println("tcpip: no DHCP answer yet, still asking");
  }
  register("tcpip");
  for (;;) step(IDLE_MS);
  return 0;
}
