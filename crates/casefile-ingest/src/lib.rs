//! casefile's parser crate: archives → index → typed model.
//!
//! [`Case::open`] reads one or more inputs (directories, `.tar`, `.tar.gz`, `.tar.xz`,
//! `.tar.zst`, `.zip`, with compressed and nested members) in one streaming pass, never
//! extracting to disk. It detects the collections inside (must-gather, `oc adm inspect`,
//! sosreport, Insights), finds every Kubernetes object with a shallow scanner, and keeps a
//! persistent index in the cache directory so a second open is fast. Typed decoding of an
//! object happens on demand with [`Case::decode`].
//!
//! ```no_run
//! use casefile_ingest::{Case, CaseOptions};
//! let case = Case::open(&["must-gather.tar.gz".into()], &CaseOptions::default())?;
//! for d in case.diagnostics() {
//!     eprintln!("{}: {}", d.path, d.message);
//! }
//! println!("{} objects", case.objects().len());
//! # Ok::<(), casefile_ingest::Error>(())
//! ```

// One reviewed `unsafe` block: the read-only mmap of the cache blob (`cache::map_file`, with
// its SAFETY proof). Everything else in this crate is safe code; `forbid` would not allow that
// one `#[allow]`.
#![deny(unsafe_code)]

pub mod archive;
pub mod assemble;
pub mod cache;
pub mod case;
pub mod certs;
pub mod decode;
mod error;
#[doc(hidden)]
pub mod fastyaml;
pub mod index;
pub mod layout;
pub mod logs;
pub mod predecode;
pub mod prune;
pub mod query;
pub mod spool;
pub mod store;
pub mod summary;
pub mod timefmt;
pub mod timing;
pub mod x509;
pub mod yamlscan;

pub use case::{Case, CaseOptions, LoadMode, LoadedArchive, NodeNames, ObjectRef};
pub use error::{Error, ErrorKind};
