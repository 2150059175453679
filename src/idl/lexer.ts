// Splits IDL text into tokens that remember where they start. `//` comments are
// dropped; `///` comments are kept as doc tokens so the parser can attach them
// to the declaration or field that follows.
import { IdlError, type SourcePos } from './idl-error.ts';

export type TokenKind = 'ident' | 'int' | 'punct' | 'doc' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier, punctuation, doc text (without `///`), or the integer's source text. */
  readonly text: string;
  /** Integers only. */
  readonly value: number;
  readonly pos: SourcePos;
}

const PUNCTS = ['->', '..', '=', '(', ')', ',', ':', ';', '[', ']', '{', '}', '-'];

export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string, at: number): never => {
    throw new IdlError([{ file, pos: { line, column: at - lineStart + 1 }, message }]);
  };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const pos = { line, column: i - lineStart + 1 };
    if (source.startsWith('//', i)) {
      let end = source.indexOf('\n', i);
      if (end < 0) end = source.length;
      if (source.startsWith('///', i) && !source.startsWith('////', i)) {
        const text = source.slice(i + 3, end).replace(/\r$/, '');
        tokens.push({ kind: 'doc', text: text.startsWith(' ') ? text.slice(1) : text, value: 0, pos });
      }
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      tokens.push({ kind: 'ident', text: source.slice(i, j), value: 0, pos });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9A-Fa-f]+|0b[01]+|[0-9]+)(?![A-Za-z0-9_])/.exec(source.slice(i, i + 40));
      if (!m) fail(`malformed number`, i);
      const text = m![1]!;
      const value = Number(text);
      if (!Number.isSafeInteger(value) || value > 0xffffffff) fail(`number ${text} is too large`, i);
      tokens.push({ kind: 'int', text, value, pos });
      i += text.length;
      continue;
    }
    const p = PUNCTS.find((q) => source.startsWith(q, i));
    if (p === undefined) {
      const shown = c.charCodeAt(0) < 0x20 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c;
      fail(`unexpected character '${shown}'`, i);
    }
    tokens.push({ kind: 'punct', text: p!, value: 0, pos });
    i += p!.length;
  }
  tokens.push({ kind: 'eof', text: '', value: 0, pos: { line, column: i - lineStart + 1 } });
  return tokens;
}
