//! Serving (stage 2's SLA), infrastructure (stage 3, checklist C3) and
//! integrations (stage 4, checklist C4).

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::rules::{
    API_CONTRACT_INCOMPLETE, INFRASTRUCTURE, INFRASTRUCTURE_NOT_PROVISIONED, INTEGRATIONS,
    INTEGRATION_UNTESTED, NO_AUTOSCALING, OBSERVABILITY_GAP, RESILIENCE_MISSING, SERVING_CONFIG,
    SERVING_SLA_UNDEFINED,
};

/// The four observability signals the guide names.
const SIGNALS: &[(&str, &str)] = &[
    ("logs", "logging"),
    ("metrics", "metrics"),
    ("traces", "tracing"),
    ("alerts", "alerting"),
];

pub fn check(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    serving(docs, findings)?;
    infrastructure(docs, findings)?;
    integrations(docs, findings)
}

fn serving(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(SERVING_CONFIG) {
        findings.push(
            &SERVING_SLA_UNDEFINED,
            SERVING_SLA_UNDEFINED.missing_evidence(
                SERVING_CONFIG,
                "nothing shows a serving endpoint with a defined SLA",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(SERVING_CONFIG) {
        let root = doc.root();
        let file = root.file();
        match root.section("sla")? {
            None => findings.report(
                &SERVING_SLA_UNDEFINED,
                file,
                "/sla",
                "the serving endpoint has no SLA",
            ),
            Some(sla) => {
                for (key, what) in [
                    ("latencyP99Ms", "p99 latency"),
                    ("throughputRps", "throughput"),
                ] {
                    if !sla.number(key)?.is_some_and(|n| n > 0.0) {
                        findings.report(
                            &SERVING_SLA_UNDEFINED,
                            file,
                            sla.child_pointer(key),
                            format!("the serving SLA does not define a positive {what} (`{key}`)"),
                        );
                    }
                }
                match sla.number("availability")? {
                    Some(a) if a > 0.0 && a <= 1.0 => {}
                    Some(_) => return Err(malformed_evidence(
                        file,
                        sla.child_pointer("availability"),
                        "expected availability as a fraction above 0 and at most 1 (e.g. 0.999)",
                    )),
                    None => findings.report(
                        &SERVING_SLA_UNDEFINED,
                        file,
                        sla.child_pointer("availability"),
                        "the serving SLA does not define availability",
                    ),
                }
            }
        }
        resilience(&root, "the serving endpoint", findings)?;
    }
    Ok(())
}

/// Timeout, retries and circuit breaker on `node` (the serving endpoint or
/// one integration).
fn resilience(node: &Node, what: &str, findings: &mut Findings) -> Result<(), PluginError> {
    let file = node.file();
    if !node.number("timeoutMs")?.is_some_and(|t| t > 0.0) {
        findings.report(
            &RESILIENCE_MISSING,
            file,
            node.child_pointer("timeoutMs"),
            format!("{what} has no timeout (`timeoutMs`)"),
        );
    }
    let attempts = match node.section("retries")? {
        Some(r) => r.get::<u64>("maxAttempts")?.unwrap_or(0),
        None => 0,
    };
    if attempts == 0 {
        findings.report(
            &RESILIENCE_MISSING,
            file,
            node.child_pointer("retries"),
            format!("{what} does not retry transient failures (`retries.maxAttempts`)"),
        );
    }
    let breaker = node.section("circuitBreaker")?;
    if !breaker
        .as_ref()
        .map_or(Ok(false), |b| b.is_true("enabled"))?
    {
        findings.report(
            &RESILIENCE_MISSING,
            file,
            node.child_pointer("circuitBreaker"),
            format!("{what} has no enabled circuit breaker"),
        );
    }
    Ok(())
}

fn infrastructure(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(INFRASTRUCTURE) {
        findings.push(
            &INFRASTRUCTURE_NOT_PROVISIONED,
            INFRASTRUCTURE_NOT_PROVISIONED.missing_evidence(
                INFRASTRUCTURE,
                "nothing shows provisioned, autoscaling, observable infrastructure (SEED-C3)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(INFRASTRUCTURE) {
        let root = doc.root();
        let file = root.file();
        let provisioning = root.section("provisioning")?;
        if !provisioning
            .as_ref()
            .map_or(Ok(false), |p| p.is_true("asCode"))?
        {
            findings.report(
                &INFRASTRUCTURE_NOT_PROVISIONED,
                file,
                "/provisioning/asCode",
                "the serving infrastructure is not provisioned as code",
            );
        }

        match root.section("autoscaling")? {
            Some(scaling) if scaling.is_true("enabled")? => {
                let min = scaling.get::<u64>("minReplicas")?;
                let max = scaling.get::<u64>("maxReplicas")?;
                let problem = match (min, max) {
                    (Some(0) | None, _) => Some(("minReplicas", "at least 1 replica".to_owned())),
                    (Some(lo), Some(hi)) if hi > lo => None,
                    (Some(lo), _) => Some((
                        "maxReplicas",
                        format!("`maxReplicas` above `minReplicas` ({lo})"),
                    )),
                };
                if let Some((key, need)) = problem {
                    findings.report(
                        &NO_AUTOSCALING,
                        file,
                        scaling.child_pointer(key),
                        format!("autoscaling cannot work as configured: it needs {need}"),
                    );
                }
            }
            _ => findings.report(
                &NO_AUTOSCALING,
                file,
                "/autoscaling/enabled",
                "autoscaling is not enabled for the serving infrastructure",
            ),
        }

        let observability = root.section("observability")?;
        for (key, what) in SIGNALS {
            let on = match &observability {
                Some(o) => match o.section(key)? {
                    Some(signal) => signal.is_true("enabled")?,
                    None => false,
                },
                None => false,
            };
            if !on {
                findings.report(
                    &OBSERVABILITY_GAP,
                    file,
                    format!("/observability/{key}/enabled"),
                    format!("{what} is not enabled for the serving stack"),
                );
            }
        }
    }
    Ok(())
}

fn integrations(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(INTEGRATIONS) {
        findings.push(
            &INTEGRATION_UNTESTED,
            INTEGRATION_UNTESTED.missing_evidence(
                INTEGRATIONS,
                "nothing shows that integrations are tested (SEED-C4)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(INTEGRATIONS) {
        let root = doc.root();
        let file = root.file();
        let list = root.require_field("integrations")?;
        let mut any = false;
        for item in list.items()? {
            any = true;
            let label = match item.text("name")? {
                Some(name) => format!("integration `{name}`"),
                None => format!(
                    "integration #{}",
                    item.pointer().rsplit('/').next().unwrap_or("?")
                ),
            };
            let api = item.section("api")?;
            for (key, what) in [
                ("spec", "a published API spec"),
                ("version", "an API version"),
            ] {
                let present = match &api {
                    Some(a) => a.text(key)?.is_some(),
                    None => false,
                };
                if !present {
                    findings.report(
                        &API_CONTRACT_INCOMPLETE,
                        file,
                        format!("{}/api/{key}", item.pointer()),
                        format!("{label} has no {what} (`api.{key}`)"),
                    );
                }
            }
            let auth = match &api {
                Some(a) => a.text("authentication")?,
                None => None,
            };
            if matches!(auth, None | Some("none")) {
                findings.report(
                    &API_CONTRACT_INCOMPLETE,
                    file,
                    format!("{}/api/authentication", item.pointer()),
                    format!("{label} is not authenticated"),
                );
            }
            resilience(&item, &label, findings)?;
            let tested = match item.section("integrationTests")? {
                Some(t) => t.is_true("passed")?,
                None => false,
            };
            if !tested {
                findings.report(
                    &INTEGRATION_UNTESTED,
                    file,
                    format!("{}/integrationTests/passed", item.pointer()),
                    format!("{label} has no passing integration tests"),
                );
            }
        }
        if !any {
            findings.report(
                &INTEGRATION_UNTESTED,
                file,
                "/integrations",
                "no integrations are listed; a production model has at least its consumers",
            );
        }
    }
    Ok(())
}
