// The loop every server runs: receive a message, let the handler answer it in
// place, reply, repeat.
import { check, panic, errorText } from "./errors";
import { IPC_ANY, TASK_KERNEL, recv, register, reply } from "./ipc";
import { Message } from "./message";

/** Handler results: reply with the message as the handler left it ... */
export const REPLY: i32 = 0;
/** ... or send nothing (oneway messages, notifications, or a reply() made later). */
export const NO_REPLY: i32 = 1;
// Any negative result is an error code: the sender gets it as the reply's type.

export type Handler = (m: Message) => i32;

/** AssemblyScript's Runtime.Minimal (ASC_RUNTIME's value with `--runtime minimal`). */
const RUNTIME_MINIMAL = 1;
/** Messages between two collections. */
const COLLECT_EVERY = 16;
let sinceCollect = 0;

/**
 * For programs built with the minimal runtime (a smaller module, no shadow
 * stack: an asc.json with `--runtime minimal`), which collects garbage only
 * when asked and only from globals. Call it between messages, where no local
 * holds a managed object: it collects every COLLECT_EVERY calls. With the
 * other runtimes it compiles to nothing.
 */
export function collectBetweenMessages(): void {
  if (ASC_RUNTIME != RUNTIME_MINIMAL) return;
  if (++sinceCollect < COLLECT_EVERY) return;
  sinceCollect = 0;
  __collect();
}

/**
 * Registers `name` (skipped if empty) and serves forever: each message is
 * received into one buffer, passed to `handler`, and answered according to its
 * result. Kernel notifications (src 0) reach the handler too but are never
 * answered. The handler reads the request before it init()s the reply, since
 * both live in the same buffer.
 */
export function serve(name: string, handler: Handler): void {
  if (name.length > 0) check(register(name), "register " + name);
  const m = Message.alloc();
  for (;;) {
    collectBetweenMessages();
    const r = recv(IPC_ANY, m);
    if (r < 0) panic("recv: " + errorText(r));
    const src = m.src;
    const result = handler(m);
    if (src == TASK_KERNEL || result == NO_REPLY) continue;
    if (result < 0) m.reset(result, 0);
    reply(src, m);
  }
}
