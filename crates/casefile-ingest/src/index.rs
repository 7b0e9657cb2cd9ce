//! The object index: every Kubernetes object in an input, found by the shallow scanner
//! (or a real parser when the shallow subset does not apply), with its byte range.

use casefile_model::{
    CollectionTime, CollectionTimeSource, Diagnostic, DiagnosticKind, ObjectMetaLite, Timestamp,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::layout::{ArtifactKind, Part, classify};
use crate::predecode::Decoded;
use crate::spool::Prescanned;
use crate::store::ArchiveData;
use crate::yamlscan;

/// One object found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// Identity and the little metadata kept for every object.
    pub meta: ObjectMetaLite,
    /// The entry (file) holding it.
    pub entry: u32,
    /// Byte range of its text inside the file.
    pub start: u64,
    /// End of the byte range (exclusive).
    pub end: u64,
    /// 1-based first line.
    pub line: u32,
    /// Whether it came from a `*List` file.
    pub in_list: bool,
    /// The resource plural taken from the path (`configmaps`), when the path names it.
    pub resource: Option<String>,
    /// Index of the collection (part) it belongs to.
    pub part: u16,
    /// Set when the range is the whole file: (document index, List item index).
    pub fallback: Option<(u32, Option<u32>)>,
}

/// Index built for one input.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveIndex {
    /// Collections found.
    pub parts: Vec<Part>,
    /// Objects, in entry order then position.
    pub objects: Vec<ObjectRecord>,
    /// Problems met while scanning.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the part an entry belongs to (the deepest root that is a prefix of its path).
pub fn part_of(parts: &[Part], path: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, p) in parts.iter().enumerate() {
        let inside =
            p.root.is_empty() || path == p.root || path.starts_with(&format!("{}/", p.root));
        if inside && best.is_none_or(|(_, len)| p.root.len() > len) {
            best = Some((i, p.root.len()));
        }
    }
    best.map(|(i, _)| i)
}

/// Bytes of entries scanned between two releases of mapped content.
const SCAN_SLICE_BYTES: u64 = 128 << 20;

/// Builds the index of one input: parts, then a parallel scan of every resource file.
pub fn build(data: &ArchiveData) -> ArchiveIndex {
    build_with(data, Prescanned::new())
}

/// Whether a member at `path` may be a resource file the index scans: a YAML or JSON file
/// under a `namespaces/` or `cluster-scoped-resources/` directory. A guess from the path
/// alone (the layout is not known while reading): members it picks are scanned ahead by
/// the spool thread, and any other resource file is scanned by [`build_with`].
pub fn may_hold_objects(path: &str) -> bool {
    // Bytes, not `str` slices: a name may end in a multi-byte character.
    let p = path.as_bytes();
    let ext_ok = [".yaml", ".yml", ".json"].iter().any(|ext| {
        p.len() > ext.len() && p[p.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    });
    ext_ok
        && path
            .split('/')
            .any(|c| c == "namespaces" || c == "cluster-scoped-resources")
}

/// What the shallow scan of one file's text found: its objects, or why it could not be
/// scanned. A pure function of the bytes ([`scan_text`]).
pub type ScanOutcome = Result<Vec<yamlscan::ShallowObject>, String>;

/// Scans a resource file's text for objects: the shallow scanner, or a real parser when
/// the text is outside its subset; JSON by a real parser.
pub fn scan_text(bytes: &[u8]) -> ScanOutcome {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Ok(Vec::new()),
        Some(b'{' | b'[') => scan_json(bytes),
        Some(_) => match yamlscan::scan(bytes) {
            Ok(objs) => Ok(objs),
            Err(_) => scan_yaml_full(bytes),
        },
    }
}

/// Like [`build`], with the outcomes of scans already run on some members (by the spool
/// thread while the input was read): an entry whose blob range has one is not scanned again.
pub fn build_with(data: &ArchiveData, prescanned: Prescanned) -> ArchiveIndex {
    build_prescanned(data, prescanned).0
}

