#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (the wasm32
# target for plugins, openssl and Python's `cryptography` for the
# interoperability tests).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown
rustup component add rustfmt clippy >/dev/null 2>&1 || true

if ! command -v openssl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openssl
fi
if ! python3 -c 'import cryptography' 2>/dev/null; then
  python3 -m pip install --quiet cryptography
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace
