//! `casefile index`: the case summary.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use casefile_ingest::summary::CaseSummary;

use crate::cli::{Global, SummaryFormat};

/// Runs `casefile index`.
pub fn run(
    global: &Global,
    archives: &[PathBuf],
    format: SummaryFormat,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let case = super::open_case(global, archives)?;
    let summary: &CaseSummary = case.summary();
    let elapsed = started.elapsed();
    match format {
        SummaryFormat::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        SummaryFormat::Text => print!("{}", render(summary, elapsed)),
    }
    Ok(ExitCode::SUCCESS)
}

fn ts(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(
        || "-".to_owned(),
        |t| t.strftime("%Y-%m-%d %H:%M:%SZ").to_string(),
    )
}

/// Renders the summary as text.
pub fn render(s: &CaseSummary, elapsed: std::time::Duration) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Case collected at {}", ts(s.collected_at));
    let _ = writeln!(
        o,
        "Cluster ID:   {}",
        s.cluster_id.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        o,
        "Version:      {}{}",
        s.version.as_deref().unwrap_or("-"),
        s.born_version
            .as_deref()
            .map(|b| format!(" (installed as {b})"))
            .unwrap_or_default()
    );
    let _ = writeln!(o, "Platform:     {}", s.platform.as_deref().unwrap_or("-"));
    let _ = writeln!(
        o,
        "Network:      {}",
        s.network_type.as_deref().unwrap_or("-")
    );
    if let Some(u) = &s.api_internal_url {
        let _ = writeln!(o, "API (int):    {u}");
    }
    if !s.history.is_empty() {
        let _ = writeln!(o, "\nUpdate history (newest first):");
        for h in &s.history {
            let _ = writeln!(
                o,
                "  {:<40} {:<10} {} -> {}",
                h.version,
                h.state,
                ts(h.started),
                ts(h.completed)
            );
        }
    }
    if !s.nodes.is_empty() {
        let _ = writeln!(o, "\nNodes ({}):", s.nodes.len());
        let w = s
            .nodes
            .iter()
            .map(|n| n.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            o,
            "  {:<w$}  {:<8}  {:<22}  {:<22}  VERSION",
            "NAME", "STATUS", "ROLES", "SINCE"
        );
        for n in &s.nodes {
            let roles = if n.roles.is_empty() {
                "<none>".to_owned()
            } else {
                n.roles.join(",")
            };
            let _ = writeln!(
                o,
                "  {:<w$}  {:<8}  {:<22}  {:<22}  {}",
                n.name,
                n.status,
                roles,
                ts(n.since),
                n.kubelet_version
            );
        }
    }
    let _ = writeln!(o, "\nArchives ({}):", s.archives.len());
    for a in &s.archives {
        let _ = writeln!(
            o,
            "  {} [{}; {}; {} in {} files; {} objects; {} logs; {} ms]",
            a.path,
            a.format,
            a.load,
            casefile_export::human_bytes(a.bytes),
            a.files,
            a.objects,
            a.logs,
            a.elapsed_ms
        );
        for p in &a.parts {
            let root = if p.root.is_empty() {
                "."
            } else {
                p.root.as_str()
            };
            let host = match (&p.hostname, &p.node) {
                (Some(h), Some(n)) if h != n => format!(" host {h} (node {n})"),
                (Some(h), _) => format!(" host {h}"),
                _ => String::new(),
            };
            let when = p
                .collected_at
                .map(|t| {
                    format!(
                        ", collected {} from {}",
                        ts(Some(t)),
                        p.collected_from.as_deref().unwrap_or("?")
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(o, "    {} at {root}{host}{when}", p.kind.as_str());
        }
    }
    let _ = writeln!(o, "\nObjects: {} ({} kinds)", s.objects, s.kinds.len());
    let _ = writeln!(o, "Warnings: {}", s.warnings);
    let _ = writeln!(o, "Took {} ms", elapsed.as_millis());
    o
}
