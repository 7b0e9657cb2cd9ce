//! Trust analysis on the committed generated cases (`testdata/<scenario>`), checked against
//! each scenario's `truth.json`, and on the real Azure must-gather when it is present.
//!
//! Consumers are compared as truth.json names them: `ns/name` for namespaced objects
//! (`openshift-multus/kube-root-ca.crt`), `machineconfig/<name>` for rendered
//! MachineConfigs.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use casefile_correlate::trust::{self, analyze_with};
use casefile_ingest::{Case, CaseOptions};
use casefile_model::{ConsumerVerdict, Timestamp, TrustReport};
use serde_json::Value;

const AZURE: &str = "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz";

/// A case opened with a temporary cache that lives as long as the case.
struct Loaded {
    _cache: tempfile::TempDir,
    _case: Case,
    report: TrustReport,
}

fn testdata(scenario: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(scenario)
}

fn open(archives: &[PathBuf]) -> Loaded {
    let cache = tempfile::tempdir().unwrap();
    let opts = CaseOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(archives, &opts).unwrap_or_else(|e| panic!("{archives:?}: {e}"));
    let snapshot = case.snapshot().snapshot;
    let report = analyze_with(&snapshot, Some(&case));
    Loaded {
        _cache: cache,
        _case: case,
        report,
    }
}

/// Every archive of a scenario directory, as one case.
fn load(scenario: &str) -> (Loaded, Value) {
    let dir = testdata(scenario);
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains(".tar"))
        })
        .collect();
    archives.sort();
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    (open(&archives), truth)
}

fn ts(v: &Value) -> Timestamp {
    v.as_str()
        .unwrap_or_else(|| panic!("not a time: {v}"))
        .parse()
        .unwrap()
}

fn near(a: Timestamp, b: Timestamp, secs: i64) -> bool {
    a.duration_since(b).as_secs().abs() <= secs
}

/// A verdict's consumer as truth.json names it.
fn truth_name(v: &ConsumerVerdict) -> String {
    let object = v.consumer.split_whitespace().next().unwrap_or_default();
    let parts: Vec<&str> = object.split('/').collect();
    match parts.as_slice() {
        [ns, _, name] => format!("{ns}/{name}"),
        ["MachineConfig", name] => format!("machineconfig/{name}"),
        _ => v.consumer.clone(),
    }
}

/// truth.json's consumer names, without the parenthesized remark.
fn truth_list(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().split(" (").next().unwrap().to_owned())
        .collect()
}

fn stale_names(r: &TrustReport) -> BTreeSet<String> {
    r.stale().map(truth_name).collect()
}

fn summary(r: &TrustReport) -> String {
    let mut out = String::new();
    for v in r.consumers.iter().filter(|v| !v.trusts_current) {
        let _ = writeln!(out, "{} x {}: {}", v.consumer, v.chain, v.note);
    }
    out
}

/// Checks the rotated signer, both generations, the rotation and the serving switch that
/// truth.json describes; returns the serving chain's target.
fn check_rotation(r: &TrustReport, truth: &Value) -> String {
    let rotated = &truth["rotated_ca"];
    let previous = &truth["previous_ca"];
    let signer = r
        .signer(rotated["secret"].as_str().unwrap())
        .unwrap_or_else(|| panic!("signer not named: {:#?}", r.signers));
    let gen_of = |sha: &Value| {
        signer
            .generations
            .iter()
            .find(|g| g.ca.sha256 == sha.as_str().unwrap())
            .unwrap_or_else(|| panic!("generation {sha} not found in {:#?}", signer.generations))
    };
    let old = gen_of(&previous["sha256"]);
    let new = gen_of(&rotated["certificate"]["sha256"]);
    assert_eq!(old.cn, previous["subject_cn"].as_str().unwrap());
    assert_eq!(
        new.cn,
        rotated["certificate"]["subject_cn"].as_str().unwrap()
    );
    assert_eq!(old.ca.not_before, ts(&previous["not_before"]));
    assert!(
        near(old.born, ts(&previous["not_before"]), 1),
        "old born {}",
        old.born
    );
    assert!(
        near(new.born, ts(&truth["rotation_time"]), 2),
        "new born {} ({})",
        new.born,
        new.born_from
    );
    assert!(new.current && !old.current);
    assert_ne!(old.spki_sha256, new.spki_sha256);

    let rotation = r
        .rotations
        .iter()
        .find(|x| x.signer == signer.name && x.to.sha256 == new.ca.sha256)
        .unwrap_or_else(|| panic!("no rotation: {:#?}", r.rotations));
    assert_eq!(rotation.from.as_ref().unwrap().sha256, old.ca.sha256);
    assert!(near(rotation.at, ts(&truth["rotation_time"]), 2));
    assert!(!rotation.evidence.is_empty());

    let serving = &truth["serving_cert"];
    let target = serving["secret"].as_str().unwrap();
    let chain = r
        .chain(target)
        .unwrap_or_else(|| panic!("no chain {target}: {:#?}", r.serving));
    assert_eq!(
        chain.cert.sha256,
        serving["certificate"]["sha256"].as_str().unwrap()
    );
    assert_eq!(
        chain.issued_by.as_ref().unwrap().sha256,
        new.ca.sha256,
        "issuer by signature"
    );
    assert_eq!(chain.signer.as_deref(), Some(signer.name.as_str()));
    assert_eq!(
        chain.previous_issuer.as_ref().unwrap().sha256,
        old.ca.sha256
    );
    let switched = chain.switched_at.unwrap();
    assert!(
        near(switched, ts(&serving["switch_time"]), 2),
        "switched {switched}"
    );
    target.to_owned()
}

