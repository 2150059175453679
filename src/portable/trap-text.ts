// The kernel's words for a trap (kernel/wasm/instance.c), from what V8 says:
// "out of bounds memory access in module 'trap', function 'main' (#16), at
// code offset 0xc37". V8's stack gives the function index and the byte offset
// in the module, which is what the kernel reports too; the name comes from the
// module's name section, like the kernel's.
import type { ModuleInfo } from './module-info.ts';

/** What the worker reports when the app's code stops abnormally. */
export interface TrapReport {
  /** wasm: a Wasm trap; stack: call stack exhausted; host: a host function failed; js: anything else. */
  kind: 'wasm' | 'stack' | 'host' | 'js';
  message: string;
  stack: string;
}

// V8's RuntimeError messages -> the kernel's wasm_status_text.
const STATUS: [RegExp, string][] = [
  [/memory access out of bounds/, 'out of bounds memory access'],
  [/unreachable/, 'unreachable executed'],
  [/divide by zero|remainder by zero/, 'integer divide by zero'],
  [/divide result unrepresentable|integer overflow/, 'integer overflow'],
  [/float unrepresentable|invalid conversion/, 'invalid conversion to integer'],
  [/table index is out of bounds|table access/, 'out of bounds table access'],
  [/null function|uninitialized element/, 'uninitialized element (null function)'],
  [/signature mismatch/, 'indirect call type mismatch'],
  [/Maximum call stack size exceeded/, 'call stack exhausted'],
];

function where(r: TrapReport, module: string, info: ModuleInfo): string {
  const f = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(r.stack);
  if (!f) return `in module '${module}'`;
  const idx = Number(f[1]);
  const name = info.names.get(idx);
  const fn = name !== undefined ? `function '${name}' (#${idx})` : `function #${idx}`;
  return `in module '${module}', ${fn}, at code offset 0x${f[2]}`;
}

/** The text after "trapped: " in the kernel's "task N (name) trapped: ..." line. */
export function trapText(r: TrapReport, module: string, info: ModuleInfo): string {
  if (r.kind === 'host') return `host function failed: ${r.message} (called ${where(r, module, info)})`;
  if (r.kind === 'js') return `host error: ${r.message}`;
  const status = STATUS.find(([re]) => re.test(r.message))?.[1] ?? r.message;
  if (r.kind === 'stack') return status;
  return `${status} ${where(r, module, info)}`;
}
