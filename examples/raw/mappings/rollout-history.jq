{
  model: .model.name,
  version: .model.version,
  stages: [.phases[] | (.weight | tonumber) as $w | {
    stage: (if (.mirrorPercent | tonumber) > 0 then "shadow" elif $w == 100 then "full" elif $w <= 5 then "canary" else "ramp" end),
    trafficPercent: $w,
    startedAt: .entered
  }
  + (if .exited then {endedAt: .exited} else {} end)
  + (if .analysis then {metricsWithinSla: (.analysis.phase == "Successful")} else {} end)],
  # Where each stage came from in the export (assay strips this key).
  "$sources": ([{key: "/stages", value: ["phases"]}, {key: "/version", value: ["model", "version"]}]
    + [range(0; .phases | length) as $i | {key: "/stages/\($i)", value: ["phases", $i]}]
    + [range(0; .phases | length) as $i | {key: "/stages/\($i)/startedAt", value: ["phases", $i, "entered"]}]
    | from_entries)
}