/// [`build_with`], and the values the spool thread decoded ahead, aligned with the index's
/// object records (`None` where nothing was).
pub fn build_prescanned(
    data: &ArchiveData,
    prescanned: Prescanned,
) -> (ArchiveIndex, Vec<Decoded>) {
    let mut ahead: Vec<Option<(ScanOutcome, Vec<Decoded>)>> = Vec::new();
    if !prescanned.is_empty() {
        let mut by_range: std::collections::HashMap<(u64, u64), (ScanOutcome, Vec<Decoded>)> =
            prescanned
                .into_iter()
                .map(|s| ((s.offset, s.len), (s.outcome, s.decoded)))
                .collect();
        ahead = data
            .entries
            .iter()
            .map(|e| match e.data {
                crate::archive::DataLoc::Blob { offset, len } if len > 0 => {
                    by_range.remove(&(offset, len))
                }
                _ => None,
            })
            .collect();
    }
    ahead.resize_with(data.entries.len(), || None);
    let parts = crate::layout::detect_parts(data);
    // Scanned in slices of about `SCAN_SLICE_BYTES`, with the mapped text let go after each:
    // the resident set stays bounded however large the input.
    let mut scanned: Vec<(Vec<ObjectRecord>, Option<Diagnostic>, Vec<Decoded>)> = Vec::new();
    let mut from = 0;
    while from < data.entries.len() {
        let mut to = from;
        let mut bytes = 0u64;
        while to < data.entries.len() && (to == from || bytes < SCAN_SLICE_BYTES) {
            bytes = bytes.saturating_add(data.entries[to].size);
            to += 1;
        }
        let slice: Vec<_> = data.entries[from..to]
            .par_iter()
            .zip(ahead[from..to].par_iter_mut())
            .enumerate()
            .filter_map(|(i, (e, ahead))| {
                let pi = part_of(&parts, &e.path)?;
                let kind = classify(&parts[pi], e);
                let resource = match &kind {
                    ArtifactKind::Resource { resource, .. } => Some(resource.clone()),
                    ArtifactKind::PodManifest { .. } => Some("pods".to_owned()),
                    ArtifactKind::NamespaceManifest { .. } => Some("namespaces".to_owned()),
                    _ => None,
                };
                resource.as_ref()?;
                Some(scan_entry(
                    data,
                    (from + i) as u32,
                    pi as u16,
                    resource.as_deref(),
                    ahead.take(),
                ))
            })
            .collect();
        scanned.extend(slice);
        data.release_all();
        from = to;
    }
    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    let mut decoded: Vec<Decoded> = Vec::new();
    for (objs, diag, values) in scanned {
        if !values.is_empty() {
            decoded.resize_with(objects.len(), || None);
            decoded.extend(values);
        }
        objects.extend(objs);
        diagnostics.extend(diag);
    }
    if !decoded.is_empty() {
        decoded.resize_with(objects.len(), || None);
    }
    let mut parts = parts;
    for (i, p) in parts.iter_mut().enumerate() {
        if p.collected.is_none() {
            // No collection record: the newest object creation time is a lower bound.
            let newest = objects
                .iter()
                .filter(|o| usize::from(o.part) == i)
                .filter_map(|o| o.meta.created)
                .max();
            p.collected = newest.map(|at| CollectionTime {
                at,
                source: CollectionTimeSource::NewestSeen,
            });
        }
    }
    (
        ArchiveIndex {
            parts,
            objects,
            diagnostics,
        },
        decoded,
    )
}

/// Objects found in one entry, the problem met, and the values decoded ahead for them
/// (aligned with the objects, or empty).
type EntryScan = (Vec<ObjectRecord>, Option<Diagnostic>, Vec<Decoded>);

