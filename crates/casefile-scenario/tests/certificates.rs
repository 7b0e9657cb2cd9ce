//! (c) Certificates in the committed cases verify the way truth.json says.
#![forbid(unsafe_code)]

mod common;

use std::fmt::Write as _;

use common::{b64, find, item, must_gather, pem_certs, testdata, truth, yaml};
use sha2::{Digest, Sha256};
use x509_parser::prelude::*;

fn parse(der: &[u8]) -> X509Certificate<'_> {
    parse_x509_certificate(der).expect("x509").1
}

fn signs(issuer: &[u8], cert: &[u8]) -> bool {
    let i = parse(issuer);
    parse(cert).verify_signature(Some(i.public_key())).is_ok()
}

fn sha(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .fold(String::new(), |mut acc, b| {
            let _ = write!(acc, "{b:02x}");
            acc
        })
}

fn cn(der: &[u8]) -> String {
    let c = parse(der);
    c.subject()
        .iter_common_name()
        .next()
        .and_then(|x| x.as_str().ok())
        .unwrap_or("")
        .to_string()
}

fn secret_cert(list: &serde_json::Value, name: &str) -> Vec<u8> {
    let pem = b64(item(list, name)["data"]["tls.crt"]
        .as_str()
        .expect("tls.crt"));
    pem_certs(&pem).remove(0)
}

fn bundle(list: &serde_json::Value, name: &str, key: &str) -> Vec<Vec<u8>> {
    pem_certs(
        item(list, name)["data"][key]
            .as_str()
            .expect("bundle")
            .as_bytes(),
    )
}

fn check_api_int_case(case: &str) {
    let dir = testdata().join(case);
    let t = truth(&dir);
    let mg = must_gather(&dir);
    let op_secrets = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver-operator/core/secrets.yaml",
    ));
    let op_cms = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver-operator/core/configmaps.yaml",
    ));
    let kas_secrets = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver/core/secrets.yaml",
    ));
    let new_ca = secret_cert(&op_secrets, "loadbalancer-serving-signer");
    assert_eq!(sha(&new_ca), t["rotated_ca"]["certificate"]["sha256"]);
    assert_eq!(cn(&new_ca), t["rotated_ca"]["certificate"]["subject_cn"]);
    assert!(
        cn(&new_ca).starts_with("openshift-kube-apiserver-operator_loadbalancer-serving-signer@")
    );
    let lb_bundle = bundle(&op_cms, "loadbalancer-serving-ca", "ca-bundle.crt");
    assert_eq!(lb_bundle.len(), 2, "new CA prepended to the old one");
    assert_eq!(lb_bundle[0], new_ca);
    let old_ca = lb_bundle[1].clone();
    assert_eq!(cn(&old_ca), "kube-apiserver-lb-signer");
    assert_eq!(sha(&old_ca), t["previous_ca"]["sha256"]);
    let internal = secret_cert(&kas_secrets, "internal-loadbalancer-serving-certkey");
    let external = secret_cert(&kas_secrets, "external-loadbalancer-serving-certkey");
    assert_eq!(sha(&internal), t["serving_cert"]["certificate"]["sha256"]);
    assert!(
        signs(&new_ca, &internal),
        "new CA signs the new serving cert"
    );
    assert!(
        !signs(&old_ca, &internal),
        "old CA does not sign the new serving cert"
    );
    assert!(
        signs(&old_ca, &external),
        "old CA still signs the external serving cert"
    );
    assert!(!signs(&new_ca, &external));
    // the day-1 bundle cannot verify the new serving cert
    let cfg = yaml(find(
        &mg,
        "namespaces/openshift-config/core/configmaps.yaml",
    ));
    let initial = bundle(&cfg, "initial-kube-apiserver-server-ca", "ca-bundle.crt");
    assert!(initial.iter().all(|ca| !signs(ca, &internal)));
    assert!(initial.iter().any(|ca| signs(ca, &external)));
    // stale / fresh consumers as truth says
    for stale in t["consumers"]["stale"].as_array().expect("stale") {
        let s = stale.as_str().expect("str");
        if let Some(ns) = s.strip_suffix("/kube-root-ca.crt") {
            let cms = yaml(find(&mg, &format!("namespaces/{ns}/core/configmaps.yaml")));
            let b = bundle(&cms, "kube-root-ca.crt", "ca.crt");
            assert!(
                b.iter().all(|ca| !signs(ca, &internal)),
                "{s} must lack the new CA"
            );
        }
    }
    let mgc = yaml(find(
        &mg,
        "namespaces/openshift-config-managed/core/configmaps.yaml",
    ));
    let managed = bundle(&mgc, "kube-apiserver-server-ca", "ca-bundle.crt");
    assert!(
        managed.iter().any(|ca| signs(ca, &internal)),
        "kube-apiserver-server-ca is updated"
    );
}

