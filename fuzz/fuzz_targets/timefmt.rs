//! Every timestamp parser on arbitrary bytes, and the year resolution of year-less times.
#![no_main]

use casefile_ingest::timefmt::{self, YearResolver};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((_, n)) = timefmt::parse_rfc3339_prefix(data) {
        assert!(n <= data.len());
    }
    let _ = timefmt::parse_rfc3339(data);
    if let Some((_, n)) = timefmt::parse_journal_iso_prefix(data) {
        assert!(n <= data.len());
    }
    let _ = timefmt::parse_go_time(data);
    let _ = timefmt::parse_timestamp_file(data);
    let _ = timefmt::parse_logrus_time(data);
    let _ = timefmt::parse_naive_utc(data);
    let _ = timefmt::parse_date_output(data);
    let _ = timefmt::parse_unix_seconds(data);
    // Ordinary anchors and the ends of jiff's range (year arithmetic near them must not panic).
    let anchors = [
        "2021-08-03T10:12:00Z".parse().unwrap(),
        "2024-02-29T12:00:00Z".parse().unwrap(),
        jiff::Timestamp::MIN,
        jiff::Timestamp::MAX,
    ];
    let mut mdts = Vec::new();
    if let Some((t, n)) = timefmt::parse_journal_prefix(data) {
        assert!(n <= data.len());
        mdts.push(t);
    }
    if let Some((_, t, n)) = timefmt::parse_klog_header(data) {
        assert!(n <= data.len());
        mdts.push(t);
    }
    for anchor in anchors {
        let years = YearResolver::new(anchor);
        for t in &mdts {
            let _ = years.resolve(*t);
            let _ = years.year_for(*t);
            let _ = t.near(anchor);
            let _ = t.with_year(i16::MIN);
            let _ = t.with_year(i16::MAX);
        }
    }
});
