// Encoding and decoding of whole 9P messages: size[4] type[1] tag[2] body,
// the body laid out by the table in messages.ts.
//
// decode never throws: a message it cannot use comes back as a failure that
// says whether there is a tag to answer (then the server sends Rlerror with
// the errno given) or not (then the request can only be dropped).
import { EOPNOTSUPP, EPROTO } from './errno.ts';
import { fieldsOf, messageName, TYPE_NUMBER, type FieldKind, type Message, type MessageName } from './messages.ts';
import { HEADER_SIZE } from './protocol.ts';
import { WireError, WireReader, WireWriter, type Qid } from './wire.ts';

export type DecodeResult =
  | { ok: true; msg: Message; size: number }
  | {
    ok: false;
    /** The request's tag, or null when the message is too short to have one. */
    tag: number | null;
    /** The raw type byte, when there is one. */
    type: number | null;
    errno: number;
    reason: string;
  };

/**
 * Decodes the message at the start of `bytes`. The size field must fit in
 * `bytes` (bytes after it are not looked at) and the body must fill it exactly.
 */
export function decode(bytes: Uint8Array): DecodeResult {
  if (bytes.length < HEADER_SIZE) {
    return { ok: false, tag: null, type: null, errno: EPROTO, reason: `${bytes.length}-byte message has no header` };
  }
  const head = new WireReader(bytes);
  const size = head.u32();
  const type = head.u8();
  const tag = head.u16();
  const fail = (errno: number, reason: string): DecodeResult => ({ ok: false, tag, type, errno, reason });
  if (size < HEADER_SIZE) return fail(EPROTO, `size field ${size} is smaller than the header`);
  if (size > bytes.length) return fail(EPROTO, `size field ${size} but only ${bytes.length} bytes`);
  const name = messageName(type);
  if (name === undefined) return fail(EOPNOTSUPP, `message type ${type} is not supported`);
  const r = new WireReader(bytes, HEADER_SIZE, size);
  const msg: Record<string, unknown> = { type: name, tag };
  try {
    for (const [field, kind] of fieldsOf(name)) msg[field] = readField(r, kind);
  } catch (e) {
    if (e instanceof WireError) return fail(e.errno, `${name}: ${e.message}`);
    throw e;
  }
  if (r.remaining !== 0) return fail(EPROTO, `${name}: ${r.remaining} bytes after the last field`);
  return { ok: true, msg: msg as Message, size };
}

function readField(r: WireReader, kind: FieldKind): unknown {
  switch (kind) {
    case 'u8': return r.u8();
    case 'u16': return r.u16();
    case 'u32': return r.u32();
    case 'u64': return r.u64();
    case 'str': return r.str();
    case 'qid': return r.qid();
    case 'strs': {
      const n = r.u16();
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(r.str());
      return out;
    }
    case 'qids': {
      const n = r.u16();
      const out: Qid[] = [];
      for (let i = 0; i < n; i++) out.push(r.qid());
      return out;
    }
    case 'data': return r.bytes(r.u32());
    case 'opt32': return r.remaining === 0 ? 0 : r.u32();
  }
}

/** The wire form of `msg`. Throws only for values that cannot be framed (a string over 64 KiB). */
export function encode(msg: Message): Uint8Array {
  const w = new WireWriter();
  w.u32(0);
  w.u8(TYPE_NUMBER[msg.type]);
  w.u16(msg.tag);
  const fields = msg as unknown as Record<string, unknown>;
  for (const [field, kind] of fieldsOf(msg.type)) writeField(w, kind, fields[field]);
  w.patchU32(0, w.length);
  return w.finish();
}

function writeField(w: WireWriter, kind: FieldKind, v: unknown): void {
  switch (kind) {
    case 'u8': w.u8(v as number); break;
    case 'u16': w.u16(v as number); break;
    case 'u32': case 'opt32': w.u32(v as number); break;
    case 'u64': w.u64(v as bigint); break;
    case 'str': w.str(v as string); break;
    case 'qid': w.qid(v as Qid); break;
    case 'strs': {
      const list = v as string[];
      w.u16(list.length);
      for (const s of list) w.str(s);
      break;
    }
    case 'qids': {
      const list = v as Qid[];
      w.u16(list.length);
      for (const q of list) w.qid(q);
      break;
    }
    case 'data': {
      const b = v as Uint8Array;
      w.u32(b.length);
      w.bytes(b);
      break;
    }
  }
}

/** Rlerror for `tag`: the reply to any request that failed. */
export function encodeError(tag: number, errno: number): Uint8Array {
  return encode({ type: 'Rlerror', tag, ecode: errno });
}

/** True for the reply names (R...), which a server never accepts as requests. */
export function isReply(name: MessageName): boolean {
  return name.startsWith('R');
}
