//! Reading inputs (directories, tar, tar.gz, tar.xz, tar.zst, zip) into an entry table and
//! a content blob, in one streaming pass, without extracting anything to disk.
//!
//! Compressed members (`*.gz` logs) are decoded transparently; nested archives
//! (`sysinfo.tgz`, sos-collector bundles) are expanded under `<member>!/` up to a depth cap.
//! Every problem becomes a [`Diagnostic`] naming the member; reading goes on.

pub mod path;
pub mod sniff;

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use casefile_model::{ArchiveId, ArchiveKind, Diagnostic, DiagnosticKind};
use serde::{Deserialize, Serialize};

use self::sniff::{Magic, sniff};

/// Separator between a nested archive member and the paths inside it.
pub const NESTED_SEP: &str = "!/";

/// Caps that keep hostile or huge inputs bounded.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest single member, after decompression, in bytes.
    pub max_entry_bytes: u64,
    /// Largest total of all members of one input, after decompression, in bytes.
    pub max_total_bytes: u64,
    /// Largest decompression ratio accepted for a nested compressed member once it
    /// exceeds [`Limits::ratio_floor_bytes`].
    pub max_ratio: u64,
    /// Output size below which the ratio is not checked.
    pub ratio_floor_bytes: u64,
    /// How deep archives inside archives are expanded.
    pub max_nesting: u8,
    /// Largest number of entries read from one input.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entry_bytes: 4 << 30,
            max_total_bytes: 64 << 30,
            max_ratio: 200,
            ratio_floor_bytes: 64 << 20,
            max_nesting: 3,
            max_entries: 5_000_000,
        }
    }
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    /// A regular file with content.
    File,
    /// A directory.
    Dir,
    /// A symbolic link to the given path (already resolved inside the archive, if possible).
    Symlink(Option<String>),
    /// A hard link to another member.
    Hardlink(Option<String>),
}

/// Where an entry's bytes are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataLoc {
    /// No content (directories, links).
    None,
    /// A range of the content blob.
    Blob {
        /// Start offset in the blob.
        offset: u64,
        /// Length in bytes.
        len: u64,
    },
    /// A file on disk under the input directory (directory inputs only).
    Disk,
}

/// The compression a member had before casefile decoded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Codec {
    /// gzip.
    Gzip,
    /// xz.
    Xz,
    /// zstd.
    Zstd,
}

/// One member of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Normalized `/`-separated path (nested archives contribute `member!/inner`).
    pub path: String,
    /// What it is.
    pub kind: EntryKind,
    /// Where its (decoded) bytes are.
    pub data: DataLoc,
    /// Size of the decoded content.
    pub size: u64,
    /// The compression it had, if casefile decoded it.
    pub codec: Option<Codec>,
    /// The content was cut at a limit or by damage.
    pub truncated: bool,
}

/// Where decoded content goes while reading.
pub(crate) enum BlobSink {
    /// Kept in memory.
    Mem(Vec<u8>),
    /// Streamed to a cache file.
    File { writer: BufWriter<File>, len: u64 },
}

impl BlobSink {
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        match self {
            Self::Mem(v) => {
                let off = v.len() as u64;
                v.extend_from_slice(bytes);
                Ok(off)
            }
            Self::File { writer, len } => {
                let off = *len;
                writer.write_all(bytes)?;
                *len += bytes.len() as u64;
                Ok(off)
            }
        }
    }
}

