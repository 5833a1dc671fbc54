#!/usr/bin/env bash
# Builds examples/bundles/<variant>/ from the raw exports in examples/raw/<variant>/:
# copies the files, then lets `assay evidence init` recognise them and derive the
# deployment facts, and `assay evidence add` map the organisation's own exports
# (examples/raw/mappings/*.jq) into assay's kinds. The manifests are the output of
# assay itself; nothing in them is written by hand.
#
#   scripts/make-example-bundles.sh [path/to/assay]
set -euo pipefail
cd "$(dirname "$0")/.."
assay=${1:-target/debug/assay}
maps=examples/raw/mappings

# org file stem -> the assay kind its mapping produces
declare -A kind=(
  [monitoring-snapshot]=monitoring-snapshot
  [rollback-drill]=rollback-test
  [runbooks]=runbook-index
  [security-review]=security-review
  [change-request]=change-record
  [rollout-history]=rollout-history
  [log-sources]=audit-config
)

for src in examples/raw/*/; do
  name=$(basename "$src")
  [ "$name" = mappings ] && continue
  dest=examples/bundles/$name
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -r "$src". "$dest"/
  rm -f "$dest/README.md"
  for f in "$dest"/org/*; do
    [ -e "$f" ] || continue
    stem=$(basename "${f%.*}")
    [ -n "${kind[$stem]:-}" ] || { echo "no mapping for $f" >&2; exit 1; }
    "$assay" evidence add "$dest" "$f" --kind "${kind[$stem]}" --map-file "$maps/$stem.jq" >/dev/null
  done
  "$assay" evidence init "$dest" >/dev/null
  echo "built $dest"
done
