// Shared by the IDL tests: compile IDL text and capture its diagnostics.
import { compileIdl } from '../../src/idl/generate.ts';
import { IdlError, type IdlDiagnostic } from '../../src/idl/idl-error.ts';
import type { Schema } from '../../src/idl/schema.ts';

/** Wraps declarations in a group so tests can write only what they are about. */
export function inGroup(body: string): string {
  return `group g messages 1..99 errors -99..-1 {\n${body}\n}\n`;
}

export function compile(source: string): Schema {
  return compileIdl(source, 'test.idl');
}

/** The diagnostics compiling `source` produces (fails the test if it compiles). */
export function diagnostics(source: string): IdlDiagnostic[] {
  try {
    compileIdl(source, 'test.idl');
  } catch (e) {
    if (e instanceof IdlError) return [...e.diagnostics];
    throw e;
  }
  throw new Error('expected the IDL to be refused');
}

/** "line:col: message" for each diagnostic, for compact expectations. */
export function errorLines(source: string): string[] {
  return diagnostics(source).map((d) => `${d.pos.line}:${d.pos.column}: ${d.message}`);
}
