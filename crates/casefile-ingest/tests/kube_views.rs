//! The typed views of `casefile_model::kube`, decoded from inline YAML through the same
//! path the case uses (`decode::decode_object`): whole documents and `- ` List items.
#![forbid(unsafe_code)]

use casefile_ingest::decode::decode_object;
use casefile_model::Timestamp;
use casefile_model::kube::config::decode_base64;
use casefile_model::kube::{
    CertificateSigningRequest, ClusterOperator, ConfigMap, Event, Pod, Secret, SecretValue,
};
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned>(yaml: &str) -> T {
    decode_object(yaml.as_bytes()).unwrap_or_else(|e| panic!("decode failed: {e}\n{yaml}"))
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

// ---------------------------------------------------------------------------------------
// Pod

/// A pod of the given container statuses (YAML fragments indented for `containerStatuses`).
fn pod(extra_meta: &str, phase: &str, conditions: &str, statuses: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  creationTimestamp: \"2021-09-13T14:50:00Z\"\n{extra_meta}spec:\n  nodeName: node-a\n  containers:\n  - name: a\n  - name: b\nstatus:\n  phase: {phase}\n  podIP: 10.128.0.5\n{conditions}  containerStatuses:\n{statuses}"
    )
}

const RUNNING_A: &str = "  - name: a\n    ready: true\n    restartCount: 0\n    state:\n      running:\n        startedAt: \"2021-09-13T14:51:00Z\"\n";
const RUNNING_B: &str = "  - name: b\n    ready: true\n    restartCount: 2\n    lastState:\n      terminated:\n        exitCode: 1\n        reason: Error\n        finishedAt: \"2021-09-13T15:00:00Z\"\n    state:\n      running:\n        startedAt: \"2021-09-13T15:00:01Z\"\n";
const READY_TRUE: &str = "  conditions:\n  - type: Ready\n    status: \"True\"\n";

#[test]
fn pod_running_ready() {
    let p: Pod = decode(&pod(
        "",
        "Running",
        READY_TRUE,
        &format!("{RUNNING_A}{RUNNING_B}"),
    ));
    let s = p.summary();
    assert_eq!(
        (s.ready, s.total, s.status.as_str(), s.restarts),
        (2, 2, "Running", 2)
    );
    assert_eq!(s.ready_text(), "2/2");
    assert_eq!(s.last_restart, Some(ts("2021-09-13T15:00:00Z")));
    assert_eq!(p.ip(), Some("10.128.0.5"));
    assert_eq!(p.node_name(), Some("node-a"));
    assert_eq!(
        p.metadata.creation_timestamp,
        Some(ts("2021-09-13T14:50:00Z"))
    );
    assert_eq!(p.spec.containers.len(), 2);
    assert_eq!(
        p.status.container_statuses[0]
            .state
            .running
            .as_ref()
            .and_then(|r| r.started_at),
        Some(ts("2021-09-13T14:51:00Z"))
    );
    let last = p.status.container_statuses[1]
        .last_state
        .terminated
        .as_ref()
        .expect("lastState.terminated");
    assert_eq!(
        (last.exit_code, last.reason.as_deref()),
        (Some(1), Some("Error"))
    );
    assert_eq!(p.readiness_gates_text(), None);
}

#[test]
fn pod_waiting_reason_wins() {
    let waiting = "  - name: b\n    ready: false\n    restartCount: 7\n    state:\n      waiting:\n        reason: CrashLoopBackOff\n        message: back-off 5m0s\n";
    let p: Pod = decode(&pod("", "Running", "", &format!("{RUNNING_A}{waiting}")));
    let s = p.summary();
    assert_eq!(
        (s.ready_text().as_str(), s.status.as_str(), s.restarts),
        ("1/2", "CrashLoopBackOff", 7)
    );
    // A waiting state without a reason is not a reason.
    let empty = "  - name: b\n    ready: false\n    state:\n      waiting: {}\n";
    let p: Pod = decode(&pod("", "Pending", "", &format!("{RUNNING_A}{empty}")));
    assert_eq!(p.status_text(), "Pending");
}

