// The WebAssembly text format for Monaco: a Monarch tokenizer (keywords,
// instructions, $names, numbers, strings, line and block comments) and the
// bracket and comment rules, so WAT is highlighted and Ctrl+/ comments lines.
import type { languages } from 'monaco-editor/editor';

export const WAT_ID = 'wat';

const KEYWORDS = [
  'module', 'func', 'param', 'result', 'local', 'global', 'import', 'export', 'memory', 'data', 'table', 'elem',
  'type', 'start', 'mut', 'offset', 'item', 'declare', 'then', 'else', 'end', 'block', 'loop', 'if', 'funcref', 'externref',
];
const TYPES = ['i32', 'i64', 'f32', 'f64', 'v128'];

export const watLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  keywords: KEYWORDS,
  typeKeywords: TYPES,
  tokenizer: {
    root: [
      [/;;.*$/, 'comment'],
      [/\(;/, 'comment', '@comment'],
      [/"/, 'string', '@string'],
      [/\$[\w.+\-*/\\^~=<>!?@#$%&|:'`]+/, 'variable.name'],
      // An instruction: i32.add, local.get, memory.grow, br_if ...
      [/(?:i32|i64|f32|f64|v128|local|global|memory|table|ref|elem|data)\.[a-z0-9_.]+/, 'keyword.instruction'],
      [/[a-z_][a-z0-9_.]*/, { cases: { '@typeKeywords': 'type', '@keywords': 'keyword', '@default': 'keyword.instruction' } }],
      [/[+-]?(?:0x[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d+)?|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|inf|nan(?::0x[0-9a-fA-F]+)?)/, 'number'],
      [/[()]/, '@brackets'],
      [/\s+/, 'white'],
    ],
    comment: [
      [/[^(;]+/, 'comment'],
      [/\(;/, 'comment', '@push'],
      [/;\)/, 'comment', '@pop'],
      [/[(;]/, 'comment'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\(?:[nt\\'"]|[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\})/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, 'string', '@pop'],
    ],
  },
};

export const watConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: ';;', blockComment: ['(;', ';)'] },
  brackets: [['(', ')']],
  autoClosingPairs: [{ open: '(', close: ')' }, { open: '"', close: '"', notIn: ['string', 'comment'] }],
  surroundingPairs: [{ open: '(', close: ')' }, { open: '"', close: '"' }],
};
