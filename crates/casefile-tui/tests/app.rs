//! The real app driven headless: `TestBackend` screens as `insta` snapshots for every view
//! on the okd-415-ca-rotation case (120×40, and 80×24 for the main views), and key-sequence
//! tests on the app state. No wall clock is read: times are the case's own.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::many_single_char_names, missing_docs)]

mod common;

use casefile_model::Severity;
use casefile_tui::action::{LoadEvent, Msg};
use casefile_tui::app::{CascadeRow, Page};
use casefile_tui::{Action, App, AppOptions, KeyMap, Theme};
use common::{app, app_in, buffer, data, key, render, typ};
use ratatui::crossterm::event::{KeyCode, MouseEvent, MouseEventKind};

const X509: &str = "x509: certificate signed by unknown authority";

fn text_page(app: &App) -> &casefile_tui::text::TextState {
    match app.page() {
        Page::Text(t) => t,
        other => panic!("expected the text viewer, got {other:?}"),
    }
}

fn selected_entry(app: &App) -> casefile_model::TimelineEntry {
    let d = app.data.clone().unwrap();
    let entries = d.timeline();
    // The rows rendered, for checking what the view shows.
    let all = entries.collect(&d.snapshot, d.content.as_ref()).entries;
    let v = app.timeline.visible(entries);
    all[v.entry(app.timeline.cur.sel).unwrap()].clone()
}

// ---------------------------------------------------------------------------------------
// Snapshots

#[test]
fn loading_screen_appears_before_data() {
    let mut a = App::new(AppOptions::default());
    a.handle(Msg::Resize(80, 24));
    a.handle(Msg::Load(LoadEvent::Stage("reading archives".into())));
    a.handle(Msg::Load(LoadEvent::Progress {
        bytes: 3 * 1024 * 1024,
        total: 12 * 1024 * 1024,
        files: 1,
        inputs: 4,
    }));
    insta::assert_snapshot!("loading_80x24", render(&a));
    a.handle(Msg::Load(LoadEvent::Failed("not an archive: x".into())));
    assert!(render(&a).contains("Cannot open the case"));
    typ(&mut a, "q");
    assert!(a.quit);
}

#[test]
fn findings_is_the_first_screen() {
    let a = app(120, 40);
    assert!(matches!(a.page(), Page::Findings));
    insta::assert_snapshot!("findings_120x40", render(&a));
    insta::assert_snapshot!("findings_80x24", render(&app(80, 24)));
}

#[test]
fn overview() {
    let mut a = app(120, 40);
    typ(&mut a, "1");
    insta::assert_snapshot!("overview_120x40", render(&a));
    let mut a = app(80, 24);
    typ(&mut a, "1");
    insta::assert_snapshot!("overview_80x24", render(&a));
    typ(&mut a, "G");
    let screen = render(&a);
    assert!(screen.contains("Coverage gaps"), "{screen}");
}

#[test]
fn cascade() {
    let mut a = app(120, 40);
    typ(&mut a, "\n");
    assert!(matches!(a.page(), Page::Cascade(_)));
    insta::assert_snapshot!("cascade_120x40", render(&a));
}

#[test]
fn timeline() {
    let mut a = app(120, 40);
    typ(&mut a, "3");
    insta::assert_snapshot!("timeline_120x40", render(&a));
    let mut a = app(80, 24);
    typ(&mut a, "3e");
    insta::assert_snapshot!("timeline_80x24", render(&a));
}

#[test]
fn certificates_panes() {
    let mut a = app(120, 40);
    typ(&mut a, "4");
    insta::assert_snapshot!("certs_inventory_120x40", render(&a));
    typ(&mut a, "\t");
    let screen = render(&a);
    assert!(screen.contains("STALE"), "{screen}");
    insta::assert_snapshot!("certs_trust_120x40", screen);
    typ(&mut a, "\t");
    insta::assert_snapshot!("certs_signers_120x40", render(&a));
}

