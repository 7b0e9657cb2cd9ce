//! Pruned decoding ([`Case::decode_view`]) gives exactly the value of a whole-text decode,
//! for every object of every kind the snapshot reads, on the generated scenarios and on the
//! real Azure must-gather (read in place; skipped when absent).
#![allow(clippy::unwrap_used)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use casefile_ingest::{Case, CaseOptions};
use casefile_model::kube::{
    CertificateSigningRequest, ClusterOperator, ClusterVersion, Event, Lease, MachineConfigPool,
    Node, Pod, Secret,
};
use serde::de::DeserializeOwned;

fn open(paths: &[PathBuf]) -> Case {
    let opts = CaseOptions {
        no_cache: true,
        ..CaseOptions::default()
    };
    Case::open(paths, &opts).unwrap()
}

/// Compares both decodes of every object of `kind`; returns (objects, objects pruned).
fn compare<T: DeserializeOwned + PartialEq + Debug>(
    case: &Case,
    group: &str,
    kind: &str,
) -> (usize, usize) {
    let mut pruned = 0;
    let refs: Vec<_> = case.objects_of_kind(group, kind).collect();
    for r in &refs {
        let whole = case.decode::<T>(*r);
        let view = case.decode_view::<T>(*r);
        let name = &case.record(*r).meta.name;
        match (&whole, &view) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{kind} {name}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{kind} {name}: whole {whole:?} vs view {view:?}"),
        }
        let text = case.object_text(*r).unwrap();
        if casefile_ingest::prune::prune(&text, casefile_ingest::prune::dropped_paths(kind))
            .is_some()
        {
            pruned += 1;
        }
    }
    (refs.len(), pruned)
}

fn compare_all(case: &Case) -> (usize, usize) {
    let parts = [
        compare::<Pod>(case, "", "Pod"),
        compare::<Node>(case, "", "Node"),
        compare::<Event>(case, "", "Event"),
        compare::<Event>(case, "events.k8s.io", "Event"),
        compare::<Secret>(case, "", "Secret"),
        compare::<ClusterOperator>(case, "config.openshift.io", "ClusterOperator"),
        compare::<ClusterVersion>(case, "config.openshift.io", "ClusterVersion"),
        compare::<MachineConfigPool>(
            case,
            "machineconfiguration.openshift.io",
            "MachineConfigPool",
        ),
        compare::<Lease>(case, "coordination.k8s.io", "Lease"),
        compare::<CertificateSigningRequest>(
            case,
            "certificates.k8s.io",
            "CertificateSigningRequest",
        ),
    ];
    parts.iter().fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
}

#[test]
fn pruned_decode_equals_whole_decode_on_the_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut total = (0, 0);
    for name in [
        "okd-415-ca-rotation",
        "kubelet-client-ca-rotation",
        "healthy",
        "rotation-propagated",
    ] {
        let case = open(&[root.join(name)]);
        let (n, p) = compare_all(&case);
        total = (total.0 + n, total.1 + p);
    }
    // The comparison ran on real numbers of objects, many of them actually pruned.
    assert!(total.0 > 500 && total.1 > 100, "{total:?}");
}

#[test]
fn pruned_decode_equals_whole_decode_on_the_real_azure_must_gather() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let case = open(&[path]);
    let (n, p) = compare_all(&case);
    assert!(n > 1000 && p > 100, "{n} objects, {p} pruned");
}
