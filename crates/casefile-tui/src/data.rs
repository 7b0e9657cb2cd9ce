//! The data a case view browses, loaded once and never mutated: the decoded snapshot, the
//! analysis, the case summary, and a [`ContentSource`] for evidence.
//!
//! [`load`] opens the archives, assembles the snapshot and runs the analysis, reporting
//! progress as it goes (the event loop runs it on a background thread).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use casefile::TimelineRows;
use casefile::ingest::summary::CaseSummary;
use casefile::ingest::{Case, CaseOptions};
use casefile_correlate::{Analysis, AnalyzeOptions};
use casefile_model::{ContentSource, Diagnostic, Snapshot, TimelineEntry};

use crate::action::LoadEvent;

/// Distinct values of the timeline's filterable fields (for cycling filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Sources (`journal`, `event`, ...), sorted.
    pub sources: Vec<String>,
    /// Nodes, sorted.
    pub nodes: Vec<String>,
    /// Namespaces, sorted.
    pub namespaces: Vec<String>,
}

impl Facets {
    /// The distinct values of a timeline.
    pub fn of(rows: &TimelineRows) -> Self {
        let mut sources = BTreeSet::new();
        let mut nodes = BTreeSet::new();
        let mut namespaces = BTreeSet::new();
        for e in (0..rows.len()).filter_map(|i| rows.fields(i)) {
            if !sources.contains(e.source) {
                sources.insert(e.source);
            }
            if let Some(n) = e.node
                && !nodes.contains(n)
            {
                nodes.insert(n);
            }
            if let Some(n) = e.namespace
                && !namespaces.contains(n)
            {
                namespaces.insert(n);
            }
        }
        let own = |s: BTreeSet<&str>| s.into_iter().map(str::to_owned).collect();
        Self {
            sources: own(sources),
            nodes: own(nodes),
            namespaces: own(namespaces),
        }
    }
}

/// Everything the UI shows about one case.
pub struct CaseData {
    /// The decoded case.
    pub snapshot: Snapshot,
    /// Findings, timeline, trust.
    pub analysis: Analysis,
    /// Identity, version, nodes, archives (absent for synthetic data).
    pub summary: Option<CaseSummary>,
    /// Problems met while reading and decoding.
    pub diagnostics: Vec<Diagnostic>,
    /// Raw bytes behind provenance.
    pub content: Arc<dyn ContentSource>,
    /// The case itself, for resource queries (absent for synthetic data).
    // Loaded through the facade (`casefile::Case::into_parts`); resource queries use the
    // parser crate's case the facade hands over.
    pub case: Option<Arc<Case>>,
    /// Distinct timeline values.
    pub facets: Facets,
}

impl std::fmt::Debug for CaseData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseData")
            .field("timeline", &self.analysis.timeline.len())
            .field("findings", &self.analysis.findings.len())
            .finish_non_exhaustive()
    }
}

impl CaseData {
    /// Data without a case behind it (benchmarks, tests): resources are unavailable.
    pub fn new(snapshot: Snapshot, analysis: Analysis, content: Arc<dyn ContentSource>) -> Self {
        let facets = Facets::of(&analysis.timeline);
        Self {
            snapshot,
            analysis,
            summary: None,
            diagnostics: Vec::new(),
            content,
            case: None,
            facets,
        }
    }

    /// Assembles and analyzes an opened case (through the library facade, like the CLI).
    pub fn from_case(case: casefile::Case, report: &dyn Fn(LoadEvent)) -> Self {
        report(LoadEvent::Stage("assembling the snapshot".into()));
        let _ = case.snapshot();
        report(LoadEvent::Stage("analyzing".into()));
        let _ = case.analysis();
        report(LoadEvent::Stage("summarizing".into()));
        let parts = case.into_parts();
        let case = Arc::new(parts.ingest);
        let facets = Facets::of(&parts.analysis.timeline);
        Self {
            snapshot: parts.snapshot,
            analysis: parts.analysis,
            summary: Some(parts.summary),
            diagnostics: parts.warnings,
            content: case.clone(),
            case: Some(case),
            facets,
        }
    }

