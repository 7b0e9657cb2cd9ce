//! casefile's correlation crate: from a decoded [`Snapshot`] to findings, a merged timeline,
//! certificate trust verdicts and failure cascades.
//!
//! It never reads archives: it sees the model only, plus a [`ContentSource`] for the raw
//! bytes behind provenance (log lines). "Now" is the snapshot's collection time; the output
//! order is deterministic at any thread count.
#![forbid(unsafe_code)]

pub mod diagnose;
pub mod remediation;
pub mod rules;
pub mod timeline;
pub mod trust;

pub use casefile_model::{ContentSource, Snapshot};

use casefile_model::{Finding, TrustReport};

/// What to analyze and how.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Signature rules (built-in, plus any the user added).
    pub rules: rules::RuleSet,
    /// Timeline filters.
    pub timeline: timeline::TimelineOptions,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        Self {
            rules: rules::RuleSet::builtin(),
            timeline: timeline::TimelineOptions::default(),
        }
    }
}

/// Everything the correlation produces for one case.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Certificate trust: signers, rotations, serving chains, consumer verdicts, hazards.
    pub trust: TrustReport,
    /// Signature hits in logs, events and conditions, sorted.
    pub hits: Vec<rules::Hit>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// The merged timeline (trust events included) and its coverage, as compact rows: render
    /// an entry with [`timeline::Rows::entry`], or all of them with
    /// [`timeline::Rows::collect`].
    pub timeline: timeline::Rows,
}

/// Runs the whole correlation: trust, signatures, timeline, diagnosis.
pub fn analyze(
    snapshot: &Snapshot,
    content: &dyn ContentSource,
    opts: &AnalyzeOptions,
) -> Analysis {
    let trust = trust::analyze_with(snapshot, Some(content));
    let hits = rules::scan(snapshot, content, &opts.rules);
    let findings = diagnose::diagnose(snapshot, &trust, &hits);
    let timeline = timeline_rows(snapshot, content, &hits, Some(&trust), &opts.timeline);
    Analysis {
        trust,
        hits,
        findings,
        timeline,
    }
}

/// The merged timeline of `snapshot` with the trust events (rotations, serving switches) of
/// `trust` when given, inside the options' time window, sorted.
pub fn timeline_with_trust(
    snapshot: &Snapshot,
    content: &dyn ContentSource,
    hits: &[rules::Hit],
    trust: Option<&TrustReport>,
    opts: &timeline::TimelineOptions,
) -> timeline::Timeline {
    timeline_rows(snapshot, content, hits, trust, opts).collect(snapshot, content)
}

/// Like [`timeline_with_trust`], one entry at a time: what a whole-case export should use
/// (see [`timeline::stream`]).
pub fn timeline_stream<'a>(
    snapshot: &'a Snapshot,
    content: &'a dyn ContentSource,
    hits: &[rules::Hit],
    trust: Option<&TrustReport>,
    opts: &timeline::TimelineOptions,
) -> timeline::Stream<'a> {
    let extra = trust_entries(trust, opts);
    timeline::stream(snapshot, content, hits, extra, opts)
}

/// Like [`timeline_with_trust`], as compact rows rendered on demand: what a viewer that
/// shows a few rows at a time should hold (see [`timeline::rows`]).
pub fn timeline_rows(
    snapshot: &Snapshot,
    content: &dyn ContentSource,
    hits: &[rules::Hit],
    trust: Option<&TrustReport>,
    opts: &timeline::TimelineOptions,
) -> timeline::Rows {
    let extra = trust_entries(trust, opts);
    timeline::rows(snapshot, content, hits, extra, opts)
}

/// The trust events of `trust` (none without it) inside the options' time window.
fn trust_entries(
    trust: Option<&TrustReport>,
    opts: &timeline::TimelineOptions,
) -> Vec<casefile_model::TimelineEntry> {
    trust.map_or_else(Vec::new, |trust| {
        trust::timeline(trust)
            .into_iter()
            .filter(|e| {
                opts.since.is_none_or(|s| e.at >= s) && opts.until.is_none_or(|u| e.at <= u)
            })
            .collect()
    })
}
