// Snapshot files come back from IndexedDB or the user's disk: damaged,
// oversized and lying ones are refused with a clear SnapshotFileError.
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { packSnapshot, unpackSnapshot, SnapshotFileError, type SnapshotBundle } from '../../src/host/replay/snapshot-bundle.ts';

const bundle = (): SnapshotBundle => ({
  meta: { label: 'x', savedAt: 1, build: '0123456789abcdef', cycles: 5, instret: 4, hash: '00112233445566ff', memMiB: 64, console: 'shell> ', tasks: [{ id: 1, parent: 0, priority: 0, name: 'init' }] },
  recording: { version: 1, build: '0123456789abcdef', board: { memMiB: 64, bootargs: '', trace: true }, tree: new Uint8Array(4), inputs: [], end: { cycles: 5, hash: '00112233445566ff' } },
  board: new Uint8Array(1000).fill(7),
});

const header = (rawLength: number): number[] => [0x57, 0x4f, 0x53, 0x53, 0x48, 0x4f, 0x54, 1, rawLength & 0xff, (rawLength >> 8) & 0xff, (rawLength >> 16) & 0xff, rawLength >>> 24];

describe('snapshot files', () => {
  it('round-trip', () => {
    expect(unpackSnapshot(packSnapshot(bundle()))).toEqual(bundle());
  });

  it('refuse damaged, lying and oversized files', () => {
    const f = packSnapshot(bundle());
    expect(() => unpackSnapshot(f.subarray(0, f.length - 10))).toThrow(SnapshotFileError);
    expect(() => unpackSnapshot(new Uint8Array([1, 2, 3]))).toThrow(/not a WasmOS snapshot/);
    const body = deflateSync(new Uint8Array(10_000));
    expect(() => unpackSnapshot(new Uint8Array([...header(100), ...body]))).toThrow(/holds more than the 100 bytes/);
    expect(() => unpackSnapshot(new Uint8Array([...header(0xffffffff), ...body]))).toThrow(/claims 4294967295 bytes/);
    expect(() => unpackSnapshot(new Uint8Array([...header(10_000), ...body]))).toThrow(/malformed/);
    const lyingMeta = bundle();
    lyingMeta.meta.tasks[0]!.name = 'x'.repeat(65);
    expect(() => unpackSnapshot(packSnapshot(lyingMeta))).toThrow(/malformed/);
  });
});
