//! Key bindings: defaults in code, patched by an optional TOML file
//! (`$XDG_CONFIG_HOME/casefile/keys.toml`, else `~/.config/casefile/keys.toml`).
//!
//! The patch names a context (`global`, `overview`, `findings`, `cascade`, `timeline`,
//! `certificates`, `resources`, `text`) and, in it, actions with one key or a list of keys.
//! A listed action gets exactly those keys in that context; everything else keeps its
//! default. A context binding wins over a global one.
//!
//! ```toml
//! [global]
//! quit = ["q", "ctrl-c"]
//!
//! [timeline]
//! next_error = "e"
//! zoom_in = ["z", "+"]
//! ```
//!
//! Keys: a character (`x`, `G`, `?`, `!`), or `ctrl-`/`alt-`/`shift-` plus a key, or a name:
//! `enter`, `esc`, `tab`, `backtab`, `backspace`, `delete`, `up`, `down`, `left`, `right`,
//! `home`, `end`, `pgup`, `pgdn`, `space`, `f1`…`f12`.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Every view (unless the view binds the key itself).
    Global,
    /// The overview.
    Overview,
    /// The findings list.
    Findings,
    /// A finding's cascade.
    Cascade,
    /// The timeline.
    Timeline,
    /// Certificates and trust.
    Certificates,
    /// Resource lists.
    Resources,
    /// The text viewer (evidence, logs, YAML).
    Text,
}

impl Context {
    /// Every context, global first.
    pub const ALL: [Self; 8] = [
        Self::Global,
        Self::Overview,
        Self::Findings,
        Self::Cascade,
        Self::Timeline,
        Self::Certificates,
        Self::Resources,
        Self::Text,
    ];

    /// The name used in `keys.toml`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Overview => "overview",
            Self::Findings => "findings",
            Self::Cascade => "cascade",
            Self::Timeline => "timeline",
            Self::Certificates => "certificates",
            Self::Resources => "resources",
            Self::Text => "text",
        }
    }

    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// One key with its modifiers, normalized (no SHIFT on characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift only for non-character keys).
    pub mods: KeyModifiers,
}

