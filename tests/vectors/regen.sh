#!/usr/bin/env bash
# Writes expected.json for vector cases with the release CLI:
#   bash tests/vectors/regen.sh              # every case without expected_error.json
#   bash tests/vectors/regen.sh CASE [CASE…] # only these
# For error cases (expected_error.json) it only prints the CLI's error, so
# the file can be written by hand. Check every regenerated file against the
# case's note.md before committing: the bytes are the specification.
# Then it records the engine and each report's digest in engine.txt, and
# refuses to when a report says something new under the engine recorded
# there: raise the revision in `ecorule::ENGINE` first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="${ECORULE_CLI:-$root/target/release/ecorule}"
cd "$root"
if [ -z "${ECORULE_CLI:-}" ]; then cargo build --release --quiet -p ecorule-cli; fi

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$here"/*/; do cases+=("$(basename "$d")"); done
fi
for case in "${cases[@]}"; do
  dir="tests/vectors/$case"
  flags=()
  if [ -f "$dir/options.json" ] && grep -q '"strict": *true' "$dir/options.json"; then flags+=(--strict); fi
  if [ -f "$dir/expected_error.json" ]; then
    echo "== $case (error case: the CLI says)"
    "$cli" score "$dir/rulebook.eco" "$dir/audit.json" --format json "${flags[@]}" 2>&1 >/dev/null | sed -n '1,2p' || true
    continue
  fi
  echo "== $case"
  "$cli" score "$dir/rulebook.eco" "$dir/audit.json" --format json --lib "$dir" "${flags[@]}" >"$dir/expected.json"
done

# engine.txt: the engine, then each report case, the SHA-256 of its inputs
# (its files but expected.json and note.md, in name order, then the hash of
# each module its report names, `"hash":"sha256:…"` a line: a bundled
# standard is an input too) and the SHA-256
# of its expected.json without the `engine` line, as
# crates/ecorule/tests/vectors.rs computes them. A case whose inputs are
# unchanged must not report anything new under the same engine.
record="$here/engine.txt"
engine=$("$cli" --version)
export LC_ALL=C
entries=$(for d in "$here"/*/; do
  [ -f "$d/expected.json" ] || continue
  inputs=$({
    find "$d" -maxdepth 1 -type f ! -name expected.json ! -name note.md | sort | xargs cat
    sed -n '/^    "modules": \[/,/^    \]/p' "$d/expected.json" | grep '"hash"' | tr -d ' '
  } | sha256sum | cut -d' ' -f1)
  report=$(grep -v '^  "engine": ' "$d/expected.json" | sha256sum | cut -d' ' -f1)
  echo "$(basename "$d") $inputs $report"
done)
if [ -f "$record" ] && [ "$(grep -v '^#' "$record" | head -1)" = "$engine" ]; then
  changed=$(join <(grep -v '^#' "$record" | tail -n +2 | sort) <(echo "$entries" | sort) \
    | awk '$2 == $4 && $3 != $5 { print $1 }')
  if [ -n "$changed" ]; then
    echo "regen: with the same inputs, what these reports say changed under the same engine \`$engine\`:" $changed >&2
    echo "regen: raise the revision in ecorule::ENGINE (crates/ecorule/src/report/mod.rs), then run this again" >&2
    exit 1
  fi
fi
{
  echo "# The engine these expected reports were made with, then each report"
  echo "# case, the SHA-256 of its inputs and the SHA-256 of its expected.json"
  echo "# without the engine line. Written by regen.sh; the Rust vectors test"
  echo "# (crates/ecorule/tests/vectors.rs) holds the vectors to it."
  echo "$engine"
  echo "$entries"
} >"$record"
