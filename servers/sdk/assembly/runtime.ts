// What the AssemblyScript compiler needs from its host, given by the SDK so a
// program imports nothing but `env` and `wasmos`. The build links these with
// `--use abort=...` etc. (see servers/sdk/tools/asc-options.ts).
//
// abort must work when memory is exhausted (it is how allocation failures end),
// so it formats into a static buffer and allocates nothing.
import { wasmos_clock_ns, wasmos_debug_print } from "./imports";
import { print } from "./console";

const SCRATCH_SIZE: u32 = 256;
const scratch = memory.data(<i32>SCRATCH_SIZE);
let used: u32 = 0;

function flush(): void {
  wasmos_debug_print(scratch, used);
  used = 0;
}

function putByte(b: u32): void {
  if (used == SCRATCH_SIZE) flush();
  store<u8>(scratch + used, <u8>b);
  used++;
}

/** UTF-16 to UTF-8, byte by byte. */
function put(s: string): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = <u32>s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = <u32>s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) {
      putByte(c);
    } else if (c < 0x800) {
      putByte(0xc0 | (c >> 6));
      putByte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      putByte(0xe0 | (c >> 12));
      putByte(0x80 | ((c >> 6) & 0x3f));
      putByte(0x80 | (c & 0x3f));
    } else {
      putByte(0xf0 | (c >> 18));
      putByte(0x80 | ((c >> 12) & 0x3f));
      putByte(0x80 | ((c >> 6) & 0x3f));
      putByte(0x80 | (c & 0x3f));
    }
  }
}

function putU32(v: u32): void {
  if (v >= 10) putU32(v / 10);
  putByte(0x30 + (v % 10));
}

/** `abort`: assert(), throw, out-of-bounds array accesses, out of memory. Prints and traps. */
function wasmosAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  put("abort: ");
  put(message !== null ? message : "(no message)");
  if (fileName !== null) {
    put(" at ");
    put(fileName);
    putByte(0x3a);
    putU32(line);
    putByte(0x3a);
    putU32(column);
  }
  putByte(0x0a);
  flush();
  unreachable();
}

/** `trace(message, n, a0..a4)`: prints the message and the first n values. */
function wasmosTrace(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {
  let s = "trace: " + message;
  if (n > 0) s += " " + a0.toString();
  if (n > 1) s += " " + a1.toString();
  if (n > 2) s += " " + a2.toString();
  if (n > 3) s += " " + a3.toString();
  if (n > 4) s += " " + a4.toString();
  print(s + "\n");
}

/** `seed` for Math.random: guest time, so a run on the board stays reproducible. */
function wasmosSeed(): f64 {
  return <f64>wasmos_clock_ns();
}
