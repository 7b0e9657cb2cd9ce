//! The help overlay, generated from the key map in force.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::App;
use crate::keymap::{Context, KeyMap};
use crate::theme::Theme;

/// The help lines for a context: its own bindings, then the global ones.
pub fn lines(keymap: &KeyMap, ctx: Context, th: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut section = |c: Context, title: String| {
        let b = keymap.bindings(c);
        if b.is_empty() {
            return;
        }
        out.push(Line::styled(title, th.header()));
        for (a, keys) in b {
            let ks: Vec<String> = keys.iter().map(ToString::to_string).collect();
            out.push(Line::from(vec![
                Span::styled(format!("  {:<18}", ks.join(" ")), th.accent()),
                Span::raw(a.description()),
            ]));
        }
        out.push(Line::raw(""));
    };
    if ctx != Context::Global {
        section(ctx, format!("{} keys", ctx.name()));
    }
    section(Context::Global, "everywhere".to_owned());
    out.push(Line::styled(
        "keys.toml in $XDG_CONFIG_HOME/casefile patches these (see docs/tui.md)",
        th.dim(),
    ));
    out
}

/// Draws the overlay.
pub fn draw(app: &App, scroll: usize, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let ctx = app.page().context();
    let all = lines(&app.keymap, ctx, th);
    let w = area.width.saturating_sub(4).min(76);
    let h = area.height.saturating_sub(4);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + 2;
    let popup = Rect::new(x, y, w, h);
    let max_scroll = all.len().saturating_sub(usize::from(h.saturating_sub(2)));
    let scroll = u16::try_from(scroll.min(max_scroll)).unwrap_or(0);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(all).scroll((scroll, 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" help · j/k scroll · any other key closes "),
        ),
        popup,
    );
}
