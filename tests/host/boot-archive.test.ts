// The boot archive writer/reader and the manifest format (src/host/boot-archive.ts):
// round trips, the exact binary layout the kernel reads, and refusal of every
// kind of damage the kernel's reader also refuses.
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_MAGIC, BootArchiveError, ENTRY_SIZE, HEADER_SIZE, MANIFEST_FILE, ManifestError, NAME_MAX,
  bootArchive, parseManifest, readBootArchive, writeBootArchive, writeManifest, type ManifestTask,
} from '../../src/host/boot-archive.ts';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('boot archive', () => {
  it('lays out header, table and 4-byte aligned data', () => {
    const a = writeBootArchive([{ name: 'a.wasm', data: bytes(1, 2, 3) }, { name: 'b', data: bytes(9) }]);
    const dv = new DataView(a.buffer);
    expect(dv.getUint32(0, true)).toBe(ARCHIVE_MAGIC);
    expect(new TextDecoder().decode(a.subarray(0, 4))).toBe('WBAR');
    expect(dv.getUint32(4, true)).toBe(1);
    expect(dv.getUint32(8, true)).toBe(2);
    expect(dv.getUint32(12, true)).toBe(a.length);
    const e0 = HEADER_SIZE;
    const e1 = HEADER_SIZE + ENTRY_SIZE;
    expect(new TextDecoder().decode(a.subarray(e0, e0 + 6))).toBe('a.wasm');
    expect(a[e0 + 6]).toBe(0);
    const off0 = dv.getUint32(e0 + NAME_MAX, true);
    const off1 = dv.getUint32(e1 + NAME_MAX, true);
    expect(off0).toBe(HEADER_SIZE + 2 * ENTRY_SIZE);
    expect(dv.getUint32(e0 + NAME_MAX + 4, true)).toBe(3);
    expect(off1).toBe(off0 + 4);
    expect(off1 % 4).toBe(0);
    expect([...a.subarray(off0, off0 + 3)]).toEqual([1, 2, 3]);
    expect(a[off1]).toBe(9);
    expect(a.length % 4).toBe(0);
  });

  it('round-trips files of every size, including empty ones and UTF-8 names', () => {
    const files = [0, 1, 2, 3, 4, 5, 1000, 4097].map((n, i) => ({
      name: i === 3 ? 'dåta/é.bin' : `f${i}`,
      data: Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) & 255),
    }));
    const back = readBootArchive(writeBootArchive(files));
    expect(back.map((f) => f.name)).toEqual(files.map((f) => f.name));
    back.forEach((f, i) => expect([...f.data]).toEqual([...files[i]!.data]));
    expect(readBootArchive(writeBootArchive([]))).toEqual([]);
  });

  it('reads an archive that sits inside a larger buffer (the initrd may be padded)', () => {
    const a = writeBootArchive([{ name: 'x', data: bytes(5, 6) }]);
    const padded = new Uint8Array(a.length + 100);
    padded.set(a);
    expect(readBootArchive(padded.subarray(0, a.length + 37))[0]!.data).toEqual(bytes(5, 6));
  });

  it('refuses names the kernel cannot hold and duplicates', () => {
    expect(() => writeBootArchive([{ name: '', data: bytes() }])).toThrow(BootArchiveError);
    expect(() => writeBootArchive([{ name: 'x'.repeat(NAME_MAX), data: bytes() }])).toThrow(/1\.\.55 bytes/);
    expect(() => writeBootArchive([{ name: 'a\0b', data: bytes() }])).toThrow(/NUL/);
    expect(() => writeBootArchive([{ name: 'a', data: bytes() }, { name: 'a', data: bytes() }])).toThrow(/duplicate/);
    expect(writeBootArchive([{ name: 'x'.repeat(NAME_MAX - 1), data: bytes(1) }]).length).toBeGreaterThan(0);
  });

  it('refuses damaged archives with the reason, as the kernel does', () => {
    const good = writeBootArchive([{ name: 'a', data: bytes(1, 2, 3, 4) }, { name: 'b', data: bytes(5) }]);
    const damaged = (f: (dv: DataView, b: Uint8Array) => void): Uint8Array => {
      const b = good.slice();
      f(new DataView(b.buffer), b);
      return b;
    };
    const e1 = HEADER_SIZE + ENTRY_SIZE;
    const cases: [string, Uint8Array, RegExp][] = [
      ['short', good.subarray(0, 10), /too short/],
      ['magic', damaged((dv) => dv.setUint32(0, 0x12345678, true)), /bad magic/],
      ['version', damaged((dv) => dv.setUint32(4, 2, true)), /version 2/],
      ['size beyond the buffer', damaged((dv) => dv.setUint32(12, good.length + 4, true)), /does not fit/],
      ['size below the header', damaged((dv) => dv.setUint32(12, 8, true)), /does not fit/],
      ['table too long', damaged((dv) => dv.setUint32(8, 1000, true)), /file table/],
      ['name not terminated', damaged((_, b) => b.fill(65, e1, e1 + NAME_MAX)), /not terminated/],
      ['empty name', damaged((_, b) => b.fill(0, e1, e1 + NAME_MAX)), /name empty/],
      ['misaligned data', damaged((dv) => dv.setUint32(e1 + NAME_MAX, dv.getUint32(e1 + NAME_MAX, true) + 1, true)), /aligned/],
      ['data in the table', damaged((dv) => dv.setUint32(e1 + NAME_MAX, HEADER_SIZE, true)), /outside/],
      ['data past the end', damaged((dv) => dv.setUint32(e1 + NAME_MAX + 4, 1000, true)), /outside/],
      ['size overflow', damaged((dv) => dv.setUint32(e1 + NAME_MAX + 4, 0xfffffffc, true)), /outside/],
      ['duplicate', damaged((_, b) => { b[e1] = 'a'.charCodeAt(0); }), /duplicate/],
    ];
    for (const [what, b, why] of cases) expect(() => readBootArchive(b), what).toThrow(why);
  });
});

