//! casefile's terminal UI: explore a case the way k9s and lnav users expect.
//!
//! [`run`] takes the archives of one case, shows a loading screen at once while a
//! background thread reads, assembles and analyzes them, then opens on the findings. Views:
//! Overview, Findings → Cascade (Enter on a hop opens its evidence at the exact line),
//! Timeline (virtualized, with a time-density histogram, filters, zoom and `e`/`E` error
//! jumps), Certificates (inventory, trust matrix, signers), Resources (`:pods`, `:nodes`,
//! `:co`, `:events`, … with YAML, describe and logs) and a text viewer for evidence and
//! logs. `?` shows the key map in force; `docs/tui.md` documents the defaults.
//!
//! The app is Elm-style: [`App::handle`] updates the state from a [`Msg`] and
//! [`view::draw`] renders it as a pure function of that state, so tests drive the real app
//! with ratatui's `TestBackend`.
//!
//! The case is opened and analyzed through the library facade ([`casefile::Case`]), the same
//! path the CLI takes; resource queries and evidence use the parser crate's case it hands over.
//!
//! ```no_run
//! use std::path::PathBuf;
//! let opts = casefile_tui::RunOptions::default();
//! casefile_tui::run(&[PathBuf::from("testdata/okd-415-ca-rotation")], &opts)?;
//! # Ok::<(), casefile_tui::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod data;
pub mod keymap;
pub mod redact;
pub mod resources;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod view;
pub mod widgets;

mod event;

use std::path::PathBuf;

pub use action::{Action, LoadEvent, Msg};
pub use app::{App, AppOptions};
pub use data::CaseData;
pub use keymap::KeyMap;
pub use theme::Theme;

/// Why the UI could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The terminal could not be set up or drawn to.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The case could not be opened.
    #[error("{0}")]
    Load(String),
}

/// How to run the UI.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// How to open the case (cache directory, limits).
    pub case: casefile::ingest::CaseOptions,
    /// How to analyze it (rules).
    pub analyze: casefile_correlate::AnalyzeOptions,
    /// The key file (default: [`keymap::default_path`]).
    pub keys: Option<PathBuf>,
    /// Where `x` writes exports (default: the current directory).
    pub export_dir: Option<PathBuf>,
}

/// Runs the UI on a case until the user quits. The terminal is restored on return, on
/// panic and on Ctrl-C (a key in raw mode).
pub fn run(paths: &[PathBuf], opts: &RunOptions) -> Result<(), Error> {
    event::run(paths, opts)
}
