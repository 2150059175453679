// Decodes and encodes message payloads from the resolved schema. Decoding is for
// the IPC trace viewer, which sees whatever a task sent, often only the first
// bytes of it: it never throws, decodes every field the bytes cover, and says
// which fields were cut off. Encoding is for host code and tests; it rejects
// values that do not fit the field.
import { cErrorMacro } from './naming.ts';
import {
  MSG_HEADER,
  type ElementType,
  type Field,
  type MessageDef,
  type MessageKind,
  type ScalarType,
  type Schema,
  type StructDef,
} from './schema.ts';

/** A decoded field: numbers, bools, strings (cstr), bytes, arrays and structs. */
export type Value = number | boolean | string | Uint8Array | readonly Value[] | { readonly [field: string]: Value };

export interface DecodedMessage {
  readonly type: number;
  /** The message name ("ping_reply"), the error name ("E_NOT_FOUND"), or "type 123" / "error -123". */
  readonly name: string;
  readonly kind: MessageKind | 'error' | 'unknown';
  readonly group?: string;
  /** The fields the payload covers, in IDL order. */
  readonly fields: { readonly [field: string]: Value };
  /** Fields (paths like "exited[2].reason") the payload ends before; a cut cstr or bytes value is partial. */
  readonly missing: readonly string[];
  /** The payload is shorter than the message's layout. */
  readonly truncated: boolean;
  /** Values no well-behaved sender writes: a bytes length beyond its capacity, a bool other than 0/1. */
  readonly anomalies: readonly string[];
}

/** A complete message as decodeWire reads it: header and payload. */
export interface DecodedWire extends DecodedMessage {
  readonly src: number;
}

/** Field values for encoding; absent fields are zero. */
export type EncodeValue =
  | number
  | boolean
  | string
  | Uint8Array
  | readonly EncodeValue[]
  | { readonly [field: string]: EncodeValue | undefined };
export type EncodeFields = { readonly [field: string]: EncodeValue | undefined };

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8enc = new TextEncoder();

export class MessageCodec {
  private readonly byType = new Map<number, MessageDef>();
  private readonly byName = new Map<string, MessageDef>();
  private readonly structs = new Map<string, StructDef>();
  private readonly errors = new Map<number, string>();

  constructor(readonly schema: Schema) {
    for (const m of schema.messages) {
      this.byType.set(m.type, m);
      this.byName.set(m.name, m);
    }
    for (const s of schema.structs) this.structs.set(s.name, s);
    for (const e of schema.errors) this.errors.set(e.code, cErrorMacro(e.name));
  }

  message(typeOrName: number | string): MessageDef | undefined {
    return typeof typeOrName === 'number' ? this.byType.get(typeOrName) : this.byName.get(typeOrName);
  }

  /** "ping", "E_NOT_FOUND", "error -123" or "type 123". */
  typeName(type: number): string {
    if (type < 0) return this.errors.get(type) ?? `error ${type}`;
    return this.byType.get(type)?.name ?? `type ${type}`;
  }

  errorName(code: number): string | undefined {
    return this.errors.get(code);
  }

  /** Decodes a payload (the bytes after the 8-byte header). Never throws. */
  decode(type: number, payload: Uint8Array): DecodedMessage {
    try {
      return this.decodeUnsafe(type | 0, payload);
    } catch (e) {
      // Unreachable by design; the trace viewer must still get an answer.
      return { type, name: `type ${type}`, kind: 'unknown', fields: {}, missing: [], truncated: false, anomalies: [`decoder error: ${String(e)}`] };
    }
  }

