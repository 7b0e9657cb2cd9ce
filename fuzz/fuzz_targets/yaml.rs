//! The shallow YAML scanner on arbitrary bytes, differential against serde-saphyr: when both
//! accept a file, they must find the same objects with the same identity (apiVersion, kind,
//! name, namespace, uid); otherwise the scanner must have given up. Then every object the
//! scanner located is decoded (typed) from its byte range, which must not panic.
#![no_main]

use casefile_ingest::{decode, yamlscan};
use casefile_model::kube::{ConfigMap, Event, Pod};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

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

/// (apiVersion, kind, name, namespace, uid), empty strings read as absent (as the index does).
type Identity = [Option<String>; 5];

fn ident(
    api: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    ns: Option<String>,
    uid: Option<String>,
) -> Identity {
    [api, kind, name, ns, uid].map(|v| v.filter(|s| !s.is_empty()))
}

/// What serde-saphyr finds, with the scanner's rules for which documents are objects.
fn real_parse(text: &str) -> Option<Vec<Identity>> {
    let docs: Vec<Doc> =
        serde_saphyr::from_multiple_with_options(text, decode::yaml_options(text.len())).ok()?;
    let mut out = Vec::new();
    for d in docs {
        let is_list_kind = d.kind.as_deref().is_some_and(|k| k.ends_with("List"));
        match d.items {
            Some(items) if d.kind.is_none() || is_list_kind => {
                for i in items {
                    if i.kind.is_none() {
                        continue;
                    }
                    let m = i.metadata.unwrap_or_default();
                    out.push(ident(i.api_version, i.kind, m.name, m.namespace, m.uid));
                }
            }
            _ if is_list_kind => {}
            _ => {
                if d.kind.is_none() {
                    continue;
                }
                let m = d.metadata.unwrap_or_default();
                out.push(ident(d.api_version, d.kind, m.name, m.namespace, m.uid));
            }
        }
    }
    Some(out)
}

fuzz_target!(|data: &[u8]| {
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
            let _ = real_parse(text);
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
    let Some(real) = real_parse(text) else {
        return;
    };
    let shallow: Vec<Identity> = objs
        .into_iter()
        .map(|o| ident(o.api_version, o.kind, o.name, o.namespace, o.uid))
        .collect();
    assert_eq!(shallow, real, "the shallow scanner and serde-saphyr disagree");
});
