//! `casefile diagnose` and `casefile report`: findings, cascades and the post-mortem.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use casefile::RuleSet;
use casefile_export::diagnosis::{DiagnoseReport, diagnose_text, postmortem_markdown};

use crate::cli::{DiagnoseFormat, Global};

/// Where the result goes.
pub enum Output<'a> {
    /// Printed in a format.
    Stdout(DiagnoseFormat),
    /// The Markdown post-mortem written to a file (`-` = stdout).
    Report(&'a Path),
}

/// Loads the built-in rules plus the user's.
pub fn load_rules(paths: &[PathBuf]) -> anyhow::Result<RuleSet> {
    let mut rules = RuleSet::builtin();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rules file {}", path.display()))?;
        let extra = RuleSet::from_yaml(&text)
            .with_context(|| format!("in rules file {}", path.display()))?;
        rules.extend(extra);
    }
    Ok(rules)
}

/// Runs the analysis and writes the result. Exits 0 whenever it ran.
pub fn run(
    global: &Global,
    archives: &[PathBuf],
    rules: &[PathBuf],
    output: &Output<'_>,
) -> anyhow::Result<ExitCode> {
    let rules = load_rules(rules)?;
    let case = super::open_case_with(global, archives, rules)?;
    let report: DiagnoseReport = case.diagnose();
    let text = match *output {
        Output::Stdout(DiagnoseFormat::Text) => diagnose_text(&report),
        Output::Stdout(DiagnoseFormat::Json) => {
            format!("{}\n", serde_json::to_string_pretty(&report)?)
        }
        Output::Stdout(DiagnoseFormat::Markdown) => {
            postmortem_markdown(&report, case.findings(), case.content())
        }
        Output::Report(path) => {
            let md = postmortem_markdown(&report, case.findings(), case.content());
            let md = if global.redact {
                casefile_export::redact::Redactor::for_snapshot(case.snapshot()).apply(&md)
            } else {
                md
            };
            if path != Path::new("-") {
                std::fs::write(path, md)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("post-mortem written to {}", path.display());
                return Ok(ExitCode::SUCCESS);
            }
            md
        }
    };
    let text = if global.redact {
        casefile_export::redact::Redactor::for_snapshot(case.snapshot()).apply(&text)
    } else {
        text
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
