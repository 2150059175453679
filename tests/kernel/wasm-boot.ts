// Boots the committed kernel (public/kernel.elf) with a boot archive of Wasm
// modules, on the board or under QEMU, for the tests/kernel/wasm-*.test.ts
// tests. The kernel's boot task logs what it starts and how each task ends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../../src/board/machine.ts';
import { bootArchive, type ManifestTask } from '../../src/host/boot-archive.ts';

/** The committed image; WASMOS_KERNEL=kernel/build-debug/kernel.elf runs the tests on the UBSan build. */
export const KERNEL = process.env.WASMOS_KERNEL ?? fileURLToPath(new URL('../../public/kernel.elf', import.meta.url));
const kernelImage = new Uint8Array(readFileSync(KERNEL));

export const hasQemu = spawnSync('qemu-system-riscv32', ['--version'], { stdio: 'ignore' }).status === 0;

export interface BootResult {
  out: string;
  /** Power-off code, or null when the run stopped for another reason. */
  code: number | null;
  /** Guest instructions retired. */
  instret: number;
}

export interface BootOptions {
  bootargs?: string;
  /** Guest cycles before giving up (default 400 M). */
  maxCycles?: number;
  /** Stop as soon as the console output satisfies this. */
  until?: (out: string) => boolean;
}

/** Boots the board with `initrd` as the boot archive. */
export function bootBoard(initrd: Uint8Array, opts: BootOptions = {}): BootResult {
  const m = new Machine({ image: kernelImage, initrd, bootargs: opts.bootargs ?? '', memMiB: 128 });
  const chunks: string[] = [];
  m.onSerial = (b) => { chunks.push(Buffer.from(b).toString('latin1')); };
  const max = opts.maxCycles ?? 400_000_000;
  let code: number | null = null;
  while (m.cycles < max) {
    const r = m.run(2_000_000);
    if (r.kind === 'poweroff') {
      code = r.code;
      break;
    }
    if (r.kind === 'reset' || (r.kind === 'idle' && r.until === Infinity)) break;
    if (opts.until && opts.until(chunks.join(''))) break;
  }
  return { out: chunks.join('').replace(/\r/g, ''), code, instret: m.instret };
}

/** Boots the board with an archive of `modules` whose manifest starts `tasks`. */
export function bootTasks(modules: Record<string, Uint8Array>, tasks: ManifestTask[], opts: BootOptions = {}): BootResult {
  return bootBoard(bootArchive(modules, tasks), opts);
}

/** The same under qemu-system-riscv32 (-bios none, -initrd); QEMU's instruction count is not known. */
export function bootQemu(initrd: Uint8Array, opts: { bootargs?: string; timeoutS?: number } = {}): { out: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-initrd-'));
  try {
    const file = join(dir, 'initrd.bin');
    writeFileSync(file, initrd);
    const r = spawnSync('timeout', [String(opts.timeoutS ?? 120), 'qemu-system-riscv32', '-machine', 'virt', '-bios', 'none',
      '-nographic', '-m', '128', '-icount', 'shift=3,sleep=off', '-kernel', KERNEL, '-initrd', file, '-append', opts.bootargs ?? ''],
    { encoding: 'latin1', maxBuffer: 64 << 20 });
    return { out: r.stdout.replace(/\r/g, ''), status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The "boot: memory: ..." figures at start and after the last task exited. */
export function memoryFigures(out: string): { start: [number, number]; end: [number, number] } | null {
  const start = /^boot: memory: heap (\d+) bytes in use, (\d+) pages free$/m.exec(out);
  const end = /^boot: all tasks exited; memory: heap (\d+) bytes in use, (\d+) pages free$/m.exec(out);
  if (!start || !end) return null;
  return { start: [Number(start[1]), Number(start[2])], end: [Number(end[1]), Number(end[2])] };
}

/** Task id the boot task gave `name` ("boot: started "name" ... as task N"). */
export function taskId(out: string, name: string): number {
  const m = new RegExp(`^boot: started "${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" .* as task (\\d+):`, 'm').exec(out);
  if (!m) throw new Error(`task "${name}" was not started:\n${out}`);
  return Number(m[1]);
}

/** How task `name` ended, as the boot task logged it ("0", "wasm trap", ...), or null. */
export function exitOf(out: string, name: string): string | null {
  const m = new RegExp(`^boot: task \\d+ \\(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) exited: (.*)$`, 'm').exec(out);
  return m ? m[1]! : null;
}
