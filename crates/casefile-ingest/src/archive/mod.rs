//! Reading inputs (directories, tar, tar.gz, tar.xz, tar.zst, zip) into an entry table and
//! a content blob, in one streaming pass, without extracting anything to disk.
//!
//! Compressed members (`*.gz` logs) are decoded transparently; nested archives
//! (`sysinfo.tgz`, sos-collector bundles) are expanded under `<member>!/` up to a depth cap.
//! Every problem becomes a [`Diagnostic`] naming the member; reading goes on.

pub mod path;
pub mod sniff;

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use casefile_model::{ArchiveId, ArchiveKind, Diagnostic, DiagnosticKind};
use serde::{Deserialize, Serialize};

use self::sniff::{Magic, sniff};

/// Separator between a nested archive member and the paths inside it.
pub const NESTED_SEP: &str = "!/";

/// Members larger than this whose start shows no compression or archive are copied to the
/// content store in chunks of [`STREAM_CHUNK`] instead of being read whole into memory.
const STREAM_ABOVE: u64 = 8 << 20;
/// The chunk size for streamed members.
const STREAM_CHUNK: u64 = 4 << 20;

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
    /// Most memory the xz decoder may use (its dictionary; `xz -9` needs 65 MiB to decode).
    /// A stream that needs more is refused with a diagnostic instead of allocating it.
    pub max_xz_memory: u64,
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
            max_xz_memory: 256 << 20,
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
    /// Streamed to a cache file by a writer thread (errors surface when it finishes).
    File {
        /// The writer.
        spool: crate::spool::Spool,
        /// Bytes handed over so far.
        len: u64,
    },
}

impl BlobSink {
    /// Appends `bytes`; returns their offset in the blob.
    fn append(&mut self, bytes: Vec<u8>) -> u64 {
        self.append_member(bytes, false)
    }

