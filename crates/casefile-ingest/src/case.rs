//! A case: several inputs (a must-gather, node sosreports, ...) read together.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use casefile_model::{
    ArchiveId, ArchiveKind, ArtifactId, Diagnostic, DiagnosticKind, PartKind, Provenance, Timestamp,
};
use serde::de::DeserializeOwned;

use rayon::prelude::*;

use crate::archive::{self, BlobSink, Collector, Entry, Limits};
use crate::cache::{self, CachePaths, SourceStamp};
use crate::decode::{DecodeError, decode_fallback, decode_object};
use crate::index::{self, ArchiveIndex, ObjectRecord};
use crate::layout::{ArtifactKind, Part, classify};
use crate::spool::{self, Spool};
use crate::store::{ArchiveData, Blob};
use crate::{Error, ErrorKind};

/// Work just done while reading inputs: deltas, reported from any thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Input bytes consumed (compressed bytes for archives).
    pub bytes: u64,
    /// Files stored (members of archives, nested ones included, and files of directories).
    pub files: u64,
}

impl Progress {
    /// `bytes` input bytes consumed.
    pub fn bytes(bytes: u64) -> Self {
        Self { bytes, files: 0 }
    }

    /// `files` files stored.
    pub fn files(files: u64) -> Self {
        Self { bytes: 0, files }
    }
}

/// A progress callback, called as inputs are read.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// How to open a case.
#[derive(Clone, Default)]
pub struct CaseOptions {
    /// Where the persistent index lives (default: [`cache::default_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// Do not read or write the persistent index.
    pub no_cache: bool,
    /// Size and nesting caps.
    pub limits: Limits,
    /// Called as input bytes are consumed (compressed bytes for archives).
    pub progress: Option<ProgressFn>,
    /// While an archive is read into the persistent index, also decode its Pods and Events
    /// on the core the decompressor leaves idle ([`crate::predecode`]), for
    /// [`Case::decode_views`] to take over. Costs memory until they are taken.
    pub predecode: bool,
}

impl std::fmt::Debug for CaseOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseOptions")
            .field("cache_dir", &self.cache_dir)
            .field("no_cache", &self.no_cache)
            .field("limits", &self.limits)
            .field("predecode", &self.predecode)
            .finish_non_exhaustive()
    }
}

/// How an input was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Read and indexed now.
    Indexed,
    /// Reused from the persistent index.
    Cached,
    /// A directory, read in place.
    Directory,
}

/// One loaded input with its index.
#[derive(Debug)]
pub struct LoadedArchive {
    /// Entries and content.
    pub data: ArchiveData,
    /// Parts and objects.
    pub index: ArchiveIndex,
    /// Problems met while reading the container.
    pub read_diagnostics: Vec<Diagnostic>,
    /// How it was loaded.
    pub mode: LoadMode,
    /// Size of the input on disk (0 for directories).
    pub input_bytes: u64,
    /// Wall time spent reading and indexing it (writing its persistent index, done beside
    /// the deduplication by [`Case::open`], is not counted).
    pub elapsed: Duration,
    /// The cache directory and input stamp its persistent index lives under, when it has one.
    pub(crate) persisted_as: Option<(PathBuf, SourceStamp)>,
    /// Values decoded while reading, waiting for [`Case::decode_views`].
    pub(crate) predecoded: crate::predecode::Handover,
    /// A persistent index to write (read now, its blob in place): written by [`Case::open`]
    /// while the objects are deduplicated, then recorded in `persisted_as`.
    pub(crate) unwritten: Option<(CachePaths, PathBuf, SourceStamp)>,
}

impl LoadedArchive {
    /// How many values decoded while reading ([`CaseOptions::predecode`]) still wait to be
    /// taken by [`Case::decode_views`].
    pub fn predecoded_waiting(&self) -> usize {
        self.predecoded.waiting()
    }
}

/// A reference to one object of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// The input holding it.
    pub archive: ArchiveId,
    /// Index into that input's object records.
    pub index: u32,
}

/// Several inputs read together, with one object view deduplicated across them.
#[derive(Debug)]
pub struct Case {
    archives: Vec<LoadedArchive>,
    objects: Vec<ObjectRef>,
    nodes: NodeNames,
}

