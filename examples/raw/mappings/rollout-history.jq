{
  model: .model.name,
  version: .model.version,
  stages: [.phases[] | (.weight | tonumber) as $w | {
    stage: (if (.mirrorPercent | tonumber) > 0 then "shadow" elif $w == 100 then "full" elif $w <= 5 then "canary" else "ramp" end),
    trafficPercent: $w,
    startedAt: .entered
  }
  + (if .exited then {endedAt: .exited} else {} end)
  + (if .analysis then {metricsWithinSla: (.analysis.phase == "Successful")} else {} end)]
}
