//! Non-fatal problems met while reading a case.

use serde::{Deserialize, Serialize};

use crate::ArchiveId;

/// What sort of problem a [`Diagnostic`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The compressed stream or container is damaged or cut short.
    Corrupt,
    /// A path that tries to leave the archive (`..`, absolute) or is otherwise unsafe.
    UnsafePath,
    /// A link whose target is outside the archive, missing, or loops.
    BadLink,
    /// An entry type casefile does not read (devices, fifos).
    Unsupported,
    /// A size or ratio limit was hit; the entry was cut or skipped.
    Limit,
    /// A file whose content could not be parsed (YAML, JSON, PEM, ...).
    Parse,
    /// A name or content that is not valid UTF-8 and was read lossily.
    Encoding,
    /// Nested archives deeper than the configured cap.
    Nesting,
    /// The persistent index could not be read or written (analysis still ran).
    Cache,
}

/// A non-fatal problem: the file it concerns, and one sentence about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The archive concerned.
    pub archive: ArchiveId,
    /// The path inside the archive (empty when the archive itself is concerned).
    pub path: String,
    /// The kind of problem.
    pub kind: DiagnosticKind,
    /// A human sentence describing it.
    pub message: String,
}
