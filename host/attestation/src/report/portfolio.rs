//! The HTML portfolio over many attestations (stub; being written).

use super::Attested;

/// One self-contained HTML page.
pub fn render(_docs: &[Attested]) -> String {
    String::new()
}