/// Maps the many spellings of a node (FQDN, short journal host name) to the Node name.
#[derive(Debug, Default, Clone)]
pub struct NodeNames {
    full: Vec<String>,
    by_short: HashMap<String, Option<String>>,
}

impl NodeNames {
    /// Builds the mapping from Node object names.
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        let mut by_short: HashMap<String, Option<String>> = HashMap::new();
        for n in &names {
            let short = n.split('.').next().unwrap_or(n).to_owned();
            by_short
                .entry(short)
                .and_modify(|v| {
                    if v.as_deref() != Some(n.as_str()) {
                        *v = None; // two nodes share a short name: ambiguous
                    }
                })
                .or_insert_with(|| Some(n.clone()));
        }
        Self {
            full: names,
            by_short,
        }
    }

    /// The Node name a host name refers to: exact, or by its first label. `localhost`
    /// and unknown or ambiguous names give `None`.
    pub fn canonical(&self, host: &str) -> Option<&str> {
        if host.is_empty() || host == "localhost" || host.starts_with("localhost.") {
            return None;
        }
        if let Ok(i) = self.full.binary_search_by(|n| n.as_str().cmp(host)) {
            return Some(&self.full[i]);
        }
        let short = host.split('.').next().unwrap_or(host);
        self.by_short.get(short).and_then(|v| v.as_deref())
    }

    /// All Node names, sorted.
    pub fn all(&self) -> &[String] {
        &self.full
    }
}

