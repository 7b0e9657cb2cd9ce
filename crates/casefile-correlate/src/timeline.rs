//! One merged timeline of a case: every source as UTC entries with provenance, and the window
//! each source covers per node.
//!
//! [`build`] turns a [`Snapshot`] and the rule [`Hit`]s of [`crate::rules::scan`] into
//! [`TimelineEntry`]s:
//!
//! - log records matched by a rule (the rule's severity and id), and unmatched records of
//!   level error/fatal (severity warning) or warning (severity info);
//! - events, at first and last seen, with the count and the message as collected (so
//!   `(combined from similar events)` stays visible);
//! - Node condition transitions and the last kubelet heartbeat;
//! - ClusterVersion history (update started / completed);
//! - ClusterOperator condition transitions;
//! - notBefore / notAfter of the CA certificates found in the case (source `certificate`;
//!   public roots that only appear in injected trust bundles are left out).
//!
//! Node names are the Node objects' (journal host names are mapped). Entries are sorted by
//! (time, source, archive, path, line), then by the remaining fields, so the order is the same
//! at any thread count. [`Coverage`] gives, per source and node, the window the data covers;
//! a node without a kubelet journal, a CRI-O journal or pod logs gets an explicit gap row
//! ("no kubelet journal for node X"), so a missing stage reads "no data", never "nothing
//! happened".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use casefile_model::log::{LineSpan, LogLevel, LogRecord};
use casefile_model::{
    ArtifactId, ContentSource, LogFile, LogSource, Provenance, Severity, Snapshot, TimelineEntry,
    Timestamp,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rules::{
    Hit, NodeIndex, SourceKind, artifact_order, canonical_node, clip, condition_text,
    event_namespace, provenance_order, record_time, record_unit,
};

/// Longest message kept in a timeline entry, in characters.
const ENTRY_CHARS: usize = 2000;

/// What to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineOptions {
    /// Drop entries before this instant.
    pub since: Option<Timestamp>,
    /// Drop entries after this instant.
    pub until: Option<Timestamp>,
    /// Keep only entries about these nodes (Node names or host names; empty keeps all).
    /// Entries without a node are dropped when this is set.
    pub nodes: Vec<String>,
    /// Keep only these sources (empty keeps all): a family (`journal`, `pod-log`, `event`,
    /// `node`, `clusterversion`, `clusteroperator`, `certificate`; plurals accepted), or a
    /// journal unit (`kubelet`, `crio`, also as `journal:kubelet`).
    pub sources: Vec<String>,
    /// Drop entries below this severity.
    pub min_severity: Severity,
}

impl Default for TimelineOptions {
    fn default() -> Self {
        Self {
            since: None,
            until: None,
            nodes: Vec::new(),
            sources: Vec::new(),
            min_severity: Severity::Info,
        }
    }
}

/// The window one source covers for one node (or the whole cluster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// `kubelet journal`, `crio journal`, `<unit> journal`, `journal`, `pod logs`, `events`.
    pub source: String,
    /// The node, or `None` for cluster-wide sources.
    pub node: Option<String>,
    /// Earliest time seen.
    pub from: Option<Timestamp>,
    /// Latest time seen.
    pub to: Option<Timestamp>,
    /// Records (log records, events) with a time.
    pub records: u64,
    /// The files it comes from.
    pub provenance: Vec<Provenance>,
    /// For gaps: what is missing, e.g. `no kubelet journal for node X`.
    pub note: Option<String>,
}

impl Coverage {
    /// Whether this row records missing data.
    pub fn is_gap(&self) -> bool {
        self.records == 0
    }
}

/// The merged timeline and its coverage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// Entries, sorted.
    pub entries: Vec<TimelineEntry>,
    /// Coverage per source and node, gaps included, sorted by (node, source).
    pub coverage: Vec<Coverage>,
}

impl Timeline {
    /// The coverage rows that record missing data.
    pub fn gaps(&self) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(|c| c.is_gap())
    }
}

/// Builds the timeline (see the module documentation): [`rows`], rendered.
pub fn build(
    snapshot: &Snapshot,
    content: &dyn ContentSource,
    hits: &[Hit],
    opts: &TimelineOptions,
) -> Timeline {
    rows(snapshot, content, hits, Vec::new(), opts).collect(snapshot, content)
}

/// Collects what is left of a stream into a [`Timeline`], rendering its log rows in
/// parallel straight into the list (the same list as iterating the stream).
pub fn collect(stream: Stream<'_>) -> Timeline {
    let Stream {
        rows,
        others,
        all_others,
        snapshot,
        content,
        next,
    } = stream;
    // The stream has passed on the other entries before `next`; the rest are in `others`,
    // in order.
    let others = others.as_slice();
    let passed = all_others.saturating_sub(others.len());
    let entries = render_all(next.min(rows.len())..rows.len(), |i| {
        match rows.slot(i)? {
            Slot::Log(l) => rows.log_entry(l, snapshot, content),
            Slot::Other(o) => others.get(o.checked_sub(passed)?).cloned(),
        }
    });
    Timeline {
        entries,
        coverage: rows.coverage,
    }
}

/// The timeline's entries in order, rendered one at a time (see [`rows`]), with `extra`
/// entries (filtered by the caller) merged in.
pub fn stream<'a>(
    snapshot: &'a Snapshot,
    content: &'a dyn ContentSource,
    hits: &[Hit],
    extra: Vec<TimelineEntry>,
    opts: &TimelineOptions,
) -> Stream<'a> {
    rows(snapshot, content, hits, extra, opts).into_stream(snapshot, content)
}

