// Recursive-descent parser for the message IDL (grammar in servers/idl/README.md).
// It stops at the first syntax error, naming its line and column and what was
// expected there; meaning (names, numbers, sizes) is the checker's job.
import type { Decl, FieldDecl, FieldList, GroupDecl, IdlFile, RangeExpr, TypeExpr } from './ast.ts';
import { IdlError, type SourcePos } from './idl-error.ts';
import { tokenize, type Token } from './lexer.ts';

export function parseIdl(source: string, file: string): IdlFile {
  return new Parser(tokenize(source, file), file).file();
}

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fileName: string,
  ) {}

  file(): IdlFile {
    const groups: GroupDecl[] = [];
    for (;;) {
      const doc = this.docs();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'ident' && t.text === 'group') {
        groups.push(this.group(doc));
      } else if (t.kind === 'ident' && DECL_KEYWORDS.has(t.text)) {
        this.fail(t, `'${t.text}' must be inside a group: group NAME messages LO..HI errors LO..HI { ... }`);
      } else {
        this.fail(t, `expected 'group', found ${describe(t)}`);
      }
    }
    return { file: this.fileName, groups };
  }

  private group(doc: string): GroupDecl {
    const pos = this.keyword('group').pos;
    const name = this.ident('a group name');
    this.keyword('messages');
    const messages = this.range();
    this.keyword('errors');
    const errors = this.range();
    this.punct('{');
    const decls: Decl[] = [];
    for (;;) {
      const d = this.docs();
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '}') break;
      decls.push(this.decl(d));
    }
    this.punct('}');
    return { name: name.text, messages, errors, decls, doc, pos };
  }

  private decl(doc: string): Decl {
    const t = this.peek();
    if (t.kind !== 'ident' || !DECL_KEYWORDS.has(t.text)) {
      this.fail(t, `expected a declaration (rpc, oneway, struct, error, const) or '}', found ${describe(t)}`);
    }
    this.next();
    const pos = t.pos;
    const name = this.ident(`a ${t.text} name`).text;
    switch (t.text) {
      case 'rpc':
      case 'oneway': {
        this.punct('=');
        const num = this.int('a message type number');
        const request = this.fieldList();
        let reply;
        if (t.text === 'rpc') {
          const arrow = this.peek();
          if (!(arrow.kind === 'punct' && arrow.text === '->')) {
            this.fail(arrow, `expected '->' and the reply (an rpc has a reply; use 'oneway' for none), found ${describe(arrow)}`);
          }
          this.next();
          const rnum = this.int('the reply type number');
          reply = { type: rnum.value, typePos: rnum.pos, fields: this.fieldList() };
        }
        this.punct(';');
        return { decl: t.text, name, type: num.value, typePos: num.pos, request, reply, doc, pos };
      }
      case 'struct': {
        const fields = this.fieldList();
        this.punct(';');
        return { decl: 'struct', name, fields, doc, pos };
      }
      case 'error': {
        this.punct('=');
        const code = this.signed('an error code');
        this.punct(';');
        return { decl: 'error', name, code: code.value, codePos: code.pos, doc, pos };
      }
      default: {
        this.punct('=');
        const value = this.signed('a value');
        this.punct(';');
        return { decl: 'const', name, value: value.value, doc, pos };
      }
    }
  }

  private fieldList(): FieldList {
    const pos = this.punct('(').pos;
    const fields: FieldDecl[] = [];
    for (;;) {
      const doc = this.docs();
      const t = this.peek();
      if (t.kind === 'punct' && t.text === ')') break;
      const name = this.ident('a field name or \')\'');
      this.punct(':');
      const type = this.typeExpr();
      fields.push({ name: name.text, type, doc, pos: name.pos });
      const sep = this.peek();
      if (sep.kind === 'punct' && sep.text === ',') {
        this.next();
        continue;
      }
      if (!(sep.kind === 'punct' && sep.text === ')')) this.fail(sep, `expected ',' or ')' after field '${name.text}', found ${describe(sep)}`);
    }
    this.punct(')');
    return { fields, pos };
  }

  private typeExpr(): TypeExpr {
    const name = this.ident('a type (i8, i16, i32, u8, u16, u32, bool, task, cstr[N], bytes[N], a struct, or T[N])');
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '[') {
      this.next();
      const n = this.int('an element count');
      this.punct(']');
      return { name: name.text, count: n.value, pos: name.pos };
    }
    return { name: name.text, pos: name.pos };
  }

  private range(): RangeExpr {
    const lo = this.signed('the low end of a range');
    this.punct('..');
    const hi = this.signed('the high end of a range');
    return { lo: lo.value, hi: hi.value, pos: lo.pos };
  }

  private signed(what: string): { value: number; pos: SourcePos } {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '-') {
      this.next();
      const n = this.int(what);
      return { value: -n.value, pos: t.pos };
    }
    const n = this.int(what);
    return { value: n.value, pos: n.pos };
  }

  private int(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'int') this.fail(t, `expected ${what}, found ${describe(t)}`);
    return this.next();
  }

  private ident(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(t, `expected ${what}, found ${describe(t)}`);
    return this.next();
  }

  private keyword(word: string): Token {
    const t = this.peek();
    if (!(t.kind === 'ident' && t.text === word)) this.fail(t, `expected '${word}', found ${describe(t)}`);
    return this.next();
  }

  private punct(p: string): Token {
    const t = this.peek();
    if (!(t.kind === 'punct' && t.text === p)) this.fail(t, `expected '${p}', found ${describe(t)}`);
    return this.next();
  }

  /** Doc comments directly before a declaration or field, joined by newlines. */
  private docs(): string {
    const lines: string[] = [];
    while (this.tokens[this.i]!.kind === 'doc') lines.push(this.tokens[this.i++]!.text);
    return lines.join('\n');
  }

  /** The next token that is not a doc comment (docs elsewhere are just comments). */
  private peek(): Token {
    while (this.tokens[this.i]!.kind === 'doc') this.i++;
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private fail(t: Token, message: string): never {
    throw new IdlError([{ file: this.fileName, pos: t.pos, message }]);
  }
}

const DECL_KEYWORDS = new Set(['rpc', 'oneway', 'struct', 'error', 'const']);

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the file';
    case 'int':
      return `number ${t.text}`;
    case 'ident':
      return `'${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}
