// TCP (RFC 793/9293): client and server connections as an explicit state
// machine, like smoltcp's. Each connection (Tcb) keeps its send buffer from
// SND.UNA on and a receive buffer its task drains with tcpip_read.
//   - handshake with an MSS option both ways; segments are at most the peer's MSS
//   - the receive window is the free space of the receive buffer; data that
//     arrives out of order is dropped and answered with a duplicate ACK
//   - retransmission: one timer per connection, go-back-N from SND.UNA,
//     exponential backoff from RTO_INIT to RTO_MAX; fast retransmit after
//     three duplicate ACKs; zero windows are probed
//   - every close path: FIN either side first, simultaneous close, RST in and
//     out (refused connects, segments for no connection, aborts); TIME_WAIT is
//     kept for TIME_WAIT_MS only (guests here reconnect quickly, peers are near)
// The task-facing side (tcpip_* messages, notifications) is sockets.ts.
import { wakeAt } from "./timer";
import { E_REFUSED, E_RESET, E_UNREACHABLE, TcpipConnectReply, nowMs } from "../sdk/assembly";
import { get16, get32, put16, put32, pseudoSum, sumBytes, foldSum, seqLe, seqLt } from "./bytes";
import { L4, MTU, IP_HLEN, iface, tcpChecksumOffload, txFrame } from "./iface";
import { PROTO_TCP, ipOutput } from "./ipv4";
import { ByteRing } from "./ring";
import { answer, answerError, late } from "./late";

export enum State { Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait }

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

const TCP_HLEN: i32 = 20;
/** Our MSS: an Ethernet MTU minus the IPv4 and TCP headers. */
export const OUR_MSS: i32 = MTU - <i32>IP_HLEN - TCP_HLEN;
/** Buffers per connection. */
export const RCV_BUF: i32 = 32 * 1024;
export const SND_BUF: i32 = 64 * 1024;
const RTO_INIT: i32 = 300;
const RTO_MAX: i32 = 4000;
const SYN_RETRIES = 5;
const DATA_RETRIES = 10;
const TIME_WAIT_MS: i64 = 500;

export class Tcb {
  state: State = State.Closed;
  lport: u16 = 0;
  raddr: u32 = 0;
  rport: u16 = 0;
  /** The listening socket this connection came from (0 for connect). */
  listener: i32 = 0;
  iss: u32 = 0;
  sndUna: u32 = 0;
  sndNxt: u32 = 0;
  sndMax: u32 = 0;
  sndWnd: u32 = 0;
  sndWl1: u32 = 0;
  sndWl2: u32 = 0;
  rcvNxt: u32 = 0;
  mss: i32 = 536;
  rx: ByteRing | null = null;
  tx: ByteRing | null = null;
  /** The task closed its end: send FIN once the buffer is out. */
  finQueued: bool = false;
  finSent: bool = false;
  finAcked: bool = false;
  finSeq: u32 = 0;
  rto: i32 = RTO_INIT;
  retries: i32 = 0;
  rtxAt: i64 = i64.MAX_VALUE;
  twAt: i64 = i64.MAX_VALUE;
  ackNow: bool = false;
  probe: bool = false;
  /** Duplicate ACKs in a row (3 trigger a fast retransmit, RFC 5681 §3.2). */
  dupAcks: i32 = 0;
  lastWnd: u32 = 0;
  // The task's side (sockets.ts).
  appClosed: bool = false;
  peerClosed: bool = false;
  error: i32 = 0;
  wantData: bool = false;
  notified: bool = false;
  wantClosed: bool = false;
  closedSent: bool = false;
  connectWaiter: i32 = 0;
  writeWaiter: i32 = 0;
  writeData: Uint8Array | null = null;

  constructor(public id: i32, public owner: i32) {}

  get synced(): bool {
    return this.state >= State.Established;
  }
}

/** Every socket: listeners (state Listen) and connections. */
export const socks: Tcb[] = [];
let nextSock: i32 = 1;
let nextPort: u16 = 49152;
export let segmentsIn: u32 = 0;
export let segmentsOut: u32 = 0;
export let retransmits: u32 = 0;
export let fastRetransmits: u32 = 0;

