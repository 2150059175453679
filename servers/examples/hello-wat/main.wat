;; Hello in the WebAssembly text format: one import (wasmos.debug_print),
;; one memory, the greeting as a data segment, and the _start entry point.
;; Returning 0 from _start exits the task with code 0.
(module
  (import "wasmos" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from WAT on WasmOS!\n")
  (func (export "_start") (result i32)
    (call $print (i32.const 16) (i32.const 26))
    (i32.const 0)))