    /// The timeline's rows (the analysis' compact timeline).
    pub fn timeline(&self) -> &TimelineRows {
        &self.analysis.timeline
    }

    /// Timeline row `i`, rendered (a log row's text is read from its record's own bytes).
    pub fn timeline_entry(&self, i: usize) -> Option<TimelineEntry> {
        self.analysis
            .timeline
            .entry(i, &self.snapshot, self.content.as_ref())
    }

    /// Timeline row `i`'s message alone (what a text filter reads).
    pub fn timeline_message(&self, i: usize) -> Option<String> {
        self.analysis
            .timeline
            .message(i, &self.snapshot, self.content.as_ref())
    }

    /// The archive label of an artifact's archive.
    pub fn label(&self, p: &casefile_model::Provenance) -> String {
        self.content.archive_label(p.artifact.archive)
    }

    /// `file:line` of a provenance, with the file's last path component only.
    pub fn short_location(&self, p: &casefile_model::Provenance) -> String {
        let path = self.content.path(p.artifact);
        let file = path.rsplit('/').next().unwrap_or(path);
        match p.line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_owned(),
        }
    }
}

/// Opens, assembles and analyzes a case, reporting progress.
pub fn load(
    paths: &[PathBuf],
    case_opts: &CaseOptions,
    analyze_opts: &AnalyzeOptions,
    report: &(dyn Fn(LoadEvent) + Send + Sync),
) -> Result<CaseData, String> {
    let inputs = casefile::ingest::case::expand_case_dirs(paths);
    let total: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum();
    report(LoadEvent::Stage("reading archives".into()));
    let bytes = Arc::new(AtomicU64::new(0));
    let files = Arc::new(AtomicUsize::new(0));
    let mut opts = case_opts.clone();
    let n_inputs = inputs.len();
    // Progress: bytes consumed; an input counts as done when its bytes reach its size.
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    let (tx, rx) = std::sync::mpsc::channel::<u64>();
    {
        let bytes = bytes.clone();
        let files = files.clone();
        let sizes = sizes.clone();
        opts.progress = Some(Arc::new(move |p: casefile::Progress| {
            let n = p.bytes;
            let now = bytes.fetch_add(n, Ordering::Relaxed) + n;
            let mut done = 0;
            let mut acc = 0;
            for s in &sizes {
                acc += s;
                if now >= acc {
                    done += 1;
                }
            }
            files.store(done, Ordering::Relaxed);
            let _ = tx.send(now);
        }));
    }
    let mut builder = casefile::Case::builder()
        .no_cache(opts.no_cache)
        .rules(analyze_opts.rules.clone())
        .time_window(analyze_opts.timeline.since, analyze_opts.timeline.until);
    if let Some(dir) = &opts.cache_dir {
        builder = builder.cache_dir(dir.clone());
    }
    if let Some(progress) = opts.progress.clone() {
        builder = builder.progress(move |p| progress(p));
    }
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| builder.open(&inputs));
        // Forward progress (throttled) while the worker reads.
        loop {
            let _ = rx.recv_timeout(std::time::Duration::from_millis(50));
            while rx.try_recv().is_ok() {}
            report(LoadEvent::Progress {
                bytes: bytes.load(Ordering::Relaxed).min(total),
                total,
                files: files.load(Ordering::Relaxed),
                inputs: n_inputs,
            });
            if worker.is_finished() {
                break;
            }
        }
        worker.join()
    });
    let case = match result {
        Ok(Ok(case)) => case,
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => return Err("reading the archives failed unexpectedly".into()),
    };
    report(LoadEvent::Progress {
        bytes: total,
        total,
        files: n_inputs,
        inputs: n_inputs,
    });
    Ok(CaseData::from_case(case, &|e| report(e)))
}
