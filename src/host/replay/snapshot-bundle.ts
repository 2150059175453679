// A saved machine for the Snapshots panel: the board snapshot (CPU, RAM,
// devices, the /host tree; src/board/snapshot.ts) plus what the page needs to
// look the same after a restore (the console's last output, the task names)
// and the session's recording up to that instant (so Share still works after a
// restore), all deflated:
//
//   "WOSSHOT" u8 version | u32 raw length | deflate( str meta (JSON) | bytes recording (codec.ts) | bytes board snapshot )
//
// Zero pages are already left out of the board snapshot; deflate does the rest.
// Files come back from IndexedDB or the user's disk: the declared raw length
// is capped and inflation writes into a buffer of exactly that size (one
// pass, no streaming: a restore must be quick), so more output is refused; the
// meta is schema-checked.
import { deflateSync, inflateSync } from 'fflate';
import { z } from 'zod';
import { StateError, StateReader, StateWriter } from '../../board/state-stream.ts';
import { decodeRecording, encodeRecording } from './codec.ts';
import type { Recording } from './recording.ts';

export const SNAPSHOT_FILE_EXT = '.wasmos-snapshot';
const MAGIC = [0x57, 0x4f, 0x53, 0x53, 0x48, 0x4f, 0x54]; // "WOSSHOT"
const VERSION = 1;
const HEADER = MAGIC.length + 1 + 4;
/** Largest board snapshot accepted: 2 GiB of RAM is the board's limit, the page uses far less. */
const MAX_RAW = 600 * 1024 * 1024;

export const SnapshotMetaSchema = z.object({
  label: z.string().max(200),
  savedAt: z.number(),
  build: z.string().regex(/^[0-9a-f]{16}$/),
  cycles: z.number().int().nonnegative(),
  instret: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{16}$/),
  memMiB: z.number().int().positive(),
  /** The console's last output (latin1), replayed into the terminal on restore. */
  console: z.string().max(256 * 1024),
  tasks: z.array(z.object({ id: z.number().int(), parent: z.number().int(), priority: z.number().int(), name: z.string().max(64) })).max(4096),
});
export type SnapshotMeta = z.infer<typeof SnapshotMetaSchema>;

export interface SnapshotBundle {
  meta: SnapshotMeta;
  recording: Recording;
  board: Uint8Array;
}

export class SnapshotFileError extends Error {}

export function packSnapshot(b: SnapshotBundle, level: 1 | 6 | 9 = 6): Uint8Array {
  const w = new StateWriter();
  w.str(JSON.stringify(b.meta));
  w.bytes(encodeRecording(b.recording));
  w.bytes(b.board);
  const raw = w.finish();
  const body = deflateSync(raw, { level });
  const out = new Uint8Array(HEADER + body.length);
  out.set(MAGIC);
  out[MAGIC.length] = VERSION;
  new DataView(out.buffer).setUint32(MAGIC.length + 1, raw.length, true);
  out.set(body, HEADER);
  return out;
}

export function unpackSnapshot(file: Uint8Array): SnapshotBundle {
  if (file.length < HEADER || MAGIC.some((b, i) => file[i] !== b)) throw new SnapshotFileError('not a WasmOS snapshot file');
  if (file[MAGIC.length] !== VERSION) throw new SnapshotFileError(`snapshot file version ${file[MAGIC.length]} is not supported`);
  const size = new DataView(file.buffer, file.byteOffset, file.length).getUint32(MAGIC.length + 1, true);
  if (size > MAX_RAW) throw new SnapshotFileError(`snapshot refused: it claims ${size} bytes (at most ${MAX_RAW})`);
  let raw: Uint8Array;
  try {
    // One byte of room more than declared: filling it means the data is longer than it says.
    raw = inflateSync(file.subarray(HEADER), { out: new Uint8Array(size + 1) });
  } catch (e) {
    throw new SnapshotFileError(`snapshot refused: it is not valid compressed data (${(e as Error).message})`);
  }
  if (raw.length !== size) throw new SnapshotFileError(`snapshot refused: it holds ${raw.length > size ? 'more' : 'less'} than the ${size} bytes it declares`);
  try {
    const r = new StateReader(raw);
    const meta = SnapshotMetaSchema.parse(JSON.parse(r.str()));
    const recording = decodeRecording(r.bytes());
    const board = r.bytes();
    if (!r.done) throw new SnapshotFileError('snapshot file has trailing bytes');
    return { meta, recording, board };
  } catch (e) {
    if (e instanceof SnapshotFileError) throw e;
    if (e instanceof StateError || e instanceof SyntaxError || e instanceof z.ZodError) throw new SnapshotFileError(`snapshot file is malformed: ${e.message}`);
    throw new SnapshotFileError(`snapshot file is malformed: ${(e as Error).message}`);
  }
}
