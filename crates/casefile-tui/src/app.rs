//! The application state and its update function (Elm-style): [`App::handle`] takes a
//! [`Msg`] and changes the state; [`crate::view::draw`] renders it. Only view state lives
//! here (pages, cursors, filters); the case data is immutable and shared.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use casefile_model::{Provenance, Severity, Timestamp};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::action::{Action, LoadEvent, Msg};
use crate::data::CaseData;
use crate::keymap::{Context, Key, KeyMap};
use crate::resources::{self, ResourcesState};
use crate::text::{Syntax, TextState};
use crate::theme::Theme;
use crate::timeline::{self, TimelineState};
use crate::view;
use crate::widgets::Cursor;

/// Timelines longer than this are filtered on a worker thread (when one is available).
pub const BACKGROUND_FILTER_ROWS: usize = 200_000;

/// With a `/` text, which reads the text of the rows the other filters keep (about a
/// microsecond each), timelines longer than this are filtered on a worker thread, and only
/// when Enter is pressed.
pub const BACKGROUND_TEXT_FILTER_ROWS: usize = 25_000;

/// The length above which a timeline filtered by `filter` is filtered on a worker thread.
fn background_rows(filter: &timeline::TimelineFilter) -> usize {
    if filter.text.is_empty() {
        BACKGROUND_FILTER_ROWS
    } else {
        BACKGROUND_TEXT_FILTER_ROWS
    }
}

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Key bindings.
    pub keymap: KeyMap,
    /// Colours.
    pub theme: Theme,
    /// Where `x` writes exports.
    pub export_dir: PathBuf,
    /// Where background jobs report (`None`: run them inline, as tests do).
    pub jobs: Option<Sender<Msg>>,
    /// A problem with the user's key file, shown once.
    pub notice: Option<String>,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            keymap: KeyMap::default(),
            theme: Theme::default(),
            export_dir: PathBuf::from("."),
            jobs: None,
            notice: None,
        }
    }
}

/// One level of navigation.
#[derive(Debug, Clone)]
pub enum Page {
    /// The overview.
    Overview,
    /// The findings list.
    Findings,
    /// One finding's cascade.
    Cascade(CascadeState),
    /// The timeline.
    Timeline,
    /// Certificates and trust.
    Certificates,
    /// A resource list.
    Resources(Box<ResourcesState>),
    /// The text viewer.
    Text(Box<TextState>),
}

impl Page {
    /// The key-map context of the page.
    pub fn context(&self) -> Context {
        match self {
            Self::Overview => Context::Overview,
            Self::Findings => Context::Findings,
            Self::Cascade(_) => Context::Cascade,
            Self::Timeline => Context::Timeline,
            Self::Certificates => Context::Certificates,
            Self::Resources(_) => Context::Resources,
            Self::Text(_) => Context::Text,
        }
    }

    /// The breadcrumb of the page.
    pub fn crumb(&self, app: &App) -> String {
        match self {
            Self::Overview => "Overview".into(),
            Self::Findings => "Findings".into(),
            Self::Cascade(c) => app
                .data
                .as_ref()
                .and_then(|d| d.analysis.findings.get(c.finding))
                .map_or_else(|| "Cascade".into(), |f| format!("{} › cascade", f.id)),
            Self::Timeline => "Timeline".into(),
            Self::Certificates => "Certificates".into(),
            Self::Resources(r) => format!(":{}", r.title()),
            Self::Text(t) => t.title.clone(),
        }
    }
}

/// A row of the cascade view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CascadeRow {
    /// A group header: `cluster` or a node name.
    Group(String),
    /// A hop (index into the finding's cascade) and the time since the previous hop.
    Hop {
        /// Index into `Finding::cascade`.
        hop: usize,
        /// Time since the previous dated hop of the chain.
        delta: Option<jiff::SignedDuration>,
    },
}

/// The cascade view's state.
#[derive(Debug, Clone)]
pub struct CascadeState {
    /// Index of the finding.
    pub finding: usize,
    /// Rows (group headers and hops).
    pub rows: Vec<CascadeRow>,
    /// Cursor over the rows (always on a hop).
    pub cur: Cursor,
}

impl CascadeState {
    /// Groups a finding's hops into chains: consecutive hops of the same node (or of the
    /// cluster) form a group; the delta is from the previous dated hop (the cluster's last
    /// hop before a node's first).
    pub fn new(data: &CaseData, finding: usize) -> Self {
        let mut rows = Vec::new();
        if let Some(f) = data.analysis.findings.get(finding) {
            let mut group: Option<Option<&str>> = None;
            let mut prev_cluster: Option<Timestamp> = None;
            let mut prev: Option<Timestamp> = None;
            for (i, h) in f.cascade.iter().enumerate() {
                let node = h.node.as_deref();
                if group != Some(node) {
                    rows.push(CascadeRow::Group(node.unwrap_or("cluster").to_owned()));
                    group = Some(node);
                    prev = if node.is_some() { prev_cluster } else { prev };
                }
                let delta = match (prev, h.at) {
                    (Some(p), Some(at)) => Some(at.duration_since(p)),
                    _ => None,
                };
                rows.push(CascadeRow::Hop { hop: i, delta });
                if h.at.is_some() {
                    prev = h.at;
                    if node.is_none() {
                        prev_cluster = h.at;
                    }
                }
            }
        }
        let mut s = Self {
            finding,
            rows,
            cur: Cursor::default(),
        };
        s.cur.sel = s.first_hop_from(0, true).unwrap_or(0);
        s
    }

    fn first_hop_from(&self, from: usize, forward: bool) -> Option<usize> {
        let is_hop = |i: usize| matches!(self.rows.get(i), Some(CascadeRow::Hop { .. }));
        if forward {
            (from..self.rows.len()).find(|&i| is_hop(i))
        } else {
            (0..=from.min(self.rows.len().saturating_sub(1)))
                .rev()
                .find(|&i| is_hop(i))
        }
    }

