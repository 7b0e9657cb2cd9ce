//! Builds a whole case (nodes, certificates, objects, journals, pod logs) from a [`Plan`].

use anyhow::Result;

use crate::certs::{self, Certs};
use crate::kube::{self, Data, Ev, Ids, Managed, Meta, cond};
use crate::lines::{self, Attempt, PodRef, X509};
use crate::model::{
    ContainerLogs, JEntry, Journal, ListFile, MustGather, Namespace, Node, Pod, Role, SosReport,
};
use crate::pki::{self, Cert, Pki};
use crate::plan::{Break, Plan, Story};
use crate::rng::Rng;
use crate::t::{self, DAY, HOUR, MIN, MS, SEC, T};
use crate::yaml::{V, b, empty, i, l, ls, m, s};

/// Derived per-node state.
#[derive(Clone, Debug, Default)]
pub struct NodeState {
    /// Node object uid.
    pub uid: String,
    /// kubelet pid at collection.
    pub kubelet_pid: u32,
    /// crio pid at collection.
    pub crio_pid: u32,
    /// Last successful status post (None: still posting).
    pub last_heartbeat: Option<T>,
    /// When the node controller marked it NodeStatusUnknown.
    pub not_ready_at: Option<T>,
    /// First kubelet x509 failure toward api-int.
    pub kubelet_tls_first: Option<T>,
    /// First failed sandbox (time, ns/pod).
    pub sandbox_first: Option<(T, String)>,
    /// First "Unable to authenticate" (kubelet-client story).
    pub client_auth_first: Option<T>,
    /// Multus client break.
    pub multus_break: Option<T>,
    /// Daemon pods on this node (multus, network-metrics, ovnkube-node, mcd, node-exporter).
    pub ds_pods: Vec<PodRef>,
}

/// A generated case before it is written.
pub struct Case {
    /// The plan.
    pub plan: Plan,
    /// Nodes with journals.
    pub nodes: Vec<Node>,
    /// Derived node state.
    pub state: Vec<NodeState>,
    /// Certificates.
    pub certs: Certs,
    /// must-gather content.
    pub mg: MustGather,
    /// sosreports.
    pub sos: Vec<SosReport>,
    /// `https://api-int.<cluster>.<domain>:6443`.
    pub api_int: String,
    /// Pool key seed.
    pub key_seed: [u8; 32],
    /// Stale and fresh consumers (namespace/name, has the new CA).
    pub consumers: Vec<(String, bool)>,
    /// Workload sandbox failures seen (time, node index, ns/pod).
    pub sandbox_failures: Vec<(T, usize, String)>,
    /// Keys used.
    pub keys_used: u32,
}

struct B<'p> {
    plan: &'p Plan,
    rng: Rng,
    ids: Ids,
    nodes: Vec<Node>,
    st: Vec<NodeState>,
    certs: Certs,
    api_int: String,
    api_int_host: String,
    infra: String,
    nss: Vec<Namespace>,
    files: Vec<(String, String)>,
    consumers: Vec<(String, bool)>,
    sandbox_failures: Vec<(T, usize, String)>,
    window: T,
    image: String,
    kas_op_pod: String,
    mco_pod: String,
    pending: Vec<(String, Vec<Pod>, Vec<V>)>,
    multus_extra: Vec<(usize, T, String)>,
}

const KAS_OP: &str = "openshift-kube-apiserver-operator";
const KAS: &str = "openshift-kube-apiserver";

fn fqdn_for(region: &str, ip: &str) -> (String, String) {
    let short = format!("ip-{}", ip.replace('.', "-"));
    let fq = if region == "us-east-1" {
        format!("{short}.ec2.internal")
    } else {
        format!("{short}.{region}.compute.internal")
    };
    (fq, short)
}

/// Build a case.
pub fn build(plan: &Plan, key_seed: [u8; 32]) -> Result<Case> {
    let root = Rng::new(plan.seed, plan.scenario);
    let mut rng = root.fork("nodes");
    let mut nodes = Vec::new();
    for k in 0..6 {
        let role = if k < 3 { Role::Master } else { Role::Worker };
        let ip = format!(
            "10.0.{}.{}",
            16 * (k % 3) as u64 + rng.below(15),
            10 + rng.below(240)
        );
        let (fqdn, short) = fqdn_for(plan.region, &ip);
        nodes.push(Node {
            fqdn,
            short,
            role,
            ip,
            kubelet: Journal::default(),
            crio: Journal::default(),
            other_units: Vec::new(),
        });
    }
    let api_int_host = format!("api-int.{}.{}", plan.cluster, plan.domain);
    let api_host = format!("api.{}.{}", plan.cluster, plan.domain);
    let mut pki = Pki::new(key_seed, root.fork("serials"));
    let csr_nodes = vec![
        (2usize, nodes[2].fqdn.clone(), nodes[2].ip.clone()),
        (5usize, nodes[5].fqdn.clone(), nodes[5].ip.clone()),
    ];
    let certs = certs::build(
        &mut pki,
        &certs::Inputs {
            plan,
            api_int: &api_int_host,
            api: &api_host,
            csr_nodes,
        },
    )?;
    let mut ids_rng = root.fork("ids");
    let infra = format!("{}-{}", plan.cluster, ids_rng.k8s_suffix(5));
    let window = if plan.collected - plan.born < 2 * DAY {
        plan.born
    } else {
        plan.collected - 3 * DAY
    };
    let image = if plan.okd {
        format!(
            "quay.io/openshift/okd-content@sha256:{}",
            root.fork("img").hex(64)
        )
    } else {
        format!(
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:{}",
            root.fork("img").hex(64)
        )
    };
    let mut b = B {
        plan,
        rng: root.fork("main"),
        ids: Ids {
            rng: ids_rng,
            born: plan.born,
        },
        nodes,
        st: vec![NodeState::default(); 6],
        certs,
        api_int: format!("https://{api_int_host}:6443"),
        api_int_host,
        infra,
        nss: Vec::new(),
        files: Vec::new(),
        consumers: Vec::new(),
        sandbox_failures: Vec::new(),
        window,
        image,
        kas_op_pod: String::new(),
        mco_pod: String::new(),
        pending: Vec::new(),
        multus_extra: Vec::new(),
    };
    b.node_states();
    b.journals();
    b.namespaces();
    b.cluster_scoped();
    let mg = b.must_gather();
    let sos = b.sosreports();
    for n in &mut b.nodes {
        n.kubelet.sort();
        n.crio.sort();
        for (_, j) in &mut n.other_units {
            j.sort();
        }
    }
    Ok(Case {
        plan: plan.clone(),
        nodes: b.nodes,
        state: b.st,
        certs: b.certs,
        mg,
        sos,
        api_int: b.api_int,
        key_seed,
        consumers: b.consumers,
        sandbox_failures: b.sandbox_failures,
        keys_used: pki.keys_used(),
    })
}

