// Board configurations beyond the default: the ACLINT layout, guest-requested
// reset, bad configurations, and the guarantee that nothing the guest does
// escapes as a JavaScript exception.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BoardError, Machine } from '../../src/board/machine.ts';
import { runBoard } from '../helpers/board-run.ts';

const guest = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../guest/bin/${name}.elf`, import.meta.url)));
const expected = (name: string): string => readFileSync(new URL(`../guest/expected/${name}.out`, import.meta.url), 'latin1');

/** Assembles a raw image from 32-bit words. */
const raw = (...words: number[]): Uint8Array => new Uint8Array(new Uint32Array(words).buffer);

describe('machine', () => {
  it('runs the interrupt program identically with the ACLINT layout (same addresses as the CLINT)', () => {
    const run = runBoard(guest('interrupts'), { config: { aclint: true } });
    expect(run.error).toBeNull();
    expect(new TextDecoder('latin1').decode(run.output)).toBe(expected('interrupts'));
    expect(run.poweroffCode).toBe(0);
  });

  it('resets itself when the guest writes 0x7777 to the test device, reloading the image', () => {
    // lui t0, 0x100; lui t1, 0x7; addi t1, t1, 0x777; sw t1, 0(t0); (then spin)
    const m = new Machine({ image: raw(0x001002b7, 0x00007337, 0x77730313, 0x0062a023, 0x0000006f) });
    expect(m.run(1000)).toEqual({ kind: 'reset' });
    const after = m.cycles;
    expect(m.hart.pc).toBe(0x80000000 | 0);
    expect(m.run(1000)).toEqual({ kind: 'reset' });
    expect(m.cycles).toBeGreaterThan(after);
  });

  it('powers off with the failure code of a (code << 16) | 0x3333 write and stays off', () => {
    // lui t0, 0x100; lui t1, 0x2a; addi t1, t1, 0x333 ... 0x2a3333 needs lui 0x2a3 + addi 0x333
    const m = new Machine({ image: raw(0x001002b7, 0x002a3337, 0x33330313, 0x0062a023, 0x0000006f) });
    expect(m.run(1000)).toEqual({ kind: 'poweroff', code: 42 });
    expect(m.run(1000)).toEqual({ kind: 'poweroff', code: 42 });
  });

  it('reports idle with the wake-up time when the guest waits with no timer armed', () => {
    // csrw mie, zero; wfi; j .-4
    const m = new Machine({ image: raw(0x30401073, 0x10500073, 0xffdff06f) });
    const stop = m.run(10_000);
    expect(stop).toEqual({ kind: 'idle', until: Infinity });
    expect(m.cycles).toBe(10_000);
  });

  it('refuses bad configurations with a clear error', () => {
    expect(() => new Machine({ image: raw(0x6f), memMiB: 3 })).toThrow(BoardError);
    expect(() => new Machine({ image: raw(0x6f), memMiB: 16, initrd: new Uint8Array(20 << 20) })).toThrow(/initrd .* does not fit/);
  });

  it('never throws for garbage images, jumps to nowhere or execution of MMIO', () => {
    const images = [
      raw(0xffffffff, 0x00000000),
      raw(0x000010b7, 0x00008067), // lui ra, 0x1; ret → fetch from 0x1000 (no memory there)
      raw(0x100000b7, 0x00008067), // jump to the UART
      new Uint8Array(64),
    ];
    for (const image of images) {
      const m = new Machine({ image, memMiB: 16 });
      expect(() => m.run(100_000)).not.toThrow();
    }
  });
});