    /// Appends a whole member's `bytes`; when `scan`, a spool also scans them for the index
    /// (see [`crate::spool`]). Returns their offset in the blob.
    fn append_member(&mut self, bytes: Vec<u8>, scan: bool) -> u64 {
        match self {
            Self::Mem(v) => {
                let off = v.len() as u64;
                v.extend_from_slice(&bytes);
                off
            }
            Self::File { spool, len } => {
                let off = *len;
                *len += bytes.len() as u64;
                if scan {
                    spool.write_and_scan(bytes, off);
                } else {
                    spool.write(bytes);
                }
                off
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
    /// Set once the entry cap is hit (and reported): later members are dropped.
    pub capped: bool,
    /// Compressed bytes consumed so far (for progress reporting).
    pub progress: Option<&'a (dyn Fn(crate::case::Progress) + Sync)>,
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

    /// Whether the entry cap is reached; reports it (once, naming `path`) when it is.
    fn at_entry_cap(&mut self, path: &str) -> bool {
        if self.entries.len() < self.limits.max_entries {
            return false;
        }
        if !self.capped {
            self.capped = true;
            self.warn(
                path,
                DiagnosticKind::Limit,
                format!(
                    "too many entries (the cap is {}); this and the rest are ignored",
                    self.limits.max_entries
                ),
            );
        }
        true
    }

    /// Whether `len` more bytes would pass the total cap; reports it (once, naming `path`)
    /// and keeps refusing content from then on.
    fn over_total(&mut self, path: &str, len: u64) -> bool {
        if self.full || self.total.saturating_add(len) > self.limits.max_total_bytes {
            if !self.full {
                self.warn(path, DiagnosticKind::Limit, format!("the input exceeds the total cap of {} bytes; this and later files are listed without content", self.limits.max_total_bytes));
            }
            self.full = true;
            return true;
        }
        false
    }

    fn push(&mut self, path: String, kind: EntryKind) {
        if self.at_entry_cap(&path) {
            return;
        }
        self.entries.push(Entry {
            path,
            kind,
            data: DataLoc::None,
            size: 0,
            codec: None,
            truncated: false,
        });
    }

    /// Records a regular file, decoding compressed members and expanding nested archives.
    pub(crate) fn add_file(&mut self, path: String, data: Vec<u8>, truncated: bool, depth: u8) {
        let magic = sniff(&data[..data.len().min(512)]);
        let nested_ok = depth < self.limits.max_nesting;
        match magic {
            Magic::Gzip | Magic::Xz | Magic::Zstd => {
                if !nested_ok {
                    self.warn(
                        &path,
                        DiagnosticKind::Nesting,
                        "compressed member nested too deep; kept as is",
                    );
                    return self.store(path, data, None, truncated);
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
                    self.store(path, decoded, Some(codec), truncated || cut);
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
            _ => self.store(path, data, None, truncated),
        }
    }

    fn decode_member(&mut self, path: &str, data: &[u8], codec: Codec) -> (Vec<u8>, bool) {
        let cap = self.limits.max_entry_bytes.min(
            self.limits
                .ratio_floor_bytes
                .max((data.len() as u64).saturating_mul(self.limits.max_ratio)),
        );
        let reader: Box<dyn Read + '_> = match codec {
            Codec::Gzip => Box::new(flate2::read::MultiGzDecoder::new(data)),
            Codec::Xz => match xz_decoder(data, self.limits) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    self.warn(
                        path,
                        DiagnosticKind::Corrupt,
                        format!("cannot start xz decoding: {e}"),
                    );
                    return (Vec::new(), true);
                }
            },
            Codec::Zstd => match zstd::stream::read::Decoder::new(data) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    self.warn(
                        path,
                        DiagnosticKind::Corrupt,
                        format!("cannot start zstd decoding: {e}"),
                    );
                    return (Vec::new(), true);
                }
            },
        };
        let mut out = Vec::new();
        let mut limited = reader.take(cap + 1);
        let mut cut = false;
        if let Err(e) = limited.read_to_end(&mut out) {
            if is_memory_cap(&e) {
                self.warn(path, DiagnosticKind::Limit, e.to_string());
                return (Vec::new(), true);
            }
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

    /// Stores a large plain member chunk by chunk, never holding it whole: `head` is what
    /// was read of it already, `rest` the remainder. Returns the bytes stored and the
    /// problem that cut it short, if any; `None` when a cap left it listed without content.
    fn store_stream(
        &mut self,
        path: String,
        head: Vec<u8>,
        rest: &mut dyn Read,
        declared: u64,
    ) -> Option<(u64, Option<String>)> {
        let limit = self.limits.max_entry_bytes;
        if self.at_entry_cap(&path) {
            return None;
        }
        if self.over_total(&path, declared.min(limit)) {
            // Listed without content, like a member read whole past the total cap.
            self.store(path, Vec::new(), None, true);
            return None;
        }
        let start = self.blob.append(Vec::new());
        let mut stored = 0u64;
        let mut problem = None;
        let mut chunk = head;
        loop {
            if !chunk.is_empty() {
                let room = limit.saturating_sub(stored);
                if chunk.len() as u64 > room {
                    chunk.truncate(room as usize);
                    problem = Some(format!(
                        "member larger than the cap of {limit} bytes; cut there"
                    ));
                }
                stored += chunk.len() as u64;
                self.blob.append(chunk);
                if problem.is_some() {
                    break;
                }
            }
            let (mut next, failed) = read_zeroed(rest, STREAM_CHUNK as usize);
            match failed {
                None if next.is_empty() => break,
                None => chunk = next,
                Some(e) => {
                    let keep = next.len().min(limit.saturating_sub(stored) as usize);
                    next.truncate(keep);
                    stored += next.len() as u64;
                    self.blob.append(next);
                    problem = Some(format!("member is damaged or cut short ({e})"));
                    break;
                }
            }
        }
        self.total += stored;
        if let Some(p) = self.progress {
            p(crate::case::Progress::files(1));
        }
        self.entries.push(Entry {
            path,
            kind: EntryKind::File,
            data: DataLoc::Blob {
                offset: start,
                len: stored,
            },
            size: stored,
            codec: None,
            truncated: problem.is_some(),
        });
        Some((stored, problem))
    }

    fn store(&mut self, path: String, data: Vec<u8>, codec: Option<Codec>, truncated: bool) {
        if self.at_entry_cap(&path) {
            return;
        }
        let mut truncated = truncated;
        let mut bytes = data;
        if self.over_total(&path, bytes.len() as u64) {
            bytes = Vec::new();
            truncated = true;
        }
        let size = bytes.len() as u64;
        let offset = self
            .blob
            .append_member(bytes, crate::index::may_hold_objects(&path));
        let data_loc = DataLoc::Blob { offset, len: size };
        self.total += size;
        if let Some(p) = self.progress {
            p(crate::case::Progress::files(1));
        }
        self.entries.push(Entry {
            path,
            kind: EntryKind::File,
            data: data_loc,
            size,
            codec,
            truncated,
        });
    }
}

/// Warns about a member's problem (a cap, or damage); returns the kind used.
fn member_problem(c: &mut Collector<'_>, path: &str, problem: String) -> DiagnosticKind {
    let kind = if problem.contains("cap") {
        DiagnosticKind::Limit
    } else {
        DiagnosticKind::Corrupt
    };
    c.warn(path, kind, problem);
    kind
}

/// Files a tar member read whole. The tar crate returns a short member without an error
/// when the stream ends inside it, so its length is compared with the `declared` size (0 to
/// skip the check, for sparse members).
fn finish_member(
    c: &mut Collector<'_>,
    path: String,
    data: Vec<u8>,
    mut problem: Option<String>,
    declared: u64,
    depth: u8,
    last_cut: &mut bool,
) {
    let limit = c.limits.max_entry_bytes;
    if problem.is_none() && (data.len() as u64) < declared.min(limit) {
        problem = Some(format!(
            "member cut short: {} of its {declared} bytes are present",
            data.len()
        ));
    }
    let truncated = problem.is_some();
    if let Some(p) = problem {
        *last_cut = member_problem(c, &path, p) == DiagnosticKind::Corrupt;
    }
    // (Progress is reported by the reader of the input file, in input bytes: reporting
    // decoded member sizes here as well would count them twice.)
    // Any unread remainder of a cut member is skipped by the tar reader itself.
    c.add_file(path, data, truncated, depth);
}

/// An xz reader (concatenated streams) that may use at most [`Limits::max_xz_memory`]:
/// liblzma refuses a stream whose dictionary needs more, and the error says so plainly.
pub(crate) struct XzReader<R: Read> {
    inner: liblzma::read::XzDecoder<R>,
    memlimit: u64,
}

impl<R: Read> Read for XzReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let over = e
                .get_ref()
                .and_then(|i| i.downcast_ref::<liblzma::stream::Error>())
                .is_some_and(|x| matches!(x, liblzma::stream::Error::MemLimit));
            if over {
                io::Error::other(format!(
                    "the xz stream needs more than the {} MiB {XZ_MEMORY_CAP} (it was written with a huge dictionary); not decoded",
                    self.memlimit.div_ceil(1 << 20)
                ))
            } else {
                e
            }
        })
    }
}

