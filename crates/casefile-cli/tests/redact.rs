//! `--redact` output can be shared: no node or host name, IP address or cluster domain of the
//! case survives, and the same value always gets the same token.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run(args: &[&str], cache: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .args(args)
        .env("CASEFILE_CACHE_DIR", cache)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn redacted_outputs_hide_names_addresses_and_domain() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation");
    let truth: Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let case = dir.to_str().unwrap();
    let mut secrets: Vec<String> =
        vec![truth["cluster"]["base_domain"].as_str().unwrap().to_owned()];
    for n in truth["nodes"].as_array().unwrap() {
        secrets.push(n["name"].as_str().unwrap().to_owned());
        secrets.push(n["journal_host"].as_str().unwrap().to_owned());
        secrets.push(n["internal_ip"].as_str().unwrap().to_owned());
    }
    for args in [
        vec!["diagnose", "--redact", case],
        vec!["diagnose", "--redact", "--format", "json", case],
        vec!["report", "--redact", case],
        vec!["timeline", "--redact", "--format", "jsonl", case],
        vec!["timeline", "--redact", "--format", "csv", case],
    ] {
        let text = run(&args, cache.path());
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{args:?} leaks {s}");
        }
        assert!(text.contains("host-1"), "{args:?}");
    }
    // Consistent tokens: each sosreport's node is the host its file name now carries.
    let report: Value = serde_json::from_str(&run(
        &["diagnose", "--redact", "--format", "json", case],
        cache.path(),
    ))
    .unwrap();
    for a in report["archives"].as_array().unwrap() {
        if let Some(node) = a["node"].as_str() {
            assert!(
                a["path"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("sosreport-{node}-")),
                "{a}"
            );
        }
    }
    // Without --redact nothing changes.
    assert!(
        run(&["diagnose", case], cache.path())
            .contains(truth["nodes"][0]["name"].as_str().unwrap())
    );
}
