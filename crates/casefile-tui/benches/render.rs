//! Rendering with a synthetic one-million-row timeline: time to the first frame once the
//! data is ready (building the app state and drawing the findings page, then the timeline),
//! and per-frame time while scrolling, paging, zoomed and filtered.
//!
//! `cargo bench -p casefile-tui --bench render`
#![forbid(unsafe_code)]
#![allow(missing_docs, clippy::unwrap_used)]

use std::borrow::Cow;
use std::hint::black_box;
use std::sync::Arc;

use casefile_correlate::Analysis;
use casefile_correlate::timeline::Timeline;
use casefile_model::{
    ArchiveId, ArtifactId, ContentSource, Provenance, Severity, Snapshot, TimelineEntry, Timestamp,
};
use casefile_tui::action::Msg;
use casefile_tui::{Action, App, AppOptions, CaseData};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ROWS: usize = 1_000_000;

struct Stub;

impl ContentSource for Stub {
    fn content(&self, _: ArtifactId) -> Option<Cow<'_, [u8]>> {
        None
    }
    fn path(&self, _: ArtifactId) -> &'static str {
        "sos_commands/openshift/journalctl_--no-pager_--unit_kubelet"
    }
    fn archive_label(&self, _: ArchiveId) -> String {
        "synthetic.tar.xz".into()
    }
}

fn synthetic() -> Arc<CaseData> {
    let start = Timestamp::from_second(1_707_000_000).unwrap();
    let sources = ["journal", "pod-log", "event", "node", "clusteroperator"];
    let entries: Vec<TimelineEntry> = (0..ROWS)
        .map(|i| {
            let severity = match i % 97 {
                0 => Severity::Critical,
                1..=4 => Severity::Warning,
                _ => Severity::Info,
            };
            TimelineEntry {
                at: start
                    .checked_add(jiff::SignedDuration::from_millis(i as i64 * 731))
                    .unwrap(),
                time_desc: "kubelet journal entry".into(),
                source: sources[i % sources.len()].into(),
                node: Some(format!("ip-10-0-{}-{}.eu-central-1.compute.internal", i % 7, i % 13)),
                namespace: (i % 3 == 0).then(|| "openshift-multus".to_owned()),
                severity,
                rule: (severity == Severity::Critical).then(|| "kubelet-api-tls-unknown-authority".to_owned()),
                message: format!(
                    "kubenswrapper[2709]: E0209 08:13:52.{i:06} 2709 kubelet_node_status.go:96] \"Unable to register node\" err=\"x509: certificate signed by unknown authority\" row={i}"
                ),
                provenance: Provenance::line(ArtifactId::new(ArchiveId(0), 1), (i % 100_000) as u32 + 1),
            }
        })
        .collect();
    let snapshot = Snapshot {
        collected_at: entries.last().map(|e| e.at),
        ..Snapshot::default()
    };
    let analysis = Analysis {
        trust: casefile_model::TrustReport::default(),
        hits: Vec::new(),
        findings: Vec::new(),
        timeline: Timeline {
            entries,
            coverage: Vec::new(),
        }
        .into(),
    };
    Arc::new(CaseData::new(snapshot, analysis, Arc::new(Stub)))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| casefile_tui::view::draw(app, f)).unwrap();
}

fn bench(c: &mut Criterion) {
    let data = synthetic();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    c.bench_function("first_frame_1m_rows", |b| {
        b.iter(|| {
            let mut app = App::with_data(AppOptions::default(), data.clone());
            app.handle(Msg::Resize(120, 40));
            draw(&mut terminal, &app);
            app.update(Action::ViewTimeline);
            draw(&mut terminal, &app);
            black_box(app.timeline.cur.sel)
        });
    });

    let mut app = App::with_data(AppOptions::default(), data.clone());
    app.handle(Msg::Resize(120, 40));
    app.update(Action::ViewTimeline);
    app.update(Action::ClearFilters);
    c.bench_function("frame_1m_rows_scroll", |b| {
        b.iter(|| {
            app.update(Action::Down);
            draw(&mut terminal, &app);
        });
    });
    c.bench_function("frame_1m_rows_page_down", |b| {
        b.iter(|| {
            app.update(Action::PageDown);
            if app.timeline.cur.sel + 100 >= ROWS {
                app.update(Action::Top);
            }
            draw(&mut terminal, &app);
        });
    });
    app.update(Action::Top);
    for _ in 0..6 {
        app.update(Action::ZoomIn);
    }
    c.bench_function("frame_1m_rows_zoomed", |b| {
        b.iter(|| {
            app.update(Action::Down);
            draw(&mut terminal, &app);
        });
    });
    app.update(Action::ClearFilters);
    app.update(Action::CycleSeverity);
    c.bench_function("frame_1m_rows_filtered", |b| {
        b.iter(|| {
            app.update(Action::Down);
            draw(&mut terminal, &app);
        });
    });

    let mut group = c.benchmark_group("filter");
    group.sample_size(10);
    group.bench_function("regex_1m_rows", |b| {
        let re = casefile_tui::timeline::compile("row=99").unwrap();
        let f = casefile_tui::timeline::TimelineFilter {
            text: "row=99".into(),
            ..Default::default()
        };
        b.iter(|| {
            black_box(
                casefile_tui::timeline::filter_rows(data.timeline(), &f, re.as_ref(), |i| {
                    data.timeline_message(i)
                })
                .len(),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
