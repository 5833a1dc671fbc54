//! Rollback triggers on the monitoring snapshot.

use serde_json::json;

use super::Case;

fn with_snapshot(edit: impl FnOnce(&mut serde_json::Value)) -> Case {
    let mut case = Case::full();
    edit(case.snapshot.as_mut().unwrap());
    case
}

#[test]
fn latency_above_sla() {
    let f =
        with_snapshot(|s| s["metrics"]["latencyP99Ms"] = json!(212)).fails(&["rollback-latency"]);
    let m = &f[0].message;
    assert!(
        m.starts_with("ROLLBACK: p99 latency 212 ms > 150 ms, the strictest limit"),
        "{m}"
    );
    assert!(m.contains("2026-01-21T12:00:00Z"), "{m}");
    with_snapshot(|s| s["metrics"]["latencyP99Ms"] = json!(150)).passes();
}

#[test]
fn accuracy_below_the_stricter_threshold() {
    let f =
        with_snapshot(|s| s["metrics"]["accuracy"] = json!(0.912)).fails(&["rollback-accuracy"]);
    assert!(
        f[0].message
            .contains("accuracy 0.912 < 0.93, the strictest limit (snapshot alert `accuracy-drop`"),
        "{}",
        f[0].message
    );
    let mut strict = Case::full();
    strict.params = r#"{"min_accuracy": 0.96}"#;
    let f = strict.fails(&["rollback-accuracy"]);
    assert!(
        f[0].message.contains("parameter `min_accuracy`"),
        "{}",
        f[0].message
    );
    // A lower parameter does not loosen the alert.
    let mut loose = with_snapshot(|s| s["metrics"]["accuracy"] = json!(0.92));
    loose.params = r#"{"min_accuracy": 0.9}"#;
    loose.fails(&["rollback-accuracy"]);
    // Without an accuracy alert, the parameter alone is the threshold.
    let mut param_only = with_snapshot(|s| s["alerts"] = json!([]));
    param_only.fails(&["monitoring-incomplete"]);
    param_only.params = r#"{"min_accuracy": 0.9}"#;
    param_only.passes();
}

#[test]
fn error_rate_spike() {
    let f = with_snapshot(|s| s["metrics"]["errorRate"] = json!(0.0031))
        .fails(&["rollback-error-rate"]);
    assert!(
        f[0].message.starts_with("ROLLBACK: error rate 0.0031"),
        "{}",
        f[0].message
    );
    with_snapshot(|s| s["metrics"]["errorRate"] = json!(0.002)).passes();
    // A zero baseline makes any error a spike.
    with_snapshot(|s| s["baseline"]["errorRate"] = json!(0)).fails(&["rollback-error-rate"]);
    with_snapshot(|s| {
        s["baseline"]["errorRate"] = json!(0);
        s["metrics"]["errorRate"] = json!(0);
    })
    .passes();
}

#[test]
fn incident_values_in_another_spelling_still_trigger() {
    // The attack: `Critical` or `Unexpected-Behaviour` compared exactly
    // matched nothing, so an open SEV1 anomaly rolled nothing back.
    for (kind, severity) in [
        ("unexpected-behaviour", "Critical"),
        ("Unexpected-Behaviour", "high"),
        ("unexpected_behaviour", "HIGH"),
        ("unexpected-behavior", " critical "),
    ] {
        with_snapshot(|s| {
            s["incidents"][0]["resolved"] = json!(false);
            s["incidents"][0]["type"] = json!(kind);
            s["incidents"][0]["severity"] = json!(severity);
        })
        .fails(&["rollback-unexpected-behaviour"]);
    }
    // A severity that is no known one is malformed, never "not a trigger".
    let case = with_snapshot(|s| {
        s["incidents"][0]["resolved"] = json!(false);
        s["incidents"][0]["severity"] = json!("SEV1");
    });
    let (code, pointer) = super::error_of(case.run());
    assert_eq!(code, "malformed_evidence");
    assert_eq!(pointer.as_deref(), Some("/incidents/0/severity"));
}

