#!/usr/bin/env bash
# Many tiny files (the scale issue's "1,000,000 tiny files"): N files of a few dozen bytes in
# directories of 1,000, most of them not ECS inputs (JSON, YAML, Markdown, text) and one in a
# thousand a task definition with a finding. Times, in the same invocation, the I/O floor
# (`cat` of every file) and `ecslint check --format json`: wall s, CPU s, peak RSS, and
# ecslint's ratio to the floor. The tree is generated once (bench/out/tiny/nN).
#
# Usage: bench/tiny.sh [N]   (default 1000000; needs ~N × 4 KiB of disk for the blocks)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
cargo build --release --locked -q
bin="$PWD/target/release/ecslint"
dir="bench/out/tiny/n$n"
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir"
  python3 - "$dir" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
kinds = [
    ("json", '{"name": "item-%d", "enabled": true}\n'),
    ("yaml", "name: item-%d\nenabled: true\n"),
    ("md", "# Item %d\n"),
    ("txt", "item %d\n"),
]
task = ('{"family": "t%d", "containerDefinitions": '
        '[{"name": "app", "image": "nginx:latest", "essential": true}]}\n')
for i in range(n):
    d = os.path.join(root, "d%04d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    if i % 1000 == 999:
        name, text = "task-%d.json" % i, task % i
    else:
        ext, tpl = kinds[i % len(kinds)]
        name, text = "f%d.%s" % (i, ext), tpl % i
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
PY
  touch "$dir/.complete"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "tree: $(find "$dir" -type f ! -name .complete | wc -l) files in $dir"
measure() { # prints "wall cpu rss_kib" of COMMAND
  /usr/bin/time -o "$dir.time" -f "%e %U %S %M" bash -c "$1" >/dev/null 2>&1 || true
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$dir.time"
}
floor_cmd="find '$dir' -type f -print0 | xargs -0 cat > /dev/null"
lint_cmd="'$bin' check '$dir' --format json --fail-on never"
bash -c "$floor_cmd" # warm the page cache
read -r fw fc fr <<<"$(measure "$floor_cmd")"
read -r lw lc lr <<<"$(measure "$lint_cmd")"
printf "%-10s %8s %8s %10s %8s\n" "command" "wall s" "CPU s" "peak MB" "×floor"
printf "%-10s %8s %8s %10.0f %8s\n" "cat" "$fw" "$fc" "$((fr / 1024))" "1.0"
printf "%-10s %8s %8s %10.0f %8s\n" "ecslint" "$lw" "$lc" "$((lr / 1024))" \
  "$(awk -v a="$lw" -v b="$fw" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
"$bin" check "$dir" --format json --fail-on never | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("report:", r["summary"]["files"], "files checked,", len(r["findings"]), "findings,", len(r["notes"]), "notes")'
