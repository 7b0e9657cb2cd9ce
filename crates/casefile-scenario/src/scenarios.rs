//! The scenario catalogue, archive writing and `truth.json`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cluster::{self, Case};
use crate::mgwrite::MgWriter;
use crate::model::Role;
use crate::plan::{ApiIntRotation, Break, Fate, Hist, KubeletClientRotation, Plan, Story};
use crate::rng::Rng;
use crate::scale::{self, Fill, ScaleOpts};
use crate::soswrite::{self, SosBulk, SosContext};
use crate::t::{self, MIN, T, Zone};
use crate::yaml::{V, b, i, ls, m, s, to_json};

/// Default seed of the committed cases.
pub const DEFAULT_SEED: u64 = 20_240_210;

/// Scenarios committed under `testdata/`.
pub const COMMITTED: [&str; 4] = [
    "okd-415-ca-rotation",
    "rotation-propagated",
    "healthy",
    "kubelet-client-ca-rotation",
];

/// All scenario names (including `scale`, never committed).
pub const ALL: [&str; 5] = [
    "okd-415-ca-rotation",
    "rotation-propagated",
    "healthy",
    "kubelet-client-ca-rotation",
    "scale",
];

fn h(version: &'static str, started: &str, completed: &str) -> Hist {
    Hist {
        version,
        started: t::at(started),
        completed: t::at(completed),
    }
}

