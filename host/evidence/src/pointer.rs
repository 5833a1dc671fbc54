//! JSON pointers (RFC 6901): escaping and splitting reference tokens.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a pointer into unescaped tokens; `None` if it is not a pointer
/// (non-empty and not starting with `/`).
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_splits_per_rfc6901() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(
            tokens("/a~1b~0c/0").unwrap(),
            vec!["a/b~c".to_owned(), "0".to_owned()]
        );
        assert_eq!(tokens("").unwrap(), Vec::<String>::new());
        assert!(tokens("a").is_none());
    }
}
