//! PEM, X.509 and kubeconfig extraction on arbitrary bytes: the PEM scanner, DER parsing of
//! the input itself and of every block found, the base64 helpers, the kubeconfig field finder
//! and the ignition `data:` URL decoder.
#![no_main]

use casefile_ingest::{certs, x509};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = x509::parse_der(data);
    let _ = x509::has_pem_certificate(data);
    let scan = x509::scan_pem(data);
    for der in &scan.certificates {
        if let Ok(cert) = x509::parse_der(der) {
            let _ = format!("{cert:?}");
        }
    }
    let _ = x509::redaction(data);
    let _ = x509::redaction_of_base64(data);
    if let Some(decoded) = x509::decode_base64(data) {
        let _ = x509::scan_pem(&decoded);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if x509::looks_like_kubeconfig(data) {
            for f in x509::kubeconfig_fields(text) {
                assert!(f.line >= 1);
                if let Some(pem) = x509::decode_base64(f.value.as_bytes()) {
                    let _ = x509::scan_pem(&pem);
                }
            }
        }
        let _ = certs::data_url(text);
    }
});
