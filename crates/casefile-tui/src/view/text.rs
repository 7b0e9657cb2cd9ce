//! The text viewer: evidence files at their line, YAML, describe output and merged logs,
//! with the evidence line highlighted, search matches marked, wrap and timestamps toggles.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::clip;
use crate::app::App;
use crate::text::{Syntax, TextState};
use crate::theme::Theme;

/// How the text page is split: header, lines, and a footer with the cursor line in full.
struct TextLayout {
    head: Rect,
    lines: Rect,
    footer: Rect,
}

fn layout(body: Rect) -> TextLayout {
    let footer = match body.height {
        20.. => 5,
        14..=19 => 4,
        _ => 0,
    };
    let [head, lines, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(footer),
    ])
    .areas(body);
    TextLayout {
        head,
        lines,
        footer,
    }
}

/// The lines area (below the header, above the footer).
pub fn body_area(body: Rect) -> Rect {
    layout(body).lines
}

fn yaml_spans(th: Theme, text: &str) -> Vec<Span<'static>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('#') || trimmed == "---" {
        return vec![Span::styled(text.to_owned(), th.yaml_comment())];
    }
    let indent = text.len() - trimmed.len();
    let (dash, rest) = match trimmed.strip_prefix("- ") {
        Some(r) => ("- ", r),
        None => ("", trimmed),
    };
    let key_end = rest
        .find(": ")
        .filter(|&i| !rest[..i].contains(' ') || rest[..i].starts_with('"'))
        .or_else(|| rest.strip_suffix(':').map(str::len));
    match key_end {
        Some(k) => vec![
            Span::raw(format!("{}{dash}", &text[..indent])),
            Span::styled(rest[..k].to_owned(), th.yaml_key()),
            Span::raw(rest[k..].to_owned()),
        ],
        None => vec![Span::raw(text.to_owned())],
    }
}

fn marked(th: Theme, text: &str, re: Option<&regex::Regex>, base: Style) -> Vec<Span<'static>> {
    let Some(re) = re else {
        return vec![Span::styled(text.to_owned(), base)];
    };
    let mut out = Vec::new();
    let mut last = 0;
    for m in re.find_iter(text) {
        if m.start() > last {
            out.push(Span::styled(text[last..m.start()].to_owned(), base));
        }
        if m.end() > m.start() {
            out.push(Span::styled(m.as_str().to_owned(), th.matched()));
        }
        last = m.end();
    }
    if last < text.len() {
        out.push(Span::styled(text[last..].to_owned(), base));
    }
    out
}

/// Draws the text viewer.
pub fn draw(app: &App, t: &TextState, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let lay = layout(body);
    let (head, area) = (lay.head, lay.lines);
    let h = usize::from(area.height);
    let cur = t.cur.visible(t.lines.len(), h);
    let mut flags = Vec::new();
    if t.wrap {
        flags.push("wrap");
    }
    if !t.timestamps {
        flags.push("no timestamps");
    }
    let right = format!(
        " line {}/{}{}{}",
        cur.sel + 1,
        t.lines.len(),
        if flags.is_empty() {
            String::new()
        } else {
            format!(" · {}", flags.join(" · "))
        },
        t.search
            .as_ref()
            .map(|(s, _)| format!(" · /{s}/"))
            .unwrap_or_default()
    );
    let room = usize::from(head.width).saturating_sub(right.chars().count());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{:<room$}", clip(&t.origin, room)), th.dim()),
            Span::styled(right, th.header()),
        ])),
        head,
    );

    let gutter_w = t
        .lines
        .iter()
        .skip(cur.off)
        .take(h)
        .map(|l| l.gutter.chars().count())
        .max()
        .unwrap_or(1)
        .max(4);
    let re = t.search.as_ref().map(|(_, re)| re);
    let lines: Vec<Line<'_>> = t
        .lines
        .iter()
        .enumerate()
        .skip(cur.off)
        .take(h)
        .map(|(i, l)| {
            let shown = l.shown(t.timestamps);
            let shown: String = if t.wrap {
                shown.to_owned()
            } else {
                shown.chars().skip(t.hscroll).collect()
            };
            let is_target = t.target == Some(i);
            let base = if is_target { th.target() } else { Style::new() };
            let mut spans = vec![Span::styled(
                format!("{:>gutter_w$} ", clip(&l.gutter, gutter_w)),
                if i == cur.sel {
                    th.selected()
                } else {
                    th.dim()
                },
            )];
            if is_target {
                spans.push(Span::styled("▶", th.target()));
            } else {
                spans.push(Span::raw(" "));
            }
            if t.syntax == Syntax::Yaml && !is_target && re.is_none() {
                spans.extend(yaml_spans(th, &shown));
            } else {
                spans.extend(marked(th, &shown, re, base));
            }
            Line::from(spans)
        })
        .collect();
    let mut p = Paragraph::new(lines);
    if t.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    frame.render_widget(p, area);

    // The cursor line in full (long journal lines do not fit a row).
    if lay.footer.height > 0
        && let Some(l) = t.lines.get(cur.sel)
    {
        let label = if t.target == Some(cur.sel) {
            "evidence "
        } else {
            ""
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{label}{}: ", l.gutter), th.accent()),
                Span::raw(l.shown(t.timestamps).to_owned()),
            ]))
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::TOP)),
            lay.footer,
        );
    }
}
