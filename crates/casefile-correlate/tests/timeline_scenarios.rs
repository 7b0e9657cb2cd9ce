//! Rule hits and the merged timeline on the generated scenarios (`testdata/`, checked
//! against each scenario's `truth.json`) and on the real Azure must-gather (skipped when
//! `/work/shared/realdata` is absent).
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casefile_correlate::rules::{Hit, RuleSet, scan};
use casefile_correlate::timeline::{self, Timeline, TimelineOptions};
use casefile_ingest::{Case, CaseOptions};
use casefile_model::{Severity, Snapshot, Stage, Timestamp};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn truth(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(testdata(name).join("truth.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn open(path: &Path, cache: &Path) -> (Case, Snapshot) {
    let opts = CaseOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..CaseOptions::default()
    };
    let case = Case::open(&[path.to_path_buf()], &opts).unwrap_or_else(|e| panic!("{e}"));
    let snapshot = case.snapshot().snapshot;
    (case, snapshot)
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn within(a: Timestamp, b: Timestamp, secs: f64) -> bool {
    a.duration_since(b).as_secs_f64().abs() <= secs
}

/// The earliest hit time of a stage per node (events count from their first occurrence).
fn first_per_node(hits: &[Hit], stage: Stage) -> BTreeMap<String, Timestamp> {
    let mut out: BTreeMap<String, Timestamp> = BTreeMap::new();
    for h in hits.iter().filter(|h| h.stage == Some(stage)) {
        let (Some(node), Some(at)) = (&h.node, h.first_at.or(h.at)) else {
            continue;
        };
        out.entry(node.clone())
            .and_modify(|t| *t = (*t).min(at))
            .or_insert(at);
    }
    out
}

#[test]
fn okd_415_first_failures_match_truth() {
    let cache = tempfile::tempdir().unwrap();
    let (case, snap) = open(&testdata("okd-415-ca-rotation"), cache.path());
    let t = truth("okd-415-ca-rotation");
    let hits = scan(&snap, &case, &RuleSet::builtin());

    // First kubelet TLS failure per node: exactly the nodes of truth.json, each within 1 s.
    let tls = first_per_node(&hits, Stage::KubeletTlsFailure);
    let want = t["first_kubelet_tls_failure"].as_object().unwrap();
    assert_eq!(tls.len(), want.len(), "{tls:?}");
    for (node, at) in want {
        let got = tls
            .get(node)
            .unwrap_or_else(|| panic!("no kubelet TLS hit for {node}: {tls:?}"));
        assert!(
            within(*got, ts(at.as_str().unwrap()), 1.0),
            "{node}: {got} vs {at}"
        );
    }
    // Every kubelet TLS hit is toward api-int, with the Go 1.20 prefix and no candidate hint.
    for h in hits
        .iter()
        .filter(|h| h.rule == "kubelet-api-tls-unknown-authority")
    {
        assert!(
            h.hints.api_int && h.hints.tls_prefix && h.hints.candidate_authority.is_none(),
            "{h:?}"
        );
        assert_eq!(h.severity, Severity::Critical);
    }

    // First sandbox failure of the case: node and time (1 s) as in truth.json.
    let first = &t["first_sandbox_failure"];
    let sandbox = hits
        .iter()
        .filter(|h| h.stage == Some(Stage::SandboxFailure))
        .filter_map(|h| Some((h.first_at.or(h.at)?, h)))
        .min_by_key(|(at, _)| *at)
        .unwrap();
    assert!(
        within(sandbox.0, ts(first["time"].as_str().unwrap()), 1.0),
        "{sandbox:?}"
    );
    assert_eq!(sandbox.1.node.as_deref(), first["node"].as_str());
    assert_eq!(sandbox.1.hints.pod.as_deref(), first["pod"].as_str());

    // Per node: the first sandbox failure of every affected node whose evidence we hold.
    let per_node = first_per_node(&hits, Stage::SandboxFailure);
    for n in t["nodes"].as_array().unwrap() {
        let (Some(name), Some(fs)) = (n["name"].as_str(), n["first_sandbox_failure"].as_object())
        else {
            continue;
        };
        let want = ts(fs["time"].as_str().unwrap());
        let got = per_node
            .get(name)
            .unwrap_or_else(|| panic!("no sandbox hit for {name}"));
        // Event firstTimestamp (seconds) can precede the first journal line by a few seconds.
        assert!(within(*got, want, 5.0), "{name}: {got} vs {want}");
    }

    // NotReady nodes at collection are critical node-not-ready hits.
    let not_ready: Vec<&str> = t["not_ready_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for node in &not_ready {
        assert!(
            hits.iter()
                .any(|h| h.rule == "node-status-unknown" && h.node.as_deref() == Some(*node)),
            "{node}"
        );
    }
    // The signer re-creation survives in the operator log; the network operator is Degraded.
    let rotation = ts(t["rotation_time"].as_str().unwrap());
    assert!(hits.iter().any(|h| h.rule == "signer-secret-deleted"
        && h.hints.captures.get("object").map(String::as_str)
            == Some("loadbalancer-serving-signer")
        && within(h.at.unwrap(), rotation, 5.0)));
    assert!(hits.iter().any(|h| h.rule == "signer-update-required"));
    assert!(
        hits.iter()
            .any(|h| h.rule == "network-operator-degraded"
                && h.stage == Some(Stage::NetworkDegraded))
    );
    // Multus broke first on every affected node (per-node cert manager), within a second.
    let multus = first_per_node(&hits, Stage::MultusFailure);
    for n in t["nodes"].as_array().unwrap() {
        let (Some(name), Some(at)) = (n["name"].as_str(), n["multus_client_broken_at"].as_str())
        else {
            continue;
        };
        let got = multus
            .get(name)
            .unwrap_or_else(|| panic!("no multus hit for {name}"));
        assert!(within(*got, ts(at), 1.0), "{name}: {got} vs {at}");
    }
}

#[test]
fn healthy_and_propagated_have_no_critical_hit() {
    for name in ["healthy", "rotation-propagated"] {
        let cache = tempfile::tempdir().unwrap();
        let (case, snap) = open(&testdata(name), cache.path());
        let hits = scan(&snap, &case, &RuleSet::builtin());
        let critical: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.severity == Severity::Critical)
            .collect();
        assert!(critical.is_empty(), "{name}: {critical:#?}");
        if name == "healthy" {
            // Bootstrap noise is recognized, as info.
            assert!(
                hits.iter()
                    .any(|h| h.rule == "bootstrap-cni-not-configured"
                        && h.severity == Severity::Info)
            );
        }
    }
}

#[test]
fn kubelet_client_ca_rotation_first_client_auth_failures() {
    let cache = tempfile::tempdir().unwrap();
    let (case, snap) = open(&testdata("kubelet-client-ca-rotation"), cache.path());
    let t = truth("kubelet-client-ca-rotation");
    let hits = scan(&snap, &case, &RuleSet::builtin());
    assert!(first_per_node(&hits, Stage::KubeletTlsFailure).is_empty());
    let mut first: BTreeMap<&str, Timestamp> = BTreeMap::new();
    for h in hits
        .iter()
        .filter(|h| h.rule == "kubelet-rejects-client-certificate")
    {
        let node = h.node.as_deref().unwrap();
        let at = h.at.unwrap();
        first
            .entry(node)
            .and_modify(|t| *t = (*t).min(at))
            .or_insert(at);
    }
    for n in t["nodes"].as_array().unwrap() {
        let name = n["name"].as_str().unwrap();
        match n["first_kubelet_client_auth_failure"].as_str() {
            // Nodes with a journal in the case (sosreports): the first failure within a second.
            Some(at) if first.contains_key(name) => {
                assert!(within(first[name], ts(at), 1.0), "{name}");
            }
            Some(_) => {}
            None => assert!(!first.contains_key(name), "{name}"),
        }
    }
    assert!(!first.is_empty());
}

fn build_in_pool(threads: usize, snap: &Snapshot, case: &Case) -> (Vec<Hit>, Timeline) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let hits = scan(snap, case, &RuleSet::builtin());
        let t = timeline::build(snap, case, &hits, &TimelineOptions::default());
        (hits, t)
    })
}