/// Whether an error is [`XzReader`]'s refusal to exceed the decoder memory cap.
fn is_memory_cap(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Other && e.to_string().contains(XZ_MEMORY_CAP)
}

/// The words that [`XzReader`] uses for a stream over the memory cap.
const XZ_MEMORY_CAP: &str = "decoder memory cap";

/// Starts an xz decoder bounded by `limits.max_xz_memory`.
pub(crate) fn xz_decoder<R: Read>(r: R, limits: &Limits) -> io::Result<XzReader<R>> {
    let memlimit = limits.max_xz_memory.max(1);
    let stream =
        liblzma::stream::Stream::new_stream_decoder(memlimit, liblzma::stream::CONCATENATED)?;
    Ok(XzReader {
        inner: liblzma::read::XzDecoder::new_stream(r, stream),
        memlimit,
    })
}

/// Reads up to `limit` bytes of `r`; reports whether the member was longer or damaged.
///
/// `size_hint` (the size a header declares, 0 if none) sizes the buffer up front so growing it
/// does not copy the member again and again; it is trusted only up to 16 MiB.
fn read_member(r: &mut dyn Read, limit: u64, size_hint: u64) -> (Vec<u8>, Option<String>) {
    let mut taken = r.take(limit + 1);
    let (mut buf, failed) = read_zeroed(&mut taken, size_hint.min(limit).min(16 << 20) as usize);
    if let Some(e) = failed {
        return (buf, Some(format!("member is damaged or cut short ({e})")));
    }
    if let Err(e) = taken.read_to_end(&mut buf) {
        return (buf, Some(format!("member is damaged or cut short ({e})")));
    }
    if buf.len() as u64 > limit {
        buf.truncate(limit as usize);
        return (
            buf,
            Some(format!(
                "member larger than the cap of {limit} bytes; cut there"
            )),
        );
    }
    (buf, None)
}

fn lossy_path(c: &mut Collector<'_>, prefix: &str, raw: &[u8]) -> Option<String> {
    let text = if let Ok(s) = std::str::from_utf8(raw) {
        s.to_owned()
    } else {
        let s = String::from_utf8_lossy(raw).into_owned();
        c.warn(
            &format!("{prefix}{s}"),
            DiagnosticKind::Encoding,
            "file name is not valid UTF-8; shown with replacement characters",
        );
        s
    };
    match path::normalize(&text) {
        Ok(n) => {
            if n.was_absolute {
                c.warn(
                    &format!("{prefix}{}", n.path),
                    DiagnosticKind::UnsafePath,
                    format!("absolute member path {text:?} read as relative"),
                );
            }
            Some(format!("{prefix}{}", n.path))
        }
        Err(p) => {
            let shown = text.replace('\0', "\\0");
            c.warn(
                &format!("{prefix}{shown}"),
                DiagnosticKind::UnsafePath,
                format!("member path refused ({p:?}); skipped"),
            );
            None
        }
    }
}

/// Size of a tar block (headers and data padding).
const BLOCK: usize = 512;

/// The tar stream as the tar crate reads it, watched so that damage can be named and skipped.
///
/// It keeps the last block consumed (after a header error that is the damaged header, which
/// still names its member; after a clean end it is the end-of-archive marker, or not), notes
/// whether the underlying stream failed or ended, and hands back blocks that [`resync`] read
/// ahead. The tar crate stops for good at the first bad header; this is what lets reading
/// resume at the next valid one, as GNU tar does.
struct TarStream<R> {
    inner: R,
    /// Bytes read ahead and handed out again before `inner` is read.
    replay: Vec<u8>,
    /// The last (up to) [`BLOCK`] bytes consumed.
    tail: Vec<u8>,
    /// The error the underlying stream returned (a decompression failure), if any.
    failed: Option<String>,
    /// The underlying stream reached its end.
    eof: bool,
    /// Bytes handed out since the current `tar::Archive` started reading (see [`Seek`]).
    pos: u64,
    /// Where skipped bytes are read to, allocated once.
    scratch: Vec<u8>,
}

impl<R: Read> TarStream<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            replay: Vec::new(),
            tail: Vec::with_capacity(2 * BLOCK),
            failed: None,
            eof: false,
            pos: 0,
            scratch: Vec::new(),
        }
    }

    /// Starts counting positions for a new `tar::Archive` over this stream.
    fn restart_positions(&mut self) {
        self.pos = 0;
    }

    /// Whether a header error can be skipped: the stream itself is still good.
    fn resumable(&self) -> bool {
        self.failed.is_none() && !self.eof
    }
}

impl<R: Read> Read for TarStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.replay.is_empty() {
            match self.inner.read(buf) {
                Ok(0) if !buf.is_empty() => {
                    self.eof = true;
                    0
                }
                Ok(n) => n,
                Err(e) => {
                    if e.kind() != io::ErrorKind::Interrupted {
                        self.failed = Some(e.to_string());
                    }
                    return Err(e);
                }
            }
        } else {
            let n = buf.len().min(self.replay.len());
            buf[..n].copy_from_slice(&self.replay[..n]);
            self.replay.drain(..n);
            n
        };
        self.pos += n as u64;
        let got = &buf[..n];
        if got.len() >= BLOCK {
            self.tail.clear();
            self.tail.extend_from_slice(&got[got.len() - BLOCK..]);
        } else {
            self.tail.extend_from_slice(got);
            let excess = self.tail.len().saturating_sub(BLOCK);
            self.tail.drain(..excess);
        }
        Ok(n)
    }
}

