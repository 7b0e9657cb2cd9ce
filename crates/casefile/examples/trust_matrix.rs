//! Walk the certificate trust matrix: each signer with its generations, then each consumer
//! × serving chain verdict (does the consumer trust the CA that signs what it connects to?).
//!
//! `cargo run -p casefile --example trust_matrix -- [CASE]`
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The case path from the first argument, else the embedded sample case.
fn case_path() -> PathBuf {
    std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation"),
        PathBuf::from,
    )
}

/// Prints signers, then one line per consumer × chain verdict.
pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let case = casefile::Case::open(&[path])?;
    let trust = case.trust();
    for signer in &trust.signers {
        writeln!(
            out,
            "signer {} ({} generations)",
            signer.name,
            signer.generations.len()
        )?;
    }
    for v in &trust.consumers {
        let verdict = if v.trusts_current { "trusts" } else { "STALE" };
        write!(out, "{verdict:6} {} -> {}", v.consumer, v.chain)?;
        if let Some(missing) = &v.missing_ca {
            write!(out, " (missing CA {})", missing.subject)?;
        }
        if let Some(at) = v.evidence.first() {
            let content = case.content();
            write!(
                out,
                " [{}:{}]",
                content.archive_label(at.artifact.archive),
                content.path(at.artifact)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&case_path(), &mut std::io::stdout().lock())
}