/// The timeline as compact [`Rows`], in order, with `extra` entries (filtered by the caller)
/// merged in.
///
/// A whole case has about a million entries of a few hundred bytes each, most of them from
/// log records. Those are kept as their parsed record and a few interned names (node, unit,
/// rule), and rendered from the record's own bytes ([`ContentSource::content_range`]) only
/// when asked for: the rows never hold the log entries' text, and their order is the one
/// [`sort_entries`] gives the rendered list.
pub fn rows(
    snapshot: &Snapshot,
    content: &dyn ContentSource,
    hits: &[Hit],
    extra: Vec<TimelineEntry>,
    opts: &TimelineOptions,
) -> Rows {
    let idx = NodeIndex::new(snapshot);
    let filter = Filter::new(snapshot, opts);
    let by_record: HashMap<Provenance, &Hit> = hits
        .iter()
        .filter(|h| {
            matches!(
                h.source,
                SourceKind::Journal | SourceKind::PodLog | SourceKind::Event
            )
        })
        .map(|h| (h.provenance, h))
        .collect();
    let by_condition: HashMap<(Provenance, &str), &Hit> = hits
        .iter()
        .filter_map(|h| Some(((h.provenance, h.condition.as_deref()?), h)))
        .collect();

    // Files ranked by (archive, path), the order's tie-break after time and source.
    let mut ranked: Vec<usize> = (0..snapshot.logs.len()).collect();
    let by_artifact = |a: usize, b: usize| {
        artifact_order(
            snapshot.logs[a].artifact,
            snapshot.logs[b].artifact,
            content,
        )
    };
    ranked.sort_by(|&a, &b| by_artifact(a, b));
    // Dense: files at the same (archive, path) share a rank, as the order cannot tell them
    // apart there either.
    let mut rank = vec![0u32; snapshot.logs.len()];
    let mut r = 0u32;
    for w in 0..ranked.len() {
        if w > 0 && by_artifact(ranked[w - 1], ranked[w]).is_ne() {
            r += 1;
        }
        rank[ranked[w]] = r;
    }

    // Releasing a file's own range leaves mapped what a fault brought in around it (whole
    // large folios of the page cache, over neighbouring files that are not logs), so every
    // mapping is let go as a whole now and then, and at the end.
    let read = std::sync::atomic::AtomicU64::new(0);
    let per_file: Vec<PickedFile> = snapshot
        .logs
        .par_iter()
        .enumerate()
        .map(|(i, file)| {
            let out = log_picks(i, file, content, &by_record, &idx, &filter);
            content.release(file.artifact);
            let done = read.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if done.is_multiple_of(RELEASE_ALL_EVERY) {
                content.release_all();
            }
            out
        })
        .collect();
    content.release_all();
    // One name table for the whole timeline: each file's names are mapped into it.
    let mut names = Names::default();
    let mut logs = Vec::with_capacity(per_file.iter().map(|f| f.rows.len()).sum());
    let mut coverage = Vec::new();
    for file in per_file {
        let global: Vec<Name> = file.names.list.iter().map(|n| names.id(Some(n))).collect();
        let map = |n: Name| global.get(n as usize).copied().unwrap_or(NO_NAME);
        logs.extend(file.rows.into_iter().map(|mut row| {
            row.rule = map(row.rule);
            row.node = map(row.node);
            row.namespace = map(row.namespace);
            row.unit = map(row.unit);
            row
        }));
        coverage.extend(file.coverage);
    }
    let names = names.list;
    let mut others = extra;
    let (ev, ev_cov) = event_entries(snapshot, &by_record, &idx, &filter);
    others.extend(ev);
    coverage.extend(ev_cov);
    others.extend(node_entries(snapshot, &by_condition, &filter));
    others.extend(cluster_version_entries(snapshot, &filter));
    others.extend(cluster_operator_entries(snapshot, &by_condition, &filter));
    others.extend(certificate_entries(snapshot, &filter));
    others.extend(object_entries(snapshot, &filter));
    sort_entries(&mut others, content);
    let coverage = merge_coverage(coverage, snapshot, &filter);

    // (time, source, archive and path, line, offset), as `order` compares the entries.
    let key = |p: &LogRow| (p.at(), p.family, rank[p.file as usize]);
    let render = |row: &LogRow| render_log(row, &names, snapshot, content);
    logs.par_sort_unstable_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then(a.line.cmp(&b.line))
            .then(a.start.cmp(&b.start))
            // The same record listed twice: the entries decide, as for any other entry.
            .then_with(|| order(&render(a), &render(b), content))
    });

    // The two sorted lists merged into one order. A log row and another entry are told
    // apart by time, source and provenance; only a tie on all three renders the log row.
    let mut slots: Vec<u32> = Vec::with_capacity(logs.len() + others.len());
    let (mut l, mut o) = (0, 0);
    loop {
        let log_next = match (logs.get(l), others.get(o)) {
            (Some(log), Some(other)) => {
                let first = log
                    .at()
                    .cmp(&other.at)
                    .then_with(|| log.family.name().cmp(other.source.as_str()))
                    .then_with(|| provenance_order(&log.provenance(), &other.provenance, content));
                match first {
                    std::cmp::Ordering::Equal => order(&render(log), other, content).is_le(),
                    o => o.is_lt(),
                }
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if log_next {
            slots.push(Slot::Log(l).pack());
            l += 1;
        } else {
            slots.push(Slot::Other(o).pack());
            o += 1;
        }
    }
    Rows {
        order: slots,
        logs,
        others,
        names,
        coverage,
    }
}

/// The entries of the rows in `range`, rendered in parallel by `entry`, in order.
///
/// Written straight into one list of the range's length, then the rows that gave nothing
/// (none, for rows used with their own snapshot) are dropped in place: never a second list.
fn render_all(
    range: std::ops::Range<usize>,
    entry: impl Fn(usize) -> Option<TimelineEntry> + Sync + Send,
) -> Vec<TimelineEntry> {
    let rendered: Vec<Option<TimelineEntry>> = range.into_par_iter().map(entry).collect();
    // `filter_map` over a vector's own items reuses its buffer; `flatten` would not.
    #[allow(clippy::filter_map_identity)]
    rendered.into_iter().filter_map(|e| e).collect()
}

/// Log files read between two releases of every mapping (see [`rows`]).
const RELEASE_ALL_EVERY: u64 = 64;

/// The index of a name in a [`Names`] table; [`NO_NAME`] for none.
type Name = u32;

/// No name (a row without a node, rule, ...).
const NO_NAME: Name = Name::MAX;

/// Names interned while the log rows are picked: one table per file, then one for the whole
/// timeline.
#[derive(Debug, Default)]
struct Names {
    list: Vec<String>,
    ids: HashMap<String, Name>,
}

impl Names {
    /// The id of `name`, added when new ([`NO_NAME`] for none).
    fn id(&mut self, name: Option<&str>) -> Name {
        let Some(name) = name else {
            return NO_NAME;
        };
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        // Past four billion distinct names a row would lose its name rather than take
        // another's.
        let Ok(id) = Name::try_from(self.list.len()) else {
            return NO_NAME;
        };
        if id == NO_NAME {
            return NO_NAME;
        }
        self.list.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }
}

/// One log file's picked rows, its coverage, and the names its rows use.
struct PickedFile {
    rows: Vec<LogRow>,
    coverage: Vec<Coverage>,
    names: Names,
}

/// A log record picked for the timeline: where its bytes are, and what its entry needs
/// besides them. A whole case picks about 750,000 records, so only that is kept of the
/// parsed record.
#[derive(Debug, Clone)]
struct LogRow {
    /// The entry's time.
    at: Timestamp,
    /// The record's first byte in its file.
    start: u64,
    /// The file's artifact (the entry's provenance).
    artifact: ArtifactId,
    /// The file's index in `Snapshot::logs`.
    file: u32,
    /// The record's first line.
    line: u32,
    /// The record's length in bytes (saturated at 4 GiB; the message is clipped far below).
    len: u32,
    /// Where the message starts in the first line.
    msg_start: u32,
    /// The journal identifier, relative to the first line.
    ident: Option<LineSpan>,
    /// The journal process id.
    pid: Option<u32>,
    rule: Name,
    node: Name,
    namespace: Name,
    /// The journal unit (journals only).
    unit: Name,
    family: Family,
    severity: Severity,
}

impl LogRow {
    /// The entry's time.
    fn at(&self) -> Timestamp {
        self.at
    }

    /// The entry's provenance: the record's first line.
    fn provenance(&self) -> Provenance {
        Provenance::at(self.artifact, self.line, self.start)
    }

    /// The record again, over its own bytes alone (`start` 0): what its text is read with.
    fn record(&self) -> LogRecord {
        LogRecord {
            line: self.line,
            end_line: self.line,
            start: 0,
            end: u64::from(self.len),
            at: Some(self.at),
            inner_at: None,
            level: None,
            host: None,
            ident: self.ident,
            pid: self.pid,
            msg_start: self.msg_start,
            year_inferred: false,
        }
    }
}

/// The source families of log entries, in the order of their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Journal,
    Log,
    PodLog,
}

impl Family {
    fn of(source: &LogSource) -> Self {
        match source {
            LogSource::Journal { .. } => Self::Journal,
            LogSource::Pod { .. } => Self::PodLog,
            _ => Self::Log,
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::Log => "log",
            Self::PodLog => "pod-log",
        }
    }
}

/// Where a row of [`Rows`] lives, before it is packed into the order.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Log(usize),
    Other(usize),
}

/// The bit of a packed slot that marks an entry of `Rows::others`.
const OTHER: u32 = 1 << 31;

impl Slot {
    /// Packed into 32 bits. A case would need over two billion rows of one kind to overflow
    /// it, some hundreds of GiB of rows.
    fn pack(self) -> u32 {
        match self {
            Self::Log(i) => i as u32 & !OTHER,
            Self::Other(i) => i as u32 | OTHER,
        }
    }

    fn unpack(packed: u32) -> Self {
        if packed & OTHER == 0 {
            Self::Log(packed as usize)
        } else {
            Self::Other((packed & !OTHER) as usize)
        }
    }
}

/// The entry of a log row: the record's own bytes read, its text rendered. A row whose file
/// is not in `snapshot` (rows used with another snapshot than their own) has no text.
fn render_log(
    row: &LogRow,
    names: &[String],
    snapshot: &Snapshot,
    content: &dyn ContentSource,
) -> TimelineEntry {
    let name = |n: Name| names.get(n as usize).map(String::as_str);
    let (message, time_desc) = log_row_text(row, names, snapshot, content);
    TimelineEntry {
        at: row.at(),
        time_desc,
        source: row.family.name().to_owned(),
        node: name(row.node).map(str::to_owned),
        namespace: name(row.namespace).map(str::to_owned),
        severity: row.severity,
        rule: name(row.rule).map(str::to_owned),
        message,
        provenance: row.provenance(),
    }
}

