// DEFLATE decompression that refuses to produce more than a cap: the input is
// untrusted (a link, a dropped file), and a few KB of deflate can expand to
// gigabytes. The stream is fed in small chunks so the output of one push is
// bounded too (deflate expands at most ~1032:1), and it stops at the cap.
import { Inflate } from 'fflate';

export class InflateError extends Error {}

const CHUNK = 1024;

export function boundedInflate(data: Uint8Array, maxOut: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > maxOut) throw new InflateError(`it expands beyond ${maxOut} bytes`);
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let o = 0; o < data.length; o += CHUNK) inflate.push(data.subarray(o, o + CHUNK), o + CHUNK >= data.length);
    if (data.length === 0) inflate.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof InflateError) throw e;
    throw new InflateError(`it is not valid compressed data (${(e as Error).message})`);
  }
  if (!ended) throw new InflateError('the compressed data is truncated');
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of parts) { out.set(c, p); p += c.length; }
  return out;
}
