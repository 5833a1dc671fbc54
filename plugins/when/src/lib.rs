//! A tolerant instant parser for the timestamps real exports write: RFC
//! 3339, the ISO 8601 variants around it (basic format `20261128T101500Z`,
//! `+0200` offsets, no seconds, fractional seconds, a bare date) and Unix
//! epochs in seconds or milliseconds.
//!
//! Every interpretation the parser had to make is reported in a
//! [`Reading`], so a rule can warn that, say, a naive timestamp was taken as
//! UTC. Input that reads two plausible ways (`03/04/2026`, an epoch number
//! whose unit cannot be told from its size) is an error, never a guess.
//! Dependency-light (serde_json, thiserror): it runs in plugin guests, and
//! the host reads collection times with it, so that the host and every
//! plugin read one timestamp one way.

use serde_json::Value;

/// A point in time: seconds since the Unix epoch plus nanoseconds.
/// Ordered, so instants compare directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    seconds: i64,
    nanos: u32,
}

impl Instant {
    /// The instant `seconds` after the epoch.
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Self { seconds, nanos: 0 }
    }

    /// The instant `millis` milliseconds after the epoch.
    pub fn from_unix_millis(millis: i64) -> Self {
        let nanos = u32::try_from(millis.rem_euclid(1000) * 1_000_000).unwrap_or(0);
        Self {
            seconds: millis.div_euclid(1000),
            nanos,
        }
    }

    /// Whole seconds since the epoch (the fraction dropped, towards the past).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`unix_seconds`](Self::unix_seconds).
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is
    /// later), rounded towards the past.
    pub fn days_since(&self, earlier: Instant) -> i64 {
        let mut secs = self.seconds - earlier.seconds;
        if self.nanos < earlier.nanos {
            secs -= 1;
        }
        secs.div_euclid(86_400)
    }
}

/// What the parser had to interpret to read a timestamp. All `false` means
/// the input was an unambiguous RFC 3339 timestamp or epoch-seconds number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// No offset was given; UTC was assumed.
    pub utc_assumed: bool,
    /// ISO 8601 basic format (`20261128T101500Z`).
    pub basic_format: bool,
    /// A bare date, read as midnight (UTC unless an offset was given).
    pub date_only: bool,
    /// An epoch number read as milliseconds because of its size.
    pub epoch_millis: bool,
    /// An epoch number written as a string.
    pub epoch_text: bool,
}

impl Reading {
    /// Whether nothing had to be interpreted.
    pub fn is_exact(&self) -> bool {
        *self == Self::default()
    }

    /// One short note per interpretation, for a warning.
    pub fn notes(&self) -> Vec<&'static str> {
        [
            (self.utc_assumed, "no UTC offset; UTC assumed"),
            (self.basic_format, "ISO 8601 basic format"),
            (self.date_only, "date without a time; midnight assumed"),
            (self.epoch_millis, "epoch number read as milliseconds"),
            (self.epoch_text, "epoch number written as text"),
        ]
        .into_iter()
        .filter_map(|(on, note)| on.then_some(note))
        .collect()
    }
}

/// Why a timestamp was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    /// Not a timestamp this parser knows.
    #[error("invalid timestamp `{input}`: {reason}")]
    Invalid {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A timestamp that reads two plausible ways.
    #[error("ambiguous timestamp `{input}`: {reason}")]
    Ambiguous {
        /// The text given.
        input: String,
        /// Why it cannot be read one way.
        reason: &'static str,
    },
}

/// Largest magnitude read as epoch seconds (year 2286).
const MAX_EPOCH_SECONDS: f64 = 1e10;
/// Smallest value read as epoch milliseconds (1973); below it and above
/// [`MAX_EPOCH_SECONDS`] the unit cannot be told.
const MIN_EPOCH_MILLIS: f64 = 1e11;
/// Largest value read as epoch milliseconds (year 2286).
const MAX_EPOCH_MILLIS: f64 = 1e13;

/// Parses a timestamp written as text.
pub fn parse_instant(input: &str) -> Result<(Instant, Reading), WhenError> {
    let invalid = |reason| WhenError::Invalid {
        input: input.to_owned(),
        reason,
    };
    let text = input.trim();
    if text.is_empty() {
        return Err(invalid("empty"));
    }
    let b = text.as_bytes();
    let numeric = b
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || *c == b'.' || (i == 0 && *c == b'-'));
    if numeric && !(b.len() == 8 && b.iter().all(u8::is_ascii_digit)) {
        let n: f64 = text.parse().map_err(|_| invalid("not a number"))?;
        let (instant, mut reading) = epoch(n, input)?;
        reading.epoch_text = true;
        return Ok((instant, reading));
    }
    if text.contains('/') {
        return Err(WhenError::Ambiguous {
            input: input.to_owned(),
            reason: "slash dates do not say which part is the day",
        });
    }
    parse_iso(b).map_err(invalid)
}

