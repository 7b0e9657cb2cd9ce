//! Integration tests on the real archives in `/work/shared/realdata`, read in place (never
//! copied into the repository). Every test is skipped with a message when its sample is absent.
//!
//! The expected values were looked up independently of casefile: `tar tvJf`/`tar tzvf` for
//! member lists and sizes, `grep -c '^  kind: Pod$'` and a PyYAML script (CSafeLoader, every
//! List item and per-object file, deduplicated by uid else group/kind/namespace/name) for object
//! counts, `zcat | head`/`wc` for the gzip members, `cat` for the `timestamp` files and
//! `tar xzOf sos_reports.tgz sos_reports/manifest.json` for the sosreport manifest.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use casefile_ingest::archive::{Codec, DataLoc, EntryKind};
use casefile_ingest::layout::ArtifactKind;
use casefile_ingest::summary::CaseSummary;
use casefile_ingest::{Case, CaseOptions, LoadMode};
use casefile_model::{ArchiveKind, CollectionTimeSource, PartKind, Timestamp};

const AZURE: &str = "openshift-must-gather-clean/test/files/must-gather-azure.tar.xz";
const AZURE_IMAGE_DIR: &str = "must-gather-azure/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-415e56a6d8d2b8576c59d08a7c57a7d081fa59e7dc3cd8782ed7bcd6080c7c12";
const AWS: &str = "openshift-must-gather-clean/test/files/must-gather-aws";
const AWS_IMAGE_DIR: &str = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-eede85cbd33388f7e18954e5ce8ad9616e91df05ace604966c0a44111d85c897";
const REDHATQE: &str =
    "RedHatQE-must-gather-explorer/must_gather_explorer/tests/manifests/must-gather-data/data";
const HOTSOS: &str = "canonical-hotsos";
const INSIGHTS: &str = "openshift-insights-operator/docs/insights-archive-sample";

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

fn options(cache: &Path) -> CaseOptions {
    CaseOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..CaseOptions::default()
    }
}

