#!/usr/bin/env bash
# Builds 9p.elf, the bare-metal virtio-9p client the 9p guest test runs on the
# board (and on QEMU with a real 9p share). Reproducible: relative paths, no
# debug info, no build id, so the same sources give the same bytes.
#
#   build.sh           rebuild 9p.elf
#   build.sh --check   rebuild into a temporary directory; exit 1 if the committed ELF differs
#
# Needs clang-19 and lld-19.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
clang-19 --target=riscv32-unknown-elf -march=rv32imac -mabi=ilp32 -nostdlib -ffreestanding -fno-pic -O2 -g0 \
  -mno-relax -fno-ident -ffile-prefix-map="$here"=. -Wall -Wextra -Werror \
  -fuse-ld=lld -Wl,-T,link.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,norelro \
  -o "$tmp/9p.elf" start.S main.c

if [ "${1:-}" = "--check" ]; then
  if cmp -s "$tmp/9p.elf" 9p.elf; then echo "9p.elf is up to date"; exit 0; fi
  echo "tests/guest/9p/9p.elf is stale: run $0" >&2
  exit 1
fi
cp "$tmp/9p.elf" 9p.elf
echo "built $here/9p.elf ($(wc -c < 9p.elf) bytes)"
