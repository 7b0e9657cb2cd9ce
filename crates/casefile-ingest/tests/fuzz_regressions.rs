//! Inputs found by the fuzz targets in `fuzz/` (see docs/fuzzing.md), minimized, each with
//! the property its target checks. One table per target; add a row for every new finding.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use casefile_ingest::{decode, yamlscan};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------
// yaml: the shallow scanner must agree with serde-saphyr on object identity, or give up
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct MetaDoc {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ObjDoc {
    api_version: Option<String>,
    kind: Option<String>,
    metadata: Option<MetaDoc>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Doc {
    api_version: Option<String>,
    kind: Option<String>,
    metadata: Option<MetaDoc>,
    items: Option<Vec<ObjDoc>>,
}

type Identity = [Option<String>; 5];

fn ident(o: ObjDoc) -> Identity {
    let m = o.metadata.unwrap_or_default();
    [o.api_version, o.kind, m.name, m.namespace, m.uid].map(|v| v.filter(|s| !s.is_empty()))
}

/// The objects serde-saphyr finds, with the scanner's rules for what is an object
/// (the same as `fuzz/fuzz_targets/yaml.rs`).
fn real_parse(text: &str) -> Option<Vec<Identity>> {
    let docs: Vec<Doc> =
        serde_saphyr::from_multiple_with_options(text, decode::yaml_options(text.len())).ok()?;
    let mut out = Vec::new();
    for d in docs {
        let is_list_kind = d.kind.as_deref().is_some_and(|k| k.ends_with("List"));
        match d.items {
            Some(items) if d.kind.is_none() || is_list_kind => {
                out.extend(items.into_iter().filter(|i| i.kind.is_some()).map(ident));
            }
            _ if is_list_kind || d.kind.is_none() => {}
            _ => out.push(ident(ObjDoc {
                api_version: d.api_version,
                kind: d.kind,
                metadata: d.metadata,
            })),
        }
    }
    Some(out)
}

/// The scanner either gives up or finds what serde-saphyr finds (every row is valid YAML).
fn assert_agrees(name: &str, data: &[u8]) {
    let real = real_parse(std::str::from_utf8(data).unwrap())
        .unwrap_or_else(|| panic!("{name}: serde-saphyr rejects it"));
    let Ok(objs) = yamlscan::scan(data) else {
        return;
    };
    let shallow: Vec<Identity> = objs
        .into_iter()
        .map(|o| {
            [o.api_version, o.kind, o.name, o.namespace, o.uid].map(|v| v.filter(|s| !s.is_empty()))
        })
        .collect();
    assert_eq!(shallow, real, "{name}");
}

#[test]
fn yaml_scanner_agrees_with_serde_saphyr() {
    let cases: &[(&str, &[u8])] = &[
        // A double-quoted scalar left open runs over the next lines, even `key:` lines at
        // column 0 that look like a second List (fuzz yaml, crash-3d58180c).
        (
            "multi-line double-quoted scalar swallowing a List",
            b"---\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Endpoints\n  metadata:\n    resourceVersion: \"75--\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Endpoints\n  x: 183\"\n",
        ),
        (
            "multi-line single-quoted scalar with an escaped quote",
            b"kind: Pod\nmetadata:\n  name: a\nspec:\n  x: 'it''s\nkind: Node\n  still text'\n",
        ),
        // A plain identity value goes on over more deeply indented lines: `uid: e5a3` then
        // `    LWFk` is the uid "e5a3 LWFk" (fuzz yaml, crash-ed9cdf09).
        (
            "multi-line plain uid",
            b"apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: csr-ctmrq\n  uid: e5a3f3c5-0ed9\n      LWFkbWlu\n      MzA5\nspec:\n  x: y\n",
        ),
        (
            "empty name, its value on the next line",
            b"kind: Pod\nmetadata:\n  name:\n    real-name\n",
        ),
        (
            "multi-line plain kind of a List item",
            b"apiVersion: v1\nitems:\n- kind: Pod\n    Extra\n  metadata:\n    name: a\nkind: PodList\n",
        ),
    ];
    for (name, data) in cases {
        assert_agrees(name, data);
    }
}
