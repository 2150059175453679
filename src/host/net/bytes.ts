// Byte helpers shared by the protocol modules: big-endian fields, the Internet
// checksum (RFC 1071) and dotted-quad IPv4 addresses kept as numbers.

export function u16(b: Uint8Array, off: number): number {
  return ((b[off]! << 8) | b[off + 1]!) >>> 0;
}

export function u32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

// The checksum helpers live with the board's network card, which offloads them too.
export { checksum, onesSum, pseudoSum } from '../../board/devices/virtio/inet-checksum.ts';

export function ipToString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Parses a dotted quad; null for anything else. */
export function parseIp(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function ip(text: string): number {
  const v = parseIp(text);
  if (v === null) throw new Error(`not an IPv4 address: "${text}"`);
  return v;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
