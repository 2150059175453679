// Runs the same image under QEMU (`-machine virt -bios none -nographic`) and
// times the whole process, start-up included: QEMU reports no instruction
// count and no time of its own.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const QEMU = 'qemu-system-riscv32';

export interface QemuRun {
  output: string;
  status: number | null;
  seconds: number;
}

let present: boolean | undefined;

export function hasQemu(): boolean {
  present ??= spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
  return present;
}

export function runOnQemu(elfPath: string, timeoutMs = 120_000): QemuRun {
  const start = performance.now();
  const r = spawnSync(QEMU, ['-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128', '-kernel', elfPath], {
    encoding: 'latin1', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`QEMU exited with ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  return { output: r.stdout, status: r.status, seconds };
}