  /** Decodes a whole message: {i32 type; i32 src; payload}. Never throws. */
  decodeWire(bytes: Uint8Array): DecodedWire {
    if (bytes.length < MSG_HEADER) {
      return { type: 0, src: 0, name: 'short message', kind: 'unknown', fields: {}, missing: [], truncated: true, anomalies: [`${bytes.length} bytes: a message has an 8-byte header`] };
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const type = view.getInt32(0, true);
    const src = view.getInt32(4, true);
    return { ...this.decode(type, bytes.subarray(MSG_HEADER)), src };
  }

  private decodeUnsafe(type: number, payload: Uint8Array): DecodedMessage {
    if (type < 0) {
      return { type, name: this.typeName(type), kind: 'error', fields: {}, missing: [], truncated: false, anomalies: [] };
    }
    const m = this.byType.get(type);
    if (!m) return { type, name: this.typeName(type), kind: 'unknown', fields: {}, missing: [], truncated: false, anomalies: [] };
    const r = new Reader(payload, this.structs);
    const fields = r.fields(m.fields, 0, '');
    return {
      type,
      name: m.name,
      kind: m.kind,
      group: m.group,
      fields,
      missing: r.missing,
      truncated: payload.length < m.size,
      anomalies: r.anomalies,
    };
  }

  /** The payload of a message (its layout's size), fields absent from `fields` zeroed. */
  encodePayload(name: string, fields: EncodeFields): Uint8Array {
    const m = this.byName.get(name);
    if (!m) throw new Error(`unknown message '${name}'`);
    const out = new Uint8Array(m.size);
    new Writer(out, this.structs).fields(m.fields, 0, fields, name);
    return out;
  }

  /** A whole message: header (type, src) and payload. */
  encodeMessage(name: string, fields: EncodeFields, src = 0): Uint8Array {
    const m = this.byName.get(name);
    if (!m) throw new Error(`unknown message '${name}'`);
    const payload = this.encodePayload(name, fields);
    const out = new Uint8Array(MSG_HEADER + payload.length);
    const view = new DataView(out.buffer);
    view.setInt32(0, m.type, true);
    view.setInt32(4, src, true);
    out.set(payload, MSG_HEADER);
    return out;
  }
}

const SCALAR_BYTES: Readonly<Record<ScalarType, number>> = { i8: 1, u8: 1, bool: 1, i16: 2, u16: 2, i32: 4, u32: 4, task: 4 };

class Reader {
  readonly missing: string[] = [];
  readonly anomalies: string[] = [];
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly structs: Map<string, StructDef>,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fields(fields: readonly Field[], base: number, prefix: string): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const f of fields) {
      const v = this.field(f, base + f.offset, prefix + f.name);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  }

  private field(f: Field, at: number, path: string): Value | undefined {
    const t = f.type;
    switch (t.kind) {
      case 'scalar':
      case 'struct':
        return this.element(t, at, path);
      case 'cstr': {
        const avail = Math.max(0, Math.min(t.n, this.bytes.length - at));
        const raw = this.bytes.subarray(at, at + avail);
        const nul = raw.indexOf(0);
        if (avail === 0) {
          this.missing.push(path);
          return undefined;
        }
        // A NUL inside the captured bytes ends the string: it is complete even if the payload is cut.
        if (nul < 0 && avail < t.n) this.missing.push(path);
        return utf8.decode(nul < 0 ? raw : raw.subarray(0, nul));
      }
      case 'bytes': {
        const lenAt = f.lenOffset!;
        const avail = Math.max(0, Math.min(t.n, this.bytes.length - at));
        let len: number | undefined;
        if (lenAt + 4 <= this.bytes.length) {
          len = this.view.getUint32(lenAt, true);
          if (len > t.n) {
            this.anomalies.push(`${path}: length ${len} is beyond its capacity ${t.n}`);
            len = t.n;
          }
        }
        if (len !== undefined && len <= avail) return this.bytes.slice(at, at + len);
        this.missing.push(path);
        return avail === 0 ? undefined : this.bytes.slice(at, at + avail);
      }
      case 'array': {
        const out: Value[] = [];
        for (let i = 0; i < t.n; i++) {
          const p = at + i * t.stride;
          if (p >= this.bytes.length) {
            this.missing.push(`${path}[${i}..]`);
            break;
          }
          const v = this.element(t.element, p, `${path}[${i}]`);
          if (v === undefined) break;
          out.push(v);
        }
        return out;
      }
    }
  }

  private element(e: ElementType, at: number, path: string): Value | undefined {
    if (e.kind === 'struct') {
      const s = this.structs.get(e.struct);
      if (!s || at >= this.bytes.length) {
        this.missing.push(path);
        return undefined;
      }
      return this.fields(s.fields, at, `${path}.`);
    }
    const size = SCALAR_BYTES[e.scalar];
    if (at + size > this.bytes.length) {
      this.missing.push(path);
      return undefined;
    }
    const v = this.view;
    switch (e.scalar) {
      case 'i8':
        return v.getInt8(at);
      case 'u8':
        return v.getUint8(at);
      case 'bool': {
        const b = v.getUint8(at);
        if (b > 1) this.anomalies.push(`${path}: bool is ${b}`);
        return b !== 0;
      }
      case 'i16':
        return v.getInt16(at, true);
      case 'u16':
        return v.getUint16(at, true);
      case 'u32':
        return v.getUint32(at, true);
      case 'i32':
      case 'task':
        return v.getInt32(at, true);
    }
  }
}

const SCALAR_RANGE: Readonly<Record<Exclude<ScalarType, 'bool'>, readonly [number, number]>> = {
  i8: [-0x80, 0x7f],
  u8: [0, 0xff],
  i16: [-0x8000, 0x7fff],
  u16: [0, 0xffff],
  i32: [-0x8000_0000, 0x7fff_ffff],
  task: [-0x8000_0000, 0x7fff_ffff],
  u32: [0, 0xffff_ffff],
};

