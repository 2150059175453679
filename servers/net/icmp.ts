// ICMP (RFC 792): answers echo requests; sends our own (net_ping) and matches
// the replies to the callers waiting for them.
import { wakeAt } from "./timer";
import { E_TIMEOUT, NetPingReply, nowMs, nowNs } from "../sdk/assembly";
import { get16, put16, sumBytes, foldSum } from "./bytes";
import { L4, MTU, IP_HLEN, txFrame } from "./iface";
import { PROTO_ICMP, ipOutput, lastTtl } from "./ipv4";
import { answer, answerError, late } from "./late";

const ECHO_REPLY: u8 = 0;
const ECHO_REQUEST: u8 = 8;
/** Our echo identifier ("WP"). */
const IDENT: u16 = 0x5750;

class Ping {
  constructor(public task: i32, public addr: u32, public seq: u16, public sentNs: i64, public deadline: i64) {}
}

const pings: Ping[] = [];
export let echoesAnswered: u32 = 0;

export function icmpInput(src: u32, p: usize, len: i32): void {
  if (len < 8 || foldSum(sumBytes(0, p, len)) != 0) return;
  const type = load<u8>(p);
  if (type == ECHO_REQUEST) {
    // The reply is the request with the type changed: same id, sequence and data.
    const n = min(len, MTU - <i32>IP_HLEN);
    memory.copy(txFrame + L4, p, <usize>n);
    store<u8>(txFrame + L4, ECHO_REPLY);
    put16(txFrame + L4 + 2, 0);
    put16(txFrame + L4 + 2, foldSum(sumBytes(0, txFrame + L4, n)));
    ipOutput(src, PROTO_ICMP, n);
    echoesAnswered++;
  } else if (type == ECHO_REPLY && get16(p + 4) == IDENT) {
    const seq = get16(p + 6);
    for (let i = 0; i < pings.length; i++) {
      const q = pings[i];
      if (q.seq != seq || q.addr != src) continue;
      pings.splice(i, 1);
      const r = NetPingReply.init(late);
      r.rtt_us = <u32>((nowNs() - q.sentNs) / 1000);
      r.ttl = lastTtl;
      r.size = <u16>(len - 8);
      answer(q.task);
      return;
    }
  }
}

/** Sends an echo request with `size` data bytes; `task` gets net_ping's reply. */
export function startPing(task: i32, addr: u32, seq: u16, size: i32, timeoutMs: i32): void {
  size = min(max(size, 0), MTU - <i32>IP_HLEN - 8);
  const p = txFrame + L4;
  store<u8>(p, ECHO_REQUEST);
  store<u8>(p + 1, 0);
  put16(p + 2, 0);
  put16(p + 4, IDENT);
  put16(p + 6, seq);
  for (let i = 0; i < size; i++) store<u8>(p + 8 + <usize>i, <u8>(0x20 + i % 64));
  put16(p + 2, foldSum(sumBytes(0, p, 8 + size)));
  pings.push(new Ping(task, addr, seq, nowNs(), nowMs() + <i64>timeoutMs));
  wakeAt(nowMs() + <i64>timeoutMs);
  ipOutput(addr, PROTO_ICMP, 8 + size);
}

export function icmpTick(now: i64): void {
  for (let i = pings.length - 1; i >= 0; i--) {
    if (now < pings[i].deadline) continue;
    const t = pings[i].task;
    pings.splice(i, 1);
    answerError(t, E_TIMEOUT);
  }
}

export function icmpDeadline(): i64 {
  let d = i64.MAX_VALUE;
  for (let i = 0; i < pings.length; i++) d = min(d, pings[i].deadline);
  return d;
}
