def field: {"who": "actor", "what": "action", "target": "resource", "when": "timestamp",
  "outcome": "outcome", "request_id": "request_id", "src_ip": "source_ip"}[.] // .;
{
  components: [.sources[] | {
    name: .component,
    enabled: (.state == "enabled"),
    events: ([if .captures.reads then "read" else empty end, if .captures.writes then "write" else empty end,
              if .captures.admin then "admin" else empty end]),
    fields: [.columns[] | field]
  } + (if has("personal_data_reads_attributed") then {piiAccessLogged: .personal_data_reads_attributed} else {} end)],
  sink: {
    type: (if .archive.object_lock == "COMPLIANCE" then "s3-object-lock" else "s3" end),
    location: .archive.bucket,
    tamperEvident: (.archive.object_lock == "COMPLIANCE" or .archive.object_lock == "GOVERNANCE"),
    retentionDays: .archive.retention_days
  },
  requestIds: {enabled: .request_correlation.enforced, header: .request_correlation.header},
  clockSync: {enabled: (.time_sync.daemon != null), source: .time_sync.daemon, maxDriftMs: .time_sync.max_offset_ms},
  # Where each value came from in the export (assay strips this key).
  "$sources": ({"/components": ["sources"], "/sink": ["archive"],
      "/sink/retentionDays": ["archive", "retention_days"], "/sink/tamperEvident": ["archive", "object_lock"],
      "/sink/location": ["archive", "bucket"], "/requestIds": ["request_correlation"],
      "/clockSync": ["time_sync"]}
    + ([range(0; .sources | length) as $i | {key: "/components/\($i)", value: ["sources", $i]}]
      | from_entries))
}
