#!/usr/bin/env bash
# How much of the 1 MiB stack WASM gives the module the deepest expressions
# the core's limits admit take: relinks the module with each stack size
# given (bytes; default 1 MiB down to 128 KiB) and runs the page's
# "deepest expressions" tests against it, printing pass or fail for each.
#
#   bindings/wasm/scripts/stack.sh [SIZE...]
#
# Needs what build.sh installs (run it first). Leaves bindings/wasm/pkg as
# it is; the relinked modules go to a temporary folder. Run build.sh again
# before other tests: the .wasm in target/ is the last one relinked.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1048576 524288 262144 196608 131072)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target="${CARGO_TARGET_DIR:-$root/target}"
for size in "${sizes[@]}"; do
  # The release profile of build.sh; only the final link takes the flag.
  cargo rustc -q -p ecorule-wasm --target wasm32-unknown-unknown \
    --config 'profile.wasm-release.inherits="release"' \
    --config 'profile.wasm-release.opt-level="z"' \
    --config 'profile.wasm-release.lto=true' \
    --config 'profile.wasm-release.codegen-units=1' \
    --config 'profile.wasm-release.panic="abort"' \
    --profile wasm-release --crate-type cdylib -- -C "link-arg=-zstack-size=$size"
  out="$work/$size"
  mkdir -p "$out/pkg" "$out/tests"
  wasm-bindgen --target web --remove-name-section --out-dir "$out/pkg" --out-name ecorule_wasm \
    "$target/wasm32-unknown-unknown/wasm-release/ecorule_wasm.wasm"
  cp "$here"/tests/*.mjs "$out/tests/"
  if (cd "$out" && node --test --test-name-pattern='the deepest expressions' tests/input.test.mjs >"$out/log" 2>&1); then
    echo "stack $size bytes: pass"
  else
    why="$(grep -m1 -o "error: '[^']*'" "$out/log" || echo 'see the test output')"
    echo "stack $size bytes: FAIL ($why)"
  fi
done