/// A log row's message and time description, read from the record's own bytes (see
/// [`render_log`]).
fn log_row_text(
    row: &LogRow,
    names: &[String],
    snapshot: &Snapshot,
    content: &dyn ContentSource,
) -> (String, String) {
    let Some(file) = snapshot.logs.get(row.file as usize) else {
        return (String::new(), "log line".to_owned());
    };
    // Only the record's own bytes are read (rows are read in time order, from all over the
    // case: reading each through a map would leave most of the case's logs resident).
    let data = content
        .content_range(row.artifact, row.start, u64::from(row.len))
        .unwrap_or_default();
    let unit = names.get(row.unit as usize).map(String::as_str);
    log_text(file, &row.record(), &data, unit)
}

/// The merged timeline as compact rows, in order (see [`rows`]): what a viewer that shows a
/// few rows at a time holds instead of a whole [`Timeline`].
///
/// Each row's time, severity, source, node, namespace and rule are at hand ([`Rows::fields`])
/// for filters and facets; the whole entry is rendered on demand ([`Rows::entry`]) from the
/// snapshot and content the rows were built from.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Picked log records, sorted.
    logs: Vec<LogRow>,
    /// Every other entry, sorted.
    others: Vec<TimelineEntry>,
    /// The rows in order: packed [`Slot`]s.
    order: Vec<u32>,
    /// The names the log rows use.
    names: Vec<String>,
    coverage: Vec<Coverage>,
}

/// The fields of a row that filters and facets look at, read without rendering the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFields<'r> {
    /// When (UTC).
    pub at: Timestamp,
    /// Severity of the row.
    pub severity: Severity,
    /// Source family (`journal`, `pod-log`, `event`, ...).
    pub source: &'r str,
    /// Node concerned.
    pub node: Option<&'r str>,
    /// Namespace concerned.
    pub namespace: Option<&'r str>,
    /// The rule that produced the row, when any.
    pub rule: Option<&'r str>,
}

impl From<Timeline> for Rows {
    /// Rows that hold every entry of `timeline` as it is, in its order (for entries made
    /// elsewhere: tests, synthetic data).
    fn from(timeline: Timeline) -> Self {
        let Timeline { entries, coverage } = timeline;
        Self {
            order: (0..entries.len()).map(|i| Slot::Other(i).pack()).collect(),
            others: entries,
            logs: Vec::new(),
            names: Vec::new(),
            coverage,
        }
    }
}

impl Rows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn slot(&self, i: usize) -> Option<Slot> {
        self.order.get(i).copied().map(Slot::unpack)
    }

    fn name(&self, n: Name) -> Option<&str> {
        self.names.get(n as usize).map(String::as_str)
    }

    /// The filterable fields of row `i`.
    pub fn fields(&self, i: usize) -> Option<RowFields<'_>> {
        Some(match self.slot(i)? {
            Slot::Log(l) => {
                let row = self.logs.get(l)?;
                RowFields {
                    at: row.at(),
                    severity: row.severity,
                    source: row.family.name(),
                    node: self.name(row.node),
                    namespace: self.name(row.namespace),
                    rule: self.name(row.rule),
                }
            }
            Slot::Other(o) => {
                let e = self.others.get(o)?;
                RowFields {
                    at: e.at,
                    severity: e.severity,
                    source: &e.source,
                    node: e.node.as_deref(),
                    namespace: e.namespace.as_deref(),
                    rule: e.rule.as_deref(),
                }
            }
        })
    }

    /// The time of row `i`.
    pub fn at(&self, i: usize) -> Option<Timestamp> {
        match self.slot(i)? {
            Slot::Log(l) => self.logs.get(l).map(LogRow::at),
            Slot::Other(o) => self.others.get(o).map(|e| e.at),
        }
    }

    /// The entry of row `i`, rendered. `snapshot` and `content` must be the ones the rows
    /// were built from (with others, a log row's text is missing or wrong).
    pub fn entry(
        &self,
        i: usize,
        snapshot: &Snapshot,
        content: &dyn ContentSource,
    ) -> Option<TimelineEntry> {
        match self.slot(i)? {
            Slot::Log(l) => self.log_entry(l, snapshot, content),
            Slot::Other(o) => self.others.get(o).cloned(),
        }
    }

    /// The message of row `i` alone: what a text filter reads, without rendering the rest
    /// of the entry (see [`Rows::entry`] for `snapshot` and `content`).
    pub fn message(
        &self,
        i: usize,
        snapshot: &Snapshot,
        content: &dyn ContentSource,
    ) -> Option<String> {
        match self.slot(i)? {
            Slot::Log(l) => Some(log_row_text(self.logs.get(l)?, &self.names, snapshot, content).0),
            Slot::Other(o) => self.others.get(o).map(|e| e.message.clone()),
        }
    }

    /// The entry of the `l`th log row.
    fn log_entry(
        &self,
        l: usize,
        snapshot: &Snapshot,
        content: &dyn ContentSource,
    ) -> Option<TimelineEntry> {
        Some(render_log(
            self.logs.get(l)?,
            &self.names,
            snapshot,
            content,
        ))
    }

    /// Coverage per source and node, gaps included, sorted by (node, source).
    pub fn coverage(&self) -> &[Coverage] {
        &self.coverage
    }

    /// The coverage rows that record missing data.
    pub fn gaps(&self) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(|c| c.is_gap())
    }

    /// Every row rendered (in parallel), with the coverage: the whole [`Timeline`].
    pub fn collect(&self, snapshot: &Snapshot, content: &dyn ContentSource) -> Timeline {
        let entries = render_all(0..self.len(), |i| self.entry(i, snapshot, content));
        Timeline {
            entries,
            coverage: self.coverage.clone(),
        }
    }

    /// The rows' entries one at a time, in order (`snapshot` and `content` are the ones
    /// the rows were built from).
    fn into_stream<'a>(
        mut self,
        snapshot: &'a Snapshot,
        content: &'a dyn ContentSource,
    ) -> Stream<'a> {
        let others = std::mem::take(&mut self.others).into_iter();
        Stream {
            rows: self,
            all_others: others.len(),
            others,
            snapshot,
            content,
            next: 0,
        }
    }
}

/// The timeline's entries in order (see [`stream`]).
pub struct Stream<'a> {
    /// The rows, without their other entries (moved to `others`).
    rows: Rows,
    /// The other entries not passed on yet, in order.
    others: std::vec::IntoIter<TimelineEntry>,
    /// How many other entries there were.
    all_others: usize,
    snapshot: &'a Snapshot,
    content: &'a dyn ContentSource,
    /// The next row.
    next: usize,
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("left", &self.len())
            .finish_non_exhaustive()
    }
}

impl Stream<'_> {
    /// Coverage per source and node, gaps included, sorted by (node, source).
    pub fn coverage(&self) -> &[Coverage] {
        &self.rows.coverage
    }
}

impl Iterator for Stream<'_> {
    type Item = TimelineEntry;

    fn next(&mut self) -> Option<TimelineEntry> {
        let i = self.next;
        let slot = self.rows.slot(i)?;
        self.next += 1;
        match slot {
            // The other entries come in their own order: each is moved out, not copied.
            Slot::Other(_) => self.others.next(),
            Slot::Log(l) => self.rows.log_entry(l, self.snapshot, self.content),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.rows.len() - self.next.min(self.rows.len());
        (left, Some(left))
    }
}

impl ExactSizeIterator for Stream<'_> {}

/// Sorts entries by (time, source, archive, path, line), then by every other field.
///
/// The order compares every field, so entries it cannot tell apart are equal and an unstable
/// sort (which needs no buffer of half the list, unlike a stable one) gives the same list.
pub fn sort_entries(entries: &mut [TimelineEntry], content: &dyn ContentSource) {
    entries.sort_unstable_by(|a, b| order(a, b, content));
}