#[test]
fn pod_terminated_reasons() {
    let done = |reason: &str, code: i64, signal: i64| {
        let r = if reason.is_empty() {
            String::new()
        } else {
            format!("        reason: {reason}\n")
        };
        format!(
            "  - name: a\n    ready: false\n    state:\n      terminated:\n{r}        exitCode: {code}\n        signal: {signal}\n"
        )
    };
    let cases = [
        (done("Completed", 0, 0), "Succeeded", "Completed"),
        (done("Error", 1, 0), "Failed", "Error"),
        (done("OOMKilled", 137, 0), "Running", "OOMKilled"),
        (done("", 3, 0), "Failed", "ExitCode:3"),
        (done("", 137, 9), "Failed", "Signal:9"),
    ];
    for (status, phase, want) in cases {
        let p: Pod = decode(&pod("", phase, "", &status));
        assert_eq!(p.status_text(), want, "{status}");
    }
}

#[test]
fn pod_completed_with_running_container() {
    let completed = "  - name: b\n    ready: false\n    state:\n      terminated:\n        reason: Completed\n        exitCode: 0\n";
    // Containers are visited last to first: a is last, so b's Completed sticks.
    let p: Pod = decode(&pod(
        "",
        "Running",
        READY_TRUE,
        &format!("{RUNNING_A}{completed}"),
    ));
    assert_eq!(p.status_text(), "Running");
    let p: Pod = decode(&pod("", "Running", "", &format!("{RUNNING_A}{completed}")));
    assert_eq!(p.status_text(), "NotReady");
}

#[test]
fn pod_terminating_and_node_lost() {
    let del = "  deletionTimestamp: \"2021-09-13T15:10:00Z\"\n";
    let p: Pod = decode(&pod(del, "Running", READY_TRUE, RUNNING_A));
    assert_eq!(p.status_text(), "Terminating");
    assert_eq!(
        p.metadata.deletion_timestamp,
        Some(ts("2021-09-13T15:10:00Z"))
    );
    // A finished pod being deleted keeps its status.
    let done = "  - name: a\n    state:\n      terminated:\n        reason: Completed\n        exitCode: 0\n";
    let p: Pod = decode(&pod(del, "Succeeded", "", done));
    assert_eq!(p.status_text(), "Completed");
    // NodeLost + deletion = Unknown.
    let mut p: Pod = decode(&pod(del, "Running", "", RUNNING_A));
    p.status.reason = Some("NodeLost".into());
    assert_eq!(p.status_text(), "Unknown");
    // status.reason without deletion replaces the phase.
    let p: Pod = decode(
        &pod("", "Failed", "", "  []\n")
            .replace("  phase: Failed\n", "  phase: Failed\n  reason: Evicted\n")
            .replace("  containerStatuses:\n  []\n", ""),
    );
    assert_eq!(p.status_text(), "Evicted");
}

