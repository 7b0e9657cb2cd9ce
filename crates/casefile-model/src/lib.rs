//! The vocabulary of casefile: plain data types, no I/O.
//!
//! Every fact casefile reports points back to the bytes it came from through a
//! [`Provenance`]: which archive of the case, which path inside it, which line.
//! Times are UTC [`Timestamp`]s; "now" is always the case's collection time,
//! never the wall clock.
//!
//! ```
//! use casefile_model::{ArchiveId, ArtifactId, Provenance};
//! let p = Provenance::line(ArtifactId::new(ArchiveId(0), 7), 42);
//! assert_eq!(p.line, Some(42));
//! ```
#![forbid(unsafe_code)]

pub mod analysis;
pub mod archive;
pub mod cert;
pub mod diagnostic;
pub mod kube;
pub mod log;
pub mod provenance;
pub mod redact;
pub mod snapshot;
pub mod time;
pub mod trust;

pub use analysis::{CaRef, CascadeHop, Finding, Severity, Stage, TimelineEntry};
pub use archive::{ArchiveKind, ArchiveSummary, CollectionTime, CollectionTimeSource, PartKind};
pub use cert::{CertSource, Certificate, InventoryEntry, NotCollected, Redaction};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use kube::{ObjectKey, ObjectMetaLite};
pub use log::{LogFormat, LogLevel, LogRecord};
pub use provenance::{ArchiveId, ArtifactId, Provenance};
pub use snapshot::{
    ContentSource, Located, LogFetchFailure, LogFile, LogSource, PartInfo, Snapshot,
};
pub use time::Timestamp;
pub use trust::{
    CertRef, ConsumerVerdict, Generation, Hazard, Rotation, ServingChain, Signer, TrustReport,
};
