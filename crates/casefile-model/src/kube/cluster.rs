//! Cluster-level config objects: ClusterVersion, Infrastructure, Network.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use crate::Timestamp;

/// `config.openshift.io/v1` ClusterVersion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterVersion {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec.
    pub spec: ClusterVersionSpec,
    /// Status.
    pub status: ClusterVersionStatus,
}

/// `ClusterVersion.spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClusterVersionSpec {
    /// The cluster's unique ID.
    #[serde(rename = "clusterID")]
    pub cluster_id: String,
    /// Update channel.
    pub channel: Option<String>,
}

/// `ClusterVersion.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClusterVersionStatus {
    /// The release being reconciled.
    pub desired: Release,
    /// Update history, newest first.
    pub history: Vec<UpdateHistory>,
}

/// A release reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Release {
    /// Version string.
    pub version: String,
    /// Release image.
    pub image: String,
}

/// One entry of `ClusterVersion.status.history`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UpdateHistory {
    /// `Completed` or `Partial`.
    pub state: String,
    /// Version.
    pub version: String,
    /// Start.
    pub started_time: Option<Timestamp>,
    /// End.
    pub completion_time: Option<Timestamp>,
}

impl ClusterVersion {
    /// The version the cluster was installed with (oldest history entry).
    pub fn born_version(&self) -> Option<&str> {
        self.status.history.last().map(|h| h.version.as_str())
    }
}

/// `config.openshift.io/v1` Infrastructure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Infrastructure {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Status.
    pub status: InfrastructureStatus,
}

/// `Infrastructure.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InfrastructureStatus {
    /// Platform (older field).
    pub platform: Option<String>,
    /// Platform status.
    pub platform_status: Option<PlatformStatus>,
    /// Infrastructure name.
    pub infrastructure_name: Option<String>,
    /// External API URL.
    #[serde(rename = "apiServerURL")]
    pub api_server_url: Option<String>,
    /// Internal API URL (api-int).
    #[serde(rename = "apiServerInternalURI")]
    pub api_server_internal_uri: Option<String>,
}

/// `Infrastructure.status.platformStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformStatus {
    /// Platform type.
    #[serde(rename = "type")]
    pub kind: String,
}

impl Infrastructure {
    /// The platform name.
    pub fn platform(&self) -> Option<&str> {
        self.status
            .platform_status
            .as_ref()
            .map(|p| p.kind.as_str())
            .filter(|s| !s.is_empty())
            .or(self.status.platform.as_deref())
    }
}

/// `config.openshift.io/v1` Network (the cluster network config).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkConfig {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec.
    pub spec: NetworkSpec,
    /// Status.
    pub status: NetworkSpec,
}

/// `Network.spec` / `.status` (the field we need is in both).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NetworkSpec {
    /// `OVNKubernetes`, `OpenShiftSDN`, ...
    pub network_type: Option<String>,
}
