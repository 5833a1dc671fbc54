//! Thresholds written inside monitoring configuration: the comparison at
//! the end of a Prometheus alert expression (`... > 150`), an Argo Rollouts
//! analysis `successCondition` (`result[0] <= 0.005`), the bucket bound of
//! a Sloth latency SLO (`le="0.15"`), and the unit a PromQL query yields
//! (`1000 * histogram_quantile(...)` of a `_seconds` histogram is in ms).
//!
//! Derived facts, read not judged: a rule decides which metric a threshold
//! guards and whether a value breaches it. Only the simple forms real
//! alerting rules use are recognised; anything else is `None`, never a
//! guess.

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl Op {
    fn parse(text: &str) -> Option<Self> {
        match text {
            ">" => Some(Self::Gt),
            ">=" => Some(Self::Ge),
            "<" => Some(Self::Lt),
            "<=" => Some(Self::Le),
            _ => None,
        }
    }

    /// The operator that holds exactly when `self` does not.
    pub fn negate(self) -> Self {
        match self {
            Self::Gt => Self::Le,
            Self::Ge => Self::Lt,
            Self::Lt => Self::Ge,
            Self::Le => Self::Gt,
        }
    }

    /// Whether `value <op> bound`.
    pub fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Self::Gt => value > bound,
            Self::Ge => value >= bound,
            Self::Lt => value < bound,
            Self::Le => value <= bound,
        }
    }

    /// Whether the operator is `>` or `>=` (a ceiling when it describes a
    /// breach).
    pub fn is_above(self) -> bool {
        matches!(self, Self::Gt | Self::Ge)
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
        }
    }
}

/// `<left> <op> <number>`: the comparison that ends an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The expression before the operator, trimmed.
    pub left: String,
    /// The operator.
    pub op: Op,
    /// The number compared with.
    pub bound: f64,
}

/// The unit a query's result is in, as far as its text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryUnit {
    /// Seconds (a `_seconds` histogram or counter, unscaled).
    Seconds,
    /// Milliseconds (`1000 *` a seconds query, or a `_milliseconds` /
    /// `_ms` metric).
    Milliseconds,
    /// Percent (`100 *` a ratio).
    Percent,
    /// Nothing says: a ratio or a plain number.
    Plain,
}

/// The comparison ending an alert expression (`expr > 150`), with the
/// operator as the condition under which the alert FIRES. `None` when the
/// expression does not end in a comparison with a number (`== 1`, a
/// `bool` modifier, a comparison with another series).
pub fn alert_comparison(expr: &str) -> Option<Comparison> {
    trailing_comparison(expr)
}

/// The comparison of an Argo Rollouts `successCondition` or
/// `failureCondition` on `result` / `result[0]` (`result[0] <= 0.005`),
/// with the operator as written (success for a success condition). `None`
/// for compound conditions (`&&`, `||`, `len(...)`, `isNaN(...)`).
pub fn result_condition(condition: &str) -> Option<Comparison> {
    let text = condition.trim();
    if text.contains("&&") || text.contains("||") || text.contains('(') {
        return None;
    }
    let c = trailing_comparison(text)?;
    matches!(c.left.as_str(), "result" | "result[0]").then_some(c)
}

/// The bucket bound (`le="0.15"`) of a Sloth latency SLI error query:
/// the latency every good event stays under, in the query's unit (seconds
/// for a `_seconds_bucket` histogram). `None` when the query selects no
/// single `le` bucket.
pub fn bucket_bound(query: &str) -> Option<f64> {
    let mut found = None;
    let mut rest = query;
    while let Some(at) = rest.find("le=\"") {
        let after = rest.get(at + 4..)?;
        let end = after.find('"')?;
        let value: f64 = after.get(..end)?.trim().parse().ok()?;
        if found.is_some_and(|f| f != value) {
            return None;
        }
        found = Some(value);
        rest = after.get(end..)?;
    }
    found
}