    /// The selected hop's index in the finding's cascade.
    pub fn selected_hop(&self) -> Option<usize> {
        match self.rows.get(self.cur.sel) {
            Some(CascadeRow::Hop { hop, .. }) => Some(*hop),
            _ => None,
        }
    }
}

/// Certificates sub-panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CertPane {
    /// The inventory table and details.
    #[default]
    Inventory,
    /// Consumers × serving chains.
    Trust,
    /// Signers, generations, rotations, hazards.
    Signers,
}

/// The certificates view's state.
#[derive(Debug, Clone, Default)]
pub struct CertsState {
    /// Which pane.
    pub pane: CertPane,
    /// Inventory rows shown (indices into `snapshot.certificates`), sorted.
    pub shown: Vec<usize>,
    /// The `/` filter.
    pub filter: String,
    /// Inventory cursor.
    pub inv: Cursor,
    /// Trust matrix cursor (rows: consumers, stale first).
    pub trust: Cursor,
    /// Signers pane scroll.
    pub signers: Cursor,
}

/// What the bottom line is being used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Keys are actions.
    Normal,
    /// Typing a filter (`/`).
    Filter(String),
    /// Typing a command (`:`).
    Palette(String),
    /// The help overlay, scrolled.
    Help(usize),
}

/// Loading progress.
#[derive(Debug, Clone, Default)]
pub struct Loading {
    /// Current stage.
    pub stage: String,
    /// Bytes read.
    pub bytes: u64,
    /// Bytes to read.
    pub total: u64,
    /// Inputs read.
    pub files: usize,
    /// Inputs.
    pub inputs: usize,
    /// Why loading failed.
    pub error: Option<String>,
}

/// The status line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Text.
    pub text: String,
    /// Whether it reports a problem.
    pub error: bool,
}

/// Palette commands: name, aliases, what it does.
pub const COMMANDS: &[(&str, &[&str], &str)] = &[
    ("overview", &["o", "ov"], "cluster overview"),
    ("findings", &["f", "fi"], "findings"),
    ("timeline", &["t", "tl"], "merged timeline"),
    ("certs", &["certificates", "c"], "certificate inventory"),
    ("trust", &["tr"], "trust matrix"),
    ("signers", &["si"], "signers and rotations"),
    ("pods", &["po"], "pods"),
    ("nodes", &["no"], "nodes"),
    ("co", &["clusteroperators"], "cluster operators"),
    ("events", &["ev"], "events"),
    ("node", &[], "timeline filter: node NAME (empty clears)"),
    ("source", &["src"], "timeline filter: source NAME"),
    ("ns", &["namespace"], "timeline filter: namespace NAME"),
    (
        "severity",
        &["sev"],
        "timeline filter: info|warning|critical",
    ),
    ("export", &["x"], "export (like x)"),
    ("help", &["h"], "key map"),
    ("quit", &["q", "q!"], "quit"),
];

/// The application.
#[derive(Debug)]
pub struct App {
    /// The case, once loaded.
    pub data: Option<Arc<CaseData>>,
    /// Loading progress.
    pub loading: Loading,
    /// Navigation stack (never empty).
    pub stack: Vec<Page>,
    /// Overview scroll.
    pub overview: Cursor,
    /// Findings cursor.
    pub findings: Cursor,
    /// Timeline state.
    pub timeline: TimelineState,
    /// Certificates state.
    pub certs: CertsState,
    /// The last resource kind shown (for `5`).
    pub last_resources: Option<Box<ResourcesState>>,
    /// Input mode.
    pub mode: Mode,
    /// The status line.
    pub status: Option<Status>,
    /// Key bindings.
    pub keymap: KeyMap,
    /// Colours.
    pub theme: Theme,
    /// Where exports go.
    pub export_dir: PathBuf,
    /// Background job channel.
    pub jobs: Option<Sender<Msg>>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set when the user quits.
    pub quit: bool,
}

impl App {
    /// A new app, loading.
    pub fn new(opts: AppOptions) -> Self {
        Self {
            data: None,
            loading: Loading {
                stage: "starting".into(),
                ..Loading::default()
            },
            stack: vec![Page::Overview],
            overview: Cursor::default(),
            findings: Cursor::default(),
            timeline: TimelineState::default(),
            certs: CertsState::default(),
            last_resources: None,
            mode: Mode::Normal,
            status: opts.notice.map(|text| Status { text, error: true }),
            keymap: opts.keymap,
            theme: opts.theme,
            export_dir: opts.export_dir,
            jobs: opts.jobs,
            size: (80, 24),
            quit: false,
        }
    }

    /// A new app showing already loaded data.
    pub fn with_data(opts: AppOptions, data: Arc<CaseData>) -> Self {
        let mut app = Self::new(opts);
        app.set_data(data);
        app
    }

    fn set_data(&mut self, data: Arc<CaseData>) {
        self.certs.shown = cert_order(&data, "");
        self.timeline.window = default_window(&data);
        // Open on the findings when there are any: the story first.
        if !data.analysis.findings.is_empty() {
            self.stack = vec![Page::Findings];
        }
        self.data = Some(data);
    }

    /// The page on top.
    pub fn page(&self) -> &Page {
        // The stack is never empty (back stops at the root).
        self.stack.last().unwrap_or(&Page::Overview)
    }

    /// Breadcrumbs from the root to the current page.
    pub fn breadcrumbs(&self) -> Vec<String> {
        self.stack.iter().map(|p| p.crumb(self)).collect()
    }

