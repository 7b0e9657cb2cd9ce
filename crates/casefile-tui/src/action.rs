//! What a key can do: the [`Action`]s the key map binds, with snake_case names for the TOML
//! patch, and the [`Msg`]s the event loop feeds the app (keys, loading progress, job results).

use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use serde::Deserialize;

use crate::data::CaseData;

/// A user action. The snake_case name is what `keys.toml` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave casefile.
    Quit,
    /// Show the key map of the current view.
    Help,
    /// Open the `:` command palette.
    Palette,
    /// Filter (or search, in the text viewer) with a regex.
    Filter,
    /// Go back one level.
    Back,
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Scroll left.
    Left,
    /// Scroll right.
    Right,
    /// Open what is selected (evidence, cascade, details).
    Select,
    /// Next pane or tab of the view.
    NextPane,
    /// Previous pane or tab of the view.
    PrevPane,
    /// Export the timeline as filtered (Timeline) or the post-mortem (elsewhere).
    Export,
    /// Show the overview.
    ViewOverview,
    /// Show the findings.
    ViewFindings,
    /// Show the timeline.
    ViewTimeline,
    /// Show the certificates.
    ViewCertificates,
    /// Show resources (pods unless another kind was chosen).
    ViewResources,
    /// Jump to the next warning or critical row.
    NextError,
    /// Jump to the previous warning or critical row.
    PrevError,
    /// Invert the text filter (keep rows that do not match).
    InvertFilter,
    /// Cycle the minimum severity (all, warning, critical).
    CycleSeverity,
    /// Cycle the source filter.
    CycleSource,
    /// Cycle the node filter.
    CycleNode,
    /// Cycle the namespace filter.
    CycleNamespace,
    /// Halve the time window around the selected row.
    ZoomIn,
    /// Double the time window.
    ZoomOut,
    /// Clear every filter and the zoom.
    ClearFilters,
    /// Next search match.
    SearchNext,
    /// Previous search match.
    SearchPrev,
    /// Wrap long lines or not.
    ToggleWrap,
    /// Show or hide the timestamps of log records.
    ToggleTimestamps,
    /// Show the object as collected (YAML).
    Yaml,
    /// A describe-like summary of the object.
    Describe,
    /// The pod's logs (all containers, merged by time).
    Logs,
    /// The pod's previous logs.
    PreviousLogs,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Self; 40] = [
        Self::Quit,
        Self::Help,
        Self::Palette,
        Self::Filter,
        Self::Back,
        Self::Up,
        Self::Down,
        Self::PageUp,
        Self::PageDown,
        Self::Top,
        Self::Bottom,
        Self::Left,
        Self::Right,
        Self::Select,
        Self::NextPane,
        Self::PrevPane,
        Self::Export,
        Self::ViewOverview,
        Self::ViewFindings,
        Self::ViewTimeline,
        Self::ViewCertificates,
        Self::ViewResources,
        Self::NextError,
        Self::PrevError,
        Self::InvertFilter,
        Self::CycleSeverity,
        Self::CycleSource,
        Self::CycleNode,
        Self::CycleNamespace,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::ClearFilters,
        Self::SearchNext,
        Self::SearchPrev,
        Self::ToggleWrap,
        Self::ToggleTimestamps,
        Self::Yaml,
        Self::Describe,
        Self::Logs,
        Self::PreviousLogs,
    ];

    /// The snake_case name used in `keys.toml`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Help => "help",
            Self::Palette => "palette",
            Self::Filter => "filter",
            Self::Back => "back",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page_up",
            Self::PageDown => "page_down",
            Self::Top => "top",
            Self::Bottom => "bottom",
            Self::Left => "left",
            Self::Right => "right",
            Self::Select => "select",
            Self::NextPane => "next_pane",
            Self::PrevPane => "prev_pane",
            Self::Export => "export",
            Self::ViewOverview => "view_overview",
            Self::ViewFindings => "view_findings",
            Self::ViewTimeline => "view_timeline",
            Self::ViewCertificates => "view_certificates",
            Self::ViewResources => "view_resources",
            Self::NextError => "next_error",
            Self::PrevError => "prev_error",
            Self::InvertFilter => "invert_filter",
            Self::CycleSeverity => "cycle_severity",
            Self::CycleSource => "cycle_source",
            Self::CycleNode => "cycle_node",
            Self::CycleNamespace => "cycle_namespace",
            Self::ZoomIn => "zoom_in",
            Self::ZoomOut => "zoom_out",
            Self::ClearFilters => "clear_filters",
            Self::SearchNext => "search_next",
            Self::SearchPrev => "search_prev",
            Self::ToggleWrap => "toggle_wrap",
            Self::ToggleTimestamps => "toggle_timestamps",
            Self::Yaml => "yaml",
            Self::Describe => "describe",
            Self::Logs => "logs",
            Self::PreviousLogs => "previous_logs",
        }
    }

    /// One line for the help screen.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Help => "this help",
            Self::Palette => "command palette (:pods, :nodes, :co, :events, :timeline ...)",
            Self::Filter => "filter / search (regex)",
            Self::Back => "back",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::Top => "first row",
            Self::Bottom => "last row",
            Self::Left => "scroll left",
            Self::Right => "scroll right",
            Self::Select => "open (evidence, cascade, details)",
            Self::NextPane => "next pane",
            Self::PrevPane => "previous pane",
            Self::Export => "export timeline filter (Timeline) or post-mortem",
            Self::ViewOverview => "overview",
            Self::ViewFindings => "findings",
            Self::ViewTimeline => "timeline",
            Self::ViewCertificates => "certificates",
            Self::ViewResources => "resources",
            Self::NextError => "next warning/critical",
            Self::PrevError => "previous warning/critical",
            Self::InvertFilter => "invert text filter",
            Self::CycleSeverity => "minimum severity: all, warning, critical",
            Self::CycleSource => "cycle source filter",
            Self::CycleNode => "cycle node filter",
            Self::CycleNamespace => "cycle namespace filter",
            Self::ZoomIn => "zoom in on the selected time",
            Self::ZoomOut => "zoom out",
            Self::ClearFilters => "clear filters and zoom",
            Self::SearchNext => "next match",
            Self::SearchPrev => "previous match",
            Self::ToggleWrap => "wrap long lines",
            Self::ToggleTimestamps => "show/hide timestamps",
            Self::Yaml => "YAML as collected",
            Self::Describe => "describe",
            Self::Logs => "logs (containers merged by time)",
            Self::PreviousLogs => "previous logs",
        }
    }
}

/// What the loader reports while a case loads.
#[derive(Debug, Clone)]
pub enum LoadEvent {
    /// Input bytes consumed so far, of `total`.
    Progress {
        /// Bytes read so far.
        bytes: u64,
        /// Size of all inputs on disk.
        total: u64,
        /// Inputs finished, of `inputs`.
        files: usize,
        /// Inputs in the case.
        inputs: usize,
    },
    /// A new stage started (`indexing`, `assembling`, `analyzing`).
    Stage(String),
    /// Loading finished.
    Done(Arc<CaseData>),
    /// Loading failed.
    Failed(String),
}

/// Everything the event loop feeds the app.
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal was resized.
    Resize(u16, u16),
    /// A bound action.
    Action(Action),
    /// The loader reports.
    Load(LoadEvent),
    /// A background timeline filter finished.
    FilterDone {
        /// The filter generation it was computed for (stale results are dropped).
        generation: u64,
        /// Matching entry indices, in timeline order.
        rows: Vec<u32>,
    },
}