/// The plan of a named scenario.
pub fn plan(name: &str, seed: u64) -> Result<Plan> {
    let p = match name {
        "okd-415-ca-rotation" => Plan {
            scenario: "okd-415-ca-rotation",
            seed,
            okd: true,
            cluster: "okd4-prod",
            domain: "example-okd.net",
            region: "eu-central-1",
            history: vec![
                h(
                    "4.15.0-0.okd-2024-01-27-070424",
                    "2024-01-31T14:02:31Z",
                    "2024-01-31T15:38:02Z",
                ),
                h(
                    "4.14.0-0.okd-2024-01-26-175629",
                    "2024-01-31T10:11:45Z",
                    "2024-01-31T11:54:10Z",
                ),
                h(
                    "4.14.0-0.okd-2024-01-06-084517",
                    "2024-01-15T09:03:12Z",
                    "2024-01-15T10:41:55Z",
                ),
                h(
                    "4.13.0-0.okd-2023-10-28-065448",
                    "2023-11-13T08:30:00Z",
                    "2023-11-13T10:02:44Z",
                ),
                h(
                    "4.12.0-0.okd-2023-04-16-041331",
                    "2023-05-08T07:15:21Z",
                    "2023-05-08T08:49:03Z",
                ),
                h(
                    "4.11.0-0.okd-2023-01-14-152430",
                    "2023-02-06T13:40:09Z",
                    "2023-02-06T15:21:37Z",
                ),
                h(
                    "4.10.0-0.okd-2022-07-09-073606",
                    "2022-08-01T09:12:44Z",
                    "2022-08-01T10:55:02Z",
                ),
                h(
                    "4.9.0-0.okd-2022-02-12-140851",
                    "2022-03-07T10:01:17Z",
                    "2022-03-07T11:39:58Z",
                ),
                h(
                    "4.8.0-0.okd-2021-11-14-052418",
                    "2021-12-06T08:44:30Z",
                    "2021-12-06T10:18:12Z",
                ),
                h(
                    "4.7.0-0.okd-2021-09-19-013247",
                    "2021-10-04T12:20:51Z",
                    "2021-10-04T13:58:40Z",
                ),
                h(
                    "4.6.0-0.okd-2020-11-27-200126",
                    "2020-12-02T09:41:13Z",
                    "2020-12-02T10:19:55Z",
                ),
            ],
            born: t::at("2020-12-02T09:41:13Z"),
            collected: t::at("2024-02-10T05:40:12.310000000Z"),
            zone: Zone {
                offset: 3600,
                abbrev: "CET",
            },
            kube_version: "v1.28.2-3598+6e2789bbd58938-dirty",
            crio_version: "1.28.2",
            os_image: "Fedora CoreOS 39.20240112.3.0",
            kernel: "6.6.9-200.fc39.x86_64",
            story: Story::ApiInt(ApiIntRotation {
                rotation: t::at("2024-01-31T14:37:12Z"),
                upgrade_race: true,
                prev_target: t::at("2024-01-25T02:14:50Z"),
                switch: t::at("2024-02-09T02:14:51Z"),
                external_issued: t::at("2024-01-29T18:40:22Z"),
                fates: vec![
                    Fate {
                        multus_break: Some(t::at("2024-02-09T13:02:07Z")),
                        kubelet_break: None,
                    },
                    Fate {
                        multus_break: Some(t::at("2024-02-10T01:31:55Z")),
                        kubelet_break: None,
                    },
                    Fate {
                        multus_break: Some(t::at("2024-02-09T09:58:20Z")),
                        kubelet_break: Some(Break::ConnLost(t::at("2024-02-10T03:05:11Z"))),
                    },
                    Fate {
                        multus_break: Some(t::at("2024-02-09T07:31:44Z")),
                        kubelet_break: Some(Break::ConnLost(t::at("2024-02-09T21:40:03Z"))),
                    },
                    Fate {
                        multus_break: Some(t::at("2024-02-09T05:47:10Z")),
                        kubelet_break: Some(Break::Reboot(t::at("2024-02-09T08:12:30Z"))),
                    },
                    Fate {
                        multus_break: Some(t::at("2024-02-09T16:44:31Z")),
                        kubelet_break: None,
                    },
                ],
                propagated: false,
            }),
            journal_begins_style: true,
            sos: vec![
                (4, t::at("2024-02-10T06:02:41Z")),
                (3, t::at("2024-02-10T06:15:09Z")),
                (2, t::at("2024-02-10T06:31:55Z")),
            ],
            sos_version: "4.6.1",
            case_id: "03751234",
            scale_bytes: 0,
        },
        "rotation-propagated" => Plan {
            scenario: "rotation-propagated",
            seed,
            okd: false,
            cluster: "prod-east",
            domain: "example.com",
            region: "us-east-2",
            history: vec![
                h("4.16.9", "2024-09-02T13:10:00Z", "2024-09-02T14:48:31Z"),
                h("4.15.27", "2024-08-20T12:01:44Z", "2024-08-20T13:37:09Z"),
                h("4.14.34", "2024-07-30T09:15:02Z", "2024-07-30T10:51:40Z"),
                h("4.13.44", "2024-06-18T08:40:19Z", "2024-06-18T10:12:55Z"),
                h("4.12.56", "2024-04-22T07:05:33Z", "2024-04-22T08:44:18Z"),
                h("4.11.59", "2024-01-15T10:20:41Z", "2024-01-15T11:58:02Z"),
                h("4.10.18", "2022-06-14T11:22:05Z", "2022-06-14T11:58:47Z"),
            ],
            born: t::at("2022-06-14T11:22:05Z"),
            collected: t::at("2024-09-12T10:15:44.120000000Z"),
            zone: Zone {
                offset: -4 * 3600,
                abbrev: "EDT",
            },
            kube_version: "v1.29.7+4510e9c",
            crio_version: "1.29.7-3.rhaos4.16.git1d6d6b2.el9",
            os_image: "Red Hat Enterprise Linux CoreOS 416.94.202408260940-0",
            kernel: "5.14.0-427.33.1.el9_4.x86_64",
            story: Story::ApiInt(ApiIntRotation {
                rotation: t::at("2024-09-12T08:00:06Z"),
                upgrade_race: false,
                prev_target: t::at("2024-09-01T03:12:40Z"),
                switch: t::at("2024-09-12T09:30:01Z"),
                external_issued: t::at("2024-09-04T22:05:13Z"),
                fates: vec![Fate::default(); 6],
                propagated: true,
            }),
            journal_begins_style: true,
            sos: vec![(4, t::at("2024-09-12T10:31:02Z"))],
            sos_version: "4.7.2",
            case_id: "03912077",
            scale_bytes: 0,
        },
        "healthy" | "scale" => Plan {
            scenario: if name == "scale" { "scale" } else { "healthy" },
            seed,
            okd: false,
            cluster: "ci-ln-7kq2x4b",
            domain: "devcluster.example.com",
            region: "us-east-1",
            history: vec![h("4.15.3", "2024-03-20T09:08:44Z", "2024-03-20T09:43:12Z")],
            born: t::at("2024-03-20T09:08:44Z"),
            collected: t::at("2024-03-20T10:31:05.720000000Z"),
            zone: Zone {
                offset: -7 * 3600,
                abbrev: "PDT",
            },
            kube_version: "v1.28.7+f1b5f6c",
            crio_version: "1.28.4-4.rhaos4.15.git92d1839.el9",
            os_image: "Red Hat Enterprise Linux CoreOS 415.92.202403061641-0 (Plow)",
            kernel: "5.14.0-284.55.1.el9_2.x86_64",
            story: Story::Healthy,
            journal_begins_style: false,
            sos: vec![(3, t::at("2024-03-20T10:40:00Z"))],
            sos_version: "4.6.1",
            case_id: "03800111",
            scale_bytes: 0,
        },
        "kubelet-client-ca-rotation" => Plan {
            scenario: "kubelet-client-ca-rotation",
            seed,
            okd: false,
            cluster: "ocp-dev",
            domain: "corp.example.org",
            region: "us-west-2",
            history: vec![
                h("4.12.45", "2023-12-05T16:10:12Z", "2023-12-05T17:52:40Z"),
                h("4.11.54", "2023-10-10T15:02:33Z", "2023-10-10T16:41:05Z"),
                h("4.10.67", "2023-06-27T14:30:20Z", "2023-06-27T16:03:58Z"),
                h("4.9.59", "2023-02-14T15:12:09Z", "2023-02-14T16:40:31Z"),
                h("4.8.57", "2022-09-20T14:05:48Z", "2022-09-20T15:38:16Z"),
                h("4.7.60", "2022-01-18T15:44:02Z", "2022-01-18T17:20:29Z"),
                h("4.6.1", "2020-10-29T15:33:20Z", "2020-10-29T16:08:51Z"),
            ],
            born: t::at("2020-10-29T15:33:20Z"),
            collected: t::at("2023-12-29T14:48:20.550000000Z"),
            zone: Zone {
                offset: -8 * 3600,
                abbrev: "PST",
            },
            kube_version: "v1.25.16+5c97f5b",
            crio_version: "1.25.4-4.2.rhaos4.12.git8c5b7e3.el8",
            os_image: "Red Hat Enterprise Linux CoreOS 412.86.202311271639-0 (Ootpa)",
            kernel: "4.18.0-372.80.1.el8_6.x86_64",
            story: Story::KubeletClient(KubeletClientRotation {
                prev_signer: t::at("2023-03-08T04:11:27Z"),
                rotation: t::at("2023-12-25T04:11:31Z"),
                prev_target: t::at("2023-12-14T10:06:39Z"),
                switch: t::at("2023-12-29T10:06:40Z"),
                paused_since: t::at("2023-12-20T15:02:11Z"),
            }),
            journal_begins_style: false,
            sos: vec![
                (3, t::at("2023-12-29T15:05:33Z")),
                (4, t::at("2023-12-29T15:21:10Z")),
            ],
            sos_version: "4.5.6",
            case_id: "03702468",
            scale_bytes: 0,
        },
        other => bail!("unknown scenario {other:?} (known: {})", ALL.join(", ")),
    };
    Ok(p)
}