/** Called when a socket's task-visible state changed (sockets.ts delivers the news). */
export let onEvent: (t: Tcb) => void = (t: Tcb): void => {};
export function setOnEvent(f: (t: Tcb) => void): void {
  onEvent = f;
}

function newIss(): u32 {
  // Not predictable from outside the guest in practice, different per connection.
  return <u32>(nowMs() * 250000) ^ (<u32>nextSock * 0x9e3779b9);
}

export function newSocket(owner: i32): Tcb {
  const t = new Tcb(nextSock++, owner);
  socks.push(t);
  return t;
}

export function findSock(id: i32): Tcb | null {
  for (let i = 0; i < socks.length; i++) if (socks[i].id == id) return socks[i];
  return null;
}

export function removeSock(t: Tcb): void {
  const i = socks.indexOf(t);
  if (i >= 0) socks.splice(i, 1);
  if (t.rx !== null) t.rx!.release();
  if (t.tx !== null) t.tx!.release();
  t.rx = null;
  t.tx = null;
  t.state = State.Closed;
}

function buffers(t: Tcb): void {
  t.rx = new ByteRing(RCV_BUF);
  t.tx = new ByteRing(SND_BUF);
}

export function portInUse(port: u16): bool {
  for (let i = 0; i < socks.length; i++) if (socks[i].lport == port) return true;
  return false;
}

/** An active open: SYN to addr:port; the owner's tcpip_connect is answered on ESTABLISHED. */
export function tcpConnect(t: Tcb, addr: u32, port: u16, waiter: i32): void {
  do {
    nextPort = nextPort >= 65000 ? 49152 : nextPort + 1;
  } while (portInUse(nextPort));
  t.lport = nextPort;
  t.raddr = addr;
  t.rport = port;
  buffers(t);
  t.iss = newIss();
  t.sndUna = t.iss;
  t.sndNxt = t.iss + 1;
  t.sndMax = t.sndNxt;
  t.state = State.SynSent;
  t.connectWaiter = waiter;
  sendSegment(t, SYN, t.iss, 0, 0);
  arm(t);
}

// ---- output ----

/** Sends one segment of t: flags, sequence number, n bytes of the send buffer from offset off. */
function sendSegment(t: Tcb, flags: u8, seq: u32, off: i32, n: i32): void {
  const p = txFrame + L4;
  let hlen = TCP_HLEN;
  put16(p, t.lport);
  put16(p + 2, t.rport);
  put32(p + 4, seq);
  put32(p + 8, (flags & ACK) != 0 ? t.rcvNxt : 0);
  if ((flags & SYN) != 0) {
    // MSS option (kind 2, length 4).
    store<u8>(p + 20, 2);
    store<u8>(p + 21, 4);
    put16(p + 22, <u16>OUR_MSS);
    hlen += 4;
  }
  store<u8>(p + 12, <u8>((hlen / 4) << 4));
  store<u8>(p + 13, flags);
  const wnd = t.rx !== null ? <u32>min(t.rx!.free, 65535) : 0;
  put16(p + 14, <u16>wnd);
  put16(p + 16, 0);
  put16(p + 18, 0);
  if (n > 0) t.tx!.peek(off, p + <usize>hlen, n);
  const len = hlen + n;
  checksum(p, t.raddr, len);
  ipOutput(t.raddr, PROTO_TCP, len);
  t.lastWnd = wnd;
  if ((flags & ACK) != 0) t.ackNow = false;
  segmentsOut++;
}

/**
 * Fills the checksum of the segment at p (len bytes) to dst: whole, or only the
 * pseudo-header's sum when the card completes it (sendFrame asks it to).
 */
function checksum(p: usize, dst: u32, len: i32): void {
  const pseudo = pseudoSum(iface.addr, dst, PROTO_TCP, len);
  put16(p + 16, tcpChecksumOffload() ? <u16>~foldSum(pseudo) : foldSum(sumBytes(pseudo, p, len)));
}

