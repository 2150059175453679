// Deferred replies: connect, dns_resolve, ping and a write that waits for
// buffer space are answered later, when the network has answered. Their
// callers wait in ipc_call; this is the buffer the late reply is built in.
import { Message, reply, replyError } from "../sdk/assembly";

export const late = Message.alloc();

export function answer(task: i32): void {
  reply(task, late);
}

export function answerError(task: i32, code: i32): void {
  replyError(task, late, code);
}
