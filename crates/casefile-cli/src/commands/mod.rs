//! One module per subcommand.

mod certs;
mod diagnose;
mod get;
mod index;
mod open;
mod timeline;

use std::path::PathBuf;
use std::process::ExitCode;

use casefile::{Case, RuleSet};

use crate::cli::{Cli, Command, Global};

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
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
pub fn open_case(global: &Global, archives: &[PathBuf]) -> anyhow::Result<Case> {
    open_case_with(global, archives, RuleSet::builtin())
}

/// Opens a case with the global options and these rules, printing warnings unless `--quiet`.
pub fn open_case_with(
    global: &Global,
    archives: &[PathBuf],
    rules: RuleSet,
) -> anyhow::Result<Case> {
    let mut builder = Case::builder().no_cache(global.no_cache).rules(rules);
    if let Some(dir) = &global.cache_dir {
        builder = builder.cache_dir(dir);
    }
    let case = builder.open(archives)?;
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
    Ok(case)
}