/// The timeline's order (see [`sort_entries`]).
fn order(a: &TimelineEntry, b: &TimelineEntry, content: &dyn ContentSource) -> std::cmp::Ordering {
    a.at.cmp(&b.at)
        .then_with(|| a.source.cmp(&b.source))
        .then_with(|| provenance_order(&a.provenance, &b.provenance, content))
        .then_with(|| a.time_desc.cmp(&b.time_desc))
        .then_with(|| a.message.cmp(&b.message))
        .then_with(|| a.node.cmp(&b.node))
        .then_with(|| a.namespace.cmp(&b.namespace))
        .then(a.severity.cmp(&b.severity))
        .then_with(|| a.rule.cmp(&b.rule))
        .then(a.provenance.artifact.cmp(&b.provenance.artifact))
}

/// The options, resolved against the snapshot.
struct Filter {
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    nodes: Option<BTreeSet<String>>,
    sources: Vec<String>,
    min_severity: Severity,
}

impl Filter {
    fn new(snapshot: &Snapshot, opts: &TimelineOptions) -> Self {
        let nodes = (!opts.nodes.is_empty()).then(|| {
            opts.nodes
                .iter()
                .map(|n| canonical_node(snapshot, n).unwrap_or_else(|| n.clone()))
                .collect()
        });
        Self {
            since: opts.since,
            until: opts.until,
            nodes,
            sources: opts
                .sources
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            min_severity: opts.min_severity,
        }
    }

    fn time(&self, at: Timestamp) -> bool {
        self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at <= u)
    }

    fn node(&self, node: Option<&str>) -> bool {
        match &self.nodes {
            None => true,
            Some(set) => node.is_some_and(|n| set.contains(n)),
        }
    }

    /// `family` is the entry's source; `unit` the journal unit of journal entries.
    fn source(&self, family: &str, unit: Option<&str>) -> bool {
        self.sources.is_empty()
            || self.sources.iter().any(|s| {
                let s = s.as_str();
                let singular = match s {
                    "events" => "event",
                    "pod-logs" | "pod logs" | "pods" | "logs" => "pod-log",
                    "journals" => "journal",
                    "nodes" => "node",
                    "certificates" | "certs" | "cert" => "certificate",
                    "clusteroperators" | "co" => "clusteroperator",
                    "clusterversions" | "cv" => "clusterversion",
                    other => other,
                };
                singular == family
                    || unit.is_some_and(|u| {
                        !u.is_empty()
                            && (s == u
                                || s.strip_prefix("journal:") == Some(u)
                                || s == format!("{u} journal"))
                    })
            })
    }

    fn keep(&self, e: &TimelineEntry, unit: Option<&str>) -> bool {
        e.severity >= self.min_severity
            && self.time(e.at)
            && self.node(e.node.as_deref())
            && self.source(&e.source, unit)
    }
}

/// Picks the log records of `file` (the `file_no`th of the snapshot's logs) that belong in
/// the timeline, and the coverage they give.
fn log_picks(
    file_no: usize,
    file: &LogFile,
    content: &dyn ContentSource,
    hits: &HashMap<Provenance, &Hit>,
    idx: &NodeIndex<'_>,
    filter: &Filter,
) -> PickedFile {
    let mut names = Names::default();
    let Some(data) = content.content(file.artifact) else {
        return PickedFile {
            rows: Vec::new(),
            coverage: Vec::new(),
            names,
        };
    };
    let data: &[u8] = &data;
    let file_no = u32::try_from(file_no).unwrap_or(u32::MAX);
    let namespace = match &file.source {
        LogSource::Pod { namespace, .. } => Some(namespace.as_str()),
        _ => None,
    };
    let mut picks = Vec::new();
    let mut cov: BTreeMap<(String, Option<String>), Coverage> = BTreeMap::new();
    // Streamed, not collected: a node journal holds millions of records, and its pages are
    // let go as the stream passes them.
    file.for_each_record(content, &mut |rec| {
        let Some(at) = record_time(rec) else {
            return;
        };
        let facts = LogFacts::of(file, rec, data, idx);
        let cov_label = match (&file.source, facts.unit.as_deref()) {
            (LogSource::Journal { unit }, Some(u)) => {
                if unit.is_empty() && !matches!(u, "kubelet" | "crio") {
                    "journal".to_owned()
                } else {
                    format!("{u} journal")
                }
            }
            (LogSource::Pod { .. }, _) => "pod logs".to_owned(),
            _ => "logs".to_owned(),
        };
        let c = cov
            .entry((cov_label.clone(), facts.node.clone()))
            .or_insert_with(|| Coverage {
                source: cov_label,
                node: facts.node.clone(),
                from: None,
                to: None,
                records: 0,
                provenance: vec![Provenance::file(file.artifact)],
                note: None,
            });
        c.records += 1;
        c.from = Some(c.from.map_or(at, |f| f.min(at)));
        c.to = Some(c.to.map_or(at, |t| t.max(at)));

        let Some((severity, rule)) = log_severity(file, rec, hits) else {
            return;
        };
        if severity < filter.min_severity
            || !filter.time(at)
            || !filter.node(facts.node.as_deref())
            || !filter.source(facts.family.name(), facts.unit.as_deref())
        {
            return;
        }
        picks.push(LogRow {
            at,
            start: rec.start,
            artifact: file.artifact,
            file: file_no,
            line: rec.line,
            len: u32::try_from(rec.end.saturating_sub(rec.start)).unwrap_or(u32::MAX),
            msg_start: rec.msg_start,
            ident: rec.ident,
            pid: rec.pid,
            family: facts.family,
            severity,
            rule: names.id(rule),
            node: names.id(facts.node.as_deref()),
            namespace: names.id(namespace),
            unit: names.id(facts.unit.as_deref()),
        });
    });
    PickedFile {
        rows: picks,
        coverage: cov.into_values().collect(),
        names,
    }
}

/// Where a log record belongs: its node, source family and (for journals) unit.
struct LogFacts {
    node: Option<String>,
    family: Family,
    unit: Option<String>,
}

impl LogFacts {
    fn of(file: &LogFile, rec: &LogRecord, data: &[u8], idx: &NodeIndex<'_>) -> Self {
        let unit = match &file.source {
            LogSource::Journal { unit } => Some(record_unit(unit, rec, data).into_owned()),
            _ => None,
        };
        Self {
            node: idx.log_node(file, rec, data),
            family: Family::of(&file.source),
            unit,
        }
    }
}

/// The severity (and rule) of a log record's entry: the rule that matched it, or its level
/// (error and fatal: warning; warning: info); `None` for a record the timeline leaves out.
fn log_severity<'h>(
    file: &LogFile,
    rec: &LogRecord,
    hits: &HashMap<Provenance, &'h Hit>,
) -> Option<(Severity, Option<&'h str>)> {
    let provenance = Provenance::at(file.artifact, rec.line, rec.start);
    match (hits.get(&provenance), rec.level) {
        (Some(h), _) => Some((h.severity, Some(h.rule.as_str()))),
        (None, Some(LogLevel::Error | LogLevel::Fatal)) => Some((Severity::Warning, None)),
        (None, Some(LogLevel::Warning)) => Some((Severity::Info, None)),
        _ => None,
    }
}

/// A log record's entry text: message and time description.
fn log_text(file: &LogFile, rec: &LogRecord, data: &[u8], unit: Option<&str>) -> (String, String) {
    match &file.source {
        LogSource::Pod { pod, container, .. } => (
            format!(
                "{pod}/{container}: {}",
                clip(rec.message(data), ENTRY_CHARS)
            ),
            "container log line".to_owned(),
        ),
        LogSource::Journal { .. } => (
            journal_message(rec, data),
            format!(
                "{} journal entry",
                unit.filter(|u| !u.is_empty()).unwrap_or("system")
            ),
        ),
        _ => (clip(rec.message(data), ENTRY_CHARS), "log line".to_owned()),
    }
}

fn journal_message(rec: &LogRecord, data: &[u8]) -> String {
    let msg = clip(rec.message(data), ENTRY_CHARS);
    match (rec.ident(data), rec.pid) {
        (Some(ident), Some(pid)) => format!("{}[{pid}]: {msg}", String::from_utf8_lossy(ident)),
        (Some(ident), None) => format!("{}: {msg}", String::from_utf8_lossy(ident)),
        _ => msg,
    }
}

