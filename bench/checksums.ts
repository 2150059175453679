// The benchmark workloads print one "checksum NAME 0xHEX" line per kernel;
// the board and QEMU must agree on every one.

export type Checksums = Map<string, string>;

export function parseChecksums(output: string): Checksums {
  const sums: Checksums = new Map();
  for (const m of output.matchAll(/^checksum (\S+) (0x[0-9a-f]+)\r?$/gm)) sums.set(m[1]!, m[2]!);
  return sums;
}

/** Names of kernels whose checksums differ or are missing on one side; empty when they agree. */
export function checksumMismatches(a: Checksums, b: Checksums): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n));
}
