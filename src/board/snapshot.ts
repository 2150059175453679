// The snapshot container: a versioned, checksummed envelope around the board
// configuration and the state stream the machine writes.
//
//   "WOSNAP" u8 0 u8 version | u32 configLength | config (StateWriter) | u32 stateLength | state | u32 check
//
// The check is the state hash's first lane over everything before it, so a
// truncated or corrupted blob is refused with a clear error before any of it
// is used.
import { StateHash } from './hash.ts';
import type { BoardConfig } from './machine.ts';
import { StateError, StateReader, StateWriter } from './state-stream.ts';

export const SNAPSHOT_VERSION = 1;
const MAGIC = [0x57, 0x4f, 0x53, 0x4e, 0x41, 0x50, 0x00]; // "WOSNAP\0"

export class SnapshotError extends Error {}

function check(data: Uint8Array): number {
  return parseInt(new StateHash().update(data).hex().slice(0, 8), 16) >>> 0;
}

export function writeSnapshot(config: BoardConfig, state: Uint8Array): Uint8Array {
  const w = new StateWriter();
  for (const b of MAGIC) w.u8(b);
  w.u8(SNAPSHOT_VERSION);
  w.str(JSON.stringify({
    bios: config.bios, memMiB: config.memMiB, bootargs: config.bootargs, virtio: config.virtio,
    aclint: config.aclint, rngSeed: config.rngSeed, rtcEpochNs: config.rtcEpochNs, trace: config.trace,
  }));
  w.bytes(config.image);
  w.bool(config.initrd !== undefined);
  if (config.initrd) w.bytes(config.initrd);
  w.bool(config.drive !== undefined);
  if (config.drive) w.bytes(config.drive);
  w.bytes(state);
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, check(body), true);
  return out;
}

export function readSnapshot(blob: Uint8Array): { config: BoardConfig; state: Uint8Array } {
  if (blob.length < MAGIC.length + 5 || MAGIC.some((b, i) => blob[i] !== b)) {
    throw new SnapshotError('not a WasmOS board snapshot');
  }
  const version = blob[MAGIC.length]!;
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(`snapshot version ${version} is not supported (this board reads version ${SNAPSHOT_VERSION})`);
  }
  const body = blob.subarray(0, blob.length - 4);
  const stored = new DataView(blob.buffer, blob.byteOffset + blob.length - 4, 4).getUint32(0, true);
  if (stored !== check(body)) throw new SnapshotError('snapshot is corrupt (checksum mismatch)');
  try {
    const r = new StateReader(body.subarray(MAGIC.length + 1));
    const base = JSON.parse(r.str()) as Omit<BoardConfig, 'image'>;
    const image = r.bytes();
    const initrd = r.bool() ? r.bytes() : undefined;
    const drive = r.bool() ? r.bytes() : undefined;
    const state = r.bytes();
    return { config: { ...base, image, initrd, drive }, state };
  } catch (e) {
    if (e instanceof StateError || e instanceof SyntaxError) throw new SnapshotError(`snapshot is malformed: ${e.message}`);
    throw e;
  }
}
