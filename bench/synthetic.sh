#!/usr/bin/env bash
# Synthetic-monorepo benchmark (the scale issue's targets): for each N, generate the tree with
# the shared generator (`gen_synthetic.py --seed 42`, byte-for-byte reproducible) and time, in
# the same invocation, the I/O floor (`cat` of every file) and `ecslint check --format json`.
# Prints wall s, CPU s and peak RSS of each, and ecslint's ratio to the floor (median of RUNS).
# Also times one 1,000-line task definition (process time, start-up included).
#
# Usage: bench/synthetic.sh [N ...]   (default: 1000 10000 100000)
#   GEN=path/to/gen_synthetic.py  (default: ../shared/bench/gen_synthetic.py)   RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
gen="${GEN:-../shared/bench/gen_synthetic.py}"
runs="${RUNS:-5}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
[ -f "$gen" ] || { echo "bench/synthetic.sh: no generator at $gen (set GEN)" >&2; exit 2; }

cargo build --release --locked -q
bin="$PWD/target/release/ecslint"
out="bench/out/synthetic"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "ecslint: $("$bin" --version)"

# One measurement: prints "wall cpu rss_kib" of COMMAND (run through bash -c).
measure() {
  /usr/bin/time -o "$out/time.txt" -f "%e %U %S %M" bash -c "$1" >/dev/null 2>&1
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$out/time.txt"
}

# Median of RUNS measurements of COMMAND, by wall time.
median() {
  local i
  for i in $(seq 1 "$runs"); do measure "$1"; done | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}

printf "\n%-8s %-10s %8s %8s %10s %8s\n" "N" "command" "wall s" "CPU s" "peak MB" "×floor"
for n in "${sizes[@]}"; do
  dir="$out/n$n"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    python3 "$gen" --n "$n" --out "$dir" --seed 42 >/dev/null
    touch "$dir/.complete"
  fi
  floor_cmd="find '$dir' -type f -print0 | xargs -0 cat > /dev/null"
  lint_cmd="'$bin' check '$dir' --format json --fail-on never"
  bash -c "$floor_cmd"; bash -c "$lint_cmd" >/dev/null # warm the page cache
  read -r fw fc fr <<<"$(median "$floor_cmd")"
  read -r lw lc lr <<<"$(median "$lint_cmd")"
  printf "%-8s %-10s %8s %8s %10.0f %8s\n" "$n" "cat" "$fw" "$fc" "$((fr / 1024))" "1.0"
  printf "%-8s %-10s %8s %8s %10.0f %8s\n" "$n" "ecslint" "$lw" "$lc" "$((lr / 1024))" \
    "$(awk -v a="$lw" -v b="$fw" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
done

# A 1,000-line task definition: process time of one check, start-up included.
big="$out/big-task-definition.json"
python3 - "$big" <<'EOF'
import json, sys
containers = [
    {
        "name": f"c{i}",
        "image": f"registry.example.com/c{i}:1.{i}",
        "essential": i == 0,
        "portMappings": [{"containerPort": 8000 + i, "protocol": "tcp"}],
        "environment": [{"name": "MODE", "value": "prod"}],
    }
    for i in range(60)
]
doc = {"family": "big", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
       "cpu": "4096", "memory": "8192", "containerDefinitions": containers}
open(sys.argv[1], "w").write(json.dumps(doc, indent=2) + "\n")
EOF
# 100 runs in one measurement: /usr/bin/time counts in hundredths of a second.
read -r bw bc br <<<"$(median "for i in \$(seq 100); do '$bin' check '$big' --format json --fail-on never >/dev/null; done")"
echo
echo "1 task definition of $(wc -l <"$big") lines, per check: $(awk -v w="$bw" -v c="$bc" \
  'BEGIN { printf "%.1f ms wall, %.1f ms CPU", w * 10, c * 10 }'), $((br / 1024)) MB"