    /// The text of the status line, if any.
    pub fn status_text(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.text.as_str())
    }

    /// Height of the list area of the current page (for paging).
    pub fn list_height(&self) -> usize {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        usize::from(view::list_area(self, area).height.max(1))
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Feeds one message to the app.
    pub fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Key(k) => self.key(k),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Resize(w, h) => self.size = (w, h),
            Msg::Action(a) => self.update(a),
            Msg::Load(ev) => self.load_event(ev),
            Msg::FilterDone { generation, rows } => {
                if generation == self.timeline.generation {
                    self.timeline.pending = false;
                    self.set_timeline_rows(Some(Arc::new(rows)));
                }
            }
        }
    }

    fn load_event(&mut self, ev: LoadEvent) {
        match ev {
            LoadEvent::Progress {
                bytes,
                total,
                files,
                inputs,
            } => {
                self.loading.bytes = bytes;
                self.loading.total = total;
                self.loading.files = files;
                self.loading.inputs = inputs;
            }
            LoadEvent::Stage(s) => self.loading.stage = s,
            LoadEvent::Done(d) => self.set_data(d),
            LoadEvent::Failed(e) => self.loading.error = Some(e),
        }
    }

    /// Handles a key press: text input in the filter and palette modes, else the key map.
    pub fn key(&mut self, k: KeyEvent) {
        if k.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return;
        }
        // Ctrl-C always quits, whatever the key map says.
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        let is_filter = matches!(self.mode, Mode::Filter(_));
        match &mut self.mode {
            Mode::Filter(text) | Mode::Palette(text) => {
                match k.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Enter => {
                        let text = match std::mem::replace(&mut self.mode, Mode::Normal) {
                            Mode::Filter(t) | Mode::Palette(t) => t,
                            _ => String::new(),
                        };
                        if is_filter {
                            self.apply_filter(&text, true);
                        } else {
                            self.run_command(&text);
                        }
                    }
                    KeyCode::Backspace => {
                        if text.pop().is_none() {
                            self.mode = Mode::Normal;
                        } else if is_filter {
                            let t = text.clone();
                            self.apply_filter(&t, false);
                        }
                    }
                    KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.clear();
                    }
                    KeyCode::Char('w') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        let keep = text.trim_end().rfind(' ').map_or(0, |i| i + 1);
                        text.truncate(keep);
                    }
                    KeyCode::Tab if !is_filter => {
                        if let Some(c) = complete(text) {
                            *text = c;
                        }
                    }
                    KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.push(c);
                        if is_filter {
                            let t = text.clone();
                            self.apply_filter(&t, false);
                        }
                    }
                    _ => {}
                }
                return;
            }
            Mode::Help(scroll) => {
                let key = Key::from_event(k);
                match self.keymap.action(Context::Global, key) {
                    Some(Action::Down) => *scroll += 1,
                    Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Action::PageDown) => *scroll += 10,
                    Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
                    Some(Action::Quit) => self.quit = true,
                    _ => self.mode = Mode::Normal,
                }
                return;
            }
            Mode::Normal => {}
        }
        if self.data.is_none() {
            if let Some(Action::Quit | Action::Back) =
                self.keymap.action(Context::Global, Key::from_event(k))
            {
                self.quit = true;
            }
            return;
        }
        let ctx = self.page().context();
        if let Some(a) = self.keymap.action(ctx, Key::from_event(k)) {
            self.update(a);
        }
    }

    fn mouse(&mut self, m: MouseEvent) {
        if self.data.is_none() || self.mode != Mode::Normal {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => {
                for _ in 0..3 {
                    self.update(Action::Down);
                }
            }
            MouseEventKind::ScrollUp => {
                for _ in 0..3 {
                    self.update(Action::Up);
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
                if m.row == 0 {
                    if let Some(a) = view::tab_at(area, m.column) {
                        self.update(a);
                    }
                    return;
                }
                let list = view::list_area(self, area);
                if m.row >= list.y && m.row < list.y + list.height && m.column >= list.x {
                    let row = usize::from(m.row - list.y);
                    self.click_row(row);
                }
            }
            _ => {}
        }
    }

    fn click_row(&mut self, row: usize) {
        let h = self.list_height();
        let Some(data) = self.data.clone() else {
            return;
        };
        match self.stack.last_mut() {
            Some(Page::Findings) => {
                let c = self.findings.visible(data.analysis.findings.len(), h);
                self.findings
                    .select(c.off + row, data.analysis.findings.len(), h);
            }
            Some(Page::Timeline) => {
                let len = self.timeline.visible(data.timeline()).len();
                let c = self.timeline.cur.visible(len, h);
                self.timeline.cur.select(c.off + row, len, h);
            }
            Some(Page::Resources(r)) => {
                let c = r.cur.visible(r.shown.len(), h);
                r.cur.select(c.off + row, r.shown.len(), h);
            }
            Some(Page::Text(t)) => {
                let c = t.cur.visible(t.lines.len(), h);
                t.cur.select(c.off + row, t.lines.len(), h);
            }
            Some(Page::Cascade(c)) => {
                let v = c.cur.visible(c.rows.len(), h);
                let target = v.off + row;
                if matches!(c.rows.get(target), Some(CascadeRow::Hop { .. })) {
                    c.cur.select(target, c.rows.len(), h);
                }
            }
            _ => {}
        }
    }

    /// Performs an action.
    pub fn update(&mut self, a: Action) {
        let Some(data) = self.data.clone() else {
            if a == Action::Quit {
                self.quit = true;
            }
            return;
        };
        // Any action replaces an old message.
        if !matches!(a, Action::Help) {
            self.status = None;
        }
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.mode = Mode::Help(0),
            Action::Palette => self.mode = Mode::Palette(String::new()),
            Action::Filter => {
                let current = match self.page() {
                    Page::Timeline => self.timeline.filter.text.clone(),
                    Page::Resources(r) => r.filter.clone(),
                    Page::Certificates => self.certs.filter.clone(),
                    Page::Text(t) => t.search.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
                    _ => String::new(),
                };
                self.mode = Mode::Filter(current);
            }
            Action::Back => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
            }
            Action::ViewOverview => self.stack = vec![Page::Overview],
            Action::ViewFindings => self.stack = vec![Page::Findings],
            Action::ViewTimeline => self.stack = vec![Page::Timeline],
            Action::ViewCertificates => self.stack = vec![Page::Certificates],
            Action::ViewResources => {
                let page = match self.last_resources.clone() {
                    Some(r) => Page::Resources(r),
                    None => match self.open_resources("pods") {
                        Some(r) => Page::Resources(Box::new(r)),
                        None => return,
                    },
                };
                self.stack = vec![page];
            }
            Action::Export => self.export(&data),
            _ => self.page_action(a, &data),
        }
    }

    fn open_resources(&mut self, kind: &str) -> Option<ResourcesState> {
        let case = self.data.as_ref()?.case.clone();
        let Some(case) = case else {
            self.complain("resources are not available for this data");
            return None;
        };
        match ResourcesState::open(&case, kind) {
            Ok(r) => Some(r),
            Err(e) => {
                self.complain(e);
                None
            }
        }
    }

    fn page_action(&mut self, a: Action, data: &Arc<CaseData>) {
        let h = self.list_height();
        let page = h.saturating_sub(1).max(1) as isize;
        let step = match a {
            Action::Up => Some(-1),
            Action::Down => Some(1),
            Action::PageUp => Some(-page),
            Action::PageDown => Some(page),
            Action::Top => Some(isize::MIN / 2),
            Action::Bottom => Some(isize::MAX / 2),
            _ => None,
        };
        match self.stack.last().map(Page::context) {
            Some(Context::Overview) => {
                if let Some(d) = step {
                    let len = view::overview::line_count(self, data);
                    self.overview.off = self
                        .overview
                        .off
                        .saturating_add_signed(d)
                        .min(len.saturating_sub(h));
                }
            }
            Some(Context::Findings) => {
                let len = data.analysis.findings.len();
                if let Some(d) = step {
                    self.findings.step(d, len, h);
                } else if a == Action::Select && len > 0 {
                    let st = CascadeState::new(data, self.findings.sel);
                    self.stack.push(Page::Cascade(st));
                }
            }
            Some(Context::Cascade) => self.cascade_action(a, step, data, h),
            Some(Context::Timeline) => self.timeline_action(a, step, data, h),
            Some(Context::Certificates) => self.certs_action(a, step, data, h),
            Some(Context::Resources) => self.resources_action(a, step, data, h),
            Some(Context::Text) => self.text_action(a, step, h),
            _ => {}
        }
    }

    fn cascade_action(&mut self, a: Action, step: Option<isize>, data: &Arc<CaseData>, h: usize) {
        let Some(Page::Cascade(c)) = self.stack.last_mut() else {
            return;
        };
        if let Some(d) = step {
            let len = c.rows.len();
            let forward = d > 0;
            let target = c
                .cur
                .sel
                .saturating_add_signed(d)
                .min(len.saturating_sub(1));
            let hop = c
                .first_hop_from(target, forward)
                .or_else(|| c.first_hop_from(target, !forward));
            if let Some(hop) = hop {
                c.cur.select(hop, len, h);
            }
            return;
        }
        if a == Action::Select {
            let finding = c.finding;
            let Some(hop) = c.selected_hop() else {
                return;
            };
            let evidence = data
                .analysis
                .findings
                .get(finding)
                .and_then(|f| f.cascade.get(hop))
                .and_then(|h| h.evidence.first().copied());
            match evidence {
                Some(p) => self.open_evidence(data, &p),
                None => self.complain("this hop has no evidence"),
            }
        }
    }

    /// Opens a file at its evidence line in the text viewer.
    pub fn open_evidence(&mut self, data: &CaseData, p: &Provenance) {
        match TextState::evidence(data.content.as_ref(), p) {
            Some(t) => {
                let h = self.text_height();
                let mut t = t;
                if let Some(target) = t.target {
                    let len = t.lines.len();
                    t.cur.jump(target, len, h);
                }
                self.stack.push(Page::Text(Box::new(t)));
            }
            None => self.complain(format!("cannot read {}", data.content.path(p.artifact))),
        }
    }

    fn text_height(&self) -> usize {
        // The text viewer's list height (same layout as drawing).
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        usize::from(view::text::body_area(view::body_area(area)).height.max(1))
    }

    fn timeline_action(&mut self, a: Action, step: Option<isize>, data: &Arc<CaseData>, h: usize) {
        let entries = data.timeline();
        let len = self.timeline.visible(entries).len();
        if let Some(d) = step {
            self.timeline.cur.step(d, len, h);
            return;
        }
        match a {
            Action::Select => {
                let v = self.timeline.visible(entries);
                if let Some(e) = v
                    .entry(self.timeline.cur.sel)
                    .and_then(|i| data.timeline_entry(i))
                {
                    self.open_evidence(data, &e.provenance);
                }
            }
            Action::NextError | Action::PrevError => {
                let v = self.timeline.visible(entries);
                let forward = a == Action::NextError;
                let from = self.timeline.cur.sel;
                let is_err = |i: usize| {
                    v.entry(i)
                        .and_then(|e| entries.fields(e))
                        .is_some_and(|e| e.severity >= Severity::Warning)
                };
                let found = if forward {
                    (from + 1..v.len()).find(|&i| is_err(i))
                } else {
                    (0..from.min(v.len())).rev().find(|&i| is_err(i))
                };
                match found {
                    Some(i) => self.timeline.cur.jump(i, len, h),
                    None => self.say(if forward {
                        "no further warning or critical row"
                    } else {
                        "no earlier warning or critical row"
                    }),
                }
            }
            Action::InvertFilter => {
                self.timeline.filter.invert = !self.timeline.filter.invert;
                if self.timeline.filter.text.is_empty() {
                    self.say("invert applies to the text filter: set one with /");
                }
                self.refilter(data);
            }
            Action::CycleSeverity => {
                self.timeline.filter.min_severity = match self.timeline.filter.min_severity {
                    None => Some(Severity::Warning),
                    Some(Severity::Warning) => Some(Severity::Critical),
                    _ => None,
                };
                self.refilter(data);
            }
            Action::CycleSource => {
                self.timeline.filter.source =
                    cycle(&data.facets.sources, self.timeline.filter.source.as_deref());
                self.refilter(data);
            }
            Action::CycleNode => {
                self.timeline.filter.node =
                    cycle(&data.facets.nodes, self.timeline.filter.node.as_deref());
                self.refilter(data);
            }
            Action::CycleNamespace => {
                self.timeline.filter.namespace = cycle(
                    &data.facets.namespaces,
                    self.timeline.filter.namespace.as_deref(),
                );
                self.refilter(data);
            }
            Action::ZoomIn | Action::ZoomOut => self.zoom(data, a == Action::ZoomIn),
            Action::ClearFilters => {
                self.timeline.filter = timeline::TimelineFilter::default();
                self.timeline.regex = None;
                self.timeline.window = None;
                self.refilter(data);
            }
            _ => {}
        }
    }

    fn zoom(&mut self, data: &Arc<CaseData>, zoom_in: bool) {
        let entries = data.timeline();
        let Some(full) = timeline::full_span(entries) else {
            return;
        };
        let (from, to) = self.timeline.window.unwrap_or(full);
        let span = to.as_nanosecond() - from.as_nanosecond();
        let selected_at = {
            let v = self.timeline.visible(entries);
            v.entry(self.timeline.cur.sel).and_then(|i| entries.at(i))
        };
        let center = if zoom_in {
            selected_at.map_or(from.as_nanosecond() + span / 2, Timestamp::as_nanosecond)
        } else {
            from.as_nanosecond() + span / 2
        };
        let new_span = if zoom_in {
            (span / 2).max(1_000_000_000)
        } else {
            span.saturating_mul(2)
        };
        let full_span = full.1.as_nanosecond() - full.0.as_nanosecond();
        let keep = selected_at.map(|t| {
            (
                t,
                self.timeline.visible(entries).entry(self.timeline.cur.sel),
            )
        });
        if !zoom_in && new_span >= full_span {
            self.timeline.window = None;
        } else {
            let mut lo = center - new_span / 2;
            let mut hi = lo + new_span;
            // Stay inside the timeline.
            if lo < full.0.as_nanosecond() {
                hi += full.0.as_nanosecond() - lo;
                lo = full.0.as_nanosecond();
            }
            if hi > full.1.as_nanosecond() {
                lo -= hi - full.1.as_nanosecond();
                hi = full.1.as_nanosecond();
            }
            let lo = lo.max(full.0.as_nanosecond());
            let ts = |n: i128| Timestamp::from_nanosecond(n).unwrap_or(full.0);
            self.timeline.window = Some((ts(lo), ts(hi)));
        }
        self.reselect(entries, keep.and_then(|(_, e)| e));
        let (f, t) = self.timeline.span(entries).unwrap_or(full);
        self.say(format!(
            "window {} → {} ({})",
            view::fmt_time(f),
            view::fmt_time(t),
            casefile::ingest::query::human_duration(t.duration_since(f))
        ));
    }

    /// Keeps the selection on the same entry (or the nearest after it) after the visible
    /// rows changed.
    fn reselect(&mut self, entries: &casefile::TimelineRows, entry: Option<usize>) {
        let h = self.list_height();
        let v = self.timeline.visible(entries);
        let len = v.len();
        let pos = entry.map_or(0, |e| v.position_of(e));
        self.timeline.cur.jump(pos, len, h);
    }

    fn set_timeline_rows(&mut self, rows: Option<Arc<Vec<u32>>>) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let entries = data.timeline();
        let keep = self.timeline.visible(entries).entry(self.timeline.cur.sel);
        self.timeline.rows = rows;
        self.reselect(entries, keep);
    }

    /// Recomputes the filtered rows (inline, or on a worker for big timelines).
    fn refilter(&mut self, data: &Arc<CaseData>) {
        self.timeline.generation += 1;
        if self.timeline.filter.is_empty() {
            self.timeline.pending = false;
            self.set_timeline_rows(None);
            return;
        }
        let entries_len = data.timeline().len();
        match &self.jobs {
            Some(tx) if entries_len > background_rows(&self.timeline.filter) => {
                let tx = tx.clone();
                let data = data.clone();
                let filter = self.timeline.filter.clone();
                let re = self.timeline.regex.clone();
                let generation = self.timeline.generation;
                self.timeline.pending = true;
                std::thread::spawn(move || {
                    let rows = timeline::filter_rows(data.timeline(), &filter, re.as_ref(), |i| {
                        data.timeline_message(i)
                    });
                    let _ = tx.send(Msg::FilterDone { generation, rows });
                });
            }
            _ => {
                let rows = timeline::filter_rows(
                    data.timeline(),
                    &self.timeline.filter,
                    self.timeline.regex.as_ref(),
                    |i| data.timeline_message(i),
                );
                self.set_timeline_rows(Some(Arc::new(rows)));
            }
        }
    }

    /// Applies the `/` text of the current page. `done`: Enter was pressed (big
    /// timelines filter only then).
    fn apply_filter(&mut self, text: &str, done: bool) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let h = self.list_height();
        match self.stack.last_mut() {
            Some(Page::Timeline) => {
                if !done && data.timeline().len() > BACKGROUND_TEXT_FILTER_ROWS {
                    return;
                }
                match timeline::compile(text) {
                    Ok(re) => {
                        text.clone_into(&mut self.timeline.filter.text);
                        self.timeline.regex = re;
                        self.refilter(&data);
                    }
                    Err(e) if done => self.complain(format!("bad regex: {e}")),
                    Err(_) => {}
                }
            }
            Some(Page::Resources(r)) => {
                if let Err(e) = r.set_filter(text)
                    && done
                {
                    self.complain(format!("bad regex: {e}"));
                }
            }
            Some(Page::Certificates) => {
                if timeline::compile(text).is_ok() {
                    text.clone_into(&mut self.certs.filter);
                    self.certs.shown = cert_order(&data, text);
                    self.certs.inv = Cursor::default();
                } else if done {
                    self.complain("bad regex");
                }
            }
            Some(Page::Text(t)) => match timeline::compile(text) {
                Ok(Some(re)) => {
                    t.search = Some((text.to_owned(), re));
                    let from = t.cur.sel;
                    if t.search.as_ref().is_some_and(|(_, re)| {
                        t.lines
                            .get(from)
                            .is_some_and(|l| re.is_match(l.shown(t.timestamps)))
                    }) {
                        // Already on a match.
                    } else if let Some(i) = t.find(from, true) {
                        t.cur.jump(i, t.lines.len(), h);
                    } else if done {
                        self.status = Some(Status {
                            text: format!("no match for /{text}/"),
                            error: true,
                        });
                    }
                }
                Ok(None) => t.search = None,
                Err(e) if done => self.complain(format!("bad regex: {e}")),
                Err(_) => {}
            },
            _ => {
                if done && !text.is_empty() {
                    self.say("this view has no filter; try :timeline or :pods");
                }
            }
        }
    }

    fn certs_action(&mut self, a: Action, step: Option<isize>, data: &Arc<CaseData>, h: usize) {
        match a {
            Action::NextPane | Action::Right => {
                self.certs.pane = match self.certs.pane {
                    CertPane::Inventory => CertPane::Trust,
                    CertPane::Trust => CertPane::Signers,
                    CertPane::Signers => CertPane::Inventory,
                };
                return;
            }
            Action::PrevPane | Action::Left => {
                self.certs.pane = match self.certs.pane {
                    CertPane::Inventory => CertPane::Signers,
                    CertPane::Trust => CertPane::Inventory,
                    CertPane::Signers => CertPane::Trust,
                };
                return;
            }
            _ => {}
        }
        match self.certs.pane {
            CertPane::Inventory => {
                let len = self.certs.shown.len();
                if let Some(d) = step {
                    self.certs.inv.step(d, len, h);
                } else if a == Action::Select {
                    let src = self
                        .certs
                        .shown
                        .get(self.certs.inv.sel)
                        .and_then(|&i| data.snapshot.certificates.get(i))
                        .and_then(|c| c.sources.first())
                        .map(|s| s.provenance);
                    if let Some(p) = src {
                        self.open_evidence(data, &p);
                    }
                }
            }
            CertPane::Trust => {
                let order = view::certs::consumer_order(data);
                if let Some(d) = step {
                    self.certs.trust.step(d, order.len(), h);
                } else if a == Action::Select {
                    let p = order
                        .get(self.certs.trust.sel)
                        .and_then(|c| view::certs::verdicts_of(data, c).first().copied())
                        .and_then(|v| v.evidence.first().copied());
                    if let Some(p) = p {
                        self.open_evidence(data, &p);
                    }
                }
            }
            CertPane::Signers => {
                if let Some(d) = step {
                    let len = view::certs::signer_lines(self, data, 200).len();
                    self.certs.signers.off = self
                        .certs
                        .signers
                        .off
                        .saturating_add_signed(d)
                        .min(len.saturating_sub(h));
                }
            }
        }
    }

    fn resources_action(
        &mut self,
        a: Action,
        step: Option<isize>,
        data: &Arc<CaseData>,
        height: usize,
    ) {
        let Some(Page::Resources(r)) = self.stack.last_mut() else {
            return;
        };
        if let Some(d) = step {
            r.cur.step(d, r.shown.len(), height);
            self.last_resources = Some(r.clone());
            return;
        }
        let Some(row) = r.selected().cloned() else {
            return;
        };
        let Some(case) = data.case.clone() else {
            return;
        };
        let kind = r.ty.kind.clone();
        let plural = r.ty.plural.clone();
        match a {
            Action::Yaml | Action::Select => {
                let text = case
                    .object_text(row.obj)
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                match text {
                    Ok(text) => {
                        let p = case.provenance(row.obj);
                        let origin = format!(
                            "{}:{}:{}",
                            data.content.archive_label(p.artifact.archive),
                            data.content.path(p.artifact),
                            p.line.unwrap_or(1)
                        );
                        let t = TextState::from_text(
                            format!("{}/{} yaml", kind.to_lowercase(), row.name),
                            origin,
                            &unindent_list_item(&text),
                            Syntax::Yaml,
                        );
                        self.stack.push(Page::Text(Box::new(t)));
                    }
                    Err(e) => self.complain(format!("cannot read {}: {e}", row.name)),
                }
            }
            Action::Describe => {
                let text = resources::describe(&case, &data.snapshot, row.obj);
                let t = TextState::from_text(
                    format!("{}/{} describe", kind.to_lowercase(), row.name),
                    format!("{plural} {}", row.name),
                    &text,
                    Syntax::Yaml,
                );
                self.stack.push(Page::Text(Box::new(t)));
            }
            Action::Logs | Action::PreviousLogs if kind == "Pod" => {
                let previous = a == Action::PreviousLogs;
                let logs = resources::pod_logs(&data.snapshot, &row.namespace, &row.name, previous);
                if logs.is_empty() {
                    self.complain(format!(
                        "no {} logs collected for pod {}",
                        if previous { "previous" } else { "current" },
                        row.name
                    ));
                    return;
                }
                let names: Vec<&str> = logs.iter().map(|l| l.0).collect();
                let mut t = TextState::merged_logs(
                    format!(
                        "{} {}",
                        row.name,
                        if previous { "previous logs" } else { "logs" }
                    ),
                    format!(
                        "{}/{} containers: {}",
                        row.namespace,
                        row.name,
                        names.join(", ")
                    ),
                    data.content.as_ref(),
                    &logs,
                );
                let len = t.lines.len();
                t.cur.select(len.saturating_sub(1), len, self.text_height());
                self.stack.push(Page::Text(Box::new(t)));
            }
            Action::Logs | Action::PreviousLogs => self.say("logs are for pods"),
            _ => {}
        }
    }

    fn text_action(&mut self, a: Action, step: Option<isize>, h: usize) {
        let Some(Page::Text(t)) = self.stack.last_mut() else {
            return;
        };
        let len = t.lines.len();
        if let Some(d) = step {
            t.cur.step(d, len, h);
            return;
        }
        match a {
            Action::Left => t.hscroll = t.hscroll.saturating_sub(8),
            Action::Right if !t.wrap => t.hscroll += 8,
            Action::ToggleWrap => {
                t.wrap = !t.wrap;
                t.hscroll = 0;
            }
            Action::ToggleTimestamps => t.timestamps = !t.timestamps,
            Action::SearchNext | Action::SearchPrev => {
                let forward = a == Action::SearchNext;
                if t.search.is_none() {
                    self.say("no search: type / first");
                    return;
                }
                match t.find(t.cur.sel, forward) {
                    Some(i) => t.cur.jump(i, len, h),
                    None => self.complain("no match"),
                }
            }
            Action::NextError | Action::PrevError => {
                match t.find_error(t.cur.sel, a == Action::NextError) {
                    Some(i) => t.cur.jump(i, len, h),
                    None => self.say("no further error line"),
                }
            }
            Action::Select => {
                if let Some(target) = t.target {
                    t.cur.jump(target, len, h);
                }
            }
            _ => {}
        }
    }

    fn run_command(&mut self, line: &str) {
        let line = line.trim();
        let (cmd, arg) = line
            .split_once(' ')
            .map_or((line, ""), |(c, a)| (c, a.trim()));
        let Some(data) = self.data.clone() else {
            return;
        };
        let name = COMMANDS
            .iter()
            .find(|(n, aliases, _)| *n == cmd || aliases.contains(&cmd))
            .map(|(n, _, _)| *n);
        match name {
            None if cmd.is_empty() => {}
            Some("overview") => self.update(Action::ViewOverview),
            Some("findings") => self.update(Action::ViewFindings),
            Some("timeline") => self.update(Action::ViewTimeline),
            Some("certs") => {
                self.update(Action::ViewCertificates);
                self.certs.pane = CertPane::Inventory;
            }
            Some("trust") => {
                self.update(Action::ViewCertificates);
                self.certs.pane = CertPane::Trust;
            }
            Some("signers") => {
                self.update(Action::ViewCertificates);
                self.certs.pane = CertPane::Signers;
            }
            Some("help") => self.mode = Mode::Help(0),
            Some("quit") => self.quit = true,
            Some("export") => self.update(Action::Export),
            Some(f @ ("node" | "source" | "ns" | "severity")) => {
                let arg = (!arg.is_empty()).then(|| arg.to_owned());
                match f {
                    "node" => {
                        self.timeline.filter.node = arg.map(|a| {
                            data.facets
                                .nodes
                                .iter()
                                .find(|n| {
                                    n.as_str() == a
                                        || timeline::short_node(n) == a
                                        || n.starts_with(&a)
                                })
                                .cloned()
                                .unwrap_or(a)
                        });
                    }
                    "source" => self.timeline.filter.source = arg,
                    "ns" => self.timeline.filter.namespace = arg,
                    _ => {
                        self.timeline.filter.min_severity = match arg.as_deref() {
                            Some("warning" | "warn") => Some(Severity::Warning),
                            Some("critical" | "crit") => Some(Severity::Critical),
                            _ => None,
                        };
                    }
                }
                self.stack = vec![Page::Timeline];
                self.refilter(&data);
            }
            _ => {
                // Any other word is a resource kind, k9s-style.
                let kind = if let Some("pods" | "nodes" | "co" | "events") = name {
                    name.unwrap_or(cmd)
                } else {
                    cmd
                };
                if let Some(r) = self.open_resources(kind) {
                    let r = Box::new(r);
                    self.last_resources = Some(r.clone());
                    self.stack = vec![Page::Resources(r)];
                    if !arg.is_empty() {
                        self.apply_filter(arg, true);
                    }
                }
            }
        }
    }

    fn export(&mut self, data: &Arc<CaseData>) {
        let result = if matches!(self.page(), Page::Timeline) {
            let v = self.timeline.visible(data.timeline());
            // Rendered as they are written: an export of the whole timeline never holds it.
            let rows = (0..v.len()).filter_map(|i| v.entry(i).and_then(|e| data.timeline_entry(e)));
            let path = unique_path(&self.export_dir, "casefile-timeline", "jsonl");
            std::fs::File::create(&path)
                .and_then(|f| casefile_export::timeline_jsonl(f, rows, data.content.as_ref()))
                .map(|()| format!("exported {} timeline rows to {}", v.len(), path.display()))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        } else {
            let report = casefile_export::diagnosis::DiagnoseReport::new(
                &data.snapshot,
                &data.analysis.findings,
                &data.diagnostics,
                data.content.as_ref(),
            );
            let md = casefile_export::diagnosis::postmortem_markdown(
                &report,
                &data.analysis.findings,
                data.content.as_ref(),
            );
            let path = unique_path(&self.export_dir, "casefile-postmortem", "md");
            std::fs::write(&path, md)
                .map(|()| format!("post-mortem written to {}", path.display()))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        };
        match result {
            Ok(m) => self.say(m),
            Err(e) => self.complain(e),
        }
    }

    /// Hints for the status line: the most useful keys of the current page.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let ctx = self.page().context();
        if self.data.is_none() {
            let quit = self.keymap.keys_for(Context::Global, Action::Quit);
            return quit
                .first()
                .map(|k| (k.to_string(), "quit"))
                .into_iter()
                .collect();
        }
        let k = |a: Action| {
            self.keymap
                .keys_for(ctx, a)
                .first()
                .map_or_else(String::new, ToString::to_string)
        };
        let mut out = vec![(k(Action::Help), "help"), (k(Action::Palette), "cmd")];
        let more: &[(Action, &'static str)] = match self.page() {
            Page::Overview => &[
                (Action::ViewFindings, "findings"),
                (Action::ViewTimeline, "timeline"),
            ],
            Page::Findings => &[(Action::Select, "cascade"), (Action::Export, "post-mortem")],
            Page::Cascade(_) => &[(Action::Select, "evidence"), (Action::Back, "back")],
            Page::Timeline => &[
                (Action::Filter, "filter"),
                (Action::NextError, "next err"),
                (Action::ZoomIn, "zoom"),
                (Action::CycleSeverity, "sev"),
                (Action::Select, "evidence"),
                (Action::Export, "export"),
            ],
            Page::Certificates => &[
                (Action::NextPane, "pane"),
                (Action::Filter, "filter"),
                (Action::Select, "source"),
            ],
            Page::Resources(_) => &[
                (Action::Filter, "filter"),
                (Action::Yaml, "yaml"),
                (Action::Describe, "describe"),
                (Action::Logs, "logs"),
            ],
            Page::Text(_) => &[
                (Action::Filter, "search"),
                (Action::ToggleWrap, "wrap"),
                (Action::ToggleTimestamps, "time"),
                (Action::Back, "back"),
            ],
        };
        out.extend(more.iter().map(|(a, s)| (k(*a), *s)));
        out.push((k(Action::Quit), "quit"));
        out.retain(|(k, _)| !k.is_empty());
        out
    }
}

