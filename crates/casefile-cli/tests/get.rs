//! `casefile get` end to end: the real binary on the real 4.8.11 Azure must-gather
//! (`.tar.xz`) and the AWS must-gather subset (a directory), read in place from
//! `/work/shared/realdata`. Every test is skipped with a message when the data is absent.
//!
//! The expected values were looked up independently (`tar -xOJf … | grep`, Python's
//! `yaml.safe_load` on the AWS tree). Ages are relative to the collection times recorded
//! in the archives: Azure 2021-09-13 15:34:43Z, AWS 2021-08-03 10:14:13Z.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const AZURE: &str = "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz";
const AWS: &str = "openshift-must-gather-clean/test/files/must-gather-aws";

fn realdata(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

/// A cache directory shared by the tests of this file, warmed once (the first open of
/// the Azure archive indexes 84 MiB of xz; every later one maps the cache).
fn cache_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("get-cache");
        std::fs::create_dir_all(&dir).expect("create cache dir");
        if let Some(a) = realdata(AZURE) {
            let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
                .env("CASEFILE_CACHE_DIR", &dir)
                .arg("index")
                .arg(&a)
                .output()
                .expect("run casefile index");
            assert!(
                out.status.success(),
                "warming the cache failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        dir
    })
}

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn casefile(archive: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .env("CASEFILE_CACHE_DIR", cache_dir())
        .arg("get")
        .args(args)
        .arg("--archive")
        .arg(archive)
        .output()
        .expect("run casefile");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

/// Runs and requires success.
fn ok(archive: &Path, args: &[&str]) -> String {
    let r = casefile(archive, args);
    assert_eq!(
        r.code,
        Some(0),
        "casefile get {args:?} failed: {}",
        r.stderr
    );
    r.stdout
}

/// The cells of a table line (cells are separated by 3+ spaces).
fn cells(line: &str) -> Vec<&str> {
    line.split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn row<'a>(table: &'a str, name: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name))
        .unwrap_or_else(|| panic!("no row for {name} in:\n{table}"));
    cells(line)
}

// ---------------------------------------------------------------------------------------
// Azure (whole 4.8.11 must-gather, .tar.xz)

