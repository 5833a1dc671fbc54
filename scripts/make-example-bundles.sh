#!/usr/bin/env bash
# Builds examples/bundles/<variant>/ from the raw exports in examples/raw/<variant>/
# with scripts/init-bundle.sh: the manifests are assay's own output, nothing in
# them is written by hand.
#
#   scripts/make-example-bundles.sh [path/to/assay]
set -euo pipefail
cd "$(dirname "$0")/.."
assay=${1:-target/debug/assay}
for src in examples/raw/*/; do
  name=$(basename "$src")
  [ "$name" = mappings ] && continue
  dest=examples/bundles/$name
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -r "$src". "$dest"/
  rm -f "$dest/README.md"
  scripts/init-bundle.sh "$dest" "$assay" >/dev/null
  echo "built $dest"
done
