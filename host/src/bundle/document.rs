use std::path::Path;

use serde_json::Value;

use super::BundleError;

/// The syntaxes an evidence document may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    /// `application/json`
    Json,
    /// `application/yaml` and its common aliases.
    Yaml,
}

impl DocumentFormat {
    /// Maps a media type to a format; `None` for media types assay cannot parse.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "application/json" => Some(Self::Json),
            "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => {
                Some(Self::Yaml)
            }
            _ => None,
        }
    }

    /// Guesses the format of a manifest from its file name.
    pub fn from_extension(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Self::Yaml,
            _ => Self::Json,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Yaml => "YAML",
        }
    }
}

/// Parses a document's bytes into a JSON value, naming `path` in any error.
///
/// YAML is converted to the JSON data model here so that plugins only ever
/// parse JSON; YAML features with no JSON equivalent (non-string keys, tags)
/// are rejected by the conversion with a clear message. Duplicate keys are
/// refused in both syntaxes: a document with two values for one key means
/// different things to different parsers.
pub fn parse_document(
    path: &Path,
    bytes: &[u8],
    format: DocumentFormat,
) -> Result<Value, BundleError> {
    let result = match format {
        DocumentFormat::Json => crate::strict_json::parse(bytes).map_err(|e| e.to_string()),
        DocumentFormat::Yaml => crate::strict_json::parse_yaml(bytes).map_err(|e| e.to_string()),
    };
    result.map_err(|message| BundleError::Syntax {
        path: path.to_path_buf(),
        format: format.name(),
        message,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn media_types_map_to_formats() {
        assert_eq!(
            DocumentFormat::from_media_type("application/json"),
            Some(DocumentFormat::Json)
        );
        assert_eq!(
            DocumentFormat::from_media_type("application/yaml; charset=utf-8"),
            Some(DocumentFormat::Yaml)
        );
        assert_eq!(DocumentFormat::from_media_type("text/plain"), None);
    }

    #[test]
    fn yaml_becomes_json_values() {
        let v = parse_document(
            Path::new("x.yaml"),
            b"a: 1\nb: [x, y]\n",
            DocumentFormat::Yaml,
        )
        .unwrap();
        assert_eq!(v, serde_json::json!({"a": 1, "b": ["x", "y"]}));
    }

    #[test]
    fn duplicate_keys_are_refused_in_json_and_yaml() {
        let err = parse_document(
            Path::new("a.json"),
            br#"{"ok": true, "x": {"pass": false, "pass": true}}"#,
            DocumentFormat::Json,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("duplicate key `pass`") && err.contains("`/x`"),
            "{err}"
        );
        let err = parse_document(
            Path::new("a.yaml"),
            b"pass: false\npass: true\n",
            DocumentFormat::Yaml,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("a.yaml") && err.contains("duplicate"), "{err}");
    }

    #[test]
    fn syntax_errors_name_the_file_and_position() {
        let err =
            parse_document(Path::new("ev/x.json"), b"{\"a\": }", DocumentFormat::Json).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("ev/x.json"), "{msg}");
        assert!(msg.contains("line 1"), "{msg}");
    }
}
