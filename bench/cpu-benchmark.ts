// The CPU benchmark: the bare-metal workload in bench/guest (integer,
// mul/div, memory copy, sort, recursion, CRC32, atomics) on the board and,
// when installed, under QEMU; both must print the same checksums.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from './benchmark.ts';
import { runOnBoard, type BoardRun } from './board-runner.ts';
import { checksumMismatches, parseChecksums } from './checksums.ts';
import { hasQemu, runOnQemu, type QemuRun } from './qemu-runner.ts';

const ELF = fileURLToPath(new URL('./guest/workload.elf', import.meta.url));
/** Far more than the workload needs (about 0.55 G instructions). */
const MAX_CYCLES = 20_000_000_000;

const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

export const cpuBenchmark: Benchmark = {
  name: 'cpu',
  description: 'bare-metal rv32imac workload: alu, muldiv, memcpy, sort, recursion, crc32, atomics',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const image = new Uint8Array(readFileSync(ELF));
    const errors: string[] = [];

    const boardRuns: BoardRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = runOnBoard(image, { maxCycles: MAX_CYCLES });
      opts.log(`cpu: board run ${i + 1}/${opts.runs}: ${r.seconds.toFixed(3)} s`);
      boardRuns.push(r);
    }
    const b = best(boardRuns);
    const boardSums = parseChecksums(b.output);
    if (b.poweroffCode !== 0) errors.push(`board: workload powered off with code ${b.poweroffCode}`);
    if (!b.output.includes('bench: done')) errors.push('board: workload did not finish');
    if (boardRuns.some((r) => r.output !== b.output || r.instructions !== b.instructions)) {
      errors.push('board: runs differ from each other (the board must be deterministic)');
    }
    const instructions = b.instructions;
    const mips = (seconds: number): number => instructions / seconds / 1e6;

    let qemu: BenchmarkResult['qemu'] = null;
    let checksumsMatch: boolean | null = null;
    if (opts.qemu && hasQemu()) {
      const qemuRuns: QemuRun[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const r = runOnQemu(ELF);
        opts.log(`cpu: qemu run ${i + 1}/${opts.runs}: ${r.seconds.toFixed(3)} s`);
        qemuRuns.push(r);
      }
      const q = best(qemuRuns);
      qemu = { seconds: q.seconds, mips: mips(q.seconds) };
      const bad = checksumMismatches(boardSums, parseChecksums(q.output));
      checksumsMatch = bad.length === 0 && boardSums.size > 0;
      if (!checksumsMatch) errors.push(`checksums differ from QEMU's: ${bad.join(', ') || 'none printed'}`);
    } else if (opts.qemu) {
      opts.log('cpu: qemu-system-riscv32 not found; board only');
    }

    const board = { seconds: b.seconds, mips: mips(b.seconds) };
    return {
      name: this.name, instructions, board, qemu, checksumsMatch, errors,
      ratio: qemu ? board.mips / qemu.mips : null,
    };
  },
};
