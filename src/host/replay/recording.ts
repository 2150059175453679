// A recording: everything needed to rebuild a session of the deterministic
// board exactly — which OS build, which board configuration, the host file
// tree at power-on, and every host input with the guest cycle count at which
// it entered. `end` is where the session was when it was shared, with the
// machine's state hash there, so a replay can prove it arrived at the same
// state. Recordings come from links and files: untrusted, so every decoded
// one passes RecordingSchema (recording-schema.ts) before it is used.
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

export class RecordingError extends Error {}