impl B<'_> {
    fn fate(&self, k: usize) -> crate::plan::Fate {
        match &self.plan.story {
            Story::ApiInt(r) if !r.propagated => r.fates.get(k).copied().unwrap_or_default(),
            _ => crate::plan::Fate::default(),
        }
    }

    fn master(&self, k: usize) -> bool {
        self.nodes[k].role == Role::Master
    }

    fn node_states(&mut self) {
        for k in 0..self.nodes.len() {
            let uid = self.ids.uid();
            let f = self.fate(k);
            let mut st = NodeState {
                uid,
                kubelet_pid: 2400 + self.rng.below(500) as u32,
                crio_pid: 1180 + self.rng.below(200) as u32,
                multus_break: f.multus_break,
                ..NodeState::default()
            };
            if let Some(br) = f.kubelet_break {
                let at = br.at();
                let hb = at - SEC - self.rng.range(0, 8) * SEC;
                st.last_heartbeat = Some(t::trunc(hb));
                st.not_ready_at = Some(t::trunc(hb + 40 * SEC + self.rng.range(1, 4) * SEC));
                st.kubelet_tls_first = Some(match br {
                    Break::ConnLost(x) => x + 1_100 * MS + self.rng.range(0, 400) * MS,
                    Break::Reboot(x) => x + 82 * SEC + 640 * MS + self.rng.range(0, 300) * MS,
                });
            }
            let ns_names = [
                ("openshift-multus", "multus", vec!["kube-multus"]),
                (
                    "openshift-multus",
                    "network-metrics-daemon",
                    vec!["network-metrics-daemon", "kube-rbac-proxy"],
                ),
                (
                    "openshift-ovn-kubernetes",
                    "ovnkube-node",
                    vec![
                        "ovn-controller",
                        "ovn-acl-logging",
                        "kube-rbac-proxy-node",
                        "kube-rbac-proxy-ovn-metrics",
                        "northd",
                        "nbdb",
                        "sbdb",
                        "ovnkube-controller",
                    ],
                ),
                (
                    "openshift-machine-config-operator",
                    "machine-config-daemon",
                    vec!["machine-config-daemon", "kube-rbac-proxy"],
                ),
                (
                    "openshift-monitoring",
                    "node-exporter",
                    vec!["node-exporter", "kube-rbac-proxy"],
                ),
            ];
            for (ns, base, ctrs) in ns_names {
                st.ds_pods.push(PodRef {
                    ns: ns.into(),
                    name: format!("{base}-{}", self.rng.k8s_suffix(5)),
                    uid: self.rng.uuid(),
                    containers: ctrs.into_iter().map(String::from).collect(),
                });
            }
            self.st.push(st);
        }
        self.st.drain(0..self.nodes.len());
    }

    // ---------------------------------------------------------------- journals

    /// Append a burst of klog lines sharing one journal timestamp; returns the first klog time.
    fn klog_burst(&mut self, k: usize, t: T, lines: Vec<(char, &'static str, String)>) -> T {
        let t = t + self.rng.range(0, 250_000) * 1_000 + self.rng.range(0, 999);
        let pid = self.pid_at(k, t);
        let host = self.nodes[k].short.clone();
        let mut kt = t;
        let mut first = None;
        let mut stamped = Vec::with_capacity(lines.len());
        for (lvl, file, msg) in lines {
            kt += 3_000 + self.rng.range(0, 40_000);
            first.get_or_insert(kt);
            let text = if lvl == ' ' {
                msg
            } else {
                format!("{}{msg}", t::klog(lvl, kt, pid, file))
            };
            stamped.push(text);
        }
        // one journal timestamp for the whole burst (journald stamps on receipt)
        let jt = kt + 80_000 + self.rng.range(0, 300_000);
        for text in stamped {
            self.nodes[k].kubelet.entries.push(JEntry {
                t: jt,
                host: host.clone(),
                ident: "kubenswrapper".into(),
                pid,
                msg: text,
            });
        }
        // klog prints microseconds: the truth uses the printed value
        first.map_or(t, |f| f - f % 1_000)
    }

    fn sys(&mut self, k: usize, t: T, crio: bool, msg: &str) {
        let t = t + self.rng.range(0, 50_000) * 1_000 + self.rng.range(0, 999);
        let host = self.nodes[k].short.clone();
        let e = JEntry {
            t,
            host,
            ident: "systemd".into(),
            pid: 1,
            msg: msg.into(),
        };
        if crio {
            self.nodes[k].crio.entries.push(e);
        } else {
            self.nodes[k].kubelet.entries.push(e);
        }
    }

    fn crio_log(&mut self, k: usize, t: T, level: &str, msg: &str, extra: &str) {
        let t = t + self.rng.range(0, 999_999);
        let line = lines::crio(t, level, msg, extra);
        self.crio_line(k, t, line);
    }

    fn crio_line(&mut self, k: usize, t: T, msg: String) {
        let host = self.nodes[k].short.clone();
        let pid = self.crio_pid_at(k, t);
        self.nodes[k].crio.entries.push(JEntry {
            t: t + 50_000,
            host,
            ident: "crio".into(),
            pid,
            msg,
        });
    }

    /// Kubelet process restarts inside the window: (time, new pid, is reboot).
    fn restarts(&self, k: usize) -> Vec<(T, u32, bool)> {
        let mut v = Vec::new();
        let f = self.fate(k);
        if let Some(br) = f.kubelet_break
            && let Break::Reboot(x) = br
        {
            v.push((x, 2561 + (k as u32) * 37, true));
        }
        if let Story::ApiInt(r) = &self.plan.story
            && r.propagated
        {
            let x = r.rotation + 2 * MIN + (k as i64) * 53 * SEC + 6 * SEC;
            v.push((
                x,
                self.st[k].kubelet_pid + 91_000 + (k as u32) * 4_111,
                false,
            ));
        }
        v
    }

    fn pid_at(&self, k: usize, t: T) -> u32 {
        let mut pid = self.st[k].kubelet_pid;
        for (x, p, _) in self.restarts(k) {
            if t >= x {
                pid = p;
            }
        }
        pid
    }

    fn crio_pid_at(&self, k: usize, t: T) -> u32 {
        let mut pid = self.st[k].crio_pid;
        for (x, _, reboot) in self.restarts(k) {
            if reboot && t >= x {
                pid = 1277 + k as u32;
            }
        }
        pid
    }

    fn fresh(&self) -> bool {
        matches!(self.plan.story, Story::Healthy)
    }

    fn node_boot(&self, k: usize) -> T {
        if self.fresh() {
            self.plan.born
                + if self.master(k) {
                    4 * MIN + (k as i64) * 7 * SEC
                } else {
                    19 * MIN + (k as i64) * 11 * SEC
                }
        } else {
            self.window - 2 * HOUR
        }
    }

    fn journals(&mut self) {
        let end = self.plan.collected + 10 * SEC;
        for k in 0..self.nodes.len() {
            let boot = self.node_boot(k);
            let start = boot.max(self.window);
            let pods: Vec<PodRef> = self.st[k].ds_pods.clone();
            let master = self.master(k);
            let fqdn = self.nodes[k].fqdn.clone();
            if self.fresh() {
                self.first_boot(k, boot);
            }
            // background chatter
            let mut x = start + self.rng.range(20, 600) * SEC;
            let gap = if self.fresh() { 70 } else { 1800 };
            while x < end {
                if self.kubelet_alive(k, x) {
                    let api = self.api_int.clone();
                    let lines = lines::kubelet_noise(&mut self.rng, &pods, master, &fqdn, &api, x);
                    self.klog_burst(k, x, lines);
                }
                x += self.rng.range(gap / 2, gap * 3 / 2) * SEC + self.rng.range(0, 999_999_999);
            }
            self.crio_noise(k, start, end);
            for (at, _pid, reboot) in self.restarts(k) {
                self.restart_block(k, at, reboot);
            }
            self.kubelet_story(k);
            self.other_units(k, boot);
        }
        self.workloads();
    }

    fn kubelet_alive(&self, k: usize, x: T) -> bool {
        match self.fate(k).kubelet_break {
            Some(br) => x < br.at(),
            None => true,
        }
    }

    fn crio_noise(&mut self, k: usize, start: T, end: T) {
        let mut x = start + self.rng.range(60, 900) * SEC;
        let gap = if self.fresh() { 240 } else { 3600 };
        let images = [
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:",
            "registry.redhat.io/redhat/community-operator-index:v4.15",
        ];
        while x < end {
            let id = self.rng.uuid();
            let img = format!("{}{}", self.rng.pick(&images), self.rng.hex(64));
            let msg = lines::crio(
                x,
                "info",
                &format!("Checking image status: {img}"),
                &format!("id={id} name=/runtime.v1.ImageService/ImageStatus"),
            );
            self.crio_line(k, x, msg);
            let msg = lines::crio(
                x + 2 * MS,
                "info",
                &format!(
                    "Image status: &ImageStatusResponse{{Image:&Image{{Id:{},RepoTags:[],RepoDigests:[{img}],Size_:{},Uid:nil,Username:,Spec:nil,Pinned:false,}},Info:map[string]string{{}},}}",
                    self.rng.hex(64),
                    400_000_000 + self.rng.below(300_000_000)
                ),
                &format!("id={id} name=/runtime.v1.ImageService/ImageStatus"),
            );
            self.crio_line(k, x + 2 * MS, msg);
            x += self.rng.range(gap / 2, gap * 3 / 2) * SEC + self.rng.range(0, 999_999_999);
        }
    }

    fn first_boot(&mut self, k: usize, boot: T) {
        self.sys(k, boot + 2 * SEC, false, "Starting Kubernetes Kubelet...");
        self.sys(
            k,
            boot - 8 * SEC,
            true,
            "Starting Container Runtime Interface for OCI (CRI-O)...",
        );
        let m0 = lines::crio(
            boot - 7 * SEC,
            "info",
            &format!(
                "Starting CRI-O, version: {}, git: 4f3ee6a4b1d5e6b2f8a1c0e7d9b3a5c6f8e0d2b4(clean)",
                self.plan.crio_version
            ),
            "",
        );
        self.crio_line(k, boot - 7 * SEC, m0);
        let m1 = lines::crio(
            boot - 7 * SEC + 400 * MS,
            "error",
            "Remove /var/lib/crio/clean.shutdown: no such file or directory",
            "",
        );
        self.crio_line(k, boot - 7 * SEC + 400 * MS, m1);
        self.sys(
            k,
            boot - 6 * SEC,
            true,
            "Started Container Runtime Interface for OCI (CRI-O).",
        );
        let startup = lines::kubelet_startup(
            &self.nodes[k].fqdn,
            &self.nodes[k].ip,
            self.plan.kube_version,
            self.master(k),
            self.plan.crio_version,
        );
        self.klog_burst(k, boot + 3 * SEC, startup);
        self.sys(
            k,
            boot + 3 * SEC + 900 * MS,
            false,
            "Started Kubernetes Kubelet.",
        );
        // bootstrap: api-int not answering yet, then no CNI config
        let fq = self.nodes[k].fqdn.clone();
        let api = self.api_int.clone();
        for n in 0..3 {
            let at = boot + 5 * SEC + n * 9 * SEC;
            let ip = format!("10.0.{}.{}", 4 + n, 11 + n);
            self.klog_burst(
                k,
                at,
                vec![(
                    'E',
                    "kubelet_node_status.go:96",
                    format!("\"Unable to register node with API server\" err=\"Post \\\"{api}/api/v1/nodes\\\": dial tcp {ip}:6443: connect: connection refused\" node=\"{fq}\""),
                )],
            );
        }
        let cni = "NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?";
        let mut at = boot + 40 * SEC;
        let until = boot + if self.master(k) { 4 * MIN } else { 3 * MIN };
        while at < until {
            self.klog_burst(
                k,
                at,
                vec![(
                    'E',
                    "kubelet.go:2892",
                    format!("\"Container runtime network not ready\" networkReady=\"{cni}\""),
                )],
            );
            let p = self.st[k].ds_pods[1].clone();
            self.klog_burst(
                k,
                at + 1_200 * MS,
                vec![(
                    'E',
                    "pod_workers.go:1300",
                    format!("\"Error syncing pod, skipping\" err=\"network is not ready: container runtime network not ready: {cni}\" pod=\"{}/{}\" podUID=\"{}\"", p.ns, p.name, p.uid),
                )],
            );
            at += 10 * SEC;
        }
        self.klog_burst(
            k,
            until + 2 * SEC,
            vec![(
                'I',
                "kubelet_node_status.go:73",
                format!("\"Successfully registered node\" node=\"{fq}\""),
            )],
        );
    }

    fn restart_block(&mut self, k: usize, at: T, reboot: bool) {
        let fq = self.nodes[k].fqdn.clone();
        self.sys(k, at, false, "Stopping Kubernetes Kubelet...");
        self.klog_burst(k, at + 20 * MS, vec![('I', "dynamic_cafile_content.go:171", "\"Shutting down controller\" name=\"client-ca-bundle::/etc/kubernetes/kubelet-ca.crt\"".to_string())]);
        self.sys(
            k,
            at + 400 * MS,
            false,
            "kubelet.service: Deactivated successfully.",
        );
        self.sys(k, at + 410 * MS, false, "Stopped Kubernetes Kubelet.");
        let (kstart, boot_id) = if reboot {
            self.sys(
                k,
                at + 2 * SEC,
                true,
                "Stopping Container Runtime Interface for OCI (CRI-O)...",
            );
            self.sys(
                k,
                at + 3 * SEC,
                true,
                "Stopped Container Runtime Interface for OCI (CRI-O).",
            );
            let id = self.rng.hex(32);
            self.nodes[k]
                .kubelet
                .boot_marks
                .push((at + 40 * SEC, id.clone()));
            self.nodes[k].crio.boot_marks.push((at + 40 * SEC, id));
            self.sys(
                k,
                at + 74 * SEC,
                true,
                "Starting Container Runtime Interface for OCI (CRI-O)...",
            );
            let m0 = lines::crio(
                at + 75 * SEC,
                "info",
                &format!(
                    "Starting CRI-O, version: {}, git: 4f3ee6a4b1d5e6b2f8a1c0e7d9b3a5c6f8e0d2b4(clean)",
                    self.plan.crio_version
                ),
                "",
            );
            self.crio_line(k, at + 75 * SEC, m0);
            self.sys(
                k,
                at + 77 * SEC,
                true,
                "Started Container Runtime Interface for OCI (CRI-O).",
            );
            (at + 81 * SEC, true)
        } else {
            (at + 2 * SEC, false)
        };
        let _ = boot_id;
        self.sys(k, kstart, false, "Starting Kubernetes Kubelet...");
        let startup = lines::kubelet_startup(
            &fq,
            &self.nodes[k].ip.clone(),
            self.plan.kube_version,
            self.master(k),
            self.plan.crio_version,
        );
        self.klog_burst(k, kstart + 500 * MS, startup);
        self.sys(k, kstart + 1_400 * MS, false, "Started Kubernetes Kubelet.");
        if !reboot {
            self.klog_burst(
                k,
                kstart + 3 * SEC,
                vec![(
                    'I',
                    "kubelet_node_status.go:73",
                    format!("\"Successfully registered node\" node=\"{fq}\""),
                )],
            );
        }
    }

    fn kubelet_story(&mut self, k: usize) {
        let f = self.fate(k);
        let end = self.plan.collected + 20 * SEC;
        let fq = self.nodes[k].fqdn.clone();
        let api = self.api_int.clone();
        if let Some(br) = f.kubelet_break {
            let first = self.st[k].kubelet_tls_first.unwrap_or(br.at());
            let register = matches!(br, Break::Reboot(_));
            if let Break::ConnLost(x) = br {
                self.klog_burst(
                    k,
                    x,
                    vec![(
                        'W',
                        "reflector.go:462",
                        "k8s.io/client-go/informers/factory.go:159: watch of *v1.Service ended with: an error on the server (\"unable to decode an event from the watch stream: http2: client connection lost\") has prevented the request from succeeding".to_string(),
                    )],
                );
            }
            let mut at = first;
            let mut n = 0u64;
            while at < end {
                let lines = lines::kubelet_api_failure(&fq, &api, register, n);
                let printed = self.klog_burst(k, at, lines);
                if n == 0 {
                    self.st[k].kubelet_tls_first = Some(printed);
                }
                if register && n == 0 {
                    let cni = "NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?";
                    self.klog_burst(
                        k,
                        at + 3 * SEC,
                        vec![(
                            'E',
                            "kubelet.go:2892",
                            format!(
                                "\"Container runtime network not ready\" networkReady=\"{cni}\""
                            ),
                        )],
                    );
                }
                n += 1;
                at += if n < 3 {
                    10 * SEC
                } else {
                    5 * MIN + self.rng.range(0, 20) * SEC
                };
            }
        }
        // kubelet-client story: apiserver → kubelet requests rejected on stale workers
        if let Story::KubeletClient(kc) = &self.plan.story
            && !self.master(k)
        {
            let sn = self.certs.kubelet_client.serial_dec();
            let akid = self.certs.kas_to_kubelet[0].key_id_colon();
            let switch = kc.switch;
            let skew = (k as i64) * 4 * MIN + self.rng.range(0, 200) * SEC;
            let mut times = vec![
                switch + 14 * MIN + 37 * SEC + skew,
                switch + 33 * MIN + 2 * SEC + skew,
                switch + 2 * HOUR + 58 * MIN + skew,
            ];
            let mut x = self.plan.collected + 40 * SEC;
            while x < self.plan.collected + 3 * MIN {
                times.push(x);
                x += 7 * SEC + self.rng.range(0, 9) * SEC;
            }
            for at in times {
                let printed = self.klog_burst(
                    k,
                    at,
                    vec![(
                        'E',
                        "server.go:310",
                        format!("\"Unable to authenticate the request due to an error\" err=\"verifying certificate SN={sn}, SKID=, AKID={akid} failed: x509: certificate signed by unknown authority\""),
                    )],
                );
                if self.st[k].client_auth_first.is_none() {
                    self.st[k].client_auth_first = Some(printed);
                }
            }
        }
    }

    fn other_units(&mut self, k: usize, boot: T) {
        if !self.master(k) {
            return;
        }
        let short = self.nodes[k].short.clone();
        let mut nm = Journal::default();
        let mut ovs = Journal::default();
        let reboots: Vec<T> = if self.fresh() {
            vec![boot - 3 * MIN]
        } else {
            vec![]
        };
        for r in reboots {
            let pid = 1040 + k as u32 * 3;
            for (dt, host, msg) in [
                (
                    0,
                    "localhost",
                    format!(
                        "<info>  [{}.{:04}] NetworkManager (version 1.42.2-8.el9_2) is starting... (boot:{})",
                        t::unix(r),
                        1000 + k,
                        self.rng.uuid()
                    ),
                ),
                (
                    200 * MS,
                    "localhost",
                    format!(
                        "<info>  [{}.{:04}] Read config: /etc/NetworkManager/NetworkManager.conf (etc: 20-keyfiles.conf, sdn.conf)",
                        t::unix(r),
                        3000 + k
                    ),
                ),
                (
                    1_900 * MS,
                    "localhost",
                    format!(
                        "<info>  [{}.{:04}] policy: set-hostname: set hostname to '{short}' (from DHCPv4)",
                        t::unix(r) + 1,
                        8000 + k
                    ),
                ),
                (
                    2 * SEC,
                    &short,
                    format!(
                        "<info>  [{}.{:04}] device (ens5): state change: ip-config -> ip-check (reason 'none', sys-iface-state: 'managed')",
                        t::unix(r) + 2,
                        1000 + k
                    ),
                ),
            ] {
                nm.entries.push(JEntry {
                    t: r + dt + 137_412_000 + (k as i64) * 31_337_000,
                    host: host.to_string(),
                    ident: "NetworkManager".into(),
                    pid,
                    msg,
                });
            }
            ovs.entries.push(JEntry {
                t: r + 30 * SEC,
                host: "localhost".into(),
                ident: "systemd".into(),
                pid: 1,
                msg: "Starting Configures OVS with proper host networking configuration...".into(),
            });
            ovs.entries.push(JEntry {
                t: r + 31 * SEC,
                host: short.clone(),
                ident: "configure-ovs.sh".into(),
                pid: 1301,
                msg: "+ touch /var/run/ovs-config-executed".into(),
            });
            ovs.entries.push(JEntry {
                t: r + 33 * SEC,
                host: short.clone(),
                ident: "systemd".into(),
                pid: 1,
                msg: "Finished Configures OVS with proper host networking configuration.".into(),
            });
        }
        let mut x = self.window.max(boot) + self.rng.range(100, 4000) * SEC;
        while x < self.plan.collected {
            x += self.rng.range(0, 999_999_999);
            nm.entries.push(JEntry {
                t: x,
                host: short.clone(),
                ident: "NetworkManager".into(),
                pid: 1043 + k as u32 * 3,
                msg: format!(
                    "<info>  [{}.{:04}] dhcp4 (br-ex): state changed new lease, address={}",
                    t::unix(x),
                    self.rng.below(10_000),
                    self.nodes[k].ip
                ),
            });
            x += 30 * MIN + self.rng.range(0, 120) * SEC;
        }
        self.nodes[k]
            .other_units
            .push(("NetworkManager".into(), nm));
        self.nodes[k]
            .other_units
            .push(("ovs-configuration".into(), ovs));
    }

    // ---------------------------------------------------------------- workloads

    /// Periodic `collect-profiles` job pods (every 15 min) scheduled round-robin on Ready nodes;
    /// pods that land on a node whose Multus client is broken never get a sandbox.
    fn workloads(&mut self) {
        let start = (self.window.max(self.plan.born + 40 * MIN) / (15 * MIN) + 1) * 15 * MIN;
        let mut rr = 0usize;
        let mut x = start;
        let mut olm_pods: Vec<Pod> = Vec::new();
        let mut olm_events: Vec<V> = Vec::new();
        while x < self.plan.collected {
            let ready: Vec<usize> = (0..6)
                .filter(|&k| self.st[k].not_ready_at.is_none_or(|nr| x < nr))
                .collect();
            if ready.is_empty() {
                break;
            }
            let k = ready[rr % ready.len()];
            rr += 1;
            let job = format!("collect-profiles-{}", t::unix(x) / 60);
            let p = PodRef {
                ns: "openshift-operator-lifecycle-manager".into(),
                name: format!("{job}-{}", self.rng.k8s_suffix(5)),
                uid: self.rng.uuid(),
                containers: vec!["collect-profiles".into()],
            };
            let created = x + 1_400 * MS + self.rng.range(0, 800) * MS;
            let broken = self.st[k].multus_break.is_some_and(|bk| created >= bk);
            if broken {
                self.stuck_pod(k, &p, created, &mut olm_pods, &mut olm_events);
            } else {
                self.good_sandbox(k, &p, created);
            }
            x += 15 * MIN;
        }
        // make sure the first failure on each broken node is visible even without a job there
        for k in 0..6 {
            if let Some(bk) = self.st[k].multus_break
                && self.st[k].sandbox_first.is_none()
                && bk < self.plan.collected
            {
                let p = PodRef {
                    ns: "openshift-marketplace".into(),
                    name: format!("community-operators-{}", self.rng.k8s_suffix(5)),
                    uid: self.rng.uuid(),
                    containers: vec!["registry-server".into()],
                };
                let mut pods = Vec::new();
                let mut evs = Vec::new();
                self.stuck_pod(k, &p, bk + 38 * SEC, &mut pods, &mut evs);
                self.pending_ns_items("openshift-marketplace", pods, evs);
            }
        }
        self.pending_ns_items("openshift-operator-lifecycle-manager", olm_pods, olm_events);
    }

    fn pending_ns_items(&mut self, ns: &str, pods: Vec<Pod>, evs: Vec<V>) {
        self.pending.push((ns.to_string(), pods, evs));
    }

    fn good_sandbox(&mut self, k: usize, p: &PodRef, at: T) {
        if !self.kubelet_alive(k, at) {
            return;
        }
        let a = Attempt::new(&mut self.rng);
        let add = lines::kubelet_pod_add(p, &format!("kube-api-access-{}", self.rng.k8s_suffix(5)));
        self.klog_burst(k, at, add);
        self.crio_log(
            k,
            at + 30 * MS,
            "info",
            &format!("Running pod sandbox: {}/{}/POD", p.ns, p.name),
            &format!("id={} name=/runtime.v1.RuntimeService/RunPodSandbox", a.req),
        );
        self.crio_log(k, at + 180 * MS, "info", &lines::got_pod_network(p, &a), "");
        self.crio_log(
            k,
            at + 181 * MS,
            "info",
            &format!(
                "Adding pod {}_{} to CNI network \"multus-cni-network\" (type=multus-shim)",
                p.ns, p.name
            ),
            "",
        );
        let ip = format!(
            "10.{}.{}.{}",
            128 + k,
            self.rng.below(2),
            5 + self.rng.below(240)
        );
        let host = self.nodes[k].short.clone();
        let pid = self.crio_pid_at(k, at);
        self.nodes[k].crio.entries.push(JEntry {
            t: at + 900 * MS,
            host,
            ident: "crio".into(),
            pid,
            msg: format!(
                "{} [verbose] Add: {}:{}:{}:ovn-kubernetes(ovn-kubernetes):eth0 {{\"cniVersion\":\"0.4.0\",\"interfaces\":[{{\"name\":\"{}\",\"mac\":\"{}\"}},{{\"name\":\"eth0\",\"mac\":\"0a:58:{}\",\"sandbox\":\"/var/run/netns/{}\"}}],\"ips\":[{{\"version\":\"4\",\"interface\":1,\"address\":\"{ip}/23\",\"gateway\":\"10.{}.0.1\"}}],\"dns\":{{}}}}",
                t::multus_time(at + 900 * MS),
                p.ns,
                p.name,
                p.uid,
                &a.sandbox[..15],
                mac(&mut self.rng),
                &mac(&mut self.rng)[6..],
                a.netns,
                128 + k
            ),
        });
        self.crio_log(
            k,
            at + 950 * MS,
            "info",
            &format!(
                "Ran pod sandbox {} with infra container: {}/{}/POD",
                a.sandbox, p.ns, p.name
            ),
            &format!("id={} name=/runtime.v1.RuntimeService/RunPodSandbox", a.req),
        );
        let started = lines::kubelet_started(p, &a.sandbox);
        self.klog_burst(k, at + SEC, vec![started]);
    }

    #[allow(clippy::many_single_char_names)]
    fn stuck_pod(&mut self, k: usize, p: &PodRef, at: T, pods: &mut Vec<Pod>, evs: &mut Vec<V>) {
        if !self.kubelet_alive(k, at) {
            return;
        }
        let key = format!("{}/{}", p.ns, p.name);
        let add = lines::kubelet_pod_add(p, &format!("kube-api-access-{}", self.rng.k8s_suffix(5)));
        self.klog_burst(k, at, add);
        let end = match self.fate(k).kubelet_break {
            Some(br) => br.at().min(self.plan.collected),
            None => self.plan.collected - 20 * SEC,
        };
        let mut x = at + SEC;
        let mut n = 0;
        let mut last_attempt = Attempt::new(&mut self.rng);
        while x < end && n < 6 {
            let a = Attempt::new(&mut self.rng);
            self.crio_log(
                k,
                x,
                "info",
                &format!("Running pod sandbox: {}/{}/POD", p.ns, p.name),
                &format!("id={} name=/runtime.v1.RuntimeService/RunPodSandbox", a.req),
            );
            self.crio_log(k, x + 150 * MS, "info", &lines::got_pod_network(p, &a), "");
            self.crio_log(
                k,
                x + 151 * MS,
                "info",
                &format!(
                    "Adding pod {}_{} to CNI network \"multus-cni-network\" (type=multus-shim)",
                    p.ns, p.name
                ),
                "",
            );
            let host = self.nodes[k].short.clone();
            let pid = self.crio_pid_at(k, x);
            self.nodes[k].crio.entries.push(JEntry {
                t: x + 1_310 * MS,
                host,
                ident: "crio".into(),
                pid,
                msg: format!(
                    "{} [error] CmdAdd (shim): {}",
                    t::multus_time(x + 1_310 * MS),
                    lines::shim_err(p, &a, &self.api_int)
                        .trim_end_matches("\n'")
                        .to_string()
                        + "'"
                ),
            });
            self.crio_log(
                k,
                x + 1_320 * MS,
                "info",
                &format!("NetworkStart: stopping network for sandbox {}", a.sandbox),
                &format!("id={} name=/runtime.v1.RuntimeService/RunPodSandbox", a.req),
            );
            self.crio_log(
                k,
                x + 1_330 * MS,
                "info",
                &format!(
                    "Deleting pod {}_{} from CNI network \"multus-cni-network\" (type=multus-shim)",
                    p.ns, p.name
                ),
                "",
            );
            let fail = lines::kubelet_sandbox_failure(p, &a, &self.api_int);
            let printed = self.klog_burst(k, x + 1_400 * MS, fail);
            if n == 0 {
                if self.st[k].sandbox_first.is_none() {
                    self.st[k].sandbox_first = Some((printed, key.clone()));
                }
                self.sandbox_failures.push((printed, k, key.clone()));
            }
            self.multus_log_failure(k, p, &a, x + 1_300 * MS);
            last_attempt = a;
            n += 1;
            x += if n == 1 {
                14 * SEC
            } else {
                30 * MIN + self.rng.range(0, 60) * SEC
            };
        }
        // event (kubelet keeps retrying every ~16 s while it can post)
        let last = t::trunc(end - self.rng.range(2, 15) * SEC).max(at + SEC);
        let count = ((last - at) / (16 * SEC)).max(1);
        let node = self.nodes[k].fqdn.clone();
        let msg = lines::sandbox_event_msg(p, &last_attempt, &self.api_int);
        if last >= self.plan.collected - 3 * HOUR {
            evs.push(kube::event(
                &mut self.ids,
                &Ev {
                    ns: &p.ns,
                    kind: "Pod",
                    name: &p.name,
                    obj_ns: Some(&p.ns),
                    uid: &p.uid,
                    api: "v1",
                    reason: "FailedCreatePodSandBox",
                    message: msg,
                    type_: "Warning",
                    count,
                    first: t::trunc(at + SEC),
                    last,
                    component: "kubelet",
                    host: Some(&node),
                    field_path: None,
                },
            ));
        }
        let node_gone = self.st[k]
            .not_ready_at
            .is_some_and(|nr| nr < self.plan.collected - 5 * MIN);
        if !node_gone {
            pods.push(self.pending_pod(p, k, at));
        }
    }

    fn multus_log_failure(&mut self, k: usize, p: &PodRef, a: &Attempt, at: T) {
        let line = format!(
            "{} [error] {}",
            t::multus_time(at),
            lines::multus_wait_err(p, &self.api_int)
        );
        let fin = format!(
            "{} [verbose] ADD finished CNI request ContainerID:\"{}\" Netns:\"/var/run/netns/{}\" IfName:\"eth0\" Args:\"IgnoreUnknown=1;K8S_POD_NAMESPACE={};K8S_POD_NAME={};K8S_POD_INFRA_CONTAINER_ID={};K8S_POD_UID={}\" Path:\"\", result: \"\", err: error configuring pod [{}/{}] networking: {}",
            t::multus_time(at),
            a.sandbox,
            a.netns,
            p.ns,
            p.name,
            a.sandbox,
            p.uid,
            p.ns,
            p.name,
            lines::multus_wait_err(p, &self.api_int)
        );
        self.multus_extra.push((k, at, line));
        self.multus_extra.push((k, at + 2 * MS, fin));
    }
}

fn mac(rng: &mut Rng) -> String {
    let h = rng.hex(12);
    format!(
        "{}:{}:{}:{}:{}:{}",
        &h[0..2],
        &h[2..4],
        &h[4..6],
        &h[6..8],
        &h[8..10],
        &h[10..12]
    )
}

// -------------------------------------------------------------------- objects

/// A container spec for pod objects: (name, image suffix, args).
struct Ctr<'a> {
    name: &'a str,
    init: bool,
}

