//! Layout detection: which collections (must-gather, inspect, sosreport, Insights) an input
//! holds, where their roots are, and what each path inside them is.

use casefile_model::{CollectionTime, CollectionTimeSource, PartKind, Timestamp};
use serde::{Deserialize, Serialize};

use crate::archive::{Entry, EntryKind};
use crate::store::ArchiveData;

/// One collection inside an input (an archive may hold several, e.g. sos-collector bundles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// What it is.
    pub kind: PartKind,
    /// Its root directory inside the input (`""` for the input root).
    pub root: String,
    /// Directories holding `namespaces/` and `cluster-scoped-resources/` (must-gather image
    /// directories; the root itself for inspect).
    pub resource_roots: Vec<String>,
    /// When it was collected, and from which evidence.
    pub collected: Option<CollectionTime>,
    /// The host it describes (sosreports).
    pub hostname: Option<String>,
    /// sosreport command map from `sos_reports/manifest.json`: file path (relative to the
    /// root) → the command line that produced it. Preferred over guessing from file names.
    #[serde(default)]
    pub commands: std::collections::BTreeMap<String, String>,
}

/// What a path is, from the layout alone (no content parsing).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArtifactKind {
    /// A List or single-object YAML/JSON resource file: `<group>/<resource>[/<name>].yaml`.
    Resource {
        /// API group directory (`core` for the core group).
        group: String,
        /// Resource plural (`configmaps`).
        resource: String,
        /// Namespace for namespaced resources.
        namespace: Option<String>,
    },
    /// `namespaces/<ns>/pods/<pod>/<pod>.yaml`.
    PodManifest {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
    },
    /// `namespaces/<ns>/<ns>.yaml`.
    NamespaceManifest {
        /// Namespace.
        namespace: String,
    },
    /// A container log: `pods/<pod>/<ctr>/<ctr>/logs/<file>`.
    PodLog {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
        /// Container name.
        container: String,
        /// File name (`current.log`, `previous.log`, `rotated/...`).
        file: String,
    },
    /// `host_service_logs/<role>/<unit>_service.log`: one unit's journal from several nodes.
    HostServiceLog {
        /// `masters` or `workers`.
        role: String,
        /// systemd unit without `.service`.
        unit: String,
    },
    /// A journal of one node (`nodes/<node>/<node>_logs_kubelet.gz`, sosreport journalctl output).
    NodeJournal {
        /// Node name when the path names it.
        node: Option<String>,
        /// The unit (`kubelet`, `crio`) or `""` for the whole journal.
        unit: String,
    },
    /// A must-gather or inspect `timestamp` file.
    Timestamp,
    /// A kubeconfig on a node (sosreport `etc/kubernetes/kubeconfig`).
    Kubeconfig,
    /// sosreport `sos_reports/manifest.json`.
    SosManifest,
    /// A sosreport command output (`sos_commands/<plugin>/<command>`).
    SosCommand {
        /// Plugin name.
        plugin: String,
        /// Mangled command line.
        command: String,
    },
    /// Anything else (still browsable).
    Other,
}

fn contains_dir(entries: &[Entry], dir: &str) -> bool {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let i = entries.partition_point(|e| e.path.as_str() < prefix.as_str());
    entries.get(i).is_some_and(|e| e.path.starts_with(&prefix))
}

fn join(root: &str, rel: &str) -> String {
    if root.is_empty() {
        rel.to_owned()
    } else {
        format!("{root}/{rel}")
    }
}

