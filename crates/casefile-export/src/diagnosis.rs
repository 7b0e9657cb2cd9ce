//! The `diagnose` JSON contract and the Markdown post-mortem.
//!
//! The JSON shape is a published contract (its JSON Schema is in `docs/schema/diagnose.schema.json`,
//! generated from these types): embedding tools rely on it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use casefile_model::{ContentSource, Diagnostic, Finding, PartKind, Provenance, Snapshot};
use schemars::JsonSchema;
use serde::Serialize;

/// One evidence line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EvidenceRef {
    /// The archive, as the user named it.
    pub archive: String,
    /// Path inside the archive.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
}

/// One archive of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ArchiveRef {
    /// Path as given.
    pub path: String,
    /// `must-gather`, `inspect`, `sosreport`, `insights` or `unknown`.
    pub kind: String,
    /// The node a sosreport describes (Node name), when known.
    pub node: Option<String>,
}

/// The CA a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CaJson {
    /// Subject DN.
    pub subject: String,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: String,
    /// Not before (RFC 3339).
    pub not_before: String,
}

/// One cascade hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct HopJson {
    /// Stage: `ca-rotated`, `serving-cert-reissued`, `trust-not-propagated`,
    /// `kubelet-tls-failure`, `node-not-ready`, `multus-failure`, `sandbox-failure`, `network-degraded`.
    pub stage: String,
    /// First time seen (RFC 3339), when known.
    pub at: Option<String>,
    /// Node concerned, for per-node stages.
    pub node: Option<String>,
    /// What was seen.
    pub summary: String,
    /// Evidence lines.
    pub evidence: Vec<EvidenceRef>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FindingJson {
    /// Stable detector id.
    pub id: String,
    /// `critical`, `warning` or `info`.
    pub severity: String,
    /// One-line title.
    pub title: String,
    /// Explanation.
    pub summary: String,
    /// Start (RFC 3339).
    pub started_at: Option<String>,
    /// Affected nodes (Node names).
    pub affected_nodes: Vec<String>,
    /// The CA concerned.
    pub ca: Option<CaJson>,
    /// The causal chain.
    pub cascade: Vec<HopJson>,
    /// What to do, for this cluster (the first item may be a reviewable script).
    pub remediation: Vec<String>,
    /// Evidence behind the finding.
    pub evidence: Vec<EvidenceRef>,
}

/// A problem met while reading the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct WarningJson {
    /// Archive.
    pub archive: String,
    /// Path inside it (empty for the archive itself).
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// The whole `casefile diagnose --format json` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DiagnoseReport {
    /// The case's "now" (RFC 3339).
    pub collected_at: Option<String>,
    /// Archives of the case.
    pub archives: Vec<ArchiveRef>,
    /// Findings, most severe first.
    pub findings: Vec<FindingJson>,
    /// Problems met while reading.
    pub warnings: Vec<WarningJson>,
}

fn rfc3339(t: casefile_model::Timestamp) -> String {
    crate::datetime(t)
}

fn evidence(p: &Provenance, content: &dyn ContentSource) -> EvidenceRef {
    EvidenceRef {
        archive: content.archive_label(p.artifact.archive),
        path: content.path(p.artifact).to_owned(),
        line: p.line,
    }
}

fn part_kind(k: PartKind) -> String {
    k.as_str().to_owned()
}

impl DiagnoseReport {
    /// Builds the report.
    pub fn new(
        snapshot: &Snapshot,
        findings: &[Finding],
        warnings: &[Diagnostic],
        content: &dyn ContentSource,
    ) -> Self {
        let mut archives: BTreeMap<u16, ArchiveRef> = BTreeMap::new();
        for p in &snapshot.parts {
            archives.entry(p.archive.0).or_insert_with(|| ArchiveRef {
                path: content.archive_label(p.archive),
                kind: part_kind(p.kind),
                node: p.node.clone(),
            });
        }
        Self {
            collected_at: snapshot.collected_at.map(rfc3339),
            archives: archives.into_values().collect(),
            findings: findings
                .iter()
                .map(|f| FindingJson {
                    id: f.id.clone(),
                    severity: f.severity.as_str().to_owned(),
                    title: f.title.clone(),
                    summary: f.summary.clone(),
                    started_at: f.started_at.map(rfc3339),
                    affected_nodes: f.affected_nodes.clone(),
                    ca: f.ca.as_ref().map(|c| CaJson {
                        subject: c.subject.clone(),
                        sha256: c.sha256.clone(),
                        not_before: rfc3339(c.not_before),
                    }),
                    cascade: f
                        .cascade
                        .iter()
                        .map(|h| HopJson {
                            stage: h.stage.as_str().to_owned(),
                            at: h.at.map(rfc3339),
                            node: h.node.clone(),
                            summary: h.summary.clone(),
                            evidence: h.evidence.iter().map(|p| evidence(p, content)).collect(),
                        })
                        .collect(),
                    remediation: f.remediation.clone(),
                    evidence: f.evidence.iter().map(|p| evidence(p, content)).collect(),
                })
                .collect(),
            warnings: warnings
                .iter()
                .map(|d| WarningJson {
                    archive: content.archive_label(d.archive),
                    path: d.path.clone(),
                    message: d.message.clone(),
                })
                .collect(),
        }
    }

