// Boots the committed kernel image (public/kernel.elf) with the `selftest`
// bootarg, under QEMU (when installed) and on the board, and requires the
// kernel's summary line "selftest: N passed, 0 failed" and a clean power-off.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';

const IMAGE = fileURLToPath(new URL('../../public/kernel.elf', import.meta.url));
const SUMMARY = /^selftest: (\d+) passed, (\d+) failed\r?$/m;

const hasQemu = spawnSync('qemu-system-riscv32', ['--version'], { stdio: 'ignore' }).status === 0;

function bootQemu(bootargs: string): { out: string; status: number | null } {
  // -icount: guest time follows instructions (not the host clock) and idle time is skipped,
  // so the run does not depend on how busy the host is.
  const r = spawnSync('timeout', ['120', 'qemu-system-riscv32', '-machine', 'virt', '-bios', 'none', '-nographic',
    '-m', '128', '-icount', 'shift=3,sleep=off', '-kernel', IMAGE, '-append', bootargs],
  { encoding: 'latin1', maxBuffer: 16 << 20 });
  return { out: r.stdout, status: r.status };
}

function bootBoard(bootargs: string, bios: 'none' | 'sbi' = 'none'): { out: string; code: number | null } {
  const m = new Machine({ image: new Uint8Array(readFileSync(IMAGE)), bootargs, memMiB: 128, bios });
  const chunks: string[] = [];
  m.onSerial = (b) => { chunks.push(Buffer.from(b).toString('latin1')); };
  // Up to 400 M cycles; the self-test retires about 40 M instructions.
  for (let slice = 0; slice < 400; slice++) {
    const r = m.run(1_000_000);
    if (r.kind === 'poweroff') return { out: chunks.join(''), code: r.code };
    if (r.kind === 'reset') break;
  }
  return { out: chunks.join(''), code: null };
}

function summary(out: string): { passed: number; failed: number } {
  const m = SUMMARY.exec(out);
  expect(m, `no summary line in:\n${out}`).not.toBeNull();
  return { passed: Number(m![1]), failed: Number(m![2]) };
}

describe('kernel self-test', () => {
  let qemuSummary: { passed: number; failed: number } | undefined;

  it.skipIf(!hasQemu)('passes under qemu-system-riscv32 -bios none', () => {
    const { out, status } = bootQemu('selftest');
    const s = summary(out);
    expect(s.failed, out).toBe(0);
    expect(s.passed).toBeGreaterThan(200);
    expect(status).toBe(0);
    qemuSummary = s;
  });

  it('passes on the board, with the same summary as under QEMU', () => {
    const { out, code } = bootBoard('selftest');
    const s = summary(out);
    expect(s.failed, out).toBe(0);
    expect(s.passed).toBeGreaterThan(200);
    expect(code).toBe(0);
    if (qemuSummary) expect(s).toEqual(qemuSummary);
  });

  it('reports a kernel panic with reason, task and backtrace, then powers off with code 3', () => {
    const board = bootBoard('panictest');
    for (const out of [board.out, ...(hasQemu ? [bootQemu('panictest').out] : [])]) {
      expect(out).toContain('*** KERNEL PANIC: requested by the "panictest" bootarg');
      expect(out).toMatch(/task: 0 \(kernel\)/);
      expect(out).toMatch(/backtrace:\r?\n  #0 ra 0x8000[0-9a-f]{4}/);
    }
    expect(board.code).toBe(3);
    if (hasQemu) expect(bootQemu('panictest').status).toBe(3);
  });

  it('passes when started in S-mode by the board\'s SBI firmware', () => {
    const { out, code } = bootBoard('selftest', 'sbi');
    expect(out).toContain('SBI firmware');
    const s = summary(out);
    expect(s.failed, out).toBe(0);
    if (qemuSummary) expect(s).toEqual(qemuSummary);
    expect(code).toBe(0);
  });
});
