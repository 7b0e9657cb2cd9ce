//! Add a signature rule at run time, from YAML text, and show what it matches.
//!
//! `cargo run -p casefile --example custom_rule -- [CASE]`
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// A site rule in the `rules/builtin.yaml` format: new rules are tried before the built-in
/// ones, and a rule with an existing id replaces it.
const MY_RULES: &str = r"
rules:
  - id: site-kubelet-unknown-authority
    title: Kubelet TLS verification failure (site rule)
    source: {kind: journal, unit: kubelet}
    any: ['x509: certificate signed by unknown authority']
    pattern: 'x509: certificate signed by unknown authority'
    severity: warning
    explain: Our runbook KB-1234 applies.
";

/// The case path from the first argument, else the embedded sample case.
fn case_path() -> PathBuf {
    std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation"),
        PathBuf::from,
    )
}

/// Opens the case with the extra rule and prints its hits (count, then the first few).
pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let case = casefile::Case::builder()
        .add_rules_yaml(MY_RULES)
        .open(&[path])?;
    let mine: Vec<_> = case
        .hits()
        .iter()
        .filter(|h| h.rule == "site-kubelet-unknown-authority")
        .collect();
    writeln!(out, "site-kubelet-unknown-authority: {} hits", mine.len())?;
    for hit in mine.iter().take(5) {
        let at = hit.at.map(|t| t.to_string()).unwrap_or_default();
        let node = hit.node.as_deref().unwrap_or("-");
        writeln!(
            out,
            "{at} {node} {}",
            case.content().path(hit.provenance.artifact)
        )?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&case_path(), &mut std::io::stdout().lock())
}
