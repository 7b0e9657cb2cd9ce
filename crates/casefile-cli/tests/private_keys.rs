//! A private key inside an archive (seen in real CA bundles) never reaches any output.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

/// The body line of the key: if it shows up anywhere, the key leaked.
const KEY_BODY: &str = "MIIEowIBAAKCAQEAv3ryPrivateKeyBodyLineThatMustNeverBePrinted0123456789";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().fold(String::new(), |mut out, l| {
        out.push_str(&pad);
        out.push_str(l);
        out.push('\n');
        out
    })
}

fn build_case(root: &Path) {
    let ca = rcgen::CertificateParams::new(vec!["leaky-ca".to_owned()]).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = ca.self_signed(&key).unwrap().pem();
    let private = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}\nAAAA\n-----END RSA PRIVATE KEY-----\n"
    );
    let bundle = format!("{cert}{private}");
    let img = "mg/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0000";
    write(
        root,
        "mg/timestamp",
        "2024-02-10 05:40:12.31 +0000 UTC m=+0.1\n",
    );
    write(
        root,
        &format!("{img}/timestamp"),
        "2024-02-10 05:40:12.31 +0000 UTC m=+0.1\n",
    );
    write(
        root,
        &format!("{img}/version"),
        "openshift/must-gather\n4.15\n",
    );
    let cm = format!(
        "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    ca-bundle.crt: |\n{}  kind: ConfigMap\n  metadata:\n    creationTimestamp: \"2024-02-01T00:00:00Z\"\n    name: oauth-serving-cert\n    namespace: openshift-config-managed\n    uid: 0000-1111\nkind: ConfigMapList\nmetadata:\n  resourceVersion: \"\"\n",
        indent(&bundle, 6)
    );
    write(
        root,
        &format!("{img}/namespaces/openshift-config-managed/core/configmaps.yaml"),
        &cm,
    );
    // The same key in a log line and as base64 in a secret-like value.
    let log = format!(
        "2024-02-10T05:00:00.000000000Z E0210 05:00:00.000000       1 leak.go:1] dumping key {}\n",
        private.replace('\n', "\\n")
    );
    write(
        root,
        &format!("{img}/namespaces/openshift-config-managed/pods/p/c/c/logs/current.log"),
        &log,
    );
}

#[test]
fn no_output_prints_a_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    build_case(dir.path());
    let case = dir.path().join("mg");
    let case = case.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["index", case],
        vec!["index", "--format", "json", case],
        vec!["get", "cm", "-A", "-o", "yaml", "--archive", case],
        vec!["get", "cm", "-A", "-o", "json", "--archive", case],
        vec!["certs", case],
        vec!["certs", "--format", "json", case],
        vec!["certs", "--trust", case],
        vec!["diagnose", case],
        vec!["diagnose", "--format", "json", case],
        vec!["diagnose", "--format", "markdown", case],
        vec!["report", case],
        vec!["timeline", "--format", "jsonl", case],
        vec!["timeline", "--format", "csv", case],
        vec!["timeline", "--format", "markdown", case],
    ];
    for args in runs {
        let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
            .args(&args)
            .env("CASEFILE_CACHE_DIR", cache.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(
            !stdout.contains(KEY_BODY) && !stderr.contains(KEY_BODY),
            "{args:?} printed the private key"
        );
        assert!(
            !stdout.contains("BEGIN RSA PRIVATE KEY"),
            "{args:?} printed a key header"
        );
    }
}
