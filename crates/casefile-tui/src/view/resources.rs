//! Resource lists (`:pods`, `:nodes`, `:co`, `:events`, any kind of the case).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::app::App;
use crate::resources::{ResourcesState, Tone};

/// Where the parts of the resources page go.
pub struct ResourcesLayout {
    /// Kind, count, filter.
    pub info: Rect,
    /// Column headers.
    pub header: Rect,
    /// The rows.
    pub list: Rect,
}

/// Splits the body.
pub fn layout(body: Rect) -> ResourcesLayout {
    let [info, header, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(body);
    ResourcesLayout { info, header, list }
}

fn widths(r: &ResourcesState, total: u16) -> Vec<Constraint> {
    let n = r.columns.len();
    // Content widths (header included), capped.
    let mut w: Vec<usize> = r
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            r.rows
                .iter()
                .map(|x| x.cells.get(i).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
                .max(c.len())
                .min(60)
        })
        .collect();
    let fill = r.columns.iter().position(|c| *c == "MESSAGE");
    let avail = usize::from(total).saturating_sub(n.saturating_sub(1));
    // Shrink the widest fixed columns until the row fits (the message takes the rest).
    loop {
        let used: usize = w
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != fill)
            .map(|(_, x)| *x)
            .sum::<usize>()
            + if fill.is_some() { 20 } else { 0 };
        if used <= avail {
            break;
        }
        let Some((i, _)) = w
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != fill)
            .max_by_key(|(_, x)| **x)
        else {
            break;
        };
        if w[i] <= 8 {
            break;
        }
        w[i] -= 1;
    }
    w.iter()
        .enumerate()
        .map(|(i, x)| {
            if Some(i) == fill {
                Constraint::Fill(1)
            } else {
                Constraint::Length(u16::try_from(*x).unwrap_or(u16::MAX))
            }
        })
        .collect()
}

/// Draws a resource list.
pub fn draw(app: &App, r: &ResourcesState, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let lay = layout(body);
    let mut info = vec![
        Span::styled(format!(" {}", r.title()), th.header()),
        Span::raw(format!("  {} of {}", r.shown.len(), r.rows.len())),
    ];
    if !r.filter.is_empty() {
        info.push(Span::styled(format!("  /{}/", r.filter), th.accent()));
    }
    frame.render_widget(Paragraph::new(Line::from(info)), lay.info);
    let w = widths(r, lay.list.width);
    frame.render_widget(
        Table::new(Vec::<Row<'_>>::new(), w.clone())
            .header(Row::new(r.columns.clone()).style(th.header())),
        lay.header,
    );
    let h = usize::from(lay.list.height);
    let cur = r.cur.visible(r.shown.len(), h);
    let rows: Vec<Row<'_>> = r
        .shown
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .filter_map(|(i, &ri)| {
            let row = r.rows.get(ri)?;
            let mut out = Row::new(row.cells.clone());
            if row.tone == Tone::Bad {
                out = out.style(th.bad());
            }
            Some(if i == cur.sel {
                out.style(th.selected())
            } else {
                out
            })
        })
        .collect();
    if r.shown.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("  no objects", th.dim())),
            lay.list,
        );
    } else {
        frame.render_widget(Table::new(rows, w), lay.list);
    }
}
