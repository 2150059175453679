// Small modules in the Wasm text format for the error cases: imports WasmOS
// refuses, and a service nobody provides. The same binaries go into the OS
// (as /boot files) and to `wasmos run`.
import { wat } from './portable-run.ts';

const MAIN = `(memory (export "memory") 1) (func (export "main") (result i32) (i32.const 0))`;

export async function badImportModules(): Promise<Record<string, Uint8Array>> {
  return {
    'badimport.wasm': await wat(`(module (import "env" "foo" (func)) ${MAIN})`),
    'badsig.wasm': await wat(`(module (import "env" "ipc_call" (func (param i32) (result i32))) ${MAIN})`),
    'badmodule.wasm': await wat(`(module (import "posix" "open" (func (param i32) (result i32))) ${MAIN})`),
    'noentry.wasm': await wat(`(module (memory (export "memory") 1) (func (export "start")))`),
  };
}

/** Looks up "nosuch" without waiting and prints the outcome: "lookup nosuch: E_NOT_FOUND". */
export function noServiceModule(): Promise<Uint8Array> {
  return wat(`(module
    (import "wasmos" "service_lookup" (func $lookup (param i32 i32) (result i32)))
    (import "wasmos" "debug_print" (func $print (param i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "nosuch\\00")
    (data (i32.const 32) "lookup nosuch: E_NOT_FOUND\\0a")
    (data (i32.const 64) "lookup nosuch: something else\\0a")
    (func (export "main") (result i32)
      (if (result i32) (i32.eq (call $lookup (i32.const 16) (i32.const 0)) (i32.const -11))
        (then (call $print (i32.const 32) (i32.const 27)) (i32.const 0))
        (else (call $print (i32.const 64) (i32.const 30)) (i32.const 1)))))`);
}
