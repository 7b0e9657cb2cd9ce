//! The certificate inventory on the real Azure must-gather in `/work/shared/realdata`, read
//! in place. Skipped with a message when the sample is absent.
//!
//! The expected number of distinct certificates is checked two ways:
//! - [`independent_count`] below walks the archive's *files* (not the object index, not the
//!   typed decoders, not `casefile_ingest::x509`): in every `core/configmaps*`,
//!   `core/secrets*` and `certificatesigningrequests/` file it cuts out
//!   `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----` blocks, keeps only base64
//!   characters, decodes them, and also decodes every base64 token that starts with
//!   `LS0tLS1CRUdJTi` (base64 of `-----BEGIN`) and cuts blocks out of that; the set of
//!   SHA-256 of the DER blocks is the count.
//! - [`AZURE_DISTINCT_CERTS`] was counted outside Rust: the archive was unpacked with
//!   `tar xJf`, and a Python script did the same cut-and-hash with `re` + `base64` +
//!   `hashlib` over the same files, then every DER was fed to `openssl x509 -inform DER
//!   -noout -subject -enddate` (all 252 parse). `kube-csr-signer_@1631544711` and
//!   `OU = openshift, CN = kubelet-signer` (notAfter Sep 14 14:33:41 2021 GMT) were read from
//!   that openssl output.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use casefile_ingest::archive::EntryKind;
use casefile_ingest::certs::{self, Inventory};
use casefile_ingest::{Case, CaseOptions};
use casefile_model::{Redaction, Timestamp};
use sha2::{Digest, Sha256};

const AZURE: &str = "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz";
/// Distinct certificates in the Azure archive's ConfigMaps, Secrets and CSRs (see the
/// module comment for how this was counted).
const AZURE_DISTINCT_CERTS: usize = 252;

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

fn open(path: &Path, cache: &Path) -> Case {
    let opts = CaseOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..CaseOptions::default()
    };
    Case::open(&[path.to_path_buf()], &opts).unwrap_or_else(|e| panic!("{e}"))
}

/// Cuts PEM certificate blocks out of `text` (and out of base64-of-PEM tokens in it) and
/// adds the SHA-256 of each DER to `out`.
fn cut_blocks(text: &[u8], out: &mut BTreeSet<String>) {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut rest = text;
    while let Some(b) = find(rest, BEGIN) {
        let body = &rest[b + BEGIN.len()..];
        let Some(e) = find(body, END) else { break };
        let clean: Vec<u8> = body[..e]
            .iter()
            .copied()
            .filter(|c| c.is_ascii_alphanumeric() || b"+/=".contains(c))
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(&clean)
            .unwrap();
        out.insert(format!("{:x}", Sha256::digest(&der)));
        rest = &body[e + END.len()..];
    }
    let token = b"LS0tLS1CRUdJTi";
    let mut rest = text;
    while let Some(s) = find(rest, token) {
        let len = rest[s..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || b"+/=".contains(c))
            .count();
        if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&rest[s..s + len]) {
            cut_blocks(&decoded, out);
        }
        rest = &rest[s + len..];
    }
}

fn independent_count(case: &Case) -> BTreeSet<String> {
    let data = &case.archives()[0].data;
    let mut shas = BTreeSet::new();
    for (i, e) in data.entries.iter().enumerate() {
        let in_scope = e.path.contains("/core/configmaps")
            || e.path.contains("/core/secrets")
            || e.path.contains("/certificatesigningrequests/");
        if e.kind == EntryKind::File && in_scope {
            cut_blocks(&data.content(i as u32).unwrap(), &mut shas);
        }
    }
    shas
}

fn azure() -> Option<(tempfile::TempDir, Case, Inventory)> {
    let path = realdata(AZURE)?;
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    let inv = certs::inventory(&case);
    Some((cache, case, inv))
}

