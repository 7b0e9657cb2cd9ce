//! The merged timeline: a time-density histogram of the rows that pass the filter, then a
//! virtualized table (only the rows on screen are built), then the selected row in full.

use casefile_model::Severity;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, Sparkline, SparklineBar, Table, Wrap,
};

use super::{clip, fmt_time, fmt_time_ms};
use crate::app::App;
use crate::data::CaseData;
use crate::timeline::short_node;

/// Where the parts of the timeline page go.
pub struct TimelineLayout {
    /// Filter and counts.
    pub info: Rect,
    /// The histogram.
    pub histogram: Rect,
    /// Time axis under the histogram.
    pub axis: Rect,
    /// Column headers.
    pub header: Rect,
    /// The rows.
    pub list: Rect,
    /// The selected row in full.
    pub detail: Rect,
}

/// Splits the body.
pub fn layout(body: Rect) -> TimelineLayout {
    let hist = if body.height >= 30 { 4 } else { 2 };
    let detail = if body.height >= 30 { 4 } else { 3 };
    let [info, histogram, axis, header, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(hist),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail),
    ])
    .areas(body);
    TimelineLayout {
        info,
        histogram,
        axis,
        header,
        list,
        detail,
    }
}

fn sev_badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRIT",
        Severity::Warning => "WARN",
        Severity::Info => "info",
    }
}

