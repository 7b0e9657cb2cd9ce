//! Where a fact came from: archive, artifact (a file inside it), line.

use serde::{Deserialize, Serialize};

/// Index of an archive within a case (the order the user named them in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArchiveId(pub u16);

/// One file (artifact) inside one archive of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArtifactId {
    /// The archive holding the file.
    pub archive: ArchiveId,
    /// The file's index in that archive's entry table (sorted by path).
    pub entry: u32,
}

impl ArtifactId {
    /// Builds an artifact id.
    pub const fn new(archive: ArchiveId, entry: u32) -> Self {
        Self { archive, entry }
    }
}

/// The evidence behind a fact: a file, and optionally a line and byte range in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The file.
    pub artifact: ArtifactId,
    /// 1-based line number of the first line of the evidence, when known.
    pub line: Option<u32>,
    /// Byte offset of the evidence inside the (decompressed) file.
    pub offset: Option<u64>,
}

impl Provenance {
    /// Evidence that is a whole file.
    pub const fn file(artifact: ArtifactId) -> Self {
        Self {
            artifact,
            line: None,
            offset: None,
        }
    }

    /// Evidence at a given 1-based line.
    pub const fn line(artifact: ArtifactId, line: u32) -> Self {
        Self {
            artifact,
            line: Some(line),
            offset: None,
        }
    }

    /// Evidence at a given 1-based line and byte offset.
    pub const fn at(artifact: ArtifactId, line: u32, offset: u64) -> Self {
        Self {
            artifact,
            line: Some(line),
            offset: Some(offset),
        }
    }
}
