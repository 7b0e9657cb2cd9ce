//! Pod: placement, container states and the READY / STATUS / RESTARTS columns of `oc get pods`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::event::{lenient_int, lenient_time, nullable};
use crate::Timestamp;

/// A Pod, narrowed to what casefile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pod {
    /// Metadata (with `deletionTimestamp`, which the STATUS column needs).
    #[serde(deserialize_with = "nullable")]
    pub metadata: PodMeta,
    /// Spec.
    #[serde(deserialize_with = "nullable")]
    pub spec: PodSpec,
    /// Status.
    #[serde(deserialize_with = "nullable")]
    pub status: PodStatus,
}

/// `Pod.metadata`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodMeta {
    /// Name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// Namespace.
    #[serde(deserialize_with = "nullable")]
    pub namespace: Option<String>,
    /// UID.
    #[serde(deserialize_with = "nullable")]
    pub uid: Option<String>,
    /// Creation time.
    #[serde(deserialize_with = "lenient_time")]
    pub creation_timestamp: Option<Timestamp>,
    /// Set once deletion was requested (the pod shows as `Terminating`).
    #[serde(deserialize_with = "lenient_time")]
    pub deletion_timestamp: Option<Timestamp>,
    /// Labels.
    #[serde(deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(deserialize_with = "nullable")]
    pub annotations: BTreeMap<String, String>,
}

/// `Pod.spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    /// The node it is bound to.
    #[serde(deserialize_with = "nullable")]
    pub node_name: Option<String>,
    /// Containers.
    #[serde(deserialize_with = "nullable")]
    pub containers: Vec<Container>,
    /// Init containers (those with `restartPolicy: Always` are sidecars and count as containers).
    #[serde(deserialize_with = "nullable")]
    pub init_containers: Vec<Container>,
    /// Extra conditions that must be true for readiness (the wide READINESS GATES column).
    #[serde(deserialize_with = "nullable")]
    pub readiness_gates: Vec<ReadinessGate>,
}

/// `Pod.spec.containers[]` / `initContainers[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    /// Name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// `Always` on a sidecar init container.
    #[serde(deserialize_with = "nullable")]
    pub restart_policy: Option<String>,
}

/// `Pod.spec.readinessGates[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReadinessGate {
    /// The pod condition type that must be `True`.
    #[serde(deserialize_with = "nullable")]
    pub condition_type: String,
}

/// `Pod.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
    #[serde(deserialize_with = "nullable")]
    pub phase: Option<String>,
    /// Why the pod is in this state (`Evicted`, `NodeLost`, ...).
    #[serde(deserialize_with = "nullable")]
    pub reason: Option<String>,
    /// Human-readable detail.
    #[serde(deserialize_with = "nullable")]
    pub message: Option<String>,
    /// Conditions (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`).
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<PodCondition>,
    /// One entry per container.
    #[serde(deserialize_with = "nullable")]
    pub container_statuses: Vec<ContainerStatus>,
    /// One entry per init container.
    #[serde(deserialize_with = "nullable")]
    pub init_container_statuses: Vec<ContainerStatus>,
    /// When the kubelet acknowledged the pod.
    #[serde(deserialize_with = "lenient_time")]
    pub start_time: Option<Timestamp>,
    /// The pod's (first) IP.
    #[serde(rename = "podIP", deserialize_with = "nullable")]
    pub pod_ip: Option<String>,
    /// All pod IPs (dual stack).
    #[serde(rename = "podIPs", deserialize_with = "nullable")]
    pub pod_ips: Vec<PodIp>,
    /// The IP of the node.
    #[serde(rename = "hostIP", deserialize_with = "nullable")]
    pub host_ip: Option<String>,
    /// The node the scheduler nominated for preemption (wide NOMINATED NODE column).
    #[serde(deserialize_with = "nullable")]
    pub nominated_node_name: Option<String>,
}

/// `Pod.status.podIPs[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PodIp {
    /// The address.
    #[serde(deserialize_with = "nullable")]
    pub ip: String,
}

/// `Pod.status.conditions[]` (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, or a
/// readiness gate).
pub type PodCondition = super::Condition;

