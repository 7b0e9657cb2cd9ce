//! Exports of casefile's analysis: the merged timeline as Timesketch-ready JSONL and CSV, and
//! as a Markdown table for people.
//!
//! Every row carries Timesketch's mandatory fields — `message`, `datetime` (RFC 3339 / ISO 8601
//! in UTC, microseconds, written `+00:00`), `timestamp` (microseconds since the Unix epoch)
//! and `timestamp_desc` — plus `source`, `node`, `namespace`, `severity`, `rule`, and the
//! evidence: `archive` (the path the user gave), `path` (inside the archive) and `line`.
//! Name the files `*.jsonl` / `*.csv`: Timesketch picks the importer by extension.
//!
//! ```
//! use std::borrow::Cow;
//! use casefile_model::{ArchiveId, ArtifactId, ContentSource, Provenance, Severity, TimelineEntry};
//!
//! struct Names;
//! impl ContentSource for Names {
//!     fn content(&self, _: ArtifactId) -> Option<Cow<'_, [u8]>> { None }
//!     fn path(&self, _: ArtifactId) -> &str { "host_service_logs/masters/kubelet_service.log" }
//!     fn archive_label(&self, _: ArchiveId) -> String { "must-gather.tar.gz".into() }
//! }
//!
//! let entry = TimelineEntry {
//!     at: "2024-02-09T08:13:52.927979Z".parse().unwrap(),
//!     time_desc: "kubelet journal entry".into(),
//!     source: "journal".into(),
//!     node: Some("ip-10-0-22-198.eu-central-1.compute.internal".into()),
//!     namespace: None,
//!     severity: Severity::Critical,
//!     rule: Some("kubelet-api-tls-unknown-authority".into()),
//!     message: "kubenswrapper[2709]: E0209 08:13:52.927979 ... x509: certificate signed by unknown authority".into(),
//!     provenance: Provenance::line(ArtifactId::new(ArchiveId(0), 3), 1234),
//! };
//! let mut out = Vec::new();
//! casefile_export::timeline_jsonl(&mut out, &[entry], &Names).unwrap();
//! let row: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(row["datetime"], "2024-02-09T08:13:52.927979+00:00");
//! assert_eq!(row["timestamp"], 1_707_466_432_927_979_i64);
//! assert_eq!(row["line"], 1234);
//! ```
#![forbid(unsafe_code)]

pub mod diagnosis;
pub mod redact;

use std::borrow::Borrow;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use casefile_model::{ArchiveId, ContentSource, Severity, TimelineEntry, Timestamp};
use serde::{Deserialize, Serialize};

/// One timeline row as exported (the JSONL object and the CSV record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimelineRow {
    /// What happened (the log line, event message, condition, ...).
    pub message: String,
    /// When, RFC 3339 in UTC with microseconds (`2024-02-09T08:13:52.927979+00:00`).
    pub datetime: String,
    /// When, in microseconds since the Unix epoch.
    pub timestamp: i64,
    /// What the time means (`kubelet journal entry`, `event last seen`, ...).
    pub timestamp_desc: String,
    /// Source family (`journal`, `pod-log`, `event`, `node`, `clusterversion`,
    /// `clusteroperator`, `certificate`).
    pub source: String,
    /// Node concerned (the Node's name).
    pub node: Option<String>,
    /// Namespace concerned.
    pub namespace: Option<String>,
    /// `info`, `warning` or `critical`.
    #[schemars(with = "SeverityName")]
    pub severity: Severity,
    /// Signature or detector id, when one matched.
    pub rule: Option<String>,
    /// The archive, as the user named it.
    pub archive: String,
    /// The file inside the archive.
    pub path: String,
    /// 1-based line in that file, when known.
    pub line: Option<u32>,
}

/// The CSV header, in column order (the same order as the JSONL keys).
pub const COLUMNS: [&str; 12] = [
    "message",
    "datetime",
    "timestamp",
    "timestamp_desc",
    "source",
    "node",
    "namespace",
    "severity",
    "rule",
    "archive",
    "path",
    "line",
];

/// How a severity is written in exports.
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Severity")]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SeverityName {
    Info,
    Warning,
    Critical,
}

impl TimelineRow {
    /// The JSON Schema of one row (one line of the JSONL export).
    pub fn schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(TimelineRow)).unwrap_or_default()
    }

    /// The row of one entry; archive labels and paths come from `content`.
    pub fn new(entry: &TimelineEntry, content: &dyn ContentSource) -> Self {
        Self::with_label(
            entry,
            content,
            content.archive_label(entry.provenance.artifact.archive),
        )
    }

    fn with_label(entry: &TimelineEntry, content: &dyn ContentSource, archive: String) -> Self {
        Self {
            message: casefile_model::redact::private_keys(&entry.message).into_owned(),
            datetime: datetime(entry.at),
            timestamp: entry.at.as_microsecond(),
            timestamp_desc: entry.time_desc.clone(),
            source: entry.source.clone(),
            node: entry.node.clone(),
            namespace: entry.namespace.clone(),
            severity: entry.severity,
            rule: entry.rule.clone(),
            archive,
            path: content.path(entry.provenance.artifact).to_owned(),
            line: entry.provenance.line,
        }
    }
}

