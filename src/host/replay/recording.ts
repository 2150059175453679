// A recording: everything needed to rebuild a session of the deterministic
// board exactly — which OS build, which board configuration, the host file
// tree at power-on, and every host input with the guest cycle count at which
// it entered. `end` is where the session was when it was shared, with the
// machine's state hash there, so a replay can prove it arrived at the same
// state. Recordings come from links and files: untrusted, so every decoded
// one passes RecordingSchema before it is used.
import { z } from 'zod';

export const RECORDING_VERSION = 1;

/**
 * serial: UART bytes; mailbox: one host command; net: one Ethernet frame
 * (these three are the board's own input log);
 * file / mkdir / remove / rename: host-side changes to the /host tree
 * (uploads, editor builds), applied between slices;
 * trace: the host switched the kernel trace on (data [1]) or off ([0]),
 * which changes what the kernel executes.
 */
export const INPUT_KINDS = ['serial', 'mailbox', 'net', 'file', 'mkdir', 'remove', 'rename', 'trace'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface RecordedInput {
  cycles: number;
  kind: InputKind;
  /** file: the path written; mkdir/remove: the path; rename: the old path. */
  path?: string;
  /** rename: the new path. */
  to?: string;
  data: Uint8Array;
}

export interface BoardSetup {
  memMiB: number;
  bootargs: string;
  /** Whether the kernel trace was on at power-on. */
  trace: boolean;
}

export interface Recording {
  version: number;
  /** The OS build (see build-id.ts): a recording only replays on the same kernel and OS archive. */
  build: string;
  board: BoardSetup;
  /** The host tree's state at power-on (HostTree.save). */
  tree: Uint8Array;
  inputs: RecordedInput[];
  /** Guest cycles when the recording was taken, and the machine's state hash then. */
  end: { cycles: number; hash: string };
}

/** Limits on what a recording may ask of the page. */
export const LIMITS = {
  inputs: 100_000,
  /** One input's data (an uploaded program, a file). */
  inputBytes: 16 * 1024 * 1024,
  /** Everything decoded together. */
  totalBytes: 32 * 1024 * 1024,
  bootargs: 1024,
  path: 1024,
} as const;

const bytes = z.instanceof(Uint8Array);
const cycles = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hostPath = z.string().max(LIMITS.path).regex(/^(\/[^/\0]+)+$/, 'an absolute path without empty parts');

const InputSchema = z.object({
  cycles,
  kind: z.enum(INPUT_KINDS),
  path: hostPath.optional(),
  to: hostPath.optional(),
  data: bytes.refine((b) => b.length <= LIMITS.inputBytes, 'input data too large'),
}).superRefine((x, ctx) => {
  const needsPath = x.kind === 'file' || x.kind === 'mkdir' || x.kind === 'remove' || x.kind === 'rename';
  if (needsPath !== (x.path !== undefined)) ctx.addIssue({ code: 'custom', message: `${x.kind} input ${needsPath ? 'needs' : 'takes no'} path` });
  if ((x.kind === 'rename') !== (x.to !== undefined)) ctx.addIssue({ code: 'custom', message: 'only rename takes a target path' });
  if (x.kind === 'trace' && (x.data.length !== 1 || x.data[0]! > 1)) ctx.addIssue({ code: 'custom', message: 'trace input must be one byte 0 or 1' });
  if ((x.kind === 'serial' || x.kind === 'mailbox' || x.kind === 'net') && x.data.length === 0) {
    ctx.addIssue({ code: 'custom', message: `${x.kind} input is empty` });
  }
});

export const RecordingSchema = z.object({
  version: z.literal(RECORDING_VERSION),
  build: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-digit hex build id'),
  board: z.object({
    memMiB: z.number().int().min(16).max(2048),
    bootargs: z.string().max(LIMITS.bootargs).regex(/^[\x20-\x7e]*$/, 'printable ASCII'),
    trace: z.boolean(),
  }),
  tree: bytes.refine((b) => b.length <= LIMITS.totalBytes, 'tree state too large'),
  inputs: z.array(InputSchema).max(LIMITS.inputs),
  end: z.object({ cycles, hash: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-digit hex state hash') }),
}).superRefine((r, ctx) => {
  let last = 0;
  let total = r.tree.length;
  for (const [i, x] of r.inputs.entries()) {
    if (x.cycles < last) ctx.addIssue({ code: 'custom', message: `input ${i} goes back in time`, path: ['inputs', i] });
    last = x.cycles;
    total += x.data.length;
  }
  if (r.end.cycles < last) ctx.addIssue({ code: 'custom', message: 'the end lies before the last input', path: ['end'] });
  if (total > LIMITS.totalBytes) ctx.addIssue({ code: 'custom', message: 'recording too large' });
});

export class RecordingError extends Error {}

/** Checks an untrusted decoded value; the error names the first problem. */
export function validateRecording(value: unknown): Recording {
  const r = RecordingSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw new RecordingError(`invalid recording: ${issue.message}${where}`);
  }
  return r.data as Recording;
}