#[test]
fn resources() {
    let mut a = app(120, 40);
    typ(&mut a, ":pods\n");
    insta::assert_snapshot!("pods_120x40", render(&a));
    typ(&mut a, ":nodes\n");
    insta::assert_snapshot!("nodes_120x40", render(&a));
    typ(&mut a, ":co\n");
    insta::assert_snapshot!("co_120x40", render(&a));
    typ(&mut a, ":events\n");
    insta::assert_snapshot!("events_120x40", render(&a));
}

#[test]
fn help_and_palette() {
    let mut a = app(120, 40);
    typ(&mut a, "3?");
    let screen = render(&a);
    // Generated from the key map in force.
    assert!(screen.contains("next warning/critical"), "{screen}");
    insta::assert_snapshot!("help_timeline_120x40", screen);
    typ(&mut a, "\x1b");
    assert_eq!(a.mode, casefile_tui::app::Mode::Normal);
    typ(&mut a, ":po");
    insta::assert_snapshot!("palette_120x40", render(&a));
}

// ---------------------------------------------------------------------------------------
// Key sequences

#[test]
fn enter_on_the_kubelet_hop_opens_the_x509_line_and_esc_goes_back() {
    let mut a = app(120, 40);
    typ(&mut a, "\n");
    let Page::Cascade(c) = a.page() else { panic!() };
    let d = data();
    let f = &d.analysis.findings[c.finding];
    assert_eq!(f.id, "ca-trust-propagation");
    // Walk down to the first kubelet-tls-failure hop.
    let mut steps = 0;
    loop {
        let Page::Cascade(c) = a.page() else { panic!() };
        let hop = &f.cascade[c.selected_hop().unwrap()];
        if hop.stage == casefile_model::Stage::KubeletTlsFailure {
            break;
        }
        typ(&mut a, "j");
        steps += 1;
        assert!(steps < 40, "no kubelet hop");
    }
    typ(&mut a, "\n");
    let t = text_page(&a);
    let target = t.target.unwrap();
    assert!(
        t.lines[target].text.contains(X509),
        "{}",
        t.lines[target].text
    );
    assert!(
        t.title.starts_with("journalctl_--no-pager_--unit_kubelet:"),
        "{}",
        t.title
    );
    let screen = render(&a);
    assert!(screen.contains("x509"), "{screen}");
    insta::assert_snapshot!("evidence_kubelet_x509_120x40", screen);
    assert_eq!(a.breadcrumbs().len(), 3);
    typ(&mut a, "\x1b");
    assert!(matches!(a.page(), Page::Cascade(_)));
    typ(&mut a, "-");
    assert!(matches!(a.page(), Page::Findings));
    typ(&mut a, "\x1b");
    assert!(matches!(a.page(), Page::Findings), "back stops at the root");
    assert!(!a.quit);
}

#[test]
fn cascade_rows_group_hops_per_node_with_deltas() {
    let mut a = app(120, 40);
    typ(&mut a, "\n");
    let Page::Cascade(c) = a.page() else { panic!() };
    assert_eq!(c.rows[0], CascadeRow::Group("cluster".into()));
    let groups: Vec<&str> = c
        .rows
        .iter()
        .filter_map(|r| match r {
            CascadeRow::Group(g) => Some(g.as_str()),
            CascadeRow::Hop { .. } => None,
        })
        .collect();
    assert!(groups.contains(&"ip-10-0-22-198.eu-central-1.compute.internal"));
    // The first node hop is timed from the cluster's last hop.
    let first_node_hop = c
        .rows
        .iter()
        .skip_while(|r| !matches!(r, CascadeRow::Group(g) if g != "cluster"))
        .find_map(|r| match r {
            CascadeRow::Hop { delta, .. } => Some(*delta),
            CascadeRow::Group(_) => None,
        })
        .unwrap();
    assert!(first_node_hop.unwrap().as_secs() > 0);
    // Moving never lands on a group header.
    for _ in 0..60 {
        typ(&mut a, "j");
        let Page::Cascade(c) = a.page() else { panic!() };
        assert!(c.selected_hop().is_some());
    }
}

