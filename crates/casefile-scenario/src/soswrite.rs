//! Writes a node sosreport (`sosreport-<host>-<case>-<date>-<rand>.tar.xz`).
//!
//! Layout follows sos 4.x on RHCOS as read from the sos plugin source (no public RHCOS sosreport
//! exists): the `openshift` plugin owns the kubelet journal, the `crio` plugin the crio journal,
//! `/etc/kubernetes/*` is copied with `*.crt`/`*.key` forbidden and kubeconfig secrets scrubbed,
//! `sos_reports/manifest.json` maps commands to files, and top-level names are real symlinks.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use crate::archive::{Owner, TarOut};
use crate::mgwrite::header_line;
use crate::model::{Journal, Node, Role, SosReport};
use crate::rng::Rng;
use crate::t::{self, T};
use crate::yaml::{V, b, i, l, ls, m, s, to_json};

const SOS_OWNER: Owner = Owner {
    uid: 0,
    gid: 0,
    user: "root",
    group: "root",
    gnu: false,
};

/// Cluster facts a sosreport needs.
pub struct SosContext<'a> {
    /// All nodes.
    pub nodes: &'a [Node],
    /// `https://api-int.<cluster>.<domain>:6443`.
    pub api_int: &'a str,
    /// Kernel release (`6.6.6-200.fc39.x86_64`).
    pub kernel: &'a str,
    /// `/etc/os-release` text.
    pub os_release: &'a str,
    /// Whether journals use the `-- Journal begins at` header.
    pub journal_begins_style: bool,
    /// `ls -alZR /etc/cni` output.
    pub etc_cni_listing: String,
    /// crictl pods output.
    pub crictl_pods: String,
    /// crictl ps -a output.
    pub crictl_ps: String,
}

/// Extra content for large (benchmark) sosreports; the default adds nothing, so the committed
/// cases are unchanged.
#[derive(Default)]
pub struct SosBulk {
    /// Replaces the `journalctl --no-pager --unit kubelet` output.
    pub kubelet_journal: Option<String>,
    /// Replaces the `journalctl --no-pager --unit crio` output.
    pub crio_journal: Option<String>,
    /// Further commands, run after the standard ones: (plugin, command, tags, output).
    pub cmds: Vec<(&'static str, String, Vec<&'static str>, String)>,
    /// Further copied files: (plugin, path under the report root, content).
    pub files: Vec<(&'static str, String, String)>,
    /// xz preset (default 6, the committed cases; sos itself writes preset 3).
    pub xz_preset: Option<u32>,
}

struct Cmd {
    plugin: &'static str,
    exec: String,
    file: String,
    start: T,
    end: T,
    tags: Vec<String>,
}

/// sos name mangling: spaces to `_`, `/` to `.`.
pub fn mangle(exec: &str) -> String {
    exec.split(' ')
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .replace('/', ".")
}

fn short_stream(j: &Journal, begins_style: bool, since: T, until: T) -> String {
    let entries: Vec<_> = j
        .entries
        .iter()
        .filter(|e| e.t >= since && e.t <= until)
        .collect();
    let mut out = String::new();
    let start = j.entries.first().map_or(since, |e| e.t);
    out.push_str(&header_line(begins_style, start, until));
    out.push('\n');
    if entries.is_empty() {
        out.push_str("-- No entries --\n");
        return out;
    }
    let first = entries[0].t;
    let mut marks = j.boot_marks.iter().filter(|b| b.0 > first).peekable();
    for e in entries {
        while let Some(bm) = marks.peek() {
            if bm.0 <= e.t {
                let _ = writeln!(out, "-- Boot {} --", bm.1);
                marks.next();
            } else {
                break;
            }
        }
        let prefix = format!(
            "{} {} {}[{}]: ",
            t::journal_short(e.t),
            e.host,
            e.ident,
            e.pid
        );
        for part in e.msg.split('\n') {
            out.push_str(&prefix);
            out.push_str(part);
            out.push('\n');
        }
    }
    out
}

/// Scrub kubeconfig-like text the way the sos `openshift` plugin does for `/etc/kubernetes/*`.
pub fn scrub_kube(text: &str) -> String {
    const FIELDS: &[&str] = &[
        "client-certificate-data",
        "client-key-data",
        "certificate-authority-data",
        "token",
    ];
    let mut o = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let key = trimmed.split(':').next().unwrap_or("");
        let hit = trimmed.contains(':')
            && (FIELDS.contains(&key) || key.ends_with(".crt") || key.ends_with(".key"));
        if hit {
            let indent = &line[..line.len() - trimmed.len()];
            let _ = writeln!(o, "{indent}{key}: *******");
        } else {
            o.push_str(line);
            o.push('\n');
        }
    }
    o
}

