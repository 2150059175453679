// The wisp protocol, version 1 (github.com/MercuryWorkshop/wisp-protocol):
// many TCP streams multiplexed over one WebSocket. Every message is one
// packet: type u8 | stream id u32 LE | payload. Shared by the browser-side
// connector (wisp-connector.ts) and the relay (src/cli/relay.ts).

export const WISP_CONNECT = 0x01;
export const WISP_DATA = 0x02;
export const WISP_CONTINUE = 0x03;
export const WISP_CLOSE = 0x04;

export const STREAM_TCP = 0x01;

/** Close reasons. */
export const CLOSE_UNSPECIFIED = 0x01;
export const CLOSE_VOLUNTARY = 0x02;
export const CLOSE_NETWORK_ERROR = 0x03;
export const CLOSE_INVALID = 0x41;
export const CLOSE_UNREACHABLE = 0x42;
export const CLOSE_TIMEOUT = 0x43;
export const CLOSE_REFUSED = 0x44;
export const CLOSE_CLIENT_ERROR = 0x81;

export interface WispPacket {
  type: number;
  stream: number;
  payload: Uint8Array;
}

export function encodeWisp(type: number, stream: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const b = new Uint8Array(5 + payload.length);
  b[0] = type;
  new DataView(b.buffer).setUint32(1, stream >>> 0, true);
  b.set(payload, 5);
  return b;
}

/** Null for a message too short to be a packet. */
export function decodeWisp(b: Uint8Array): WispPacket | null {
  if (b.length < 5) return null;
  return { type: b[0]!, stream: new DataView(b.buffer, b.byteOffset, b.length).getUint32(1, true), payload: b.subarray(5) };
}

export function connectPayload(port: number, host: string): Uint8Array {
  const name = new TextEncoder().encode(host);
  const p = new Uint8Array(3 + name.length);
  p[0] = STREAM_TCP;
  p[1] = port & 0xff;
  p[2] = port >>> 8;
  p.set(name, 3);
  return p;
}

export function parseConnect(p: Uint8Array): { type: number; port: number; host: string } | null {
  if (p.length < 4) return null;
  return { type: p[0]!, port: p[1]! | (p[2]! << 8), host: new TextDecoder().decode(p.subarray(3)) };
}

export function u32Payload(v: number): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, v >>> 0, true);
  return p;
}

export function readU32(p: Uint8Array): number | null {
  return p.length < 4 ? null : new DataView(p.buffer, p.byteOffset, 4).getUint32(0, true);
}
