// A compute-heavy job, timed: `compute primes [N]` counts the primes below N
// (default 100000) with a sieve of Eratosthenes; `compute mandel [W [H]]` draws
// the Mandelbrot set in ASCII (default 64 x 24, floating point). Both print
// their result, the guest time and the instructions they took.
import { argCount, arg, instructions, nowNs, println } from "../../sdk/assembly";
import { intArg, usageError } from "../lib/args";

const PROG = "compute";

/** How many primes are below n, and the largest of them. */
function sieve(n: i32): i32 {
  // composite[i] for i < n; 0 and 1 are not primes.
  const composite = new Uint8Array(max(n, 2));
  let count = 0;
  let largest = 0;
  for (let i = 2; i < n; i++) {
    if (unchecked(composite[i])) continue;
    count++;
    largest = i;
    for (let j = <i64>i * i; j < <i64>n; j += i) unchecked((composite[<i32>j] = 1));
  }
  println(PROG + ": " + count.toString() + " primes below " + n.toString() + (count > 0 ? ", the largest " + largest.toString() : ""));
  return count;
}

const SHADES = " .:-=+*#%@";

/** The Mandelbrot set over [-2.2, 1] x [-1.2, 1.2], one character per point. */
function mandel(w: i32, h: i32): i32 {
  const maxIter = 64;
  let inside = 0;
  for (let y = 0; y < h; y++) {
    let line = "";
    const ci = -1.2 + (2.4 * <f64>y) / <f64>max(h - 1, 1);
    for (let x = 0; x < w; x++) {
      const cr = -2.2 + (3.2 * <f64>x) / <f64>max(w - 1, 1);
      let zr = 0.0;
      let zi = 0.0;
      let k = 0;
      while (k < maxIter && zr * zr + zi * zi <= 4.0) {
        const t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
      }
      if (k == maxIter) inside++;
      line += k == maxIter ? "@" : SHADES.charAt((k * (SHADES.length - 1)) / maxIter);
    }
    println(line);
  }
  println(PROG + ": " + inside.toString() + " of " + (w * h).toString() + " points inside the set");
  return inside;
}

export function main(): i32 {
  const what = argCount() > 1 ? arg(1) : "primes";
  const t0 = nowNs();
  const i0 = instructions();
  if (what == "primes") {
    sieve(intArg(PROG, 2, "N", 100000, 0, 10000000));
  } else if (what == "mandel") {
    mandel(intArg(PROG, 2, "W", 64, 1, 200), intArg(PROG, 3, "H", 24, 1, 100));
  } else {
    usageError(PROG, "unknown job '" + what + "': compute primes [N] | compute mandel [W [H]]");
  }
  const ms = (nowNs() - t0) / 1000000;
  println(PROG + ": " + what + " took " + ms.toString() + " ms of guest time, " + (instructions() - i0).toString() + " instructions");
  return 0;
}
