//! The `casefile` command line: thin wiring of the casefile libraries.
#![forbid(unsafe_code)]

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

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
