//! Kubernetes object identity and the little metadata every indexed object carries.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Identifies a Kubernetes object: API group, kind, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    /// API group (`""` for core).
    pub group: String,
    /// Kind, e.g. `Pod`.
    pub kind: String,
    /// Namespace (`None` for cluster-scoped objects).
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{ns}/{}/{}", self.kind, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

/// The metadata the index keeps for every object without parsing it fully.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectMetaLite {
    /// `apiVersion` as written (`v1`, `apps/v1`, ...).
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
    /// `metadata.uid`.
    pub uid: Option<String>,
    /// `metadata.creationTimestamp`.
    pub created: Option<Timestamp>,
}

impl ObjectMetaLite {
    /// The API group part of `apiVersion` (`""` for core `v1`).
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    /// The object's key.
    pub fn key(&self) -> ObjectKey {
        ObjectKey {
            group: self.group().to_owned(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_is_taken_from_api_version() {
        let mut m = ObjectMetaLite {
            api_version: "config.openshift.io/v1".into(),
            kind: "ClusterVersion".into(),
            name: "version".into(),
            namespace: None,
            uid: None,
            created: None,
        };
        assert_eq!(m.group(), "config.openshift.io");
        m.api_version = "v1".into();
        assert_eq!(m.group(), "");
        assert_eq!(m.key().to_string(), "ClusterVersion/version");
    }
}

pub mod cluster;
pub mod node;

pub use cluster::{ClusterVersion, Infrastructure, NetworkConfig, UpdateHistory};
pub use node::{Node, NodeCondition};

/// `metadata` as far as typed views need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: Option<String>,
    /// UID.
    pub uid: Option<String>,
    /// Creation time.
    pub creation_timestamp: Option<Timestamp>,
    /// Labels.
    pub labels: std::collections::BTreeMap<String, String>,
    /// Annotations.
    pub annotations: std::collections::BTreeMap<String, String>,
}

pub mod cluster_operator;
pub mod config;
pub mod csr;
pub mod event;
pub mod pod;

pub use cluster_operator::{ClusterOperator, OperatorCondition};
pub use config::{ConfigMap, Secret, SecretValue};
pub use csr::CertificateSigningRequest;
pub use event::Event;
pub use pod::{Pod, PodSummary};

pub mod mcp;

pub use mcp::MachineConfigPool;

pub mod lease;

pub use lease::Lease;

/// A status condition as most kinds write it (ClusterOperator, Pod, ...): type, status,
/// reason, message and the last transition, tolerant of nulls and odd times.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    /// Condition type (`Available`, `Ready`, ...).
    #[serde(rename = "type", deserialize_with = "event::nullable")]
    pub kind: String,
    /// `True`, `False`, `Unknown`.
    #[serde(deserialize_with = "event::nullable")]
    pub status: String,
    /// CamelCase reason.
    #[serde(deserialize_with = "event::nullable")]
    pub reason: Option<String>,
    /// Human-readable detail (may span lines).
    #[serde(deserialize_with = "event::nullable")]
    pub message: Option<String>,
    /// Last status change.
    #[serde(deserialize_with = "event::lenient_time")]
    pub last_transition_time: Option<Timestamp>,
}
