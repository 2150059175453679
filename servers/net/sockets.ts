// The task-facing side of TCP: the tcpip_* requests (WasmOS's numbers and
// layouts, docs/tcpip.md) and the oneway tcpip_data / tcpip_closed messages.
//
// Notifications are sent with IPC_POLL, never blocking the server: a task
// that is not receiving right now (busy, or calling another server) gets its
// notification on a later attempt (main.ts retries every RETRY_MS while one is
// pending). At most one tcpip_data is outstanding per socket: the next one is
// sent after the task has read.
import {
  E_END,
  E_EXISTS,
  E_EXITED,
  E_INVALID,
  E_IO,
  E_NOT_FOUND,
  E_DENIED,
  E_NO_TASK,
  E_RESET,
  E_UNREACHABLE,
  IPC_POLL,
  Message,
  NO_REPLY,
  REPLY,
  TcpipClosed,
  TcpipConnect,
  TcpipData,
  TcpipDestroy,
  TcpipDestroyReply,
  TcpipListen,
  TcpipListenReply,
  TcpipRead,
  TcpipReadReply,
  TcpipWrite,
  TcpipWriteReply,
  send,
} from "../sdk/assembly";
import { iface } from "./iface";
import { answer, answerError, late } from "./late";
import {
  State,
  Tcb,
  findSock,
  newSocket,
  portInUse,
  removeSock,
  setOnEvent,
  socks,
  tcpAbort,
  tcpConnect,
  tcpOutput,
  tcpWindowUpdate,
} from "./tcp";

const READ_MAX: i32 = 1024;
const note = Message.alloc();

function own(src: i32, sock: i32): Tcb | null {
  const t = findSock(sock);
  if (t === null || t.appClosed || t.owner != src) return null;
  return t;
}

/** The error for a socket that is missing or not the caller's. */
function missing(src: i32, sock: i32): i32 {
  const t = findSock(sock);
  return t !== null && !t.appClosed && t.owner != src ? E_DENIED : E_NOT_FOUND;
}

export function tcpipConnect(m: Message): i32 {
  const req = TcpipConnect.at(m);
  const addr = req.dst_addr;
  const port = req.dst_port;
  if (iface.dev === null) return E_IO;
  if (iface.addr == 0) return E_UNREACHABLE;
  if (addr == 0 || addr == 0xffffffff || port == 0) return E_INVALID;
  tcpConnect(newSocket(m.src), addr, port, m.src);
  return NO_REPLY; // answered when the handshake completes or fails (tcp.ts)
}

export function tcpipListen(m: Message): i32 {
  const port = TcpipListen.at(m).listen_port;
  if (iface.dev === null) return E_IO;
  if (port == 0) return E_INVALID;
  for (let i = 0; i < socks.length; i++) if (socks[i].state == State.Listen && socks[i].lport == port) return E_EXISTS;
  if (portInUse(port) && port >= 49152) return E_EXISTS;
  const t = newSocket(m.src);
  t.state = State.Listen;
  t.lport = port;
  TcpipListenReply.init(m).sock = t.id;
  return REPLY;
}

export function tcpipDestroy(m: Message): i32 {
  const sock = TcpipDestroy.at(m).sock;
  const t = own(m.src, sock);
  if (t === null) return missing(m.src, sock);
  close(t);
  TcpipDestroyReply.init(m);
  return REPLY;
}

/** The task is done with t: close gracefully (unread data is discarded), forget it when the close completes. */
function close(t: Tcb): void {
  t.appClosed = true;
  const s = t.state;
  if (s == State.Listen || s == State.Closed || s == State.SynSent) {
    removeSock(t);
  } else if (s == State.SynReceived || s == State.Established || s == State.CloseWait) {
    t.rx!.drop(t.rx!.len);
    t.finQueued = true;
    tcpOutput(t);
  }
  // FIN_WAIT_*, CLOSING, LAST_ACK, TIME_WAIT: already closing; tcp.ts removes it at the end.
}

