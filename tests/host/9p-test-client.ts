// A minimal 9P2000.L client for tests: sends typed requests through anything
// with `handle(bytes, maxReply)` (the server itself, or a virtio-9p driver)
// and decodes the replies.
import { expect } from 'vitest';
import { decode, encode } from '../../src/host/9p/codec.ts';
import { decodeDirents, type Dirent } from '../../src/host/9p/dirent.ts';
import { errnoName } from '../../src/host/9p/errno.ts';
import type { Message, MessageName, Msg } from '../../src/host/9p/messages.ts';
import { NOFID, NONUNAME } from '../../src/host/9p/protocol.ts';

/** A request without its tag (the client picks one). */
export type Request = Message extends infer M ? (M extends { tag: number } ? Omit<M, 'tag'> : never) : never;
type ReplyTo<T extends string> = T extends `T${infer R}` ? `R${R}` : never;

export interface Wire {
  handle(request: Uint8Array, maxReply: number): Uint8Array | null;
}

export class TestClient {
  private nextTag = 1;

  constructor(readonly wire: Wire, public maxReply = 1 << 20) {}

  /** Sends a request; returns the decoded reply (Rlerror included). */
  send(req: Request, tag?: number): Message {
    const t = tag ?? this.takeTag();
    const reply = this.wire.handle(encode({ ...req, tag: t } as Message), this.maxReply);
    expect(reply, `${req.type} got no reply`).not.toBeNull();
    const d = decode(reply!);
    if (!d.ok) throw new Error(`undecodable reply to ${req.type}: ${d.reason}`);
    expect(d.msg.tag).toBe(t);
    return d.msg;
  }

  private takeTag(): number {
    const t = this.nextTag;
    this.nextTag = (this.nextTag % 0xfffe) + 1;
    return t;
  }

  /** Sends a request that must succeed; returns its typed reply. */
  ok<R extends Request>(req: R): Msg<ReplyTo<R['type']> & MessageName> {
    const reply = this.send(req);
    if (reply.type === 'Rlerror') throw new Error(`${req.type} failed: ${errnoName(reply.ecode)}`);
    expect(reply.type).toBe(`R${req.type.slice(1)}`);
    return reply as Msg<ReplyTo<R['type']> & MessageName>;
  }

  /** Sends a request that must fail; returns the errno. */
  err(req: Request): number {
    const reply = this.send(req);
    if (reply.type !== 'Rlerror') throw new Error(`${req.type} succeeded with ${reply.type}, expected an error`);
    return reply.ecode;
  }

  /** Tversion + Tattach of fid `root` (default 0). */
  connect(msize = 8192, root = 0, aname = ''): void {
    expect(this.ok({ type: 'Tversion', msize, version: '9P2000.L' }).version).toBe('9P2000.L');
    this.ok({ type: 'Tattach', fid: root, afid: NOFID, uname: 'guest', aname, nUname: NONUNAME });
  }

  walk(fid: number, newfid: number, ...wnames: string[]): Msg<'Rwalk'> {
    return this.ok({ type: 'Twalk', fid, newfid, wnames });
  }

  /** Clones `dir`, opens the clone and reads every entry with `count`-byte Treaddirs. */
  readdirAll(dir: number, scratch: number, count = 4096): Dirent[] {
    this.walk(dir, scratch);
    this.ok({ type: 'Tlopen', fid: scratch, flags: 0 });
    const out: Dirent[] = [];
    let offset = 0n;
    for (;;) {
      const { data } = this.ok({ type: 'Treaddir', fid: scratch, offset, count });
      if (data.length === 0) break;
      const ents = decodeDirents(data);
      out.push(...ents);
      offset = ents[ents.length - 1]!.offset;
    }
    this.ok({ type: 'Tclunk', fid: scratch });
    return out;
  }

  /** Walks to `path` from `root`, opens read-only, reads it whole, clunks. */
  readFile(root: number, scratch: number, path: string[], count = 4096): Uint8Array {
    this.walk(root, scratch, ...path);
    this.ok({ type: 'Tlopen', fid: scratch, flags: 0 });
    const chunks: number[] = [];
    for (;;) {
      const { data } = this.ok({ type: 'Tread', fid: scratch, offset: BigInt(chunks.length), count });
      if (data.length === 0) break;
      chunks.push(...data);
    }
    this.ok({ type: 'Tclunk', fid: scratch });
    return Uint8Array.from(chunks);
  }
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array): string => new TextDecoder().decode(b);
