#!/usr/bin/env bash
# Speed benchmark: multiply the corpus into a tree of at least 10,000 files and time
# `ecslint check` over it (release build). Usage: bench/run.sh [CORPUS_DIR] [MIN_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${ECSLINT_CORPUS:-../shared/corpus}}"
min_files="${2:-10000}"
out="bench/out/tree"

cargo build --release --locked -q
rm -rf "$out"
mkdir -p "$out"
per_copy=$(find "$corpus" -type f | wc -l)
copies=$(( (min_files + per_copy - 1) / per_copy ))
for i in $(seq 1 "$copies"); do
  cp -r "$corpus" "$out/copy$i"
done
files=$(find "$out" -type f | wc -l)
echo "tree: $files files in $copies copies of $corpus ($(du -sh "$out" | cut -f1))"
echo "cores: $(nproc)"

bin=target/release/ecslint
"$bin" check "$out" --fail-on never --format json >/dev/null  # warm the page cache
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 10 "$bin check $out --fail-on never --format json"
else
  for run in 1 2 3 4 5; do
    /usr/bin/time -f "run $run: %e s wall, %U s user, %S s sys, %M KiB max RSS" \
      "$bin" check "$out" --fail-on never --format json >/dev/null
  done
fi
