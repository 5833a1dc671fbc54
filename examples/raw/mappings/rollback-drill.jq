.drill | {
  testedAt: .executed_at,
  environment: (if (.env | startswith("prod-")) then "production" elif (.env | startswith("stg-")) then "staging" else .env end),
  fromVersion: .from.semver,
  restoredVersion: .to.semver,
  method: ({"mlflow-alias-swap": "registry-alias-swap", "flag-flip": "feature-flag", "argo-undo": "redeploy"}[.mechanism] // .mechanism),
  durationSeconds: (.duration_ms | tonumber / 1000 | floor),
  passed: (.outcome == "PASS"),
  verified: (.verification.smoke_tests == "PASS" and .verification.metrics_check == "PASS"),
  # Where each value came from in the export (assay strips this key).
  "$sources": {"/testedAt": ["drill", "executed_at"], "/environment": ["drill", "env"],
    "/fromVersion": ["drill", "from", "semver"], "/restoredVersion": ["drill", "to", "semver"],
    "/method": ["drill", "mechanism"], "/durationSeconds": ["drill", "duration_ms"],
    "/passed": ["drill", "outcome"], "/verified": ["drill", "verification"]}
}
