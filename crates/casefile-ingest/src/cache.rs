//! The persistent index: a second open of an unchanged archive reuses the entry table, the
//! object index and the decoded content (a memory-mapped blob) from the cache directory.
//!
//! Files: `<cache>/v<N>/<key>.idx` (postcard parts: a head, then the entry table and the
//! object records in parts decoded in parallel) and `<key>.blob` (concatenated decoded
//! members). The key hashes the canonical input path; the index records the input's size
//! and modification time and is ignored when they differ. Both files are written under
//! temporary names and renamed into place, so a reader never sees a half-written cache.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use casefile_model::{ArchiveKind, Diagnostic};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::archive::Entry;
use crate::index::ArchiveIndex;

/// Bumped whenever the persisted layout or the meaning of its content changes.
pub(crate) const FORMAT_VERSION: u32 = 3;

/// Identifies the exact input the cache was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    /// Canonical path.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
}

impl SourceStamp {
    /// Reads the stamp of a file.
    pub fn of(path: &Path) -> io::Result<Self> {
        let canon = fs::canonicalize(path)?;
        let meta = fs::metadata(&canon)?;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Ok(Self {
            path: canon.to_string_lossy().into_owned(),
            size: meta.len(),
            mtime_ns,
        })
    }

    fn key(&self) -> String {
        let digest = Sha256::digest(self.path.as_bytes());
        digest
            .iter()
            .take(16)
            .fold(String::with_capacity(32), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            })
    }
}

/// What is persisted for one input.
#[derive(Debug, Serialize, Deserialize)]
pub struct Persisted {
    /// Format version.
    pub version: u32,
    /// The input it was built from.
    pub stamp: SourceStamp,
    /// Container format.
    pub kind: ArchiveKind,
    /// Entry table (sorted by path).
    pub entries: Vec<Entry>,
    /// Problems met while reading.
    pub read_diagnostics: Vec<Diagnostic>,
    /// The object index.
    pub index: ArchiveIndex,
    /// Length of the blob file.
    pub blob_len: u64,
}

/// Resolves the cache directory: explicit option, `CASEFILE_CACHE_DIR`, `$XDG_CACHE_HOME/casefile`,
/// or `~/.cache/casefile`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CASEFILE_CACHE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d).join("casefile"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("casefile"))
}

/// Paths of one input's cache files.
#[derive(Debug, Clone)]
pub struct CachePaths {
    /// The index file.
    pub idx: PathBuf,
    /// The content blob.
    pub blob: PathBuf,
}

impl CachePaths {
    /// Cache file paths for an input.
    pub fn new(dir: &Path, stamp: &SourceStamp) -> Self {
        let base = dir.join(format!("v{FORMAT_VERSION}"));
        let key = stamp.key();
        Self {
            idx: base.join(format!("{key}.idx")),
            blob: base.join(format!("{key}.blob")),
        }
    }
}

/// Whether `input` (an archive file) has a persistent index of this format under `dir`
/// for its current size and modification time: what a warm open would find. Checks the
/// stamp in the index's head, not just that a file exists; `false` for anything unreadable.
pub fn is_indexed(dir: &Path, input: &Path) -> bool {
    let Ok(stamp) = SourceStamp::of(input) else {
        return false;
    };
    let paths = CachePaths::new(dir, &stamp);
    let Some(file) = File::open(&paths.idx).ok() else {
        return false;
    };
    map_file(&file).is_some_and(|bytes| {
        frame_ranges(&bytes, FORMAT_VERSION)
            .is_some_and(|ranges| matching_head(&bytes, &ranges, &stamp).is_some())
    })
}

/// The head of a mapped index file framed into `ranges`, if it is of this format and was
/// built from `stamp`.
fn matching_head(
    bytes: &[u8],
    ranges: &[std::ops::Range<usize>],
    stamp: &SourceStamp,
) -> Option<IndexHead<Vec<Diagnostic>>> {
    let head: IndexHead<Vec<Diagnostic>> =
        postcard::from_bytes(bytes.get(ranges.first()?.clone())?).ok()?;
    (head.version == FORMAT_VERSION && &head.stamp == stamp).then_some(head)
}