class Writer {
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly structs: Map<string, StructDef>,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fields(fields: readonly Field[], base: number, values: EncodeFields, path: string): void {
    const known = new Set(fields.map((f) => f.name));
    for (const k of Object.keys(values)) {
      if (!known.has(k)) throw new Error(`${path}: no field '${k}'`);
    }
    for (const f of fields) {
      const v = values[f.name];
      if (v !== undefined) this.field(f, base + f.offset, v, `${path}.${f.name}`);
    }
  }

  private field(f: Field, at: number, v: EncodeValue, path: string): void {
    const t = f.type;
    switch (t.kind) {
      case 'scalar':
      case 'struct':
        return this.element(t, at, v, path);
      case 'cstr': {
        if (typeof v !== 'string') throw new TypeError(`${path}: expected a string`);
        const b = utf8enc.encode(v);
        if (b.length > t.n) throw new RangeError(`${path}: ${b.length} UTF-8 bytes do not fit in cstr[${t.n}]`);
        this.bytes.set(b, at);
        return;
      }
      case 'bytes': {
        const b = typeof v === 'string' ? utf8enc.encode(v) : v;
        if (!(b instanceof Uint8Array)) throw new TypeError(`${path}: expected a Uint8Array or a string`);
        if (b.length > t.n) throw new RangeError(`${path}: ${b.length} bytes do not fit in bytes[${t.n}]`);
        this.bytes.set(b, at);
        this.view.setUint32(f.lenOffset!, b.length, true);
        return;
      }
      case 'array': {
        if (!Array.isArray(v)) throw new TypeError(`${path}: expected an array`);
        const list = v as readonly EncodeValue[];
        if (list.length > t.n) throw new RangeError(`${path}: ${list.length} elements do not fit in [${t.n}]`);
        list.forEach((e, i) => this.element(t.element, at + i * t.stride, e, `${path}[${i}]`));
      }
    }
  }

  private element(e: ElementType, at: number, v: EncodeValue, path: string): void {
    if (e.kind === 'struct') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
        throw new TypeError(`${path}: expected an object with the fields of ${e.struct}`);
      }
      this.fields(this.structs.get(e.struct)!.fields, at, v as EncodeFields, path);
      return;
    }
    if (e.scalar === 'bool') {
      if (typeof v !== 'boolean') throw new TypeError(`${path}: expected a boolean`);
      this.view.setUint8(at, v ? 1 : 0);
      return;
    }
    const [lo, hi] = SCALAR_RANGE[e.scalar];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(`${path}: expected an integer in ${lo}..${hi} (${e.scalar}), got ${String(v)}`);
    }
    switch (SCALAR_BYTES[e.scalar]) {
      case 1:
        this.view.setUint8(at, v & 0xff);
        return;
      case 2:
        this.view.setUint16(at, v & 0xffff, true);
        return;
      default:
        this.view.setUint32(at, v >>> 0, true);
    }
  }
}

/** One line for a trace view: `tcpip_write { sock: 3, data: "hi" }`, `E_NOT_FOUND`. Never throws. */
export function formatMessage(d: DecodedMessage): string {
  if (d.kind === 'error' || d.kind === 'unknown') return d.name;
  const body = formatFields(d.fields, new Set(d.missing), '');
  return body === '' ? d.name : `${d.name} { ${body} }`;
}

/** `a: 1, b: "x"…, …`: a value cut short ends in `…`, and so does a list whose last fields are missing. */
function formatFields(fields: { readonly [f: string]: Value }, missing: Set<string>, prefix: string): string {
  const parts = Object.entries(fields).map(
    ([k, v]) => `${k}: ${formatValue(v, missing, prefix + k)}${missing.has(prefix + k) ? '…' : ''}`,
  );
  for (const p of missing) {
    if (!p.startsWith(prefix)) continue;
    const name = /^[a-z0-9_]*/.exec(p.slice(prefix.length))![0];
    if (!Object.hasOwn(fields, name)) {
      parts.push('…');
      break;
    }
  }
  return parts.join(', ');
}

function formatValue(v: Value, missing: Set<string>, path: string): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) {
    // A cut-off value of unknown length: trailing zeros are most likely the unused rest.
    let end = v.length;
    if (missing.has(path)) while (end > 0 && v[end - 1] === 0) end--;
    const text = utf8.decode(v.subarray(0, end));
    if (/^[\x20-\x7e\n\r\t]*$/.test(text)) return JSON.stringify(text);
    const hex = Array.from(v.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `<${v.length} bytes: ${hex}${v.length > 16 ? ' …' : ''}>`;
  }
  if (Array.isArray(v)) {
    const items = v.map((e, i) => formatValue(e, missing, `${path}[${i}]`));
    if (missing.has(`${path}[${v.length}..]`)) items.push('…');
    return `[${items.join(', ')}]`;
  }
  const inner = formatFields(v as { readonly [f: string]: Value }, missing, `${path}.`);
  return `{ ${inner} }`;
}
