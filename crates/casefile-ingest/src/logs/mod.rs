//! Log and journal parsing: splits a file into [`LogRecord`]s with times and levels.
//!
//! [`parse_records`] works on raw bytes (invalid UTF-8 and CRLF are fine) and is linear in
//! the input, also for very long lines: lines are found with `memchr`, every prefix parser
//! looks at a bounded number of bytes, and nothing is allocated per line. The journal host
//! and identifier are kept as [`LineSpan`]s into the record's first line instead of
//! `String`s; [`LogRecord::host`] / [`LogRecord::ident`] give the bytes back.
//!
//! A line that does not start with the format's time prefix (a multi-line `err=<` block,
//! a Go panic, pretty-printed JSON, an empty line) continues the previous record; lines
//! before the first record form a record without a time. journald header lines
//! (`-- Logs begin at … --`, `-- No entries --`, `-- Boot … --`, `-- Reboot --`) belong
//! to no record.
//!
//! In pod logs every line has its own `oc` prefix, so each line is a record (a multi-line
//! klog `err=<` block becomes several records with the same prefix time). In raw CRI logs a
//! partial (`P`) line and the lines that complete it form one record; the completing lines
//! keep their CRI prefix inside [`LogRecord::text`].
//!
//! Times: `at` is the transport prefix (journal, `oc`, CRI); `inner_at` is whatever time
//! the message itself starts with (klog, logrus `time=`, Multus, OVS, `NetworkManager`),
//! set whenever present, even when equal to `at`. Year-less journal times come from the
//! [`YearResolver`]; year-less klog times inside a message take the year nearest to `at`.
//! journald `short*` text is read as UTC (must-gather passes `--utc`; a sosreport from a
//! node with a non-UTC zone would be off by its offset).

mod inner;
mod journal;

use casefile_model::log::LineSpan;
use casefile_model::{LogFormat, LogLevel, LogRecord};
use jiff::Timestamp;
use memchr::memchr;

use crate::timefmt::{YearResolver, iso_prefix, parse_journal_prefix, parse_klog_header};

/// Parses `data` (a whole log file) in the given format into records, in file order.
///
/// `years` gives the year to journal and klog times that have none (anchor it on the
/// archive's collection time). Never panics; unknown lines are kept as continuations.
pub fn parse_records(data: &[u8], format: LogFormat, years: &YearResolver) -> Vec<LogRecord> {
    let mut out = Vec::with_capacity((data.len() / 256).min(1 << 16));
    for_each_record(data, format, years, |r| out.push(r.clone()));
    out
}

/// Like [`parse_records`], handing each record to `f` in order instead of collecting them:
/// memory stays constant however long the file (a node journal can hold millions).
pub fn for_each_record(
    data: &[u8],
    format: LogFormat,
    years: &YearResolver,
    mut f: impl FnMut(&LogRecord),
) {
    let mut out = Records::new();
    for line in Lines::new(data) {
        let parsed = match format {
            LogFormat::Journal => journal::parse(line.text, years),
            LogFormat::PodLog => parse_pod_line(line.text),
            LogFormat::CriRaw => parse_cri_line(line.text),
            LogFormat::Klog => parse_klog_line(line.text, years),
            _ => parse_plain_line(line.text),
        };
        out.push(&line, parsed);
        // Only the last record may still grow (continuation lines): hand over the others.
        if out.out.len() > 1 {
            let last = out.out.pop();
            out.out.drain(..).for_each(|r| f(&r));
            out.out.extend(last);
        }
    }
    out.out.drain(..).for_each(|r| f(&r));
}

