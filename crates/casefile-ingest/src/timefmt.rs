//! Timestamp formats found in must-gather and sosreport archives.
//!
//! Every parser here is a pure function over bytes that returns a UTC [`Timestamp`] (or a
//! [`MonthDayTime`] when the text carries no year). They never allocate (except
//! [`parse_timestamp_file`]'s result) and never panic; anything that does not match the
//! format exactly gives `None`.
//!
//! | format | example | function |
//! |---|---|---|
//! | RFC 3339 / `RFC3339Nano` (`oc --timestamps`, Multus) | `2021-08-03T09:18:35.911385129Z`, `…+00:00` | [`parse_rfc3339`], [`parse_rfc3339_prefix`] |
//! | Go `time.Time.String()` (`timestamp` files) | `2021-08-03 12:11:56.91501602 +0200 CEST m=+1.65` | [`parse_go_time`], [`parse_timestamp_file`] |
//! | journald `short` / `short-precise` | `Aug 03 09:17:42.077259` | [`parse_journal_prefix`] |
//! | journald `short-iso` | `2024-02-10T10:00:00+0000` | [`parse_journal_iso_prefix`] |
//! | klog header | `I0803 09:17:43.005444` | [`parse_klog_header`] |
//! | CRI-O logrus `time="…"` value | `2021-08-03 09:21:22.276784981Z` | [`parse_logrus_time`] |
//! | sosreport `manifest.json` | `2022-02-11 19:23:15.259812` | [`parse_naive_utc`] |
//! | `date` output | `Fri Feb 11 19:23:42 UTC 2022` | [`parse_date_output`] |
//! | Unix seconds (`NetworkManager`) | `1627982159.5086` | [`parse_unix_seconds`] |
//!
//! Year-less times are turned into instants by a [`YearResolver`] anchored on the
//! archive's collection time.

use casefile_model::LogLevel;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

const DAY_SECONDS: i64 = 86_400;
/// How far after the reference a year-less time may lie (clock skew, time zones).
const FUTURE_TOLERANCE_SECONDS: i64 = 2 * DAY_SECONDS;

/// A month, day and time of day without a year (journal `short*`, klog headers).
///
/// Fields are ordered so that the derived `Ord` is chronological within a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDayTime {
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31 (checked against the month; February allows 29).
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
    /// Nanoseconds, 0–999,999,999.
    pub nanosecond: u32,
}

impl MonthDayTime {
    /// Checks the ranges; `day` may be at most the month's length in a leap year.
    pub fn new(
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        nanosecond: u32,
    ) -> Option<Self> {
        let max_day = match month {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            _ => return None,
        };
        let ok = (1..=max_day).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60
            && nanosecond < 1_000_000_000;
        ok.then_some(Self {
            month,
            day,
            hour,
            minute,
            second,
            nanosecond,
        })
    }

    /// The UTC instant in `year`; `None` if the date does not exist (Feb 29 in a common year).
    pub fn with_year(self, year: i16) -> Option<Timestamp> {
        Civil {
            year,
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            nanosecond: self.nanosecond,
        }
        .to_timestamp(0)
    }

    /// The UTC instant nearest to `anchor` (year of `anchor`, or the one before or after
    /// when the months are more than six apart). Use this for a time inside a message
    /// whose line prefix already has a full date.
    pub fn near(self, anchor: Timestamp) -> Option<Timestamp> {
        let dt = Offset::UTC.to_datetime(anchor);
        self.with_year(self.year_near(dt.year(), dt.month() as u8))
    }

    /// The year that puts this month nearest to `month` of `year`.
    pub(crate) fn year_near(self, year: i16, month: u8) -> i16 {
        let diff = i16::from(self.month) - i16::from(month);
        if diff > 6 {
            year.saturating_sub(1)
        } else if diff < -6 {
            year.saturating_add(1)
        } else {
            year
        }
    }
}

/// Gives a year to year-less times, anchored on the archive's collection time.
///
/// The chosen year is the latest one that puts the time no more than two days after the
/// reference: normally the reference's year, the previous year for months after the
/// reference (collected Jan 2, a "Dec 31" line is from the year before), and the next year
/// when the reference itself is within two days of New Year. A date that does not exist in
/// the chosen year (Feb 29 in a common year) resolves to `None`; no other year is tried.
/// Every time resolved this way has an inferred year (`LogRecord::year_inferred`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearResolver {
    reference: Timestamp,
    /// Year of `reference + 2 days`.
    limit_year: i16,
    /// Month/day/time of `reference + 2 days`.
    limit: MonthDayTime,
}

impl YearResolver {
    /// A resolver anchored on `reference` (the archive collection time, UTC).
    pub fn new(reference: Timestamp) -> Self {
        let limit = Timestamp::new(
            reference
                .as_second()
                .saturating_add(FUTURE_TOLERANCE_SECONDS),
            reference.subsec_nanosecond(),
        )
        .unwrap_or(reference);
        let dt = Offset::UTC.to_datetime(limit);
        let limit_mdt = MonthDayTime {
            month: dt.month() as u8,
            day: dt.day() as u8,
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            nanosecond: dt.subsec_nanosecond() as u32,
        };
        Self {
            reference,
            limit_year: dt.year(),
            limit: limit_mdt,
        }
    }

