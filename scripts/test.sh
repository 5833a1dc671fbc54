#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (the wasm32
# target for plugins, openssl and Python's `cryptography` for the
# interoperability tests, cargo-deny for the dependency policy). The fuzz
# corpora in fuzz/seeds and fuzz/regressions are replayed by the
# `assay-fuzz-support` tests; fuzzing itself is scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown
rustup component add rustfmt clippy >/dev/null 2>&1 || true

# Chromium renders the HTML reports in host/attestation/tests/browser.rs.
if ! command -v openssl >/dev/null || ! command -v jq >/dev/null || ! command -v chromium >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openssl jq chromium
fi
if ! python3 -c 'import cryptography, jsonschema' 2>/dev/null; then
  python3 -m pip install --quiet cryptography jsonschema
fi

# The official SARIF 2.1.0 JSON Schema, shipped in Microsoft's npm package
# @microsoft/jest-sarif, validates assay's SARIF output in the tests.
if [ ! -f target/sarif-schema/sarif-2.1.0.json ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz)
  mkdir -p target/sarif-schema
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" target/sarif-schema/sarif-2.1.0.json
  rm -rf "$tmp"
fi

# Dependency policy (licenses, banned crates, sources; see deny.toml).
if ! command -v cargo-deny >/dev/null; then
  cargo install cargo-deny --locked --version 0.20.2
fi
cargo deny --log-level error check licenses bans sources

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
export ASSAY_REQUIRE_INTEROP=1
export ASSAY_REQUIRE_BROWSER=1
cargo test --workspace
