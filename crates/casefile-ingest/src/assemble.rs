//! Assembly: a [`Case`] becomes the immutable [`Snapshot`] analysis reads — typed objects,
//! the certificate inventory and parsed logs, each with provenance.

use std::borrow::Cow;

use casefile_model::kube::{ClusterOperator, Event, Node, Pod, Secret};
use casefile_model::snapshot::{ObjectCreated, canonical_node};
use casefile_model::{
    ArchiveId, ArtifactId, ContentSource, Diagnostic, DiagnosticKind, Located, LogFile, LogFormat,
    LogRecord, LogSource, PartInfo, PartKind, Snapshot,
};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::case::{Case, ObjectRef};
use crate::decode::DecodeError;
use crate::layout::ArtifactKind;
use crate::timefmt::YearResolver;

impl ContentSource for Case {
    fn content(&self, artifact: ArtifactId) -> Option<Cow<'_, [u8]>> {
        self.archives()
            .get(usize::from(artifact.archive.0))?
            .data
            .content(artifact.entry)
            .ok()
    }

    fn content_range(&self, artifact: ArtifactId, from: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        self.archives()
            .get(usize::from(artifact.archive.0))?
            .data
            .content_range(artifact.entry, from, from.saturating_add(len))
            .ok()
    }

    fn path(&self, artifact: ArtifactId) -> &str {
        self.artifact_path(artifact)
    }

    fn archive_label(&self, archive: ArchiveId) -> String {
        self.archives()
            .get(usize::from(archive.0))
            .map(|a| a.data.label())
            .unwrap_or_default()
    }

    fn log_records(&self, file: &LogFile) -> Vec<LogRecord> {
        let Some(bytes) = self.content(file.artifact) else {
            return Vec::new();
        };
        let years = YearResolver::new(file.year_reference.unwrap_or(jiff::Timestamp::UNIX_EPOCH));
        crate::logs::parse_records(&bytes, file.format, &years)
    }

    fn for_each_log_record(&self, file: &LogFile, f: &mut dyn FnMut(&LogRecord)) {
        /// Bytes read between two releases of a long file's mapped pages.
        const RELEASE_EVERY: u64 = 8 << 20;
        let Some(bytes) = self.content(file.artifact) else {
            return;
        };
        let years = YearResolver::new(file.year_reference.unwrap_or(jiff::Timestamp::UNIX_EPOCH));
        // A node journal is hundreds of MB: the pages already read are let go as the scan
        // moves on, or two of them scanned side by side stay resident whole.
        let mut released = 0;
        crate::logs::for_each_record(&bytes, file.format, &years, |r| {
            f(r);
            if r.start >= released + RELEASE_EVERY {
                self.release_part(file.artifact, released, r.start - released);
                released = r.start;
            }
        });
    }

    fn release_part(&self, artifact: ArtifactId, from: u64, len: u64) {
        if let Some(a) = self.archives().get(usize::from(artifact.archive.0)) {
            a.data.release_part(artifact.entry, from, len);
        }
    }

    fn release(&self, artifact: ArtifactId) {
        if let Some(a) = self.archives().get(usize::from(artifact.archive.0)) {
            a.data.release(artifact.entry);
        }
    }

    fn release_all(&self) {
        self.release_content();
    }
}

/// The snapshot and the problems met while decoding it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Assembled {
    /// The decoded case.
    pub snapshot: Snapshot,
    /// Objects or logs that could not be decoded.
    pub diagnostics: Vec<Diagnostic>,
}

/// The head part of a kept snapshot: everything but the long lists kept in parts of their
/// own, with the certificates' DER, which their serialized form leaves out.
#[derive(serde::Deserialize)]
struct KeptHead {
    assembled: Assembled,
    der: Vec<Vec<u8>>,
}

/// What [`KeptHead`] is written from.
#[derive(serde::Serialize)]
struct KeptHeadRef<'a> {
    assembled: &'a Assembled,
    der: Vec<&'a [u8]>,
}

