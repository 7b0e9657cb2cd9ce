//! Time: every instant in casefile is a UTC [`Timestamp`].

/// An instant in time (UTC, nanosecond precision). Re-exported from `jiff`.
pub use jiff::Timestamp;
