//! `casefile certs` end to end on the real Azure must-gather (skipped when absent).
//!
//! The kubelet-signer values were read with `openssl x509 -noout -subject -serial -dates
//! -fingerprint -sha256` from the DER cut out of
//! `openshift-kube-controller-manager-operator/core/secrets.yaml` (Secret `csr-signer-signer`,
//! key `tls.crt`) of the unpacked archive. The 252 distinct certificates are counted
//! independently in `casefile-ingest/tests/certs_realdata.rs`; the 1734 redacted values were
//! counted with PyYAML (every `core/secrets*` file, Secrets deduplicated by uid, `data`
//! values whose base64 decodes to `^[0-9]+ bytes long$`).
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const AZURE: &str = "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz";

fn realdata(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
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

#[test]
fn certs_json_on_azure() {
    let Some(path) = realdata(AZURE) else { return };
    let cache = tempfile::tempdir().unwrap();
    let archive = path.to_str().unwrap();
    let (stdout, stderr, ok) = casefile(cache.path(), &["certs", archive, "--format", "json"]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let certs = v.as_array().unwrap();
    assert_eq!(certs.len(), 252);
    // The contract's fields come first, in this order (checked on the text: serde_json's
    // Value does not keep key order).
    let first = stdout.split("\n  }").next().unwrap();
    let keys = [
        "\"sha256\"",
        "\"subject\"",
        "\"issuer\"",
        "\"serial\"",
        "\"not_before\"",
        "\"not_after\"",
        "\"is_ca\"",
        "\"sources\"",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| first.find(k).unwrap_or_else(|| panic!("{k} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    for c in certs {
        let sha = c["sha256"].as_str().unwrap();
        assert!(
            sha.len() == 64
                && sha
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        for s in c["sources"].as_array().unwrap() {
            assert_eq!(s["archive"].as_str().unwrap(), archive);
            assert!(
                s["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("must-gather-azure/")
            );
            assert!(s["key"].is_string());
            assert!(s["object"].is_string() || s["object"].is_null());
        }
    }
    let signer = certs
        .iter()
        .find(|c| c["sha256"] == "584ac2948b7a153277c1f7d28afcc16106a6c03a4fda21b755b4ae75a85cc4c7")
        .unwrap();
    assert_eq!(signer["subject"], "OU=openshift, CN=kubelet-signer");
    assert_eq!(signer["issuer"], "OU=openshift, CN=kubelet-signer");
    assert_eq!(signer["serial"], "604bffd5a471dcc7");
    assert_eq!(signer["not_before"], "2021-09-13T14:33:41Z");
    assert_eq!(signer["not_after"], "2021-09-14T14:33:41Z");
    assert_eq!(signer["is_ca"], true);
    let sources = signer["sources"].as_array().unwrap();
    assert!(sources.iter().any(|s| {
        s["object"] == "openshift-kube-controller-manager-operator/Secret/csr-signer-signer"
            && s["key"] == "tls.crt"
            && s["path"].as_str().unwrap().ends_with(
                "namespaces/openshift-kube-controller-manager-operator/core/secrets.yaml",
            )
    }));
    assert!(sources.iter().any(|s| s["object"]
        == "openshift-config-managed/ConfigMap/kube-apiserver-client-ca"
        && s["key"] == "ca-bundle.crt"));
    for needle in ["PRIVATE KEY", "-----BEGIN", "bytes long"] {
        assert!(!stdout.contains(needle), "{needle}");
    }
}

#[test]
fn certs_filters_and_table_on_azure() {
    let Some(path) = realdata(AZURE) else { return };
    let cache = tempfile::tempdir().unwrap();
    let archive = path.to_str().unwrap();
    // CAs expiring within 2 days of the collection time (2021-09-13 15:34:43Z), including
    // two Mozilla roots that had already expired.
    let (stdout, stderr, ok) = casefile(
        cache.path(),
        &[
            "certs",
            archive,
            "--ca",
            "--expiring",
            "2d",
            "--format",
            "json",
        ],
    );
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut cns: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject_cn"].as_str().unwrap())
        .collect();
    cns.sort_unstable();
    assert_eq!(
        cns,
        [
            "QuoVadis Root Certification Authority",
            "Sonera Class2 CA",
            "aggregator-signer",
            "kube-csr-signer_@1631544711",
            "kubelet-signer"
        ]
    );

    let (stdout, _, ok) = casefile(
        cache.path(),
        &[
            "certs",
            archive,
            "-n",
            "openshift-kube-controller-manager-operator",
            "--format",
            "json",
        ],
    );
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for c in v.as_array().unwrap() {
        for s in c["sources"].as_array().unwrap() {
            assert!(
                s["object"]
                    .as_str()
                    .unwrap()
                    .starts_with("openshift-kube-controller-manager-operator/")
            );
        }
    }

    let (table, _, ok) = casefile(
        cache.path(),
        &["certs", archive, "--ca", "--expiring", "2d"],
    );
    assert!(ok);
    let header = table.lines().next().unwrap();
    for col in [
        "SUBJECT CN",
        "ISSUER CN",
        "NOT AFTER",
        "EXPIRES-IN",
        "CA",
        "SOURCES",
    ] {
        assert!(header.contains(col), "{col}");
    }
    let kubelet = table
        .lines()
        .find(|l| l.starts_with("kubelet-signer "))
        .unwrap();
    assert!(
        kubelet.contains("2021-09-14 14:33:41Z") && kubelet.contains("22h 58m"),
        "{kubelet}"
    );
    let quovadis = table
        .lines()
        .find(|l| l.starts_with("QuoVadis Root Certification Authority "))
        .unwrap();
    assert!(quovadis.contains("expired 179d 21h ago"), "{quovadis}");
    assert!(
        table.contains("Not collected: 1734 values (1734 redacted by oc adm inspect)"),
        "{table}"
    );

    let (_, stderr, ok) = casefile(cache.path(), &["certs", archive, "--expiring", "soon"]);
    assert!(!ok);
    assert!(stderr.contains("--expiring"), "{stderr}");
}