/// How the parts after the layout and the head split between the long lists: the events'
/// parts first, then the creations', then the pods'.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptLayout {
    events: KeptList,
    created: KeptList,
    pods: KeptList,
}

/// One long list of a kept snapshot: how many parts hold it, and how many items in all.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptList {
    parts: usize,
    items: usize,
}

impl KeptList {
    /// The layout of `items` items written `per_part` to a part.
    fn of(items: usize, per_part: usize) -> Self {
        Self {
            parts: items.div_ceil(per_part),
            items,
        }
    }
}

/// Items of a long list per part of a kept snapshot: parts are encoded in parallel.
const KEPT_PART_ITEMS: usize = 8192;

/// Pods per part: a Pod is some twenty times the size of an Event.
const KEPT_PART_PODS: usize = 512;

/// One long list of a kept snapshot: `items` items in `parts`, decoded in order into a
/// vector sized once. `None` if a part does not decode or the count is not the one kept.
fn decode_list<T: DeserializeOwned>(parts: &[&[u8]], items: usize) -> Option<Vec<T>> {
    use serde::de::DeserializeSeed as _;
    let list = crate::cache::append_parts(parts, items, |part, seed| {
        seed.deserialize(&mut rmp_serde::Deserializer::from_read_ref(part))
            .ok()
    })?;
    (list.len() == items).then_some(list)
}

/// Reads a snapshot kept by [`Case::snapshot`]; `None` if it is absent, unreadable or of
/// another version.
///
/// Parts are MessagePack (self-describing, so the model's lenient decoders still apply,
/// and a third the size of JSON and faster to read back). The head and each long list
/// are decoded side by side, each list straight into its final vector: decoding parts
/// into vectors of their own and joining them held the longest list twice.
pub fn load_kept(path: &std::path::Path) -> Option<Assembled> {
    let file = crate::cache::load_snapshot(path)?;
    let parts = file.parts();
    let (layout, rest) = parts.split_first()?;
    let layout: KeptLayout = rmp_serde::from_slice(layout).ok()?;
    let (head, rest) = rest.split_first()?;
    let (events, rest) = rest.split_at_checked(layout.events.parts)?;
    let (created, pods) = rest.split_at_checked(layout.created.parts)?;
    if pods.len() != layout.pods.parts {
        return None;
    }
    let (head, (events, (created, pods))) = rayon::join(
        || rmp_serde::from_slice::<KeptHead>(head).ok(),
        || {
            rayon::join(
                || decode_list::<Located<Event>>(events, layout.events.items),
                || {
                    rayon::join(
                        || decode_list::<Located<ObjectCreated>>(created, layout.created.items),
                        || decode_list::<Located<Pod>>(pods, layout.pods.items),
                    )
                },
            )
        },
    );
    let KeptHead { mut assembled, der } = head?;
    if der.len() != assembled.snapshot.certificates.len() {
        return None;
    }
    // Certificates keep their DER out of serialized forms (`Certificate::der` is skipped),
    // and trust needs it to verify signatures: it is kept beside them.
    for (entry, der) in assembled.snapshot.certificates.iter_mut().zip(der) {
        entry.cert.der = der;
    }
    let snapshot = &mut assembled.snapshot;
    snapshot.events = events?;
    snapshot.created = created?;
    snapshot.pods = pods?;
    Some(assembled)
}