fn open(path: &Path, cache: &Path) -> Case {
    Case::open(&[path.to_path_buf()], &options(cache)).unwrap_or_else(|e| panic!("{e}"))
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Number of deduplicated objects of `kind` (core group) per namespace.
fn per_namespace(case: &Case, kind: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in case.objects_of_kind("", kind) {
        *out.entry(case.record(r).meta.namespace.clone().unwrap_or_default())
            .or_default() += 1;
    }
    out
}

fn file_count(case: &Case) -> usize {
    case.archives()[0]
        .data
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .count()
}

fn content(case: &Case, path: &str) -> Vec<u8> {
    let data = &case.archives()[0].data;
    let id = data
        .find(path)
        .unwrap_or_else(|| panic!("{path} not found"));
    data.content(id).unwrap().into_owned()
}

fn kind_of(case: &Case, path: &str) -> ArtifactKind {
    case.artifacts()
        .find(|(_, e, _)| e.path == path)
        .map_or_else(|| panic!("{path} not found"), |(_, _, k)| k)
}

#[test]
fn azure_tar_xz_whole_archive() {
    let Some(path) = realdata(AZURE) else { return };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    let arch = &case.archives()[0];
    assert_eq!(arch.data.kind, ArchiveKind::TarXz);
    assert_eq!(arch.mode, LoadMode::Indexed);

    // `tar tvJf | awk '$1 ~ /^-/'`: 3,573 regular files holding 78,271,799 bytes.
    assert_eq!(file_count(&case), 3573);
    assert_eq!(
        arch.data.entries.iter().map(|e| e.size).sum::<u64>(),
        78_271_799
    );
    assert!(
        arch.data
            .entries
            .iter()
            .all(|e| e.codec.is_none() && !e.truncated)
    );

    // One must-gather rooted at the archive's single top directory.
    assert_eq!(arch.index.parts.len(), 1);
    let part = &arch.index.parts[0];
    assert_eq!(part.kind, PartKind::MustGather);
    assert_eq!(part.root, "must-gather-azure");
    assert_eq!(part.resource_roots, [AZURE_IMAGE_DIR]);
    // The outer timestamp's last line "2021-09-13 17:34:43.222134208 +0200 CEST" is the newest
    // instant (inner lines end at 15:34:17 UTC).
    let collected = part.collected.as_ref().unwrap();
    assert_eq!(collected.at, ts("2021-09-13T15:34:43.222134208Z"));
    assert_eq!(
        collected.source,
        CollectionTimeSource::TimestampFile("must-gather-azure/timestamp".into())
    );
    assert_eq!(
        case.collected_at(),
        Some(ts("2021-09-13T15:34:43.222134208Z"))
    );

    let summary = CaseSummary::of(&case);
    assert_eq!(summary.version.as_deref(), Some("4.8.11"));
    assert_eq!(
        summary.cluster_id.as_deref(),
        Some("01422477-10c4-4a2d-ac1a-6612a5236803")
    );
    assert_eq!(summary.platform.as_deref(), Some("Azure"));
    assert_eq!(summary.network_type.as_deref(), Some("OpenShiftSDN"));
    let nodes: Vec<(&str, Vec<String>)> = summary
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.roles.clone()))
        .collect();
    let master = || vec!["master".to_owned()];
    let worker = || vec!["worker".to_owned()];
    assert_eq!(
        nodes,
        [
            ("ci-ln-k7vx6h2-002ac-w7gjh-master-0", master()),
            ("ci-ln-k7vx6h2-002ac-w7gjh-master-1", master()),
            ("ci-ln-k7vx6h2-002ac-w7gjh-master-2", master()),
            ("ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus21-gqtkz", worker()),
            ("ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus22-vthrm", worker()),
            ("ci-ln-k7vx6h2-002ac-w7gjh-worker-eastus23-d49js", worker()),
        ]
    );
    assert!(
        summary
            .nodes
            .iter()
            .all(|n| n.status == "Ready" && n.kubelet_version == "v1.21.1+9807387")
    );

    // Objects: 8,666 found in List items and per-object files, 8,367 after deduplication, 88 kinds.
    assert_eq!(arch.index.objects.len(), 8666);
    assert_eq!(case.objects().len(), 8367);
    assert_eq!(summary.kinds.len(), 88);
    let pods = per_namespace(&case, "Pod");
    assert_eq!(pods.values().sum::<usize>(), 237);
    for (ns, n) in [
        ("openshift-etcd", 18),
        ("openshift-multus", 21),
        ("openshift-kube-apiserver", 14),
        ("openshift-sdn", 9),
        ("kube-system", 3),
        ("openshift-monitoring", 21),
    ] {
        assert_eq!(pods.get(ns), Some(&n), "pods in {ns}");
    }
    let events = per_namespace(&case, "Event");
    assert_eq!(events.values().sum::<usize>(), 5302);
    for (ns, n) in [
        ("openshift-etcd", 231),
        ("openshift-kube-apiserver-operator", 416),
        ("default", 84),
        ("openshift-multus", 273),
    ] {
        assert_eq!(events.get(ns), Some(&n), "events in {ns}");
    }

    // Every unit log under host_service_logs/masters (9 files, masters only).
    let units: BTreeSet<String> = case
        .artifacts()
        .filter_map(|(_, _, k)| match k {
            ArtifactKind::HostServiceLog { role, unit } if role == "masters" => Some(unit),
            _ => None,
        })
        .collect();
    let want: BTreeSet<String> = [
        "NetworkManager",
        "crio",
        "kubelet",
        "machine-config-daemon-firstboot",
        "machine-config-daemon-host",
        "openvswitch",
        "ovs-configuration",
        "ovs-vswitchd",
        "ovsdb-server",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(units, want);
    // 1,247 files under pods/*/*/*/logs/ plus the 9 unit logs.
    assert_eq!(summary.archives[0].logs, 1256);
    let kubelet = content(
        &case,
        &format!("{AZURE_IMAGE_DIR}/host_service_logs/masters/kubelet_service.log"),
    );
    assert!(
        kubelet.starts_with(b"-- Logs begin at "),
        "{:?}",
        String::from_utf8_lossy(&kubelet[..80])
    );

    // A second open with the same cache directory reuses the persistent index.
    let again = open(&path, cache.path());
    let warm = &again.archives()[0];
    eprintln!("azure: cold {:?}, warm {:?}", arch.elapsed, warm.elapsed);
    assert_eq!(warm.mode, LoadMode::Cached);
    assert_eq!(warm.data.entries, arch.data.entries);
    assert_eq!(warm.index.objects, arch.index.objects);
    assert_eq!(warm.index.parts, arch.index.parts);
    assert_eq!(again.objects(), case.objects());
    assert!(again.diagnostics().is_empty());
    assert_eq!(
        content(
            &again,
            &format!("{AZURE_IMAGE_DIR}/host_service_logs/masters/kubelet_service.log")
        ),
        kubelet
    );
    assert_eq!(CaseSummary::of(&again).version.as_deref(), Some("4.8.11"));
}