fn parent(p: &str) -> &str {
    p.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Finds the collections in an input from its (sorted) paths.
pub fn detect_parts(data: &ArchiveData) -> Vec<Part> {
    let entries = &data.entries;
    let mut sos_roots: Vec<String> = Vec::new();
    let mut resource_roots: Vec<String> = Vec::new();
    let mut insights_roots: Vec<String> = Vec::new();
    for e in entries {
        let comps: Vec<&str> = e.path.split('/').collect();
        if let Some(i) = comps.iter().position(|c| *c == "sos_commands") {
            let root = comps[..i].join("/");
            if sos_roots.last() != Some(&root) && !sos_roots.contains(&root) {
                sos_roots.push(root);
            }
            continue;
        }
        if let Some(i) = comps
            .iter()
            .position(|c| *c == "namespaces" || *c == "cluster-scoped-resources")
            && i + 1 < comps.len()
        {
            let root = comps[..i].join("/");
            if !resource_roots.contains(&root) {
                resource_roots.push(root);
            }
        }
        if comps.len() >= 2
            && comps[comps.len() - 1] == "version.json"
            && comps[comps.len() - 2] == "config"
        {
            let root = comps[..comps.len() - 2].join("/");
            if !insights_roots.contains(&root) {
                insights_roots.push(root);
            }
        }
    }
    // Resource roots inside a sosreport are command output, not a must-gather.
    resource_roots.retain(|r| {
        !sos_roots
            .iter()
            .any(|s| r == s || r.starts_with(&format!("{s}/")))
    });

    let mut parts: Vec<Part> = Vec::new();
    for r in &resource_roots {
        let up = parent(r);
        let has_ts = |d: &str| data.find(&join(d, "timestamp")).is_some();
        // must-gather: <root>/<image-dir>/{namespaces,...} with <root>/timestamp; inspect: timestamp beside namespaces/.
        let name = r.rsplit('/').next().unwrap_or("");
        let (kind, root) = if name.starts_with("inspect.local") {
            (PartKind::Inspect, r.clone())
        } else if !r.is_empty() && has_ts(up) {
            // <root>/timestamp beside <root>/<image-dir>/{namespaces,...}
            (PartKind::MustGather, up.to_owned())
        } else if has_ts(r) && data.find(&join(r, "version")).is_none() {
            // inspect writes timestamp beside namespaces/ and has no `version` file
            (PartKind::Inspect, r.clone())
        } else {
            (PartKind::MustGather, r.clone())
        };
        if let Some(p) = parts.iter_mut().find(|p| p.root == root && p.kind == kind) {
            p.resource_roots.push(r.clone());
        } else {
            parts.push(Part {
                kind,
                root,
                resource_roots: vec![r.clone()],
                collected: None,
                hostname: None,
                commands: std::collections::BTreeMap::default(),
            });
        }
    }
    for s in sos_roots {
        parts.push(Part {
            kind: PartKind::Sosreport,
            root: s,
            resource_roots: vec![],
            collected: None,
            hostname: None,
            commands: std::collections::BTreeMap::default(),
        });
    }
    for i in insights_roots {
        if contains_dir(entries, &join(&i, "config")) {
            parts.push(Part {
                kind: PartKind::Insights,
                root: i,
                resource_roots: vec![],
                collected: None,
                hostname: None,
                commands: std::collections::BTreeMap::default(),
            });
        }
    }
    if parts.is_empty() {
        parts.push(Part {
            kind: PartKind::Unknown,
            root: String::new(),
            resource_roots: vec![],
            collected: None,
            hostname: None,
            commands: std::collections::BTreeMap::default(),
        });
    }
    parts.sort_by(|a, b| a.root.cmp(&b.root).then(a.kind.cmp(&b.kind)));
    for p in &mut parts {
        p.collected = collection_time(data, p);
        if p.kind == PartKind::Sosreport {
            p.hostname = sos_hostname(data, p);
            p.commands = sos_command_map(data, p);
        }
    }
    parts
}

fn read_text(data: &ArchiveData, path: &str) -> Option<String> {
    let id = data.find(path)?;
    let bytes = data.content(id).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a sosreport's host name from `sos_commands/host/hostname`, the top-level
/// `hostname` file, or the `sosreport-<host>-…` directory name.
fn sos_hostname(data: &ArchiveData, part: &Part) -> Option<String> {
    for rel in ["sos_commands/host/hostname", "hostname", "etc/hostname"] {
        if let Some(t) = read_text(data, &join(&part.root, rel)) {
            let t = t.trim();
            // The hotsos copy turned top-level symlinks into files holding the target path.
            if let Some(target) = t.strip_prefix("sos_commands/") {
                if let Some(real) =
                    read_text(data, &join(&part.root, &format!("sos_commands/{target}")))
                {
                    let real = real.trim();
                    if !real.is_empty() {
                        return Some(real.to_owned());
                    }
                }
                continue;
            }
            if !t.is_empty() && !t.contains('\n') {
                return Some(t.to_owned());
            }
        }
    }
    let name = part.root.rsplit('/').next()?;
    let rest = name.strip_prefix("sosreport-")?;
    rest.split('-')
        .next()
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
}

/// Reads the command → file map of a sosreport manifest.
fn sos_command_map(data: &ArchiveData, part: &Part) -> std::collections::BTreeMap<String, String> {
    #[derive(Deserialize)]
    struct Cmd {
        exec: String,
        // Commands that produced no file carry `"filepath": null`.
        filepath: Option<String>,
    }
    #[derive(Deserialize)]
    struct Plugin {
        #[serde(default)]
        commands: Vec<Cmd>,
    }
    #[derive(Deserialize)]
    struct Report {
        #[serde(default)]
        plugins: std::collections::BTreeMap<String, Plugin>,
    }
    #[derive(Deserialize)]
    struct Components {
        report: Option<Report>,
    }
    #[derive(Deserialize)]
    struct Manifest {
        components: Option<Components>,
    }
    let mut map = std::collections::BTreeMap::new();
    for rel in [
        "sos_reports/manifest.json",
        "sos_reports.tgz!/sos_reports/manifest.json",
    ] {
        let Some(text) = read_text(data, &join(&part.root, rel)) else {
            continue;
        };
        let Ok(m) = serde_json::from_str::<Manifest>(&text) else {
            continue;
        };
        for plugin in m
            .components
            .and_then(|c| c.report)
            .map(|r| r.plugins)
            .unwrap_or_default()
            .into_values()
        {
            for c in plugin.commands {
                if let Some(path) = c.filepath {
                    map.insert(path, c.exec);
                }
            }
        }
        break;
    }
    map
}

/// Works out when a collection was taken.
fn collection_time(data: &ArchiveData, part: &Part) -> Option<CollectionTime> {
    match part.kind {
        PartKind::MustGather | PartKind::Inspect => {
            let mut best: Option<(Timestamp, String)> = None;
            let mut candidates = vec![join(&part.root, "timestamp")];
            for r in &part.resource_roots {
                candidates.push(join(r, "timestamp"));
            }
            for path in candidates {
                let Some(text) = read_text(data, &path) else {
                    continue;
                };
                for t in crate::timefmt::parse_timestamp_file(text.as_bytes()) {
                    if best.as_ref().is_none_or(|(b, _)| t > *b) {
                        best = Some((t, path.clone()));
                    }
                }
            }
            best.map(|(at, path)| CollectionTime {
                at,
                source: CollectionTimeSource::TimestampFile(path),
            })
        }
        PartKind::Sosreport => {
            for rel in [
                "sos_reports/manifest.json",
                "sos_reports.tgz!/sos_reports/manifest.json",
            ] {
                let path = join(&part.root, rel);
                let Some(text) = read_text(data, &path) else {
                    continue;
                };
                #[derive(Deserialize)]
                struct Manifest {
                    end_time: Option<String>,
                    start_time: Option<String>,
                }
                if let Ok(m) = serde_json::from_str::<Manifest>(&text) {
                    let t = m
                        .end_time
                        .as_deref()
                        .or(m.start_time.as_deref())
                        .and_then(|t| crate::timefmt::parse_naive_utc(t.as_bytes()));
                    if let Some(at) = t {
                        return Some(CollectionTime {
                            at,
                            source: CollectionTimeSource::SosManifest(path),
                        });
                    }
                }
            }
            let path = join(&part.root, "sos_commands/date/date");
            let at = read_text(data, &path).and_then(|t| {
                t.lines()
                    .find_map(|l| crate::timefmt::parse_date_output(l.as_bytes()))
            })?;
            Some(CollectionTime {
                at,
                source: CollectionTimeSource::SosDate(path),
            })
        }
        _ => None,
    }
}

/// Classifies a path relative to the collection it belongs to.
pub fn classify(part: &Part, entry: &Entry) -> ArtifactKind {
    if matches!(entry.kind, EntryKind::Dir) {
        return ArtifactKind::Other;
    }
    let path = entry.path.as_str();
    match part.kind {
        PartKind::MustGather | PartKind::Inspect => {
            for r in &part.resource_roots {
                let rel = if r.is_empty() {
                    Some(path)
                } else {
                    path.strip_prefix(r.as_str())
                        .and_then(|p| p.strip_prefix('/'))
                };
                if let Some(rel) = rel {
                    return classify_mustgather(rel);
                }
            }
            let rel = if part.root.is_empty() {
                path
            } else {
                path.strip_prefix(&format!("{}/", part.root))
                    .unwrap_or(path)
            };
            if rel == "timestamp" {
                ArtifactKind::Timestamp
            } else {
                ArtifactKind::Other
            }
        }
        PartKind::Sosreport => {
            let rel = if part.root.is_empty() {
                path
            } else {
                path.strip_prefix(&format!("{}/", part.root))
                    .unwrap_or(path)
            };
            match part.commands.get(rel) {
                Some(exec) => classify_sos_exec(rel, exec),
                None => classify_sos(rel),
            }
        }
        PartKind::Insights => {
            let rel = if part.root.is_empty() {
                path
            } else {
                path.strip_prefix(&format!("{}/", part.root))
                    .unwrap_or(path)
            };
            let c: Vec<&str> = rel.split('/').collect();
            if let ["config", "node", "logs", file] = c.as_slice() {
                return ArtifactKind::NodeJournal {
                    node: file.strip_suffix(".log").map(str::to_owned),
                    unit: "kubelet".into(),
                };
            }
            ArtifactKind::Other
        }
        _ => ArtifactKind::Other,
    }
}

fn is_manifest(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Classifies a path relative to a must-gather resource root (image directory).
pub fn classify_mustgather(rel: &str) -> ArtifactKind {
    let c: Vec<&str> = rel.split('/').collect();
    match c.as_slice() {
        ["timestamp"] => ArtifactKind::Timestamp,
        ["namespaces", ns, file] if is_manifest(file) && stem(file) == *ns => {
            ArtifactKind::NamespaceManifest {
                namespace: (*ns).to_owned(),
            }
        }
        ["namespaces", ns, "pods", pod, file] if is_manifest(file) => ArtifactKind::PodManifest {
            namespace: (*ns).to_owned(),
            pod: (*pod).to_owned(),
        },
        ["namespaces", ns, "pods", pod, ctr, _ctr2, "logs", rest @ ..] if !rest.is_empty() => {
            ArtifactKind::PodLog {
                namespace: (*ns).to_owned(),
                pod: (*pod).to_owned(),
                container: (*ctr).to_owned(),
                file: rest.join("/"),
            }
        }
        ["namespaces", ns, group, file] if is_manifest(file) => ArtifactKind::Resource {
            group: (*group).to_owned(),
            resource: stem(file).to_owned(),
            namespace: Some((*ns).to_owned()),
        },
        ["namespaces", ns, group, resource, file] if is_manifest(file) && *group != "pods" => {
            ArtifactKind::Resource {
                group: (*group).to_owned(),
                resource: (*resource).to_owned(),
                namespace: Some((*ns).to_owned()),
            }
        }
        ["cluster-scoped-resources", group, file] if is_manifest(file) => ArtifactKind::Resource {
            group: (*group).to_owned(),
            resource: stem(file).to_owned(),
            namespace: None,
        },
        ["cluster-scoped-resources", group, resource, file] if is_manifest(file) => {
            ArtifactKind::Resource {
                group: (*group).to_owned(),
                resource: (*resource).to_owned(),
                namespace: None,
            }
        }
        ["host_service_logs", role, file] => {
            let unit = file
                .strip_suffix("_service.log")
                .or_else(|| file.strip_suffix(".log"))
                .unwrap_or(file);
            ArtifactKind::HostServiceLog {
                role: (*role).to_owned(),
                unit: unit.to_owned(),
            }
        }
        ["nodes", node, file] if file.contains("_logs_") => {
            let unit = file
                .split("_logs_")
                .nth(1)
                .unwrap_or("")
                .trim_end_matches(".gz")
                .trim_end_matches(".log");
            ArtifactKind::NodeJournal {
                node: Some((*node).to_owned()),
                unit: unit.to_owned(),
            }
        }
        _ => ArtifactKind::Other,
    }
}

/// Classifies a sosreport command output from the command line the manifest records.
pub fn classify_sos_exec(rel: &str, exec: &str) -> ArtifactKind {
    let words: Vec<&str> = exec.split_whitespace().collect();
    if words.first() == Some(&"journalctl") {
        if let Some(unit) = words
            .iter()
            .position(|w| *w == "--unit" || *w == "-u")
            .and_then(|i| words.get(i + 1))
        {
            return ArtifactKind::NodeJournal {
                node: None,
                unit: unit.trim_end_matches(".service").to_owned(),
            };
        }
        if words.contains(&"--no-pager")
            && !words
                .iter()
                .any(|w| w.starts_with("--disk-usage") || *w == "--list-boots")
        {
            return ArtifactKind::NodeJournal {
                node: None,
                unit: String::new(),
            };
        }
    }
    let plugin = rel.split('/').nth(1).unwrap_or_default();
    ArtifactKind::SosCommand {
        plugin: plugin.to_owned(),
        command: exec.to_owned(),
    }
}

/// Classifies a path relative to a sosreport root.
pub fn classify_sos(rel: &str) -> ArtifactKind {
    let c: Vec<&str> = rel.split('/').collect();
    match c.as_slice() {
        ["sos_reports", "manifest.json"] | ["sos_reports.tgz!", "sos_reports", "manifest.json"] => {
            ArtifactKind::SosManifest
        }
        ["etc", "kubernetes", "kubeconfig"] | ["var", "lib", "kubelet", "kubeconfig"] => {
            ArtifactKind::Kubeconfig
        }
        ["sos_commands", plugin, command] => {
            if let Some(unit) = command.strip_prefix("journalctl_--no-pager_--unit_") {
                return ArtifactKind::NodeJournal {
                    node: None,
                    unit: unit.split('_').next().unwrap_or(unit).to_owned(),
                };
            }
            if command.starts_with("journalctl_--no-pager") && *plugin == "logs" {
                return ArtifactKind::NodeJournal {
                    node: None,
                    unit: String::new(),
                };
            }
            ArtifactKind::SosCommand {
                plugin: (*plugin).to_owned(),
                command: (*command).to_owned(),
            }
        }
        _ => ArtifactKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_mustgather_paths() {
        let cases: &[(&str, ArtifactKind)] = &[
            (
                "namespaces/openshift-multus/core/configmaps.yaml",
                ArtifactKind::Resource {
                    group: "core".into(),
                    resource: "configmaps".into(),
                    namespace: Some("openshift-multus".into()),
                },
            ),
            (
                "namespaces/openshift-multus/apps/daemonsets/multus.yaml",
                ArtifactKind::Resource {
                    group: "apps".into(),
                    resource: "daemonsets".into(),
                    namespace: Some("openshift-multus".into()),
                },
            ),
            (
                "namespaces/openshift-multus/openshift-multus.yaml",
                ArtifactKind::NamespaceManifest {
                    namespace: "openshift-multus".into(),
                },
            ),
            (
                "namespaces/ns/pods/p-1/p-1.yaml",
                ArtifactKind::PodManifest {
                    namespace: "ns".into(),
                    pod: "p-1".into(),
                },
            ),
            (
                "namespaces/ns/pods/p-1/c/c/logs/current.log",
                ArtifactKind::PodLog {
                    namespace: "ns".into(),
                    pod: "p-1".into(),
                    container: "c".into(),
                    file: "current.log".into(),
                },
            ),
            (
                "namespaces/ns/pods/p-1/c/c/logs/rotated/1.log.20231102-061208.gz",
                ArtifactKind::PodLog {
                    namespace: "ns".into(),
                    pod: "p-1".into(),
                    container: "c".into(),
                    file: "rotated/1.log.20231102-061208.gz".into(),
                },
            ),
            (
                "cluster-scoped-resources/core/nodes/ip-10-0-1-2.ec2.internal.yaml",
                ArtifactKind::Resource {
                    group: "core".into(),
                    resource: "nodes".into(),
                    namespace: None,
                },
            ),
            (
                "cluster-scoped-resources/certificates.k8s.io/certificatesigningrequests/system:openshift:openshift-authenticator.yaml",
                ArtifactKind::Resource {
                    group: "certificates.k8s.io".into(),
                    resource: "certificatesigningrequests".into(),
                    namespace: None,
                },
            ),
            (
                "cluster-scoped-resources/config.openshift.io/clusteroperators.yaml",
                ArtifactKind::Resource {
                    group: "config.openshift.io".into(),
                    resource: "clusteroperators".into(),
                    namespace: None,
                },
            ),
            (
                "host_service_logs/masters/kubelet_service.log",
                ArtifactKind::HostServiceLog {
                    role: "masters".into(),
                    unit: "kubelet".into(),
                },
            ),
            (
                "nodes/n1/n1_logs_kubelet.gz",
                ArtifactKind::NodeJournal {
                    node: Some("n1".into()),
                    unit: "kubelet".into(),
                },
            ),
            ("timestamp", ArtifactKind::Timestamp),
            // near misses
            (
                "namespaces/ns/pods/p-1/c/c/current.log",
                ArtifactKind::Other,
            ),
            ("namespaces/ns/core/configmaps.txt", ArtifactKind::Other),
            ("nodes/n1/sysinfo.tgz", ArtifactKind::Other),
            ("etcd_info/member_list.json", ArtifactKind::Other),
        ];
        for (rel, want) in cases {
            assert_eq!(&classify_mustgather(rel), want, "{rel}");
        }
    }

    #[test]
    fn classifies_sos_paths() {
        assert_eq!(
            classify_sos("sos_commands/openshift/journalctl_--no-pager_--unit_kubelet"),
            ArtifactKind::NodeJournal {
                node: None,
                unit: "kubelet".into()
            }
        );
        assert_eq!(
            classify_sos("sos_commands/crio/journalctl_--no-pager_--unit_crio"),
            ArtifactKind::NodeJournal {
                node: None,
                unit: "crio".into()
            }
        );
        assert_eq!(
            classify_sos("etc/kubernetes/kubeconfig"),
            ArtifactKind::Kubeconfig
        );
        assert_eq!(
            classify_sos("sos_reports/manifest.json"),
            ArtifactKind::SosManifest
        );
        assert_eq!(
            classify_sos("sos_commands/host/hostname"),
            ArtifactKind::SosCommand {
                plugin: "host".into(),
                command: "hostname".into()
            }
        );
        assert_eq!(
            classify_sos("etc/kubernetes/kubelet.conf"),
            ArtifactKind::Other
        );
        let cases: &[(&str, &str, ArtifactKind)] = &[
            (
                "sos_commands/kubernetes/journalctl_--no-pager_--unit_cdk.master.auth-webhook.1",
                "journalctl --no-pager  --unit cdk.master.auth-webhook",
                ArtifactKind::NodeJournal {
                    node: None,
                    unit: "cdk.master.auth-webhook".into(),
                },
            ),
            (
                "sos_commands/openshift/journalctl_--no-pager_--unit_kubelet",
                "journalctl --no-pager --unit kubelet.service",
                ArtifactKind::NodeJournal {
                    node: None,
                    unit: "kubelet".into(),
                },
            ),
            (
                "sos_commands/logs/journalctl_--no-pager_--catalog_--boot",
                "journalctl --no-pager  --catalog --boot ",
                ArtifactKind::NodeJournal {
                    node: None,
                    unit: String::new(),
                },
            ),
            (
                "sos_commands/logs/journalctl_--disk-usage",
                "journalctl --disk-usage",
                ArtifactKind::SosCommand {
                    plugin: "logs".into(),
                    command: "journalctl --disk-usage".into(),
                },
            ),
            (
                "sos_commands/host/hostname",
                "hostname",
                ArtifactKind::SosCommand {
                    plugin: "host".into(),
                    command: "hostname".into(),
                },
            ),
        ];
        for (rel, exec, want) in cases {
            assert_eq!(&classify_sos_exec(rel, exec), want, "{exec}");
        }
    }
}