#[test]
fn okd_415_ca_rotation() {
    let (l, truth) = load("okd-415-ca-rotation");
    let r = &l.report;
    let target = check_rotation(r, &truth);
    assert_eq!(
        target,
        "openshift-kube-apiserver/internal-loadbalancer-serving-certkey"
    );
    let chain = r.chain(&target).unwrap();
    assert_eq!(chain.purpose, "api-int");
    assert_eq!(
        chain.switched_at.unwrap().to_string()[..18],
        *"2024-02-09T02:14:5"
    );

    // The re-creation happened in the operator's pod log (the Event objects expired).
    let signer = r
        .signer("openshift-kube-apiserver-operator/loadbalancer-serving-signer")
        .unwrap();
    let new = signer.generations.last().unwrap();
    assert!(
        new.born.to_string().starts_with("2024-01-31T14:37"),
        "{}",
        new.born
    );
    assert!(
        new.born_from.contains("SecretCreated event"),
        "{}",
        new.born_from
    );
    assert!(
        signer.generations[0]
            .born
            .to_string()
            .starts_with("2020-12-02")
    );
    let rotation = r
        .rotations
        .iter()
        .find(|x| x.signer == signer.name)
        .unwrap();
    assert!(
        rotation.premature,
        "a 10-year signer re-created after 3 years"
    );
    assert!(
        r.hazards
            .iter()
            .any(|h| h.kind == "premature-signer-rotation"
                && h.object.ends_with("/Secret/loadbalancer-serving-signer"))
    );
    // The other legacy signers were deleted and created again with their CA kept.
    let recreated: BTreeSet<&str> = r
        .hazards
        .iter()
        .filter(|h| h.kind == "signer-secret-recreated")
        .map(|h| h.object.as_str())
        .collect();
    assert!(
        recreated.contains("openshift-kube-apiserver-operator/Secret/localhost-serving-signer"),
        "{recreated:?}"
    );

    // The api chain still comes from the old CA: it never switched.
    let api = r
        .chain("openshift-kube-apiserver/external-loadbalancer-serving-certkey")
        .unwrap();
    assert_eq!(
        api.cert.sha256,
        truth["serving_cert"]["external_loadbalancer_serving_certkey"]["sha256"]
            .as_str()
            .unwrap()
    );
    assert_eq!(api.switched_at, None);

    // Exactly the stale consumers truth.json lists, all on the api-int chain, stale since the switch.
    let want = truth_list(&truth["consumers"]["stale"]);
    assert_eq!(stale_names(r), want, "\n{}", summary(r));
    for v in r.stale() {
        assert_eq!(v.chain, target);
        assert_eq!(v.stale_since, chain.switched_at);
        assert_eq!(
            v.missing_ca.as_ref().unwrap().sha256,
            truth["rotated_ca"]["certificate"]["sha256"]
                .as_str()
                .unwrap()
        );
    }
    // Every updated consumer has a trusting verdict on the api-int chain.
    let trusting: BTreeSet<String> = r
        .consumers
        .iter()
        .filter(|v| v.chain == target && v.trusts_current)
        .map(truth_name)
        .collect();
    for u in truth_list(&truth["consumers"]["updated"]) {
        assert!(
            trusting.contains(&u),
            "{u} should trust the new api-int certificate\n{}",
            summary(r)
        );
    }

    let rows = trust::timeline(r);
    assert!(
        rows.iter()
            .any(|t| t.rule.as_deref() == Some("trust-not-propagated"))
    );
    eprint!("{}", summary(r));
}

