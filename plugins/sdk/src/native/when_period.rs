//! Review periods as organisations write them: fixed lengths (`365d`,
//! `2 weeks`, `P90D`) and calendar periods (`12 months`, `quarterly`,
//! `P1Y`). A calendar period has no fixed length in seconds, so it is kept
//! as a number of months and added to the start date on the calendar (the
//! day clamped to the month's last day, as `2026-01-31` + 1 month is
//! `2026-02-28`).
//!
//! A [`Period`] says whether it is calendar-based, so a rule can warn which
//! reading it took. Dependency-free like [`when`](super::when).

use super::when::Instant;
use crate::time::parse_duration;

/// A review period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A fixed length in seconds (`365d`, `P90D`).
    Fixed(u64),
    /// A number of calendar months (a quarter is 3, a year 12).
    Months(u32),
}

/// Why a period was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid period `{input}`: {reason}")]
pub struct PeriodError {
    /// The text given.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Calendar units by name, in months.
const CALENDAR_UNITS: &[(&str, u32)] = &[
    ("mo", 1),
    ("mon", 1),
    ("month", 1),
    ("months", 1),
    ("q", 3),
    ("quarter", 3),
    ("quarters", 3),
    ("y", 12),
    ("yr", 12),
    ("year", 12),
    ("years", 12),
];

/// Single words for one period.
const ADVERBS: &[(&str, Period)] = &[
    ("daily", Period::Fixed(86_400)),
    ("weekly", Period::Fixed(7 * 86_400)),
    ("monthly", Period::Months(1)),
    ("quarterly", Period::Months(3)),
    ("yearly", Period::Months(12)),
    ("annually", Period::Months(12)),
    ("annual", Period::Months(12)),
];

/// Parses a period: a duration [`parse_duration`] accepts, a number with a
/// calendar unit (`12 months`, `4q`, `1 year`), ISO 8601 `P<n>M`, `P<n>Y`
/// (months and years only; mixed forms such as `P1Y2D` are rejected), or
/// one of `daily`, `weekly`, `monthly`, `quarterly`, `yearly`, `annually`.
pub fn parse_period(input: &str) -> Result<Period, PeriodError> {
    let err = |reason| PeriodError {
        input: input.to_owned(),
        reason,
    };
    let text = input.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Err(err("empty"));
    }
    if let Some((_, p)) = ADVERBS.iter().find(|(w, _)| *w == text) {
        return Ok(*p);
    }
    if let Some(iso) = text.strip_prefix('p') {
        let (number, unit) = iso.split_at(iso.bytes().take_while(u8::is_ascii_digit).count());
        let months = match unit {
            "m" => Some(1),
            "y" => Some(12),
            _ => None,
        };
        if let Some(per) = months {
            let n: u32 = number.parse().map_err(|_| err("expected a number"))?;
            return months_of(n, per).ok_or_else(|| err("too long"));
        }
    } else {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = text.split_at(digits);
        if let Some((_, per)) = CALENDAR_UNITS.iter().find(|(u, _)| *u == unit.trim()) {
            let n: u32 = number.parse().map_err(|_| err("expected a number"))?;
            return months_of(n, *per).ok_or_else(|| err("too long"));
        }
    }
    match parse_duration(&text) {
        Ok(0) => Err(err("a period must be longer than zero")),
        Ok(seconds) => Ok(Period::Fixed(seconds)),
        Err(_) => Err(err(
            "expected a duration (`365d`), a calendar period (`12 months`, `quarterly`) or ISO 8601 (`P1Y`)",
        )),
    }
}

fn months_of(n: u32, per: u32) -> Option<Period> {
    match n.checked_mul(per)? {
        0 => None,
        m if m > 1200 => None,
        m => Some(Period::Months(m)),
    }
}

impl Period {
    /// Whether the period is a calendar one (months, quarters, years).
    pub fn is_calendar(&self) -> bool {
        matches!(self, Self::Months(_))
    }

    /// The instant one period after `start`.
    pub fn after(&self, start: Instant) -> Instant {
        match *self {
            Self::Fixed(seconds) => Instant::from_unix_seconds(
                start
                    .unix_seconds()
                    .saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX)),
            ),
            Self::Months(months) => {
                let secs = start.unix_seconds();
                let days = secs.div_euclid(86_400);
                let time = secs.rem_euclid(86_400);
                let (y, m, d) = civil_from_days(days);
                let total = y * 12 + (m - 1) + i64::from(months);
                let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
                let nd = d.min(month_length(ny, nm));
                Instant::from_unix_seconds(days_from_civil(ny, nm, nd) * 86_400 + time)
            }
        }
    }

    /// Whether more than one period has passed from `start` to `at`.
    pub fn elapsed(&self, start: Instant, at: Instant) -> bool {
        at > self.after(start)
    }

    /// The period for a message: `365 days`, `12 calendar months`.
    pub fn describe(&self) -> String {
        match *self {
            Self::Fixed(s) if s % 86_400 == 0 => format!("{} days", s / 86_400),
            Self::Fixed(s) => format!("{s} seconds"),
            Self::Months(1) => "1 calendar month".to_owned(),
            Self::Months(m) => format!("{m} calendar months"),
        }
    }
}

// The calendar is `assay_when::calendar`, one implementation for the SDK
// and the host; `civil_from_days` (its inverse) is only needed here.
fn month_length(year: i64, month: i64) -> i64 {
    assay_when::calendar::month_length(year, month).unwrap_or(31)
}

use assay_when::calendar::days_from_civil;

// Howard Hinnant's civil_from_days.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::super::when::parse_instant;
    use super::*;

    fn at(s: &str) -> Instant {
        parse_instant(s).unwrap().0
    }

    #[test]
    fn fixed_and_calendar_periods() {
        assert_eq!(parse_period("365d").unwrap(), Period::Fixed(365 * 86_400));
        assert_eq!(parse_period("P90D").unwrap(), Period::Fixed(90 * 86_400));
        assert_eq!(parse_period("12 months").unwrap(), Period::Months(12));
        assert_eq!(parse_period("Quarterly").unwrap(), Period::Months(3));
        assert_eq!(parse_period("2q").unwrap(), Period::Months(6));
        assert_eq!(parse_period("P1Y").unwrap(), Period::Months(12));
        assert_eq!(parse_period("1 year").unwrap(), Period::Months(12));
        assert!(parse_period("0d").is_err());
        assert!(parse_period("soon").is_err());
        assert!(parse_period("P1Y2D").is_err());
        assert!(parse_period("0 months").is_err());
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end() {
        let p = Period::Months(1);
        assert_eq!(
            p.after(at("2026-01-31T10:00:00Z")),
            at("2026-02-28T10:00:00Z")
        );
        assert_eq!(
            Period::Months(3).after(at("2026-11-30T00:00:00Z")),
            at("2027-02-28T00:00:00Z")
        );
        assert!(Period::Months(3).elapsed(at("2026-08-31T00:00:00Z"), at("2026-12-01T00:00:00Z")));
        assert!(!Period::Months(3).elapsed(at("2026-09-01T00:00:00Z"), at("2026-12-01T00:00:00Z")));
    }
}