/// `Pod.status.containerStatuses[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    /// Container name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// Whether it passes its readiness probe.
    #[serde(deserialize_with = "nullable")]
    pub ready: bool,
    /// Whether it has started (startup probe passed); `None` when not reported.
    #[serde(deserialize_with = "nullable")]
    pub started: Option<bool>,
    /// Restarts so far.
    #[serde(deserialize_with = "lenient_int")]
    pub restart_count: Option<i64>,
    /// Current state.
    #[serde(deserialize_with = "nullable")]
    pub state: ContainerState,
    /// Previous state (the last termination, if it restarted).
    #[serde(deserialize_with = "nullable")]
    pub last_state: ContainerState,
}

/// A container state: at most one of the three is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    /// Not running yet (or in back-off).
    pub waiting: Option<StateWaiting>,
    /// Running.
    pub running: Option<StateRunning>,
    /// Exited.
    pub terminated: Option<StateTerminated>,
}

/// `state.waiting`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StateWaiting {
    /// `ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`, ...
    #[serde(deserialize_with = "nullable")]
    pub reason: Option<String>,
    /// Message.
    #[serde(deserialize_with = "nullable")]
    pub message: Option<String>,
}

/// `state.running`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StateRunning {
    /// When it (re)started.
    #[serde(deserialize_with = "lenient_time")]
    pub started_at: Option<Timestamp>,
}

/// `state.terminated`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StateTerminated {
    /// `Completed`, `Error`, `OOMKilled`, ...
    #[serde(deserialize_with = "nullable")]
    pub reason: Option<String>,
    /// Message (often the tail of the log).
    #[serde(deserialize_with = "nullable")]
    pub message: Option<String>,
    /// Exit code.
    #[serde(deserialize_with = "lenient_int")]
    pub exit_code: Option<i64>,
    /// Signal that killed it, if reported.
    #[serde(deserialize_with = "lenient_int")]
    pub signal: Option<i64>,
    /// Start of the run that ended.
    #[serde(deserialize_with = "lenient_time")]
    pub started_at: Option<Timestamp>,
    /// End of that run.
    #[serde(deserialize_with = "lenient_time")]
    pub finished_at: Option<Timestamp>,
}

/// The READY, STATUS and RESTARTS columns of `oc get pods`, computed together as
/// `kubectl`'s `printPod` does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodSummary {
    /// Ready containers (sidecar init containers included).
    pub ready: usize,
    /// Containers (sidecar init containers included).
    pub total: usize,
    /// The STATUS column.
    pub status: String,
    /// Restarts of the containers that count (init containers only while initializing).
    pub restarts: i64,
    /// When the most recent of those restarts ended (`lastState.terminated.finishedAt`).
    pub last_restart: Option<Timestamp>,
}

impl PodSummary {
    /// READY as printed: `ready/total`.
    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }
}

fn non_empty(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.is_empty())
}

