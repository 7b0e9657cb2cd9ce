//! What an archive is and when it was collected.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// The container format of an input, detected from magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ArchiveKind {
    /// A directory on disk.
    Directory,
    /// An uncompressed tar.
    Tar,
    /// A gzip-compressed tar.
    TarGz,
    /// An xz-compressed tar.
    TarXz,
    /// A zstd-compressed tar.
    TarZst,
    /// A zip file.
    Zip,
}

impl ArchiveKind {
    /// A short lowercase name (`tar.gz`, `dir`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Directory => "dir",
            Self::Tar => "tar",
            Self::TarGz => "tar.gz",
            Self::TarXz => "tar.xz",
            Self::TarZst => "tar.zst",
            Self::Zip => "zip",
        }
    }
}

/// What a collection inside an archive is (one archive may hold several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum PartKind {
    /// `oc adm must-gather` output.
    MustGather,
    /// `oc adm inspect` output.
    Inspect,
    /// A node sosreport.
    Sosreport,
    /// An Insights Operator archive.
    Insights,
    /// Nothing recognized; files are still browsable.
    Unknown,
}

impl PartKind {
    /// A short lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MustGather => "must-gather",
            Self::Inspect => "inspect",
            Self::Sosreport => "sosreport",
            Self::Insights => "insights",
            Self::Unknown => "unknown",
        }
    }
}

/// Which evidence gave the collection time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CollectionTimeSource {
    /// A must-gather / inspect `timestamp` file (path inside the archive).
    TimestampFile(String),
    /// The sosreport `sos_reports/manifest.json` end or start time.
    SosManifest(String),
    /// The sosreport `sos_commands/date/date` output.
    SosDate(String),
    /// The newest timestamp seen in the data (a fallback).
    NewestSeen,
}

/// The instant an archive was collected, and how it was learned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionTime {
    /// The instant (UTC).
    pub at: Timestamp,
    /// Where it came from.
    pub source: CollectionTimeSource,
}

/// A one-line description of an archive in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveSummary {
    /// The path the user gave.
    pub path: String,
    /// The container format.
    pub kind: ArchiveKind,
    /// The collections found inside.
    pub parts: Vec<PartKind>,
}