#[test]
fn timeline_regex_filter_inverts_and_clears() {
    let mut a = app(120, 40);
    typ(&mut a, "3c");
    let d = data();
    let entries = d.timeline();
    // The rows rendered, for checking what the view shows.
    let all = entries.collect(&d.snapshot, d.content.as_ref()).entries;
    let total = a.timeline.visible(entries).len();
    assert_eq!(total, entries.len());
    typ(&mut a, "/x509\n");
    let v = a.timeline.visible(entries);
    let matched = v.len();
    assert!(matched > 100, "{matched}");
    let hay = |e: &casefile_model::TimelineEntry| {
        format!(
            "{} {:?} {:?} {:?} {}",
            e.message, e.rule, e.node, e.namespace, e.source
        )
        .to_lowercase()
    };
    for i in 0..v.len() {
        let e = &all[v.entry(i).unwrap()];
        assert!(hay(e).contains("x509"), "{}", hay(e));
    }
    // Every rendered row that mentions x509 is kept, log rows (whose text is read only when
    // filtered) included.
    let want: Vec<usize> = (0..all.len())
        .filter(|&i| hay(&all[i]).contains("x509"))
        .collect();
    let got: Vec<usize> = (0..v.len()).map(|i| v.entry(i).unwrap()).collect();
    assert_eq!(got, want);
    let by_text = want
        .iter()
        .filter(|&&i| {
            let e = &all[i];
            ["journal", "pod-log"].contains(&e.source.as_str())
                && !format!("{:?} {:?} {:?}", e.rule, e.node, e.namespace).contains("x509")
        })
        .count();
    assert!(by_text > 0, "log rows found by their text alone");
    insta::assert_snapshot!("timeline_filter_x509_120x40", render(&a));
    typ(&mut a, "!");
    assert_eq!(a.timeline.visible(entries).len(), total - matched);
    typ(&mut a, "!s");
    let v = a.timeline.visible(entries);
    assert!(v.len() <= matched);
    for i in 0..v.len() {
        assert!(all[v.entry(i).unwrap()].severity >= Severity::Warning);
    }
    typ(&mut a, "c");
    assert_eq!(a.timeline.visible(entries).len(), total);
    // A bad regex is reported, not fatal.
    typ(&mut a, "/(\n");
    assert!(a.status.as_ref().is_some_and(|s| s.error), "{:?}", a.status);
}

#[test]
fn timeline_node_source_and_namespace_filters() {
    let mut a = app(120, 40);
    typ(&mut a, "3c");
    let d = data();
    let entries = d.timeline();
    // The rows rendered, for checking what the view shows.
    let all = entries.collect(&d.snapshot, d.content.as_ref()).entries;
    typ(&mut a, ":node ip-10-0-22-198\n");
    assert!(matches!(a.page(), Page::Timeline));
    let v = a.timeline.visible(entries);
    assert!(!v.is_empty());
    for i in 0..v.len() {
        assert_eq!(
            all[v.entry(i).unwrap()].node.as_deref(),
            Some("ip-10-0-22-198.eu-central-1.compute.internal")
        );
    }
    typ(&mut a, "c:source journal\n");
    let v = a.timeline.visible(entries);
    assert!(!v.is_empty());
    assert!((0..v.len()).all(|i| all[v.entry(i).unwrap()].source == "journal"));
    // Cycling: o picks the first source, then the next ...
    typ(&mut a, "c");
    typ(&mut a, "o");
    assert_eq!(
        a.timeline.filter.source.as_deref(),
        d.facets.sources.first().map(String::as_str)
    );
    typ(&mut a, "cm");
    assert_eq!(
        a.timeline.filter.namespace.as_deref(),
        d.facets.namespaces.first().map(String::as_str)
    );
    typ(&mut a, "cn");
    assert_eq!(
        a.timeline.filter.node.as_deref(),
        d.facets.nodes.first().map(String::as_str)
    );
}

