//! The facade on the embedded sample case.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use casefile::{Case, ErrorKind, Selection, TimelineFilter};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation")
}

fn open(threads: Option<usize>) -> Case {
    let mut b = Case::builder().no_cache(true);
    if let Some(n) = threads {
        b = b.threads(n);
    }
    b.open(&[sample()]).unwrap()
}

#[test]
fn case_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Case>();
    assert_send_sync::<casefile::Error>();
    assert_send_sync::<casefile::CaseBuilder>();
}

#[test]
fn diagnose_finds_the_ca_rotation_and_is_thread_independent() {
    let one = open(Some(1));
    let four = open(Some(4));
    assert!(
        one.findings()
            .iter()
            .any(|f| f.id == "ca-trust-propagation")
    );
    let a = serde_json::to_string(&one.diagnose()).unwrap();
    let b = serde_json::to_string(&four.diagnose()).unwrap();
    assert_eq!(a, b);
    assert!(a.contains("ca-trust-propagation"));
    assert_eq!(
        one.timeline(&TimelineFilter::new()),
        four.timeline(&TimelineFilter::new())
    );
}

#[test]
fn timeline_default_is_the_analysis_timeline() {
    let case = open(None);
    // Asked before the analysis exists (own hits and trust), then compared with it.
    let tl = case.timeline(&TimelineFilter::new());
    let rows = &case.analysis().timeline;
    assert_eq!(tl, rows.collect(case.snapshot(), case.content()));
    assert_eq!(rows.len(), tl.entries.len());
    assert!(!tl.entries.is_empty());
    let critical = case.timeline(
        &TimelineFilter::new()
            .min_severity(casefile::Severity::Critical)
            .trust_events(false),
    );
    assert!(critical.entries.len() < tl.entries.len());
    assert!(!case.trust().signers.is_empty() || !case.trust().consumers.is_empty());
    assert!(case.summary().collected_at.is_some());
    assert!(!case.certificates().entries.is_empty());
    assert_eq!(
        case.warnings().len(),
        case.load_warnings().len() + case.decode_warnings().len()
    );
}

#[test]
fn objects_like_oc_get() {
    let case = open(None);
    let nodes = case.objects("nodes", &Selection::default()).unwrap();
    assert!(!nodes.is_empty());
    let node = nodes[0];
    assert_eq!(node.kind(), "Node");
    assert!(node.namespace().is_none());
    let at = node.provenance();
    assert!(!case.content().path(at.artifact).is_empty());
    assert!(!node.raw().unwrap().is_empty());
    let json = node.json().unwrap();
    assert_eq!(json["metadata"]["name"], node.name());
    let pods = case.objects("po", &Selection::all()).unwrap();
    assert!(pods.len() > 1);
    let one = case
        .objects(
            "pods",
            &Selection::in_namespace(pods[0].namespace().unwrap()).name(pods[0].name()),
        )
        .unwrap();
    assert_eq!(one.len(), 1);
    let e = case.objects("nosuchkind", &Selection::all()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Query(_)), "{e}");
    let e = case
        .objects("pods", &Selection::all().labels("a in"))
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Query(_)), "{e}");
}

#[test]
fn rules_errors_are_typed() {
    let e = Case::builder()
        .add_rules_yaml("rules: [ {id: 1")
        .open(&[sample()])
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Rules { path: None, .. }),
        "{e}"
    );
    let e = Case::builder()
        .add_rules_file("/nonexistent/rules.yaml")
        .open(&[sample()])
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RulesFile { .. }), "{e}");
    let e = Case::open(&["/nonexistent/case.tar.gz"]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Open(_)), "{e}");
}

#[test]
fn signature_hits_are_kept_per_rule_set_and_read_back_the_same() {
    let cache = tempfile::tempdir().unwrap();
    let open = |extra: Option<&str>| {
        let mut b = Case::builder().cache_dir(cache.path());
        if let Some(yaml) = extra {
            b = b.add_rules_yaml(yaml);
        }
        b.open(&[sample()]).unwrap()
    };
    let kept_files = || -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in std::fs::read_dir(cache.path()).unwrap() {
            for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
                let p = f.unwrap().path();
                if p.to_string_lossy().contains(".hits-") {
                    out.push(p);
                }
            }
        }
        out
    };
    let fresh = open(None).hits().to_vec();
    assert!(!fresh.is_empty());
    assert_eq!(kept_files().len(), 1, "the hits are kept");
    let kept = open(None).hits().to_vec();
    assert_eq!(kept, fresh, "read back as scanned");
    // The next open really reads the kept file: emptied, it gives no hits.
    let file = &kept_files()[0];
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    v[1] = serde_json::json!([]);
    std::fs::write(file, serde_json::to_vec(&v).unwrap()).unwrap();
    assert!(open(None).hits().is_empty());
    std::fs::remove_file(file).unwrap();
    assert_eq!(
        open(None).hits(),
        fresh.as_slice(),
        "scanned again once removed"
    );
    // Another rule set is scanned afresh and kept apart: its extra rule hits.
    let extra = "rules:\n  - id: any-kubelet-line\n    title: t\n    source: {kind: journal, unit: kubelet}\n    pattern: 'x509'\n    severity: info\n    explain: e\n";
    let other = open(Some(extra)).hits().to_vec();
    assert_eq!(kept_files().len(), 2);
    assert!(other.iter().any(|h| h.rule == "any-kubelet-line"));
    assert!(!kept.iter().any(|h| h.rule == "any-kubelet-line"));
    // Without a persistent index nothing is kept, and the hits are the same.
    let uncached = Case::builder()
        .no_cache(true)
        .open(&[sample()])
        .unwrap()
        .hits()
        .to_vec();
    assert_eq!(uncached, fresh);
}

#[test]
fn a_builder_tells_whether_its_open_will_be_warm() {
    let archives: Vec<PathBuf> = std::fs::read_dir(sample())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "gz" || e == "xz"))
        .collect();
    assert!(archives.len() >= 2);
    let cache = tempfile::tempdir().unwrap();
    let builder = Case::builder().cache_dir(cache.path());
    assert!(!builder.is_indexed(&archives), "a cold cache");
    builder.open(&archives[..1]).unwrap();
    assert!(builder.is_indexed(&archives[..1]));
    assert!(
        !builder.is_indexed(&archives),
        "one archive of the case has no index yet"
    );
    builder.open(&archives).unwrap();
    assert!(builder.is_indexed(&archives));
    assert!(
        !builder.clone().no_cache(true).is_indexed(&archives),
        "nothing is read from a cache that is not used"
    );
    // A directory is read in place and never indexed: it does not make an open cold.
    let dir = tempfile::tempdir().unwrap();
    let mut with_dir = archives.clone();
    with_dir.push(dir.path().to_path_buf());
    assert!(builder.is_indexed(&with_dir));
}