/// Key pool seed for a numeric seed (shared by all scenarios generated with it).
pub fn key_seed(seed: u64) -> [u8; 32] {
    Rng::new(seed, "casefile-scenario/rsa-key-pool/v1").seed_bytes()
}

/// Generate scenario `name` into `out` (created if missing). `scale_bytes` is only used by
/// `scale`. Returns the truth document.
pub fn generate(name: &str, out: &Path, seed: u64, scale_bytes: u64) -> Result<V> {
    let opts = ScaleOpts {
        mg_bytes: scale_bytes,
        ..ScaleOpts::default()
    };
    generate_with(name, out, seed, &opts)
}

/// [`generate`] with the `scale` options (sosreport count and size; ignored by other scenarios).
pub fn generate_with(name: &str, out: &Path, seed: u64, opts: &ScaleOpts) -> Result<V> {
    let mut plan = plan(name, seed)?;
    if name == "scale" {
        plan.scale_bytes = opts.mg_bytes.max(1 << 20);
        if let Some(n) = opts.sos_count {
            if n > scale::SOS_NODE_ORDER.len() {
                bail!(
                    "--sos-count {n}: the cluster has {} nodes",
                    scale::SOS_NODE_ORDER.len()
                );
            }
            let first = plan.sos.first().map_or(plan.collected + 9 * MIN, |x| x.1);
            plan.sos = scale::SOS_NODE_ORDER[..n]
                .iter()
                .enumerate()
                .map(|(k, &node)| (node, first + k as i64 * (7 * MIN + 13 * t::SEC)))
                .collect();
        }
    }
    fs::create_dir_all(out).with_context(|| format!("create {}", out.display()))?;
    crate::pki::warm(key_seed(seed), 32);
    let case = cluster::build(&plan, key_seed(seed))?;
    let fill = write_case(&case, out, opts)?;
    let mut truth = truth(&case);
    if let Some(f) = fill {
        let st = &f.stats;
        let n = |x: u64| i(x as i64);
        truth.set(
            "scale",
            m([
                ("namespaces", n(st.namespaces)),
                ("extra_worker_nodes", n(st.extra_nodes)),
                ("pods", n(st.pods)),
                ("objects", n(st.objects)),
                ("events", n(st.events)),
                ("log_files", n(st.log_files)),
                ("log_bytes", n(st.log_bytes)),
                ("yaml_bytes", n(st.yaml_bytes)),
                ("sosreport_bytes", n(opts.sos_bytes)),
                (
                    "sosreport_xz_preset",
                    n(if opts.sos_bytes > 0 {
                        u64::from(scale::SOS_XZ_PRESET)
                    } else {
                        6
                    }),
                ),
            ]),
        );
    }
    fs::write(out.join("truth.json"), to_json(&truth, 2) + "\n")?;
    Ok(truth)
}

