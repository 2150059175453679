// The web server app: `start webserver [PORT]` (default 80). Serves
//   /                 an HTML page about the machine
//   /api/status       JSON: uptime, tasks, requests served
//   /api/bytes/N      N bytes of text (for throughput measurements)
//   /PATH             a file from /host/www/PATH, else /host/PATH (through fs)
// and 404 otherwise. One request per connection (Connection: close); several
// connections are served in turn from one event loop over the SDK's sockets.
import {
  E_END,
  FS_KIND_FILE,
  FS_O_READ,
  FsClose,
  FsOpen,
  FsOpenReply,
  FsRead,
  FsReadReply,
  FsStat,
  FsStatReply,
  Message,
  arg,
  argCount,
  call,
  lookup,
  nowMs,
  println,
  taskId,
  wasmos_mem_info,
} from "../../sdk/assembly";
import { TCP_CHUNK, tcpClose, tcpEnded, tcpListen, tcpRead, tcpReady, tcpWrite, tcpWriteString } from "../../sdk/assembly/socket";

const HEAD_MAX = 8192;

class Conn {
  head: Uint8Array = new Uint8Array(HEAD_MAX);
  len: i32 = 0;
  constructor(public sock: i32) {}
}

const conns = new Map<i32, Conn>();
const buf = heap.alloc(<usize>TCP_CHUNK);
const fsMsg = Message.alloc();
let fs: i32 = 0;
let port: i32 = 80;
let served = 0;

function reason(status: i32): string {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Error";
  }
}

function head(status: i32, type: string, length: i64): string {
  return "HTTP/1.1 " + status.toString() + " " + reason(status) + "\r\nContent-Type: " + type + "\r\nContent-Length: " +
    length.toString() + "\r\nConnection: close\r\nServer: wasmos-webserver\r\n\r\n";
}

function send(sock: i32, status: i32, type: string, body: string, withBody: bool): void {
  const b = String.UTF8.encode(body);
  tcpWriteString(sock, head(status, type, b.byteLength));
  if (withBody) tcpWrite(sock, changetype<usize>(b), b.byteLength);
}

function tasks(): u32 {
  const out = new StaticArray<u32>(4);
  return wasmos_mem_info(changetype<usize>(out)) == 0 ? out[3] : 0;
}

function page(): string {
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>WasmOS web server</title></head>\n<body>\n" +
    "<h1>Hello from WasmOS</h1>\n<p>This page is served by a WebAssembly task (task " + taskId().toString() +
    ") through the guest's own TCP/IP stack.</p>\n<ul>\n<li>uptime: " + nowMs().toString() + " ms</li>\n<li>tasks: " +
    tasks().toString() + "</li>\n<li>requests served: " + served.toString() + "</li>\n</ul>\n" +
    "<p><a href=\"api/status\">api/status</a> &middot; files from /host/www or /host</p>\n</body></html>\n";
}

