//! Random access to the members of one input after it was read.

use std::borrow::Cow;
use std::io;
use std::path::PathBuf;

use casefile_model::{ArchiveId, ArchiveKind};

use crate::archive::{DataLoc, Entry, EntryKind, disk_path};

/// The decoded content of an input's members.
pub enum Blob {
    /// Held in memory.
    Mem(Vec<u8>),
    /// A memory-mapped cache file.
    Map(crate::cache::MappedBlob),
}

impl Blob {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Mem(v) => v,
            Self::Map(m) => m.bytes(),
        }
    }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Mem(v) => write!(f, "Blob::Mem({} bytes)", v.len()),
            Self::Map(m) => write!(f, "Blob::Map({} bytes)", m.len()),
        }
    }
}

/// One input of a case: its entry table (sorted by path) and its content.
#[derive(Debug)]
pub struct ArchiveData {
    /// Position of the input in the case.
    pub id: ArchiveId,
    /// The path the user gave.
    pub input: PathBuf,
    /// The container format.
    pub kind: ArchiveKind,
    /// Members sorted by path (ids are indexes into this table).
    pub entries: Vec<Entry>,
    pub(crate) blob: Blob,
}

/// How far around a faulting page the kernel maps pages of a file in (Linux's
/// `fault_around_bytes`, 64 KiB by default).
const FAULT_AROUND: usize = 64 << 10;

/// How many link hops are followed before giving up (loops).
pub(crate) const MAX_LINK_HOPS: usize = 16;

impl ArchiveData {
    /// The label shown for this input (the path as given).
    pub fn label(&self) -> String {
        self.input.display().to_string()
    }

    /// Lets the memory holding all mapped content go (it stays readable): called between
    /// phases that touch much of it, so the resident set stays bounded on large inputs.
    pub fn release_all(&self) {
        if let Blob::Map(map) = &self.blob {
            map.release(0, map.len());
        }
    }

    /// Lets the memory holding an entry's mapped content go (it stays readable); see
    /// [`ContentSource::release`](casefile_model::ContentSource::release).
    pub fn release(&self, id: u32) {
        // A link's content is its target's.
        let target = self
            .resolve(id)
            .and_then(|rid| self.entries.get(rid as usize));
        let (Blob::Map(map), Some(e)) = (&self.blob, target) else {
            return;
        };
        if let DataLoc::Blob { offset, len } = e.data
            && let (Ok(offset), Ok(len)) = (usize::try_from(offset), usize::try_from(len))
        {
            // A fault maps the neighbouring pages too ("fault-around", 64 KiB by default on
            // Linux), which belong to other entries: let those go as well, or reading many
            // small files leaves most of the mapping resident.
            let start = offset.saturating_sub(FAULT_AROUND);
            let end = offset
                .saturating_add(len)
                .saturating_add(FAULT_AROUND)
                .min(map.len());
            map.release(start, end.saturating_sub(start));
        }
    }

    /// Like [`ArchiveData::release`], for bytes `from..from + len` of an entry's content
    /// (widened to whole pages; they stay readable): for a long file read front to back.
    pub fn release_part(&self, id: u32, from: u64, len: u64) {
        let target = self
            .resolve(id)
            .and_then(|rid| self.entries.get(rid as usize));
        let (Blob::Map(map), Some(e)) = (&self.blob, target) else {
            return;
        };
        if let DataLoc::Blob { offset, len: size } = e.data {
            let end = from.saturating_add(len).min(size);
            if let (Ok(start), Ok(end)) = (
                usize::try_from(offset.saturating_add(from.min(size))),
                usize::try_from(offset.saturating_add(end)),
            ) {
                map.release(start, end.saturating_sub(start));
            }
        }
    }

    /// Finds an entry by exact normalized path.
    pub fn find(&self, path: &str) -> Option<u32> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| i as u32)
    }

    /// Follows symlinks and hard links from `id` to a regular file; `None` on loops,
    /// dangling links or links leaving the archive.
    pub fn resolve(&self, id: u32) -> Option<u32> {
        let mut cur = id;
        for _ in 0..MAX_LINK_HOPS {
            let e = self.entries.get(cur as usize)?;
            match &e.kind {
                EntryKind::File | EntryKind::Dir => return Some(cur),
                EntryKind::Symlink(t) | EntryKind::Hardlink(t) => cur = self.find(t.as_deref()?)?,
            }
        }
        None
    }

    /// Indexes of the entries whose path starts with `prefix` (a directory listing, recursive).
    pub fn under(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.entries.partition_point(|e| e.path.as_str() < prefix);
        let end = start + self.entries[start..].partition_point(|e| e.path.starts_with(prefix));
        start..end
    }

    /// Bytes `start..end` of an entry's content (following links; clamped to its length).
    ///
    /// From a cache blob they are read into a buffer rather than through the map: small
    /// reads scattered over a large blob would otherwise leave much of it resident. From a
    /// directory input only the range is read from the file.
    pub fn content_range(&self, id: u32, start: u64, end: u64) -> io::Result<Cow<'_, [u8]>> {
        if let Blob::Map(map) = &self.blob
            && let Some(e) = self
                .resolve(id)
                .and_then(|rid| self.entries.get(rid as usize))
            && let DataLoc::Blob { offset, len } = e.data
        {
            let end = end.min(len);
            let start = start.min(end);
            let at = offset
                .checked_add(start)
                .and_then(|at| usize::try_from(at).ok());
            let n = usize::try_from(end - start).ok();
            return match (at, n) {
                (Some(at), Some(n)) => map.read_range(at, n).map(Cow::Owned),
                _ => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the content cache is shorter than its index",
                )),
            };
        }
        if let Some(e) = self
            .resolve(id)
            .and_then(|rid| self.entries.get(rid as usize))
            && let DataLoc::Disk = e.data
        {
            // A file of a directory input: only the range is read, not the whole file.
            use std::io::{Read, Seek, SeekFrom};
            let end = end.min(e.size);
            let start = start.min(end);
            let mut f = std::fs::File::open(disk_path(&self.input, &e.path))?;
            f.seek(SeekFrom::Start(start))?;
            let mut buf = Vec::with_capacity(usize::try_from(end - start).unwrap_or(0));
            f.take(end - start).read_to_end(&mut buf)?;
            return Ok(Cow::Owned(buf));
        }
        let content = self.content(id)?;
        let end = usize::try_from(end)
            .unwrap_or(usize::MAX)
            .min(content.len());
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(end);
        Ok(match content {
            Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
            Cow::Owned(v) => Cow::Owned(v[start..end].to_vec()),
        })
    }

    /// The decoded bytes of an entry (following links).
    pub fn content(&self, id: u32) -> io::Result<Cow<'_, [u8]>> {
        let Some(rid) = self.resolve(id) else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "link does not lead to a file inside the archive",
            ));
        };
        let e = &self.entries[rid as usize];
        match e.data {
            DataLoc::None => Ok(Cow::Borrowed(&[])),
            DataLoc::Blob { offset, len } => {
                let all = self.blob.bytes();
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                let end = start.saturating_add(usize::try_from(len).unwrap_or(usize::MAX));
                all.get(start..end).map(Cow::Borrowed).ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the content cache is shorter than its index",
                    )
                })
            }
            DataLoc::Disk => {
                use std::io::Read;
                let f = std::fs::File::open(disk_path(&self.input, &e.path))?;
                let mut buf = Vec::with_capacity(usize::try_from(e.size).unwrap_or(0));
                f.take(e.size).read_to_end(&mut buf)?;
                Ok(Cow::Owned(buf))
            }
        }
    }
}
