//! The `casefile` command line: thin wiring of the casefile libraries.
#![forbid(unsafe_code)]

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: a warm open builds some 300 MB of small
/// objects, and with glibc's malloc the page faults for them cost as much as decoding
/// (measured in `docs/benchmarks.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("casefile: {e:#}");
            ExitCode::from(2)
        }
    }
}
