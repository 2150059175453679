// The board against QEMU: every bare-metal program in tests/guest/bin runs on
// qemu-system-riscv32 (virt, -bios none) and on the board, and the two serial
// transcripts and power-off codes must be identical. The QEMU half is skipped
// only when QEMU is not installed (CI installs it).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDifference, runBoard } from '../helpers/board-run.ts';
import { hasQemu, runQemu, type QemuResult } from '../helpers/qemu.ts';

const GUEST = fileURLToPath(new URL('../guest/', import.meta.url));
const programs = readdirSync(`${GUEST}bin`).filter((f) => f.endsWith('.elf')).map((f) => f.slice(0, -4)).sort();

const qemuRuns = new Map<string, Promise<QemuResult>>();
function qemu(name: string): Promise<QemuResult> {
  let run = qemuRuns.get(name);
  if (!run) {
    run = runQemu(`${GUEST}bin/${name}.elf`, { timeoutMs: 60_000 });
    qemuRuns.set(name, run);
  }
  return run;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('guest programs', () => {
  it('there are programs to compare', () => {
    expect(programs.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasQemu())('board vs QEMU', () => {
  describe.each(programs)('%s', (name) => {
    it('runs to its PASS marker on QEMU and powers off with success', async () => {
      const q = await qemu(name);
      expect(q.timedOut, 'QEMU timed out').toBe(false);
      const out = text(q.stdout);
      expect(out.endsWith('\nPASS\n'), `transcript does not end with PASS:\n${out.slice(-400)}`).toBe(true);
      expect(q.status).toBe(0);
    });

    it('the committed reference transcript is what QEMU prints (else: tests/guest/build.sh --record)', async () => {
      const q = await qemu(name);
      const recorded = new Uint8Array(readFileSync(`${GUEST}expected/${name}.out`));
      expect(firstDifference(q.stdout, recorded, ['QEMU', 'expected/'])).toBeNull();
    });

    it('prints byte-for-byte what QEMU prints and powers off the same way', async () => {
      const q = await qemu(name);
      const b = runBoard(new Uint8Array(readFileSync(`${GUEST}bin/${name}.elf`)));
      expect(b.error, 'the board threw').toBeNull();
      expect(firstDifference(q.stdout, b.output, ['QEMU', 'board'])).toBeNull();
      expect(b.stop).toEqual({ kind: 'poweroff', code: q.status });
    });
  });
});
