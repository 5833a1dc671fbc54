//! OSCAL 1.1 assessment results (stub; being written).

use super::Attested;

/// Why no OSCAL document was made.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OscalError(String);

/// The assessment-results document.
pub fn render(_doc: &Attested) -> Result<serde_json::Value, OscalError> {
    Err(OscalError("not written yet".into()))
}