/// Guesses the format from the first bytes of a file (a few KiB are plenty; a cut last
/// line is fine). Looks at up to 32 non-empty lines and decides on the first line that
/// has a known time prefix; [`LogFormat::Plain`] when none has.
pub fn sniff_format(first_bytes: &[u8]) -> LogFormat {
    for line in Lines::new(first_bytes)
        .filter(|l| !l.text.trim_ascii().is_empty())
        .take(32)
    {
        let t = line.text;
        if journal::is_header(t) {
            return LogFormat::Journal;
        }
        if let Some((_, n)) = parse_journal_prefix(t)
            && ends_or_space(t, n)
        {
            return LogFormat::Journal;
        }
        if let Some((_, _, n)) = iso_prefix(t)
            && ends_or_space(t, n)
        {
            let rest = t.get(n..).unwrap_or_default();
            if rest.starts_with(b" stdout ") || rest.starts_with(b" stderr ") {
                return LogFormat::CriRaw;
            }
            // journald short-iso writes `+0000`; oc and Multus write `Z` or `+00:00`.
            let basic_offset = t
                .get(n.saturating_sub(5))
                .is_some_and(|b| matches!(b, b'+' | b'-'));
            let colon_offset = t.get(n.saturating_sub(3)) == Some(&b':')
                && t.get(n.saturating_sub(6))
                    .is_some_and(|b| matches!(b, b'+' | b'-'));
            if basic_offset || (colon_offset && journal::has_pid_fields(t, n + 1)) {
                return LogFormat::Journal;
            }
            return LogFormat::PodLog;
        }
        if parse_klog_header(t).is_some() {
            return LogFormat::Klog;
        }
    }
    LogFormat::Plain
}

/// True when `s` ends at `n` or has a space there.
#[inline]
fn ends_or_space(s: &[u8], n: usize) -> bool {
    s.len() == n || s.get(n) == Some(&b' ')
}

#[inline]
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A line of the input, without its `\n` / `\r\n`.
struct Line<'a> {
    /// 1-based line number.
    no: u32,
    /// Offset of the first byte.
    start: usize,
    /// Offset one past the last byte (before the line terminator).
    end: usize,
    text: &'a [u8],
}

/// Line iterator over bytes (`memchr`), tolerant of CRLF and a missing final newline.
struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
    no: u32,
}

impl<'a> Lines<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            no: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let rest = self.data.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        let (len, next) = match memchr(b'\n', rest) {
            Some(i) => (i, start + i + 1),
            None => (rest.len(), self.data.len()),
        };
        let mut text = rest.get(..len)?;
        if let [head @ .., b'\r'] = text {
            text = head;
        }
        self.pos = next;
        self.no = self.no.saturating_add(1);
        Some(Line {
            no: self.no,
            start,
            end: start + text.len(),
            text,
        })
    }
}

/// What one line is.
#[derive(Debug)]
enum Parsed {
    /// Not part of any record (journald header).
    Skip,
    /// Continues the previous record.
    Continue,
    /// Starts a record.
    Record(Head),
}

/// The parsed first line of a record (offsets relative to the line).
#[derive(Debug, Default)]
struct Head {
    at: Option<Timestamp>,
    inner_at: Option<Timestamp>,
    level: Option<LogLevel>,
    host: Option<LineSpan>,
    ident: Option<LineSpan>,
    pid: Option<u32>,
    msg_start: usize,
    year_inferred: bool,
    /// CRI: the stream (`true` = stderr) of a partial (`P`) line, continued by the next line.
    partial: Option<bool>,
    /// CRI: the stream of this line (`true` = stderr).
    stderr: bool,
}

/// Collects records and attaches continuation lines.
struct Records {
    out: Vec<LogRecord>,
    /// The last record may take continuation lines (false after a journald header).
    open: bool,
    /// CRI: the last record ended with a partial line on this stream.
    partial: Option<bool>,
}

impl Records {
    fn new() -> Self {
        // At most two records are held: the open one and the one just started.
        Self {
            out: Vec::with_capacity(2),
            open: false,
            partial: None,
        }
    }

    fn push(&mut self, line: &Line<'_>, parsed: Parsed) {
        match parsed {
            Parsed::Skip => {
                self.open = false;
                self.partial = None;
            }
            Parsed::Continue => {
                self.partial = None;
                if !self.extend(line) {
                    self.start(line, &Head::default());
                }
            }
            Parsed::Record(head) => {
                let joins = self.partial == Some(head.stderr);
                self.partial = head.partial;
                if !(joins && self.extend(line)) {
                    self.start(line, &head);
                }
            }
        }
    }

