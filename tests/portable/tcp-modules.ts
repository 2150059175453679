// Two Wasm apps in the text format that speak the tcpip messages of the IDL
// (raw layouts, no SDK): an echo server (listen on 8080, echo each read back,
// exit after the peer closes) and a client (connect to 127.0.0.1:PORT from
// argument 1, write a line, print what comes back until the peer closes).
import { wat } from './portable-run.ts';

// Offsets (message = {i32 type; i32 src; payload}): tcpip_listen.listen_port @8,
// *_reply.sock @8, tcpip_write {sock @8, data @12, data_len @1036},
// tcpip_read_reply {data @8, data_len @1032}, tcpip_data/closed.sock @8.
const COMMON = `
  (import "env" "ipc_lookup" (func $lookup (param i32) (result i32)))
  (import "env" "ipc_call" (func $call (param i32 i32) (result i32)))
  (import "env" "ipc_recv" (func $recv (param i32 i32) (result i32)))
  (import "wasmos" "debug_print" (func $print (param i32 i32)))
  (import "wasmos" "arg_get" (func $arg (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "tcpip\\00")
  (data (i32.const 16) "listening\\0a")
  (data (i32.const 32) "closed\\0a")
  (data (i32.const 48) "error\\0a")
  (data (i32.const 64) "hello from wasm\\0a")
  (global $svc (mut i32) (i32.const 0))
  (func $fail (result i32) (call $print (i32.const 48) (i32.const 6)) (i32.const 1))
  ;; m = 4096: requests; ev = 8192: events; w = 12288: writes
  (func $rpc (param $type i32) (param $sock i32) (result i32)
    (i32.store (i32.const 4096) (local.get $type))
    (i32.store (i32.const 4104) (local.get $sock))
    (if (i32.lt_s (call $call (global.get $svc) (i32.const 4096)) (i32.const 0)) (then (return (i32.const -1))))
    (i32.sub (i32.load (i32.const 4096)) (i32.add (local.get $type) (i32.const 1))))
  ;; write n bytes at src to sock
  (func $write (param $sock i32) (param $src i32) (param $n i32) (result i32) (local $i i32)
    (i32.store (i32.const 12288) (i32.const 57))
    (i32.store (i32.const 12296) (local.get $sock))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (i32.const 12300) (local.get $i)) (i32.load8_u (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))
    (i32.store (i32.const 13324) (local.get $n))
    (call $call (global.get $svc) (i32.const 12288)))
  ;; read sock into 4096 and print it; the length
  (func $readPrint (param $sock i32) (result i32) (local $n i32)
    (if (i32.ne (call $rpc (i32.const 59) (local.get $sock)) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $n (i32.load (i32.const 5128)))
    (call $print (i32.const 4104) (local.get $n))
    (local.get $n))
`;

export function echoServer(): Promise<Uint8Array> {
  return wat(`(module ${COMMON}
  (func (export "main") (result i32) (local $sock i32) (local $n i32)
    (global.set $svc (call $lookup (i32.const 0)))
    (if (i32.lt_s (global.get $svc) (i32.const 0)) (then (return (call $fail))))
    (i32.store16 (i32.const 4104) (i32.const 8080))
    (i32.store (i32.const 4096) (i32.const 53))
    (drop (call $call (global.get $svc) (i32.const 4096)))
    (if (i32.ne (i32.load (i32.const 4096)) (i32.const 54)) (then (return (call $fail))))
    (call $print (i32.const 16) (i32.const 10))
    (loop $events
      (drop (call $recv (i32.const -1) (i32.const 8192)))
      (local.set $sock (i32.load (i32.const 8200)))
      (if (i32.eq (i32.load (i32.const 8192)) (i32.const 64)) (then
        (drop (call $rpc (i32.const 55) (local.get $sock)))
        (call $print (i32.const 32) (i32.const 7))
        (return (i32.const 0))))
      (if (i32.eq (i32.load (i32.const 8192)) (i32.const 63)) (then
        (local.set $n (call $readPrint (local.get $sock)))
        (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (call $fail))))
        (if (i32.lt_s (call $write (local.get $sock) (i32.const 4104) (local.get $n)) (i32.const 0)) (then (return (call $fail))))))
      (br $events))
    (i32.const 0)))`);
}

export function client(): Promise<Uint8Array> {
  return wat(`(module ${COMMON}
  ;; argument 1 as a decimal number (the port)
  (func $port (result i32) (local $n i32) (local $i i32) (local $v i32)
    (local.set $n (call $arg (i32.const 1) (i32.const 256) (i32.const 16)))
    (block $done (loop $digits
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10))
        (i32.sub (i32.load8_u (i32.add (i32.const 256) (local.get $i))) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $digits)))
    (local.get $v))
  (func (export "main") (result i32) (local $sock i32)
    (global.set $svc (call $lookup (i32.const 0)))
    (if (i32.lt_s (global.get $svc) (i32.const 0)) (then (return (call $fail))))
    (i32.store (i32.const 4096) (i32.const 51))
    (i32.store (i32.const 4104) (i32.const 0x7f000001))
    (i32.store16 (i32.const 4108) (call $port))
    (drop (call $call (global.get $svc) (i32.const 4096)))
    (if (i32.ne (i32.load (i32.const 4096)) (i32.const 52)) (then (return (call $fail))))
    (local.set $sock (i32.load (i32.const 4104)))
    (if (i32.lt_s (call $write (local.get $sock) (i32.const 64) (i32.const 16)) (i32.const 0)) (then (return (call $fail))))
    (loop $events
      (drop (call $recv (i32.const -1) (i32.const 8192)))
      (if (i32.eq (i32.load (i32.const 8192)) (i32.const 64)) (then
        (drop (call $rpc (i32.const 55) (local.get $sock)))
        (call $print (i32.const 32) (i32.const 7))
        (return (i32.const 0))))
      (if (i32.eq (i32.load (i32.const 8192)) (i32.const 63)) (then
        (if (i32.lt_s (call $readPrint (local.get $sock)) (i32.const 0)) (then (return (call $fail))))))
      (br $events))
    (i32.const 0)))`);
}
