//! `casefile open`: the terminal UI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use casefile_correlate::AnalyzeOptions;
use casefile_ingest::CaseOptions;

use crate::cli::Global;

/// Opens the case in the terminal UI (or prints the default key bindings).
pub fn run(
    global: &Global,
    archives: &[PathBuf],
    rules: &[PathBuf],
    keys: Option<&Path>,
    print_keys: bool,
) -> anyhow::Result<ExitCode> {
    if print_keys {
        print!("{}", casefile_tui::KeyMap::default().to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("casefile open needs a terminal; use diagnose, timeline or report for text");
    }
    let rules = super::diagnose::load_rules(rules)?;
    let opts = casefile_tui::RunOptions {
        case: CaseOptions {
            cache_dir: global.cache_dir.clone(),
            no_cache: global.no_cache,
            ..CaseOptions::default()
        },
        analyze: AnalyzeOptions {
            rules,
            ..AnalyzeOptions::default()
        },
        keys: keys.map(Path::to_path_buf),
        export_dir: None,
    };
    casefile_tui::run(archives, &opts)?;
    Ok(ExitCode::SUCCESS)
}
