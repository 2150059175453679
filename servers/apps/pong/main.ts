// The "pong" service: answers every ping with the same value, forever. It is
// the other end of the pingpong benchmark and of the shell's `ping`, so it does
// as little as possible per message. Its task needs provides = "pong".
import { E_UNSUPPORTED, MSG_PING, Message, PingReply, REPLY, println, serve } from "../../sdk/assembly";

function handle(m: Message): i32 {
  if (m.type != MSG_PING) return E_UNSUPPORTED;
  // Request and reply have one layout: only the type changes, the value stays.
  PingReply.at(m).type = PingReply.TYPE;
  return REPLY;
}

export function main(): i32 {
  println("pong: ready");
  serve("pong", handle);
  return 0;
}
