// The DNS client (RFC 1035): A queries to the server DHCP named, with a
// recursion-desired bit, answered from a small cache when possible. A query
// is retried RETRIES times, RETRY_MS apart; its callers (tcpip_dns_resolve)
// wait for the answer. The first A record of the answer wins (CNAME chains
// come with their A records from a recursive server).
import { wakeAt } from "./timer";
import { E_NOT_FOUND, E_UNREACHABLE, E_INVALID, TcpipDnsResolveReply, nowMs } from "../sdk/assembly";
import { get16, get32, put16 } from "./bytes";
import { iface } from "./iface";
import { udpData, udpOutput } from "./udp";
import { answer, answerError, late } from "./late";

export const DNS_CLIENT_PORT: u16 = 49153;
const RETRY_MS: i64 = 1000;
const RETRIES = 3;
const CACHE_MAX = 32;

class Query {
  tasks: i32[] = [];
  tries: i32 = 0;
  deadline: i64 = 0;
  constructor(public id: u16, public name: string) {}
}

const queries: Query[] = [];
const cacheNames: string[] = [];
const cacheAddrs: u32[] = [];
let nextId: u16 = 0x4d57;

function cached(name: string): i64 {
  for (let i = 0; i < cacheNames.length; i++) if (cacheNames[i] == name) return <i64>cacheAddrs[i];
  return -1;
}

/** Starts resolving `name` for `task` (which waits in tcpip_dns_resolve). */
export function dnsResolve(task: i32, name: string): void {
  const lower = name.toLowerCase();
  const hit = cached(lower);
  if (hit >= 0) {
    TcpipDnsResolveReply.init(late).addr = <u32>hit;
    answer(task);
    return;
  }
  if (iface.dns == 0 || !validName(lower)) {
    answerError(task, iface.dns == 0 ? E_UNREACHABLE : E_INVALID);
    return;
  }
  for (let i = 0; i < queries.length; i++) {
    if (queries[i].name == lower) {
      queries[i].tasks.push(task);
      return;
    }
  }
  const q = new Query(nextId++, lower);
  q.tasks.push(task);
  queries.push(q);
  sendQuery(q);
}

function validName(n: string): bool {
  if (n.length == 0 || n.length > 253) return false;
  let label = 0;
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c == 46) {
      if (label == 0) return false;
      label = 0;
    } else if (c <= 32 || c >= 127 || ++label > 63) return false;
  }
  return true;
}

function sendQuery(q: Query): void {
  const p = udpData();
  put16(p, q.id);
  put16(p + 2, 0x0100); // a standard query, recursion desired
  put16(p + 4, 1);
  put16(p + 6, 0);
  put16(p + 8, 0);
  put16(p + 10, 0);
  let o = p + 12;
  const name = q.name.endsWith(".") ? q.name.slice(0, q.name.length - 1) : q.name;
  const labels = name.split(".");
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    store<u8>(o++, <u8>l.length);
    for (let j = 0; j < l.length; j++) store<u8>(o++, <u8>l.charCodeAt(j));
  }
  store<u8>(o++, 0);
  put16(o, 1); // A
  put16(o + 2, 1); // IN
  o += 4;
  q.tries++;
  q.deadline = nowMs() + RETRY_MS;
  wakeAt(q.deadline);
  udpOutput(iface.dns, DNS_CLIENT_PORT, 53, <i32>(o - p));
}

/** Skips a (possibly compressed) name at offset o; the offset after it, or -1. */
function skipName(p: usize, len: i32, o: i32): i32 {
  while (o < len) {
    const b = <i32>load<u8>(p + <usize>o);
    if (b == 0) return o + 1;
    if ((b & 0xc0) == 0xc0) return o + 2 <= len ? o + 2 : -1;
    if ((b & 0xc0) != 0) return -1;
    o += 1 + b;
  }
  return -1;
}

export function dnsInput(src: u32, sport: u16, p: usize, len: i32): void {
  if (src != iface.dns || sport != 53 || len < 12) return;
  const id = get16(p);
  let qi = -1;
  for (let i = 0; i < queries.length; i++) if (queries[i].id == id) qi = i;
  if (qi < 0) return;
  const flags = get16(p + 2);
  if ((flags & 0x8000) == 0) return;
  const q = queries[qi];
  const rcode = flags & 15;
  let addr: i64 = -1;
  if (rcode == 0) {
    let o = 12;
    const qd = <i32>get16(p + 4);
    const an = <i32>get16(p + 6);
    for (let i = 0; i < qd && o >= 0; i++) {
      o = skipName(p, len, o);
      if (o >= 0) o += 4;
    }
    for (let i = 0; i < an && o >= 0 && addr < 0; i++) {
      o = skipName(p, len, o);
      if (o < 0 || o + 10 > len) break;
      const type = get16(p + <usize>o);
      const cls = get16(p + <usize>o + 2);
      const rdlen = <i32>get16(p + <usize>o + 8);
      o += 10;
      if (o + rdlen > len) break;
      if (type == 1 && cls == 1 && rdlen == 4) addr = <i64>get32(p + <usize>o);
      o += rdlen;
    }
  }
  queries.splice(qi, 1);
  if (addr >= 0) {
    if (cacheNames.length >= CACHE_MAX) {
      cacheNames.shift();
      cacheAddrs.shift();
    }
    cacheNames.push(q.name);
    cacheAddrs.push(<u32>addr);
  }
  for (let i = 0; i < q.tasks.length; i++) {
    if (addr >= 0) {
      TcpipDnsResolveReply.init(late).addr = <u32>addr;
      answer(q.tasks[i]);
    } else {
      answerError(q.tasks[i], E_NOT_FOUND); // NXDOMAIN, or no A record
    }
  }
}

export function dnsTick(now: i64): void {
  for (let i = queries.length - 1; i >= 0; i--) {
    const q = queries[i];
    if (now < q.deadline) continue;
    if (q.tries < RETRIES) {
      sendQuery(q);
      continue;
    }
    queries.splice(i, 1);
    for (let j = 0; j < q.tasks.length; j++) answerError(q.tasks[j], E_UNREACHABLE);
  }
}

export function dnsDeadline(): i64 {
  let d = i64.MAX_VALUE;
  for (let i = 0; i < queries.length; i++) d = min(d, queries[i].deadline);
  return d;
}
