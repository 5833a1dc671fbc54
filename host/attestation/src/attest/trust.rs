//! Trust stores: the public keys a verifier accepts, with validity windows.
//!
//! A trust store file is either one SubjectPublicKeyInfo PEM public key
//! (trusted without a window, named after the file's stem) or a TOML file:
//!
//! ```toml
//! [[key]]
//! name = "ci-2026"
//! public_key_file = "keys/ci-2026.pub"   # relative to this file; or inline:
//! # public_key = """-----BEGIN PUBLIC KEY-----
//! # ...
//! # -----END PUBLIC KEY-----"""
//! not_before = "2026-01-01T00:00:00Z"    # optional, RFC 3339, inclusive
//! not_after = "2026-12-31T23:59:59Z"     # optional, RFC 3339, inclusive
//! ```
//!
//! Which of the two a file is, is decided by its content. Unknown fields,
//! duplicate names, the same public key twice and empty stores are errors.
//! Dates may also be TOML date-times (`not_before = 2026-01-01T00:00:00Z`);
//! either way they need a UTC offset.

use std::path::{Path, PathBuf};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use toml::{Table, Value};

use super::error::{AttestError, KeyOrigin};
use super::keyfile::load_public_key;
use super::keys::{KeyId, PublicKey};

/// One trusted public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    name: String,
    public: PublicKey,
    key_id: KeyId,
    not_before: Option<OffsetDateTime>,
    not_after: Option<OffsetDateTime>,
}

impl TrustedKey {
    /// A key trusted at all times.
    pub fn new(name: impl Into<String>, public: PublicKey) -> TrustedKey {
        let key_id = public.key_id();
        TrustedKey {
            name: name.into(),
            public,
            key_id,
            not_before: None,
            not_after: None,
        }
    }

    /// The same key, trusted only from `not_before` until `not_after`
    /// (both inclusive; `None` leaves that side open).
    pub fn with_window(
        self,
        not_before: Option<OffsetDateTime>,
        not_after: Option<OffsetDateTime>,
    ) -> TrustedKey {
        TrustedKey {
            not_before,
            not_after,
            ..self
        }
    }

    /// The key's name in the store.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The public key's id.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Start of the validity window, if bounded.
    pub fn not_before(&self) -> Option<OffsetDateTime> {
        self.not_before
    }

    /// End of the validity window, if bounded.
    pub fn not_after(&self) -> Option<OffsetDateTime> {
        self.not_after
    }

    /// Whether `at` lies inside the validity window.
    pub fn is_valid_at(&self, at: OffsetDateTime) -> bool {
        self.not_before.is_none_or(|from| from <= at)
            && self.not_after.is_none_or(|until| at <= until)
    }
}

/// The set of keys a verifier trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustStore {
    origin: PathBuf,
    keys: Vec<TrustedKey>,
}

const FIELDS: [&str; 5] = [
    "name",
    "public_key",
    "public_key_file",
    "not_before",
    "not_after",
];
const TIME_EXPECTED: &str =
    "an RFC 3339 date-time with a UTC offset, such as `2026-01-01T00:00:00Z`";

impl TrustStore {
    /// Loads a trust store file: a PEM public key if the file starts with a
    /// PEM header, a TOML trust store otherwise.
    pub fn load(path: &Path) -> Result<TrustStore, AttestError> {
        let text = std::fs::read_to_string(path).map_err(|source| AttestError::Read {
            path: path.to_owned(),
            source,
        })?;
        let store = if text.trim_start().starts_with("-----BEGIN") {
            let name = path.file_stem().map_or_else(
                || "key".to_owned(),
                |stem| stem.to_string_lossy().into_owned(),
            );
            let public = PublicKey::from_spki_pem_at(&text, KeyOrigin::File(path.to_owned()))?;
            TrustStore::from_keys(path, vec![TrustedKey::new(name, public)])?
        } else {
            TrustStore::from_toml_str(&text, path)?
        };
        tracing::debug!(path = %path.display(), keys = store.keys.len(), "loaded trust store");
        Ok(store)
    }

