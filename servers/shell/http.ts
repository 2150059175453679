// http [-s] URL: a GET over the SDK's sockets (HTTP/1.1, Connection: close).
// Prints the status line and headers as received, then the body (decoded if
// chunked) and a summary line with its size and time; with -s also the body's
// FNV-1a hash, so a long body can be checked without reading it all (hashing
// costs the interpreted shell more than the transfer itself, hence opt-in).
// Bodies over BODY_PRINT_MAX bytes are shown up to that size only.
import { nowMs, print, printBytes, println } from "../sdk/assembly";
import { TCP_CHUNK, tcpClose, tcpConnect, tcpRead, tcpWriteString } from "../sdk/assembly/socket";
import { ChunkedDecoder } from "./chunked";
import { describe } from "./errors";
import { hostAddr, ipString } from "./net";

const BODY_PRINT_MAX: i32 = 64 * 1024;
const HEAD_MAX: i32 = 16 * 1024;

const buf = heap.alloc(<usize>TCP_CHUNK);
const head = heap.alloc(<usize>HEAD_MAX);

let bodyBytes: i32 = 0;
let hash: u32 = 0;
let hashing = false;
/** The last byte printed, to end the body's output with a newline. */
let lastShown: u8 = 10;

function body(p: usize, n: i32): void {
  const show = min(n, BODY_PRINT_MAX - bodyBytes);
  if (show > 0) {
    printBytes(p, <u32>show);
    lastShown = load<u8>(p + <usize>show - 1);
  }
  bodyBytes += n;
  if (!hashing) return;
  // FNV-1a, byte by byte as defined, but four bytes from each load: the
  // kernel interprets Wasm per operation, so fewer operations per byte make a
  // long body cheaper to hash.
  let h = hash;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w = load<u32>(p + <usize>i);
    h = (h ^ (w & 0xff)) * 16777619;
    h = (h ^ ((w >> 8) & 0xff)) * 16777619;
    h = (h ^ ((w >> 16) & 0xff)) * 16777619;
    h = (h ^ (w >> 24)) * 16777619;
  }
  for (; i < n; i++) h = (h ^ <u32>load<u8>(p + <usize>i)) * 16777619;
  hash = h;
}

class Url {
  host: string = "";
  port: u16 = 80;
  path: string = "/";
}

function parseUrl(s: string): Url | null {
  if (!s.startsWith("http://")) return null;
  const u = new Url();
  let rest = s.substring(7);
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    u.path = rest.substring(slash);
    rest = rest.substring(0, slash);
  }
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const port = I32.parseInt(rest.substring(colon + 1));
    if (port <= 0 || port > 65535) return null;
    u.port = <u16>port;
    rest = rest.substring(0, colon);
  }
  if (rest.length == 0) return null;
  u.host = rest;
  return u;
}

/** The value of header `name` (lower case) in the head text, or "". */
function header(text: string, name: string): string {
  const lines = text.split("\r\n");
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i].indexOf(":");
    if (c > 0 && lines[i].substring(0, c).trim().toLowerCase() == name) return lines[i].substring(c + 1).trim();
  }
  return "";
}

export function http(args: string[]): void {
  hashing = args.length == 3 && args[1] == "-s";
  const u = args.length == (hashing ? 3 : 2) ? parseUrl(args[args.length - 1]) : null;
  if (u === null) {
    println("usage: http [-s] http://HOST[:PORT]/PATH");
    return;
  }
  const a = hostAddr("http", u.host);
  if (a < 0) return;
  const start = nowMs();
  const s = tcpConnect(<u32>a, u.port);
  if (s < 0) {
    println("http: " + ipString(<u32>a) + ":" + u.port.toString() + ": " + describe(s));
    return;
  }
  const req = "GET " + u.path + " HTTP/1.1\r\nHost: " + u.host + (u.port != 80 ? ":" + u.port.toString() : "") +
    "\r\nUser-Agent: wasmos-shell\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  let r = tcpWriteString(s, req);
  if (r < 0) {
    println("http: " + describe(r));
    tcpClose(s);
    return;
  }
  // The head: up to the empty line.
  let headLen = 0;
  let headEnd = -1;
  bodyBytes = 0;
  lastShown = 10;
  hash = 2166136261;
  let chunked: ChunkedDecoder | null = null;
  let length: i64 = -1;
  for (;;) {
    const n = tcpRead(s, buf, TCP_CHUNK);
    if (n < 0) {
      println("http: " + describe(n));
      break;
    }
    if (n == 0) break;
    let p = buf;
    let k = n;
    if (headEnd < 0) {
      const take = min(k, HEAD_MAX - headLen);
      memory.copy(head + <usize>headLen, p, <usize>take);
      const from = max(headLen - 3, 0);
      headLen += take;
      for (let i = from; i + 4 <= headLen; i++) {
        if (load<u32>(head + <usize>i) == 0x0a0d0a0d) {
          headEnd = i + 4;
          break;
        }
      }
      if (headEnd < 0) {
        if (headLen == HEAD_MAX) {
          println("http: the response head is over " + HEAD_MAX.toString() + " bytes");
          break;
        }
        continue;
      }
      const text = String.UTF8.decodeUnsafe(head, <usize>headEnd - 4);
      println(text);
      println("");
      if (header(text, "transfer-encoding").toLowerCase().includes("chunked")) chunked = new ChunkedDecoder(body);
      const cl = header(text, "content-length");
      if (cl.length > 0) length = I64.parseInt(cl);
      // What came after the head in this read is body.
      const extra = headLen - headEnd;
      p = head + <usize>headEnd;
      k = extra;
    }
    if (k > 0) {
      if (chunked !== null) chunked.feed(p, k);
      else body(p, k);
    }
    if (chunked !== null && (chunked.done || chunked.failed)) break;
    if (chunked === null && length >= 0 && <i64>bodyBytes >= length) break;
  }
  tcpClose(s);
  if (headEnd < 0) {
    println("http: no response");
    return;
  }
  if (lastShown != 10) print("\n");
  if (chunked !== null && chunked.failed) println("http: bad chunked encoding");
  const ms = nowMs() - start;
  println("-- " + bodyBytes.toString() + " body bytes" + (bodyBytes > BODY_PRINT_MAX ? " (first " + BODY_PRINT_MAX.toString() + " shown)" : "") +
    (hashing ? ", fnv1a " + hash.toString(16) : "") + ", " + ms.toString() + " ms");
}
