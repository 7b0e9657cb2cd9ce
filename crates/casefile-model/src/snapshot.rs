//! The decoded case that analysis reads: typed objects, certificates and parsed logs, each
//! with provenance. Built once by the parser crate; never mutated afterwards.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::cert::{InventoryEntry, NotCollected};
use crate::kube::{
    CertificateSigningRequest, ClusterOperator, ClusterVersion, Event, Infrastructure, Lease,
    MachineConfigPool, NetworkConfig, Node, Pod, Secret,
};
use crate::log::{LogFormat, LogRecord};
use crate::{ArchiveId, ArtifactId, PartKind, Provenance, Timestamp};

/// Reads raw bytes and names behind provenance, without the reader knowing how archives
/// are stored. Implemented by the parser crate.
pub trait ContentSource: Send + Sync {
    /// The decoded bytes of an artifact, or `None` when it cannot be read.
    fn content(&self, artifact: ArtifactId) -> Option<Cow<'_, [u8]>>;
    /// Bytes `from..from + len` of an artifact (clamped to its length), or `None` when it
    /// cannot be read: for small reads scattered over many artifacts, which a source that
    /// maps content can serve without mapping pages. The default slices
    /// [`ContentSource::content`].
    fn content_range(&self, artifact: ArtifactId, from: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let all = self.content(artifact)?;
        let start = usize::try_from(from).unwrap_or(usize::MAX).min(all.len());
        let end = start
            .saturating_add(usize::try_from(len).unwrap_or(usize::MAX))
            .min(all.len());
        Some(match all {
            Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
            Cow::Owned(v) => Cow::Owned(v[start..end].to_vec()),
        })
    }
    /// The artifact's path inside its archive.
    fn path(&self, artifact: ArtifactId) -> &str;
    /// The archive's label (the path the user gave).
    fn archive_label(&self, archive: ArchiveId) -> String;
    /// Parses the records of a log file whose records were not kept in the snapshot
    /// (see [`LogFile::load_records`]). The default knows no parser and returns none.
    fn log_records(&self, file: &LogFile) -> Vec<LogRecord> {
        let _ = file;
        Vec::new()
    }
    /// A hint that the caller is done with an artifact's bytes for now, so a source that
    /// maps content may let its memory go (the bytes stay readable). The default does nothing.
    fn release(&self, artifact: ArtifactId) {
        let _ = artifact;
    }
    /// Like [`ContentSource::release`], for bytes `from..from + len` of the artifact alone:
    /// for a long file read front to back. The default does nothing.
    fn release_part(&self, artifact: ArtifactId, from: u64, len: u64) {
        let _ = (artifact, from, len);
    }
    /// Hands the records of a log file to `f` in order, without collecting them (memory
    /// stays constant on long files). The default collects [`ContentSource::log_records`].
    fn for_each_log_record(&self, file: &LogFile, f: &mut dyn FnMut(&LogRecord)) {
        for r in self.log_records(file) {
            f(&r);
        }
    }
    /// Like [`ContentSource::release`], for every artifact: for the end of a pass over many
    /// of them. The default does nothing.
    fn release_all(&self) {}
}

/// A value and where it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its evidence.
    pub at: Provenance,
}

/// One collection in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartInfo {
    /// The archive holding it.
    pub archive: ArchiveId,
    /// What it is.
    pub kind: PartKind,
    /// Host name (sosreports).
    pub hostname: Option<String>,
    /// The Node the host maps to.
    pub node: Option<String>,
    /// Collection time.
    pub collected_at: Option<Timestamp>,
}

/// What a log file is the log of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LogSource {
    /// A systemd unit's journal (one node, or several merged as in `host_service_logs`).
    Journal {
        /// The unit (`kubelet`, `crio`), or `""` for a whole journal.
        unit: String,
    },
    /// A container log.
    Pod {
        /// Namespace.
        namespace: String,
        /// Pod.
        pod: String,
        /// Container.
        container: String,
        /// `current.log`, `previous.log`, ...
        file: String,
    },
}

/// A parsed log or journal file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFile {
    /// The file.
    pub artifact: ArtifactId,
    /// What it is the log of.
    pub source: LogSource,
    /// The node it belongs to when the whole file is one node's (sosreport, `nodes/<node>`,
    /// pod on a known node). Merged journals leave it `None`; each record's host says.
    pub node: Option<String>,
    /// The format it is parsed as.
    pub format: LogFormat,
    /// The time that anchors the year of formats that print none (journal `short`, klog):
    /// the collection time of the part holding the file.
    pub year_reference: Option<Timestamp>,
    /// Records in file order, when kept with the snapshot. The parser crate keeps none (a
    /// large case has millions of lines): read them with [`LogFile::load_records`].
    pub records: Vec<LogRecord>,
}