fn event_entries(
    snapshot: &Snapshot,
    hits: &HashMap<Provenance, &Hit>,
    idx: &NodeIndex<'_>,
    filter: &Filter,
) -> (Vec<TimelineEntry>, Vec<Coverage>) {
    let mut entries = Vec::new();
    let mut cov = Coverage {
        source: "events".into(),
        node: None,
        from: None,
        to: None,
        records: 0,
        provenance: Vec::new(),
        note: None,
    };
    let mut files = BTreeSet::new();
    for located in &snapshot.events {
        let e = &located.value;
        let first = e.first_seen();
        let last = e.last_seen();
        for t in first.iter().chain(last.iter()) {
            cov.from = Some(cov.from.map_or(*t, |f| f.min(*t)));
            cov.to = Some(cov.to.map_or(*t, |x| x.max(*t)));
        }
        if first.is_some() || last.is_some() {
            cov.records += 1;
            files.insert(located.at.artifact);
        }
        let hit = hits.get(&located.at);
        let severity = hit.map_or(
            if e.is_warning() {
                Severity::Warning
            } else {
                Severity::Info
            },
            |h| h.severity,
        );
        let inv = e.involved();
        let kind_name = if inv.kind.is_empty() {
            inv.name.clone()
        } else {
            format!("{}/{}", inv.kind, inv.name)
        };
        let count = e.count();
        let body = clip(e.message().as_bytes(), ENTRY_CHARS);
        let message = format!(
            "{} {} x{count} {kind_name}: {body}",
            if e.event_type.is_empty() {
                "Normal"
            } else {
                &e.event_type
            },
            e.reason
        );
        let node = idx.event_node(e);
        let namespace = event_namespace(e).map(str::to_owned);
        let mut push = |at: Timestamp, time_desc: &str| {
            let entry = TimelineEntry {
                at,
                time_desc: time_desc.to_owned(),
                source: "event".into(),
                node: node.clone(),
                namespace: namespace.clone(),
                severity,
                rule: hit.map(|h| h.rule.clone()),
                message: message.clone(),
                provenance: located.at,
            };
            if filter.keep(&entry, None) {
                entries.push(entry);
            }
        };
        match (first, last) {
            (Some(f), Some(l)) if f != l => {
                push(f, "event first seen");
                push(l, "event last seen");
            }
            (Some(t), _) | (None, Some(t)) => push(t, "event seen"),
            (None, None) => {}
        }
    }
    cov.provenance = files.into_iter().map(Provenance::file).collect();
    let coverage = if cov.records > 0 {
        vec![cov]
    } else {
        Vec::new()
    };
    (entries, coverage)
}

fn node_entries(
    snapshot: &Snapshot,
    hits: &HashMap<(Provenance, &str), &Hit>,
    filter: &Filter,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for n in &snapshot.nodes {
        let name = &n.value.metadata.name;
        let node = canonical_node(snapshot, name).or_else(|| Some(name.clone()));
        let mut push = |at: Timestamp,
                        time_desc: &str,
                        severity: Severity,
                        rule: Option<String>,
                        message: String| {
            let e = TimelineEntry {
                at,
                time_desc: time_desc.to_owned(),
                source: "node".into(),
                node: node.clone(),
                namespace: None,
                severity,
                rule,
                message,
                provenance: n.at,
            };
            if filter.keep(&e, None) {
                out.push(e);
            }
        };
        for c in &n.value.status.conditions {
            let Some(at) = c.last_transition_time else {
                continue;
            };
            let text = condition_text(
                &c.kind,
                &c.status,
                c.reason.as_deref(),
                c.message.as_deref(),
            );
            let hit = hits.get(&(n.at, c.kind.as_str()));
            let default = match (c.kind.as_str(), c.status.as_str()) {
                ("Ready", "True") => Severity::Info,
                ("Ready", _) | (_, "True" | "Unknown") => Severity::Warning,
                _ => Severity::Info,
            };
            push(
                at,
                "condition last transition",
                hit.map_or(default, |h| h.severity),
                hit.map(|h| h.rule.clone()),
                format!("Node {name}: {}", clip(text.as_bytes(), ENTRY_CHARS)),
            );
        }
        let ready = n.value.ready();
        let heartbeat = ready.and_then(|c| c.last_heartbeat_time).or_else(|| {
            n.value
                .status
                .conditions
                .iter()
                .filter_map(|c| c.last_heartbeat_time)
                .max()
        });
        if let Some(at) = heartbeat {
            let status = ready.map_or("missing", |c| c.status.as_str());
            push(
                at,
                "last heartbeat",
                if status == "True" {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                None,
                format!("Node {name}: last kubelet heartbeat (Ready={status})"),
            );
        }
    }
    out
}

/// Lease renewals (a node lease's renew time is the kubelet's last heartbeat), CSR creation
/// and approval, and object creation times.
fn object_entries(snapshot: &Snapshot, filter: &Filter) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<TimelineEntry>, e: TimelineEntry| {
        if filter.keep(&e, None) {
            out.push(e);
        }
    };
    let info = |at,
                time_desc: &str,
                source: &str,
                node: Option<String>,
                namespace: Option<String>,
                message: String,
                provenance| TimelineEntry {
        at,
        time_desc: time_desc.to_owned(),
        source: source.to_owned(),
        node,
        namespace,
        severity: Severity::Info,
        rule: None,
        message,
        provenance,
    };
    for l in &snapshot.leases {
        let m = &l.value.metadata;
        let Some(at) = l.value.spec.renew_time else {
            continue;
        };
        let node_lease = m.namespace.as_deref() == Some("kube-node-lease");
        let node = if node_lease {
            snapshot.node_for_host(&m.name).map(str::to_owned)
        } else {
            None
        };
        let holder = l.value.spec.holder_identity.as_deref().unwrap_or("?");
        let message = if node_lease {
            format!("Lease kube-node-lease/{}: last kubelet heartbeat", m.name)
        } else {
            format!(
                "Lease {}/{}: renewed by {holder}",
                m.namespace.as_deref().unwrap_or(""),
                m.name
            )
        };
        push(
            &mut out,
            info(
                at,
                "lease renewed",
                "lease",
                node,
                m.namespace.clone(),
                message,
                l.at,
            ),
        );
    }
    for c in &snapshot.csrs {
        let m = &c.value.metadata;
        let signer = c.value.spec.signer_name.as_deref().unwrap_or("?");
        if let Some(at) = m.creation_timestamp {
            let message = format!(
                "CSR {} requested by {} for {signer}",
                m.name, c.value.spec.username
            );
            push(
                &mut out,
                info(at, "csr created", "csr", None, None, message, c.at),
            );
        }
        for cond in &c.value.status.conditions {
            let Some(at) = cond.last_update_time else {
                continue;
            };
            let message = format!(
                "CSR {}: {} ({})",
                m.name,
                cond.kind,
                cond.reason.as_deref().unwrap_or("-")
            );
            push(
                &mut out,
                info(at, "csr condition", "csr", None, None, message, c.at),
            );
        }
    }
    for o in &snapshot.created {
        let v = &o.value;
        if v.kind == "Event" {
            continue; // events have their own rows
        }
        let node = (v.kind == "Node").then(|| v.name.clone());
        let name = match &v.namespace {
            Some(ns) => format!("{ns}/{}", v.name),
            None => v.name.clone(),
        };
        push(
            &mut out,
            info(
                v.at,
                "object created",
                "object",
                node,
                v.namespace.clone(),
                format!("{} {name} created", v.kind),
                o.at,
            ),
        );
    }
    out
}

fn cluster_version_entries(snapshot: &Snapshot, filter: &Filter) -> Vec<TimelineEntry> {
    let Some(cv) = &snapshot.cluster_version else {
        return Vec::new();
    };
    let history = &cv.value.status.history;
    let mut out = Vec::new();
    for (i, h) in history.iter().enumerate() {
        let install = i + 1 == history.len();
        let what = if install {
            format!("installation of {}", h.version)
        } else {
            format!("update to {}", h.version)
        };
        let mut push = |at: Option<Timestamp>, time_desc: &str, message: String| {
            let Some(at) = at else { return };
            let e = TimelineEntry {
                at,
                time_desc: time_desc.to_owned(),
                source: "clusterversion".into(),
                node: None,
                namespace: None,
                severity: Severity::Info,
                rule: None,
                message,
                provenance: cv.at,
            };
            if filter.keep(&e, None) {
                out.push(e);
            }
        };
        push(
            h.started_time,
            "update started",
            format!("ClusterVersion: {what} started ({})", h.state),
        );
        if h.state == "Completed" {
            push(
                h.completion_time,
                "update completed",
                format!("ClusterVersion: {what} completed"),
            );
        }
    }
    out
}

