//! Fatal errors: the input as a whole could not be read.

use std::path::PathBuf;

/// A fatal ingest error: the named input could not be opened or is not an archive.
///
/// Problems inside an archive that still loads are [`casefile_model::Diagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct Error {
    /// The input concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What made an input unreadable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file or directory could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not a format casefile reads.
    #[error("not an archive casefile can read ({0})")]
    UnknownFormat(String),
    /// The archive is damaged before its first entry.
    #[error("the archive is damaged and no file in it could be read: {0}")]
    Corrupt(String),
    /// Reading it would pass a safety cap of [`crate::archive::Limits`] (the xz decoder's
    /// memory, for instance) before its first entry.
    #[error("refused by a safety cap: {0}")]
    Limit(String),
}

impl Error {
    pub(crate) fn new(path: impl Into<PathBuf>, kind: impl Into<ErrorKind>) -> Self {
        Self {
            path: path.into(),
            kind: kind.into(),
        }
    }
}
