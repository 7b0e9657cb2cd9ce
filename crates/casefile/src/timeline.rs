//! Timeline filters.

use casefile_correlate::timeline::TimelineOptions;
use casefile_model::{Severity, Timestamp};

/// Which timeline entries to keep; build one with [`TimelineFilter::new`] and its setters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct TimelineFilter {
    /// Drop entries before this instant (default: the builder's time window).
    pub since: Option<Timestamp>,
    /// Drop entries after this instant (default: the builder's time window).
    pub until: Option<Timestamp>,
    /// Keep only entries about these nodes (empty keeps all).
    pub nodes: Vec<String>,
    /// Keep only these sources (`journal`, `pod-log`, `event`, `node`, `clusterversion`,
    /// `clusteroperator`, `certificate`, or a journal unit such as `kubelet`; empty keeps all).
    pub sources: Vec<String>,
    /// Drop entries below this severity.
    pub min_severity: Severity,
    /// Include certificate trust events (rotations, expiries); default `true`.
    pub trust_events: bool,
}

impl Default for TimelineFilter {
    fn default() -> Self {
        let base = TimelineOptions::default();
        Self {
            since: None,
            until: None,
            nodes: Vec::new(),
            sources: Vec::new(),
            min_severity: base.min_severity,
            trust_events: true,
        }
    }
}

impl TimelineFilter {
    /// Keeps everything (within the builder's time window).
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops entries before `t`.
    pub fn since(mut self, t: Timestamp) -> Self {
        self.since = Some(t);
        self
    }

    /// Drops entries after `t`.
    pub fn until(mut self, t: Timestamp) -> Self {
        self.until = Some(t);
        self
    }

    /// Keeps only entries about these nodes.
    pub fn nodes<S: Into<String>>(mut self, nodes: impl IntoIterator<Item = S>) -> Self {
        self.nodes = nodes.into_iter().map(Into::into).collect();
        self
    }

    /// Keeps only these sources.
    pub fn sources<S: Into<String>>(mut self, sources: impl IntoIterator<Item = S>) -> Self {
        self.sources = sources.into_iter().map(Into::into).collect();
        self
    }

    /// Drops entries below `severity`.
    pub fn min_severity(mut self, severity: Severity) -> Self {
        self.min_severity = severity;
        self
    }

    /// Includes (default) or leaves out certificate trust events.
    pub fn trust_events(mut self, include: bool) -> Self {
        self.trust_events = include;
        self
    }

    pub(crate) fn options(&self, window: &TimelineOptions) -> TimelineOptions {
        TimelineOptions {
            since: self.since.or(window.since),
            until: self.until.or(window.until),
            nodes: self.nodes.clone(),
            sources: self.sources.clone(),
            min_severity: self.min_severity,
        }
    }
}
