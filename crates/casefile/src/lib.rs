//! Embed casefile: open an OpenShift must-gather, `oc adm inspect` output, sosreports or
//! Insights archives offline, and ask for findings, certificate trust, a merged timeline and
//! Kubernetes objects, every fact with its provenance (archive, path, line).
//!
//! Start with [`Case::open`] (or [`Case::builder`] for options), then ask:
//!
//! | question | method |
//! |---|---|
//! | what is this case? | [`Case::summary`] |
//! | what is wrong, and what to do? | [`Case::findings`], [`Case::diagnose`] (the `casefile diagnose --format json` contract) |
//! | which certificates, who trusts whom? | [`Case::certificates`], [`Case::trust`] |
//! | what happened when? | [`Case::timeline`] |
//! | show me the objects | [`Case::objects`] (`oc get`-like kind names) |
//! | what could not be read? | [`Case::warnings`] |
//!
//! ```no_run
//! use casefile::{Case, Selection};
//!
//! let paths = vec![std::path::PathBuf::from("must-gather.tar.gz")];
//! let case = Case::open(&paths)?;
//! for finding in case.findings() {
//!     println!("{:?} {}: {}", finding.severity, finding.id, finding.title);
//! }
//! let report = case.diagnose();
//! println!("{}", serde_json::to_string_pretty(&report).expect("serializable"));
//! for pod in case.objects("pods", &Selection::all())? {
//!     println!("{}/{} from {:?}", pod.namespace().unwrap_or(""), pod.name(), pod.provenance());
//! }
//! # Ok::<(), casefile::Error>(())
//! ```
//!
//! Everything is computed lazily, once, and never mutated afterwards: a [`Case`] is
//! `Send + Sync` and can be shared between threads. Output is the same at any thread count.
//! The lower layers stay reachable for what the facade does not cover: [`model`], [`ingest`],
//! [`correlate`], [`export`].
#![forbid(unsafe_code)]

mod error;
mod object;
mod timeline;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use error::{Error, ErrorKind};
pub use object::{Object, Selection};
pub use timeline::TimelineFilter;

/// Analysis: trust, signature rules, the timeline, diagnosis.
pub use casefile_correlate as correlate;
/// Output formats: Timesketch JSONL/CSV, Markdown, the `diagnose` JSON contract.
pub use casefile_export as export;
/// Reading inputs: archives, layouts, the object index, the certificate inventory.
pub use casefile_ingest as ingest;
/// The vocabulary: provenance, timestamps, diagnostics, findings, trust, Kubernetes views.
pub use casefile_model as model;

pub use casefile_correlate::Analysis;
pub use casefile_correlate::rules::{Hit, RuleSet};
pub use casefile_correlate::timeline::{
    RowFields as TimelineRowFields, Rows as TimelineRows, Stream as TimelineStream, Timeline,
};
pub use casefile_export::diagnosis::DiagnoseReport;
pub use casefile_ingest::case::Progress;
pub use casefile_ingest::certs::Inventory;
pub use casefile_ingest::summary::CaseSummary;
pub use casefile_model::{
    ContentSource, Diagnostic, Finding, Provenance, Severity, Snapshot, Timestamp, TrustReport,
};

use casefile_correlate::timeline::TimelineOptions;
use casefile_correlate::{AnalyzeOptions, rules, trust};
use casefile_ingest::CaseOptions;
use casefile_ingest::assemble::Assembled;

/// A progress callback, called as inputs are read.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Where extra rules come from (applied in the order given).
#[derive(Debug, Clone)]
enum RuleSource {
    Set(RuleSet),
    Yaml(String),
    File(PathBuf),
}

/// Options for opening a [`Case`]; get one from [`Case::builder`].
#[derive(Clone, Default)]
#[must_use]
pub struct CaseBuilder {
    cache_dir: Option<PathBuf>,
    no_cache: bool,
    threads: Option<usize>,
    base_rules: Option<RuleSet>,
    extra_rules: Vec<RuleSource>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    progress: Option<ProgressFn>,
    /// Set by `predecode(false)`: the default is to decode ahead.
    no_predecode: bool,
}

