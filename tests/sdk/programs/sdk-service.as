// Test service for sdk.test.ts: registers "probe-service" and serves
//   tcpip_data (oneway)  counted, never answered
//   ping                 answered with how many tcpip_data arrived
//   console_write        printed as "[console] <text>" (a stand-in console server)
//   anything else        E_UNSUPPORTED
import {
  ConsoleWrite,
  E_UNSUPPORTED,
  MSG_CONSOLE_WRITE,
  MSG_PING,
  MSG_TCPIP_DATA,
  Message,
  NO_REPLY,
  PingReply,
  REPLY,
  TcpipData,
  print,
  serve,
} from "./index";

let data = 0;
let lastSock = 0;

function handle(m: Message): i32 {
  switch (m.type) {
    case MSG_TCPIP_DATA:
      data++;
      lastSock = TcpipData.at(m).sock;
      return NO_REPLY;
    case MSG_PING:
      PingReply.init(m).value = data * 100 + lastSock;
      return REPLY;
    case MSG_CONSOLE_WRITE: {
      const text = ConsoleWrite.at(m).data_string();
      print("[console] " + text);
      m.reset(m.type + 1, 0);
      return REPLY;
    }
    default:
      return E_UNSUPPORTED;
  }
}

export function main(): i32 {
  serve("probe-service", handle);
  return 0;
}