    /// The collection time this resolver is anchored on.
    pub fn reference(&self) -> Timestamp {
        self.reference
    }

    /// The year chosen for `t` (see the type docs).
    pub fn year_for(&self, t: MonthDayTime) -> i16 {
        if t <= self.limit {
            self.limit_year
        } else {
            self.limit_year.saturating_sub(1)
        }
    }

    /// The UTC instant for `t`, or `None` when the date does not exist in the chosen year.
    pub fn resolve(&self, t: MonthDayTime) -> Option<Timestamp> {
        t.with_year(self.year_for(t))
    }
}

/// A full civil date-time as written (before applying its offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i16,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) hour: u8,
    pub(crate) minute: u8,
    pub(crate) second: u8,
    pub(crate) nanosecond: u32,
}

impl Civil {
    /// The instant, given the offset east of UTC in seconds; `None` for impossible dates.
    pub(crate) fn to_timestamp(self, offset_seconds: i32) -> Option<Timestamp> {
        let dt = DateTime::new(
            self.year,
            self.month as i8,
            self.day as i8,
            self.hour as i8,
            self.minute as i8,
            self.second as i8,
            self.nanosecond as i32,
        )
        .ok()?;
        let offset = if offset_seconds == 0 {
            Offset::UTC
        } else {
            Offset::from_seconds(offset_seconds).ok()?
        };
        offset.to_timestamp(dt).ok()
    }
}

// ---------------------------------------------------------------------------------------
// small byte helpers (all bounds-checked)

#[inline]
fn digit(s: &[u8], i: usize) -> Option<u8> {
    let b = *s.get(i)?;
    b.is_ascii_digit().then(|| b - b'0')
}

#[inline]
fn num2(s: &[u8], i: usize) -> Option<u8> {
    Some(digit(s, i)? * 10 + digit(s, i + 1)?)
}

#[inline]
fn num4(s: &[u8], i: usize) -> Option<i16> {
    Some(i16::from(num2(s, i)?) * 100 + i16::from(num2(s, i + 2)?))
}

#[inline]
fn is(s: &[u8], i: usize, b: u8) -> bool {
    s.get(i) == Some(&b)
}

/// `HH:MM:SS` at `i`, range-checked (no leap second).
#[inline]
fn hms(s: &[u8], i: usize) -> Option<(u8, u8, u8)> {
    let h = num2(s, i)?;
    let m = num2(s, i + 3)?;
    let sec = num2(s, i + 6)?;
    (is(s, i + 2, b':') && is(s, i + 5, b':') && h < 24 && m < 60 && sec < 60)
        .then_some((h, m, sec))
}

/// An optional `.` + 1–9 digits at `i`: `(nanoseconds, bytes consumed)`.
/// A dot without digits, or more than nine digits, is `None`.
#[inline]
fn fraction(s: &[u8], i: usize) -> Option<(u32, usize)> {
    if !is(s, i, b'.') {
        return Some((0, 0));
    }
    let mut ns = 0u32;
    let mut n = 0usize;
    while let Some(d) = digit(s, i + 1 + n) {
        if n == 9 {
            return None;
        }
        ns = ns * 10 + u32::from(d);
        n += 1;
    }
    if n == 0 {
        return None;
    }
    for _ in n..9 {
        ns *= 10;
    }
    Some((ns, 1 + n))
}

