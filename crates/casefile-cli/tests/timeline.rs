//! `casefile timeline` end to end: the real binary on the generated okd-415-ca-rotation case
//! (`testdata/`, checked against its `truth.json`), and on the real Azure must-gather (skipped
//! when absent).
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn casefile(cache: &Path, args: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .arg("--cache-dir")
        .arg(cache)
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn micros(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_microsecond()
}

const FIELDS: [&str; 12] = [
    "message",
    "datetime",
    "timestamp",
    "timestamp_desc",
    "source",
    "node",
    "namespace",
    "severity",
    "rule",
    "archive",
    "path",
    "line",
];

#[test]
fn jsonl_golden_on_okd_415() {
    let dir = testdata("okd-415-ca-rotation");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &["timeline", dir.to_str().unwrap(), "--format", "jsonl"],
    );
    assert!(ok, "{stderr}");
    let rows = jsonl(&stdout);
    assert!(rows.len() > 1000, "{}", rows.len());

    // Timesketch's fields, in the contract's order, on every line (checked on the text:
    // serde_json's Value does not keep key order).
    for line in stdout.lines() {
        let positions: Vec<usize> = FIELDS
            .iter()
            .map(|k| line.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
    }
    let mut last = i64::MIN;
    for r in &rows {
        let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = FIELDS.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want);
        for k in [
            "message",
            "datetime",
            "timestamp_desc",
            "source",
            "severity",
            "archive",
            "path",
        ] {
            assert!(r[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {r}");
        }
        let dt = r["datetime"].as_str().unwrap();
        assert!(dt.ends_with("+00:00") && dt.len() == 32, "{dt}");
        let ts = r["timestamp"].as_i64().unwrap();
        assert_eq!(ts, micros(dt), "{r}");
        assert!(ts >= last, "not sorted at {r}");
        last = ts;
        assert!(["info", "warning", "critical"].contains(&r["severity"].as_str().unwrap()));
        assert!(r["line"].as_u64().is_some_and(|l| l > 0), "{r}");
        assert!(
            r["archive"]
                .as_str()
                .unwrap()
                .contains("okd-415-ca-rotation/")
        );
    }

    // The first kubelet TLS failure of each node, as truth.json has it (within a second).
    for (node, at) in truth["first_kubelet_tls_failure"].as_object().unwrap() {
        let first = rows
            .iter()
            .find(|r| r["rule"] == "kubelet-api-tls-unknown-authority" && r["node"] == *node)
            .unwrap_or_else(|| panic!("{node}"));
        assert!(
            (first["timestamp"].as_i64().unwrap() - micros(at.as_str().unwrap())).abs()
                <= 1_000_000,
            "{first}"
        );
        assert_eq!(first["severity"], "critical");
        assert_eq!(first["source"], "journal");
        assert_eq!(first["timestamp_desc"], "kubelet journal entry");
        assert!(
            first["message"]
                .as_str()
                .unwrap()
                .contains("x509: certificate signed by unknown authority")
        );
    }
    // The first sandbox failure (the kubelet's CreatePodSandbox line).
    let fs = &truth["first_sandbox_failure"];
    let sandbox = rows
        .iter()
        .find(|r| {
            r["rule"]
                .as_str()
                .is_some_and(|s| s.starts_with("kubelet-sandbox-failure"))
                && r["severity"] == "critical"
        })
        .unwrap();
    assert_eq!(sandbox["node"], fs["node"]);
    assert!(
        (sandbox["timestamp"].as_i64().unwrap() - micros(fs["time"].as_str().unwrap())).abs()
            <= 1_000_000
    );
    // Events keep first/last seen and the aggregation marker.
    assert!(rows.iter().any(|r| {
        r["timestamp_desc"] == "event first seen"
            && r["message"]
                .as_str()
                .unwrap()
                .contains("(combined from similar events)")
            && r["namespace"] == "openshift-operator-lifecycle-manager"
    }));
    assert!(
        rows.iter()
            .any(|r| r["timestamp_desc"] == "event last seen")
    );
    // The worker without a sosreport shows up as a gap on stderr.
    assert!(
        stderr.contains(
            "note: no kubelet journal for node ip-10-0-46-11.eu-central-1.compute.internal"
        ),
        "{stderr}"
    );
}

#[test]
fn filters_csv_markdown_and_rules() {
    let dir = testdata("okd-415-ca-rotation");
    let case = dir.to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();

    // --node (short host name), --min-severity, --since relative to the collection time.
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &[
            "timeline",
            case,
            "--node",
            "ip-10-0-42-69",
            "--min-severity",
            "critical",
            "--since",
            "-6h",
            "-q",
        ],
    );
    assert!(ok, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let rows = jsonl(&stdout);
    assert!(!rows.is_empty());
    // collected 2024-02-10T05:40:12.31Z; 6 hours before
    let since = micros("2024-02-09T23:40:12.31Z");
    for r in &rows {
        assert_eq!(r["node"], "ip-10-0-42-69.eu-central-1.compute.internal");
        assert_eq!(r["severity"], "critical");
        assert!(r["timestamp"].as_i64().unwrap() >= since);
    }

    // --source and CSV
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &[
            "timeline",
            case,
            "--source",
            "clusterversion",
            "--format",
            "csv",
            "-q",
        ],
    );
    assert!(ok, "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next().unwrap(), FIELDS.join(","));
    let body: Vec<&str> = lines.collect();
    assert!(!body.is_empty());
    assert!(
        body.iter().all(|l| l.contains(",clusterversion,")),
        "{stdout}"
    );

    // Markdown
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &[
            "timeline",
            case,
            "--format",
            "markdown",
            "--until",
            "2024-02-01T00:00:00Z",
            "--source",
            "pod-log",
            "-q",
        ],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("# Timeline"));
    assert!(stdout.contains("signer-secret-deleted"), "{stdout}");

    // A user rule takes precedence over the built-in ones.
    let rules = cache.path().join("my-rules.yaml");
    std::fs::write(
        &rules,
        "rules:\n  - id: my-lb-signer-recreated\n    source: {kind: pod-log, namespace: openshift-kube-apiserver-operator}\n    any: ['Created Secret/loadbalancer-serving-signer']\n    pattern: 'because it was missing'\n    severity: critical\n    stage: ca-rotated\n    explain: the api-int CA was minted again\n",
    )
    .unwrap();
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &[
            "timeline",
            case,
            "--rules",
            rules.to_str().unwrap(),
            "--source",
            "pod-log",
            "--min-severity",
            "critical",
            "--until",
            "2024-02-01T00:00:00Z",
            "-q",
        ],
    );
    assert!(ok, "{stderr}");
    let rows = jsonl(&stdout);
    assert!(
        rows.iter().any(|r| r["rule"] == "my-lb-signer-recreated"),
        "{stdout}"
    );

    // Bad input: a clear error and exit code 2, before the case is opened.
    let (_, stderr, ok) = casefile(cache.path(), &["timeline", case, "--since", "yesterday"]);
    assert!(!ok && stderr.contains("invalid --since"), "{stderr}");
    std::fs::write(&rules, "rules:\n  - id: broken\n    source: {kind: journal}\n    pattern: '('\n    severity: info\n").unwrap();
    let (_, stderr, ok) = casefile(
        cache.path(),
        &["timeline", case, "--rules", rules.to_str().unwrap()],
    );
    assert!(
        !ok && stderr.contains("broken") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn azure_timeline_has_no_critical_row() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let (stdout, stderr, ok) = casefile(cache.path(), &["timeline", path.to_str().unwrap(), "-q"]);
    assert!(ok, "{stderr}");
    let rows = jsonl(&stdout);
    assert!(rows.len() > 1000);
    assert!(rows.iter().all(|r| r["severity"] != "critical"));
    assert!(
        rows.iter()
            .any(|r| r["rule"] == "bootstrap-cni-not-configured" && r["severity"] == "info")
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_streamed_export_quietly() {
    // The export is streamed (9 MB here, far over a pipe's buffer): a reader that closes
    // the pipe after one line, as `| head -1` does, must not turn into an error.
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let cache = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["timeline", "--format", "jsonl"])
        .arg(testdata("okd-415-ca-rotation"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader (and the pipe) is dropped here.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("cannot write"), "{stderr}");
    assert!(jsonl(&first)[0]["datetime"].is_string(), "{first}");
}