#[test]
fn order_is_identical_at_any_thread_count() {
    let cache = tempfile::tempdir().unwrap();
    let (case, snap) = open(&testdata("okd-415-ca-rotation"), cache.path());
    let (h1, t1) = build_in_pool(1, &snap, &case);
    let (h2, t2) = build_in_pool(2, &snap, &case);
    let (h4, t4) = build_in_pool(4, &snap, &case);
    assert_eq!(h1, h2);
    assert_eq!(h1, h4);
    assert_eq!(t1, t2);
    assert_eq!(t1, t4);
    // Sorted by time; every entry has a line or is a whole object.
    assert!(t1.entries.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(!t1.entries.is_empty());
}

#[test]
fn okd_415_timeline_entries_and_coverage() {
    let cache = tempfile::tempdir().unwrap();
    let (case, snap) = open(&testdata("okd-415-ca-rotation"), cache.path());
    let t = truth("okd-415-ca-rotation");
    let hits = scan(&snap, &case, &RuleSet::builtin());
    let tl = timeline::build(&snap, &case, &hits, &TimelineOptions::default());
    // Every source family is present.
    for family in [
        "journal",
        "pod-log",
        "event",
        "node",
        "clusterversion",
        "clusteroperator",
        "certificate",
    ] {
        assert!(tl.entries.iter().any(|e| e.source == family), "{family}");
    }
    // Events keep the aggregation marker; every entry has a line or an object position.
    assert!(
        tl.entries
            .iter()
            .any(|e| e.source == "event" && e.message.contains("(combined from similar events)"))
    );
    assert!(tl.entries.iter().all(|e| e.provenance.line.is_some()));
    // Node names are the Node objects' everywhere.
    for e in &tl.entries {
        if let Some(n) = &e.node {
            assert!(snap.node_names.contains(n), "{n}");
        }
    }
    // The worker without a sosreport has no journals: a visible gap, not silence.
    for n in t["nodes"].as_array().unwrap() {
        let name = n["name"].as_str().unwrap();
        let has_journal = n["evidence"].as_array().unwrap().iter().any(|e| {
            e.as_str().unwrap().contains("journalctl")
                || e.as_str().unwrap().contains("host_service_logs")
        });
        let gap = tl
            .gaps()
            .any(|c| c.source == "kubelet journal" && c.node.as_deref() == Some(name));
        assert_eq!(gap, !has_journal, "{name}");
        if !has_journal {
            let note = format!("no kubelet journal for node {name}");
            assert!(tl.gaps().any(|c| c.note.as_deref() == Some(note.as_str())));
        }
    }
    // The ClusterVersion update to 4.15 is on the timeline.
    assert!(
        tl.entries.iter().any(|e| e.source == "clusterversion"
            && e.message.contains("4.15.0-0.okd-2024-01-27-070424"))
    );
    // Filters: one node, critical only, a window relative to the data.
    let node = "ip-10-0-22-198.eu-central-1.compute.internal";
    let opts = TimelineOptions {
        nodes: vec!["ip-10-0-22-198".into()],
        min_severity: Severity::Critical,
        since: Some(ts("2024-02-09T00:00:00Z")),
        ..TimelineOptions::default()
    };
    let narrow = timeline::build(&snap, &case, &hits, &opts);
    assert!(!narrow.entries.is_empty());
    assert!(
        narrow
            .entries
            .iter()
            .all(|e| e.node.as_deref() == Some(node)
                && e.severity == Severity::Critical
                && e.at >= ts("2024-02-09T00:00:00Z"))
    );
}

#[test]
fn azure_bootstrap_noise_is_never_critical() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let (case, snap) = open(&path, cache.path());
    let hits = scan(&snap, &case, &RuleSet::builtin());
    let critical: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.severity == Severity::Critical)
        .collect();
    assert!(critical.is_empty(), "{critical:#?}");
    // The bootstrap signatures are there, as info / warning.
    for rule in ["bootstrap-cni-not-configured", "kubelet-api-unauthorized"] {
        let h = hits
            .iter()
            .find(|h| h.rule == rule)
            .unwrap_or_else(|| panic!("{rule}"));
        assert!(h.severity < Severity::Critical);
    }
    let tl = timeline::build(&snap, &case, &hits, &TimelineOptions::default());
    assert!(tl.entries.iter().all(|e| e.severity < Severity::Critical));
    assert!(tl.entries.len() > 1000, "{}", tl.entries.len());
}