    /// The JSON Schema of this document.
    pub fn schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(DiagnoseReport)).unwrap_or_default()
    }
}

/// The text of the evidence line, trimmed (at most 400 characters), if it can be read.
pub fn evidence_line(p: &Provenance, content: &dyn ContentSource) -> Option<String> {
    let line = p.line?;
    let bytes = content.content(p.artifact)?;
    let text = match p.offset {
        Some(off) => {
            let start = usize::try_from(off).ok()?.min(bytes.len());
            let end = memchr_line_end(&bytes[start..]) + start;
            &bytes[start..end]
        }
        None => bytes
            .split(|b| *b == b'\n')
            .nth(usize::try_from(line).ok()?.checked_sub(1)?)?,
    };
    let s = String::from_utf8_lossy(text);
    let s = casefile_model::redact::private_keys(s.trim());
    let s = s.as_ref();
    Some(if s.chars().count() > 400 {
        format!("{}…", s.chars().take(400).collect::<String>())
    } else {
        s.to_owned()
    })
}

fn memchr_line_end(b: &[u8]) -> usize {
    b.iter().position(|c| *c == b'\n').unwrap_or(b.len())
}

/// Renders findings as text for a terminal.
pub fn diagnose_text(report: &DiagnoseReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Case collected at {}",
        report.collected_at.as_deref().unwrap_or("-")
    );
    for a in &report.archives {
        let _ = writeln!(
            o,
            "  {} [{}{}]",
            a.path,
            a.kind,
            a.node
                .as_deref()
                .map(|n| format!(", node {n}"))
                .unwrap_or_default()
        );
    }
    if report.findings.is_empty() {
        let _ = writeln!(o, "\nNo findings.");
    }
    for f in &report.findings {
        let _ = writeln!(
            o,
            "\n[{}] {} — {}",
            f.severity.to_uppercase(),
            f.id,
            f.title
        );
        let _ = writeln!(o, "  {}", f.summary);
        if let Some(t) = &f.started_at {
            let _ = writeln!(o, "  started: {t}");
        }
        if !f.affected_nodes.is_empty() {
            let _ = writeln!(o, "  affected nodes: {}", f.affected_nodes.join(", "));
        }
        if let Some(ca) = &f.ca {
            let _ = writeln!(
                o,
                "  CA: {} (sha256 {}, not before {})",
                ca.subject, ca.sha256, ca.not_before
            );
        }
        if !f.cascade.is_empty() {
            let _ = writeln!(o, "  cascade:");
            for h in &f.cascade {
                let ev = h
                    .evidence
                    .first()
                    .map(|e| {
                        format!(
                            "  ← {}:{}{}",
                            e.archive,
                            e.path,
                            e.line.map(|l| format!(":{l}")).unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "    {:<22} {:<28} {:<46} {}{ev}",
                    h.stage,
                    h.at.as_deref().unwrap_or("-"),
                    h.node.as_deref().unwrap_or("(cluster)"),
                    h.summary
                );
            }
        }
        if !f.remediation.is_empty() {
            let _ = writeln!(o, "  remediation:");
            for r in &f.remediation {
                for line in r.lines() {
                    let _ = writeln!(o, "    {line}");
                }
            }
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            o,
            "\n{} warning(s) while reading the archives",
            report.warnings.len()
        );
    }
    o
}

/// Renders the post-mortem a person would send: summary, impact window, the cascade with
/// times and the evidence lines quoted, remediation and follow-ups.
pub fn postmortem_markdown(
    report: &DiagnoseReport,
    findings: &[Finding],
    content: &dyn ContentSource,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Post-mortem\n");
    let _ = writeln!(
        o,
        "Data collected at {} from {} archive(s):\n",
        report.collected_at.as_deref().unwrap_or("unknown time"),
        report.archives.len()
    );
    for a in &report.archives {
        let _ = writeln!(
            o,
            "- `{}` ({}{})",
            a.path,
            a.kind,
            a.node
                .as_deref()
                .map(|n| format!(", node {n}"))
                .unwrap_or_default()
        );
    }
    let root = findings.first();
    let _ = writeln!(o, "\n## Summary\n");
    match root {
        Some(f) => {
            let _ = writeln!(
                o,
                "**{}** ({}): {}\n",
                f.title,
                f.severity.as_str(),
                f.summary
            );
        }
        None => {
            let _ = writeln!(o, "No problem was found in the archives.\n");
        }
    }
    if let Some(f) = root {
        let end = report.collected_at.as_deref().unwrap_or("collection");
        let start = f.started_at.map_or_else(|| "unknown".to_owned(), rfc3339);
        let _ = writeln!(o, "## Impact\n");
        let _ = writeln!(o, "- Window: {start} → still ongoing at {end}");
        if !f.affected_nodes.is_empty() {
            let _ = writeln!(
                o,
                "- Nodes affected ({}): {}",
                f.affected_nodes.len(),
                f.affected_nodes
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if let Some(ca) = &f.ca {
            let _ = writeln!(o, "- CA: `{}` (SHA-256 `{}`)", ca.subject, ca.sha256);
        }
        if !f.cascade.is_empty() {
            let _ = writeln!(o, "\n## What happened, in order\n");
            let _ = writeln!(o, "| time (UTC) | stage | node | what |");
            let _ = writeln!(o, "|---|---|---|---|");
            for h in &f.cascade {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    h.at.map_or_else(|| "-".to_owned(), rfc3339),
                    h.stage.as_str(),
                    h.node.as_deref().unwrap_or("cluster"),
                    h.summary.replace('|', "\\|")
                );
            }
            let _ = writeln!(o, "\n## Evidence\n");
            for h in &f.cascade {
                let Some(p) = h.evidence.first() else {
                    continue;
                };
                let e = evidence(p, content);
                let _ = writeln!(
                    o,
                    "- **{}**{} — `{}` `{}`{}",
                    h.stage.as_str(),
                    h.node
                        .as_deref()
                        .map(|n| format!(" on `{n}`"))
                        .unwrap_or_default(),
                    e.archive,
                    e.path,
                    e.line.map(|l| format!(" line {l}")).unwrap_or_default()
                );
                if let Some(line) = evidence_line(p, content) {
                    let _ = writeln!(o, "\n  ```\n  {line}\n  ```");
                }
            }
        }
        if !f.remediation.is_empty() {
            let _ = writeln!(o, "\n## Remediation\n");
            let mut rest = f.remediation.iter();
            if let Some(first) = rest.next() {
                if first.starts_with("#!") {
                    let _ = writeln!(o, "```sh\n{first}```\n");
                } else {
                    let _ = writeln!(o, "1. {first}");
                }
            }
            for (i, r) in rest.enumerate() {
                let _ = writeln!(o, "{}. {r}", i + 1);
            }
        }
    }
    let others: Vec<&Finding> = findings.iter().skip(1).collect();
    if !others.is_empty() {
        let _ = writeln!(o, "\n## Other findings\n");
        for f in others {
            let _ = writeln!(o, "- **{}** `{}`: {}", f.severity.as_str(), f.id, f.summary);
        }
    }
    let _ = writeln!(o, "\n## Follow-ups\n");
    let _ = writeln!(
        o,
        "- Monitor the `openshift-kube-apiserver-operator/loadbalancer-serving-ca` ConfigMap: a new CA there must reach every node before the api-int serving certificate is re-issued."
    );
    let _ = writeln!(
        o,
        "- Monitor each node's `/etc/kubernetes/kubeconfig` `certificate-authority-data` against that bundle."
    );
    let _ = writeln!(
        o,
        "- Alert on `x509: certificate signed by unknown authority` in kubelet and Multus logs."
    );
    if !report.warnings.is_empty() {
        let _ = writeln!(
            o,
            "\n## Data quality\n\n{} warning(s) while reading the archives (see `casefile index`).",
            report.warnings.len()
        );
    }
    o
}
