#!/usr/bin/env bash
# Rebuilds fpu-vectors.elf: regenerates the vector table from gen-vectors.ts
# (fixed seed) and links it into the bare-metal test program. Reproducible:
# the same sources give the same bytes.
#
#   build.sh           rebuild fpu-vectors.elf
#   build.sh --check   rebuild into a temporary directory; exit 1 if the committed ELF differs
#
# Needs clang-19, lld-19 and llvm-objcopy-19 (and node, for the generator).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && npx tsx "$here/gen-vectors.ts" "$tmp/vectors.bin" >/dev/null)
cd "$here"
clang-19 --target=riscv32-unknown-elf -march=rv32imafdc -mabi=ilp32d -nostdlib -ffreestanding -O2 -g0 \
  -fno-ident -Wall -Wextra -Werror -fuse-ld=lld -Wl,-T,link.ld -Wl,--build-id=none \
  -Wa,-I"$tmp" -o "$tmp/fpu-vectors.elf" start.S main.c vectors.S
llvm-objcopy-19 --strip-all --keep-symbol=vectors --keep-symbol=vectors_end "$tmp/fpu-vectors.elf"

if [ "${1:-}" = "--check" ]; then
  if cmp -s "$tmp/fpu-vectors.elf" fpu-vectors.elf; then echo "fpu-vectors.elf is up to date"; exit 0; fi
  echo "fpu-vectors.elf is stale: run $0" >&2
  exit 1
fi
cp "$tmp/fpu-vectors.elf" fpu-vectors.elf
echo "built $here/fpu-vectors.elf ($(wc -c < fpu-vectors.elf) bytes)"