describe('boot manifest', () => {
  const tasks: ManifestTask[] = [
    { module: 'hello.wasm' },
    { module: 'srv.wasm', name: 'server', args: ['plain', 'two words', 'q"uote', 'back\\slash', ''], quota: 1 << 20, uses: ['a', 'b'], provides: ['echo'], priority: 5 },
  ];

  it('writes one task per line and reads it back', () => {
    const t = writeManifest(tasks);
    expect(t.split('\n')[1]).toBe('task hello.wasm');
    expect(t).toContain('task srv.wasm name=server arg=plain arg="two words" arg="q\\"uote" arg=back\\slash arg="" quota=1048576 uses=a,b provides=echo priority=5');
    expect(parseManifest(t)).toEqual(tasks);
  });

  it('reads comments, blank lines, CRLF, K/M/G quotas', () => {
    const m = parseManifest('# hello\n\n  task a.wasm quota=64K # trailing comment\r\ntask b.wasm quota=2M\ntask c.wasm quota=1g\n');
    expect(m).toEqual([{ module: 'a.wasm', quota: 65536 }, { module: 'b.wasm', quota: 2 << 20 }, { module: 'c.wasm', quota: 1 << 30 }]);
  });

  it('refuses what it does not understand, naming the line', () => {
    expect(() => parseManifest('task a.wasm\nstart b.wasm\n')).toThrow(/line 2: unknown directive "start"/);
    expect(() => parseManifest('task a.wasm colour=red')).toThrow(/unknown key "colour"/);
    expect(() => parseManifest('task')).toThrow(/needs a module/);
    expect(() => parseManifest('task a.wasm arg="open')).toThrow(/unterminated/);
    expect(() => parseManifest('task a.wasm arg="x"y')).toThrow(/after a closing quote/);
    expect(() => parseManifest('task a.wasm arg=x"y')).toThrow(/quote inside/);
    expect(() => parseManifest('task a.wasm priority=9')).toThrow(/priority/);
    expect(() => parseManifest('task a.wasm quota=12X')).toThrow(/quota/);
    expect(() => writeManifest([{ module: 'a', args: ['x\ny'] }])).toThrow(ManifestError);
    expect(() => writeManifest([{ module: 'a', priority: 0 }])).toThrow(ManifestError);
  });

  it('bootArchive puts the manifest first and every module in', () => {
    const a = readBootArchive(bootArchive({ 'm.wasm': bytes(0, 97, 115, 109) }, [{ module: 'm.wasm', args: ['x'] }]));
    expect(a.map((f) => f.name)).toEqual([MANIFEST_FILE, 'm.wasm']);
    expect(parseManifest(new TextDecoder().decode(a[0]!.data))).toEqual([{ module: 'm.wasm', args: ['x'] }]);
    expect(() => bootArchive({}, [{ module: 'missing.wasm' }])).toThrow(/no module/);
  });
});