/** A RST answering a segment that belongs to no connection (RFC 9293 §3.10.7.1). */
function sendReset(src: u32, sport: u16, dport: u16, seq: u32, ack: u32, hasAck: bool, segLen: u32): void {
  const p = txFrame + L4;
  put16(p, dport);
  put16(p + 2, sport);
  put32(p + 4, hasAck ? ack : 0);
  put32(p + 8, hasAck ? 0 : seq + segLen);
  store<u8>(p + 12, <u8>(5 << 4));
  store<u8>(p + 13, hasAck ? RST : RST | ACK);
  put32(p + 14, 0);
  put16(p + 18, 0);
  checksum(p, src, TCP_HLEN);
  ipOutput(src, PROTO_TCP, TCP_HLEN);
}

/** Aborts t with a RST to the peer (the task closed with unread data, or gave up). */
export function tcpAbort(t: Tcb, error: i32): void {
  if (t.state != State.Closed && t.state != State.Listen && t.state != State.TimeWait && t.state != State.SynSent) {
    sendSegment(t, RST | ACK, t.sndNxt, 0, 0);
  }
  closed(t, error);
}

function arm(t: Tcb): void {
  if (t.rtxAt == i64.MAX_VALUE) {
    t.rtxAt = nowMs() + <i64>t.rto;
    wakeAt(t.rtxAt);
  }
}

/** Sends what the window allows of the send buffer, the FIN when due, or a pending ACK. */
export function tcpOutput(t: Tcb): void {
  const s = t.state;
  if (s == State.Established || s == State.CloseWait || s == State.FinWait1 || s == State.Closing || s == State.LastAck) {
    const tx = t.tx!;
    for (;;) {
      const off = <i32>(t.sndNxt - t.sndUna);
      const unsent = tx.len - off;
      let room = <i32>t.sndWnd - off;
      if (t.probe && room <= 0 && unsent > 0) room = 1; // a zero-window probe
      const n = min(min(unsent, room), t.mss);
      if (n > 0) {
        sendSegment(t, ACK | (n == unsent ? PSH : 0), t.sndNxt, off, n);
        t.sndNxt += <u32>n;
        t.probe = false;
        arm(t);
      } else if (t.finQueued && !t.finSent && unsent <= 0) {
        t.finSeq = t.sndNxt;
        sendSegment(t, FIN | ACK, t.sndNxt, 0, 0);
        t.sndNxt++;
        t.finSent = true;
        if (t.state == State.Established) t.state = State.FinWait1;
        else if (t.state == State.CloseWait) t.state = State.LastAck;
        arm(t);
      } else {
        break;
      }
      if (seqLt(t.sndMax, t.sndNxt)) t.sndMax = t.sndNxt;
    }
  }
  if (t.ackNow && t.state != State.Closed && t.state != State.Listen && t.state != State.SynSent) {
    sendSegment(t, ACK, t.sndNxt, 0, 0);
  }
}

/** After the task read: tell the peer about a window that opened noticeably. */
export function tcpWindowUpdate(t: Tcb): void {
  if (t.rx === null || !t.synced) return;
  const free = <u32>min(t.rx!.free, 65535);
  if (free - t.lastWnd >= <u32>max(t.mss * 2, RCV_BUF / 4) || (t.lastWnd < <u32>t.mss && free >= <u32>t.mss)) {
    t.ackNow = true;
    tcpOutput(t);
  }
}

// ---- input ----