/// Reads an instant from a JSON value: a number (epoch seconds, or
/// milliseconds when its size says so) or a string for [`parse_instant`].
pub fn instant_of(value: &Value) -> Result<(Instant, Reading), WhenError> {
    match value {
        Value::String(s) => parse_instant(s),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i.unsigned_abs() < 10_000_000_000 => {
                Ok((Instant::from_unix_seconds(i), Reading::default()))
            }
            // Integer milliseconds stay exact (no float division).
            (Some(i), _) if (100_000_000_000..10_000_000_000_000).contains(&i) => Ok((
                Instant::from_unix_millis(i),
                Reading {
                    epoch_millis: true,
                    ..Reading::default()
                },
            )),
            (_, Some(f)) => epoch(f, &n.to_string()),
            _ => Err(WhenError::Invalid {
                input: n.to_string(),
                reason: "not a finite number",
            }),
        },
        other => Err(WhenError::Invalid {
            input: other.to_string(),
            reason: "expected a string or a number",
        }),
    }
}

fn epoch(n: f64, input: &str) -> Result<(Instant, Reading), WhenError> {
    let ambiguous = |reason| WhenError::Ambiguous {
        input: input.to_owned(),
        reason,
    };
    if !n.is_finite() {
        return Err(WhenError::Invalid {
            input: input.to_owned(),
            reason: "not a finite number",
        });
    }
    let (seconds_f, millis) = if n.abs() < MAX_EPOCH_SECONDS {
        (n, false)
    } else if n < 0.0 || n < MIN_EPOCH_MILLIS {
        return Err(ambiguous(
            "too large for epoch seconds, too small for epoch milliseconds",
        ));
    } else if n < MAX_EPOCH_MILLIS {
        (n / 1000.0, true)
    } else {
        return Err(ambiguous(
            "micro- or nanosecond epochs are not read; convert to seconds",
        ));
    };
    let whole = seconds_f.floor();
    // In range by the checks above: |whole| < 1e10 fits i64 exactly.
    let instant = Instant {
        seconds: whole as i64,
        nanos: (((seconds_f - whole) * 1e9).round() as u32).min(999_999_999),
    };
    Ok((
        instant,
        Reading {
            epoch_millis: millis,
            ..Reading::default()
        },
    ))
}

/// `n` ASCII digits at `at` as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let slice = b.get(at..at + n)?;
    slice.iter().try_fold(0i64, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

fn parse_iso(b: &[u8]) -> Result<(Instant, Reading), &'static str> {
    let mut reading = Reading::default();
    let year = digits(b, 0, 4).ok_or("expected a four-digit year")?;
    let (month, day, mut i) = if b.get(4) == Some(&b'-') {
        if b.get(7) != Some(&b'-') {
            return Err("expected yyyy-mm-dd");
        }
        let m = digits(b, 5, 2).ok_or("expected yyyy-mm-dd")?;
        let d = digits(b, 8, 2).ok_or("expected yyyy-mm-dd")?;
        (m, d, 10)
    } else {
        reading.basic_format = true;
        let m = digits(b, 4, 2).ok_or("expected yyyymmdd")?;
        let d = digits(b, 6, 2).ok_or("expected yyyymmdd")?;
        (m, d, 8)
    };
    let days = days_from_date(year, month, day)?;
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0u32);
    match b.get(i) {
        None => {
            reading.date_only = true;
        }
        Some(b'T' | b't' | b' ') => {
            i += 1;
            hour = digits(b, i, 2).ok_or("expected hh:mm")?;
            i += 2;
            let extended = b.get(i) == Some(&b':');
            if extended {
                i += 1;
            } else {
                reading.basic_format = true;
            }
            minute = digits(b, i, 2).ok_or("expected hh:mm")?;
            i += 2;
            let more = if extended {
                b.get(i) == Some(&b':')
            } else {
                b.get(i).is_some_and(u8::is_ascii_digit)
            };
            if more {
                if extended {
                    i += 1;
                }
                second = digits(b, i, 2).ok_or("expected seconds")?;
                i += 2;
                if matches!(b.get(i), Some(b'.' | b',')) {
                    i += 1;
                    let start = i;
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    if i == start {
                        return Err("empty fraction");
                    }
                    let frac = b.get(start..i.min(start + 9)).ok_or("bad fraction")?;
                    let mut n = frac
                        .iter()
                        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
                    for _ in frac.len()..9 {
                        n *= 10;
                    }
                    nanos = n;
                }
            }
            if hour > 23 || minute > 59 || second > 60 {
                return Err("time out of range");
            }
        }
        Some(_) => return Err("expected `T` or a space after the date"),
    }
    let offset = match b.get(i) {
        None => {
            reading.utc_assumed = true;
            0
        }
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if !reading.date_only => {
            let oh = digits(b, i + 1, 2).ok_or("bad offset")?;
            let rest = b.get(i + 3..).ok_or("bad offset")?;
            let om = match rest {
                [] => 0,
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2], 0, 2).ok_or("bad offset")?,
                _ => return Err("bad offset"),
            };
            if oh > 23 || om > 59 {
                return Err("offset out of range");
            }
            let magnitude = oh * 3600 + om * 60;
            if sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return Err("unexpected text after the time"),
    };
    Ok((
        Instant {
            seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset,
            nanos,
        },
        reading,
    ))
}

