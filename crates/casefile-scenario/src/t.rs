//! Time values (UTC nanoseconds since the Unix epoch) and the text formats the archives use.

use jiff::Timestamp;

/// A point in time: nanoseconds since 1970-01-01T00:00:00Z.
pub type T = i64;

/// One millisecond in [`T`] units.
pub const MS: i64 = 1_000_000;
/// One second in [`T`] units.
pub const SEC: i64 = 1_000_000_000;
/// One minute.
pub const MIN: i64 = 60 * SEC;
/// One hour.
pub const HOUR: i64 = 60 * MIN;
/// One day.
pub const DAY: i64 = 24 * HOUR;

/// Parse an RFC 3339 time (`2024-02-09T02:14:51Z`). Panics on bad input (scenario constants).
pub fn at(s: &str) -> T {
    let ts: Timestamp = s
        .parse()
        .unwrap_or_else(|e| panic!("bad scenario time {s:?}: {e}"));
    ts.as_nanosecond() as i64
}

fn ts(t: T) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(t)).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn frac(t: T) -> i64 {
    t.rem_euclid(SEC)
}

/// Whole seconds since the epoch.
pub fn unix(t: T) -> i64 {
    t.div_euclid(SEC)
}

/// Truncate to whole seconds.
pub fn trunc(t: T) -> T {
    t - frac(t)
}

/// `2024-02-09T02:14:51Z` (Kubernetes metav1.Time).
pub fn rfc3339(t: T) -> String {
    ts(t).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2024-02-09T02:14:51.123456Z` (metav1.MicroTime).
pub fn rfc3339_micro(t: T) -> String {
    format!(
        "{}.{:06}Z",
        ts(t).strftime("%Y-%m-%dT%H:%M:%S"),
        frac(t) / 1000
    )
}

/// `2024-02-09T02:14:51.123456789Z` (the `oc logs --timestamps` prefix: always 9 digits).
pub fn rfc3339_nano9(t: T) -> String {
    format!("{}.{:09}Z", ts(t).strftime("%Y-%m-%dT%H:%M:%S"), frac(t))
}

/// `Feb 09 05:47:10.512345` (journalctl `short-precise`, no year, no host).
pub fn journal_precise(t: T) -> String {
    format!("{}.{:06}", ts(t).strftime("%b %d %H:%M:%S"), frac(t) / 1000)
}

/// `Feb 09 05:47:10` (journalctl `short`).
pub fn journal_short(t: T) -> String {
    ts(t).strftime("%b %d %H:%M:%S").to_string()
}

/// `Sat 2024-02-10 05:38:40 UTC` (journal header form).
pub fn journal_header_time(t: T) -> String {
    ts(t).strftime("%a %Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `Sat Feb 10 05:52:13 UTC 2024` (`date`).
pub fn date_cmd(t: T) -> String {
    ts(t).strftime("%a %b %e %H:%M:%S UTC %Y").to_string()
}

/// `2024-02-10 03:05:52 +0000 UTC` (Go `time.Time.String()` of a whole-second UTC time).
pub fn go_utc(t: T) -> String {
    ts(t).strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string()
}

/// `2024-02-09 05:47:10.512345678Z` (CRI-O logrus `time=`).
pub fn crio_time(t: T) -> String {
    format!("{}.{:09}Z", ts(t).strftime("%Y-%m-%d %H:%M:%S"), frac(t))
}

/// `2024-02-09T05:47:10Z` (Multus log prefix, RFC 3339 seconds).
pub fn multus_time(t: T) -> String {
    rfc3339(t)
}

/// `I0209 05:47:10.512345    2650 file.go:123] ` (klog header).
pub fn klog(level: char, t: T, pid: u32, file_line: &str) -> String {
    format!(
        "{level}{} {}.{:06} {pid:>7} {file_line}] ",
        ts(t).strftime("%m%d"),
        ts(t).strftime("%H:%M:%S"),
        frac(t) / 1000
    )
}

/// A time zone for the `oc` client side: fixed offset and abbreviation (no tz database).
#[derive(Clone, Copy, Debug)]
pub struct Zone {
    /// Offset from UTC in seconds.
    pub offset: i64,
    /// Abbreviation as Go prints it (`CET`, `EDT`, `UTC`).
    pub abbrev: &'static str,
}

/// UTC.
pub const UTC: Zone = Zone {
    offset: 0,
    abbrev: "UTC",
};

/// Go `time.Time.String()` with monotonic suffix:
/// `2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915`.
pub fn go_string(t: T, zone: Zone, mono: T) -> String {
    let local = t + zone.offset * SEC;
    let mut fr = format!("{:09}", frac(local));
    while fr.ends_with('0') {
        fr.pop();
    }
    let frs = if fr.is_empty() {
        String::new()
    } else {
        format!(".{fr}")
    };
    let sign = if zone.offset < 0 { '-' } else { '+' };
    let off = zone.offset.abs();
    format!(
        "{}{frs} {sign}{:02}{:02} {} m=+{}.{:09}",
        ts(local).strftime("%Y-%m-%d %H:%M:%S"),
        off / 3600,
        (off % 3600) / 60,
        zone.abbrev,
        mono / SEC,
        mono % SEC
    )
}

/// `2024-02-10` (sosreport name date).
pub fn ymd(t: T) -> String {
    ts(t).strftime("%Y-%m-%d").to_string()
}

/// `2024-02-10 05:52:13.123456` (sos manifest times).
pub fn sos_time(t: T) -> String {
    format!(
        "{}.{:06}",
        ts(t).strftime("%Y-%m-%d %H:%M:%S"),
        frac(t) / 1000
    )
}

/// `YYYY-MM-DD-HHMMSS`-free OKD release date stamp helper: `2024-01-27-070424`.
pub fn okd_stamp(t: T) -> String {
    ts(t).strftime("%Y-%m-%d-%H%M%S").to_string()
}

/// Seconds as a float for JSON (sos manifest `start_time`).
pub fn unix_f64(t: T) -> f64 {
    t as f64 / SEC as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = at("2021-08-03T10:11:56.915016020Z");
        let z = Zone {
            offset: 7200,
            abbrev: "CEST",
        };
        assert_eq!(
            go_string(t, z, 1_651_641_915),
            "2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915"
        );
        assert_eq!(journal_precise(t), "Aug 03 10:11:56.915016");
        assert_eq!(
            klog('I', t, 1354, "server.go:895"),
            "I0803 10:11:56.915016    1354 server.go:895] "
        );
        assert_eq!(rfc3339_nano9(t), "2021-08-03T10:11:56.915016020Z");
        assert_eq!(
            date_cmd(at("2022-02-11T19:23:39Z")),
            "Fri Feb 11 19:23:39 UTC 2022"
        );
    }
}