impl Case {
    /// Opens every input. An input that cannot be read at all is a fatal [`Error`];
    /// problems inside an input become diagnostics.
    pub fn open(paths: &[PathBuf], opts: &CaseOptions) -> Result<Self, Error> {
        let paths = expand_case_dirs(paths);
        if let Some(p) = paths.get(usize::from(u16::MAX)) {
            return Err(Error::new(
                p,
                ErrorKind::UnknownFormat("too many inputs".into()),
            ));
        }
        // Inputs are read side by side (each is one decompression stream); the result keeps
        // the order given, so ids and output do not depend on the thread count.
        let loaded: Vec<Result<LoadedArchive, Error>> = paths
            .par_iter()
            .enumerate()
            .map(|(i, p)| load_one(ArchiveId(i as u16), p, opts))
            .collect();
        let archives = loaded.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self::assemble(archives))
    }

    fn assemble(mut archives: Vec<LoadedArchive>) -> Self {
        // Indexes read now are written while the objects are deduplicated (both only read
        // them); a kept view cannot match an index not written yet, so it is computed.
        let objects = if archives.iter().any(|a| a.unwritten.is_some()) {
            let (written, objects) = rayon::join(
                || {
                    archives
                        .par_iter()
                        .map(write_pending_index)
                        .collect::<Vec<_>>()
                },
                || {
                    let _t = crate::timing::Phase::start(|| "open: deduplicate objects".into());
                    dedupe(&archives)
                },
            );
            for (a, written) in archives.iter_mut().zip(written) {
                let Some((_, dir, stamp)) = a.unwritten.take() else {
                    continue;
                };
                match written {
                    Some(Ok(())) => a.persisted_as = Some((dir, stamp)),
                    Some(Err(e)) => a.read_diagnostics.push(Diagnostic {
                        archive: a.data.id,
                        path: String::new(),
                        kind: DiagnosticKind::Cache,
                        message: format!("cannot write the persistent index: {e}"),
                    }),
                    None => {}
                }
            }
            keep_objects(&archives, &objects);
            objects
        } else {
            // The deduplicated view is a function of the indexes alone: kept beside them, it
            // is read back (and checked against them) rather than computed again.
            let _t = crate::timing::Phase::start(|| "open: deduplicate objects".into());
            let kept = snapshot_cache_of(&archives).map(|p| p.with_extension("objects"));
            kept.as_deref()
                .and_then(|p| load_kept_objects(p, &archives))
                .unwrap_or_else(|| {
                    let objects = dedupe(&archives);
                    keep_objects(&archives, &objects);
                    objects
                })
        };
        let mut case = Self {
            archives,
            objects,
            nodes: NodeNames::default(),
        };
        let names = case
            .objects_of_kind("", "Node")
            .map(|r| case.record(r).meta.name.clone())
            .collect();
        case.nodes = NodeNames::new(names);
        case
    }

    /// The inputs, in the order given.
    pub fn archives(&self) -> &[LoadedArchive] {
        &self.archives
    }

    /// One input.
    pub fn archive(&self, id: ArchiveId) -> &LoadedArchive {
        &self.archives[id.0 as usize]
    }

    /// Every object, deduplicated, sorted by group, kind, namespace, name.
    pub fn objects(&self) -> &[ObjectRef] {
        &self.objects
    }

    /// Objects of one kind (`group` `""` = core).
    pub fn objects_of_kind<'a>(
        &'a self,
        group: &'a str,
        kind: &'a str,
    ) -> impl Iterator<Item = ObjectRef> + 'a {
        self.objects.iter().copied().filter(move |r| {
            let m = &self.record(*r).meta;
            m.kind == kind && m.group() == group
        })
    }

    /// The index record of an object.
    pub fn record(&self, r: ObjectRef) -> &ObjectRecord {
        &self.archives[r.archive.0 as usize].index.objects[r.index as usize]
    }

    /// Where an object was read from.
    pub fn provenance(&self, r: ObjectRef) -> Provenance {
        let rec = self.record(r);
        Provenance::at(ArtifactId::new(r.archive, rec.entry), rec.line, rec.start)
    }

    /// The text of an object (a YAML document, a `- ` List item, or JSON).
    pub fn object_text(&self, r: ObjectRef) -> std::io::Result<Cow<'_, [u8]>> {
        let a = &self.archives[r.archive.0 as usize];
        let rec = self.record(r);
        a.data.content_range(rec.entry, rec.start, rec.end)
    }

    /// Decodes an object into a typed view (narrow serde structs).
    pub fn decode<T: DeserializeOwned>(&self, r: ObjectRef) -> Result<T, DecodeError> {
        let rec = self.record(r);
        let text = self
            .object_text(r)
            .map_err(|e| DecodeError(format!("cannot read: {e}")))?;
        match rec.fallback {
            Some((doc, item)) => decode_fallback(&text, doc, item),
            None => decode_object(&text),
        }
    }

    /// Decodes an object into one of casefile's narrow model views (`casefile_model::kube`):
    /// subtrees those views never read are pruned from the text first
    /// ([`crate::prune`]), which spares most of the YAML parsing of a Pod. Falls back to
    /// [`Case::decode`] of the whole text. Not for other targets: they may read what was
    /// pruned.
    pub fn decode_view<T: DeserializeOwned>(&self, r: ObjectRef) -> Result<T, DecodeError> {
        let rec = self.record(r);
        if rec.fallback.is_none()
            && let Ok(text) = self.object_text(r)
        {
            return crate::predecode::decode_view_text(&text, &rec.meta.kind);
        }
        self.decode(r)
    }

    /// [`Case::decode_view`] of many objects, in parallel (on the current rayon pool), the
    /// results in the order given. Values decoded while reading
    /// ([`CaseOptions::predecode`]) are taken over rather than decoded again.
    pub fn decode_views<T: DeserializeOwned + Send + 'static>(
        &self,
        refs: &[ObjectRef],
    ) -> Vec<Result<T, DecodeError>> {
        refs.par_iter()
            .map(|r| self.take_or_decode_view(*r))
            .collect()
    }

    /// The value decoded while reading for `r`, if one of type `T` waits; else
    /// [`Case::decode_view`].
    pub(crate) fn take_or_decode_view<T: DeserializeOwned + 'static>(
        &self,
        r: ObjectRef,
    ) -> Result<T, DecodeError> {
        self.archive(r.archive)
            .predecoded
            .take::<T>(r.index)
            .unwrap_or_else(|| self.decode_view(r))
    }

    /// Where the decoded snapshot of this exact set of inputs (in this order) is kept: only
    /// when every input has a persistent index.
    pub(crate) fn snapshot_cache(&self) -> Option<PathBuf> {
        snapshot_cache_of(&self.archives)
    }

    /// Lets the memory holding every input's mapped content go (it stays readable): for
    /// the end of a phase that read much of it.
    pub fn release_content(&self) {
        for a in &self.archives {
            a.data.release_all();
        }
    }

    /// Where a result computed from this case's snapshot is kept, under `name` (which must
    /// say everything else it depends on, e.g. a rule set's fingerprint): beside the kept
    /// snapshot, so only when every input has a persistent index.
    pub fn kept_path(&self, name: &str) -> Option<PathBuf> {
        let snap = self.snapshot_cache()?;
        let stem = snap.file_stem()?.to_string_lossy().into_owned();
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Some(snap.with_file_name(format!("{stem}.{safe}.json")))
    }

    /// Node name mapping.
    pub fn nodes(&self) -> &NodeNames {
        &self.nodes
    }

    /// The case's "now": the newest collection time among its inputs.
    pub fn collected_at(&self) -> Option<Timestamp> {
        self.parts()
            .filter_map(|(_, p)| p.collected.as_ref().map(|c| c.at))
            .max()
    }

    /// Every collection of every input.
    pub fn parts(&self) -> impl Iterator<Item = (ArchiveId, &Part)> {
        self.archives
            .iter()
            .flat_map(|a| a.index.parts.iter().map(move |p| (a.data.id, p)))
    }

    /// The path of an artifact inside its input.
    pub fn artifact_path(&self, id: ArtifactId) -> &str {
        self.archives
            .get(id.archive.0 as usize)
            .and_then(|a| a.data.entries.get(id.entry as usize))
            .map_or("", |e| e.path.as_str())
    }

    /// Every artifact with its layout classification.
    pub fn artifacts(&self) -> impl Iterator<Item = (ArtifactId, &Entry, ArtifactKind)> {
        self.archives.iter().flat_map(|a| {
            a.data
                .entries
                .iter()
                .enumerate()
                .map(move |(i, e)| artifact_of(a, i, e))
        })
    }

    /// [`Case::artifacts`] as a parallel iterator: collected, it keeps the same order.
    pub fn par_artifacts(
        &self,
    ) -> impl ParallelIterator<Item = (ArtifactId, &Entry, ArtifactKind)> {
        self.archives.par_iter().flat_map(|a| {
            a.data
                .entries
                .par_iter()
                .enumerate()
                .map(move |(i, e)| artifact_of(a, i, e))
        })
    }

    /// Every problem met, in input order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for a in &self.archives {
            out.extend(a.read_diagnostics.iter().cloned());
            out.extend(a.index.diagnostics.iter().cloned());
        }
        out
    }
}

