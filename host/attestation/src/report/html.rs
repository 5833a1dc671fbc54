//! The HTML report of one attestation (stub; being written).

use super::Attested;

/// One self-contained HTML page.
pub fn render(_doc: &Attested) -> String {
    String::new()
}
