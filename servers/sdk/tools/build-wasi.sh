#!/usr/bin/env bash
# Builds the WASI test programs: each servers/wasi/<name>.c is compiled with
# clang-19 and Debian's wasi-libc (apt-get install wasi-libc
# libclang-rt-19-dev-wasm32) into servers/build/wasi/<name>.wasm; the mock
# fs/console server servers/wasi/mock/mockfs.c is an SDK program (no WASI) and
# becomes servers/build/wasi/mockfs.wasm. docs/wasi.md describes them.
#   build-wasi.sh          rebuild
#   build-wasi.sh --check  rebuild into a temp dir; fail if a committed module differs
# Reproducible as build-c.sh: relative paths, no debug info, only the "name"
# custom section kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
CC="${CC:-clang-19}"
COMMON=(-O2 -std=c11 -Wall -Wextra -Werror -g0 -Wl,--strip-all,--keep-section=name)
WASI=(--target=wasm32-wasi "${COMMON[@]}")
SDK=(--target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=main -I servers/sdk/include "${COMMON[@]}")

build_into() {
  local out="$1" src name
  mkdir -p "$out/wasi"
  for src in servers/wasi/*.c; do
    name="$(basename "$src" .c)"
    "$CC" "${WASI[@]}" -o "$out/wasi/$name.wasm" "$src"
  done
  "$CC" "${SDK[@]}" -o "$out/wasi/mockfs.wasm" servers/wasi/mock/mockfs.c
  chmod a-x "$out"/wasi/*.wasm
}

case "${1:-}" in
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build_into "$tmp"
    status=0
    for f in "$tmp"/wasi/*.wasm; do
      rel="wasi/$(basename "$f")"
      if ! cmp -s "$f" "servers/build/$rel"; then
        echo "servers/build/$rel differs from its source; run: bash servers/sdk/tools/build-wasi.sh" >&2
        status=1
      fi
    done
    [ "$status" = 0 ] && echo "servers/build/wasi is up to date"
    exit "$status"
    ;;
  "") build_into servers/build ;;
  *) echo "usage: build-wasi.sh [--check]" >&2; exit 2 ;;
esac
