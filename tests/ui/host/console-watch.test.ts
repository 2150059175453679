import { describe, expect, it } from 'vitest';
import { ConsoleWatch } from '../../../src/host/console-watch.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ConsoleWatch', () => {
  it('finds the text inside one chunk and reports where it ended', () => {
    const w = new ConsoleWatch('shell>');
    expect(w.feed(enc('booting\r\n'))).toBe(false);
    expect(w.feed(enc('hello shell> '))).toBe(true);
    expect(w.foundAt).toBe(9 + 12);
  });

  it('finds a match split across chunks, one byte at a time', () => {
    const w = new ConsoleWatch('shell>');
    const bytes = enc('xx shel shell> yy');
    let hits = 0;
    for (const b of bytes) if (w.feed(Uint8Array.of(b))) hits++;
    expect(hits).toBe(1);
    expect(w.foundAt).toBe(14);
  });

  it('handles self-overlapping texts (KMP fallback)', () => {
    const w = new ConsoleWatch('aab');
    expect(w.feed(enc('aa'))).toBe(false);
    expect(w.feed(enc('ab'))).toBe(true);
    expect(w.foundAt).toBe(4);
  });

  it('matches UTF-8 text and reports only the first appearance', () => {
    const w = new ConsoleWatch('→ ok');
    expect(w.feed(enc('x → o'))).toBe(false);
    expect(w.feed(enc('k → ok'))).toBe(true);
    expect(w.feed(enc('→ ok'))).toBe(false);
    expect(w.found).toBe(true);
  });

  it('never matches an empty text', () => {
    const w = new ConsoleWatch('');
    expect(w.feed(enc('anything'))).toBe(false);
    expect(w.found).toBe(false);
  });
});
