//! The text viewer's model: a file (evidence, YAML, describe output) or several logs merged
//! by time, as lines, with a cursor, the evidence line, search and display toggles.

use std::sync::{Arc, OnceLock};

use casefile_model::log::LogLevel;
use casefile_model::{ContentSource, LogFile, Provenance};
use regex::Regex;

use crate::redact;
use crate::widgets::Cursor;

/// One displayed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    /// The text (private keys masked).
    pub text: String,
    /// Byte offset where the text after a leading timestamp starts (0 when none).
    pub stamp_end: usize,
    /// Gutter label: the file's line number, or the container of a merged log line.
    pub gutter: String,
    /// Log level, when known.
    pub level: Option<LogLevel>,
}

impl TextLine {
    /// The text with or without its leading timestamp.
    pub fn shown(&self, timestamps: bool) -> &str {
        if timestamps {
            &self.text
        } else {
            self.text.get(self.stamp_end..).unwrap_or(&self.text)
        }
    }
}

/// How to colour the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Plain text or logs.
    Plain,
    /// YAML (keys and comments highlighted).
    Yaml,
}

/// The text viewer's state.
#[derive(Debug, Clone)]
pub struct TextState {
    /// Breadcrumb title (`kubelet journal:362`, `pod/x yaml`).
    pub title: String,
    /// Where the text comes from (archive and path), for the header.
    pub origin: String,
    /// The lines.
    pub lines: Arc<Vec<TextLine>>,
    /// The evidence line (0-based), highlighted.
    pub target: Option<usize>,
    /// Cursor and scroll offset.
    pub cur: Cursor,
    /// Horizontal scroll (characters), when not wrapping.
    pub hscroll: usize,
    /// Wrap long lines.
    pub wrap: bool,
    /// Show leading timestamps.
    pub timestamps: bool,
    /// The search, as typed, and compiled.
    pub search: Option<(String, Regex)>,
    /// Colouring.
    pub syntax: Syntax,
}

fn stamp_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)?) ",
        )
        .ok()
    })
    .as_ref()
}

/// Where the text after a leading timestamp (RFC 3339 or journal `short`) starts.
fn stamp_end(text: &str) -> usize {
    stamp_re()
        .and_then(|re| re.find(text))
        .map_or(0, |m| m.end())
}

impl TextState {
    fn new(title: String, origin: String, lines: Vec<TextLine>, target: Option<usize>) -> Self {
        let mut cur = Cursor::default();
        if let Some(t) = target {
            cur.sel = t.min(lines.len().saturating_sub(1));
        }
        Self {
            title,
            origin,
            lines: Arc::new(lines),
            target,
            cur,
            hscroll: 0,
            wrap: false,
            timestamps: true,
            search: None,
            syntax: Syntax::Plain,
        }
    }