#[test]
fn pod_init_containers() {
    let base = |statuses: &str, conditions: &str| {
        format!(
            "kind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: i1\n  - name: i2\n  containers:\n  - name: c\nstatus:\n  phase: Pending\n{conditions}  initContainerStatuses:\n{statuses}  containerStatuses:\n  - name: c\n    ready: false\n    restartCount: 4\n    state:\n      waiting:\n        reason: PodInitializing\n"
        )
    };
    let ok = "  - name: i1\n    restartCount: 1\n    state:\n      terminated:\n        exitCode: 0\n        reason: Completed\n";
    let failed = "  - name: i2\n    restartCount: 3\n    state:\n      terminated:\n        exitCode: 2\n        reason: Error\n";
    let failed_no_reason = "  - name: i2\n    state:\n      terminated:\n        exitCode: 2\n";
    let crash = "  - name: i2\n    state:\n      waiting:\n        reason: CrashLoopBackOff\n";
    let initializing =
        "  - name: i2\n    state:\n      waiting:\n        reason: PodInitializing\n";
    let running = "  - name: i2\n    state:\n      running: {}\n";
    let cases = [
        (format!("{ok}{failed}"), "Init:Error", 4),
        (format!("{ok}{failed_no_reason}"), "Init:ExitCode:2", 1),
        (format!("{ok}{crash}"), "Init:CrashLoopBackOff", 1),
        (format!("{ok}{initializing}"), "Init:1/2", 1),
        (format!("{ok}{running}"), "Init:1/2", 1),
    ];
    for (statuses, want, restarts) in cases {
        let p: Pod = decode(&base(&statuses, ""));
        let s = p.summary();
        assert_eq!(
            (s.status.as_str(), s.restarts, s.ready_text().as_str()),
            (want, restarts, "0/1"),
            "{statuses}"
        );
    }
    // Every init container done: the regular containers decide.
    let done = format!("{ok}{}", ok.replace("i1", "i2"));
    let p: Pod = decode(&base(&done, ""));
    assert_eq!(
        (p.status_text().as_str(), p.restarts()),
        ("PodInitializing", 4)
    );
    // Initialized=True overrides a failing init container for the regular columns.
    let p: Pod = decode(&base(
        &format!("{ok}{failed}"),
        "  conditions:\n  - type: Initialized\n    status: \"True\"\n",
    ));
    assert_eq!(
        (p.status_text().as_str(), p.restarts()),
        ("PodInitializing", 4)
    );
}

#[test]
fn pod_sidecar_init_container_counts() {
    let y = "kind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: proxy\n    restartPolicy: Always\n  containers:\n  - name: c\nstatus:\n  phase: Running\n  conditions:\n  - type: Ready\n    status: \"True\"\n  initContainerStatuses:\n  - name: proxy\n    ready: true\n    started: true\n    restartCount: 1\n    state:\n      running: {}\n  containerStatuses:\n  - name: c\n    ready: true\n    restartCount: 2\n    state:\n      running: {}\n";
    let p: Pod = decode(y);
    let s = p.summary();
    assert_eq!(
        (s.ready_text().as_str(), s.status.as_str(), s.restarts),
        ("2/2", "Running", 3)
    );
}

#[test]
fn pod_scheduling_gated_and_gates() {
    let y = "kind: Pod\nmetadata:\n  name: p\nspec:\n  readinessGates:\n  - conditionType: example.com/gate\n  - conditionType: other\n  containers:\n  - name: c\nstatus:\n  phase: Pending\n  conditions:\n  - type: PodScheduled\n    status: \"False\"\n    reason: SchedulingGated\n  - type: example.com/gate\n    status: \"True\"\n";
    let p: Pod = decode(y);
    assert_eq!(p.status_text(), "SchedulingGated");
    assert_eq!(p.readiness_gates_text().as_deref(), Some("1/2"));
    assert_eq!(p.ready_text(), "0/1");
    assert_eq!(p.ip(), None);
}

#[test]
fn pod_missing_and_null_fields() {
    let p: Pod = decode("kind: Pod\nmetadata:\n  name: bare\n");
    let s = p.summary();
    assert_eq!(
        (
            s.ready_text().as_str(),
            s.status.as_str(),
            s.restarts,
            s.last_restart
        ),
        ("0/0", "", 0, None)
    );
    let p: Pod = decode(
        "kind: Pod\nmetadata:\n  name: nulls\n  labels: null\n  creationTimestamp: null\nspec:\n  containers: null\n  nodeName: null\nstatus:\n  phase: null\n  podIPs: null\n  startTime: not-a-time\n  containerStatuses:\n  - name: x\n    restartCount: null\n    lastState: {}\n    state: null\n",
    );
    assert_eq!(p.metadata.name, "nulls");
    assert_eq!(p.status.start_time, None);
    assert_eq!(p.restarts(), 0);
    let p: Pod = decode("{}");
    assert_eq!(p.metadata.name, "");
}

