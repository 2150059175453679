#!/usr/bin/env bash
# Rebuilds fpu-vectors.elf: regenerates the vector table from gen-vectors.ts
# (fixed seed) and links it into the bare-metal test program.
# Needs clang-19 and lld-19; run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && npx tsx "$here/gen-vectors.ts" "$tmp/vectors.bin")
clang-19 --target=riscv32-unknown-elf -march=rv32imafdc -mabi=ilp32d -nostdlib -ffreestanding -O2 \
  -fuse-ld=lld -Wl,-T,"$here/link.ld" -Wl,--build-id=none -Wa,-I"$tmp" -I"$tmp" \
  -o "$here/fpu-vectors.elf" "$here/start.S" "$here/main.c" "$here/vectors.S"
llvm-objcopy-19 --strip-debug "$here/fpu-vectors.elf"
echo "built $here/fpu-vectors.elf"
