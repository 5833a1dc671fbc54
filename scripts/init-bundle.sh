#!/usr/bin/env bash
# Turns a directory of raw exports laid out like examples/raw/<variant>/ into an
# evidence bundle: the organisation's own exports under org/ are declared with
# their jq mappings (examples/raw/mappings/*.jq) by `assay evidence add`, then
# `assay evidence init` recognises every other file by its content, derives the
# deployment facts and writes DIR/manifest.json.
#
#   scripts/init-bundle.sh DIR [path/to/assay]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=$1
assay=${2:-$root/target/debug/assay}
maps=$root/examples/raw/mappings

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

for f in "$dir"/org/*; do
  [ -e "$f" ] || continue
  stem=$(basename "${f%.*}")
  [ -n "${kind[$stem]:-}" ] || { echo "no mapping for $f" >&2; exit 1; }
  "$assay" evidence add "$dir" "$f" --kind "${kind[$stem]}" --map-file "$maps/$stem.jq" >/dev/null
done
"$assay" evidence init "$dir"