#[test]
fn pod_as_list_item_and_json() {
    let item = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: listed\n    namespace: ns\n  spec:\n    containers:\n    - name: a\n  status:\n    phase: Running\n    podIPs:\n    - ip: 10.0.0.9\n    containerStatuses:\n    - name: a\n      ready: true\n      restartCount: 0\n      state:\n        running:\n          startedAt: \"2021-09-13T14:51:00Z\"\n";
    let p: Pod = decode(item);
    assert_eq!(
        (
            p.metadata.name.as_str(),
            p.ready_text().as_str(),
            p.status_text().as_str(),
            p.ip()
        ),
        ("listed", "1/1", "Running", Some("10.0.0.9"))
    );
    let json = r#"{"kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ContainerCreating"}}}]}}"#;
    let p: Pod = decode(json);
    assert_eq!(p.status_text(), "ContainerCreating");
}

// ---------------------------------------------------------------------------------------
// Event

/// The core/v1 event from formats.md §1.7 (a List item, as in `events.yaml`).
const CORE_EVENT: &str = r#"- apiVersion: v1
  count: 10
  eventTime: null
  firstTimestamp: "2021-08-03T09:20:33Z"
  involvedObject:
    apiVersion: v1
    kind: Pod
    name: network-metrics-daemon-2ndw4
    namespace: openshift-multus
    resourceVersion: "7432"
    uid: 08de0b06-3148-471b-929c-faf1e9c50594
  kind: Event
  lastTimestamp: "2021-08-03T09:20:50Z"
  message: 'network is not ready: container runtime network not ready: NetworkReady=false
    reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration
    file in /etc/kubernetes/cni/net.d/. Has your network provider started?'
  metadata:
    creationTimestamp: "2021-08-03T09:20:33Z"
    name: network-metrics-daemon-2ndw4.1697c165be0fa930
    namespace: openshift-multus
    resourceVersion: "9270"
    uid: 9c6bbbcd-76e8-4106-90a8-657c0749509a
  reason: NetworkNotReady
  reportingComponent: ""
  reportingInstance: ""
  source:
    component: kubelet
    host: ip-10-0-189-142.ec2.internal
  type: Warning
"#;

#[test]
fn event_core_v1() {
    let e: Event = decode(CORE_EVENT);
    assert_eq!(e.reason, "NetworkNotReady");
    assert_eq!(e.event_type, "Warning");
    assert!(e.is_warning());
    assert_eq!(e.count(), 10);
    assert_eq!(e.first_seen(), Some(ts("2021-08-03T09:20:33Z")));
    assert_eq!(e.last_seen(), Some(ts("2021-08-03T09:20:50Z")));
    assert!(e.message().starts_with("network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady"));
    assert!(e.message().ends_with("Has your network provider started?"));
    let o = e.involved();
    assert_eq!(
        (o.kind.as_str(), o.name.as_str(), o.namespace.as_deref()),
        (
            "Pod",
            "network-metrics-daemon-2ndw4",
            Some("openshift-multus")
        )
    );
    assert_eq!(
        o.uid.as_deref(),
        Some("08de0b06-3148-471b-929c-faf1e9c50594")
    );
    assert_eq!(e.source_host(), Some("ip-10-0-189-142.ec2.internal"));
    assert_eq!(e.source_component(), Some("kubelet"));
    assert_eq!(
        e.metadata.name,
        "network-metrics-daemon-2ndw4.1697c165be0fa930"
    );
    assert_eq!(e.event_time, None);
}

