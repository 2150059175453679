// Runs the Wasm runtime's test driver on rv32 (bare metal under qemu-system-riscv32, virt
// machine, the board's ISA): the same script protocol as the native driver, with the script
// linked into the image.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBoard } from '../helpers/board-run.ts';
import { repoRoot, runtimeDir } from './harness.ts';

const here = join(repoRoot, 'tests/wasm');
const rvDir = join(here, 'rv32');
const CC = 'clang-19';
const QEMU = 'qemu-system-riscv32';
// The hart the board implements (no H, Sstc or Zb*), as in tests/guest.
const QEMU_CPU = 'rv32,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

// clang-19 links with its own lld (package lld-19); llvm-nm-19 comes with llvm-19.
export const rv32Available = has(CC) && has(QEMU) && has('llvm-nm-19');

const TARGET = ['--target=riscv32-unknown-elf', '-march=rv32imafdc', '-mabi=ilp32d', '-ffreestanding', '-nostdlib', '-fno-pic', '-mno-relax', '-ffp-contract=off'];

let objects: string[] | null = null;
let objDir = '';

function compileObjects(): string[] {
  if (objects) return objects;
  const srcs = [
    ...readdirSync(runtimeDir).filter((f) => f.endsWith('.c')).map((f) => join(runtimeDir, f)),
    join(rvDir, 'driver.c'),
    join(rvDir, 'crt0.S'),
    join(here, 'bench/bench.c'),
    // memcpy/memmove/memset (the runtime calls them, wasm.mk): the kernel's own, so the driver's
    // instruction counts match the kernel's.
    join(repoRoot, 'kernel/lib/string.c'),
  ];
  const h = createHash('sha256');
  for (const f of [...srcs, ...readdirSync(runtimeDir).filter((f) => f.endsWith('.h')).map((f) => join(runtimeDir, f))]) h.update(readFileSync(f));
  objDir = join(tmpdir(), `wasmos-wasm-rv32-${h.digest('hex').slice(0, 16)}`);
  mkdirSync(objDir, { recursive: true });
  objects = srcs.map((src) => {
    const out = join(objDir, src.replace(/[^A-Za-z0-9]/g, '_') + '.o');
    if (!existsSync(out)) {
      const r = spawnSync(CC, [...TARGET, '-O2', '-Wall', '-Wextra', '-Werror', '-I', runtimeDir, '-I', join(repoRoot, 'kernel'), '-c', src, '-o', out], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`rv32 build of ${src} failed:\n${r.stderr}`);
    }
    return out;
  });
  return objects;
}

/** Links the driver with `lines` as its script; returns the ELF image's path. */
export function buildRv32Image(lines: string[]): string {
  const objs = compileObjects();
  const id = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  const script = join(objDir, `script-${id}.txt`);
  const asm = join(objDir, `script-${id}.S`);
  const elf = join(objDir, `image-${id}.elf`);
  writeFileSync(script, lines.join('\n') + '\n');
  writeFileSync(
    asm,
    `  .section .rodata.script, "a"\n  .globl script_start\n  .globl script_end\nscript_start:\n  .incbin "${script}"\nscript_end:\n`,
  );
  const link = spawnSync(CC, [...TARGET, '-fuse-ld=lld', `-Wl,-T,${join(rvDir, 'link.ld')}`, '-o', elf, ...objs, asm], { encoding: 'utf8' });
  if (link.status !== 0) throw new Error(`rv32 link failed:\n${link.stderr}`);
  return elf;
}

/** Splits the driver's serial output into answer lines, checking there is one per command. */
export function answers(text: string, lines: string[]): string[] {
  const out = text.replace(/\r/g, '').split('\n');
  if (out[out.length - 1] === '') out.pop();
  if (out.length !== lines.filter((l) => l.length > 0).length) throw new Error(`rv32 driver answered ${out.length} of ${lines.length} commands: ${out.slice(-3).join(' | ')}`);
  return out;
}

/**
 * The native tier's hotness threshold for a run ('1': every function is compiled at its first
 * call, so the conformance tests run native code; 'off': the interpreter only; undefined: the
 * runtime's default). Prepends the driver's `jit` command; its answer is dropped.
 */
export type JitMode = string | undefined;
function withJit(lines: string[], jit: JitMode): string[] {
  return jit === undefined ? lines : [`jit ${jit}`, ...lines];
}
function dropJit(out: string[], jit: JitMode): string[] {
  if (jit === undefined) return out;
  if (out[0] !== 'ok') throw new Error(`rv32 driver refused jit ${jit}: ${out[0]}`);
  return out.slice(1);
}

/** Links the driver with `lines` as its script and runs it under QEMU; returns the answer lines. */
export function runRv32(lines: string[], opts: { icount?: boolean; timeoutMs?: number; jit?: JitMode } = {}): string[] {
  const out = runRv32Raw(withJit(lines, opts.jit), opts);
  return dropJit(out, opts.jit);
}

function runRv32Raw(lines: string[], opts: { icount?: boolean; timeoutMs?: number }): string[] {
  const elf = buildRv32Image(lines);
  const args = ['-machine', 'virt', '-cpu', QEMU_CPU, '-bios', 'none', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf];
  if (opts.icount) args.push('-icount', 'shift=0');
  const r = spawnSync(QEMU, args, { encoding: 'utf8', maxBuffer: 1 << 30, timeout: opts.timeoutMs ?? 600_000, input: '' });
  if (r.status !== 0) throw new Error(`qemu exited with ${r.status} ${r.signal ?? ''}: ${r.stderr}\n${r.stdout.slice(-2000)}`);
  return answers(r.stdout, lines);
}

/** Runs the same image on the playground's board (src/board) instead of QEMU. */
export function runOnBoard(lines: string[], maxCycles = 4_000_000_000, jit?: JitMode): string[] {
  const all = withJit(lines, jit);
  const image = new Uint8Array(readFileSync(buildRv32Image(all)));
  const r = runBoard(image, { maxCycles, sliceCycles: 5_000_000 });
  if (r.error) throw new Error(`board error: ${r.error}`);
  if (r.poweroffCode !== 0) throw new Error(`board stopped with ${JSON.stringify(r.stop)}`);
  return dropJit(answers(new TextDecoder().decode(r.output), all), jit);
}