#[test]
fn azure_pods_in_a_namespace() {
    let Some(a) = realdata(AZURE) else { return };
    let out = ok(&a, &["pods", "-n", "openshift-etcd"]);
    let mut lines = out.lines();
    assert_eq!(
        cells(lines.next().unwrap()),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    // namespaces/openshift-etcd/core/pods.yaml holds 18 pods.
    assert_eq!(lines.count(), 18);
    // etcd-…-master-0: 4 containers ready, created 15:01:53 (32m50s before collection).
    assert_eq!(
        row(&out, "etcd-ci-ln-k7vx6h2-002ac-w7gjh-master-0"),
        [
            "etcd-ci-ln-k7vx6h2-002ac-w7gjh-master-0",
            "4/4",
            "Running",
            "0",
            "32m"
        ]
    );
    assert_eq!(
        row(&out, "installer-2-ci-ln-k7vx6h2-002ac-w7gjh-master-0")[1..4],
        ["0/1", "Completed", "0"]
    );
    // Same through the short name, the singular and the Kind.
    for kind in ["po", "pod", "Pod", "pods.core"] {
        assert_eq!(ok(&a, &[kind, "-n", "openshift-etcd"]), out, "{kind}");
    }
}

#[test]
fn azure_pods_all_namespaces_and_wide() {
    let Some(a) = realdata(AZURE) else { return };
    let out = ok(&a, &["pods", "-A"]);
    assert!(out.starts_with("NAMESPACE "));
    // 237 Pod items across namespaces/*/core/pods.yaml.
    assert_eq!(out.lines().count(), 1 + 237);
    // Ordered by namespace, then name.
    let keys: Vec<(&str, &str)> = out
        .lines()
        .skip(1)
        .map(|l| {
            let mut w = l.split_whitespace();
            (w.next().unwrap(), w.next().unwrap())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    // A restarted operator: 3 restarts, last one 35m before collection.
    assert_eq!(
        row(&out, "openshift-apiserver-operator-6d96dd884c-85c98"),
        [
            "openshift-apiserver-operator",
            "openshift-apiserver-operator-6d96dd884c-85c98",
            "1/1",
            "Running",
            "3 (35m ago)",
            "46m"
        ]
    );

    let wide = ok(
        &a,
        &[
            "pod",
            "etcd-ci-ln-k7vx6h2-002ac-w7gjh-master-0",
            "-n",
            "openshift-etcd",
            "-o",
            "wide",
        ],
    );
    assert_eq!(
        cells(wide.lines().next().unwrap()),
        [
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES"
        ]
    );
    assert_eq!(
        cells(wide.lines().nth(1).unwrap())[5..],
        [
            "10.0.0.7",
            "ci-ln-k7vx6h2-002ac-w7gjh-master-0",
            "<none>",
            "<none>"
        ]
    );
    // KIND/NAME form.
    assert_eq!(
        ok(
            &a,
            &[
                "pod/etcd-ci-ln-k7vx6h2-002ac-w7gjh-master-0",
                "-n",
                "openshift-etcd",
                "-o",
                "wide"
            ]
        ),
        wide
    );
}

#[test]
fn azure_nodes() {
    let Some(a) = realdata(AZURE) else { return };
    let out = ok(&a, &["nodes"]);
    assert_eq!(
        cells(out.lines().next().unwrap()),
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    );
    assert_eq!(out.lines().count(), 1 + 6);
    // master-0 was created 14:50:39; kubeletVersion v1.21.1+9807387.
    assert_eq!(
        row(&out, "ci-ln-k7vx6h2-002ac-w7gjh-master-0"),
        [
            "ci-ln-k7vx6h2-002ac-w7gjh-master-0",
            "Ready",
            "master",
            "44m",
            "v1.21.1+9807387"
        ]
    );
    assert_eq!(
        row(&out, "ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus21-gqtkz")[..3],
        [
            "ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus21-gqtkz",
            "Ready",
            "worker"
        ]
    );
    let wide = ok(&a, &["no", "-o", "wide"]);
    assert_eq!(
        row(&wide, "ci-ln-k7vx6h2-002ac-w7gjh-master-0")[5..],
        [
            "10.0.0.7",
            "<none>",
            "Red Hat Enterprise Linux CoreOS 48.84.202109090400-0 (Ootpa)",
            "4.18.0-305.19.1.el8_4.x86_64",
            "cri-o://1.21.2-15.rhaos4.8.gitcdc4f56.el8"
        ]
    );
    // Label selectors.
    let workers = ok(
        &a,
        &[
            "nodes",
            "-l",
            "node-role.kubernetes.io/worker",
            "-o",
            "name",
        ],
    );
    assert_eq!(
        workers,
        "node/ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus21-gqtkz\nnode/ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus22-vthrm\nnode/ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus23-d49js\n"
    );
    let not_workers = ok(
        &a,
        &[
            "nodes",
            "-l",
            "!node-role.kubernetes.io/worker",
            "-o",
            "name",
        ],
    );
    assert_eq!(not_workers.lines().count(), 3);
    assert!(not_workers.lines().all(|l| l.contains("-master-")));
}

#[test]
fn azure_cluster_operators() {
    let Some(a) = realdata(AZURE) else { return };
    let out = ok(&a, &["co"]);
    assert_eq!(
        cells(out.lines().next().unwrap()),
        [
            "NAME",
            "VERSION",
            "AVAILABLE",
            "PROGRESSING",
            "DEGRADED",
            "SINCE",
            "MESSAGE"
        ]
    );
    // 31 files in cluster-scoped-resources/config.openshift.io/clusteroperators/.
    assert_eq!(out.lines().count(), 1 + 31);
    // etcd: Available=True since 14:53:20 (41m23s), Progressing=False, Degraded=False.
    assert_eq!(
        row(&out, "etcd"),
        ["etcd", "4.8.11", "True", "False", "False", "41m"]
    );

    let names = ok(&a, &["clusteroperators.config.openshift.io", "-o", "name"]);
    assert_eq!(names.lines().count(), 31);
    assert_eq!(
        names.lines().next(),
        Some("clusteroperator.config.openshift.io/authentication")
    );
    assert!(
        names
            .lines()
            .all(|l| l.starts_with("clusteroperator.config.openshift.io/"))
    );

    let json: serde_json::Value =
        serde_json::from_str(&ok(&a, &["co", "-o", "json"])).expect("valid JSON");
    assert_eq!(json["apiVersion"], "v1");
    assert_eq!(json["kind"], "List");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 31);
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "ClusterOperator" && i["apiVersion"] == "config.openshift.io/v1")
    );

    // By name: the bare object.
    let etcd: serde_json::Value =
        serde_json::from_str(&ok(&a, &["co", "etcd", "-o", "json"])).expect("valid JSON");
    assert_eq!(etcd["metadata"]["name"], "etcd");
    assert_eq!(
        etcd["metadata"]["uid"],
        "36003dfe-3c19-42bd-90de-5522040930bd"
    );
}