    /// Extends the last record to `line`; false when there is no open record.
    fn extend(&mut self, line: &Line<'_>) -> bool {
        match self.out.last_mut() {
            Some(last) if self.open => {
                last.end_line = line.no;
                last.end = line.end as u64;
                true
            }
            _ => false,
        }
    }

    fn start(&mut self, line: &Line<'_>, head: &Head) {
        self.open = true;
        self.out.push(LogRecord {
            line: line.no,
            end_line: line.no,
            start: line.start as u64,
            end: line.end as u64,
            at: head.at,
            inner_at: head.inner_at,
            level: head.level,
            host: head.host,
            ident: head.ident,
            pid: head.pid,
            msg_start: to_u32(head.msg_start.min(line.text.len())),
            year_inferred: head.year_inferred,
        });
    }
}

/// `oc logs --timestamps`: RFC 3339 prefix, a space, the container line.
fn parse_pod_line(line: &[u8]) -> Parsed {
    let Some((civil, off, n)) = iso_prefix(line) else {
        return Parsed::Continue;
    };
    if !ends_or_space(line, n) {
        return Parsed::Continue;
    }
    let msg_start = (n + 1).min(line.len());
    let inner = inner::parse(
        line.get(msg_start..).unwrap_or_default(),
        Some((civil.year, civil.month)),
    );
    Parsed::Record(Head {
        at: civil.to_timestamp(off),
        inner_at: inner.at,
        level: inner.level,
        msg_start,
        ..Head::default()
    })
}

/// Raw CRI log line: `<RFC 3339> <stdout|stderr> <tag> <msg>`; tag `P` marks a partial line
/// that the next line of the same stream continues.
fn parse_cri_line(line: &[u8]) -> Parsed {
    let Some((civil, off, n)) = iso_prefix(line) else {
        return Parsed::Continue;
    };
    if !ends_or_space(line, n) {
        return Parsed::Continue;
    }
    let mut head = Head {
        at: civil.to_timestamp(off),
        msg_start: (n + 1).min(line.len()),
        ..Head::default()
    };
    let rest = line.get(n + 1..).unwrap_or_default();
    let stream = if rest.starts_with(b"stdout ") {
        Some(false)
    } else if rest.starts_with(b"stderr ") {
        Some(true)
    } else {
        None
    };
    if let Some(stderr) = stream {
        head.stderr = stderr;
        let tags_at = n + 1 + 7;
        let tags = line.get(tags_at..).unwrap_or_default();
        let tags = tags
            .get(..memchr(b' ', tags).unwrap_or(tags.len()))
            .unwrap_or_default();
        let first_tag = tags.split(|&b| b == b':').next().unwrap_or_default();
        if first_tag == b"P" {
            head.partial = Some(stderr);
        }
        head.msg_start = (tags_at + tags.len() + 1).min(line.len());
    }
    let inner = inner::parse(
        line.get(head.msg_start..).unwrap_or_default(),
        Some((civil.year, civil.month)),
    );
    head.inner_at = inner.at;
    head.level = inner.level;
    Parsed::Record(head)
}

/// Bare klog: the header gives the time (year from the resolver) and the level.
fn parse_klog_line(line: &[u8], years: &YearResolver) -> Parsed {
    match parse_klog_header(line) {
        Some((level, mdt, _)) => {
            let at = years.resolve(mdt);
            Parsed::Record(Head {
                at,
                level: Some(level),
                year_inferred: at.is_some(),
                ..Head::default()
            })
        }
        None => Parsed::Continue,
    }
}

