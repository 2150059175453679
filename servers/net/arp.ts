// ARP (RFC 826): a small cache of IPv4 -> MAC, answers for our address, and a
// pending queue: an IPv4 frame for a next hop whose MAC is unknown waits (a
// copy) while we ask; it leaves when the reply comes, or is dropped after
// ARP_TRIES unanswered requests.
import { wakeAt } from "./timer";
import { get16, get32, put16, put32 } from "./bytes";
import { BROADCAST, ETHERTYPE_ARP, ZERO_MAC, putEthHeader } from "./ethernet";
import { ETH_HLEN, iface, sendFrame } from "./iface";
import { nowMs } from "../sdk/assembly";

const OP_REQUEST: u16 = 1;
const OP_REPLY: u16 = 2;
const ARP_LEN: i32 = 28;
const CACHE_MAX = 16;
const ARP_TRIES = 4;
const RETRY_MS: i64 = 250;
/** Resolved entries are asked again after this long. */
const TTL_MS: i64 = 60_000;
const QUEUE_MAX = 32;

class Entry {
  mac: usize = heap.alloc(8);
  resolved: bool = false;
  tries: i32 = 0;
  deadline: i64 = 0;
  queue: Uint8Array[] = [];
  constructor(public ip: u32) {}
}

const cache: Entry[] = [];
const arpBuf: usize = heap.alloc(64);
export let arpRequests: u32 = 0;

function find(ip: u32): Entry | null {
  for (let i = 0; i < cache.length; i++) if (cache[i].ip == ip) return cache[i];
  return null;
}

function remember(ip: u32, mac: usize): Entry {
  let e = find(ip);
  if (e === null) {
    if (cache.length >= CACHE_MAX) cache.shift(); // the oldest entry goes
    e = new Entry(ip);
    cache.push(e);
  }
  memory.copy(e.mac, mac, 6);
  e.resolved = true;
  e.deadline = nowMs() + TTL_MS;
  wakeAt(e.deadline);
  return e;
}

function sendArp(op: u16, targetMac: usize, ethDst: usize, targetIp: u32): void {
  const p = arpBuf;
  putEthHeader(p, ethDst, ETHERTYPE_ARP);
  const a = p + ETH_HLEN;
  put16(a, 1);
  put16(a + 2, 0x0800);
  store<u8>(a + 4, 6);
  store<u8>(a + 5, 4);
  put16(a + 6, op);
  memory.copy(a + 8, iface.mac, 6);
  put32(a + 14, iface.addr);
  memory.copy(a + 18, targetMac, 6);
  put32(a + 24, targetIp);
  sendFrame(p, <i32>ETH_HLEN + ARP_LEN);
}

/** Handles an ARP packet (the frame at p, len bytes). */
export function arpInput(p: usize, len: i32): void {
  if (len < <i32>ETH_HLEN + ARP_LEN) return;
  const a = p + ETH_HLEN;
  if (get16(a) != 1 || get16(a + 2) != 0x0800 || load<u8>(a + 4) != 6 || load<u8>(a + 5) != 4) return;
  const op = get16(a + 6);
  const senderIp = get32(a + 14);
  const targetIp = get32(a + 24);
  const forUs = iface.addr != 0 && targetIp == iface.addr;
  // Learn the sender if we asked about it or it talks to us (RFC 826's merge step).
  if (senderIp != 0 && (forUs || find(senderIp) !== null)) {
    const e = remember(senderIp, a + 8);
    flush(e);
  }
  if (op == OP_REQUEST && forUs) sendArp(OP_REPLY, a + 8, a + 8, senderIp);
  if (op != OP_REQUEST && op != OP_REPLY) iface.rxDropped++;
}

function flush(e: Entry): void {
  const q = e.queue;
  e.queue = [];
  for (let i = 0; i < q.length; i++) {
    const f = q[i];
    memory.copy(f.dataStart, e.mac, 6);
    sendFrame(f.dataStart, f.length);
  }
}

/**
 * Sends the IPv4 frame at p (Ethernet header's source and type already set)
 * to next hop `hop`: at once if its MAC is known, else after ARP resolves it.
 */
export function sendToHop(hop: u32, p: usize, len: i32): void {
  if (hop == 0xffffffff) {
    memory.copy(p, BROADCAST, 6);
    sendFrame(p, len);
    return;
  }
  let e = find(hop);
  if (e !== null && e.resolved) {
    memory.copy(p, e.mac, 6);
    sendFrame(p, len);
    return;
  }
  if (e === null) {
    if (cache.length >= CACHE_MAX) cache.shift();
    e = new Entry(hop);
    cache.push(e);
  }
  if (e.queue.length < QUEUE_MAX) {
    const copy = new Uint8Array(len);
    memory.copy(copy.dataStart, p, <usize>len);
    e.queue.push(copy);
  }
  if (e.tries == 0) ask(e);
}

function ask(e: Entry): void {
  e.tries++;
  e.deadline = nowMs() + RETRY_MS;
  wakeAt(e.deadline);
  arpRequests++;
  sendArp(OP_REQUEST, ZERO_MAC, BROADCAST, e.ip);
}

/** Retries unanswered requests, drops what waited too long, ages resolved entries. */
export function arpTick(now: i64): void {
  for (let i = cache.length - 1; i >= 0; i--) {
    const e = cache[i];
    if (now < e.deadline) continue;
    if (e.resolved) {
      cache.splice(i, 1);
    } else if (e.tries >= ARP_TRIES) {
      cache.splice(i, 1); // nobody answered: its queued frames are lost, as on a real LAN
    } else if (e.tries > 0) {
      ask(e);
    }
  }
}

/** The earliest time arpTick has work, or i64.MAX_VALUE. */
export function arpDeadline(): i64 {
  let d = i64.MAX_VALUE;
  for (let i = 0; i < cache.length; i++) if (!cache[i].resolved && cache[i].deadline < d) d = cache[i].deadline;
  return d;
}