/// The id, entry and kind of the `i`-th entry of an input.
fn artifact_of<'a>(
    a: &LoadedArchive,
    i: usize,
    e: &'a Entry,
) -> (ArtifactId, &'a Entry, ArtifactKind) {
    let kind = index::part_of(&a.index.parts, &e.path)
        .map_or(ArtifactKind::Other, |p| classify(&a.index.parts[p], e));
    (ArtifactId::new(a.data.id, i as u32), e, kind)
}

fn load_one(id: ArchiveId, path: &Path, opts: &CaseOptions) -> Result<LoadedArchive, Error> {
    let started = Instant::now();
    let _t = crate::timing::Phase::start(|| format!("open: load {}", path.display()));
    let kind = archive::detect_file_with(path, &opts.limits)?;
    let progress: Option<&(dyn Fn(Progress) + Sync)> = opts
        .progress
        .as_deref()
        .map(|p| p as &(dyn Fn(Progress) + Sync));
    if kind == ArchiveKind::Directory {
        let mut c = Collector {
            archive: id,
            limits: &opts.limits,
            entries: Vec::new(),
            diagnostics: Vec::new(),
            blob: BlobSink::Mem(Vec::new()),
            total: 0,
            full: false,
            capped: false,
            progress,
        };
        archive::read_directory(path, &mut c);
        let Collector {
            entries,
            diagnostics,
            blob,
            ..
        } = c;
        let blob = match blob {
            BlobSink::Mem(v) => Blob::Mem(v),
            BlobSink::File { .. } => Blob::Mem(Vec::new()),
        };
        let data = ArchiveData {
            id,
            input: path.to_path_buf(),
            kind,
            entries: sorted(entries),
            blob,
        };
        let index = index::build(&data);
        return Ok(LoadedArchive {
            data,
            index,
            read_diagnostics: diagnostics,
            mode: LoadMode::Directory,
            input_bytes: 0,
            elapsed: started.elapsed(),
            persisted_as: None,
            predecoded: crate::predecode::Handover::default(),
            unwritten: None,
        });
    }

    let stamp = SourceStamp::of(path).map_err(|e| Error::new(path, e))?;
    let cache_dir = if opts.no_cache {
        None
    } else {
        opts.cache_dir.clone().or_else(cache::default_dir)
    };
    let paths = cache_dir.as_deref().map(|d| CachePaths::new(d, &stamp));
    let loading = crate::timing::Phase::start(|| format!("open: load index of {}", path.display()));
    let kept = paths.as_ref().and_then(|paths| cache::load(paths, &stamp));
    drop(loading);
    if let Some((p, map)) = kept {
        {
            let data = ArchiveData {
                id,
                input: path.to_path_buf(),
                kind: p.kind,
                entries: p.entries,
                blob: Blob::Map(map),
            };
            let mut index = p.index;
            let mut read_diagnostics = p.read_diagnostics;
            for d in read_diagnostics
                .iter_mut()
                .chain(index.diagnostics.iter_mut())
            {
                d.archive = id;
            }
            return Ok(LoadedArchive {
                data,
                index,
                read_diagnostics,
                mode: LoadMode::Cached,
                input_bytes: stamp.size,
                elapsed: started.elapsed(),
                persisted_as: cache_dir.map(|d| (d, stamp)),
                predecoded: crate::predecode::Handover::default(),
                unwritten: None,
            });
        }
    }

    let mut cache_problem = None;
    if let Some(dir) = cache_dir.as_deref()
        && paths.is_some()
    {
        // A new index is about to be written: what older formats left is dead weight.
        cache::remove_other_versions(dir);
    }
    let spooled = match paths.as_ref().map(cache::create_blob) {
        Some(Ok((file, tmp))) => {
            match Spool::with_predecode(file, spool::DEFAULT_IN_FLIGHT, opts.predecode) {
                Ok(spool) => Some((spool, tmp)),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    cache_problem = Some(format!(
                        "cannot start the cache writer ({e}); working in memory"
                    ));
                    None
                }
            }
        }
        Some(Err(e)) => {
            cache_problem = Some(format!(
                "cannot write the persistent index ({e}); working in memory"
            ));
            None
        }
        None => None,
    };
    let mut blob = None;
    let mut read = None;
    let mut prescanned = spool::Prescanned::new();
    let reading = crate::timing::Phase::start(|| format!("open: read {}", path.display()));
    if let Some((spool, tmp)) = spooled {
        let (entries, diagnostics, sink) = read_input(
            id,
            path,
            kind,
            opts,
            progress,
            BlobSink::File { spool, len: 0 },
        )
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
        let BlobSink::File { spool, .. } = sink else {
            unreachable!("the sink given is the sink returned")
        };
        let finished = if entries.is_empty() {
            Err(std::io::Error::other("nothing to cache"))
        } else {
            spool.finish().and_then(|(file, scanned)| {
                cache::finish_blob(paths.as_ref().expect("a cache path"), &tmp, file)
                    .map(|map| (map, scanned))
            })
        };
        match finished {
            Ok((map, scanned)) => {
                blob = Some(Blob::Map(map));
                read = Some((entries, diagnostics));
                prescanned = scanned;
            }
            Err(_) if entries.is_empty() => {
                let _ = std::fs::remove_file(&tmp);
                read = Some((entries, diagnostics));
                blob = Some(Blob::Mem(Vec::new()));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                // The decoded bytes went to the failed file: read the input again, in memory.
                cache_problem = Some(format!(
                    "cannot write the content cache ({e}); read again in memory"
                ));
            }
        }
    }
    let paths = if blob.is_some() { paths } else { None };
    let (entries, mut diagnostics, blob) =
        if let (Some((entries, diagnostics)), Some(blob)) = (read, blob) {
            (entries, diagnostics, blob)
        } else {
            let (entries, diagnostics, sink) =
                read_input(id, path, kind, opts, progress, BlobSink::Mem(Vec::new()))?;
            let BlobSink::Mem(v) = sink else {
                unreachable!("the sink given is the sink returned")
            };
            (entries, diagnostics, Blob::Mem(v))
        };
    if entries.is_empty() {
        let why = diagnostics
            .first()
            .map_or_else(|| "it holds no files".to_owned(), |d| d.message.clone());
        return Err(Error::new(path, ErrorKind::Corrupt(why)));
    }
    drop(reading);
    let entries = sorted(entries);
    let data = ArchiveData {
        id,
        input: path.to_path_buf(),
        kind,
        entries,
        blob,
    };
    let indexing = crate::timing::Phase::start(|| format!("open: index {}", path.display()));
    let (index, predecoded) = index::build_prescanned(&data, prescanned);
    drop(indexing);
    if let Some(problem) = cache_problem {
        diagnostics.push(Diagnostic {
            archive: id,
            path: String::new(),
            kind: DiagnosticKind::Cache,
            message: problem,
        });
    }
    let mut loaded = LoadedArchive {
        data,
        index,
        read_diagnostics: diagnostics,
        mode: LoadMode::Indexed,
        input_bytes: stamp.size,
        elapsed: Duration::ZERO,
        persisted_as: None,
        predecoded: crate::predecode::Handover::new(predecoded),
        unwritten: None,
    };
    if let (Some(paths), Some(dir), Blob::Map(_)) = (paths, cache_dir, &loaded.data.blob) {
        loaded.unwritten = Some((paths, dir, stamp));
    }
    loaded.elapsed = started.elapsed();
    Ok(loaded)
}