impl B<'_> {
    /// Current kube-apiserver revision (the rotation triggered `rev() - 1`).
    fn rev(&self) -> i64 {
        match &self.plan.story {
            Story::Healthy => 8,
            Story::ApiInt(r) if r.propagated => 24,
            Story::ApiInt(_) => 17,
            Story::KubeletClient(_) => 31,
        }
    }

    fn owning(&self) -> bool {
        self.plan.minor() >= 15
    }

    fn rotation(&self) -> Option<&crate::plan::ApiIntRotation> {
        match &self.plan.story {
            Story::ApiInt(r) => Some(r),
            _ => None,
        }
    }

    fn ns(&mut self, name: &str) -> usize {
        if let Some(p) = self.nss.iter().position(|n| n.name == name) {
            return p;
        }
        let created = self.plan.born - 21 * MIN + (name.len() as i64) * 3 * SEC;
        let run_level = if name.starts_with("openshift-kube-")
            || name == "openshift-config"
            || name == "openshift-config-managed"
        {
            Some("0")
        } else {
            None
        };
        let obj = kube::namespace(&mut self.ids, name, created, run_level);
        let mut ns = Namespace::new(name, obj);
        ns.dashes = name != "openshift-cluster-version";
        self.nss.push(ns);
        let idx = self.nss.len() - 1;
        self.common_ns_objects(idx);
        idx
    }

    fn bundle_pem(certs: &[&Cert]) -> String {
        pki::bundle(certs)
    }

    #[allow(clippy::too_many_arguments)]
    fn ca_cm(
        &mut self,
        ns: &str,
        name: &str,
        key: &str,
        pem: String,
        updated: T,
        manager: &str,
        label: Option<&str>,
    ) -> V {
        let created = self.plan.born - 15 * MIN + (name.len() as i64) * SEC;
        let mut meta = Meta::new(&mut self.ids, name, Some(ns), created, updated);
        if let Some(lbl) = label {
            meta = meta.label("auth.openshift.io/managed-certificate-type", lbl);
            if self.owning() {
                meta = meta.annot("openshift.io/owning-component", "kube-apiserver");
            }
        }
        let field = format!("f:data|f:{key}");
        let meta = meta
            .managed(&Managed {
                manager,
                op: "Update",
                time: updated,
                fields: &[&field],
                status: false,
            })
            .build();
        kube::configmap(meta, vec![(key, pem)])
    }

    fn common_ns_objects(&mut self, idx: usize) {
        let name = self.nss[idx].name.clone();
        let fresh_root =
            !(name == "openshift-multus" && self.rotation().is_some_and(|r| !r.propagated));
        let mut certs_v: Vec<&Cert> = self.certs.server_ca(fresh_root);
        certs_v.push(&self.certs.ingress_ca);
        let pem = Self::bundle_pem(&certs_v);
        let updated = match self.rotation() {
            Some(r) if fresh_root => r.rotation + 23 * MIN + (name.len() as i64) * 170 * MS,
            _ => self.plan.born + 40 * MIN,
        };
        let cm = self.ca_cm(
            &name,
            "kube-root-ca.crt",
            "ca.crt",
            pem,
            updated,
            "kube-controller-manager",
            None,
        );
        self.nss[idx].configmaps.push(cm);
        if self.rotation().is_some() {
            self.consumers
                .push((format!("{name}/kube-root-ca.crt"), fresh_root));
        }
        let created = self.plan.born + 22 * MIN;
        let meta = Meta::new(
            &mut self.ids,
            "openshift-service-ca.crt",
            Some(&name),
            created,
            created,
        )
        .annot("service.beta.openshift.io/inject-cabundle", "true")
        .managed(&Managed {
            manager: "service-ca-operator",
            op: "Update",
            time: created,
            fields: &["f:data|f:service-ca.crt"],
            status: false,
        })
        .build();
        let sca = self.certs.service_ca.pem.clone();
        self.nss[idx]
            .configmaps
            .push(kube::configmap(meta, vec![("service-ca.crt", sca)]));
        for sa in ["builder", "default", "deployer"] {
            let sec_name = format!("{sa}-dockercfg-{}", self.rng.k8s_suffix(5));
            let created = self.plan.born + 25 * MIN + self.rng.range(0, 300) * SEC;
            let sa_uid = self.ids.uid();
            let meta = Meta::new(&mut self.ids, &sec_name, Some(&name), created, created)
                .annot("kubernetes.io/service-account.name", sa)
                .annot("kubernetes.io/service-account.uid", &sa_uid)
                .annot("openshift.io/internal-registry-auth-token.binding", "bound")
                .annot(
                    "openshift.io/internal-registry-auth-token.service-account",
                    sa,
                )
                .managed(&Managed {
                    manager: "openshift-controller-manager",
                    op: "Update",
                    time: created,
                    fields: &[
                        "f:data|f:.dockercfg",
                        "f:metadata|f:annotations|f:kubernetes.io/service-account.name",
                    ],
                    status: false,
                })
                .build();
            let len = 7_000 + self.rng.below(600) as usize;
            let sec = kube::secret(
                meta,
                "kubernetes.io/dockercfg",
                vec![(".dockercfg", Data::Secret(len))],
            );
            self.nss[idx].secrets.push(sec);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cert_secret(
        &mut self,
        ns: &str,
        name: &str,
        cert: &Cert,
        kind: &str,
        created: T,
        updated: T,
        type_: &str,
    ) -> V {
        let mut meta = Meta::new(&mut self.ids, name, Some(ns), created, updated)
            .annot("auth.openshift.io/certificate-issuer", &cert.issuer_cn)
            .annot(
                "auth.openshift.io/certificate-not-after",
                &t::rfc3339(cert.not_after),
            )
            .annot(
                "auth.openshift.io/certificate-not-before",
                &t::rfc3339(cert.not_before),
            )
            .label("auth.openshift.io/managed-certificate-type", kind);
        if !cert.hostnames.is_empty() {
            let mut h = cert.hostnames.clone();
            h.sort();
            meta = meta.annot("auth.openshift.io/certificate-hostnames", &h.join(","));
        }
        if self.owning() {
            meta = meta.annot("openshift.io/owning-component", "kube-apiserver");
        }
        let meta = meta
            .managed(&Managed {
                manager: "cluster-kube-apiserver-operator",
                op: "Update",
                time: updated,
                fields: &[
                    "f:data|f:tls.crt",
                    "f:data|f:tls.key",
                    "f:metadata|f:annotations|f:auth.openshift.io/certificate-issuer",
                    "f:metadata|f:annotations|f:auth.openshift.io/certificate-not-after",
                    "f:metadata|f:annotations|f:auth.openshift.io/certificate-not-before",
                    "f:type",
                ],
                status: false,
            })
            .build();
        let keylen = 1_675 + self.rng.below(5) as usize;
        kube::secret(
            meta,
            type_,
            vec![
                ("tls.crt", Data::Public(cert.pem.clone())),
                ("tls.key", Data::Secret(keylen)),
            ],
        )
    }

    fn signer_type(&self, installer_10y: bool) -> &'static str {
        if self.plan.born_minor() <= 6 && self.plan.minor() < 15 && installer_10y {
            "SecretTypeTLS"
        } else {
            "kubernetes.io/tls"
        }
    }

    fn namespaces(&mut self) {
        for n in [
            "default",
            "kube-node-lease",
            "openshift-cluster-version",
            "openshift-config",
            "openshift-config-managed",
            KAS,
            KAS_OP,
            "openshift-kube-controller-manager",
            "openshift-machine-config-operator",
            "openshift-marketplace",
            "openshift-multus",
            "openshift-operator-lifecycle-manager",
            "openshift-ovn-kubernetes",
        ] {
            self.ns(n);
        }
        self.kas_operator_ns();
        self.kas_ns();
        self.config_ns();
        self.mco_ns();
        self.multus_ns();
        self.ovn_ns();
        self.misc_ns();
        let pending = std::mem::take(&mut self.pending);
        for (ns, pods, evs) in pending {
            let idx = self.ns(&ns);
            self.nss[idx].pods.extend(pods);
            self.nss[idx].events.extend(evs);
        }
        let mut rng = self.rng.fork("pod-log-jitter");
        for ns in &mut self.nss {
            for pod in &mut ns.pods {
                for c in &mut pod.containers {
                    jitter_log(&mut rng, &mut c.current);
                    jitter_log(&mut rng, &mut c.previous);
                }
            }
        }
    }

    fn kas_operator_ns(&mut self) {
        let idx = self.ns(KAS_OP);
        let born = self.plan.born;
        let signer_created = born - 19 * MIN;
        let rot = self.rotation().cloned();
        // signers
        let mut secrets = Vec::new();
        let upgrade_apply = rot.as_ref().filter(|r| r.upgrade_race).map(|r| r.rotation);
        let lb_current = self.certs.lb_current().clone();
        let (lb_created, lb_updated) = match &rot {
            Some(r) => (r.rotation, r.rotation),
            None => (signer_created, signer_created),
        };
        secrets.push(self.cert_secret(
            KAS_OP,
            "loadbalancer-serving-signer",
            &lb_current,
            "signer",
            lb_created,
            lb_updated,
            self.signer_type(true),
        ));
        for (name, cert) in [
            ("localhost-serving-signer", self.certs.localhost.clone()),
            (
                "service-network-serving-signer",
                self.certs.service_network.clone(),
            ),
        ] {
            let created = upgrade_apply.map_or(signer_created, |u| {
                u - 400 * MS + (name.len() as i64) * 30 * MS
            });
            secrets.push(self.cert_secret(
                KAS_OP,
                name,
                &cert,
                "signer",
                created,
                created,
                self.signer_type(true),
            ));
        }
        let rec = self.certs.recovery.clone();
        secrets.push(self.cert_secret(
            KAS_OP,
            "localhost-recovery-serving-signer",
            &rec,
            "signer",
            rec.not_before,
            rec.not_before,
            "kubernetes.io/tls",
        ));
        let kas2k = self.certs.kas_to_kubelet[0].clone();
        let k_created = if kas2k
            .issuer_cn
            .starts_with("kube-apiserver-to-kubelet-signer")
        {
            signer_created
        } else {
            kas2k.not_before
        };
        secrets.push(self.cert_secret(
            KAS_OP,
            "kube-apiserver-to-kubelet-signer",
            &kas2k,
            "signer",
            k_created,
            kas2k.not_before,
            self.signer_type(false),
        ));
        let cp = self.certs.control_plane[0].clone();
        secrets.push(self.cert_secret(
            KAS_OP,
            "kube-control-plane-signer",
            &cp,
            "signer",
            signer_created.max(born - 19 * MIN),
            cp.not_before,
            self.signer_type(false),
        ));
        let ag = self.certs.aggregator.clone();
        secrets.push(self.cert_secret(
            KAS_OP,
            "aggregator-client-signer",
            &ag,
            "signer",
            signer_created,
            ag.not_before,
            self.signer_type(false),
        ));
        let nsa = self.certs.node_system_admin.clone();
        secrets.push(self.cert_secret(
            KAS_OP,
            "node-system-admin-signer",
            &nsa,
            "signer",
            born + 10 * MIN,
            nsa.not_before,
            "kubernetes.io/tls",
        ));
        self.nss[idx].secrets.extend(secrets);
        // CA bundles
        let lb_pem = Self::bundle_pem(&self.certs.lb_bundle());
        let lb_upd = rot
            .as_ref()
            .map_or(born - 15 * MIN, |r| r.rotation + 400 * MS);
        let c = self.ca_cm(
            KAS_OP,
            "loadbalancer-serving-ca",
            "ca-bundle.crt",
            lb_pem,
            lb_upd,
            "cluster-kube-apiserver-operator",
            Some("ca-bundle"),
        );
        self.nss[idx].configmaps.push(c);
        if self.rotation().is_some() {
            self.consumers
                .push((format!("{KAS_OP}/loadbalancer-serving-ca"), true));
        }
        let bundles: Vec<(&str, String, T)> = vec![
            (
                "localhost-serving-ca",
                Self::bundle_pem(&[&self.certs.localhost]),
                born - 15 * MIN,
            ),
            (
                "service-network-serving-ca",
                Self::bundle_pem(&[&self.certs.service_network]),
                born - 15 * MIN,
            ),
            (
                "localhost-recovery-serving-ca",
                Self::bundle_pem(&[&self.certs.recovery]),
                self.certs.recovery.not_before + SEC,
            ),
            (
                "kube-apiserver-to-kubelet-client-ca",
                Self::bundle_pem(&self.certs.kas_to_kubelet.iter().collect::<Vec<_>>()),
                self.certs.kas_to_kubelet[0].not_before + SEC,
            ),
            (
                "kube-control-plane-signer-ca",
                Self::bundle_pem(&self.certs.control_plane.iter().collect::<Vec<_>>()),
                self.certs.control_plane[0].not_before + SEC,
            ),
            (
                "node-system-admin-ca",
                Self::bundle_pem(&[&self.certs.node_system_admin]),
                self.certs.node_system_admin.not_before + SEC,
            ),
        ];
        for (name, pem, upd) in bundles {
            let c = self.ca_cm(
                KAS_OP,
                name,
                "ca-bundle.crt",
                pem,
                upd,
                "cluster-kube-apiserver-operator",
                Some("ca-bundle"),
            );
            self.nss[idx].configmaps.push(c);
        }
        // operator pod
        let rs = self
            .rng
            .hex(10)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>();
        let pod_name = format!(
            "kube-apiserver-operator-{}-{}",
            &rs[..10.min(rs.len())],
            self.rng.k8s_suffix(5)
        );
        self.kas_op_pod.clone_from(&pod_name);
        let pr = PodRef {
            ns: KAS_OP.into(),
            name: pod_name,
            uid: self.rng.uuid(),
            containers: vec!["kube-apiserver-operator".into()],
        };
        let started = match &self.plan.story {
            Story::ApiInt(r) if r.upgrade_race => r.rotation - 2 * MIN - 17 * SEC,
            _ if self.fresh() => self.plan.born + 7 * MIN,
            _ => self.plan.history[0].started + 31 * MIN,
        };
        let log = self.kas_operator_log(started);
        let pod = self.pod_obj(
            &pr,
            0,
            started,
            &[Ctr {
                name: "kube-apiserver-operator",
                init: false,
            }],
            "Deployment",
            false,
            0,
        );
        self.nss[idx].pods.push(Pod {
            name: pr.name.clone(),
            obj: pod,
            containers: vec![ContainerLogs {
                name: "kube-apiserver-operator".into(),
                current: log,
                previous: Vec::new(),
                insecure_current: false,
            }],
        });
        // events (only those younger than the 3 h event TTL survive)
        let evs = self.kas_operator_events();
        self.nss[idx].events.extend(evs);
    }

    fn op_event_lines(&self) -> Vec<(T, &'static str, &'static str, String)> {
        // (time, type, reason, message)
        let mut v = Vec::new();
        match &self.plan.story {
            Story::ApiInt(r) => {
                let x = r.rotation;
                if r.upgrade_race {
                    v.push((
                        x - 400 * MS,
                        "Normal",
                        "SecretDeleted",
                        format!("Deleted Secret/localhost-serving-signer -n {KAS_OP}"),
                    ));
                    v.push((x - 380 * MS, "Normal", "SecretCreated", format!("Created Secret/localhost-serving-signer -n {KAS_OP} because it was missing")));
                    v.push((
                        x - 250 * MS,
                        "Normal",
                        "SecretDeleted",
                        format!("Deleted Secret/service-network-serving-signer -n {KAS_OP}"),
                    ));
                    v.push((x - 230 * MS, "Normal", "SecretCreated", format!("Created Secret/service-network-serving-signer -n {KAS_OP} because it was missing")));
                    v.push((
                        x - 120 * MS,
                        "Normal",
                        "SecretDeleted",
                        format!("Deleted Secret/loadbalancer-serving-signer -n {KAS_OP}"),
                    ));
                }
                v.push((x - 60 * MS, "Normal", "SignerUpdateRequired", format!("\"loadbalancer-serving-signer\" in \"{KAS_OP}\" requires a new signing cert/key pair: missing notAfter")));
                v.push((x + 80 * MS, "Normal", "SecretCreated", format!("Created Secret/loadbalancer-serving-signer -n {KAS_OP} because it was missing")));
                if r.upgrade_race {
                    v.push((x + 95 * MS, "Warning", "SecretCreateFailed", format!("Failed to create Secret/loadbalancer-serving-signer -n {KAS_OP}: secrets \"loadbalancer-serving-signer\" already exists")));
                }
                v.push((
                    x + 400 * MS,
                    "Normal",
                    "CABundleUpdateRequired",
                    format!("\"loadbalancer-serving-ca\" in \"{KAS_OP}\" requires a new cert"),
                ));
                v.push((x + 420 * MS, "Normal", "ConfigMapUpdated", format!("Updated ConfigMap/loadbalancer-serving-ca -n {KAS_OP}:\ncause by changes in data.ca-bundle.crt")));
                v.push((x + 3 * SEC, "Normal", "ConfigMapUpdated", format!("Updated ConfigMap/kube-apiserver-server-ca -n {KAS}:\ncause by changes in data.ca-bundle.crt")));
                v.push((x + 20 * SEC, "Normal", "RevisionTriggered", format!("new revision {} triggered by \"required configmap/kube-apiserver-server-ca has changed\"", self.rev() - 1)));
                v.push((r.switch - 90 * MS, "Normal", "TargetUpdateRequired", format!("\"internal-loadbalancer-serving-certkey\" in \"{KAS}\" requires a new target cert/key pair: past its refresh time {}", t::go_utc(r.switch - 2 * SEC))));
                v.push((r.switch, "Normal", "SecretUpdated", format!("Updated Secret/internal-loadbalancer-serving-certkey -n {KAS} because it changed")));
            }
            Story::KubeletClient(k) => {
                v.push((k.rotation - 60 * MS, "Normal", "SignerUpdateRequired", format!("\"kube-apiserver-to-kubelet-signer\" in \"{KAS_OP}\" requires a new signing cert/key pair: past its refresh time {}", t::go_utc(k.rotation - SEC))));
                v.push((
                    k.rotation - 20 * MS,
                    "Normal",
                    "SecretDeleted",
                    format!("Deleted Secret/kube-apiserver-to-kubelet-signer -n {KAS_OP}"),
                ));
                v.push((k.rotation + 80 * MS, "Normal", "SecretCreated", format!("Created Secret/kube-apiserver-to-kubelet-signer -n {KAS_OP} because it was missing")));
                v.push((k.rotation + 400 * MS, "Normal", "CABundleUpdateRequired", format!("\"kube-apiserver-to-kubelet-client-ca\" in \"{KAS_OP}\" requires a new cert")));
                v.push((k.rotation + 420 * MS, "Normal", "ConfigMapUpdated", format!("Updated ConfigMap/kube-apiserver-to-kubelet-client-ca -n {KAS_OP}:\ncause by changes in data.ca-bundle.crt")));
                v.push((k.switch - 90 * MS, "Normal", "TargetUpdateRequired", format!("\"kubelet-client\" in \"{KAS}\" requires a new target cert/key pair: past its refresh time {}", t::go_utc(k.switch - 2 * SEC))));
                v.push((
                    k.switch,
                    "Normal",
                    "SecretUpdated",
                    format!("Updated Secret/kubelet-client -n {KAS} because it changed"),
                ));
            }
            Story::Healthy => {
                let x = self.plan.born + 9 * MIN;
                v.push((x, "Normal", "SecretCreated", format!("Created Secret/localhost-recovery-serving-signer -n {KAS_OP} because it was missing")));
                v.push((x + 2 * SEC, "Normal", "TargetUpdateRequired", format!("\"kubelet-client\" in \"{KAS}\" requires a new target cert/key pair: missing notAfter")));
                v.push((
                    x + 3 * SEC,
                    "Normal",
                    "CABundleUpdateRequired",
                    format!("\"kube-control-plane-signer-ca\" in \"{KAS_OP}\" requires a new cert"),
                ));
            }
        }
        // NodeControllerDegraded status changes
        for (k, st) in self.st.iter().enumerate() {
            if self.nodes[k].role == Role::Master
                && let Some(nr) = st.not_ready_at
            {
                v.push((nr + 2 * SEC, "Normal", "OperatorStatusChanged", format!(
                    "Status for clusteroperator/kube-apiserver changed: Degraded message changed from \"NodeControllerDegraded: All master nodes are ready\" to \"NodeControllerDegraded: The master nodes not ready: node \\\"{}\\\" not ready since {} because NodeStatusUnknown (Kubelet stopped posting node status.)\"",
                    self.nodes[k].fqdn,
                    t::go_utc(nr)
                )));
            }
        }
        v
    }

    fn kas_operator_events(&mut self) -> Vec<V> {
        let mut out = Vec::new();
        let dep_uid = self.ids.uid();
        for (at, ty, reason, msg) in self.op_event_lines() {
            if at < self.plan.collected - 3 * HOUR || at > self.plan.collected {
                continue;
            }
            let comp = if reason == "OperatorStatusChanged" {
                "kube-apiserver-operator-status-controller-statussyncer_kube-apiserver"
            } else {
                "kube-apiserver-operator-cert-rotation-controller-cert-rotation-controller-certrotationcontroller"
            };
            out.push(kube::event(
                &mut self.ids,
                &Ev {
                    ns: KAS_OP,
                    kind: "Deployment",
                    name: "kube-apiserver-operator",
                    obj_ns: Some(KAS_OP),
                    uid: &dep_uid,
                    api: "apps/v1",
                    reason,
                    message: msg,
                    type_: ty,
                    count: 1,
                    first: t::trunc(at),
                    last: t::trunc(at),
                    component: comp,
                    host: None,
                    field_path: None,
                },
            ));
        }
        out
    }

    fn kas_operator_log(&mut self, started: T) -> Vec<(T, String)> {
        let mut v: Vec<(T, String)> = Vec::new();
        let pid = 1u32;
        let kl = |lvl: char, at: T, file: &str, msg: &str| {
            format!("{}{msg}", t::klog(lvl, at, pid, file))
        };
        v.push((
            started,
            kl(
                'I',
                started,
                "cmd.go:233",
                "Using service-serving-cert provided certificates",
            ),
        ));
        v.push((started + 2 * MS, kl('I', started + 2 * MS, "leaderelection.go:122", "The leader election gives 4 retries and allows for 30s of clock skew. The kube-apiserver downtime tolerance is 78s. Worst non-graceful lease acquisition is 2m43s. Worst graceful lease acquisition is {26s}.")));
        v.push((
            started + 31 * MS,
            kl(
                'I',
                started + 31 * MS,
                "observer_polling.go:159",
                "Starting file observer",
            ),
        ));
        v.push((
            started + 2 * SEC,
            kl(
                'I',
                started + 2 * SEC,
                "leaderelection.go:250",
                &format!(
                    "attempting to acquire leader lease {KAS_OP}/kube-apiserver-operator-lock..."
                ),
            ),
        ));
        v.push((
            started + 40 * SEC,
            kl(
                'I',
                started + 40 * SEC,
                "leaderelection.go:260",
                &format!("successfully acquired lease {KAS_OP}/kube-apiserver-operator-lock"),
            ),
        ));
        let dep_uid = self.rng.uuid();
        for (at, ty, reason, msg) in self.op_event_lines() {
            if at < started || at > self.plan.collected {
                continue;
            }
            let ev = lines::event_klog(
                "Deployment",
                KAS_OP,
                "kube-apiserver-operator",
                &dep_uid,
                "apps/v1",
                "",
                ty,
                reason,
                &msg,
            );
            let full = kl('I', at + 200_000, "event.go:298", &ev);
            for (n, part) in full.split('\n').enumerate() {
                v.push((at + 210_000 + n as i64 * 1_000, part.to_string()));
            }
        }
        // periodic chatter
        let mut x = started + 5 * MIN;
        while x < self.plan.collected {
            let line = match self.rng.below(3) {
                0 => kl(
                    'I',
                    x,
                    "request.go:697",
                    &format!(
                        "Waited for {}.{:09}s due to client-side throttling, not priority and fairness, request: GET:https://172.30.0.1:443/api/v1/namespaces/{KAS}/configmaps?resourceVersion={}",
                        1 + self.rng.below(2),
                        self.rng.below(1_000_000_000),
                        self.ids.rv(x)
                    ),
                ),
                1 => kl(
                    'I',
                    x,
                    "termination_observer.go:236",
                    "Observed event \"TerminationPreShutdownHooksFinished\" for API server pod",
                ),
                _ => kl(
                    'I',
                    x,
                    "installer_controller.go:524",
                    &format!("node is at revision {}, all done", self.rev()),
                ),
            };
            v.push((x, line));
            x += 3 * HOUR + self.rng.range(0, 3600) * SEC;
        }
        v.sort_by_key(|e| e.0);
        v
    }
}