/// Forward skips only, by reading: what lets the tar crate skip a member's padding and
/// unread data through `entries_with_seek`. Without it, the crate zero-fills a 32 KiB buffer
/// on its stack for every member it steps over, a measurable cost over tens of thousands of
/// members. Positions count from the last [`TarStream::restart_positions`], as the
/// `tar::Archive` reading the stream counts them.
impl<R: Read> Seek for TarStream<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        let mut left = match to {
            io::SeekFrom::Current(n) => u64::try_from(n).map_err(|_| {
                io::Error::new(io::ErrorKind::Unsupported, "a tar stream cannot seek back")
            })?,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "a tar stream only skips forward",
                ));
            }
        };
        if self.scratch.is_empty() && left > 0 {
            self.scratch = vec![0; SKIP_CHUNK];
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut result = Ok(());
        while left > 0 {
            let want = left.min(scratch.len() as u64) as usize;
            match self.read(&mut scratch[..want]) {
                Ok(0) => {
                    result = Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "unexpected end of the stream while skipping to the next member",
                    ));
                    break;
                }
                Ok(n) => left -= n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.scratch = scratch;
        result.map(|()| self.pos)
    }
}

/// Bytes read at a time when skipping forward in a tar stream.
const SKIP_CHUNK: usize = 8 * 1024;

/// Whether a block is a plausible tar header: not all zeros, with a matching checksum.
fn is_tar_header(block: &[u8]) -> bool {
    if block.len() != BLOCK || block.iter().all(|b| *b == 0) {
        return false;
    }
    let field = &block[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(u8::is_ascii_digit)
        .collect();
    let Some(want) = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| u32::from_str_radix(d, 8).ok())
    else {
        return false;
    };
    let sum: u32 = block[..148]
        .iter()
        .chain(&block[156..])
        .map(|b| u32::from(*b))
        .sum::<u32>()
        + 8 * u32::from(b' ');
    sum == want
}

/// The member name recorded in a damaged header block, if the block still looks like a
/// header (`ustar` magic and octal numeric fields) and the name is a usable path. Garbage
/// produced by corrupt compressed data can copy a `ustar` from an earlier header, so the
/// numeric fields are checked too.
fn header_name(block: &[u8], prefix: &str) -> Option<String> {
    if block.len() != BLOCK || &block[257..262] != b"ustar" {
        return None;
    }
    // mode, uid, gid, size, mtime: octal digits, spaces and NULs (or GNU base-256).
    let numeric = [100..108, 108..116, 116..124, 124..136, 136..148];
    if !numeric.into_iter().all(|r| {
        block[r.start] & 0x80 != 0 || block[r].iter().all(|b| matches!(b, b'0'..=b'7' | b' ' | 0))
    }) {
        return None;
    }
    let field = |r: std::ops::Range<usize>| {
        let f = &block[r];
        &f[..f.iter().position(|b| *b == 0).unwrap_or(f.len())]
    };
    let mut raw = Vec::new();
    // POSIX ustar (`ustar\0`) keeps a directory prefix; GNU (`ustar  `) uses those bytes otherwise.
    if &block[257..263] == b"ustar\0" && !field(345..500).is_empty() {
        raw.extend_from_slice(field(345..500));
        raw.push(b'/');
    }
    raw.extend_from_slice(field(0..100));
    let text = String::from_utf8_lossy(&raw);
    if text.chars().any(char::is_control) {
        return None;
    }
    path::normalize(&text)
        .ok()
        .map(|n| format!("{prefix}{}", n.path))
}

/// After a damaged header: skips blocks until one is a valid header and puts it back for the
/// next reader. Returns how many bytes were skipped, or `None` when the stream ends first.
fn resync<R: Read>(s: &mut TarStream<R>) -> Option<u64> {
    let mut block = [0u8; BLOCK];
    let mut skipped = 0u64;
    while s.resumable() {
        if read_up_to(s, &mut block).ok()? < BLOCK {
            return None;
        }
        if is_tar_header(&block) {
            s.replay.extend_from_slice(&block);
            return Some(skipped);
        }
        skipped += BLOCK as u64;
    }
    None
}

