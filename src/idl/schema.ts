// The resolved message model: what the IDL means once parsed, checked and laid out.
// The emitters read it, and the generated TypeScript module embeds it so the codec
// can decode messages at run time (in the browser too: nothing here touches Node).

/** Fixed-size scalars. `task` is an i32 task id; `bool` is one byte, 0 or 1. */
export type ScalarType = 'i8' | 'i16' | 'i32' | 'u8' | 'u16' | 'u32' | 'bool' | 'task';

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarType }
  /** char[n]: UTF-8, NUL-terminated when shorter than n. */
  | { readonly kind: 'cstr'; readonly n: number }
  /** u8[n] then a u32 length (at `Field.lenOffset`), laid out as two C members. */
  | { readonly kind: 'bytes'; readonly n: number }
  | { readonly kind: 'struct'; readonly struct: string }
  /** n elements of a scalar or a struct, `stride` bytes apart. */
  | { readonly kind: 'array'; readonly n: number; readonly element: ElementType; readonly stride: number };

export type ElementType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarType }
  | { readonly kind: 'struct'; readonly struct: string };

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** Bytes from the start of the payload (or of the enclosing struct). */
  readonly offset: number;
  /** Bytes of the field itself; for `bytes[n]` the data only (n), the length follows at lenOffset. */
  readonly size: number;
  readonly align: number;
  /** `bytes[n]` only: where its u32 length lives. */
  readonly lenOffset?: number;
  readonly doc: string;
}

export interface StructDef {
  readonly name: string;
  readonly fields: readonly Field[];
  readonly size: number;
  readonly align: number;
  readonly doc: string;
  readonly group: string;
}

/** `rpc` is a request that expects a reply; `reply` answers the rpc named in `request`. */
export type MessageKind = 'rpc' | 'reply' | 'oneway';

export interface MessageDef {
  readonly name: string;
  readonly type: number;
  readonly kind: MessageKind;
  readonly group: string;
  readonly fields: readonly Field[];
  /** Payload bytes (after the 8-byte header), padded to `align`. */
  readonly size: number;
  readonly align: number;
  readonly doc: string;
  /** rpc: the name of its reply. */
  readonly reply?: string;
  /** reply: the name of the rpc it answers. */
  readonly request?: string;
}

export interface ErrorDef {
  readonly name: string;
  readonly code: number;
  readonly doc: string;
  readonly group: string;
}

export interface ConstDef {
  readonly name: string;
  readonly value: number;
  readonly doc: string;
  readonly group: string;
}

export interface GroupDef {
  readonly name: string;
  readonly doc: string;
  /** Inclusive ranges of message type numbers and error codes the group owns. */
  readonly messages: readonly [number, number];
  readonly errors: readonly [number, number];
}

export interface Schema {
  readonly groups: readonly GroupDef[];
  readonly structs: readonly StructDef[];
  readonly messages: readonly MessageDef[];
  readonly errors: readonly ErrorDef[];
  readonly consts: readonly ConstDef[];
}

/** Wire constants of the WasmOS message ({i32 type; i32 src; payload}). */
export const MSG_HEADER = 8;
export const MSG_MAX = 1512;
export const MSG_PAYLOAD_MAX = MSG_MAX - MSG_HEADER;
