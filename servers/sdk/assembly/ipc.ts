// Typed IPC on Message buffers. Every function returns 0 (or a length, or a task
// id) on success and a negative E_* code otherwise; nothing throws.
import {
  ipc_call,
  ipc_lookup,
  ipc_recv,
  ipc_reply,
  wasmos_notify,
  wasmos_recv,
  wasmos_send,
  wasmos_service_lookup,
  wasmos_service_register,
} from "./imports";
import { Message } from "./message";
import { E_INVALID } from "./messages";

/** Task id of the kernel: it answers ping, service_lookup and service_register, and sends notifications. */
export const TASK_KERNEL: i32 = 0;
/** recv from anyone, kernel notifications included. */
export const IPC_ANY: i32 = -1;
/** Timeouts (ms): wait forever, or never block. */
export const IPC_FOREVER: i32 = -1;
export const IPC_POLL: i32 = 0;

/**
 * Sends m (set up with a view's init) to dst and waits for the reply, which
 * replaces m. Returns 0 when the reply is type + 1; otherwise the IPC error, the
 * error the server replied with (a negative type), or E_INVALID for a reply of
 * another type.
 */
export function call(dst: i32, m: Message): i32 {
  const type = m.type;
  const r = ipc_call(dst, changetype<usize>(m));
  if (r < 0) return r;
  const got = m.type;
  if (got < 0) return got;
  return got == type + 1 ? 0 : E_INVALID;
}

/** Waits for a message from `from` (or IPC_ANY) into m. 0 or an error; m.src says who sent it. */
export function recv(from: i32, m: Message): i32 {
  return ipc_recv(from, changetype<usize>(m));
}

/** recv with a timeout in ms; returns the message length, E_TIMEOUT, or E_WOULD_BLOCK (IPC_POLL). */
export function recvTimeout(from: i32, m: Message, timeoutMs: i32): i32 {
  return wasmos_recv(from, changetype<usize>(m), timeoutMs);
}

/** Answers dst, which must be waiting in call() on us. */
export function reply(dst: i32, m: Message): void {
  ipc_reply(dst, changetype<usize>(m));
}

/** Answers dst with an error code instead of a reply. */
export function replyError(dst: i32, m: Message, code: i32): void {
  m.reset(code, 0);
  ipc_reply(dst, changetype<usize>(m));
}

/** Sends a oneway message: returns once dst has received it (or the timeout passed). */
export function send(dst: i32, m: Message, timeoutMs: i32 = IPC_FOREVER): i32 {
  return wasmos_send(dst, changetype<usize>(m), timeoutMs);
}

/** Posts notification bits to dst (see NOTIFY_* in messages.ts); never blocks. */
export function notify(dst: i32, bits: u32): i32 {
  return wasmos_notify(dst, bits);
}

/** The task providing service `name`, waiting up to 10 s for it to register; or an error. */
export function lookup(name: string): i32 {
  const c = String.UTF8.encode(name, true);
  return ipc_lookup(changetype<usize>(c));
}

/** lookup with a timeout in ms (0: E_NOT_FOUND at once if nobody provides it yet). */
export function lookupTimeout(name: string, timeoutMs: i32): i32 {
  const c = String.UTF8.encode(name, true);
  return wasmos_service_lookup(changetype<usize>(c), timeoutMs);
}

/** Registers this task as the provider of `name` (it must be in the task's `provides`). */
export function register(name: string): i32 {
  const c = String.UTF8.encode(name, true);
  return wasmos_service_register(changetype<usize>(c));
}
