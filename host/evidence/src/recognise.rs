//! Recognition by content.

use crate::Format;

/// What [`recognise`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// The syntax, or `None` for bytes that are not text.
    pub format: Option<Format>,
    /// The evidence kind, when the content matches one.
    pub kind: Option<&'static str>,
    /// Why, in a few words.
    pub reason: String,
}

/// Recognises format and kind from the bytes alone.
pub fn recognise(_bytes: &[u8]) -> Recognition {
    Recognition {
        format: None,
        kind: None,
        reason: String::new(),
    }
}
