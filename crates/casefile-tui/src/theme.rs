//! Colours and emphasis. Only the 8 basic ANSI colours are used, on badges (dark text on a
//! coloured background) or for accents that read on light and dark terminals alike; plain
//! text keeps the terminal's own colours. With `NO_COLOR` set, every colour is dropped and
//! emphasis is carried by bold, underline and reverse video only.

use ratatui::style::{Color, Modifier, Style};

use casefile_model::Severity;

/// The palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours may be used.
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self { color: true }
    }
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: !no_color }
    }

    /// No colours at all.
    pub const fn mono() -> Self {
        Self { color: false }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// The selected row.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Table headers and section titles.
    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The title bar.
    pub fn title(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The active tab.
    pub fn tab_active(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Less important text (times, paths, hints).
    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// A severity badge.
    pub fn badge(self, s: Severity) -> Style {
        match (self.color, s) {
            (true, Severity::Critical) => Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            (true, Severity::Warning) => Style::new().fg(Color::Black).bg(Color::Yellow),
            (false, Severity::Critical) => {
                Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
            }
            (false, Severity::Warning) => Style::new().add_modifier(Modifier::BOLD),
            (_, Severity::Info) => Style::new(),
        }
    }

    /// Text of a severity (message of a critical row, ...).
    pub fn severity_text(self, s: Severity) -> Style {
        match s {
            Severity::Critical => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Magenta),
            Severity::Info => Style::new(),
        }
    }

    /// Good news (Ready, trusted).
    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }

    /// Bad news (NotReady, STALE, degraded).
    pub fn bad(self) -> Style {
        if self.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Accent (keys in the help, the histogram, search matches).
    pub fn accent(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD)
    }

    /// The evidence line in the text viewer.
    pub fn target(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// A search match.
    pub fn matched(self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// YAML keys.
    pub fn yaml_key(self) -> Style {
        self.fg(Color::Blue)
    }

    /// YAML comments and document markers.
    pub fn yaml_comment(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::DIM)
    }
}