/// Writes the persistent index of an input read now (its blob is in place); `None` when
/// it has none to write.
fn write_pending_index(a: &LoadedArchive) -> Option<std::io::Result<()>> {
    let (paths, _, stamp) = a.unwritten.as_ref()?;
    let Blob::Map(blob) = &a.data.blob else {
        return None;
    };
    let input = a.data.input.display();
    let _t = crate::timing::Phase::start(|| format!("open: write index of {input}"));
    Some(cache::write_index(
        paths,
        &cache::IndexParts {
            stamp,
            kind: a.data.kind,
            entries: &a.data.entries,
            read_diagnostics: &a.read_diagnostics,
            index: &a.index,
            blob_len: blob.len() as u64,
        },
    ))
}

/// Keeps the deduplicated view beside the snapshot of these inputs, when they all have a
/// persistent index. Only an optimization: a failed write leaves the next open to compute it.
fn keep_objects(archives: &[LoadedArchive], objects: &[ObjectRef]) {
    if let Some(p) = snapshot_cache_of(archives).map(|p| p.with_extension("objects")) {
        let refs: Vec<(u16, u32)> = objects.iter().map(|r| (r.archive.0, r.index)).collect();
        let _ = cache::write_compact(&p, &refs);
    }
}

/// Where the decoded snapshot of these inputs (in this order) is kept: only when every
/// input has a persistent index.
fn snapshot_cache_of(archives: &[LoadedArchive]) -> Option<PathBuf> {
    let mut stamps = Vec::with_capacity(archives.len());
    let mut dir = None;
    for a in archives {
        let (d, stamp) = a.persisted_as.as_ref()?;
        dir.get_or_insert(d);
        stamps.push(stamp);
    }
    Some(cache::snapshot_path(dir?, &stamps))
}