#[test]
fn aws_subset_directory() {
    let Some(path) = realdata(AWS) else { return };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    let a = &case.archives()[0];
    assert_eq!(
        (a.data.kind, a.mode),
        (ArchiveKind::Directory, LoadMode::Directory)
    );
    assert_eq!(file_count(&case), 738); // `find -type f | wc -l`
    assert!(
        a.data
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .all(|e| e.data == DataLoc::Disk)
    );

    // The input root is the must-gather root: `timestamp` beside the image directory.
    assert_eq!(a.index.parts.len(), 1);
    let part = &a.index.parts[0];
    assert_eq!(part.kind, PartKind::MustGather);
    assert_eq!(part.root, "");
    assert_eq!(part.resource_roots, [AWS_IMAGE_DIR]);
    // The outer file ends with "2021-08-03 12:14:13.632016778 +0200 CEST", the client's local
    // time: 10:14:13.632 UTC, which is later than the inner (UTC) file's last line
    // 10:13:47.364. The newest instant wins, and the offset is honoured (not read as UTC).
    let collected = part.collected.as_ref().unwrap();
    assert_eq!(collected.at, ts("2021-08-03T10:14:13.632016778Z"));
    assert_eq!(
        collected.source,
        CollectionTimeSource::TimestampFile("timestamp".into())
    );

    let nodes: Vec<String> = case.nodes().all().to_vec();
    assert_eq!(
        nodes,
        [
            "ip-10-0-129-220.ec2.internal",
            "ip-10-0-151-183.ec2.internal",
            "ip-10-0-187-218.ec2.internal",
            "ip-10-0-189-142.ec2.internal",
            "ip-10-0-195-177.ec2.internal",
            "ip-10-0-254-204.ec2.internal",
        ]
    );
    assert_eq!(
        case.nodes().canonical("ip-10-0-195-177"),
        Some("ip-10-0-195-177.ec2.internal")
    );
    let s = CaseSummary::of(&case);
    assert_eq!(
        s.version.as_deref(),
        Some("4.8.0-0.nightly-2021-07-31-065602")
    );

    // 1,757 objects in Lists and per-object files, 1,652 after deduplication.
    assert_eq!(a.index.objects.len(), 1757);
    assert_eq!(case.objects().len(), 1652);
    // 55 pods in the Lists; 53 also have a per-object file (two kube-apiserver pod folders
    // were left out of the subset), so every pod is there once.
    let pods = per_namespace(&case, "Pod");
    assert_eq!(pods.values().sum::<usize>(), 55);
    assert_eq!(pods.get("openshift-kube-apiserver"), Some(&12));
    assert_eq!(pods.get("openshift-multus"), Some(&21));
    assert_eq!(
        per_namespace(&case, "Event").get("openshift-multus"),
        Some(&277)
    );

    // Present both in `core/configmaps.yaml` (line 243) and `core/configmaps/sdn-config.yaml`,
    // and in `core/secrets.yaml` and `core/secrets/pull-secret.yaml`: once each in the case,
    // from the per-object file.
    for (kind, ns, name, uid, file) in [
        (
            "ConfigMap",
            "openshift-sdn",
            "sdn-config",
            "651949d5-cf24-4138-b6e1-a2f18292f3ab",
            "namespaces/openshift-sdn/core/configmaps/sdn-config.yaml",
        ),
        (
            "Secret",
            "openshift-config",
            "pull-secret",
            "13f6a144-0bd4-47af-973e-d3ae50b318cd",
            "namespaces/openshift-config/core/secrets/pull-secret.yaml",
        ),
    ] {
        let records: Vec<_> = a
            .index
            .objects
            .iter()
            .filter(|o| {
                o.meta.kind == kind
                    && o.meta.name == name
                    && o.meta.namespace.as_deref() == Some(ns)
            })
            .collect();
        assert_eq!(
            records.len(),
            2,
            "{kind} {name} is in a List and in its own file"
        );
        assert!(records.iter().all(|r| r.meta.uid.as_deref() == Some(uid)));
        let found: Vec<_> = case
            .objects_of_kind("", kind)
            .filter(|r| case.record(*r).meta.name == name)
            .collect();
        assert_eq!(found.len(), 1, "{kind} {name} once in the case");
        let rec = case.record(found[0]);
        assert!(!rec.in_list);
        assert_eq!(
            a.data.entries[rec.entry as usize].path,
            format!("{AWS_IMAGE_DIR}/{file}")
        );
    }
}

