#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 60) each, seeded from fuzz/seeds/, testdata/ and,
# when ECSLINT_CORPUS is set, the corpus. Needs cargo-fuzz.
#
# cargo-fuzz passes unstable compiler flags. By default they are allowed for this build only
# (RUSTC_BOOTSTRAP=1) on the pinned stable toolchain, without a sanitizer (`-s none`): libFuzzer
# still finds panics, hangs and out-of-memory, which is what safe Rust can do wrong.
# FUZZ_NIGHTLY=1 uses `cargo +nightly fuzz` with AddressSanitizer instead.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(taskdef_json cloudformation_yaml cloudformation_json terraform_hcl hcl_reader terraform_json terraform_plan terraform_tfvars terraform_generated config suppressions)
if [ -n "${FUZZ_NIGHTLY:-}" ]; then
  fuzz=(cargo +nightly fuzz)
  build=()
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  build=(-s none)
fi

# Seeds: what fuzz/seeds/ holds (the blow-up shapes of tests/budget.rs, former crashes), then the
# inputs of testdata/ and the corpus, sorted by front-end the way fuzz/harness.rs classifies them.
seed() { # seed TARGET FILE (only targets of this run: two runs may share corpus/)
  [[ " ${targets[*]} " == *" $1 "* ]] || return 0
  mkdir -p "corpus/$1"
  cp "$2" "corpus/$1/$(printf '%s' "$2" | sha1sum | cut -c1-16)-$(basename "$2")"
}
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  [ -d "seeds/$t" ] && cp seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
done
sources=(../testdata)
[ -n "${ECSLINT_CORPUS:-}" ] && sources+=("$ECSLINT_CORPUS")
cloudformation() { grep -q 'AWSTemplateFormatVersion' "$1" || { grep -q 'Resources' "$1" && grep -q 'AWS::' "$1"; }; }
while IFS= read -r -d '' f; do
  [ "$(stat -c %s "$f")" -le 65536 ] || continue
  case "$f" in
    *.tf) seed terraform_hcl "$f"; seed hcl_reader "$f" ;;
    *.tf.json) seed terraform_json "$f" ;;
    *.tfvars) seed terraform_tfvars "$f" ;;
    *.json)
      if grep -q '"format_version"' "$f" && grep -q '"resource_changes"' "$f"; then
        seed terraform_plan "$f"
      elif cloudformation "$f"; then
        seed cloudformation_json "$f"
      elif grep -q 'ontainerDefinitions"' "$f"; then
        seed taskdef_json "$f"
      fi ;;
    *.yaml|*.yml|*.template)
      if cloudformation "$f"; then seed cloudformation_yaml "$f"; fi ;;
  esac
done < <(find "${sources[@]}" -type f -print0)

# One build of every target first, so the time below is fuzzing time.
"${fuzz[@]}" build "${build[@]}" -O
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s, $(ls "corpus/$t" | wc -l) inputs in its corpus"
  # -rss_limit_mb: the issue's memory bound; -timeout: a hang guard per input.
  "${fuzz[@]}" run "${build[@]}" -O "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 -max_len=65536 -print_final_stats=1
done