fn write_case(case: &Case, out: &Path, opts: &ScaleOpts) -> Result<Option<Fill>> {
    let scale = case.plan.scale_bytes > 0;
    let started = std::time::Instant::now();
    let level = if scale { 1 } else { 6 };
    let mut w = MgWriter::begin(out, &case.mg, level)?;
    for ns in &case.mg.namespaces {
        w.namespace(ns)?;
    }
    let fill = if scale {
        Some(scale::fill(case, &mut w)?)
    } else {
        None
    };
    w.host_service_logs(&case.mg, &case.nodes, case.plan.collected)?;
    let payload = w.payload_bytes();
    w.finish()?;
    if let Some(f) = &fill {
        let st = &f.stats;
        eprintln!(
            "{}: {} MiB payload, {} namespaces, {} pods, {} objects ({} events), {} log files ({} MiB logs, {} MiB YAML), {} extra workers, {:.1}s",
            case.mg.file_name,
            payload >> 20,
            st.namespaces,
            st.pods,
            st.objects,
            st.events,
            st.log_files,
            st.log_bytes >> 20,
            st.yaml_bytes >> 20,
            st.extra_nodes,
            started.elapsed().as_secs_f64()
        );
    }
    for rep in &case.sos {
        let started = std::time::Instant::now();
        let k = rep.node;
        let ctx = SosContext {
            nodes: &case.nodes,
            api_int: &case.api_int,
            kernel: case.plan.kernel,
            os_release: &os_release(&case.plan),
            journal_begins_style: case.plan.journal_begins_style,
            etc_cni_listing: cluster::etc_cni_listing(case, k),
            crictl_pods: crictl_pods(case, k),
            crictl_ps: crictl_ps(case, k),
        };
        let mut rng = Rng::new(case.plan.seed, &format!("{}/sos/{k}", case.plan.scenario));
        let bulk = match &fill {
            Some(f) if opts.sos_bytes > 0 => scale::sos_bulk(case, rep, f, opts.sos_bytes),
            _ => SosBulk::default(),
        };
        let file = soswrite::write_sos(out, rep, &ctx, &mut rng, bulk)?;
        if scale {
            eprintln!("{file}: {:.1}s", started.elapsed().as_secs_f64());
        }
    }
    Ok(fill)
}

