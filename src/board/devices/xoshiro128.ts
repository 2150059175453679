// xoshiro128** (Blackman & Vigna), a small fast PRNG whose whole state is four
// 32-bit words: deterministic, seedable and trivially snapshotted. Seeds are
// expanded with splitmix32 so that similar seeds give unrelated streams.
import type { StateReader, StateWriter } from '../state-stream.ts';

export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    // The all-zero state is a fixed point; splitmix32 cannot produce it, but a restored stream could.
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i += 4) {
      let r = this.nextU32();
      for (let k = i; k < Math.min(i + 4, out.length); k++) { out[k] = r & 0xff; r >>>= 8; }
    }
  }

  save(w: StateWriter): void { w.u32array(this.s); }

  restore(r: StateReader): void {
    r.u32arrayInto(this.s);
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
