// Ethernet II framing (no FCS: virtio-net carries frames without it).
export const ETH_HEADER = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export interface EthernetFrame {
  dst: Uint8Array;
  src: Uint8Array;
  type: number;
  payload: Uint8Array;
}

/** Null when the frame is too short to have a header. */
export function parseEthernet(frame: Uint8Array): EthernetFrame | null {
  if (frame.length < ETH_HEADER) return null;
  return {
    dst: frame.subarray(0, 6),
    src: frame.subarray(6, 12),
    type: (frame[12]! << 8) | frame[13]!,
    payload: frame.subarray(ETH_HEADER),
  };
}

export function buildEthernet(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETH_HEADER + payload.length);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = type >>> 8;
  f[13] = type & 0xff;
  f.set(payload, ETH_HEADER);
  return f;
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === 6 && b.length === 6 && a.every((x, i) => x === b[i]);
}
