//! The case summary printed by `casefile index`: identity, version, nodes, inputs, counts.

use casefile_model::kube::{ClusterVersion, Infrastructure, NetworkConfig, Node};
use casefile_model::{CollectionTimeSource, PartKind, Timestamp};
use serde::Serialize;

use crate::case::{Case, LoadMode};
use crate::layout::ArtifactKind;

/// One update history row.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    /// Version.
    pub version: String,
    /// `Completed` or `Partial`.
    pub state: String,
    /// Start.
    pub started: Option<Timestamp>,
    /// End.
    pub completed: Option<Timestamp>,
}

/// One node row.
#[derive(Debug, Clone, Serialize)]
pub struct NodeRow {
    /// Node name (FQDN as the API has it).
    pub name: String,
    /// Roles.
    pub roles: Vec<String>,
    /// `Ready`, `NotReady` or `Unknown`.
    pub status: String,
    /// Reason of the Ready condition.
    pub reason: Option<String>,
    /// Last transition of the Ready condition.
    pub since: Option<Timestamp>,
    /// Kubelet version.
    pub kubelet_version: String,
}

/// One collection inside an input.
#[derive(Debug, Clone, Serialize)]
pub struct PartRow {
    /// Kind.
    pub kind: PartKind,
    /// Root directory inside the input.
    pub root: String,
    /// Host (sosreports).
    pub hostname: Option<String>,
    /// The Node name the host maps to.
    pub node: Option<String>,
    /// Collection time.
    pub collected_at: Option<Timestamp>,
    /// Which evidence gave the collection time.
    pub collected_from: Option<String>,
}

/// One input row.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveRow {
    /// Path as given.
    pub path: String,
    /// Container format.
    pub format: String,
    /// `indexed`, `cached` or `directory`.
    pub load: String,
    /// Size on disk.
    pub input_bytes: u64,
    /// Files inside.
    pub files: usize,
    /// Decoded bytes of all files.
    pub bytes: u64,
    /// Objects indexed (before deduplication across inputs).
    pub objects: usize,
    /// Log and journal files.
    pub logs: usize,
    /// Collections inside.
    pub parts: Vec<PartRow>,
    /// Load time in milliseconds.
    pub elapsed_ms: u128,
}

/// What `casefile index` reports.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// The case's "now".
    pub collected_at: Option<Timestamp>,
    /// Cluster ID.
    pub cluster_id: Option<String>,
    /// Current (desired) version.
    pub version: Option<String>,
    /// The version the cluster was installed with.
    pub born_version: Option<String>,
    /// Update history, newest first.
    pub history: Vec<HistoryRow>,
    /// Platform.
    pub platform: Option<String>,
    /// Network type.
    pub network_type: Option<String>,
    /// The api-int URL.
    pub api_internal_url: Option<String>,
    /// Nodes.
    pub nodes: Vec<NodeRow>,
    /// Inputs.
    pub archives: Vec<ArchiveRow>,
    /// Objects after deduplication.
    pub objects: usize,
    /// Objects per kind, sorted by kind.
    pub kinds: Vec<(String, usize)>,
    /// Number of warnings.
    pub warnings: usize,
}

fn source_text(s: &CollectionTimeSource) -> String {
    match s {
        CollectionTimeSource::TimestampFile(p) => format!("timestamp file {p}"),
        CollectionTimeSource::SosManifest(p) => format!("sos manifest {p}"),
        CollectionTimeSource::SosDate(p) => format!("date output {p}"),
        _ => "newest timestamp seen".to_owned(),
    }
}