#[test]
fn event_events_k8s_io_v1() {
    let y = r#"apiVersion: events.k8s.io/v1
kind: Event
metadata:
  name: etcd-quorum-guard.16a4b
  namespace: openshift-etcd
  creationTimestamp: "2021-09-13T15:00:00Z"
eventTime: "2021-09-13T15:00:00.123456Z"
reason: Unhealthy
note: "  Readiness probe failed:  \n"
type: Warning
regarding:
  kind: Pod
  name: etcd-quorum-guard-586dd88c9-pv69x
  namespace: openshift-etcd
  fieldPath: spec.containers{guard}
reportingController: kubelet
reportingInstance: ci-ln-k7vx6h2-002ac-w7gjh-master-0
action: Probe
deprecatedCount: 4
deprecatedFirstTimestamp: "2021-09-13T14:58:00Z"
deprecatedLastTimestamp: "2021-09-13T15:01:00Z"
deprecatedSource:
  component: kubelet
  host: ci-ln-k7vx6h2-002ac-w7gjh-master-0
"#;
    let e: Event = decode(y);
    assert_eq!(e.message(), "Readiness probe failed:");
    assert_eq!(e.reason, "Unhealthy");
    assert_eq!(e.count(), 4);
    assert_eq!(e.first_seen(), Some(ts("2021-09-13T14:58:00Z")));
    assert_eq!(e.last_seen(), Some(ts("2021-09-13T15:01:00Z")));
    assert_eq!(e.involved().name, "etcd-quorum-guard-586dd88c9-pv69x");
    assert_eq!(e.involved().field_path, "spec.containers{guard}");
    assert_eq!(e.source_host(), Some("ci-ln-k7vx6h2-002ac-w7gjh-master-0"));
    assert_eq!(e.reporting_component, "kubelet");
    assert_eq!(e.action, "Probe");
    assert_eq!(e.event_time, Some(ts("2021-09-13T15:00:00.123456Z")));
}

#[test]
fn event_new_api_singleton_and_series() {
    // A singleton: no count, no deprecated timestamps; eventTime is the time.
    let single = "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: s\n  creationTimestamp: \"2021-09-13T15:00:05Z\"\neventTime: \"2021-09-13T15:00:00.5Z\"\nreason: Scheduled\nnote: ok\ntype: Normal\nreportingController: default-scheduler\nreportingInstance: default-scheduler-master-0\nregarding:\n  kind: Pod\n  name: x\n";
    let e: Event = decode(single);
    assert_eq!(e.count(), 1);
    assert_eq!(e.first_seen(), Some(ts("2021-09-13T15:00:00.5Z")));
    assert_eq!(e.last_seen(), Some(ts("2021-09-13T15:00:00.5Z")));
    assert_eq!(e.source_component(), Some("default-scheduler"));
    // Not the kubelet: the reporting instance is not a node.
    assert_eq!(e.source_host(), None);
    assert!(!e.is_warning());

    let series = format!(
        "{single}series:\n  count: 12\n  lastObservedTime: \"2021-09-13T15:30:00.000001Z\"\n"
    );
    let e: Event = decode(&series);
    assert_eq!(e.count(), 12);
    assert_eq!(e.last_seen(), Some(ts("2021-09-13T15:30:00.000001Z")));
    assert_eq!(e.first_seen(), Some(ts("2021-09-13T15:00:00.5Z")));
}

#[test]
fn event_time_fallbacks() {
    // Only a creation timestamp.
    let e: Event = decode(
        "kind: Event\nmetadata:\n  name: e\n  creationTimestamp: \"2021-09-13T15:00:00Z\"\nreason: R\nmessage: m\n",
    );
    assert_eq!(
        (e.first_seen(), e.last_seen(), e.count()),
        (
            Some(ts("2021-09-13T15:00:00Z")),
            Some(ts("2021-09-13T15:00:00Z")),
            1
        )
    );
    // firstTimestamp without lastTimestamp.
    let e: Event = decode(
        "kind: Event\nmetadata:\n  name: e\nfirstTimestamp: \"2021-09-13T14:00:00Z\"\nlastTimestamp: null\ncount: 0\n",
    );
    assert_eq!(
        (e.first_seen(), e.last_seen(), e.count()),
        (
            Some(ts("2021-09-13T14:00:00Z")),
            Some(ts("2021-09-13T14:00:00Z")),
            1
        )
    );
    // Garbage in time and count fields does not fail the decode.
    let e: Event = decode(
        "kind: Event\nmetadata:\n  name: e\nfirstTimestamp: yesterday\nlastTimestamp: \"\"\neventTime: {a: 1}\ncount: many\nsource: null\ninvolvedObject: null\nmessage: null\n",
    );
    assert_eq!(
        (e.first_seen(), e.last_seen(), e.count(), e.message()),
        (None, None, 1, "")
    );
    assert_eq!(e.source_host(), None);
    // Nothing at all.
    let e: Event = decode("{}");
    assert_eq!(
        (
            e.first_seen(),
            e.count(),
            e.message(),
            e.involved().name.as_str()
        ),
        (None, 1, "", "")
    );
}

