//! Text of individual log lines: kubelet (klog, structured and printf), CRI-O (logrus), Multus,
//! operators. Error strings follow incident.md §5 templates.

use crate::rng::Rng;
use crate::t::{self, T};

/// x509 failure as Go ≥ 1.20 clients print it.
pub const X509: &str =
    "tls: failed to verify certificate: x509: certificate signed by unknown authority";

/// A pod reference used in log lines.
#[derive(Clone, Debug)]
pub struct PodRef {
    /// Namespace.
    pub ns: String,
    /// Name.
    pub name: String,
    /// UID.
    pub uid: String,
    /// Container names.
    pub containers: Vec<String>,
}

/// Escape for a klog structured value (`err="…"`): backslash and quote.
pub fn esc(x: &str) -> String {
    x.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The multus-shim CNI config bytes as CNI args print them (`StdinData:[123 34 …]`).
pub fn stdin_data() -> String {
    let conf = "{\"binDir\":\"/var/lib/cni/bin\",\"clusterNetwork\":\"/host/run/multus/cni/net.d/10-ovn-kubernetes.conf\",\
\"cniVersion\":\"0.3.1\",\"daemonSocketDir\":\"/run/multus/socket\",\"globalNamespaces\":\"default,openshift-multus,openshift-sriov-network-operator\",\
\"logLevel\":\"verbose\",\"logToStderr\":true,\"name\":\"multus-cni-network\",\"namespaceIsolation\":true,\"type\":\"multus-shim\"}";
    conf.bytes()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sandbox ids of one attempt.
pub struct Attempt {
    /// 64-hex sandbox id.
    pub sandbox: String,
    /// netns uuid.
    pub netns: String,
    /// CRI request id.
    pub req: String,
}

impl Attempt {
    /// New ids.
    pub fn new(rng: &mut Rng) -> Self {
        Self {
            sandbox: rng.hex(64),
            netns: rng.uuid(),
            req: rng.uuid(),
        }
    }
}

/// The Multus error for a pod whose API lookups fail TLS verification.
pub fn multus_wait_err(p: &PodRef, api_int: &str) -> String {
    format!(
        "Multus: [{}/{}/{}]: error waiting for pod: Get \"{api_int}/api/v1/namespaces/{}/pods/{}?timeout=1m0s\": {X509}",
        p.ns, p.name, p.uid, p.ns, p.name
    )
}

/// `CNI request failed with status 400: '&{…} ERRORED: …'` as the shim reports it.
pub fn shim_err(p: &PodRef, a: &Attempt, api_int: &str) -> String {
    format!(
        "CNI request failed with status 400: '&{{ContainerID:{sb} Netns:/var/run/netns/{ns} IfName:eth0 Args:IgnoreUnknown=1;K8S_POD_NAMESPACE={pns};K8S_POD_NAME={pn};K8S_POD_INFRA_CONTAINER_ID={sb};K8S_POD_UID={uid} Path: StdinData:[{sd}]}} ERRORED: error configuring pod [{pns}/{pn}] networking: {me}\n'",
        sb = a.sandbox,
        ns = a.netns,
        pns = p.ns,
        pn = p.name,
        uid = p.uid,
        sd = stdin_data(),
        me = multus_wait_err(p, api_int)
    )
}

/// The runtime error text (`rpc error: … failed to create pod network sandbox …`).
pub fn sandbox_rpc_err(p: &PodRef, a: &Attempt, api_int: &str) -> String {
    format!(
        "rpc error: code = Unknown desc = failed to create pod network sandbox k8s_{pn}_{pns}_{uid}_0({sb}): error adding pod {pns}_{pn} to CNI network \"multus-cni-network\": plugin type=\"multus-shim\" name=\"multus-cni-network\" failed (add): CmdAdd (shim): {shim}",
        pn = p.name,
        pns = p.ns,
        uid = p.uid,
        sb = a.sandbox,
        shim = shim_err(p, a, api_int)
    )
}

/// `FailedCreatePodSandBox` event message.
pub fn sandbox_event_msg(p: &PodRef, a: &Attempt, api_int: &str) -> String {
    format!(
        "Failed to create pod sandbox: {}",
        sandbox_rpc_err(p, a, api_int)
    )
}

/// Kubelet lines of one failed sandbox attempt (klog messages without header, file:line).
pub fn kubelet_sandbox_failure(
    p: &PodRef,
    a: &Attempt,
    api_int: &str,
) -> Vec<(char, &'static str, String)> {
    let e = esc(&sandbox_rpc_err(p, a, api_int));
    let pod = format!("{}/{}", p.ns, p.name);
    let inner = format!(
        "Failed to create sandbox for pod \"{}_{}({})\": {}",
        p.name,
        p.ns,
        p.uid,
        sandbox_rpc_err(p, a, api_int)
    );
    vec![
        (
            'E',
            "remote_runtime.go:193",
            format!("\"RunPodSandbox from runtime service failed\" err=\"{e}\""),
        ),
        (
            'E',
            "kuberuntime_sandbox.go:72",
            format!("\"Failed to create sandbox for pod\" err=\"{e}\" pod=\"{pod}\""),
        ),
        (
            'E',
            "kuberuntime_manager.go:1172",
            format!("\"CreatePodSandbox for pod failed\" err=\"{e}\" pod=\"{pod}\""),
        ),
        (
            'E',
            "pod_workers.go:1300",
            format!(
                "\"Error syncing pod, skipping\" err=\"{}\" pod=\"{pod}\" podUID=\"{}\"",
                esc(&format!(
                    "failed to \"CreatePodSandbox\" for \"{}_{}({})\" with CreatePodSandboxError: \"{}\"",
                    p.name,
                    p.ns,
                    p.uid,
                    esc(&inner)
                )),
                p.uid
            ),
        ),
    ]
}

/// Kubelet lines when a pod is added and its volumes mounted.
pub fn kubelet_pod_add(p: &PodRef, vol: &str) -> Vec<(char, &'static str, String)> {
    let pod = format!("{}/{}", p.ns, p.name);
    vec![
        (
            'I',
            "kubelet.go:2423",
            format!("\"SyncLoop ADD\" source=\"api\" pods=[\"{pod}\"]"),
        ),
        (
            'I',
            "topology_manager.go:215",
            format!(
                "\"Topology Admit Handler\" podUID=\"{}\" podNamespace=\"{}\" podName=\"{}\"",
                p.uid, p.ns, p.name
            ),
        ),
        (
            'I',
            "reconciler_common.go:258",
            format!(
                "\"operationExecutor.VerifyControllerAttachedVolume started for volume \\\"{vol}\\\" (UniqueName: \\\"kubernetes.io/projected/{uid}-{vol}\\\") pod \\\"{n}\\\" (UID: \\\"{uid}\\\") \" pod=\"{pod}\"",
                uid = p.uid,
                n = p.name
            ),
        ),
        (
            'I',
            "operation_generator.go:721",
            format!(
                "\"MountVolume.SetUp succeeded for volume \\\"{vol}\\\" (UniqueName: \\\"kubernetes.io/projected/{uid}-{vol}\\\") pod \\\"{n}\\\" (UID: \\\"{uid}\\\") \" pod=\"{pod}\"",
                uid = p.uid,
                n = p.name
            ),
        ),
        (
            'I',
            "util.go:30",
            format!("\"No sandbox for pod can be found. Need to start a new one\" pod=\"{pod}\""),
        ),
    ]
}

/// Kubelet PLEG line for a started container.
pub fn kubelet_started(p: &PodRef, id: &str) -> (char, &'static str, String) {
    (
        'I',
        "kubelet.go:2461",
        format!(
            "\"SyncLoop (PLEG): event for pod\" pod=\"{}/{}\" event={{\"ID\":\"{}\",\"Type\":\"ContainerStarted\",\"Data\":\"{id}\"}}",
            p.ns, p.name, p.uid
        ),
    )
}

/// A CRI-O logrus line.
pub fn crio(t: T, level: &str, msg: &str, extra: &str) -> String {
    if extra.is_empty() {
        format!(
            "time=\"{}\" level={level} msg=\"{}\"",
            t::crio_time(t),
            esc(msg)
        )
    } else {
        format!(
            "time=\"{}\" level={level} msg=\"{}\" {extra}",
            t::crio_time(t),
            esc(msg)
        )
    }
}

/// `Got pod network &{…}` text.
pub fn got_pod_network(p: &PodRef, a: &Attempt) -> String {
    format!(
        "Got pod network &{{Name:{} Namespace:{} ID:{} UID:{} NetNS:/var/run/netns/{} Networks:[] RuntimeConfig:map[multus-cni-network:{{IP: MAC: PortMappings:[] Bandwidth:<nil> IpRanges:[] CgroupPath:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{}.slice PodAnnotations:0xc0009a2e88}}] Aliases:map[]}}",
        p.name,
        p.ns,
        a.sandbox,
        p.uid,
        a.netns,
        p.uid.replace('-', "_")
    )
}

/// A Go client-go `Event(...)` klog message (without header).
#[allow(clippy::too_many_arguments)]
pub fn event_klog(
    kind: &str,
    ns: &str,
    name: &str,
    uid: &str,
    api: &str,
    rv: &str,
    type_: &str,
    reason: &str,
    msg: &str,
) -> String {
    format!(
        "Event(v1.ObjectReference{{Kind:\"{kind}\", Namespace:\"{ns}\", Name:\"{name}\", UID:\"{uid}\", APIVersion:\"{api}\", ResourceVersion:\"{rv}\", FieldPath:\"\"}}): type: '{type_}' reason: '{reason}' {msg}"
    )
}

/// Background kubelet chatter for a node: (level, file:line, message).
pub fn kubelet_noise(
    rng: &mut Rng,
    pods: &[PodRef],
    master: bool,
    fqdn: &str,
    api_int: &str,
    now: T,
) -> Vec<(char, &'static str, String)> {
    let p = rng.pick(pods).clone();
    let c = rng.pick(&p.containers).clone();
    match rng.below(11) {
        10 => vec![('E', "kubelet_node_status.go:540", status_patch_timeout(rng, fqdn, api_int, now))],
        0 if master => vec![(
            'I',
            "kubelet_getters.go:187",
            format!("\"Pod status updated\" pod=\"openshift-etcd/etcd-{fqdn}\" status=\"Running\""),
        )],
        1 => {
            let id = rng.hex(64);
            vec![(
                'W',
                "manager.go:1169",
                format!(
                    "Failed to process watch event {{EventType:0 Name:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{}.slice/crio-{id}.scope WatchSource:0}}: Error finding container {id}: Status 404 returned error can't find the container with id {id}",
                    p.uid.replace('-', "_")
                ),
            )]
        }
        2 => vec![(
            'E',
            "cadvisor_stats_provider.go:501",
            "\"Partial failure issuing cadvisor.ContainerInfoV2\" err=\"partial failures: [\\\"/system.slice/rpm-ostreed.service\\\": RecentStats: unable to find data in memory cache]\"".to_string(),
        )],
        3 => vec![
            (
                'I',
                "prober.go:107",
                format!(
                    "\"Probe failed\" probeType=\"Readiness\" pod=\"{}/{}\" podUID=\"{}\" containerName=\"{c}\" probeResult=\"failure\" output=\"Get \\\"https://10.{}.{}.{}:8443/healthz\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"",
                    p.ns,
                    p.name,
                    p.uid,
                    128 + rng.below(4),
                    rng.below(8),
                    2 + rng.below(200)
                ),
            ),
            ('I', "kubelet.go:2536", format!("\"SyncLoop (probe)\" probe=\"readiness\" status=\"\" pod=\"{}/{}\"", p.ns, p.name)),
        ],
        4 => vec![('I', "kubelet.go:2536", format!("\"SyncLoop (probe)\" probe=\"readiness\" status=\"ready\" pod=\"{}/{}\"", p.ns, p.name))],
        5 => vec![(
            'I',
            "kubelet.go:2429",
            format!("\"SyncLoop UPDATE\" source=\"api\" pods=[\"{}/{}\"]", p.ns, p.name),
        )],
        6 => vec![('I', "container_gc.go:88", "\"Attempting to delete unused containers\"".to_string())],
        7 => vec![(
            'I',
            "image_gc_manager.go:343",
            format!("\"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold\" usage=86 highThreshold=85 amountToFree={} lowThreshold=80", 6_000_000_000 + rng.below(2_000_000_000)),
        )],
        8 => vec![(
            'I',
            "log.go:194",
            format!("http: TLS handshake error from 10.0.{}.{}:{}: EOF", rng.below(96), 2 + rng.below(250), 30_000 + rng.below(30_000)),
        )],
        _ => vec![(
            'I',
            "scope.go:117",
            format!("\"RemoveContainer\" containerID=\"{}\"", rng.hex(64)),
        )],
    }
}

/// kubelet flag dump and startup lines (short form of the real ~150-line block).
pub fn kubelet_startup(
    fqdn: &str,
    ip: &str,
    kube_version: &str,
    master: bool,
    crio_version: &str,
) -> Vec<(char, &'static str, String)> {
    let role = if master { "master" } else { "worker" };
    let mut v: Vec<(char, &'static str, String)> = vec![
        (' ', "", "Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.".to_string()),
        (' ', "", "Flag --minimum-container-ttl-duration has been deprecated, Use --eviction-hard or --eviction-soft instead. Will be removed in a future version.".to_string()),
        (' ', "", "Flag --volume-plugin-dir has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.".to_string()),
    ];
    for (k, val) in [
        ("--address", "0.0.0.0"),
        ("--bootstrap-kubeconfig", "/etc/kubernetes/kubeconfig"),
        ("--cert-dir", "/var/lib/kubelet/pki"),
        ("--cloud-provider", "external"),
        ("--config", "/etc/kubernetes/kubelet.conf"),
        ("--container-runtime-endpoint", "/var/run/crio/crio.sock"),
        ("--hostname-override", ""),
        ("--kubeconfig", "/var/lib/kubelet/kubeconfig"),
        ("--node-ip", ip),
        (
            "--node-labels",
            &format!("node-role.kubernetes.io/{role},node.openshift.io/os_id=rhcos"),
        ),
        ("--rotate-certificates", "false"),
        ("--v", "2"),
    ] {
        v.push(('I', "flags.go:64", format!("FLAG: {k}=\"{val}\"")));
    }
    v.extend([
        ('I', "server.go:487", format!("\"Kubelet version\" kubeletVersion=\"{kube_version}\"")),
        ('I', "server.go:489", "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"".to_string()),
        ('I', "server.go:895", "\"Client rotation is on, will bootstrap in background\"".to_string()),
        ('I', "certificate_store.go:130", "Loading cert/key pair from \"/var/lib/kubelet/pki/kubelet-client-current.pem\".".to_string()),
        ('I', "server.go:952", "\"Starting client certificate rotation\"".to_string()),
        ('I', "certificate_manager.go:356", "kubernetes.io/kube-apiserver-client-kubelet: Certificate rotation is enabled".to_string()),
        ('I', "dynamic_cafile_content.go:157", "\"Starting controller\" name=\"client-ca-bundle::/etc/kubernetes/kubelet-ca.crt\"".to_string()),
        ('I', "kubelet.go:393", "\"Attempting to sync node with API server\"".to_string()),
        ('I', "kubelet.go:298", "\"Adding static pod path\" path=\"/etc/kubernetes/manifests\"".to_string()),
        ('I', "kuberuntime_manager.go:258", format!("\"Container runtime initialized\" containerRuntime=\"cri-o\" version=\"{crio_version}\" apiVersion=\"v1\"")),
        ('I', "server.go:1256", "\"Started kubelet\"".to_string()),
        ('I', "kubelet_node_status.go:70", format!("\"Attempting to register node\" node=\"{fqdn}\"")),
    ]);
    v
}

/// Kubelet lines of a failed API call burst (status update / lease / register).
pub fn kubelet_api_failure(
    fqdn: &str,
    api_int: &str,
    register: bool,
    k: u64,
) -> Vec<(char, &'static str, String)> {
    let mut v = Vec::new();
    if register {
        v.push((
            'E',
            "kubelet_node_status.go:96",
            format!("\"Unable to register node with API server\" err=\"Post \\\"{api_int}/api/v1/nodes\\\": {X509}\" node=\"{fqdn}\""),
        ));
        v.push((
            'I',
            "kubelet_node_status.go:70",
            format!("\"Attempting to register node\" node=\"{fqdn}\""),
        ));
        v.push((
            'E',
            "kubelet.go:2862",
            format!("\"Error getting node\" err=\"node \\\"{fqdn}\\\" not found\""),
        ));
    } else {
        for _ in 0..5 {
            v.push((
                'E',
                "kubelet_node_status.go:540",
                format!("\"Error updating node status, will retry\" err=\"error getting node \\\"{fqdn}\\\": Get \\\"{api_int}/api/v1/nodes/{fqdn}?resourceVersion=0&timeout=10s\\\": {X509}\""),
            ));
        }
        v.push((
            'E',
            "kubelet_node_status.go:527",
            "\"Unable to update node status\" err=\"update node status exceeds retry count\""
                .to_string(),
        ));
    }
    v.push((
        'E',
        "controller.go:146",
        format!(
            "\"Failed to ensure lease exists, will retry\" err=\"Get \\\"{api_int}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{fqdn}?timeout=10s\\\": {X509}\" interval=\"{}\"",
            if k == 0 { "200ms" } else { "7s" }
        ),
    ));
    let (typ, path): (&str, String) = match k % 3 {
        0 => (
            "*v1.Service",
            "/api/v1/services?limit=500&resourceVersion=0".to_string(),
        ),
        1 => (
            "*v1.Node",
            format!(
                "/api/v1/nodes?fieldSelector=metadata.name%3D{fqdn}&limit=500&resourceVersion=0"
            ),
        ),
        _ => (
            "*v1.CSIDriver",
            "/apis/storage.k8s.io/v1/csidrivers?limit=500&resourceVersion=0".to_string(),
        ),
    };
    v.push((
        'W',
        "reflector.go:539",
        format!("k8s.io/client-go/informers/factory.go:159: failed to list {typ}: Get \"{api_int}{path}\": {X509}"),
    ));
    v.push((
        'E',
        "reflector.go:147",
        format!("k8s.io/client-go/informers/factory.go:159: Failed to watch {typ}: failed to list {typ}: Get \"{api_int}{path}\": {X509}"),
    ));
    v
}

/// A transient `Error updating node status` carrying the whole status patch (images list):
/// the source of the 5–10 kB kubelet journal lines in real archives.
pub fn status_patch_timeout(rng: &mut Rng, fqdn: &str, api_int: &str, now: T) -> String {
    let mut images = Vec::new();
    for _ in 0..(28 + rng.below(14)) {
        let h = rng.hex(64);
        images.push(format!(
            "{{\"names\":[\"quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:{h}\"],\"sizeBytes\":{}}}",
            300_000_000 + rng.below(700_000_000)
        ));
    }
    let patch = format!(
        "{{\"status\":{{\"$setElementOrder/conditions\":[{{\"type\":\"MemoryPressure\"}},{{\"type\":\"DiskPressure\"}},{{\"type\":\"PIDPressure\"}},{{\"type\":\"Ready\"}}],\"conditions\":[{{\"lastHeartbeatTime\":\"{ts}\",\"type\":\"MemoryPressure\"}},{{\"lastHeartbeatTime\":\"{ts}\",\"type\":\"DiskPressure\"}},{{\"lastHeartbeatTime\":\"{ts}\",\"type\":\"PIDPressure\"}},{{\"lastHeartbeatTime\":\"{ts}\",\"type\":\"Ready\"}}],\"images\":[{}]}}}}",
        images.join(","),
        ts = t::rfc3339(now)
    );
    format!(
        "\"Error updating node status, will retry\" err=\"failed to patch status \\\"{}\\\" for node \\\"{fqdn}\\\": Patch \\\"{api_int}/api/v1/nodes/{fqdn}/status?timeout=10s\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"",
        esc(&esc(&patch))
    )
}
