#!/usr/bin/env bash
# Builds every C program under servers/ (a directory holding main.c) with the
# C SDK into servers/build/<its path under servers/>.wasm, e.g.
# servers/examples/hello-c/main.c -> servers/build/examples/hello-c.wasm.
#   build-c.sh          rebuild
#   build-c.sh --check  rebuild into a temp dir; fail if a committed module differs
# Reproducible: relative paths, no debug info, and only the "name" custom
# section kept (function names for trap messages; "producers" would record the
# exact clang version).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
CC="${CC:-clang-19}"
CFLAGS=(
  --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=main -O2
  -std=c11 -Wall -Wextra -Werror -g0 -I servers/sdk/include -Wl,--strip-all,--keep-section=name
)

programs() {
  find servers -name main.c -not -path 'servers/sdk/*' -not -path 'servers/idl/*' -not -path 'servers/build/*' | sort
}

build_into() {
  local out="$1" src rel
  while IFS= read -r src; do
    rel="${src#servers/}"
    rel="${rel%/main.c}"
    mkdir -p "$(dirname "$out/$rel.wasm")"
    "$CC" "${CFLAGS[@]}" -o "$out/$rel.wasm" "$src"
    chmod a-x "$out/$rel.wasm"
  done < <(programs)
}

case "${1:-}" in
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    build_into "$tmp"
    status=0
    while IFS= read -r f; do
      rel="${f#"$tmp"/}"
      if ! cmp -s "$f" "servers/build/$rel"; then
        echo "servers/build/$rel differs from its source; run: bash servers/sdk/tools/build-c.sh" >&2
        status=1
      fi
    done < <(find "$tmp" -name '*.wasm' | sort)
    [ "$status" = 0 ] && echo "servers/build (C programs) is up to date"
    exit "$status"
    ;;
  "") build_into servers/build ;;
  *) echo "usage: build-c.sh [--check]" >&2; exit 2 ;;
esac