    /// Parses a TOML trust store. `origin` names the file in errors, and
    /// relative `public_key_file` paths are resolved against its directory.
    pub fn from_toml_str(text: &str, origin: &Path) -> Result<TrustStore, AttestError> {
        let table: Table = text.parse().map_err(|error: toml::de::Error| {
            let (line, column) = line_column(text, error.span().map_or(0, |span| span.start));
            AttestError::TrustSyntax {
                path: origin.to_owned(),
                line,
                column,
                message: error.message().replace('\n', " "),
            }
        })?;
        let parser = Parser { origin };
        if let Some(field) = table.keys().find(|field| *field != "key") {
            return Err(parser.unknown(field.clone()));
        }
        let entries = match table.get("key") {
            None => {
                return Err(AttestError::TrustEmpty {
                    path: origin.to_owned(),
                })
            }
            Some(Value::Array(entries)) => entries,
            Some(other) => {
                return Err(parser.wrong_type(
                    "key".into(),
                    "an array of tables (`[[key]]`)",
                    other,
                ))
            }
        };
        let keys = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| parser.entry(&format!("key[{index}]"), entry))
            .collect::<Result<Vec<_>, _>>()?;
        TrustStore::from_keys(origin, keys)
    }

    /// Builds a store from keys, with the same checks as a file: at least
    /// one key, non-empty distinct names, distinct public keys, and no
    /// window that ends before it starts. `origin` names the store in errors.
    pub fn from_keys(
        origin: impl Into<PathBuf>,
        keys: Vec<TrustedKey>,
    ) -> Result<TrustStore, AttestError> {
        let path = origin.into();
        if keys.is_empty() {
            return Err(AttestError::TrustEmpty { path });
        }
        for (second, key) in keys.iter().enumerate() {
            if key.name.is_empty() {
                return Err(AttestError::TrustValue {
                    path,
                    field: format!("key[{second}].name"),
                    expected: "a non-empty name",
                    found: String::new(),
                });
            }
            if let (Some(from), Some(until)) = (key.not_before, key.not_after) {
                if from > until {
                    return Err(AttestError::TrustWindowInverted {
                        path,
                        field: format!("key[{second}]"),
                    });
                }
            }
            let earlier = keys.iter().take(second).enumerate();
            for (first, other) in earlier {
                if other.name == key.name {
                    return Err(AttestError::TrustDuplicateName {
                        path,
                        name: key.name.clone(),
                        first,
                        second,
                    });
                }
                if other.key_id == key.key_id {
                    return Err(AttestError::TrustDuplicateKey {
                        path,
                        key_id: key.key_id.clone(),
                        first: other.name.clone(),
                        second: key.name.clone(),
                    });
                }
            }
        }
        Ok(TrustStore { origin: path, keys })
    }

    /// The trusted keys, in file order.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The file the store came from.
    pub fn origin(&self) -> &Path {
        &self.origin
    }

    /// The trusted key with id `key_id`, if any.
    pub fn find(&self, key_id: &str) -> Option<&TrustedKey> {
        self.keys.iter().find(|key| key.key_id.as_str() == key_id)
    }
}

struct Parser<'a> {
    origin: &'a Path,
}