#[test]
fn azure_cluster_version_and_crd_columns() {
    let Some(a) = realdata(AZURE) else { return };
    let cv = ok(&a, &["clusterversion"]);
    assert_eq!(
        cells(cv.lines().next().unwrap()),
        [
            "NAME",
            "VERSION",
            "AVAILABLE",
            "PROGRESSING",
            "SINCE",
            "STATUS"
        ]
    );
    assert_eq!(
        cells(cv.lines().nth(1).unwrap()),
        [
            "version",
            "4.8.11",
            "True",
            "False",
            "20m",
            "Cluster version is 4.8.11"
        ]
    );
    // machineconfigpools: columns from the CRD in the archive.
    let mcp = ok(&a, &["mcp"]);
    assert_eq!(
        cells(mcp.lines().next().unwrap()),
        [
            "NAME",
            "CONFIG",
            "UPDATED",
            "UPDATING",
            "DEGRADED",
            "MACHINECOUNT",
            "READYMACHINECOUNT",
            "UPDATEDMACHINECOUNT",
            "DEGRADEDMACHINECOUNT",
            "AGE"
        ]
    );
    assert_eq!(
        row(&mcp, "master")[1..9],
        [
            "rendered-master-59f045ea2d98d1b7a5dd50989259d147",
            "True",
            "False",
            "False",
            "3",
            "3",
            "3",
            "0"
        ]
    );
}

#[test]
fn azure_events_secrets_configmaps_csrs() {
    let Some(a) = realdata(AZURE) else { return };
    let ev = ok(&a, &["ev", "-n", "openshift-etcd"]);
    assert_eq!(
        cells(ev.lines().next().unwrap()),
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    );
    assert!(ev.lines().any(|l| cells(l)
        == ["42m", "Warning", "FailedMount", "pod/etcd-quorum-guard-586dd88c9-pv69x", "MountVolume.SetUp failed for volume \"etcd-ca\" : configmap \"etcd-ca-bundle\" not found"]));

    let csr = ok(&a, &["csr"]);
    assert_eq!(
        cells(csr.lines().next().unwrap()),
        ["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "CONDITION"]
    );
    assert_eq!(csr.lines().count(), 1 + 13);
    assert_eq!(
        row(&csr, "csr-6b4dm")[2..],
        [
            "kubernetes.io/kubelet-serving",
            "system:node:ci-ln-k7vx6h2-002ac-w7gjh-master-0",
            "Approved,Issued"
        ]
    );

    let cm = ok(&a, &["cm", "etcd-endpoints", "-n", "openshift-etcd"]);
    assert_eq!(
        cells(cm.lines().nth(1).unwrap())[..2],
        ["etcd-endpoints", "3"]
    );
    let sec = ok(
        &a,
        &["secrets", "builder-dockercfg-nx8tk", "-n", "openshift-etcd"],
    );
    assert_eq!(
        cells(sec.lines().nth(1).unwrap())[..3],
        ["builder-dockercfg-nx8tk", "kubernetes.io/dockercfg", "1"]
    );
}

#[test]
fn azure_json_and_yaml() {
    let Some(a) = realdata(AZURE) else { return };
    let json: serde_json::Value =
        serde_json::from_str(&ok(&a, &["pods", "-A", "-o", "json"])).expect("valid JSON");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(237));

    let yaml = ok(&a, &["pods", "-n", "openshift-etcd", "-o", "yaml"]);
    let docs: Vec<&str> = yaml.split("---\n").collect();
    assert_eq!(docs.len(), 18);
    for d in &docs {
        assert!(
            d.starts_with("apiVersion: v1\n"),
            "{}",
            &d[..d.len().min(200)]
        );
        assert!(d.contains("\nkind: Pod\n"));
        assert!(!d.lines().any(|l| l.starts_with("- apiVersion")));
    }
    assert!(docs[0].contains("\n  name: etcd-ci-ln-k7vx6h2-002ac-w7gjh-master-0\n"));
}

#[test]
fn azure_empty_unknown_and_missing() {
    let Some(a) = realdata(AZURE) else { return };
    // `default` has no pods.
    let r = casefile(&a, &["pods"]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), ""));
    assert_eq!(r.stderr.trim(), "No resources found in default namespace.");
    let r = casefile(&a, &["pods", "-n", "openshift-etcd", "-l", "app=nope"]);
    assert_eq!(
        (r.code, r.stderr.trim()),
        (Some(0), "No resources found in openshift-etcd namespace.")
    );
    let r = casefile(&a, &["nodes", "-l", "no-such-label"]);
    assert_eq!((r.code, r.stderr.trim()), (Some(0), "No resources found"));
    // Unknown kind: an error naming it.
    let r = casefile(&a, &["frobnicators"]);
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("\"frobnicators\""), "{}", r.stderr);
    // Unknown name.
    let r = casefile(&a, &["pod", "nope", "-n", "openshift-etcd"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("pods \"nope\" not found"), "{}", r.stderr);
    // Bad selector.
    let r = casefile(&a, &["pods", "-l", "a=b=c"]);
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("selector"), "{}", r.stderr);
}

