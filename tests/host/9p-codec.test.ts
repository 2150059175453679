// The 9P2000.L codec: every message survives encode → decode, the wire layout
// is the one the protocol fixes (checked byte for byte on a few messages), and
// truncated, oversized or garbage input is reported, never thrown.
import { describe, expect, it } from 'vitest';
import { decode, encode, encodeError } from '../../src/host/9p/codec.ts';
import { decodeDirents, writeDirent } from '../../src/host/9p/dirent.ts';
import { EILSEQ, EOPNOTSUPP, EPROTO } from '../../src/host/9p/errno.ts';
import { SCHEMA, TYPE_NUMBER, type FieldKind, type Message, type MessageName } from '../../src/host/9p/messages.ts';
import { WireWriter } from '../../src/host/9p/wire.ts';

/** A deterministic PRNG so the random messages are the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomValue(kind: FieldKind, rnd: () => number): unknown {
  const u32 = (): number => Math.floor(rnd() * 2 ** 32);
  const str = (): string => ['', 'a', 'hello.txt', 'ünïcödé', '日本語', 'x'.repeat(255)][Math.floor(rnd() * 6)]!;
  const qid = () => ({ type: Math.floor(rnd() * 256), version: u32(), path: (BigInt(u32()) << 32n) | BigInt(u32()) });
  switch (kind) {
    case 'u8': return Math.floor(rnd() * 256);
    case 'u16': return Math.floor(rnd() * 65536);
    case 'u32': case 'opt32': return u32();
    case 'u64': return (BigInt(u32()) << 32n) | BigInt(u32());
    case 'str': return str();
    case 'qid': return qid();
    case 'strs': return Array.from({ length: Math.floor(rnd() * 5) }, str);
    case 'qids': return Array.from({ length: Math.floor(rnd() * 5) }, qid);
    case 'data': return Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256));
  }
}

function randomMessage(name: MessageName, rnd: () => number): Message {
  const msg: Record<string, unknown> = { type: name, tag: Math.floor(rnd() * 65536) };
  for (const [field, kind] of SCHEMA[name][1]) msg[field] = randomValue(kind, rnd);
  return msg as Message;
}

const names = Object.keys(SCHEMA) as MessageName[];

describe('9P codec round trips', () => {
  it.each(names)('%s: encode then decode gives the message back', (name) => {
    const rnd = prng(name.length * 7919 + TYPE_NUMBER[name]);
    for (let i = 0; i < 20; i++) {
      const msg = randomMessage(name, rnd);
      const bytes = encode(msg);
      expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(bytes.length);
      expect(bytes[4]).toBe(TYPE_NUMBER[name]);
      const d = decode(bytes);
      expect(d.ok).toBe(true);
      if (d.ok) {
        expect(d.msg).toEqual(msg);
        expect(d.size).toBe(bytes.length);
      }
    }
  });

  it('uses the protocol numbers of 9P2000.L', () => {
    expect(TYPE_NUMBER).toMatchObject({
      Rlerror: 7, Tstatfs: 8, Tlopen: 12, Tlcreate: 14, Trename: 20, Tgetattr: 24, Tsetattr: 26, Treaddir: 40,
      Tfsync: 50, Tmkdir: 72, Trenameat: 74, Tunlinkat: 76, Tversion: 100, Tauth: 102, Tattach: 104, Tflush: 108,
      Twalk: 110, Tread: 116, Twrite: 118, Tclunk: 120, Tremove: 122,
    });
    for (const name of names) {
      if (name.startsWith('T')) expect(TYPE_NUMBER[`R${name.slice(1)}` as MessageName]).toBe(TYPE_NUMBER[name] + 1);
    }
  });
});

describe('9P wire layout', () => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

  it('Tversion: size[4] type[1] tag[2] msize[4] version[s], little-endian', () => {
    const b = encode({ type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000.L' });
    expect(hex(b)).toBe('15000000' + '64' + 'ffff' + '00200000' + '0800' + Buffer.from('9P2000.L').toString('hex'));
  });

  it('Twalk: fid, newfid, nwname[2] and counted strings', () => {
    const b = encode({ type: 'Twalk', tag: 1, fid: 2, newfid: 3, wnames: ['a', 'bc'] });
    expect(hex(b)).toBe('18000000' + '6e' + '0100' + '02000000' + '03000000' + '0200' + '0100' + '61' + '0200' + '6263');
  });

  it('Rattach qid: type[1] version[4] path[8]', () => {
    const b = encode({ type: 'Rattach', tag: 5, qid: { type: 0x80, version: 0x01020304, path: 0x1122334455667788n } });
    expect(hex(b)).toBe('14000000' + '69' + '0500' + '80' + '04030201' + '8877665544332211');
  });

  it('Twrite: offset[8] count[4] data[count]', () => {
    const b = encode({ type: 'Twrite', tag: 9, fid: 1, offset: 0x100000000n, data: Uint8Array.of(0xaa, 0xbb) });
    expect(hex(b)).toBe('19000000' + '76' + '0900' + '01000000' + '0000000001000000' + '02000000' + 'aabb');
  });

  it('Rlerror carries a Linux errno', () => {
    expect(hex(encodeError(3, 2))).toBe('0b000000' + '07' + '0300' + '02000000');
  });

  it('Rgetattr is 160 bytes (the fixed stat layout)', () => {
    const msg = randomMessage('Rgetattr', prng(1));
    expect(encode(msg).length).toBe(7 + 8 + 13 + 3 * 4 + 15 * 8);
  });

  it('Tfsync without datasync (older clients) decodes with datasync 0', () => {
    const w = new WireWriter();
    w.u32(11); w.u8(50); w.u16(4); w.u32(7);
    const d = decode(w.finish());
    expect(d).toMatchObject({ ok: true, msg: { type: 'Tfsync', tag: 4, fid: 7, datasync: 0 } });
  });

  it('dirents: qid[13] offset[8] type[1] name[s] and back', () => {
    const w = new WireWriter();
    const ents = [
      { qid: { type: 0x80, version: 1, path: 1n }, offset: 1n, type: 4, name: '.' },
      { qid: { type: 0, version: 3, path: 99n }, offset: 7n, type: 8, name: 'fïle' },
    ];
    for (const e of ents) writeDirent(w, e);
    const bytes = w.finish();
    expect(bytes.length).toBe(24 + 1 + 24 + 5);
    expect(decodeDirents(bytes)).toEqual(ents);
    expect(() => decodeDirents(bytes.subarray(0, bytes.length - 1))).toThrow();
  });
});

describe('9P codec on bad input', () => {
  const good = encode({ type: 'Tattach', tag: 77, fid: 0, afid: 0xffffffff, uname: 'root', aname: '', nUname: 0 });

  it('reports no tag for fewer than 7 bytes', () => {
    for (let n = 0; n < 7; n++) {
      expect(decode(good.subarray(0, n))).toMatchObject({ ok: false, tag: null, errno: EPROTO });
    }
  });

  it('answers every truncation of a valid message with EPROTO and its tag', () => {
    for (let n = 7; n < good.length; n++) {
      const cut = good.slice(0, n);
      expect(decode(cut)).toMatchObject({ ok: false, tag: 77, errno: EPROTO });
      // Same, with the size field shrunk to match: the body is short instead.
      new DataView(cut.buffer).setUint32(0, n, true);
      expect(decode(cut)).toMatchObject({ ok: false, tag: 77, errno: EPROTO });
    }
  });

  it('refuses a size field below the header or past the buffer', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(0, 3, true);
    expect(decode(b)).toMatchObject({ ok: false, tag: 77, errno: EPROTO });
    new DataView(b.buffer).setUint32(0, 0xffffffff, true);
    expect(decode(b)).toMatchObject({ ok: false, tag: 77, errno: EPROTO });
  });

  it('refuses bytes after the last field, but ignores bytes after the size', () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    new DataView(longer.buffer).setUint32(0, longer.length, true);
    expect(decode(longer)).toMatchObject({ ok: false, tag: 77, errno: EPROTO });
    const trailing = new Uint8Array(good.length + 3);
    trailing.set(good);
    expect(decode(trailing)).toMatchObject({ ok: true, size: good.length });
  });

  it('answers unknown types with EOPNOTSUPP', () => {
    for (const type of [0, 6, 30, 112, 124, 200, 255]) {
      const b = good.slice();
      b[4] = type;
      expect(decode(b)).toMatchObject({ ok: false, tag: 77, type, errno: EOPNOTSUPP });
    }
  });

  it('answers names that are not UTF-8 with EILSEQ', () => {
    const w = new WireWriter();
    w.u32(0); w.u8(110); w.u16(5); w.u32(0); w.u32(1); w.u16(1); w.u16(2); w.u8(0xc3); w.u8(0x28);
    const b = w.finish();
    new DataView(b.buffer).setUint32(0, b.length, true);
    expect(decode(b)).toMatchObject({ ok: false, tag: 5, errno: EILSEQ });
  });

  it('never throws on random bytes or on random corruption of real messages', () => {
    const rnd = prng(42);
    const samples = names.map((n) => encode(randomMessage(n, rnd)));
    for (let i = 0; i < 20_000; i++) {
      let b: Uint8Array;
      if (i % 2 === 0) {
        b = Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
        if (b.length >= 4) new DataView(b.buffer).setUint32(0, b.length, true);
      } else {
        b = samples[i % samples.length]!.slice();
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      }
      const d = decode(b);
      // Whatever decodes must re-encode to the same message (byte-identical but for Tfsync's optional field).
      if (d.ok) expect(decode(encode(d.msg))).toMatchObject({ ok: true, msg: d.msg });
      else expect(d.errno).toBeGreaterThan(0);
    }
  });
});