/// The unit of a query's result, judged from its text: a leading or
/// trailing `1000 *` scales seconds to milliseconds, `100 *` a ratio to
/// percent; a `_seconds` metric unscaled is in seconds.
pub fn query_unit(query: &str) -> QueryUnit {
    let text = query.trim();
    let scaled = |factor: &str| {
        text.strip_prefix(factor)
            .is_some_and(|r| r.trim_start().starts_with('*'))
            || text
                .strip_suffix(factor)
                .is_some_and(|r| r.trim_end().ends_with('*'))
    };
    let seconds = text.contains("_seconds");
    let millis_metric =
        text.contains("_milliseconds") || text.contains("_ms{") || text.contains("_ms[");
    if (scaled("1000") && seconds) || millis_metric {
        QueryUnit::Milliseconds
    } else if seconds {
        QueryUnit::Seconds
    } else if scaled("100") {
        QueryUnit::Percent
    } else {
        QueryUnit::Plain
    }
}

/// Splits `text` at its last top-level comparison operator followed by a
/// number and nothing else.
fn trailing_comparison(text: &str) -> Option<Comparison> {
    let text = text.trim();
    let bytes = text.as_bytes();
    // The number at the end.
    let start = bytes
        .iter()
        .rposition(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')))
        .map_or(0, |i| i + 1);
    let bound: f64 = text.get(start..)?.parse().ok()?;
    let before = text.get(..start)?.trim_end();
    let (op_text, left) = if let Some(l) = before.strip_suffix(">=") {
        (">=", l)
    } else if let Some(l) = before.strip_suffix("<=") {
        ("<=", l)
    } else if let Some(l) = before.strip_suffix('>') {
        (">", l)
    } else if let Some(l) = before.strip_suffix('<') {
        ("<", l)
    } else {
        return None;
    };
    // `a == b > 1` or `x > bool 1` are not the simple form.
    let left = left.trim_end();
    if left.ends_with('=') || left.ends_with('!') || left.ends_with("bool") || left.is_empty() {
        return None;
    }
    Some(Comparison {
        left: left.to_owned(),
        op: Op::parse(op_text)?,
        bound,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn alert_expressions() {
        // Prometheus 2.53 alerting rules as kube-prometheus-stack writes them.
        let c = alert_comparison(
            "1000 * histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m]))) > 150\n",
        )
        .unwrap();
        assert_eq!((c.op, c.bound), (Op::Gt, 150.0));
        assert_eq!(query_unit(&c.left), QueryUnit::Milliseconds);
        let c = alert_comparison("sum(rate(a[5m]))\n  / sum(rate(b[5m])) > 0.005").unwrap();
        assert_eq!((c.op, c.bound), (Op::Gt, 0.005));
        assert_eq!(query_unit(&c.left), QueryUnit::Plain);
        let c = alert_comparison("acc{window=\"24h\"} < -0.05").unwrap();
        assert_eq!((c.op, c.bound), (Op::Lt, -0.05));
        assert!(alert_comparison("max(open) == 1").is_none());
        assert!(alert_comparison("up > bool 0").is_none());
        assert!(alert_comparison("a > b").is_none());
    }

    #[test]
    fn success_conditions_and_buckets() {
        let c = result_condition("result[0] <= 150").unwrap();
        assert_eq!((c.op, c.bound), (Op::Le, 150.0));
        assert_eq!(c.op.negate(), Op::Gt);
        assert!(result_condition("result[0] >= 0.9 && result[0] < 1").is_none());
        assert!(result_condition("len(result) > 0").is_none());
        assert_eq!(
            bucket_bound("sum(rate(d_count[5m])) - sum(rate(d_bucket{ns=\"a\",le=\"0.15\"}[5m]))"),
            Some(0.15)
        );
        assert_eq!(bucket_bound("sum(rate(errors[5m]))"), None);
        assert_eq!(query_unit("x_seconds_bucket"), QueryUnit::Seconds);
        assert_eq!(query_unit("100 * sum(a) / sum(b)"), QueryUnit::Percent);
    }
}