#[test]
fn azure_kinds_from_crds_and_groups() {
    let Some(a) = realdata(AZURE) else { return };
    // Two kinds named Network: the config one is preferred, a group prefix picks the other.
    assert_eq!(
        ok(&a, &["networks", "-o", "name"]),
        "network.config.openshift.io/cluster\n"
    );
    assert_eq!(
        ok(&a, &["network.operator", "-o", "name"]),
        "network.operator.openshift.io/cluster\n"
    );
    // A kind found only through its objects' paths (tuned.openshift.io/profiles/…).
    let tuned = ok(
        &a,
        &[
            "profiles.tuned.openshift.io",
            "-n",
            "openshift-cluster-node-tuning-operator",
            "-o",
            "name",
        ],
    );
    assert_eq!(tuned.lines().count(), 6);
    assert!(
        tuned
            .lines()
            .all(|l| l.starts_with("profile.tuned.openshift.io/"))
    );
    // A short name only the archive's CRDs know: `condition` is OperatorCondition.
    assert_eq!(
        ok(&a, &["condition", "-A", "-o", "name"]),
        "operatorcondition.operators.coreos.com/image-caching-operator.v0.0.1\noperatorcondition.operators.coreos.com/projectrequestlimits.v0.0.1\noperatorcondition.operators.coreos.com/packageserver\n"
    );
    // A CRD kind without objects is known (no error), just empty.
    let r = casefile(&a, &["bmh"]);
    assert_eq!(
        (r.code, r.stderr.trim()),
        (Some(0), "No resources found in default namespace.")
    );
}

// ---------------------------------------------------------------------------------------
// AWS (must-gather subset, a directory)

#[test]
fn aws_pods_events_secrets() {
    let Some(a) = realdata(AWS) else { return };
    let pods = ok(&a, &["pods", "-n", "openshift-multus", "-o", "wide"]);
    // 21 pods in namespaces/openshift-multus/core/pods.yaml, all Running.
    assert_eq!(pods.lines().count(), 1 + 21);
    // Created 09:18:34 (55m39s before 10:14:13).
    assert_eq!(
        row(&pods, "multus-admission-controller-5tjjb"),
        [
            "multus-admission-controller-5tjjb",
            "2/2",
            "Running",
            "0",
            "55m",
            "10.128.0.29",
            "ip-10-0-195-177.ec2.internal",
            "<none>",
            "<none>"
        ]
    );

    let ev = ok(&a, &["events", "-n", "openshift-multus", "-o", "wide"]);
    assert_eq!(ev.lines().count(), 1 + 277);
    // The event quoted in formats.md §1.7: count 10, 09:20:33 → 09:20:50.
    let e = row(&ev, "network-metrics-daemon-2ndw4.1697c165be0fa930");
    assert_eq!(
        e[..6],
        [
            "53m",
            "Warning",
            "NetworkNotReady",
            "pod/network-metrics-daemon-2ndw4",
            "kubelet, ip-10-0-189-142.ec2.internal",
            e[5]
        ]
    );
    assert_eq!(
        e[e.len() - 3..],
        ["53m", "10", "network-metrics-daemon-2ndw4.1697c165be0fa930"]
    );

    let sec = ok(
        &a,
        &[
            "secret",
            "aggregator-client",
            "-n",
            "openshift-kube-apiserver",
        ],
    );
    assert_eq!(
        cells(sec.lines().nth(1).unwrap()),
        ["aggregator-client", "kubernetes.io/tls", "2", "54m"]
    );
}

#[test]
fn aws_nodes_csrs_cluster_version() {
    let Some(a) = realdata(AWS) else { return };
    let nodes = ok(&a, &["no"]);
    assert_eq!(
        row(&nodes, "ip-10-0-195-177.ec2.internal"),
        [
            "ip-10-0-195-177.ec2.internal",
            "Ready",
            "master",
            "56m",
            "v1.21.1+38b3ecc"
        ]
    );
    assert_eq!(
        nodes
            .lines()
            .filter(|l| cells(l).get(2) == Some(&"worker"))
            .count(),
        3
    );

    let csr = ok(&a, &["csr", "-o", "name"]);
    assert_eq!(csr.lines().count(), 13);
    assert!(csr.lines().any(|l| l == "certificatesigningrequest.certificates.k8s.io/system:openshift:openshift-authenticator"));

    // No CRDs in this subset: the built-in ClusterVersion columns.
    let cv = ok(&a, &["clusterversions.config.openshift.io"]);
    assert_eq!(
        cells(cv.lines().nth(1).unwrap())[..4],
        [
            "version",
            "4.8.0-0.nightly-2021-07-31-065602",
            "True",
            "False"
        ]
    );
    let co = ok(&a, &["co", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_str(&co).expect("valid JSON");
    assert!(
        json["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty() && i.iter().all(|o| o["kind"] == "ClusterOperator"))
    );
}
