//! Serving (stage 2's SLA), infrastructure (stage 3, checklist C3) and
//! integrations (stage 4, checklist C4).

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{child, is_true, number, report, report_absent, section, text, Docs};
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
        report_absent(
            findings,
            &SERVING_SLA_UNDEFINED,
            SERVING_CONFIG,
            "a serving endpoint with a defined SLA",
        );
        return Ok(());
    }
    for doc in docs.of(SERVING_CONFIG) {
        let root = doc.root();
        let file = root.file();
        match section(&root, "sla")? {
            None => report(
                findings,
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
                    if !number(&sla, key)?.is_some_and(|n| n > 0.0) {
                        report(
                            findings,
                            &SERVING_SLA_UNDEFINED,
                            file,
                            child(&sla, key),
                            format!("the serving SLA does not define a positive {what} (`{key}`)"),
                        );
                    }
                }
                match number(&sla, "availability")? {
                    Some(a) if a > 0.0 && a <= 1.0 => {}
                    Some(_) => return Err(malformed_evidence(
                        file,
                        child(&sla, "availability"),
                        "expected availability as a fraction above 0 and at most 1 (e.g. 0.999)",
                    )),
                    None => report(
                        findings,
                        &SERVING_SLA_UNDEFINED,
                        file,
                        child(&sla, "availability"),
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
    if !number(node, "timeoutMs")?.is_some_and(|t| t > 0.0) {
        report(
            findings,
            &RESILIENCE_MISSING,
            file,
            child(node, "timeoutMs"),
            format!("{what} has no timeout (`timeoutMs`)"),
        );
    }
    let attempts = match section(node, "retries")? {
        Some(r) => r.get::<u64>("maxAttempts")?.unwrap_or(0),
        None => 0,
    };
    if attempts == 0 {
        report(
            findings,
            &RESILIENCE_MISSING,
            file,
            child(node, "retries"),
            format!("{what} does not retry transient failures (`retries.maxAttempts`)"),
        );
    }
    let breaker = section(node, "circuitBreaker")?;
    if !breaker
        .as_ref()
        .map_or(Ok(false), |b| is_true(b, "enabled"))?
    {
        report(
            findings,
            &RESILIENCE_MISSING,
            file,
            child(node, "circuitBreaker"),
            format!("{what} has no enabled circuit breaker"),
        );
    }
    Ok(())
}

fn infrastructure(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(INFRASTRUCTURE) {
        report_absent(
            findings,
            &INFRASTRUCTURE_NOT_PROVISIONED,
            INFRASTRUCTURE,
            "provisioned, autoscaling, observable infrastructure (SEED-C3)",
        );
        return Ok(());
    }
    for doc in docs.of(INFRASTRUCTURE) {
        let root = doc.root();
        let file = root.file();
        let provisioning = section(&root, "provisioning")?;
        if !provisioning
            .as_ref()
            .map_or(Ok(false), |p| is_true(p, "asCode"))?
        {
            report(
                findings,
                &INFRASTRUCTURE_NOT_PROVISIONED,
                file,
                "/provisioning/asCode",
                "the serving infrastructure is not provisioned as code",
            );
        }

        match section(&root, "autoscaling")? {
            Some(scaling) if is_true(&scaling, "enabled")? => {
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
                    report(
                        findings,
                        &NO_AUTOSCALING,
                        file,
                        child(&scaling, key),
                        format!("autoscaling cannot work as configured: it needs {need}"),
                    );
                }
            }
            _ => report(
                findings,
                &NO_AUTOSCALING,
                file,
                "/autoscaling/enabled",
                "autoscaling is not enabled for the serving infrastructure",
            ),
        }

        let observability = section(&root, "observability")?;
        for (key, what) in SIGNALS {
            let on = match &observability {
                Some(o) => match section(o, key)? {
                    Some(signal) => is_true(&signal, "enabled")?,
                    None => false,
                },
                None => false,
            };
            if !on {
                report(
                    findings,
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
        report_absent(
            findings,
            &INTEGRATION_UNTESTED,
            INTEGRATIONS,
            "that integrations are tested (SEED-C4)",
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
            let label = match text(&item, "name")? {
                Some(name) => format!("integration `{name}`"),
                None => format!(
                    "integration #{}",
                    item.pointer().rsplit('/').next().unwrap_or("?")
                ),
            };
            let api = section(&item, "api")?;
            for (key, what) in [
                ("spec", "a published API spec"),
                ("version", "an API version"),
            ] {
                let present = match &api {
                    Some(a) => text(a, key)?.is_some(),
                    None => false,
                };
                if !present {
                    report(
                        findings,
                        &API_CONTRACT_INCOMPLETE,
                        file,
                        format!("{}/api/{key}", item.pointer()),
                        format!("{label} has no {what} (`api.{key}`)"),
                    );
                }
            }
            let auth = match &api {
                Some(a) => text(a, "authentication")?,
                None => None,
            };
            if matches!(auth, None | Some("none")) {
                report(
                    findings,
                    &API_CONTRACT_INCOMPLETE,
                    file,
                    format!("{}/api/authentication", item.pointer()),
                    format!("{label} is not authenticated"),
                );
            }
            resilience(&item, &label, findings)?;
            let tested = match section(&item, "integrationTests")? {
                Some(t) => is_true(&t, "passed")?,
                None => false,
            };
            if !tested {
                report(
                    findings,
                    &INTEGRATION_UNTESTED,
                    file,
                    format!("{}/integrationTests/passed", item.pointer()),
                    format!("{label} has no passing integration tests"),
                );
            }
        }
        if !any {
            report(
                findings,
                &INTEGRATION_UNTESTED,
                file,
                "/integrations",
                "no integrations are listed; a production model has at least its consumers",
            );
        }
    }
    Ok(())
}