#[test]
fn event_with_both_spellings_is_an_error_not_a_panic() {
    let r: Result<Event, _> = decode_object(b"kind: Event\nmessage: a\nnote: b\n");
    assert!(r.is_err());
}

// ---------------------------------------------------------------------------------------
// ClusterOperator

#[test]
fn cluster_operator_conditions() {
    let y = r#"apiVersion: config.openshift.io/v1
kind: ClusterOperator
metadata:
  name: authentication
spec: {}
status:
  conditions:
  - lastTransitionTime: "2021-09-13T15:14:06Z"
    message: All is well
    reason: AsExpected
    status: "False"
    type: Degraded
  - lastTransitionTime: "2021-09-13T15:12:00Z"
    message: |-
      AuthenticatorCertKeyProgressing: All is well
      second line
    reason: AsExpected
    status: "False"
    type: Progressing
  - lastTransitionTime: "2021-09-13T15:14:40Z"
    status: "True"
    type: Available
  relatedObjects:
  - group: operator.openshift.io
    name: cluster
    resource: authentications
  - group: ""
    name: openshift-authentication
    resource: namespaces
  versions:
  - name: oauth-apiserver
    version: 4.8.11
  - name: operator
    version: 4.8.11
"#;
    let co: ClusterOperator = decode(y);
    assert_eq!(co.metadata.name, "authentication");
    assert_eq!(co.operator_version(), Some("4.8.11"));
    assert_eq!(co.version("oauth-apiserver"), Some("4.8.11"));
    assert_eq!(co.version("nope"), None);
    let a = co.condition("Available").expect("Available");
    assert_eq!(
        (a.status.as_str(), a.last_transition_time),
        ("True", Some(ts("2021-09-13T15:14:40Z")))
    );
    assert_eq!(a.message, None);
    assert_eq!(
        co.condition("Progressing")
            .and_then(|c| c.message.as_deref()),
        Some("AuthenticatorCertKeyProgressing: All is well\nsecond line")
    );
    assert_eq!(co.condition_status("Degraded"), Some("False"));
    assert_eq!(co.condition("Upgradeable"), None);
    assert!(co.is_healthy());
    assert_eq!(co.status.related_objects.len(), 2);
    assert_eq!(co.status.related_objects[1].group, "");
    assert_eq!(co.status.related_objects[1].namespace, None);

    // Nullable lists and a degraded operator.
    let co: ClusterOperator = decode(
        "kind: ClusterOperator\nmetadata:\n  name: x\nstatus:\n  versions: null\n  relatedObjects: null\n  conditions:\n  - type: Degraded\n    status: \"True\"\n  - type: Available\n    status: \"True\"\n  - type: Progressing\n    status: \"False\"\n",
    );
    assert_eq!(co.operator_version(), None);
    assert!(!co.is_healthy());
    let co: ClusterOperator = decode("kind: ClusterOperator\nmetadata:\n  name: y\n");
    assert!(!co.is_healthy());
    assert_eq!(co.condition("Available"), None);
}

// ---------------------------------------------------------------------------------------
// ConfigMap and Secret

