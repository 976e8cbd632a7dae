#!/usr/bin/env bash
# Builds the WASM package into bindings/wasm/pkg/ and the self-assessment
# page into bindings/wasm/www/ (its pkg/ and rules/ are generated, not in
# git). Installs what it needs on a fresh machine: the wasm32 target and
# wasm-bindgen-cli of the version the crate pins. Safe to run again.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cd "$root"

# ── toolchain ──
if ! rustc --print target-list >/dev/null 2>&1; then
  echo "build.sh: rustc not found" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
fi
installed="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$installed" != "$WASM_BINDGEN_VERSION" ]; then
  echo "== installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: ${installed:-none})"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# ── the .wasm: the release profile tuned for size, in a profile of its own
# so it neither rebuilds nor overwrites the native release build ──
echo "== cargo build -p ecorule-wasm --target wasm32-unknown-unknown"
cargo build -p ecorule-wasm --target wasm32-unknown-unknown \
  --config 'profile.wasm-release.inherits="release"' \
  --config 'profile.wasm-release.opt-level="z"' \
  --config 'profile.wasm-release.lto=true' \
  --config 'profile.wasm-release.codegen-units=1' \
  --config 'profile.wasm-release.panic="abort"' \
  --profile wasm-release
target="${CARGO_TARGET_DIR:-$root/target}"
raw="$target/wasm32-unknown-unknown/wasm-release/ecorule_wasm.wasm"

# ── the JS package, without the function-name section: a quarter of the
# .wasm, read only by debuggers (the core does not panic; errors reach JS
# as values with their own messages) ──
pkg="$here/pkg"
rm -rf "$pkg.tmp"
wasm-bindgen --target web --remove-name-section --out-dir "$pkg.tmp" --out-name ecorule_wasm "$raw"
rm -rf "$pkg"
mv "$pkg.tmp" "$pkg"

wasm="$pkg/ecorule_wasm_bg.wasm"
bytes=$(wc -c <"$wasm")
gzipped=$(gzip -9 -c "$wasm" | wc -c)
echo "== $wasm: $bytes bytes raw, $gzipped bytes gzipped (gzip -9)"
limit=$((400 * 1024))
if [ "$gzipped" -gt "$limit" ]; then
  echo "build.sh: the gzipped .wasm is larger than 400 KiB" >&2
  exit 1
fi

# ── the page: the package and the bundled rulebooks beside it ──
site="$here/www"
rm -rf "$site/pkg" "$site/rules"
mkdir -p "$site/pkg"
cp "$pkg/ecorule_wasm.js" "$pkg/ecorule_wasm_bg.wasm" "$pkg/ecorule_wasm.d.ts" "$site/pkg/"
node "$here/scripts/site.mjs" "$root/rules" "$site/rules"
echo "== page ready in $site (serve it with: node bindings/wasm/scripts/serve.mjs)"
