// Syntax: what the parser accepts, and that every syntax error names its line
// and column and what was expected there.
import { describe, expect, it } from 'vitest';
import { IdlError, formatDiagnostic } from '../../src/idl/idl-error.ts';
import { parseIdl } from '../../src/idl/parser.ts';
import { errorLines } from './helpers.ts';

describe('IDL parser', () => {
  it('reads groups, declarations, fields and doc comments', () => {
    const ast = parseIdl(
      [
        '// a plain comment',
        '/// The group.',
        'group g messages 1..9 errors -9..-1 {',
        '    /// Ping.',
        '    /// Second line.',
        '    rpc ping = 0x9 (',
        '        /// The value.',
        '        value: i32,',
        '    ) -> 10 ();',
        '    oneway note = 3 (data: bytes[4], name: cstr[2], xs: u8[2]);',
        '    struct s (a: u8);',
        '    error e = -1;',
        '    const c = 0b101;',
        '}',
      ].join('\n'),
      'x.idl',
    );
    expect(ast.groups).toHaveLength(1);
    const g = ast.groups[0]!;
    expect(g).toMatchObject({ name: 'g', doc: 'The group.', messages: { lo: 1, hi: 9 }, errors: { lo: -9, hi: -1 } });
    expect(g.decls.map((d) => d.decl)).toEqual(['rpc', 'oneway', 'struct', 'error', 'const']);
    const ping = g.decls[0]!;
    expect(ping).toMatchObject({ name: 'ping', type: 9, doc: 'Ping.\nSecond line.', pos: { line: 6, column: 5 } });
    if (ping.decl !== 'rpc') throw new Error('not an rpc');
    expect(ping.request.fields[0]).toMatchObject({ name: 'value', doc: 'The value.', type: { name: 'i32' }, pos: { line: 8, column: 9 } });
    expect(ping.reply).toMatchObject({ type: 10, fields: { fields: [] } });
    const note = g.decls[1]!;
    if (note.decl !== 'oneway') throw new Error('not a oneway');
    expect(note.request.fields.map((f) => [f.name, f.type.name, f.type.count])).toEqual([
      ['data', 'bytes', 4],
      ['name', 'cstr', 2],
      ['xs', 'u8', 2],
    ]);
    expect(g.decls[4]).toMatchObject({ decl: 'const', value: 5 });
  });

  it('accepts an empty file and trailing commas', () => {
    expect(parseIdl('', 'x.idl').groups).toEqual([]);
    expect(() => parseIdl('group g messages 1..2 errors -2..-1 { oneway a = 1 (x: u8,); }', 'x.idl')).not.toThrow();
  });

  it.each([
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x: u8)\n}', "3:1: expected ';', found '}'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x u8);\n}', "2:19: expected ':', found 'u8'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x: u8 y: u8);\n}', "2:23: expected ',' or ')' after field 'x', found 'y'"],
    ['group g messages 1..9 errors -9..-1 {\n  rpc a = 1 (x: u8);\n}', "2:20: expected '->' and the reply (an rpc has a reply; use 'oneway' for none), found ';'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = one ();\n}', "2:14: expected a message type number, found 'one'"],
    ['group g messages 1..9 errors -9..-1 {\n  message a = 1 ();\n}', "2:3: expected a declaration (rpc, oneway, struct, error, const) or '}', found 'message'"],
    ['oneway a = 1 ();', "1:1: 'oneway' must be inside a group: group NAME messages LO..HI errors LO..HI { ... }"],
    ['hello', "1:1: expected 'group', found 'hello'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x: u8[]);\n}', "2:23: expected an element count, found ']'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x: u8);', "2:24: expected a declaration (rpc, oneway, struct, error, const) or '}', found the end of the file"],
    ['group g messages 1-9 errors -9..-1 {}', "1:19: expected '..', found '-'"],
    ['group g errors -9..-1 {}', "1:9: expected 'messages', found 'errors'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 1 (x: u8) @;\n}', "2:24: unexpected character '@'"],
    ['group g messages 1..9 errors -9..-1 {\n  oneway a = 12abc ();\n}', '2:14: malformed number'],
    ['group g messages 1..9 errors -9..-1 {\n  const c = 0x100000000;\n}', '2:13: number 0x100000000 is too large'],
    ['group g messages 1..9 errors -9..-1 {\n\toneway a = 1 (x: u8);\x01\n}', "2:23: unexpected character '\\x01'"],
  ])('reports %j at line:column', (source, expected) => {
    expect(errorLines(source)).toEqual([expected]);
  });

  it('formats diagnostics as file:line:col: error: message', () => {
    try {
      parseIdl('group', 'servers/idl/x.idl');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(IdlError);
      const err = e as IdlError;
      expect(err.message).toBe("servers/idl/x.idl:1:6: error: expected a group name, found the end of the file");
      expect(formatDiagnostic(err.diagnostics[0]!)).toBe(err.message);
    }
  });

  it('counts columns from 1 and lines across CRLF endings', () => {
    expect(errorLines('\r\n\r\n   bad')).toEqual(["3:4: expected 'group', found 'bad'"]);
  });
});
