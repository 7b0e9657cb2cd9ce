//! The facade's typed errors.

use std::path::PathBuf;

/// An error from the casefile library.
///
/// Its [`kind`](Error::kind) says what went wrong; its `Display` is one sentence naming the
/// input, file or kind concerned. Problems inside an input that still loads are not errors
/// but warnings ([`Case::warnings`](crate::Case::warnings)).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }
}

impl<T: Into<ErrorKind>> From<T> for Error {
    fn from(kind: T) -> Self {
        Self { kind: kind.into() }
    }
}

/// What went wrong. New kinds may be added in minor releases.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input could not be opened or is not an archive casefile reads.
    #[error(transparent)]
    Open(#[from] casefile_ingest::Error),
    /// A rules file could not be read.
    #[error("cannot read rules file {}: {error}", path.display())]
    RulesFile {
        /// The rules file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// Rules (YAML text or a file) do not parse.
    #[error("{}{}", path.as_ref().map(|p| format!("in rules file {}: ", p.display())).unwrap_or_default(), error)]
    Rules {
        /// The rules file, when the rules came from one.
        path: Option<PathBuf>,
        /// What is wrong with them.
        error: casefile_correlate::rules::RuleError,
    },
    /// An object query could not run: unknown kind or invalid label selector.
    #[error(transparent)]
    Query(#[from] casefile_ingest::query::QueryError),
    /// An object could not be read or decoded into the requested type.
    #[error("cannot decode {object}: {message}")]
    Decode {
        /// The object (`kind/namespace/name`).
        object: String,
        /// Why.
        message: String,
    },
    /// The worker thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// Why.
        message: String,
    },
}