/// Writes a snapshot for [`load_kept`]: a layout, a head, then the events, creations and
/// pods in parts (all encoded in parallel). The long lists are moved out while the head
/// is written and put back.
fn keep(path: &std::path::Path, assembled: &mut Assembled) -> std::io::Result<()> {
    let events = std::mem::take(&mut assembled.snapshot.events);
    let created = std::mem::take(&mut assembled.snapshot.created);
    let pods = std::mem::take(&mut assembled.snapshot.pods);
    let layout = KeptLayout {
        events: KeptList::of(events.len(), KEPT_PART_ITEMS),
        created: KeptList::of(created.len(), KEPT_PART_ITEMS),
        pods: KeptList::of(pods.len(), KEPT_PART_PODS),
    };
    let parts = {
        let head = KeptHeadRef {
            assembled,
            der: assembled
                .snapshot
                .certificates
                .iter()
                .map(|e| e.cert.der.as_slice())
                .collect(),
        };
        let (head, rest) = rayon::join(
            || rmp_serde::to_vec(&head),
            || {
                let events = events.par_chunks(KEPT_PART_ITEMS).map(rmp_serde::to_vec);
                let created = created.par_chunks(KEPT_PART_ITEMS).map(rmp_serde::to_vec);
                let pods = pods.par_chunks(KEPT_PART_PODS).map(rmp_serde::to_vec);
                events
                    .chain(created)
                    .chain(pods)
                    .collect::<Result<Vec<_>, _>>()
            },
        );
        rmp_serde::to_vec(&layout).and_then(|layout| {
            head.and_then(|h| rest.map(|r| [layout, h].into_iter().chain(r).collect::<Vec<_>>()))
        })
    };
    assembled.snapshot.events = events;
    assembled.snapshot.created = created;
    assembled.snapshot.pods = pods;
    crate::cache::write_snapshot(path, &parts.map_err(std::io::Error::other)?)
}

impl Case {
    /// Decodes everything analysis needs into a [`Snapshot`] (in parallel; the order of
    /// every list is deterministic). When every input has a persistent index, the result is
    /// kept beside it and read back by the next open of the same inputs.
    pub fn snapshot(&self) -> Assembled {
        let kept = self.snapshot_cache();
        let loading = crate::timing::Phase::start(|| "snapshot: load kept".into());
        if let Some(assembled) = kept.as_deref().and_then(load_kept) {
            return assembled;
        }
        drop(loading);
        let assembling = crate::timing::Phase::start(|| "snapshot: decode".into());
        let mut assembled = self.assemble_snapshot();
        drop(assembling);
        if let Some(path) = &kept {
            let _t = crate::timing::Phase::start(|| "snapshot: write".into());
            // Only an optimization: a failed write leaves the next open to decode again.
            let _ = keep(path, &mut assembled);
        }
        assembled
    }

    fn assemble_snapshot(&self) -> Assembled {
        let mut diagnostics = Vec::new();
        let node_names: Vec<String> = self.nodes().all().to_vec();

        // The certificate inventory reads the objects itself: it runs beside the decoding.
        let (mut snapshot, inventory) = rayon::join(
            || self.decode_objects(&mut diagnostics),
            || {
                let _t = crate::timing::Phase::start(|| "snapshot: certificate inventory".into());
                crate::certs::inventory(self)
            },
        );
        diagnostics.extend(inventory.problems);

        let parts: Vec<PartInfo> = self
            .parts()
            .map(|(archive, p)| PartInfo {
                archive,
                kind: p.kind,
                hostname: p.hostname.clone(),
                node: p
                    .hostname
                    .as_deref()
                    .and_then(|h| canonical_node(&node_names, h))
                    .map(str::to_owned),
                collected_at: p.collected.as_ref().map(|c| c.at),
            })
            .collect();
        let collected_at = self.collected_at();
        let pod_nodes: std::collections::HashMap<(String, String), String> = snapshot
            .pods
            .iter()
            .filter_map(|p| {
                let m = &p.value.metadata;
                let node = p.value.spec.node_name.clone().filter(|n| !n.is_empty())?;
                Some((
                    (m.namespace.clone().unwrap_or_default(), m.name.clone()),
                    node,
                ))
            })
            .collect();
        // Every artifact is classified once: the logs and the failed log fetches both come
        // from these.
        let log_artifacts: Vec<(ArtifactId, &crate::archive::Entry, ArtifactKind)> = self
            .par_artifacts()
            .filter(|(_, _, kind)| {
                matches!(
                    kind,
                    ArtifactKind::PodLog { .. }
                        | ArtifactKind::HostServiceLog { .. }
                        | ArtifactKind::NodeJournal { .. }
                )
            })
            .collect();
        let logs = {
            let _t = crate::timing::Phase::start(|| "snapshot: list logs".into());
            self.parse_logs(
                &log_artifacts,
                &parts,
                &node_names,
                &pod_nodes,
                collected_at,
            )
        };
        let log_fetch_failures = log_artifacts
            .iter()
            .filter_map(|(id, _, kind)| match kind {
                ArtifactKind::PodLog {
                    namespace,
                    pod,
                    container,
                    file,
                } if file == "current.insecure.log" => {
                    let node = pod_nodes.get(&(namespace.clone(), pod.clone())).cloned();
                    Some(Located {
                        value: casefile_model::LogFetchFailure {
                            namespace: namespace.clone(),
                            pod: pod.clone(),
                            container: container.clone(),
                            node,
                        },
                        at: casefile_model::Provenance::file(*id),
                    })
                }
                _ => None,
            })
            .collect();

        snapshot.collected_at = collected_at;
        snapshot.parts = parts;
        snapshot.node_names = node_names;
        snapshot.certificates = inventory.entries;
        snapshot.not_collected = inventory.not_collected;
        snapshot.logs = logs;
        snapshot.log_fetch_failures = log_fetch_failures;
        Assembled {
            snapshot,
            diagnostics,
        }
    }