#[test]
fn redhatqe_gz_and_tgz_members() {
    let Some(path) = realdata(REDHATQE) else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    let data = &case.archives()[0].data;
    let node_dirs = [
        "qemtv-05-s8dvn-master-0",
        "qemtv-05-s8dvn-master-1",
        "qemtv-05-s8dvn-master-2",
        "qemtv-05-s8dvn-worker-0-486zc",
        "qemtv-05-s8dvn-worker-0-8qpfm",
        "qemtv-05-s8dvn-worker-0-dfzxc",
    ];

    // `*_logs_kubelet.gz` is decoded: `zcat | wc -lc` gives 85 lines, 26,006 bytes.
    let gz = "nodes/qemtv-05-s8dvn-master-0/qemtv-05-s8dvn-master-0_logs_kubelet.gz";
    let e = &data.entries[data.find(gz).unwrap() as usize];
    assert_eq!(
        (e.kind.clone(), e.codec, e.size, e.truncated),
        (EntryKind::File, Some(Codec::Gzip), 26_006, false)
    );
    let text = content(&case, gz);
    assert_eq!(memchr_count(b'\n', &text), 85);
    assert!(text.starts_with(b"Dec 01 11:11:51.502943 qemtv-05-s8dvn-master-0 kubenswrapper[2885]: I1201 11:11:51.502904    2885 log.go:25] "));
    assert_eq!(
        kind_of(&case, gz),
        ArtifactKind::NodeJournal {
            node: Some("qemtv-05-s8dvn-master-0".into()),
            unit: "kubelet".into()
        }
    );
    for n in node_dirs {
        let p = format!("nodes/{n}/{n}_logs_kubelet.gz");
        let e = &data.entries[data.find(&p).unwrap() as usize];
        assert_eq!(e.codec, Some(Codec::Gzip), "{p}");
        assert!(content(&case, &p).starts_with(b"Dec 01 "), "{p}");
    }

    // `sysinfo.tgz` is expanded under `sysinfo.tgz!/`; `tar tzvf | grep -c ^-` gives 915 files
    // and 18 symlinks for master-0 (5,532 files over the six nodes).
    let tgz = "nodes/qemtv-05-s8dvn-master-0/sysinfo.tgz";
    assert_eq!(
        data.entries[data.find(tgz).unwrap() as usize].kind,
        EntryKind::Dir
    );
    let inner = |n: &str| {
        let prefix = format!("nodes/{n}/sysinfo.tgz!/");
        data.entries
            .iter()
            .filter(move |e| e.path.starts_with(&prefix))
    };
    assert_eq!(
        inner(node_dirs[0])
            .filter(|e| e.kind == EntryKind::File)
            .count(),
        915
    );
    assert_eq!(
        inner(node_dirs[0])
            .filter(|e| matches!(e.kind, EntryKind::Symlink(_)))
            .count(),
        18
    );
    assert_eq!(
        node_dirs
            .iter()
            .map(|n| inner(n).filter(|e| e.kind == EntryKind::File).count())
            .sum::<usize>(),
        5532
    );
    assert_eq!(file_count(&case), 103 + 5532);
    // The tarball's proc/cmdline is the same as the sibling proc_cmdline file (same md5).
    let cmdline = content(&case, &format!("{tgz}!/proc/cmdline"));
    assert!(cmdline.starts_with(b"BOOT_IMAGE=(hd0,gpt3)/boot/ostree/rhcos-"));
    assert_eq!(
        cmdline,
        content(&case, "nodes/qemtv-05-s8dvn-master-0/proc_cmdline")
    );
    assert!(content(&case, &format!("{tgz}!/machineinfo.json")).starts_with(b"{"));
    // A relative symlink inside the nested tarball resolves inside it.
    let link = data
        .find(&format!("{tgz}!/sys/bus/pci/devices/0000:00:00.0"))
        .unwrap();
    assert_eq!(
        data.entries[link as usize].kind,
        EntryKind::Symlink(Some(format!("{tgz}!/sys/devices/pci0000:00/0000:00:00.0")))
    );
    let class = data.find(&format!("{tgz}!/sys/bus/pci/devices/0000:00:00.0/class"));
    assert!(
        class.is_none(),
        "members are not invented below a symlinked directory"
    );

    // Node YAMLs (a different 4.18 cluster) are indexed with their uids.
    let nodes: Vec<(String, Option<String>)> = case
        .objects_of_kind("", "Node")
        .map(|r| {
            (
                case.record(r).meta.name.clone(),
                case.record(r).meta.uid.clone(),
            )
        })
        .collect();
    assert_eq!(
        nodes,
        [
            (
                "infd-vrf-418t2-2lnlk-master-0".to_owned(),
                Some("812d42e7-da63-463b-b1f3-7f5e999dd3a2".to_owned())
            ),
            (
                "infd-vrf-418t2-2lnlk-worker-0-5ddfx".to_owned(),
                Some("f47b48dd-8835-4636-a6ea-48be791e96cb".to_owned())
            ),
        ]
    );
    // 7 pods in kube-system/core/pods.yaml and 7 pod folders.
    assert_eq!(per_namespace(&case, "Pod").get("kube-system"), Some(&7));
}

