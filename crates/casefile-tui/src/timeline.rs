//! The timeline's model: filters, the filtered row index, the zoomed time window and the
//! time-density histogram, over the analysis' compact rows ([`TimelineRows`]). Nothing here
//! is proportional to the screen: the visible window of a million rows is two binary
//! searches away, and the histogram is one binary search per column. Only a text filter
//! renders rows, and only those the other filters keep.

use std::sync::Arc;

use casefile::{TimelineRowFields, TimelineRows};
use casefile_model::{Severity, Timestamp};
use rayon::prelude::*;
use regex::Regex;

use crate::widgets::Cursor;

/// What rows to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// Lowest severity kept.
    pub min_severity: Option<Severity>,
    /// Only this source.
    pub source: Option<String>,
    /// Only this node.
    pub node: Option<String>,
    /// Only this namespace.
    pub namespace: Option<String>,
    /// Regex over the message, rule, node, namespace and source (empty: none).
    pub text: String,
    /// Keep rows that do *not* match the regex.
    pub invert: bool,
}

impl TimelineFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.min_severity.is_none()
            && self.source.is_none()
            && self.node.is_none()
            && self.namespace.is_none()
            && self.text.is_empty()
    }

    /// Whether a row passes (the regex is the compiled `text`). `message` renders the row's
    /// message; it is asked for only when the regex has to look at it.
    pub fn matches(
        &self,
        row: &TimelineRowFields<'_>,
        re: Option<&Regex>,
        message: impl FnOnce() -> Option<String>,
    ) -> bool {
        if self.min_severity.is_some_and(|s| row.severity < s) {
            return false;
        }
        if self.source.as_ref().is_some_and(|s| s != row.source) {
            return false;
        }
        if self
            .node
            .as_ref()
            .is_some_and(|n| Some(n.as_str()) != row.node)
        {
            return false;
        }
        if self
            .namespace
            .as_ref()
            .is_some_and(|n| Some(n.as_str()) != row.namespace)
        {
            return false;
        }
        if let Some(re) = re {
            let hit = row.rule.is_some_and(|r| re.is_match(r))
                || row.node.is_some_and(|n| re.is_match(n))
                || row.namespace.is_some_and(|n| re.is_match(n))
                || re.is_match(row.source)
                || message().is_some_and(|m| re.is_match(&m));
            if hit == self.invert {
                return false;
            }
        }
        true
    }

    /// A one-line description (`sev≥warning · source journal · /x509/`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.min_severity {
            parts.push(format!("sev≥{}", s.as_str()));
        }
        if let Some(s) = &self.source {
            parts.push(format!("source {s}"));
        }
        if let Some(n) = &self.node {
            parts.push(format!("node {}", short_node(n)));
        }
        if let Some(n) = &self.namespace {
            parts.push(format!("ns {n}"));
        }
        if !self.text.is_empty() {
            parts.push(format!(
                "{}/{}/",
                if self.invert { "!" } else { "" },
                self.text
            ));
        }
        parts.join(" · ")
    }
}

/// A node's first DNS label.
pub fn short_node(n: &str) -> &str {
    n.split('.').next().unwrap_or(n)
}

/// Indices of the rows that pass, in timeline order. `message` renders row `i`'s message
/// (see [`crate::data::CaseData::timeline_message`]); rows are looked at in parallel.
pub fn filter_rows(
    rows: &TimelineRows,
    f: &TimelineFilter,
    re: Option<&Regex>,
    message: impl Fn(usize) -> Option<String> + Sync,
) -> Vec<u32> {
    (0..rows.len())
        .into_par_iter()
        .filter(|&i| {
            rows.fields(i)
                .is_some_and(|row| f.matches(&row, re, || message(i)))
        })
        .map(|i| i as u32)
        .collect()
}

/// The timeline view's state.
#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    /// The filter in force.
    pub filter: TimelineFilter,
    /// `filter.text` compiled (case-insensitive unless it has upper case).
    pub regex: Option<Regex>,
    /// Rows passing the filter; `None` when there is no filter (every row).
    pub rows: Option<Arc<Vec<u32>>>,
    /// The zoomed time window (inclusive), `None` for everything.
    pub window: Option<(Timestamp, Timestamp)>,
    /// Cursor within the visible rows.
    pub cur: Cursor,
    /// Generation of the filter (background results for older ones are dropped).
    pub generation: u64,
    /// A background filter is running.
    pub pending: bool,
}

