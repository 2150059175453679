// A service: registers "example-echo" and answers ping (with the same value
// plus one, so a client sees who answered) and echo (with the same bytes).
// Anything else gets E_UNSUPPORTED. Its task needs provides = "example-echo".
import {
  E_UNSUPPORTED,
  Echo,
  EchoReply,
  MSG_ECHO,
  MSG_PING,
  Message,
  Ping,
  PingReply,
  REPLY,
  println,
  serve,
} from "../../sdk/assembly";

let served = 0;

function handle(m: Message): i32 {
  served++;
  switch (m.type) {
    case MSG_PING: {
      const value = Ping.at(m).value; // read the request before init() clears it
      PingReply.init(m).value = value + 1;
      return REPLY;
    }
    case MSG_ECHO: {
      // Request and reply have the same layout: only the type changes.
      const len = Echo.at(m).data_len;
      EchoReply.at(m).type = EchoReply.TYPE;
      EchoReply.at(m).data_len = len;
      return REPLY;
    }
    default:
      return E_UNSUPPORTED;
  }
}

export function main(): i32 {
  println("example-echo: ready");
  serve("example-echo", handle);
  return 0;
}