function contentType(path: string): string {
  if (path.endsWith(".html") || path.endsWith(".htm")) return "text/html; charset=utf-8";
  if (path.endsWith(".css")) return "text/css";
  if (path.endsWith(".js")) return "text/javascript";
  if (path.endsWith(".json")) return "application/json";
  if (path.endsWith(".png")) return "image/png";
  if (path.endsWith(".svg")) return "image/svg+xml";
  if (path.endsWith(".wasm")) return "application/wasm";
  if (path.endsWith(".txt") || path.endsWith(".md")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

/** Sends a file from fs; false if it is not a readable file. */
function sendFile(sock: i32, path: string, withBody: bool): bool {
  if (path.length > 250) return false;
  if (fs <= 0) fs = lookup("fs");
  if (fs < 0) return false;
  FsStat.init(fsMsg).path = path;
  if (call(fs, fsMsg) < 0 || FsStatReply.at(fsMsg).kind != FS_KIND_FILE) return false;
  const size = FsStatReply.at(fsMsg).size;
  const o = FsOpen.init(fsMsg);
  o.path = path;
  o.flags = FS_O_READ;
  if (call(fs, fsMsg) < 0) return false;
  const h = FsOpenReply.at(fsMsg).handle;
  tcpWriteString(sock, head(200, contentType(path), size));
  let off: u32 = 0;
  while (withBody && off < size) {
    const r = FsRead.init(fsMsg);
    r.handle = h;
    r.offset = off;
    r.len = 1024;
    if (call(fs, fsMsg) < 0) break;
    const n = FsReadReply.at(fsMsg).data_len;
    if (n == 0) break;
    if (tcpWrite(sock, FsReadReply.at(fsMsg).data_ptr(), <i32>n) < 0) break;
    off += n;
  }
  FsClose.init(fsMsg).handle = h;
  call(fs, fsMsg);
  return true;
}

function sendBytes(sock: i32, n: i32, withBody: bool): void {
  tcpWriteString(sock, head(200, "text/plain", n));
  if (!withBody) return;
  // A line of 64 bytes repeated: easy to check on the other side.
  for (let i = 0; i < TCP_CHUNK; i++) store<u8>(buf + <usize>i, i % 64 == 63 ? 10 : <u8>(97 + i % 26));
  for (let off = 0; off < n; off += TCP_CHUNK) {
    if (tcpWrite(sock, buf, min(TCP_CHUNK, n - off)) < 0) return;
  }
}

function respond(c: Conn, headLen: i32): void {
  const text = String.UTF8.decodeUnsafe(c.head.dataStart, <usize>headLen);
  const line = text.substring(0, text.indexOf("\r\n"));
  const parts = line.split(" ");
  served++;
  if (parts.length != 3 || !parts[1].startsWith("/") || !parts[2].startsWith("HTTP/1.")) {
    send(c.sock, 400, "text/plain", "bad request\n", true);
    return;
  }
  const method = parts[0];
  const withBody = method != "HEAD";
  if (method != "GET" && method != "HEAD") {
    send(c.sock, 405, "text/plain", "only GET and HEAD\n", true);
    return;
  }
  let path = parts[1];
  const q = path.indexOf("?");
  if (q >= 0) path = path.substring(0, q);
  println("webserver: " + method + " " + path);
  if (path == "/" || path == "/index.html") {
    if (!sendFile(c.sock, "/host/www/index.html", withBody)) send(c.sock, 200, "text/html; charset=utf-8", page(), withBody);
    return;
  }
  if (path == "/api/status") {
    send(c.sock, 200, "application/json",
      "{\"uptime_ms\":" + nowMs().toString() + ",\"tasks\":" + tasks().toString() + ",\"requests\":" + served.toString() +
      ",\"port\":" + port.toString() + ",\"task\":" + taskId().toString() + "}\n", withBody);
    return;
  }
  if (path.startsWith("/api/bytes/")) {
    const n = I32.parseInt(path.substring(11));
    if (n >= 0 && n <= 64 << 20) {
      sendBytes(c.sock, n, withBody);
      return;
    }
  }
  // Static files: no way out of /host.
  if (!path.includes("..") && !path.includes("//")) {
    if (sendFile(c.sock, "/host/www" + path, withBody) || sendFile(c.sock, "/host" + path, withBody)) return;
  }
  send(c.sock, 404, "text/plain", "not found: " + path + "\n", withBody);
}

/** The end of the request head (after \r\n\r\n), or -1. */
function headEnd(c: Conn): i32 {
  const p = c.head.dataStart;
  for (let i = 0; i + 4 <= c.len; i++) if (load<u32>(p + <usize>i) == 0x0a0d0a0d) return i + 4;
  return -1;
}

function finish(s: i32): void {
  tcpClose(s);
  conns.delete(s);
}

export function main(): i32 {
  if (argCount() > 1) port = I32.parseInt(arg(1));
  if (port <= 0 || port > 65535) {
    println("usage: webserver [PORT]");
    return 2;
  }
  const l = tcpListen(<u16>port);
  if (l < 0) {
    println("webserver: cannot listen on port " + port.toString() + ": " + (l == -12 ? "in use" : "error " + l.toString()));
    return 1;
  }
  println("webserver: listening on port " + port.toString());
  for (;;) {
    const s = tcpReady(-1);
    if (s == 0) continue;
    let c: Conn;
    if (conns.has(s)) c = conns.get(s);
    else {
      c = new Conn(s);
      conns.set(s, c);
    }
    const n = tcpRead(s, buf, TCP_CHUNK, false);
    if (n < 0 || (n == 0 && tcpEnded(s))) {
      finish(s);
      continue;
    }
    if (n == 0) continue;
    const take = min(n, HEAD_MAX - c.len);
    memory.copy(c.head.dataStart + <usize>c.len, buf, <usize>take);
    c.len += take;
    const end = headEnd(c);
    if (end >= 0) {
      respond(c, end);
      finish(s);
    } else if (c.len == HEAD_MAX) {
      send(s, 400, "text/plain", "request head too large\n", true);
      finish(s);
    }
  }
  return 0;
}