/// The rows on screen: a contiguous range of the filtered rows.
#[derive(Debug, Clone, Copy)]
pub struct Visible<'a> {
    rows: Option<&'a [u32]>,
    lo: usize,
    hi: usize,
}

impl Visible<'_> {
    /// Number of visible rows.
    pub fn len(&self) -> usize {
        self.hi - self.lo
    }

    /// Whether nothing is visible.
    pub fn is_empty(&self) -> bool {
        self.hi == self.lo
    }

    /// The entry index of visible row `i`.
    pub fn entry(&self, i: usize) -> Option<usize> {
        if i >= self.len() {
            return None;
        }
        Some(match self.rows {
            Some(r) => r[self.lo + i] as usize,
            None => self.lo + i,
        })
    }

    /// The visible row of an entry index, or the nearest after it.
    pub fn position_of(&self, entry: usize) -> usize {
        let p = match self.rows {
            Some(r) => r[self.lo..self.hi].partition_point(|&x| (x as usize) < entry),
            None => entry.clamp(self.lo, self.hi) - self.lo,
        };
        p.min(self.len().saturating_sub(1))
    }
}

/// Case-insensitive unless the pattern has an upper-case letter (smart case).
pub fn compile(text: &str) -> Result<Option<Regex>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let smart = if text.chars().any(char::is_uppercase) {
        text.to_owned()
    } else {
        format!("(?i){text}")
    };
    Regex::new(&smart).map(Some).map_err(|e| {
        e.to_string()
            .lines()
            .last()
            .unwrap_or("invalid regex")
            .to_owned()
    })
}

impl TimelineState {
    /// The visible rows of `entries`.
    pub fn visible<'a>(&'a self, entries: &TimelineRows) -> Visible<'a> {
        let rows = self.rows.as_deref().map(Vec::as_slice);
        let n = rows.map_or(entries.len(), <[u32]>::len);
        let at = |i: usize| -> Timestamp { row_at(entries, rows, i) };
        let (lo, hi) = match self.window {
            None => (0, n),
            Some((from, to)) => (
                partition(n, |i| at(i) < from),
                partition(n, |i| at(i) <= to),
            ),
        };
        Visible {
            rows,
            lo,
            hi: hi.max(lo),
        }
    }

    /// The time range shown: the window, else the whole timeline.
    pub fn span(&self, entries: &TimelineRows) -> Option<(Timestamp, Timestamp)> {
        self.window.or_else(|| full_span(entries))
    }

    /// Counts of filtered rows per column over the shown range (`bins` columns).
    pub fn histogram(&self, entries: &TimelineRows, bins: usize) -> Vec<u64> {
        let Some((from, to)) = self.span(entries) else {
            return vec![0; bins];
        };
        if bins == 0 {
            return Vec::new();
        }
        let rows = self.rows.as_deref().map(Vec::as_slice);
        let n = rows.map_or(entries.len(), <[u32]>::len);
        let at = |i: usize| -> Timestamp { row_at(entries, rows, i) };
        let start = from.as_nanosecond();
        let width = (to.as_nanosecond() - start).max(1);
        let edge = |k: usize| -> usize {
            // First row at or after the k-th bin edge; the last edge is inclusive of `to`.
            if k >= bins {
                return partition(n, |i| at(i) <= to);
            }
            let t = start + width * k as i128 / bins as i128;
            partition(n, |i| at(i).as_nanosecond() < t)
        };
        let mut out = Vec::with_capacity(bins);
        let mut prev = edge(0);
        for k in 1..=bins {
            let e = edge(k);
            out.push((e - prev) as u64);
            prev = e;
        }
        out
    }

    /// The histogram column a time falls in.
    pub fn bin_of(&self, entries: &TimelineRows, t: Timestamp, bins: usize) -> Option<usize> {
        let (from, to) = self.span(entries)?;
        if t < from || t > to || bins == 0 {
            return None;
        }
        let width = (to.as_nanosecond() - from.as_nanosecond()).max(1);
        let k = (t.as_nanosecond() - from.as_nanosecond()) * bins as i128 / width;
        Some((k as usize).min(bins - 1))
    }
}

