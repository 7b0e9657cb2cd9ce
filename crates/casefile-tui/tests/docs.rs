//! `docs/tui.md` documents the key map in force.
#![forbid(unsafe_code)]
#![allow(missing_docs)]

#[test]
fn docs_list_the_default_key_map() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/tui.md"))
        .unwrap_or_default();
    let keys = casefile_tui::KeyMap::default().to_toml();
    assert!(
        doc.contains(&keys),
        "docs/tui.md is out of date: paste `casefile open --print-keys` into its key map section:\n{keys}"
    );
}
