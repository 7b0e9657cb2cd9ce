//! Benchmarks of the analysis stages on one case: the certificate inventory (ingest side),
//! snapshot assembly, trust analysis, signature scan, timeline and the whole `analyze`.
//!
//! The case defaults to the embedded sample; point `CASEFILE_BENCH_CASE` at a generated
//! scale case for the big figures:
//! `cargo xtask scenario scale --size 256MiB --out /tmp/scale && CASEFILE_BENCH_CASE=/tmp/scale cargo bench -p casefile-correlate --bench analyze`
#![forbid(unsafe_code)]

use std::path::PathBuf;

use casefile_correlate::rules::{RuleSet, scan};
use casefile_correlate::{AnalyzeOptions, analyze, timeline, trust};
use casefile_ingest::{Case, CaseOptions};
use criterion::{Criterion, criterion_group, criterion_main};

fn case_dir() -> PathBuf {
    std::env::var_os("CASEFILE_BENCH_CASE").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation"),
        PathBuf::from,
    )
}

fn bench(c: &mut Criterion) {
    let dir = case_dir();
    let cache = tempfile::tempdir().expect("temp dir");
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&dir), &opts).expect("opens");
    let snapshot = case.snapshot().snapshot;
    let rules = RuleSet::builtin();
    let hits = scan(&snapshot, &case, &rules);
    let mut g = c.benchmark_group(format!(
        "analyze/{}",
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    g.sample_size(10);
    g.bench_function("inventory", |b| {
        b.iter(|| casefile_ingest::certs::inventory(&case).entries.len());
    });
    g.bench_function("snapshot", |b| {
        b.iter(|| case.snapshot().snapshot.logs.len());
    });
    g.bench_function("trust", |b| {
        b.iter(|| trust::analyze_with(&snapshot, Some(&case)).consumers.len());
    });
    g.bench_function("scan", |b| b.iter(|| scan(&snapshot, &case, &rules).len()));
    g.bench_function("timeline", |b| {
        b.iter(|| {
            timeline::build(
                &snapshot,
                &case,
                &hits,
                &timeline::TimelineOptions::default(),
            )
            .entries
            .len()
        });
    });
    g.bench_function("analyze", |b| {
        b.iter(|| {
            analyze(&snapshot, &case, &AnalyzeOptions::default())
                .findings
                .len()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
