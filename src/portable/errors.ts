// Error codes and exit reasons, from the IDL's generated bindings, and the
// kernel's err_name (which names only WasmOS's own codes, -1..-13).
import { messageName } from '../idl/generated/messages.ts';

export {
  E_BAD_MODULE,
  E_DENIED,
  E_END,
  E_EXISTS,
  E_INVALID,
  E_IO,
  E_NOT_FOUND,
  E_UNSUPPORTED,
  EXIT_KILLED,
  EXIT_WASM_TRAP,
} from '../idl/generated/messages.ts';

/** "E_BAD_MODULE" for an error code, as the kernel's log lines name it. */
export function errorName(code: number): string {
  return messageName(code);
}
