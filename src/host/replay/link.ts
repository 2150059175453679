// Recordings as links and files: binary (codec.ts) → raw DEFLATE (fflate) →
// base64url in the URL fragment (#r=...), so the recording never reaches a
// server. Recordings whose link would be too long are saved as a
// .wasmos-recording file (the same compressed bytes) instead.
import { deflateSync } from 'fflate';
import { boundedInflate } from './bounded-inflate.ts';
import { decodeRecording, encodeRecording } from './codec.ts';
import { LIMITS, RecordingError, type Recording } from './recording.ts';

/** Longest fragment a Share link gets; longer recordings become files. */
export const MAX_LINK_CHARS = 64 * 1024;
/** Longest fragment the page will even try to decode. */
export const MAX_FRAGMENT_CHARS = 1024 * 1024;
export const RECORDING_FILE_EXT = '.wasmos-recording';
export const FRAGMENT_KEY = 'r';

export function packRecording(r: Recording): Uint8Array {
  return deflateSync(encodeRecording(r), { level: 9, mem: 8 });
}

/** Decompresses (bounded), decodes and validates; RecordingError says why not. */
export function unpackRecording(packed: Uint8Array): Recording {
  let raw: Uint8Array;
  try {
    raw = boundedInflate(packed, LIMITS.totalBytes + 1024 * 1024);
  } catch (e) {
    throw new RecordingError(`recording refused: ${(e as Error).message}`);
  }
  return decodeRecording(raw);
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new RecordingError('recording link is damaged: not base64url');
  if (text.length % 4 === 1) throw new RecordingError('recording link is damaged: truncated');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment text ("r=...") for a recording. */
export function recordingFragment(packed: Uint8Array): string {
  return `${FRAGMENT_KEY}=${toBase64Url(packed)}`;
}

/** The packed recording named by a URL fragment ("#r=..."), null when it names none. */
export function packedFromFragment(hash: string): Uint8Array | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(FRAGMENT_KEY);
  if (value === null) return null;
  if (value.length > MAX_FRAGMENT_CHARS) throw new RecordingError(`recording link is too long (${value.length} characters; at most ${MAX_FRAGMENT_CHARS})`);
  return fromBase64Url(value);
}
