//! `casefile timeline`: the merged timeline of a case, as Timesketch-ready JSONL or CSV, or
//! as Markdown.
//!
//! Times given to `--since` / `--until` are RFC 3339 (a bare `YYYY-MM-DD[THH:MM:SS]` is read
//! as UTC) or relative to the case's collection time: `-2h` (or `2h`) is two hours before it,
//! `+30m` thirty minutes after, `now` the collection time itself. Never the wall clock.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use casefile::{RuleSet, TimelineFilter};
use casefile_model::{Severity, Timestamp};
use jiff::SignedDuration;

use crate::cli::{Global, TimelineFormat};

/// A `timeline` query.
pub struct Query<'a> {
    /// Output format.
    pub format: TimelineFormat,
    /// Lower time bound as given.
    pub since: Option<&'a str>,
    /// Upper time bound as given.
    pub until: Option<&'a str>,
    /// Nodes to keep.
    pub nodes: &'a [String],
    /// Sources to keep.
    pub sources: &'a [String],
    /// Extra rules files.
    pub rules: &'a [PathBuf],
    /// Lowest severity kept, as given.
    pub min_severity: &'a str,
}

/// Runs `casefile timeline`.
pub fn run(global: &Global, archives: &[PathBuf], q: &Query<'_>) -> anyhow::Result<ExitCode> {
    let min_severity = parse_severity(q.min_severity)?;
    // Check the syntax of the time bounds before the (slow) opening of the case.
    for (flag, value) in [("--since", q.since), ("--until", q.until)] {
        if let Some(s) = value {
            parse_time(s, Some(Timestamp::UNIX_EPOCH))
                .with_context(|| format!("invalid {flag} {s:?}"))?;
        }
    }
    let mut rules = RuleSet::builtin();
    for path in q.rules {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rules file {}", path.display()))?;
        let extra = RuleSet::from_yaml(&text)
            .with_context(|| format!("in rules file {}", path.display()))?;
        rules.extend(extra);
    }
    let case = super::open_case_with(global, archives, rules)?;
    if !global.quiet {
        for d in case.decode_warnings() {
            let archive = case.archive_label(d.archive);
            eprintln!("warning: {archive}: {}: {}", d.path, d.message);
        }
    }
    let now = case.snapshot().collected_at;
    let since = q
        .since
        .map(|s| parse_time(s, now).with_context(|| format!("invalid --since {s:?}")))
        .transpose()?;
    let until = q
        .until
        .map(|s| parse_time(s, now).with_context(|| format!("invalid --until {s:?}")))
        .transpose()?;
    let mut filter = TimelineFilter::new()
        .nodes(q.nodes)
        .sources(q.sources)
        .min_severity(min_severity)
        .trust_events(false);
    filter.since = since;
    filter.until = until;
    let tl = case.timeline_stream(&filter);
    if !global.quiet {
        for gap in tl.coverage().iter().filter(|c| c.is_gap()) {
            if let Some(note) = &gap.note {
                eprintln!("note: {note}");
            }
        }
    }
    // Rendered as they come: a whole-case timeline is about a million entries, never all
    // held at once.
    let render = |out: &mut dyn io::Write, tl| match q.format {
        TimelineFormat::Jsonl => casefile_export::timeline_jsonl(out, tl, case.content()),
        TimelineFormat::Csv => casefile_export::timeline_csv(out, tl, case.content()),
        TimelineFormat::Markdown => casefile_export::timeline_markdown(out, tl, case.content()),
    };
    let written = if global.redact {
        // Redaction numbers its tokens in order of first appearance over the whole text,
        // so the text is rendered whole first.
        let mut buf: Vec<u8> = Vec::new();
        render(&mut buf, tl).context("cannot render the timeline")?;
        let text = String::from_utf8_lossy(&buf);
        let redacted = casefile_export::redact::Redactor::for_snapshot(case.snapshot())
            .apply(&text)
            .into_bytes();
        drop(buf);
        io::stdout().lock().write_all(&redacted)
    } else {
        // Streamed: a whole-case export is hundreds of MB, never held in memory.
        render(&mut io::stdout().lock(), tl)
    };
    match written {
        Ok(()) => {}
        // `casefile timeline ... | head` is fine.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write the timeline"),
    }
    let _ = io::stderr().flush();
    Ok(ExitCode::SUCCESS)
}

fn parse_severity(s: &str) -> anyhow::Result<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "info" => Ok(Severity::Info),
        "warning" | "warn" => Ok(Severity::Warning),
        "critical" | "crit" => Ok(Severity::Critical),
        other => bail!("invalid --min-severity {other:?} (info, warning or critical)"),
    }
}

/// An instant: RFC 3339, a civil date/time read as UTC, or a duration relative to the
/// collection time `now` (`-2h`, `2h`, `+30m`, `1d12h`, `now`).
pub fn parse_time(s: &str, now: Option<Timestamp>) -> anyhow::Result<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Ok(jiff::tz::TimeZone::UTC
            .to_ambiguous_timestamp(dt)
            .unambiguous()?);
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Ok(jiff::tz::TimeZone::UTC
            .to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .unambiguous()?);
    }
    let relative = |d: SignedDuration| -> anyhow::Result<Timestamp> {
        let now = now.ok_or_else(|| {
            anyhow!("relative times count from the collection time, and this case has none")
        })?;
        now.checked_add(d).map_err(|_| anyhow!("out of range"))
    };
    if s.eq_ignore_ascii_case("now") {
        return relative(SignedDuration::ZERO);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => (-1, s),
    };
    let d = parse_duration(rest)
        .ok_or_else(|| anyhow!("expected RFC 3339 (2024-02-09T06:45:00Z) or a duration relative to the collection time (-2h, -90m, -1d12h)"))?;
    relative(if sign < 0 { -d } else { d })
}

/// `1d12h`, `90m`, `30s`, `2w`: digits followed by a unit, repeated.
fn parse_duration(s: &str) -> Option<SignedDuration> {
    if s.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        let secs = match c {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(secs)?)?;
    }
    if !num.is_empty() {
        return None;
    }
    Some(SignedDuration::from_secs(total))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn times_absolute_and_relative_to_collection() {
        let now = Some(ts("2024-02-10T05:40:12.31Z"));
        let cases = [
            ("2024-02-09T06:45:04Z", "2024-02-09T06:45:04Z"),
            ("2024-02-09T07:45:04+01:00", "2024-02-09T06:45:04Z"),
            ("2024-02-09T06:45:04", "2024-02-09T06:45:04Z"),
            ("2024-02-09", "2024-02-09T00:00:00Z"),
            ("-2h", "2024-02-10T03:40:12.31Z"),
            ("2h", "2024-02-10T03:40:12.31Z"),
            ("-1d12h", "2024-02-08T17:40:12.31Z"),
            ("+30m", "2024-02-10T06:10:12.31Z"),
            ("now", "2024-02-10T05:40:12.31Z"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_time(input, now).unwrap(), ts(want), "{input}");
        }
        for bad in ["", "-", "-2x", "yesterday", "2h30", "--2h"] {
            assert!(parse_time(bad, now).is_err(), "{bad}");
        }
        let e = parse_time("-2h", None).unwrap_err().to_string();
        assert!(e.contains("collection time"), "{e}");
        // Absolute times need no collection time.
        assert!(parse_time("2024-02-09T06:45:04Z", None).is_ok());
    }

    #[test]
    fn severities() {
        assert_eq!(parse_severity("Critical").unwrap(), Severity::Critical);
        assert_eq!(parse_severity("warn").unwrap(), Severity::Warning);
        assert!(parse_severity("fatal").is_err());
    }
}