/// Removes the directories other format versions of casefile left in the cache directory
/// `dir` (`v<N>/` for any N but the current one): after a format change they are never read
/// again, and they hold about one decoded copy of every input indexed. Only real directories
/// named exactly `v` and digits are removed; anything else (files, links, other names) is
/// left alone. Problems are ignored: this is housekeeping.
pub fn remove_other_versions(dir: &Path) {
    let current = format!("v{FORMAT_VERSION}");
    let Ok(list) = fs::read_dir(dir) else {
        return;
    };
    for e in list.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let versioned = name.len() > 1
            && name.starts_with('v')
            && name[1..].bytes().all(|b| b.is_ascii_digit());
        // `file_type` does not follow links: a link named like a version stays.
        if versioned && name != current && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// A content blob of the cache: mapped for reading whole files, and open for small
/// positioned reads that should not map anything.
pub struct MappedBlob {
    map: memmap2::Mmap,
    file: File,
}

impl MappedBlob {
    /// All its bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A copy of `len` bytes at `offset`, read from the file rather than through the map.
    ///
    /// For small reads scattered over a large blob: a fault on the map brings in the pages
    /// around the one read too (whole large folios on recent kernels), so reading 85 MB of
    /// Pods through the map left 550 MB resident.
    pub fn read_range(&self, offset: usize, len: usize) -> io::Result<Vec<u8>> {
        let end = offset
            .checked_add(len)
            .filter(|&end| end <= self.map.len())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the content cache is shorter than its index",
                )
            })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt as _;
            let mut buf = vec![0; len];
            self.file.read_exact_at(&mut buf, offset as u64)?;
            let _ = end;
            Ok(buf)
        }
        #[cfg(not(unix))]
        {
            let _ = &self.file;
            Ok(self.map[offset..end].to_vec())
        }
    }

    /// Lets the memory holding `len` mapped bytes at `offset` go; they stay readable.
    pub fn release(&self, offset: usize, len: usize) {
        release_pages(&self.map, offset, len);
    }
}

/// The head of an index file: everything of a [`Persisted`] but its two long tables, which
/// follow in parts of their own.
#[derive(Serialize, Deserialize)]
struct IndexHead<D> {
    version: u32,
    stamp: SourceStamp,
    kind: ArchiveKind,
    read_diagnostics: D,
    parts: Vec<crate::layout::Part>,
    index_diagnostics: D,
    blob_len: u64,
    /// Number of entry parts after the head (the object parts follow them).
    entry_parts: u32,
}

/// Entries or objects per part of an index file: parts are encoded in parallel.
const INDEX_PART_ITEMS: usize = 16_384;

/// Loads a cached index whose stamp matches, with its blob mapped.
///
/// The file (written by [`write_index`]) is framed like a kept snapshot: a head, then the
/// entry table and the object records in parts. Once the head's version and stamp match,
/// the two tables are decoded side by side, each part after part into one vector.
pub fn load(paths: &CachePaths, stamp: &SourceStamp) -> Option<(Persisted, MappedBlob)> {
    let file = File::open(&paths.idx).ok()?;
    let bytes = map_file(&file)?;
    let ranges = frame_ranges(&bytes, FORMAT_VERSION)?;
    let head = matching_head(&bytes, &ranges, stamp)?;
    let rest = ranges.get(1..)?;
    let entry_parts = usize::try_from(head.entry_parts).ok()?;
    if entry_parts > rest.len() {
        return None;
    }
    let (entry_ranges, object_ranges) = rest.split_at(entry_parts);
    let (entries, objects) = rayon::join(
        || decode_postcard_parts::<Entry>(&bytes, entry_ranges),
        || decode_postcard_parts::<crate::index::ObjectRecord>(&bytes, object_ranges),
    );
    let p = Persisted {
        version: head.version,
        stamp: head.stamp,
        kind: head.kind,
        entries: entries?,
        read_diagnostics: head.read_diagnostics,
        index: ArchiveIndex {
            parts: head.parts,
            objects: objects?,
            diagnostics: head.index_diagnostics,
        },
        blob_len: head.blob_len,
    };
    let file = File::open(&paths.blob).ok()?;
    if file.metadata().ok()?.len() != p.blob_len {
        return None;
    }
    let map = map_file(&file)?;
    Some((p, MappedBlob { map, file }))
}

