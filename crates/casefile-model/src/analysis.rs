//! What analysis produces: findings, timeline entries, cascades and trust verdicts, each
//! with evidence. Filled by the correlation crate; read by exports and the UI.

use serde::{Deserialize, Serialize};

use crate::{Provenance, Timestamp};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context worth knowing.
    Info,
    /// Something is wrong but not (yet) an outage.
    Warning,
    /// An outage or its root cause.
    Critical,
}

impl Severity {
    /// Lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

/// The stages of a trust-propagation cascade, in causal order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Stage {
    /// A signing CA was re-created.
    CaRotated,
    /// A serving certificate was re-issued by the new CA.
    ServingCertReissued,
    /// A consumer's trust bundle lacks the new CA.
    TrustNotPropagated,
    /// The kubelet failed TLS verification toward the API.
    KubeletTlsFailure,
    /// The node went NotReady / Unknown.
    NodeNotReady,
    /// Multus failed (API calls, readiness indicator).
    MultusFailure,
    /// Pod sandboxes could not be created.
    SandboxFailure,
    /// The network ClusterOperator degraded.
    NetworkDegraded,
}

impl Stage {
    /// Every stage in causal order.
    pub const ALL: [Self; 8] = [
        Self::CaRotated,
        Self::ServingCertReissued,
        Self::TrustNotPropagated,
        Self::KubeletTlsFailure,
        Self::NodeNotReady,
        Self::MultusFailure,
        Self::SandboxFailure,
        Self::NetworkDegraded,
    ];

    /// The kebab-case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CaRotated => "ca-rotated",
            Self::ServingCertReissued => "serving-cert-reissued",
            Self::TrustNotPropagated => "trust-not-propagated",
            Self::KubeletTlsFailure => "kubelet-tls-failure",
            Self::NodeNotReady => "node-not-ready",
            Self::MultusFailure => "multus-failure",
            Self::SandboxFailure => "sandbox-failure",
            Self::NetworkDegraded => "network-degraded",
        }
    }
}

/// One hop of a cascade: a stage, when it first happened, where, and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeHop {
    /// The stage.
    pub stage: Stage,
    /// First time it was seen.
    pub at: Option<Timestamp>,
    /// The node concerned, when the stage is per node.
    pub node: Option<String>,
    /// One sentence on what was seen.
    pub summary: String,
    /// Evidence lines.
    pub evidence: Vec<Provenance>,
}

/// The CA a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaRef {
    /// Subject DN.
    pub subject: String,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: String,
    /// Not before.
    pub not_before: Timestamp,
}

/// A diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable detector id, e.g. `ca-trust-propagation`.
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// One-line title.
    pub title: String,
    /// A paragraph explaining what happened.
    pub summary: String,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// Nodes affected (FQDN as the API has them), sorted.
    pub affected_nodes: Vec<String>,
    /// The CA concerned, if any.
    pub ca: Option<CaRef>,
    /// The causal chain, in order.
    pub cascade: Vec<CascadeHop>,
    /// What to do, for this cluster.
    pub remediation: Vec<String>,
    /// Evidence behind the finding as a whole.
    pub evidence: Vec<Provenance>,
}

/// One row of the merged timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When (UTC).
    pub at: Timestamp,
    /// What the time means (`event last seen`, `log line`, `condition transition`, ...).
    pub time_desc: String,
    /// Source family: `journal`, `pod-log`, `event`, `node`, `clusterversion`, `clusteroperator`, `certificate`, ...
    pub source: String,
    /// Node concerned.
    pub node: Option<String>,
    /// Namespace concerned.
    pub namespace: Option<String>,
    /// Severity of the row.
    pub severity: Severity,
    /// The rule or detector that produced it, when any.
    pub rule: Option<String>,
    /// Human message.
    pub message: String,
    /// Evidence.
    pub provenance: Provenance,
}
