#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Defaults: 600 seconds for each target in fuzz/Cargo.toml. Needs the nightly
# toolchain and cargo-fuzz (installed here if missing). New corpus entries go
# to fuzz/corpus/<target> (git-ignored); the committed seeds in
# fuzz/seeds/<target> are read, never written. A crash leaves its input in
# fuzz/artifacts/<target>/: copy it into fuzz/regressions/<target>/ so that
# `cargo test -p assay-fuzz-support` replays it forever, then fix the bug.
# A summary line per target goes to fuzz/target/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^assay-fuzz$')
fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

cd fuzz
cargo +nightly fuzz build --sanitizer none --debug-assertions
mkdir -p target
summary="${FUZZ_SUMMARY:-target/summary.txt}"
: > "$summary"
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log="target/fuzz-$t.log"
  echo "== $t for ${seconds}s (log: fuzz/$log)"
  if cargo +nightly fuzz run "$t" --sanitizer none --debug-assertions \
      "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -print_final_stats=1 > "$log" 2>&1; then
    result="ok"
  else
    result="CRASH (see fuzz/artifacts/$t/)"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "corpus/$t" -type f | wc -l)
  printf '%-20s %-8s runs=%s cov=%s corpus=%s\n' "$t" "$result" "${runs:-?}" "${cov:-?}" "$corpus" | tee -a "$summary"
done
exit "$status"
