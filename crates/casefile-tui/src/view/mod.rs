//! Drawing: [`draw`] renders the whole screen as a pure function of the [`App`]. Each page
//! has a module; layout helpers are shared with the app so that paging and mouse clicks
//! agree with what is drawn.

pub mod certs;
pub mod findings;
pub mod help;
pub mod overview;
pub mod resources;
pub mod text;
pub mod timeline;

use casefile_model::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

use crate::action::Action;
use crate::app::{App, COMMANDS, Mode, Page};

/// `2024-02-09 08:13:52Z`.
pub fn fmt_time(t: Timestamp) -> String {
    let dt = jiff::tz::TimeZone::UTC.to_datetime(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `2024-02-09 08:13:52.927` (milliseconds, UTC).
pub fn fmt_time_ms(t: Timestamp) -> String {
    let dt = jiff::tz::TimeZone::UTC.to_datetime(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1_000_000
    )
}

/// A signed duration, compact: `+5h59m`, `-46s`, `+9d11h`.
pub fn fmt_delta(d: jiff::SignedDuration) -> String {
    let neg = d.is_negative();
    let s = d.as_secs().unsigned_abs();
    let body = if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d{:02}h", s / 86_400, (s % 86_400) / 3600)
    };
    format!("{}{body}", if neg { "-" } else { "+" })
}

/// Truncates to `width` characters, with `…` when cut.
pub fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

const TABS: [(Action, &str, &str); 5] = [
    (Action::ViewOverview, "1", "Overview"),
    (Action::ViewFindings, "2", "Findings"),
    (Action::ViewTimeline, "3", "Timeline"),
    (Action::ViewCertificates, "4", "Certs"),
    (Action::ViewResources, "5", "Resources"),
];

fn tab_spans(app: &App) -> Vec<(Action, String, bool)> {
    let root = app.stack.first();
    TABS.iter()
        .map(|(a, _, name)| {
            let key = app
                .keymap
                .keys_for(crate::keymap::Context::Global, *a)
                .first()
                .map_or_else(String::new, ToString::to_string);
            let active = matches!(
                (a, root),
                (Action::ViewOverview, Some(Page::Overview))
                    | (Action::ViewFindings, Some(Page::Findings))
                    | (Action::ViewTimeline, Some(Page::Timeline))
                    | (Action::ViewCertificates, Some(Page::Certificates))
                    | (Action::ViewResources, Some(Page::Resources(_)))
            );
            (*a, format!(" {key} {name} "), active)
        })
        .collect()
}

/// The tab under a column of the top line.
pub fn tab_at(_area: Rect, column: u16) -> Option<Action> {
    // Tabs start after the " casefile " label.
    let mut x = 10u16;
    for (a, _, name) in TABS {
        let w = u16::try_from(name.len() + 4).unwrap_or(u16::MAX);
        if column >= x && column < x + w {
            return Some(a);
        }
        x += w;
    }
    None
}

/// The area between the two header lines and the status line.
pub fn body_area(area: Rect) -> Rect {
    Rect {
        x: area.x,
        y: area.y + 2.min(area.height),
        width: area.width,
        height: area.height.saturating_sub(3),
    }
}

/// The scrolling list of the current page (rows only, no header).
pub fn list_area(app: &App, area: Rect) -> Rect {
    let body = body_area(area);
    match app.page() {
        Page::Overview => body,
        Page::Findings => findings::layout(body).list,
        Page::Cascade(_) => findings::cascade_layout(body).list,
        Page::Timeline => timeline::layout(body).list,
        Page::Certificates => certs::list_area(app, body),
        Page::Resources(_) => resources::layout(body).list,
        Page::Text(_) => text::body_area(body),
    }
}

/// Draws the whole screen.
pub fn draw(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < 20 || area.height < 6 {
        frame.render_widget(Paragraph::new("casefile: terminal too small"), area);
        return;
    }
    let [top, crumbs, _, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let body = body_area(area);
    let th = app.theme;

    // Title and tabs.
    let mut spans = vec![Span::styled(" casefile ", th.title())];
    if app.data.is_some() {
        for (_, label, active) in tab_spans(app) {
            spans.push(Span::styled(
                label,
                if active {
                    th.tab_active()
                } else {
                    Style::new()
                },
            ));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), top);

    let Some(data) = app.data.clone() else {
        draw_loading(app, frame, body);
        draw_status(app, frame, bottom);
        return;
    };

    // Breadcrumbs.
    let crumbs_text = app.breadcrumbs().join(" › ");
    let collected = data
        .snapshot
        .collected_at
        .map(|t| format!("collected {}", fmt_time(t)))
        .unwrap_or_default();
    let room = usize::from(crumbs.width).saturating_sub(collected.chars().count() + 2);
    let left = clip(&format!(" {crumbs_text}"), room);
    let pad = usize::from(crumbs.width)
        .saturating_sub(left.chars().count() + collected.chars().count() + 1);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, th.header()),
            Span::raw(" ".repeat(pad)),
            Span::styled(collected, th.dim()),
        ])),
        crumbs,
    );

    match app.page() {
        Page::Overview => overview::draw(app, &data, frame, body),
        Page::Findings => findings::draw(app, &data, frame, body),
        Page::Cascade(c) => findings::draw_cascade(app, &data, c, frame, body),
        Page::Timeline => timeline::draw(app, &data, frame, body),
        Page::Certificates => certs::draw(app, &data, frame, body),
        Page::Resources(r) => resources::draw(app, r, frame, body),
        Page::Text(t) => text::draw(app, t, frame, body),
    }

    match &app.mode {
        Mode::Help(scroll) => help::draw(app, *scroll, frame, area),
        Mode::Palette(text) => draw_palette(app, text, frame, body),
        _ => {}
    }
    draw_status(app, frame, bottom);
}