#[test]
fn unexpected_behaviour() {
    let f = with_snapshot(|s| {
        s["incidents"][0]["resolved"] = json!(false);
        s["incidents"][0]["severity"] = json!("high");
    })
    .fails(&["rollback-unexpected-behaviour"]);
    assert!(f[0].message.contains("`INC-311`"), "{}", f[0].message);
    // A SEV3 (medium) or SEV4 (low) report is assessed, not rolled back.
    for severity in ["medium", "low"] {
        with_snapshot(|s| {
            s["incidents"][0]["resolved"] = json!(false);
            s["incidents"][0]["severity"] = json!(severity);
        })
        .passes();
    }
    with_snapshot(|s| {
        s["incidents"][0]["resolved"] = json!(false);
        s["incidents"][0]["type"] = json!("outage");
    })
    .passes();
    // Untriaged incidents count whatever the severity filter.
    let mut untriaged = with_snapshot(|s| {
        s["incidents"][0]["resolved"] = json!(false);
        s["incidents"][0]
            .as_object_mut()
            .unwrap()
            .remove("severity");
    });
    untriaged.params = r#"{"rollback_incident_severities": ["critical"]}"#;
    untriaged.fails(&["rollback-unexpected-behaviour"]);
}

#[test]
fn business_impact_in_either_direction() {
    with_snapshot(|s| s["businessImpact"]["change"] = json!(-0.08))
        .fails(&["rollback-business-impact"]);
    with_snapshot(|s| s["businessImpact"]["change"] = json!(0.08)).passes();
    with_snapshot(|s| {
        s["businessImpact"] =
            json!({"metric": "chargeback_rate", "change": 0.12, "threshold": 0.1});
    })
    .fails(&["rollback-business-impact"]);
}

#[test]
fn every_trigger_needs_its_inputs() {
    let case = Case {
        snapshot: None,
        ..Case::full()
    };
    let f = case.fails(&["monitoring-incomplete"]);
    assert!(f[0].location.is_none());
    let f = with_snapshot(|s| *s = json!({})).fails(&["monitoring-incomplete"]);
    assert_eq!(f.len(), 7, "{f:#?}");
    // A reported quality metric with no threshold anywhere cannot trigger.
    let f = with_snapshot(|s| s["alerts"] = json!([])).fails(&["monitoring-incomplete"]);
    assert!(
        f.iter().any(|f| f
            .message
            .contains("no threshold for `accuracy` (higher is better")),
        "{f:#?}"
    );
}

/// A forecaster: quality is WAPE, lower is better, with a ceiling of 12.
fn forecaster(wape: serde_json::Value) -> Case {
    let mut case = with_snapshot(|s| {
        let metrics = s["metrics"].as_object_mut().unwrap();
        metrics.remove("accuracy");
        metrics.insert("wape".into(), wape);
    });
    case.params = r#"{"quality_metrics": {"wape": {"better": "lower", "threshold": 12}}}"#;
    case
}

#[test]
fn a_lower_is_better_quality_metric_under_its_ceiling_passes() {
    // The attack this holds: read as accuracy, 8.9 is "below the floor 12"
    // and a healthy forecaster is rolled back (or, worse, a degraded one
    // at 14 passes).
    forecaster(json!(8.9)).passes();
    forecaster(json!(12)).passes();
    let f = forecaster(json!(14.2)).fails(&["rollback-accuracy", "rollback-decision"]);
    let trigger = f
        .iter()
        .find(|f| f.rule_id == "rollout/rollback-accuracy")
        .unwrap();
    assert!(
        trigger.message.starts_with("ROLLBACK: wape 14.2 > 12, the strictest limit (parameter `quality_metrics.wape.threshold`)"),
        "{}",
        trigger.message
    );
    // A snapshot alert on the metric tightens the ceiling.
    let mut alerted = forecaster(json!(10.5));
    alerted.snapshot.as_mut().unwrap()["alerts"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "wape-high", "metric": "wape", "threshold": 10, "action": "page-oncall"}));
    let f = alerted.fails(&["rollback-accuracy", "rollback-decision"]);
    assert!(f[0].message.contains("wape 10.5 > 10"), "{}", f[0].message);
}

#[test]
fn a_second_quality_metric_is_judged_too() {
    let mut case = with_snapshot(|s| s["metrics"]["recall"] = json!(0.71));
    case.params = r#"{"quality_metrics": {"accuracy": {"better": "higher"}, "recall": {"better": "higher", "threshold": 0.8}}}"#;
    let f = case.fails(&["rollback-accuracy", "rollback-decision"]);
    assert!(
        f[0].message.contains("recall 0.71 < 0.8"),
        "{}",
        f[0].message
    );
    // Accuracy alone is still judged by its alert, and fine here.
    case.snapshot.as_mut().unwrap()["metrics"]["recall"] = json!(0.85);
    case.passes();
}

