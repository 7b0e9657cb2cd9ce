//! Findings (most severe first) and a finding's cascade: the causal chain per node with
//! times and the time between hops; Enter on a hop opens its evidence.

use casefile_model::Severity;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{clip, fmt_delta, fmt_time};
use crate::app::{App, CascadeRow, CascadeState};
use crate::data::CaseData;
use crate::timeline::short_node;

/// Where the parts of the findings page go.
pub struct FindingsLayout {
    /// Column headers.
    pub header: Rect,
    /// The list rows.
    pub list: Rect,
    /// The selected finding's details.
    pub detail: Rect,
}

/// Splits the body.
pub fn layout(body: Rect) -> FindingsLayout {
    let detail_h = (body.height / 2).clamp(4, 14);
    let [header, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    FindingsLayout {
        header,
        list,
        detail,
    }
}

fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRIT",
        Severity::Warning => "WARN",
        Severity::Info => "INFO",
    }
}

/// Draws the findings list.
pub fn draw(app: &App, data: &CaseData, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let lay = layout(body);
    let findings = &data.analysis.findings;
    if findings.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("No findings.", th.good()),
                Line::raw(""),
                Line::styled(
                    "Nothing matched a known failure pattern; browse the timeline (3).",
                    th.dim(),
                ),
            ]),
            body,
        );
        return;
    }
    let h = usize::from(lay.list.height);
    let cur = app.findings.visible(findings.len(), h);
    let widths = [
        Constraint::Length(4),
        Constraint::Length(26),
        Constraint::Length(20),
        Constraint::Length(5),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(Vec::<Row<'_>>::new(), widths)
            .header(Row::new(["SEV", "ID", "STARTED", "NODES", "TITLE"]).style(th.header())),
        lay.header,
    );
    let rows: Vec<Row<'_>> = findings
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .map(|(i, f)| {
            let row = Row::new(vec![
                ratatui::widgets::Cell::from(Span::styled(badge(f.severity), th.badge(f.severity))),
                f.id.clone().into(),
                f.started_at.map(fmt_time).unwrap_or_default().into(),
                f.affected_nodes.len().to_string().into(),
                f.title.clone().into(),
            ]);
            if i == cur.sel {
                row.style(th.selected())
            } else {
                row
            }
        })
        .collect();
    frame.render_widget(Table::new(rows, widths), lay.list);

    if let Some(f) = findings.get(cur.sel) {
        let mut lines = vec![
            Line::from(vec![
                Span::styled(badge(f.severity), th.badge(f.severity)),
                Span::styled(format!(" {} — {}", f.id, f.title), th.header()),
            ]),
            Line::raw(f.summary.clone()),
        ];
        if !f.affected_nodes.is_empty() {
            let nodes: Vec<&str> = f.affected_nodes.iter().map(|n| short_node(n)).collect();
            lines.push(Line::from(vec![
                Span::styled("nodes: ", th.dim()),
                Span::raw(nodes.join(", ")),
            ]));
        }
        if let Some(ca) = &f.ca {
            lines.push(Line::from(vec![
                Span::styled("CA: ", th.dim()),
                Span::raw(format!(
                    "{} (sha256 {}…)",
                    ca.subject,
                    &ca.sha256[..ca.sha256.len().min(16)]
                )),
            ]));
        }
        if !f.cascade.is_empty() {
            lines.push(Line::styled(
                format!("enter: cascade of {} hops with evidence", f.cascade.len()),
                th.accent(),
            ));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            lay.detail,
        );
    }
}

/// Where the parts of the cascade page go.
pub struct CascadeLayout {
    /// The finding's title.
    pub title: Rect,
    /// The chain rows.
    pub list: Rect,
    /// The selected hop's details.
    pub detail: Rect,
}

/// Splits the body.
pub fn cascade_layout(body: Rect) -> CascadeLayout {
    let detail_h = (body.height / 3).clamp(4, 9);
    let [title, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    CascadeLayout {
        title,
        list,
        detail,
    }
}

/// Draws a finding's cascade.
pub fn draw_cascade(
    app: &App,
    data: &CaseData,
    c: &CascadeState,
    frame: &mut Frame<'_>,
    body: Rect,
) {
    let th = app.theme;
    let lay = cascade_layout(body);
    let Some(f) = data.analysis.findings.get(c.finding) else {
        return;
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(badge(f.severity), th.badge(f.severity)),
            Span::styled(format!(" {}", f.title), th.header()),
        ])),
        lay.title,
    );
    let h = usize::from(lay.list.height);
    let cur = c.cur.visible(c.rows.len(), h);
    let width = usize::from(lay.list.width);
    let wide = width >= 150;
    let lines: Vec<Line<'_>> = c
        .rows
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .map(|(i, r)| match r {
            CascadeRow::Group(name) => Line::styled(format!("▾ {name}"), th.header()),
            CascadeRow::Hop { hop, delta } => {
                let Some(hop_v) = f.cascade.get(*hop) else {
                    return Line::raw("");
                };
                let at = hop_v
                    .at
                    .map_or_else(|| "        (no time)   ".to_owned(), fmt_time);
                let delta = delta.map(fmt_delta).unwrap_or_default();
                let ev = hop_v
                    .evidence
                    .first()
                    .map(|p| data.short_location(p))
                    .unwrap_or_default();
                let stage = hop_v.stage.as_str();
                let fixed = 2 + 21 + 9 + 22;
                let (summary_w, ev_w) = if wide {
                    let ev_w = 36.min(width / 3);
                    (width.saturating_sub(fixed + ev_w + 2), ev_w)
                } else {
                    (width.saturating_sub(fixed), 0)
                };
                let mut spans = vec![
                    Span::raw("  "),
                    Span::styled(format!("{at} "), th.dim()),
                    Span::styled(format!("{delta:>8} "), th.accent()),
                    Span::raw(format!("{stage:<21} ")),
                    Span::raw(format!("{:<summary_w$}", clip(&hop_v.summary, summary_w))),
                ];
                if wide {
                    spans.push(Span::styled(format!("  {}", clip(&ev, ev_w)), th.dim()));
                }
                let line = Line::from(spans);
                if i == cur.sel {
                    line.style(th.selected())
                } else {
                    line
                }
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), lay.list);

    if let Some(hop) = c.selected_hop().and_then(|i| f.cascade.get(i)) {
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", hop.stage.as_str()), th.header()),
            Span::raw(
                hop.node
                    .as_deref()
                    .map_or("(cluster)", short_node)
                    .to_owned(),
            ),
            Span::styled(
                format!(
                    "  {} evidence line(s) · enter opens the first",
                    hop.evidence.len()
                ),
                th.dim(),
            ),
        ])];
        lines.push(Line::raw(hop.summary.clone()));
        if let Some(p) = hop.evidence.first() {
            let archive = data.label(p);
            let archive = archive.rsplit('/').next().unwrap_or(&archive).to_owned();
            lines.push(Line::from(vec![
                Span::styled("← ", th.accent()),
                Span::styled(format!("{archive} › {}", data.short_location(p)), th.dim()),
            ]));
            if let Some(text) = casefile_export::diagnosis::evidence_line(p, data.content.as_ref())
            {
                let mut pem = false;
                lines.push(Line::raw(crate::redact::line(&text, &mut pem).into_owned()));
            }
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            lay.detail,
        );
    }
}