fn draw_loading(app: &App, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let l = &app.loading;
    let w = body.width.min(70);
    let x = body.x + (body.width - w) / 2;
    let y = body.y + body.height / 3;
    let block = Rect::new(x, y, w, 6.min(body.height));
    let [title, gauge, detail] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(2),
    ])
    .areas(block);
    if let Some(err) = &l.error {
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("Cannot open the case", th.bad()),
                Line::raw(err.clone()),
                Line::raw(""),
                Line::styled("press q to quit", th.dim()),
            ])
            .wrap(Wrap { trim: false }),
            block,
        );
        return;
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("Opening the case: {}…", l.stage),
            th.header(),
        )),
        title,
    );
    let ratio = if l.total == 0 {
        0.0
    } else {
        (l.bytes as f64 / l.total as f64).clamp(0.0, 1.0)
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(format!("{:.0}%", ratio * 100.0))
            .gauge_style(th.accent()),
        gauge,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "{} of {} read · {} of {} archives",
                casefile_export::human_bytes(l.bytes),
                casefile_export::human_bytes(l.total),
                l.files,
                l.inputs
            ),
            th.dim(),
        )),
        detail,
    );
}

fn draw_status(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let line = match &app.mode {
        Mode::Filter(text) => {
            let what = match app.page() {
                Page::Text(_) => "search",
                _ => "filter",
            };
            Line::from(vec![
                Span::styled(format!("{what} /"), th.accent()),
                Span::raw(text.clone()),
                Span::styled("█", th.dim()),
                Span::styled("   enter apply · esc cancel", th.dim()),
            ])
        }
        Mode::Palette(text) => Line::from(vec![
            Span::styled(":", th.accent()),
            Span::raw(text.clone()),
            Span::styled("█", th.dim()),
            Span::styled("   tab complete · enter run · esc cancel", th.dim()),
        ]),
        _ => {
            if let Some(s) = &app.status {
                Line::styled(
                    format!(" {}", s.text),
                    if s.error { th.bad() } else { th.header() },
                )
            } else {
                let mut spans = Vec::new();
                for (k, what) in app.hints() {
                    spans.push(Span::styled(format!(" {k}"), th.accent()));
                    spans.push(Span::raw(format!(" {what} ")));
                }
                Line::from(spans)
            }
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_palette(app: &App, text: &str, frame: &mut Frame<'_>, body: Rect) {
    let th = app.theme;
    let word = text.split(' ').next().unwrap_or("");
    let matches: Vec<_> = COMMANDS
        .iter()
        .filter(|(n, aliases, _)| {
            word.is_empty() || n.starts_with(word) || aliases.iter().any(|a| a.starts_with(word))
        })
        .collect();
    let h = u16::try_from(matches.len().min(12)).unwrap_or(12) + 2;
    let w = body.width.min(64);
    let area = Rect::new(
        body.x,
        body.y + body.height.saturating_sub(h),
        w,
        h.min(body.height),
    );
    let lines: Vec<Line<'_>> = matches
        .iter()
        .map(|(n, aliases, what)| {
            let al = if aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", aliases.join(", "))
            };
            Line::from(vec![
                Span::styled(format!(" :{n}"), th.accent()),
                Span::styled(al, th.dim()),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" commands · any kind: :pods :cm :secrets :mcp … "),
        ),
        area,
    );
}
