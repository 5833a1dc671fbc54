#!/usr/bin/env bash
# Scaling benchmark (issue 7, benchmark 4): `assay eval` as a whole process on
# bundles whose one data-sample document is about 1 MB, 10 MB, 100 MB and
# 1 GB, with the PII plugin. Prints wall time, peak RSS and cost per byte.
#
#   scripts/bench-scaling.sh [SIZE_MB...]        # default: 1 10 100 1000
#
# Bundles are generated under target/scaling/ (about 1.1 GB for the default
# sizes; removed at the end). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10 100 1000)

cargo build --release -p assay --quiet
assay=target/release/assay
"$assay" plugin build >/dev/null
work=target/scaling
rm -rf "$work"
mkdir -p "$work"

# The PII plugin with room for a 1 GB document: memory for the document's
# copy in the plugin plus its working set, and fuel and time to scan it.
cat > "$work/policy.toml" <<TOML
name = "scaling"
version = "1.0.0"
description = "PII scan with limits raised for very large documents"

[[plugin]]
path = "../plugins/pii.wasm"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
[plugin.parameters]
classes = ["email"]
max_findings_per_rule = 100
[plugin.limits]
memory_mib = 4096
fuel = 1000000000000
timeout_ms = 600000
TOML
"$assay" policy pin "$work/policy.toml" >/dev/null

printf '%-8s %12s %10s %12s %12s %10s\n' size bytes wall_s ns_per_byte peak_rss_mb rss/size
for mb in "${sizes[@]}"; do
  dir="$work/b$mb"
  python3 - "$dir" "$mb" <<'PY'
import hashlib, json, os, sys
out, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{out}/evidence", exist_ok=True)
target = mb * 1_000_000
h = hashlib.sha256()
path = f"{out}/evidence/data-sample.json"
with open(path, "wb") as f:
    def put(b):
        h.update(b); f.write(b)
    put(b'{"records":[')
    size, i, chunk = 13, 0, []
    while size < target:
        m = i % 10
        if m == 0: rec = ("customer_email", f"user{i}@example.com", "internal")
        elif m == 1: rec = ("customer_email", f"tok_em_{i:010x}", "tokenized")
        elif m == 2: rec = ("card_pan", "**** **** **** 4242", "masked")
        elif m == 3: rec = ("amount_eur", f"{i % 997}.{i % 100:02}", "internal")
        else: rec = ("transaction_id", f"txn_{i:012x}", "internal")
        s = ("," if i else "") + '{"field":"%s","value":"%s","classification":"%s"}' % rec
        chunk.append(s); size += len(s); i += 1
        if len(chunk) >= 10000:
            put("".join(chunk).encode()); chunk = []
    put("".join(chunk).encode())
    put(b"]}")
manifest = {
    "apiVersion": "assay.dev/bundle/v1",
    "deployment": {"name": "scaling", "model": "m", "version": "1.0.0",
                   "environment": "production", "stage": "full"},
    "subjects": [{"name": "model", "digest": {"sha256": "ab" * 32}}],
    "evidence": [{"kind": "data-sample", "path": "evidence/data-sample.json",
                  "mediaType": "application/json", "sha256": h.hexdigest()}],
}
with open(f"{out}/manifest.json", "w") as f:
    json.dump(manifest, f, indent=2)
PY
  bytes=$(stat -c %s "$dir/evidence/data-sample.json")
  # One warm-up run (compile cache), then the measured one.
  "$assay" --max-document-mib 2048 eval --bundle "$dir" --policy "$work/policy.toml" --format json >/dev/null 2>&1 || true
  /usr/bin/time -f '%e %M' -o "$work/time" \
    "$assay" --max-document-mib 2048 eval --bundle "$dir" --policy "$work/policy.toml" --format json \
    > "$work/report.json" 2> "$work/stderr" || true
  read -r wall rss_kb < <(tail -1 "$work/time")
  verdict=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["result"], r["plugins"][0]["outcome"])' "$work/report.json" 2>/dev/null || echo "no report: $(tail -1 "$work/stderr")")
  python3 - "$mb" "$bytes" "$wall" "$rss_kb" "$verdict" <<'PY'
import sys
mb, b, wall, rss_kb, verdict = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"{mb+'MB':<8} {b:>12} {wall:>10.2f} {wall*1e9/b:>12.2f} {rss_kb/1024:>12.1f} {rss_kb*1024/b:>10.2f}  {verdict}")
PY
  rm -rf "$dir"
done