    /// The decoded objects analysis works on, and when each object was created; the rest
    /// of the snapshot is left empty.
    fn decode_objects(&self, diagnostics: &mut Vec<Diagnostic>) -> Snapshot {
        use casefile_model::kube::{CertificateSigningRequest, Lease, MachineConfigPool};
        let mut events = self.decode_kind::<Event>("", "Event", diagnostics);
        events.extend(self.decode_kind::<Event>("events.k8s.io", "Event", diagnostics));
        Snapshot {
            cluster_version: self.decode_first(
                "config.openshift.io",
                "ClusterVersion",
                diagnostics,
            ),
            infrastructure: self.decode_first("config.openshift.io", "Infrastructure", diagnostics),
            network: self.decode_first("config.openshift.io", "Network", diagnostics),
            nodes: self.decode_kind::<Node>("", "Node", diagnostics),
            pods: self.decode_kind::<Pod>("", "Pod", diagnostics),
            events,
            cluster_operators: self.decode_kind::<ClusterOperator>(
                "config.openshift.io",
                "ClusterOperator",
                diagnostics,
            ),
            secrets: self.decode_kind::<Secret>("", "Secret", diagnostics),
            machine_config_pools: self.decode_kind::<MachineConfigPool>(
                "machineconfiguration.openshift.io",
                "MachineConfigPool",
                diagnostics,
            ),
            leases: self.decode_kind::<Lease>("coordination.k8s.io", "Lease", diagnostics),
            csrs: self.decode_kind::<CertificateSigningRequest>(
                "certificates.k8s.io",
                "CertificateSigningRequest",
                diagnostics,
            ),
            created: self
                .objects()
                .iter()
                .filter_map(|r| {
                    let m = &self.record(*r).meta;
                    Some(Located {
                        value: casefile_model::snapshot::ObjectCreated {
                            kind: m.kind.clone(),
                            namespace: m.namespace.clone(),
                            name: m.name.clone(),
                            at: m.created?,
                        },
                        at: self.provenance(*r),
                    })
                })
                .collect(),
            ..Snapshot::default()
        }
    }

    /// The first object of a kind the cluster has one of (ClusterVersion, Network...).
    fn decode_first<T: DeserializeOwned + Send + 'static>(
        &self,
        group: &str,
        kind: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Located<T>> {
        self.decode_kind(group, kind, diagnostics)
            .into_iter()
            .next()
    }

