// Rreaddir's payload: directory entries packed as qid[13] offset[8] type[1]
// name[s], where offset is the cookie a client passes to continue after the
// entry.
import { QID_SIZE, WireReader, utf8Length, type Qid, type WireWriter } from './wire.ts';

export interface Dirent {
  qid: Qid;
  /** Treaddir offset that continues after this entry. */
  offset: bigint;
  /** DT_DIR, DT_REG, ... */
  type: number;
  name: string;
}

export function direntSize(name: string): number {
  return QID_SIZE + 8 + 1 + 2 + utf8Length(name);
}

export function writeDirent(w: WireWriter, d: Dirent): void {
  w.qid(d.qid);
  w.u64(d.offset);
  w.u8(d.type);
  w.str(d.name);
}

/** Parses a whole Rreaddir payload; throws WireError on a malformed one. */
export function decodeDirents(data: Uint8Array): Dirent[] {
  const r = new WireReader(data);
  const out: Dirent[] = [];
  while (r.remaining > 0) {
    const qid = r.qid();
    const offset = r.u64();
    const type = r.u8();
    out.push({ qid, offset, type, name: r.str() });
  }
  return out;
}
