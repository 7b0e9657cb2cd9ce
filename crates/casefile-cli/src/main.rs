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

/// Turns transparent huge pages off for the rest of this process, before a cold open.
///
/// mimalloc asks for huge pages, which is what makes the warm open fast (a few hundred
/// faults instead of 68,000). A cold open is different: it streams the whole input through
/// short-lived buffers, and on this project's 2-core VM its huge-page faults cost 1 s of
/// system time more after the host has reclaimed freed memory (measured in
/// `docs/benchmarks.md`). Best effort: an error leaves the default.
pub(crate) fn small_pages_for_a_cold_open() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

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