    fn decode_kind<T: DeserializeOwned + Send + 'static>(
        &self,
        group: &str,
        kind: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Located<T>> {
        let _t = crate::timing::Phase::start(|| format!("snapshot: decode {kind}"));
        let refs: Vec<ObjectRef> = self.objects_of_kind(group, kind).collect();
        // Decoded straight into what is kept, and the failures filtered out in place: a
        // list of 60,000 Events is held once, not copied into a second list.
        let decoded: Vec<Result<Located<T>, (ObjectRef, DecodeError)>> = refs
            .par_iter()
            .map(|r| {
                self.take_or_decode_view::<T>(*r)
                    .map(|value| Located {
                        value,
                        at: self.provenance(*r),
                    })
                    .map_err(|e| (*r, e))
            })
            .collect();
        drop(refs);
        decoded
            .into_iter()
            .filter_map(|d| match d {
                Ok(located) => Some(located),
                Err((r, e)) => {
                    let rec = self.record(r);
                    diagnostics.push(Diagnostic {
                        archive: r.archive,
                        path: self
                            .artifact_path(ArtifactId::new(r.archive, rec.entry))
                            .to_owned(),
                        kind: DiagnosticKind::Parse,
                        message: format!("{kind} {} (line {}): {e}", rec.meta.name, rec.line),
                    });
                    None
                }
            })
            .collect()
    }

