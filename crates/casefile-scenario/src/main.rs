//! `cargo xtask scenario <name|all|scale> --out <dir> [--seed N] [--size 1GiB]`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use casefile_scenario::scenarios::{self, COMMITTED, DEFAULT_SEED};
use clap::{Parser, Subcommand};

/// Synthetic case generator for casefile (dev tool).
#[derive(Parser)]
#[command(name = "casefile-scenario", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate a scenario (`all` = every committed scenario, one directory each under --out).
    Scenario {
        /// okd-415-ca-rotation, rotation-propagated, healthy, kubelet-client-ca-rotation, scale, all
        name: String,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Seed (the committed cases use the default).
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Uncompressed payload size for `scale` (e.g. 1GiB, 200MiB).
        #[arg(long, default_value = "1GiB")]
        size: String,
    },
}

fn parse_size(x: &str) -> Result<u64> {
    let x = x.trim();
    let (num, mul) = if let Some(n) = x.strip_suffix("GiB") {
        (n, 1u64 << 30)
    } else if let Some(n) = x.strip_suffix("MiB") {
        (n, 1 << 20)
    } else if let Some(n) = x.strip_suffix("KiB") {
        (n, 1 << 10)
    } else if let Some(n) = x.strip_suffix('G') {
        (n, 1 << 30)
    } else if let Some(n) = x.strip_suffix('M') {
        (n, 1 << 20)
    } else {
        (x, 1)
    };
    let v: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("bad size {x:?}"))?;
    if v <= 0.0 {
        bail!("size must be positive");
    }
    Ok((v * mul as f64) as u64)
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Scenario {
            name,
            out,
            seed,
            size,
        } => {
            let bytes = parse_size(&size)?;
            let names: Vec<&str> = if name == "all" {
                COMMITTED.to_vec()
            } else {
                vec![name.as_str()]
            };
            for n in names {
                let dir = if name == "all" {
                    out.join(n)
                } else {
                    out.clone()
                };
                let started = Instant::now();
                scenarios::generate(n, &dir, seed, bytes)?;
                eprintln!(
                    "{n}: wrote {} in {:.1}s",
                    dir.display(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(())
}
