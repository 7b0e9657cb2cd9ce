//! One module per subcommand.

mod certs;
mod diagnose;
mod get;
mod index;
mod open;
mod timeline;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use casefile::{Case, RuleSet};

use crate::cli::{Cli, Command, Global};

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    casefile::ingest::timing::set_enabled(cli.global.timings);
    let _t = casefile::ingest::timing::Phase::start(|| "total".into());
    match &cli.command {
        Command::Index { archives, format } => index::run(&cli.global, archives, *format),
        Command::Get {
            kind,
            name,
            namespace,
            all_namespaces,
            selector,
            output,
            archives,
        } => get::run(
            &cli.global,
            archives,
            &get::Query {
                kind,
                name: name.as_deref(),
                namespace: namespace.as_deref(),
                all_namespaces: *all_namespaces,
                selector: selector.as_deref(),
                output: *output,
            },
        ),
        Command::Certs {
            archives,
            format,
            ca,
            expiring,
            namespace,
            trust,
        } => certs::run(
            &cli.global,
            archives,
            &certs::Query {
                format: *format,
                ca: *ca,
                expiring: expiring.as_deref(),
                namespace: namespace.as_deref(),
                trust: *trust,
            },
        ),
        Command::Timeline {
            archives,
            format,
            since,
            until,
            nodes,
            sources,
            rules,
            min_severity,
        } => timeline::run(
            &cli.global,
            archives,
            &timeline::Query {
                format: *format,
                since: since.as_deref(),
                until: until.as_deref(),
                nodes,
                sources,
                rules,
                min_severity,
            },
        ),
        Command::Diagnose {
            archives,
            format,
            rules,
        } => diagnose::run(
            &cli.global,
            archives,
            rules,
            &diagnose::Output::Stdout(*format),
        ),
        Command::Report {
            archives,
            output,
            rules,
        } => diagnose::run(
            &cli.global,
            archives,
            rules,
            &diagnose::Output::Report(output),
        ),
        Command::Open {
            archives,
            rules,
            keys,
            print_keys,
        } => open::run(&cli.global, archives, rules, keys.as_deref(), *print_keys),
    }
}

/// Opens a case with the global options and the built-in rules, printing warnings unless
/// `--quiet`.
pub fn open_case(global: &Global, archives: &[PathBuf]) -> anyhow::Result<&'static Case> {
    open_case_with(global, archives, RuleSet::builtin())
}

/// Opens a case with the global options and these rules, printing warnings unless `--quiet`.
/// The case lives until the process exits.
pub fn open_case_with(
    global: &Global,
    archives: &[PathBuf],
    rules: RuleSet,
) -> anyhow::Result<&'static Case> {
    let mut builder = Case::builder().no_cache(global.no_cache).rules(rules);
    if let Some(dir) = &global.cache_dir {
        builder = builder.cache_dir(dir);
    }
    if let Some(n) = global.threads {
        builder = builder.threads(n);
    }
    let bar = (!global.quiet && std::io::stderr().is_terminal()).then(|| reading_bar(archives));
    if let Some(bar) = &bar {
        let bar = bar.clone();
        let files = Arc::new(AtomicU64::new(0));
        builder = builder.progress(move |p| {
            bar.inc(p.bytes);
            if p.files > 0 {
                let n = files.fetch_add(p.files, Ordering::Relaxed) + p.files;
                if n % 64 < p.files {
                    bar.set_message(format!("{n} files"));
                }
            }
        });
    }
    if !builder.is_indexed(archives) {
        crate::small_pages_for_a_cold_open();
    }
    let case = builder.open(archives);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let case = case?;
    if !global.quiet {
        for d in case.load_warnings() {
            let archive = case.archive_label(d.archive);
            if d.path.is_empty() {
                eprintln!("warning: {archive}: {}", d.message);
            } else {
                eprintln!("warning: {archive}: {}: {}", d.path, d.message);
            }
        }
    }
    // A one-shot command uses its case until it exits: freeing the hundreds of megabytes of
    // a large case object by object only delays the exit (the kernel takes the pages back
    // at once), so the case is left to the end of the process.
    Ok(Box::leak(Box::new(case)))
}

/// A progress bar on stderr for reading the inputs: compressed bytes consumed out of the
/// inputs' size, files stored, throughput and time left. Directories count as size 0.
fn reading_bar(archives: &[PathBuf]) -> ProgressBar {
    let total: u64 = archives
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "reading {bar:30} {bytes}/{total_bytes} {msg} {binary_bytes_per_sec} {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message("0 files");
    bar
}
