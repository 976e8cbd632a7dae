#!/usr/bin/env bash
# Builds the Python package and runs its tests (`make python-test`).
#
# Works on a fresh clone with Python >= 3.9 (with venv and pip) and a Rust
# toolchain: creates (or reuses) a virtual environment, installs maturin,
# pytest, pandas and mypy, builds and installs `ecorule` from
# bindings/python with maturin as the PEP 517 backend, builds the `ecorule`
# CLI (the JSON parity tests compare against it), then runs pytest,
# `mypy --strict` and mypy's stubtest of `ecorule._native`.
#
# Environment: PYTHON (interpreter for a new venv, default python3),
# ECORULE_VENV (default <repo>/.venv).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${ECORULE_VENV:-$root/.venv}"
python="${PYTHON:-python3}"
cd "$root"

if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$python" -m venv "$venv"
fi
# maturin's PEP 517 hooks call the `maturin` executable: the venv goes first.
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
py="$venv/bin/python"

# Test tools: installed once, then only checked.
tools=(maturin pytest pandas pandas-stubs mypy)
if ! "$py" -c 'import sys, importlib.metadata as m; [m.version(t) for t in sys.argv[1:]]' "${tools[@]}" >/dev/null 2>&1; then
  echo "== installing maturin, pytest, pandas, mypy"
  "$py" -m pip install --quiet --upgrade pip
  "$py" -m pip install --quiet "maturin>=1.5,<2" pytest pandas pandas-stubs mypy
fi

echo "== building and installing ecorule (bindings/python)"
"$py" -m pip install --quiet --no-build-isolation --force-reinstall --no-deps "$here"

echo "== building the ecorule CLI (for the JSON parity tests)"
cargo build --release --quiet -p ecorule-cli
export ECORULE_CLI="${CARGO_TARGET_DIR:-$root/target}/release/ecorule"

echo "== pytest"
# Run from the tests folder so the installed package (not python/ecorule)
# is the one imported.
(cd "$here/tests" && "$py" -m pytest -q -p no:cacheprovider)

echo "== mypy --strict (the package's sources, then a user's file against the installed stubs)"
(cd "$here" && "$py" -m mypy --strict --no-incremental python/ecorule)
(cd "$here/tests" && "$py" -m mypy --strict --no-incremental typing_usage.py)

echo "== stubtest (the native module's stub against the built module)"
(cd "$here/tests" && "$py" -m mypy.stubtest ecorule._native)
