import { describe, expect, it } from 'vitest';
import { SerialEscape } from '../../src/cli/serial-escape.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('Ctrl-A console escapes', () => {
  it('passes ordinary input through, Ctrl-C included', () => {
    const e = new SerialEscape();
    expect(e.feed(bytes('ls -l\r\x03'))).toEqual({ toGuest: bytes('ls -l\r\x03'), quit: false, help: false });
  });

  it('Ctrl-A x quits and drops what follows', () => {
    const r = new SerialEscape().feed(bytes('ab\x01xcd'));
    expect(text(r.toGuest)).toBe('ab');
    expect(r.quit).toBe(true);
  });

  it('Ctrl-A Ctrl-A sends one Ctrl-A', () => {
    const r = new SerialEscape().feed(bytes('a\x01\x01b'));
    expect(text(r.toGuest)).toBe('a\x01b');
    expect(r.quit).toBe(false);
  });

  it('Ctrl-A h asks for help; other keys after Ctrl-A are dropped', () => {
    const r = new SerialEscape().feed(bytes('\x01ha\x01zb'));
    expect(r.help).toBe(true);
    expect(text(r.toGuest)).toBe('ab');
  });

  it('handles an escape split across reads', () => {
    const e = new SerialEscape();
    const first = e.feed(bytes('a\x01'));
    expect(text(first.toGuest)).toBe('a');
    expect(first.quit).toBe(false);
    expect(e.feed(bytes('x')).quit).toBe(true);

    const e2 = new SerialEscape();
    e2.feed(bytes('\x01'));
    expect(text(e2.feed(bytes('\x01')).toGuest)).toBe('\x01');
  });
});
