//! Triage an upload: open it and print its findings as JSON.
//!
//! `cargo run -p casefile --example triage -- [CASE]` (default: the embedded sample case).
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

/// Writes the findings of the case at `path` as a JSON array.
pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let case = casefile::Case::open(&[path])?;
    for w in case.load_warnings() {
        eprintln!("warning: {}: {}", w.path, w.message);
    }
    serde_json::to_writer_pretty(&mut *out, case.findings())?;
    writeln!(out)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&case_path(), &mut std::io::stdout().lock())
}
