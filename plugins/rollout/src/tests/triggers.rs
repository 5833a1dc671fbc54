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
    assert_eq!(f.len(), 8, "{f:#?}");
}

#[test]
fn triggers_apply_at_every_stage_past_development() {
    let mut shadow = with_snapshot(|s| s["metrics"]["latencyP99Ms"] = json!(400));
    shadow.stage = "shadow";
    shadow.traffic = Some(0.0);
    shadow.fails(&["rollback-latency"]);
}
