// The check every decoded recording passes before it is used (recordings come
// from links and files: untrusted). Apart from recording.ts so that zod loads
// only with the link and snapshot codecs, not with the machine worker.
import { z } from 'zod';
import { INPUT_KINDS, LIMITS, RECORDING_VERSION, RecordingError, type Recording } from './recording.ts';

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