/// The window the timeline opens on: from half a day before the first finding (or a week
/// before collection) to the collection time, when that hides anything (install-time rows,
/// certificate expiries years ahead); `Z` and `c` widen it.
fn default_window(data: &CaseData) -> Option<(Timestamp, Timestamp)> {
    let collected = data.snapshot.collected_at?;
    let start = data
        .analysis
        .findings
        .iter()
        .filter_map(|f| f.started_at)
        .min()
        .unwrap_or_else(|| {
            collected
                .checked_sub(jiff::SignedDuration::from_hours(24 * 7))
                .unwrap_or(collected)
        });
    let from = start
        .checked_sub(jiff::SignedDuration::from_hours(12))
        .unwrap_or(start)
        .min(collected);
    let to = collected;
    let (first, last) = timeline::full_span(data.timeline())?;
    (first < from || last > to).then_some((from, to))
}

/// Cycles `current` through `values` then back to none.
fn cycle(values: &[String], current: Option<&str>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(c) => values
            .iter()
            .position(|v| v == c)
            .and_then(|i| values.get(i + 1))
            .cloned(),
    }
}

/// The first command starting with `prefix`.
fn complete(prefix: &str) -> Option<String> {
    if prefix.is_empty() || prefix.contains(' ') {
        return None;
    }
    COMMANDS
        .iter()
        .find(|(n, _, _)| n.starts_with(prefix))
        .map(|(n, _, _)| (*n).to_owned())
}