/// Reads a tar stream, adding its members under `prefix`.
///
/// A damaged header is reported under the member it names and skipped: reading resumes at
/// the next valid header. A member or stream cut short is reported under that member (and
/// flagged `truncated`); a stream that ends cleanly but without the end-of-archive marker
/// was probably cut at a member boundary, which is reported too.
pub(crate) fn read_tar<R: Read>(reader: R, prefix: &str, depth: u8, c: &mut Collector<'_>) {
    let archive_path = prefix.trim_end_matches(NESTED_SEP).to_owned();
    let mut stream = TarStream::new(reader);
    // The last member read (for messages) and whether it was already reported as cut short.
    let mut last = String::new();
    let mut last_cut = false;
    loop {
        let damage = {
            stream.restart_positions();
            let mut ar = tar::Archive::new(&mut stream);
            ar.set_ignore_zeros(true);
            match ar.entries_with_seek() {
                Ok(entries) => {
                    read_tar_entries(entries, prefix, depth, c, &mut last, &mut last_cut)
                }
                Err(e) => Some(e),
            }
        };
        let Some(e) = damage else { break };
        let at = if last.is_empty() {
            archive_path.clone()
        } else {
            last.clone()
        };
        let damaged_after = |f: &dyn std::fmt::Display| {
            format!(
                "the archive is damaged or cut short after this member ({f}); everything before it was loaded"
            )
        };
        if !stream.resumable() {
            // The stream itself is damaged or cut short: nothing more can be read.
            if !last_cut {
                c.warn(&at, DiagnosticKind::Corrupt, damaged_after(&e));
            }
            return;
        }
        let named = header_name(&stream.tail, prefix);
        let skipped = resync(&mut stream);
        if let (None, Some(f)) = (skipped, &stream.failed) {
            // The compressed stream is what is damaged: the bad "header" was its garbage.
            c.warn(&at, DiagnosticKind::Corrupt, damaged_after(f));
            return;
        }
        // The tar crate quotes the field it could not parse, which may be garbage.
        let why: String = e
            .to_string()
            .chars()
            .map(|ch| if ch.is_control() { '?' } else { ch })
            .take(120)
            .collect();
        let (at, what) = match named {
            Some(n) => (
                n,
                format!("the tar header of this member is damaged ({why}); the member is skipped"),
            ),
            None => (
                at,
                format!("the tar header after this member is damaged ({why})"),
            ),
        };
        let Some(skipped) = skipped else {
            c.warn(
                &at,
                DiagnosticKind::Corrupt,
                format!("{what}; no valid header follows it"),
            );
            return;
        };
        c.warn(
            &at,
            DiagnosticKind::Corrupt,
            format!("{what}; reading resumed at the next valid header, {skipped} bytes further"),
        );
        last = at;
        last_cut = false;
    }
    if !last.is_empty() && !stream.tail.iter().all(|b| *b == 0) {
        c.warn(&last, DiagnosticKind::Corrupt, "the archive ends right after this member without its end-of-archive marker; it was probably cut short and later members are missing");
    }
}

/// Reads the members of one run of valid tar headers; returns the error that ended it early.
fn read_tar_entries<R: Read>(
    entries: tar::Entries<'_, R>,
    prefix: &str,
    depth: u8,
    c: &mut Collector<'_>,
    last: &mut String,
    last_cut: &mut bool,
) -> Option<io::Error> {
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => return Some(e),
        };
        let raw = entry.path_bytes().into_owned();
        let Some(path) = lossy_path(c, prefix, &raw) else {
            continue;
        };
        last.clone_from(&path);
        *last_cut = false;
        let et = entry.header().entry_type();
        if et.is_file() || et == tar::EntryType::Continuous || et.is_gnu_sparse() {
            let limit = c.limits.max_entry_bytes;
            let declared = entry.size();
            if declared > STREAM_ABOVE && !et.is_gnu_sparse() {
                let mut head = Vec::with_capacity(BLOCK);
                let head_read = Read::by_ref(&mut entry)
                    .take(BLOCK as u64)
                    .read_to_end(&mut head);
                let plain = !matches!(
                    sniff(&head),
                    Magic::Gzip | Magic::Xz | Magic::Zstd | Magic::Tar | Magic::Zip
                );
                if head_read.is_ok() && plain {
                    if let Some((stored, mut problem)) =
                        c.store_stream(path.clone(), head, &mut entry, declared)
                    {
                        if problem.is_none() && stored < declared.min(limit) {
                            problem = Some(format!(
                                "member cut short: {stored} of its {declared} bytes are present"
                            ));
                            if let Some(e) = c.entries.last_mut() {
                                e.truncated = true;
                            }
                        }
                        if let Some(p) = problem {
                            *last_cut = member_problem(c, &path, p) == DiagnosticKind::Corrupt;
                        }
                    }
                    continue;
                }
                // Compressed or an archive (or unreadable): read it whole, as below.
                let (rest, problem) = read_member(
                    &mut entry,
                    limit.saturating_sub(head.len() as u64),
                    declared.saturating_sub(head.len() as u64),
                );
                head.extend_from_slice(&rest);
                let problem = match head_read {
                    Err(e) => Some(format!("member is damaged or cut short ({e})")),
                    Ok(_) => problem,
                };
                finish_member(c, path, head, problem, declared, depth, last_cut);
                continue;
            }
            let (data, problem) = read_member(&mut entry, limit, declared);
            let declared = if et.is_gnu_sparse() { 0 } else { declared };
            finish_member(c, path, data, problem, declared, depth, last_cut);
        } else if et.is_dir() {
            c.push(path, EntryKind::Dir);
        } else if et.is_symlink() || et.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned());
            let resolved = match &target {
                // A link inside a nested archive must stay inside that archive.
                Some(t) if et.is_symlink() => {
                    path::resolve_link(&path, t).filter(|r| r.starts_with(prefix))
                }
                Some(t) => path::normalize(t)
                    .ok()
                    .map(|n| format!("{prefix}{}", n.path)),
                None => None,
            };
            if resolved.is_none() {
                let shown = target.unwrap_or_default();
                c.warn(
                    &path,
                    DiagnosticKind::BadLink,
                    format!("link target {shown:?} is outside the archive or empty; not followed"),
                );
            }
            let kind = if et.is_symlink() {
                EntryKind::Symlink(resolved)
            } else {
                EntryKind::Hardlink(resolved)
            };
            c.push(path, kind);
        } else if et.is_character_special() || et.is_block_special() || et.is_fifo() {
            c.warn(
                &path,
                DiagnosticKind::Unsupported,
                "device or fifo entry; skipped",
            );
        }
        // PAX/GNU extension headers are consumed by the tar crate itself.
    }
    None
}

