//! Certificates: the inventory with details, the trust matrix (copies of trust × serving
//! chains, stale consumers first and highlighted), and signers with their generations,
//! rotations and hazards.

use casefile_model::ConsumerVerdict;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{clip, fmt_time};
use crate::app::{App, CertPane};
use crate::data::CaseData;

/// The consumers of the trust matrix: stale ones first, then by name.
pub fn consumer_order(data: &CaseData) -> Vec<String> {
    let mut names: Vec<(bool, String)> = Vec::new();
    for v in &data.analysis.trust.consumers {
        if !names.iter().any(|(_, n)| *n == v.consumer) {
            names.push((false, v.consumer.clone()));
        }
    }
    for (stale, n) in &mut names {
        *stale = data
            .analysis
            .trust
            .consumers
            .iter()
            .any(|v| v.consumer == *n && v.is_stale());
    }
    names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    names.into_iter().map(|(_, n)| n).collect()
}

/// The verdicts of one consumer, stale first.
pub fn verdicts_of<'a>(data: &'a CaseData, consumer: &str) -> Vec<&'a ConsumerVerdict> {
    let mut v: Vec<_> = data
        .analysis
        .trust
        .consumers
        .iter()
        .filter(|v| v.consumer == consumer)
        .collect();
    v.sort_by_key(|v| !v.is_stale());
    v
}

struct CertsLayout {
    tabs: Rect,
    header: Rect,
    list: Rect,
    detail: Rect,
}

fn layout(body: Rect, pane: CertPane) -> CertsLayout {
    let detail_h = match pane {
        CertPane::Inventory => (body.height / 3).clamp(4, 12),
        CertPane::Trust => (body.height / 3).clamp(4, 10),
        CertPane::Signers => 0,
    };
    let header_h = u16::from(pane != CertPane::Signers);
    let [tabs, header, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(header_h),
        Constraint::Min(1),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    CertsLayout {
        tabs,
        header,
        list,
        detail,
    }
}

/// The list area of the current pane.
pub fn list_area(app: &App, body: Rect) -> Rect {
    layout(body, app.certs.pane).list
}

/// Draws the certificates page.
pub fn draw(app: &App, data: &CaseData, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let lay = layout(body, app.certs.pane);
    let tab = |p: CertPane, name: &str| {
        Span::styled(
            format!(" {name} "),
            if app.certs.pane == p {
                th.tab_active()
            } else {
                th.dim()
            },
        )
    };
    let stale = data.analysis.trust.stale().count();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            tab(
                CertPane::Inventory,
                &format!("Inventory ({})", app.certs.shown.len()),
            ),
            tab(CertPane::Trust, &format!("Trust ({stale} stale)")),
            tab(
                CertPane::Signers,
                &format!("Signers ({})", data.analysis.trust.signers.len()),
            ),
            Span::styled("  tab: next pane", th.dim()),
        ])),
        lay.tabs,
    );
    match app.certs.pane {
        CertPane::Inventory => inventory(app, data, frame, &lay),
        CertPane::Trust => trust(app, data, frame, &lay),
        CertPane::Signers => {
            let lines = signer_lines(app, data, usize::from(lay.list.width));
            let off = u16::try_from(app.certs.signers.off).unwrap_or(u16::MAX);
            frame.render_widget(Paragraph::new(lines).scroll((off, 0)), lay.list);
        }
    }
}