#[test]
fn azure_inventory_finds_every_certificate() {
    let Some((_cache, case, inv)) = azure() else {
        return;
    };
    assert!(inv.problems.is_empty(), "{:#?}", inv.problems);
    let found: BTreeSet<String> = inv.certificates().map(|c| c.sha256.clone()).collect();
    assert_eq!(
        found.len(),
        inv.entries.len(),
        "entries are distinct by sha256"
    );
    let independent = independent_count(&case);
    assert_eq!(independent.len(), AZURE_DISTINCT_CERTS);
    assert_eq!(found, independent, "same set of fingerprints");
    // Sorted by subject, then sha256; every entry has a source.
    assert!(
        inv.entries
            .windows(2)
            .all(|w| (&w[0].cert.subject, &w[0].cert.sha256)
                < (&w[1].cert.subject, &w[1].cert.sha256))
    );
    assert!(inv.entries.iter().all(|e| !e.sources.is_empty()));
    // CSRs contribute their issued certificates.
    assert!(inv.entries.iter().any(|e| e.sources.iter().any(|s| {
        s.key == certs::CSR_CERT_KEY
            && s.object
                .as_deref()
                .is_some_and(|o| o.starts_with("CertificateSigningRequest/"))
    })));
}

#[test]
fn azure_day_one_kubelet_signer_and_unix_suffixed_signers() {
    let Some((_cache, case, inv)) = azure() else {
        return;
    };
    let signer: Vec<_> = inv.by_subject_cn("kubelet-signer").collect();
    assert_eq!(signer.len(), 1);
    let c = &signer[0].cert;
    assert_eq!(c.subject, "OU=openshift, CN=kubelet-signer");
    assert!(c.is_ca && c.self_signed);
    assert_eq!(
        c.not_after,
        "2021-09-14T14:33:41Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(c.lifetime(), jiff::SignedDuration::from_hours(24));
    assert_eq!(c.key_type, "RSA 2048");

    let csr_signer: Vec<_> = inv.by_subject_cn("kube-csr-signer_@1631544711").collect();
    assert_eq!(csr_signer.len(), 1);
    let csr_signer = &csr_signer[0].cert;
    assert_eq!(csr_signer.issuer, "OU=openshift, CN=kubelet-signer");
    assert_eq!(csr_signer.aki, c.ski);
    for cn in [
        "openshift-kube-apiserver-operator_node-system-admin-signer@1631544711",
        "openshift-kube-apiserver-operator_localhost-recovery-serving-signer@1631544712",
        "openshift-service-serving-signer@1631544712",
    ] {
        assert_eq!(inv.by_subject_cn(cn).count(), 1, "{cn}");
    }
    // The must-gather was collected within the signer's single day of validity.
    let now = case.collected_at().unwrap();
    assert!(c.is_valid_at(now), "collected at {now}");
}

#[test]
fn azure_redacted_secret_values_are_not_collected() {
    let Some((_cache, _case, inv)) = azure() else {
        return;
    };
    let lb = inv
        .not_collected
        .iter()
        .find(|n| {
            n.object.as_deref()
                == Some("openshift-kube-apiserver-operator/Secret/loadbalancer-serving-signer")
                && n.key == "tls.key"
        })
        .unwrap();
    assert_eq!(lb.why, Redaction::InspectBytesLong(1679));
    // Counted with PyYAML: every `core/secrets*` file, Secrets deduplicated by uid, `data`
    // values whose base64 decodes to `^[0-9]+ bytes long$`.
    assert_eq!(inv.not_collected.len(), 1734);
    assert!(
        inv.not_collected
            .iter()
            .all(|n| matches!(n.why, Redaction::InspectBytesLong(_))),
        "inspect redaction only"
    );
    // The public keys were kept.
    let e = inv
        .entries
        .iter()
        .find(|e| {
            e.sources.iter().any(|s| {
                s.object.as_deref()
                    == Some("openshift-kube-apiserver-operator/Secret/loadbalancer-serving-signer")
                    && s.key == "tls.crt"
            })
        })
        .unwrap();
    assert_eq!(e.cert.subject, "OU=openshift, CN=kube-apiserver-lb-signer");
}

#[test]
fn azure_json_report_has_no_key_material() {
    let Some((_cache, case, inv)) = azure() else {
        return;
    };
    let reports: Vec<_> = inv
        .entries
        .iter()
        .map(|e| certs::cert_report(&case, &e.cert, &e.sources.iter().collect::<Vec<_>>()))
        .collect();
    let json = serde_json::to_string(&reports).unwrap();
    for needle in ["PRIVATE KEY", "-----BEGIN", "MTY3OSBieXRlcyBsb25n"] {
        assert!(!json.contains(needle), "{needle}");
    }
    let whole = serde_json::to_string(&inv).unwrap();
    assert!(!whole.contains("PRIVATE KEY") && !whole.contains("-----BEGIN"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v.as_array().unwrap()[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "sha256",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "is_ca",
        "sources",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
}