impl Key {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// A character key.
    pub const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// A Ctrl + character key.
    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The normalized key of a terminal key event.
    pub fn from_event(ev: KeyEvent) -> Self {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, mods }
    }

    /// Parses `q`, `G`, `ctrl-c`, `esc`, `shift-tab`, `pgdn`, ...
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 {
                if let Some(r) = lower
                    .strip_prefix("ctrl-")
                    .or_else(|| lower.strip_prefix("c-"))
                {
                    mods |= KeyModifiers::CONTROL;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
                if let Some(r) = lower
                    .strip_prefix("alt-")
                    .or_else(|| lower.strip_prefix("m-"))
                {
                    mods |= KeyModifiers::ALT;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
                if let Some(r) = lower.strip_prefix("shift-") {
                    mods |= KeyModifiers::SHIFT;
                    rest = &rest[rest.len() - r.len()..];
                    continue;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if mods.contains(KeyModifiers::SHIFT) {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::Char(c.to_ascii_uppercase())
                } else if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {s:?}")),
                },
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        Ok(Self { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The key map: for each context, each action's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    bindings: BTreeMap<(Context, Action), Vec<Key>>,
}

fn keys(list: &[&str]) -> Vec<Key> {
    list.iter().filter_map(|k| Key::parse(k).ok()).collect()
}

impl Default for KeyMap {
    fn default() -> Self {
        use Action as A;
        use Context as C;
        let table: &[(Context, Action, &[&str])] = &[
            (C::Global, A::Quit, &["q", "ctrl-c"]),
            (C::Global, A::Help, &["?", "f1"]),
            (C::Global, A::Palette, &[":"]),
            (C::Global, A::Filter, &["/"]),
            (C::Global, A::Back, &["esc", "-"]),
            (C::Global, A::Up, &["up", "k"]),
            (C::Global, A::Down, &["down", "j"]),
            (C::Global, A::PageUp, &["pgup", "ctrl-b"]),
            (C::Global, A::PageDown, &["pgdn", "ctrl-f", "space"]),
            (C::Global, A::Top, &["home", "g"]),
            (C::Global, A::Bottom, &["end", "G"]),
            (C::Global, A::Left, &["left", "h"]),
            (C::Global, A::Right, &["right", "l"]),
            (C::Global, A::Select, &["enter"]),
            (C::Global, A::NextPane, &["tab"]),
            (C::Global, A::PrevPane, &["backtab"]),
            (C::Global, A::Export, &["x"]),
            (C::Global, A::ViewOverview, &["1"]),
            (C::Global, A::ViewFindings, &["2"]),
            (C::Global, A::ViewTimeline, &["3"]),
            (C::Global, A::ViewCertificates, &["4"]),
            (C::Global, A::ViewResources, &["5"]),
            (C::Timeline, A::NextError, &["e"]),
            (C::Timeline, A::PrevError, &["E"]),
            (C::Timeline, A::InvertFilter, &["!"]),
            (C::Timeline, A::CycleSeverity, &["s"]),
            (C::Timeline, A::CycleSource, &["o"]),
            (C::Timeline, A::CycleNode, &["n"]),
            (C::Timeline, A::CycleNamespace, &["m"]),
            (C::Timeline, A::ZoomIn, &["z", "+"]),
            (C::Timeline, A::ZoomOut, &["Z"]),
            (C::Timeline, A::ClearFilters, &["c"]),
            (C::Text, A::SearchNext, &["n"]),
            (C::Text, A::SearchPrev, &["N"]),
            (C::Text, A::NextError, &["e"]),
            (C::Text, A::PrevError, &["E"]),
            (C::Text, A::ToggleWrap, &["w"]),
            (C::Text, A::ToggleTimestamps, &["t"]),
            (C::Resources, A::Yaml, &["y"]),
            (C::Resources, A::Describe, &["d"]),
            (C::Resources, A::Logs, &["l"]),
            (C::Resources, A::PreviousLogs, &["p"]),
        ];
        let mut bindings = BTreeMap::new();
        for (c, a, k) in table {
            bindings.insert((*c, *a), keys(k));
        }
        Self { bindings }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl KeyMap {
    /// The action a key triggers in a context (the context's own bindings first).
    pub fn action(&self, ctx: Context, key: Key) -> Option<Action> {
        let find = |c: Context| {
            self.bindings
                .iter()
                .find(|((bc, _), ks)| *bc == c && ks.contains(&key))
                .map(|((_, a), _)| *a)
        };
        find(ctx).or_else(|| find(Context::Global))
    }

    /// The keys of an action in a context (falling back to the global ones).
    pub fn keys_for(&self, ctx: Context, action: Action) -> &[Key] {
        self.bindings
            .get(&(ctx, action))
            .or_else(|| self.bindings.get(&(Context::Global, action)))
            .map_or(&[], Vec::as_slice)
    }

    /// The bindings of one context, in action order (what the help screen lists).
    pub fn bindings(&self, ctx: Context) -> Vec<(Action, &[Key])> {
        Action::ALL
            .iter()
            .filter_map(|a| {
                self.bindings
                    .get(&(ctx, *a))
                    .filter(|k| !k.is_empty())
                    .map(|k| (*a, k.as_slice()))
            })
            .collect()
    }

    /// Applies a TOML patch (see the module documentation).
    pub fn patch(&mut self, toml_text: &str) -> Result<(), String> {
        let doc: BTreeMap<String, BTreeMap<String, OneOrMany>> =
            toml::from_str(toml_text).map_err(|e| e.to_string())?;
        for (ctx_name, actions) in doc {
            let ctx = Context::from_name(&ctx_name)
                .ok_or_else(|| format!("unknown context [{ctx_name}]"))?;
            for (action_name, value) in actions {
                let action = Action::ALL
                    .into_iter()
                    .find(|a| a.name() == action_name)
                    .ok_or_else(|| format!("unknown action {action_name:?} in [{ctx_name}]"))?;
                let list = match value {
                    OneOrMany::One(k) => vec![k],
                    OneOrMany::Many(v) => v,
                };
                let parsed = list
                    .iter()
                    .map(|k| Key::parse(k))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{e} in [{ctx_name}] {action_name}"))?;
                self.bindings.insert((ctx, action), parsed);
            }
        }
        Ok(())
    }

    /// The defaults patched by the user's file, if it exists. A bad file gives the defaults
    /// and the reason.
    pub fn load(path: Option<&Path>) -> (Self, Option<String>) {
        let mut map = Self::default();
        let Some(path) = path else {
            return (map, None);
        };
        match std::fs::read_to_string(path) {
            Ok(text) => match map.patch(&text) {
                Ok(()) => (map, None),
                Err(e) => (Self::default(), Some(format!("{}: {e}", path.display()))),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (map, None),
            Err(e) => (map, Some(format!("{}: {e}", path.display()))),
        }
    }

    /// The whole key map as a TOML patch (every binding), for documentation and as a
    /// starting point for `keys.toml`.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for ctx in Context::ALL {
            let b = self.bindings(ctx);
            if b.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "[{}]", ctx.name());
            for (a, ks) in b {
                let list: Vec<String> = ks.iter().map(|k| format!("{:?}", k.to_string())).collect();
                let _ = writeln!(out, "{} = [{}]", a.name(), list.join(", "));
            }
        }
        out
    }
}

/// The user's key file: `$XDG_CONFIG_HOME/casefile/keys.toml`, else
/// `$HOME/.config/casefile/keys.toml`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("casefile").join("keys.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(Key::parse("q"), Ok(Key::ch('q')));
        assert_eq!(Key::parse("G"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("shift-g"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("ctrl-c"), Ok(Key::ctrl('c')));
        assert_eq!(Key::parse("C-C"), Ok(Key::ctrl('c')));
        assert_eq!(Key::parse("shift-tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("pgdn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("-"), Ok(Key::ch('-')));
        assert!(Key::parse("ctrl-").is_ok() || Key::parse("ctrl-").is_err());
        assert!(Key::parse("nonsense").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("").is_err());
        for k in [
            "q", "G", "ctrl-c", "esc", "backtab", "pgdn", "f1", "space", "?",
        ] {
            let key = Key::parse(k).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(Key::parse(&key.to_string()), Ok(key), "{k}");
        }
    }

    #[test]
    fn events_normalize() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ev), Key::ch('G'));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ev), Key::plain(KeyCode::BackTab));
    }

    #[test]
    fn context_wins_over_global() {
        let m = KeyMap::default();
        assert_eq!(
            m.action(Context::Timeline, Key::ch('n')),
            Some(Action::CycleNode)
        );
        assert_eq!(
            m.action(Context::Text, Key::ch('n')),
            Some(Action::SearchNext)
        );
        assert_eq!(
            m.action(Context::Overview, Key::ch('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            m.action(Context::Resources, Key::ch('l')),
            Some(Action::Logs)
        );
        assert_eq!(m.action(Context::Overview, Key::ch('~')), None);
    }

    #[test]
    fn patches_replace_bindings() {
        let mut m = KeyMap::default();
        m.patch("[timeline]\nnext_error = \"ctrl-n\"\n[global]\nquit = [\"Q\"]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            m.action(Context::Timeline, Key::ctrl('n')),
            Some(Action::NextError)
        );
        assert_eq!(m.action(Context::Timeline, Key::ch('e')), None);
        assert_eq!(
            m.action(Context::Overview, Key::ch('Q')),
            Some(Action::Quit)
        );
        assert_eq!(m.action(Context::Overview, Key::ch('q')), None);
        assert!(m.patch("[nowhere]\nquit = \"q\"").is_err());
        assert!(m.patch("[global]\nfly = \"q\"").is_err());
        assert!(m.patch("[global]\nquit = \"hyper-q\"").is_err());
        assert!(m.patch("not toml [").is_err());
    }

    #[test]
    fn shipped_example_and_defaults_round_trip() {
        let example = include_str!("../keys.example.toml");
        let mut m = KeyMap::default();
        m.patch(example).unwrap_or_else(|e| panic!("{e}"));
        let mut again = KeyMap::default();
        again
            .patch(&KeyMap::default().to_toml())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, KeyMap::default());
    }
}