/// Hard links must name a member of the archive; one that does not is reported here (reading
/// it later fails cleanly). A link of either kind that is part of a loop is reported too.
fn check_links(c: &mut Collector<'_>) {
    if !c.entries.iter().any(|e| {
        matches!(
            e.kind,
            EntryKind::Hardlink(Some(_)) | EntryKind::Symlink(Some(_))
        )
    }) {
        return;
    }
    // The last entry of a path wins, as when the entries are sorted and deduplicated.
    let kinds: std::collections::HashMap<&str, &EntryKind> = c
        .entries
        .iter()
        .map(|e| (e.path.as_str(), &e.kind))
        .collect();
    let mut bad: Vec<(String, String)> = Vec::new();
    for e in &c.entries {
        let (EntryKind::Hardlink(Some(t)) | EntryKind::Symlink(Some(t))) = &e.kind else {
            continue;
        };
        let hard = matches!(e.kind, EntryKind::Hardlink(_));
        let what = if hard { "hard link" } else { "symbolic link" };
        if !kinds.contains_key(t.as_str()) {
            // A dangling symbolic link is ordinary in a sosreport (a link to something not
            // collected); a hard link always names an earlier member.
            if hard {
                bad.push((
                    e.path.clone(),
                    format!("hard link to {t:?}, which is not in the archive; not followed"),
                ));
            }
            continue;
        }
        // Follow the chain as `ArchiveData::resolve` will; one that never reaches a file, a
        // directory or a dead end is a loop (or too long to be honest).
        let mut cur = t.as_str();
        let mut ends = false;
        for _ in 0..crate::store::MAX_LINK_HOPS {
            if let Some(EntryKind::Symlink(Some(n)) | EntryKind::Hardlink(Some(n))) = kinds.get(cur)
            {
                cur = n;
            } else {
                ends = true;
                break;
            }
        }
        if !ends {
            bad.push((
                e.path.clone(),
                format!(
                    "{what} to {t:?} is part of a link loop (or of a chain longer than {} links); not followed",
                    crate::store::MAX_LINK_HOPS
                ),
            ));
        }
    }
    for (p, m) in bad {
        c.warn(&p, DiagnosticKind::BadLink, m);
    }
}

/// Reads a zip archive, adding its members under `prefix`. Never calls `extract`.
pub(crate) fn read_zip<R: Read + Seek>(reader: R, prefix: &str, depth: u8, c: &mut Collector<'_>) {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            let at = prefix.trim_end_matches(NESTED_SEP).to_owned();
            c.warn(
                &at,
                DiagnosticKind::Corrupt,
                format!("cannot read the zip directory: {e}"),
            );
            return;
        }
    };
    for i in 0..zip.len() {
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let at = prefix.trim_end_matches(NESTED_SEP).to_owned();
                c.warn(
                    &at,
                    DiagnosticKind::Corrupt,
                    format!("zip member #{i} unreadable: {e}"),
                );
                continue;
            }
        };
        let raw = file.name_raw().to_vec();
        let Some(path) = lossy_path(c, prefix, &raw) else {
            continue;
        };
        if file.is_dir() {
            c.push(path, EntryKind::Dir);
            continue;
        }
        let is_link = file.is_symlink();
        let hint = file.size();
        let (data, problem) = read_member(&mut file, c.limits.max_entry_bytes, hint);
        drop(file);
        if is_link {
            let target = String::from_utf8_lossy(&data).into_owned();
            // A link inside a nested archive must stay inside that archive.
            let resolved = path::resolve_link(&path, &target).filter(|r| r.starts_with(prefix));
            if resolved.is_none() {
                c.warn(
                    &path,
                    DiagnosticKind::BadLink,
                    format!("link target {target:?} is outside the archive; not followed"),
                );
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
    progress: Option<&'a (dyn Fn(crate::case::Progress) + Sync)>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p(crate::case::Progress::bytes(n as u64));
        }
        Ok(n)
    }
}

/// Detects the container format of a file on disk.
pub fn detect_file(path: &Path) -> Result<ArchiveKind, crate::Error> {
    detect_file_with(path, &Limits::default())
}

