//! The overview: who the cluster is, what version it runs and ran, when the data was
//! collected and from which archives, its nodes, degraded operators, findings by severity
//! and the data coverage gaps.

use casefile_model::{Severity, Snapshot};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{clip, fmt_time};
use crate::app::App;
use crate::data::CaseData;
use crate::theme::Theme;
use crate::timeline::short_node;

/// Degraded or unavailable operators: (name, condition text, message).
fn degraded(snapshot: &Snapshot) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = snapshot
        .cluster_operators
        .iter()
        .filter(|co| !co.value.is_healthy())
        .map(|co| {
            let c = &co.value;
            let mut bad = Vec::new();
            if c.condition_status("Degraded") == Some("True") {
                bad.push("Degraded");
            }
            if c.condition_status("Available") != Some("True") {
                bad.push("Unavailable");
            }
            if c.condition_status("Progressing") == Some("True") {
                bad.push("Progressing");
            }
            let msg = ["Degraded", "Available", "Progressing"]
                .iter()
                .filter_map(|k| c.condition(k))
                .find(|cond| match cond.kind.as_str() {
                    "Available" => cond.status != "True",
                    _ => cond.status == "True",
                })
                .and_then(|cond| cond.message.clone())
                .unwrap_or_default();
            (
                c.metadata.name.clone(),
                bad.join(","),
                crate::resources::one_line(&msg),
            )
        })
        .collect();
    out.sort();
    out
}

fn section(th: Theme, title: String) -> Line<'static> {
    Line::styled(title, th.header())
}

/// Left column: identity, findings, nodes, operators.
fn left(app: &App, data: &CaseData, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let mut l = Vec::new();
    let s = data.summary.as_ref();
    let kv = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<11}"), th.dim()),
            Span::raw(clip(&v, width.saturating_sub(11))),
        ])
    };
    l.push(section(th, "Cluster".into()));
    if let Some(s) = s {
        l.push(kv("ID", s.cluster_id.clone().unwrap_or_else(|| "-".into())));
        let version = match (&s.version, &s.born_version) {
            (Some(v), Some(b)) if v != b => format!("{v} (installed as {b})"),
            (Some(v), _) => v.clone(),
            _ => "-".into(),
        };
        l.push(kv("Version", version));
        let mut plat = Vec::new();
        if let Some(p) = &s.platform {
            plat.push(p.clone());
        }
        if let Some(n) = &s.network_type {
            plat.push(n.clone());
        }
        l.push(kv(
            "Platform",
            if plat.is_empty() {
                "-".into()
            } else {
                plat.join(" · ")
            },
        ));
        if let Some(u) = &s.api_internal_url {
            l.push(kv("API (int)", u.clone()));
        }
    }
    l.push(kv(
        "Collected",
        data.snapshot
            .collected_at
            .map_or_else(|| "unknown".into(), fmt_time),
    ));
    l.push(Line::raw(""));

    let findings = &data.analysis.findings;
    let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
    l.push(Line::from(vec![
        Span::styled("Findings   ", th.header()),
        Span::styled(
            format!(" {} critical ", count(Severity::Critical)),
            th.badge(Severity::Critical),
        ),
        Span::raw(" "),
        Span::styled(
            format!(" {} warning ", count(Severity::Warning)),
            th.badge(Severity::Warning),
        ),
        Span::raw(format!("  {} info", count(Severity::Info))),
    ]));
    for f in findings.iter().take(8) {
        let badge = match f.severity {
            Severity::Critical => "CRIT",
            Severity::Warning => "WARN",
            Severity::Info => "INFO",
        };
        l.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(badge, th.badge(f.severity)),
            Span::raw(" "),
            Span::raw(clip(&f.title, width.saturating_sub(8))),
        ]));
    }
    if findings.len() > 8 {
        l.push(Line::styled(
            format!("  … {} more (2)", findings.len() - 8),
            th.dim(),
        ));
    }
    l.push(Line::raw(""));

    if let Some(s) = s {
        l.push(section(th, format!("Nodes ({})", s.nodes.len())));
        for n in &s.nodes {
            let style = if n.status == "Ready" {
                th.good()
            } else {
                th.bad()
            };
            let since = n
                .since
                .map(|t| fmt_time(t)[..16].to_owned())
                .unwrap_or_default();
            let roles = clip(&n.roles.join(","), width.saturating_sub(46).max(6));
            l.push(Line::from(vec![
                Span::raw(format!("  {:<15} ", clip(short_node(&n.name), 15))),
                Span::styled(format!("{:<8} ", n.status), style),
                Span::styled(format!("{since:<16} "), th.dim()),
                Span::raw(roles),
            ]));
        }
        l.push(Line::raw(""));
    }

    let deg = degraded(&data.snapshot);
    l.push(section(th, format!("Degraded operators ({})", deg.len())));
    if deg.is_empty() {
        l.push(Line::styled("  none", th.good()));
    }
    let name_w = deg.iter().map(|d| d.0.len()).max().unwrap_or(0).min(24);
    for (name, cond, msg) in deg {
        let head = format!("  {name:<name_w$} {cond} ");
        let rest = width.saturating_sub(head.chars().count());
        l.push(Line::from(vec![
            Span::raw(format!("  {name:<name_w$} ")),
            Span::styled(format!("{cond} "), th.bad()),
            Span::styled(clip(&msg, rest), th.dim()),
        ]));
    }
    l
}

