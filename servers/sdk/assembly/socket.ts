// TCP sockets for programs, on top of the tcpip server's messages (docs/tcpip.md):
//   const s = tcpConnect(resolve("example.org"), 80);   // or tcpListen(80) + tcpAccept()
//   tcpWrite(s, bytes); const n = tcpRead(s, buf, cap); tcpClose(s);
// Every function returns a negative E_* code on failure. The server tells a
// socket's task about data and closes with oneway tcpip_data/tcpip_closed
// messages; this module receives them (from the tcpip task only) and
// remembers which sockets are ready, so any number of sockets can be used
// from one task. Import it directly: import { ... } from "../../sdk/assembly/socket".
import { E_END, E_NOT_FOUND, E_TIMEOUT } from "./messages";
import {
  MSG_TCPIP_CLOSED,
  MSG_TCPIP_DATA,
  TcpipClosed,
  TcpipConnect,
  TcpipConnectReply,
  TcpipData,
  TcpipDestroy,
  TcpipDnsResolve,
  TcpipDnsResolveReply,
  TcpipListen,
  TcpipListenReply,
  TcpipRead,
  TcpipReadReply,
  TcpipWrite,
} from "./messages";
import { Message } from "./message";
import { call, lookup, recvTimeout } from "./ipc";
import { nowMs, sleep } from "./time";

/** Bytes per tcpip_write / tcpip_read message. */
export const TCP_CHUNK: i32 = 1024;
/** While waiting, the server is asked again this often even without a notification. */
const POLL_MS: i32 = 1000;

let tcpip: i32 = 0;
let msg: Message | null = null;
let ev: Message | null = null;
/** Sockets we know (created or accepted), sockets with news, and new connections not yet accepted. */
const known = new Set<i32>();
const ready = new Set<i32>();
const closedSocks = new Set<i32>();
const incoming: i32[] = [];

/** The tcpip server's task (looked up once), or an error. */
export function tcpipTask(): i32 {
  if (tcpip <= 0) {
    const t = lookup("tcpip");
    if (t < 0) return t;
    tcpip = t;
  }
  return tcpip;
}

function buf(): Message {
  let b = msg;
  if (b === null) {
    b = Message.alloc();
    msg = b;
  }
  return b;
}

/** An IPv4 address (host byte order) for a name or dotted quad, as a non-negative i64; or an error. */
export function resolve(name: string): i64 {
  const t = tcpipTask();
  if (t < 0) return t;
  const m = buf();
  TcpipDnsResolve.init(m).hostname = name;
  const r = call(t, m);
  if (r < 0) return r;
  return <i64>TcpipDnsResolveReply.at(m).addr;
}

/** Opens a connection; the socket, or E_REFUSED, E_UNREACHABLE, ... */
export function tcpConnect(addr: u32, port: u16): i32 {
  const t = tcpipTask();
  if (t < 0) return t;
  const m = buf();
  const c = TcpipConnect.init(m);
  c.dst_addr = addr;
  c.dst_port = port;
  const r = call(t, m);
  if (r < 0) return r;
  const s = TcpipConnectReply.at(m).sock;
  known.add(s);
  return s;
}

/** Listens on a port; the listening socket. Connections come from tcpAccept. */
export function tcpListen(port: u16): i32 {
  const t = tcpipTask();
  if (t < 0) return t;
  const m = buf();
  TcpipListen.init(m).listen_port = port;
  const r = call(t, m);
  if (r < 0) return r;
  const s = TcpipListenReply.at(m).sock;
  known.add(s);
  return s;
}

/**
 * Takes one event from the server into the sets; false after timeoutMs
 * without one (-1: wait for ever).
 */
function pump(timeoutMs: i32): bool {
  const t = tcpipTask();
  if (t < 0) return false;
  let e = ev;
  if (e === null) {
    e = Message.alloc();
    ev = e;
  }
  const r = recvTimeout(t, e, timeoutMs);
  if (r < 0) {
    // Not a timeout (e.g. the server is gone or busy with us): do not spin.
    if (r != E_TIMEOUT && timeoutMs != 0) sleep(10);
    return false;
  }
  let s: i32 = 0;
  if (e.type == MSG_TCPIP_DATA) s = TcpipData.at(e).sock;
  else if (e.type == MSG_TCPIP_CLOSED) {
    s = TcpipClosed.at(e).sock;
    closedSocks.add(s);
  } else return true;
  ready.add(s);
  if (!known.has(s)) {
    // A new connection on one of our listening sockets.
    known.add(s);
    incoming.push(s);
  }
  return true;
}

