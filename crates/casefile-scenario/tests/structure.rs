//! (d) Structure of the committed archives, read back from the tar.gz / tar.xz files.
#![forbid(unsafe_code)]

mod common;

use casefile_scenario::scenarios::COMMITTED;
use common::{b64, find, must_gather, sosreports, testdata, truth, yaml};

#[test]
fn must_gather_layout() {
    for name in COMMITTED {
        let mg = must_gather(&testdata().join(name));
        let tops: std::collections::BTreeSet<&str> = mg
            .iter()
            .map(|e| e.path.split('/').next().unwrap_or(""))
            .collect();
        assert_eq!(tops.len(), 1, "{name}: one top directory");
        let top = tops.iter().next().copied().unwrap_or("");
        let digits = top
            .strip_prefix("must-gather.local.")
            .expect("must-gather.local.<digits>");
        assert!(!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()));
        let inner = find(&mg, "/version");
        let dir = inner.path.split('/').nth(1).unwrap_or("");
        let hex = dir
            .strip_prefix("quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-")
            .expect("image dir");
        assert_eq!(hex.len(), 64);
        assert_eq!(inner.data, b"openshift/must-gather\n4.0-art-dev\n");
        // timestamps: outer in local time with m=+, inner UTC with several lines
        let outer =
            String::from_utf8_lossy(&find(&mg, &format!("{top}/timestamp")).data).into_owned();
        assert_eq!(outer.lines().count(), 2);
        assert!(
            outer
                .lines()
                .all(|l| l.contains(" m=+") && !l.contains("UTC")),
            "{outer}"
        );
        let inner_ts =
            String::from_utf8_lossy(&find(&mg, &format!("{dir}/timestamp")).data).into_owned();
        assert!(
            inner_ts.lines().count() >= 4 && inner_ts.lines().all(|l| l.contains("+0000 UTC m=+"))
        );
        // deterministic tar metadata
        assert!(mg.iter().all(|e| e.mtime == mg[0].mtime));
        assert!(
            mg.iter().all(|e| e.kind != tar::EntryType::Symlink),
            "no symlinks in must-gather"
        );
    }
}

#[test]
fn list_files_and_redaction() {
    for name in COMMITTED {
        let mg = must_gather(&testdata().join(name));
        let mut lists = 0;
        for e in mg.iter().filter(|e| e.path.ends_with(".yaml")) {
            let text = std::str::from_utf8(&e.data).expect("utf8");
            let v = yaml(e);
            let kind = v["kind"].as_str().unwrap_or("");
            if e.path.ends_with("clusterversions/version.yaml")
                || e.path.ends_with("openshift-cluster-version.yaml")
            {
                assert!(!text.starts_with("---"), "{}", e.path);
            } else {
                assert!(text.starts_with("---\n"), "{} starts with ---", e.path);
            }
            if kind.ends_with("List") {
                lists += 1;
                let tail: Vec<&str> = text.lines().rev().take(3).collect();
                assert_eq!(
                    tail[2],
                    format!("kind: {kind}"),
                    "{}: kind near the end",
                    e.path
                );
                assert_eq!(tail[1], "metadata:");
                assert!(tail[0].starts_with("  resourceVersion: \""));
                assert!(
                    text.find("\nitems:").unwrap_or(usize::MAX) < text.find("\nkind:").unwrap_or(0)
                );
            }
            if kind == "SecretList" {
                for it in v["items"].as_array().expect("items") {
                    let Some(data) = it["data"].as_object() else {
                        continue;
                    };
                    for (k, val) in data {
                        let raw = b64(val.as_str().expect("str"));
                        if matches!(k.as_str(), "tls.crt" | "ca.crt" | "service-ca.crt") {
                            assert!(raw.starts_with(b"-----BEGIN CERTIFICATE-----"), "{k}");
                        } else {
                            let s = String::from_utf8(raw).expect("utf8");
                            let n = s.strip_suffix(" bytes long").expect("N bytes long");
                            assert!(n.parse::<u64>().is_ok(), "{k}: {s}");
                        }
                    }
                }
            }
            assert!(
                !text.contains("PRIVATE KEY"),
                "{}: no private key text",
                e.path
            );
        }
        assert!(lists > 30, "{name}: {lists} List files");
        // a non-certificate PEM block sits in one bundle
        let oauth = yaml(find(
            &mg,
            "openshift-config-managed/core/configmaps/oauth-serving-cert.yaml",
        ));
        assert!(
            oauth["data"]["ca-bundle.crt"]
                .as_str()
                .expect("bundle")
                .contains("BEGIN EC PARAMETERS")
        );
        // annotations and labels of the cert-rotation machinery
        let kas = yaml(find(
            &mg,
            "namespaces/openshift-kube-apiserver/core/secrets.yaml",
        ));
        let s = common::item(&kas, "internal-loadbalancer-serving-certkey");
        for a in [
            "auth.openshift.io/certificate-issuer",
            "auth.openshift.io/certificate-not-before",
            "auth.openshift.io/certificate-not-after",
        ] {
            assert!(s["metadata"]["annotations"][a].is_string(), "{a}");
        }
        assert_eq!(
            s["metadata"]["labels"]["auth.openshift.io/managed-certificate-type"],
            "target"
        );
        assert!(s["metadata"]["managedFields"][0]["manager"].is_string());
        // revisioned copies
        assert!(mg.iter().any(|e| {
            e.path
                .ends_with("openshift-kube-apiserver/core/configmaps.yaml")
                && String::from_utf8_lossy(&e.data).contains("name: kube-apiserver-server-ca-")
        }));
    }
}

