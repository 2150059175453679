#!/usr/bin/env bash
# Builds the benchmark workload: bench/guest/workload.elf (committed).
#   bash bench/guest/build.sh          rebuild the committed image
#   bash bench/guest/build.sh --check  rebuild into a temp dir and fail if it
#                                      differs from the committed image
# Needs Debian's clang-19 and lld-19. The flags leave out everything that
# could vary between hosts (debug info, build ids, paths), so the same
# compiler always produces the same bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CC="${CC:-clang-19}"

build() {
  local out="$1"
  "$CC" --target=riscv32-unknown-elf -march=rv32imac -mabi=ilp32 -mcmodel=medany \
    -O2 -g0 -std=c11 -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-stack-protector \
    -fno-ident -nostdlib -static -fuse-ld=lld -Wl,--build-id=none -Wl,-T,"$here/link.ld" \
    -o "$out" "$here/crt0.S" "$here/workload.c"
}

case "${1:-}" in
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build "$tmp/workload.elf"
    if ! cmp -s "$tmp/workload.elf" "$here/workload.elf"; then
      echo "bench/guest/workload.elf differs from what its sources build; run: bash bench/guest/build.sh" >&2
      exit 1
    fi
    echo "bench/guest/workload.elf is up to date"
    ;;
  "")
    build "$here/workload.elf"
    ;;
  *)
    echo "usage: build.sh [--check]" >&2
    exit 2
    ;;
esac
