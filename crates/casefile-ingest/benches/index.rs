//! Benchmarks of the ingest hot stages on the real Azure must-gather (skipped when absent):
//! cold open (stream + decode + index, no cache), warm open (persistent index), and the
//! shallow YAML scanner on the largest List file.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use casefile_ingest::{Case, CaseOptions};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn azure() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    p.exists().then_some(p)
}

fn bench_open(c: &mut Criterion) {
    let Some(input) = azure() else {
        eprintln!("realdata absent: skipping ingest benchmarks");
        return;
    };
    let mut g = c.benchmark_group("azure-must-gather");
    g.sample_size(10);
    g.bench_function("cold-open-no-cache", |b| {
        let opts = CaseOptions {
            no_cache: true,
            ..CaseOptions::default()
        };
        b.iter(|| Case::open(std::slice::from_ref(&input), &opts).expect("opens"));
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = CaseOptions {
        cache_dir: Some(dir.path().to_path_buf()),
        ..CaseOptions::default()
    };
    Case::open(std::slice::from_ref(&input), &opts).expect("primes the cache");
    g.bench_function("warm-open-cached", |b| {
        b.iter(|| Case::open(std::slice::from_ref(&input), &opts).expect("opens"));
    });
    let case = Case::open(std::slice::from_ref(&input), &opts).expect("opens");
    let a = &case.archives()[0].data;
    let (id, _) = a
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.path.ends_with(".yaml"))
        .max_by_key(|(_, e)| e.size)
        .expect("a yaml file");
    let bytes = a.content(id as u32).expect("content").into_owned();
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("shallow-scan-largest-yaml", |b| {
        b.iter(|| casefile_ingest::yamlscan::scan(&bytes).map_or(0, |v| v.len()));
    });
    g.finish();
}

criterion_group!(benches, bench_open);
criterion_main!(benches);