fn memchr_count(needle: u8, hay: &[u8]) -> usize {
    memchr::memchr_iter(needle, hay).count()
}

#[test]
fn hotsos_sosreport_skeleton() {
    let Some(path) = realdata(HOTSOS) else { return };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    let a = &case.archives()[0];
    assert_eq!(a.index.parts.len(), 1);
    let part = &a.index.parts[0];
    assert_eq!((part.kind, part.root.as_str()), (PartKind::Sosreport, ""));
    assert_eq!(part.hostname.as_deref(), Some("juju-110cc2-k8stest-4"));
    // manifest.json (inside sos_reports.tgz): "end_time": "2022-02-11 19:24:38.528784".
    let collected = part.collected.as_ref().unwrap();
    assert_eq!(collected.at, ts("2022-02-11T19:24:38.528784Z"));
    assert_eq!(
        collected.source,
        CollectionTimeSource::SosManifest("sos_reports.tgz!/sos_reports/manifest.json".into())
    );
    // 266 files on disk; sos_reports.tgz becomes a directory of 4 files.
    assert_eq!(file_count(&case), 266 - 1 + 4);

    assert_eq!(
        kind_of(&case, "sos_reports.tgz!/sos_reports/manifest.json"),
        ArtifactKind::SosManifest
    );
    assert_eq!(
        kind_of(
            &case,
            "sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet"
        ),
        ArtifactKind::NodeJournal {
            node: None,
            unit: "kubelet".into()
        }
    );

    // The 17 top-level "symlinks" of this copy are plain files holding the target path
    // (`cat date` prints `sos_commands/systemd/timedatectl`, without a newline). They are not
    // links on disk, so casefile keeps them as files with that text; only the host name
    // lookup follows the `hostname` one explicitly.
    let data = &a.data;
    for (name, target) in [
        ("date", "sos_commands/systemd/timedatectl"),
        ("hostname", "sos_commands/host/hostname"),
        ("uname", "sos_commands/kernel/uname_-a"),
        ("ps", "sos_commands/process/ps_auxwwwm"),
    ] {
        let id = data.find(name).unwrap();
        assert_eq!(data.entries[id as usize].kind, EntryKind::File, "{name}");
        assert_eq!(content(&case, name), target.as_bytes(), "{name}");
        assert!(data.find(target).is_some(), "{target} exists");
    }
    assert_eq!(
        content(&case, "sos_commands/host/hostname"),
        b"juju-110cc2-k8stest-4\n"
    );
}