#[test]
fn timeline_zoom_narrows_and_widens_the_window() {
    let mut a = app(120, 40);
    typ(&mut a, "3");
    let d = data();
    let entries = d.timeline();
    // It opens on the incident window (the install and far-future expiries are outside).
    let (from, to) = a.timeline.window.unwrap();
    assert_eq!(to, d.snapshot.collected_at.unwrap());
    let before = a.timeline.visible(entries).len();
    typ(&mut a, "e");
    let selected = selected_entry(&a);
    typ(&mut a, "z");
    let (f2, t2) = a.timeline.window.unwrap();
    let span = |f: jiff::Timestamp, t: jiff::Timestamp| t.as_nanosecond() - f.as_nanosecond();
    assert!(span(f2, t2) <= span(from, to) / 2 + 1);
    assert!(
        f2 <= selected.at && selected.at <= t2,
        "zoom keeps the selected row"
    );
    assert_eq!(selected_entry(&a), selected);
    assert!(a.timeline.visible(entries).len() <= before);
    assert!(a.status_text().unwrap().starts_with("window "));
    for _ in 0..40 {
        typ(&mut a, "Z");
    }
    assert_eq!(a.timeline.window, None);
    assert_eq!(a.timeline.visible(entries).len(), entries.len());
}

#[test]
fn next_and_previous_error_then_enter_opens_evidence() {
    let mut a = app(120, 40);
    typ(&mut a, "3c");
    typ(&mut a, "e");
    let first = selected_entry(&a);
    assert!(first.severity >= Severity::Warning);
    let sel = a.timeline.cur.sel;
    let d = data();
    let entries = d.timeline();
    // The rows rendered, for checking what the view shows.
    let all = entries.collect(&d.snapshot, d.content.as_ref()).entries;
    let v = a.timeline.visible(entries);
    assert!((0..sel).all(|i| all[v.entry(i).unwrap()].severity == Severity::Info));
    typ(&mut a, "e");
    assert!(a.timeline.cur.sel > sel);
    typ(&mut a, "E");
    assert_eq!(a.timeline.cur.sel, sel);
    // Jump to the kubelet x509 rows of one node and open one.
    typ(
        &mut a,
        ":node ip-10-0-22-198\n/certificate signed by unknown authority\n",
    );
    typ(&mut a, "e");
    let e = selected_entry(&a);
    assert!(e.message.contains(X509), "{}", e.message);
    typ(&mut a, "\n");
    let t = text_page(&a);
    assert!(t.lines[t.target.unwrap()].text.contains(X509));
    typ(&mut a, "\x1b");
    assert!(matches!(a.page(), Page::Timeline));
}

#[test]
fn text_viewer_search_wrap_and_timestamps() {
    let mut a = app(120, 40);
    typ(&mut a, "3c:node ip-10-0-22-198\n/unknown authority\ne\n");
    let target = text_page(&a).target.unwrap();
    typ(&mut a, "/x509\n");
    let t = text_page(&a);
    assert!(t.lines[t.cur.sel].text.contains("x509"));
    let first = t.cur.sel;
    typ(&mut a, "n");
    assert_ne!(text_page(&a).cur.sel, first);
    typ(&mut a, "N");
    assert_eq!(text_page(&a).cur.sel, first);
    typ(&mut a, "w");
    assert!(text_page(&a).wrap);
    typ(&mut a, "t");
    let t = text_page(&a);
    assert!(!t.timestamps);
    let line = &t.lines[target];
    assert!(
        line.shown(false).len() < line.shown(true).len(),
        "journal prefix hidden"
    );
    typ(&mut a, "\n");
    assert_eq!(
        text_page(&a).cur.sel,
        target,
        "enter returns to the evidence line"
    );
}

