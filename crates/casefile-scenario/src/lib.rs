//! Deterministic generator of synthetic OpenShift/OKD must-gather and node sosreport cases.
//!
//! Each scenario writes the archives a customer would upload (a `must-gather.tar.gz`, node
//! `sosreport-….tar.xz` files) plus a `truth.json` that states what an analyzer should find.
//! Certificates are real X.509 (RSA-2048 keys from a seeded `ChaCha20` stream, rcgen signatures);
//! the same seed gives byte-identical archives. See `docs/scenarios.md`.
#![forbid(unsafe_code)]

pub mod archive;
pub mod certs;
pub mod cluster;
pub mod kube;
pub mod lines;
pub mod mgwrite;
pub mod model;
pub mod pki;
pub mod plan;
pub mod rng;
pub mod scale;
pub mod scenarios;
pub mod soswrite;
pub mod t;
pub mod yaml;
