#!/usr/bin/env bash
# Runs the engine benchmark and prints the medians, the ratio
# score_summary / baseline_hand_written and the targets.
#
#   crates/ecorule/benches/report.sh                 run, then report
#   crates/ecorule/benches/report.sh --report-only   report the last run
#   crates/ecorule/benches/report.sh -- ARGS         extra criterion arguments
#
# Reads target/criterion/<bench>/new/estimates.json (median.point_estimate,
# in ns). Targets: compile < 1 ms, full report < 10 µs, score-only within
# 3x of the hand-written baseline. Exit status 0 whether or not the targets
# are met (the machine may be noisy): read the table.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
criterion_dir="${CARGO_TARGET_DIR:-$root/target}/criterion"

run=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --report-only) run=0 ;;
    --) shift; extra=("$@"); break ;;
    *) extra+=("$1") ;;
  esac
  shift
done

if [ "$run" = 1 ]; then
  cargo bench -p ecorule --bench engine -- --noplot "${extra[@]+"${extra[@]}"}"
fi

command -v python3 >/dev/null || { echo "report.sh: python3 is needed to read $criterion_dir" >&2; exit 2; }

python3 - "$criterion_dir" <<'EOF'
import json, os, sys

base = sys.argv[1]

def median(name):
    path = os.path.join(base, name, "new", "estimates.json")
    try:
        with open(path) as f:
            m = json.load(f)["median"]
    except (OSError, KeyError, ValueError):
        return None
    ci = m.get("confidence_interval", {})
    return m["point_estimate"], ci.get("lower_bound"), ci.get("upper_bound")

def fmt(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3f} µs"
    return f"{ns:.1f} ns"

names = ["compile", "score_full", "score_summary", "score_summary_bound", "baseline_hand_written", "baseline_bind_and_score", "score_summary_unknown"]
targets = {"compile": 1e6, "score_full": 1e4}
results = {n: median(n) for n in names}
missing = [n for n in names[:5] if results[n] is None]
if missing:
    print(f"no results for {', '.join(missing)} under {base}: run the benchmark first", file=sys.stderr)
    sys.exit(1)

print()
print(f"{'benchmark':<26} {'median':>12}   {'95% CI of the median'}".ljust(68) + "target")
for n in names:
    r = results[n]
    if r is None:
        continue
    point, lo, hi = r
    target = ""
    if n in targets:
        ok = point < targets[n]
        target = f"< {fmt(targets[n])}: {'met' if ok else 'MISSED'}"
    elif n in ("score_summary", "score_summary_bound"):
        target = "≤ 3x baseline (below)"
    elif n in ("baseline_bind_and_score", "score_summary_unknown"):
        target = "(informational)"
    print(f"{n:<26} {fmt(point):>12}   [{fmt(lo)}, {fmt(hi)}]".ljust(68) + target)

summary = results["score_summary"][0]
baseline = results["baseline_hand_written"][0]
print()
for name, note in [
    ("score_summary_bound", "facts bound outside the loop, like the baseline's struct: like for like"),
    ("score_summary", "binds AuditInput -> fact slots inside its loop; the baseline's binding is outside"),
]:
    ratio = results[name][0] / baseline
    print(f"{name} / baseline_hand_written = {ratio:.1f}x  (target ≤ 3x: {'met' if ratio <= 3 else 'MISSED'})")
    print(f"  ({note})")
bound = results.get("baseline_bind_and_score")
if bound is not None:
    print(f"score_summary / baseline_bind_and_score = {summary / bound[0]:.2f}x  (both include binding)")
print(f"score_full / score_summary = {results['score_full'][0] / summary:.2f}x  (cost of the explained report)")
EOF