/// Collects entries, content and diagnostics while an input is read.
pub(crate) struct Collector<'a> {
    pub archive: ArchiveId,
    pub limits: &'a Limits,
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
    pub blob: BlobSink,
    pub total: u64,
    /// Set once the total cap is hit: later members are listed without content.
    pub full: bool,
    /// Compressed bytes consumed so far (for progress reporting).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl Collector<'_> {
    pub(crate) fn warn(&mut self, path: &str, kind: DiagnosticKind, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            archive: self.archive,
            path: path.to_owned(),
            kind,
            message: message.into(),
        });
    }

    fn push(&mut self, path: String, kind: EntryKind) {
        if self.entries.len() >= self.limits.max_entries {
            if self.entries.len() == self.limits.max_entries {
                self.warn(&path, DiagnosticKind::Limit, "too many entries; the rest are ignored");
            }
            return;
        }
        self.entries.push(Entry { path, kind, data: DataLoc::None, size: 0, codec: None, truncated: false });
    }

    /// Records a regular file, decoding compressed members and expanding nested archives.
    pub(crate) fn add_file(&mut self, path: String, data: Vec<u8>, truncated: bool, depth: u8) {
        let magic = sniff(&data[..data.len().min(512)]);
        let nested_ok = depth < self.limits.max_nesting;
        match magic {
            Magic::Gzip | Magic::Xz | Magic::Zstd => {
                if !nested_ok {
                    self.warn(&path, DiagnosticKind::Nesting, "compressed member nested too deep; kept as is");
                    return self.store(path, &data, None, truncated);
                }
                let codec = match magic {
                    Magic::Gzip => Codec::Gzip,
                    Magic::Xz => Codec::Xz,
                    _ => Codec::Zstd,
                };
                let (decoded, cut) = self.decode_member(&path, &data, codec);
                let inner = sniff(&decoded[..decoded.len().min(512)]);
                if inner == Magic::Tar {
                    self.push(path.clone(), EntryKind::Dir);
                    let prefix = format!("{path}{NESTED_SEP}");
                    read_tar(io::Cursor::new(decoded), &prefix, depth + 1, self);
                } else if inner == Magic::Zip {
                    self.push(path.clone(), EntryKind::Dir);
                    let prefix = format!("{path}{NESTED_SEP}");
                    read_zip(io::Cursor::new(decoded), &prefix, depth + 1, self);
                } else {
                    self.store(path, &decoded, Some(codec), truncated || cut);
                }
            }
            Magic::Tar | Magic::Zip if nested_ok && !truncated => {
                self.push(path.clone(), EntryKind::Dir);
                let prefix = format!("{path}{NESTED_SEP}");
                if magic == Magic::Tar {
                    read_tar(io::Cursor::new(data), &prefix, depth + 1, self);
                } else {
                    read_zip(io::Cursor::new(data), &prefix, depth + 1, self);
                }
            }
            _ => self.store(path, &data, None, truncated),
        }
    }

    fn decode_member(&mut self, path: &str, data: &[u8], codec: Codec) -> (Vec<u8>, bool) {
        let cap = self
            .limits
            .max_entry_bytes
            .min(self.limits.ratio_floor_bytes.max((data.len() as u64).saturating_mul(self.limits.max_ratio)));
        let reader: Box<dyn Read + '_> = match codec {
            Codec::Gzip => Box::new(flate2::read::MultiGzDecoder::new(data)),
            Codec::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(data)),
            Codec::Zstd => match zstd::stream::read::Decoder::new(data) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    self.warn(path, DiagnosticKind::Corrupt, format!("cannot start zstd decoding: {e}"));
                    return (Vec::new(), true);
                }
            },
        };
        let mut out = Vec::new();
        let mut limited = reader.take(cap + 1);
        let mut cut = false;
        if let Err(e) = limited.read_to_end(&mut out) {
            self.warn(path, DiagnosticKind::Corrupt, format!("compressed member is damaged ({e}); kept the {} bytes decoded before the damage", out.len()));
            cut = true;
        }
        if out.len() as u64 > cap {
            out.truncate(cap as usize);
            self.warn(
                path,
                DiagnosticKind::Limit,
                format!("decompressed size exceeds the cap of {cap} bytes ({}x the compressed size at most); cut there", self.limits.max_ratio),
            );
            cut = true;
        }
        (out, cut)
    }

    fn store(&mut self, path: String, data: &[u8], codec: Option<Codec>, truncated: bool) {
        if self.entries.len() >= self.limits.max_entries {
            return self.push(path, EntryKind::File);
        }
        let mut truncated = truncated;
        let mut bytes = data;
        if self.full || self.total + data.len() as u64 > self.limits.max_total_bytes {
            if !self.full {
                self.warn(&path, DiagnosticKind::Limit, format!("the input exceeds the total cap of {} bytes; this and later files are listed without content", self.limits.max_total_bytes));
            }
            self.full = true;
            bytes = &[];
            truncated = true;
        }
        let data_loc = match self.blob.append(bytes) {
            Ok(offset) => DataLoc::Blob { offset, len: bytes.len() as u64 },
            Err(e) => {
                self.warn(&path, DiagnosticKind::Cache, format!("cannot write the content cache: {e}"));
                self.full = true;
                DataLoc::None
            }
        };
        self.total += bytes.len() as u64;
        self.entries.push(Entry {
            path,
            kind: EntryKind::File,
            data: data_loc,
            size: bytes.len() as u64,
            codec,
            truncated,
        });
    }
}