#[test]
fn resources_filter_yaml_describe_and_logs() {
    let mut a = app(120, 40);
    typ(&mut a, ":pods\n/multus-\n");
    let Page::Resources(r) = a.page() else {
        panic!()
    };
    assert!(!r.shown.is_empty());
    assert!(r.shown.iter().all(|&i| r.rows[i].name.contains("multus-")));
    typ(&mut a, "y");
    let t = text_page(&a);
    assert!(
        t.lines.iter().any(|l| l.text == "kind: Pod"),
        "{:?}",
        &t.lines[..5]
    );
    insta::assert_snapshot!("pod_yaml_120x40", render(&a));
    typ(&mut a, "\x1bd");
    let t = text_page(&a);
    assert!(t.lines[0].text.starts_with("Name:"));
    assert!(t.lines.iter().any(|l| l.text.starts_with("Events:")));
    typ(&mut a, "\x1b");
    // Logs of a multus pod: containers merged by time.
    let Page::Resources(r) = a.page() else {
        panic!()
    };
    let row = r
        .shown
        .iter()
        .position(|&i| r.rows[i].name == "multus-n5m25")
        .unwrap();
    for _ in 0..row {
        typ(&mut a, "j");
    }
    typ(&mut a, "l");
    let t = text_page(&a);
    assert!(!t.lines.is_empty());
    assert!(
        t.lines
            .iter()
            .any(|l| l.text.contains(X509) || l.text.contains("x509"))
    );
    typ(&mut a, "\x1b5");
    assert!(
        matches!(a.page(), Page::Resources(_)),
        "5 returns to the last kind"
    );
    typ(&mut a, ":nosuchkind\n");
    assert!(a.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn export_writes_the_filtered_timeline_and_the_postmortem() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_in(120, 40, dir.path().to_owned());
    typ(&mut a, "3c/x509\nx");
    let path = dir.path().join("casefile-timeline.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let d = data();
    assert_eq!(text.lines().count(), a.timeline.visible(d.timeline()).len());
    assert!(a.status_text().unwrap().contains("casefile-timeline.jsonl"));
    typ(&mut a, "x");
    assert!(
        dir.path().join("casefile-timeline-2.jsonl").exists(),
        "never overwrites"
    );
    typ(&mut a, "2x");
    let md = std::fs::read_to_string(dir.path().join("casefile-postmortem.md")).unwrap();
    assert!(md.contains("A rotated CA never reached the nodes"), "{md}");
    assert!(a.status_text().unwrap().contains("casefile-postmortem.md"));
}

#[test]
fn keys_come_from_the_patched_key_map() {
    let mut keymap = KeyMap::default();
    keymap
        .patch("[timeline]\nnext_error = \"ctrl-n\"\n")
        .unwrap();
    let mut a = App::with_data(
        AppOptions {
            keymap,
            ..AppOptions::default()
        },
        data(),
    );
    a.handle(Msg::Resize(120, 40));
    typ(&mut a, "3c");
    typ(&mut a, "e");
    assert_eq!(a.timeline.cur.sel, 0, "e is unbound now");
    a.handle(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('n'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    )));
    assert!(selected_entry(&a).severity >= Severity::Warning);
    typ(&mut a, "?");
    assert!(render(&a).contains("ctrl-n"));
}

#[test]
fn mouse_scrolls_and_clicks_tabs() {
    let mut a = app(120, 40);
    typ(&mut a, "3");
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: ratatui::crossterm::event::KeyModifiers::NONE,
        })
    };
    a.handle(mouse(MouseEventKind::ScrollDown, 10, 20));
    assert_eq!(a.timeline.cur.sel, 3);
    a.handle(mouse(
        MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left),
        50,
        0,
    ));
    assert!(matches!(a.page(), Page::Certificates), "{:?}", a.page());
}

#[test]
fn no_color_draws_without_colours() {
    let mut a = App::with_data(
        AppOptions {
            theme: Theme::mono(),
            ..AppOptions::default()
        },
        data(),
    );
    a.handle(Msg::Resize(120, 40));
    for keys in ["1", "2", "\n", "3", "4", ":pods\n"] {
        typ(&mut a, keys);
        let buf = buffer(&a);
        for cell in &buf.content {
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "{keys}");
            assert_eq!(cell.bg, ratatui::style::Color::Reset, "{keys}");
        }
    }
}

