#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (the wasm32
# target for plugins, openssl and Python's `cryptography` for the
# interoperability tests).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown
rustup component add rustfmt clippy >/dev/null 2>&1 || true

if ! command -v openssl >/dev/null || ! command -v jq >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openssl jq
fi
if ! python3 -c 'import cryptography, jsonschema' 2>/dev/null; then
  python3 -m pip install --quiet cryptography jsonschema
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
export ASSAY_REQUIRE_INTEROP=1
cargo test --workspace
