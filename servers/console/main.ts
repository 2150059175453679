// The console server: the UART's driver (docs/userland.md) and the service
// "console". Output (console_write) goes through the kernel console; input
// comes in by IRQ, waits in the type-ahead ring, and is handed to readers —
// edited lines (console_read_line) or raw bytes (console_read) — whose replies
// are deferred until the input is there. Ctrl-C kills the foreground task
// through init (proc_kill). Nothing a client or the terminal sends can make it
// block for long or trap: unknown input is dropped, bad requests get errors.
import {
  ConsoleRead, ConsoleReadLineReply, ConsoleReadReply, ConsoleSetForeground, ConsoleSetForegroundReply,
  ConsoleWrite, ConsoleWriteReply, E_END, E_INTERRUPTED, E_INVALID, E_IO, E_UNSUPPORTED, E_WOULD_BLOCK,
  IPC_ANY, MSG_CONSOLE_READ, MSG_CONSOLE_READ_LINE, MSG_CONSOLE_SET_FOREGROUND, MSG_CONSOLE_WRITE, MSG_NOTIFY,
  Message, NOTIFY_IRQ, Notify, ProcKill, TASK_KERNEL, call, collectBetweenMessages, errorText, exit, kill, lookupTimeout, println, recv,
  register, reply, replyError, wasmos_debug_print,
} from "../sdk/assembly";
import { KEY_NONE, KeyDecoder } from "./keys";
import { EDIT_DONE, EDIT_END, EDIT_INTERRUPTED, EDIT_MORE, LineEditor } from "./line";
import { flush, putAscii } from "./output";
import { clearPrompt, notePrompt } from "./prompt";
import { READ_LINE, READ_RAW, addReader, dropReader, headKind, headMaxLen, headTask, readerCount, readerTask, stillWaiting } from "./readers";
import { ByteRing, RING_CAP } from "./ring";
import { uartAck, uartDrain, uartInit, uartIrq, uartPending, uartRxInterrupts } from "./uart";

const RAW_MAX: u32 = 1024;

const ring = new ByteRing();
const decoder = new KeyDecoder();
const editor = new LineEditor();
/** The head reader is a line reader whose line has been started. */
let editing = false;
/** A finished line (in the editor) whose reader went away: the next line reader gets it. */
let lineHeld = false;
/** Ctrl-C kills this task (0: none). */
let foreground: i32 = 0;
let uartReady = false;
/** init's "proc" service, found at the first Ctrl-C that needs it. */
let procTask: i32 = 0;

const req = Message.alloc(); // requests, and the replies made at once
const out = Message.alloc(); // deferred replies
const killMsg = Message.alloc(); // proc_kill calls

/** A byte from the UART. Ctrl-C with a foreground task and nobody editing acts at once. */
function onByte(b: u8): void {
  if (b == 0x03 && foreground > 0 && headKind() != READ_LINE) {
    putAscii("^C\n");
    flush();
    interruptForeground();
    return;
  }
  ring.push(b);
}

/**
 * Kills the foreground task: through init, which then answers the shell's
 * proc_wait; straight through the kernel if there is no init (or it refuses).
 * Pending type-ahead goes too, as a terminal's interrupt flushes its input.
 */
function interruptForeground(): void {
  const t = foreground;
  foreground = 0;
  ring.clear();
  if (procTask <= 0) procTask = lookupTimeout("proc", 0);
  let r = -1;
  if (procTask > 0) {
    ProcKill.init(killMsg).task = t;
    r = call(procTask, killMsg);
  }
  if (r != 0) kill(t);
  // Its reads can never be answered now.
  for (let i = readerCount() - 1; i >= 0; i--) {
    if (readerTask(i) != t) continue;
    if (i == 0) editing = false;
    dropReader(i);
  }
}

/** The ring is full and input waits in the UART, its receive interrupt off. */
let rxPaused = false;

/**
 * Moves what fits from the UART into the ring. With the ring full and more
 * input waiting, the receive interrupt goes off until readers made room (the
 * bytes wait in the UART instead of being dropped).
 */
function receive(): void {
  const room = RING_CAP - ring.count;
  if (room > 0) uartDrain(onByte, room);
  const full = ring.count >= RING_CAP && uartPending();
  if (full != rxPaused) {
    uartRxInterrupts(!full);
    rxPaused = full;
  }
}

/** Hands buffered input to the readers; refills from a paused UART as room appears. */
function pump(): void {
  for (;;) {
    serveReaders();
    if (!rxPaused || ring.count >= RING_CAP) break;
    const before = ring.count;
    receive();
    if (ring.count == before) break;
  }
  flush();
}

