#!/usr/bin/env bash
# Builds the Wasm task benchmark (bench/wasm-benchmark.ts): the C benchmarks
# of tests/wasm/bench/bench.c compiled twice with clang-19,
#   bench/wasm/bench-native.elf  rv32imafdc bare metal for the board
#   bench/wasm/bench.wasm        wasm32, run as a Wasm task by the kernel
# and bench/wasm/big.wasm, a ~100 KB module whose spawn cost is measured.
# All three are committed.
#   bash bench/wasm/build.sh          rebuild them
#   bash bench/wasm/build.sh --check  rebuild into a temp dir and fail if they
#                                     differ from the committed files
# No debug info, build ids or paths go into the outputs, so the same compiler
# always produces the same bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/../../tests/wasm/bench/bench.c"
CC="${CC:-clang-19}"
COMMON=(-O2 -g0 -std=c11 -Wall -Wextra -Werror -ffreestanding -fno-ident -ffp-contract=off -nostdlib)

build() {
  local out="$1"
  (cd "$here" && "$CC" --target=riscv32-unknown-elf -march=rv32imafdc -mabi=ilp32d -mcmodel=medany -mno-relax \
    "${COMMON[@]}" -fno-pic -fno-stack-protector -static -fuse-ld=lld -Wl,--build-id=none -Wl,-T,link.ld \
    -o "$out/bench-native.elf" crt0.S native-main.c ../../tests/wasm/bench/bench.c)
  # Only the name section is kept (function names for trap messages): "producers"
  # would record the exact clang version.
  local wasm=(--target=wasm32 "${COMMON[@]}" -Wl,--no-entry,--strip-all,--keep-section=name)
  (cd "$here" && "$CC" -mbulk-memory "${wasm[@]}" -o "$out/bench.wasm" wasm-main.c ../../tests/wasm/bench/bench.c)
  (cd "$here" && "$CC" "${wasm[@]}" -o "$out/big.wasm" big.c)
}

[ -f "$src" ] || { echo "missing $src" >&2; exit 1; }
case "${1:-}" in
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build "$tmp"
    for f in bench-native.elf bench.wasm big.wasm; do
      if ! cmp -s "$tmp/$f" "$here/$f"; then
        echo "bench/wasm/$f differs from what its sources build; run: bash bench/wasm/build.sh" >&2
        exit 1
      fi
    done
    echo "bench/wasm/bench-native.elf, bench.wasm and big.wasm are up to date"
    ;;
  "")
    build "$here"
    ;;
  *)
    echo "usage: build.sh [--check]" >&2
    exit 2
    ;;
esac
