//! Durations (`14d`, `7 days`, `PT24H`) and RFC 3339 timestamps, for rules
//! about retention windows, review ages and certificate expiry.
//!
//! A guest has no clock (the sandbox gives it none), so there is no "now"
//! here: rules compare timestamps from the evidence with each other or with
//! a date passed as a parameter. Both parsers are small enough that pulling
//! in chrono or jiff would cost more wasm than they save.

/// Why a duration or timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not a duration this parser accepts.
    #[error("invalid duration `{input}`: {reason}")]
    Duration {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Not an RFC 3339 timestamp or date.
    #[error("invalid timestamp `{input}`: {reason}")]
    Timestamp {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;

/// Parses a duration into seconds.
///
/// Accepted: one or more `<integer><unit>` parts, optionally separated by
/// spaces (`14d`, `7 days`, `1h30m`, `2 weeks 3 days`), with units `s`,
/// `m`, `h`, `d`, `w` and their English names; or the ISO 8601 form
/// `P[nW][nD][T[nH][nM][nS]]` (`PT24H`, `P14D`, `P1DT12H`). Months and years
/// are rejected: they have no fixed length, so a rule using them would
/// judge differently depending on the date.
pub fn parse_duration(input: &str) -> Result<u64, TimeError> {
    let err = |reason| TimeError::Duration {
        input: input.to_owned(),
        reason,
    };
    let text = input.trim();
    if text.is_empty() {
        return Err(err("empty"));
    }
    if let Some(iso) = text.strip_prefix(['P', 'p']) {
        return parse_iso_duration(iso).map_err(err);
    }
    let mut rest = text;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = rest.split_at(digits);
        let n: u64 = number.parse().map_err(|_| err("expected a number"))?;
        let after = after.trim_start();
        let unit_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(unit_len);
        let scale = unit_seconds(unit).ok_or_else(|| {
            err(
                if matches!(unit, "mo" | "month" | "months" | "y" | "year" | "years") {
                    "months and years have no fixed length; use days"
                } else if unit.is_empty() {
                    "missing unit (s, m, h, d, w)"
                } else {
                    "unknown unit"
                },
            )
        })?;
        let part = n.checked_mul(scale).ok_or_else(|| err("too large"))?;
        total = total.checked_add(part).ok_or_else(|| err("too large"))?;
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Ok(total)
}

fn unit_seconds(unit: &str) -> Option<u64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "wk" | "wks" | "week" | "weeks" => WEEK,
        _ => return None,
    })
}

fn parse_iso_duration(body: &str) -> Result<u64, &'static str> {
    let (date, time) = match body.split_once(['T', 't']) {
        Some((d, "")) => (d, None),
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let mut total: u64 = 0;
    let mut any = false;
    for (part, is_time) in [(date, false), (time.unwrap_or(""), true)] {
        let mut rest = part;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let (number, after) = rest.split_at(digits);
            let n: u64 = number.parse().map_err(|_| "expected a number")?;
            let mut chars = after.chars();
            let designator = chars.next().ok_or("missing designator")?;
            let scale = match (designator.to_ascii_uppercase(), is_time) {
                ('W', false) => WEEK,
                ('D', false) => DAY,
                ('H', true) => HOUR,
                ('M', true) => MINUTE,
                ('S', true) => 1,
                ('Y' | 'M', false) => {
                    return Err("months and years have no fixed length; use days")
                }
                _ => return Err("unknown designator"),
            };
            let part = n.checked_mul(scale).ok_or("too large")?;
            total = total.checked_add(part).ok_or("too large")?;
            any = true;
            rest = chars.as_str();
        }
    }
    if any {
        Ok(total)
    } else {
        Err("no components")
    }
}