fn cluster_operator_entries(
    snapshot: &Snapshot,
    hits: &HashMap<(Provenance, &str), &Hit>,
    filter: &Filter,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for co in &snapshot.cluster_operators {
        let name = &co.value.metadata.name;
        for c in &co.value.status.conditions {
            let Some(at) = c.last_transition_time else {
                continue;
            };
            let hit = hits.get(&(co.at, c.kind.as_str()));
            let default = match (c.kind.as_str(), c.status.as_str()) {
                ("Degraded", "True") | ("Available", "False" | "Unknown") => Severity::Warning,
                _ => Severity::Info,
            };
            let text = condition_text(
                &c.kind,
                &c.status,
                c.reason.as_deref(),
                c.message.as_deref(),
            );
            let e = TimelineEntry {
                at,
                time_desc: "condition last transition".into(),
                source: "clusteroperator".into(),
                node: None,
                namespace: None,
                severity: hit.map_or(default, |h| h.severity),
                rule: hit.map(|h| h.rule.clone()),
                message: format!(
                    "clusteroperator/{name} {}",
                    clip(text.as_bytes(), ENTRY_CHARS)
                ),
                provenance: co.at,
            };
            if filter.keep(&e, None) {
                out.push(e);
            }
        }
    }
    out
}

/// A bundle with more certificates than this is a copy of a system trust store.
const TRUST_STORE_SIZE: usize = 50;

