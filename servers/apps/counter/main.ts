// The "counter" service: one shared i32 that clients add to (counter_add) and
// read (counter_get). It shows state kept in a server across clients. The sum
// wraps around like any i32. Its task needs provides = "counter".
import {
  CounterAddReply,
  CounterAdd,
  CounterGetReply,
  E_UNSUPPORTED,
  MSG_COUNTER_ADD,
  MSG_COUNTER_GET,
  MSG_PING,
  Message,
  PingReply,
  REPLY,
  println,
  serve,
} from "../../sdk/assembly";

let value: i32 = 0;

function handle(m: Message): i32 {
  switch (m.type) {
    case MSG_COUNTER_ADD: {
      value += CounterAdd.at(m).delta; // read the request before init() clears it
      CounterAddReply.init(m).value = value;
      return REPLY;
    }
    case MSG_COUNTER_GET:
      CounterGetReply.init(m).value = value;
      return REPLY;
    case MSG_PING:
      PingReply.at(m).type = PingReply.TYPE;
      return REPLY;
    default:
      return E_UNSUPPORTED;
  }
}

export function main(): i32 {
  println("counter: ready");
  serve("counter", handle);
  return 0;
}