/// Three-letter English month abbreviation (`Jan` … `Dec`, exact case).
#[inline]
fn month_abbr(s: &[u8], i: usize) -> Option<u8> {
    Some(match s.get(i..i + 3)? {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

/// Day of month in two columns: `03`, ` 3` (space padded) at `i`.
#[inline]
fn day2(s: &[u8], i: usize) -> Option<u8> {
    if is(s, i, b' ') {
        digit(s, i + 1)
    } else {
        num2(s, i)
    }
}

/// `YYYY-MM-DD<sep>HH:MM:SS[.f]` at the start: `(civil, separator, bytes consumed)`.
fn date_time(s: &[u8]) -> Option<(Civil, u8, usize)> {
    let year = num4(s, 0)?;
    let month = num2(s, 5)?;
    let day = num2(s, 8)?;
    let sep = *s.get(10)?;
    if !(is(s, 4, b'-') && is(s, 7, b'-') && matches!(sep, b'T' | b't' | b' ')) {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (hour, minute, second) = hms(s, 11)?;
    let (nanosecond, flen) = fraction(s, 19)?;
    Some((
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanosecond,
        },
        sep,
        19 + flen,
    ))
}

/// A UTC offset at `i`: `Z`/`z`, `±hh:mm` or `±hhmm`: `(seconds east, bytes consumed)`.
fn offset(s: &[u8], i: usize) -> Option<(i32, usize)> {
    let sign = match *s.get(i)? {
        b'Z' | b'z' => return Some((0, 1)),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hh = num2(s, i + 1)?;
    let (mm, len) = if is(s, i + 3, b':') {
        (num2(s, i + 4)?, 6)
    } else {
        (num2(s, i + 3)?, 5)
    };
    (hh < 24 && mm < 60).then(|| (sign * (i32::from(hh) * 3600 + i32::from(mm) * 60), len))
}

/// An ISO date-time with `T` and an offset at the start: `(civil, offset seconds, bytes)`.
pub(crate) fn iso_prefix(s: &[u8]) -> Option<(Civil, i32, usize)> {
    let (civil, sep, n) = date_time(s)?;
    if sep == b' ' {
        return None;
    }
    let (off, olen) = offset(s, n)?;
    Some((civil, off, n + olen))
}

/// Whole-input helper: `f` must consume all of `s` (surrounding ASCII whitespace ignored).
fn exact(s: &[u8], f: impl Fn(&[u8]) -> Option<(Timestamp, usize)>) -> Option<Timestamp> {
    let s = s.trim_ascii();
    let (t, n) = f(s)?;
    (n == s.len()).then_some(t)
}

// ---------------------------------------------------------------------------------------
// public parsers

/// RFC 3339 date-time at the start of `s` (`2021-08-03T09:18:35.911385129Z`,
/// `2021-08-03T09:20:48+00:00`): `(instant, bytes consumed)`.
///
/// Up to nine fraction digits. Besides `Z` and `±hh:mm` the offset may be `±hhmm` (journald
/// `short-iso`). The caller checks what follows (normally a space).
pub fn parse_rfc3339_prefix(s: &[u8]) -> Option<(Timestamp, usize)> {
    let (civil, off, n) = iso_prefix(s)?;
    Some((civil.to_timestamp(off)?, n))
}

/// A whole RFC 3339 value (see [`parse_rfc3339_prefix`]); surrounding whitespace is ignored,
/// anything else after the offset is not.
pub fn parse_rfc3339(s: &[u8]) -> Option<Timestamp> {
    exact(s, parse_rfc3339_prefix)
}

/// journald `short-iso` / `short-iso-precise` prefix (`2024-02-10T10:00:00+0000`,
/// newer systemd `2024-02-10T10:00:00+00:00`): `(instant, bytes consumed)`.
pub fn parse_journal_iso_prefix(s: &[u8]) -> Option<(Timestamp, usize)> {
    parse_rfc3339_prefix(s)
}

/// Go `time.Time.String()`, as in must-gather `timestamp` files:
/// `2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915`.
///
/// 0–9 fraction digits; the numeric offset is used, the zone abbreviation and the
/// monotonic-clock suffix `m=±…` are checked for shape and ignored.
pub fn parse_go_time(s: &[u8]) -> Option<Timestamp> {
    let s = s.trim_ascii();
    let (civil, sep, mut i) = date_time(s)?;
    if sep != b' ' || !is(s, i, b' ') {
        return None;
    }
    i += 1;
    let (off, olen) = offset(s, i)?;
    if olen != 5 {
        return None;
    }
    i += olen;
    let mut rest = s.get(i..)?;
    // zone abbreviation (`UTC`, `CEST`, or numeric like `+0530` / `-03`)
    if let Some(r) = rest.strip_prefix(b" ")
        && !r.starts_with(b"m=")
    {
        let end = r.iter().position(|&b| b == b' ').unwrap_or(r.len());
        let (zone, after) = r.split_at(end);
        if zone.is_empty()
            || !zone
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-'))
        {
            return None;
        }
        rest = after;
    }
    // monotonic clock reading
    if let Some(r) = rest.strip_prefix(b" m=") {
        let r = r.strip_prefix(b"+").or_else(|| r.strip_prefix(b"-"))?;
        let (int, frac) = match r.iter().position(|&b| b == b'.') {
            Some(p) => (&r[..p], &r[p + 1..]),
            None => (r, &b""[..]),
        };
        if int.is_empty()
            || !int.iter().all(u8::is_ascii_digit)
            || !frac.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        rest = b"";
    }
    if !rest.is_empty() {
        return None;
    }
    civil.to_timestamp(off)
}

/// All instants in a must-gather / inspect `timestamp` file (one Go `time.Time.String()`
/// per line; RFC 3339 lines are accepted too). Blank and unparsable lines are skipped.
pub fn parse_timestamp_file(data: &[u8]) -> Vec<Timestamp> {
    data.split(|&b| b == b'\n')
        .filter_map(|line| parse_go_time(line).or_else(|| parse_rfc3339(line)))
        .collect()
}

/// journald `short` / `short-precise` prefix (`Feb 11 19:03:32`, `Aug 03 09:17:42.077259`;
/// a space-padded day ` 3` is accepted): `(month-day-time, bytes consumed)`.
/// The caller checks what follows (a space and the host name).
pub fn parse_journal_prefix(s: &[u8]) -> Option<(MonthDayTime, usize)> {
    let month = month_abbr(s, 0)?;
    let day = day2(s, 4)?;
    if !is(s, 3, b' ') || !is(s, 6, b' ') {
        return None;
    }
    let (hour, minute, second) = hms(s, 7)?;
    let (ns, flen) = fraction(s, 15)?;
    Some((
        MonthDayTime::new(month, day, hour, minute, second, ns)?,
        15 + flen,
    ))
}

/// klog header `Lmmdd hh:mm:ss.uuuuuu` (`I0803 09:17:43.005444`): `(level, time, bytes)`.
///
/// The level letter must be one of `IWEF`, the fraction (1–9 digits) is required, and the
/// header must be followed by a space or the end of input (not counted in the length).
pub fn parse_klog_header(s: &[u8]) -> Option<(LogLevel, MonthDayTime, usize)> {
    let level = LogLevel::from_klog_char(*s.first()?)?;
    let month = num2(s, 1)?;
    let day = num2(s, 3)?;
    if !is(s, 5, b' ') || !is(s, 14, b'.') {
        return None;
    }
    let (hour, minute, second) = hms(s, 6)?;
    let (ns, flen) = fraction(s, 14)?;
    let n = 14 + flen;
    if !(s.len() == n || is(s, n, b' ')) {
        return None;
    }
    Some((
        level,
        MonthDayTime::new(month, day, hour, minute, second, ns)?,
        n,
    ))
}

/// The value of a CRI-O logrus `time="…"` field: `2021-08-03 09:21:22.276784981Z` (space or
/// `T`, offset `Z` or `±hh:mm`). Surrounding whitespace is ignored, nothing else.
pub fn parse_logrus_time(s: &[u8]) -> Option<Timestamp> {
    exact(s, logrus_prefix)
}

/// Like [`parse_logrus_time`] but at the start of `s`: `(instant, bytes consumed)`.
pub(crate) fn logrus_prefix(s: &[u8]) -> Option<(Timestamp, usize)> {
    let (civil, _, n) = date_time(s)?;
    let (off, olen) = offset(s, n)?;
    Some((civil.to_timestamp(off)?, n + olen))
}

/// A naive date-time treated as UTC, as in sosreport `manifest.json`
/// (`2022-02-11 19:23:15.259812`; `T` also accepted). An offset or other trailing text is
/// rejected.
pub fn parse_naive_utc(s: &[u8]) -> Option<Timestamp> {
    let s = s.trim_ascii();
    let (civil, _, n) = date_time(s)?;
    if n != s.len() {
        return None;
    }
    civil.to_timestamp(0)
}

/// `date` command output in the C locale: `Fri Feb 11 19:23:42 UTC 2022`.
///
/// The zone must be `UTC`, `GMT` or numeric (`+0200`); other abbreviations cannot be
/// resolved offline and give `None`, as does a weekday that does not match the date.
pub fn parse_date_output(s: &[u8]) -> Option<Timestamp> {
    const WEEKDAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    let s = s.trim_ascii();
    let weekday = WEEKDAYS.iter().position(|w| s.get(..3) == Some(*w))?;
    let month = month_abbr(s, 4)?;
    let day = day2(s, 8)?;
    if !is(s, 3, b' ') || !is(s, 7, b' ') || !is(s, 10, b' ') || !is(s, 19, b' ') {
        return None;
    }
    let (hour, minute, second) = hms(s, 11)?;
    let rest = s.get(20..)?;
    let sp = rest.iter().position(|&b| b == b' ')?;
    let (zone, year) = (&rest[..sp], &rest[sp + 1..]);
    let off = match zone {
        b"UTC" | b"GMT" | b"Z" => 0,
        _ => match offset(zone, 0)? {
            (off, n) if n == zone.len() && n == 5 => off,
            _ => return None,
        },
    };
    if year.len() != 4 {
        return None;
    }
    let civil = Civil {
        year: num4(year, 0)?,
        month,
        day,
        hour,
        minute,
        second,
        nanosecond: 0,
    };
    let dt = DateTime::new(civil.year, month as i8, day as i8, 0, 0, 0, 0).ok()?;
    if usize::try_from(dt.weekday().to_monday_one_offset()).ok()? != weekday + 1 {
        return None;
    }
    civil.to_timestamp(off)
}

/// Unix seconds with an optional fraction (`1627982159.5086`, as in `NetworkManager`'s
/// `[1627982159.5086]`): up to 12 integer digits and 9 fraction digits, nothing else.
pub fn parse_unix_seconds(s: &[u8]) -> Option<Timestamp> {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 12 {
        return None;
    }
    let secs = s[..n]
        .iter()
        .fold(0i64, |acc, &b| acc * 10 + i64::from(b - b'0'));
    let (ns, flen) = fraction(s, n)?;
    if n + flen != s.len() {
        return None;
    }
    Timestamp::new(secs, ns as i32).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    fn opt(s: Option<&str>) -> Option<Timestamp> {
        s.map(ts)
    }

    #[test]
    fn rfc3339_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2021-08-03T09:18:35Z", Some("2021-08-03T09:18:35Z")),
            ("2021-08-03T09:20:48+00:00", Some("2021-08-03T09:20:48Z")),
            (
                "2021-08-03T09:20:48.741475090Z",
                Some("2021-08-03T09:20:48.74147509Z"),
            ),
            (
                "2021-08-03T09:20:48.74147509Z",
                Some("2021-08-03T09:20:48.74147509Z"),
            ),
            (
                "2021-08-03T11:20:48.5+02:00",
                Some("2021-08-03T09:20:48.5Z"),
            ),
            ("2021-08-03T05:50:48-03:30", Some("2021-08-03T09:20:48Z")),
            ("2021-08-03t09:18:35z", Some("2021-08-03T09:18:35Z")),
            ("2024-02-10T10:00:00+0000", Some("2024-02-10T10:00:00Z")),
            (
                "2024-02-29T23:59:59.999999999Z",
                Some("2024-02-29T23:59:59.999999999Z"),
            ),
            ("  2021-08-03T09:18:35Z\r\n", Some("2021-08-03T09:18:35Z")),
            // near misses
            ("2021-08-03T09:18:35", None),             // no offset
            ("2021-08-03 09:18:35Z", None),            // space, not T
            ("2021-08-03T09:18:35Zx", None),           // trailing garbage
            ("2021-08-03T09:18:35Z 1", None),          // trailing garbage after space
            ("2021-13-03T09:18:35Z", None),            // 13th month
            ("2021-00-03T09:18:35Z", None),            // month 0
            ("2021-02-29T09:18:35Z", None),            // not a leap year
            ("2021-04-31T09:18:35Z", None),            // April has 30 days
            ("2021-08-03T24:00:00Z", None),            // hour 24
            ("2021-08-03T09:60:00Z", None),            // minute 60
            ("2021-08-03T09:18:60Z", None),            // leap second
            ("2021-08-03T09:18:35.Z", None),           // empty fraction
            ("2021-08-03T09:18:35.1234567890Z", None), // ten fraction digits
            ("2021-08-03T09:18:35+0", None),           // short offset
            ("2021-08-03T09:18:35+24:00", None),       // offset out of range
            ("2021-8-03T09:18:35Z", None),             // one-digit month
            ("2021-08-03T9:18:35Z", None),             // one-digit hour
            ("2021/08/03T09:18:35Z", None),            // wrong date separator
            ("", None),
            ("2021-08-03T", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_rfc3339(input.as_bytes()), opt(*want), "{input:?}");
        }
    }

    #[test]
    fn rfc3339_prefix_lengths() {
        let cases: &[(&str, Option<usize>)] = &[
            ("2021-08-03T09:20:48.741475090Z I0803 …", Some(30)),
            ("2021-08-03T09:20:48+00:00 WARN:", Some(25)),
            ("2021-08-03T09:20:48Z", Some(20)),
            ("2021-08-03T09:20:48.1234567890Z x", None),
            ("Aug 03 09:17:42.077259 host", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_rfc3339_prefix(input.as_bytes()).map(|(_, n)| n),
                *want,
                "{input:?}"
            );
        }
    }

    #[test]
    fn go_time_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915",
                Some("2021-08-03T10:11:56.91501602Z"),
            ),
            (
                "2021-08-03 12:14:13.632016778 +0200 CEST m=+138.368642668",
                Some("2021-08-03T10:14:13.632016778Z"),
            ),
            (
                "2021-08-03 10:12:00.016988581 +0000 UTC m=+0.380233555",
                Some("2021-08-03T10:12:00.016988581Z"),
            ),
            (
                "2020-12-02 10:39:12 +0000 UTC",
                Some("2020-12-02T10:39:12Z"),
            ),
            (
                "2024-02-26 10:05:37.1234 +0100 CET m=+0.03",
                Some("2024-02-26T09:05:37.1234Z"),
            ),
            (
                "2024-02-26 10:05:37.1 -0530 -0530",
                Some("2024-02-26T15:35:37.1Z"),
            ),
            (
                "2024-02-26 10:05:37 +0000 UTC m=-1.5",
                Some("2024-02-26T10:05:37Z"),
            ),
            (
                "2024-02-26 10:05:37 +0000 UTC\n",
                Some("2024-02-26T10:05:37Z"),
            ),
            ("2024-02-26 10:05:37 +0000", Some("2024-02-26T10:05:37Z")),
            (
                "2024-02-26 10:05:37 +0000 m=+0.5",
                Some("2024-02-26T10:05:37Z"),
            ),
            // near misses
            ("2021-08-03T12:11:56.91501602 +0200 CEST", None), // T separator
            ("2021-08-03 12:11:56.91501602 +02:00 CEST", None), // colon offset
            ("2021-08-03 12:11:56.91501602+0200 CEST", None),  // missing space
            ("2021-08-03 12:11:56.91501602 +0200 CEST m=", None), // empty monotonic
            ("2021-08-03 12:11:56.91501602 +0200 CEST m=1.5", None), // unsigned monotonic
            ("2021-08-03 12:11:56.91501602 +0200 CEST garbage", None),
            ("2021-08-03 12:11:56.91501602 +0200  CEST", None), // double space
            ("2021-08-03 12:11:56.9150160212 +0200 CEST", None), // 10 digits
            ("2021-13-03 12:11:56 +0200 CEST", None),
            ("2021-08-03 12:11:56 CEST", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_go_time(input.as_bytes()), opt(*want), "{input:?}");
        }
    }

    #[test]
    fn timestamp_file_lines() {
        let file = b"2021-08-03 10:12:00.016988581 +0000 UTC m=+0.380233555\n\
2021-08-03 10:12:05.843383076 +0000 UTC m=+6.206628061\r\n\
\n\
not a time\n\
2021-08-03 10:13:47.364145495 +0000 UTC m=+1.355495176";
        let got = parse_timestamp_file(file);
        assert_eq!(
            got,
            vec![
                ts("2021-08-03T10:12:00.016988581Z"),
                ts("2021-08-03T10:12:05.843383076Z"),
                ts("2021-08-03T10:13:47.364145495Z"),
            ]
        );
        assert!(parse_timestamp_file(b"").is_empty());
    }

    fn mdt(month: u8, day: u8, h: u8, m: u8, s: u8, ns: u32) -> MonthDayTime {
        MonthDayTime::new(month, day, h, m, s, ns).expect("valid test mdt")
    }

    #[test]
    fn journal_prefix_table() {
        let cases: &[(&str, Option<(MonthDayTime, usize)>)] = &[
            (
                "Aug 03 09:17:42.077259 ip-10-0-195-177 systemd[1]:",
                Some((mdt(8, 3, 9, 17, 42, 77_259_000), 22)),
            ),
            (
                "Feb 11 19:03:32 juju-110cc2-k8stest-4 kube-proxy",
                Some((mdt(2, 11, 19, 3, 32, 0), 15)),
            ),
            ("Feb 11 19:03:32", Some((mdt(2, 11, 19, 3, 32, 0), 15))),
            ("Feb  1 19:03:32 host", Some((mdt(2, 1, 19, 3, 32, 0), 15))),
            (
                "Dec 31 23:59:59.999999 h",
                Some((mdt(12, 31, 23, 59, 59, 999_999_000), 22)),
            ),
            ("Feb 29 00:00:00 h", Some((mdt(2, 29, 0, 0, 0, 0), 15))),
            // near misses
            ("Aug 32 09:17:42 h", None),  // day 32
            ("Feb 30 09:17:42 h", None),  // no Feb 30 in any year
            ("Jun 31 09:17:42 h", None),  // June has 30 days
            ("Aug 00 09:17:42 h", None),  // day 0
            ("Agu 03 09:17:42 h", None),  // wrong month name
            ("aug 03 09:17:42 h", None),  // lowercase month
            ("AUG 03 09:17:42 h", None),  // uppercase month
            ("Aug 03 9:17:42 h", None),   // one-digit hour
            ("Aug 0309:17:42 h", None),   // missing space
            ("Aug 03 09:17:42. h", None), // empty fraction
            ("Aug 03 25:17:42 h", None),  // hour 25
            ("Aug  03 09:17:42 h", None), // double space
            (
                "-- Logs begin at Tue 2021-08-03 09:10:29 UTC, end at Tue 2021-08-03 10:13:48 UTC. --",
                None,
            ),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_journal_prefix(input.as_bytes()), *want, "{input:?}");
        }
    }

    #[test]
    fn journal_iso_prefix_table() {
        let cases: &[(&str, Option<(&str, usize)>)] = &[
            (
                "2024-02-10T10:00:00+0000 host crio[1]: x",
                Some(("2024-02-10T10:00:00Z", 24)),
            ),
            (
                "2024-02-10T10:00:00.123456+0100 host",
                Some(("2024-02-10T09:00:00.123456Z", 31)),
            ),
            (
                "2024-02-10T10:00:00+00:00 host",
                Some(("2024-02-10T10:00:00Z", 25)),
            ),
            ("2024-02-10T10:00:00 host", None),
            ("2024-02-10 10:00:00+0000 host", None),
            ("2024-02-30T10:00:00+0000 host", None),
        ];
        for (input, want) in cases {
            let got = parse_journal_iso_prefix(input.as_bytes());
            assert_eq!(got, want.map(|(t, n)| (ts(t), n)), "{input:?}");
        }
    }

    #[test]
    fn klog_header_table() {
        use LogLevel::{Error, Fatal, Info, Warning};
        type Case = (&'static str, Option<(LogLevel, MonthDayTime, usize)>);
        let cases: &[Case] = &[
            (
                "I0803 09:17:43.005444    1354 server.go:895] x",
                Some((Info, mdt(8, 3, 9, 17, 43, 5_444_000), 21)),
            ),
            (
                "W0803 09:18:29.911358    2427 subnets.go:160]",
                Some((Warning, mdt(8, 3, 9, 18, 29, 911_358_000), 21)),
            ),
            (
                "E1201 10:19:43.787590    2992 cpu_manager.go:410]",
                Some((Error, mdt(12, 1, 10, 19, 43, 787_590_000), 21)),
            ),
            (
                "F0229 00:00:00.000001 1 x.go:1]",
                Some((Fatal, mdt(2, 29, 0, 0, 0, 1_000), 21)),
            ),
            (
                "I0803 09:17:43.005444",
                Some((Info, mdt(8, 3, 9, 17, 43, 5_444_000), 21)),
            ),
            (
                "I0803 09:17:43.005444123 1 a.go:1]",
                Some((Info, mdt(8, 3, 9, 17, 43, 5_444_123), 24)),
            ),
            // near misses
            ("D0803 09:17:43.005444    1354 a.go:1]", None), // not a klog letter
            ("i0803 09:17:43.005444    1354 a.go:1]", None), // lowercase
            ("I1303 09:17:43.005444    1354 a.go:1]", None), // 13th month
            ("I0230 09:17:43.005444    1354 a.go:1]", None), // Feb 30
            ("I0803 09:17:43    1354 a.go:1]", None),        // no fraction
            ("I0803 09:17:43.005444x   1354 a.go:1]", None), // glued garbage
            ("I080309:17:43.005444    1354 a.go:1]", None),  // missing space
            ("I803 09:17:43.005444    1354 a.go:1]", None),  // three-digit date
            ("Info: starting", None),
            ("I", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_klog_header(input.as_bytes()), *want, "{input:?}");
        }
    }

    #[test]
    fn logrus_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "2021-08-03 09:21:22.276784981Z",
                Some("2021-08-03T09:21:22.276784981Z"),
            ),
            (
                "2019-05-03 15:07:24.792459494Z",
                Some("2019-05-03T15:07:24.792459494Z"),
            ),
            (
                "2021-08-03T09:21:22.27678498Z",
                Some("2021-08-03T09:21:22.27678498Z"),
            ),
            ("2021-08-03 11:21:22+02:00", Some("2021-08-03T09:21:22Z")),
            ("2021-08-03 09:21:22.276784981", None), // no zone
            ("2021-08-03 09:21:22.276784981Z\"", None), // closing quote included
            ("2021-08-03  09:21:22Z", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_logrus_time(input.as_bytes()), opt(*want), "{input:?}");
        }
    }

    #[test]
    fn naive_utc_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "2022-02-11 19:23:15.259812",
                Some("2022-02-11T19:23:15.259812Z"),
            ),
            (
                "2022-02-11 19:24:38.528784",
                Some("2022-02-11T19:24:38.528784Z"),
            ),
            ("2022-02-11T19:23:15", Some("2022-02-11T19:23:15Z")),
            ("2022-02-11 19:23:15.259812+00:00", None),
            ("2022-02-11 19:23", None),
            ("2022-02-11 19:23:15.259812 x", None),
            ("0:01:23.268972", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_naive_utc(input.as_bytes()), opt(*want), "{input:?}");
        }
    }

    #[test]
    fn date_output_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Fri Feb 11 19:23:42 UTC 2022", Some("2022-02-11T19:23:42Z")),
            (
                "Fri Feb 11 19:23:39 UTC 2022\n",
                Some("2022-02-11T19:23:39Z"),
            ),
            ("Tue Feb  1 08:00:00 GMT 2022", Some("2022-02-01T08:00:00Z")),
            (
                "Fri Feb 11 21:23:42 +0200 2022",
                Some("2022-02-11T19:23:42Z"),
            ),
            ("Thu Feb 29 12:00:00 UTC 2024", Some("2024-02-29T12:00:00Z")),
            // near misses
            ("Sat Feb 11 19:23:42 UTC 2022", None), // wrong weekday
            ("Fri Feb 11 19:23:42 CET 2022", None), // unresolvable zone
            ("Fri Fev 11 19:23:42 UTC 2022", None), // wrong month name
            ("Fri Feb 11 19:23:42 UTC 22", None),   // two-digit year
            ("Fri Feb 11 19:23:42 UTC 2022 x", None),
            ("Thu Feb 29 12:00:00 UTC 2023", None), // not a leap year
            ("Fri Feb 11 19:23:42 2022", None),     // no zone
            ("Fri 11 Feb 2022 07:23:42 PM UTC", None), // other locale
        ];
        for (input, want) in cases {
            assert_eq!(parse_date_output(input.as_bytes()), opt(*want), "{input:?}");
        }
    }

    #[test]
    fn unix_seconds_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("1627982159.5086", Some("2021-08-03T09:15:59.5086Z")),
            ("1627982159", Some("2021-08-03T09:15:59Z")),
            ("1627982159.", None),
            ("1627982159.5086]", None),
            ("-1", None),
            ("", None),
            ("1234567890123", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_unix_seconds(input.as_bytes()),
                opt(*want),
                "{input:?}"
            );
        }
    }

    #[test]
    fn year_resolver_table() {
        // (reference, month-day-time, expected)
        let cases: &[(&str, MonthDayTime, Option<&str>)] = &[
            // the AWS must-gather: collected 2021-08-03 10:12 UTC
            (
                "2021-08-03T10:12:00Z",
                mdt(8, 3, 9, 17, 42, 77_259_000),
                Some("2021-08-03T09:17:42.077259Z"),
            ),
            // up to two days in the future stays in the reference year
            (
                "2021-08-03T10:12:00Z",
                mdt(8, 5, 10, 12, 0, 0),
                Some("2021-08-05T10:12:00Z"),
            ),
            (
                "2021-08-03T10:12:00Z",
                mdt(8, 5, 10, 12, 0, 1),
                Some("2020-08-05T10:12:00.000000001Z"),
            ),
            (
                "2021-08-03T10:12:00Z",
                mdt(9, 1, 0, 0, 0, 0),
                Some("2020-09-01T00:00:00Z"),
            ),
            // December lines collected on Jan 2 belong to the previous year
            (
                "2022-01-02T08:00:00Z",
                mdt(12, 31, 23, 59, 59, 0),
                Some("2021-12-31T23:59:59Z"),
            ),
            (
                "2022-01-02T08:00:00Z",
                mdt(1, 1, 0, 0, 1, 0),
                Some("2022-01-01T00:00:01Z"),
            ),
            (
                "2022-01-02T08:00:00Z",
                mdt(1, 4, 8, 0, 0, 0),
                Some("2022-01-04T08:00:00Z"),
            ),
            (
                "2022-01-02T08:00:00Z",
                mdt(1, 4, 8, 0, 1, 0),
                Some("2021-01-04T08:00:01Z"),
            ),
            // collected on Dec 31: early-January lines (clock skew) are next year
            (
                "2021-12-31T23:00:00Z",
                mdt(1, 1, 0, 30, 0, 0),
                Some("2022-01-01T00:30:00Z"),
            ),
            (
                "2021-12-31T23:00:00Z",
                mdt(12, 31, 22, 0, 0, 0),
                Some("2021-12-31T22:00:00Z"),
            ),
            // leap day: 2024 is a leap year, 2023 is not
            (
                "2024-03-01T00:00:00Z",
                mdt(2, 29, 12, 0, 0, 0),
                Some("2024-02-29T12:00:00Z"),
            ),
            ("2023-03-01T00:00:00Z", mdt(2, 29, 12, 0, 0, 0), None),
            // 2025-02-27: Feb 29 would be within 2 days -> year 2025 -> does not exist
            ("2025-02-27T12:00:00Z", mdt(2, 29, 0, 0, 0, 0), None),
            // 2025-01-10: Feb 29 is in the future -> 2024 -> exists
            (
                "2025-01-10T00:00:00Z",
                mdt(2, 29, 0, 0, 0, 0),
                Some("2024-02-29T00:00:00Z"),
            ),
        ];
        for (reference, t, want) in cases {
            let r = YearResolver::new(ts(reference));
            assert_eq!(r.resolve(*t), opt(*want), "{reference} {t:?}");
            assert_eq!(r.reference(), ts(reference));
        }
    }

    #[test]
    fn near_table() {
        let cases: &[(&str, MonthDayTime, Option<&str>)] = &[
            (
                "2021-08-03T09:17:43Z",
                mdt(8, 3, 9, 17, 43, 0),
                Some("2021-08-03T09:17:43Z"),
            ),
            (
                "2021-12-31T23:59:59Z",
                mdt(1, 1, 0, 0, 0, 0),
                Some("2022-01-01T00:00:00Z"),
            ),
            (
                "2022-01-01T00:00:00Z",
                mdt(12, 31, 23, 59, 59, 0),
                Some("2021-12-31T23:59:59Z"),
            ),
            (
                "2024-02-29T10:00:00Z",
                mdt(2, 29, 9, 0, 0, 0),
                Some("2024-02-29T09:00:00Z"),
            ),
            ("2023-03-01T00:00:00Z", mdt(2, 29, 9, 0, 0, 0), None),
        ];
        for (anchor, t, want) in cases {
            assert_eq!(t.near(ts(anchor)), opt(*want), "{anchor} {t:?}");
        }
    }

    #[test]
    fn month_day_time_ranges() {
        assert!(MonthDayTime::new(2, 29, 0, 0, 0, 0).is_some());
        assert!(MonthDayTime::new(2, 30, 0, 0, 0, 0).is_none());
        assert!(MonthDayTime::new(0, 1, 0, 0, 0, 0).is_none());
        assert!(MonthDayTime::new(13, 1, 0, 0, 0, 0).is_none());
        assert!(MonthDayTime::new(1, 1, 0, 0, 0, 1_000_000_000).is_none());
        assert!(MonthDayTime::new(1, 1, 23, 59, 60, 0).is_none());
    }

    #[test]
    fn civil_matches_unix_arithmetic() {
        // every day from 1999 to 2032 at 12:34:56, checked against plain day counting
        let mut expected_day = 10_592i64; // 1999-01-01
        for year in 1999i16..=2032 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            for month in 1u8..=12 {
                let days = match month {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                for day in 1..=days {
                    let t = mdt(month, day, 12, 34, 56, 0).with_year(year).unwrap();
                    assert_eq!(
                        t.as_second(),
                        expected_day * DAY_SECONDS + 45_296,
                        "{year}-{month}-{day}"
                    );
                    expected_day += 1;
                }
                if month == 2 && !leap {
                    assert!(mdt(2, 29, 0, 0, 0, 0).with_year(year).is_none());
                }
            }
        }
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_inputs() {
        let inputs: &[&[u8]] = &[
            b"2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915",
            b"Aug 03 09:17:42.077259 host",
            b"I0803 09:17:43.005444    1354",
            b"Fri Feb 11 19:23:42 UTC 2022",
            b"2021-08-03T09:20:48.741475090Z x",
            b"1627982159.5086",
            b"\xff\xfe2021-08-03\xc3",
        ];
        for input in inputs {
            for end in 0..=input.len() {
                let s = &input[..end];
                let _ = parse_go_time(s);
                let _ = parse_rfc3339(s);
                let _ = parse_journal_prefix(s);
                let _ = parse_klog_header(s);
                let _ = parse_date_output(s);
                let _ = parse_logrus_time(s);
                let _ = parse_naive_utc(s);
                let _ = parse_unix_seconds(s);
                let _ = parse_timestamp_file(s);
            }
        }
    }
}