impl B<'_> {
    fn rev_times(&self) -> Vec<(i64, T)> {
        let r = self.rev();
        let p = self.plan;
        let mut v = Vec::new();
        match &p.story {
            Story::Healthy => {
                for k in 0..5 {
                    v.push((r - 4 + k, p.born + 12 * MIN + k * 9 * MIN));
                }
            }
            Story::ApiInt(rot) => {
                v.push((r - 4, p.history[1].started + 50 * MIN));
                v.push((r - 3, p.history[0].started - 6 * HOUR));
                v.push((r - 2, p.history[0].started + 28 * MIN));
                v.push((r - 1, rot.rotation + 20 * SEC));
                v.push((r, rot.rotation + 14 * MIN + 31 * SEC));
            }
            Story::KubeletClient(_) => {
                for k in 0..5 {
                    v.push((r - 4 + k, p.history[0].started + 30 * MIN + k * 17 * HOUR));
                }
            }
        }
        v
    }

    fn kas_ns(&mut self) {
        let idx = self.ns(KAS);
        let born = self.plan.born;
        let rot = self.rotation().cloned();
        let int_lb = self.certs.internal_lb.clone();
        let ext_lb = self.certs.external_lb.clone();
        let created = born - 10 * MIN;
        let mut secrets = vec![
            self.cert_secret(
                KAS,
                "internal-loadbalancer-serving-certkey",
                &int_lb,
                "target",
                created,
                int_lb.not_before + SEC,
                "kubernetes.io/tls",
            ),
            self.cert_secret(
                KAS,
                "external-loadbalancer-serving-certkey",
                &ext_lb,
                "target",
                created,
                ext_lb.not_before + SEC,
                "kubernetes.io/tls",
            ),
        ];
        for (name, cert) in [
            (
                "localhost-serving-cert-certkey",
                self.certs.localhost_serving.clone(),
            ),
            (
                "service-network-serving-certkey",
                self.certs.service_network_serving.clone(),
            ),
            ("kubelet-client", self.certs.kubelet_client.clone()),
            ("aggregator-client", self.certs.aggregator_client.clone()),
        ] {
            secrets.push(self.cert_secret(
                KAS,
                name,
                &cert,
                "target",
                created,
                cert.not_before + SEC,
                "kubernetes.io/tls",
            ));
        }
        let nk_upd = rot
            .as_ref()
            .map_or(born + 11 * MIN, |r| r.rotation + 6 * SEC);
        let meta = Meta::new(
            &mut self.ids,
            "node-kubeconfigs",
            Some(KAS),
            born + 11 * MIN,
            nk_upd,
        )
        .managed(&Managed {
            manager: "cluster-kube-apiserver-operator",
            op: "Update",
            time: nk_upd,
            fields: &[
                "f:data|f:lb-ext.kubeconfig",
                "f:data|f:lb-int.kubeconfig",
                "f:data|f:localhost-recovery.kubeconfig",
                "f:data|f:localhost.kubeconfig",
            ],
            status: false,
        })
        .build();
        let srv_len = Self::bundle_pem(&self.certs.server_ca(true)).len() * 4 / 3;
        secrets.push(kube::secret(
            meta,
            "Opaque",
            vec![
                ("lb-ext.kubeconfig", Data::Secret(srv_len + 412)),
                ("lb-int.kubeconfig", Data::Secret(srv_len + 416)),
                ("localhost-recovery.kubeconfig", Data::Secret(srv_len + 445)),
                ("localhost.kubeconfig", Data::Secret(srv_len + 398)),
            ],
        ));
        self.nss[idx].secrets.extend(secrets);
        // bundles: current and revisioned copies
        let srv_upd = rot
            .as_ref()
            .map_or(born + 11 * MIN, |r| r.rotation + 3 * SEC);
        let srv = Self::bundle_pem(&self.certs.server_ca(true));
        let c = self.ca_cm(
            KAS,
            "kube-apiserver-server-ca",
            "ca-bundle.crt",
            srv,
            srv_upd,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        if self.rotation().is_some() {
            self.consumers
                .push((format!("{KAS}/kube-apiserver-server-ca"), true));
        }
        for (rv, at) in self.rev_times() {
            let with_new = rot.as_ref().is_some_and(|r| at >= r.rotation);
            let pem = Self::bundle_pem(&self.certs.server_ca(with_new));
            let name = format!("kube-apiserver-server-ca-{rv}");
            let c = self.ca_cm(
                KAS,
                &name,
                "ca-bundle.crt",
                pem,
                at,
                "cluster-kube-apiserver-operator",
                None,
            );
            self.nss[idx].configmaps.push(c);
        }
        let client_pem = Self::bundle_pem(&self.certs.client_ca(true));
        let cupd = self.certs.kas_to_kubelet[0].not_before + 5 * SEC;
        let c = self.ca_cm(
            KAS,
            "client-ca",
            "ca-bundle.crt",
            client_pem,
            cupd,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        let ks = Self::bundle_pem(&[&self.certs.csr_signer, &self.certs.csr_signer_signer]);
        let c = self.ca_cm(
            KAS,
            "kubelet-serving-ca",
            "ca-bundle.crt",
            ks,
            self.certs.csr_signer.not_before + 4 * SEC,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        // static pods
        let times = self.rev_times();
        let last_rev_t = times.last().map_or(born + 30 * MIN, |x| x.1);
        for k in 0..3 {
            let started = last_rev_t + 3 * MIN + (k as i64) * 6 * MIN + self.rng.range(0, 40) * SEC;
            let fq = self.nodes[k].fqdn.clone();
            let pr = PodRef {
                ns: KAS.into(),
                name: format!("kube-apiserver-{fq}"),
                uid: self.rng.uuid(),
                containers: [
                    "setup",
                    "kube-apiserver",
                    "kube-apiserver-cert-syncer",
                    "kube-apiserver-cert-regeneration-controller",
                    "kube-apiserver-insecure-readyz",
                    "kube-apiserver-check-endpoints",
                ]
                .iter()
                .map(ToString::to_string)
                .collect(),
            };
            let ctrs = [
                Ctr {
                    name: "setup",
                    init: true,
                },
                Ctr {
                    name: "kube-apiserver",
                    init: false,
                },
                Ctr {
                    name: "kube-apiserver-cert-syncer",
                    init: false,
                },
                Ctr {
                    name: "kube-apiserver-cert-regeneration-controller",
                    init: false,
                },
                Ctr {
                    name: "kube-apiserver-insecure-readyz",
                    init: false,
                },
                Ctr {
                    name: "kube-apiserver-check-endpoints",
                    init: false,
                },
            ];
            let obj = self.pod_obj(&pr, k, started, &ctrs, "Node", true, 0);
            let logs = self.kas_logs(k, started);
            self.nss[idx].pods.push(Pod {
                name: pr.name.clone(),
                obj,
                containers: logs,
            });
        }
    }

    fn kas_logs(&mut self, k: usize, started: T) -> Vec<ContainerLogs> {
        let pid = 18 + self.rng.below(4) as u32;
        let kl = |lvl: char, at: T, file: &str, msg: &str| {
            format!("{}{msg}", t::klog(lvl, at, pid, file))
        };
        let end = self.plan.collected;
        let api_int_host = self.api_int_host.clone();
        let mut main: Vec<(T, String)> = Vec::new();
        let ip = self.nodes[k].ip.clone();
        for (n, (f, v)) in [
            ("--advertise-address", ip.as_str()),
            ("--allow-privileged", "true"),
            ("--anonymous-auth", "true"),
            ("--audit-log-maxsize", "200"),
            ("--enable-priority-and-fairness", "true"),
        ]
        .iter()
        .enumerate()
        {
            let at = started + 8 * SEC + n as i64 * 20_000;
            main.push((
                at,
                kl('I', at, "flags.go:64", &format!("FLAG: {f}=\"{v}\"")),
            ));
        }
        let sni = |c: &Cert, at: T| {
            format!(
                "\"Loaded SNI cert\" index=3 certName=\"sni-serving-cert::/etc/kubernetes/static-pod-certs/secrets/internal-loadbalancer-serving-certkey/tls.crt::/etc/kubernetes/static-pod-certs/secrets/internal-loadbalancer-serving-certkey/tls.key\" certDetail=\"\\\"{api_int_host}\\\" [serving] validServingFor=[{api_int_host}] issuer=\\\"{}\\\" ({} to {} (now={}))\"",
                c.issuer_cn,
                t::go_utc(c.not_before),
                t::go_utc(c.not_after),
                t::go_utc(at).replace(" +0000", &format!(".{:06} +0000", (at % SEC) / 1000))
            )
        };
        let at = started + 9 * SEC;
        let (startup_cert, switch) = match (&self.certs.internal_lb_prev, self.rotation()) {
            (Some(prev), Some(r)) if started < r.switch => (prev.clone(), Some(r.switch)),
            _ => (self.certs.internal_lb.clone(), None),
        };
        main.push((at, kl('I', at, "tlsconfig.go:178", &sni(&startup_cert, at))));
        let mut certsync: Vec<(T, String)> = vec![(
            started + 2 * SEC,
            kl(
                'I',
                started + 2 * SEC,
                "base_controller.go:73",
                "Waiting for caches to sync for CertSyncController",
            ),
        )];
        if let Some(sw) = switch {
            let at = sw + 1_100 * MS + (k as i64) * 130 * MS;
            let cur = self.certs.internal_lb.clone();
            main.push((at, kl('I', at, "tlsconfig.go:178", &sni(&cur, at))));
            let c0 = sw + 400 * MS + (k as i64) * 90 * MS;
            certsync.push((c0, kl('I', c0, "certsync_controller.go:170", "Syncing secrets: [{aggregator-client false} {localhost-serving-cert-certkey false} {service-network-serving-certkey false} {external-loadbalancer-serving-certkey false} {internal-loadbalancer-serving-certkey false} {bound-service-account-signing-key false} {control-plane-node-admin-client-cert-key false} {check-endpoints-client-cert-key false} {kubelet-client false} {node-kubeconfigs false} {user-serving-cert true} {user-serving-cert-000 true} {user-serving-cert-001 true}]")));
            for f in ["tls.crt", "tls.key"] {
                let x = c0 + 3 * MS;
                certsync.push((x, kl('I', x, "certsync_controller.go:274", &format!("Writing secret manifest \"/etc/kubernetes/static-pod-certs/secrets/internal-loadbalancer-serving-certkey/{f}\" ..."))));
            }
        }
        if let Story::KubeletClient(kc) = &self.plan.story {
            let c0 = kc.switch + 400 * MS + (k as i64) * 90 * MS;
            certsync.push((c0, kl('I', c0, "certsync_controller.go:170", "Syncing secrets: [{aggregator-client false} {localhost-serving-cert-certkey false} {service-network-serving-certkey false} {external-loadbalancer-serving-certkey false} {internal-loadbalancer-serving-certkey false} {bound-service-account-signing-key false} {control-plane-node-admin-client-cert-key false} {check-endpoints-client-cert-key false} {kubelet-client false} {node-kubeconfigs false}]")));
            for f in ["tls.crt", "tls.key"] {
                let x = c0 + 3 * MS;
                certsync.push((x, kl('I', x, "certsync_controller.go:274", &format!("Writing secret manifest \"/etc/kubernetes/static-pod-certs/secrets/kubelet-client/{f}\" ..."))));
            }
        }
        // TLS handshake errors: clients that do not trust the serving cert
        let mut bad: Vec<(String, T, T)> = Vec::new();
        for (n, st) in self.st.iter().enumerate() {
            if let Some(f) = st.kubelet_tls_first {
                bad.push((self.nodes[n].ip.clone(), f, end));
            }
            if let Some(mb) = st.multus_break {
                bad.push((self.nodes[n].ip.clone(), mb, mb + 20 * SEC));
            }
        }
        for (src, from, to) in bad {
            let mut x = from + self.rng.range(0, 3_000) * MS + (k as i64) * 7 * MS;
            while x < to && x >= started {
                let line = kl(
                    'I',
                    x,
                    "log.go:245",
                    &format!(
                        "http: TLS handshake error from {src}:{}: remote error: tls: bad certificate",
                        32_768 + self.rng.below(28_000)
                    ),
                );
                main.push((x, line));
                x += 5 * MIN + self.rng.range(0, 90) * SEC;
            }
        }
        let mut x = started + 10 * MIN;
        while x < end {
            let line = kl(
                'W',
                x,
                "patch_genericapiserver.go:204",
                &format!(
                    "Request to \"/apis/authorization.k8s.io/v1/subjectaccessreviews\" (source IP 10.0.{}.{}:{}, user agent \"kube-rbac-proxy/v0.0.0 (linux/amd64) kubernetes/$Format\") before server is ready, possibly a sign for a broken load balancer setup.",
                    self.rng.below(64),
                    2 + self.rng.below(250),
                    40_000 + self.rng.below(20_000)
                ),
            );
            if x < started + 40 * MIN {
                main.push((x, line));
            }
            let line = kl(
                'I',
                x + SEC,
                "cacher.go:901",
                &format!(
                    "cacher (*unstructured.Unstructured): {} objects queued in incoming channel.",
                    10 + self.rng.below(90)
                ),
            );
            main.push((x + SEC, line));
            x += 4 * HOUR + self.rng.range(0, 3600) * SEC;
        }
        main.sort_by_key(|e| e.0);
        certsync.sort_by_key(|e| e.0);
        let readyz = vec![(
            started + 3 * SEC,
            kl(
                'I',
                started + 3 * SEC,
                "readyz.go:111",
                "Listening on 0.0.0.0:6080",
            ),
        )];
        let regen = vec![
            (
                started + 4 * SEC,
                kl(
                    'I',
                    started + 4 * SEC,
                    "leaderelection.go:250",
                    "attempting to acquire leader lease openshift-kube-apiserver/cert-regeneration-controller-lock...",
                ),
            ),
            (
                started + 5 * SEC,
                kl(
                    'I',
                    started + 5 * SEC,
                    "base_controller.go:67",
                    "Waiting for caches to sync for CertRotationController",
                ),
            ),
        ];
        let check_prev = vec![(
            started - 3 * MIN,
            kl(
                'E',
                started - 3 * MIN,
                "check_endpoints.go:157",
                "\"Failed to get cluster-internal IP for the kube-apiserver\" err=\"context canceled\"",
            ),
        )];
        let check = vec![(
            started + 6 * SEC,
            kl(
                'I',
                started + 6 * SEC,
                "base_controller.go:73",
                "Waiting for caches to sync for CheckEndpointsTimeToStart",
            ),
        )];
        let setup = vec![
            (
                started - 2 * SEC,
                "Fixing audit permissions ...".to_string(),
            ),
            (
                started - SEC,
                "Acquiring exclusive lock /var/log/kube-apiserver/.lock ...".to_string(),
            ),
        ];
        vec![
            ContainerLogs {
                name: "setup".into(),
                current: setup,
                previous: Vec::new(),
                insecure_current: false,
            },
            ContainerLogs {
                name: "kube-apiserver".into(),
                current: main,
                previous: Vec::new(),
                insecure_current: false,
            },
            ContainerLogs {
                name: "kube-apiserver-cert-syncer".into(),
                current: certsync,
                previous: Vec::new(),
                insecure_current: false,
            },
            ContainerLogs {
                name: "kube-apiserver-cert-regeneration-controller".into(),
                current: regen,
                previous: Vec::new(),
                insecure_current: false,
            },
            ContainerLogs {
                name: "kube-apiserver-insecure-readyz".into(),
                current: readyz,
                previous: Vec::new(),
                insecure_current: false,
            },
            ContainerLogs {
                name: "kube-apiserver-check-endpoints".into(),
                current: check,
                previous: check_prev,
                insecure_current: false,
            },
        ]
    }

    fn config_ns(&mut self) {
        let born = self.plan.born;
        let rot = self.rotation().cloned();
        // openshift-config
        let idx = self.ns("openshift-config");
        let pem = Self::bundle_pem(&self.certs.initial_server_ca());
        let c = self.ca_cm(
            "openshift-config",
            "initial-kube-apiserver-server-ca",
            "ca-bundle.crt",
            pem,
            born - 18 * MIN,
            "cluster-bootstrap",
            None,
        );
        self.nss[idx].configmaps.push(c);
        if self.rotation().is_some() {
            self.consumers.push((
                "openshift-config/initial-kube-apiserver-server-ca".into(),
                false,
            ));
        }
        let pem = Self::bundle_pem(&[&self.certs.admin_kubeconfig]);
        let c = self.ca_cm(
            "openshift-config",
            "admin-kubeconfig-client-ca",
            "ca-bundle.crt",
            pem,
            born - 18 * MIN,
            "cluster-bootstrap",
            None,
        );
        self.nss[idx].configmaps.push(c);
        let meta = Meta::new(
            &mut self.ids,
            "pull-secret",
            Some("openshift-config"),
            born - 18 * MIN,
            born - 18 * MIN,
        )
        .build();
        self.nss[idx].secrets.push(kube::secret(
            meta,
            "kubernetes.io/dockerconfigjson",
            vec![(".dockerconfigjson", Data::Secret(2_791))],
        ));
        // openshift-config-managed
        let idx = self.ns("openshift-config-managed");
        let cm_ns = "openshift-config-managed";
        let srv_upd = rot
            .as_ref()
            .map_or(born + 11 * MIN, |r| r.rotation + 5 * SEC);
        let srv = Self::bundle_pem(&self.certs.server_ca(true));
        let c = self.ca_cm(
            cm_ns,
            "kube-apiserver-server-ca",
            "ca-bundle.crt",
            srv,
            srv_upd,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].singles.push((
            "core/configmaps/kube-apiserver-server-ca.yaml".into(),
            c.clone(),
        ));
        self.nss[idx].configmaps.push(c);
        if self.rotation().is_some() {
            self.consumers
                .push((format!("{cm_ns}/kube-apiserver-server-ca"), true));
        }
        let with_new_kas = true;
        let client = Self::bundle_pem(&self.certs.client_ca(with_new_kas));
        let c = self.ca_cm(
            cm_ns,
            "kube-apiserver-client-ca",
            "ca-bundle.crt",
            client,
            self.certs.kas_to_kubelet[0].not_before + 6 * SEC,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].singles.push((
            "core/configmaps/kube-apiserver-client-ca.yaml".into(),
            c.clone(),
        ));
        self.nss[idx].configmaps.push(c);
        let csr = Self::bundle_pem(&[&self.certs.csr_signer, &self.certs.csr_signer_signer]);
        for name in ["csr-controller-ca", "kubelet-serving-ca"] {
            let c = self.ca_cm(
                cm_ns,
                name,
                "ca-bundle.crt",
                csr.clone(),
                self.certs.csr_signer.not_before + 3 * SEC,
                "cluster-kube-controller-manager-operator",
                None,
            );
            self.nss[idx].configmaps.push(c);
        }
        let c = self.ca_cm(
            cm_ns,
            "kube-apiserver-aggregator-client-ca",
            "ca-bundle.crt",
            Self::bundle_pem(&[&self.certs.aggregator]),
            self.certs.aggregator.not_before + 3 * SEC,
            "cluster-kube-apiserver-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        let c = self.ca_cm(
            cm_ns,
            "service-ca",
            "ca-bundle.crt",
            self.certs.service_ca.pem.clone(),
            self.certs.service_ca.not_before + 3 * SEC,
            "service-ca-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        let c = self.ca_cm(
            cm_ns,
            "default-ingress-cert",
            "ca-bundle.crt",
            self.certs.ingress_ca.pem.clone(),
            self.certs.ingress_ca.not_before + 3 * SEC,
            "ingress-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        // the decoy: a non-certificate PEM block inside a bundle
        let decoy = format!(
            "{}{}{}",
            self.certs.ingress_ca.pem,
            pki::EC_PARAMETERS_DECOY,
            self.certs.service_ca.pem
        );
        let c = self.ca_cm(
            cm_ns,
            "oauth-serving-cert",
            "ca-bundle.crt",
            decoy,
            born + 31 * MIN,
            "authentication-operator",
            None,
        );
        self.nss[idx]
            .singles
            .push(("core/configmaps/oauth-serving-cert.yaml".into(), c.clone()));
        self.nss[idx].configmaps.push(c);
        let roots = Self::bundle_pem(&self.certs.roots.iter().collect::<Vec<_>>());
        let created = born + 20 * MIN;
        let meta = Meta::new(
            &mut self.ids,
            "trusted-ca-bundle",
            Some(cm_ns),
            created,
            created,
        )
        .label("config.openshift.io/inject-trusted-cabundle", "true")
        .managed(&Managed {
            manager: "cluster-network-operator",
            op: "Update",
            time: created,
            fields: &["f:data|f:ca-bundle.crt"],
            status: false,
        })
        .build();
        self.nss[idx]
            .configmaps
            .push(kube::configmap(meta, vec![("ca-bundle.crt", roots)]));
        // openshift-kube-controller-manager
        let idx = self.ns("openshift-kube-controller-manager");
        let mut sa: Vec<&Cert> = self.certs.server_ca(true);
        sa.push(&self.certs.ingress_ca);
        let pem = Self::bundle_pem(&sa);
        let upd = rot
            .as_ref()
            .map_or(born + 12 * MIN, |r| r.rotation + 8 * SEC);
        let c = self.ca_cm(
            "openshift-kube-controller-manager",
            "serviceaccount-ca",
            "ca-bundle.crt",
            pem,
            upd,
            "cluster-kube-controller-manager-operator",
            None,
        );
        self.nss[idx].configmaps.push(c);
        if self.rotation().is_some() {
            self.consumers.push((
                "openshift-kube-controller-manager/serviceaccount-ca".into(),
                true,
            ));
        }
        let cs = self.certs.csr_signer.clone();
        let sec = self.cert_secret(
            "openshift-kube-controller-manager",
            "csr-signer",
            &cs,
            "target",
            born + 9 * MIN,
            cs.not_before + SEC,
            "kubernetes.io/tls",
        );
        self.nss[idx].secrets.push(sec);
    }

    fn mco_ns(&mut self) {
        let born = self.plan.born;
        let rot = self.rotation().cloned();
        let ns = "openshift-machine-config-operator";
        let idx = self.ns(ns);
        let propagated = rot.as_ref().is_some_and(|r| r.propagated);
        let token_fresh = propagated;
        let pem = Self::bundle_pem(&{
            let mut v = self.certs.server_ca(token_fresh);
            v.push(&self.certs.ingress_ca);
            v
        });
        let upd = if token_fresh {
            rot.as_ref().map_or(born, |r| r.rotation + 24 * MIN)
        } else {
            born + 13 * MIN
        };
        let sa_uid = self.ids.uid();
        let meta = Meta::new(
            &mut self.ids,
            "node-bootstrapper-token",
            Some(ns),
            born + 13 * MIN,
            upd,
        )
        .annot("kubernetes.io/service-account.name", "node-bootstrapper")
        .annot("kubernetes.io/service-account.uid", &sa_uid)
        .managed(&Managed {
            manager: "kube-controller-manager",
            op: "Update",
            time: upd,
            fields: &["f:data|f:ca.crt", "f:data|f:namespace", "f:data|f:token"],
            status: false,
        })
        .build();
        let sa_pem = Self::bundle_pem(&[&self.certs.service_ca]);
        self.nss[idx].secrets.push(kube::secret(
            meta,
            "kubernetes.io/service-account-token",
            vec![
                ("ca.crt", Data::Public(pem)),
                ("namespace", Data::Secret(33)),
                ("service-ca.crt", Data::Public(sa_pem)),
                ("token", Data::Secret(1_047)),
            ],
        ));
        if rot.is_some() {
            self.consumers
                .push((format!("{ns}/node-bootstrapper-token"), token_fresh));
        }
        if propagated && let Some(r) = &rot {
            let srv = Self::bundle_pem(&self.certs.server_ca(true));
            let upd = r.rotation + 34 * SEC;
            let meta = Meta::new(
                &mut self.ids,
                "kubeconfig-data",
                Some(ns),
                born + 14 * MIN,
                upd,
            )
            .managed(&Managed {
                manager: "machine-config-operator",
                op: "Update",
                time: upd,
                fields: &["f:binaryData|f:ca-bundle.crt"],
                status: false,
            })
            .build();
            let cm = m([
                ("apiVersion", s("v1")),
                ("kind", s("ConfigMap")),
                ("metadata", meta),
                (
                    "binaryData",
                    m([("ca-bundle.crt", s(kube::b64(srv.as_bytes())))]),
                ),
            ]);
            self.nss[idx].configmaps.push(cm);
            self.consumers.push((format!("{ns}/kubeconfig-data"), true));
        }
        // daemon pods
        for k in 0..6 {
            let pr = self.st[k].ds_pods[3].clone();
            let started = self.ds_start(k);
            let obj = self.pod_obj(
                &pr,
                k,
                started,
                &[
                    Ctr {
                        name: "machine-config-daemon",
                        init: false,
                    },
                    Ctr {
                        name: "kube-rbac-proxy",
                        init: false,
                    },
                ],
                "DaemonSet",
                true,
                0,
            );
            let logs = self.mcd_logs(k, started);
            self.nss[idx].pods.push(Pod {
                name: pr.name.clone(),
                obj,
                containers: logs,
            });
        }
        let name = format!(
            "machine-config-operator-{}-{}",
            self.rng.hex(10),
            self.rng.k8s_suffix(5)
        );
        self.mco_pod.clone_from(&name);
        let pr = PodRef {
            ns: ns.into(),
            name,
            uid: self.rng.uuid(),
            containers: vec!["machine-config-operator".into(), "kube-rbac-proxy".into()],
        };
        let started = self.ds_start(0) + 4 * MIN;
        let obj = self.pod_obj(
            &pr,
            1,
            started,
            &[
                Ctr {
                    name: "machine-config-operator",
                    init: false,
                },
                Ctr {
                    name: "kube-rbac-proxy",
                    init: false,
                },
            ],
            "ReplicaSet",
            false,
            0,
        );
        let pid = 1u32;
        let kl = |lvl: char, at: T, file: &str, msg: &str| {
            format!("{}{msg}", t::klog(lvl, at, pid, file))
        };
        let mut log = vec![(
            started + SEC,
            kl(
                'I',
                started + SEC,
                "start.go:52",
                &format!(
                    "Version: {} (Raw: v4.{}.0-202401171650.p0.g8e8f0f1.assembly.stream-dirty, Hash: 8e8f0f1d7a0f1f3b3d1c5d9e2f3e1a0b7c6d5e4f)",
                    self.plan.version(),
                    self.plan.minor()
                ),
            ),
        )];
        if propagated && let Some(r) = &rot {
            let x = r.rotation + 30 * SEC;
            log.push((x, kl('I', x, "sync.go:1512", "the MCO configmap for the server-ca and the openshift-config-managed one do not match. Diff: 1 certificate(s) added, 0 removed")));
            log.push((
                x + 4 * SEC,
                kl(
                    'I',
                    x + 4 * SEC,
                    "sync.go:1531",
                    "Polling for new data in kube-apiserver-server-ca",
                ),
            ));
            log.push((x + 5 * SEC, kl('I', x + 5 * SEC, "sync.go:1560", "Setting annotation machineconfiguration.openshift.io/service-ca-rotate=true on controllerconfig machine-config-controller")));
        }
        self.nss[idx].pods.push(Pod {
            name: pr.name.clone(),
            obj,
            containers: vec![
                ContainerLogs {
                    name: "machine-config-operator".into(),
                    current: log,
                    previous: Vec::new(),
                    insecure_current: false,
                },
                ContainerLogs {
                    name: "kube-rbac-proxy".into(),
                    ..ContainerLogs::default()
                },
            ],
        });
    }

    fn ds_start(&self, k: usize) -> T {
        if self.fresh() {
            return self.node_boot(k) + 2 * MIN + (k as i64) * 3 * SEC;
        }
        let mut s = self.plan.history[0].completed - 40 * MIN + (k as i64) * 4 * MIN;
        if let Some((x, _, true)) = self.restarts(k).first().copied() {
            s = s.max(x + 90 * SEC);
        }
        s
    }

    fn mcd_logs(&mut self, k: usize, started: T) -> Vec<ContainerLogs> {
        let pid = 3_100 + self.rng.below(400) as u32;
        let kl = |lvl: char, at: T, file: &str, msg: &str| {
            format!("{}{msg}", t::klog(lvl, at, pid, file))
        };
        let mut v = vec![
            (
                started + SEC,
                kl(
                    'I',
                    started + SEC,
                    "start.go:61",
                    &format!(
                        "Version: {} (Raw: v4.{}.0-202401171650.p0, Hash: 8e8f0f1d7a0f1f3b3d1c5d9e2f3e1a0b7c6d5e4f)",
                        self.plan.version(),
                        self.plan.minor()
                    ),
                ),
            ),
            (
                started + 2 * SEC,
                kl(
                    'I',
                    started + 2 * SEC,
                    "start.go:121",
                    "Calling chroot(\"/rootfs\")",
                ),
            ),
            (
                started + 9 * SEC,
                kl(
                    'I',
                    started + 9 * SEC,
                    "daemon.go:1459",
                    "In bootstrap mode",
                ),
            ),
        ];
        if let Some(r) = self.rotation().filter(|r| r.propagated).cloned() {
            let x = r.rotation + 2 * MIN + (k as i64) * 53 * SEC;
            let rvn = self.ids.rv(x);
            let cn = r.rotation;
            v.push((
                x,
                kl(
                    'I',
                    x,
                    "daemon.go:2198",
                    &format!("Certificate was synced from controllerconfig resourceVersion {rvn}"),
                ),
            ));
            v.push((x + 2 * SEC, kl('I', x + 2 * SEC, "certificate_writer.go:243", &format!("Cert not found in kubeconfig. This means we need to write to disk. Subject is: CN={}", certs::op_cn(KAS_OP, "loadbalancer-serving-signer", cn)))));
            v.push((
                x + 3 * SEC,
                kl(
                    'I',
                    x + 3 * SEC,
                    "certificate_writer.go:302",
                    "Writing new Data to /etc/kubernetes/kubeconfig",
                ),
            ));
            v.push((
                x + 4 * SEC,
                kl(
                    'I',
                    x + 4 * SEC,
                    "certificate_writer.go:316",
                    "Need to restart kubelet",
                ),
            ));
            v.push((
                x + 5 * SEC,
                kl(
                    'I',
                    x + 5 * SEC,
                    "update.go:2610",
                    "restarting kubelet due to server-ca rotation",
                ),
            ));
            v.push((
                x + 25 * SEC,
                kl(
                    'I',
                    x + 25 * SEC,
                    "update.go:2618",
                    "kubelet restarted, /var/lib/kubelet/kubeconfig regenerated",
                ),
            ));
        }
        if let Story::KubeletClient(kc) = &self.plan.story {
            let x = kc.rotation + 70 * SEC + (k as i64) * 31 * SEC;
            if self.master(k) {
                v.push((
                    x,
                    kl(
                        'I',
                        x,
                        "update.go:2118",
                        "Writing file \"/etc/kubernetes/kubelet-ca.crt\"",
                    ),
                ));
                v.push((
                    x + SEC,
                    kl(
                        'I',
                        x + SEC,
                        "update.go:1912",
                        "Changes do not require drain, skipping.",
                    ),
                ));
            }
        }
        vec![
            ContainerLogs {
                name: "machine-config-daemon".into(),
                current: v,
                previous: Vec::new(),
                insecure_current: !self.logs_reachable(k),
            },
            ContainerLogs {
                name: "kube-rbac-proxy".into(),
                current: vec![(
                    started + SEC,
                    kl('I', started + SEC, "main.go:181", "Valid token audiences: "),
                )],
                previous: Vec::new(),
                insecure_current: !self.logs_reachable(k),
            },
        ]
    }

    /// Whether `oc logs` through the API server reaches this node's kubelet.
    fn logs_reachable(&self, k: usize) -> bool {
        !matches!(self.plan.story, Story::KubeletClient(_)) || self.master(k)
    }
}

impl B<'_> {
    #[allow(clippy::too_many_arguments)]
    fn pod_obj(
        &mut self,
        p: &PodRef,
        k: usize,
        started: T,
        ctrs: &[Ctr<'_>],
        owner: &str,
        host_network: bool,
        restarts: i64,
    ) -> V {
        let node = self.nodes[k].fqdn.clone();
        let owner_uid = self.ids.uid();
        let owner_name = match owner {
            "DaemonSet" | "ReplicaSet" => p
                .name
                .rsplit_once('-')
                .map_or(p.name.clone(), |x| x.0.to_string()),
            _ => node.clone(),
        };
        let mut meta = Meta::new(
            &mut self.ids,
            &p.name,
            Some(&p.ns),
            started - 2 * SEC,
            started + 30 * SEC,
        )
        .annot(
            "openshift.io/scc",
            if host_network {
                "privileged"
            } else {
                "restricted-v2"
            },
        )
        .annot(
            "target.workload.openshift.io/management",
            "{\"effect\": \"PreferredDuringScheduling\"}",
        );
        if owner == "Node" {
            meta = meta.owner("v1", "Node", &node, &self.st[k].uid, true);
        } else {
            meta = meta.owner(
                if owner == "DaemonSet" || owner == "ReplicaSet" {
                    "apps/v1"
                } else {
                    "batch/v1"
                },
                owner,
                &owner_name,
                &owner_uid,
                true,
            );
        }
        let meta = meta
            .managed(&Managed {
                manager: "kubelet",
                op: "Update",
                time: started + 30 * SEC,
                fields: &[
                    "f:status|f:conditions",
                    "f:status|f:containerStatuses",
                    "f:status|f:podIP",
                    "f:status|f:startTime",
                ],
                status: true,
            })
            .build();
        let image = self.image.clone();
        let containers: Vec<V> = ctrs
            .iter()
            .filter(|c| !c.init)
            .map(|c| {
                m([
                    ("name", s(c.name)),
                    ("image", s(image.clone())),
                    ("imagePullPolicy", s("IfNotPresent")),
                    (
                        "resources",
                        m([("requests", m([("cpu", s("10m")), ("memory", s("50Mi"))]))]),
                    ),
                    ("terminationMessagePath", s("/dev/termination-log")),
                    ("terminationMessagePolicy", s("FallbackToLogsOnError")),
                ])
            })
            .collect();
        let inits: Vec<V> = ctrs
            .iter()
            .filter(|c| c.init)
            .map(|c| {
                m([
                    ("name", s(c.name)),
                    ("image", s(image.clone())),
                    ("imagePullPolicy", s("IfNotPresent")),
                ])
            })
            .collect();
        let mut spec = vec![
            ("containers", V::Seq(containers)),
            ("nodeName", s(node.clone())),
            ("priorityClassName", s("system-node-critical")),
            ("restartPolicy", s("Always")),
            ("schedulerName", s("default-scheduler")),
            (
                "serviceAccountName",
                s(p.name.split('-').next().unwrap_or("default").to_string()),
            ),
            ("tolerations", l([m([("operator", s("Exists"))])])),
        ];
        if host_network {
            spec.push(("hostNetwork", b(true)));
        }
        if !inits.is_empty() {
            spec.push(("initContainers", V::Seq(inits)));
        }
        let nr = self.st[k].not_ready_at.filter(|x| *x < self.plan.collected);
        let ready = if nr.is_some() { "False" } else { "True" };
        let rt = nr.unwrap_or(started + 20 * SEC);
        let mut conds = vec![
            cond("Initialized", "True", None, None, started),
            cond("Ready", ready, None, None, rt),
            cond("ContainersReady", "True", None, None, started + 20 * SEC),
            cond("PodScheduled", "True", None, None, started - 2 * SEC),
        ];
        for c in &mut conds {
            c.set("lastProbeTime", V::Null);
        }
        let statuses: Vec<V> = ctrs
            .iter()
            .filter(|c| !c.init)
            .map(|c| {
                let mut last = empty();
                if restarts > 0 {
                    last = m([(
                        "terminated",
                        m([
                            ("exitCode", i(1)),
                            ("reason", s("Error")),
                            ("startedAt", s(t::rfc3339(started - 10 * MIN))),
                            ("finishedAt", s(t::rfc3339(started - 10 * SEC))),
                        ]),
                    )]);
                }
                m([
                    ("containerID", s(format!("cri-o://{}", self.rng.hex(64)))),
                    ("image", s(image.clone())),
                    ("imageID", s(image.clone())),
                    ("lastState", last),
                    ("name", s(c.name)),
                    ("ready", b(nr.is_none())),
                    ("restartCount", i(restarts)),
                    ("started", b(true)),
                    (
                        "state",
                        m([(
                            "running",
                            m([("startedAt", s(t::rfc3339(started + 3 * SEC)))]),
                        )]),
                    ),
                ])
            })
            .collect();
        let pod_ip = if host_network {
            self.nodes[k].ip.clone()
        } else {
            format!("10.{}.0.{}", 128 + k, 5 + self.rng.below(200))
        };
        let status = m([
            ("conditions", V::Seq(conds)),
            ("containerStatuses", V::Seq(statuses)),
            ("hostIP", s(self.nodes[k].ip.clone())),
            ("phase", s("Running")),
            ("podIP", s(pod_ip.clone())),
            ("podIPs", l([m([("ip", s(pod_ip))])])),
            ("qosClass", s("Burstable")),
            ("startTime", s(t::rfc3339(started - SEC))),
        ]);
        m([
            ("apiVersion", s("v1")),
            ("kind", s("Pod")),
            ("metadata", meta),
            (
                "spec",
                V::Map(spec.into_iter().map(|(a, x)| (a.to_string(), x)).collect()),
            ),
            ("status", status),
        ])
    }

    fn pending_pod(&mut self, p: &PodRef, k: usize, at: T) -> Pod {
        let node = self.nodes[k].fqdn.clone();
        let job = p
            .name
            .rsplit_once('-')
            .map_or(p.name.clone(), |x| x.0.to_string());
        let owner_uid = self.ids.uid();
        let (api, kind) = if p.ns == "openshift-marketplace" {
            ("operators.coreos.com/v1alpha1", "CatalogSource")
        } else {
            ("batch/v1", "Job")
        };
        let meta = Meta::new(&mut self.ids, &p.name, Some(&p.ns), at - SEC, at + SEC)
            .owner(api, kind, &job, &owner_uid, true)
            .managed(&Managed {
                manager: "kubelet",
                op: "Update",
                time: at + SEC,
                fields: &[
                    "f:status|f:conditions",
                    "f:status|f:containerStatuses",
                    "f:status|f:hostIP",
                    "f:status|f:startTime",
                ],
                status: true,
            })
            .build();
        let c = &p.containers[0];
        let status = m([
            (
                "conditions",
                l([
                    cond("PodScheduled", "True", None, None, at - SEC),
                    cond(
                        "Ready",
                        "False",
                        Some("ContainersNotReady"),
                        Some(&format!("containers with unready status: [{c}]")),
                        at,
                    ),
                ]),
            ),
            (
                "containerStatuses",
                l([m([
                    ("image", s(self.image.clone())),
                    ("imageID", s("")),
                    ("lastState", empty()),
                    ("name", s(c.clone())),
                    ("ready", b(false)),
                    ("restartCount", i(0)),
                    ("started", b(false)),
                    (
                        "state",
                        m([("waiting", m([("reason", s("ContainerCreating"))]))]),
                    ),
                ])]),
            ),
            ("hostIP", s(self.nodes[k].ip.clone())),
            ("phase", s("Pending")),
            ("qosClass", s("Burstable")),
            ("startTime", s(t::rfc3339(at))),
        ]);
        let obj = m([
            ("apiVersion", s("v1")),
            ("kind", s("Pod")),
            ("metadata", meta),
            (
                "spec",
                m([
                    (
                        "containers",
                        l([m([
                            ("name", s(c.clone())),
                            ("image", s(self.image.clone())),
                        ])]),
                    ),
                    ("nodeName", s(node)),
                    ("restartPolicy", s("Never")),
                ]),
            ),
            ("status", status),
        ]);
        Pod {
            name: p.name.clone(),
            obj,
            containers: vec![ContainerLogs {
                name: c.clone(),
                ..ContainerLogs::default()
            }],
        }
    }

    fn multus_ns(&mut self) {
        let ns = "openshift-multus";
        let idx = self.ns(ns);
        let cfg = "{\n    \"chrootDir\": \"/hostroot\",\n    \"cniConfigDir\": \"/host/etc/cni/net.d\",\n    \"logLevel\": \"verbose\",\n    \"logToStderr\": true,\n    \"perNodeCertificate\": {\n        \"enabled\": true,\n        \"bootstrapKubeconfig\": \"/var/lib/kubelet/kubeconfig\",\n        \"certDir\": \"/etc/cni/multus/certs\",\n        \"certDuration\": \"24h\"\n    },\n    \"readinessindicatorfile\": \"/host/run/multus/cni/net.d/10-ovn-kubernetes.conf\",\n    \"socketDir\": \"/host/run/multus/socket\"\n}\n".to_string();
        let created = self.plan.born + 16 * MIN;
        let meta = Meta::new(
            &mut self.ids,
            "multus-daemon-config",
            Some(ns),
            created,
            self.plan.history[0].started + 40 * MIN,
        )
        .managed(&Managed {
            manager: "cluster-network-operator/operconfig",
            op: "Apply",
            time: self.plan.history[0].started + 40 * MIN,
            fields: &["f:data|f:daemon-config.json"],
            status: false,
        })
        .build();
        self.nss[idx]
            .configmaps
            .push(kube::configmap(meta, vec![("daemon-config.json", cfg)]));
        let mut ds_items = Vec::new();
        let not_ready = self
            .st
            .iter()
            .filter(|x| x.not_ready_at.is_some_and(|n| n < self.plan.collected))
            .count() as i64;
        for name in ["multus", "network-metrics-daemon"] {
            let meta = Meta::new(
                &mut self.ids,
                name,
                Some(ns),
                created,
                self.plan.collected - 10 * MIN,
            )
            .build();
            ds_items.push(m([
                ("apiVersion", s("apps/v1")),
                ("kind", s("DaemonSet")),
                ("metadata", meta),
                (
                    "status",
                    m([
                        ("currentNumberScheduled", i(6)),
                        ("desiredNumberScheduled", i(6)),
                        ("numberAvailable", i(6 - not_ready)),
                        ("numberMisscheduled", i(0)),
                        ("numberReady", i(6 - not_ready)),
                        ("numberUnavailable", i(not_ready)),
                        ("observedGeneration", i(3)),
                        ("updatedNumberScheduled", i(6)),
                    ]),
                ),
            ]));
        }
        self.nss[idx].lists.push(ListFile {
            path: "apps/daemonsets.yaml".into(),
            api_version: "apps/v1".into(),
            kind: "DaemonSetList".into(),
            items: ds_items,
        });
        for k in 0..6 {
            let pr = self.st[k].ds_pods[0].clone();
            let started = self.ds_start(k);
            let obj = self.pod_obj(
                &pr,
                k,
                started,
                &[Ctr {
                    name: "kube-multus",
                    init: false,
                }],
                "DaemonSet",
                true,
                0,
            );
            let log = self.multus_log(k, started);
            let reach = self.logs_reachable(k);
            self.nss[idx].pods.push(Pod {
                name: pr.name.clone(),
                obj,
                containers: vec![ContainerLogs {
                    name: "kube-multus".into(),
                    current: log,
                    previous: Vec::new(),
                    insecure_current: !reach,
                }],
            });
            let pr = self.st[k].ds_pods[1].clone();
            let obj = self.pod_obj(
                &pr,
                k,
                started + 20 * SEC,
                &[
                    Ctr {
                        name: "network-metrics-daemon",
                        init: false,
                    },
                    Ctr {
                        name: "kube-rbac-proxy",
                        init: false,
                    },
                ],
                "DaemonSet",
                false,
                0,
            );
            let pid = 1u32;
            let l1 = vec![(
                started + 25 * SEC,
                format!(
                    "{}Version: {}",
                    t::klog('I', started + 25 * SEC, pid, "main.go:45"),
                    self.plan.version()
                ),
            )];
            self.nss[idx].pods.push(Pod {
                name: pr.name.clone(),
                obj,
                containers: vec![
                    ContainerLogs {
                        name: "network-metrics-daemon".into(),
                        current: l1,
                        previous: Vec::new(),
                        insecure_current: !reach,
                    },
                    ContainerLogs {
                        name: "kube-rbac-proxy".into(),
                        current: Vec::new(),
                        previous: Vec::new(),
                        insecure_current: !reach,
                    },
                ],
            });
        }
        self.node_not_ready_pod_events(idx, &[0, 1]);
    }

    fn multus_log(&mut self, k: usize, started: T) -> Vec<(T, String)> {
        let api = self.api_int.clone();
        let fq = self.nodes[k].fqdn.clone();
        let pid = 10_000 + self.rng.below(60_000) as u32;
        let kl = |lvl: char, at: T, file: &str, msg: &str| {
            format!("{}{msg}", t::klog(lvl, at, pid, file))
        };
        let mt = |at: T, lvl: &str, msg: &str| format!("{} [{lvl}] {msg}", t::multus_time(at));
        let mut v = vec![
            (
                started,
                format!(
                    "{} [cnibincopy] Successfully copied files in /usr/src/multus-cni/rhel9/bin/ to /host/opt/cni/bin/upgrade_{}",
                    t::rfc3339(started).replace('Z', "+00:00"),
                    self.rng.uuid()
                ),
            ),
            (
                started + SEC,
                mt(started + SEC, "verbose", "multus-daemon started"),
            ),
            (
                started + SEC,
                mt(started + SEC, "verbose", "Readiness Indicator file check"),
            ),
            (
                started + 16 * SEC,
                mt(
                    started + 16 * SEC,
                    "verbose",
                    "Readiness Indicator file check done!",
                ),
            ),
            (
                started + 16 * SEC,
                kl(
                    'I',
                    started + 16 * SEC,
                    "certificate_store.go:130",
                    "Loading cert/key pair from \"/etc/cni/multus/certs/multus-client-current.pem\".",
                ),
            ),
            (
                started + 16 * SEC,
                mt(started + 16 * SEC, "verbose", "Waiting for certificate"),
            ),
            (
                started + 17 * SEC,
                mt(started + 17 * SEC, "verbose", "Certificate found!"),
            ),
            (
                started + 17 * SEC,
                mt(
                    started + 17 * SEC,
                    "verbose",
                    "server configured with chroot: /hostroot",
                ),
            ),
            (
                started + 17 * SEC,
                mt(
                    started + 17 * SEC,
                    "verbose",
                    &format!("Filtering pod watch for node \"{fq}\""),
                ),
            ),
            (
                started + 17 * SEC,
                mt(started + 17 * SEC, "verbose", "API readiness check"),
            ),
            (
                started + 17 * SEC,
                mt(started + 17 * SEC, "verbose", "API readiness check done!"),
            ),
            (
                started + 18 * SEC,
                mt(
                    started + 18 * SEC,
                    "verbose",
                    "started to watch file /host/run/multus/cni/net.d/10-ovn-kubernetes.conf",
                ),
            ),
        ];
        // per-node client certificate renewals (24 h certs, renewed at ~80 %)
        let mut x = started + 19 * HOUR + self.rng.range(0, 3600) * SEC;
        let brk = self.st[k].multus_break;
        while x < self.plan.collected {
            if brk.is_some_and(|b0| x >= b0) {
                break;
            }
            let csr = format!("csr-{}", self.rng.k8s_suffix(5));
            v.push((
                x,
                kl(
                    'I',
                    x,
                    "certificate_manager.go:356",
                    "kubernetes.io/kube-apiserver-client: Rotating certificates",
                ),
            ));
            v.push((
                x + 90 * MS,
                kl(
                    'I',
                    x + 90 * MS,
                    "csr.go:261",
                    &format!("certificate signing request {csr} is approved, waiting to be issued"),
                ),
            ));
            v.push((
                x + 140 * MS,
                kl(
                    'I',
                    x + 140 * MS,
                    "csr.go:257",
                    &format!("certificate signing request {csr} is issued"),
                ),
            ));
            v.push((x + 150 * MS, kl('I', x + 150 * MS, "certificate_manager.go:356", &format!("kubernetes.io/kube-apiserver-client: Certificate expiration is {}, rotation deadline is {}", t::go_utc(x + DAY), t::go_utc(x + 19 * HOUR)))));
            x += 19 * HOUR + self.rng.range(0, 3600) * SEC;
        }
        if let Some(b0) = brk.filter(|b0| *b0 < self.plan.collected) {
            let at = b0 - 60 * MS;
            v.push((
                at,
                kl(
                    'I',
                    at,
                    "certificate_manager.go:356",
                    "kubernetes.io/kube-apiserver-client: Rotating certificates",
                ),
            ));
            v.push((at + 60 * MS, kl('E', at + 60 * MS, "certificate_manager.go:562", &format!("kubernetes.io/kube-apiserver-client: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Post \"{api}/apis/certificates.k8s.io/v1/certificatesigningrequests\": {X509}"))));
            v.push((
                at + 70 * MS,
                mt(
                    at + 70 * MS,
                    "verbose",
                    "cert mgr gets invalid config. rebuild from bootstrap kubeconfig",
                ),
            ));
            v.push((at + 2 * SEC, mt(at + 2 * SEC, "error", &format!("failed to list pods with new certs: Get \"{api}/api/v1/pods?fieldSelector=spec.nodeName%3D{fq}&limit=500&resourceVersion=0\": {X509}"))));
        }
        for (n, at, line) in &self.multus_extra {
            if *n == k {
                v.push((*at, line.clone()));
            }
        }
        v.sort_by_key(|e| e.0);
        v
    }

    fn node_not_ready_pod_events(&mut self, idx: usize, which: &[usize]) {
        let ns = self.nss[idx].name.clone();
        for k in 0..6 {
            let Some(nr) = self.st[k].not_ready_at else {
                continue;
            };
            if nr < self.plan.collected - 3 * HOUR || nr > self.plan.collected {
                continue;
            }
            for &w in which {
                let p = self.st[k].ds_pods[w].clone();
                if p.ns != ns {
                    continue;
                }
                let ev = kube::event(
                    &mut self.ids,
                    &Ev {
                        ns: &ns,
                        kind: "Pod",
                        name: &p.name,
                        obj_ns: Some(&ns),
                        uid: &p.uid,
                        api: "v1",
                        reason: "NodeNotReady",
                        message: "Node is not ready".into(),
                        type_: "Warning",
                        count: 1,
                        first: nr + 2 * SEC,
                        last: nr + 2 * SEC,
                        component: "node-controller",
                        host: None,
                        field_path: None,
                    },
                );
                self.nss[idx].events.push(ev);
            }
        }
    }

    fn ovn_ns(&mut self) {
        let ns = "openshift-ovn-kubernetes";
        let idx = self.ns(ns);
        let api = self.api_int.clone();
        for k in 0..6 {
            let pr = self.st[k].ds_pods[2].clone();
            let started = self.ds_start(k) + 5 * SEC;
            let ctr_names: Vec<String> = pr.containers.clone();
            let ctrs: Vec<Ctr<'_>> = ctr_names
                .iter()
                .map(|c| Ctr {
                    name: c.as_str(),
                    init: false,
                })
                .collect();
            let obj = self.pod_obj(&pr, k, started, &ctrs, "DaemonSet", true, 0);
            let pid = 1_000 + self.rng.below(9_000) as u32;
            let kl = |lvl: char, at: T, file: &str, msg: &str| {
                format!("{}{msg}", t::klog(lvl, at, pid, file))
            };
            let mut ctl = vec![
                (
                    started + 3 * SEC,
                    kl(
                        'I',
                        started + 3 * SEC,
                        "ovnkube.go:137",
                        "Starting ovnkube-node",
                    ),
                ),
                (
                    started + 4 * SEC,
                    kl(
                        'I',
                        started + 4 * SEC,
                        "config.go:2175",
                        &format!(
                            "Parsed config: {{Default:{{MTU:8901 RoutableMTU:0 ConntrackZone:64000 HostMasqConntrackZone:0 OVNMasqConntrackZone:0 HostNodePortConntrackZone:0 ReassemblyConntrackZone:0 EncapType:geneve EncapIP: EncapPort:6081 InactivityProbe:100000 OpenFlowProbe:180 OfctrlWaitBeforeClear:0 MonitorAll:true LFlowCacheEnable:true LFlowCacheLimit:0 LFlowCacheLimitKb:1048576 RawClusterSubnets:10.128.0.0/14/23 ClusterSubnets:[] EnableUDPAggregation:true Zone:{}}} Logging:{{File: CNIFile: LibovsdbFile:/var/log/ovnkube/libovsdb.log Level:4 LogFileMaxSize:100 LogFileMaxBackups:5 LogFileMaxAge:0 ACLLoggingRateLimit:20}} Kubernetes:{{APIServer:{api} Token: CACert:/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}}}}",
                            self.nodes[k].fqdn
                        ),
                    ),
                ),
                (
                    started + 9 * SEC,
                    kl(
                        'I',
                        started + 9 * SEC,
                        "node_ip_handler_linux.go:430",
                        &format!("Node IPs: [{}/18]", self.nodes[k].ip),
                    ),
                ),
            ];
            if let Some(b0) = self.st[k]
                .multus_break
                .filter(|b0| *b0 < self.plan.collected)
            {
                let at = b0 + 7 * MIN + 12 * SEC;
                if at < self.plan.collected {
                    ctl.push((at, kl('E', at, "certificate_manager.go:562", &format!("kubernetes.io/kube-apiserver-client: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Post \"{api}/apis/certificates.k8s.io/v1/certificatesigningrequests\": {X509}"))));
                }
            }
            let oc = vec![(
                started + 2 * SEC,
                format!(
                    "{}|00001|vlog|INFO|opened log file /var/log/ovn/acl-audit-log.log",
                    t::rfc3339(started + 2 * SEC).replace('Z', ".123Z")
                ),
            )];
            let reach = self.logs_reachable(k);
            let mut logs: Vec<ContainerLogs> = Vec::new();
            for c in &ctr_names {
                let cur = match c.as_str() {
                    "ovnkube-controller" => ctl.clone(),
                    "ovn-controller" => oc.clone(),
                    _ => Vec::new(),
                };
                logs.push(ContainerLogs {
                    name: c.clone(),
                    current: cur,
                    previous: Vec::new(),
                    insecure_current: !reach,
                });
            }
            self.nss[idx].pods.push(Pod {
                name: pr.name.clone(),
                obj,
                containers: logs,
            });
        }
        self.node_not_ready_pod_events(idx, &[2]);
    }

    fn misc_ns(&mut self) {
        // node events in `default`
        let idx = self.ns("default");
        for k in 0..6 {
            let fq = self.nodes[k].fqdn.clone();
            let uid = self.st[k].uid.clone();
            if let Some(nr) = self.st[k].not_ready_at
                && nr >= self.plan.collected - 3 * HOUR
                && nr <= self.plan.collected
            {
                let ev = kube::event(
                    &mut self.ids,
                    &Ev {
                        ns: "default",
                        kind: "Node",
                        name: &fq,
                        obj_ns: None,
                        uid: &fq,
                        api: "v1",
                        reason: "NodeNotReady",
                        message: format!("Node {fq} status is now: NodeNotReady"),
                        type_: "Normal",
                        count: 1,
                        first: nr,
                        last: nr,
                        component: "node-controller",
                        host: None,
                        field_path: None,
                    },
                );
                self.nss[idx].events.push(ev);
            }
            if self.fresh() {
                let boot = self.node_boot(k);
                for (dt, reason, msg) in [
                    (4 * SEC, "Starting", "Starting kubelet.".to_string()),
                    (
                        5 * SEC,
                        "NodeHasSufficientMemory",
                        format!("Node {fq} status is now: NodeHasSufficientMemory"),
                    ),
                    (
                        5 * SEC,
                        "NodeHasNoDiskPressure",
                        format!("Node {fq} status is now: NodeHasNoDiskPressure"),
                    ),
                    (
                        5 * SEC,
                        "NodeAllocatableEnforced",
                        "Updated Node Allocatable limit across pods".to_string(),
                    ),
                    (
                        4 * MIN,
                        "NodeReady",
                        format!("Node {fq} status is now: NodeReady"),
                    ),
                ] {
                    let count = if reason.starts_with("NodeHas") { 8 } else { 1 };
                    let ev = kube::event(
                        &mut self.ids,
                        &Ev {
                            ns: "default",
                            kind: "Node",
                            name: &fq,
                            obj_ns: None,
                            uid: &fq,
                            api: "v1",
                            reason,
                            message: msg,
                            type_: "Normal",
                            count,
                            first: t::trunc(boot + dt),
                            last: t::trunc(boot + dt + (count - 1) * 10 * SEC),
                            component: "kubelet",
                            host: Some(&fq),
                            field_path: None,
                        },
                    );
                    self.nss[idx].events.push(ev);
                }
                let ev = kube::event(
                    &mut self.ids,
                    &Ev {
                        ns: "default",
                        kind: "Node",
                        name: &fq,
                        obj_ns: None,
                        uid: &uid,
                        api: "v1",
                        reason: "RegisteredNode",
                        message: format!("Node {fq} event: Registered Node {fq} in Controller"),
                        type_: "Normal",
                        count: 1,
                        first: t::trunc(boot + 3 * MIN),
                        last: t::trunc(boot + 3 * MIN),
                        component: "node-controller",
                        host: None,
                        field_path: None,
                    },
                );
                self.nss[idx].events.push(ev);
            }
        }
        // healthy bootstrap noise in openshift-multus: network not ready yet
        if self.fresh() {
            let idx = self.ns("openshift-multus");
            for k in 0..6 {
                let p = self.st[k].ds_pods[1].clone();
                let fq = self.nodes[k].fqdn.clone();
                let boot = self.node_boot(k);
                let ev = kube::event(&mut self.ids, &Ev { ns: "openshift-multus", kind: "Pod", name: &p.name, obj_ns: Some("openshift-multus"), uid: &p.uid, api: "v1", reason: "NetworkNotReady", message: "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?".into(), type_: "Warning", count: 10 + (k as i64), first: t::trunc(boot + 50 * SEC), last: t::trunc(boot + 3 * MIN), component: "kubelet", host: Some(&fq), field_path: None });
                self.nss[idx].events.push(ev);
                let ev = kube::event(&mut self.ids, &Ev { ns: "openshift-multus", kind: "Pod", name: &p.name, obj_ns: Some("openshift-multus"), uid: &p.uid, api: "v1", reason: "FailedMount", message: "MountVolume.SetUp failed for volume \"metrics-certs\" : secret \"metrics-daemon-secret\" not found".into(), type_: "Warning", count: 3, first: t::trunc(boot + 30 * SEC), last: t::trunc(boot + 70 * SEC), component: "kubelet", host: Some(&fq), field_path: None });
                self.nss[idx].events.push(ev);
            }
        }
        // leases
        let idx = self.ns("kube-node-lease");
        for k in 0..6 {
            let fq = self.nodes[k].fqdn.clone();
            let renew = self.st[k]
                .last_heartbeat
                .unwrap_or(self.plan.collected - self.rng.range(1, 9) * SEC);
            let renew_micro = renew + self.rng.range(0, 999_999) * 1_000;
            let lease_created = self.node_boot(k).min(self.plan.born + 20 * MIN);
            let meta = Meta::new(
                &mut self.ids,
                &fq,
                Some("kube-node-lease"),
                lease_created,
                renew,
            )
            .owner("v1", "Node", &fq, &self.st[k].uid.clone(), false)
            .managed(&Managed {
                manager: "kubelet",
                op: "Update",
                time: renew,
                fields: &[
                    "f:spec|f:holderIdentity",
                    "f:spec|f:leaseDurationSeconds",
                    "f:spec|f:renewTime",
                ],
                status: false,
            })
            .managed_api("coordination.k8s.io/v1")
            .build();
            let lease = m([
                ("apiVersion", s("coordination.k8s.io/v1")),
                ("kind", s("Lease")),
                ("metadata", meta),
                (
                    "spec",
                    m([
                        ("holderIdentity", s(fq.clone())),
                        ("leaseDurationSeconds", i(40)),
                        ("renewTime", s(t::rfc3339_micro(renew_micro))),
                    ]),
                ),
            ]);
            self.nss[idx]
                .singles
                .push((format!("coordination.k8s.io/leases/{fq}.yaml"), lease));
        }
        self.ns("openshift-cluster-version");
    }
}

impl B<'_> {
    fn put(&mut self, path: &str, v: &V) {
        self.files.push((path.to_string(), crate::yaml::doc(v)));
    }

    fn put_list(&mut self, path: &str, api: &str, kind: &str, items: &[V]) {
        let rv = self.ids.rv(self.plan.collected);
        let sorted = crate::mgwrite::sorted_by_name(items);
        self.files.push((
            path.to_string(),
            crate::yaml::list_doc(api, kind, &rv, &sorted),
        ));
    }

    fn cluster_scoped(&mut self) {
        let p = self.plan;
        let now = p.collected;
        // nodes
        for k in 0..6 {
            let obj = self.node_obj(k);
            let fq = self.nodes[k].fqdn.clone();
            self.put(
                &format!("cluster-scoped-resources/core/nodes/{fq}.yaml"),
                &obj,
            );
        }
        // clusterversion
        let cv = self.cluster_version();
        self.files.push((
            "cluster-scoped-resources/config.openshift.io/clusterversions/version.yaml".into(),
            crate::yaml::to_yaml(&cv),
        ));
        self.put_list(
            "cluster-scoped-resources/config.openshift.io/clusterversions.yaml",
            "config.openshift.io/v1",
            "ClusterVersionList",
            &[cv],
        );
        // clusteroperators
        let cos = self.cluster_operators();
        for co in &cos {
            if let Some(V::Str(name)) = co.get("metadata").and_then(|x| x.get("name")) {
                let n = name.clone();
                self.put(
                    &format!(
                        "cluster-scoped-resources/config.openshift.io/clusteroperators/{n}.yaml"
                    ),
                    co,
                );
            }
        }
        self.put_list(
            "cluster-scoped-resources/config.openshift.io/clusteroperators.yaml",
            "config.openshift.io/v1",
            "ClusterOperatorList",
            &cos,
        );
        // infrastructure, network
        let meta = Meta::new(
            &mut self.ids,
            "cluster",
            None,
            p.born - 20 * MIN,
            p.born + 2 * MIN,
        )
        .build();
        let infra = m([
            ("apiVersion", s("config.openshift.io/v1")),
            ("kind", s("Infrastructure")),
            ("metadata", meta),
            (
                "spec",
                m([
                    (
                        "cloudConfig",
                        m([("key", s("config")), ("name", s("cloud-provider-config"))]),
                    ),
                    ("platformSpec", m([("aws", empty()), ("type", s("AWS"))])),
                ]),
            ),
            (
                "status",
                m([
                    ("apiServerInternalURI", s(self.api_int.clone())),
                    (
                        "apiServerURL",
                        s(format!("https://api.{}.{}:6443", p.cluster, p.domain)),
                    ),
                    ("controlPlaneTopology", s("HighlyAvailable")),
                    ("cpuPartitioning", s("None")),
                    ("etcdDiscoveryDomain", s("")),
                    ("infrastructureName", s(self.infra.clone())),
                    ("infrastructureTopology", s("HighlyAvailable")),
                    ("platform", s("AWS")),
                    (
                        "platformStatus",
                        m([("aws", m([("region", s(p.region))])), ("type", s("AWS"))]),
                    ),
                ]),
            ),
        ]);
        self.put(
            "cluster-scoped-resources/config.openshift.io/infrastructures/cluster.yaml",
            &infra,
        );
        self.put_list(
            "cluster-scoped-resources/config.openshift.io/infrastructures.yaml",
            "config.openshift.io/v1",
            "InfrastructureList",
            &[infra],
        );
        let meta = Meta::new(
            &mut self.ids,
            "cluster",
            None,
            p.born - 20 * MIN,
            p.born + 5 * MIN,
        )
        .build();
        let net = m([
            ("apiVersion", s("config.openshift.io/v1")),
            ("kind", s("Network")),
            ("metadata", meta),
            (
                "spec",
                m([
                    (
                        "clusterNetwork",
                        l([m([("cidr", s("10.128.0.0/14")), ("hostPrefix", i(23))])]),
                    ),
                    ("externalIP", m([("policy", empty())])),
                    ("networkType", s("OVNKubernetes")),
                    ("serviceNetwork", ls(["172.30.0.0/16"])),
                ]),
            ),
            (
                "status",
                m([
                    (
                        "clusterNetwork",
                        l([m([("cidr", s("10.128.0.0/14")), ("hostPrefix", i(23))])]),
                    ),
                    ("clusterNetworkMTU", i(8901)),
                    ("networkType", s("OVNKubernetes")),
                    ("serviceNetwork", ls(["172.30.0.0/16"])),
                ]),
            ),
        ]);
        self.put_list(
            "cluster-scoped-resources/config.openshift.io/networks.yaml",
            "config.openshift.io/v1",
            "NetworkList",
            &[net],
        );
        let meta = Meta::new(
            &mut self.ids,
            "cluster",
            None,
            p.born - 20 * MIN,
            now - HOUR,
        )
        .build();
        let opnet = m([
            ("apiVersion", s("operator.openshift.io/v1")),
            ("kind", s("Network")),
            ("metadata", meta),
            (
                "spec",
                m([
                    (
                        "clusterNetwork",
                        l([m([("cidr", s("10.128.0.0/14")), ("hostPrefix", i(23))])]),
                    ),
                    (
                        "defaultNetwork",
                        m([
                            (
                                "ovnKubernetesConfig",
                                m([
                                    ("egressIPConfig", empty()),
                                    ("gatewayConfig", m([("routingViaHost", b(false))])),
                                    ("genevePort", i(6081)),
                                    ("mtu", i(8901)),
                                ]),
                            ),
                            ("type", s("OVNKubernetes")),
                        ]),
                    ),
                    ("managementState", s("Managed")),
                    ("serviceNetwork", ls(["172.30.0.0/16"])),
                ]),
            ),
        ]);
        self.put(
            "cluster-scoped-resources/operator.openshift.io/networks/cluster.yaml",
            &opnet,
        );
        let kasop = self.kubeapiserver_operator();
        self.put(
            "cluster-scoped-resources/operator.openshift.io/kubeapiservers/cluster.yaml",
            &kasop,
        );
        // CSRs
        let issued: Vec<(Option<usize>, Cert)> = self
            .certs
            .csr_issued
            .iter()
            .map(|(_, n, c)| (*n, c.clone()))
            .collect();
        for (node, cert) in issued {
            let (name, signer, user, usages) = match node {
                Some(k) => (format!("csr-{}", self.rng.k8s_suffix(5)), "kubernetes.io/kubelet-serving", format!("system:node:{}", self.nodes[k].fqdn), vec!["digital signature", "server auth"]),
                None => (format!("system:openshift:openshift-authenticator-{}", self.rng.k8s_suffix(5)), "kubernetes.io/kube-apiserver-client", "system:serviceaccount:openshift-authentication-operator:authentication-operator".to_string(), vec!["digital signature", "client auth"]),
            };
            let created = cert.not_before - 3 * SEC;
            let meta = Meta::new(
                &mut self.ids,
                &name,
                None,
                created,
                cert.not_before + 2 * SEC,
            )
            .managed(&Managed {
                manager: "kube-controller-manager",
                op: "Update",
                time: cert.not_before + 2 * SEC,
                fields: &["f:status|f:certificate"],
                status: true,
            })
            .managed_api("certificates.k8s.io/v1")
            .build();
            let req = kube::b64(
                format!(
                    "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
                    kube::b64(cert.cn.as_bytes())
                )
                .as_bytes(),
            );
            let csr = m([
                ("apiVersion", s("certificates.k8s.io/v1")),
                ("kind", s("CertificateSigningRequest")),
                ("metadata", meta),
                (
                    "spec",
                    m([
                        ("groups", ls(["system:authenticated"])),
                        ("request", s(req)),
                        ("signerName", s(signer)),
                        ("usages", ls(usages)),
                        ("username", s(user)),
                    ]),
                ),
                (
                    "status",
                    m([
                        ("certificate", s(cert.pem_b64())),
                        (
                            "conditions",
                            l([m([
                                ("lastTransitionTime", s(t::rfc3339(created + SEC))),
                                ("lastUpdateTime", s(t::rfc3339(created + SEC))),
                                (
                                    "message",
                                    s(
                                        "This CSR was approved by the Node CSR Approver (cluster-machine-approver)",
                                    ),
                                ),
                                ("reason", s("NodeCSRApprove")),
                                ("status", s("True")),
                                ("type", s("Approved")),
                            ])]),
                        ),
                    ]),
                ),
            ]);
            self.put(&format!("cluster-scoped-resources/certificates.k8s.io/certificatesigningrequests/{name}.yaml"), &csr);
        }
        self.machine_config();
    }

    fn node_obj(&mut self, k: usize) -> V {
        let p = self.plan;
        let n = self.nodes[k].clone();
        let st = self.st[k].clone();
        let role = if n.role == Role::Master {
            "master"
        } else {
            "worker"
        };
        let rendered = format!(
            "rendered-{role}-{}",
            crate::rng::Rng::new(p.seed, &format!("{}{role}", p.scenario)).hex(32)
        );
        let created = self.node_boot(k).min(p.born + 25 * MIN);
        let hb_now = t::trunc(p.collected - self.rng.range(2, 30) * SEC);
        let mut meta = Meta::new(
            &mut self.ids,
            &n.fqdn,
            None,
            created,
            st.last_heartbeat.unwrap_or(hb_now),
        )
        .annot(
            "machine.openshift.io/machine",
            &format!("openshift-machine-api/{}-{role}-{}", self.infra, k % 3),
        )
        .annot(
            "machineconfiguration.openshift.io/controlPlaneTopology",
            "HighlyAvailable",
        )
        .annot("machineconfiguration.openshift.io/currentConfig", &rendered)
        .annot("machineconfiguration.openshift.io/desiredConfig", &rendered)
        .annot("machineconfiguration.openshift.io/reason", "")
        .annot("machineconfiguration.openshift.io/state", "Done")
        .annot(
            "volumes.kubernetes.io/controller-managed-attach-detach",
            "true",
        )
        .label("kubernetes.io/hostname", &n.short)
        .label("kubernetes.io/os", "linux")
        .label(&format!("node-role.kubernetes.io/{role}"), "")
        .label(
            "node.kubernetes.io/instance-type",
            if n.role == Role::Master {
                "m6i.xlarge"
            } else {
                "m6i.2xlarge"
            },
        )
        .label("node.openshift.io/os_id", "rhcos")
        .label("topology.kubernetes.io/region", p.region);
        if n.role == Role::Master {
            meta = meta.label("node-role.kubernetes.io/control-plane", "");
        }
        if let Story::ApiInt(r) = &p.story
            && r.propagated
        {
            let rvn = self.ids.rv(r.rotation + 2 * MIN);
            meta = meta
                .annot(
                    "machineconfiguration.openshift.io/lastObservedServerCAAnnotation",
                    "true",
                )
                .annot(
                    "machineconfiguration.openshift.io/lastSyncedControllerConfigResourceVersion",
                    &rvn,
                );
        }
        let meta = meta
            .managed(&Managed {
                manager: "kubelet",
                op: "Update",
                time: st.last_heartbeat.unwrap_or(hb_now),
                fields: &[
                    "f:status|f:conditions",
                    "f:status|f:images",
                    "f:status|f:nodeInfo",
                ],
                status: true,
            })
            .build();
        let (ready_status, reason, msg, hb, tr) = match st.not_ready_at.filter(|x| *x < p.collected)
        {
            Some(nr) => (
                "Unknown",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
                st.last_heartbeat.unwrap_or(nr),
                nr,
            ),
            None => (
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                hb_now,
                if self.fresh() {
                    self.node_boot(k) + 4 * MIN
                } else {
                    self.ds_start(k) - 3 * MIN
                },
            ),
        };
        let mut conds = Vec::new();
        for (ty, ok_reason, ok_msg) in [
            (
                "MemoryPressure",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            (
                "DiskPressure",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            (
                "PIDPressure",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
        ] {
            let (stat, rsn, mg, trn) = if ready_status == "Unknown" {
                ("Unknown", reason, msg, tr)
            } else {
                ("False", ok_reason, ok_msg, created + 5 * SEC)
            };
            conds.push(m([
                ("lastHeartbeatTime", s(t::rfc3339(hb))),
                ("lastTransitionTime", s(t::rfc3339(trn))),
                ("message", s(mg)),
                ("reason", s(rsn)),
                ("status", s(stat)),
                ("type", s(ty)),
            ]));
        }
        conds.push(m([
            ("lastHeartbeatTime", s(t::rfc3339(hb))),
            ("lastTransitionTime", s(t::rfc3339(tr))),
            ("message", s(msg)),
            ("reason", s(reason)),
            ("status", s(ready_status)),
            ("type", s("Ready")),
        ]));
        let mut spec = vec![(
            "providerID",
            s(format!("aws:///{}a/i-0{}", p.region, self.rng.hex(16))),
        )];
        let mut taints = Vec::new();
        if n.role == Role::Master {
            taints.push(m([
                ("effect", s("NoSchedule")),
                ("key", s("node-role.kubernetes.io/master")),
            ]));
        }
        if let Some(nr) = st.not_ready_at.filter(|x| *x < p.collected) {
            taints.push(m([
                ("effect", s("NoSchedule")),
                ("key", s("node.kubernetes.io/unreachable")),
                ("timeAdded", s(t::rfc3339(nr))),
            ]));
            taints.push(m([
                ("effect", s("NoExecute")),
                ("key", s("node.kubernetes.io/unreachable")),
                ("timeAdded", s(t::rfc3339(nr + 5 * SEC))),
            ]));
        }
        if !taints.is_empty() {
            spec.push(("taints", V::Seq(taints)));
        }
        m([
            ("apiVersion", s("v1")),
            ("kind", s("Node")),
            ("metadata", meta),
            ("spec", m(spec)),
            (
                "status",
                m([
                    (
                        "addresses",
                        l([
                            m([("address", s(n.ip.clone())), ("type", s("InternalIP"))]),
                            m([("address", s(n.fqdn.clone())), ("type", s("Hostname"))]),
                            m([("address", s(n.fqdn.clone())), ("type", s("InternalDNS"))]),
                        ]),
                    ),
                    (
                        "allocatable",
                        m([
                            ("cpu", s("3500m")),
                            ("ephemeral-storage", s("114396791822")),
                            ("hugepages-1Gi", s("0")),
                            ("hugepages-2Mi", s("0")),
                            ("memory", s("14955328Ki")),
                            ("pods", s("250")),
                        ]),
                    ),
                    (
                        "capacity",
                        m([
                            ("cpu", s("4")),
                            ("ephemeral-storage", s("125238252Ki")),
                            ("hugepages-1Gi", s("0")),
                            ("hugepages-2Mi", s("0")),
                            ("memory", s("16106304Ki")),
                            ("pods", s("250")),
                        ]),
                    ),
                    ("conditions", V::Seq(conds)),
                    (
                        "daemonEndpoints",
                        m([("kubeletEndpoint", m([("Port", i(10250))]))]),
                    ),
                    (
                        "nodeInfo",
                        m([
                            ("architecture", s("amd64")),
                            ("bootID", s(self.rng.uuid())),
                            (
                                "containerRuntimeVersion",
                                s(format!("cri-o://{}", p.crio_version)),
                            ),
                            ("kernelVersion", s(p.kernel)),
                            ("kubeProxyVersion", s(p.kube_version)),
                            ("kubeletVersion", s(p.kube_version)),
                            ("machineID", s(self.rng.hex(32))),
                            ("operatingSystem", s("linux")),
                            ("osImage", s(p.os_image)),
                            ("systemUUID", s(self.rng.uuid())),
                        ]),
                    ),
                ]),
            ),
        ])
    }

    fn cluster_version(&mut self) -> V {
        let p = self.plan;
        let meta = Meta::new(
            &mut self.ids,
            "version",
            None,
            p.born - 19 * MIN,
            p.collected - 40 * MIN,
        )
        .build();
        let img = |v: &str| -> String {
            let h = crate::rng::Rng::new(p.seed, v).hex(64);
            if p.okd {
                format!("quay.io/openshift/okd@sha256:{h}")
            } else {
                format!("quay.io/openshift-release-dev/ocp-release@sha256:{h}")
            }
        };
        let history: Vec<V> = p
            .history
            .iter()
            .map(|h| {
                m([
                    ("completionTime", s(t::rfc3339(h.completed))),
                    ("image", s(img(h.version))),
                    ("startedTime", s(t::rfc3339(h.started))),
                    ("state", s("Completed")),
                    ("verified", b(!p.okd)),
                    ("version", s(h.version)),
                ])
            })
            .collect();
        let degraded = self
            .st
            .iter()
            .any(|x| x.not_ready_at.is_some_and(|n| n < p.collected));
        let failing = if degraded {
            cond(
                "Failing",
                "True",
                Some("ClusterOperatorDegraded"),
                Some("Cluster operator network is degraded"),
                p.collected - 50 * MIN,
            )
        } else {
            cond("Failing", "False", None, None, p.history[0].completed)
        };
        m([
            ("apiVersion", s("config.openshift.io/v1")),
            ("kind", s("ClusterVersion")),
            ("metadata", meta),
            (
                "spec",
                m([
                    ("channel", s(if p.okd { "stable-4" } else { "stable-4.15" })),
                    ("clusterID", s(self.rng.uuid())),
                ]),
            ),
            (
                "status",
                m([
                    ("availableUpdates", V::Null),
                    (
                        "conditions",
                        l([
                            cond("RetrievedUpdates", "True", None, None, p.born + 2 * MIN),
                            cond(
                                "Available",
                                "True",
                                None,
                                Some(&format!("Done applying {}", p.version())),
                                p.history[0].completed,
                            ),
                            failing,
                            cond(
                                "Progressing",
                                "False",
                                None,
                                Some(&format!("Cluster version is {}", p.version())),
                                p.history[0].completed,
                            ),
                        ]),
                    ),
                    (
                        "desired",
                        m([("image", s(img(p.version()))), ("version", s(p.version()))]),
                    ),
                    ("history", V::Seq(history)),
                    ("observedGeneration", i(p.history.len() as i64 + 1)),
                    (
                        "versionHash",
                        s(kube::b64(&self.rng.hex(8).into_bytes())[..11].to_string()),
                    ),
                ]),
            ),
        ])
    }

    fn master_not_ready_msg(&self) -> Option<String> {
        let mut parts = Vec::new();
        for k in 0..3 {
            if let Some(nr) = self.st[k].not_ready_at.filter(|x| *x < self.plan.collected) {
                parts.push(format!("node \"{}\" not ready since {} because NodeStatusUnknown (Kubelet stopped posting node status.)", self.nodes[k].fqdn, t::go_utc(nr)));
            }
        }
        if parts.is_empty() {
            None
        } else {
            Some(format!(
                "NodeControllerDegraded: The master nodes not ready: {}",
                parts.join(", ")
            ))
        }
    }

    fn cluster_operators(&mut self) -> Vec<V> {
        let p = self.plan;
        let done = p.history[0].completed;
        let master_msg = self.master_not_ready_msg();
        let not_ready: Vec<usize> = (0..6)
            .filter(|&k| self.st[k].not_ready_at.is_some_and(|n| n < p.collected))
            .collect();
        let first_nr = not_ready
            .iter()
            .filter_map(|&k| self.st[k].not_ready_at)
            .min();
        let mut out = Vec::new();
        let names = [
            "authentication",
            "dns",
            "etcd",
            "image-registry",
            "ingress",
            "kube-apiserver",
            "kube-controller-manager",
            "machine-config",
            "marketplace",
            "monitoring",
            "network",
            "operator-lifecycle-manager",
        ];
        for name in names {
            let mut degraded = cond("Degraded", "False", Some("AsExpected"), None, done);
            let mut progressing = cond("Progressing", "False", Some("AsExpected"), None, done);
            let available = cond("Available", "True", Some("AsExpected"), None, done);
            if matches!(name, "kube-apiserver" | "kube-controller-manager" | "etcd")
                && let Some(msg) = &master_msg
            {
                let since = (0..3)
                    .filter_map(|k| self.st[k].not_ready_at)
                    .min()
                    .unwrap_or(p.collected);
                degraded = cond(
                    "Degraded",
                    "True",
                    Some("NodeController_MasterNodesReady"),
                    Some(msg),
                    since + 2 * SEC,
                );
            }
            if name == "network"
                && let Some(nr) = first_nr
            {
                let ds = not_ready.len();
                degraded = cond(
                    "Degraded",
                    "True",
                    Some("RolloutHung"),
                    Some(&format!(
                        "DaemonSet \"/openshift-multus/network-metrics-daemon\" rollout is not making progress - last change {}\nDaemonSet \"/openshift-ovn-kubernetes/ovnkube-node\" rollout is not making progress - last change {}",
                        t::rfc3339(nr),
                        t::rfc3339(nr)
                    )),
                    nr + 10 * MIN + 2 * SEC,
                );
                progressing = cond(
                    "Progressing",
                    "True",
                    Some("Deploying"),
                    Some(&format!(
                        "DaemonSet \"/openshift-multus/multus\" is not available (awaiting {ds} nodes)\nDaemonSet \"/openshift-multus/network-metrics-daemon\" is not available (awaiting {ds} nodes)\nDaemonSet \"/openshift-ovn-kubernetes/ovnkube-node\" is not available (awaiting {ds} nodes)"
                    )),
                    nr + 30 * SEC,
                );
            }
            if name == "machine-config"
                && let Story::KubeletClient(kc) = &p.story
            {
                progressing = cond(
                    "Progressing",
                    "False",
                    None,
                    Some(&format!("Cluster version is {}", p.version())),
                    kc.rotation + 5 * MIN,
                );
            }
            let meta = Meta::new(
                &mut self.ids,
                name,
                None,
                p.born - 19 * MIN,
                p.collected - 5 * MIN,
            )
            .annot(
                "include.release.openshift.io/self-managed-high-availability",
                "true",
            )
            .build();
            let conds = vec![
                degraded,
                progressing,
                available,
                cond("Upgradeable", "True", Some("AsExpected"), None, done),
            ];
            out.push(m([
                ("apiVersion", s("config.openshift.io/v1")),
                ("kind", s("ClusterOperator")),
                ("metadata", meta),
                ("spec", empty()),
                (
                    "status",
                    m([
                        ("conditions", V::Seq(conds)),
                        ("extension", V::Null),
                        (
                            "relatedObjects",
                            l(related(name).into_iter().map(|(g, r, n)| {
                                m([("group", s(g)), ("name", s(n)), ("resource", s(r))])
                            })),
                        ),
                        (
                            "versions",
                            l([m([("name", s("operator")), ("version", s(p.version()))])]),
                        ),
                    ]),
                ),
            ]));
        }
        out
    }

    fn kubeapiserver_operator(&mut self) -> V {
        let p = self.plan;
        let meta = Meta::new(
            &mut self.ids,
            "cluster",
            None,
            p.born - 19 * MIN,
            p.collected - 3 * MIN,
        )
        .build();
        let rev = self.rev();
        let mut conds = vec![
            cond(
                "CertRotation_InternalLoadBalancerServing_Degraded",
                "False",
                None,
                None,
                p.born + 9 * MIN,
            ),
            cond(
                "CertRotation_ExternalLoadBalancerServing_Degraded",
                "False",
                None,
                None,
                p.born + 9 * MIN,
            ),
            cond(
                "CertRotation_KubeAPIServerToKubeletClientCert_Degraded",
                "False",
                None,
                None,
                p.born + 9 * MIN,
            ),
        ];
        match self.master_not_ready_msg() {
            Some(msg) => {
                let since = (0..3)
                    .filter_map(|k| self.st[k].not_ready_at)
                    .min()
                    .unwrap_or(p.collected);
                conds.push(cond(
                    "NodeControllerDegraded",
                    "True",
                    Some("MasterNodesReady"),
                    Some(&msg["NodeControllerDegraded: ".len()..]),
                    since + 2 * SEC,
                ));
            }
            None => conds.push(cond(
                "NodeControllerDegraded",
                "False",
                Some("MasterNodesReady"),
                Some("All master nodes are ready"),
                p.born + 20 * MIN,
            )),
        }
        let statuses: Vec<V> = (0..3)
            .map(|k| {
                m([
                    ("currentRevision", i(rev)),
                    ("lastFallbackCount", i(0)),
                    ("nodeName", s(self.nodes[k].fqdn.clone())),
                ])
            })
            .collect();
        m([
            ("apiVersion", s("operator.openshift.io/v1")),
            ("kind", s("KubeAPIServer")),
            ("metadata", meta),
            (
                "spec",
                m([
                    ("logLevel", s("Normal")),
                    ("managementState", s("Managed")),
                    ("operatorLogLevel", s("Normal")),
                ]),
            ),
            (
                "status",
                m([
                    ("conditions", V::Seq(conds)),
                    ("latestAvailableRevision", i(rev)),
                    ("latestAvailableRevisionReason", s("")),
                    ("nodeStatuses", V::Seq(statuses)),
                    ("readyReplicas", i(0)),
                ]),
            ),
        ])
    }

    fn machine_config(&mut self) {
        let p = self.plan;
        let hash = |role: &str, salt: &str| {
            crate::rng::Rng::new(p.seed, &format!("{}{role}{salt}", p.scenario)).hex(32)
        };
        let (paused, worker_old, worker_new) = match &p.story {
            Story::KubeletClient(kc) => (
                Some(kc.paused_since),
                format!("rendered-worker-{}", hash("worker", "")),
                format!("rendered-worker-{}", hash("worker", "new")),
            ),
            _ => (
                None,
                format!("rendered-worker-{}", hash("worker", "")),
                format!("rendered-worker-{}", hash("worker", "")),
            ),
        };
        let master_r = format!("rendered-master-{}", hash("master", ""));
        for (role, rendered_now, target) in [
            ("master", master_r.clone(), master_r.clone()),
            ("worker", worker_old.clone(), worker_new.clone()),
        ] {
            let is_paused = role == "worker" && paused.is_some();
            let meta = Meta::new(
                &mut self.ids,
                role,
                None,
                p.born - 17 * MIN,
                p.collected - 20 * MIN,
            )
            .label(
                &format!("pools.operator.machineconfiguration.openshift.io/{role}"),
                "",
            )
            .build();
            let updated = if is_paused { 0 } else { 3 };
            let conds = if is_paused {
                vec![
                    cond(
                        "Updated",
                        "False",
                        None,
                        None,
                        paused.unwrap_or(p.collected),
                    ),
                    cond(
                        "Updating",
                        "False",
                        None,
                        None,
                        paused.unwrap_or(p.collected),
                    ),
                    cond("Degraded", "False", None, None, p.born + 30 * MIN),
                ]
            } else {
                vec![
                    cond(
                        "Updated",
                        "True",
                        None,
                        Some(&format!("All nodes are updated with {target}")),
                        p.history[0].completed,
                    ),
                    cond("Updating", "False", None, None, p.history[0].completed),
                    cond("Degraded", "False", None, None, p.born + 30 * MIN),
                ]
            };
            let mcp = m([
                ("apiVersion", s("machineconfiguration.openshift.io/v1")),
                ("kind", s("MachineConfigPool")),
                ("metadata", meta),
                (
                    "spec",
                    m([
                        ("configuration", m([("name", s(target.clone()))])),
                        (
                            "machineConfigSelector",
                            m([(
                                "matchLabels",
                                m([("machineconfiguration.openshift.io/role", s(role))]),
                            )]),
                        ),
                        ("paused", b(is_paused)),
                    ]),
                ),
                (
                    "status",
                    m([
                        ("conditions", V::Seq(conds)),
                        ("configuration", m([("name", s(rendered_now.clone()))])),
                        ("degradedMachineCount", i(0)),
                        ("machineCount", i(3)),
                        ("readyMachineCount", i(updated)),
                        ("unavailableMachineCount", i(0)),
                        ("updatedMachineCount", i(updated)),
                    ]),
                ),
            ]);
            self.put(&format!("cluster-scoped-resources/machineconfiguration.openshift.io/machineconfigpools/{role}.yaml"), &mcp);
        }
        // controllerconfig: kubeAPIServerServingCAData is the kube-apiserver-client-ca bundle
        let client_ca = Self::bundle_pem(&self.certs.client_ca(true));
        let root = self.certs.root_ca.pem.clone();
        let mut meta = Meta::new(
            &mut self.ids,
            "machine-config-controller",
            None,
            p.born - 16 * MIN,
            p.collected - HOUR,
        );
        if let Story::ApiInt(r) = &p.story
            && r.propagated
        {
            meta = meta.annot(
                "machineconfiguration.openshift.io/service-ca-rotate",
                "false",
            );
        }
        let meta = meta.build();
        let certs_status: Vec<V> = self
            .certs
            .client_ca(true)
            .iter()
            .map(|c| {
                m([
                    ("bundleFile", s("KubeAPIServerServingCAData")),
                    ("notAfter", s(t::rfc3339(c.not_after))),
                    ("notBefore", s(t::rfc3339(c.not_before))),
                    ("signer", s(format!("CN={}", c.issuer_cn))),
                    ("subject", s(format!("CN={}", c.cn))),
                ])
            })
            .collect();
        let cc = m([
            ("apiVersion", s("machineconfiguration.openshift.io/v1")),
            ("kind", s("ControllerConfig")),
            ("metadata", meta),
            (
                "spec",
                m([
                    ("clusterDNSIP", s("172.30.0.10")),
                    ("ipFamilies", s("IPv4")),
                    (
                        "kubeAPIServerServingCAData",
                        s(kube::b64(client_ca.as_bytes())),
                    ),
                    ("platform", s("aws")),
                    ("rootCAData", s(kube::b64(root.as_bytes()))),
                ]),
            ),
            (
                "status",
                m([
                    ("controllerCertificates", V::Seq(certs_status)),
                    ("observedGeneration", i(17)),
                ]),
            ),
        ]);
        self.put("cluster-scoped-resources/machineconfiguration.openshift.io/controllerconfigs/machine-config-controller.yaml", &cc);
        if let Story::KubeletClient(kc) = &p.story {
            let old = Self::bundle_pem(&self.certs.client_ca(false));
            for (name, bundle, created) in [
                (worker_old.clone(), old, kc.prev_signer + 3 * MIN),
                (
                    worker_new.clone(),
                    client_ca.clone(),
                    kc.rotation + 40 * SEC,
                ),
            ] {
                let meta = Meta::new(&mut self.ids, &name, None, created, created)
                    .annot(
                        "machineconfiguration.openshift.io/generated-by-controller-version",
                        "8e8f0f1d7a0f1f3b3d1c5d9e2f3e1a0b7c6d5e4f",
                    )
                    .annot(
                        "machineconfiguration.openshift.io/release-image-version",
                        p.version(),
                    )
                    .build();
                let file = m([
                    (
                        "contents",
                        m([(
                            "source",
                            s(format!(
                                "data:text/plain;charset=utf-8;base64,{}",
                                kube::b64(bundle.as_bytes())
                            )),
                        )]),
                    ),
                    ("mode", i(420)),
                    ("overwrite", b(true)),
                    ("path", s("/etc/kubernetes/kubelet-ca.crt")),
                ]);
                let mc = m([
                    ("apiVersion", s("machineconfiguration.openshift.io/v1")),
                    ("kind", s("MachineConfig")),
                    ("metadata", meta),
                    (
                        "spec",
                        m([
                            (
                                "config",
                                m([
                                    ("ignition", m([("version", s("3.2.0"))])),
                                    ("storage", m([("files", l([file]))])),
                                ]),
                            ),
                            ("osImageURL", s(self.image.clone())),
                        ]),
                    ),
                ]);
                self.put(&format!("cluster-scoped-resources/machineconfiguration.openshift.io/machineconfigs/{name}.yaml"), &mc);
            }
            self.consumers.push((
                format!("machineconfig/{worker_old} (/etc/kubernetes/kubelet-ca.crt on workers)"),
                false,
            ));
            self.consumers.push((
                "openshift-config-managed/kube-apiserver-client-ca".into(),
                true,
            ));
        }
    }
}

fn related(co: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    match co {
        "kube-apiserver" => vec![
            ("operator.openshift.io", "kubeapiservers", "cluster"),
            ("", "namespaces", "openshift-config"),
            ("", "namespaces", "openshift-config-managed"),
            ("", "namespaces", "openshift-kube-apiserver-operator"),
            ("", "namespaces", "openshift-kube-apiserver"),
        ],
        "kube-controller-manager" => vec![
            ("", "namespaces", "openshift-kube-controller-manager"),
            ("", "namespaces", "kube-system"),
        ],
        "network" => vec![
            ("", "namespaces", "openshift-multus"),
            ("", "namespaces", "openshift-ovn-kubernetes"),
            ("operator.openshift.io", "networks", "cluster"),
        ],
        "machine-config" => vec![
            ("", "namespaces", "openshift-machine-config-operator"),
            (
                "machineconfiguration.openshift.io",
                "machineconfigpools",
                "",
            ),
            ("machineconfiguration.openshift.io", "controllerconfigs", ""),
        ],
        "operator-lifecycle-manager" => {
            vec![("", "namespaces", "openshift-operator-lifecycle-manager")]
        }
        "marketplace" => vec![("", "namespaces", "openshift-marketplace")],
        _ => vec![("", "namespaces", "openshift-cluster-version")],
    }
}

impl B<'_> {
    fn must_gather(&mut self) -> MustGather {
        let p = self.plan;
        let mut rng = self.rng.fork("must-gather");
        let top = format!("must-gather.local.{}", rng.digits(19));
        let image_dir = format!(
            "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-{}",
            rng.hex(64)
        );
        let c = p.collected;
        let dur = 2 * MIN + 17 * SEC + rng.range(0, 30_000) * MS;
        let outer = format!(
            "{}\n{}\n",
            t::go_string(
                c - 1_900 * MS + rng.range(0, 999_999),
                p.zone,
                1_651_641_915
            ),
            t::go_string(
                c + dur + rng.range(0, 999_999),
                p.zone,
                dur + 1_900 * MS + rng.range(0, 999_999)
            )
        );
        let mut inner = String::new();
        let mut x = c + 3 * SEC + rng.range(0, 999_999_999);
        for (n, len) in [6 * SEC, 99 * SEC, SEC].iter().enumerate() {
            let mono0 = 380_233_555 + (n as i64) * 279_596_436;
            inner.push_str(&t::go_string(x, t::UTC, mono0));
            inner.push('\n');
            let y = x + len + rng.range(0, 999_999_999);
            inner.push_str(&t::go_string(y, t::UTC, mono0 + (y - x)));
            inner.push('\n');
            x = y + 650 * MS + rng.range(0, 400_000_000);
        }
        let mut files = std::mem::take(&mut self.files);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut nss = std::mem::take(&mut self.nss);
        nss.sort_by(|a, b| a.name.cmp(&b.name));
        MustGather {
            file_name: "must-gather.tar.gz".into(),
            top,
            image_dir,
            outer_timestamp: outer,
            inner_timestamp: inner,
            files,
            namespaces: nss,
            units: [
                "crio",
                "kubelet",
                "machine-config-daemon-host",
                "NetworkManager",
                "openvswitch",
                "ovs-configuration",
            ]
            .iter()
            .map(ToString::to_string)
            .collect(),
            journal_begins_style: p.journal_begins_style,
            mtime: c + dur + 40 * SEC,
        }
    }

    fn sosreports(&mut self) -> Vec<SosReport> {
        let p = self.plan;
        let mut out = Vec::new();
        for &(k, start) in &p.sos {
            let mut rng = self.rng.fork(&format!("sos{k}"));
            let name = format!(
                "sosreport-{}-{}-{}-{}",
                self.nodes[k].short,
                p.case_id,
                t::ymd(start),
                rng.lower(7)
            );
            out.push(SosReport {
                node: k,
                name,
                start,
                case_id: p.case_id.to_string(),
                sos_version: p.sos_version.to_string(),
                files: Vec::new(),
                journal_since: self.window.min(self.node_boot(k)),
            });
        }
        out
    }
}

/// `ls -alZR /etc/cni` for a node (file mtimes show Multus per-node certificate renewals).
pub fn etc_cni_listing(case: &Case, k: usize) -> String {
    let st = &case.state[k];
    let last = match st.multus_break {
        Some(b0) if b0 < case.plan.collected => b0 - 19 * HOUR - 7 * MIN,
        _ => case.plan.collected - 5 * HOUR - 13 * MIN,
    };
    let ls_t = |x: T| {
        let s = t::date_cmd(x);
        s[4..16].to_string()
    };
    let stamp = {
        let r = t::rfc3339(last);
        format!("{}-{}-{}-{}", &r[0..10], &r[11..13], &r[14..16], &r[17..19])
    };
    let ds = ls_t(case.plan.history[0].completed - 30 * MIN);
    let cs = ls_t(last);
    format!(
        "/etc/cni:\ntotal 0\ndrwxr-xr-x.  4 root root system_u:object_r:etc_t:s0   32 {ds} .\ndrwxr-xr-x. 97 root root system_u:object_r:etc_t:s0 8192 {ds} ..\ndrwxr-xr-x.  3 root root system_u:object_r:etc_t:s0   19 {ds} multus\ndrwxr-xr-x.  2 root root system_u:object_r:etc_t:s0    6 {ds} net.d\n\n/etc/cni/multus:\ntotal 0\ndrwxr-xr-x. 3 root root system_u:object_r:etc_t:s0 19 {ds} .\ndrwxr-xr-x. 4 root root system_u:object_r:etc_t:s0 32 {ds} ..\ndrwxr-xr-x. 2 root root system_u:object_r:etc_t:s0 94 {cs} certs\n\n/etc/cni/multus/certs:\ntotal 4\ndrwxr-xr-x. 2 root root system_u:object_r:etc_t:s0   94 {cs} .\ndrwxr-xr-x. 3 root root system_u:object_r:etc_t:s0   19 {ds} ..\n-rw-------. 1 root root system_u:object_r:etc_t:s0 1183 {cs} multus-client-{stamp}.pem\nlrwxrwxrwx. 1 root root system_u:object_r:etc_t:s0   59 {cs} multus-client-current.pem -> /etc/cni/multus/certs/multus-client-{stamp}.pem\n\n/etc/cni/net.d:\ntotal 0\ndrwxr-xr-x. 2 root root system_u:object_r:etc_t:s0  6 {ds} .\ndrwxr-xr-x. 4 root root system_u:object_r:etc_t:s0 32 {ds} ..\n"
    )
}

/// Give pod-log lines realistic sub-millisecond klog times and CRI timestamps (the `oc` prefix
/// is the CRI-O receive time: a little after the application's own stamp, with nanoseconds).
fn jitter_log(rng: &mut Rng, lines: &mut [(T, String)]) {
    let mut prev: Option<T> = None;
    for (t, line) in lines.iter_mut() {
        let b = line.as_bytes();
        let is_klog = b.len() > 21
            && matches!(b[0], b'I' | b'W' | b'E' | b'F')
            && b[1..5].iter().all(u8::is_ascii_digit)
            && b[5] == b' '
            && b[14] == b'.';
        let is_cont = !is_klog && !b.first().is_some_and(u8::is_ascii_digit);
        if is_klog && &line[18..21] == "000" {
            let add = rng.range(1, 999);
            let us: i64 = line[15..21].parse::<i64>().unwrap_or(0) + add;
            line.replace_range(15..21, &format!("{us:06}"));
            *t += add * 1_000;
        }
        let mut nt = match (is_cont, prev) {
            (true, Some(p)) => p,
            _ => *t + rng.range(20_000, 900_000) + rng.range(0, 999),
        };
        if let Some(p) = prev
            && nt < p
        {
            nt = p + rng.range(1, 999);
        }
        *t = nt;
        prev = Some(nt);
    }
}
