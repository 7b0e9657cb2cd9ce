//! Loads a case as `casefile open` does (open, snapshot, analysis, summary, facets), then
//! runs the timeline's text filter over every row, as the TUI's background filter does, and
//! prints how long each took. `scripts/bench.sh` runs it under `/usr/bin/time` for the
//! TUI's peak memory, which a terminal session makes hard to measure.
//!
//! ```text
//! cargo run --release -p casefile-tui --example load_case -- \
//!     [--cache-dir DIR] [--filter REGEX] ARCHIVE...
//! ```

use std::path::PathBuf;
use std::time::Instant;

use casefile::ingest::CaseOptions;
use casefile_tui::timeline::{TimelineFilter, compile, filter_rows};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut opts = CaseOptions::default();
    let mut text = String::from("NotReady");
    let mut paths = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cache-dir" => {
                opts.cache_dir = Some(args.next().ok_or("--cache-dir needs a directory")?.into());
            }
            "--filter" => text = args.next().ok_or("--filter needs a regex")?,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        return Err("usage: load_case [--cache-dir DIR] [--filter REGEX] ARCHIVE...".into());
    }
    let t = Instant::now();
    let analyze = casefile_correlate::AnalyzeOptions::default();
    let data = casefile_tui::data::load(&paths, &opts, &analyze, &|_| {})?;
    println!(
        "loaded {} timeline rows, {} findings in {:.2} s",
        data.timeline().len(),
        data.analysis.findings.len(),
        t.elapsed().as_secs_f64()
    );
    let re = compile(&text)?;
    let filter = TimelineFilter {
        text: text.clone(),
        ..TimelineFilter::default()
    };
    let t = Instant::now();
    let kept = filter_rows(data.timeline(), &filter, re.as_ref(), |i| {
        data.timeline_message(i)
    });
    println!(
        "/{text}/ kept {} rows in {:.2} s",
        kept.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
