// HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) as a streaming decoder:
// feed it what arrives, in any pieces; it hands the body's bytes to `sink`.
export enum ChunkState { Size, Ext, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done, Error }

export class ChunkedDecoder {
  state: ChunkState = ChunkState.Size;
  remaining: i32 = 0;
  digits: i32 = 0;
  lineLen: i32 = 0;

  constructor(public sink: (p: usize, n: i32) => void) {}

  get done(): bool {
    return this.state == ChunkState.Done;
  }
  get failed(): bool {
    return this.state == ChunkState.Error;
  }

  /** Decodes n bytes at p. */
  feed(p: usize, n: i32): void {
    let i = 0;
    while (i < n && this.state != ChunkState.Done && this.state != ChunkState.Error) {
      if (this.state == ChunkState.Data) {
        const k = min(this.remaining, n - i);
        this.sink(p + <usize>i, k);
        this.remaining -= k;
        i += k;
        if (this.remaining == 0) this.state = ChunkState.DataCr;
        continue;
      }
      this.byte(load<u8>(p + <usize>i));
      i++;
    }
  }

  private byte(c: u8): void {
    switch (this.state) {
      case ChunkState.Size: {
        const v = hexValue(c);
        if (v >= 0) {
          if (++this.digits > 7) this.state = ChunkState.Error; // over 256 MB: not from a sane server
          else this.remaining = this.remaining * 16 + v;
        } else if (this.digits == 0) {
          this.state = ChunkState.Error;
        } else if (c == 13) {
          this.state = ChunkState.SizeLf;
        } else if (c == 59 || c == 32 || c == 9) {
          this.state = ChunkState.Ext; // ;extension (ignored)
        } else {
          this.state = ChunkState.Error;
        }
        break;
      }
      case ChunkState.Ext:
        if (c == 13) this.state = ChunkState.SizeLf;
        break;
      case ChunkState.SizeLf:
        if (c != 10) {
          this.state = ChunkState.Error;
        } else {
          this.digits = 0;
          this.state = this.remaining == 0 ? ChunkState.Trailer : ChunkState.Data;
          this.lineLen = 0;
        }
        break;
      case ChunkState.DataCr:
        this.state = c == 13 ? ChunkState.DataLf : ChunkState.Error;
        break;
      case ChunkState.DataLf:
        this.state = c == 10 ? ChunkState.Size : ChunkState.Error;
        this.remaining = 0;
        break;
      case ChunkState.Trailer:
        // Trailer fields are skipped; an empty line ends the message.
        if (c == 13) this.state = ChunkState.TrailerLf;
        else this.lineLen++;
        break;
      case ChunkState.TrailerLf:
        if (c != 10) this.state = ChunkState.Error;
        else if (this.lineLen == 0) this.state = ChunkState.Done;
        else {
          this.lineLen = 0;
          this.state = ChunkState.Trailer;
        }
        break;
      default:
        break;
    }
  }
}

function hexValue(c: u8): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
