//! The committed JSON Schema of `casefile certs --format json` matches the types.
//! Regenerate with `CASEFILE_BLESS=1 cargo test -p casefile-ingest --test schema`.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use casefile_ingest::certs::CertReport;

#[test]
fn certs_schema_is_current() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/certs.schema.json");
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&CertReport::schema()).unwrap()
    );
    if std::env::var_os("CASEFILE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, generated,
        "docs/schema/certs.schema.json drifted from the types: rerun with CASEFILE_BLESS=1"
    );
    // An array of rows whose first eight fields are the stable contract.
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(schema["type"], "array");
    let row = &schema["$defs"]["CertReport"]["properties"];
    for key in [
        "sha256",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "is_ca",
        "sources",
    ] {
        assert!(row.get(key).is_some(), "{key}: {schema}");
    }
}
