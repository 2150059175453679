// The "echo" service: answers echo with the same bytes (and ping with the same
// value, so `ping echo` works). Anything else gets E_UNSUPPORTED.
// Its task needs provides = "echo".
import { E_UNSUPPORTED, EchoReply, MSG_ECHO, MSG_PING, Message, PingReply, REPLY, println, serve } from "../../sdk/assembly";

function handle(m: Message): i32 {
  switch (m.type) {
    case MSG_ECHO:
      // echo and echo_reply have one layout: the bytes and their length stay put.
      EchoReply.at(m).type = EchoReply.TYPE;
      return REPLY;
    case MSG_PING:
      PingReply.at(m).type = PingReply.TYPE;
      return REPLY;
    default:
      return E_UNSUPPORTED;
  }
}

export function main(): i32 {
  println("echo: ready");
  serve("echo", handle);
  return 0;
}