impl CaseSummary {
    /// Builds the summary of a case.
    pub fn of(case: &Case) -> Self {
        let cv: Option<ClusterVersion> = case
            .objects_of_kind("config.openshift.io", "ClusterVersion")
            .find_map(|r| case.decode(r).ok());
        let infra: Option<Infrastructure> = case
            .objects_of_kind("config.openshift.io", "Infrastructure")
            .find_map(|r| case.decode(r).ok());
        let net: Option<NetworkConfig> = case
            .objects_of_kind("config.openshift.io", "Network")
            .find_map(|r| case.decode(r).ok());
        let mut nodes: Vec<NodeRow> = case
            .objects_of_kind("", "Node")
            .filter_map(|r| case.decode::<Node>(r).ok())
            .map(|n| NodeRow {
                name: n.metadata.name.clone(),
                roles: n.roles(),
                status: n.ready_text().to_owned(),
                reason: n.ready().and_then(|c| c.reason.clone()),
                since: n.ready().and_then(|c| c.last_transition_time),
                kubelet_version: n.status.node_info.kubelet_version.clone(),
            })
            .collect();
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut kinds: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        for r in case.objects() {
            *kinds.entry(case.record(*r).meta.kind.clone()).or_default() += 1;
        }
        let mut logs_per_archive = vec![0usize; case.archives().len()];
        for (id, _, kind) in case.artifacts() {
            if matches!(
                kind,
                ArtifactKind::PodLog { .. }
                    | ArtifactKind::HostServiceLog { .. }
                    | ArtifactKind::NodeJournal { .. }
            ) {
                logs_per_archive[id.archive.0 as usize] += 1;
            }
        }
        let archives = case
            .archives()
            .iter()
            .map(|a| ArchiveRow {
                path: a.data.label(),
                format: a.data.kind.as_str().to_owned(),
                load: match a.mode {
                    LoadMode::Indexed => "indexed",
                    LoadMode::Cached => "cached",
                    LoadMode::Directory => "directory",
                }
                .to_owned(),
                input_bytes: a.input_bytes,
                files: a
                    .data
                    .entries
                    .iter()
                    .filter(|e| matches!(e.kind, crate::archive::EntryKind::File))
                    .count(),
                bytes: a.data.entries.iter().map(|e| e.size).sum(),
                objects: a.index.objects.len(),
                logs: logs_per_archive[a.data.id.0 as usize],
                parts: a
                    .index
                    .parts
                    .iter()
                    .map(|p| PartRow {
                        kind: p.kind,
                        root: p.root.clone(),
                        hostname: p.hostname.clone(),
                        node: p
                            .hostname
                            .as_deref()
                            .and_then(|h| case.nodes().canonical(h))
                            .map(str::to_owned),
                        collected_at: p.collected.as_ref().map(|c| c.at),
                        collected_from: p.collected.as_ref().map(|c| source_text(&c.source)),
                    })
                    .collect(),
                elapsed_ms: a.elapsed.as_millis(),
            })
            .collect();
        Self {
            collected_at: case.collected_at(),
            cluster_id: cv
                .as_ref()
                .map(|c| c.spec.cluster_id.clone())
                .filter(|s| !s.is_empty()),
            version: cv
                .as_ref()
                .map(|c| c.status.desired.version.clone())
                .filter(|s| !s.is_empty()),
            born_version: cv
                .as_ref()
                .and_then(|c| c.born_version().map(str::to_owned)),
            history: cv
                .as_ref()
                .map(|c| {
                    c.status
                        .history
                        .iter()
                        .map(|h| HistoryRow {
                            version: h.version.clone(),
                            state: h.state.clone(),
                            started: h.started_time,
                            completed: h.completion_time,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            platform: infra.as_ref().and_then(|i| i.platform().map(str::to_owned)),
            network_type: net.as_ref().and_then(|n| {
                n.status
                    .network_type
                    .clone()
                    .or_else(|| n.spec.network_type.clone())
            }),
            api_internal_url: infra
                .as_ref()
                .and_then(|i| i.status.api_server_internal_uri.clone()),
            nodes,
            archives,
            objects: case.objects().len(),
            kinds: kinds.into_iter().collect(),
            warnings: case.diagnostics().len(),
        }
    }
}