#[test]
fn headline_new_ca_signs_new_serving_cert_old_does_not() {
    check_api_int_case("okd-415-ca-rotation");
    let dir = testdata().join("okd-415-ca-rotation");
    let mg = must_gather(&dir);
    let sa = yaml(find(
        &mg,
        "namespaces/openshift-machine-config-operator/core/secrets.yaml",
    ));
    let tok = item(&sa, "node-bootstrapper-token");
    let ca = pem_certs(&b64(tok["data"]["ca.crt"].as_str().expect("ca.crt")));
    let kas = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver/core/secrets.yaml",
    ));
    let internal = secret_cert(&kas, "internal-loadbalancer-serving-certkey");
    assert!(
        ca.iter().all(|c| !signs(c, &internal)),
        "node-bootstrapper-token ca.crt is stale"
    );
}

#[test]
fn propagated_rotation_verifies_everywhere() {
    check_api_int_case("rotation-propagated");
    let dir = testdata().join("rotation-propagated");
    let mg = must_gather(&dir);
    let mco = yaml(find(
        &mg,
        "namespaces/openshift-machine-config-operator/core/configmaps.yaml",
    ));
    let data = item(&mco, "kubeconfig-data")["binaryData"]["ca-bundle.crt"]
        .as_str()
        .expect("binaryData")
        .to_string();
    let kas = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver/core/secrets.yaml",
    ));
    let internal = secret_cert(&kas, "internal-loadbalancer-serving-certkey");
    assert!(pem_certs(&b64(&data)).iter().any(|c| signs(c, &internal)));
}

#[test]
fn kubelet_client_rotation_new_signer_signs_client_cert() {
    let dir = testdata().join("kubelet-client-ca-rotation");
    let t = truth(&dir);
    let mg = must_gather(&dir);
    let op_secrets = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver-operator/core/secrets.yaml",
    ));
    let op_cms = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver-operator/core/configmaps.yaml",
    ));
    let kas = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver/core/secrets.yaml",
    ));
    let new_ca = secret_cert(&op_secrets, "kube-apiserver-to-kubelet-signer");
    assert_eq!(sha(&new_ca), t["rotated_ca"]["certificate"]["sha256"]);
    let b = bundle(
        &op_cms,
        "kube-apiserver-to-kubelet-client-ca",
        "ca-bundle.crt",
    );
    assert_eq!(b[0], new_ca);
    let client = secret_cert(&kas, "kubelet-client");
    assert!(signs(&new_ca, &client));
    assert!(!signs(&b[1], &client));
    assert_eq!(
        item(&op_secrets, "loadbalancer-serving-signer")["type"],
        "SecretTypeTLS"
    );
}

#[test]
fn healthy_chains_and_day1_signers() {
    let dir = testdata().join("healthy");
    let mg = must_gather(&dir);
    let op_secrets = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver-operator/core/secrets.yaml",
    ));
    let kas = yaml(find(
        &mg,
        "namespaces/openshift-kube-apiserver/core/secrets.yaml",
    ));
    let lb = secret_cert(&op_secrets, "loadbalancer-serving-signer");
    assert_eq!(cn(&lb), "kube-apiserver-lb-signer");
    assert!(signs(
        &lb,
        &secret_cert(&kas, "internal-loadbalancer-serving-certkey")
    ));
    // CSRs carry real issued certificates
    let csrs: Vec<_> = mg
        .iter()
        .filter(|e| e.path.contains("certificatesigningrequests/") && e.path.ends_with(".yaml"))
        .collect();
    assert!(
        csrs.iter().any(|e| e.path.contains("system:openshift:")),
        "CSR names with ':'"
    );
    let kcm = yaml(find(
        &mg,
        "namespaces/openshift-kube-controller-manager/core/secrets.yaml",
    ));
    let signer = secret_cert(&kcm, "csr-signer");
    for e in csrs {
        let v = yaml(e);
        let pem = b64(v["status"]["certificate"].as_str().expect("certificate"));
        assert!(signs(&signer, &pem_certs(&pem)[0]), "{}", e.path);
    }
}