/// The calendar: one implementation for every date the SDK and the host
/// read (instants here, dates and calendar periods in the SDK).
pub mod calendar {
    /// Whether `year` is a Gregorian leap year.
    pub fn is_leap(year: i64) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` (1-12) of `year`; `None` for a month out of range.
    pub fn month_length(year: i64, month: i64) -> Option<i64> {
        Some(match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(year) => 29,
            2 => 28,
            _ => return None,
        })
    }

    /// Days since 1970-01-01 of a valid date, in the proleptic Gregorian
    /// calendar (Howard Hinnant's `days_from_civil`).
    pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// [`days_from_civil`] after checking the month and the day.
    pub fn days_from_date(year: i64, month: i64, day: i64) -> Result<i64, &'static str> {
        let month_len = month_length(year, month).ok_or("month out of range")?;
        if !(1..=month_len).contains(&day) {
            return Err("day out of range");
        }
        Ok(days_from_civil(year, month, day))
    }
}

use calendar::days_from_date;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    const T: i64 = 1_795_860_900; // 2026-11-28T10:15:00Z

    fn secs(text: &str) -> (i64, Reading) {
        let (i, r) = parse_instant(text).unwrap();
        (i.unix_seconds(), r)
    }

    #[test]
    fn rfc3339_is_exact() {
        let (s, r) = secs("2026-11-28T10:15:00Z");
        assert_eq!(s, T);
        assert!(r.is_exact());
        assert_eq!(secs("2026-11-28T12:15:00+02:00").0, T);
        let (i, _) = parse_instant("2026-11-28T10:15:00.250Z").unwrap();
        assert_eq!(i.subsec_nanos(), 250_000_000);
    }

    #[test]
    fn iso_variants_are_read_and_noted() {
        let (s, r) = secs("20261128T101500Z");
        assert_eq!(s, T);
        assert!(r.basic_format && !r.utc_assumed);
        assert_eq!(secs("2026-11-28T12:15:00+0200").0, T);
        assert_eq!(secs("2026-11-28T05:15-05").0, T);
        assert_eq!(secs("2026-11-28T10:15Z").0, T);
        let (s, r) = secs("2026-11-28 10:15:00");
        assert_eq!(s, T);
        assert!(r.utc_assumed);
        assert_eq!(r.notes(), ["no UTC offset; UTC assumed"]);
        let (s, r) = secs("2026-11-28");
        assert_eq!(s, T - 10 * 3600 - 15 * 60);
        assert!(r.date_only && r.utc_assumed);
        let (s, r) = secs("20261128");
        assert_eq!(s, T - 10 * 3600 - 15 * 60);
        assert!(r.basic_format && r.date_only);
    }

    #[test]
    fn epochs_by_size() {
        let (i, r) = instant_of(&json!(T)).unwrap();
        assert_eq!(i.unix_seconds(), T);
        assert!(r.is_exact());
        let (i, r) = instant_of(&json!(T * 1000 + 5)).unwrap();
        assert_eq!(i.unix_seconds(), T);
        assert_eq!(i.subsec_nanos(), 5_000_000);
        assert!(r.epoch_millis);
        let (i, _) = instant_of(&json!(1_795_860_900.5)).unwrap();
        assert_eq!(i.subsec_nanos(), 500_000_000);
        let (_, r) = instant_of(&json!("1795860900")).unwrap();
        assert!(r.epoch_text && !r.epoch_millis);
        assert_eq!(
            Instant::from_unix_millis(-1),
            Instant {
                seconds: -1,
                nanos: 999_000_000
            }
        );
    }

    #[test]
    fn ambiguous_and_invalid_inputs_are_errors() {
        for ambiguous in ["03/04/2026", "50000000000", "1795860900000000"] {
            assert!(
                matches!(parse_instant(ambiguous), Err(WhenError::Ambiguous { .. })),
                "{ambiguous}"
            );
        }
        assert!(matches!(
            instant_of(&json!(50_000_000_000_i64)),
            Err(WhenError::Ambiguous { .. })
        ));
        for bad in [
            "",
            "yesterday",
            "2026-02-29T00:00:00Z",
            "2026-11-28T24:00:00Z",
            "2026-11-28T10:15:00Zjunk",
            "2026-11-28T10:15:00+2",
            "2026-11-28T10:15:00.Z",
            "2026-11-28+02:00",
        ] {
            assert!(parse_instant(bad).is_err(), "{bad:?} parsed");
        }
        assert!(instant_of(&json!(true)).is_err());
    }

    #[test]
    fn days_since_rounds_to_the_past() {
        let a = Instant::from_unix_seconds(0);
        assert_eq!(Instant::from_unix_seconds(86_399).days_since(a), 0);
        assert_eq!(Instant::from_unix_seconds(86_400).days_since(a), 1);
        assert_eq!(Instant::from_unix_seconds(-1).days_since(a), -1);
    }
}