/// Parses an RFC 3339 timestamp (`2026-01-15T10:30:00Z`,
/// `2026-01-15 10:30:00.25+02:00`) into seconds since the Unix epoch,
/// dropping any fraction. A leap second (`:60`) reads as the next second.
pub fn parse_rfc3339(input: &str) -> Result<i64, TimeError> {
    let err = |reason| TimeError::Timestamp {
        input: input.to_owned(),
        reason,
    };
    let b = input.as_bytes();
    let sep = b.get(10).copied();
    if !matches!(sep, Some(b'T' | b't' | b' ')) {
        return Err(err("expected `T` after the date"));
    }
    let date = input.get(..10).ok_or_else(|| err("too short"))?;
    let days = days_from_date(date).map_err(err)?;
    let hour = fixed(b, 11, 2).ok_or_else(|| err("expected hh:mm:ss"))?;
    let minute = fixed(b, 14, 2).ok_or_else(|| err("expected hh:mm:ss"))?;
    let second = fixed(b, 17, 2).ok_or_else(|| err("expected hh:mm:ss"))?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return Err(err("expected hh:mm:ss"));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(err("time out of range"));
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(err("empty fraction"));
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let oh = fixed(b, i + 1, 2).ok_or_else(|| err("bad offset"))?;
            let om = fixed(b, i + 4, 2).ok_or_else(|| err("bad offset"))?;
            if oh > 23 || om > 59 {
                return Err(err("offset out of range"));
            }
            let magnitude = oh * 3600 + om * 60;
            if sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return Err(err("expected `Z` or a `+hh:mm` offset at the end")),
    };
    Ok(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Parses a full date (`2026-01-15`) into seconds since the epoch at
/// midnight UTC.
pub fn parse_date(input: &str) -> Result<i64, TimeError> {
    if input.len() != 10 {
        return Err(TimeError::Timestamp {
            input: input.to_owned(),
            reason: "expected yyyy-mm-dd",
        });
    }
    days_from_date(input)
        .map(|days| days * 86_400)
        .map_err(|reason| TimeError::Timestamp {
            input: input.to_owned(),
            reason,
        })
}

/// Seconds in a day, for rules that count days between two instants.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// Parses either a full date (`2026-01-21`, midnight UTC) or an RFC 3339
/// timestamp, as evidence formats that accept both write them. Exactly ten
/// characters is read as a date, anything else as a timestamp.
pub fn parse_date_or_timestamp(input: &str) -> Result<i64, TimeError> {
    if input.len() == 10 {
        parse_date(input)
    } else {
        parse_rfc3339(input)
    }
}

/// `n` ASCII digits at `at` as a number.
fn fixed(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let digits = b.get(at..at + n)?;
    digits.iter().try_fold(0i64, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

fn days_from_date(date: &str) -> Result<i64, &'static str> {
    let b = date.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err("expected yyyy-mm-dd");
    }
    let year = fixed(b, 0, 4).ok_or("expected yyyy-mm-dd")?;
    let month = fixed(b, 5, 2).ok_or("expected yyyy-mm-dd")?;
    let day = fixed(b, 8, 2).ok_or("expected yyyy-mm-dd")?;
    assay_when::calendar::days_from_date(year, month, day)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn date_or_timestamp_picks_by_length() {
        assert_eq!(parse_date_or_timestamp("1970-01-02"), Ok(SECONDS_PER_DAY));
        assert_eq!(parse_date_or_timestamp("1970-01-01T00:00:10Z"), Ok(10));
        assert!(parse_date_or_timestamp("1970-1-2").is_err());
    }

    #[test]
    fn simple_durations() {
        assert_eq!(parse_duration("14d").unwrap(), 14 * DAY);
        assert_eq!(parse_duration("7 days").unwrap(), 7 * DAY);
        assert_eq!(parse_duration("1 day").unwrap(), DAY);
        assert_eq!(parse_duration("24h").unwrap(), DAY);
        assert_eq!(parse_duration("90 minutes").unwrap(), 90 * MINUTE);
        assert_eq!(parse_duration("45s").unwrap(), 45);
        assert_eq!(parse_duration("2w").unwrap(), 2 * WEEK);
        assert_eq!(parse_duration("1h30m").unwrap(), HOUR + 30 * MINUTE);
        assert_eq!(parse_duration("2 weeks, 3 days").unwrap(), 17 * DAY);
        assert_eq!(parse_duration(" 30D ").unwrap(), 30 * DAY);
    }

    #[test]
    fn iso_durations() {
        assert_eq!(parse_duration("PT24H").unwrap(), DAY);
        assert_eq!(parse_duration("P14D").unwrap(), 14 * DAY);
        assert_eq!(parse_duration("P1W").unwrap(), WEEK);
        assert_eq!(parse_duration("P1DT12H").unwrap(), DAY + 12 * HOUR);
        assert_eq!(
            parse_duration("PT1H30M15S").unwrap(),
            HOUR + 30 * MINUTE + 15
        );
        assert_eq!(parse_duration("pt5m").unwrap(), 5 * MINUTE);
    }

    #[test]
    fn bad_durations() {
        for bad in [
            "",
            "d",
            "14",
            "14 fortnights",
            "-3d",
            "P",
            "PT",
            "P1M",
            "P1Y",
            "3 months",
            "1.5h",
            "PT5D",
            "P5H",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} parsed");
        }
        let err = parse_duration("3 months").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid duration `3 months`: months and years have no fixed length; use days"
        );
        assert!(parse_duration("99999999999999999999d").is_err());
        assert!(parse_duration("999999999999999w").is_err());
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(
            parse_rfc3339("2026-01-15T10:30:00Z").unwrap(),
            1_768_473_000
        );
        assert_eq!(
            parse_rfc3339("2026-01-15T12:30:00+02:00").unwrap(),
            1_768_473_000
        );
        assert_eq!(
            parse_rfc3339("2026-01-15t05:00:00.999-05:30").unwrap(),
            1_768_473_000
        );
        assert_eq!(
            parse_rfc3339("2026-01-15 10:30:00z").unwrap(),
            1_768_473_000
        );
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z").unwrap(), -1);
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z").unwrap(), 951_782_400);
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z").unwrap(),
            1_483_228_800
        );
    }

    #[test]
    fn bad_timestamps() {
        for bad in [
            "2026-01-15",
            "2026-01-15T10:30Z",
            "2026-01-15T10:30:00",
            "2026-01-15T24:00:00Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-15T10:30:00.Z",
            "2026-01-15T10:30:00+0200",
            "2026-01-15T10:30:00Zjunk",
            "26-01-15T10:30:00Z",
            "2026-1-15T10:30:00Z",
            "",
            "2026-01-15T10:30:00+2€",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-01-15").unwrap(), 1_768_435_200);
        assert_eq!(parse_date("1970-01-01").unwrap(), 0);
        assert!(parse_date("2026-04-31").is_err());
        assert!(parse_date("2026-01-15T00:00:00Z").is_err());
    }
}
