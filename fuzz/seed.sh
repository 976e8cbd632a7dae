#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the project's own inputs (the corpus
# directories are gitignored; libFuzzer adds what it finds to them).
#   parse, compile, fmt_roundtrip: rules/**/*.eco, the test fixtures and
#          fuzz/seeds/*.eco (hand-written: odd syntax, comments, tables)
#   score: rules/*/audits/*.json (not *.expected.json), each prefixed by
#          the selector byte of its rulebook (0 fishmeal, 1 green-ship-repair,
#          2 hazardous-waste), plus a few small hand-written audits.
# Also copies the committed regression inputs in, so a rerun starts there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="$here/corpus"

# Sources longer than MAX_LEN (run.sh's -max_len for these targets) would be
# cut short by libFuzzer; the big rulebooks go in shrunk and split by area
# instead (shrink_seed.py).
max_len="${MAX_LEN:-8192}"
shrunk="$(mktemp -d)"
trap 'rm -rf "$shrunk"' EXIT
for f in "$root"/rules/*/*.eco; do
  [ -f "$f" ] || continue
  python3 "$here/shrink_seed.py" "$f" "$shrunk/$(basename "$f" .eco)-"
done
for target in parse compile fmt_roundtrip; do
  mkdir -p "$corpus/$target"
  for f in "$root"/rules/*/*.eco "$root"/rules/standards/*.eco "$root"/crates/ecorule/tests/fixtures/*.eco; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le "$max_len" ] || continue
    rel="${f#"$root"/}"
    cp "$f" "$corpus/$target/seed-${rel//\//_}"
  done
  for f in "$here"/seeds/*.eco; do
    cp "$f" "$corpus/$target/seed-hand-$(basename "$f")"
  done
  for f in "$shrunk"/*.eco; do
    [ "$(wc -c < "$f")" -le "$max_len" ] || continue
    cp "$f" "$corpus/$target/seed-shrunk-$(basename "$f")"
  done
done

# compile also takes `rulebook NUL audit`: each shrunk area of a bundled
# rulebook with two of that rulebook's audits.
for book in fishmeal green-ship-repair hazardous-waste; do
  for f in "$shrunk/$book-"area*.eco; do
    [ -f "$f" ] || continue
    n=0
    for a in "$root/rules/$book/audits/"*.json; do
      case "$a" in *.expected.json) continue ;; esac
      n=$((n + 1)); [ "$n" -le 2 ] || break
      out="$corpus/compile/seed-with-audit-$(basename "$f" .eco)-$(basename "$a" .json)"
      { cat "$f"; printf '\0'; cat "$a"; } > "$out"
      [ "$(wc -c < "$out")" -le "$max_len" ] || rm -f "$out"
    done
  done
done

mkdir -p "$corpus/score"
books=(fishmeal green-ship-repair hazardous-waste)
for i in 0 1 2; do
  book="${books[$i]}"
  for f in "$root/rules/$book/audits/"*.json; do
    case "$f" in *.expected.json) continue ;; esac
    [ -f "$f" ] || continue
    { printf '%s' "$i"; cat "$f"; } > "$corpus/score/seed-$book-$(basename "$f")"
  done
  printf '%s{}' "$i" > "$corpus/score/seed-$book-empty"
  printf '%s{"audit": {"date": "2024-05-20"}, "facts": {}}' "$i" > "$corpus/score/seed-$book-no-facts"
done

for target in parse compile score fmt_roundtrip; do
  if [ -d "$here/regressions/$target" ]; then
    mkdir -p "$corpus/$target"
    for f in "$here/regressions/$target"/*; do
      [ -f "$f" ] && cp "$f" "$corpus/$target/regression-$(basename "$f")"
    done
  fi
  echo "$target: $(find "$corpus/$target" -type f | wc -l) inputs in fuzz/corpus/$target"
done