fn inventory(app: &App, data: &CaseData, frame: &mut Frame<'_>, lay: &CertsLayout) {
    let th = app.theme;
    let certs = &data.snapshot.certificates;
    let now = data.snapshot.collected_at;
    let h = usize::from(lay.list.height);
    let cur = app.certs.inv.visible(app.certs.shown.len(), h);
    let widths = [
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(20),
        Constraint::Length(10),
        Constraint::Length(3),
        Constraint::Length(4),
    ];
    frame.render_widget(
        Table::new(Vec::<Row<'_>>::new(), widths).header(
            Row::new([
                "SUBJECT CN",
                "ISSUER CN",
                "NOT AFTER",
                "EXPIRES",
                "CA",
                "SRC",
            ])
            .style(th.header()),
        ),
        lay.header,
    );
    let rows: Vec<Row<'_>> = app
        .certs
        .shown
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .filter_map(|(i, &ci)| {
            let e = certs.get(ci)?;
            let c = &e.cert;
            let expires = now.map_or_else(String::new, |n| {
                casefile::ingest::query::human_duration(c.not_after.duration_since(n))
            });
            let expired = now.is_some_and(|n| c.not_after < n);
            let row = Row::new(vec![
                Cell::from(c.subject_cn.clone().unwrap_or_else(|| c.subject.clone())),
                Cell::from(c.issuer_cn.clone().unwrap_or_else(|| c.issuer.clone())),
                Cell::from(fmt_time(c.not_after)),
                Cell::from(Span::styled(
                    if expired {
                        "EXPIRED".to_owned()
                    } else {
                        expires
                    },
                    if expired { th.bad() } else { th.dim() },
                )),
                Cell::from(if c.is_ca { "CA" } else { "" }),
                Cell::from(e.sources.len().to_string()),
            ]);
            Some(if i == cur.sel {
                row.style(th.selected())
            } else {
                row
            })
        })
        .collect();
    frame.render_widget(Table::new(rows, widths), lay.list);

    let Some(e) = app.certs.shown.get(cur.sel).and_then(|&i| certs.get(i)) else {
        return;
    };
    let c = &e.cert;
    let w = usize::from(lay.detail.width);
    let kv = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<10}"), th.dim()),
            Span::raw(clip(&v, w.saturating_sub(10))),
        ])
    };
    let mut lines = vec![
        kv("subject", c.subject.clone()),
        kv(
            "issuer",
            format!(
                "{}{}",
                c.issuer,
                if c.self_signed { " (self-signed)" } else { "" }
            ),
        ),
        kv(
            "validity",
            format!("{} → {}", fmt_time(c.not_before), fmt_time(c.not_after)),
        ),
        kv(
            "key",
            format!(
                "{} · serial {} · sha256 {}",
                c.key_type,
                clip(&c.serial, 20),
                clip(&c.sha256, 24)
            ),
        ),
    ];
    if !c.sans.is_empty() {
        lines.push(kv("SANs", c.sans.join(", ")));
    }
    for s in e
        .sources
        .iter()
        .take(usize::from(lay.detail.height).saturating_sub(lines.len() + 1))
    {
        lines.push(kv(
            "found in",
            format!(
                "{} {} ({})",
                s.object.as_deref().unwrap_or(""),
                s.key,
                data.short_location(&s.provenance)
            ),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP)),
        lay.detail,
    );
}

