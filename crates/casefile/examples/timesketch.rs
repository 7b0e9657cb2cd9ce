//! Export the merged timeline of a case as Timesketch JSONL (one event per line, UTC,
//! with provenance).
//!
//! `cargo run -p casefile --example timesketch -- [CASE] > case.jsonl`
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use casefile::TimelineFilter;

/// The case path from the first argument, else the embedded sample case.
fn case_path() -> PathBuf {
    std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation"),
        PathBuf::from,
    )
}

/// Writes the timeline of the case at `path` (warnings and above) as Timesketch JSONL.
pub fn run(path: &Path, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let case = casefile::Case::open(&[path])?;
    // Streamed: the rows are rendered as they are written, never all held at once.
    let timeline =
        case.timeline_stream(&TimelineFilter::new().min_severity(casefile::Severity::Warning));
    for gap in timeline.coverage().iter().filter(|c| c.is_gap()) {
        if let Some(note) = &gap.note {
            eprintln!("note: {note}");
        }
    }
    casefile::export::timeline_jsonl(out, timeline, case.content())?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&case_path(), &mut std::io::stdout().lock())
}
