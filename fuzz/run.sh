#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each and prints,
# per target, how many inputs it executed and whether it found anything.
#
#   fuzz/run.sh SECONDS [TARGET...]
#
# Installs cargo-fuzz and the nightly toolchain if they are missing, seeds
# fuzz/corpus/ (seed.sh), then runs the targets one after another.
# Environment:
#   SANITIZER=none|address  (default none: the core crate forbids unsafe
#                            code, and ASan makes the targets ~2x slower)
#   FORK=1                  keep going after a crash, hang or OOM
#                           (-fork=1 -ignore_crashes=1 ...) to find more
#   RSS_LIMIT_MB=2048 TIMEOUT=5  an input over either counts as a finding
# Logs go to fuzz/logs/<target>.log, findings to fuzz/artifacts/<target>/.
# Exits 1 if any target found something.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

seconds="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse compile score fmt_roundtrip)
sanitizer="${SANITIZER:-none}"
rss_limit="${RSS_LIMIT_MB:-2048}"
timeout="${TIMEOUT:-5}"

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi

"$here/seed.sh" >/dev/null
# Build first, so build time is not counted against the fuzzing time.
for t in "${targets[@]}"; do
  cargo +nightly fuzz build -s "$sanitizer" "$t"
done

mkdir -p logs
found_any=0
summary=()
for t in "${targets[@]}"; do
  case "$t" in
    score) dict=audit.dict max_len=4096 ;;
    *) dict=ecorule.dict max_len=8192 ;;
  esac
  mkdir -p "artifacts/$t" "corpus/$t"
  marker="$(mktemp)"
  extra=()
  [ "${FORK:-0}" = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  log="logs/$t.log"
  start=$(date +%s)
  set +e
  cargo +nightly fuzz run -s "$sanitizer" "$t" "corpus/$t" -- \
    -dict="$dict" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb="$rss_limit" \
    -max_total_time="$seconds" -print_final_stats=1 "${extra[@]}" > "$log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  # Executions: the final-stats line, else the last "#N" status line
  # (plain mode: "#N DONE ..."; fork mode: "#N: cov: ...").
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)"
  if [ -z "$execs" ]; then
    execs="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
  fi
  cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)"
  new=()
  while IFS= read -r f; do new+=("$f"); done < <(find "artifacts/$t" -type f -newer "$marker" | sort)
  rm -f "$marker"
  if [ "$rc" -ne 0 ] || [ ${#new[@]} -gt 0 ]; then
    found_any=1
    what="FOUND (exit $rc): ${new[*]:-see $log}"
  else
    what="nothing found"
  fi
  line="$t: ${execs:-?} executions in ${took} s (cov ${cov:-?}), $what"
  echo "$line"
  summary+=("$line")
done

echo
echo "== fuzz summary (${seconds} s per target, sanitizer $sanitizer) =="
printf '%s\n' "${summary[@]}"
exit "$found_any"
