//! casefile's correlation crate: from a decoded [`Snapshot`] to findings, a merged timeline,
//! certificate trust verdicts and failure cascades.
//!
//! It never reads archives: it sees the model only, plus a [`ContentSource`] for the raw
//! bytes behind provenance (log lines). "Now" is the snapshot's collection time; the output
//! order is deterministic at any thread count.

pub mod rules;
pub mod timeline;
pub mod trust;

pub use casefile_model::{ContentSource, Snapshot};