fn certificate_entries(snapshot: &Snapshot, filter: &Filter) -> Vec<TimelineEntry> {
    // Certificates per (object, key): public roots live in big injected trust bundles
    // (trusted-ca-bundle, cco-trusted-ca, openshift-global-ca, ...), which are not cluster history.
    let mut bundle_sizes: HashMap<(Option<&str>, &str, Provenance), usize> = HashMap::new();
    for inv in &snapshot.certificates {
        for s in &inv.sources {
            *bundle_sizes
                .entry((s.object.as_deref(), s.key.as_str(), s.provenance))
                .or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for inv in &snapshot.certificates {
        let cert = &inv.cert;
        if !cert.is_ca {
            continue;
        }
        let cluster_sources: Vec<_> = inv
            .sources
            .iter()
            .filter(|s| {
                !s.object
                    .as_deref()
                    .is_some_and(|o| o.contains("trusted-ca"))
                    && bundle_sizes
                        .get(&(s.object.as_deref(), s.key.as_str(), s.provenance))
                        .copied()
                        .unwrap_or(0)
                        <= TRUST_STORE_SIZE
            })
            .collect();
        let Some(first) = cluster_sources.first() else {
            continue;
        };
        let name = cert
            .subject_cn
            .clone()
            .unwrap_or_else(|| cert.subject.clone());
        let short = cert.sha256.get(..16).unwrap_or(&cert.sha256);
        let places = cluster_sources.len();
        let namespace = first
            .object
            .as_deref()
            .and_then(|o| o.split('/').next().filter(|_| o.matches('/').count() >= 2))
            .map(str::to_owned);
        let node = if first.object.is_none() {
            snapshot
                .parts
                .iter()
                .find(|p| p.archive == first.provenance.artifact.archive && p.node.is_some())
                .and_then(|p| p.node.clone())
        } else {
            None
        };
        let more = if places > 1 {
            format!(" (+{} more)", places - 1)
        } else {
            String::new()
        };
        let expired = snapshot
            .collected_at
            .is_some_and(|now| cert.not_after <= now);
        let where_ = match &first.object {
            Some(o) => format!("{o} {}", first.key),
            None => first.key.clone(),
        };
        let rows = [
            (
                cert.not_before,
                "certificate not before",
                Severity::Info,
                format!("CA {name:?} (sha256 {short}…) valid from; in {where_}{more}"),
            ),
            (
                cert.not_after,
                "certificate not after",
                if expired {
                    Severity::Warning
                } else {
                    Severity::Info
                },
                format!(
                    "CA {name:?} (sha256 {short}…) {}; in {where_}{more}",
                    if expired { "expired" } else { "expires" },
                ),
            ),
        ];
        for (at, time_desc, severity, message) in rows {
            let e = TimelineEntry {
                at,
                time_desc: time_desc.to_owned(),
                source: "certificate".into(),
                node: node.clone(),
                namespace: namespace.clone(),
                severity,
                rule: None,
                message,
                provenance: first.provenance,
            };
            if filter.keep(&e, None) {
                out.push(e);
            }
        }
    }
    out
}

/// Merges per-file coverage into one row per (source, node), adds the gaps (nodes without a
/// kubelet journal, a CRI-O journal or pod logs), applies the node and source filters.
fn merge_coverage(rows: Vec<Coverage>, snapshot: &Snapshot, filter: &Filter) -> Vec<Coverage> {
    let mut merged: BTreeMap<(Option<String>, String), Coverage> = BTreeMap::new();
    for c in rows {
        match merged.get_mut(&(c.node.clone(), c.source.clone())) {
            Some(m) => {
                m.records += c.records;
                m.from = min_opt(m.from, c.from);
                m.to = max_opt(m.to, c.to);
                m.provenance.extend(c.provenance);
            }
            None => {
                merged.insert((c.node.clone(), c.source.clone()), c);
            }
        }
    }
    for m in merged.values_mut() {
        m.provenance.sort();
        m.provenance.dedup();
    }
    for node in &snapshot.node_names {
        for (source, what) in [
            ("kubelet journal", "no kubelet journal"),
            ("crio journal", "no crio journal"),
            ("pod logs", "no pod logs"),
        ] {
            merged
                .entry((Some(node.clone()), source.to_owned()))
                .or_insert_with(|| Coverage {
                    source: source.to_owned(),
                    node: Some(node.clone()),
                    from: None,
                    to: None,
                    records: 0,
                    provenance: Vec::new(),
                    note: Some(format!("{what} for node {node}")),
                });
        }
    }
    merged
        .into_values()
        .filter(|c| {
            (c.node.is_none() || filter.node(c.node.as_deref()))
                && filter.source(
                    match c.source.as_str() {
                        "events" => "event",
                        "pod logs" => "pod-log",
                        _ => "journal",
                    },
                    c.source.strip_suffix(" journal"),
                )
        })
        .collect()
}

fn min_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    a.max(b)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::borrow::Cow;

    use casefile_model::kube::{Event, Node, NodeCondition};
    use casefile_model::log::LineSpan;
    use casefile_model::{ArchiveId, ArtifactId, Located, LogFormat};

    use super::*;
    use crate::rules::{RuleSet, scan};

    const JOURNAL: &str = "\
Feb 09 08:13:52 ip-10-0-22-198 kubenswrapper[2709]: E0209 08:13:52.927979    2709 kubelet_node_status.go:96] \"Unable to register node with API server\" err=\"Post \\\"https://api-int.c.example:6443/api/v1/nodes\\\": tls: failed to verify certificate: x509: certificate signed by unknown authority\" node=\"ip-10-0-22-198.eu-central-1.compute.internal\"
Feb 09 08:13:53 ip-10-0-22-198 kubenswrapper[2709]: I0209 08:13:53.000001    2709 kubelet.go:1] \"fine\"
Feb 09 08:13:54 ip-10-0-22-198 kubenswrapper[2709]: E0209 08:13:54.000002    2709 kubelet.go:2] \"something else failed\"
";

    struct Mem(Vec<u8>);

    impl ContentSource for Mem {
        fn content(&self, _: ArtifactId) -> Option<Cow<'_, [u8]>> {
            Some(Cow::Borrowed(&self.0))
        }
        fn path(&self, a: ArtifactId) -> &str {
            if a.entry == 0 {
                "sos_commands/openshift/journalctl_--no-pager_--unit_kubelet"
            } else {
                "namespaces/default/core/events.yaml"
            }
        }
        fn archive_label(&self, _: ArchiveId) -> String {
            "sosreport.tar.xz".into()
        }
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn records(data: &str) -> Vec<LogRecord> {
        let mut out = Vec::new();
        let mut start = 0u64;
        for (i, line) in data.lines().enumerate() {
            // "Feb 09 08:13:52 host ident[pid]: E0209 08:13:52.927979 ..." (February only)
            let at = ts(&format!("2024-02-{}T{}Z", &line[4..6], &line[7..15]));
            let klog = &line[line.find("]: ").unwrap() + 3..];
            let inner = ts(&format!(
                "2024-{}-{}T{}Z",
                &klog[1..3],
                &klog[3..5],
                &klog[6..21]
            ));
            let host_start = 16u32;
            let host_end = host_start + 14;
            out.push(LogRecord {
                line: u32::try_from(i + 1).unwrap(),
                end_line: u32::try_from(i + 1).unwrap(),
                start,
                end: start + line.len() as u64,
                at: Some(at),
                inner_at: Some(inner),
                level: LogLevel::from_klog_char(klog.as_bytes()[0]),
                host: Some(LineSpan {
                    start: host_start,
                    end: host_end,
                }),
                ident: Some(LineSpan {
                    start: host_end + 1,
                    end: host_end + 14,
                }),
                pid: Some(2709),
                msg_start: u32::try_from(line.find("]: ").unwrap() + 3).unwrap(),
                year_inferred: true,
            });
            start += line.len() as u64 + 1;
        }
        out
    }

    fn snapshot() -> Snapshot {
        let a = ArtifactId::new(ArchiveId(0), 0);
        let ev = ArtifactId::new(ArchiveId(0), 1);
        let node_name = "ip-10-0-22-198.eu-central-1.compute.internal".to_owned();
        let mut node = Node::default();
        node.metadata.name.clone_from(&node_name);
        node.status.conditions.push(NodeCondition {
            kind: "Ready".into(),
            status: "Unknown".into(),
            reason: Some("NodeStatusUnknown".into()),
            message: Some("Kubelet stopped posting node status.".into()),
            last_heartbeat_time: Some(ts("2024-02-09T08:12:22Z")),
            last_transition_time: Some(ts("2024-02-09T08:13:06Z")),
        });
        let mut event = Event {
            reason: "NodeNotReady".into(),
            message: format!("Node {node_name} status is now: NodeNotReady"),
            event_type: "Normal".into(),
            count: Some(3),
            first_timestamp: Some(ts("2024-02-09T08:13:06Z")),
            last_timestamp: Some(ts("2024-02-09T08:20:00Z")),
            ..Event::default()
        };
        event.involved_object.kind = "Node".into();
        event.involved_object.name.clone_from(&node_name);
        Snapshot {
            collected_at: Some(ts("2024-02-10T05:40:12Z")),
            node_names: vec![
                "ip-10-0-1-85.eu-central-1.compute.internal".into(),
                node_name.clone(),
            ],
            nodes: vec![Located {
                value: node,
                at: Provenance::line(ev, 1),
            }],
            events: vec![Located {
                value: event,
                at: Provenance::line(ev, 3),
            }],
            logs: vec![LogFile {
                artifact: a,
                source: LogSource::Journal {
                    unit: "kubelet".into(),
                },
                node: None,
                format: LogFormat::Journal,
                year_reference: None,
                records: records(JOURNAL),
            }],
            ..Snapshot::default()
        }
    }

    #[test]
    fn entries_hits_coverage_and_gaps() {
        let snap = snapshot();
        let content = Mem(JOURNAL.as_bytes().to_vec());
        let hits = scan(&snap, &content, &RuleSet::builtin());
        let rules: Vec<&str> = hits.iter().map(|h| h.rule.as_str()).collect();
        // events are placed at their last occurrence
        assert_eq!(
            rules,
            [
                "node-status-unknown",
                "kubelet-api-tls-unknown-authority",
                "event-node-not-ready"
            ]
        );
        assert_eq!(hits[2].first_at, Some(ts("2024-02-09T08:13:06Z")));
        assert_eq!(hits[2].count, Some(3));
        assert_eq!(
            hits[2].node.as_deref(),
            Some("ip-10-0-22-198.eu-central-1.compute.internal")
        );
        let tls = &hits[1];
        assert_eq!(tls.at, Some(ts("2024-02-09T08:13:52.927979Z")));
        assert_eq!(
            tls.node.as_deref(),
            Some("ip-10-0-22-198.eu-central-1.compute.internal")
        );
        assert!(tls.hints.tls_prefix && tls.hints.api_int);

        let t = build(&snap, &content, &hits, &TimelineOptions::default());
        let rows: Vec<(String, &str, Severity, Option<&str>)> = t
            .entries
            .iter()
            .map(|e| {
                (
                    e.at.to_string(),
                    e.time_desc.as_str(),
                    e.severity,
                    e.rule.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "2024-02-09T08:12:22Z".to_owned(),
                    "last heartbeat",
                    Severity::Warning,
                    None
                ),
                (
                    "2024-02-09T08:13:06Z".to_owned(),
                    "event first seen",
                    Severity::Warning,
                    Some("event-node-not-ready")
                ),
                (
                    "2024-02-09T08:13:06Z".to_owned(),
                    "condition last transition",
                    Severity::Critical,
                    Some("node-status-unknown")
                ),
                (
                    "2024-02-09T08:13:52.927979Z".to_owned(),
                    "kubelet journal entry",
                    Severity::Critical,
                    Some("kubelet-api-tls-unknown-authority")
                ),
                (
                    "2024-02-09T08:13:54.000002Z".to_owned(),
                    "kubelet journal entry",
                    Severity::Warning,
                    None
                ),
                (
                    "2024-02-09T08:20:00Z".to_owned(),
                    "event last seen",
                    Severity::Warning,
                    Some("event-node-not-ready")
                ),
            ]
        );
        assert!(
            t.entries[3]
                .message
                .starts_with("kubenswrapper[2709]: E0209 08:13:52.927979")
        );
        assert!(t.entries[1].message.contains("x3 Node/ip-10-0-22-198"));
        // coverage: the journal's window for the node; gaps for the other node and sources
        let kubelet = t
            .coverage
            .iter()
            .find(|c| c.source == "kubelet journal" && c.records > 0)
            .unwrap();
        assert_eq!(
            kubelet.node.as_deref(),
            Some("ip-10-0-22-198.eu-central-1.compute.internal")
        );
        assert_eq!(kubelet.records, 3);
        assert_eq!(kubelet.from, Some(ts("2024-02-09T08:13:52.927979Z")));
        let gaps: Vec<&str> = t.gaps().filter_map(|c| c.note.as_deref()).collect();
        assert!(
            gaps.contains(
                &"no kubelet journal for node ip-10-0-1-85.eu-central-1.compute.internal"
            ),
            "{gaps:?}"
        );
        assert!(
            gaps.contains(&"no crio journal for node ip-10-0-22-198.eu-central-1.compute.internal"),
            "{gaps:?}"
        );

        // filters
        let only = |opts: TimelineOptions| build(&snap, &content, &hits, &opts).entries.len();
        assert_eq!(
            only(TimelineOptions {
                min_severity: Severity::Critical,
                ..TimelineOptions::default()
            }),
            2
        );
        assert_eq!(
            only(TimelineOptions {
                sources: vec!["kubelet".into()],
                ..TimelineOptions::default()
            }),
            2
        );
        assert_eq!(
            only(TimelineOptions {
                sources: vec!["events".into()],
                ..TimelineOptions::default()
            }),
            2
        );
        assert_eq!(
            only(TimelineOptions {
                nodes: vec!["ip-10-0-22-198".into()],
                ..TimelineOptions::default()
            }),
            6
        );
        assert_eq!(
            only(TimelineOptions {
                nodes: vec!["ip-10-0-1-85".into()],
                ..TimelineOptions::default()
            }),
            0
        );
        assert_eq!(
            only(TimelineOptions {
                since: Some(ts("2024-02-09T08:13:10Z")),
                until: Some(ts("2024-02-09T08:13:53Z")),
                ..TimelineOptions::default()
            }),
            1
        );
    }

    /// [`JOURNAL`] with its last record at the time of its first.
    const TIED: &str = "\
Feb 09 08:13:52 ip-10-0-22-198 kubenswrapper[2709]: E0209 08:13:52.927979    2709 kubelet_node_status.go:96] \"Unable to register node with API server\" err=\"Post \\\"https://api-int.c.example:6443/api/v1/nodes\\\": tls: failed to verify certificate: x509: certificate signed by unknown authority\" node=\"ip-10-0-22-198.eu-central-1.compute.internal\"
Feb 09 08:13:53 ip-10-0-22-198 kubenswrapper[2709]: I0209 08:13:53.000001    2709 kubelet.go:1] \"fine\"
Feb 09 08:13:52 ip-10-0-22-198 kubenswrapper[2709]: E0209 08:13:52.927979    2709 kubelet.go:2] \"something else failed\"
";

    /// Two journals with the same records (ties on time and source), one of them listed twice
    /// (ties on everything the order compares before the entry's text).
    struct Journals;

    impl ContentSource for Journals {
        fn content(&self, _: ArtifactId) -> Option<Cow<'_, [u8]>> {
            Some(Cow::Borrowed(TIED.as_bytes()))
        }
        fn content_range(&self, a: ArtifactId, from: u64, len: u64) -> Option<Cow<'_, [u8]>> {
            // Like a cache blob read with pread: a copy of the bytes asked for, nothing more.
            let all = self.content(a)?;
            let from = usize::try_from(from).unwrap();
            Some(Cow::Owned(
                all[from..from + usize::try_from(len).unwrap()].to_vec(),
            ))
        }
        fn path(&self, a: ArtifactId) -> &str {
            ["b/journal_kubelet", "a/journal_kubelet", "events.yaml"][a.entry as usize]
        }
        fn archive_label(&self, _: ArchiveId) -> String {
            "sosreport.tar.xz".into()
        }
    }

    /// A whole case holds about 750,000 log rows for as long as it is open: each stays a
    /// fraction of its parsed record (112 bytes) and of its rendered entry (200 bytes plus
    /// its text).
    #[test]
    fn a_log_row_is_smaller_than_its_record() {
        assert!(size_of::<LogRow>() <= 88, "{}", size_of::<LogRow>());
        assert!(size_of::<LogRow>() < size_of::<LogRecord>());
    }

    #[test]
    fn the_stream_gives_the_sorted_list_with_ties_across_files_and_extra_entries() {
        let mut snap = snapshot();
        snap.logs[0].records = records(TIED);
        let journal = snap.logs[0].clone();
        let other = LogFile {
            artifact: ArtifactId::new(ArchiveId(0), 1),
            ..journal.clone()
        };
        // b (entry 0) listed twice, a (entry 1) once, read in that order.
        snap.logs = vec![journal.clone(), other, journal];
        for e in &mut snap.events {
            e.at = Provenance::line(ArtifactId::new(ArchiveId(0), 2), 3);
        }
        let content = Journals;
        let hits = scan(&snap, &content, &RuleSet::builtin());
        let at = ts("2024-02-09T08:13:52.927979Z");
        let extra = |source: &str| TimelineEntry {
            at,
            time_desc: "extra".into(),
            source: source.into(),
            node: None,
            namespace: None,
            severity: Severity::Info,
            rule: None,
            message: source.into(),
            provenance: Provenance::file(ArtifactId::new(ArchiveId(0), 2)),
        };
        let opts = TimelineOptions::default();
        let streamed: Vec<TimelineEntry> = stream(
            &snap,
            &content,
            &hits,
            vec![extra("zzz"), extra("aaa")],
            &opts,
        )
        .collect();
        let mut sorted = streamed.clone();
        sort_entries(&mut sorted, &content);
        assert_eq!(streamed, sorted, "the stream is in the list's order");

        // Two records of each journal copy (the info line is not an entry), rendered from
        // their own bytes alone.
        let logs: Vec<(&str, u32, &str)> = streamed
            .iter()
            .filter(|e| e.source == "journal")
            .map(|e| {
                (
                    content.path(e.provenance.artifact),
                    e.provenance.line.unwrap(),
                    e.message.as_str(),
                )
            })
            .collect();
        let first = "kubenswrapper[2709]: E0209 08:13:52.927979    2709 kubelet_node_status.go:96]";
        let last = "kubenswrapper[2709]: E0209 08:13:52.927979    2709 kubelet.go:2] \"something else failed\"";
        // All six at one time: by path, then line; the copies of b side by side.
        let order: Vec<(&str, u32)> = logs.iter().map(|l| (l.0, l.1)).collect();
        assert_eq!(
            order,
            [
                ("a/journal_kubelet", 1),
                ("a/journal_kubelet", 3),
                ("b/journal_kubelet", 1),
                ("b/journal_kubelet", 1),
                ("b/journal_kubelet", 3),
                ("b/journal_kubelet", 3)
            ]
        );
        for (_, line, message) in &logs {
            match line {
                1 => assert!(message.starts_with(first), "{message}"),
                _ => assert_eq!(*message, last),
            }
        }
        // The extra entries at the records' time sort by source around them.
        let around: Vec<&str> = streamed
            .iter()
            .filter(|e| e.at == at)
            .map(|e| e.source.as_str())
            .collect();
        assert_eq!(around[0], "aaa");
        assert_eq!(around[around.len() - 1], "zzz");
        assert_eq!(around.len(), 8, "{around:?}");
        // Collected, the stream is what `build` gives, extra entries aside.
        let built = build(&snap, &content, &hits, &opts);
        let without: Vec<&TimelineEntry> =
            streamed.iter().filter(|e| e.time_desc != "extra").collect();
        assert_eq!(without, built.entries.iter().collect::<Vec<_>>());
        // The compact rows: each row's fields and rendered entry are the stream's, and so is
        // the whole list they render to.
        let rows = rows(
            &snap,
            &content,
            &hits,
            vec![extra("zzz"), extra("aaa")],
            &opts,
        );
        assert_eq!(rows.len(), streamed.len());
        for (i, e) in streamed.iter().enumerate() {
            assert_eq!(rows.entry(i, &snap, &content).as_ref(), Some(e), "row {i}");
            assert_eq!(rows.message(i, &snap, &content).as_ref(), Some(&e.message));
            let f = rows.fields(i).unwrap();
            assert_eq!(
                (f.at, f.severity, f.source, f.node, f.namespace, f.rule),
                (
                    e.at,
                    e.severity,
                    e.source.as_str(),
                    e.node.as_deref(),
                    e.namespace.as_deref(),
                    e.rule.as_deref()
                ),
                "row {i}"
            );
            assert_eq!(rows.at(i), Some(e.at));
        }
        assert_eq!(rows.entry(streamed.len(), &snap, &content), None);
        assert_eq!(rows.fields(streamed.len()), None);
        assert_eq!(rows.collect(&snap, &content).entries, streamed);
        // A stream collected after a few entries were taken gives the rest of the list, the
        // other entries included.
        for taken in [0, 1, 5, streamed.len()] {
            let extras = vec![extra("zzz"), extra("aaa")];
            let mut s = stream(&snap, &content, &hits, extras, &opts);
            let head: Vec<TimelineEntry> = s.by_ref().take(taken).collect();
            assert_eq!(s.len(), streamed.len() - taken);
            let rest = collect(s).entries;
            assert_eq!([head, rest].concat(), streamed, "{taken} taken first");
        }
        // Other entries that tie with a log row on time, source and provenance: the rest of
        // the rendered entry places them, before and after the row.
        let log = Provenance::at(ArtifactId::new(ArchiveId(0), 1), 1, 0);
        let tie = |time_desc: &str| TimelineEntry {
            time_desc: time_desc.into(),
            source: "journal".into(),
            provenance: log,
            ..extra("journal")
        };
        let tied: Vec<TimelineEntry> =
            stream(&snap, &content, &hits, vec![tie("zz"), tie("a")], &opts).collect();
        let mut sorted = tied.clone();
        sort_entries(&mut sorted, &content);
        assert_eq!(tied, sorted);
        let at_log: Vec<&str> = tied
            .iter()
            .filter(|e| e.provenance == log)
            .map(|e| e.time_desc.as_str())
            .collect();
        assert_eq!(at_log, ["a", "kubelet journal entry", "zz"]);
    }
}