/// Decodes a sequence straight onto the end of a vector, so that the parts of one long
/// list are read one after the other into the list itself, never into vectors of their
/// own joined after (which held the list twice).
pub(crate) struct AppendTo<'a, T>(pub(crate) &'a mut Vec<T>);

impl<'de, T: Deserialize<'de>> serde::de::DeserializeSeed<'de> for AppendTo<'_, T> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for AppendTo<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element()? {
            self.0.push(item);
        }
        Ok(())
    }
}

/// The parts at `ranges` of `bytes`, each a postcard `Vec<T>`, decoded in order into one
/// vector sized once from their length prefixes; `None` if any part does not decode.
fn decode_postcard_parts<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    ranges: &[std::ops::Range<usize>],
) -> Option<Vec<T>> {
    use serde::de::DeserializeSeed as _;
    let parts: Vec<&[u8]> = ranges
        .iter()
        .map(|r| bytes.get(r.clone()))
        .collect::<Option<_>>()?;
    let items: usize = parts
        .iter()
        .map(|p| postcard::take_from_bytes::<u64>(p).map_or(0, |(n, _)| n))
        .fold(0u64, u64::saturating_add)
        .try_into()
        .ok()?;
    append_parts(&parts, items, |part, seed| {
        seed.deserialize(&mut postcard::Deserializer::from_bytes(part))
            .ok()
    })
}