    /// Plain text (YAML, describe output) with line numbers.
    pub fn from_text(title: String, origin: String, text: &str, syntax: Syntax) -> Self {
        let mut in_pem = false;
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| TextLine {
                text: redact::line(l.trim_end_matches('\r'), &mut in_pem).into_owned(),
                stamp_end: 0,
                gutter: (i + 1).to_string(),
                level: None,
            })
            .collect();
        let mut s = Self::new(title, origin, lines, None);
        s.syntax = syntax;
        s
    }

    /// A whole file around its evidence line. `None` when the file cannot be read.
    pub fn evidence(content: &dyn ContentSource, p: &Provenance) -> Option<Self> {
        let bytes = content.content(p.artifact)?;
        let text = String::from_utf8_lossy(&bytes);
        let path = content.path(p.artifact);
        let target_line = match (p.line, p.offset) {
            (Some(l), _) => Some(l as usize),
            (None, Some(off)) => {
                let off = usize::try_from(off).unwrap_or(usize::MAX).min(bytes.len());
                Some(bytes[..off].split(|b| *b == b'\n').count())
            }
            (None, None) => None,
        };
        let mut in_pem = false;
        let lines: Vec<TextLine> = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| {
                let t = redact::line(l.trim_end_matches('\r'), &mut in_pem).into_owned();
                TextLine {
                    stamp_end: stamp_end(&t),
                    text: t,
                    gutter: (i + 1).to_string(),
                    level: None,
                }
            })
            .collect();
        let mut lines = lines;
        if lines.last().is_some_and(|l| l.text.is_empty()) && lines.len() > 1 {
            lines.pop();
        }
        let file = path.rsplit('/').next().unwrap_or(path);
        let title = match target_line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_owned(),
        };
        let origin = format!("{}:{path}", content.archive_label(p.artifact.archive));
        let syntax = if path.ends_with(".yaml") || path.ends_with(".yml") {
            Syntax::Yaml
        } else {
            Syntax::Plain
        };
        let mut s = Self::new(
            title,
            origin,
            lines,
            target_line.map(|l| l.saturating_sub(1)),
        );
        s.syntax = syntax;
        Some(s)
    }

    /// Several parsed logs merged by time (records without a time keep their place after
    /// the previous record of their file); each line's gutter names its file's label.
    pub fn merged_logs(
        title: String,
        origin: String,
        content: &dyn ContentSource,
        logs: &[(&str, &LogFile)],
    ) -> Self {
        struct Item<'a> {
            at: Option<casefile_model::Timestamp>,
            file: usize,
            rec: &'a casefile_model::LogRecord,
        }
        let loaded: Vec<std::borrow::Cow<'_, [casefile_model::LogRecord]>> =
            logs.iter().map(|(_, f)| f.load_records(content)).collect();
        let mut items: Vec<Item<'_>> = Vec::new();
        let datas: Vec<Option<std::borrow::Cow<'_, [u8]>>> = logs
            .iter()
            .map(|(_, f)| content.content(f.artifact))
            .collect();
        for (i, records) in loaded.iter().enumerate() {
            let mut last = None;
            for rec in records.iter() {
                let at = rec.sort_time().or(last);
                last = at;
                items.push(Item { at, file: i, rec });
            }
        }
        items.sort_by(|a, b| {
            a.at.cmp(&b.at)
                .then(a.file.cmp(&b.file))
                .then(a.rec.line.cmp(&b.rec.line))
        });
        let mut lines = Vec::with_capacity(items.len());
        let mut in_pem = false;
        for it in &items {
            let Some(data) = datas[it.file].as_deref() else {
                continue;
            };
            let text = String::from_utf8_lossy(it.rec.text(data));
            for (k, l) in text.split('\n').enumerate() {
                let t = redact::line(l.trim_end_matches('\r'), &mut in_pem).into_owned();
                let stamp = if k == 0 {
                    (it.rec.msg_start as usize).min(t.len())
                } else {
                    0
                };
                let stamp = if t.is_char_boundary(stamp) { stamp } else { 0 };
                lines.push(TextLine {
                    text: t,
                    stamp_end: stamp,
                    gutter: logs[it.file].0.to_owned(),
                    level: it.rec.level,
                });
            }
        }
        Self::new(title, origin, lines, None)
    }

    /// Lines matching the search, after `from` (or before, going back), wrapping around.
    pub fn find(&self, from: usize, forward: bool) -> Option<usize> {
        let (_, re) = self.search.as_ref()?;
        let n = self.lines.len();
        if n == 0 {
            return None;
        }
        (1..=n)
            .map(|k| {
                if forward {
                    (from + k) % n
                } else {
                    (from + n - k % n) % n
                }
            })
            .find(|&i| re.is_match(self.lines[i].shown(self.timestamps)))
    }

    /// The next (or previous) line at level error or above, or that looks like an error.
    pub fn find_error(&self, from: usize, forward: bool) -> Option<usize> {
        let looks = |l: &TextLine| {
            l.level.map_or_else(
                || {
                    let t = l.text.as_str();
                    t.contains("error")
                        || t.contains("Error")
                        || t.contains("ERROR")
                        || t.contains("x509:")
                },
                |level| level >= LogLevel::Error,
            )
        };
        if forward {
            (from + 1..self.lines.len()).find(|&i| looks(&self.lines[i]))
        } else {
            (0..from.min(self.lines.len()))
                .rev()
                .find(|&i| looks(&self.lines[i]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_timestamps_are_found() {
        assert_eq!(
            stamp_end("Feb 09 08:13:52 ip-10-0-22-198 kubenswrapper[2709]: E0209"),
            16
        );
        assert_eq!(stamp_end("2024-02-09T08:13:52.927979Z msg"), 28);
        assert_eq!(stamp_end("2024-02-09T08:13:52+00:00 msg"), 26);
        assert_eq!(stamp_end("no time here"), 0);
        assert_eq!(stamp_end(""), 0);
    }

    #[test]
    fn search_wraps_around_and_errors_are_found() {
        let mut t = TextState::from_text(
            "t".into(),
            "o".into(),
            "a\nerror one\nb\nx509: two\n-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----",
            Syntax::Plain,
        );
        assert_eq!(t.lines.len(), 7);
        assert!(t.lines.iter().all(|l| !l.text.contains("MII")));
        assert_eq!(t.find(0, true), None, "no search yet");
        t.search = Some((
            "o".into(),
            Regex::new("o").unwrap_or_else(|_| unreachable!()),
        ));
        assert_eq!(t.find(1, true), Some(3));
        assert_eq!(t.find(3, true), Some(1), "wraps");
        assert_eq!(t.find(1, false), Some(3), "wraps backwards");
        assert_eq!(t.find_error(0, true), Some(1));
        assert_eq!(t.find_error(1, true), Some(3));
        assert_eq!(t.find_error(3, false), Some(1));
        assert_eq!(t.find_error(3, true), None);
    }
}
