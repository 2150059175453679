// A client of example-echo: looks the service up, pings it, echoes a string,
// and shows what an error reply looks like. Exits 0 if everything matched.
// Its task needs uses = "example-echo".
import {
  Echo,
  EchoReply,
  Message,
  Ping,
  PingReply,
  TcpipRead,
  call,
  check,
  errorText,
  lookup,
  println,
} from "../../sdk/assembly";

export function main(): i32 {
  const echo = check(lookup("example-echo"), "lookup example-echo");
  const m = Message.alloc();

  Ping.init(m).value = 41;
  check(call(echo, m), "ping");
  const value = PingReply.at(m).value;
  println("ping 41 -> " + value.toString());

  Echo.init(m).set_data_string("hello, echo");
  check(call(echo, m), "echo");
  const text = EchoReply.at(m).data_string();
  println("echo -> " + text);

  // A message the service does not handle: the reply's type is an error code.
  TcpipRead.init(m).sock = 1;
  const err = call(echo, m);
  println("tcpip_read -> " + errorText(err));

  return value == 42 && text == "hello, echo" && err < 0 ? 0 : 1;
}