/// The manifest's command map. 54 of its 540 commands have `"filepath": null` (commands that
/// failed, such as `lsinitrd`); they must not cost the other 486 entries.
#[test]
fn hotsos_manifest_command_map() {
    let Some(path) = realdata(HOTSOS) else { return };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    let part = &case.archives()[0].index.parts[0];
    // 486 distinct file paths, preferred over file-name guessing (`….auth-webhook.1` is the
    // rotated output of `journalctl --no-pager  --unit cdk.master.auth-webhook`).
    assert_eq!(part.commands.len(), 486);
    assert_eq!(
        part.commands
            .get("sos_commands/host/hostname")
            .map(String::as_str),
        Some("hostname")
    );
    assert_eq!(
        kind_of(
            &case,
            "sos_commands/kubernetes/journalctl_--no-pager_--unit_cdk.master.auth-webhook.1"
        ),
        ArtifactKind::NodeJournal {
            node: None,
            unit: "cdk.master.auth-webhook".into()
        }
    );
}

#[test]
fn insights_sample() {
    let Some(path) = realdata(INSIGHTS) else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let case = open(&path, cache.path());
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    let a = &case.archives()[0];
    assert_eq!(file_count(&case), 18);
    assert_eq!(a.index.parts.len(), 1);
    assert_eq!(
        (a.index.parts[0].kind, a.index.parts[0].root.as_str()),
        (PartKind::Insights, "")
    );
    let log = "config/node/logs/ip-10-0-135-228.us-east-2.compute.internal.log";
    assert_eq!(
        kind_of(&case, log),
        ArtifactKind::NodeJournal {
            node: Some("ip-10-0-135-228.us-east-2.compute.internal".into()),
            unit: "kubelet".into()
        }
    );
    let text = content(&case, log);
    assert!(text.starts_with(
        b"Nov 10 14:17:41.900439 ci-ln-b3f5vqb-72292-v2kk6-master-0 kubenswrapper[2296]: "
    ));
    let journals = case
        .artifacts()
        .filter(|(_, _, k)| matches!(k, ArtifactKind::NodeJournal { .. }))
        .count();
    assert_eq!(journals, 1);
}
