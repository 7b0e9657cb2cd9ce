//! `cargo xtask scenario <name|all|scale> --out <dir> [--seed N] [--size 1GiB]
//! [--sos-count 3 --sos-size 200MiB]`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use casefile_scenario::scale::ScaleOpts;
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
        /// Uncompressed payload size of the `scale` must-gather (e.g. 1GiB, 200MiB).
        #[arg(long, default_value = "1GiB")]
        size: String,
        /// `scale` only: number of node sosreports (0-6; workers and masters alternating).
        /// Default: the healthy case's single small sosreport.
        #[arg(long)]
        sos_count: Option<usize>,
        /// `scale` only: uncompressed payload of each sosreport (e.g. 200MiB): whole-node
        /// journal, kubelet/crio unit journals and /var/log files, written as one xz block with
        /// the preset sos itself uses (3). Default: no padding (small reports, preset 6).
        #[arg(long)]
        sos_size: Option<String>,
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
            sos_count,
            sos_size,
        } => {
            let bytes = parse_size(&size)?;
            let sos_bytes = sos_size
                .as_deref()
                .map(parse_size)
                .transpose()?
                .unwrap_or(0);
            if (sos_count.is_some() || sos_bytes > 0) && name != "scale" {
                bail!("--sos-count and --sos-size apply to the scale scenario only");
            }
            let opts = ScaleOpts {
                mg_bytes: bytes,
                sos_count,
                sos_bytes,
            };
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
                scenarios::generate_with(n, &dir, seed, &opts)?;
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
