#!/usr/bin/env bash
# Builds the release archive for one target (default: this machine's), as the release workflow
# does for every target in Cargo.toml's [package.metadata.release]:
#   dist/ecslint-<version>-<target>.tar.gz   (.zip for Windows targets)
#   dist/ecslint-<version>-<target>.tar.gz.sha256   ("<sha256>  <archive name>", `sha256sum -c` format)
# The archive holds exactly two files at its root: the stripped `ecslint` binary (`ecslint.exe`)
# and LICENSE. It prints the archive's path on the last line of stdout.
# Usage: scripts/package.sh [--target TRIPLE] [--out DIR] [--no-build]
#   --no-build  package the binary already in the target directory (CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."

target="" out=dist build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
host="$(rustc -vV | sed -n 's/^host: //p')"
[ -n "$target" ] || target="$host"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ -n "$version" ] || { echo "package.sh: no version in Cargo.toml" >&2; exit 1; }

# The host target builds without --target, into the same target/release as `cargo build --release`
# (and the wheel and `cargo install`), so they share one build.
target_args=(--target "$target")
release_dir="$target/release"
if [ "$target" = "$host" ]; then
  target_args=()
  release_dir=release
fi
if [ "$build" = 1 ]; then
  cargo build --release --locked ${target_args[@]+"${target_args[@]}"} >&2
fi
target_dir="${CARGO_TARGET_DIR:-target}"
exe=""
case "$target" in *-windows-*) exe=".exe" ;; esac
bin="$target_dir/$release_dir/ecslint$exe"
[ -f "$bin" ] || { echo "package.sh: $bin not found (build it or drop --no-build)" >&2; exit 1; }

name="ecslint-$version-$target"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$bin" "$stage/ecslint$exe"
cp LICENSE "$stage/LICENSE"
chmod 0755 "$stage/ecslint$exe"
chmod 0644 "$stage/LICENSE"
# Reproducible archives: fixed order, owner and time (the last commit's, or SOURCE_DATE_EPOCH).
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
touch -d "@$epoch" "$stage/ecslint$exe" "$stage/LICENSE" 2>/dev/null || true

case "$target" in
  *-windows-*)
    archive="$name.zip"
    rm -f "$out/$archive"
    py="$(command -v python3 || command -v python)"
    (cd "$stage" && "$py" -m zipfile -c "$out/$archive" LICENSE "ecslint$exe")
    ;;
  *)
    archive="$name.tar.gz"
    if tar --version 2>/dev/null | grep -q 'GNU tar'; then
      tar_flags=(--owner=0 --group=0 --numeric-owner --sort=name)
    else
      tar_flags=(--uid 0 --gid 0)
    fi
    tar -C "$stage" "${tar_flags[@]}" -cf - LICENSE ecslint | gzip -n -9 > "$out/$archive"
    ;;
esac

if command -v sha256sum >/dev/null; then
  sum="$(sha256sum "$out/$archive" | cut -d' ' -f1)"
else
  sum="$(shasum -a 256 "$out/$archive" | cut -d' ' -f1)"
fi
printf '%s  %s\n' "$sum" "$archive" > "$out/$archive.sha256"
echo "$out/$archive"
