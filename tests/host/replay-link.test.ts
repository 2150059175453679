// Recording links are untrusted: damaged, hostile and oversized ones are
// refused with a clear RecordingError, never a crash or a huge allocation.
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { boundedInflate } from '../../src/host/replay/bounded-inflate.ts';
import { encodeRecording } from '../../src/host/replay/codec.ts';
import { MAX_FRAGMENT_CHARS, packRecording, packedFromFragment, toBase64Url, unpackRecording } from '../../src/host/replay/link.ts';
import { LIMITS, RecordingError, type Recording } from '../../src/host/replay/recording.ts';
import { validateRecording } from '../../src/host/replay/recording-schema.ts';

const good = (): Recording => ({
  version: 1, build: '0123456789abcdef', board: { memMiB: 64, bootargs: '', trace: true }, tree: new Uint8Array([1, 2, 3]),
  inputs: [
    { cycles: 100, kind: 'serial', data: new TextEncoder().encode('ps\r') },
    { cycles: 5_000_000_000, kind: 'file', path: '/uploads/a.wasm', data: new Uint8Array([0, 97, 115, 109]) },
    { cycles: 5_000_000_000, kind: 'rename', path: '/uploads/a.wasm', to: '/uploads/b.wasm', data: new Uint8Array() },
    { cycles: 5_000_000_001, kind: 'trace', data: new Uint8Array([0]) },
  ],
  end: { cycles: 6_000_000_000, hash: 'fedcba9876543210' },
});

const refused = (f: () => unknown, message: RegExp): void => {
  expect(f).toThrow(RecordingError);
  expect(f).toThrow(message);
};

describe('recording links', () => {
  it('round-trips cycle counts beyond 2^32 and every field', () => {
    expect(unpackRecording(packRecording(good()))).toEqual(good());
  });

  it('refuses damaged links', () => {
    const text = toBase64Url(packRecording(good()));
    refused(() => packedFromFragment(`#r=${text.slice(0, 5)}*${text.slice(6)}`), /not base64url/);
    refused(() => unpackRecording(packedFromFragment(`#r=${text.slice(0, text.length - 7)}`)!), /refused|truncated|malformed/);
    const flipped = packRecording(good());
    flipped[flipped.length >> 1] ^= 0x55;
    expect(() => unpackRecording(flipped)).toThrow(RecordingError);
    refused(() => unpackRecording(deflateSync(new TextEncoder().encode('<img src=x onerror=alert(1)>'))), /not a WasmOS recording/);
    expect(packedFromFragment('#other=1')).toBeNull();
  });

  it('refuses oversized links and decompression bombs', () => {
    refused(() => packedFromFragment(`#r=${'A'.repeat(MAX_FRAGMENT_CHARS + 4)}`), /too long/);
    const bomb = deflateSync(new Uint8Array(40 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    refused(() => unpackRecording(bomb), /expands beyond/);
    expect(() => boundedInflate(deflateSync(new Uint8Array(5000)), 4096)).toThrow(/expands beyond 4096/);
  });

  it('validates the decoded recording (zod schema)', () => {
    const pack = (r: Recording): Uint8Array => deflateSync(encodeRecording(r));
    // The binary form stores cycle differences, so only a decoded object can go back in time.
    const back = good();
    back.inputs[0]!.cycles = 6_000_000_001;
    refused(() => validateRecording(back), /goes back in time/);
    const late = good();
    late.end.cycles = 10;
    refused(() => validateRecording(late), /end lies before/);
    const tooMany = good();
    tooMany.inputs = Array.from({ length: LIMITS.inputs + 1 }, () => ({ cycles: 1, kind: 'serial' as const, data: new Uint8Array(1) }));
    refused(() => validateRecording(tooMany), /100000/);
    const path = good();
    path.inputs[1]!.path = '/uploads/../x\0';
    refused(() => unpackRecording(pack(path)), /absolute path/);
    const args = good();
    args.board.bootargs = 'a\u0007b';
    refused(() => unpackRecording(pack(args)), /printable/);
    const mem = good();
    mem.board.memMiB = 1 << 20;
    refused(() => unpackRecording(pack(mem)), /memMiB/);
    const raw = encodeRecording(good());
    refused(() => unpackRecording(deflateSync(new Uint8Array([...raw, 0]))), /trailing/);
    const version = raw.slice();
    version[4] = 9;
    refused(() => unpackRecording(deflateSync(version)), /format 9 is not supported/);
    // A length field that claims more than the blob holds.
    const lying = raw.slice(0, 6);
    refused(() => unpackRecording(deflateSync(new Uint8Array([...lying, 0xff, 0xff, 0xff, 0x7f]))), /beyond the end/);
  });
});