/// Unknown format: every non-empty line is a record without a time; levels are still read.
fn parse_plain_line(line: &[u8]) -> Parsed {
    if line.trim_ascii().is_empty() {
        return Parsed::Continue;
    }
    Parsed::Record(Head {
        level: inner::parse(line, None).level,
        ..Head::default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn years(reference: &str) -> YearResolver {
        YearResolver::new(reference.parse().unwrap())
    }

    /// One line per record: `lines at[~] level inner host/ident/pid message`
    /// (`~` marks an inferred year, `-` an absent value).
    fn show(data: &[u8], recs: &[LogRecord]) -> Vec<String> {
        let s = |b: Option<&[u8]>| {
            b.map_or_else(
                || "-".to_owned(),
                |b| String::from_utf8_lossy(b).into_owned(),
            )
        };
        let t = |t: Option<Timestamp>| t.map_or_else(|| "-".to_owned(), |t| t.to_string());
        recs.iter()
            .map(|r| {
                format!(
                    "{}-{} {}{} {} {} {}/{}/{} {}",
                    r.line,
                    r.end_line,
                    t(r.at),
                    if r.year_inferred { "~" } else { "" },
                    r.level.map_or("-", LogLevel::as_str),
                    t(r.inner_at),
                    s(r.host(data)),
                    s(r.ident(data)),
                    r.pid.map_or_else(|| "-".to_owned(), |p| p.to_string()),
                    String::from_utf8_lossy(r.message(data)),
                )
            })
            .collect()
    }

    /// Structural invariants every result must satisfy.
    fn check_invariants(data: &[u8], recs: &[LogRecord]) {
        let mut prev_end = 0u64;
        let mut prev_line = 0u32;
        for r in recs {
            assert!(r.start >= prev_end, "records overlap: {r:?}");
            assert!(
                r.start <= r.end && r.end <= data.len() as u64,
                "bad range: {r:?}"
            );
            assert!(
                r.line > prev_line && r.line <= r.end_line,
                "bad lines: {r:?}"
            );
            let first_line_len = r.text(data).split(|&b| b == b'\n').next().unwrap().len();
            assert!(
                r.msg_start as usize <= first_line_len,
                "msg_start past line: {r:?}"
            );
            for span in [r.host, r.ident].into_iter().flatten() {
                assert!(span.start <= span.end && span.end as usize <= first_line_len);
            }
            prev_end = r.end;
            prev_line = r.end_line;
        }
    }

    fn check(data: &[u8], format: LogFormat, reference: &str, want: &[&str]) {
        let recs = parse_records(data, format, &years(reference));
        check_invariants(data, &recs);
        let got = show(data, &recs);
        assert_eq!(got, want, "\n got: {got:#?}");
    }

    #[test]
    fn journal_short_precise() {
        let data = b"-- Logs begin at Tue 2021-08-03 09:10:29 UTC, end at Tue 2021-08-03 10:13:48 UTC. --
-- No entries --
Aug 03 09:17:42.077259 ip-10-0-195-177 systemd[1]: Starting Kubernetes Kubelet...
Aug 03 09:17:48.107412 ip-10-0-195-177 hyperkube[1354]: E0803 09:17:48.107280    1354 kubelet.go:2223] \"Container runtime network not ready\"
Aug 03 09:21:22.276786 ip-10-0-195-177 crio[1314]: time=\"2021-08-03 09:21:22.276784981Z\" level=info msg=\"Adding pod\"
Aug 03 09:20:20.302827 ip-10-0-195-177 crio[1314]: 2021-08-03T09:20:20Z [error] Multus: failed
Aug 03 09:15:59.508959 ip-10-0-195-177 NetworkManager[1562]: <info>  [1627982159.5086] NetworkManager is starting
Aug 03 09:24:39.412405 ip-10-0-187-218 hyperkube[1373]: E0803 09:24:39.412089    1373 kuberuntime_manager.go:790] \"CreatePodSandbox for pod failed\" err=<
                                                        rpc error: code = Unknown
                                                 >
-- Logs begin at Tue 2021-08-03 09:12:17 UTC, end at Tue 2021-08-03 10:13:43 UTC. --
Aug 03 09:17:40.991466 localhost ovs-vsctl[1174]: ovs|00001|vsctl|INFO|Called as ovs-vsctl
Aug 03 09:17:41.000000 localhost kernel: hello\r
goroutine 1 [running]:\r
Aug 03 09:17:41 host2 sh[1]: short format \xff\xfe bytes
Apr 08 20:08:50  cluster-bootstrap[96008]: W0408 20:08:50.339870       1 reflector.go:533] failed
2021-08-03T09:17:41+0000 host3 crio[7]: level=warning msg=x
";
        check(
            data,
            LogFormat::Journal,
            "2021-08-03T10:12:00.016988581Z",
            &[
                "3-3 2021-08-03T09:17:42.077259Z~ - - ip-10-0-195-177/systemd/1 Starting Kubernetes Kubelet...",
                "4-4 2021-08-03T09:17:48.107412Z~ error 2021-08-03T09:17:48.10728Z ip-10-0-195-177/hyperkube/1354 E0803 09:17:48.107280    1354 kubelet.go:2223] \"Container runtime network not ready\"",
                "5-5 2021-08-03T09:21:22.276786Z~ info 2021-08-03T09:21:22.276784981Z ip-10-0-195-177/crio/1314 time=\"2021-08-03 09:21:22.276784981Z\" level=info msg=\"Adding pod\"",
                "6-6 2021-08-03T09:20:20.302827Z~ error 2021-08-03T09:20:20Z ip-10-0-195-177/crio/1314 2021-08-03T09:20:20Z [error] Multus: failed",
                "7-7 2021-08-03T09:15:59.508959Z~ info 2021-08-03T09:15:59.5086Z ip-10-0-195-177/NetworkManager/1562 <info>  [1627982159.5086] NetworkManager is starting",
                "8-10 2021-08-03T09:24:39.412405Z~ error 2021-08-03T09:24:39.412089Z ip-10-0-187-218/hyperkube/1373 E0803 09:24:39.412089    1373 kuberuntime_manager.go:790] \"CreatePodSandbox for pod failed\" err=<\n                                                        rpc error: code = Unknown\n                                                 >",
                "12-12 2021-08-03T09:17:40.991466Z~ info - localhost/ovs-vsctl/1174 ovs|00001|vsctl|INFO|Called as ovs-vsctl",
                "13-14 2021-08-03T09:17:41Z~ - - localhost/kernel/- hello\r\ngoroutine 1 [running]:",
                "15-15 2021-08-03T09:17:41Z~ - - host2/sh/1 short format \u{fffd}\u{fffd} bytes",
                "16-16 2021-04-08T20:08:50Z~ warning 2021-04-08T20:08:50.33987Z -/cluster-bootstrap/96008 W0408 20:08:50.339870       1 reflector.go:533] failed",
                "17-17 2021-08-03T09:17:41Z warning - host3/crio/7 level=warning msg=x",
            ],
        );
    }

    #[test]
    fn journal_orphans_headers_and_bad_dates() {
        let data = b"panic: boom

goroutine 1 [running]:
Aug 03 09:17:42 h a[1]: first
  continued
-- Reboot --
  orphan after header
Feb 29 10:00:00 h a[1]: no such day in 2021
Feb 30 10:00:00 h a[1]: not a date at all
Aug 03 09:17:42.077259h a[1]: glued host
Aug 03 09:17:43 h a[1]: last";
        check(
            data,
            LogFormat::Journal,
            "2021-08-03T10:12:00Z",
            &[
                "1-3 - - - -/-/- panic: boom\n\ngoroutine 1 [running]:",
                "4-5 2021-08-03T09:17:42Z~ - - h/a/1 first\n  continued",
                "7-7 - - - -/-/-   orphan after header",
                "8-10 - - - h/a/1 no such day in 2021\nFeb 30 10:00:00 h a[1]: not a date at all\nAug 03 09:17:42.077259h a[1]: glued host",
                "11-11 2021-08-03T09:17:43Z~ - - h/a/1 last",
            ],
        );
    }

    #[test]
    fn journal_new_year_rollover() {
        // collected on Jan 2: December lines are from the year before, and a klog time
        // inside a December line stays in that year even when the prefix crosses midnight
        let data = b"Dec 31 23:59:59.999990 h kubenswrapper[1]: I1231 23:59:59.999900 1 a.go:1] x
Jan 01 00:00:00.000100 h kubenswrapper[1]: I1231 23:59:59.999990 1 a.go:1] late
Jan 01 00:00:00.000200 h kubenswrapper[1]: I0101 00:00:00.000100 1 a.go:1] y
";
        check(
            data,
            LogFormat::Journal,
            "2022-01-02T08:00:00Z",
            &[
                "1-1 2021-12-31T23:59:59.99999Z~ info 2021-12-31T23:59:59.9999Z h/kubenswrapper/1 I1231 23:59:59.999900 1 a.go:1] x",
                "2-2 2022-01-01T00:00:00.0001Z~ info 2021-12-31T23:59:59.99999Z h/kubenswrapper/1 I1231 23:59:59.999990 1 a.go:1] late",
                "3-3 2022-01-01T00:00:00.0002Z~ info 2022-01-01T00:00:00.0001Z h/kubenswrapper/1 I0101 00:00:00.000100 1 a.go:1] y",
            ],
        );
    }

    #[test]
    fn pod_log() {
        let data = b"2021-08-03T09:20:48.612065690Z Successfully copied files
2021-08-03T09:20:48.741475090Z 2021-08-03T09:20:48+00:00 WARN: {unknown parameter \"-\"}
2021-08-03T09:18:29.911385129Z W0803 09:18:29.911358    2427 subnets.go:160] Could not find
2021-08-03T09:31:09.205222622Z I0803 09:31:09.204593       1 cmd.go:42] (*prune.PruneOptions)(0xc00055a870)({
2021-08-03T09:31:09.205222622Z  MaxEligibleRevision: (int) 9,
goroutine 7 [running]:
\tmain.go:12
2021-08-03T09:45:19.861139627Z 
2021-08-03T09:45:19.861139627Z
2021-08-03T11:45:19+02:00 offset
2021-08-03T09:45:19.861139627Zglued
";
        check(
            data,
            LogFormat::PodLog,
            "2021-08-03T10:12:00Z",
            &[
                "1-1 2021-08-03T09:20:48.61206569Z - - -/-/- Successfully copied files",
                "2-2 2021-08-03T09:20:48.74147509Z warning 2021-08-03T09:20:48Z -/-/- 2021-08-03T09:20:48+00:00 WARN: {unknown parameter \"-\"}",
                "3-3 2021-08-03T09:18:29.911385129Z warning 2021-08-03T09:18:29.911358Z -/-/- W0803 09:18:29.911358    2427 subnets.go:160] Could not find",
                "4-4 2021-08-03T09:31:09.205222622Z info 2021-08-03T09:31:09.204593Z -/-/- I0803 09:31:09.204593       1 cmd.go:42] (*prune.PruneOptions)(0xc00055a870)({",
                "5-7 2021-08-03T09:31:09.205222622Z - - -/-/-  MaxEligibleRevision: (int) 9,\ngoroutine 7 [running]:\n\tmain.go:12",
                "8-8 2021-08-03T09:45:19.861139627Z - - -/-/- ",
                "9-9 2021-08-03T09:45:19.861139627Z - - -/-/- ",
                "10-11 2021-08-03T09:45:19Z - - -/-/- offset\n2021-08-03T09:45:19.861139627Zglued",
            ],
        );
    }

    #[test]
    fn cri_raw() {
        let data = b"2024-01-02T03:04:05.123456789Z stdout F I0102 03:04:05.123000 1 a.go:1] full
2024-01-02T03:04:06.000000000Z stderr P first half 
2024-01-02T03:04:06.100000000Z stdout F interleaved
2024-01-02T03:04:06.200000000Z stderr P second 
2024-01-02T03:04:06.300000000Z stderr F third
2024-01-02T03:04:07Z stdout F:x tagged
2024-01-02T03:04:08Z weird line
";
        check(
            data,
            LogFormat::CriRaw,
            "2024-01-02T04:00:00Z",
            &[
                "1-1 2024-01-02T03:04:05.123456789Z info 2024-01-02T03:04:05.123Z -/-/- I0102 03:04:05.123000 1 a.go:1] full",
                "2-2 2024-01-02T03:04:06Z - - -/-/- first half ",
                "3-3 2024-01-02T03:04:06.1Z - - -/-/- interleaved",
                "4-5 2024-01-02T03:04:06.2Z - - -/-/- second \n2024-01-02T03:04:06.300000000Z stderr F third",
                "6-6 2024-01-02T03:04:07Z - - -/-/- tagged",
                "7-7 2024-01-02T03:04:08Z - - -/-/- weird line",
            ],
        );
    }

    #[test]
    fn bare_klog() {
        let data = b"I0211 19:03:32.472695   23328 server.go:225] \"Warning, all flags\"
E0211 12:12:40.265448    3873 kubelet_node_status.go:95] \"Unable to register node\" err=<
\tnodes is forbidden
 >
I0211 19:03:32 no fraction is not klog
F1231 23:00:00.000000 1 a.go:1] last year
";
        check(
            data,
            LogFormat::Klog,
            "2022-02-11T19:23:42Z",
            &[
                "1-1 2022-02-11T19:03:32.472695Z~ info - -/-/- I0211 19:03:32.472695   23328 server.go:225] \"Warning, all flags\"",
                "2-5 2022-02-11T12:12:40.265448Z~ error - -/-/- E0211 12:12:40.265448    3873 kubelet_node_status.go:95] \"Unable to register node\" err=<\n\tnodes is forbidden\n >\nI0211 19:03:32 no fraction is not klog",
                "6-6 2021-12-31T23:00:00Z~ fatal - -/-/- F1231 23:00:00.000000 1 a.go:1] last year",
            ],
        );
    }

    #[test]
    fn plain() {
        let data = b"first\n\n  indented\n[error] bad\nlevel=info msg=x\r\n";
        check(
            data,
            LogFormat::Plain,
            "2022-02-11T19:23:42Z",
            &[
                "1-2 - - - -/-/- first\n",
                "3-3 - - - -/-/-   indented",
                "4-4 - error - -/-/- [error] bad",
                "5-5 - info - -/-/- level=info msg=x",
            ],
        );
    }

    #[test]
    fn empty_and_header_only() {
        let y = years("2022-02-11T19:23:42Z");
        for format in [
            LogFormat::Journal,
            LogFormat::PodLog,
            LogFormat::CriRaw,
            LogFormat::Klog,
            LogFormat::Plain,
        ] {
            assert!(parse_records(b"", format, &y).is_empty(), "{format:?}");
        }
        let hotsos = b"-- Logs begin at Fri 2022-02-11 18:58:10 UTC, end at Fri 2022-02-11 19:23:41 UTC. --\n-- No entries --\n";
        assert!(parse_records(hotsos, LogFormat::Journal, &y).is_empty());
    }

    #[test]
    fn sniff_table() {
        let cases: &[(&str, LogFormat)] = &[
            (
                "-- Logs begin at Tue 2021-08-03 09:10:29 UTC, end at Tue 2021-08-03 10:13:48 UTC. --\n",
                LogFormat::Journal,
            ),
            ("-- No entries --\n", LogFormat::Journal),
            (
                "Dec 01 10:18:12.790701 qemtv-05-s8dvn-worker-0-8qpfm kubenswrapper[2929]: I1201 x\n",
                LogFormat::Journal,
            ),
            (
                "Feb 11 19:03:12 juju-110cc2-k8stest-4 systemd[1]: Started\n",
                LogFormat::Journal,
            ),
            (
                "2024-02-10T10:00:00+0000 host crio[1]: x\n",
                LogFormat::Journal,
            ),
            (
                "2024-02-10T10:00:00+00:00 host crio[1]: x\n",
                LogFormat::Journal,
            ),
            (
                "2021-08-03T09:20:48.612065690Z Successfully copied files\n",
                LogFormat::PodLog,
            ),
            ("2021-08-03T09:20:48+00:00 WARN: x\n", LogFormat::PodLog),
            ("2021-08-03T09:20:48.612065690Z\n", LogFormat::PodLog),
            (
                "2024-01-02T03:04:05.123456789Z stdout F msg\n",
                LogFormat::CriRaw,
            ),
            (
                "2024-01-02T03:04:05.123456789Z stderr P msg\n",
                LogFormat::CriRaw,
            ),
            (
                "I0803 09:17:43.005444    1354 file.go:123] msg\n",
                LogFormat::Klog,
            ),
            (
                "\n\n  \nE0211 12:12:40.265448    3873 x.go:95] y\n",
                LogFormat::Klog,
            ),
            (
                "goroutine 1 [running]:\nAug 03 09:17:42 h a[1]: x\n",
                LogFormat::Journal,
            ),
            // near misses
            ("Aug 03 09:17:42.077259h a[1]: x\n", LogFormat::Plain),
            ("2021-08-03T09:20:48.612065690Zx\n", LogFormat::Plain),
            ("2021-08-03 09:20:48.612065690Z x\n", LogFormat::Plain),
            (
                "I0803 09:17:43    1354 file.go:123] msg\n",
                LogFormat::Plain,
            ),
            ("{\"level\":\"info\"}\n", LogFormat::Plain),
            ("", LogFormat::Plain),
            ("\u{feff}hello", LogFormat::Plain),
            ("Aug 03 09:1", LogFormat::Plain),
        ];
        for (input, want) in cases {
            assert_eq!(sniff_format(input.as_bytes()), *want, "{input:?}");
        }
    }

    #[test]
    fn sniff_gives_up_after_32_lines() {
        let mut data = "x\n".repeat(32);
        data.push_str("Aug 03 09:17:42 h a[1]: x\n");
        assert_eq!(sniff_format(data.as_bytes()), LogFormat::Plain);
        let mut data = "x\n".repeat(31);
        data.push_str("Aug 03 09:17:42 h a[1]: x\n");
        assert_eq!(sniff_format(data.as_bytes()), LogFormat::Journal);
    }

    #[test]
    fn very_long_line_is_one_record() {
        let mut data = b"Aug 03 09:17:42 h a[1]: ".to_vec();
        data.resize(10 * 1024 * 1024, b'x');
        data.extend_from_slice(b"\nAug 03 09:17:43 h a[1]: next\n");
        let recs = parse_records(&data, LogFormat::Journal, &years("2021-08-03T10:12:00Z"));
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].end, 10 * 1024 * 1024);
        assert_eq!(recs[1].line, 2);
        let no_newline = vec![b'y'; 1024 * 1024];
        let recs = parse_records(
            &no_newline,
            LogFormat::Journal,
            &years("2021-08-03T10:12:00Z"),
        );
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].end, 1024 * 1024);
    }

    #[test]
    fn never_panics_on_cut_or_garbled_input() {
        let samples: &[&[u8]] = &[
            b"Aug 03 09:17:42.077259 ip-10-0-195-177 hyperkube[1354]: E0803 09:17:48.107280    1354 k.go:1] x\n",
            b"Aug 03 09:21:22.276786 h crio[1314]: time=\"2021-08-03 09:21:22.276784981Z\" level=info msg=x\n",
            b"Aug 03 09:15:59.508959 h NetworkManager[1562]: <info>  [1627982159.5086] x\n",
            b"2021-08-03T09:20:48.741475090Z 2021-08-03T09:20:48+00:00 WARN: x\n",
            b"2024-01-02T03:04:05.123456789Z stderr P msg\n",
            b"-- No entries --\r\n",
            b"ovs|00001|vsctl|INFO|x",
        ];
        let y = years("2021-08-03T10:12:00Z");
        for sample in samples {
            for end in 0..=sample.len() {
                let cut = &sample[..end];
                let _ = sniff_format(cut);
                for format in [
                    LogFormat::Journal,
                    LogFormat::PodLog,
                    LogFormat::CriRaw,
                    LogFormat::Klog,
                    LogFormat::Plain,
                ] {
                    let recs = parse_records(cut, format, &y);
                    check_invariants(cut, &recs);
                    // every byte of garbage still yields records when the line is not empty
                    let mut garbled = cut.to_vec();
                    for b in garbled.iter_mut().step_by(3) {
                        *b ^= 0x80;
                    }
                    let recs = parse_records(&garbled, format, &y);
                    check_invariants(&garbled, &recs);
                }
            }
        }
    }
}
