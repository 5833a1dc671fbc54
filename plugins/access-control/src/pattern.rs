//! Wildcards in actions and resources, and which actions only read.

/// Whether an action or resource pattern is a wildcard. Any `*` counts:
/// `*`, `model:*`, `datasets/*`, and also `model:Get*`, since a partial
/// wildcard grants actions nobody listed.
pub fn is_wildcard(pattern: &str) -> bool {
    pattern.contains('*')
}

/// Verbs that only read. Matched against the first word of the action's
/// verb (the text after the last `:`), so `model:read`, `s3:GetObject` and
/// `secrets:list-versions` read.
const READ_VERBS: &[&str] = &[
    "read", "get", "list", "describe", "watch", "view", "query", "head",
];

/// Whether `action` only reads. Unknown verbs and wildcards count as
/// writes, so an action this function cannot classify fails closed.
pub fn is_read_action(action: &str) -> bool {
    if is_wildcard(action) {
        return false;
    }
    let verb = action.rsplit(':').next().unwrap_or(action);
    // `read-write`, `ReadWrite` and `readwrite` start with a read verb but
    // are not read-only.
    if verb.to_ascii_lowercase().contains("write") {
        return false;
    }
    READ_VERBS.contains(&first_word(verb).as_str())
}

/// The verb's first word, lowercased: up to the first non-letter or the
/// first lower-to-upper case change (`GetObject` → `get`).
fn first_word(verb: &str) -> String {
    let mut word = String::new();
    let mut previous_lower = false;
    for c in verb.chars() {
        if !c.is_ascii_alphabetic() || (previous_lower && c.is_ascii_uppercase()) {
            break;
        }
        previous_lower = c.is_ascii_lowercase();
        word.push(c.to_ascii_lowercase());
    }
    word
}

/// Whether some resource name matches both glob patterns, where `*` matches
/// any text (including `/`). A permission on `registry/*` overlaps a
/// protected `registry/models/*`, and so does one on `*`.
///
/// Dynamic programming over positions in both patterns: `reach[i][j]`
/// says some text takes `a` to position `i` and `b` to position `j`
/// together.
pub fn overlaps(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut reach = vec![false; (a.len() + 1) * width];
    let idx = |i: usize, j: usize| i * width + j;
    if let Some(start) = reach.get_mut(0) {
        *start = true;
    }
    // Positions are visited in increasing (i, j) order and every step moves
    // forward in at least one pattern, so one pass settles every cell.
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reach.get(idx(i, j)).copied().unwrap_or(false) {
                continue;
            }
            let ca = a.get(i).copied();
            let cb = b.get(j).copied();
            let mut next = Vec::with_capacity(3);
            // A star may match nothing.
            if ca == Some('*') {
                next.push((i + 1, j));
            }
            if cb == Some('*') {
                next.push((i, j + 1));
            }
            match (ca, cb) {
                // A star swallows the other side's next character (or a
                // character of the other side's star, which is the same).
                (Some('*'), Some(_)) => next.push((i, j + 1)),
                (Some(_), Some('*')) => next.push((i + 1, j)),
                (Some(x), Some(y)) if x == y => next.push((i + 1, j + 1)),
                _ => {}
            }
            for (ni, nj) in next {
                if let Some(cell) = reach.get_mut(idx(ni, nj)) {
                    *cell = true;
                }
            }
        }
    }
    reach.get(idx(a.len(), b.len())).copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_actions() {
        for read in [
            "model:read",
            "feature-store:read",
            "s3:GetObject",
            "iam:ListRoles",
            "secrets:list-versions",
            "get",
            "logs:Describe",
        ] {
            assert!(is_read_action(read), "{read}");
        }
        for write in [
            "model:write",
            "model:*",
            "*",
            "s3:PutObject",
            "registry:promote",
            "datasets:read-write",
            "datasets:ReadWrite",
            "model:readwrite",
            "model:Get*",
            "model:readiness",
            "",
        ] {
            assert!(!is_read_action(write), "{write}");
        }
    }

    #[test]
    fn glob_overlap() {
        assert!(overlaps("datasets/fraud", "datasets/*"));
        assert!(overlaps("*", "registry/models/*"));
        assert!(overlaps("registry/*", "registry/models/*"));
        assert!(overlaps(
            "registry/models/fraud-scorer/*",
            "registry/models/*"
        ));
        assert!(overlaps("*/models/x", "registry/*"));
        assert!(overlaps("registry/models/", "registry/models/*"));
        assert!(!overlaps("features/fraud/online", "datasets/*"));
        assert!(!overlaps("registry/models", "registry/models/*"));
        assert!(!overlaps("a*b", "c*"));
        assert!(!overlaps("datasets", "datasets/*"));
        assert!(overlaps("", ""));
        assert!(overlaps("*", ""));
    }
}