fn os_release(p: &Plan) -> String {
    if p.okd {
        "NAME=\"Fedora Linux\"\nVERSION=\"39.20240112.3.0 (CoreOS)\"\nID=fedora\nVERSION_ID=39\nVARIANT=\"CoreOS\"\nVARIANT_ID=coreos\nPRETTY_NAME=\"Fedora CoreOS 39.20240112.3.0\"\n".to_string()
    } else {
        format!(
            "NAME=\"Red Hat Enterprise Linux CoreOS\"\nID=\"rhcos\"\nID_LIKE=\"rhel fedora\"\nVERSION=\"{}\"\nOPENSHIFT_VERSION=\"4.{}\"\nPRETTY_NAME=\"{}\"\n",
            p.os_image.split(' ').nth(5).unwrap_or(""),
            p.minor(),
            p.os_image
        )
    }
}

fn crictl_pods(case: &Case, k: usize) -> String {
    let mut o = String::from(
        "POD ID              CREATED             STATE               NAME                               NAMESPACE                      ATTEMPT             RUNTIME\n",
    );
    let mut rng = Rng::new(case.plan.seed, &format!("crictl-pods-{k}"));
    for p in &case.state[k].ds_pods {
        let _ = writeln!(
            o,
            "{}       2 weeks ago         Ready               {:<34} {:<30} 0                   (default)",
            rng.hex(13),
            p.name,
            p.ns
        );
    }
    o
}

fn crictl_ps(case: &Case, k: usize) -> String {
    let mut o = String::from(
        "CONTAINER           IMAGE                                                              CREATED             STATE               NAME                          ATTEMPT             POD ID              POD\n",
    );
    let mut rng = Rng::new(case.plan.seed, &format!("crictl-ps-{k}"));
    for p in &case.state[k].ds_pods {
        for c in &p.containers {
            let _ = writeln!(
                o,
                "{}       quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:{}   2 weeks ago         Running             {:<29} 0                   {}       {}",
                rng.hex(13),
                &rng.hex(64)[..16],
                c,
                rng.hex(13),
                p.name
            );
        }
    }
    o
}

fn opt_time(x: Option<T>) -> V {
    x.map_or(V::Null, |v| s(t::rfc3339_micro(v)))
}