#[test]
fn pod_logs_and_journals() {
    for name in COMMITTED {
        let mg = must_gather(&testdata().join(name));
        let prev: Vec<_> = mg
            .iter()
            .filter(|e| e.path.ends_with("/previous.log"))
            .collect();
        assert!(
            !prev.is_empty()
                && prev.iter().filter(|e| e.data.is_empty()).count() * 10 >= prev.len() * 9
        );
        for e in mg
            .iter()
            .filter(|e| e.path.ends_with("/current.log") && !e.data.is_empty())
        {
            for line in String::from_utf8_lossy(&e.data).lines() {
                let (ts, _) = line.split_once(' ').expect("prefix");
                assert_eq!(ts.len(), 30, "{}: RFC3339Nano prefix {ts}", e.path);
                assert!(ts.ends_with('Z'));
            }
        }
        let kubelet = find(&mg, "host_service_logs/masters/kubelet_service.log");
        let text = String::from_utf8_lossy(&kubelet.data).into_owned();
        let mut last = String::new();
        let mut hosts = std::collections::BTreeSet::new();
        for line in text.lines() {
            if line.starts_with("--") {
                assert!(last.is_empty(), "header block first");
                continue;
            }
            let stamp = &line[..22];
            assert!(stamp >= last.as_str(), "time-sorted: {stamp} after {last}");
            last = stamp.to_string();
            hosts.insert(line.split(' ').nth(3).unwrap_or("").to_string());
            assert!(
                line.contains(" kubenswrapper[") || line.contains(" systemd[1]: "),
                "{line}"
            );
        }
        assert_eq!(hosts.len(), 3, "{name}: all masters merged");
        assert!(
            hosts.iter().all(|h| !h.contains('.')),
            "short journal host names"
        );
        assert!(
            text.lines().any(|l| l.len() > 5_000),
            "{name}: long klog lines"
        );
        let crio =
            String::from_utf8_lossy(&find(&mg, "host_service_logs/masters/crio_service.log").data)
                .into_owned();
        assert!(crio.contains(" level=info msg=\""));
        assert!(
            crio.contains(" [verbose] ") || crio.contains(" [error] "),
            "{name}: Multus lines in the crio journal"
        );
    }
    let healthy = must_gather(&testdata().join("healthy"));
    let nm =
        String::from_utf8_lossy(&find(&healthy, "NetworkManager_service.log").data).into_owned();
    assert!(
        nm.contains(" localhost NetworkManager["),
        "early-boot localhost host name"
    );
}

#[test]
fn sosreports_are_scrubbed_and_linked() {
    for name in COMMITTED {
        let reports = sosreports(&testdata().join(name));
        assert!(!reports.is_empty(), "{name}");
        for (file, entries) in reports {
            let base = file.strip_suffix(".tar.xz").expect("tar.xz");
            assert!(base.starts_with("sosreport-"));
            assert!(
                entries.iter().all(
                    |e| e.path.starts_with(&format!("{base}/")) || e.path == format!("{base}/")
                )
            );
            let version = find(&entries, &format!("{base}/version.txt"));
            assert!(String::from_utf8_lossy(&version.data).starts_with("sosreport: 4."));
            let kc = String::from_utf8_lossy(&find(&entries, "etc/kubernetes/kubeconfig").data)
                .into_owned();
            assert!(kc.contains("certificate-authority-data: *******"), "{kc}");
            assert!(!kc.contains("LS0t"));
            assert!(!entries.iter().any(|e| e.path.contains("etc/kubernetes/")
                && (e.path.ends_with(".crt") || e.path.ends_with(".key"))));
            let link = entries
                .iter()
                .find(|e| e.path.ends_with("/hostname") && e.kind == tar::EntryType::Symlink)
                .expect("hostname symlink");
            assert_eq!(link.link.as_deref(), Some("sos_commands/host/hostname"));
            let journal = String::from_utf8_lossy(
                &find(
                    &entries,
                    "sos_commands/openshift/journalctl_--no-pager_--unit_kubelet",
                )
                .data,
            )
            .into_owned();
            let first = journal.lines().next().unwrap_or("");
            assert!(first.starts_with("-- "), "journal header: {first}");
            let entry = journal
                .lines()
                .find(|l| !l.starts_with("--"))
                .expect("entries");
            assert_eq!(
                &entry[15..16],
                " ",
                "short format has no sub-seconds: {entry}"
            );
            find(
                &entries,
                "sos_commands/crio/journalctl_--no-pager_--unit_crio",
            );
            let manifest: serde_json::Value =
                serde_json::from_slice(&find(&entries, "sos_reports/manifest.json").data)
                    .expect("manifest");
            let cmds = manifest["components"]["report"]["plugins"]["openshift"]["commands"]
                .as_array()
                .expect("commands");
            assert!(
                cmds.iter().any(|c| c["filepath"]
                    == "sos_commands/openshift/journalctl_--no-pager_--unit_kubelet")
            );
        }
    }
}