/**
 * The next connection on a listening socket of this task (the server
 * announces a connection with its first data or its close); E_TIMEOUT after
 * timeoutMs (-1: wait for ever).
 */
export function tcpAccept(timeoutMs: i32 = -1): i32 {
  const until = timeoutMs < 0 ? i64.MAX_VALUE : nowMs() + <i64>timeoutMs;
  while (incoming.length == 0) {
    const left = until - nowMs();
    if (left <= 0) return E_TIMEOUT;
    pump(timeoutMs < 0 ? -1 : <i32>left);
  }
  return incoming.shift();
}

/** A socket with news (data or a close) since its last read, or 0 after timeoutMs. For event loops over several sockets. */
export function tcpReady(timeoutMs: i32 = -1): i32 {
  const until = timeoutMs < 0 ? i64.MAX_VALUE : nowMs() + <i64>timeoutMs;
  for (;;) {
    if (ready.size > 0) {
      const s = ready.values()[0];
      const i = incoming.indexOf(s);
      if (i >= 0) incoming.splice(i, 1); // seen here: tcpAccept need not return it too
      return s;
    }
    const left = until - nowMs();
    if (left <= 0) return 0;
    pump(timeoutMs < 0 ? POLL_MS : <i32>min(left, <i64>POLL_MS));
  }
  return 0;
}

/**
 * Reads up to cap bytes into dst: the count, 0 once the peer has closed and
 * everything is read, or an error (E_RESET, ...). Waits for data unless
 * `wait` is false (then 0 may also mean "nothing yet": see tcpEnded).
 */
export function tcpRead(sock: i32, dst: usize, cap: i32, wait: bool = true): i32 {
  const t = tcpipTask();
  if (t < 0) return t;
  const m = buf();
  for (;;) {
    TcpipRead.init(m).sock = sock;
    const r = call(t, m);
    if (r == E_END) {
      ended.add(sock);
      ready.delete(sock);
      return 0;
    }
    if (r < 0) return r;
    const rep = TcpipReadReply.at(m);
    const n = min(<i32>rep.data_len, cap);
    if (rep.data_len > 0) {
      // Bytes beyond cap would be lost: callers pass at least TCP_CHUNK.
      memory.copy(dst, rep.data_ptr(), <usize>n);
      return n;
    }
    ready.delete(sock);
    if (!wait) return 0;
    // Nothing yet: wait for the server's word about this socket (or poll again).
    const until = nowMs() + <i64>POLL_MS;
    while (!ready.has(sock) && nowMs() < until) pump(POLL_MS);
  }
  return 0;
}

const ended = new Set<i32>();

/** True once tcpRead has returned the end of the stream for sock. */
export function tcpEnded(sock: i32): bool {
  return ended.has(sock);
}

/** Writes all len bytes at src (waits while the connection's send buffer is full). 0 or an error. */
export function tcpWrite(sock: i32, src: usize, len: i32): i32 {
  const t = tcpipTask();
  if (t < 0) return t;
  const m = buf();
  for (let off = 0; off < len; off += TCP_CHUNK) {
    const w = TcpipWrite.init(m);
    w.sock = sock;
    const n = min(TCP_CHUNK, len - off);
    memory.copy(w.data_ptr(), src + <usize>off, <usize>n);
    w.data_len = <u32>n;
    const r = call(t, m);
    if (r < 0) return r;
  }
  return 0;
}

/** Writes a string as UTF-8. */
export function tcpWriteString(sock: i32, s: string): i32 {
  const b = String.UTF8.encode(s);
  return tcpWrite(sock, changetype<usize>(b), b.byteLength);
}

/** Closes a socket (a connection ends with FIN after the data written so far). */
export function tcpClose(sock: i32): i32 {
  const t = tcpipTask();
  if (t < 0) return t;
  known.delete(sock);
  ready.delete(sock);
  closedSocks.delete(sock);
  ended.delete(sock);
  const m = buf();
  TcpipDestroy.init(m).sock = sock;
  const r = call(t, m);
  return r == E_NOT_FOUND ? 0 : r; // already gone is as good as closed
}