#[test]
fn config_map_data() {
    let y = "- apiVersion: v1\n  binaryData:\n    blob: aGVsbG8=\n    bad: '***'\n  data:\n    ca-bundle.crt: |\n      -----BEGIN CERTIFICATE-----\n      MIIB\n      -----END CERTIFICATE-----\n    empty: \"\"\n  kind: ConfigMap\n  metadata:\n    name: trusted-ca-bundle\n    namespace: openshift-config-managed\n";
    let cm: ConfigMap = decode(y);
    assert_eq!(cm.metadata.name, "trusted-ca-bundle");
    assert_eq!(cm.key_count(), 4);
    assert_eq!(
        cm.data["ca-bundle.crt"],
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    );
    assert_eq!(cm.data["empty"], "");
    assert_eq!(cm.binary("blob").as_deref(), Some(&b"hello"[..]));
    assert_eq!(cm.binary("bad"), None);
    assert_eq!(cm.binary("nope"), None);
    let cm: ConfigMap = decode("kind: ConfigMap\nmetadata:\n  name: x\ndata: null\n");
    assert_eq!(cm.key_count(), 0);
}

#[test]
fn secret_redaction_is_recognized_exactly() {
    let y = r#"apiVersion: v1
data:
  tls.key: MTY3OSBieXRlcyBsb25n
  tls.crt: aGVsbG8=
  zero: MCBieXRlcyBsb25n
  huge: OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTkgYnl0ZXMgbG9uZw==
  longer: MTIgYnl0ZXMgbG9uZ2Vy
  leading-space: IDEyIGJ5dGVzIGxvbmc=
  trailing-newline: MTIgYnl0ZXMgbG9uZwo=
  no-number: Ynl0ZXMgbG9uZw==
  negative: LTEgYnl0ZXMgbG9uZw==
  capital: MTIgQnl0ZXMgbG9uZw==
  fullwidth-digits: 77yR77ySIGJ5dGVzIGxvbmc=
  not-base64: "12 bytes long"
kind: Secret
metadata:
  annotations:
    auth.openshift.io/certificate-not-after: "2021-08-04T09:07:18Z"
  name: aggregator-client
  namespace: openshift-kube-apiserver
type: kubernetes.io/tls
"#;
    let s: Secret = decode(y);
    assert_eq!(s.secret_type, "kubernetes.io/tls");
    assert_eq!(s.key_count(), 12);
    assert_eq!(
        s.metadata.annotations["auth.openshift.io/certificate-not-after"],
        "2021-08-04T09:07:18Z"
    );
    let v = |k: &str| s.value(k).unwrap_or_else(|| panic!("key {k}"));
    assert_eq!(v("tls.key"), SecretValue::Redacted { bytes: 1679 });
    assert!(v("tls.key").is_redacted());
    assert_eq!(v("tls.crt"), SecretValue::Present(b"hello".to_vec()));
    assert_eq!(v("zero"), SecretValue::Redacted { bytes: 0 });
    assert_eq!(v("huge"), SecretValue::Redacted { bytes: usize::MAX });
    assert_eq!(
        v("longer"),
        SecretValue::Present(b"12 bytes longer".to_vec())
    );
    assert_eq!(
        v("leading-space"),
        SecretValue::Present(b" 12 bytes long".to_vec())
    );
    assert_eq!(
        v("trailing-newline"),
        SecretValue::Present(b"12 bytes long\n".to_vec())
    );
    assert_eq!(v("no-number"), SecretValue::Present(b"bytes long".to_vec()));
    assert_eq!(
        v("negative"),
        SecretValue::Present(b"-1 bytes long".to_vec())
    );
    assert_eq!(
        v("capital"),
        SecretValue::Present(b"12 Bytes long".to_vec())
    );
    assert!(!v("fullwidth-digits").is_redacted());
    assert_eq!(v("not-base64"), SecretValue::Invalid);
    assert_eq!(s.value("absent"), None);
    assert!(!s.is_fully_redacted());
    assert_eq!(s.values().filter(|(_, v)| v.is_redacted()).count(), 3);

    let all: Secret = decode(
        "kind: Secret\nmetadata:\n  name: t\ntype: kubernetes.io/service-account-token\ndata:\n  token: MTY3OSBieXRlcyBsb25n\n  namespace: MCBieXRlcyBsb25n\n",
    );
    assert!(all.is_fully_redacted());
    let empty: Secret = decode("kind: Secret\nmetadata:\n  name: e\ndata: null\n");
    assert!(!empty.is_fully_redacted());
    assert_eq!(empty.secret_type, "");
}