/// Reads a deduplicated object view kept by an earlier open of the same inputs; `None`
/// when it is absent, of another version, or does not fit these indexes (a reference out
/// of range, or one object twice).
fn load_kept_objects(path: &Path, archives: &[LoadedArchive]) -> Option<Vec<ObjectRef>> {
    let refs: Vec<(u16, u32)> = cache::load_compact(path)?;
    let mut seen: Vec<Vec<bool>> = archives
        .iter()
        .map(|a| vec![false; a.index.objects.len()])
        .collect();
    let mut out = Vec::with_capacity(refs.len());
    for (archive, index) in refs {
        let slot = seen
            .get_mut(usize::from(archive))?
            .get_mut(usize::try_from(index).ok()?)?;
        if std::mem::replace(slot, true) {
            return None;
        }
        out.push(ObjectRef {
            archive: ArchiveId(archive),
            index,
        });
    }
    Some(out)
}

/// One view of objects: deduplicated by uid, else by (group, kind, namespace, name),
/// preferring a per-object file over a List item, then the earlier input; sorted by key.
/// Keys borrow from the records: an owned key per object cost half a second on 86k objects.
fn dedupe(archives: &[LoadedArchive]) -> Vec<ObjectRef> {
    type Key<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);
    let total: usize = archives.iter().map(|a| a.index.objects.len()).sum();
    // A fast hasher: the keys come from our own index, and nothing depends on map order.
    let hasher = foldhash::fast::RandomState::default;
    let mut best: HashMap<Key<'_>, (ObjectRef, bool), _> =
        HashMap::with_capacity_and_hasher(total, hasher());
    let mut by_uid: HashMap<&str, Key<'_>, _> = HashMap::with_capacity_and_hasher(total, hasher());
    for a in archives {
        for (i, rec) in a.index.objects.iter().enumerate() {
            let m = &rec.meta;
            let key = (
                m.group(),
                m.kind.as_str(),
                m.namespace.as_deref(),
                m.name.as_str(),
            );
            let key = match m.uid.as_deref() {
                Some(u) => *by_uid.entry(u).or_insert(key),
                None => key,
            };
            let r = ObjectRef {
                archive: a.data.id,
                index: i as u32,
            };
            let single = !rec.in_list;
            match best.get_mut(&key) {
                Some(cur) if !cur.1 && single => *cur = (r, single),
                Some(_) => {}
                None => {
                    best.insert(key, (r, single));
                }
            }
        }
    }
    // Sorted by key. Comparing four strings per step cost most of the time here, so
    // (group, kind) and namespace are ranked first and only names are compared as text.
    // Keys are unique, so an unstable sort is deterministic.
    let mut rank_kind: HashMap<(&str, &str), u32, _> = HashMap::with_hasher(hasher());
    let mut rank_ns: HashMap<Option<&str>, u32, _> = HashMap::with_hasher(hasher());
    for k in best.keys() {
        rank_kind.insert((k.0, k.1), 0);
        rank_ns.insert(k.2, 0);
    }
    let mut kinds: Vec<(&str, &str)> = rank_kind.keys().copied().collect();
    kinds.sort_unstable();
    for (i, k) in kinds.iter().enumerate() {
        rank_kind.insert(*k, i as u32);
    }
    let mut namespaces: Vec<Option<&str>> = rank_ns.keys().copied().collect();
    namespaces.sort_unstable();
    for (i, n) in namespaces.iter().enumerate() {
        rank_ns.insert(*n, i as u32);
    }
    let mut keyed: Vec<((u32, u32, &str), ObjectRef)> = best
        .into_iter()
        .map(|(k, (r, _))| ((rank_kind[&(k.0, k.1)], rank_ns[&k.2], k.3), r))
        .collect();
    keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Reads every member of a (non-directory) input into `sink`.
