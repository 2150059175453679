// The names each IDL name becomes in C, AssemblyScript and TypeScript. Emitters
// and the checker share them, so the checker can refuse an IDL whose generated
// identifiers would collide before any emitter writes a line.
import type { Field } from './schema.ts';

export function pascal(name: string): string {
  return name
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export const upper = (name: string): string => name.toUpperCase();

export const cMessageMacro = (message: string): string => `MSG_${upper(message)}`;
export const cErrorMacro = (error: string): string => `E_${upper(error)}`;
export const cConstMacro = (c: string): string => upper(c);
export const cPayloadStruct = (message: string): string => `${message}_fields`;
export const cLenMember = (field: string): string => `${field}_len`;

/** The AssemblyScript/TypeScript class for a message or struct view. */
export const asClass = (name: string): string => pascal(name);
/** The TypeScript interface of a message's or struct's decoded fields. */
export const tsFieldsInterface = (name: string): string => `${pascal(name)}Fields`;

/** Members every generated message view has besides its fields (its own, and Message's). */
export const AS_MESSAGE_MEMBERS = ['TYPE', 'SIZE', 'at', 'init', 'alloc', 'type', 'src', 'payload', 'ptr', 'reset', 'copyFrom'] as const;
/** Members of C's struct message other than the payload union's. */
export const C_MESSAGE_MEMBERS = ['type', 'src', 'raw'] as const;
/** Members every generated struct view has besides its fields. */
export const AS_STRUCT_MEMBERS = ['SIZE', 'at'] as const;

/** The AssemblyScript members a field becomes on its view class. */
export function asFieldMembers(f: Pick<Field, 'name' | 'type'>): string[] {
  const n = f.name;
  switch (f.type.kind) {
    case 'scalar':
    case 'struct':
      return [n];
    case 'cstr':
      return [n, `${n}_ptr`];
    case 'bytes':
      return [`${n}_len`, `${n}_ptr`, `${n}_bytes`, `set_${n}`, `${n}_string`, `set_${n}_string`];
    case 'array':
      return f.type.element.kind === 'scalar' ? [n, `set_${n}`] : [n];
  }
}

/** Words that cannot be field or declaration names in some target language. */
export const RESERVED = new Set([
  // C
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
  'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return',
  'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void',
  'volatile', 'while', 'bool', 'true', 'false',
  // TypeScript / AssemblyScript
  'class', 'delete', 'export', 'extends', 'function', 'import', 'in', 'instanceof', 'let', 'new',
  'null', 'super', 'this', 'throw', 'try', 'catch', 'finally', 'typeof', 'var', 'with', 'yield',
  'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'constructor',
  'namespace', 'declare', 'abstract', 'readonly', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32',
  'u64', 'f32', 'f64', 'isize', 'usize', 'v128', 'string', 'number', 'boolean', 'object', 'void',
  'any', 'never', 'unknown', 'symbol',
]);