/// Decodes `parts` in order into one vector, each through `decode` with a seed appending
/// to it; `None` as soon as one part does not decode. `items`, read from the file, sizes
/// the vector: a bound, not a promise (a damaged file must not reserve more than its bytes
/// could hold).
pub(crate) fn append_parts<T>(
    parts: &[&[u8]],
    items: usize,
    mut decode: impl FnMut(&[u8], AppendTo<'_, T>) -> Option<()>,
) -> Option<Vec<T>> {
    let mut list = Vec::with_capacity(items.min(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        decode(part, AppendTo(&mut list))?;
    }
    Some(list)
}

/// Maps a cache file (a blob, an index or a kept snapshot) read-only.
#[allow(unsafe_code)]
fn map_file(file: &File) -> Option<memmap2::Mmap> {
    if file.metadata().ok()?.len() == 0 {
        return memmap2::MmapOptions::new()
            .len(0)
            .map_anon()
            .ok()
            .and_then(|m| m.make_read_only().ok());
    }
    // SAFETY: `Mmap::map` is sound as long as no one modifies or truncates the mapped file
    // while the map is alive (a change would alter memory behind a `&[u8]`; a truncation
    // would fault on access). For this file:
    // - it is one of casefile's own cache files (a blob, an index or a kept snapshot), in
    //   the user's cache directory (never an input);
    // - it was written completely under a unique temporary name (`create_blob`,
    //   `write_whole`) and renamed into place, and casefile never opens a finished cache
    //   file for writing: a later writer of the same key writes a new temporary file and
    //   renames it over this path, which replaces the directory entry and leaves this inode
    //   (and map) untouched; deleting the file (cache clean-up) likewise leaves the mapped
    //   inode alive;
    // - a blob's length was checked against the index before mapping (`load`), and every
    //   read goes through `ArchiveData::content`, which bounds-checks offsets
    //   (`get(start..end)`) and treats the bytes as untrusted data (UTF-8 and format checks
    //   happen on them); the parts of an index or a snapshot are bounds-checked against
    //   its header and decoded as untrusted data (`frame_ranges`, `load`, `load_snapshot`),
    //   and nothing borrowed from the map outlives the decode.
    // What remains outside casefile's control is another program writing into or truncating
    // this private file in place while casefile runs; that is the same assumption every
    // mmap-based reader makes, and the cache can be turned off with `--no-cache`.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

/// Lets the resident pages of `map[offset..offset + len]` go: they leave this process's
/// resident set and stay in the page cache, and a later read maps them again.
#[allow(unsafe_code)]
fn release_pages(map: &memmap2::Mmap, offset: usize, len: usize) {
    if len == 0 || offset.checked_add(len).is_none_or(|end| end > map.len()) {
        return;
    }
    // SAFETY: every non-empty map this crate makes is `Mmap::map` of a cache file: shared,
    // read-only, of a file that is never written after it was renamed into place (see
    // `map_file`). `MADV_DONTNEED` on such a mapping only drops page-table entries; the next
    // access faults the same bytes back in from the page cache or the file, so slices borrowed
    // from the map (also on other threads) keep reading the same content. The anonymous map
    // made for an empty file is never advised (its length is 0). The range is checked to lie
    // inside the map above; memmap2 widens it to page boundaries, which stay inside the
    // mapping and only concern bytes of the same file.
    let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
}

/// A temporary-file suffix unique to this writer: several threads or processes may index the
/// same archive at once; each writes its own files and renames them into place (the content
/// is the same, so whichever rename lands last is right).
fn unique_tmp_suffix() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("tmp{}-{n}", std::process::id())
}

/// Opens a temporary blob file for streaming content into, in the cache directory.
pub fn create_blob(paths: &CachePaths) -> io::Result<(File, PathBuf)> {
    if let Some(dir) = paths.blob.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = paths
        .blob
        .with_extension(format!("blob.{}", unique_tmp_suffix()));
    let f = File::create(&tmp)?;
    Ok((f, tmp))
}

/// Finishes a streamed blob (written and flushed): renames it into place and maps it.
pub fn finish_blob(paths: &CachePaths, blob_tmp: &Path, file: File) -> io::Result<MappedBlob> {
    drop(file);
    fs::rename(blob_tmp, &paths.blob)?;
    let file = File::open(&paths.blob)?;
    let map = map_file(&file).ok_or_else(|| io::Error::other("cannot map the content cache"))?;
    Ok(MappedBlob { map, file })
}

/// Version of the decoded-snapshot cache and of the results kept beside it: bump it
/// whenever the model types, how a snapshot is assembled, or how objects are deduplicated
/// change.
const SNAPSHOT_VERSION: u32 = 5;

/// The snapshot file of a case made of inputs with these stamps, in this order.
pub fn snapshot_path(dir: &Path, stamps: &[&SourceStamp]) -> PathBuf {
    let mut h = Sha256::new();
    h.update(SNAPSHOT_VERSION.to_le_bytes());
    h.update(FORMAT_VERSION.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for s in stamps {
        if let Ok(bytes) = postcard::to_stdvec(s) {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
    }
    let key: String = h
        .finalize()
        .iter()
        .take(16)
        .fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
    dir.join(format!("v{FORMAT_VERSION}"))
        .join(format!("{key}.snap"))
}

/// Loads a decoded snapshot written by [`write_snapshot`]: its parts, to decode (in
/// parallel, by the caller). `None` if absent, unreadable or of another version.
///
/// Snapshots are not postcard like the index: the model's Kubernetes views use
/// self-describing serde (tolerant `deserialize_with` helpers) that postcard cannot replay.
/// The file is a header line, JSON `[version, [length of each part, ...]]`, then the parts;
/// it is mapped, not read, which spares copying it.
pub fn load_snapshot(path: &Path) -> Option<SnapshotParts> {
    let file = File::open(path).ok()?;
    let bytes = map_file(&file)?;
    let ranges = frame_ranges(&bytes, SNAPSHOT_VERSION)?;
    Some(SnapshotParts { bytes, ranges })
}

/// The byte range of each part of a framed cache file (see [`write_framed`]); `None` when
/// the header is not `version`'s or the lengths do not add up to the file.
fn frame_ranges(bytes: &[u8], version: u32) -> Option<Vec<std::ops::Range<usize>>> {
    let newline = memchr::memchr(b'\n', bytes)?;
    let (found, lengths): (u32, Vec<usize>) = serde_json::from_slice(&bytes[..newline]).ok()?;
    if found != version {
        return None;
    }
    let mut ranges = Vec::with_capacity(lengths.len());
    let mut at = newline + 1;
    for len in lengths {
        let end = at.checked_add(len).filter(|&end| end <= bytes.len())?;
        ranges.push(at..end);
        at = end;
    }
    (at == bytes.len()).then_some(ranges)
}

/// The parts of a kept snapshot, each an encoded value.
#[derive(Debug)]
pub struct SnapshotParts {
    bytes: memmap2::Mmap,
    ranges: Vec<std::ops::Range<usize>>,
}

impl SnapshotParts {
    /// The bytes of each part, in the order written.
    pub fn parts(&self) -> Vec<&[u8]> {
        self.ranges
            .iter()
            .filter_map(|r| self.bytes.get(r.clone()))
            .collect()
    }
}

/// Writes a file of the cache whole: into a temporary file beside it (the directory made
/// if needed), then renamed into place, so a reader never sees half of it; the temporary
/// file is removed on failure.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_extension(format!("{ext}.{}", unique_tmp_suffix()));
    File::create(&tmp)
        .and_then(|f| {
            let mut w = io::BufWriter::with_capacity(1 << 20, f);
            write(&mut w)?;
            w.into_inner()
                .map_err(io::IntoInnerError::into_error)
                .map(drop)
        })
        .and_then(|()| fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })
}

/// Writes a decoded snapshot made of `parts` (encoded by the caller, in parallel if it
/// likes).
pub fn write_snapshot(path: &Path, parts: &[Vec<u8>]) -> io::Result<()> {
    write_framed(path, SNAPSHOT_VERSION, parts)
}

/// Writes a framed cache file: a header line, JSON `[version, [length of each part, ...]]`,
/// then the parts, so a reader can check the version and decode parts in parallel.
fn write_framed(path: &Path, version: u32, parts: &[Vec<u8>]) -> io::Result<()> {
    use std::io::Write as _;
    let lengths: Vec<usize> = parts.iter().map(Vec::len).collect();
    let header = serde_json::to_vec(&(version, lengths)).map_err(io::Error::other)?;
    write_whole(path, |w| {
        w.write_all(&header)?;
        w.write_all(b"\n")?;
        parts.iter().try_for_each(|p| w.write_all(p))
    })
}

/// Loads a result kept by [`write_result`] beside a snapshot; `None` if absent, unreadable
/// or of another version.
pub fn load_result<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = fs::read(path).ok()?;
    let (version, value): (u32, T) = serde_json::from_slice(&bytes).ok()?;
    (version == SNAPSHOT_VERSION).then_some(value)
}

/// Keeps a result computed from a snapshot, as JSON.
pub fn write_result<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    write_whole(path, |w| {
        serde_json::to_writer(w, &(SNAPSHOT_VERSION, value)).map_err(io::Error::other)
    })
}