/// The truth document of a built case.
pub fn truth(case: &Case) -> V {
    let p = &case.plan;
    let c = &case.certs;
    let mut nodes_v = Vec::new();
    let mut affected = Vec::new();
    let mut not_ready = Vec::new();
    let mut first_tls = Vec::new();
    let sos_nodes: Vec<usize> = case.sos.iter().map(|r| r.node).collect();
    for (k, n) in case.nodes.iter().enumerate() {
        let st = &case.state[k];
        let nr = st.not_ready_at.filter(|x| *x < p.collected);
        let sandbox = st.sandbox_first.as_ref().filter(|x| x.0 < p.collected);
        let is_affected =
            st.kubelet_tls_first.is_some() || sandbox.is_some() || st.client_auth_first.is_some();
        if is_affected {
            affected.push(s(n.fqdn.clone()));
        }
        if nr.is_some() {
            not_ready.push(s(n.fqdn.clone()));
        }
        if let Some(x) = st.kubelet_tls_first {
            first_tls.push((n.fqdn.clone(), s(t::rfc3339_micro(x))));
        }
        let mut evidence = Vec::new();
        if n.role == Role::Master {
            evidence.push(s(
                "must-gather: host_service_logs/masters/{kubelet,crio}_service.log",
            ));
        }
        if let Some(r) = case.sos.iter().find(|r| r.node == k) {
            evidence.push(s(format!("{}.tar.xz: sos_commands/openshift/journalctl_--no-pager_--unit_kubelet, sos_commands/crio/journalctl_--no-pager_--unit_crio", r.name)));
        }
        if !sos_nodes.contains(&k) && n.role == Role::Worker {
            evidence.push(s("no journal collected (worker without sosreport); events, pod logs and node status only"));
        }
        nodes_v.push(m([
            ("name", s(n.fqdn.clone())),
            ("journal_host", s(n.short.clone())),
            (
                "role",
                s(if n.role == Role::Master {
                    "master"
                } else {
                    "worker"
                }),
            ),
            ("internal_ip", s(n.ip.clone())),
            ("affected", b(is_affected)),
            ("ready_at_collection", b(nr.is_none())),
            ("last_heartbeat", opt_time(nr.and(st.last_heartbeat))),
            ("not_ready_since", opt_time(nr)),
            ("first_kubelet_tls_failure", opt_time(st.kubelet_tls_first)),
            (
                "first_kubelet_client_auth_failure",
                opt_time(st.client_auth_first),
            ),
            (
                "multus_client_broken_at",
                st.multus_break
                    .filter(|x| *x < p.collected)
                    .map_or(V::Null, |x| s(t::rfc3339(x))),
            ),
            (
                "first_sandbox_failure",
                sandbox.map_or(V::Null, |(x, pod)| {
                    m([("time", s(t::rfc3339_micro(*x))), ("pod", s(pod.clone()))])
                }),
            ),
            ("evidence", V::Seq(evidence)),
        ]));
    }
    let first_sandbox = case
        .sandbox_failures
        .iter()
        .filter(|x| x.0 < p.collected)
        .min_by_key(|x| x.0)
        .map_or(V::Null, |(x, k, pod)| {
            m([
                ("time", s(t::rfc3339_micro(*x))),
                ("node", s(case.nodes[*k].fqdn.clone())),
                ("pod", s(pod.clone())),
            ])
        });
    let cert_v = |x: &crate::pki::Cert| {
        m([
            ("subject_cn", s(x.cn.clone())),
            ("issuer_cn", s(x.issuer_cn.clone())),
            ("sha256", s(x.sha256())),
            ("not_before", s(t::rfc3339(x.not_before))),
            ("not_after", s(t::rfc3339(x.not_after))),
        ])
    };
    let (
        rotated,
        previous,
        rotation_time,
        switch_v,
        switch_time,
        description,
        expected,
        absent,
        notes,
    ) = match &p.story {
        Story::ApiInt(r) => {
            let new = c.lb_new.as_ref().unwrap_or(&c.lb_old);
            let mut sw = vec![
                (
                    "secret",
                    s("openshift-kube-apiserver/internal-loadbalancer-serving-certkey"),
                ),
                ("certificate", cert_v(&c.internal_lb)),
                ("switch_time", s(t::rfc3339(r.switch))),
            ];
            if let Some(prev) = &c.internal_lb_prev {
                sw.push(("previous_certificate", cert_v(prev)));
            }
            sw.push((
                "external_loadbalancer_serving_certkey",
                cert_v(&c.external_lb),
            ));
            if r.propagated {
                (
                    m([
                        (
                            "secret",
                            s("openshift-kube-apiserver-operator/loadbalancer-serving-signer"),
                        ),
                        (
                            "bundle",
                            s("openshift-kube-apiserver-operator/loadbalancer-serving-ca"),
                        ),
                        ("certificate", cert_v(new)),
                    ]),
                    cert_v(&c.lb_old),
                    r.rotation,
                    m(sw),
                    r.switch,
                    "The api-int signer was rotated on purpose (the administrator deleted the signer Secret, then the serving cert Secret) on a 4.16 cluster. The MCO published the new bundle in openshift-machine-config-operator/kubeconfig-data, every MCD wrote it into /etc/kubernetes/kubeconfig and restarted the kubelet before the serving cert switched; every consumer trusts the new CA and nothing fails.",
                    ls(["api-int-ca-rotated"]),
                    ls([
                        "ca-trust-propagation",
                        "kubelet-api-tls-failure",
                        "node-not-ready",
                        "sandbox-creation-failure",
                        "clusteroperator-degraded",
                    ]),
                    ls([
                        "initial-kube-apiserver-server-ca is frozen at install time by design and lacks the new CA here too; with kubeconfig-data present and MCD 'Writing new Data to /etc/kubernetes/kubeconfig' lines it is not a finding.",
                        "Rotation events are younger than the 3 h event TTL, so Event objects exist next to the operator log lines.",
                    ]),
                )
            } else {
                (
                    m([
                        (
                            "secret",
                            s("openshift-kube-apiserver-operator/loadbalancer-serving-signer"),
                        ),
                        (
                            "bundle",
                            s("openshift-kube-apiserver-operator/loadbalancer-serving-ca"),
                        ),
                        ("certificate", cert_v(new)),
                    ]),
                    cert_v(&c.lb_old),
                    r.rotation,
                    m(sw),
                    r.switch,
                    "OKD cluster born in 4.6 (signer Secrets of type SecretTypeTLS), upgraded to 4.15.0-0.okd-2024-01-27-070424. The 4.15 metadata apply turned into delete+create of the legacy signer Secrets; a racing controller minted a new api-int CA. Nine days later internal-loadbalancer-serving-certkey was re-issued by the new CA; node kubeconfigs (and openshift-multus/kube-root-ca.crt, node-bootstrapper-token, initial-kube-apiserver-server-ca) still hold only the old CA, so Multus per-node clients and then kubelets fail TLS verification toward api-int one node at a time.",
                    ls([
                        "ca-trust-propagation",
                        "api-int-ca-rotated",
                        "kubelet-api-tls-failure",
                        "node-not-ready",
                        "sandbox-creation-failure",
                        "clusteroperator-degraded",
                    ]),
                    ls(["kubelet-client-auth-failure"]),
                    ls([
                        "Rotation-time Event objects (SignerUpdateRequired, SecretDeleted, SecretCreated) are older than the kube-apiserver event TTL (3 h) at collection; they survive only as klog Event(...) lines in the kube-apiserver-operator pod log.",
                        "NodeNotReady Events for workers are likewise expired; node conditions and kube-node-lease renewTime carry the timing.",
                        "Worker journals exist only in the worker sosreports; worker-2 (no sosreport) shows its failures only through events and its multus pod log.",
                        "The must-gather was taken with --host-network (pod sandboxes cannot be created on any node at collection time).",
                        "Journal and kube-apiserver retry bursts are thinned (one every ~5-30 min) to keep the case small; event counts reflect the real ~16 s retry rate.",
                    ]),
                )
            }
        }
        Story::KubeletClient(kc) => {
            let mut sw = vec![
                ("secret", s("openshift-kube-apiserver/kubelet-client")),
                ("certificate", cert_v(&c.kubelet_client)),
                ("switch_time", s(t::rfc3339(kc.switch))),
            ];
            if let Some(prev) = &c.kubelet_client_prev {
                sw.push(("previous_certificate", cert_v(prev)));
            }
            (
                m([
                    (
                        "secret",
                        s("openshift-kube-apiserver-operator/kube-apiserver-to-kubelet-signer"),
                    ),
                    (
                        "bundle",
                        s("openshift-kube-apiserver-operator/kube-apiserver-to-kubelet-client-ca"),
                    ),
                    ("certificate", cert_v(&c.kas_to_kubelet[0])),
                ]),
                cert_v(&c.kas_to_kubelet[1]),
                kc.rotation,
                m(sw),
                kc.switch,
                "OCP 4.12 cluster born in 4.6. kube-apiserver-to-kubelet-signer reached its 292-day refresh and was rotated; the worker MachineConfigPool had been paused days earlier, so the new rendered-worker config carrying the new /etc/kubernetes/kubelet-ca.crt never reached the workers. When kube-apiserver switched to a kubelet-client cert signed by the new CA, worker kubelets rejected it: oc logs/exec to worker pods fail and must-gather gets no logs from worker pods.",
                ls([
                    "ca-trust-propagation",
                    "kubelet-client-auth-failure",
                    "machineconfigpool-paused",
                    "legacy-signer-secret-type",
                ]),
                ls([
                    "kubelet-api-tls-failure",
                    "node-not-ready",
                    "sandbox-creation-failure",
                    "api-int-ca-rotated",
                ]),
                ls([
                    "The stale consumer is the kubelet client-CA file on workers; in the must-gather it is visible as the worker pool's current rendered MachineConfig (old bundle) versus controllerconfig kubeAPIServerServingCAData / rendered-worker new (new bundle).",
                    "loadbalancer-serving-signer, localhost-serving-signer and service-network-serving-signer still have type SecretTypeTLS (born in 4.6): an upgrade to 4.15 would hit the api-int CA re-creation.",
                    "Worker pod logs in the must-gather are empty with a current.insecure.log marker: the log fetch through the kubelet failed.",
                ]),
            )
        }
        Story::Healthy => (
            V::Null,
            V::Null,
            0,
            V::Null,
            0,
            if p.scale_bytes > 0 {
                "Benchmark case: the healthy cluster grown to a large upload: extra worker nodes and hundreds of application namespaces (Deployments, ReplicaSets, Pods, Services, Endpoints, Routes, ConfigMaps, Secrets, Events, Jobs) with heavy-tailed pod logs; optionally node sosreports padded with whole-node journals and /var/log files."
            } else {
                "Freshly installed OCP 4.15 cluster, collected 80 minutes after install: day-1 kubelet-signer (24 h), bootstrap-time NetworkPluginNotReady and connection-refused noise, everything Ready."
            },
            ls(Vec::<String>::new()),
            ls([
                "ca-trust-propagation",
                "api-int-ca-rotated",
                "kubelet-api-tls-failure",
                "kubelet-client-auth-failure",
                "node-not-ready",
                "sandbox-creation-failure",
                "clusteroperator-degraded",
            ]),
            ls([
                "NetworkNotReady events and 'No CNI configuration file' kubelet lines are bootstrap noise from the first minutes after each node booted, not a finding.",
            ]),
        ),
    };
    let stale: Vec<V> = case
        .consumers
        .iter()
        .filter(|x| !x.1)
        .map(|x| s(x.0.clone()))
        .collect();
    let fresh: Vec<V> = case
        .consumers
        .iter()
        .filter(|x| x.1)
        .map(|x| s(x.0.clone()))
        .collect();
    let consumers = if matches!(p.story, Story::Healthy) {
        V::Null
    } else {
        m([("stale", V::Seq(stale)), ("updated", V::Seq(fresh))])
    };
    let first_tls_v = if first_tls.is_empty() {
        m(Vec::<(String, V)>::new())
    } else {
        m(first_tls)
    };
    let sos_v: Vec<V> = case
        .sos
        .iter()
        .map(|r| {
            m([
                ("file", s(format!("{}.tar.xz", r.name))),
                ("node", s(case.nodes[r.node].fqdn.clone())),
                ("collected", s(t::rfc3339(r.start))),
            ])
        })
        .collect();
    m([
        ("scenario", s(p.scenario)),
        ("description", s(description)),
        ("seed", i(p.seed as i64)),
        (
            "key_algorithm",
            s("RSA-2048 (PKCS#1 v1.5 SHA-256 signatures)"),
        ),
        ("collection_time", s(t::rfc3339_micro(p.collected))),
        (
            "archives",
            m([
                ("must_gather", s(case.mg.file_name.clone())),
                ("must_gather_top_dir", s(case.mg.top.clone())),
                ("must_gather_image_dir", s(case.mg.image_dir.clone())),
                ("sosreports", V::Seq(sos_v)),
            ]),
        ),
        (
            "cluster",
            m([
                ("name", s(p.cluster)),
                ("base_domain", s(p.domain)),
                ("distribution", s(if p.okd { "OKD" } else { "OCP" })),
                ("platform", s("AWS")),
                ("version", s(p.version())),
                ("born_version", s(p.born_version())),
                ("installed", s(t::rfc3339(p.born))),
                ("network_type", s("OVNKubernetes")),
                ("api_int_url", s(case.api_int.clone())),
            ]),
        ),
        ("rotated_ca", rotated),
        ("previous_ca", previous),
        (
            "rotation_time",
            if rotation_time == 0 {
                V::Null
            } else {
                s(t::rfc3339(rotation_time))
            },
        ),
        ("serving_cert", switch_v),
        (
            "serving_cert_switch_time",
            if switch_time == 0 {
                V::Null
            } else {
                s(t::rfc3339(switch_time))
            },
        ),
        ("affected_nodes", V::Seq(affected)),
        ("not_ready_nodes", V::Seq(not_ready)),
        ("first_kubelet_tls_failure", first_tls_v),
        ("first_sandbox_failure", first_sandbox),
        ("consumers", consumers),
        ("expected_findings", expected),
        ("absent_findings", absent),
        ("nodes", V::Seq(nodes_v)),
        ("notes", notes),
    ])
}