fn later(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Reason for a terminated container without a reason: `Signal:N` or `ExitCode:N`.
fn exit_text(t: &StateTerminated) -> String {
    match t.signal {
        Some(s) if s != 0 => format!("Signal:{s}"),
        _ => format!("ExitCode:{}", t.exit_code.unwrap_or(0)),
    }
}

impl Pod {
    /// The condition of a type.
    pub fn condition(&self, kind: &str) -> Option<&PodCondition> {
        self.status.conditions.iter().find(|c| c.kind == kind)
    }

    fn condition_true(&self, kind: &str) -> bool {
        self.condition(kind).is_some_and(|c| c.status == "True")
    }

    /// The READY / STATUS / RESTARTS columns, following `kubectl`'s rules: the phase (or
    /// `status.reason`), overridden by the first failing init container (`Init:<reason>`,
    /// `Init:ExitCode:N`, `Init:n/m`), else by the containers' waiting or terminated
    /// reason (`CrashLoopBackOff`, `Completed`, `ExitCode:N`), `Completed` turning back
    /// into `Running`/`NotReady` while a container still runs; a deletion timestamp makes
    /// it `Terminating` (or `Unknown` for a pod on a lost node).
    pub fn summary(&self) -> PodSummary {
        let st = &self.status;
        let phase = st.phase.as_deref().unwrap_or_default();
        let mut reason = non_empty(st.reason.as_ref()).unwrap_or(phase).to_owned();
        if st
            .conditions
            .iter()
            .any(|c| c.kind == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
        {
            "SchedulingGated".clone_into(&mut reason);
        }

        let sidecars: Vec<&str> = self
            .spec
            .init_containers
            .iter()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"))
            .map(|c| c.name.as_str())
            .collect();
        let total = self.spec.containers.len() + sidecars.len();
        let mut ready = 0usize;
        let mut restarts = 0i64;
        let mut sidecar_restarts = 0i64;
        let mut last_restart = None;
        let mut last_sidecar_restart = None;

        let mut initializing = false;
        for (i, c) in st.init_container_statuses.iter().enumerate() {
            let finished = c.last_state.terminated.as_ref().and_then(|t| t.finished_at);
            restarts = restarts.saturating_add(c.restart_count.unwrap_or(0));
            last_restart = later(last_restart, finished);
            let sidecar = sidecars.contains(&c.name.as_str());
            if sidecar {
                sidecar_restarts = sidecar_restarts.saturating_add(c.restart_count.unwrap_or(0));
                last_sidecar_restart = later(last_sidecar_restart, finished);
            }
            let state = &c.state;
            match (&state.terminated, &state.waiting) {
                (Some(t), _) if t.exit_code.unwrap_or(0) == 0 => continue,
                _ if sidecar && c.started == Some(true) => {
                    if c.ready {
                        ready += 1;
                    }
                    continue;
                }
                (Some(t), _) => {
                    reason = match non_empty(t.reason.as_ref()) {
                        Some(r) => format!("Init:{r}"),
                        None => format!("Init:{}", exit_text(t)),
                    };
                }
                (None, Some(w))
                    if non_empty(w.reason.as_ref()).is_some_and(|r| r != "PodInitializing") =>
                {
                    reason = format!("Init:{}", w.reason.as_deref().unwrap_or_default());
                }
                _ => reason = format!("Init:{i}/{}", self.spec.init_containers.len()),
            }
            initializing = true;
            break;
        }

        if !initializing || self.condition_true("Initialized") {
            restarts = sidecar_restarts;
            last_restart = last_sidecar_restart;
            let mut has_running = false;
            for c in st.container_statuses.iter().rev() {
                restarts = restarts.saturating_add(c.restart_count.unwrap_or(0));
                last_restart = later(
                    last_restart,
                    c.last_state.terminated.as_ref().and_then(|t| t.finished_at),
                );
                let state = &c.state;
                if let Some(r) = state
                    .waiting
                    .as_ref()
                    .and_then(|w| non_empty(w.reason.as_ref()))
                {
                    r.clone_into(&mut reason);
                } else if let Some(t) = &state.terminated {
                    reason =
                        non_empty(t.reason.as_ref()).map_or_else(|| exit_text(t), str::to_owned);
                } else if c.ready && state.running.is_some() {
                    has_running = true;
                    ready += 1;
                }
            }
            if reason == "Completed" && has_running {
                if self.condition_true("Ready") {
                    "Running"
                } else {
                    "NotReady"
                }
                .clone_into(&mut reason);
            }
        }

        if self.metadata.deletion_timestamp.is_some() {
            if st.reason.as_deref() == Some("NodeLost") {
                "Unknown".clone_into(&mut reason);
            } else if phase != "Succeeded" && phase != "Failed" {
                "Terminating".clone_into(&mut reason);
            }
        }
        PodSummary {
            ready,
            total,
            status: reason,
            restarts,
            last_restart,
        }
    }

    /// READY as `oc get pods` prints it (`1/2`).
    pub fn ready_text(&self) -> String {
        self.summary().ready_text()
    }

    /// STATUS as `oc get pods` prints it (see [`Pod::summary`]).
    pub fn status_text(&self) -> String {
        self.summary().status
    }

    /// RESTARTS: the restart count `oc get pods` adds up.
    pub fn restarts(&self) -> i64 {
        self.summary().restarts
    }

    /// The pod's IP: the first of `podIPs`, else `podIP`.
    pub fn ip(&self) -> Option<&str> {
        self.status
            .pod_ips
            .first()
            .map(|p| p.ip.as_str())
            .filter(|s| !s.is_empty())
            .or(non_empty(self.status.pod_ip.as_ref()))
    }

    /// The node it runs on.
    pub fn node_name(&self) -> Option<&str> {
        non_empty(self.spec.node_name.as_ref())
    }

    /// READINESS GATES as `oc get pods -o wide` prints it: `true/total`, or `None`
    /// when the pod has no gates.
    pub fn readiness_gates_text(&self) -> Option<String> {
        if self.spec.readiness_gates.is_empty() {
            return None;
        }
        let ok = self
            .spec
            .readiness_gates
            .iter()
            .filter(|g| self.condition_true(&g.condition_type))
            .count();
        Some(format!("{ok}/{}", self.spec.readiness_gates.len()))
    }
}