/// Write one sosreport archive into `dir` (with `bulk` content, if any); returns the file name.
pub fn write_sos(
    dir: &Path,
    rep: &SosReport,
    ctx: &SosContext<'_>,
    rng: &mut Rng,
    bulk: SosBulk,
) -> Result<String> {
    let node = &ctx.nodes[rep.node];
    let file_name = format!("{}.tar.xz", rep.name);
    let mut tar = TarOut::xz_preset(
        &dir.join(&file_name),
        t::unix(rep.start + 4 * t::MIN) as u64,
        SOS_OWNER,
        bulk.xz_preset.unwrap_or(6),
    )?;
    let top = rep.name.clone();
    let mut now = rep.start + 9 * t::SEC;
    let mut cmds: Vec<Cmd> = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();

    let mut run = |plugin: &'static str,
                   exec: &str,
                   tags: &[&str],
                   out: String,
                   now: &mut T,
                   rng: &mut Rng| {
        let start = *now;
        let dur = 20 * t::MS + rng.range(0, 400) * t::MS;
        *now += dur + rng.range(1, 30) * t::MS;
        let file = format!("sos_commands/{plugin}/{}", mangle(exec));
        files.push((file.clone(), out));
        cmds.push(Cmd {
            plugin,
            exec: exec.to_string(),
            file,
            start,
            end: start + dur,
            tags: tags.iter().map(ToString::to_string).collect(),
        });
    };

    let until = rep.start;
    let kubelet_journal = bulk.kubelet_journal.unwrap_or_else(|| {
        short_stream(
            &node.kubelet,
            ctx.journal_begins_style,
            rep.journal_since,
            until,
        )
    });
    let crio_journal = bulk.crio_journal.unwrap_or_else(|| {
        short_stream(
            &node.crio,
            ctx.journal_begins_style,
            rep.journal_since,
            until,
        )
    });
    let uname = format!(
        "Linux {} {} #1 SMP PREEMPT_DYNAMIC Sat Dec 16 00:00:00 UTC 2023 x86_64 x86_64 x86_64 GNU/Linux\n",
        node.short, ctx.kernel
    );
    run(
        "crio",
        "crictl ps -a",
        &["crictl_ps"],
        ctx.crictl_ps.clone(),
        &mut now,
        rng,
    );
    run(
        "crio",
        "crictl pods",
        &["crictl_pods"],
        ctx.crictl_pods.clone(),
        &mut now,
        rng,
    );
    run(
        "crio",
        "ls -alZR /etc/cni",
        &[],
        ctx.etc_cni_listing.clone(),
        &mut now,
        rng,
    );
    run(
        "crio",
        "journalctl --no-pager  --unit crio",
        &["journalctl", "journal_crio"],
        crio_journal,
        &mut now,
        rng,
    );
    run(
        "date",
        "date",
        &["date"],
        format!("{}\n", t::date_cmd(now)),
        &mut now,
        rng,
    );
    run(
        "date",
        "date --utc",
        &["date"],
        format!("{}\n", t::date_cmd(now)),
        &mut now,
        rng,
    );
    run(
        "host",
        "hostname",
        &["hostname"],
        format!("{}\n", node.short),
        &mut now,
        rng,
    );
    let up_days = 0;
    run(
        "host",
        "uptime",
        &["uptime"],
        format!(
            " {}  up {up_days} days,  3:1{} ,  0 users,  load average: 1.{:02}, 0.9{}, 0.8{}\n",
            &t::rfc3339(now)[11..19],
            rng.range(0, 9),
            rng.range(0, 99),
            rng.range(0, 9),
            rng.range(0, 9)
        ),
        &mut now,
        rng,
    );
    run("kernel", "uname -a", &["uname"], uname, &mut now, rng);
    run(
        "memory",
        "free",
        &["free"],
        format!(
            "               total        used        free      shared  buff/cache   available\n\
             Mem:        32863240    {:>8}     {:>7}       52104    {:>8}    {:>8}\n\
             Swap:              0           0           0\n",
            9_000_000 + rng.range(0, 3_000_000),
            4_000_000 + rng.range(0, 2_000_000),
            15_000_000 + rng.range(0, 2_000_000),
            21_000_000 + rng.range(0, 2_000_000)
        ),
        &mut now,
        rng,
    );
    run(
        "networking",
        "ip -o addr",
        &["ip_addr"],
        format!(
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n\
             2: ens5    inet {}/18 brd 10.0.63.255 scope global dynamic noprefixroute ens5\\       valid_lft 2973sec preferred_lft 2973sec\n\
             5: br-ex    inet {}/18 brd 10.0.63.255 scope global dynamic noprefixroute br-ex\\       valid_lft 2973sec preferred_lft 2973sec\n",
            node.ip, node.ip
        ),
        &mut now,
        rng,
    );
    let (kpid, cpid) = service_pids(node);
    run(
        "openshift",
        "journalctl --no-pager  --unit kubelet",
        &["journalctl", "journal_kubelet"],
        kubelet_journal,
        &mut now,
        rng,
    );
    let active_since = node
        .kubelet
        .entries
        .iter()
        .rev()
        .find(|e| e.ident == "systemd")
        .map_or(rep.journal_since, |e| e.t);
    run(
        "openshift",
        "systemctl status kubelet",
        &["systemctl"],
        format!(
            "\u{25cf} kubelet.service - Kubernetes Kubelet\n     Loaded: loaded (/etc/systemd/system/kubelet.service; enabled; preset: disabled)\n    Drop-In: /etc/systemd/system/kubelet.service.d\n             \u{2514}\u{2500}01-kubens.conf, 10-mco-default-env.conf, 10-mco-default-madv.conf, 20-logging.conf, 20-nodenet.conf\n     Active: active (running) since {}; {} ago\n   Main PID: {kpid} (kubelet)\n      Tasks: 31 (limit: 201226)\n     Memory: 187.4M\n        CPU: 1h 2min 11.514s\n     CGroup: /system.slice/kubelet.service\n             \u{2514}\u{2500}{kpid} /usr/bin/kubelet --config=/etc/kubernetes/kubelet.conf --bootstrap-kubeconfig=/etc/kubernetes/kubeconfig --kubeconfig=/var/lib/kubelet/kubeconfig --container-runtime-endpoint=/var/run/crio/crio.sock --runtime-cgroups=/system.slice/crio.service --node-labels=node-role.kubernetes.io/{},node.openshift.io/os_id=rhcos --node-ip={} --minimum-container-ttl-duration=6m0s --volume-plugin-dir=/etc/kubernetes/kubelet-plugins/volume/exec --cloud-provider=external --hostname-override= --provider-id= --pod-infra-container-image=quay.io/openshift/okd-content@sha256:4c1fa8a2dc4a8f0ff6a6fc8cc6a9ec8a3bc3aa3d7ad17ffdb8c1ab7d4f6e2bc9 --system-reserved=cpu=500m,memory=1Gi,ephemeral-storage=1Gi --v=2\n",
            t::journal_header_time(active_since),
            ago(now - active_since),
            if node.role == Role::Master {
                "master"
            } else {
                "worker"
            },
            node.ip
        ),
        &mut now,
        rng,
    );
    let ps = format!(
        "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n\
         root           1  0.1  0.0 172436 17236 ?        Ss   {0}   1:58 /usr/lib/systemd/systemd --switched-root --system --deserialize 28\n\
         root        {cpid}  2.1  0.4 4137164 151220 ?      Ssl  {0}  31:12 /usr/bin/crio\n\
         root        {kpid}  4.3  0.6 3208620 203144 ?      Ssl  {0}  62:11 /usr/bin/kubelet --config=/etc/kubernetes/kubelet.conf --bootstrap-kubeconfig=/etc/kubernetes/kubeconfig --kubeconfig=/var/lib/kubelet/kubeconfig\n",
        &t::rfc3339(active_since)[11..16]
    );
    run("process", "ps auxwww", &["ps"], ps, &mut now, rng);
    for (plugin, exec, tags, out) in bulk.cmds {
        run(plugin, &exec, &tags, out, &mut now, rng);
    }

    // copied files
    let kubeconfig = format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n    server: {}\n  name: local\ncontexts:\n- context:\n    cluster: local\n    user: kubelet\n  name: kubelet\ncurrent-context: kubelet\nkind: Config\npreferences: {{}}\nusers:\n- name: kubelet\n  user:\n    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9\n",
        ctx.api_int
    );
    let kubelet_conf = "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    cacheTTL: 0s\n  x509:\n    clientCAFile: /etc/kubernetes/kubelet-ca.crt\nauthorization:\n  webhook:\n    cacheAuthorizedTTL: 0s\n    cacheUnauthorizedTTL: 0s\ncgroupDriver: systemd\nclusterDNS:\n- 172.30.0.10\nclusterDomain: cluster.local\ncontainerLogMaxSize: 50Mi\nenableSystemLogQuery: true\nkind: KubeletConfiguration\nmaxPods: 250\nrotateCertificates: true\nserializeImagePulls: false\nserverTLSBootstrap: true\nstaticPodPath: /etc/kubernetes/manifests\nsystemReserved:\n  cpu: 500m\n  ephemeral-storage: 1Gi\n  memory: 1Gi\ntlsCipherSuites:\n- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\ntlsMinVersion: VersionTLS12\n";
    let mut copied: Vec<(&'static str, String, String)> = vec![
        (
            "openshift",
            "etc/kubernetes/kubeconfig".into(),
            scrub_kube(&kubeconfig),
        ),
        (
            "openshift",
            "etc/kubernetes/kubelet.conf".into(),
            scrub_kube(kubelet_conf),
        ),
        ("host", "etc/hostname".into(), format!("{}\n", node.short)),
        (
            "release",
            "etc/os-release".into(),
            ctx.os_release.to_string(),
        ),
    ];
    if node.role == Role::Master {
        let host = ctx
            .api_int
            .trim_start_matches("https://")
            .trim_end_matches(":6443");
        copied.push((
            "openshift",
            "etc/kubernetes/apiserver-url.env".into(),
            format!("KUBERNETES_SERVICE_HOST='{host}'\nKUBERNETES_SERVICE_PORT='6443'\n"),
        ));
    }
    for (p, c) in &rep.files {
        copied.push(("openshift", p.clone(), c.clone()));
    }
    copied.extend(bulk.files);

    tar.file(
        &format!("{top}/version.txt"),
        format!("sosreport: {}", rep.sos_version).as_bytes(),
    )?;
    tar.file(
        &format!("{top}/environment"),
        b"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin\nTERM=xterm-256color\nHOSTNAME=\n",
    )?;
    for (p, c) in &files {
        tar.file(&format!("{top}/{p}"), c.as_bytes())?;
    }
    for (_, p, c) in &copied {
        tar.file(&format!("{top}/{p}"), c.as_bytes())?;
    }
    let mut loaded: Vec<&str> = cmds
        .iter()
        .map(|c| c.plugin)
        .chain(copied.iter().map(|c| c.0))
        .collect();
    loaded.sort_unstable();
    loaded.dedup();
    let sos_log = format!(
        "{} INFO: [sos.report:setup] executing 'sos report --batch --case-id {} --all-logs'\n{} INFO: [sos.report:setup] loaded plugins: {}\n{} INFO: [sos.report:collect] finished collecting plugins\n",
        t::sos_time(rep.start).replace('.', ","),
        rep.case_id,
        t::sos_time(rep.start + 2 * t::SEC).replace('.', ","),
        loaded.join(", "),
        t::sos_time(now).replace('.', ",")
    );
    tar.file(&format!("{top}/sos_logs/sos.log"), sos_log.as_bytes())?;
    tar.file(
        &format!("{top}/sos_logs/ui.log"),
        format!(
            "{} INFO: Your sos report has been generated and saved in:\n\t/var/tmp/{}.tar.xz\n",
            t::sos_time(now).replace('.', ","),
            rep.name
        )
        .as_bytes(),
    )?;
    let manifest = manifest(rep, &cmds, &copied, now);
    tar.file(
        &format!("{top}/sos_reports/manifest.json"),
        to_json(&manifest, 4).as_bytes(),
    )?;
    for (link, target) in [
        ("date", "sos_commands/date/date"),
        ("free", "sos_commands/memory/free"),
        ("hostname", "sos_commands/host/hostname"),
        ("ip_addr", "sos_commands/networking/ip_-o_addr"),
        ("ps", "sos_commands/process/ps_auxwww"),
        ("uname", "sos_commands/kernel/uname_-a"),
        ("uptime", "sos_commands/host/uptime"),
    ] {
        tar.symlink(&format!("{top}/{link}"), target)?;
    }
    tar.finish()?;
    Ok(file_name)
}

