// One TCP connection terminated by the gateway (RFC 9293 state machine), the
// gateway being the guest's peer. Time comes only from `now()` and `tick()`:
// there are no hidden timers, so tests drive loss and retransmission exactly.
//
// Simplifications, on purpose: no window scaling or SACK (not offered, so the
// guest does not use them either), no delayed ACKs (every data segment is
// acknowledged at once), out-of-order segments are not queued (the guest
// retransmits them), no congestion window (the link is a memory copy; the
// guest's receive window is what limits us).
import {
  ACK, FIN, PSH, RST, SYN, type TcpOut, type TcpSegment, seqAdd, seqDiff, seqLe, seqLt,
} from './tcp-segment.ts';
import { ByteBuffer } from './byte-buffer.ts';

export type TcpState =
  | 'SYN_SENT' | 'SYN_RCVD' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSING' | 'TIME_WAIT'
  | 'CLOSE_WAIT' | 'LAST_ACK' | 'CLOSED';

export type CloseReason = 'closed' | 'reset' | 'timeout';

/** What the user of a connection (a connector, a port forward) hears. */
export interface TcpStreamHandler {
  /** Bytes from the guest, in order. */
  data(bytes: Uint8Array): void;
  /** The guest sent FIN: no more data will come (we may still write). */
  end(): void;
  /** The connection is gone (both sides closed, reset, or the guest stopped answering). */
  closed(reason: CloseReason): void;
  /** The send buffer fell below the low-water mark after being above it. */
  drain?(): void;
}

/** The host's end of a connection with the guest. */
export interface TcpStream {
  /** Queues bytes for the guest; false if the stream can no longer send. */
  write(data: Uint8Array): boolean;
  /** Sends FIN after everything written. */
  end(): void;
  /** Resets the connection (RST) at once. */
  abort(): void;
  /** Bytes written but not yet acknowledged by the guest. */
  readonly buffered: number;
  readonly state: TcpState;
  setHandler(h: TcpStreamHandler): void;
}

export interface Endpoint {
  ip: number;
  port: number;
}

export interface TcpConnectionOptions {
  /** The gateway's side (for a guest connection: the address the guest dialled). */
  local: Endpoint;
  /** The guest's side. */
  remote: Endpoint;
  /** Sends a segment to the guest (the gateway wraps it in IP and Ethernet). */
  output: (seg: TcpOut) => void;
  now: () => number;
  iss: number;
  /** Called once when the handshake completes, before any data is delivered. */
  established?: (c: TcpConnection) => void;
}

/** Our receive window: fixed, since data goes to the handler as soon as it arrives. */
export const RCV_WND = 65535;
/** The MSS we announce (Ethernet MTU 1500 - 40), what slirp announces too. */
export const OUR_MSS = 1460;
/**
 * The largest segment we send: the guest's MSS is honoured up to the IPv4
 * limit, so a guest that posts big rx buffers and announces a big MSS gets
 * fewer, larger frames (the link is a memory copy; 1500 bytes is only a habit).
 */
export const MAX_SEGMENT = 65495;
/** RFC 9293: without an MSS option the peer's is 536. */
const DEFAULT_MSS = 536;
/** RFC 6298 initial RTO and our bounds (Linux uses the same 200 ms floor). */
export const INITIAL_RTO = 1000;
export const MIN_RTO = 200;
const MAX_RTO = 60_000;
/** Retransmissions of one segment before the connection is given up. */
export const MAX_RETRIES = 8;
/** TIME_WAIT: long enough to re-ACK a retransmitted FIN, short since ports are not reused on a virtual link. */
export const TIME_WAIT_MS = 2000;
/** A FIN_WAIT_2 the guest never finishes is dropped after this long. */
const FIN_WAIT_2_MS = 60_000;
/** Above this many unacknowledged bytes writers should wait for `drain`. */
export const HIGH_WATER = 256 * 1024;

const IGNORE: TcpStreamHandler = { data() {}, end() {}, closed() {} };

export class TcpConnection implements TcpStream {
  state: TcpState;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  private handler: TcpStreamHandler = IGNORE;
  private readonly out: (seg: TcpOut) => void;
  private readonly now: () => number;
  private readonly onEstablished: ((c: TcpConnection) => void) | undefined;