/// RFC 3339 in UTC with exactly six fractional digits and a `+00:00` offset (the form
/// Timesketch documents; `Z` is avoided for older Python ISO parsers).
pub fn datetime(at: Timestamp) -> String {
    let dt = jiff::tz::TimeZone::UTC.to_datetime(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1000
    )
}

/// Rows for many entries, asking `content` for each archive label once.
fn rows<'a, E: Borrow<TimelineEntry>>(
    entries: impl IntoIterator<Item = E> + 'a,
    content: &'a dyn ContentSource,
) -> impl Iterator<Item = TimelineRow> + 'a {
    let mut labels: HashMap<ArchiveId, String> = HashMap::new();
    entries.into_iter().map(move |e| {
        let e = e.borrow();
        let archive = e.provenance.artifact.archive;
        let label = labels
            .entry(archive)
            .or_insert_with(|| content.archive_label(archive))
            .clone();
        TimelineRow::with_label(e, content, label)
    })
}

/// Writes one JSON object per line (JSON Lines), Timesketch-ready. `entries` is a slice or
/// a stream (such as a timeline stream, which never holds every entry).
pub fn timeline_jsonl<W: Write, E: Borrow<TimelineEntry>>(
    out: W,
    entries: impl IntoIterator<Item = E>,
    content: &dyn ContentSource,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for row in rows(entries, content) {
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes CSV with a header line ([`COLUMNS`]), Timesketch-ready. Absent values are empty.
pub fn timeline_csv<W: Write, E: Borrow<TimelineEntry>>(
    out: W,
    entries: impl IntoIterator<Item = E>,
    content: &dyn ContentSource,
) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(COLUMNS).map_err(csv_error)?;
    for row in rows(entries, content) {
        w.serialize(&row).map_err(csv_error)?;
    }
    w.flush()
}

/// A CSV error as an I/O error that keeps the I/O kind (a closed pipe stays `BrokenPipe`).
fn csv_error(e: csv::Error) -> io::Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => io::Error::new(io.kind(), io.to_string()),
        _ => io::Error::other(e),
    }
}

/// Writes a Markdown table (time, severity, node, source, message, evidence).
pub fn timeline_markdown<W: Write, E: Borrow<TimelineEntry>, I>(
    out: W,
    entries: I,
    content: &dyn ContentSource,
) -> io::Result<()>
where
    I: IntoIterator<Item = E>,
    I::IntoIter: ExactSizeIterator,
{
    let entries = entries.into_iter();
    let mut out = BufWriter::new(out);
    writeln!(out, "# Timeline\n")?;
    writeln!(out, "{} entries, times in UTC.\n", entries.len())?;
    writeln!(
        out,
        "| Time (UTC) | Severity | Node | Source | What | Message | Evidence |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for row in rows(entries, content) {
        let evidence = match row.line {
            Some(l) => format!("{}: {}:{l}", row.archive, row.path),
            None => format!("{}: {}", row.archive, row.path),
        };
        let what = match &row.rule {
            Some(r) => format!("{} ({r})", row.timestamp_desc),
            None => row.timestamp_desc.clone(),
        };
        let source = match &row.namespace {
            Some(ns) => format!("{} {ns}", row.source),
            None => row.source.clone(),
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.datetime.replace("+00:00", "Z"),
            row.severity.as_str(),
            cell(row.node.as_deref().unwrap_or("")),
            cell(&source),
            cell(&what),
            code(&row.message),
            code(&evidence),
        )?;
    }
    out.flush()
}

