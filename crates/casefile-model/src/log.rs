//! Log records: one logical entry of a log or journal file, with its time and provenance.
//!
//! A [`LogRecord`] does not own any text. It points into the bytes of the file it was
//! parsed from (`start..end`, plus [`LineSpan`]s relative to the record's first line for the
//! journal host and identifier), so that parsing hundreds of megabytes of journal does
//! not allocate per line. Use the accessors ([`LogRecord::text`], [`LogRecord::message`],
//! [`LogRecord::host`], [`LogRecord::ident`]) with the same bytes to get the text back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Severity of a log record, lowest first (so `level >= LogLevel::Warning` works).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogLevel {
    /// Finest tracing output.
    Trace,
    /// Debug output (also Multus `verbose`, OVS `DBG`).
    Debug,
    /// Informational (klog `I`, syslog `notice`).
    Info,
    /// Warning (klog `W`).
    Warning,
    /// Error (klog `E`, syslog `err`).
    Error,
    /// Fatal, panic or critical (klog `F`, syslog `crit`/`alert`/`emerg`).
    Fatal,
}

impl LogLevel {
    /// The level of a klog header letter (`I`, `W`, `E`, `F`); anything else is `None`.
    pub const fn from_klog_char(c: u8) -> Option<Self> {
        match c {
            b'I' => Some(Self::Info),
            b'W' => Some(Self::Warning),
            b'E' => Some(Self::Error),
            b'F' => Some(Self::Fatal),
            _ => None,
        }
    }

    /// Parses a level word, ASCII case-insensitively: `info`, `warn`, `warning`,
    /// `error`, `err`, `fatal`, `debug`, `verbose`, ... One pair of surrounding
    /// `<>` or `[]` is accepted (`NetworkManager` `<info>`, Multus `[error]`).
    pub fn from_word(word: &[u8]) -> Option<Self> {
        let word = match word {
            [b'<', inner @ .., b'>'] | [b'[', inner @ .., b']'] => inner,
            _ => word,
        };
        if word.is_empty() || word.len() > 8 {
            return None;
        }
        let mut buf = [0u8; 8];
        for (dst, src) in buf.iter_mut().zip(word) {
            *dst = src.to_ascii_lowercase();
        }
        Some(match buf.get(..word.len())? {
            b"trace" => Self::Trace,
            b"debug" | b"dbg" | b"verbose" => Self::Debug,
            b"info" | b"notice" => Self::Info,
            b"warn" | b"warning" => Self::Warning,
            b"error" | b"err" => Self::Error,
            b"fatal" | b"panic" | b"crit" | b"critical" | b"alert" | b"emerg" | b"emer" => {
                Self::Fatal
            }
            _ => return None,
        })
    }

    /// The lowercase name used in serialized output (`warning`, `error`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Fatal => "fatal",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when a string is not a known level word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLogLevel;

impl fmt::Display for UnknownLogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown log level")
    }
}

impl std::error::Error for UnknownLogLevel {}

impl FromStr for LogLevel {
    type Err = UnknownLogLevel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_word(s.as_bytes()).ok_or(UnknownLogLevel)
    }
}

/// The line format of a log file, which decides how records and their times are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LogFormat {
    /// `oc logs --timestamps`: an RFC 3339 (nano) prefix, a space, then the container line.
    PodLog,
    /// `journalctl` `short`, `short-precise` or `short-iso` output (`Mon DD HH:MM:SS host ident[pid]: msg`).
    Journal,
    /// Bare klog lines (`I0803 09:17:43.005444    1354 file.go:123] msg`), no year.
    Klog,
    /// Raw CRI log file lines (`2024-01-02T03:04:05.123456789Z stdout F msg`), as in rotated pod logs.
    CriRaw,
    /// Unknown format: every line is a record without a time.
    Plain,
}

impl LogFormat {
    /// A short lowercase name (`pod-log`, `journal`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PodLog => "pod-log",
            Self::Journal => "journal",
            Self::Klog => "klog",
            Self::CriRaw => "cri-raw",
            Self::Plain => "plain",
        }
    }
}

/// How trustworthy a record's time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeQuality {
    /// The time was written with its year (RFC 3339 prefix, `short-iso`).
    Exact,
    /// The line had no year (journal `short`, klog); it was chosen from the collection time.
    YearInferred,
    /// The record has no time at all.
    Missing,
}

/// A byte range inside the first line of a record (`start..end`, relative to the line start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineSpan {
    /// First byte, relative to the start of the record's first line.
    pub start: u32,
    /// One past the last byte, relative to the start of the record's first line.
    pub end: u32,
}

/// One logical log entry: a first line plus any continuation lines.
///
/// Offsets are into the bytes the record was parsed from; the record never owns text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRecord {
    /// 1-based number of the first line.
    pub line: u32,
    /// 1-based number of the last line, including continuation lines.
    pub end_line: u32,
    /// Byte offset of the first line.
    pub start: u64,
    /// Byte offset one past the last byte of the last line, excluding its `\n` / `\r\n`.
    pub end: u64,
    /// Best UTC time of the record: the transport prefix (journal, `oc`, CRI) or, for bare
    /// klog, the klog header. `None` when the line carries no time.
    pub at: Option<Timestamp>,
    /// Time found inside the message (klog header, logrus `time=`, Multus, `NetworkManager`)
    /// when the record also has a prefix time. A klog inner time's year is taken near `at`.
    pub inner_at: Option<Timestamp>,
    /// Severity, from the klog letter, logrus `level=`, Multus `[level]`, `<info>`, ...
    pub level: Option<LogLevel>,
    /// Journal host name (may be `localhost`); relative to the first line.
    pub host: Option<LineSpan>,
    /// Journal `SYSLOG_IDENTIFIER` (`kubenswrapper`, `hyperkube`, `crio`, ...); relative to the first line.
    pub ident: Option<LineSpan>,
    /// Journal process id.
    pub pid: Option<u32>,
    /// Byte offset of the message inside the first line, after the transport prefix
    /// (journal `host ident[pid]: `, `oc` timestamp, CRI `stream tag`); 0 for bare klog and plain lines.
    pub msg_start: u32,
    /// True when the year of `at` was inferred (journal `short*`, bare klog).
    pub year_inferred: bool,
}