/// Reads up to `limit` bytes of `r`; reports whether the member was longer or damaged.
fn read_member(r: &mut dyn Read, limit: u64) -> (Vec<u8>, Option<String>) {
    let mut buf = Vec::new();
    let mut taken = r.take(limit + 1);
    if let Err(e) = taken.read_to_end(&mut buf) {
        return (buf, Some(format!("member is damaged or cut short ({e})")));
    }
    if buf.len() as u64 > limit {
        buf.truncate(limit as usize);
        return (buf, Some(format!("member larger than the cap of {limit} bytes; cut there")));
    }
    (buf, None)
}

fn lossy_path(c: &mut Collector<'_>, prefix: &str, raw: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let s = String::from_utf8_lossy(raw).into_owned();
            c.warn(&format!("{prefix}{s}"), DiagnosticKind::Encoding, "file name is not valid UTF-8; shown with replacement characters");
            s
        }
    };
    match path::normalize(&text) {
        Ok(n) => {
            if n.was_absolute {
                c.warn(&format!("{prefix}{}", n.path), DiagnosticKind::UnsafePath, format!("absolute member path {text:?} read as relative"));
            }
            Some(format!("{prefix}{}", n.path))
        }
        Err(p) => {
            let shown = text.replace('\0', "\\0");
            c.warn(&format!("{prefix}{shown}"), DiagnosticKind::UnsafePath, format!("member path refused ({p:?}); skipped"));
            None
        }
    }
}

/// Reads a tar stream, adding its members under `prefix`.
pub(crate) fn read_tar<R: Read>(reader: R, prefix: &str, depth: u8, c: &mut Collector<'_>) {
    let mut ar = tar::Archive::new(reader);
    ar.set_ignore_zeros(true);
    let entries = match ar.entries() {
        Ok(e) => e,
        Err(e) => {
            let at = prefix.trim_end_matches(NESTED_SEP).to_owned();
            c.warn(&at, DiagnosticKind::Corrupt, format!("cannot read the tar stream: {e}"));
            return;
        }
    };
    let mut last = String::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = if last.is_empty() { prefix.trim_end_matches(NESTED_SEP).to_owned() } else { last.clone() };
                c.warn(&at, DiagnosticKind::Corrupt, format!("the archive is damaged or cut short after this member: {e}; everything before it was loaded"));
                break;
            }
        };
        let raw = entry.path_bytes().into_owned();
        let Some(path) = lossy_path(c, prefix, &raw) else { continue };
        last.clone_from(&path);
        let et = entry.header().entry_type();
        if et.is_file() || et == tar::EntryType::Continuous || et.is_gnu_sparse() {
            let limit = c.limits.max_entry_bytes;
            let (data, problem) = read_member(&mut entry, limit);
            let truncated = problem.is_some();
            if let Some(p) = problem {
                c.warn(&path, if p.contains("cap") { DiagnosticKind::Limit } else { DiagnosticKind::Corrupt }, p);
            }
            if let Some(cb) = c.progress {
                cb(data.len() as u64);
            }
            // Any unread remainder of a cut member is skipped by the tar reader itself.
            c.add_file(path, data, truncated, depth);
        } else if et.is_dir() {
            c.push(path, EntryKind::Dir);
        } else if et.is_symlink() || et.is_hard_link() {
            let target = entry.link_name_bytes().map(|t| String::from_utf8_lossy(&t).into_owned());
            let resolved = match &target {
                Some(t) if et.is_symlink() => path::resolve_link(&path, t),
                Some(t) => path::normalize(t).ok().map(|n| format!("{prefix}{}", n.path)),
                None => None,
            };
            if resolved.is_none() {
                let shown = target.unwrap_or_default();
                c.warn(&path, DiagnosticKind::BadLink, format!("link target {shown:?} is outside the archive or empty; not followed"));
            }
            let kind = if et.is_symlink() { EntryKind::Symlink(resolved) } else { EntryKind::Hardlink(resolved) };
            c.push(path, kind);
        } else if et.is_character_special() || et.is_block_special() || et.is_fifo() {
            c.warn(&path, DiagnosticKind::Unsupported, "device or fifo entry; skipped");
        }
        // PAX/GNU extension headers are consumed by the tar crate itself.
    }
}