impl std::fmt::Debug for CaseBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseBuilder")
            .field("cache_dir", &self.cache_dir)
            .field("no_cache", &self.no_cache)
            .field("threads", &self.threads)
            .field("extra_rules", &self.extra_rules.len())
            .field("since", &self.since)
            .field("until", &self.until)
            .field("predecode", &!self.no_predecode)
            .finish_non_exhaustive()
    }
}

impl CaseBuilder {
    /// Where the persistent index lives (default: `$CASEFILE_CACHE_DIR`, else the user's
    /// cache directory).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Neither read nor write the persistent index (everything stays in memory).
    pub fn no_cache(mut self, no_cache: bool) -> Self {
        self.no_cache = no_cache;
        self
    }

    /// Decode Pods and Events on the core left idle while an archive is read into the
    /// persistent index (default: on). Turn it off when only files or a few objects are
    /// wanted: what is decoded ahead is held in memory until analysis takes it.
    pub fn predecode(mut self, predecode: bool) -> Self {
        self.no_predecode = !predecode;
        self
    }

    /// Run on a private pool of `n` worker threads (default: rayon's global pool). The
    /// results are the same at any thread count.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
        self
    }

    /// Replaces the signature rules (default: [`RuleSet::builtin`]).
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.base_rules = Some(rules);
        self
    }

    /// Adds rules: a rule with an existing id replaces it, new rules are tried first.
    pub fn add_rules(mut self, rules: RuleSet) -> Self {
        self.extra_rules.push(RuleSource::Set(rules));
        self
    }

    /// Adds rules from YAML text (the `rules/builtin.yaml` format), parsed by [`open`](Self::open).
    pub fn add_rules_yaml(mut self, yaml: impl Into<String>) -> Self {
        self.extra_rules.push(RuleSource::Yaml(yaml.into()));
        self
    }

    /// Adds rules from a YAML file, read by [`open`](Self::open).
    pub fn add_rules_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra_rules.push(RuleSource::File(path.into()));
        self
    }

    /// Keeps [`Case::analysis`]'s timeline (and the default of [`Case::timeline`]) to
    /// entries at or after `since` and at or before `until`.
    pub fn time_window(mut self, since: Option<Timestamp>, until: Option<Timestamp>) -> Self {
        self.since = since;
        self.until = until;
        self
    }

    /// Called while opening with the work just done (input bytes consumed — compressed bytes
    /// for archives — and files stored), from any thread.
    pub fn progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The rule set these options describe: the base set, then the additions in order.
    pub fn rule_set(&self) -> Result<RuleSet, Error> {
        let mut set = self.base_rules.clone().unwrap_or_else(RuleSet::builtin);
        for source in &self.extra_rules {
            let extra = match source {
                RuleSource::Set(s) => s.clone(),
                RuleSource::Yaml(text) => RuleSet::from_yaml(text)
                    .map_err(|error| ErrorKind::Rules { path: None, error })?,
                RuleSource::File(path) => {
                    let text =
                        std::fs::read_to_string(path).map_err(|error| ErrorKind::RulesFile {
                            path: path.clone(),
                            error,
                        })?;
                    RuleSet::from_yaml(&text).map_err(|error| ErrorKind::Rules {
                        path: Some(path.clone()),
                        error,
                    })?
                }
            };
            set.extend(extra);
        }
        Ok(set)
    }

    /// Whether every archive among `paths` already has a persistent index under these
    /// options' cache directory, for its current size and modification time: whether
    /// [`open`](Self::open) will be a warm open. Directories are read in place and never
    /// indexed, so they do not count; with [`no_cache`](Self::no_cache) it is `false`.
    pub fn is_indexed<P: AsRef<Path>>(&self, paths: &[P]) -> bool {
        if self.no_cache {
            return false;
        }
        let Some(dir) = self
            .cache_dir
            .clone()
            .or_else(casefile_ingest::cache::default_dir)
        else {
            return false;
        };
        paths
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| !p.is_dir())
            .all(|p| casefile_ingest::cache::is_indexed(&dir, p))
    }

    /// Opens the inputs (directories or archives; several are read as one case).
    pub fn open<P: AsRef<Path>>(&self, paths: &[P]) -> Result<Case, Error> {
        let rules = self.rule_set()?;
        let pool = match self.threads {
            Some(threads) => Some(Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("casefile-{i}"))
                    .build()
                    .map_err(|e| ErrorKind::ThreadPool {
                        threads,
                        message: e.to_string(),
                    })?,
            )),
            None => None,
        };
        let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let opts = CaseOptions {
            cache_dir: self.cache_dir.clone(),
            no_cache: self.no_cache,
            progress: self.progress.clone(),
            predecode: !self.no_predecode,
            ..CaseOptions::default()
        };
        let open = || casefile_ingest::Case::open(&paths, &opts);
        let inner = match &pool {
            Some(pool) => pool.install(open),
            None => open(),
        }?;
        Ok(Case {
            inner,
            analyze: AnalyzeOptions {
                rules,
                timeline: TimelineOptions {
                    since: self.since,
                    until: self.until,
                    ..TimelineOptions::default()
                },
            },
            pool,
            assembled: OnceLock::new(),
            analysis: OnceLock::new(),
            trust: OnceLock::new(),
            hits: OnceLock::new(),
            findings: OnceLock::new(),
            certificates: OnceLock::new(),
            summary: OnceLock::new(),
        })
    }
}

