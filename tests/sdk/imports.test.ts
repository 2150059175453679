// The SDK's two declarations of the kernel's imports (AssemblyScript
// imports.ts and C wasmos.h) must agree with each other and with the kernel's
// table (kernel/core/wasm_imports.c), and every committed program may import
// only those, with those signatures: the kernel refuses a module with any
// other import.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepo } from './helpers.ts';
import { formatSig, functionImports } from './wasm-imports.ts';

const AS_TYPES: Record<string, string> = { i32: 'i32', u32: 'i32', usize: 'i32', bool: 'i32', i64: 'i64', u64: 'i64' };

/** module.name -> signature, from servers/sdk/assembly/imports.ts. */
function asImports(): Map<string, string> {
  const out = new Map<string, string>();
  const text = readRepo('servers/sdk/assembly/imports.ts');
  for (const m of text.matchAll(/@external\("(\w+)", "(\w+)"\)\s*export declare function \w+\(([^)]*)\):\s*(\w+);/g)) {
    const params = m[3]!
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => AS_TYPES[p.split(':')[1]!.trim()] ?? `?${p}`);
    out.set(`${m[1]}.${m[2]}`, formatSig(params, m[4] === 'void' ? [] : [AS_TYPES[m[4]!] ?? `?${m[4]}`]));
  }
  return out;
}

function cType(decl: string): string {
  const t = decl.replace(/\b(const|restrict)\b/g, '').trim();
  if (t.includes('*')) return 'i32';
  const base = t.split(/\s+/)[0]!;
  return base === 'int64_t' || base === 'uint64_t' ? 'i64' : base === 'int32_t' || base === 'uint32_t' ? 'i32' : `?${base}`;
}

/** module.name -> signature, from servers/sdk/include/wasmos.h. */
function cImports(): Map<string, string> {
  const out = new Map<string, string>();
  const text = readRepo('servers/sdk/include/wasmos.h');
  for (const m of text.matchAll(/^WASMOS_IMPORT\("(\w+)", "(\w+)"\)([^;]*);/gm)) {
    const decl = m[3]!.replace(/__attribute__\(\(\w+\)\)/g, '').replace(/\s+/g, ' ').trim();
    const d = /^(.*?)\b(\w+)\((.*)\)$/.exec(decl);
    if (!d) throw new Error(`cannot read ${decl}`);
    const params = d[3]!.trim() === 'void' ? [] : d[3]!.split(',').map((p) => cType(p.replace(/\w+$/, '')));
    const ret = d[1]!.trim();
    out.set(`${m[1]}.${m[2]}`, formatSig(params, ret === 'void' ? [] : [cType(ret)]));
  }
  return out;
}

/**
 * module.name -> signature, from the kernel's tables of env/wasmos imports:
 * kernel/core/wasm_imports.c and the userland extensions in
 * kernel/core/wasm_sys_imports.c (WASI, a module the SDK does not declare,
 * has its own table).
 */
function kernelImports(): Map<string, string> {
  const out = new Map<string, string>();
  const letters = (s: string) => [...s].map((c) => (c === 'I' ? 'i64' : c === 'i' ? 'i32' : `?${c}`));
  for (const file of ['kernel/core/wasm_imports.c', 'kernel/core/wasm_sys_imports.c']) {
    for (const m of readRepo(file).matchAll(/\{ "(\w+)", "(\w+)", "(\w*)", "(\w*)", \w+ \}/g)) {
      out.set(`${m[1]}.${m[2]}`, formatSig(letters(m[3]!), letters(m[4]!)));
    }
  }
  return out;
}

/** wasi_snapshot_preview1.name -> signature, from the kernel's WASI table (kernel/core/wasi.c, module name as the macro W). */
function kernelWasiImports(): Map<string, string> {
  const out = new Map<string, string>();
  const letters = (s: string) => [...s].map((c) => (c === 'I' ? 'i64' : c === 'i' ? 'i32' : `?${c}`));
  for (const m of readRepo('kernel/core/wasi.c').matchAll(/\{ W, "(\w+)", "(\w*)", "(\w*)", \w+ \}/g)) {
    out.set(`wasi_snapshot_preview1.${m[1]}`, formatSig(letters(m[2]!), letters(m[3]!)));
  }
  return out;
}

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(`${dir}/${e.name}`) : e.name.endsWith('.wasm') ? [`${dir}/${e.name}`] : [],
  );
}

describe('the kernel imports as the SDK declares them', () => {
  const as = asImports();
  const c = cImports();

  it('are the same in AssemblyScript and C', () => {
    expect(as.size).toBe(35);
    expect([...c].sort()).toEqual([...as].sort());
    expect(as.get('env.ipc_call')).toBe('(i32, i32) -> i32');
    expect(as.get('env.ipc_reply')).toBe('(i32, i32) -> ()');
    expect(as.get('wasmos.clock_ns')).toBe('() -> i64');
    expect(as.get('wasmos.spawn')).toBe('(i32, i32, i32, i32, i32, i32, i32, i32) -> i32');
  });

  it("are exactly the kernel's, with its signatures", () => {
    const kernel = kernelImports();
    expect(kernel.size).toBe(35);
    expect(kernel.get('wasmos.mmio_read')).toBe('(i32, i32) -> i64');
    expect(kernel.get('wasmos.spawn_ex')).toBe('(i32) -> i32');
    expect([...as].sort()).toEqual([...kernel].sort());
  });

  it('are all a committed program imports (WASI programs: with the kernel WASI table signatures)', () => {
    const found = modules('servers/build');
    const wasi = kernelWasiImports();
    expect(found.length).toBeGreaterThanOrEqual(5);
    for (const path of found) {
      for (const imp of functionImports(new Uint8Array(readFileSync(join(ROOT, path))))) {
        const key = `${imp.module}.${imp.name}`;
        expect(imp.module === 'wasi_snapshot_preview1' ? wasi.get(key) : as.get(key), `${path}: ${key}`).toBe(imp.sig);
      }
    }
  });
});
