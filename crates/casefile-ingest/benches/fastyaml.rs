//! Typed decoding of generated `oc` YAML: the fast block-YAML path (`fastyaml`) against
//! serde-saphyr alone, on an events List item and a Pod document.
#![forbid(unsafe_code)]

use std::fmt::Write as _;

use casefile_ingest::decode::yaml_options;
use casefile_ingest::fastyaml;
use casefile_model::kube::{Event, Pod};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn event_item() -> String {
    "- apiVersion: v1\n  count: 10\n  eventTime: null\n  firstTimestamp: \"2024-03-20T09:13:34Z\"\n  involvedObject:\n    apiVersion: v1\n    kind: Pod\n    name: network-metrics-daemon-55nbh\n    namespace: openshift-multus\n    resourceVersion: \"1898\"\n    uid: 5039ec2f-ee43-415a-af4b-00cc42e02d6d\n  kind: Event\n  lastTimestamp: \"2024-03-20T09:15:44Z\"\n  message: 'network is not ready: container runtime network not ready: NetworkReady=false\n    reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration\n    file in /etc/kubernetes/cni/net.d/. Has your network provider started?'\n  metadata:\n    creationTimestamp: \"2024-03-20T09:13:34Z\"\n    name: network-metrics-daemon-55nbh.17be6e251572b4a4\n    namespace: openshift-multus\n    resourceVersion: \"1702\"\n    uid: 91e4fd95-6997-48e8-9c2a-21fee36f1518\n  reason: NetworkNotReady\n  reportingComponent: \"\"\n  reportingInstance: \"\"\n  source:\n    component: kubelet\n    host: ip-10-0-0-239.ec2.internal\n  type: Warning\n".to_owned()
}

fn pod() -> String {
    let mut s = String::from(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    k8s.ovn.org/pod-networks: '{\"default\":{\"ip_addresses\":[\"10.128.0.5/23\"],\"mac_address\":\"0a:58:0a:80:00:05\"}}'\n    openshift.io/scc: restricted-v2\n  creationTimestamp: \"2024-03-20T09:13:14Z\"\n  generateName: apiserver-5d887d5fcd-\n  labels:\n    app: openshift-apiserver\n    pod-template-hash: 5d887d5fcd\n  managedFields:\n",
    );
    for i in 0..6 {
        let _ = write!(
            s,
            "  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:metadata:\n        f:labels:\n          .: {{}}\n          f:app: {{}}\n      f:spec:\n        f:containers:\n          k:{{\"name\":\"c{i}\"}}:\n            .: {{}}\n            f:image: {{}}\n    manager: kube-controller-manager\n    operation: Update\n    time: \"2024-03-20T09:13:14Z\"\n"
        );
    }
    s.push_str("  name: apiserver-5d887d5fcd-mrn5h\n  namespace: openshift-apiserver\n  uid: 5039ec2f-ee43-415a-af4b-00cc42e02d6d\nspec:\n  containers:\n");
    for i in 0..3 {
        let _ = write!(
            s,
            "  - args:\n    - -c\n    - |\n      if [ -s /var/run/configmaps/trusted-ca-bundle/tls-ca-bundle.pem ]; then\n        echo \"Copying system trust bundle\"\n      fi\n      exec openshift-apiserver start --config=/var/run/configmaps/config/config.yaml -v=2\n    command:\n    - /bin/bash\n    env:\n    - name: POD_NAME\n      valueFrom:\n        fieldRef:\n          apiVersion: v1\n          fieldPath: metadata.name\n    image: quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:88ae283a89a577429b23a4e8424683598fe11c267bb81e72ea0dc1b26cf29446\n    imagePullPolicy: IfNotPresent\n    livenessProbe:\n      failureThreshold: 3\n      httpGet:\n        path: healthz\n        port: 8443\n        scheme: HTTPS\n      periodSeconds: 10\n    name: c{i}\n    ports:\n    - containerPort: 8443\n      protocol: TCP\n    resources:\n      requests:\n        cpu: 100m\n        memory: 200Mi\n    securityContext:\n      privileged: true\n      readOnlyRootFilesystem: false\n    terminationMessagePolicy: FallbackToLogsOnError\n    volumeMounts:\n    - mountPath: /var/run/configmaps/config\n      name: config\n    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n      name: kube-api-access\n      readOnly: true\n"
        );
    }
    s.push_str("  nodeName: ip-10-0-0-239.ec2.internal\n  tolerations:\n  - effect: NoSchedule\n    key: node-role.kubernetes.io/master\n    operator: Exists\nstatus:\n  conditions:\n");
    for t in ["Initialized", "Ready", "ContainersReady", "PodScheduled"] {
        let _ = write!(
            s,
            "  - lastProbeTime: null\n    lastTransitionTime: \"2024-03-20T09:15:44Z\"\n    status: \"True\"\n    type: {t}\n"
        );
    }
    s.push_str("  containerStatuses:\n");
    for i in 0..3 {
        let _ = write!(
            s,
            "  - containerID: cri-o://0123456789abcdef\n    image: quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:88ae28\n    lastState:\n      terminated:\n        exitCode: 1\n        finishedAt: \"2024-03-20T09:14:44Z\"\n        message: |\n          E0320 09:14:44.000000       1 run.go:74] \"command failed\" err=\"x\"\n        reason: Error\n        startedAt: \"2024-03-20T09:14:04Z\"\n    name: c{i}\n    ready: true\n    restartCount: 2\n    started: true\n    state:\n      running:\n        startedAt: \"2024-03-20T09:15:04Z\"\n"
        );
    }
    s.push_str("  hostIP: 10.0.0.239\n  phase: Running\n  podIP: 10.128.0.5\n  podIPs:\n  - ip: 10.128.0.5\n  qosClass: Burstable\n  startTime: \"2024-03-20T09:13:14Z\"\n");
    s
}

fn bench_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("typed-yaml-decode");
    let item = event_item();
    assert!(fastyaml::from_item_str::<Event>(&item).is_some_and(|r| r.is_ok()));
    g.throughput(Throughput::Bytes(item.len() as u64));
    g.bench_function("event-item/fastyaml", |b| {
        b.iter(|| fastyaml::from_item_str::<Event>(&item));
    });
    g.bench_function("event-item/serde-saphyr", |b| {
        b.iter(|| {
            serde_saphyr::from_str_with_options::<Vec<Event>>(&item, yaml_options(item.len()))
                .map(|mut v| v.pop())
        });
    });
    let pod = pod();
    assert!(fastyaml::from_str::<Pod>(&pod).is_some_and(|r| r.is_ok()));
    g.throughput(Throughput::Bytes(pod.len() as u64));
    g.bench_function("pod/fastyaml", |b| {
        b.iter(|| fastyaml::from_str::<Pod>(&pod));
    });
    g.bench_function("pod/serde-saphyr", |b| {
        b.iter(|| serde_saphyr::from_str_with_options::<Pod>(&pod, yaml_options(pod.len())));
    });
    g.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