/** Handles a TCP segment (at p, len bytes) from src to dst (us). */
export function tcpInput(src: u32, dst: u32, p: usize, len: i32): void {
  if (len < TCP_HLEN) return;
  const hlen = <i32>(load<u8>(p + 12) >> 4) * 4;
  if (hlen < TCP_HLEN || hlen > len) return;
  if (!iface.rxChecked && foldSum(sumBytes(pseudoSum(src, dst, PROTO_TCP, len), p, len)) != 0) {
    iface.rxDropped++;
    return;
  }
  segmentsIn++;
  const sport = get16(p);
  const dport = get16(p + 2);
  const seq = get32(p + 4);
  const ack = get32(p + 8);
  const flags = load<u8>(p + 13);
  const wnd = <u32>get16(p + 14);
  const data = p + <usize>hlen;
  const dlen = len - hlen;
  const segLen = <u32>dlen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);

  let t: Tcb | null = null;
  let listener: Tcb | null = null;
  for (let i = 0; i < socks.length; i++) {
    const s = socks[i];
    if (s.lport != dport) continue;
    if (s.state == State.Listen) listener = s;
    else if (s.state != State.Closed && s.raddr == src && s.rport == sport) t = s;
  }
  if (t === null) {
    if ((flags & RST) != 0) return;
    if (listener !== null && (flags & (SYN | ACK)) == SYN) {
      accept(listener, src, sport, seq, peerMss(p, hlen), wnd);
      return;
    }
    sendReset(src, sport, dport, seq, ack, (flags & ACK) != 0, segLen);
    return;
  }
  const c: Tcb = t;

  if (c.state == State.SynSent) {
    synSent(c, flags, seq, ack, wnd, peerMss(p, hlen));
    return;
  }

  // Acceptability (RFC 9293 §3.10.7.4), simplified: in-order or a retransmission
  // overlapping RCV.NXT is taken; anything after RCV.NXT (out of order) is dropped.
  if (seqLt(c.rcvNxt, seq)) {
    if ((flags & RST) == 0) {
      c.ackNow = true;
      tcpOutput(c);
    }
    return;
  }
  if ((flags & RST) != 0) {
    // Only an exact RST is believed (RFC 5961 §3.2); an old one gets nothing.
    if (seq == c.rcvNxt) {
      if (c.state == State.SynReceived && c.listener != 0) {
        removeSock(c); // the task never saw it
      } else {
        closed(c, E_RESET);
      }
    }
    return;
  }
  if ((flags & SYN) != 0) {
    if (c.state == State.SynReceived && seq + 1 == c.rcvNxt) {
      // Our SYN-ACK was lost: the peer repeats its SYN.
      sendSegment(c, SYN | ACK, c.iss, 0, 0);
      return;
    }
    c.ackNow = true; // a challenge ACK (RFC 5961 §4)
    tcpOutput(c);
    return;
  }
  if ((flags & ACK) == 0) return;

  if (c.state == State.SynReceived) {
    if (ack != c.iss + 1) {
      sendReset(src, sport, dport, seq, ack, true, segLen);
      return;
    }
    c.state = State.Established;
    c.sndUna = ack;
    c.sndWnd = wnd;
    c.sndWl1 = seq;
    c.sndWl2 = ack;
    c.retries = 0;
    c.rto = RTO_INIT;
    c.rtxAt = i64.MAX_VALUE;
  }

  // ACK processing.
  if (seqLt(c.sndUna, ack) && seqLe(ack, c.sndMax)) {
    const acked = <i32>(ack - c.sndUna);
    const tx = c.tx!;
    tx.drop(min(acked, tx.len));
    if (c.finSent && seqLt(c.finSeq, ack)) c.finAcked = true;
    c.sndUna = ack;
    if (seqLt(c.sndNxt, ack)) c.sndNxt = ack;
    c.retries = 0;
    c.rto = RTO_INIT;
    c.rtxAt = c.sndUna == c.sndMax ? i64.MAX_VALUE : nowMs() + <i64>c.rto;
    wakeAt(c.rtxAt);
    onEvent(c); // send-buffer space: a waiting write may go on
    c.dupAcks = 0;
  } else if (seqLt(c.sndMax, ack)) {
    c.ackNow = true; // acks what we never sent
    tcpOutput(c);
    return;
  } else if (ack == c.sndUna && dlen == 0 && wnd == c.sndWnd && c.sndUna != c.sndMax && (flags & FIN) == 0) {
    // A duplicate ACK: the peer got something after a hole. After three,
    // send again from the hole without waiting for the timer (go-back-N:
    // peers here drop what arrives out of order, as we do).
    if (++c.dupAcks == 3) {
      fastRetransmits++;
      c.sndNxt = c.sndUna;
      if (c.finSent && !c.finAcked) c.finSent = false;
      c.rtxAt = nowMs() + <i64>c.rto;
      wakeAt(c.rtxAt);
    }
  }
  if (seqLt(c.sndWl1, seq) || (c.sndWl1 == seq && seqLe(c.sndWl2, ack))) {
    c.sndWnd = wnd;
    c.sndWl1 = seq;
    c.sndWl2 = ack;
  }
  if (c.finAcked) {
    if (c.state == State.FinWait1) c.state = State.FinWait2;
    else if (c.state == State.Closing) enterTimeWait(c);
    else if (c.state == State.LastAck) {
      closed(c, 0);
      return;
    }
  }

  // Data: the part after RCV.NXT (a retransmission may overlap what we have).
  const skip = <i32>(c.rcvNxt - seq);
  let fin = (flags & FIN) != 0;
  if (dlen > 0 || fin) c.ackNow = true;
  if (dlen > skip) {
    if (c.state == State.Established || c.state == State.FinWait1 || c.state == State.FinWait2) {
      const take = c.rx!.write(data + <usize>skip, dlen - skip);
      c.rcvNxt += <u32>take;
      if (take < dlen - skip) fin = false; // the FIN comes after data we could not take
      if (take > 0 && !c.appClosed) {
        c.wantData = true;
        onEvent(c);
      }
    }
  } else if (dlen < skip) {
    fin = false; // a FIN we have already seen
  }
  if (fin && seq + <u32>dlen == c.rcvNxt) {
    c.rcvNxt++;
    if (c.state == State.Established || c.state == State.SynReceived) {
      c.state = State.CloseWait;
      peerFin(c);
    } else if (c.state == State.FinWait1) {
      if (c.finAcked) enterTimeWait(c);
      else c.state = State.Closing;
      peerFin(c);
    } else if (c.state == State.FinWait2) {
      enterTimeWait(c);
      peerFin(c);
    } else if (c.state == State.TimeWait) {
      c.twAt = nowMs() + TIME_WAIT_MS; // the peer repeats its FIN: our ACK was lost
      wakeAt(c.twAt);
    }
  }
  tcpOutput(c);
}

