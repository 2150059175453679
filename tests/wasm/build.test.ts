// The runtime must build for the kernel exactly as the kernel builds it: every source listed in
// kernel/wasm/wasm.mk, freestanding rv32imafdc with -Werror, needing nothing from libc,
// libgcc/compiler-rt or a float library (only memcpy/memset/memmove, which the kernel provides).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeDir } from './harness.ts';
import { rv32Available } from './rv32.ts';

const KERNEL_FLAGS = ['--target=riscv32-unknown-elf', '-march=rv32imafdc', '-mabi=ilp32d', '-ffreestanding', '-nostdlib', '-O2', '-Wall', '-Wextra', '-Werror', '-c'];
const ALLOWED_EXTERNAL = new Set(['memcpy', 'memset', 'memmove']);

function mkSources(): string[] {
  const mk = readFileSync(join(runtimeDir, 'wasm.mk'), 'utf8');
  return [...mk.matchAll(/\$\(WASM_DIR\)\/([a-z0-9_]+\.c)/g)].map((m) => m[1]);
}

describe.skipIf(!rv32Available)('kernel target build', () => {
  it('wasm.mk lists every source file of the runtime', () => {
    const onDisk = readdirSync(runtimeDir).filter((f) => f.endsWith('.c')).sort();
    expect(mkSources().sort()).toEqual(onDisk);
  });

  for (const variant of [[], ['-DWASM_STRICT_ALIGN'], ['-Os'], ['-O0']]) {
    it(`every file compiles freestanding for rv32 with -Werror ${variant.join(' ')} and links against nothing but memcpy/memset/memmove`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'wasmos-wasm-build-'));
      const defined = new Set<string>();
      const undefinedSyms = new Set<string>();
      for (const src of mkSources()) {
        const obj = join(dir, src.replace(/\.c$/, '.o'));
        const r = spawnSync('clang-19', [...KERNEL_FLAGS, ...variant, '-std=c11', '-o', obj, join(runtimeDir, src)], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const nm = spawnSync('llvm-nm-19', [obj], { encoding: 'utf8' });
        for (const line of nm.stdout.split('\n')) {
          const m = /^\s*([0-9a-f]*)\s+([A-Za-z])\s+(\S+)$/.exec(line);
          if (!m) continue;
          if (m[2] === 'U') undefinedSyms.add(m[3]);
          else if (/[A-Z]/.test(m[2])) defined.add(m[3]);
        }
      }
      const external = [...undefinedSyms].filter((s) => !defined.has(s) && !ALLOWED_EXTERNAL.has(s));
      expect(external).toEqual([]);
      // The public interface is there; internal helpers are prefixed so they cannot clash with the kernel's.
      for (const api of ['wasm_load', 'wasm_instantiate', 'wasm_call', 'wasm_module_free', 'wasm_instance_free', 'wasm_trap_message']) expect(defined.has(api)).toBe(true);
      const unprefixed = [...defined].filter((s) => !/^(wasm_|w[a-z]*_|rd_)/.test(s));
      expect(unprefixed).toEqual([]);
    });
  }
});
