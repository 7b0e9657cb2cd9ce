//! MachineConfigPool: whether a pool is paused and how far its rollout got.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use crate::Timestamp;

/// `machineconfiguration.openshift.io/v1` MachineConfigPool, narrowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachineConfigPool {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec.
    pub spec: PoolSpec,
    /// Status.
    pub status: PoolStatus,
}

/// `MachineConfigPool.spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoolSpec {
    /// A paused pool receives no new rendered configuration.
    pub paused: bool,
    /// The rendered configuration the pool should run.
    pub configuration: PoolConfiguration,
}

/// A rendered MachineConfig reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoolConfiguration {
    /// `rendered-<pool>-<hash>`.
    pub name: String,
}

/// `MachineConfigPool.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PoolStatus {
    /// The rendered configuration the pool's machines run.
    pub configuration: PoolConfiguration,
    /// Machines in the pool.
    pub machine_count: i64,
    /// Machines on the target configuration.
    pub updated_machine_count: i64,
    /// Degraded machines.
    pub degraded_machine_count: i64,
    /// Conditions (`Updated`, `Updating`, `Degraded`, ...).
    pub conditions: Vec<PoolCondition>,
}

/// A pool condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PoolCondition {
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// `True`, `False`, `Unknown`.
    pub status: String,
    /// Reason.
    pub reason: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// Last transition.
    pub last_transition_time: Option<Timestamp>,
}

impl MachineConfigPool {
    /// Whether the pool's machines lag behind its desired rendered configuration.
    pub fn is_behind(&self) -> bool {
        let target = &self.spec.configuration.name;
        let off_target = !target.is_empty() && *target != self.status.configuration.name;
        off_target || self.status.updated_machine_count < self.status.machine_count
    }
}
