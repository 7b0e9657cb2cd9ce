//! Golden tests: the real binary's `diagnose --format json` on every generated scenario agrees
//! with its truth.json, and `report` writes a post-mortem quoting the evidence.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn run(args: &[&str], cache: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_casefile"))
        .args(args)
        .env("CASEFILE_CACHE_DIR", cache)
        .output()
        .unwrap()
}

fn diagnose(name: &str) -> (Value, Value) {
    let cache = tempfile::tempdir().unwrap();
    let dir = scenario(name);
    let out = run(
        &["diagnose", "--format", "json", dir.to_str().unwrap()],
        cache.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let truth: Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    (report, truth)
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn headline_json_contract() {
    let (report, truth) = diagnose("okd-415-ca-rotation");
    assert_eq!(report["warnings"].as_array().unwrap().len(), 0);
    assert_eq!(report["archives"].as_array().unwrap().len(), 4);
    let root = &report["findings"][0];
    assert_eq!(root["id"], "ca-trust-propagation");
    assert_eq!(root["severity"], "critical");
    assert_eq!(
        root["ca"]["sha256"],
        truth["rotated_ca"]["certificate"]["sha256"]
    );
    let mut want: Vec<&str> = truth["affected_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    want.sort_unstable();
    let got: Vec<&str> = root["affected_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(got, want);
    let stages: Vec<&str> = root["cascade"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["stage"].as_str().unwrap())
        .collect();
    for s in [
        "ca-rotated",
        "serving-cert-reissued",
        "trust-not-propagated",
        "kubelet-tls-failure",
        "node-not-ready",
        "multus-failure",
        "sandbox-failure",
        "network-degraded",
    ] {
        assert!(stages.contains(&s), "stage {s} missing: {stages:?}");
    }
    // Every hop's evidence names an archive of the case, a path and a line.
    for hop in root["cascade"].as_array().unwrap() {
        let ev = hop["evidence"].as_array().unwrap();
        assert!(!ev.is_empty(), "{hop}");
        for e in ev {
            assert!(
                e["archive"]
                    .as_str()
                    .unwrap()
                    .contains("okd-415-ca-rotation"),
                "{e}"
            );
            assert!(!e["path"].as_str().unwrap().is_empty());
        }
    }
    for want in truth["expected_findings"].as_array().unwrap() {
        assert!(
            ids(&report).iter().any(|i| i == want.as_str().unwrap()),
            "{want}"
        );
    }
}

#[test]
fn no_root_cause_without_symptoms_or_rotation() {
    for name in ["rotation-propagated", "healthy"] {
        let (report, truth) = diagnose(name);
        let got = ids(&report);
        assert!(
            !got.iter().any(|i| i == "ca-trust-propagation"),
            "{name}: {got:?}"
        );
        for absent in truth["absent_findings"].as_array().unwrap() {
            assert!(
                !got.iter().any(|i| i == absent.as_str().unwrap()),
                "{name}: {absent}"
            );
        }
    }
}

#[test]
fn report_writes_a_postmortem() {
    let cache = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let md = out_dir.path().join("postmortem.md");
    let dir = scenario("okd-415-ca-rotation");
    let out = run(
        &["report", dir.to_str().unwrap(), "-o", md.to_str().unwrap()],
        cache.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&md).unwrap();
    for needle in [
        "# Post-mortem",
        "## What happened, in order",
        "## Evidence",
        "## Remediation",
        "## Follow-ups",
        "loadbalancer-serving-ca",
        "x509: certificate signed by unknown authority",
    ] {
        assert!(text.contains(needle), "post-mortem lacks {needle:?}");
    }
}