/// Right column: upgrade history, archives, coverage gaps, warnings.
fn right(app: &App, data: &CaseData, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let mut l = Vec::new();
    if let Some(s) = &data.summary {
        l.push(section(
            th,
            format!("Upgrade history ({}, newest first)", s.history.len()),
        ));
        for h in s.history.iter().take(12) {
            let when = h
                .started
                .map(|t| fmt_time(t)[..16].to_owned())
                .unwrap_or_default();
            let style = if h.state == "Completed" {
                th.dim()
            } else {
                th.bad()
            };
            l.push(Line::from(vec![
                Span::raw(format!("  {:<31} ", clip(&h.version, 31))),
                Span::styled(format!("{:<9} ", h.state), style),
                Span::styled(when, th.dim()),
            ]));
        }
        if s.history.len() > 12 {
            l.push(Line::styled(
                format!("  … {} older", s.history.len() - 12),
                th.dim(),
            ));
        }
        l.push(Line::raw(""));
        l.push(section(th, format!("Archives ({})", s.archives.len())));
        for a in &s.archives {
            let name = a.path.rsplit('/').next().unwrap_or(&a.path);
            l.push(Line::raw(format!(
                "  {}",
                clip(name, width.saturating_sub(2))
            )));
            for p in &a.parts {
                let who = p
                    .node
                    .as_deref()
                    .map(short_node)
                    .or(p.hostname.as_deref())
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default();
                let text = format!(
                    "    {}{who} · {} · {}",
                    p.kind.as_str(),
                    casefile_export::human_bytes(a.bytes),
                    p.collected_at
                        .map_or_else(|| "?".into(), |t| fmt_time(t)[..16].to_owned())
                );
                l.push(Line::styled(clip(&text, width), th.dim()));
            }
        }
        l.push(Line::raw(""));
    }
    let gaps: Vec<_> = data.analysis.timeline.gaps().collect();
    l.push(section(th, format!("Coverage gaps ({})", gaps.len())));
    if gaps.is_empty() {
        l.push(Line::styled(
            "  none: every node has kubelet, CRI-O and pod logs",
            th.good(),
        ));
    }
    for g in gaps {
        let text = g.note.clone().unwrap_or_else(|| {
            format!(
                "no {} for {}",
                g.source,
                g.node.as_deref().unwrap_or("the cluster")
            )
        });
        l.push(Line::styled(
            format!("  {}", clip(&text, width.saturating_sub(2))),
            th.bad(),
        ));
    }
    l.push(Line::raw(""));
    l.push(Line::from(vec![
        Span::styled("Read warnings ", th.header()),
        Span::raw(data.diagnostics.len().to_string()),
        Span::styled(
            format!(
                "   timeline {} rows · {} certificates",
                data.timeline().len(),
                data.snapshot.certificates.len()
            ),
            th.dim(),
        ),
    ]));
    l
}

fn two_columns(width: u16) -> bool {
    width >= 110
}

/// The number of lines the overview has at the current width (for scrolling).
pub fn line_count(app: &App, data: &CaseData) -> usize {
    let w = usize::from(app.size.0);
    if two_columns(app.size.0) {
        left(app, data, w / 2)
            .len()
            .max(right(app, data, w / 2).len())
    } else {
        left(app, data, w).len() + right(app, data, w).len() + 1
    }
}

/// Draws the overview.
pub fn draw(app: &App, data: &CaseData, frame: &mut Frame<'_>, body: Rect) {
    let off = u16::try_from(app.overview.off).unwrap_or(u16::MAX);
    if two_columns(body.width) {
        let [a, _, b] = Layout::horizontal([
            Constraint::Percentage(50),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(body);
        let la = left(app, data, usize::from(a.width));
        let rb = right(app, data, usize::from(b.width));
        frame.render_widget(Paragraph::new(la).scroll((off, 0)), a);
        frame.render_widget(Paragraph::new(rb).scroll((off, 0)), b);
    } else {
        let w = usize::from(body.width);
        let mut all = left(app, data, w);
        all.push(Line::raw(""));
        all.extend(right(app, data, w));
        frame.render_widget(Paragraph::new(all).scroll((off, 0)), body);
    }
}
