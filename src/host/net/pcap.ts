// Packet capture in the classic libpcap format (LINKTYPE_ETHERNET), readable
// by Wireshark and tcpdump. Records stay in memory (`bytes()`), and can also be
// streamed out as they are written (`onChunk`, e.g. to a file).

const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 65535;

export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  /** Frames recorded. */
  count = 0;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly onChunk: ((chunk: Uint8Array) => void) | null = null,
  ) {
    const h = new Uint8Array(24);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0xa1b2c3d4, true); // microsecond timestamps, little-endian file
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, SNAPLEN, true);
    v.setUint32(20, LINKTYPE_ETHERNET, true);
    this.push(h);
  }

  /** Records one Ethernet frame (either direction) at the current time. */
  write(frame: Uint8Array): void {
    const ms = this.now();
    const incl = Math.min(frame.length, SNAPLEN);
    const rec = new Uint8Array(16 + incl);
    const v = new DataView(rec.buffer);
    const sec = Math.floor(ms / 1000);
    v.setUint32(0, sec >>> 0, true);
    v.setUint32(4, Math.floor((ms - sec * 1000) * 1000) >>> 0, true);
    v.setUint32(8, incl, true);
    v.setUint32(12, frame.length, true);
    rec.set(frame.subarray(0, incl), 16);
    this.count++;
    this.push(rec);
  }

  /** The whole capture so far, as a .pcap file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }

  private push(c: Uint8Array): void {
    this.chunks.push(c);
    this.size += c.length;
    this.onChunk?.(c);
  }
}
