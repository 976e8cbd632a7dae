#!/usr/bin/env bash
# Writes expected.json for vector cases with the release CLI:
#   bash tests/vectors/regen.sh              # every case without expected_error.json
#   bash tests/vectors/regen.sh CASE [CASE…] # only these
# For error cases (expected_error.json) it only prints the CLI's error, so
# the file can be written by hand. Check every regenerated file against the
# case's note.md before committing: the bytes are the specification.
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
