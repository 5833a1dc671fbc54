//! The ladder: stages present, in order, long enough, within SLA; traffic
//! fitting the stage.

use serde_json::json;

use super::{pointer, stage, Case};

fn without(case: &mut Case, index: usize) {
    case.history.as_mut().unwrap()["stages"]
        .as_array_mut()
        .unwrap()
        .remove(index);
}

#[test]
fn skipping_shadow_fails_at_every_later_stage() {
    let mut case = Case::full();
    without(&mut case, 0);
    let f = case.fails(&["shadow-skipped"]);
    assert_eq!(pointer(&f[0]), "/stages");
    assert!(
        f[0].message.contains("shadow mode was skipped"),
        "{}",
        f[0].message
    );

    let mut canary = Case::at("canary", Some(5.0));
    canary.history =
        Some(json!({"version": "2.3.0", "stages": [stage("canary", 5, "2026-01-01", None)]}));
    canary.fails(&["shadow-skipped"]);
}

#[test]
fn a_shadow_deployment_needs_no_history() {
    let case = Case {
        history: None,
        ..Case::at("shadow", Some(0.0))
    };
    case.passes();
}

#[test]
fn each_step_below_the_current_one_is_required() {
    let mut case = Case::full();
    without(&mut case, 2);
    let f = case.fails(&["stage-skipped"]);
    assert!(f[0].message.contains("ramp 25%"), "{}", f[0].message);

    // At ramp 50% the 50% step itself is not required, 25% is.
    let mut at_50 = Case::at("ramp", Some(50.0));
    at_50.passes();
    without(&mut at_50, 2);
    at_50.fails(&["stage-skipped"]);

    // At an in-between share, every seed step below it is required.
    let mut at_40 = Case::at("ramp", Some(40.0));
    without(&mut at_40, 3);
    at_40.passes();
}

#[test]
fn steps_must_follow_each_other() {
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][1]["startedAt"] = json!("2025-12-24T09:00:00Z");
    let f = case.fails(&["shadow-skipped"]);
    assert_eq!(pointer(&f[0]), "/stages/1/startedAt");

    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][3]["startedAt"] = json!("2026-01-13T09:00:00Z");
    case.fails(&["stage-skipped"]);
}

#[test]
fn minimum_durations() {
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][0]["startedAt"] = json!("2025-12-21T21:00:00Z");
    let f = case.fails(&["stage-too-short"]);
    assert!(
        f[0].message.contains("ran 9.5 days; at least 14"),
        "{}",
        f[0].message
    );
    assert_eq!(pointer(&f[0]), "/stages/0/endedAt");
    case.params = r#"{"min_shadow_days": 9}"#;
    case.passes();

    // No `endedAt` is no error: the canary ended when the ramp started.
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][1]
        .as_object_mut()
        .unwrap()
        .remove("endedAt");
    case.passes();

    // A running shadow stage is measured to the evaluation time
    // (2026-12-01T00:00:00Z): 15 minutes over its 14 days passes, 15
    // minutes short fails.
    for (started, ok) in [
        ("2026-11-16T23:45:00Z", true),
        ("2026-11-17T00:15:00Z", false),
    ] {
        let mut case = Case::at("canary", Some(5.0));
        case.history = Some(
            json!({"model": "fraud-scorer-xgb", "version": "2.3.0", "stages": [
            {"stage": "shadow", "trafficPercent": 0, "startedAt": started, "metricsWithinSla": true}]}),
        );
        if ok {
            case.passes();
        } else {
            let f = case.fails(&["stage-too-short"]);
            assert!(
                f[0].message.contains("has been running"),
                "{}",
                f[0].message
            );
            assert_eq!(pointer(&f[0]), "/stages/0/startedAt");
        }
    }

    let mut case = Case::full();
    case.params = r#"{"min_canary_days": 8}"#;
    case.fails(&["stage-too-short"]);
    case.params = r#"{"min_ramp_step_days": 8}"#;
    assert_eq!(case.fails(&["stage-too-short"]).len(), 2);
}

#[test]
fn the_latest_run_of_a_step_counts() {
    // A canary that breached the SLA within hours and was pulled, then a
    // clean re-run: the re-run is what the promotion rests on.
    let mut case = Case::full();
    let stages = case.history.as_mut().unwrap()["stages"]
        .as_array_mut()
        .unwrap();
    let mut pulled = stage("canary", 5, "2025-12-30", None);
    pulled["endedAt"] = json!("2025-12-30T12:00:00Z");
    pulled["metricsWithinSla"] = json!(false);
    stages.push(pulled.clone());
    case.passes();
    // The other way round, the breach is the latest word.
    pulled["startedAt"] = json!("2026-01-06T09:00:00Z");
    pulled["endedAt"] = json!("2026-01-07T09:00:00Z");
    let stages = case.history.as_mut().unwrap()["stages"]
        .as_array_mut()
        .unwrap();
    stages.pop();
    stages.push(pulled);
    case.fails(&["stage-outside-sla", "stage-too-short"]);
}

#[test]
fn stages_outside_sla() {
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][2]["metricsWithinSla"] = json!(false);
    let f = case.fails(&["stage-outside-sla"]);
    assert_eq!(pointer(&f[0]), "/stages/2/metricsWithinSla");
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][0]
        .as_object_mut()
        .unwrap()
        .remove("metricsWithinSla");
    case.fails(&["stage-outside-sla"]);
}

#[test]
fn traffic_must_fit_the_stage() {
    let mut shadow = Case::at("shadow", Some(10.0));
    shadow.history = None;
    let f = shadow.fails(&["traffic-mismatch"]);
    assert_eq!(pointer(&f[0]), "/deployment/trafficPercent");
    Case::at("canary", Some(20.0)).fails(&["traffic-mismatch"]);
    Case::at("canary", Some(0.0)).fails(&["traffic-mismatch"]);
    Case::at("canary", Some(3.0)).passes();
    Case::at("canary", None).passes();
    Case::at("ramp", Some(5.0)).fails(&["traffic-mismatch"]);
    Case::at("ramp", None).fails(&["traffic-mismatch"]);
    Case::at("full", Some(80.0)).fails(&["traffic-mismatch"]);
    let mut wide = Case::at("canary", Some(20.0));
    wide.params = r#"{"canary_percent": 20}"#;
    wide.passes();
}

#[test]
fn history_for_this_version() {
    let case = Case {
        history: None,
        ..Case::full()
    };
    let f = case.fails(&["history-missing"]);
    assert!(f[0].location.is_none());
    let mut case = Case::full();
    case.history.as_mut().unwrap()["version"] = json!("2.2.1");
    let f = case.fails(&["history-missing"]);
    assert_eq!(pointer(&f[0]), "/version");
}