#[test]
fn quality_metric_directions_are_declared_never_guessed() {
    for (params, at) in [
        (
            r#"{"quality_metrics": {"wape": {"better": "higher"}}}"#,
            "/quality_metrics/wape/better",
        ),
        (
            r#"{"quality_metrics": {"f1": {"threshold": 0.8}}}"#,
            "/quality_metrics/f1/better",
        ),
        (
            r#"{"quality_metrics": {"f1": {"better": "higher", "threshold": "high"}}}"#,
            "/quality_metrics/f1/threshold",
        ),
        (
            r#"{"quality_metrics": {"wape": {"better": "lower"}}, "min_accuracy": 0.9}"#,
            "/min_accuracy",
        ),
    ] {
        let mut case = Case::full();
        case.params = params;
        let err = case.run().unwrap_err();
        match err {
            assay_plugin_sdk::PluginError::InvalidParameters(d) => {
                assert_eq!(d.pointer.as_deref(), Some(at), "{params}: {}", d.message)
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

#[test]
fn triggers_apply_at_every_stage_past_development() {
    let mut shadow = with_snapshot(|s| s["metrics"]["latencyP99Ms"] = json!(400));
    shadow.stage = "shadow";
    shadow.traffic = Some(0.0);
    shadow.fails(&["rollback-latency"]);
}

/// A producer who cannot meet a limit can write a value no limit catches:
/// a negative latency under every SLA, an error rate below zero that never
/// spikes, an accuracy written as a percentage that clears every floor.
/// Each starts from a snapshot that triggers a rollback and must still
/// fail, as malformed evidence (a gap naming the value and its range).
#[test]
fn out_of_range_metrics_are_malformed_evidence_not_a_pass() {
    let edits: [(&str, serde_json::Value, serde_json::Value, &str, &str); 5] = [
        (
            "latencyP99Ms",
            json!(212),
            json!(-212),
            "rollback-latency",
            "is `-212`, outside its valid range 0 or more",
        ),
        (
            "errorRate",
            json!(0.0031),
            json!(-0.0031),
            "rollback-error-rate",
            "is `-0.0031`, outside its valid range 0 to 1",
        ),
        (
            "accuracy",
            json!(0.912),
            json!(91.2),
            "rollback-accuracy",
            "is `91.2`, outside its valid range 0 to 1",
        ),
        (
            "accuracy",
            json!(0.912),
            json!("191.2%"),
            "rollback-accuracy",
            "is `191.2%`, outside its valid range 0 to 1 (0% to 100% when written with `%`)",
        ),
        (
            "errorRate",
            json!(0.0031),
            json!("150%"),
            "rollback-error-rate",
            "is `150%`",
        ),
    ];
    for (metric, failing, edited, rule, says) in edits {
        with_snapshot(|s| s["metrics"][metric] = failing.clone()).fails(&[rule]);
        let f = with_snapshot(|s| s["metrics"][metric] = edited.clone())
            .fails(&["monitoring-incomplete"]);
        assert_eq!(f.len(), 1, "{metric}: {f:#?}");
        let m = &f[0].message;
        assert!(m.contains(says), "{metric}: {m}");
        assert!(
            m.contains(&format!(
                "in `evidence/monitoring-snapshot.json` at `/metrics/{metric}`"
            )),
            "{m}"
        );
        assert_eq!(f[0].kind, assay_plugin_sdk::FindingKind::Gap);
        assert_eq!(
            f[0].location.as_ref().unwrap().pointer,
            format!("/metrics/{metric}")
        );
    }
    // A negative baseline would make every error rate a spike or none.
    let f =
        with_snapshot(|s| s["baseline"]["errorRate"] = json!(-1)).fails(&["monitoring-incomplete"]);
    assert_eq!(
        f[0].location.as_ref().unwrap().pointer,
        "/baseline/errorRate"
    );
    // A negative count beside the watched metrics is malformed too.
    with_snapshot(|s| s["metrics"]["requestCount"] = json!(-5)).fails(&["monitoring-incomplete"]);
    // In range at the edges: still read and judged.
    with_snapshot(|s| s["metrics"]["latencyP99Ms"] = json!(0)).passes();
    with_snapshot(|s| s["metrics"]["accuracy"] = json!("95.8%")).passes();
}