#[test]
fn rotation_propagated() {
    let (l, truth) = load("rotation-propagated");
    let r = &l.report;
    let target = check_rotation(r, &truth);
    assert_eq!(r.stale().count(), 0, "\n{}", summary(r));
    // The frozen day-1 bundle lacks the new CA by design; MCO's kubeconfig-data carries it.
    for name in truth_list(&truth["consumers"]["stale"]) {
        let v = r
            .consumers
            .iter()
            .find(|v| v.chain == target && truth_name(v) == name)
            .unwrap();
        assert!(!v.trusts_current);
        assert!(
            v.superseded_by
                .as_deref()
                .unwrap()
                .contains("kubeconfig-data"),
            "{v:?}"
        );
    }
    let trusting: BTreeSet<String> = r
        .consumers
        .iter()
        .filter(|v| v.chain == target && v.trusts_current)
        .map(truth_name)
        .collect();
    for u in truth_list(&truth["consumers"]["updated"]) {
        assert!(trusting.contains(&u), "{u}\n{}", summary(r));
    }
}

#[test]
fn healthy() {
    let (l, truth) = load("healthy");
    let r = &l.report;
    assert!(truth["consumers"].is_null());
    assert_eq!(r.stale().count(), 0, "\n{}", summary(r));
    assert!(r.rotations.is_empty(), "{:#?}", r.rotations);
    assert!(r.hazards.is_empty(), "{:#?}", r.hazards);
    let api_int = r
        .chain("openshift-kube-apiserver/internal-loadbalancer-serving-certkey")
        .unwrap();
    assert_eq!(api_int.switched_at, None);
    assert!(
        r.consumers
            .iter()
            .filter(|v| v.chain == api_int.target)
            .all(|v| v.trusts_current)
    );
}

#[test]
fn kubelet_client_ca_rotation() {
    let (l, truth) = load("kubelet-client-ca-rotation");
    let target = check_rotation(&l.report, &truth);
    assert_eq!(target, "openshift-kube-apiserver/kubelet-client");
    let r = &l.report;
    assert_eq!(r.chain(&target).unwrap().purpose, "kubelet-client");
    assert!(
        r.rotations.iter().all(|x| !x.premature),
        "{:#?}",
        r.rotations
    );
    // Born in 4.6: the three legacy signer Secrets still have type SecretTypeTLS.
    let legacy: BTreeSet<&str> = r
        .hazards
        .iter()
        .filter(|h| h.kind == "legacy-secret-type")
        .map(|h| h.object.as_str())
        .collect();
    for s in [
        "loadbalancer-serving-signer",
        "localhost-serving-signer",
        "service-network-serving-signer",
    ] {
        assert!(
            legacy.contains(format!("openshift-kube-apiserver-operator/Secret/{s}").as_str()),
            "{legacy:?}"
        );
    }
    let trusting: BTreeSet<String> = r
        .consumers
        .iter()
        .filter(|v| v.chain == target && v.trusts_current)
        .map(truth_name)
        .collect();
    for u in truth_list(&truth["consumers"]["updated"]) {
        assert!(trusting.contains(&u), "{u}\n{}", summary(r));
    }
    // The stale copy is the worker pool's rendered MachineConfig (`/etc/kubernetes/kubelet-ca.crt`),
    // read by the inventory from the MachineConfig's ignition files.
    assert_eq!(
        stale_names(r),
        truth_list(&truth["consumers"]["stale"]),
        "\n{}",
        summary(r)
    );
    let v = r.stale().next().unwrap();
    assert_eq!(v.stale_since, r.chain(&target).unwrap().switched_at);
    assert_eq!(v.chain, target);
}

#[test]
fn real_azure_must_gather() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata")
        .join(AZURE);
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let l = open(&[path]);
    let r = &l.report;
    assert_eq!(r.stale().count(), 0, "\n{}", summary(r));
    assert!(
        r.rotations.iter().all(|x| !x.premature),
        "{:#?}",
        r.rotations
    );
    assert!(
        r.hazards
            .iter()
            .all(|h| h.kind != "premature-signer-rotation")
    );
    // The day-1 signers and the chains that matter are all there.
    for s in [
        "openshift-kube-apiserver-operator/loadbalancer-serving-signer",
        "openshift-kube-controller-manager-operator/csr-signer-signer",
    ] {
        assert!(r.signer(s).is_some(), "{s}");
    }
    let api_int = r
        .chain("openshift-kube-apiserver/internal-loadbalancer-serving-certkey")
        .unwrap();
    assert_eq!(
        api_int.issued_by.as_ref().map(|i| i.subject.as_str()),
        Some("OU=openshift, CN=kube-apiserver-lb-signer")
    );
    assert!(
        r.consumers
            .iter()
            .any(|v| v.chain == api_int.target && v.trusts_current)
    );
}
