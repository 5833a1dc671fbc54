//! The HTML portfolio over many attestations (stub; being written).

use super::Attested;

/// One self-contained HTML page.
pub fn render(_docs: &[Attested]) -> String {
    String::new()
}

/// The file name of an attestation's own HTML report in a portfolio.
pub fn report_file_name(source: &str) -> String {
    format!("{source}.html")
}
