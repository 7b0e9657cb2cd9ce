//! ClusterOperator: the health every OpenShift operator reports.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use super::event::nullable;

/// `config.openshift.io/v1` ClusterOperator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterOperator {
    /// Metadata.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// Status.
    #[serde(deserialize_with = "nullable")]
    pub status: ClusterOperatorStatus,
}

/// `ClusterOperator.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClusterOperatorStatus {
    /// Conditions (`Available`, `Progressing`, `Degraded`, `Upgradeable`, ...).
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<OperatorCondition>,
    /// Versions of the operator (`name: operator`) and its operands.
    #[serde(deserialize_with = "nullable")]
    pub versions: Vec<OperandVersion>,
    /// Objects the operator points at (its namespaces, its config, its operands).
    #[serde(deserialize_with = "nullable")]
    pub related_objects: Vec<RelatedObject>,
}

/// `ClusterOperator.status.conditions[]` (`Available`, `Progressing`, `Degraded`, `Upgradeable`, ...).
pub type OperatorCondition = super::Condition;

/// `ClusterOperator.status.versions[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OperandVersion {
    /// `operator` or an operand name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// The version.
    #[serde(deserialize_with = "nullable")]
    pub version: String,
}

/// `ClusterOperator.status.relatedObjects[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelatedObject {
    /// API group (`""` for core).
    #[serde(deserialize_with = "nullable")]
    pub group: String,
    /// Resource plural (`namespaces`, `configmaps`, ...).
    #[serde(deserialize_with = "nullable")]
    pub resource: String,
    /// Namespace, for namespaced objects.
    #[serde(deserialize_with = "nullable")]
    pub namespace: Option<String>,
    /// Name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
}

impl ClusterOperator {
    /// The condition of a type (`Available`, `Degraded`, ...).
    pub fn condition(&self, kind: &str) -> Option<&OperatorCondition> {
        self.status.conditions.iter().find(|c| c.kind == kind)
    }

    /// The status (`True`, `False`, `Unknown`) of a condition, if present.
    pub fn condition_status(&self, kind: &str) -> Option<&str> {
        self.condition(kind).map(|c| c.status.as_str())
    }

    /// The version reported for an operand name.
    pub fn version(&self, name: &str) -> Option<&str> {
        self.status
            .versions
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.version.as_str())
    }

    /// The operator's own version (the `operator` entry; the VERSION column).
    pub fn operator_version(&self) -> Option<&str> {
        self.version("operator")
    }

    /// Whether it is `Available=True`, `Progressing=False` and `Degraded=False`
    /// (missing conditions count as unhealthy, except a missing `Degraded`).
    pub fn is_healthy(&self) -> bool {
        self.condition_status("Available") == Some("True")
            && self.condition_status("Progressing") == Some("False")
            && self
                .condition_status("Degraded")
                .is_none_or(|s| s == "False")
    }
}