#[test]
fn every_key_everywhere_never_panics_at_any_size() {
    let keys = "jkJKgGhl\n\t-e/E!sonmzZcwtNypd?x";
    for (w, h) in [(120, 40), (80, 24), (40, 10), (20, 6)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app_in(w, h, dir.path().to_owned());
        for view in [
            "1",
            "2",
            "2\n",
            "3",
            "4",
            "4\t",
            "4\t\t",
            ":pods\n",
            ":co\n",
            ":events\n",
        ] {
            typ(&mut a, view);
            for c in keys.chars() {
                typ(&mut a, &c.to_string());
                if matches!(
                    a.mode,
                    casefile_tui::app::Mode::Filter(_) | casefile_tui::app::Mode::Palette(_)
                ) {
                    key(&mut a, KeyCode::Esc);
                }
                let _ = render(&a);
                a.update(Action::Back);
            }
        }
        assert!(!a.quit);
    }
}

/// A content source with no bytes: every row of the synthetic timeline below is held whole.
struct NoContent;

impl casefile_model::ContentSource for NoContent {
    fn content(&self, _: casefile_model::ArtifactId) -> Option<std::borrow::Cow<'_, [u8]>> {
        None
    }
    fn path(&self, _: casefile_model::ArtifactId) -> &'static str {
        "synthetic.log"
    }
    fn archive_label(&self, _: casefile_model::ArchiveId) -> String {
        "synthetic.tar.gz".into()
    }
}

#[test]
fn a_text_filter_over_a_long_timeline_runs_on_a_worker_after_enter() {
    use casefile_model::{ArchiveId, ArtifactId, Provenance, Snapshot, TimelineEntry};
    // Past the text threshold, below the one for filters that read no text.
    let n = casefile_tui::app::BACKGROUND_TEXT_FILTER_ROWS + 5_000;
    assert!(n < casefile_tui::app::BACKGROUND_FILTER_ROWS);
    let start = jiff::Timestamp::from_second(1_707_000_000).unwrap();
    let entries: Vec<TimelineEntry> = (0..n)
        .map(|i| TimelineEntry {
            at: start
                .checked_add(jiff::SignedDuration::from_secs(i as i64))
                .unwrap(),
            time_desc: "log line".into(),
            source: "log".into(),
            node: None,
            namespace: None,
            severity: if i % 10 == 0 {
                Severity::Warning
            } else {
                Severity::Info
            },
            rule: None,
            message: format!("row={i}"),
            provenance: Provenance::line(ArtifactId::new(ArchiveId(0), 0), i as u32 + 1),
        })
        .collect();
    let analysis = casefile_correlate::Analysis {
        trust: casefile_model::TrustReport::default(),
        hits: Vec::new(),
        findings: Vec::new(),
        timeline: casefile::Timeline {
            entries,
            coverage: Vec::new(),
        }
        .into(),
    };
    let data = std::sync::Arc::new(casefile_tui::CaseData::new(
        Snapshot::default(),
        analysis,
        std::sync::Arc::new(NoContent),
    ));
    let (tx, rx) = std::sync::mpsc::channel();
    let mut a = App::with_data(
        AppOptions {
            jobs: Some(tx),
            ..AppOptions::default()
        },
        data.clone(),
    );
    a.handle(Msg::Resize(120, 40));
    typ(&mut a, "3c");
    // A severity filter reads no text: applied at once.
    typ(&mut a, "s");
    assert!(!a.timeline.pending);
    assert_eq!(a.timeline.visible(data.timeline()).len(), n / 10);
    typ(&mut a, "c");
    // As typed, the text is not applied; on Enter it is, on the worker.
    typ(&mut a, "/row=2999");
    assert!(a.timeline.filter.text.is_empty());
    assert_eq!(a.timeline.visible(data.timeline()).len(), n);
    typ(&mut a, "\n");
    assert_eq!(a.timeline.filter.text, "row=2999");
    assert!(a.timeline.pending);
    let done = rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap();
    a.handle(done);
    assert!(!a.timeline.pending);
    let v = a.timeline.visible(data.timeline());
    let kept: Vec<usize> = (0..v.len()).map(|i| v.entry(i).unwrap()).collect();
    let want: Vec<usize> = (0..n)
        .filter(|i| format!("row={i}").contains("row=2999"))
        .collect();
    assert_eq!(kept, want);
}
