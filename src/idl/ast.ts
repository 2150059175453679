// The IDL as written, before checking: names, numbers and type expressions with
// the positions errors will point at.
import type { SourcePos } from './idl-error.ts';

/** `u32`, `cstr[64]`, `bytes[1024]`, `exited_task[8]`: a name and an optional count. */
export interface TypeExpr {
  readonly name: string;
  readonly count?: number;
  readonly pos: SourcePos;
}

export interface FieldDecl {
  readonly name: string;
  readonly type: TypeExpr;
  readonly doc: string;
  readonly pos: SourcePos;
}

export interface FieldList {
  readonly fields: readonly FieldDecl[];
  readonly pos: SourcePos;
}

export interface MessageDecl {
  readonly decl: 'rpc' | 'oneway';
  readonly name: string;
  readonly type: number;
  readonly typePos: SourcePos;
  readonly request: FieldList;
  /** rpc only: the reply's number as written and its fields. */
  readonly reply?: { readonly type: number; readonly typePos: SourcePos; readonly fields: FieldList };
  readonly doc: string;
  readonly pos: SourcePos;
}

export interface StructDecl {
  readonly decl: 'struct';
  readonly name: string;
  readonly fields: FieldList;
  readonly doc: string;
  readonly pos: SourcePos;
}

export interface ErrorDecl {
  readonly decl: 'error';
  readonly name: string;
  readonly code: number;
  readonly codePos: SourcePos;
  readonly doc: string;
  readonly pos: SourcePos;
}

export interface ConstDecl {
  readonly decl: 'const';
  readonly name: string;
  readonly value: number;
  readonly doc: string;
  readonly pos: SourcePos;
}

export type Decl = MessageDecl | StructDecl | ErrorDecl | ConstDecl;

export interface RangeExpr {
  readonly lo: number;
  readonly hi: number;
  readonly pos: SourcePos;
}

export interface GroupDecl {
  readonly name: string;
  readonly messages: RangeExpr;
  readonly errors: RangeExpr;
  readonly decls: readonly Decl[];
  readonly doc: string;
  readonly pos: SourcePos;
}

export interface IdlFile {
  readonly file: string;
  readonly groups: readonly GroupDecl[];
}
