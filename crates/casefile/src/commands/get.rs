//! `casefile get`: objects as `oc get` prints them.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{GetFormat, Global};

/// A `get` query.
pub struct Query<'a> {
    /// Kind as typed.
    pub kind: &'a str,
    /// Name.
    pub name: Option<&'a str>,
    /// Namespace.
    pub namespace: Option<&'a str>,
    /// All namespaces.
    pub all_namespaces: bool,
    /// Label selector.
    pub selector: Option<&'a str>,
    /// Output format.
    pub output: GetFormat,
}

/// Runs `casefile get`.
pub fn run(global: &Global, archives: &[PathBuf], q: &Query<'_>) -> anyhow::Result<ExitCode> {
    let case = super::open_case(global, archives)?;
    let _ = (case, q.kind, q.name, q.namespace, q.all_namespaces, q.selector, q.output);
    anyhow::bail!("`get` is not implemented yet")
}
