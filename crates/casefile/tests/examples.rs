//! Every example is built by `cargo test` and run here on the embedded sample case through
//! its `run` function (the same code its `main` calls), with its output checked.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "../examples/custom_rule.rs"]
mod custom_rule;
#[allow(dead_code)]
#[path = "../examples/timesketch.rs"]
mod timesketch;
#[allow(dead_code)]
#[path = "../examples/triage.rs"]
mod triage;
#[allow(dead_code)]
#[path = "../examples/trust_matrix.rs"]
mod trust_matrix;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation")
}

/// An example's `run`.
type Run = fn(&std::path::Path, &mut dyn std::io::Write) -> Result<(), Box<dyn std::error::Error>>;

fn output(run: Run) -> String {
    let mut out = Vec::new();
    run(&sample(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn triage_prints_findings_as_json() {
    let text = output(triage::run);
    let findings: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"ca-trust-propagation"), "{ids:?}");
}

#[test]
fn timesketch_writes_jsonl() {
    let text = output(timesketch::run);
    let mut lines = 0;
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(row["datetime"].is_string(), "{line}");
        assert!(row["message"].is_string(), "{line}");
        lines += 1;
    }
    assert!(lines > 10, "{lines} rows");
}

#[test]
fn trust_matrix_names_a_stale_consumer() {
    let text = output(trust_matrix::run);
    assert!(text.lines().any(|l| l.starts_with("signer ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("STALE ")), "{text}");
}

#[test]
fn custom_rule_has_hits() {
    let text = output(custom_rule::run);
    let first = text.lines().next().unwrap();
    let n: usize = first
        .strip_prefix("site-kubelet-unknown-authority: ")
        .and_then(|r| r.strip_suffix(" hits"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 0, "{text}");
    assert_eq!(text.lines().count(), 1 + n.min(5));
}