impl LogRecord {
    /// How trustworthy `at` is.
    pub const fn time_quality(&self) -> TimeQuality {
        match (self.at, self.year_inferred) {
            (None, _) => TimeQuality::Missing,
            (Some(_), true) => TimeQuality::YearInferred,
            (Some(_), false) => TimeQuality::Exact,
        }
    }

    /// The time to sort by: the inner time when present (klog times are finer than a
    /// journal burst), else `at`.
    pub fn sort_time(&self) -> Option<Timestamp> {
        self.inner_at.or(self.at)
    }

    /// The whole record (all its lines) within `data`, the bytes it was parsed from.
    pub fn text<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        let end = usize::try_from(self.end)
            .unwrap_or(usize::MAX)
            .min(data.len());
        let start = usize::try_from(self.start).unwrap_or(usize::MAX).min(end);
        data.get(start..end).unwrap_or_default()
    }

    /// The message: from `msg_start` in the first line to the end of the record.
    pub fn message<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        let text = self.text(data);
        text.get(self.msg_start as usize..).unwrap_or_default()
    }

    /// The journal host name, if any.
    pub fn host<'a>(&self, data: &'a [u8]) -> Option<&'a [u8]> {
        self.span(data, self.host?)
    }

    /// The journal identifier, if any.
    pub fn ident<'a>(&self, data: &'a [u8]) -> Option<&'a [u8]> {
        self.span(data, self.ident?)
    }

    fn span<'a>(&self, data: &'a [u8], span: LineSpan) -> Option<&'a [u8]> {
        self.text(data).get(span.start as usize..span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn level_words() {
        let cases: &[(&str, Option<LogLevel>)] = &[
            ("info", Some(LogLevel::Info)),
            ("INFO", Some(LogLevel::Info)),
            ("<info>", Some(LogLevel::Info)),
            ("[error]", Some(LogLevel::Error)),
            ("warn", Some(LogLevel::Warning)),
            ("<warn>", Some(LogLevel::Warning)),
            ("Warning", Some(LogLevel::Warning)),
            ("err", Some(LogLevel::Error)),
            ("ERR", Some(LogLevel::Error)),
            ("fatal", Some(LogLevel::Fatal)),
            ("panic", Some(LogLevel::Fatal)),
            ("debug", Some(LogLevel::Debug)),
            ("verbose", Some(LogLevel::Debug)),
            ("[verbose]", Some(LogLevel::Debug)),
            ("DBG", Some(LogLevel::Debug)),
            ("trace", Some(LogLevel::Trace)),
            ("notice", Some(LogLevel::Info)),
            // near misses
            ("", None),
            ("<>", None),
            ("<info", None),
            ("info>", None),
            ("[info>", None),
            ("infos", None),
            ("warnings", None),
            ("errors", None),
            ("i", None),
            ("information", None),
            ("<<info>>", None),
            (" info", None),
        ];
        for (word, want) in cases {
            assert_eq!(LogLevel::from_word(word.as_bytes()), *want, "{word:?}");
            assert_eq!(word.parse::<LogLevel>().ok(), *want, "{word:?}");
        }
    }

    #[test]
    fn klog_chars() {
        let cases = [
            (b'I', Some(LogLevel::Info)),
            (b'W', Some(LogLevel::Warning)),
            (b'E', Some(LogLevel::Error)),
            (b'F', Some(LogLevel::Fatal)),
            (b'i', None),
            (b'D', None),
            (b'0', None),
        ];
        for (c, want) in cases {
            assert_eq!(LogLevel::from_klog_char(c), want, "{}", c as char);
        }
    }

    #[test]
    fn levels_order_and_serde_names() {
        assert!(LogLevel::Trace < LogLevel::Debug);
        assert!(LogLevel::Info < LogLevel::Warning);
        assert!(LogLevel::Error < LogLevel::Fatal);
        assert_eq!(LogLevel::Warning.to_string(), "warning");
        assert_eq!(LogFormat::CriRaw.as_str(), "cri-raw");
    }

    #[test]
    fn accessors_are_bounds_safe() {
        let data = b"Aug 03 09:17:42.077259 host systemd[1]: hello\n  more";
        let rec = LogRecord {
            line: 1,
            end_line: 2,
            start: 0,
            end: data.len() as u64,
            at: None,
            inner_at: None,
            level: None,
            host: Some(LineSpan { start: 23, end: 27 }),
            ident: Some(LineSpan { start: 28, end: 35 }),
            pid: Some(1),
            msg_start: 40,
            year_inferred: false,
        };
        assert_eq!(rec.host(data), Some(&b"host"[..]));
        assert_eq!(rec.ident(data), Some(&b"systemd"[..]));
        assert_eq!(rec.message(data), b"hello\n  more");
        assert_eq!(rec.time_quality(), TimeQuality::Missing);
        // shorter data than the record: no panic
        assert_eq!(rec.message(&data[..10]), b"");
        assert_eq!(rec.host(&data[..10]), None);
        let odd = LogRecord {
            start: 100,
            end: 5,
            msg_start: u32::MAX,
            ..rec
        };
        assert_eq!(odd.text(data), b"");
        assert_eq!(odd.message(data), b"");
    }
}