/// Everything computed for a case, owned (see [`Case::into_parts`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct CaseParts {
    /// The parser crate's case: raw bytes behind provenance, object queries.
    pub ingest: casefile_ingest::Case,
    /// The decoded case.
    pub snapshot: Snapshot,
    /// Trust, hits, findings, timeline.
    pub analysis: Analysis,
    /// Identity, version, nodes, archives.
    pub summary: CaseSummary,
    /// Problems met while reading and decoding.
    pub warnings: Vec<Diagnostic>,
}

/// An opened case: one or more inputs read together, analyzed on demand.
///
/// Each question is answered once and cached; nothing is mutated afterwards.
pub struct Case {
    inner: casefile_ingest::Case,
    analyze: AnalyzeOptions,
    pool: Option<Arc<rayon::ThreadPool>>,
    assembled: OnceLock<Assembled>,
    analysis: OnceLock<casefile_correlate::Analysis>,
    trust: OnceLock<TrustReport>,
    hits: OnceLock<Vec<Hit>>,
    findings: OnceLock<Vec<Finding>>,
    certificates: OnceLock<Inventory>,
    summary: OnceLock<CaseSummary>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("inputs", &self.inner.archives().len())
            .field("objects", &self.inner.objects().len())
            .finish_non_exhaustive()
    }
}

impl Case {
    /// Opens the inputs with the default options (built-in rules, the default cache).
    pub fn open<P: AsRef<Path>>(paths: &[P]) -> Result<Self, Error> {
        Self::builder().open(paths)
    }

    /// Options: cache, threads, rules, time window, progress.
    pub fn builder() -> CaseBuilder {
        CaseBuilder::default()
    }

    fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(op),
            None => op(),
        }
    }

    fn assembled(&self) -> &Assembled {
        self.assembled
            .get_or_init(|| self.install(|| self.inner.snapshot()))
    }

    /// The decoded case analysis works on (computed on first use).
    pub fn snapshot(&self) -> &Snapshot {
        &self.assembled().snapshot
    }

    /// The whole analysis: trust, signature hits, findings, the merged timeline (computed on
    /// first use).
    pub fn analysis(&self) -> &Analysis {
        let snapshot = self.snapshot();
        self.analysis.get_or_init(|| {
            let (trust, hits, findings) = (self.trust(), self.hits(), self.findings());
            let timeline = self.install(|| {
                casefile_correlate::timeline_rows(
                    snapshot,
                    &self.inner,
                    hits,
                    Some(trust),
                    &self.analyze.timeline,
                )
            });
            casefile_correlate::Analysis {
                trust: trust.clone(),
                hits: hits.to_vec(),
                findings: findings.to_vec(),
                timeline,
            }
        })
    }

    /// Identity, version, nodes, inputs and their collections.
    pub fn summary(&self) -> &CaseSummary {
        self.summary
            .get_or_init(|| self.install(|| CaseSummary::of(&self.inner)))
    }

    /// The objects of a kind, as `oc get` names it (`pods`, `po`, `Pod`, `deploy.apps`,
    /// `clusteroperators.config.openshift.io`, custom resources), ordered by namespace then
    /// name. Objects whose labels cannot be decoded are left out when a label selector is
    /// given.
    pub fn objects(&self, kind: &str, selection: &Selection) -> Result<Vec<Object<'_>>, Error> {
        object::select(&self.inner, kind, selection)
    }

    /// Every certificate of the case with where it was found.
    pub fn certificates(&self) -> &Inventory {
        self.certificates.get_or_init(|| {
            let _t = casefile_ingest::timing::Phase::start(|| "certificate inventory".into());
            self.install(|| casefile_ingest::certs::inventory(&self.inner))
        })
    }

    /// Certificate trust: signers and generations, rotations, serving chains verified by
    /// signature, consumer verdicts, hazards.
    pub fn trust(&self) -> &TrustReport {
        if let Some(a) = self.analysis.get() {
            return &a.trust;
        }
        let snapshot = self.snapshot();
        self.trust.get_or_init(|| {
            let _t = casefile_ingest::timing::Phase::start(|| "trust".into());
            self.install(|| trust::analyze_with(snapshot, Some(&self.inner)))
        })
    }

    /// Signature hits in logs, events and conditions, sorted.
    pub fn hits(&self) -> &[Hit] {
        if let Some(a) = self.analysis.get() {
            return &a.hits;
        }
        let snapshot = self.snapshot();
        self.hits.get_or_init(|| {
            let _t = casefile_ingest::timing::Phase::start(|| "signature scan".into());
            // Kept beside the snapshot, keyed by the rule set: a node journal is scanned once.
            let kept = self
                .inner
                .kept_path(&format!("hits-{}", self.analyze.rules.fingerprint()));
            if let Some(hits) = kept
                .as_deref()
                .and_then(casefile_ingest::cache::load_result::<Vec<Hit>>)
            {
                return hits;
            }
            let hits = self.install(|| rules::scan(snapshot, &self.inner, &self.analyze.rules));
            if let Some(path) = &kept {
                // Only an optimization: a failed write leaves the next open to scan again.
                let _ = casefile_ingest::cache::write_result(path, &hits);
            }
            hits
        })
    }

    /// The merged timeline, filtered. With [`TimelineFilter::default`] it is the analysis'
    /// timeline ([`Analysis::timeline`]), rendered.
    pub fn timeline(&self, filter: &TimelineFilter) -> Timeline {
        let opts = filter.options(&self.analyze.timeline);
        let with_trust = filter.trust_events;
        let snapshot = self.snapshot();
        let hits = self.hits();
        let trust = with_trust.then(|| self.trust());
        self.install(|| {
            casefile_correlate::timeline_with_trust(snapshot, &self.inner, hits, trust, &opts)
        })
    }

    /// The merged timeline, filtered, one entry at a time in the same order as
    /// [`Case::timeline`]: what a whole-case export should use, since it never holds every
    /// entry at once (see [`casefile_correlate::timeline::stream`]).
    pub fn timeline_stream(&self, filter: &TimelineFilter) -> TimelineStream<'_> {
        let opts = filter.options(&self.analyze.timeline);
        let snapshot = self.snapshot();
        let hits = self.hits();
        let trust = filter.trust_events.then(|| self.trust());
        self.install(|| {
            casefile_correlate::timeline_stream(snapshot, &self.inner, hits, trust, &opts)
        })
    }

    /// Findings, most severe first.
    ///
    /// Needs trust and signature hits only, not the timeline (which parses every log line).
    pub fn findings(&self) -> &[Finding] {
        if let Some(a) = self.analysis.get() {
            return &a.findings;
        }
        let (snapshot, trust, hits) = (self.snapshot(), self.trust(), self.hits());
        self.findings.get_or_init(|| {
            let _t = casefile_ingest::timing::Phase::start(|| "findings".into());
            self.install(|| casefile_correlate::diagnose::diagnose(snapshot, trust, hits))
        })
    }

    /// The `casefile diagnose --format json` document (schema:
    /// `docs/schema/diagnose.schema.json`). Serialize it with `serde_json`.
    pub fn diagnose(&self) -> DiagnoseReport {
        let warnings = self.warnings();
        DiagnoseReport::new(self.snapshot(), self.findings(), &warnings, &self.inner)
    }

    /// Every problem met: while reading the inputs, then while decoding objects and logs
    /// (this assembles the snapshot).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all = self.inner.diagnostics();
        all.extend(self.assembled().diagnostics.iter().cloned());
        all
    }

    /// Problems met while reading the inputs only (cheap: no decoding).
    pub fn load_warnings(&self) -> Vec<Diagnostic> {
        self.inner.diagnostics()
    }

    /// Problems met while decoding objects and logs for the snapshot.
    pub fn decode_warnings(&self) -> &[Diagnostic] {
        &self.assembled().diagnostics
    }

    /// The case's "now": the collection time recorded in the inputs (never the wall clock).
    pub fn collected_at(&self) -> Option<Timestamp> {
        self.inner.collected_at()
    }

    /// The label (path as given) of an input.
    pub fn archive_label(&self, archive: model::ArchiveId) -> String {
        self.inner.archive(archive).data.label()
    }

    /// The raw bytes behind provenance (log lines, object text).
    pub fn content(&self) -> &dyn ContentSource {
        &self.inner
    }

    /// The rules this case is analyzed with.
    pub fn rules(&self) -> &RuleSet {
        &self.analyze.rules
    }

    /// Computes everything and hands the parts over (for a UI that keeps them for its whole
    /// life): the parser crate's case, the snapshot, the analysis, the summary and every
    /// warning.
    pub fn into_parts(self) -> CaseParts {
        self.summary();
        self.analysis();
        let warnings = self.warnings();
        let Self {
            inner,
            assembled,
            analysis,
            summary,
            ..
        } = self;
        let snapshot = assembled
            .into_inner()
            .map(|a| a.snapshot)
            .unwrap_or_default();
        CaseParts {
            analysis: analysis.into_inner().unwrap_or_else(|| {
                casefile_correlate::analyze(&snapshot, &inner, &AnalyzeOptions::default())
            }),
            summary: summary
                .into_inner()
                .unwrap_or_else(|| CaseSummary::of(&inner)),
            snapshot,
            warnings,
            ingest: inner,
        }
    }

    /// Runs `op` on this case's worker threads (the builder's `threads`; the global rayon
    /// pool when unset), e.g. [`casefile_ingest::Case::decode_views`] of many objects.
    pub fn in_pool<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.install(op)
    }

    /// The lower-level ingest view (entries, parts, the object index), for what the facade
    /// does not cover.
    pub fn ingest(&self) -> &casefile_ingest::Case {
        &self.inner
    }
}
