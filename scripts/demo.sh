#!/usr/bin/env bash
# Sets up everything on a fresh machine and runs assay's main job:
# build the host and the policy plugins, make a demo signing key, evaluate the
# shipped example bundles, write a signed attestation and verify it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "installing the wasm32 target (plugins are built from source)"
rustup target add wasm32-unknown-unknown

step "building the assay host"
cargo build --quiet -p assay
assay=target/debug/assay

step "building the policy plugins into target/plugins"
$assay plugin build

out=demo-out
mkdir -p "$out"
step "making a demo signing key in $out/ (never use it for real attestations)"
if [ ! -f "$out/demo.key" ]; then
  $assay keygen --out "$out/demo"
else
  echo "$out/demo.key exists; reusing it"
fi

step "taking the raw exports of a release (examples/raw/compliant) into $out/release"
rm -rf "$out/release"
cp -r examples/raw/compliant "$out/release"
rm -f "$out/release/README.md"

step "recognising every file and deriving the deployment facts (assay evidence init)"
scripts/init-bundle.sh "$out/release" "$assay"

step "evaluating a failing variant (PII in a data sample): expect FAILED, exit 1"
set +e
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796083200} \
  $assay eval --bundle examples/bundles/pii-leak --policy policies/production.toml
code=$?
set -e
[ "$code" -eq 1 ] || { echo "expected exit 1, got $code" >&2; exit 1; }

step "attesting the release against policies/production.toml"
# The shipped exports were collected in the last week of November 2026, and
# recency rules judge them against the evaluation time: evaluate them as of
# 2026-12-01 (SOURCE_DATE_EPOCH), which the attestation records as declared.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796083200} \
  $assay attest --bundle "$out/release" --policy policies/production.toml \
  --key "$out/demo.key" --out "$out/attestation.dsse.json"

step "verifying the attestation offline, re-running the evaluation"
# The evaluation time was declared (SOURCE_DATE_EPOCH above), so the verifier
# must be told to accept a declared time; it shows both times either way.
$assay verify --attestation "$out/attestation.dsse.json" --trust "$out/demo.pub" \
  --bundle "$out/release" --policy policies/production.toml --require-pass --reevaluate \
  --allow-declared-time

step "writing the auditor's HTML report of the attestation to $out/report.html"
$assay report --attestation "$out/attestation.dsse.json" --trust "$out/demo.pub" \
  --bundle "$out/release" --policy policies/production.toml --allow-declared-time \
  --format html --output "$out/report.html"

step "done: $out/attestation.dsse.json is a DSSE envelope any DSSE verifier can check"
