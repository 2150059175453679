import { describe, expect, it } from 'vitest';
import { parseBoardRunArgs, UsageError, type BoardRunOptions } from '../../src/cli/board-run-options.ts';

function parsed(args: string[]): BoardRunOptions {
  const r = parseBoardRunArgs(args);
  if (r === 'help') throw new Error('unexpected help');
  return r;
}

function usageError(args: string[]): string {
  try {
    parseBoardRunArgs(args);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no UsageError for ${args.join(' ')}`);
}

describe('wasmos board run options', () => {
  it('has QEMU-like defaults', () => {
    expect(parsed(['k.elf'])).toEqual({
      image: 'k.elf', bios: 'none', memMiB: undefined, initrd: undefined, append: undefined, drive: undefined,
      virtio: 'legacy', maxInsns: undefined, stats: false,
    });
  });

  it('takes every option, in any order', () => {
    expect(parsed([
      '--bios', 'sbi', '--mem', '256', 'k.elf', '--initrd', 'rd.img', '--append', 'console=ttyS0 quiet',
      '--drive', 'disk.img', '--virtio', 'modern', '--max-insns', '1000', '--stats',
    ])).toEqual({
      image: 'k.elf', bios: 'sbi', memMiB: 256, initrd: 'rd.img', append: 'console=ttyS0 quiet', drive: 'disk.img',
      virtio: 'modern', maxInsns: 1000, stats: true,
    });
    expect(parsed(['--mem=64', 'k.elf']).memMiB).toBe(64);
  });

  it('accepts k/M/G suffixes for --max-insns', () => {
    expect(parsed(['k', '--max-insns', '5k']).maxInsns).toBe(5000);
    expect(parsed(['k', '--max-insns', '500M']).maxInsns).toBe(500_000_000);
    expect(parsed(['k', '--max-insns', '2G']).maxInsns).toBe(2_000_000_000);
  });

  it('recognises help', () => {
    expect(parseBoardRunArgs(['--help'])).toBe('help');
    expect(parseBoardRunArgs(['k.elf', '-h'])).toBe('help');
  });

  it('rejects bad command lines with a clear message', () => {
    expect(usageError([])).toBe('missing IMAGE');
    expect(usageError(['a.elf', 'b.elf'])).toBe('unexpected argument "b.elf"');
    expect(usageError(['k', '--bios', 'opensbi'])).toBe('--bios must be none or sbi, not "opensbi"');
    expect(usageError(['k', '--virtio', 'pci'])).toBe('--virtio must be legacy or modern, not "pci"');
    expect(usageError(['k', '--mem', '0'])).toMatch(/^--mem needs a positive integer/);
    expect(usageError(['k', '--mem', '12M'])).toMatch(/^--mem needs a positive integer, not "12M"/);
    expect(usageError(['k', '--mem', '1.5'])).toMatch(/^--mem needs/);
    expect(usageError(['k', '--max-insns', '-5'])).toMatch(/max-insns/);
    expect(usageError(['k', '--max-insns', 'lots'])).toMatch(/^--max-insns needs a positive integer \(k, M, G/);
    expect(usageError(['k', '--max-insns', '99999999999999999'])).toMatch(/^--max-insns needs/);
    expect(usageError(['k', '--frobnicate'])).toMatch(/frobnicate/);
    expect(usageError(['k', '--mem'])).toMatch(/--mem/);
  });
});