impl LogFile {
    /// The file's records: the kept ones, else parsed now through `content` (and not kept).
    pub fn load_records<'a>(&'a self, content: &dyn ContentSource) -> Cow<'a, [LogRecord]> {
        if self.records.is_empty() {
            Cow::Owned(content.log_records(self))
        } else {
            Cow::Borrowed(&self.records)
        }
    }

    /// Hands its records to `f` in order: the ones it holds, else those `content` parses
    /// ([`ContentSource::for_each_log_record`], without collecting them).
    pub fn for_each_record(&self, content: &dyn ContentSource, f: &mut dyn FnMut(&LogRecord)) {
        if self.records.is_empty() {
            content.for_each_log_record(self, f);
        } else {
            self.records.iter().for_each(f);
        }
    }
}

/// The decoded case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// "Now": the newest collection time of the case.
    pub collected_at: Option<Timestamp>,
    /// Collections.
    pub parts: Vec<PartInfo>,
    /// Node names (as the API has them), sorted.
    pub node_names: Vec<String>,
    /// ClusterVersion.
    pub cluster_version: Option<Located<ClusterVersion>>,
    /// Infrastructure.
    pub infrastructure: Option<Located<Infrastructure>>,
    /// Network config.
    pub network: Option<Located<NetworkConfig>>,
    /// Nodes.
    pub nodes: Vec<Located<Node>>,
    /// Pods.
    pub pods: Vec<Located<Pod>>,
    /// Events (both API groups, normalized).
    pub events: Vec<Located<Event>>,
    /// ClusterOperators.
    pub cluster_operators: Vec<Located<ClusterOperator>>,
    /// Secrets (values redacted as collected).
    pub secrets: Vec<Located<Secret>>,
    /// MachineConfigPools.
    #[serde(default)]
    pub machine_config_pools: Vec<Located<MachineConfigPool>>,
    /// Distinct certificates with every place they were found.
    pub certificates: Vec<InventoryEntry>,
    /// Certificate-bearing values that were redacted or scrubbed at collection.
    pub not_collected: Vec<NotCollected>,
    /// Parsed logs and journals.
    pub logs: Vec<LogFile>,
    /// Leases (node heartbeats in `kube-node-lease`, leader elections).
    #[serde(default)]
    pub leases: Vec<Located<Lease>>,
    /// CertificateSigningRequests (approvals and issued certificates).
    #[serde(default)]
    pub csrs: Vec<Located<CertificateSigningRequest>>,
    /// Creation time of every object in the case (from the index; no decoding).
    #[serde(default)]
    pub created: Vec<Located<ObjectCreated>>,
    /// Container logs the collector could only try to fetch with TLS verification off
    /// (`current.insecure.log`): the kubelet serving them was not reachable or not trusted.
    #[serde(default)]
    pub log_fetch_failures: Vec<Located<LogFetchFailure>>,
}

/// When an object was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectCreated {
    /// Kind.
    pub kind: String,
    /// Namespace.
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
    /// `metadata.creationTimestamp`.
    pub at: Timestamp,
}

/// A container whose log the collector could not fetch normally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFetchFailure {
    /// Namespace.
    pub namespace: String,
    /// Pod.
    pub pod: String,
    /// Container.
    pub container: String,
    /// The node running the pod, from the pod's spec.
    pub node: Option<String>,
}

impl Snapshot {
    /// The Node name a host name refers to (exact, or by its first DNS label); `localhost`,
    /// unknown and ambiguous names give `None`.
    pub fn node_for_host(&self, host: &str) -> Option<&str> {
        canonical_node(&self.node_names, host)
    }
}

/// Maps a host name to one of `names` (sorted): exact match, else a unique match on the first
/// DNS label. `localhost` never maps.
pub fn canonical_node<'a>(names: &'a [String], host: &str) -> Option<&'a str> {
    if host.is_empty() || host == "localhost" || host.starts_with("localhost.") {
        return None;
    }
    if let Ok(i) = names.binary_search_by(|n| n.as_str().cmp(host)) {
        return Some(&names[i]);
    }
    let short = host.split('.').next().unwrap_or(host);
    let mut found = names.iter().filter(|n| n.split('.').next() == Some(short));
    let first = found.next()?;
    if found.next().is_some() {
        None
    } else {
        Some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_map_to_nodes() {
        let names: Vec<String> = [
            "ip-10-0-1-2.ec2.internal",
            "ip-10-0-1-3.ec2.internal",
            "master-0.a.example",
            "master-0.b.example",
        ]
        .map(String::from)
        .to_vec();
        let cases: &[(&str, Option<&str>)] = &[
            ("ip-10-0-1-2.ec2.internal", Some("ip-10-0-1-2.ec2.internal")),
            ("ip-10-0-1-2", Some("ip-10-0-1-2.ec2.internal")),
            ("ip-10-0-1-2.other.domain", Some("ip-10-0-1-2.ec2.internal")),
            ("ip-10-0-1-4", None),
            ("localhost", None),
            ("master-0", None), // ambiguous
            ("", None),
        ];
        for (host, want) in cases {
            assert_eq!(canonical_node(&names, host), *want, "{host}");
        }
    }
}
