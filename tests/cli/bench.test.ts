// `wasmos bench` end to end: the CPU workload runs on the board, and when
// QEMU is installed (CI installs it) both print the same checksums.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksumMismatches, parseChecksums } from '../../bench/checksums.ts';
import { hasQemu } from '../../bench/qemu-runner.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('bench checksums', () => {
  it('parses one checksum per kernel and finds differences', () => {
    const a = parseChecksums('bench: start\nchecksum alu 0x0000abcd\nchecksum sort 0x12345678\r\nnoise checksum x 0x1\n');
    expect([...a]).toEqual([['alu', '0x0000abcd'], ['sort', '0x12345678']]);
    expect(checksumMismatches(a, parseChecksums('checksum alu 0x0000abcd\nchecksum sort 0x12345678\n'))).toEqual([]);
    expect(checksumMismatches(a, parseChecksums('checksum alu 0x0000abce\n'))).toEqual(['alu', 'sort']);
  });
});

describe('wasmos bench', () => {
  it(`runs the CPU workload${hasQemu() ? ' and agrees with QEMU' : ' (no QEMU here: board only)'}`, () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/wasmos.js'), 'bench', '--runs', '1'], {
      encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+instructions\s+board s\s+board MIPS\s+qemu s\s+qemu MIPS\s+board\/qemu\s+checksums$/);
    expect(r.stdout).toContain("QEMU MIPS = the board's instruction count");
    const json = JSON.parse(lines[lines.length - 1]!);
    expect(json.targetMips).toBe(300);
    const [cpu] = json.results;
    expect(cpu.name).toBe('cpu');
    expect(cpu.errors).toEqual([]);
    expect(cpu.instructions).toBeGreaterThan(300_000_000);
    expect(cpu.board.mips).toBeGreaterThan(0);
    if (hasQemu()) {
      expect(cpu.checksumsMatch).toBe(true);
      expect(cpu.ratio).toBeGreaterThan(0);
    } else {
      expect(cpu.checksumsMatch).toBe(null);
      expect(cpu.qemu).toBe(null);
    }
  });
});
