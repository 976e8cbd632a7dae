#!/usr/bin/env bash
# Instructions per call of the engine's entry points, counted by callgrind:
# a figure the machine's load does not move (wall-clock medians on a
# shared 2-core machine can swing by 2x between runs).
#
#   crates/ecorule/benches/instructions.sh [benchmark-filter]
#
# Runs the `engine` bench binary under valgrind, one benchmark at a time,
# and prints the inclusive instructions of the timed function divided by
# the number of times it was called. Needs valgrind and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
bin=$(cargo bench -p ecorule --bench engine --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "engine" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# benchmark and the function it times (engine.rs keeps each out of line)
benches=(
  "compile engine::compile"
  "score_full engine::score_full"
  "score_summary engine::score_summary"
  "score_summary_bound engine::score_summary_bound"
  "baseline_hand_written engine::baseline_hand_written"
  "score_summary_unknown engine::score_summary_unknown"
)
for entry in "${benches[@]}"; do
  read -r bench fn <<<"$entry"
  if [ -n "${1:-}" ] && [[ "$bench" != *"$1"* ]]; then continue; fi
  valgrind --tool=callgrind --callgrind-out-file="$out/$bench" "$bin" --bench --profile-time 1 "^$bench\$" >/dev/null 2>&1
  callgrind_annotate --tree=caller --inclusive=yes "$out/$bench" 2>/dev/null | python3 -c '
import re, sys
fn, bench = sys.argv[1], sys.argv[2]
calls = 0
for line in sys.stdin:
    caller = re.match(r"\s*[\d,]+ .*<\s.*\(([\d,]+)x\)", line)
    if caller:
        calls += int(caller.group(1).replace(",", ""))
        continue
    own = re.match(r"\s*([\d,]+) .*\*\s+\S*?:(\S+) ", line)
    if own and own.group(2) == fn:
        total = int(own.group(1).replace(",", ""))
        print(f"{bench:<24} {total / max(calls, 1):>12,.0f} instructions per call ({calls:,} calls of {fn})")
        fn = None  # read on to the end: a closed pipe would fail the script
    if not line.strip():
        calls = 0
' "$fn" "$bench"
done
