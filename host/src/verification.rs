//! `assay verify`: the checks of [`assay_attestation::verification`], with
//! this engine supplying re-evaluation.

pub use assay_attestation::verification::*;

use crate::bundle::{Bundle, LoadOptions};
use crate::runtime::Runtime;

/// Re-evaluation with assay's WebAssembly runtime.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    /// How the bundle is loaded (the document size limit).
    pub load: LoadOptions,
}

impl Reevaluate for Engine {
    fn reevaluate(&self, job: Reevaluation<'_>) -> Result<serde_json::Value, ReevaluationError> {
        let bundle = Bundle::load(job.bundle, &self.load)?;
        // No compile cache: an auditor's re-evaluation compiles every plugin
        // from the pinned bytes it just checked, so nothing in a cache
        // directory (the producer's, or a tampered one) can shape the verdict.
        let runtime = Runtime::new()?;
        let prepared = match job.policy {
            PolicyInput::Set(set) => crate::evaluate::prepare(&runtime, set)?,
            PolicyInput::Pack(b) => crate::evaluate::prepare_pack(&runtime, *b)?,
        };
        let times = crate::predicate::Times {
            evaluated: job.time,
            source: if job.declared {
                crate::predicate::TimeSource::Declared
            } else {
                crate::predicate::TimeSource::Clock
            },
            signed: job.signed,
        };
        let options = crate::evaluate::EvalOptions {
            waivers: job.waivers,
            at: times.evaluated,
            waivers_at: Some(times.waivers_at()),
            ..Default::default()
        };
        crate::evaluate::admit(&prepared.policy, &bundle)?;
        let fresh = crate::evaluate::evaluate(&runtime, &prepared, &bundle, &options);
        Ok(crate::predicate::predicate(&fresh, &times)?)
    }
}