/// [`detect_file`] with the caps that apply to peeking into a compressed stream.
pub fn detect_file_with(path: &Path, limits: &Limits) -> Result<ArchiveKind, crate::Error> {
    use crate::{Error, ErrorKind};
    if path.is_dir() {
        return Ok(ArchiveKind::Directory);
    }
    let mut f = File::open(path).map_err(|e| Error::new(path, e))?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut f, &mut head).map_err(|e| Error::new(path, e))?;
    let head = &head[..n];
    let outer = sniff(head);
    let inner_kind =
        |decoded: &[u8]| sniff(decoded) == Magic::Tar || decoded.iter().all(|b| *b == 0);
    let check = |kind: ArchiveKind, decoded: io::Result<Vec<u8>>| match decoded {
        Ok(d) if inner_kind(&d) => Ok(kind),
        Ok(_) => Err(Error::new(
            path,
            ErrorKind::UnknownFormat(format!(
                "{} stream that does not hold a tar archive",
                kind.as_str()
            )),
        )),
        Err(e) if is_memory_cap(&e) => Err(Error::new(path, ErrorKind::Limit(e.to_string()))),
        Err(e) => Err(Error::new(path, ErrorKind::Corrupt(e.to_string()))),
    };
    match outer {
        Magic::Tar => Ok(ArchiveKind::Tar),
        Magic::Zip => Ok(ArchiveKind::Zip),
        Magic::Gzip => check(
            ArchiveKind::TarGz,
            peek(flate2::read::MultiGzDecoder::new(
                File::open(path).map_err(|e| Error::new(path, e))?,
            )),
        ),
        Magic::Xz => check(
            ArchiveKind::TarXz,
            xz_decoder(File::open(path).map_err(|e| Error::new(path, e))?, limits).and_then(peek),
        ),
        Magic::Zstd => {
            let f = File::open(path).map_err(|e| Error::new(path, e))?;
            let d = zstd::stream::read::Decoder::new(f)
                .map_err(|e| Error::new(path, ErrorKind::Corrupt(e.to_string())))?;
            check(ArchiveKind::TarZst, peek(d))
        }
        Magic::Bzip2 => Err(Error::new(
            path,
            ErrorKind::UnknownFormat(
                "bzip2 is not supported; recompress with gzip, xz or zstd".into(),
            ),
        )),
        Magic::Unknown if n == 0 => Err(Error::new(
            path,
            ErrorKind::UnknownFormat("the file is empty".into()),
        )),
        Magic::Unknown => Err(Error::new(
            path,
            ErrorKind::UnknownFormat(
                "unrecognized content (expected a directory, tar, tar.gz, tar.xz, tar.zst or zip)"
                    .into(),
            ),
        )),
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    match fill(r, buf) {
        (n, None) => Ok(n),
        (_, Some(e)) => Err(e),
    }
}

