//! Every log-line parser on arbitrary bytes: format sniffing, then `parse_records` in each
//! format (journal, pod log, raw CRI, klog, plain), with the record accessors.
#![no_main]

use casefile_ingest::logs::{parse_records, sniff_format};
use casefile_ingest::timefmt::YearResolver;
use casefile_model::LogFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let anchor: jiff::Timestamp = "2021-08-03T10:12:00Z".parse().unwrap();
    let years = YearResolver::new(anchor);
    let _ = sniff_format(data);
    for format in [
        LogFormat::Journal,
        LogFormat::PodLog,
        LogFormat::CriRaw,
        LogFormat::Klog,
        LogFormat::Plain,
    ] {
        let records = parse_records(data, format, &years);
        for r in &records {
            let text = r.text(data);
            assert!(text.len() <= data.len());
            let _ = r.host(data);
            let _ = r.ident(data);
        }
    }
});