/// Reads a zip archive, adding its members under `prefix`. Never calls `extract`.
pub(crate) fn read_zip<R: Read + Seek>(reader: R, prefix: &str, depth: u8, c: &mut Collector<'_>) {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            let at = prefix.trim_end_matches(NESTED_SEP).to_owned();
            c.warn(&at, DiagnosticKind::Corrupt, format!("cannot read the zip directory: {e}"));
            return;
        }
    };
    for i in 0..zip.len() {
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let at = prefix.trim_end_matches(NESTED_SEP).to_owned();
                c.warn(&at, DiagnosticKind::Corrupt, format!("zip member #{i} unreadable: {e}"));
                continue;
            }
        };
        let raw = file.name_raw().to_vec();
        let Some(path) = lossy_path(c, prefix, &raw) else { continue };
        if file.is_dir() {
            c.push(path, EntryKind::Dir);
            continue;
        }
        let is_link = file.is_symlink();
        let (data, problem) = read_member(&mut file, c.limits.max_entry_bytes);
        drop(file);
        if is_link {
            let target = String::from_utf8_lossy(&data).into_owned();
            let resolved = path::resolve_link(&path, &target);
            if resolved.is_none() {
                c.warn(&path, DiagnosticKind::BadLink, format!("link target {target:?} is outside the archive; not followed"));
            }
            c.push(path, EntryKind::Symlink(resolved));
            continue;
        }
        let truncated = problem.is_some();
        if let Some(p) = problem {
            c.warn(&path, DiagnosticKind::Corrupt, p);
        }
        c.add_file(path, data, truncated, depth);
    }
}

/// A reader that reports how many bytes went through it.
struct Counting<'a, R> {
    inner: R,
    progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p(n as u64);
        }
        Ok(n)
    }
}

