// The 9P2000.L messages this server speaks, as one table: each message's type
// number and its fields in wire order (after size[4] type[1] tag[2]). The
// codec reads and writes every message from this table, and the TypeScript
// message types are derived from it, so layout and types cannot disagree.

import type { Qid } from './wire.ts';

/** How a field is laid out on the wire. */
export type FieldKind =
  | 'u8' | 'u16' | 'u32' | 'u64'
  | 'str'    // len[2] utf-8
  | 'qid'    // type[1] version[4] path[8]
  | 'strs'   // n[2] n*str (Twalk names)
  | 'qids'   // n[2] n*qid (Rwalk)
  | 'data'   // count[4] bytes[count]
  | 'opt32'; // a trailing u32 older clients leave out (Tfsync's datasync): 0 when absent

interface KindTypes {
  u8: number; u16: number; u32: number; u64: bigint; str: string; qid: Qid;
  strs: string[]; qids: Qid[]; data: Uint8Array; opt32: number;
}

type Field = readonly [string, FieldKind];

export const SCHEMA = {
  Rlerror: [7, [['ecode', 'u32']]],
  Tstatfs: [8, [['fid', 'u32']]],
  Rstatfs: [9, [['fsType', 'u32'], ['bsize', 'u32'], ['blocks', 'u64'], ['bfree', 'u64'], ['bavail', 'u64'],
    ['files', 'u64'], ['ffree', 'u64'], ['fsid', 'u64'], ['namelen', 'u32']]],
  Tlopen: [12, [['fid', 'u32'], ['flags', 'u32']]],
  Rlopen: [13, [['qid', 'qid'], ['iounit', 'u32']]],
  Tlcreate: [14, [['fid', 'u32'], ['name', 'str'], ['flags', 'u32'], ['mode', 'u32'], ['gid', 'u32']]],
  Rlcreate: [15, [['qid', 'qid'], ['iounit', 'u32']]],
  Trename: [20, [['fid', 'u32'], ['dfid', 'u32'], ['name', 'str']]],
  Rrename: [21, []],
  Tgetattr: [24, [['fid', 'u32'], ['requestMask', 'u64']]],
  Rgetattr: [25, [['valid', 'u64'], ['qid', 'qid'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'],
    ['nlink', 'u64'], ['rdev', 'u64'], ['size', 'u64'], ['blksize', 'u64'], ['blocks', 'u64'],
    ['atimeSec', 'u64'], ['atimeNsec', 'u64'], ['mtimeSec', 'u64'], ['mtimeNsec', 'u64'],
    ['ctimeSec', 'u64'], ['ctimeNsec', 'u64'], ['btimeSec', 'u64'], ['btimeNsec', 'u64'],
    ['gen', 'u64'], ['dataVersion', 'u64']]],
  Tsetattr: [26, [['fid', 'u32'], ['valid', 'u32'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'],
    ['size', 'u64'], ['atimeSec', 'u64'], ['atimeNsec', 'u64'], ['mtimeSec', 'u64'], ['mtimeNsec', 'u64']]],
  Rsetattr: [27, []],
  Treaddir: [40, [['fid', 'u32'], ['offset', 'u64'], ['count', 'u32']]],
  Rreaddir: [41, [['data', 'data']]],
  Tfsync: [50, [['fid', 'u32'], ['datasync', 'opt32']]],
  Rfsync: [51, []],
  Tmkdir: [72, [['dfid', 'u32'], ['name', 'str'], ['mode', 'u32'], ['gid', 'u32']]],
  Rmkdir: [73, [['qid', 'qid']]],
  Trenameat: [74, [['olddirfid', 'u32'], ['oldname', 'str'], ['newdirfid', 'u32'], ['newname', 'str']]],
  Rrenameat: [75, []],
  Tunlinkat: [76, [['dirfid', 'u32'], ['name', 'str'], ['flags', 'u32']]],
  Runlinkat: [77, []],
  Tversion: [100, [['msize', 'u32'], ['version', 'str']]],
  Rversion: [101, [['msize', 'u32'], ['version', 'str']]],
  Tauth: [102, [['afid', 'u32'], ['uname', 'str'], ['aname', 'str'], ['nUname', 'u32']]],
  Rauth: [103, [['aqid', 'qid']]],
  Tattach: [104, [['fid', 'u32'], ['afid', 'u32'], ['uname', 'str'], ['aname', 'str'], ['nUname', 'u32']]],
  Rattach: [105, [['qid', 'qid']]],
  Tflush: [108, [['oldtag', 'u16']]],
  Rflush: [109, []],
  Twalk: [110, [['fid', 'u32'], ['newfid', 'u32'], ['wnames', 'strs']]],
  Rwalk: [111, [['wqids', 'qids']]],
  Tread: [116, [['fid', 'u32'], ['offset', 'u64'], ['count', 'u32']]],
  Rread: [117, [['data', 'data']]],
  Twrite: [118, [['fid', 'u32'], ['offset', 'u64'], ['data', 'data']]],
  Rwrite: [119, [['count', 'u32']]],
  Tclunk: [120, [['fid', 'u32']]],
  Rclunk: [121, []],
  Tremove: [122, [['fid', 'u32']]],
  Rremove: [123, []],
} as const satisfies Record<string, readonly [number, readonly Field[]]>;

type Schema = typeof SCHEMA;
export type MessageName = keyof Schema;

type FieldsOf<L extends readonly Field[]> = {
  -readonly [F in L[number] as F[0]]: KindTypes[F[1]];
};

/** Every message, discriminated by `type` (its name, e.g. 'Tread'). */
export type Message = { [N in MessageName]: { type: N; tag: number } & FieldsOf<Schema[N][1]> }[MessageName];

/** The message named N. */
export type Msg<N extends MessageName> = Extract<Message, { type: N }>;

/** Type number of each message name, and the reverse. */
export const TYPE_NUMBER = Object.fromEntries(
  Object.entries(SCHEMA).map(([name, [num]]) => [name, num]),
) as { [N in MessageName]: Schema[N][0] };

const BY_NUMBER = new Map<number, MessageName>(
  Object.entries(SCHEMA).map(([name, [num]]) => [num, name as MessageName]),
);

export function messageName(type: number): MessageName | undefined {
  return BY_NUMBER.get(type);
}

export function fieldsOf(name: MessageName): readonly Field[] {
  return SCHEMA[name][1];
}
