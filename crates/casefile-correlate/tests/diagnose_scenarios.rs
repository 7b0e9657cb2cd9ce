//! Diagnosis on every generated scenario matches its truth.json: the findings expected and
//! absent, the affected nodes, the rotated CA, and each cascade stage's time within a minute.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use casefile_correlate::{AnalyzeOptions, analyze};
use casefile_ingest::{Case, CaseOptions};
use casefile_model::{Finding, Stage, Timestamp};
use serde_json::Value;

fn scenario(name: &str) -> (Vec<Finding>, Value) {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name);
    let cache = tempfile::tempdir().unwrap();
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&dir), &opts).unwrap();
    let snapshot = case.snapshot().snapshot;
    let analysis = analyze(&snapshot, &case, &AnalyzeOptions::default());
    let truth = serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    (analysis.findings, truth)
}

fn ids(findings: &[Finding]) -> BTreeSet<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn ts(v: &Value) -> Timestamp {
    v.as_str().unwrap().parse().unwrap()
}

fn within_a_minute(a: Timestamp, b: Timestamp) -> bool {
    a.duration_since(b).abs().as_secs() <= 60
}

fn check_expected(name: &str) -> (Vec<Finding>, Value) {
    let (findings, truth) = scenario(name);
    let got = ids(&findings);
    for want in strings(&truth["expected_findings"]) {
        assert!(
            got.contains(want.as_str()),
            "{name}: missing {want}; got {got:?}"
        );
    }
    for absent in strings(&truth["absent_findings"]) {
        assert!(
            !got.contains(absent.as_str()),
            "{name}: unexpected {absent}"
        );
    }
    (findings, truth)
}

#[test]
fn okd_415_ca_rotation_matches_truth() {
    let (findings, truth) = check_expected("okd-415-ca-rotation");
    let root = findings
        .iter()
        .find(|f| f.id == "ca-trust-propagation")
        .unwrap();
    assert_eq!(
        findings[0].id, "ca-trust-propagation",
        "the root cause comes first"
    );
    let mut want = strings(&truth["affected_nodes"]);
    want.sort();
    assert_eq!(root.affected_nodes, want);
    let ca = root.ca.as_ref().unwrap();
    assert_eq!(
        ca.sha256,
        truth["rotated_ca"]["certificate"]["sha256"]
            .as_str()
            .unwrap()
    );
    let stage_at = |stage: Stage, node: Option<&str>| {
        root.cascade
            .iter()
            .find(|h| h.stage == stage && h.node.as_deref() == node)
            .and_then(|h| h.at)
    };
    assert!(within_a_minute(
        stage_at(Stage::CaRotated, None).unwrap(),
        ts(&truth["rotation_time"])
    ));
    assert!(within_a_minute(
        stage_at(Stage::ServingCertReissued, None).unwrap(),
        ts(&truth["serving_cert_switch_time"])
    ));
    assert!(stage_at(Stage::TrustNotPropagated, None).is_some());
    for (node, t) in truth["first_kubelet_tls_failure"].as_object().unwrap() {
        let got = stage_at(Stage::KubeletTlsFailure, Some(node))
            .unwrap_or_else(|| panic!("no kubelet TLS hop for {node}"));
        assert!(within_a_minute(got, ts(t)), "{node}: {got} vs {t}");
    }
    let first_sandbox = &truth["first_sandbox_failure"];
    let node = first_sandbox["node"].as_str().unwrap();
    let got = stage_at(Stage::SandboxFailure, Some(node)).unwrap();
    assert!(
        within_a_minute(got, ts(&first_sandbox["time"])),
        "{got} vs {}",
        first_sandbox["time"]
    );
    // Every hop carries evidence, and the script names every affected node.
    assert!(
        root.cascade.iter().all(|h| !h.evidence.is_empty()),
        "{:#?}",
        root.cascade
    );
    for n in &root.affected_nodes {
        assert!(root.remediation[0].contains(n.as_str()), "script lacks {n}");
    }
    assert!(root.remediation[0].contains("loadbalancer-serving-ca"));
    assert!(
        root.remediation
            .iter()
            .any(|s| s.contains("4.15.0-0.okd-2024-03-10-010116"))
    );
}

#[test]
fn rotation_propagated_raises_no_root_cause() {
    check_expected("rotation-propagated");
}

#[test]
fn healthy_raises_nothing_serious() {
    let (findings, _) = check_expected("healthy");
    assert!(
        findings
            .iter()
            .all(|f| f.severity < casefile_model::Severity::Warning),
        "{:?}",
        ids(&findings)
    );
}

#[test]
fn kubelet_client_ca_rotation_matches_truth() {
    let (findings, truth) = check_expected("kubelet-client-ca-rotation");
    let root = findings
        .iter()
        .find(|f| f.id == "ca-trust-propagation")
        .unwrap();
    let mut want = strings(&truth["affected_nodes"]);
    want.sort();
    assert_eq!(root.affected_nodes, want);
    assert_eq!(
        root.ca.as_ref().unwrap().sha256,
        truth["rotated_ca"]["certificate"]["sha256"]
            .as_str()
            .unwrap()
    );
}

/// Healthy real clusters, fresh from install (bootstrap noise included), raise no root cause.
#[test]
fn real_archives_raise_no_trust_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realdata");
    let inputs = [
        "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
        "openshift-must-gather-clean/test/files/must-gather-aws",
    ];
    for input in inputs {
        let path = root.join(input);
        if !path.exists() {
            eprintln!("skipping: {} not found", path.display());
            continue;
        }
        let cache = tempfile::tempdir().unwrap();
        let opts = CaseOptions {
            cache_dir: Some(cache.path().to_path_buf()),
            ..CaseOptions::default()
        };
        let case = Case::open(std::slice::from_ref(&path), &opts).unwrap();
        let snapshot = case.snapshot().snapshot;
        let analysis = analyze(&snapshot, &case, &AnalyzeOptions::default());
        let got = ids(&analysis.findings);
        for bad in [
            "ca-trust-propagation",
            "kubelet-api-tls-failure",
            "api-int-ca-rotated",
            "node-not-ready",
        ] {
            assert!(
                !got.contains(bad),
                "{input}: {bad} raised; findings {got:?}"
            );
        }
    }
}
