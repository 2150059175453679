// The whole pipeline, text in and texts out: parse, check, emit. No file system
// here, so tests (and a browser) can run it on any IDL text.
import { checkIdl } from './check.ts';
import { emitAs } from './emit-as.ts';
import { emitC } from './emit-c.ts';
import { emitTs } from './emit-ts.ts';
import { parseIdl } from './parser.ts';
import type { Schema } from './schema.ts';

/** Where each output goes, relative to the repository root. */
export const OUTPUTS = {
  as: 'servers/sdk/assembly/messages.ts',
  c: 'servers/sdk/include/wasmos/messages.h',
  ts: 'src/idl/generated/messages.ts',
} as const;

export const IDL_PATH = 'servers/idl/messages.idl';

export interface Generated {
  readonly schema: Schema;
  /** Output path (as in OUTPUTS) -> file contents. */
  readonly files: ReadonlyMap<string, string>;
}

/** Throws IdlError (with line/column diagnostics) if the IDL is wrong. */
export function compileIdl(source: string, file: string): Schema {
  return checkIdl(parseIdl(source, file));
}

export function generate(source: string, file: string = IDL_PATH): Generated {
  const schema = compileIdl(source, file);
  const files = new Map<string, string>([
    [OUTPUTS.as, emitAs(schema, file)],
    [OUTPUTS.c, emitC(schema, file)],
    [OUTPUTS.ts, emitTs(schema, file)],
  ]);
  return { schema, files };
}