/// The first and last rows' times.
pub fn full_span(entries: &TimelineRows) -> Option<(Timestamp, Timestamp)> {
    Some((entries.at(0)?, entries.at(entries.len().checked_sub(1)?)?))
}

/// The time of the `i`th of the filtered rows (`None`: every row).
fn row_at(entries: &TimelineRows, rows: Option<&[u32]>, i: usize) -> Timestamp {
    let row = match rows {
        Some(r) => r.get(i).map_or(usize::MAX, |&r| r as usize),
        None => i,
    };
    entries.at(row).unwrap_or_default()
}

/// The first index in `0..n` where `pred` is false (pred must be monotone).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use casefile::Timeline;
    use casefile_model::{ArchiveId, ArtifactId, Provenance, TimelineEntry};

    /// Rows holding `entries` as they are.
    fn rows(entries: &[TimelineEntry]) -> TimelineRows {
        Timeline {
            entries: entries.to_vec(),
            coverage: Vec::new(),
        }
        .into()
    }

    /// Row `i`'s message, as the app renders it.
    fn message(entries: &[TimelineEntry]) -> impl Fn(usize) -> Option<String> + Sync + '_ {
        |i| entries.get(i).map(|e| e.message.clone())
    }

    fn entry(secs: i64, sev: Severity, msg: &str) -> TimelineEntry {
        TimelineEntry {
            at: Timestamp::from_second(secs).unwrap_or_default(),
            time_desc: String::new(),
            source: if sev == Severity::Info {
                "event"
            } else {
                "journal"
            }
            .into(),
            node: Some("n1.example".into()),
            namespace: None,
            severity: sev,
            rule: None,
            message: msg.into(),
            provenance: Provenance::line(ArtifactId::new(ArchiveId(0), 0), 1),
        }
    }

    #[test]
    fn window_and_histogram() {
        let list: Vec<_> = (0..100)
            .map(|i| {
                entry(
                    i * 10,
                    if i % 10 == 0 {
                        Severity::Warning
                    } else {
                        Severity::Info
                    },
                    "x",
                )
            })
            .collect();
        let entries = rows(&list);
        let mut st = TimelineState::default();
        assert_eq!(st.visible(&entries).len(), 100);
        let h = st.histogram(&entries, 10);
        assert_eq!(h.iter().sum::<u64>(), 100);
        st.window = Some((list[20].at, list[29].at));
        let v = st.visible(&entries);
        assert_eq!(v.len(), 10);
        assert_eq!(v.entry(0), Some(20));
        assert_eq!(st.histogram(&entries, 3).iter().sum::<u64>(), 10);
        st.filter.min_severity = Some(Severity::Warning);
        st.rows = Some(Arc::new(filter_rows(
            &entries,
            &st.filter,
            None,
            message(&list),
        )));
        let v = st.visible(&entries);
        assert_eq!(v.len(), 1);
        assert_eq!(v.entry(0), Some(20));
        assert_eq!(v.position_of(25), 0);
    }

    #[test]
    fn regex_filter_inverts() {
        let list = vec![
            entry(1, Severity::Info, "x509: bad"),
            entry(2, Severity::Info, "fine"),
        ];
        let entries = rows(&list);
        let mut f = TimelineFilter {
            text: "X509".into(),
            ..Default::default()
        };
        let re = compile(&f.text).unwrap_or_default();
        assert_eq!(
            filter_rows(&entries, &f, re.as_ref(), message(&list)),
            Vec::<u32>::new()
        );
        f.text = "x509".into();
        let re = compile(&f.text).unwrap_or_default();
        assert_eq!(
            filter_rows(&entries, &f, re.as_ref(), message(&list)),
            vec![0]
        );
        f.invert = true;
        assert_eq!(
            filter_rows(&entries, &f, re.as_ref(), message(&list)),
            vec![1]
        );
        assert!(compile("(").is_err());
    }
}