/** Hands buffered input to the waiting readers, oldest first, as far as it goes. */
function serveReaders(): void {
  for (;;) {
    const kind = headKind();
    if (kind == READ_RAW) {
      if (ring.count == 0) break;
      if (!stillWaiting(headTask())) {
        dropReader(0);
        continue;
      }
      const n = min(headMaxLen(), <u32>ring.count);
      const t = headTask();
      dropReader(0);
      const rr = ConsoleReadReply.init(out);
      for (let i: u32 = 0; i < n; i++) store<u8>(rr.data_ptr() + <usize>i, ring.shift());
      rr.data_len = n;
      flush();
      reply(t, rr);
      continue;
    }
    if (kind != READ_LINE) break;
    if (lineHeld) {
      const t = headTask();
      dropReader(0);
      if (!stillWaiting(t)) continue;
      lineHeld = false;
      replyLine(t);
      continue;
    }
    if (!editing) {
      if (!stillWaiting(headTask())) {
        dropReader(0);
        continue;
      }
      editor.start();
      editing = true;
    }
    if (ring.count == 0) break;
    const key = decoder.feed(ring.shift());
    if (key == KEY_NONE) continue;
    const result = editor.key(key, decoder);
    if (result != EDIT_MORE) finishLine(result);
  }
}

/** The head line reader's line is over: answer it. */
function finishLine(result: i32): void {
  let t = headTask();
  dropReader(0);
  editing = false;
  // Its reader may have gone while the line was typed: then the next line
  // reader gets the line (a Ctrl-C or Ctrl-D meant for it is void).
  while (!stillWaiting(t)) {
    if (headKind() != READ_LINE) {
      lineHeld = result == EDIT_DONE;
      return;
    }
    t = headTask();
    dropReader(0);
  }
  flush(); // the echo first, then whatever the reader prints
  if (result == EDIT_DONE) {
    replyLine(t);
  } else if (result == EDIT_INTERRUPTED) {
    clearPrompt();
    replyError(t, out, E_INTERRUPTED);
    // A foreground program reading its input is stopped like any other.
    if (t == foreground) interruptForeground();
  } else if (result == EDIT_END) {
    replyError(t, out, E_END);
  }
}

/** Answers a line reader with the editor's line. */
function replyLine(t: i32): void {
  const lr = ConsoleReadLineReply.init(out);
  memory.copy(lr.line_ptr(), editor.buf, <usize>editor.len);
  store<u8>(lr.line_ptr() + <usize>editor.len, 0);
  clearPrompt();
  flush();
  reply(t, lr);
}

function onIrq(n: Notify): void {
  if ((n.bits & NOTIFY_IRQ) == 0 || uartIrq <= 0) return;
  if ((n.irqs(uartIrq >> 5) & (1 << (uartIrq & 31))) == 0) return;
  receive();
  uartAck();
  pump();
}

/** A client request: the result is replied at once (>= 0: req as left; < 0: an error) unless NO_REPLY. */
const NO_REPLY: i32 = 1;

function handle(m: Message): i32 {
  switch (m.type) {
    case MSG_CONSOLE_WRITE: {
      const w = ConsoleWrite.at(m);
      const n = w.data_len;
      notePrompt(w.data_ptr(), <i32>n);
      flush();
      wasmos_debug_print(w.data_ptr(), n);
      ConsoleWriteReply.init(m);
      return 0;
    }
    case MSG_CONSOLE_READ_LINE:
      if (!uartReady) return E_IO;
      if (!addReader(m.src, READ_LINE, 0)) return E_WOULD_BLOCK;
      pump();
      return NO_REPLY;
    case MSG_CONSOLE_READ: {
      if (!uartReady) return E_IO;
      const max = ConsoleRead.at(m).max_len;
      if (max == 0) return E_INVALID;
      if (!addReader(m.src, READ_RAW, min(max, RAW_MAX))) return E_WOULD_BLOCK;
      pump();
      return NO_REPLY;
    }
    case MSG_CONSOLE_SET_FOREGROUND: {
      const t = ConsoleSetForeground.at(m).task;
      if (t < 0) return E_INVALID;
      foreground = t;
      // A Ctrl-C typed ahead (while the shell was starting the program, before
      // it became the foreground) was meant for this program.
      if (t > 0 && headKind() != READ_LINE && ring.holds(0x03)) {
        putAscii("^C\n");
        flush();
        interruptForeground();
      }
      ConsoleSetForegroundReply.init(m);
      return 0;
    }
  }
  return E_UNSUPPORTED;
}

export function main(): i32 {
  const err = uartInit(onByte, RING_CAP);
  uartReady = err.length == 0;
  if (uartReady) receive();
  // Without the UART the console still prints; reads fail with E_IO.
  if (!uartReady) println("console: no input: " + err);
  const r = register("console");
  if (r < 0) {
    println("console: register: " + errorText(r));
    exit(1);
  }
  for (;;) {
    collectBetweenMessages();
    if (recv(IPC_ANY, req) < 0) continue;
    const src = req.src;
    if (src == TASK_KERNEL) {
      if (req.type == MSG_NOTIFY) onIrq(Notify.at(req));
      continue;
    }
    const result = handle(req);
    if (result == NO_REPLY) continue;
    if (result < 0) replyError(src, req, result);
    else reply(src, req);
  }
  return 0;
}
