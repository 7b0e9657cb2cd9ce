//! Deterministic tar writers (`.tar.gz` for must-gather, `.tar.xz` for sosreport).
//!
//! Every entry gets the same mtime, owner and mode; directory entries are written the first
//! time a path below them appears; the gzip header carries mtime 0.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{Compression, GzBuilder};
use liblzma::write::XzEncoder;

enum Sink {
    Gz(flate2::write::GzEncoder<BufWriter<File>>),
    Xz(XzEncoder<BufWriter<File>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Gz(w) => w.write(buf),
            Sink::Xz(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Gz(w) => w.flush(),
            Sink::Xz(w) => w.flush(),
        }
    }
}

/// Who owns the entries and which header flavour is used.
#[derive(Clone, Copy)]
pub struct Owner {
    /// uid
    pub uid: u64,
    /// gid
    pub gid: u64,
    /// user name
    pub user: &'static str,
    /// group name
    pub group: &'static str,
    /// GNU headers (GNU tar) or ustar headers (Python tarfile).
    pub gnu: bool,
}

/// A tar archive being written.
pub struct TarOut {
    b: tar::Builder<Sink>,
    mtime: u64,
    owner: Owner,
    dirs: BTreeSet<String>,
    bytes: u64,
}

impl TarOut {
    /// A gzip-compressed tar at `path` (`level` 0–9).
    pub fn gz(path: &Path, mtime: u64, owner: Owner, level: u32) -> Result<Self> {
        let f = File::create(path).with_context(|| format!("create {}", path.display()))?;
        let enc = GzBuilder::new().mtime(0).operating_system(3).write(
            BufWriter::with_capacity(1 << 20, f),
            Compression::new(level),
        );
        Ok(Self::with(Sink::Gz(enc), mtime, owner))
    }

    /// An xz-compressed tar at `path` (preset 6, CRC64, single thread).
    pub fn xz(path: &Path, mtime: u64, owner: Owner) -> Result<Self> {
        Self::xz_preset(path, mtime, owner, 6)
    }

    /// An xz-compressed tar at `path` with xz `preset` (0–9), CRC64, single thread: one xz
    /// stream with one block, as Python `tarfile` (sos) writes it.
    pub fn xz_preset(path: &Path, mtime: u64, owner: Owner, preset: u32) -> Result<Self> {
        let f = File::create(path).with_context(|| format!("create {}", path.display()))?;
        let enc = XzEncoder::new(BufWriter::with_capacity(1 << 20, f), preset);
        Ok(Self::with(Sink::Xz(enc), mtime, owner))
    }

    fn with(sink: Sink, mtime: u64, owner: Owner) -> Self {
        let mut b = tar::Builder::new(sink);
        b.mode(tar::HeaderMode::Deterministic);
        Self {
            b,
            mtime,
            owner,
            dirs: BTreeSet::new(),
            bytes: 0,
        }
    }

    /// Uncompressed payload bytes written so far.
    pub fn payload_bytes(&self) -> u64 {
        self.bytes
    }

    fn header(&self, kind: tar::EntryType, mode: u32, size: u64) -> Result<tar::Header> {
        let mut h = if self.owner.gnu {
            tar::Header::new_gnu()
        } else {
            tar::Header::new_ustar()
        };
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(size);
        h.set_mtime(self.mtime);
        h.set_uid(self.owner.uid);
        h.set_gid(self.owner.gid);
        h.set_username(self.owner.user)?;
        h.set_groupname(self.owner.group)?;
        Ok(h)
    }

    fn parents(&mut self, path: &str) -> Result<()> {
        let mut acc = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for p in &parts[..parts.len().saturating_sub(1)] {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(p);
            if !self.dirs.contains(&acc) {
                self.dirs.insert(acc.clone());
                let mut h = self.header(tar::EntryType::Directory, 0o755, 0)?;
                self.b
                    .append_data(&mut h, format!("{acc}/"), std::io::empty())?;
            }
        }
        Ok(())
    }

    /// A regular file.
    pub fn file(&mut self, path: &str, data: &[u8]) -> Result<()> {
        self.parents(path)?;
        let mut h = self.header(tar::EntryType::Regular, 0o644, data.len() as u64)?;
        self.b
            .append_data(&mut h, path, data)
            .with_context(|| format!("tar entry {path}"))?;
        self.bytes += data.len() as u64;
        Ok(())
    }

    /// An empty directory.
    pub fn dir(&mut self, path: &str) -> Result<()> {
        self.parents(&format!("{path}/x"))
    }

    /// A symbolic link `path -> target`.
    pub fn symlink(&mut self, path: &str, target: &str) -> Result<()> {
        self.parents(path)?;
        let mut h = self.header(tar::EntryType::Symlink, 0o777, 0)?;
        self.b.append_link(&mut h, path, target)?;
        Ok(())
    }

    /// Finish the tar stream and the compressor.
    pub fn finish(self) -> Result<()> {
        let sink = self.b.into_inner()?;
        match sink {
            Sink::Gz(w) => {
                let mut inner = w.finish()?;
                inner.flush()?;
            }
            Sink::Xz(w) => {
                let mut inner = w.finish()?;
                inner.flush()?;
            }
        }
        Ok(())
    }
}
