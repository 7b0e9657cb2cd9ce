//! The `scale` benchmark case: deterministic per seed, sized as asked, shaped like a large upload.
#![forbid(unsafe_code)]

mod common;

use std::path::Path;

use casefile_scenario::scale::ScaleOpts;
use casefile_scenario::scenarios::{self, DEFAULT_SEED};
use common::read_archive;

const MIB: u64 = 1 << 20;

fn generate(out: &Path) -> serde_json::Value {
    let opts = ScaleOpts {
        mg_bytes: 3 * MIB,
        sos_count: Some(2),
        sos_bytes: 2 * MIB,
    };
    scenarios::generate_with("scale", out, DEFAULT_SEED, &opts).expect("generate scale");
    serde_json::from_slice(&std::fs::read(out.join("truth.json")).expect("truth")).expect("json")
}

/// Number of blocks in a single-stream `.xz` file, read from its index.
fn xz_blocks(b: &[u8]) -> u64 {
    let n = b.len();
    assert!(n > 24 && b.ends_with(b"YZ"), "xz stream footer");
    let backward = u32::from_le_bytes([b[n - 8], b[n - 7], b[n - 6], b[n - 5]]);
    let index = &b[n - 12 - (backward as usize + 1) * 4..];
    assert_eq!(index[0], 0, "xz index indicator");
    let (mut records, mut shift) = (0u64, 0);
    for &c in &index[1..] {
        records |= u64::from(c & 0x7f) << shift;
        shift += 7;
        if c & 0x80 == 0 {
            break;
        }
    }
    records
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let p = e.expect("dirent").path();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn scale_is_deterministic_sized_and_shaped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let truth = generate(&a);
    generate(&b);
    let fa = files(&a);
    let fb = files(&b);
    assert_eq!(fa.len(), fb.len());
    for ((na, xa), (nb, xb)) in fa.iter().zip(&fb) {
        assert_eq!(na, nb);
        assert!(xa == xb, "{na} differs between two runs with the same seed");
    }

    // must-gather: the size target, many namespaces in the inspect layout, logs the bulk
    let mg = read_archive(&a.join("must-gather.tar.gz"));
    let payload: u64 = mg.iter().map(|e| e.data.len() as u64).sum();
    assert!(
        (3 * MIB..4 * MIB).contains(&payload),
        "must-gather payload {payload}"
    );
    let st = &truth["scale"];
    assert!(st["namespaces"].as_u64().unwrap_or(0) >= 1, "{st}");
    assert!(st["objects"].as_u64().unwrap_or(0) >= 200, "{st}");
    assert!(
        st["log_bytes"].as_u64().unwrap_or(0) > st["yaml_bytes"].as_u64().unwrap_or(u64::MAX),
        "logs are the bulk: {st}"
    );
    for suffix in [
        "/core/pods.yaml",
        "/core/events.yaml",
        "/core/endpoints.yaml",
        "/apps/deployments.yaml",
        "/apps/replicasets.yaml",
        "/discovery.k8s.io/endpointslices.yaml",
        "/route.openshift.io/routes.yaml",
    ] {
        let n = mg
            .iter()
            .filter(|e| e.path.contains("/namespaces/") && e.path.ends_with(suffix))
            .count();
        assert!(n >= 1, "{suffix}: {n}");
    }
    let nodes = mg
        .iter()
        .filter(|e| {
            e.path.contains("/cluster-scoped-resources/core/nodes/") && e.path.ends_with(".yaml")
        })
        .count();
    assert!(nodes > 6, "extra worker Nodes: {nodes}");
    let levels: Vec<u8> = mg
        .iter()
        .filter(|e| e.path.ends_with("/logs/current.log"))
        .flat_map(|e| {
            e.data
                .split(|&c| c == b'\n')
                .filter_map(|l| l.get(31).copied())
                .collect::<Vec<u8>>()
        })
        .collect();
    for lvl in [b'I', b'W', b'E'] {
        assert!(levels.contains(&lvl), "klog level {}", lvl as char);
    }

    // sosreports: as many as asked, about the size asked, one xz block, the whole journal
    let sos: Vec<&(String, Vec<u8>)> = fa.iter().filter(|f| f.0.ends_with(".tar.xz")).collect();
    assert_eq!(sos.len(), 2);
    for (name, bytes) in sos {
        assert_eq!(
            xz_blocks(bytes),
            1,
            "{name}: one xz block, like sos writes it"
        );
        let entries = read_archive(&a.join(name));
        let payload: u64 = entries.iter().map(|e| e.data.len() as u64).sum();
        assert!(
            (2 * MIB * 9 / 10..2 * MIB * 11 / 10).contains(&payload),
            "{name}: payload {payload}"
        );
        let journal = entries
            .iter()
            .find(|e| e.path.ends_with("sos_commands/logs/journalctl_--no-pager"))
            .expect("whole journal");
        let text = String::from_utf8_lossy(&journal.data);
        assert!(text.starts_with("-- "), "journal header");
        assert!(text.contains(" kubenswrapper["));
        assert!(text.contains(" crio["));
        assert!(
            entries
                .iter()
                .any(|e| e.path.ends_with("var/log/audit/audit.log"))
        );
    }
}