/// Detects the container format of a file on disk.
pub fn detect_file(path: &Path) -> Result<ArchiveKind, crate::Error> {
    use crate::{Error, ErrorKind};
    if path.is_dir() {
        return Ok(ArchiveKind::Directory);
    }
    let mut f = File::open(path).map_err(|e| Error::new(path, e))?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut f, &mut head).map_err(|e| Error::new(path, e))?;
    let head = &head[..n];
    let outer = sniff(head);
    let inner_kind = |decoded: &[u8]| sniff(decoded) == Magic::Tar || decoded.iter().all(|b| *b == 0);
    let check = |kind: ArchiveKind, decoded: io::Result<Vec<u8>>| match decoded {
        Ok(d) if inner_kind(&d) => Ok(kind),
        Ok(_) => Err(Error::new(path, ErrorKind::UnknownFormat(format!("{} stream that does not hold a tar archive", kind.as_str())))),
        Err(e) => Err(Error::new(path, ErrorKind::Corrupt(e.to_string()))),
    };
    match outer {
        Magic::Tar => Ok(ArchiveKind::Tar),
        Magic::Zip => Ok(ArchiveKind::Zip),
        Magic::Gzip => check(ArchiveKind::TarGz, peek(flate2::read::MultiGzDecoder::new(File::open(path).map_err(|e| Error::new(path, e))?))),
        Magic::Xz => check(ArchiveKind::TarXz, peek(liblzma::read::XzDecoder::new_multi_decoder(File::open(path).map_err(|e| Error::new(path, e))?))),
        Magic::Zstd => {
            let f = File::open(path).map_err(|e| Error::new(path, e))?;
            let d = zstd::stream::read::Decoder::new(f).map_err(|e| Error::new(path, ErrorKind::Corrupt(e.to_string())))?;
            check(ArchiveKind::TarZst, peek(d))
        }
        Magic::Bzip2 => Err(Error::new(path, ErrorKind::UnknownFormat("bzip2 is not supported; recompress with gzip, xz or zstd".into()))),
        Magic::Unknown if n == 0 => Err(Error::new(path, ErrorKind::UnknownFormat("the file is empty".into()))),
        Magic::Unknown => Err(Error::new(path, ErrorKind::UnknownFormat("unrecognized content (expected a directory, tar, tar.gz, tar.xz, tar.zst or zip)".into()))),
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn peek(mut r: impl Read) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; 512];
    let n = read_up_to(&mut r, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Streams an archive file (not a directory) into the collector.
pub(crate) fn read_archive_file(path: &Path, kind: ArchiveKind, c: &mut Collector<'_>) -> io::Result<()> {
    let file = File::open(path)?;
    let progress = c.progress;
    let counted = Counting { inner: BufReader::with_capacity(1 << 20, file), progress };
    match kind {
        ArchiveKind::Tar => read_tar(counted, "", 0, c),
        ArchiveKind::TarGz => read_tar(flate2::read::MultiGzDecoder::new(counted), "", 0, c),
        ArchiveKind::TarXz => read_tar(liblzma::read::XzDecoder::new_multi_decoder(counted), "", 0, c),
        ArchiveKind::TarZst => read_tar(zstd::stream::read::Decoder::new(counted)?, "", 0, c),
        ArchiveKind::Zip => {
            drop(counted);
            read_zip(BufReader::new(File::open(path)?), "", 0, c);
        }
        // Directories are walked by `read_directory`, never streamed.
        _ => {}
    }
    Ok(())
}

/// Walks a directory input. Plain files stay on disk ([`DataLoc::Disk`]); compressed
/// members and nested archives are decoded into the blob.
pub(crate) fn read_directory(root: &Path, c: &mut Collector<'_>) {
    let walker = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name();
    for item in walker {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let p = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                c.warn(&p, DiagnosticKind::Corrupt, format!("cannot read: {e}"));
                continue;
            }
        };
        if item.depth() == 0 {
            continue;
        }
        let rel = rel_path(root, item.path());
        let ft = item.file_type();
        if ft.is_dir() {
            c.push(rel, EntryKind::Dir);
        } else if ft.is_symlink() {
            let target = std::fs::read_link(item.path()).ok().map(|t| t.to_string_lossy().into_owned());
            let resolved = target.as_deref().and_then(|t| path::resolve_link(&rel, t));
            if resolved.is_none() {
                c.warn(&rel, DiagnosticKind::BadLink, format!("link target {:?} is outside the input; not followed", target.unwrap_or_default()));
            }
            c.push(rel, EntryKind::Symlink(resolved));
        } else if ft.is_file() {
            let size = item.metadata().map(|m| m.len()).unwrap_or(0);
            let mut head = [0u8; 512];
            let magic = File::open(item.path()).and_then(|mut f| read_up_to(&mut f, &mut head)).map(|n| sniff(&head[..n]));
            match magic {
                Ok(Magic::Gzip | Magic::Xz | Magic::Zstd | Magic::Tar | Magic::Zip) => {
                    let mut f = match File::open(item.path()) {
                        Ok(f) => f,
                        Err(e) => {
                            c.warn(&rel, DiagnosticKind::Corrupt, format!("cannot read: {e}"));
                            continue;
                        }
                    };
                    let (data, problem) = read_member(&mut f, c.limits.max_entry_bytes);
                    let truncated = problem.is_some();
                    if let Some(p) = problem {
                        c.warn(&rel, DiagnosticKind::Corrupt, p);
                    }
                    c.add_file(rel, data, truncated, 0);
                }
                Ok(_) => {
                    let truncated = size > c.limits.max_entry_bytes;
                    if truncated {
                        c.warn(&rel, DiagnosticKind::Limit, format!("file larger than the cap of {} bytes; only the start is read", c.limits.max_entry_bytes));
                    }
                    c.entries.push(Entry {
                        path: rel,
                        kind: EntryKind::File,
                        data: DataLoc::Disk,
                        size: size.min(c.limits.max_entry_bytes),
                        codec: None,
                        truncated,
                    });
                }
                Err(e) => c.warn(&rel, DiagnosticKind::Corrupt, format!("cannot read: {e}")),
            }
        } else {
            c.warn(&rel, DiagnosticKind::Unsupported, "device, socket or fifo; skipped");
        }
    }
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// The directory an input's disk files are read from (directory inputs).
pub(crate) fn disk_path(root: &Path, rel: &str) -> PathBuf {
    let mut p = root.to_path_buf();
    for comp in rel.split('/') {
        p.push(comp);
    }
    p
}