function peerMss(p: usize, hlen: i32): i32 {
  let o = TCP_HLEN;
  while (o < hlen) {
    const kind = load<u8>(p + <usize>o);
    if (kind == 0) break;
    if (kind == 1) {
      o++;
      continue;
    }
    if (o + 1 >= hlen) break;
    const n = <i32>load<u8>(p + <usize>o + 1);
    if (n < 2 || o + n > hlen) break;
    if (kind == 2 && n == 4) return <i32>get16(p + <usize>o + 2);
    o += n;
  }
  return 536; // RFC 9293's default
}

function accept(l: Tcb, src: u32, sport: u16, seq: u32, mss: i32, wnd: u32): void {
  const t = newSocket(l.owner);
  t.listener = l.id;
  t.lport = l.lport;
  t.raddr = src;
  t.rport = sport;
  buffers(t);
  t.mss = min(max(mss, 64), OUR_MSS);
  t.rcvNxt = seq + 1;
  t.iss = newIss();
  t.sndUna = t.iss;
  t.sndNxt = t.iss + 1;
  t.sndMax = t.sndNxt;
  t.sndWnd = wnd;
  t.state = State.SynReceived;
  sendSegment(t, SYN | ACK, t.iss, 0, 0);
  arm(t);
}

function synSent(c: Tcb, flags: u8, seq: u32, ack: u32, wnd: u32, mss: i32): void {
  const hasAck = (flags & ACK) != 0;
  if (hasAck && ack != c.iss + 1) {
    if ((flags & RST) == 0) sendReset(c.raddr, c.rport, c.lport, seq, ack, true, 0);
    return;
  }
  if ((flags & RST) != 0) {
    if (hasAck) connectFailed(c, E_REFUSED);
    return;
  }
  if ((flags & SYN) == 0) return;
  c.rcvNxt = seq + 1;
  c.mss = min(max(mss, 64), OUR_MSS);
  if (!hasAck) return; // a simultaneous open: not supported, the retransmitted SYN settles it
  c.sndUna = ack;
  c.sndWnd = wnd;
  c.sndWl1 = seq;
  c.sndWl2 = ack;
  c.state = State.Established;
  c.retries = 0;
  c.rto = RTO_INIT;
  c.rtxAt = i64.MAX_VALUE;
  c.ackNow = true;
  tcpOutput(c);
  if (c.connectWaiter != 0) {
    TcpipConnectReply.init(late).sock = c.id;
    answer(c.connectWaiter);
    c.connectWaiter = 0;
  }
}

