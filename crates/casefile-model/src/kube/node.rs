//! Node: roles, conditions (with heartbeat and transition times) and versions.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use crate::Timestamp;

/// A Node, narrowed to what casefile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Node {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Status.
    pub status: NodeStatus,
}

/// `Node.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeStatus {
    /// Conditions.
    pub conditions: Vec<NodeCondition>,
    /// Versions of the node's software.
    pub node_info: NodeInfo,
    /// Addresses.
    pub addresses: Vec<NodeAddress>,
}

/// `Node.status.nodeInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeInfo {
    /// Kubelet version.
    pub kubelet_version: String,
    /// OS image.
    pub os_image: String,
    /// Container runtime.
    pub container_runtime_version: String,
    /// Kernel.
    pub kernel_version: String,
}

/// `Node.status.addresses[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeAddress {
    /// `InternalIP`, `Hostname`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The address.
    pub address: String,
}

/// A node condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeCondition {
    /// `Ready`, `MemoryPressure`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// `True`, `False`, `Unknown`.
    pub status: String,
    /// Reason.
    pub reason: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// Last kubelet heartbeat.
    pub last_heartbeat_time: Option<Timestamp>,
    /// Last status change.
    pub last_transition_time: Option<Timestamp>,
}

impl Node {
    /// Roles from `node-role.kubernetes.io/<role>` labels, sorted.
    pub fn roles(&self) -> Vec<String> {
        let mut r: Vec<String> = self
            .metadata
            .labels
            .keys()
            .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        r.sort();
        r
    }

    /// The `Ready` condition.
    pub fn ready(&self) -> Option<&NodeCondition> {
        self.status.conditions.iter().find(|c| c.kind == "Ready")
    }

    /// `Ready`, `NotReady` or `Unknown`, as `oc get nodes` prints it.
    pub fn ready_text(&self) -> &'static str {
        match self.ready().map(|c| c.status.as_str()) {
            Some("True") => "Ready",
            Some("False") => "NotReady",
            _ => "Unknown",
        }
    }
}
