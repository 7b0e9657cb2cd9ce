//! Lease: a node's heartbeat (`kube-node-lease/<node>`), and leader election records.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use crate::Timestamp;

/// `coordination.k8s.io/v1` Lease, narrowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lease {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec.
    pub spec: LeaseSpec,
}

/// `Lease.spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LeaseSpec {
    /// Holder (for node leases, the node name).
    pub holder_identity: Option<String>,
    /// Last renewal: for a node lease, the kubelet's last heartbeat.
    #[serde(deserialize_with = "super::event::lenient_time")]
    pub renew_time: Option<Timestamp>,
    /// When the current holder acquired it.
    #[serde(deserialize_with = "super::event::lenient_time")]
    pub acquire_time: Option<Timestamp>,
}
