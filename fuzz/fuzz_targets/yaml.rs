//! The shallow YAML scanner on arbitrary bytes, differential against serde-saphyr: when both
//! accept a file, they must find the same objects with the same identity (apiVersion, kind,
//! name, namespace, uid); otherwise the scanner must have given up. Then every object the
//! scanner located is decoded (typed) from its byte range, which must not panic. And the fast
//! block-YAML decoder (`fastyaml`), whenever it accepts the text, must decode it to the
//! `serde_json::Value` serde-saphyr gives.
#![no_main]

use casefile_ingest::{decode, fastyaml, yamlscan};
use casefile_model::kube::{ConfigMap, Event, Pod};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(e) = fastyaml::check_against_serde_saphyr(text)
    {
        panic!("fastyaml disagrees with serde-saphyr: {e}");
    }
    // The index reads JSON (first non-blank byte `{` or `[`) with serde_json, never with the
    // scanner; the scanner is only ever given the rest.
    if matches!(
        data.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        return;
    }
    let Ok(objs) = yamlscan::scan(data) else {
        // The scanner gave up: the index uses the real parser. It must not panic either.
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = yamlscan::reference_identities(text);
        }
        return;
    };
    for o in &objs {
        assert!(o.start <= o.end && o.end <= data.len(), "{o:?}");
        let text = &data[o.start..o.end];
        let _ = decode::decode_object::<Pod>(text);
        let _ = decode::decode_object::<Event>(text);
        let _ = decode::decode_object::<ConfigMap>(text);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(real) = yamlscan::reference_identities(text) else {
        return;
    };
    let shallow: Vec<yamlscan::Identity> =
        objs.iter().map(yamlscan::ShallowObject::identity).collect();
    assert_eq!(shallow, real, "the shallow scanner and serde-saphyr disagree");
});
