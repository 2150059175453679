#!/usr/bin/env bash
# Builds every guest program (programs/<name>.c and/or programs/<name>.S,
# linked with runtime/)
# into bin/<name>.elf, and records QEMU's transcripts as the reference.
#
#   build.sh            rebuild bin/*.elf
#   build.sh --check    rebuild into a temporary directory; exit 1 naming every
#                       committed image that differs (or is missing or stale)
#   build.sh --record   run each image under QEMU and write expected/<name>.out
#
# The build is reproducible: it runs from this directory with relative paths,
# no debug info and no build id, so the same sources give the same bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

CC="${CC:-clang-19}"
CFLAGS=(
  --target=riscv32-unknown-elf -march=rv32imafdc -mabi=ilp32d
  -nostdlib -ffreestanding -fno-pic -O2 -g0 -mno-relax
  -fno-ident -ffile-prefix-map="$here"=.
  -Wall -Wextra -Werror -Iruntime
  -fuse-ld=lld -Wl,-T,link.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,norelro
)
RUNTIME=(runtime/crt0.S runtime/runtime.c)

programs() {
  for f in programs/*.c programs/*.S; do
    [ -e "$f" ] || continue
    basename "${f%.*}"
  done | sort -u
}

sources_of() {
  for f in "programs/$1.c" "programs/$1.S"; do
    if [ -e "$f" ]; then echo "$f"; fi
  done
}

build_into() {
  local out="$1" name
  mkdir -p "$out"
  for name in $(programs); do
    "$CC" "${CFLAGS[@]}" -o "$out/$name.elf" "${RUNTIME[@]}" $(sources_of "$name")
  done
}

# The hart the board implements (no H, Sstc or Zb*): see tests/helpers/qemu.ts.
QEMU_CPU="rv32,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false"

qemu_transcript() {
  # Exit status 0 is the guest's success power-off; anything else is recorded too.
  local status=0
  timeout 60 qemu-system-riscv32 -machine virt -cpu "$QEMU_CPU" -bios none -m 128 -display none -monitor none \
    -serial stdio -kernel "$1" </dev/null || status=$?
  return "$status"
}

case "${1:-}" in
  "")
    rm -f bin/*.elf
    build_into bin
    ls -l bin
    ;;
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build_into "$tmp"
    bad=0
    for name in $(programs); do
      if ! cmp -s "$tmp/$name.elf" "bin/$name.elf"; then
        echo "guest image differs from its sources: tests/guest/bin/$name.elf" >&2
        bad=1
      fi
    done
    for f in bin/*.elf; do
      [ -e "$f" ] || continue
      name="$(basename "$f" .elf)"
      if [ ! -e "$tmp/$name.elf" ]; then
        echo "guest image has no source: tests/guest/$f" >&2
        bad=1
      fi
    done
    if [ "$bad" = 0 ]; then echo "guest images match their sources"; fi
    exit "$bad"
    ;;
  --record)
    mkdir -p expected
    rm -f expected/*.out
    for f in bin/*.elf; do
      name="$(basename "$f" .elf)"
      status=0
      qemu_transcript "$f" >"expected/$name.out" || status=$?
      echo "$name: exit $status"
      if [ "$status" != 0 ]; then
        echo "QEMU run of $name did not power off with success" >&2
        exit 1
      fi
    done
    ;;
  *)
    echo "usage: $0 [--check|--record]" >&2
    exit 2
    ;;
esac
