// WebAssembly text helpers shared by the Wasm task tests: every program gets
// $print (wasmos.debug_print), $puts (a NUL-terminated string) and $putd (an
// i32 in decimal); scratch space for numbers ends at address 60000.
/** Helpers every test program shares: print a string, print a number in decimal. */
const LIB = `
  (memory (export "memory") 1)
  (func $puts (param $p i32) (local $n i32)
    (block $e (loop $l (br_if $e (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
    (call $print (local.get $p) (local.get $n)))
  (func $putd (param $v i32) (local $p i32) (local $neg i32)
    (local.set $p (i32.const 60000))
    (local.set $neg (i32.lt_s (local.get $v) (i32.const 0)))
    (if (local.get $neg) (then (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $l (local.get $v)))
    (if (local.get $neg) (then (local.set $p (i32.sub (local.get $p) (i32.const 1))) (i32.store8 (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 60000) (local.get $p))))
`;

/** A module with the shared helpers; `imports` go first, as the text format requires. */
export const prog = (imports: string, body: string): string =>
  `(module (import "wasmos" "debug_print" (func $print (param i32 i32))) ${imports} ${LIB} ${body})`;

