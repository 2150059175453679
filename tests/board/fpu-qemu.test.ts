// Differential test of the FPU against QEMU 7.2: the bare-metal program in
// tests/guest/fpu-vectors runs a few thousand vectors on QEMU's rv32gc and
// prints f0, t3 and fflags after each; execFp must produce the same bits.

import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board-run.ts';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FpRegs, execFp } from '../../src/board/cpu/fpu.ts';
import { F0_SENTINEL, VECTOR_WORDS, XRD, XRS1, generateVectors } from '../guest/fpu-vectors/gen-vectors.ts';

const ELF = fileURLToPath(new URL('../guest/fpu-vectors/fpu-vectors.elf', import.meta.url));
const hasQemu = spawnSync('qemu-system-riscv32', ['--version']).status === 0;

const hex = (v: number, n: number): string => (v >>> 0).toString(16).padStart(n, '0');

/** What execFp makes of vector i, in the guest's output format. */
function runLocally(v: Uint32Array, i: number): string {
  const o = i * VECTOR_WORDS;
  const fr = new FpRegs();
  const x = new Int32Array(32);
  fr.frm = v[o + 1]!;
  x[XRS1] = v[o + 2]!;
  x[XRD] = v[o + 3]!;
  fr.u32[0] = F0_SENTINEL[0];
  fr.u32[1] = F0_SENTINEL[1];
  for (let k = 0; k < 6; k++) fr.u32[2 + k] = v[o + 4 + k]!;
  const before = [...fr.u32, ...x, fr.fflags, fr.frm].join();
  if (execFp(v[o]!, fr, x) !== 0) {
    // An illegal instruction must leave every register and fflags as they were.
    return [...fr.u32, ...x, fr.fflags, fr.frm].join() === before ? 'ILLEGAL' : 'ILLEGAL but state changed';
  }
  return `${hex(fr.u32[1]!, 8)}${hex(fr.u32[0]!, 8)} ${hex(x[XRD]!, 8)} ${hex(fr.fflags, 2)}`;
}

function describeVector(v: Uint32Array, i: number): string {
  const w = Array.from(v.subarray(i * VECTOR_WORDS, (i + 1) * VECTOR_WORDS), (n) => hex(n, 8));
  return `#${i} insn ${w[0]} frm ${w[1]} x29 ${w[2]} f1 ${w[5]}${w[4]} f2 ${w[7]}${w[6]} f3 ${w[9]}${w[8]}`;
}

describe('FPU vectors', () => {
  const vectors = generateVectors();
  const count = vectors.length / VECTOR_WORDS;

  it('the committed ELF carries the current vector table (else run tests/guest/fpu-vectors/build.sh)', () => {
    const elf = readFileSync(ELF);
    expect(elf.indexOf(Buffer.from(vectors.buffer))).toBeGreaterThan(0);
  });

  it('has a few thousand vectors, of which a small part are illegal encodings', () => {
    let illegal = 0;
    for (let i = 0; i < count; i++) if (runLocally(vectors, i).startsWith('ILLEGAL')) illegal++;
    expect(count).toBeGreaterThan(3000);
    expect(illegal).toBeGreaterThan(50);
    expect(illegal).toBeLessThan(150);
  });

  it(`the whole program on the board prints what execFp computes for all ${count} vectors`, () => {
    const run = runBoard(new Uint8Array(readFileSync(ELF)), { maxCycles: 500_000_000 });
    expect(run.error).toBeNull();
    expect(run.stop).toEqual({ kind: 'poweroff', code: 0 });
    const lines = new TextDecoder().decode(run.output).split(/\r?\n/);
    const begin = lines.findIndex((l) => l.startsWith('BEGIN '));
    expect(begin).toBeGreaterThanOrEqual(0);
    const mismatches: string[] = [];
    for (let i = 0; i < count; i++) {
      const mine = runLocally(vectors, i);
      if (mine !== lines[begin + 1 + i]) mismatches.push(`${describeVector(vectors, i)}: board ${lines[begin + 1 + i]} execFp ${mine}`);
    }
    expect(mismatches.slice(0, 40)).toEqual([]);
    expect(lines[begin + 1 + count]).toBe('END');
  });

  describe.skipIf(!hasQemu)('against qemu-system-riscv32', () => {
    it(`matches QEMU bit for bit on all ${count} vectors`, () => {
      const out = execFileSync('qemu-system-riscv32',
        ['-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128', '-kernel', ELF],
        { timeout: 60_000, encoding: 'utf8', maxBuffer: 64 << 20 });
      const lines = out.split(/\r?\n/);
      const begin = lines.findIndex((l) => l.startsWith('BEGIN '));
      expect(begin, out.slice(0, 500)).toBeGreaterThanOrEqual(0);
      expect(parseInt(lines[begin]!.slice(6), 16)).toBe(count);
      const got = lines.slice(begin + 1, begin + 1 + count);
      expect(lines[begin + 1 + count]).toBe('END');
      const mismatches: string[] = [];
      for (let i = 0; i < count; i++) {
        const mine = runLocally(vectors, i);
        if (mine !== got[i]) mismatches.push(`${describeVector(vectors, i)}: qemu ${got[i]} ours ${mine}`);
      }
      console.log(`fpu-qemu: ${count} vectors compared, ${mismatches.length} mismatches`);
      expect(mismatches.slice(0, 40)).toEqual([]);
    });
  });
});