/// Loads a value kept by [`write_compact`] (postcard, for types without the model's
/// lenient decoders); `None` if absent, unreadable or of another version.
pub fn load_compact<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = fs::read(path).ok()?;
    let (version, value): (u32, T) = postcard::from_bytes(&bytes).ok()?;
    (version == SNAPSHOT_VERSION).then_some(value)
}

/// Keeps a value derived from a case's indexes beside its snapshot, in postcard.
pub fn write_compact<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    use std::io::Write as _;
    let bytes = postcard::to_stdvec(&(SNAPSHOT_VERSION, value)).map_err(io::Error::other)?;
    write_whole(path, |w| w.write_all(&bytes))
}

/// What an index file is written from (see [`write_index`]): the parts of a [`Persisted`],
/// borrowed.
#[derive(Debug, Clone, Copy)]
pub struct IndexParts<'a> {
    /// The input's stamp.
    pub stamp: &'a SourceStamp,
    /// Container format.
    pub kind: ArchiveKind,
    /// Entry table.
    pub entries: &'a [Entry],
    /// Problems met while reading the container.
    pub read_diagnostics: &'a [Diagnostic],
    /// The index.
    pub index: &'a ArchiveIndex,
    /// Length of the blob file.
    pub blob_len: u64,
}

/// Writes the index file (after the blob is in place), for [`load`].
pub fn write_index(paths: &CachePaths, persisted: &IndexParts<'_>) -> io::Result<()> {
    use rayon::prelude::*;
    let entry_chunks: Vec<&[Entry]> = persisted.entries.chunks(INDEX_PART_ITEMS).collect();
    let head = IndexHead {
        version: FORMAT_VERSION,
        stamp: persisted.stamp.clone(),
        kind: persisted.kind,
        read_diagnostics: persisted.read_diagnostics,
        parts: persisted.index.parts.clone(),
        index_diagnostics: &persisted.index.diagnostics,
        blob_len: persisted.blob_len,
        entry_parts: u32::try_from(entry_chunks.len()).map_err(io::Error::other)?,
    };
    let encode = |e: postcard::Error| io::Error::other(e.to_string());
    let mut parts = vec![postcard::to_stdvec(&head).map_err(encode)?];
    let entries = entry_chunks
        .par_iter()
        .map(|c| postcard::to_stdvec(c).map_err(encode))
        .collect::<io::Result<Vec<_>>>()?;
    let objects = persisted
        .index
        .objects
        .par_chunks(INDEX_PART_ITEMS)
        .map(|c| postcard::to_stdvec(c).map_err(encode))
        .collect::<io::Result<Vec<_>>>()?;
    parts.extend(entries);
    parts.extend(objects);
    write_framed(&paths.idx, FORMAT_VERSION, &parts)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::archive::{DataLoc, EntryKind};
    use crate::index::ObjectRecord;
    use casefile_model::ObjectMetaLite;

    fn persisted(n: usize) -> Persisted {
        let entries = (0..n)
            .map(|i| Entry {
                path: format!("mg/namespaces/ns-{i}/pods/p-{i}.yaml"),
                kind: if i % 5 == 0 {
                    EntryKind::Dir
                } else {
                    EntryKind::File
                },
                data: DataLoc::Blob {
                    offset: i as u64 * 10,
                    len: 10,
                },
                size: 10,
                codec: None,
                truncated: i % 7 == 0,
            })
            .collect();
        let objects = (0..n + 3)
            .map(|i| ObjectRecord {
                meta: ObjectMetaLite {
                    api_version: "v1".into(),
                    kind: "Pod".into(),
                    name: format!("p-{i}"),
                    namespace: (i % 3 != 0).then(|| format!("ns-{i}")),
                    uid: None,
                    created: None,
                },
                entry: i as u32,
                start: i as u64,
                end: i as u64 + 9,
                line: i as u32 + 1,
                in_list: i % 2 == 0,
                resource: Some("pods".into()),
                part: 0,
                fallback: (i % 11 == 0).then_some((1, Some(i as u32))),
            })
            .collect();
        Persisted {
            version: FORMAT_VERSION,
            stamp: SourceStamp {
                path: "/cases/mg.tar.gz".into(),
                size: 42,
                mtime_ns: 7,
            },
            kind: ArchiveKind::TarGz,
            entries,
            read_diagnostics: Vec::new(),
            index: ArchiveIndex {
                objects,
                ..ArchiveIndex::default()
            },
            blob_len: 0,
        }
    }

    #[test]
    fn an_index_of_many_parts_reads_back_whole_and_in_order() {
        // More entries and objects than one part holds: the parts of each table are
        // decoded one after the other into one list, which must keep every item in order.
        let dir = tempfile::tempdir().unwrap();
        let written = persisted(INDEX_PART_ITEMS * 2 + 5);
        let paths = CachePaths::new(dir.path(), &written.stamp);
        fs::create_dir_all(paths.idx.parent().unwrap()).unwrap();
        fs::write(&paths.blob, b"").unwrap();
        let parts = IndexParts {
            stamp: &written.stamp,
            kind: written.kind,
            entries: &written.entries,
            read_diagnostics: &written.read_diagnostics,
            index: &written.index,
            blob_len: written.blob_len,
        };
        write_index(&paths, &parts).unwrap();

        let (read, _blob) = load(&paths, &written.stamp).expect("reads back");
        assert_eq!(read.entries, written.entries);
        assert_eq!(read.index.objects, written.index.objects);
        assert_eq!(read.entries.capacity(), read.entries.len(), "sized once");
        assert_eq!(read.index.objects.capacity(), read.index.objects.len());

        // Another stamp is another input.
        let other = SourceStamp {
            size: 43,
            ..written.stamp.clone()
        };
        assert!(load(&paths, &other).is_none());

        // A part that does not decode (its bytes replaced, the frame intact) loses the
        // whole index, never half of it.
        let mut bytes = fs::read(&paths.idx).unwrap();
        let at = bytes.len() - 40;
        bytes[at..].fill(0xff);
        fs::write(&paths.idx, &bytes).unwrap();
        assert!(load(&paths, &written.stamp).is_none());
    }
}
