// The page's kernel.elf is stripped at build time (src/ui/build/strip-elf.ts):
// it must load as the original does, byte for byte where it matters, and boot
// to the same console at the same instruction counts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImage } from '../../../src/board/elf.ts';
import { Machine } from '../../../src/board/machine.ts';
import { StripError, stripElf32 } from '../../../src/ui/build/strip-elf.ts';
import { KERNEL_PATH } from '../fixtures/selftest-trace.ts';

const kernel = new Uint8Array(readFileSync(KERNEL_PATH));

function consoleOf(image: Uint8Array, instructions: number): string {
  const m = new Machine({ image, bootargs: 'selftest', memMiB: 64 });
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  while (m.instret < instructions) if (m.run(1_000_000).kind === 'poweroff') break;
  return `${out}\n@${m.instret}`;
}

describe('stripElf32', () => {
  it('drops the section headers and symbols, keeps what the loader reads at the same offsets', () => {
    const stripped = stripElf32(kernel);
    expect(stripped.length).toBeLessThan(kernel.length * 0.8);
    const v = new DataView(stripped.buffer);
    expect([v.getUint32(32, true), v.getUint16(48, true), v.getUint16(50, true)]).toEqual([0, 0, 0]);
    const a = parseImage(kernel, 0x80000000);
    const b = parseImage(stripped, 0x80000000);
    expect(b.entry).toBe(a.entry);
    expect(b.segments.map((s) => [s.paddr, s.memsz, Buffer.from(s.data).toString('hex')]))
      .toEqual(a.segments.map((s) => [s.paddr, s.memsz, Buffer.from(s.data).toString('hex')]));
  });

  it('boots the self-test to the same console at the same instruction counts', () => {
    const original = consoleOf(kernel, 100_000_000);
    expect(original).toMatch(/selftest: \d+ passed, 0 failed/);
    expect(consoleOf(stripElf32(kernel), 100_000_000)).toBe(original);
  }, 120_000);

  it('refuses what it cannot strip with a clear error', () => {
    expect(() => stripElf32(new Uint8Array(100))).toThrow(StripError);
    const elf64 = kernel.slice();
    elf64[4] = 2;
    expect(() => stripElf32(elf64)).toThrow(/ELF32/);
    const cut = kernel.slice(0, 0x2000);
    expect(() => stripElf32(cut)).toThrow(/past the end/);
  });
});