  // Send side.
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  private sndWnd = DEFAULT_MSS;
  private sndMss = DEFAULT_MSS;
  private readonly sendBuf = new ByteBuffer();
  /** Sequence number of sendBuf's first byte. */
  private bufSeq: number;
  private finQueued = false;
  private finSent = false;
  private wasAboveHighWater = false;

  // Receive side.
  private irs = 0;
  private rcvNxt = 0;

  // Timers (absolute ms on the `now` clock), all checked in tick().
  private rto = INITIAL_RTO;
  private srtt: number | null = null;
  private rttvar = 0;
  private rtoAt: number | null = null;
  private retries = 0;
  private rttSample: { seq: number; at: number } | null = null;
  private dupAcks = 0;
  private closeAt: number | null = null;
  /** Counters for tests and diagnostics. */
  readonly stats = { retransmits: 0, segmentsIn: 0, segmentsOut: 0 };

  constructor(opts: TcpConnectionOptions, mode: 'passive' | 'active', syn?: TcpSegment) {
    this.local = opts.local;
    this.remote = opts.remote;
    this.out = opts.output;
    this.now = opts.now;
    this.onEstablished = opts.established;
    this.iss = opts.iss >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.bufSeq = this.sndNxt;
    if (mode === 'passive') {
      // The guest's SYN: answer with SYN-ACK.
      const s = syn!;
      this.irs = s.seq;
      this.rcvNxt = seqAdd(s.seq, 1);
      this.sndWnd = s.window;
      this.sndMss = Math.min(s.mss ?? DEFAULT_MSS, MAX_SEGMENT);
      this.state = 'SYN_RCVD';
      this.sendSyn();
    } else {
      this.state = 'SYN_SENT';
      this.sendSyn();
    }
  }

  // ------------------------------------------------------------ host side

  setHandler(h: TcpStreamHandler): void { this.handler = h; }

  get buffered(): number { return this.sendBuf.length; }

