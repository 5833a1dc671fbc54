//! Markdown evidence: `{"frontMatter": <YAML as JSON, or null>, "lines":
//! [...]}`. Front matter is a first line `---`, YAML, and a closing `---`
//! or `...` line; `lines` are the body lines after it.

use crate::text_pos::{lines, utf8};
use crate::{text, yaml, Limits, ParseError, Position};

/// Where the parts of a Markdown file are.
struct Split<'a> {
    /// The YAML between the fences, if there is front matter.
    front_matter: Option<&'a str>,
    /// The body.
    body: &'a str,
    /// 1-based line of the first body line.
    body_line: u32,
}

/// Splits off the front matter; an opening fence without a closing one is
/// an error (the author meant front matter; reading it as a body would
/// silently lose it).
fn split(text: &str) -> Result<Split<'_>, ParseError> {
    let mut offset = 0usize;
    let mut opened = false;
    for (number, line) in lines(text.as_bytes()) {
        let fence = std::str::from_utf8(line).unwrap_or("").trim_end();
        let next = text
            .get(offset..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| offset + i + 1);
        if number == 1 {
            if fence != "---" {
                break;
            }
            opened = true;
        } else if fence == "---" || fence == "..." {
            let yaml_start = text.find('\n').map_or(text.len(), |i| i + 1);
            let yaml_end = offset;
            return Ok(Split {
                front_matter: Some(text.get(yaml_start..yaml_end).unwrap_or("")),
                body: text.get(next..).unwrap_or(""),
                body_line: number + 1,
            });
        }
        offset = next;
    }
    if opened {
        return Err(ParseError::UnclosedFrontMatter);
    }
    Ok(Split {
        front_matter: None,
        body: text,
        body_line: 1,
    })
}

/// Parses a Markdown file (BOM already removed).
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<String, ParseError> {
    let text = utf8(bytes)?;
    let parts = split(text)?;
    let mut out = String::with_capacity(bytes.len() + 32);
    out.push_str("{\"frontMatter\":");
    match parts.front_matter {
        // The YAML starts on line 2, after the opening fence.
        Some(yaml) => out.push_str(&yaml::parse_one(yaml, limits).map_err(|e| e.shifted(1))?),
        None => out.push_str("null"),
    }
    out.push_str(",\"lines\":");
    text::write_lines(parts.body.as_bytes(), &mut out);
    out.push('}');
    Ok(out)
}

/// `/frontMatter/...` → the line in the front matter; `/lines/i` → body
/// line `i`; anything else → line 1.
pub(crate) fn locate(bytes: &[u8], tokens: &[String]) -> Option<Position> {
    let text = utf8(bytes).ok()?;
    let parts = split(text).ok()?;
    let start = Position { line: 1, column: 1 };
    match tokens.split_first() {
        Some((first, rest)) if first == "frontMatter" => {
            let Some(yaml) = parts.front_matter else {
                return Some(start);
            };
            let inner = yaml::locate(yaml, 0, rest).unwrap_or(Position { line: 1, column: 1 });
            Some(Position {
                line: inner.line + 1,
                column: inner.column,
            })
        }
        Some((first, rest)) if first == "lines" => {
            let Some(index) = rest.first() else {
                return Some(Position {
                    line: parts.body_line,
                    column: 1,
                });
            };
            let index: u32 = index.parse().ok()?;
            let count = lines(parts.body.as_bytes()).count();
            if usize::try_from(index).ok()? >= count {
                return None;
            }
            Some(Position {
                line: parts.body_line + index,
                column: 1,
            })
        }
        _ => Some(start),
    }
}

/// The front matter's YAML text, if any (for recognition).
pub(crate) fn front_matter(text: &str) -> Option<&str> {
    split(text).ok()?.front_matter
}

/// The body text (for recognition).
pub(crate) fn body(text: &str) -> &str {
    split(text).map_or(text, |s| s.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "---\nlicense: apache-2.0\ntags:\n  - fraud\n  - tabular\n---\n# Model card\n\nIntended use: scoring.\n";

    #[test]
    fn front_matter_and_body_lines() {
        let json = parse(CARD.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            json,
            r##"{"frontMatter":{"license":"apache-2.0","tags":["fraud","tabular"]},"lines":["# Model card","","Intended use: scoring."]}"##
        );
        let none = parse(b"# Title\r\ntext\r\n", &Limits::default()).unwrap();
        assert_eq!(none, r##"{"frontMatter":null,"lines":["# Title","text"]}"##);
    }

    #[test]
    fn pointers_map_to_front_matter_and_body_lines() {
        let at = |p: &str| locate(CARD.as_bytes(), &crate::pointer::tokens(p).unwrap());
        assert_eq!(
            at("/frontMatter/tags/1"),
            Some(Position { line: 5, column: 5 })
        );
        assert_eq!(
            at("/frontMatter/license"),
            Some(Position {
                line: 2,
                column: 10
            })
        );
        assert_eq!(at("/lines/2"), Some(Position { line: 9, column: 1 }));
        assert_eq!(at("/lines/0"), Some(Position { line: 7, column: 1 }));
        assert_eq!(at("/lines/3"), None);
    }

    #[test]
    fn front_matter_errors_name_the_file_line() {
        let err = parse(b"---\na: 1\na: 2\n---\nbody\n", &Limits::default()).unwrap_err();
        assert!(
            matches!(err, ParseError::DuplicateKey { line: 3, .. }),
            "{err:?}"
        );
        assert_eq!(
            parse(b"---\na: 1\n", &Limits::default()).unwrap_err(),
            ParseError::UnclosedFrontMatter
        );
    }
}