/// Reads into `buf` until it is full or `r` ends; returns the bytes read and the error that
/// stopped it early, if any.
fn fill(r: &mut dyn Read, buf: &mut [u8]) -> (usize, Option<io::Error>) {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

/// Reads up to `len` bytes of `r` into a buffer allocated zeroed, cut to what was read; and
/// the error that stopped it early, if any.
///
/// `vec![0; len]` comes from the allocator already zeroed when its pages are fresh, whereas
/// growing a buffer with `read_to_end` zero-fills every byte itself before reading into it:
/// on a 1 GiB input that fill was about a tenth of the reading thread's time.
fn read_zeroed(r: &mut dyn Read, len: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut buf = vec![0u8; len];
    let (n, failed) = fill(r, &mut buf);
    buf.truncate(n);
    (buf, failed)
}

fn peek(mut r: impl Read) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; 512];
    let n = read_up_to(&mut r, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Streams an archive file (not a directory) into the collector.
pub(crate) fn read_archive_file(
    path: &Path,
    kind: ArchiveKind,
    c: &mut Collector<'_>,
) -> io::Result<()> {
    let file = File::open(path)?;
    let progress = c.progress;
    let counted = Counting {
        inner: BufReader::with_capacity(1 << 20, file),
        progress,
    };
    match kind {
        ArchiveKind::Tar => read_tar(counted, "", 0, c),
        ArchiveKind::TarGz => read_tar(flate2::read::MultiGzDecoder::new(counted), "", 0, c),
        ArchiveKind::TarXz => read_tar(xz_decoder(counted, c.limits)?, "", 0, c),
        ArchiveKind::TarZst => read_tar(zstd::stream::read::Decoder::new(counted)?, "", 0, c),
        ArchiveKind::Zip => {
            drop(counted);
            read_zip(BufReader::new(File::open(path)?), "", 0, c);
        }
        // Directories are walked by `read_directory`, never streamed.
        _ => {}
    }
    check_links(c);
    Ok(())
}

/// Reads an archive held in memory (tar, tar.gz, tar.xz, tar.zst or zip, told apart by its
/// magic bytes) exactly as a file input is read, into an [`ArchiveData`] whose content stays in
/// memory, plus the diagnostics. `None` when the bytes are not a recognized container.
///
/// For fuzzing (`fuzz/`) and tests only: not a stable API.
#[doc(hidden)]
pub fn read_bytes(
    data: &[u8],
    limits: &Limits,
) -> Option<(crate::store::ArchiveData, Vec<Diagnostic>)> {
    let mut c = Collector {
        archive: ArchiveId(0),
        limits,
        entries: Vec::new(),
        diagnostics: Vec::new(),
        blob: BlobSink::Mem(Vec::new()),
        total: 0,
        full: false,
        capped: false,
        progress: None,
    };
    let kind = match sniff(&data[..data.len().min(512)]) {
        Magic::Tar => {
            read_tar(data, "", 0, &mut c);
            ArchiveKind::Tar
        }
        Magic::Gzip => {
            read_tar(flate2::read::MultiGzDecoder::new(data), "", 0, &mut c);
            ArchiveKind::TarGz
        }
        Magic::Xz => {
            read_tar(xz_decoder(data, limits).ok()?, "", 0, &mut c);
            ArchiveKind::TarXz
        }
        Magic::Zstd => {
            read_tar(zstd::stream::read::Decoder::new(data).ok()?, "", 0, &mut c);
            ArchiveKind::TarZst
        }
        Magic::Zip => {
            read_zip(io::Cursor::new(data), "", 0, &mut c);
            ArchiveKind::Zip
        }
        Magic::Bzip2 | Magic::Unknown => return None,
    };
    check_links(&mut c);
    let Collector {
        entries,
        diagnostics,
        blob,
        ..
    } = c;
    let blob = match blob {
        BlobSink::Mem(v) => crate::store::Blob::Mem(v),
        BlobSink::File { .. } => crate::store::Blob::Mem(Vec::new()),
    };
    let data = crate::store::ArchiveData {
        id: ArchiveId(0),
        input: PathBuf::from("fuzz-input"),
        kind,
        entries: crate::case::sorted(entries),
        blob,
    };
    Some((data, diagnostics))
}

/// Walks a directory input. Plain files stay on disk ([`DataLoc::Disk`]); compressed
/// members and nested archives are decoded into the blob.
pub(crate) fn read_directory(root: &Path, c: &mut Collector<'_>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name();
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
        // The entry cap bounds the walk itself, not only the table: stop here.
        if c.at_entry_cap(&rel) {
            break;
        }
        let ft = item.file_type();
        if ft.is_dir() {
            c.push(rel, EntryKind::Dir);
        } else if ft.is_symlink() {
            let target = std::fs::read_link(item.path())
                .ok()
                .map(|t| t.to_string_lossy().into_owned());
            let resolved = target.as_deref().and_then(|t| path::resolve_link(&rel, t));
            if resolved.is_none() {
                c.warn(
                    &rel,
                    DiagnosticKind::BadLink,
                    format!(
                        "link target {:?} is outside the input; not followed",
                        target.unwrap_or_default()
                    ),
                );
            }
            c.push(rel, EntryKind::Symlink(resolved));
        } else if ft.is_file() {
            let size = item.metadata().map_or(0, |m| m.len());
            let mut head = [0u8; 512];
            let magic = File::open(item.path())
                .and_then(|mut f| read_up_to(&mut f, &mut head))
                .map(|n| sniff(&head[..n]));
            // A name that is not UTF-8 is shown (and looked up) with replacement characters,
            // so its disk path cannot be rebuilt from the entry later: read it now instead.
            let utf8 = item
                .path()
                .strip_prefix(root)
                .ok()
                .and_then(Path::to_str)
                .is_some();
            if !utf8 {
                c.warn(
                    &rel,
                    DiagnosticKind::Encoding,
                    "file name is not valid UTF-8; shown with replacement characters",
                );
            }
            match magic {
                Ok(m)
                    if !utf8
                        || matches!(
                            m,
                            Magic::Gzip | Magic::Xz | Magic::Zstd | Magic::Tar | Magic::Zip
                        ) =>
                {
                    let mut f = match File::open(item.path()) {
                        Ok(f) => f,
                        Err(e) => {
                            c.warn(&rel, DiagnosticKind::Corrupt, format!("cannot read: {e}"));
                            continue;
                        }
                    };
                    let hint = f.metadata().map_or(0, |m| m.len());
                    let (data, problem) = read_member(&mut f, c.limits.max_entry_bytes, hint);
                    let truncated = problem.is_some();
                    if let Some(p) = problem {
                        let kind = if p.contains("cap") {
                            DiagnosticKind::Limit
                        } else {
                            DiagnosticKind::Corrupt
                        };
                        c.warn(&rel, kind, p);
                    }
                    c.add_file(rel, data, truncated, 0);
                }
                Ok(_) => {
                    let mut truncated = size > c.limits.max_entry_bytes;
                    if truncated {
                        c.warn(
                            &rel,
                            DiagnosticKind::Limit,
                            format!(
                                "file larger than the cap of {} bytes; only the start is read",
                                c.limits.max_entry_bytes
                            ),
                        );
                    }
                    let mut len = size.min(c.limits.max_entry_bytes);
                    let mut data = DataLoc::Disk;
                    // Files read in place count against the total cap like decoded members.
                    if c.over_total(&rel, len) {
                        (len, data, truncated) = (0, DataLoc::None, true);
                    }
                    c.total += len;
                    c.entries.push(Entry {
                        path: rel,
                        kind: EntryKind::File,
                        data,
                        size: len,
                        codec: None,
                        truncated,
                    });
                    if let Some(cb) = c.progress {
                        cb(crate::case::Progress::files(1));
                    }
                }
                Err(e) => c.warn(&rel, DiagnosticKind::Corrupt, format!("cannot read: {e}")),
            }
            if let Some(cb) = c.progress {
                cb(crate::case::Progress::bytes(size));
            }
        } else {
            c.warn(
                &rel,
                DiagnosticKind::Unsupported,
                "device, socket or fifo; skipped",
            );
        }
    }
    check_links(c);
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_tar_stream_only_skips_forward_and_counts_from_its_restart() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let mut s = TarStream::new(&data[..]);
        let mut two = [0u8; 2];
        s.read_exact(&mut two).unwrap();
        assert_eq!(s.seek(io::SeekFrom::Current(10_000)).unwrap(), 10_002);
        s.read_exact(&mut two).unwrap();
        assert_eq!(two, [(10_002 % 251) as u8, (10_003 % 251) as u8]);
        assert_eq!(s.stream_position().unwrap(), 10_004);
        for refused in [
            io::SeekFrom::Current(-1),
            io::SeekFrom::Start(0),
            io::SeekFrom::End(0),
        ] {
            let e = s.seek(refused).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::Unsupported, "{refused:?}");
        }
        s.restart_positions();
        assert_eq!(s.seek(io::SeekFrom::Current(96)).unwrap(), 96);
        let e = s.seek(io::SeekFrom::Current(20_000)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert!(s.eof);
    }
}