#[test]
fn base64_decoder() {
    let cases: &[(&str, Option<&[u8]>)] = &[
        ("", Some(b"")),
        ("YQ==", Some(b"a")),
        ("YQ", Some(b"a")),
        ("YWI=", Some(b"ab")),
        ("YWI", Some(b"ab")),
        ("YWJj", Some(b"abc")),
        ("aGVsbG8=", Some(b"hello")),
        ("+/+/", Some(&[0xfb, 0xff, 0xbf])),
        // near misses
        ("Y", None),
        ("YQ=", None),
        ("YQ===", None),
        ("Y Q==", None),
        ("YR==", None), // non-zero trailing bits
        ("-_-_", None), // URL alphabet
        ("aGVsbG8=\n", None),
        ("=", None),
    ];
    for (s, want) in cases {
        assert_eq!(decode_base64(s).as_deref(), *want, "{s:?}");
    }
}

// ---------------------------------------------------------------------------------------
// CertificateSigningRequest

#[test]
fn csr_fields_and_condition_text() {
    let y = r#"apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  creationTimestamp: "2021-09-13T14:51:27Z"
  generateName: csr-
  name: csr-2xz7k
spec:
  groups:
  - system:nodes
  - system:authenticated
  request: LS0tLS1CRUdJTg==
  signerName: kubernetes.io/kubelet-serving
  usages:
  - digital signature
  - key encipherment
  - server auth
  username: system:node:ci-ln-k7vx6h2-002ac-w7gjh-master-2
status:
  certificate: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  conditions:
  - lastTransitionTime: "2021-09-13T14:51:27Z"
    lastUpdateTime: "2021-09-13T14:51:27Z"
    message: This CSR was approved by the Node CSR Approver
    reason: NodeCSRApprove
    status: "True"
    type: Approved
"#;
    let c: CertificateSigningRequest = decode(y);
    assert_eq!(c.metadata.name, "csr-2xz7k");
    assert_eq!(
        c.spec.signer_name.as_deref(),
        Some("kubernetes.io/kubelet-serving")
    );
    assert_eq!(
        c.spec.username,
        "system:node:ci-ln-k7vx6h2-002ac-w7gjh-master-2"
    );
    assert_eq!(
        c.spec.usages,
        ["digital signature", "key encipherment", "server auth"]
    );
    let a = c.condition("Approved").expect("Approved");
    assert_eq!(
        (a.status.as_deref(), a.reason.as_deref(), a.last_update_time),
        (
            Some("True"),
            Some("NodeCSRApprove"),
            Some(ts("2021-09-13T14:51:27Z"))
        )
    );
    assert!(c.is_issued());
    assert_eq!(
        c.certificate_pem().as_deref(),
        Some(&b"-----BEGIN CERTIFICATE-----\n"[..])
    );
    assert_eq!(c.condition_text(), "Approved,Issued");

    let pending: CertificateSigningRequest =
        decode("kind: CertificateSigningRequest\nmetadata:\n  name: p\nspec:\n  username: u\n");
    assert_eq!(pending.condition_text(), "Pending");
    assert!(!pending.is_issued());
    assert_eq!(pending.spec.signer_name, None);
    let denied: CertificateSigningRequest = decode(
        "kind: CertificateSigningRequest\nmetadata:\n  name: d\nstatus:\n  certificate: \"\"\n  conditions:\n  - type: Approved\n  - type: Denied\n  - type: Failed\n",
    );
    assert_eq!(denied.condition_text(), "Denied,Failed");
    assert_eq!(denied.certificate_pem(), None);
    let bad: CertificateSigningRequest = decode(
        "kind: CertificateSigningRequest\nmetadata:\n  name: b\nstatus:\n  certificate: '%%%'\n",
    );
    assert!(bad.is_issued());
    assert_eq!(bad.certificate_pem(), None);
}