fn trust(app: &App, data: &CaseData, frame: &mut Frame<'_>, lay: &CertsLayout) {
    let th = app.theme;
    let report = &data.analysis.trust;
    let chains = &report.serving;
    let order = consumer_order(data);
    let h = usize::from(lay.list.height);
    let cur = app.certs.trust.visible(order.len(), h);
    if order.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "  no copies of trust were found for the known chains",
                th.dim(),
            )),
            lay.list,
        );
        return;
    }
    let cell_w: u16 = 11;
    let max_cols = usize::from(lay.list.width.saturating_sub(30) / cell_w).max(1);
    let cols: Vec<usize> = (0..chains.len().min(max_cols)).collect();
    let mut widths = vec![Constraint::Fill(1)];
    widths.extend(cols.iter().map(|_| Constraint::Length(cell_w)));
    let mut header = vec![Cell::from("CONSUMER (copy of trust)")];
    header.extend(cols.iter().map(|&i| {
        Cell::from(clip(
            &format!("[{}] {}", i + 1, chains[i].purpose),
            usize::from(cell_w),
        ))
    }));
    frame.render_widget(
        Table::new(Vec::<Row<'_>>::new(), widths.clone())
            .header(Row::new(header).style(th.header())),
        lay.header,
    );
    let rows: Vec<Row<'_>> = order
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .map(|(i, consumer)| {
            let verdicts = verdicts_of(data, consumer);
            let any_stale = verdicts.iter().any(|v| v.is_stale());
            let mut cells = vec![Cell::from(Span::styled(
                consumer.clone(),
                if any_stale {
                    th.bad()
                } else {
                    ratatui::style::Style::new()
                },
            ))];
            for &ci in &cols {
                let target = &chains[ci].target;
                let v = verdicts.iter().find(|v| v.chain == *target);
                let (text, style) = match v {
                    None => ("-".to_owned(), th.dim()),
                    Some(v) if v.is_stale() => ("STALE".to_owned(), th.bad()),
                    Some(v) if !v.trusts_current => ("superseded".to_owned(), th.dim()),
                    Some(_) => ("ok".to_owned(), th.good()),
                };
                cells.push(Cell::from(Span::styled(text, style)));
            }
            let row = Row::new(cells);
            if i == cur.sel {
                row.style(th.selected())
            } else {
                row
            }
        })
        .collect();
    frame.render_widget(Table::new(rows, widths), lay.list);

    // Details: the chains legend and the selected consumer's verdict notes.
    let mut lines = Vec::new();
    if let Some(consumer) = order.get(cur.sel) {
        for v in verdicts_of(data, consumer)
            .into_iter()
            .filter(|v| !v.trusts_current)
            .take(2)
        {
            let since = v
                .stale_since
                .map(|t| format!(" since {}", fmt_time(t)))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(
                    if v.is_stale() {
                        format!("STALE{since} ")
                    } else {
                        "superseded ".to_owned()
                    },
                    if v.is_stale() { th.bad() } else { th.dim() },
                ),
                Span::raw(v.note.clone()),
            ]));
        }
    }
    let legend: Vec<String> = cols
        .iter()
        .map(|&i| format!("[{}] {} {}", i + 1, chains[i].purpose, chains[i].target))
        .collect();
    lines.push(Line::styled(legend.join("  "), th.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::TOP)),
        lay.detail,
    );
}

/// The signers pane as lines (signers and generations, rotations, hazards).
pub fn signer_lines(app: &App, data: &CaseData, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let r = &data.analysis.trust;
    let mut l = Vec::new();
    l.push(Line::styled(
        format!("Rotations ({})", r.rotations.len()),
        th.header(),
    ));
    for rot in &r.rotations {
        l.push(Line::from(vec![
            Span::styled(format!("  {} ", fmt_time(rot.at)), th.dim()),
            Span::raw(rot.signer.clone()),
            if rot.premature {
                Span::styled("  PREMATURE", th.bad())
            } else {
                Span::raw("")
            },
        ]));
        let from = rot
            .from
            .as_ref()
            .map_or("(not in the case)", |c| c.subject.as_str());
        l.push(Line::styled(
            clip(&format!("      {from} → {}", rot.to.subject), width),
            th.dim(),
        ));
    }
    l.push(Line::raw(""));
    l.push(Line::styled(
        format!("Hazards ({})", r.hazards.len()),
        th.header(),
    ));
    for hz in &r.hazards {
        l.push(Line::from(vec![
            Span::styled(format!("  {} ", hz.kind), th.bad()),
            Span::raw(hz.object.clone()),
            Span::styled(
                hz.at
                    .map(|t| format!("  {}", fmt_time(t)))
                    .unwrap_or_default(),
                th.dim(),
            ),
        ]));
        l.push(Line::styled(
            clip(&format!("      {}", hz.detail), width),
            th.dim(),
        ));
    }
    l.push(Line::raw(""));
    l.push(Line::styled(
        format!("Signers ({})", r.signers.len()),
        th.header(),
    ));
    for s in &r.signers {
        l.push(Line::raw(format!("  {}", s.name)));
        for g in &s.generations {
            l.push(Line::from(vec![
                Span::raw("      "),
                Span::styled(
                    if g.current { "current " } else { "older   " },
                    if g.current { th.good() } else { th.dim() },
                ),
                Span::raw(clip(&g.cn, width.saturating_sub(60).max(20))),
                Span::styled(
                    format!(
                        "  born {} · until {}",
                        fmt_time(g.born),
                        fmt_time(g.not_after)
                    ),
                    th.dim(),
                ),
            ]));
        }
    }
    l
}
