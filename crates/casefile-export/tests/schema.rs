//! The committed JSON Schemas of `casefile diagnose --format json` and of timeline rows
//! (JSONL/CSV) match the types.
//! Regenerate with `CASEFILE_BLESS=1 cargo test -p casefile-export --test schema`.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use casefile_export::diagnosis::DiagnoseReport;

#[test]
fn diagnose_schema_is_current() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/diagnose.schema.json");
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&DiagnoseReport::schema()).unwrap()
    );
    if std::env::var_os("CASEFILE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, generated,
        "docs/schema/diagnose.schema.json drifted from the types: rerun with CASEFILE_BLESS=1"
    );
    // The contract's top-level keys.
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    for key in ["collected_at", "archives", "findings", "warnings"] {
        assert!(schema["properties"].get(key).is_some(), "{key}");
    }
}

#[test]
fn timeline_row_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema/timeline-row.schema.json");
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&casefile_export::TimelineRow::schema()).unwrap()
    );
    if std::env::var_os("CASEFILE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, generated,
        "docs/schema/timeline-row.schema.json drifted from the types: rerun with CASEFILE_BLESS=1"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    for key in casefile_export::COLUMNS {
        assert!(schema["properties"].get(key).is_some(), "{key}");
    }
}
