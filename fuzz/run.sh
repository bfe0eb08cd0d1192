#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 60) each, seeded from fuzz/seeds/, testdata/ and,
# when ECSLINT_CORPUS is set, the corpus. Needs cargo-fuzz and a nightly toolchain.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(taskdef_json cloudformation_yaml cloudformation_json terraform_hcl terraform_generated)

# Seeds: what fuzz/seeds/ holds (the blow-up shapes of tests/budget.rs), then the inputs of
# testdata/ and the corpus, sorted by front-end the way fuzz/harness.rs classifies them.
seed() { # seed TARGET FILE
  mkdir -p "corpus/$1"
  cp "$2" "corpus/$1/$(printf '%s' "$2" | sha1sum | cut -c1-16)-$(basename "$2")"
}
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  [ -d "seeds/$t" ] && cp seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
done
sources=(../testdata)
[ -n "${ECSLINT_CORPUS:-}" ] && sources+=("$ECSLINT_CORPUS")
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 65536 ] || continue
  case "$f" in
    *.tf) seed terraform_hcl "$f" ;;
    *.json)
      if grep -q 'AWSTemplateFormatVersion' "$f" || { grep -q 'Resources' "$f" && grep -q 'AWS::' "$f"; }; then
        seed cloudformation_json "$f"
      elif grep -q 'ontainerDefinitions"' "$f"; then
        seed taskdef_json "$f"
      fi ;;
    *.yaml|*.yml|*.template)
      if grep -q 'AWSTemplateFormatVersion' "$f" || { grep -q 'Resources' "$f" && grep -q 'AWS::' "$f"; }; then
        seed cloudformation_yaml "$f"
      fi ;;
  esac
done < <(find "${sources[@]}" -type f -print0)

for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s, $(ls "corpus/$t" | wc -l) inputs in its corpus"
  # -rss_limit_mb: the issue's memory bound; -timeout: a hang guard per input.
  cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 -max_len=65536 -print_final_stats=1
done