/// Plain text for a table cell: one line, `|` escaped, HTML-ish brackets neutralized.
fn cell(s: &str) -> String {
    one_line(s)
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A code span for a table cell: a backtick fence longer than any run inside, `|` escaped
/// (GitHub-flavoured tables split on it even inside code).
fn code(s: &str) -> String {
    let s = one_line(s).replace('|', "\\|");
    if s.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A byte count for people: `512 B`, `5.9 MiB`, `1.2 GiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::borrow::Cow;

    use casefile_model::{ArtifactId, Provenance};

    use super::*;

    struct Names;

    impl ContentSource for Names {
        fn content(&self, _: ArtifactId) -> Option<Cow<'_, [u8]>> {
            None
        }
        fn path(&self, a: ArtifactId) -> &str {
            match a.entry {
                0 => "host_service_logs/masters/kubelet_service.log",
                _ => "namespaces/openshift-operator-lifecycle-manager/core/events.yaml",
            }
        }
        fn archive_label(&self, a: ArchiveId) -> String {
            format!("testdata/case/archive-{}.tar.gz", a.0)
        }
    }

    fn entries() -> Vec<TimelineEntry> {
        vec![
            TimelineEntry {
                at: "2024-02-09T08:13:52.927979Z".parse().unwrap(),
                time_desc: "kubelet journal entry".into(),
                source: "journal".into(),
                node: Some("ip-10-0-22-198.eu-central-1.compute.internal".into()),
                namespace: None,
                severity: Severity::Critical,
                rule: Some("kubelet-api-tls-unknown-authority".into()),
                message: r#"kubenswrapper[2709]: E0209 08:13:52.927979 "Unable to register node with API server" err="Post \"https://api-int.x:6443/api/v1/nodes\": x509: certificate signed by unknown authority""#.into(),
                provenance: Provenance::at(ArtifactId::new(ArchiveId(0), 0), 1234, 99),
            },
            TimelineEntry {
                at: "2024-02-09T10:45:02Z".parse().unwrap(),
                time_desc: "event first seen".into(),
                source: "event".into(),
                node: None,
                namespace: Some("openshift-operator-lifecycle-manager".into()),
                severity: Severity::Warning,
                rule: None,
                message: "Warning FailedCreatePodSandBox x3675 Pod/p: (combined from similar events): a|b, \"quoted\", `tick`\nsecond line <nil>".into(),
                provenance: Provenance::file(ArtifactId::new(ArchiveId(1), 1)),
            },
        ]
    }

    fn parsed_back(rows: &[TimelineRow]) {
        let e = entries();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].datetime, "2024-02-09T08:13:52.927979+00:00");
        assert_eq!(rows[0].timestamp, 1_707_466_432_927_979);
        assert_eq!(rows[0].timestamp_desc, "kubelet journal entry");
        assert_eq!(rows[0].message, e[0].message);
        assert_eq!(rows[0].severity, Severity::Critical);
        assert_eq!(
            rows[0].rule.as_deref(),
            Some("kubelet-api-tls-unknown-authority")
        );
        assert_eq!(rows[0].archive, "testdata/case/archive-0.tar.gz");
        assert_eq!(
            rows[0].path,
            "host_service_logs/masters/kubelet_service.log"
        );
        assert_eq!(rows[0].line, Some(1234));
        assert_eq!(rows[0].node.as_deref(), e[0].node.as_deref());
        assert_eq!(rows[1].datetime, "2024-02-09T10:45:02.000000+00:00");
        assert_eq!(rows[1].message, e[1].message);
        assert_eq!(rows[1].node, None);
        assert_eq!(
            rows[1].namespace.as_deref(),
            Some("openshift-operator-lifecycle-manager")
        );
        assert_eq!(rows[1].line, None);
        assert_eq!(rows[1].archive, "testdata/case/archive-1.tar.gz");
    }

    #[test]
    fn jsonl_parses_back() {
        let mut out = Vec::new();
        timeline_jsonl(&mut out, entries(), &Names).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        let rows: Vec<TimelineRow> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        parsed_back(&rows);
        // Mandatory Timesketch keys are present in every object; absent values are null.
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for k in COLUMNS {
                assert!(v.get(k).is_some(), "{k}");
            }
        }
        assert!(text.lines().nth(1).unwrap().contains("\"node\":null"));
    }

    #[test]
    fn csv_parses_back() {
        let mut out = Vec::new();
        timeline_csv(&mut out, entries(), &Names).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, COLUMNS);
        let rows: Vec<TimelineRow> = r.deserialize().map(Result::unwrap).collect();
        parsed_back(&rows);
    }

    #[test]
    fn empty_timelines_are_valid() {
        let mut out = Vec::new();
        timeline_jsonl(&mut out, &[], &Names).unwrap();
        assert!(out.is_empty());
        let mut out = Vec::new();
        timeline_csv(&mut out, &[], &Names).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().trim(), COLUMNS.join(","));
    }

    #[test]
    fn markdown_table_is_well_formed() {
        let mut out = Vec::new();
        timeline_markdown(&mut out, entries(), &Names).unwrap();
        let text = String::from_utf8(out).unwrap();
        let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(table.len(), 4);
        // Same number of unescaped cell separators on every row.
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        assert!(table.iter().all(|l| cells(l) == cells(table[0])), "{text}");
        assert!(table[2].starts_with("| 2024-02-09T08:13:52.927979Z | critical | ip-10-0-22-198"));
        assert!(table[2].contains("kubelet journal entry (kubelet-api-tls-unknown-authority)"));
        assert!(table[2].contains(
            "`testdata/case/archive-0.tar.gz: host_service_logs/masters/kubelet_service.log:1234`"
        ));
        // Backticks inside a message get a longer fence; newlines are folded.
        assert!(table[3].contains("``Warning FailedCreatePodSandBox"));
        assert!(table[3].contains("a\\|b"));
        assert!(!text.contains("\nsecond line"));
    }

    #[test]
    fn datetime_is_rfc3339_utc_micro() {
        let at: Timestamp = "2024-02-29T23:59:59.999999999Z".parse().unwrap();
        assert_eq!(datetime(at), "2024-02-29T23:59:59.999999+00:00");
        let parsed: Timestamp = datetime(at).parse().unwrap();
        assert_eq!(parsed.as_microsecond(), at.as_microsecond());
    }

    #[test]
    fn human_bytes_units() {
        let cases = [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KiB"),
            (6_186_598, "5.9 MiB"),
            (1 << 40, "1.0 TiB"),
        ];
        for (n, want) in cases {
            assert_eq!(super::human_bytes(n), want, "{n}");
        }
    }
}
