//! The merged timeline carries every source family, each row with provenance: lease
//! heartbeats, CSR approvals, object creation, certificate rotations next to logs and events.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use casefile_correlate::{AnalyzeOptions, analyze};
use casefile_ingest::{Case, CaseOptions};
use casefile_model::ContentSource;

#[test]
fn every_source_family_is_in_the_headline_timeline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation");
    let cache = tempfile::tempdir().unwrap();
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&dir), &opts).unwrap();
    let snapshot = case.snapshot().snapshot;
    let analysis = analyze(&snapshot, &case, &AnalyzeOptions::default());
    let timeline = analysis.timeline.collect(&snapshot, &case);
    let entries = &timeline.entries;
    let sources: BTreeSet<&str> = entries.iter().map(|e| e.source.as_str()).collect();
    for s in [
        "journal",
        "pod-log",
        "event",
        "node",
        "clusteroperator",
        "clusterversion",
        "certificate",
        "lease",
        "csr",
        "object",
    ] {
        assert!(sources.contains(s), "no {s} rows: {sources:?}");
    }
    // A NotReady node's lease renew time is its last heartbeat, mapped to the node's name.
    let hb = entries
        .iter()
        .find(|e| {
            e.source == "lease"
                && e.node.as_deref() == Some("ip-10-0-42-69.eu-central-1.compute.internal")
        })
        .unwrap();
    assert!(hb.message.contains("last kubelet heartbeat"));
    assert!(
        case.path(hb.provenance.artifact).ends_with(
            "coordination.k8s.io/leases/ip-10-0-42-69.eu-central-1.compute.internal.yaml"
        )
    );
    // Sorted by time, and every row points at a file of the case.
    assert!(entries.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(
        entries
            .iter()
            .all(|e| !case.path(e.provenance.artifact).is_empty())
    );
}