export function tcpipWrite(m: Message): i32 {
  const req = TcpipWrite.at(m);
  const t = own(m.src, req.sock);
  if (t === null) return missing(m.src, req.sock);
  if (t.state != State.Established && t.state != State.CloseWait) return t.error != 0 ? t.error : E_RESET;
  if (t.finQueued) return E_INVALID;
  const n = <i32>min(req.data_len, 1024);
  const tx = t.tx!;
  if (tx.free >= n) {
    tx.write(req.data_ptr(), n);
    tcpOutput(t);
    TcpipWriteReply.init(m);
    return REPLY;
  }
  // The send buffer is full: the writer waits (in its call) until acks make room.
  const copy = new Uint8Array(n);
  memory.copy(copy.dataStart, req.data_ptr(), <usize>n);
  t.writeData = copy;
  t.writeWaiter = m.src;
  return NO_REPLY;
}

export function tcpipRead(m: Message): i32 {
  const sock = TcpipRead.at(m).sock;
  const t = own(m.src, sock);
  if (t === null) return missing(m.src, sock);
  const out = TcpipReadReply.init(m);
  const n = t.rx !== null ? t.rx!.read(out.data_ptr(), READ_MAX) : 0;
  // One notification per read: if data is left, the next tcpip_data says so.
  t.notified = false;
  t.wantData = t.rx !== null && t.rx!.len > 0;
  if (n == 0 && (t.peerClosed || t.state == State.Closed)) return t.error != 0 ? t.error : E_END;
  out.data_len = <u32>n;
  if (n > 0) tcpWindowUpdate(t);
  return REPLY;
}

/** A waiting writer goes on once its data fits (or learns the connection is gone). */
function resumeWriter(t: Tcb): void {
  const w = t.writeWaiter;
  if (w == 0) return;
  const data = t.writeData!;
  if (t.state != State.Established && t.state != State.CloseWait) {
    t.writeWaiter = 0;
    t.writeData = null;
    answerError(w, t.error != 0 ? t.error : E_RESET);
    return;
  }
  if (t.tx!.free < data.length) return;
  t.tx!.write(data.dataStart, data.length);
  t.writeWaiter = 0;
  t.writeData = null;
  tcpOutput(t);
  TcpipWriteReply.init(late);
  answer(w);
}

setOnEvent((t: Tcb): void => {
  if (t.writeWaiter != 0) resumeWriter(t);
});

/**
 * Sends the notifications that are due. True if one could not be delivered
 * yet (its task is not receiving): call again soon.
 */
export function deliverNotifications(): bool {
  let pending = false;
  for (let i = socks.length - 1; i >= 0; i--) {
    if (i >= socks.length) continue;
    const t = socks[i];
    if (t.writeWaiter != 0) resumeWriter(t);
    if (t.appClosed || t.state == State.Listen) continue;
    if (t.wantData && !t.notified) {
      if (t.rx === null || t.rx!.len == 0) {
        t.wantData = false;
      } else {
        TcpipData.init(note).sock = t.id;
        const r = send(t.owner, note, IPC_POLL);
        if (r == 0) {
          t.notified = true;
          t.wantData = false;
        } else if (gone(r)) {
          ownerGone(t.owner);
          return deliverNotifications();
        } else {
          pending = true;
          continue; // data before closed: keep the order
        }
      }
    }
    if (t.wantClosed && !t.closedSent) {
      TcpipClosed.init(note).sock = t.id;
      const r = send(t.owner, note, IPC_POLL);
      if (r == 0) {
        t.closedSent = true;
        t.wantClosed = false;
      } else if (gone(r)) {
        ownerGone(t.owner);
        return deliverNotifications();
      } else {
        pending = true;
      }
    }
  }
  return pending;
}

function gone(r: i32): bool {
  return r == E_NO_TASK || r == E_EXITED;
}

/** The owner exited: its listeners close, its connections are reset. */
function ownerGone(owner: i32): void {
  for (let i = socks.length - 1; i >= 0; i--) {
    if (i >= socks.length) continue;
    const t = socks[i];
    if (t.owner != owner) continue;
    t.appClosed = true;
    if (t.state == State.Listen) removeSock(t);
    else tcpAbort(t, 0);
  }
}