fn manifest(rep: &SosReport, cmds: &[Cmd], copied: &[(&'static str, String, String)], end: T) -> V {
    let mut plugin_names: Vec<&str> = cmds
        .iter()
        .map(|c| c.plugin)
        .chain(copied.iter().map(|c| c.0))
        .collect();
    plugin_names.sort_unstable();
    plugin_names.dedup();
    let mut plugins = Vec::new();
    for p in plugin_names {
        let pc: Vec<&Cmd> = cmds.iter().filter(|c| c.plugin == p).collect();
        let st = pc.first().map_or(rep.start + 8 * t::SEC, |c| c.start);
        let en = pc.last().map_or(st + 2 * t::MS, |c| c.end);
        let commands: Vec<V> = pc
            .iter()
            .map(|c| {
                let mut parts = c.exec.split(' ');
                let command = parts.next().unwrap_or("").to_string();
                let params: Vec<String> = parts.map(ToString::to_string).collect();
                m([
                    ("command", s(command)),
                    ("parameters", ls(params)),
                    ("exec", s(c.exec.clone())),
                    ("filepath", s(c.file.clone())),
                    ("truncated", b(false)),
                    ("return_code", i(0)),
                    ("priority", i(10)),
                    ("start_time", V::Raw(format!("{}", t::unix_f64(c.start)))),
                    ("end_time", V::Raw(format!("{}", t::unix_f64(c.end)))),
                    (
                        "run_time",
                        V::Raw(format!("{}", (c.end - c.start) as f64 / 1e9)),
                    ),
                    ("tags", ls(c.tags.clone())),
                ])
            })
            .collect();
        let filesv: Vec<V> = copied
            .iter()
            .filter(|c| c.0 == p)
            .map(|c| {
                m([
                    ("specification", s(format!("/{}", c.1))),
                    ("files_copied", ls([c.1.clone()])),
                    ("tags", l([])),
                ])
            })
            .collect();
        plugins.push((
            p.to_string(),
            m([
                ("start_time", s(t::sos_time(st))),
                ("end_time", s(t::sos_time(en))),
                ("run_time", s(run_time(en - st))),
                ("setup_start", s(t::sos_time(rep.start + 3 * t::SEC))),
                (
                    "setup_end",
                    s(t::sos_time(rep.start + 3 * t::SEC + 4 * t::MS)),
                ),
                ("setup_time", s(run_time(4 * t::MS))),
                ("timeout_hit", b(false)),
                ("commands", l(commands)),
                ("files", l(filesv)),
            ]),
        ));
    }
    m([
        ("version", s(rep.sos_version.clone())),
        (
            "cmdline",
            s(format!(
                "report --batch --case-id {} --all-logs",
                rep.case_id
            )),
        ),
        ("start_time", s(t::sos_time(rep.start))),
        ("end_time", s(t::sos_time(end))),
        ("run_time", s(run_time(end - rep.start))),
        ("compression", s("auto")),
        ("policy", s("Red Hat CoreOS")),
        (
            "components",
            m([(
                "report",
                m([
                    ("sysroot", s("/host")),
                    ("preset", s("none")),
                    ("profiles", l([])),
                    ("devices", m([("block", ls(["nvme0n1"])), ("fibre", l([]))])),
                    ("enabled_plugins", l([])),
                    ("disabled_plugins", l([])),
                    ("plugins", V::Map(plugins)),
                ]),
            )]),
        ),
    ])
}

fn run_time(d: T) -> String {
    let secs = d / t::SEC;
    format!(
        "{}:{:02}:{:02}.{:06}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60,
        (d % t::SEC) / 1000
    )
}

fn ago(d: T) -> String {
    let mins = d / t::MIN;
    if mins >= 24 * 60 {
        format!("{}d {}h", mins / (24 * 60), (mins / 60) % 24)
    } else if mins >= 60 {
        format!("{}h {}min", mins / 60, mins % 60)
    } else {
        format!("{mins}min {}s", (d / t::SEC) % 60)
    }
}

/// The pids of the node's kubelet and crio processes, as their journals last show them.
pub(crate) fn service_pids(node: &Node) -> (u32, u32) {
    let kubelet = node
        .kubelet
        .entries
        .iter()
        .rev()
        .find(|e| e.ident != "systemd")
        .map_or(2650, |e| e.pid);
    let crio = node
        .crio
        .entries
        .iter()
        .rev()
        .find(|e| e.ident == "crio")
        .map_or(1288, |e| e.pid);
    (kubelet, crio)
}