fn read_input(
    id: ArchiveId,
    path: &Path,
    kind: ArchiveKind,
    opts: &CaseOptions,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
    sink: BlobSink,
) -> Result<(Vec<Entry>, Vec<Diagnostic>, BlobSink), Error> {
    let mut c = Collector {
        archive: id,
        limits: &opts.limits,
        entries: Vec::new(),
        diagnostics: Vec::new(),
        blob: sink,
        total: 0,
        full: false,
        capped: false,
        progress,
    };
    archive::read_archive_file(path, kind, &mut c).map_err(|e| Error::new(path, e))?;
    Ok((c.entries, c.diagnostics, c.blob))
}

/// A "case folder" is a directory whose top level holds only archive files (and small
/// notes such as `truth.json`), like a support case's upload folder. Each archive in it
/// becomes its own input, in name order, so every archive keeps its identity.
pub fn expand_case_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        match case_folder_members(p) {
            Some(members) => out.extend(members),
            None => out.push(p.clone()),
        }
    }
    out
}

fn case_folder_members(dir: &Path) -> Option<Vec<PathBuf>> {
    if !dir.is_dir() {
        return None;
    }
    let mut archives = Vec::new();
    for e in std::fs::read_dir(dir).ok()? {
        let e = e.ok()?;
        let ft = e.file_type().ok()?;
        if ft.is_dir() {
            return None;
        }
        if ft.is_file()
            && !matches!(
                archive::detect_file(&e.path()),
                Err(_) | Ok(ArchiveKind::Directory)
            )
        {
            archives.push(e.path());
        }
    }
    archives.sort();
    (!archives.is_empty()).then_some(archives)
}

/// Sorts entries by path; for duplicate paths the last one read wins (tar semantics).
pub(crate) fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.reverse();
    // Stable, so the last one read stays first among equal paths.
    entries.par_sort_by(|a, b| a.path.cmp(&b.path));
    entries.dedup_by(|a, b| a.path == b.path);
    entries
}

/// Whether a part kind carries Kubernetes API objects.
pub fn has_api_objects(kind: PartKind) -> bool {
    matches!(kind, PartKind::MustGather | PartKind::Inspect)
}