/// The certificates shown for a filter, sorted by subject CN then notAfter.
fn cert_order(data: &CaseData, filter: &str) -> Vec<usize> {
    let re = timeline::compile(filter).ok().flatten();
    let certs = &data.snapshot.certificates;
    let mut v: Vec<usize> = (0..certs.len())
        .filter(|&i| {
            re.as_ref().is_none_or(|re| {
                let c = &certs[i].cert;
                re.is_match(&c.subject)
                    || re.is_match(&c.issuer)
                    || c.sans.iter().any(|s| re.is_match(s))
                    || certs[i]
                        .sources
                        .iter()
                        .any(|s| s.object.as_deref().is_some_and(|o| re.is_match(o)))
            })
        })
        .collect();
    v.sort_by(|&a, &b| {
        let (ca, cb) = (&certs[a].cert, &certs[b].cert);
        ca.subject_cn
            .cmp(&cb.subject_cn)
            .then(ca.not_after.cmp(&cb.not_after))
            .then_with(|| ca.sha256.cmp(&cb.sha256))
    });
    v
}

/// A List item (`- apiVersion: ...` indented) as a standalone document.
fn unindent_list_item(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first.strip_prefix("- ") {
        let mut out = String::with_capacity(text.len());
        out.push_str(rest);
        out.push('\n');
        for l in text.lines().skip(1) {
            out.push_str(l.strip_prefix("  ").unwrap_or(l));
            out.push('\n');
        }
        out
    } else {
        text.to_owned()
    }
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, ... when it exists.
fn unique_path(dir: &std::path::Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..10_000)
        .map(|i| dir.join(format!("{stem}-{i}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}
