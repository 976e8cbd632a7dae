#!/usr/bin/env bash
# Every test of the WASM binding: the JS API against the CLI's JSON, the
# page's answer handling, the TypeScript declarations (tsc), and the page
# end to end in Debian's headless Chromium. Builds and installs what it
# needs on a fresh machine (the package, the CLI, Chromium, npm packages);
# safe to run again. Artifacts (screenshots, PDF, exported audit) go to
# artifacts/wasm/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cd "$root"

sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"
}

# ── the package and the page (incremental) ──
bash "$here/scripts/build.sh"

# ── clippy for the browser's 32-bit target: `make lint` checks the
# workspace as built for this machine, where sizes and lints differ ──
if cargo clippy --version >/dev/null 2>&1; then
  echo "== cargo clippy -p ecorule -p ecorule-wasm --target wasm32-unknown-unknown"
  cargo clippy -p ecorule -p ecorule-wasm --target wasm32-unknown-unknown -- -D warnings
fi

# ── the CLI, whose JSON the package must equal ──
echo "== cargo build --release -p ecorule-cli"
cargo build --release -p ecorule-cli
export ECORULE_CLI="${ECORULE_CLI:-${CARGO_TARGET_DIR:-$root/target}/release/ecorule}"

# ── Chromium from Debian (never a downloaded browser) ──
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "== installing chromium"
  apt_install chromium
fi
# A CJK font so screenshots show the Chinese text (not needed to pass).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  apt_install fonts-wqy-zenhei || echo "warning: no CJK font installed; screenshots show boxes for Chinese" >&2
fi
export CHROMIUM

# ── npm packages (typescript, playwright-core, axe-core; no browser download) ──
cd "$here"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error

echo "== tsc --noEmit (TypeScript declarations)"
./node_modules/.bin/tsc -p tests/ts

echo "== node --test"
mkdir -p "$root/artifacts/wasm"
node --test tests/api.test.mjs tests/input.test.mjs tests/answers.test.mjs tests/vectors.test.mjs tests/e2e.test.mjs
echo "== artifacts in $root/artifacts/wasm"