fn scan_entry(
    data: &ArchiveData,
    entry: u32,
    part: u16,
    resource: Option<&str>,
    ahead: Option<(ScanOutcome, Vec<Decoded>)>,
) -> EntryScan {
    let path = &data.entries[entry as usize].path;
    let diag = |message: String| Diagnostic {
        archive: data.id,
        path: path.clone(),
        kind: DiagnosticKind::Parse,
        message,
    };
    let (found, mut values) = match ahead {
        Some(found) => found,
        None => match data.content(entry) {
            Ok(bytes) => (scan_text(&bytes), Vec::new()),
            Err(e) => return (vec![], Some(diag(format!("cannot read: {e}"))), Vec::new()),
        },
    };
    match found {
        Ok(objs) => {
            let mut out = Vec::with_capacity(objs.len());
            let mut kept = Vec::new();
            let mut bad = 0usize;
            for (i, o) in objs.into_iter().enumerate() {
                let (Some(kind), Some(name)) = (o.kind, o.name) else {
                    bad += 1;
                    continue;
                };
                if !values.is_empty() {
                    kept.push(values.get_mut(i).and_then(Option::take));
                }
                let created = o
                    .created
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .and_then(|s| s.parse::<Timestamp>().ok());
                out.push(ObjectRecord {
                    meta: ObjectMetaLite {
                        api_version: o.api_version.unwrap_or_default(),
                        kind,
                        name,
                        namespace: o.namespace.filter(|n| !n.is_empty()),
                        uid: o.uid.filter(|u| !u.is_empty()),
                        created,
                    },
                    entry,
                    start: o.start as u64,
                    end: o.end as u64,
                    line: o.line,
                    in_list: o.in_list,
                    resource: resource.map(str::to_owned),
                    part,
                    fallback: o.fallback,
                });
            }
            let d = (bad > 0).then(|| {
                diag(format!(
                    "{bad} object(s) without kind or metadata.name were skipped"
                ))
            });
            (out, d, kept)
        }
        Err(msg) => (vec![], Some(diag(msg)), Vec::new()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct MetaDoc {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    creation_timestamp: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ObjDoc {
    api_version: Option<String>,
    kind: Option<String>,
    metadata: Option<MetaDoc>,
}

impl ObjDoc {
    fn into_shallow(
        self,
        start: usize,
        end: usize,
        line: u32,
        in_list: bool,
        fallback: Option<(u32, Option<u32>)>,
    ) -> yamlscan::ShallowObject {
        let m = self.metadata.unwrap_or_default();
        yamlscan::ShallowObject {
            api_version: self.api_version,
            kind: self.kind,
            name: m.name,
            namespace: m.namespace,
            uid: m.uid,
            created: m.creation_timestamp,
            start,
            end,
            line,
            in_list,
            fallback,
        }
    }
}

fn line_at(bytes: &[u8], offset: usize) -> u32 {
    memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() as u32 + 1
}

fn scan_json(bytes: &[u8]) -> Result<Vec<yamlscan::ShallowObject>, String> {
    #[derive(Deserialize)]
    struct ListDoc<'a> {
        kind: Option<String>,
        #[serde(borrow)]
        items: Option<Vec<&'a serde_json::value::RawValue>>,
    }
    let list: ListDoc<'_> =
        serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    if let (Some(items), true) = (
        list.items,
        list.kind.as_deref().is_none_or(|k| k.ends_with("List")),
    ) {
        let base = bytes.as_ptr() as usize;
        let mut out = Vec::with_capacity(items.len());
        for raw in items {
            let text = raw.get();
            let start = (text.as_ptr() as usize).saturating_sub(base);
            let end = start + text.len();
            let doc: ObjDoc = serde_json::from_str(text).unwrap_or_default();
            out.push(doc.into_shallow(start, end, line_at(bytes, start), true, None));
        }
        return Ok(out);
    }
    let doc: ObjDoc = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(vec![doc.into_shallow(0, bytes.len(), 1, false, None)])
}

/// The slow path: a real YAML parser, for files outside the shallow subset.
fn scan_yaml_full(bytes: &[u8]) -> Result<Vec<yamlscan::ShallowObject>, String> {
    #[derive(Deserialize, Default)]
    #[serde(default, rename_all = "camelCase")]
    struct Doc {
        api_version: Option<String>,
        kind: Option<String>,
        metadata: Option<MetaDoc>,
        items: Option<Vec<ObjDoc>>,
    }
    let text = std::str::from_utf8(bytes).map_err(|e| format!("YAML is not valid UTF-8: {e}"))?;
    let docs: Vec<Doc> =
        serde_saphyr::from_multiple_with_options(text, crate::decode::yaml_options(bytes.len()))
            .map_err(|e| format!("invalid YAML: {}", first_line(&e.to_string())))?;
    let mut out = Vec::new();
    for (di, d) in docs.into_iter().enumerate() {
        let di = di as u32;
        match d.items {
            Some(items) if d.kind.as_deref().is_none_or(|k| k.ends_with("List")) => {
                out.extend(items.into_iter().enumerate().map(|(ii, i)| {
                    i.into_shallow(0, bytes.len(), 1, true, Some((di, Some(ii as u32))))
                }));
            }
            _ => {
                let doc = ObjDoc {
                    api_version: d.api_version,
                    kind: d.kind,
                    metadata: d.metadata,
                };
                out.push(doc.into_shallow(0, bytes.len(), 1, false, Some((di, None))));
            }
        }
    }
    Ok(out)
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_files_are_guessed_from_the_path() {
        let table = [
            ("mg/namespaces/openshift-etcd/core/pods.yaml", true),
            ("mg/namespaces/ns/pods/p/p.yaml", true),
            ("cluster-scoped-resources/core/nodes/master-0.yaml", true),
            (
                "mg/cluster-scoped-resources/config.openshift.io/clusterversions.YML",
                true,
            ),
            ("mg/namespaces/ns/apps/deployments.json", true),
            // near misses
            ("mg/namespaces/ns/pods/p/c/c/logs/current.log", false),
            ("mg/namespaces.yaml", false),
            ("mg/mynamespaces/ns/core/pods.yaml", false),
            ("mg/namespaces/ns/core/pods.yaml.gz", false),
            ("sosreport/etc/kubernetes/kubeconfig", false),
            ("namespaces/.yaml", true),
            (".yaml", false),
            ("namespaces/ns/core/événements.yaml", true),
            ("namespaces/ns/core/pods€", false), // a multi-byte character where ".yml" would start
            ("namespaces/ns/€", false),
        ];
        for (path, want) in table {
            assert_eq!(may_hold_objects(path), want, "{path}");
        }
    }

    #[test]
    fn scanning_text_finds_objects_or_says_why_not() {
        let yaml = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: n\n";
        let found = scan_text(yaml).expect("block YAML scans");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name.as_deref(), Some("a"));
        let json = br#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"b"}}]}"#;
        assert_eq!(
            scan_text(json).expect("JSON scans")[0].name.as_deref(),
            Some("b")
        );
        assert!(scan_text(b"  \n\t").expect("blank scans").is_empty());
        assert!(scan_text(b"{not json").is_err());
    }
}
