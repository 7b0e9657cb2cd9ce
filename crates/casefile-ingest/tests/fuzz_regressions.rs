//! Inputs found by the fuzz targets in `fuzz/` (see docs/fuzzing.md), minimized, each with
//! the property its target checks. One table per target; add a row for every new finding.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use casefile_ingest::yamlscan;

// ---------------------------------------------------------------------------------------------
// yaml: the shallow scanner must agree with serde-saphyr on object identity, or give up
// ---------------------------------------------------------------------------------------------

/// The scanner either gives up or finds what serde-saphyr finds (every row is valid YAML);
/// the oracle is the fuzz target's, `yamlscan::reference_identities`.
fn assert_agrees(name: &str, data: &[u8]) {
    let real = yamlscan::reference_identities(std::str::from_utf8(data).unwrap())
        .unwrap_or_else(|| panic!("{name}: serde-saphyr rejects it"));
    let Ok(objs) = yamlscan::scan(data) else {
        return;
    };
    let shallow: Vec<yamlscan::Identity> =
        objs.iter().map(yamlscan::ShallowObject::identity).collect();
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