    /// The log files among `log_artifacts` (pod logs, host service logs, node journals),
    /// with their source, node and reference time, parsed.
    fn parse_logs(
        &self,
        log_artifacts: &[(ArtifactId, &crate::archive::Entry, ArtifactKind)],
        parts: &[PartInfo],
        node_names: &[String],
        pod_nodes: &std::collections::HashMap<(String, String), String>,
        collected_at: Option<casefile_model::Timestamp>,
    ) -> Vec<LogFile> {
        let candidates: Vec<(
            ArtifactId,
            LogSource,
            Option<String>,
            Option<casefile_model::Timestamp>,
        )> = log_artifacts
            .par_iter()
            .filter_map(|&(id, entry, ref kind)| {
                if entry.size == 0 {
                    return None;
                }
                let part =
                    crate::index::part_of(&self.archive(id.archive).index.parts, &entry.path)?;
                let part_info = parts.iter().filter(|p| p.archive == id.archive).nth(part);
                let part_time = part_info.and_then(|p| p.collected_at).or(collected_at);
                match kind {
                    ArtifactKind::PodLog {
                        namespace,
                        pod,
                        container,
                        file,
                    } => Some((
                        id,
                        LogSource::Pod {
                            namespace: namespace.clone(),
                            pod: pod.clone(),
                            container: container.clone(),
                            file: file.clone(),
                        },
                        None,
                        part_time,
                    )),
                    ArtifactKind::HostServiceLog { unit, .. } => Some((
                        id,
                        LogSource::Journal { unit: unit.clone() },
                        None,
                        part_time,
                    )),
                    ArtifactKind::NodeJournal { node, unit } => {
                        let node = node
                            .as_deref()
                            .and_then(|n| canonical_node(node_names, n))
                            .map(str::to_owned)
                            .or_else(|| {
                                part_info
                                    .filter(|p| p.kind == PartKind::Sosreport)
                                    .and_then(|p| p.node.clone())
                            });
                        Some((
                            id,
                            LogSource::Journal { unit: unit.clone() },
                            node,
                            part_time,
                        ))
                    }
                    _ => None,
                }
            })
            .collect();
        candidates
            .into_par_iter()
            .filter_map(|(artifact, source, node, reference)| {
                let bytes = self.content(artifact)?;
                let format = match &source {
                    LogSource::Pod { .. } => LogFormat::PodLog,
                    // Journals sniffed as plain text (e.g. only a header) are still journals.
                    _ => match crate::logs::sniff_format(&bytes[..bytes.len().min(4096)]) {
                        LogFormat::Plain => LogFormat::Journal,
                        other => other,
                    },
                };
                drop(bytes);
                self.release(artifact);
                let node = node.or_else(|| match &source {
                    LogSource::Pod { namespace, pod, .. } => {
                        pod_nodes.get(&(namespace.clone(), pod.clone())).cloned()
                    }
                    _ => None,
                });
                Some(LogFile {
                    artifact,
                    source,
                    node,
                    format,
                    year_reference: reference,
                    records: Vec::new(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use casefile_model::Provenance;

    fn at(line: u32) -> Provenance {
        Provenance {
            artifact: ArtifactId::new(ArchiveId(0), line % 7),
            line: Some(line),
            offset: Some(u64::from(line) * 100),
        }
    }

    #[test]
    fn a_kept_snapshot_with_many_parts_reads_back_in_order() {
        // More events, creations and pods than one part holds, so several parts of each
        // are written and decoded in parallel; their order must survive.
        let n = KEPT_PART_ITEMS * 2 + 17;
        let events: Vec<Located<Event>> = (0..n)
            .map(|i| Located {
                value: Event {
                    reason: format!("Reason{i}"),
                    message: format!("message \"{i}\"\nline two"),
                    ..Event::default()
                },
                at: at(i as u32),
            })
            .collect();
        let created: Vec<Located<ObjectCreated>> = (0..n + 5)
            .map(|i| Located {
                value: ObjectCreated {
                    kind: "Pod".into(),
                    namespace: (i % 2 == 0).then(|| format!("ns-{i}")),
                    name: format!("pod-{i}"),
                    at: jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap(),
                },
                at: at(i as u32),
            })
            .collect();
        let pods: Vec<Located<Pod>> = (0..=KEPT_PART_PODS * 3)
            .map(|i| {
                let mut pod = Pod::default();
                pod.metadata.name = format!("pod-{i}");
                pod.status.phase = (i % 3 == 0).then(|| "Running".to_owned());
                Located {
                    value: pod,
                    at: at(i as u32),
                }
            })
            .collect();
        let mut assembled = Assembled {
            snapshot: Snapshot {
                events,
                created,
                pods,
                node_names: vec!["master-0".into()],
                ..Snapshot::default()
            },
            diagnostics: Vec::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.snap");
        keep(&path, &mut assembled).unwrap();
        assert_eq!(assembled.snapshot.events.len(), n, "the lists are put back");
        assert_eq!(assembled.snapshot.pods.len(), KEPT_PART_PODS * 3 + 1);
        let read = load_kept(&path).expect("reads back");
        assert_eq!(read.snapshot, assembled.snapshot);
        // Each list is decoded into one vector sized once from the layout.
        let s = &read.snapshot;
        assert_eq!(s.events.capacity(), s.events.len());
        assert_eq!(s.created.capacity(), s.created.len());
        assert_eq!(s.pods.capacity(), s.pods.len());

        // A layout that does not match the parts it describes is not a snapshot.
        let bytes = std::fs::read(&path).unwrap();
        let kept = crate::cache::load_snapshot(&path).unwrap();
        let parts: Vec<Vec<u8>> = kept.parts().iter().map(|p| p.to_vec()).collect();
        drop(kept);
        for damage in [0, 1, 2] {
            let mut layout: KeptLayout = rmp_serde::from_slice(&parts[0]).unwrap();
            match damage {
                0 => layout.events.items += 1,
                1 => layout.created.parts -= 1,
                _ => layout.pods.items -= 1,
            }
            let mut damaged = parts.clone();
            damaged[0] = rmp_serde::to_vec(&layout).unwrap();
            crate::cache::write_snapshot(&path, &damaged).unwrap();
            assert!(load_kept(&path).is_none(), "damage {damage}");
        }

        // A cut file is not a snapshot.
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        assert!(load_kept(&path).is_none());
    }
}
