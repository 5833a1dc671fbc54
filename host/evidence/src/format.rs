//! The syntaxes evidence can arrive in, with their names and media types.

use std::fmt;

/// The syntax of a raw evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON document.
    Json,
    /// A YAML stream: every non-empty document is an evidence document.
    Yaml,
    /// One JSON value per non-blank line; becomes one array.
    JsonLines,
    /// A header row and records; becomes one array of objects of strings.
    Csv,
    /// Markdown with optional YAML front matter.
    Markdown,
    /// Plain UTF-8 text, kept line by line.
    Text,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Yaml,
        Format::JsonLines,
        Format::Csv,
        Format::Markdown,
        Format::Text,
    ];

    /// The format's name in manifests and reports (`json`, `yaml`,
    /// `json-lines`, `csv`, `markdown`, `text`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::JsonLines => "json-lines",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }

    /// The format with this [`name`](Self::name); `None` for any other word.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format for a media type (parameters such as `; charset=utf-8`
    /// are ignored, case does not matter); `None` when assay cannot read it.
    pub fn from_media_type(media_type: &str) -> Option<Format> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "application/json" => Some(Format::Json),
            "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => {
                Some(Format::Yaml)
            }
            "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
                Some(Format::JsonLines)
            }
            "text/csv" => Some(Format::Csv),
            "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
            "text/plain" => Some(Format::Text),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_media_types_map() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("JSON"), None);
        assert_eq!(
            Format::from_media_type("application/json; charset=utf-8"),
            Some(Format::Json)
        );
        assert_eq!(Format::from_media_type("text/x-yaml"), Some(Format::Yaml));
        assert_eq!(
            Format::from_media_type("application/x-ndjson"),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::from_media_type("Text/CSV"), Some(Format::Csv));
        assert_eq!(
            Format::from_media_type("text/markdown"),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_media_type("text/plain"), Some(Format::Text));
        assert_eq!(Format::from_media_type("application/xml"), None);
    }
}