/// Draws the timeline.
pub fn draw(app: &App, data: &CaseData, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let lay = layout(body);
    let entries = data.timeline();
    let st = &app.timeline;
    let v = st.visible(entries);
    let h = usize::from(lay.list.height);
    let cur = st.cur.visible(v.len(), h);

    // Info line: counts and filters.
    let filtered = st.rows.as_ref().map_or(entries.len(), |r| r.len());
    let mut info = vec![Span::styled(format!(" {} rows", v.len()), th.header())];
    if st.window.is_some() {
        info.push(Span::raw(" in window"));
        if filtered != v.len() {
            info.push(Span::styled(
                format!(" · {} outside (Z zoom out, c clear)", filtered - v.len()),
                th.dim(),
            ));
        }
    }
    if filtered != entries.len() {
        info.push(Span::styled(
            format!(" · {} total", entries.len()),
            th.dim(),
        ));
    }
    let desc = st.filter.describe();
    if !desc.is_empty() {
        info.push(Span::raw("  filter: "));
        info.push(Span::styled(desc, th.accent()));
    }
    if st.pending {
        info.push(Span::styled("  filtering…", th.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(info)), lay.info);

    // Histogram over the shown time range.
    let bins = usize::from(lay.histogram.width);
    let hist = st.histogram(entries, bins);
    let sel_at = v.entry(cur.sel).and_then(|i| entries.at(i));
    let sel_bin = sel_at.and_then(|t| st.bin_of(entries, t, bins));
    let bars: Vec<SparklineBar> = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let bar = SparklineBar::from(n);
            if Some(i) == sel_bin {
                bar.style(Some(th.target()))
            } else {
                bar
            }
        })
        .collect();
    frame.render_widget(
        Sparkline::default().data(bars).style(th.accent()),
        lay.histogram,
    );
    // Axis: start, span, end; a caret under the selected row's column where there is room.
    if let Some((from, to)) = st.span(entries) {
        let width = usize::from(lay.axis.width);
        let left = fmt_time(from);
        let right = fmt_time(to);
        let mut axis: Vec<char> = " ".repeat(width).chars().collect();
        let mut put = |at: usize, text: &str| {
            for (i, c) in text.chars().enumerate() {
                if let Some(slot) = axis.get_mut(at + i) {
                    *slot = c;
                }
            }
        };
        put(0, &left);
        let rstart = width.saturating_sub(right.chars().count());
        put(rstart, &right);
        let span = casefile::ingest::query::human_duration(to.duration_since(from));
        let mid = format!(" {span} ");
        let mstart = width.saturating_sub(mid.chars().count()) / 2;
        if mstart > left.chars().count() + 1 && mstart + mid.chars().count() + 1 < rstart {
            put(mstart, &mid);
        }
        if let Some(col) = sel_bin
            && axis.get(col) == Some(&' ')
        {
            axis[col] = '▲';
        }
        frame.render_widget(
            Paragraph::new(Line::styled(axis.into_iter().collect::<String>(), th.dim())),
            lay.axis,
        );
    }

    // The table: only the visible window is built.
    let narrow = body.width < 100;
    let widths: Vec<Constraint> = if narrow {
        vec![
            Constraint::Length(19),
            Constraint::Length(4),
            Constraint::Length(14),
            Constraint::Fill(1),
        ]
    } else {
        vec![
            Constraint::Length(23),
            Constraint::Length(4),
            Constraint::Length(15),
            Constraint::Length(15),
            Constraint::Fill(1),
        ]
    };
    let header: Vec<&str> = if narrow {
        vec!["TIME (UTC)", "SEV", "NODE/NS", "MESSAGE"]
    } else {
        vec!["TIME (UTC)", "SEV", "SOURCE", "NODE/NS", "MESSAGE"]
    };
    frame.render_widget(
        Table::new(Vec::<Row<'_>>::new(), widths.clone())
            .header(Row::new(header).style(th.header())),
        lay.header,
    );
    let msg_w = usize::from(body.width).saturating_sub(if narrow { 40 } else { 62 });
    let rows: Vec<Row<'_>> = (cur.off..(cur.off + h).min(v.len()))
        .filter_map(|i| {
            // Only the rows on screen are rendered.
            let e = data.timeline_entry(v.entry(i)?)?;
            let time = if narrow {
                fmt_time_ms(e.at)[5..].to_owned()
            } else {
                fmt_time_ms(e.at)
            };
            let node = e
                .node
                .as_deref()
                .map(short_node)
                .or(e.namespace.as_deref())
                .unwrap_or("");
            let msg = clip(&first_line(&e.message), msg_w);
            let mut cells = vec![
                Cell::from(Span::styled(time, th.dim())),
                Cell::from(Span::styled(sev_badge(e.severity), th.badge(e.severity))),
            ];
            if !narrow {
                cells.push(Cell::from(e.source.clone()));
            }
            cells.push(Cell::from(node.to_owned()));
            cells.push(Cell::from(Span::styled(msg, th.severity_text(e.severity))));
            let row = Row::new(cells);
            Some(if i == cur.sel {
                row.style(th.selected())
            } else {
                row
            })
        })
        .collect();
    if v.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                if st.pending {
                    "  filtering…"
                } else {
                    "  no rows match: c clears the filters"
                },
                th.dim(),
            )),
            lay.list,
        );
    } else {
        frame.render_widget(Table::new(rows, widths), lay.list);
    }

    // The selected row in full.
    if let Some(e) = v.entry(cur.sel).and_then(|i| data.timeline_entry(i)) {
        let mut head = vec![
            Span::styled(fmt_time_ms(e.at), th.header()),
            Span::styled(format!(" {} ", e.time_desc), th.dim()),
        ];
        if let Some(r) = &e.rule {
            head.push(Span::styled(format!("[{r}] "), th.accent()));
        }
        head.push(Span::styled(
            format!(
                "← {}:{}",
                data.content
                    .path(e.provenance.artifact)
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                e.provenance.line.unwrap_or(0)
            ),
            th.dim(),
        ));
        let mut pem = false;
        let msg = crate::redact::line(&e.message, &mut pem).into_owned();
        frame.render_widget(
            Paragraph::new(vec![Line::from(head), Line::raw(msg)])
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            lay.detail,
        );
    }
}

fn first_line(s: &str) -> String {
    match s.split_once('\n') {
        Some((a, _)) => format!("{a} …"),
        None => s.to_owned(),
    }
}