  write(data: Uint8Array): boolean {
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'TIME_WAIT') return false;
    this.sendBuf.push(data.slice());
    if (this.sendBuf.length > HIGH_WATER) this.wasAboveHighWater = true;
    this.transmit();
    return true;
  }

  end(): void {
    if (this.finQueued || this.state === 'CLOSED') return;
    this.finQueued = true;
    this.transmit();
  }

  abort(): void {
    if (this.state === 'CLOSED') return;
    if (this.state !== 'SYN_SENT') this.send(RST | ACK, this.sndNxt);
    this.enterClosed(null);
  }

  get finished(): boolean { return this.state === 'CLOSED'; }

  // ------------------------------------------------------------ guest side

  /** A segment from the guest for this connection. */
  segment(s: TcpSegment): void {
    this.stats.segmentsIn++;
    if (this.state === 'CLOSED') return;
    if (this.state === 'SYN_SENT') { this.synSent(s); return; }
    // A retransmitted SYN while we wait for the handshake's ACK: our SYN-ACK was lost.
    if (this.state === 'SYN_RCVD' && (s.flags & SYN) && !(s.flags & ACK) && s.seq === this.irs) {
      this.sendSyn();
      return;
    }
    if (!this.acceptable(s)) {
      if (!(s.flags & RST)) this.sendAck();
      return;
    }
    if (s.flags & RST) {
      // RFC 5961 §3: only an exact match resets; an in-window guess gets a challenge ACK.
      if (s.seq === this.rcvNxt) this.enterClosed('reset');
      else this.sendAck();
      return;
    }
    if (s.flags & SYN) { this.sendAck(); return; } // RFC 5961 §4: challenge ACK
    if (!(s.flags & ACK)) return;
    if (!this.processAck(s)) return;
    let needAck = false;
    if (s.payload.length > 0 || (s.flags & FIN)) needAck = this.processData(s);
    this.transmit();
    if (needAck) this.sendAck();
  }

  /** Runs due timers: retransmission, window probes, TIME_WAIT and FIN_WAIT_2 expiry. */
  tick(): void {
    const now = this.now();
    if (this.closeAt !== null && now >= this.closeAt) {
      const wasTimeWait = this.state === 'TIME_WAIT';
      this.enterClosed(wasTimeWait ? null : 'timeout');
      return;
    }
    if (this.rtoAt === null || now < this.rtoAt) return;
    const windowProbe = this.state !== 'SYN_SENT' && this.state !== 'SYN_RCVD' && this.sndWnd === 0;
    if (!windowProbe && ++this.retries > MAX_RETRIES) {
      this.send(RST | ACK, this.sndNxt);
      this.enterClosed('timeout');
      return;
    }
    this.rto = Math.min(this.rto * 2, MAX_RTO);
    this.stats.retransmits++;
    this.rttSample = null; // Karn: no RTT from retransmitted data
    this.dupAcks = 0;
    this.retransmitFromUna(windowProbe);
  }

  // ------------------------------------------------------------ internals

  private synSent(s: TcpSegment): void {
    const ackOk = (s.flags & ACK) !== 0 && s.ack === this.sndNxt;
    if ((s.flags & ACK) && !ackOk) {
      if (!(s.flags & RST)) this.out({ ...this.ports(), seq: s.ack, ack: 0, flags: RST, window: 0 });
      return;
    }
    if (s.flags & RST) {
      if (ackOk) this.enterClosed('reset'); // connection refused
      return;
    }
    if (!(s.flags & SYN)) return;
    this.irs = s.seq;
    this.rcvNxt = seqAdd(s.seq, 1);
    this.sndWnd = s.window;
    this.sndMss = Math.min(s.mss ?? DEFAULT_MSS, MAX_SEGMENT);
    if (ackOk) {
      this.sndUna = s.ack;
      this.sampleRtt(s.ack);
      this.becomeEstablished();
      this.sendAck();
      this.transmit();
    } else {
      // Simultaneous open.
      this.state = 'SYN_RCVD';
      this.sendSyn();
    }
  }

  private becomeEstablished(): void {
    this.state = 'ESTABLISHED';
    this.retries = 0;
    this.rtoAt = null;
    this.onEstablished?.(this);
  }

  /** RFC 9293 §3.10.7.4 acceptability test against our (fixed) receive window. */
  private acceptable(s: TcpSegment): boolean {
    const len = s.payload.length + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
    const winEnd = seqAdd(this.rcvNxt, RCV_WND);
    if (len === 0) return seqLe(this.rcvNxt, s.seq) && seqLt(s.seq, winEnd);
    const last = seqAdd(s.seq, len - 1);
    return (seqLe(this.rcvNxt, s.seq) && seqLt(s.seq, winEnd)) || (seqLe(this.rcvNxt, last) && seqLt(last, winEnd));
  }

  /** False when the segment must not be processed further. */
  private processAck(s: TcpSegment): boolean {
    if (this.state === 'SYN_RCVD') {
      if (seqLt(this.sndUna, s.ack) && seqLe(s.ack, this.sndNxt)) {
        this.sndUna = s.ack;
        this.sampleRtt(s.ack);
        this.sndWnd = s.window;
        this.becomeEstablished();
      } else {
        this.out({ ...this.ports(), seq: s.ack, ack: 0, flags: RST, window: 0 });
        return false;
      }
    }
    if (seqLt(this.sndNxt, s.ack)) {
      // Acknowledges something never sent.
      this.sendAck();
      return false;
    }
    if (seqLt(this.sndUna, s.ack)) {
      this.acknowledge(s.ack);
      this.sndWnd = s.window;
    } else if (s.ack === this.sndUna) {
      const outstanding = this.sndNxt !== this.sndUna;
      if (outstanding && s.payload.length === 0 && !(s.flags & FIN) && s.window === this.sndWnd) {
        // RFC 5681 fast retransmit on the third duplicate ACK.
        if (++this.dupAcks === 3) { this.stats.retransmits++; this.rttSample = null; this.retransmitFromUna(false); }
      }
      this.sndWnd = s.window;
    }
    const finAcked = this.finSent && this.sndUna === this.sndNxt;
    switch (this.state) {
      case 'FIN_WAIT_1': if (finAcked) { this.state = 'FIN_WAIT_2'; this.closeAt = this.now() + FIN_WAIT_2_MS; } break;
      case 'CLOSING': if (finAcked) this.enterTimeWait(); break;
      case 'LAST_ACK': if (finAcked) { this.enterClosed('closed'); return false; } break;
      default: break;
    }
    return true;
  }

  private acknowledge(ack: number): void {
    const dataAcked = Math.min(Math.max(seqDiff(ack, this.bufSeq), 0), this.sendBuf.length);
    this.sendBuf.drop(dataAcked);
    this.bufSeq = seqAdd(this.bufSeq, dataAcked);
    this.sndUna = ack;
    this.sampleRtt(ack);
    this.retries = 0;
    this.dupAcks = 0;
    this.rtoAt = this.sndUna === this.sndNxt ? (this.sendBuf.length > 0 && this.sndWnd === 0 ? this.now() + this.rto : null) : this.now() + this.rto;
    if (this.wasAboveHighWater && this.sendBuf.length <= HIGH_WATER / 2) {
      this.wasAboveHighWater = false;
      this.handler.drain?.();
    }
  }

  private sampleRtt(ack: number): void {
    const r = this.rttSample;
    if (r === null || seqLt(ack, r.seq)) return;
    this.rttSample = null;
    const m = Math.max(0, this.now() - r.at);
    if (this.srtt === null) {
      this.srtt = m;
      this.rttvar = m / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - m);
      this.srtt = 0.875 * this.srtt + 0.125 * m;
    }
    this.rto = Math.min(MAX_RTO, Math.max(MIN_RTO, this.srtt + 4 * this.rttvar));
  }

  /** Takes in-order data and FIN; returns whether an ACK is due. */
  private processData(s: TcpSegment): boolean {
    const receiving = this.state === 'ESTABLISHED' || this.state === 'FIN_WAIT_1' || this.state === 'FIN_WAIT_2';
    let seq = s.seq;
    let data = s.payload;
    // Drop what we already have (a retransmission overlapping new data).
    const dup = seqDiff(this.rcvNxt, seq);
    if (dup > 0) { data = data.subarray(Math.min(dup, data.length)); seq = seqAdd(seq, Math.min(dup, s.payload.length)); }
    if (seq !== this.rcvNxt) return true; // out of order: duplicate ACK asks for the gap
    const fits = Math.min(data.length, RCV_WND);
    const hasFin = (s.flags & FIN) !== 0 && fits === data.length;
    if (data.length > 0) {
      if (!receiving) return true; // data after the guest's FIN is a protocol error; just ACK what we have
      this.rcvNxt = seqAdd(this.rcvNxt, fits);
      this.handler.data(data.subarray(0, fits).slice());
    }
    if (hasFin && this.state !== 'CLOSED') {
      if (!receiving) return true; // a retransmitted FIN: re-ACK
      this.rcvNxt = seqAdd(this.rcvNxt, 1);
      const finAcked = this.finSent && this.sndUna === this.sndNxt;
      if (this.state === 'ESTABLISHED') this.state = 'CLOSE_WAIT';
      else if (this.state === 'FIN_WAIT_1' && !finAcked) this.state = 'CLOSING';
      // The handler hears the end of the guest's data before any close notice (TIME_WAIT sends closed()).
      this.handler.end();
      if (this.state === 'FIN_WAIT_2' || this.state === 'FIN_WAIT_1') this.enterTimeWait();
    }
    return true;
  }

  private enterTimeWait(): void {
    this.state = 'TIME_WAIT';
    this.rtoAt = null;
    this.closeAt = this.now() + TIME_WAIT_MS;
    this.handler.closed('closed');
    this.handler = IGNORE;
  }

  /** To CLOSED; `reason` null means the host side chose it and needs no notice. */
  private enterClosed(reason: CloseReason | null): void {
    this.state = 'CLOSED';
    this.rtoAt = this.closeAt = null;
    const h = this.handler;
    this.handler = IGNORE;
    if (reason !== null) h.closed(reason);
  }

  /** Sends new data (within the guest's window) and a queued FIN. */
  private transmit(): void {
    const st = this.state;
    if (st !== 'ESTABLISHED' && st !== 'CLOSE_WAIT' && st !== 'FIN_WAIT_1' && st !== 'CLOSING' && st !== 'LAST_ACK') return;
    for (;;) {
      const sentData = seqDiff(this.sndNxt, this.bufSeq);
      const unsent = this.sendBuf.length - sentData;
      const usable = seqDiff(seqAdd(this.sndUna, this.sndWnd), this.sndNxt);
      if (unsent <= 0 || usable <= 0) break;
      const n = Math.min(this.sndMss, unsent, usable);
      this.sendData(sentData, n);
    }
    const allSent = seqDiff(this.sndNxt, this.bufSeq) >= this.sendBuf.length;
    if (this.finQueued && !this.finSent && allSent) {
      this.finSent = true;
      this.send(FIN | ACK, this.sndNxt);
      this.sndNxt = seqAdd(this.sndNxt, 1);
      if (this.state === 'ESTABLISHED') this.state = 'FIN_WAIT_1';
      else if (this.state === 'CLOSE_WAIT') this.state = 'LAST_ACK';
      this.armRto();
    }
    // Data waiting on a closed window: probe it (the probe timer is the RTO timer).
    if (!allSent && this.sndWnd === 0 && this.rtoAt === null) this.rtoAt = this.now() + this.rto;
  }

  private sendData(offset: number, n: number): void {
    const seq = seqAdd(this.bufSeq, offset);
    this.send(ACK | PSH, seq, this.sendBuf.peek(offset, n));
    const end = seqAdd(seq, n);
    if (seqLt(this.sndNxt, end)) this.sndNxt = end;
    if (this.rttSample === null) this.rttSample = { seq: end, at: this.now() };
    this.armRto();
  }

  private armRto(): void {
    if (this.rtoAt === null) this.rtoAt = this.now() + this.rto;
  }

  /** Go-back-N from the oldest unacknowledged byte (or the SYN, or a lone FIN). */
  private retransmitFromUna(windowProbe: boolean): void {
    this.rtoAt = this.now() + this.rto;
    if (this.state === 'SYN_SENT' || this.state === 'SYN_RCVD') { this.sendSyn(); return; }
    if (windowProbe && this.sndUna === this.sndNxt) {
      // Nothing in flight and the window closed: one byte beyond it; its ACK says when the window opens.
      const off = seqDiff(this.sndNxt, this.bufSeq);
      if (off < this.sendBuf.length) {
        this.send(ACK | PSH, this.sndNxt, this.sendBuf.peek(off, 1));
        this.sndNxt = seqAdd(this.sndNxt, 1);
      }
      return;
    }
    const dataOutstanding = Math.min(Math.max(seqDiff(this.sndNxt, this.bufSeq), 0), this.sendBuf.length);
    const finOutstanding = this.finSent && this.sndUna !== this.sndNxt && seqDiff(this.sndNxt, this.bufSeq) > this.sendBuf.length;
    // Resend what was in flight, at most one window (or one segment if the window is closed).
    let off = Math.max(seqDiff(this.sndUna, this.bufSeq), 0);
    const limit = Math.min(dataOutstanding, off + Math.max(this.sndWnd, this.sndMss));
    while (off < limit) {
      const n = Math.min(this.sndMss, limit - off);
      this.send(ACK | PSH, seqAdd(this.bufSeq, off), this.sendBuf.peek(off, n));
      off += n;
    }
    if (finOutstanding && off >= this.sendBuf.length) this.send(FIN | ACK, seqAdd(this.bufSeq, this.sendBuf.length));
  }

  private sendSyn(): void {
    const flags = this.state === 'SYN_SENT' ? SYN : SYN | ACK;
    this.out({ ...this.ports(), seq: this.iss, ack: flags & ACK ? this.rcvNxt : 0, flags, window: RCV_WND, mss: OUR_MSS });
    this.stats.segmentsOut++;
    if (this.rttSample === null && this.retries === 0) this.rttSample = { seq: this.sndNxt, at: this.now() };
    this.armRto();
  }

  private sendAck(): void {
    this.send(ACK, this.sndNxt);
  }

  private send(flags: number, seq: number, payload?: Uint8Array): void {
    this.stats.segmentsOut++;
    this.out({ ...this.ports(), seq, ack: this.rcvNxt, flags, window: RCV_WND, ...(payload ? { payload } : {}) });
  }

  private ports(): { srcPort: number; dstPort: number } {
    return { srcPort: this.local.port, dstPort: this.remote.port };
  }
}