#[test]
fn truth_matches_archive_objects() {
    for name in COMMITTED {
        let dir = testdata().join(name);
        let t = truth(&dir);
        let mg = must_gather(&dir);
        for n in t["nodes"].as_array().expect("nodes") {
            let fq = n["name"].as_str().expect("name");
            let node = yaml(find(
                &mg,
                &format!("cluster-scoped-resources/core/nodes/{fq}.yaml"),
            ));
            assert_eq!(node["metadata"]["name"], fq);
            let ready = node["status"]["conditions"]
                .as_array()
                .expect("conds")
                .iter()
                .find(|c| c["type"] == "Ready")
                .expect("Ready");
            if n["ready_at_collection"] == true {
                assert_eq!(ready["status"], "True");
            } else {
                assert_eq!(ready["status"], "Unknown");
                assert_eq!(ready["reason"], "NodeStatusUnknown");
                assert!(ready["lastHeartbeatTime"].is_string());
            }
        }
        for a in t["affected_nodes"].as_array().expect("affected") {
            assert!(
                t["nodes"]
                    .as_array()
                    .expect("nodes")
                    .iter()
                    .any(|n| n["name"] == *a)
            );
        }
        let net = yaml(find(&mg, "config.openshift.io/networks.yaml"));
        assert_eq!(net["items"][0]["status"]["networkType"], "OVNKubernetes");
        let infra = yaml(find(
            &mg,
            "config.openshift.io/infrastructures/cluster.yaml",
        ));
        assert_eq!(
            infra["status"]["apiServerInternalURI"],
            t["cluster"]["api_int_url"]
        );
        let cv = yaml(find(&mg, "clusterversions/version.yaml"));
        assert_eq!(
            cv["status"]["history"][0]["version"],
            t["cluster"]["version"]
        );
        let hist = cv["status"]["history"].as_array().expect("history");
        assert_eq!(
            hist[hist.len() - 1]["version"],
            t["cluster"]["born_version"]
        );
    }
    // the headline: first kubelet TLS failure per node is in the journals as truth says
    let dir = testdata().join("okd-415-ca-rotation");
    let t = truth(&dir);
    let mg = must_gather(&dir);
    let reports = sosreports(&dir);
    let master_journal =
        String::from_utf8_lossy(&find(&mg, "host_service_logs/masters/kubelet_service.log").data)
            .into_owned();
    for (fq, when) in t["first_kubelet_tls_failure"].as_object().expect("map") {
        let n = t["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .find(|n| n["name"] == fq.as_str())
            .expect("node");
        let short = n["journal_host"].as_str().expect("host");
        let when = when.as_str().expect("time");
        // klog header form: E0209 08:13:52.743274
        let klog = format!("{}{} {}", &when[5..7], &when[8..10], &when[11..26]);
        let mut texts = vec![master_journal.clone()];
        for (f, entries) in &reports {
            if f.contains(&format!("sosreport-{short}-")) {
                texts.push(
                    String::from_utf8_lossy(
                        &find(entries, "journalctl_--no-pager_--unit_kubelet").data,
                    )
                    .into_owned(),
                );
            }
        }
        let hit = texts
            .iter()
            .flat_map(|x| x.lines())
            .filter(|l| {
                l.contains(&format!(" {short} "))
                    && l.contains("x509: certificate signed by unknown authority")
                    && !l.contains("multus")
            })
            .map(|l| l.contains(&klog))
            .next();
        assert_eq!(hit, Some(true), "{fq}: first x509 line at {klog}");
    }
    assert!(master_journal.contains(
        "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    ));
}
