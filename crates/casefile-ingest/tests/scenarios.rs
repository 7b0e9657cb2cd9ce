//! The parser crate reads every committed generated case without a single warning, and
//! finds what each case's truth.json says is there.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use casefile_ingest::{Case, CaseOptions};
use casefile_model::PartKind;

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

fn open(name: &str) -> (Case, serde_json::Value) {
    let dir = testdata().join(name);
    let cache = tempfile::tempdir().unwrap();
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&dir), &opts).unwrap();
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    (case, truth)
}

#[test]
fn every_generated_case_loads_without_warnings() {
    for name in [
        "okd-415-ca-rotation",
        "rotation-propagated",
        "healthy",
        "kubelet-client-ca-rotation",
    ] {
        let (case, truth) = open(name);
        let diags = case.diagnostics();
        assert!(diags.is_empty(), "{name}: {diags:?}");
        // One input per archive of the case folder: the must-gather and each sosreport.
        let sos = truth["archives"]["sosreports"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(case.archives().len(), 1 + sos, "{name}");
        let kinds: Vec<PartKind> = case.parts().map(|(_, p)| p.kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == PartKind::MustGather).count(),
            1,
            "{name}"
        );
        assert_eq!(
            kinds.iter().filter(|k| **k == PartKind::Sosreport).count(),
            sos,
            "{name}"
        );
        // Every node named in the truth is a Node object, and each sosreport maps to its node.
        let nodes = case.nodes().all().to_vec();
        for n in truth["nodes"].as_array().unwrap() {
            let name_ = n["name"].as_str().unwrap();
            assert!(
                nodes.iter().any(|x| x == name_),
                "{name}: node {name_} missing"
            );
            let short = n["journal_host"].as_str().unwrap();
            assert_eq!(
                case.nodes().canonical(short),
                Some(name_),
                "{name}: {short}"
            );
        }
        for s in truth["archives"]["sosreports"].as_array().unwrap() {
            let node = s["node"].as_str().unwrap();
            let found = case.parts().any(|(_, p)| {
                p.kind == PartKind::Sosreport
                    && p.hostname
                        .as_deref()
                        .and_then(|h| case.nodes().canonical(h))
                        == Some(node)
            });
            assert!(found, "{name}: sosreport of {node}");
        }
        // Collection time: the must-gather's timestamp files bracket the truth's collection time.
        let collected: jiff::Timestamp =
            truth["collection_time"].as_str().unwrap().parse().unwrap();
        let mg = case
            .parts()
            .find(|(_, p)| p.kind == PartKind::MustGather)
            .unwrap()
            .1;
        let at = mg.collected.as_ref().unwrap().at;
        assert!(
            at >= collected && at.duration_since(collected).as_secs() < 3600,
            "{name}: {at} vs {collected}"
        );
    }
}

#[test]
fn headline_case_summary() {
    let (case, truth) = open("okd-415-ca-rotation");
    let s = casefile_ingest::summary::CaseSummary::of(&case);
    assert_eq!(s.version.as_deref(), truth["cluster"]["version"].as_str());
    assert_eq!(
        s.born_version.as_deref(),
        truth["cluster"]["born_version"].as_str()
    );
    assert_eq!(s.network_type.as_deref(), Some("OVNKubernetes"));
    assert_eq!(
        s.api_internal_url.as_deref(),
        truth["cluster"]["api_int_url"].as_str()
    );
    let not_ready: Vec<&str> = s
        .nodes
        .iter()
        .filter(|n| n.status != "Ready")
        .map(|n| n.name.as_str())
        .collect();
    let mut want: Vec<&str> = truth["not_ready_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    want.sort_unstable();
    assert_eq!(not_ready, want);
}

/// Several threads opening the same archive with the same cache directory at once (as
/// parallel tests or embedding services do) all succeed, and agree.
#[test]
fn concurrent_opens_share_one_cache() {
    let dir = testdata().join("healthy");
    let cache = tempfile::tempdir().unwrap();
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let opts = CaseOptions {
                        cache_dir: Some(cache.path().to_path_buf()),
                        ..CaseOptions::default()
                    };
                    let case = Case::open(std::slice::from_ref(&dir), &opts).unwrap();
                    assert!(case.diagnostics().is_empty(), "{:?}", case.diagnostics());
                    case.objects().len()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
    // And a later open reuses what they left.
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&dir), &opts).unwrap();
    assert!(
        case.archives()
            .iter()
            .all(|a| a.mode == casefile_ingest::LoadMode::Cached)
    );
}
