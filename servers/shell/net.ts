// Network commands: ifconfig, ping HOST (ICMP echo through the tcpip server),
// dns NAME. http URL is in http.ts.
import {
  E_NOT_FOUND,
  E_TIMEOUT,
  NetIfconfig,
  NetIfconfigReply,
  NetPing,
  NetPingReply,
  nowMs,
  println,
  sleep,
} from "../sdk/assembly";
import { resolve } from "../sdk/assembly/socket";
import { describe, describeService } from "./errors";
import { callService, msg } from "./services";

export function ipString(a: u32): string {
  return (a >> 24).toString() + "." + ((a >> 16) & 255).toString() + "." + ((a >> 8) & 255).toString() + "." + (a & 255).toString();
}

function hex2(v: u8): string {
  const s = v.toString(16);
  return s.length < 2 ? "0" + s : s;
}

/** True if a word names a network host (a dotted name or address) rather than a service. */
export function isHost(word: string): bool {
  return word.includes(".") || word == "localhost";
}

/** The address for a host word, or an error after printing it. */
export function hostAddr(cmd: string, host: string): i64 {
  const a = resolve(host);
  if (a < 0) println(cmd + ": " + host + ": " + (a == E_NOT_FOUND ? "E_NOT_FOUND (no such host)" : a == E_TIMEOUT ? "no answer" : describeService(<i32>a)));
  return a;
}

export function ifconfig(args: string[]): void {
  NetIfconfig.init(msg);
  const r = callService("tcpip", msg);
  if (r < 0) {
    println("ifconfig: tcpip: " + describeService(r));
    return;
  }
  const c = NetIfconfigReply.at(msg);
  if (!c.up) {
    println("eth0: no network device");
    return;
  }
  let mac = "";
  for (let i = 0; i < 6; i++) mac += (i > 0 ? ":" : "") + hex2(c.mac(i));
  println("eth0: virtio-net, mac " + mac);
  if (c.addr == 0) println("  inet (none yet: waiting for DHCP)");
  else println("  inet " + ipString(c.addr) + " netmask " + ipString(c.netmask) + (c.dhcp ? " (DHCP, lease " + c.lease_s.toString() + " s)" : ""));
  println("  gateway " + ipString(c.gateway) + "  dns " + ipString(c.dns));
  println("  rx " + c.rx_frames.toString() + " frames " + c.rx_bytes.toString() + " bytes, tx " +
    c.tx_frames.toString() + " frames " + c.tx_bytes.toString() + " bytes");
}

export function dns(args: string[]): void {
  if (args.length != 2) {
    println("usage: dns NAME");
    return;
  }
  const a = hostAddr("dns", args[1]);
  if (a >= 0) println(args[1] + ": " + ipString(<u32>a));
}

let seq: u16 = 0;

/** ping HOST [COUNT]: ICMP echo requests, one a second. */
export function netPing(args: string[]): void {
  const host = args[1];
  const count = args.length > 2 ? I32.parseInt(args[2]) : 4;
  if (args.length > 3 || count <= 0 || count > 100) {
    println("usage: ping HOST [COUNT]  (COUNT 1..100)");
    return;
  }
  const a = hostAddr("ping", host);
  if (a < 0) return;
  println("PING " + host + " (" + ipString(<u32>a) + "): 56 data bytes");
  let got = 0;
  for (let i = 0; i < count; i++) {
    const start = nowMs();
    const p = NetPing.init(msg);
    p.addr = <u32>a;
    p.seq = ++seq;
    p.size = 56;
    p.timeout_ms = 1000;
    const r = callService("tcpip", msg);
    if (r == 0) {
      const rep = NetPingReply.at(msg);
      got++;
      const us = rep.rtt_us;
      println((rep.size + 8).toString() + " bytes from " + ipString(<u32>a) + ": icmp_seq=" + i.toString() + " ttl=" +
        rep.ttl.toString() + " time=" + (us / 1000).toString() + "." + ((us % 1000) / 100).toString() + " ms");
    } else if (r == E_TIMEOUT) {
      println("no reply for icmp_seq=" + i.toString());
    } else {
      println("ping: " + describe(r));
      return;
    }
    const left = 1000 - (nowMs() - start);
    if (i + 1 < count && left > 0) sleep(<i32>left);
  }
  println("--- " + host + ": " + count.toString() + " sent, " + got.toString() + " received");
}
