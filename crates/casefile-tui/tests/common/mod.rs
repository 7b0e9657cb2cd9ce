//! Shared helpers: the sample case loaded once, an app over it, keys, rendering.
#![allow(dead_code, clippy::unwrap_used, clippy::missing_panics_doc)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use casefile_tui::action::Msg;
use casefile_tui::{App, AppOptions, CaseData};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The sample case, relative to the crate directory (tests run there), so that archive
/// labels in snapshots do not depend on where the repository is cloned.
pub const CASE: &str = "../../testdata/okd-415-ca-rotation";

struct Loaded {
    data: Arc<CaseData>,
    _cache: tempfile::TempDir,
}

/// The sample case, loaded once per test binary with a private cache directory.
pub fn data() -> Arc<CaseData> {
    static DATA: OnceLock<Loaded> = OnceLock::new();
    DATA.get_or_init(|| {
        let cache = tempfile::tempdir().unwrap();
        let opts = casefile::ingest::CaseOptions {
            cache_dir: Some(cache.path().to_owned()),
            ..Default::default()
        };
        let data = casefile_tui::data::load(
            &[PathBuf::from(CASE)],
            &opts,
            &casefile_correlate::AnalyzeOptions::default(),
            &|_| {},
        )
        .unwrap();
        Loaded {
            data: Arc::new(data),
            _cache: cache,
        }
    })
    .data
    .clone()
}

/// An app over the sample case at a fixed size, exporting into `export_dir`.
pub fn app_in(w: u16, h: u16, export_dir: PathBuf) -> App {
    let mut app = App::with_data(
        AppOptions {
            export_dir,
            ..AppOptions::default()
        },
        data(),
    );
    app.handle(Msg::Resize(w, h));
    app
}

/// An app over the sample case at a fixed size.
pub fn app(w: u16, h: u16) -> App {
    app_in(w, h, std::env::temp_dir())
}

/// Sends one key.
pub fn key(app: &mut App, code: KeyCode) {
    app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Types characters, one key each (`\n` is Enter, `\x1b` is Esc).
pub fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        key(app, code);
    }
}

/// Renders the app into a text screen (the TestBackend buffer).
pub fn render(app: &App) -> String {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| casefile_tui::view::draw(app, f)).unwrap();
    format!("{}", t.backend())
}

/// The rendered buffer (for style checks).
pub fn buffer(app: &App) -> ratatui::buffer::Buffer {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| casefile_tui::view::draw(app, f)).unwrap();
    t.backend().buffer().clone()
}