impl Parser<'_> {
    fn entry(&self, entry: &str, value: &Value) -> Result<TrustedKey, AttestError> {
        let Value::Table(table) = value else {
            return Err(self.wrong_type(entry.to_owned(), "a table", value));
        };
        if let Some(field) = table.keys().find(|field| !FIELDS.contains(&field.as_str())) {
            return Err(self.unknown(format!("{entry}.{field}")));
        }
        let name = match table.get("name") {
            None => return Err(self.missing(format!("{entry}.name"))),
            Some(value) => self.string(&format!("{entry}.name"), value)?,
        };
        if name.is_empty() {
            return Err(self.invalid(format!("{entry}.name"), "a non-empty name", name));
        }
        let public = match (table.get("public_key"), table.get("public_key_file")) {
            (Some(_), Some(_)) => {
                return Err(AttestError::TrustConflict {
                    path: self.origin.to_owned(),
                    field: format!("{entry}.public_key"),
                    other: format!("{entry}.public_key_file"),
                })
            }
            (None, None) => return Err(self.missing(format!("{entry}.public_key"))),
            (Some(value), None) => {
                let field = format!("{entry}.public_key");
                let text = self.string(&field, value)?;
                let origin = KeyOrigin::TrustField {
                    path: self.origin.to_owned(),
                    field,
                };
                PublicKey::from_spki_pem_at(text, origin)?
            }
            (None, Some(value)) => {
                let field = format!("{entry}.public_key_file");
                let file = self.string(&field, value)?;
                if file.is_empty() {
                    return Err(self.invalid(field, "a path", file));
                }
                load_public_key(&self.base_dir().join(file))?
            }
        };
        let not_before = self.time(entry, "not_before", table)?;
        let not_after = self.time(entry, "not_after", table)?;
        Ok(TrustedKey::new(name, public).with_window(not_before, not_after))
    }

    fn time(
        &self,
        entry: &str,
        key: &str,
        table: &Table,
    ) -> Result<Option<OffsetDateTime>, AttestError> {
        let field = format!("{entry}.{key}");
        let text = match table.get(key) {
            None => return Ok(None),
            Some(Value::String(text)) => text.clone(),
            Some(Value::Datetime(datetime)) => datetime.to_string(),
            Some(other) => return Err(self.wrong_type(field, "a date-time", other)),
        };
        OffsetDateTime::parse(&text, &Rfc3339)
            .map(Some)
            .map_err(|_| self.invalid(field, TIME_EXPECTED, &text))
    }

    fn string<'v>(&self, field: &str, value: &'v Value) -> Result<&'v str, AttestError> {
        value
            .as_str()
            .ok_or_else(|| self.wrong_type(field.to_owned(), "a string", value))
    }

    fn base_dir(&self) -> &Path {
        match self.origin.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    fn missing(&self, field: String) -> AttestError {
        AttestError::TrustMissing {
            path: self.origin.to_owned(),
            field,
        }
    }

    fn unknown(&self, field: String) -> AttestError {
        AttestError::TrustUnknownField {
            path: self.origin.to_owned(),
            field,
        }
    }

    fn wrong_type(&self, field: String, expected: &'static str, found: &Value) -> AttestError {
        AttestError::TrustType {
            path: self.origin.to_owned(),
            field,
            expected,
            found: match found {
                Value::String(_) => "a string",
                Value::Integer(_) => "an integer",
                Value::Float(_) => "a float",
                Value::Boolean(_) => "a boolean",
                Value::Datetime(_) => "a date-time",
                Value::Array(_) => "an array",
                Value::Table(_) => "a table",
            },
        }
    }

    fn invalid(&self, field: String, expected: &'static str, found: &str) -> AttestError {
        AttestError::TrustValue {
            path: self.origin.to_owned(),
            field,
            expected,
            found: found.to_owned(),
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before
        .get(line_start..)
        .map_or(0, |rest| rest.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::attest::error::KeyRole;
    use crate::attest::keys::SigningKey;
    use time::macros::datetime;

    fn pem() -> String {
        SigningKey::generate().public().to_spki_pem()
    }

    fn parse(text: &str) -> Result<TrustStore, AttestError> {
        TrustStore::from_toml_str(text, Path::new("trust.toml"))
    }

    fn field_of(error: &AttestError) -> String {
        match error {
            AttestError::TrustMissing { field, .. }
            | AttestError::TrustUnknownField { field, .. }
            | AttestError::TrustType { field, .. }
            | AttestError::TrustValue { field, .. }
            | AttestError::TrustConflict { field, .. }
            | AttestError::TrustWindowInverted { field, .. } => field.clone(),
            AttestError::KeyParse {
                origin: KeyOrigin::TrustField { field, .. },
                ..
            } => field.clone(),
            other => panic!("no field in {other:?}"),
        }
    }

    #[test]
    fn parses_inline_keys_and_windows() {
        let (a, b) = (pem(), pem());
        let text = format!(
            r#"
[[key]]
name = "ci-2025"
public_key = """{a}"""
not_before = "2025-01-01T00:00:00Z"
not_after = 2025-12-31T23:59:59Z

[[key]]
name = "ci-2026"
public_key = """{b}"""
not_before = "2026-01-01T01:00:00+01:00"
"#
        );
        let store = parse(&text).unwrap();
        assert_eq!(store.keys().len(), 2);
        let old = &store.keys()[0];
        assert_eq!(old.name(), "ci-2025");
        assert_eq!(old.public_key().to_spki_pem(), a);
        assert_eq!(old.not_before(), Some(datetime!(2025-01-01 00:00:00 UTC)));
        assert_eq!(old.not_after(), Some(datetime!(2025-12-31 23:59:59 UTC)));
        let new = &store.keys()[1];
        assert_eq!(new.not_before(), Some(datetime!(2026-01-01 00:00:00 UTC)));
        assert_eq!(new.not_after(), None);
        assert!(store.find(new.key_id().as_str()).is_some());
        assert!(store.find("00").is_none());
    }

    #[test]
    fn window_bounds_are_inclusive() {
        let key = TrustedKey::new("k", SigningKey::generate().public()).with_window(
            Some(datetime!(2025-01-01 00:00:00 UTC)),
            Some(datetime!(2025-12-31 23:59:59 UTC)),
        );
        assert!(key.is_valid_at(datetime!(2025-01-01 00:00:00 UTC)));
        assert!(key.is_valid_at(datetime!(2025-12-31 23:59:59 UTC)));
        assert!(!key.is_valid_at(datetime!(2024-12-31 23:59:59 UTC)));
        assert!(!key.is_valid_at(datetime!(2026-01-01 00:00:00 UTC)));
        let open = TrustedKey::new("o", SigningKey::generate().public());
        assert!(open.is_valid_at(datetime!(1970-01-01 00:00:00 UTC)));
    }

    #[test]
    fn public_key_file_is_relative_to_the_store() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("keys")).unwrap();
        let public = SigningKey::generate().public();
        std::fs::write(dir.path().join("keys/ci.pub"), public.to_spki_pem()).unwrap();
        let store_path = dir.path().join("trust.toml");
        std::fs::write(
            &store_path,
            "[[key]]\nname = \"ci\"\npublic_key_file = \"keys/ci.pub\"\n",
        )
        .unwrap();
        let store = TrustStore::load(&store_path).unwrap();
        assert_eq!(store.keys()[0].public_key(), &public);
        assert_eq!(store.origin(), store_path);

        std::fs::write(
            &store_path,
            "[[key]]\nname = \"ci\"\npublic_key_file = \"keys/nope.pub\"\n",
        )
        .unwrap();
        let error = TrustStore::load(&store_path).unwrap_err();
        assert!(
            matches!(error, AttestError::Read { ref path, .. } if path.ends_with("keys/nope.pub"))
        );
    }

    #[test]
    fn a_pem_file_is_a_one_key_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ci-2026.pub");
        let public = SigningKey::generate().public();
        std::fs::write(&path, format!("\n{}", public.to_spki_pem())).unwrap();
        let store = TrustStore::load(&path).unwrap();
        assert_eq!(store.keys().len(), 1);
        assert_eq!(store.keys()[0].name(), "ci-2026");
        assert_eq!(store.keys()[0].public_key(), &public);
        assert_eq!(store.keys()[0].not_after(), None);
    }

    #[test]
    fn a_private_key_is_not_a_trust_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("oops.key");
        std::fs::write(&path, SigningKey::generate().to_pkcs8_pem().as_bytes()).unwrap();
        let error = TrustStore::load(&path).unwrap_err();
        assert!(matches!(
            error,
            AttestError::KeyKindMismatch {
                expected: KeyRole::Public,
                ..
            }
        ));
        assert!(
            error
                .to_string()
                .contains("found a `PRIVATE KEY` PEM block"),
            "{error}"
        );
    }

    #[test]
    fn field_errors_name_the_field() {
        let a = pem();
        let entry =
            |extra: &str| format!("[[key]]\nname = \"a\"\npublic_key = \"\"\"{a}\"\"\"\n{extra}\n");
        let two = |extra: &str| format!("{}{}", entry(""), entry(extra).replace("\"a\"", "\"b\""));
        let cases: Vec<(String, &str, &str)> = vec![
            (
                two("not_after = \"next year\""),
                "trust_invalid_value",
                "key[1].not_after",
            ),
            (two("not_after = 5"), "trust_wrong_type", "key[1].not_after"),
            (
                entry("not_before = \"2026-01-01T00:00:00\""),
                "trust_invalid_value",
                "key[0].not_before",
            ),
            (
                entry("not_before = 2026-01-01"),
                "trust_invalid_value",
                "key[0].not_before",
            ),
            (
                entry("colour = \"blue\""),
                "trust_unknown_field",
                "key[0].colour",
            ),
            (
                entry("public_key_file = \"x.pub\""),
                "trust_conflicting_fields",
                "key[0].public_key",
            ),
            (
                entry(
                    "not_before = \"2026-01-02T00:00:00Z\"\nnot_after = \"2026-01-01T00:00:00Z\"",
                ),
                "trust_window_inverted",
                "key[0]",
            ),
            (
                "[[key]]\nname = \"a\"\n".into(),
                "trust_missing_field",
                "key[0].public_key",
            ),
            (
                format!("[[key]]\npublic_key = \"\"\"{a}\"\"\"\n"),
                "trust_missing_field",
                "key[0].name",
            ),
            (
                format!("[[key]]\nname = 3\npublic_key = \"\"\"{a}\"\"\"\n"),
                "trust_wrong_type",
                "key[0].name",
            ),
            (
                format!("[[key]]\nname = \"\"\npublic_key = \"\"\"{a}\"\"\"\n"),
                "trust_invalid_value",
                "key[0].name",
            ),
            (
                "[[key]]\nname = \"a\"\npublic_key = \"junk\"\n".into(),
                "key_parse",
                "key[0].public_key",
            ),
            (
                "[[key]]\nname = \"a\"\npublic_key = 1\n".into(),
                "trust_wrong_type",
                "key[0].public_key",
            ),
            ("key = 1\n".into(), "trust_wrong_type", "key"),
            (
                format!("[key]\nname = \"a\"\npublic_key = \"\"\"{a}\"\"\"\n"),
                "trust_wrong_type",
                "key",
            ),
            ("key = [1]\n".into(), "trust_wrong_type", "key[0]"),
            ("version = 1\n".into(), "trust_unknown_field", "version"),
        ];
        for (text, code, field) in cases {
            let error = parse(&text).unwrap_err();
            assert_eq!(error.code(), code, "{text}\n{error}");
            assert_eq!(field_of(&error), field, "{text}");
            assert!(error.to_string().contains("trust.toml"), "{error}");
        }
    }

    #[test]
    fn invalid_time_message_reads_well() {
        let text = format!(
            "[[key]]\nname = \"a\"\npublic_key = \"\"\"{}\"\"\"\nnot_after = \"soon\"\n",
            pem()
        );
        assert_eq!(
            parse(&text).unwrap_err().to_string(),
            "invalid `key[0].not_after` in `trust.toml`: expected an RFC 3339 date-time with a \
             UTC offset, such as `2026-01-01T00:00:00Z`, found `soon`"
        );
    }

    #[test]
    fn duplicates_are_refused() {
        let (a, b) = (pem(), pem());
        let text = format!(
            "[[key]]\nname = \"x\"\npublic_key = \"\"\"{a}\"\"\"\n[[key]]\nname = \"x\"\npublic_key = \"\"\"{b}\"\"\"\n"
        );
        match parse(&text).unwrap_err() {
            AttestError::TrustDuplicateName {
                name,
                first,
                second,
                ..
            } => {
                assert_eq!((name.as_str(), first, second), ("x", 0, 1));
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = format!(
            "[[key]]\nname = \"x\"\npublic_key = \"\"\"{a}\"\"\"\n[[key]]\nname = \"y\"\npublic_key = \"\"\"{a}\"\"\"\n"
        );
        match parse(&text).unwrap_err() {
            AttestError::TrustDuplicateKey { first, second, .. } => {
                assert_eq!((first.as_str(), second.as_str()), ("x", "y"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn empty_store_and_syntax_errors() {
        assert_eq!(parse("").unwrap_err().code(), "trust_empty");
        assert_eq!(parse("key = []").unwrap_err().code(), "trust_empty");
        match parse("[[key]]\nname = \"a\"\nname = \"b\"\n").unwrap_err() {
            AttestError::TrustSyntax {
                line,
                column,
                message,
                ..
            } => {
                assert_eq!(line, 3);
                assert_eq!(column, 1);
                assert!(!message.is_empty());
            }
            other => panic!("unexpected {other:?}"),
        }
        let error = parse("[[key]\n").unwrap_err();
        assert_eq!(error.code(), "trust_syntax");
        assert!(!error.to_string().contains('\n'), "{error}");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("", 0), (1, 1));
        assert_eq!(line_column("abc", 99), (1, 4));
    }
}