function connectFailed(c: Tcb, error: i32): void {
  const w = c.connectWaiter;
  c.connectWaiter = 0;
  removeSock(c);
  if (w != 0) answerError(w, error);
}

function peerFin(c: Tcb): void {
  c.peerClosed = true;
  if (!c.appClosed) {
    c.wantClosed = true;
    onEvent(c);
  }
}

function enterTimeWait(c: Tcb): void {
  c.state = State.TimeWait;
  c.rtxAt = i64.MAX_VALUE;
  c.twAt = nowMs() + TIME_WAIT_MS;
  wakeAt(c.twAt);
}

/** The connection is over: the socket stays (Closed) until its task destroys it. */
function closed(c: Tcb, error: i32): void {
  if (c.connectWaiter != 0) {
    connectFailed(c, error != 0 ? error : E_RESET);
    return;
  }
  const unseen = c.listener != 0 && c.state == State.SynReceived; // its task never heard of it
  c.state = State.Closed;
  c.rtxAt = i64.MAX_VALUE;
  c.twAt = i64.MAX_VALUE;
  if (error != 0 && c.error == 0) c.error = error;
  if (c.appClosed || unseen) {
    removeSock(c);
    return;
  }
  if (!c.peerClosed) {
    c.peerClosed = true;
    c.wantClosed = true;
  }
  onEvent(c);
}

// ---- timers ----

export function tcpTick(now: i64): void {
  for (let i = socks.length - 1; i >= 0; i--) {
    if (i >= socks.length) continue;
    const t = socks[i];
    if (t.state == State.TimeWait && now >= t.twAt) {
      closed(t, 0);
      continue;
    }
    if (now >= t.rtxAt) retransmit(t, now);
  }
}

function retransmit(t: Tcb, now: i64): void {
  t.retries++;
  retransmits++;
  t.rto = min(t.rto * 2, RTO_MAX);
  t.rtxAt = now + <i64>t.rto;
  wakeAt(t.rtxAt);
  if (t.state == State.SynSent) {
    if (t.retries > SYN_RETRIES) connectFailed(t, E_UNREACHABLE);
    else sendSegment(t, SYN, t.iss, 0, 0);
    return;
  }
  if (t.state == State.SynReceived) {
    if (t.retries > SYN_RETRIES) removeSock(t);
    else sendSegment(t, SYN | ACK, t.iss, 0, 0);
    return;
  }
  if (t.retries > DATA_RETRIES) {
    tcpAbort(t, E_RESET);
    return;
  }
  // Go back to the oldest unacknowledged byte and send it all again.
  t.sndNxt = t.sndUna;
  if (t.finSent && !t.finAcked) t.finSent = false;
  if (t.sndWnd == 0) t.probe = true;
  t.rtxAt = i64.MAX_VALUE;
  tcpOutput(t);
  if (t.rtxAt == i64.MAX_VALUE && t.sndUna != t.sndMax) {
    t.rtxAt = now + <i64>t.rto;
    wakeAt(t.rtxAt);
  }
}

export function tcpDeadline(): i64 {
  let d = i64.MAX_VALUE;
  for (let i = 0; i < socks.length; i++) {
    d = min(d, socks[i].rtxAt);
    d = min(d, socks[i].twAt);
  }
  return d;
}
