//! CertificateSigningRequest: who asked for which certificate, and what was issued.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use super::config::decode_base64;
use super::event::{lenient_time, nullable};
use crate::Timestamp;

/// `certificates.k8s.io` CertificateSigningRequest (v1 or v1beta1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateSigningRequest {
    /// Metadata.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(deserialize_with = "nullable")]
    pub spec: CsrSpec,
    /// Status.
    #[serde(deserialize_with = "nullable")]
    pub status: CsrStatus,
}

/// `CertificateSigningRequest.spec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CsrSpec {
    /// The signer asked for (`kubernetes.io/kubelet-serving`,
    /// `kubernetes.io/kube-apiserver-client-kubelet`, ...); absent in old v1beta1 objects.
    #[serde(deserialize_with = "nullable")]
    pub signer_name: Option<String>,
    /// The requesting user (`system:node:<node>`, `system:serviceaccount:...`).
    #[serde(deserialize_with = "nullable")]
    pub username: String,
    /// Key usages asked for (`digital signature`, `server auth`, ...).
    #[serde(deserialize_with = "nullable")]
    pub usages: Vec<String>,
}

/// `CertificateSigningRequest.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsrStatus {
    /// The issued certificate: base64 of PEM.
    #[serde(deserialize_with = "nullable")]
    pub certificate: Option<String>,
    /// `Approved`, `Denied`, `Failed`.
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<CsrCondition>,
}

/// `CertificateSigningRequest.status.conditions[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CsrCondition {
    /// `Approved`, `Denied` or `Failed`.
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub kind: String,
    /// `True` (may be missing in v1beta1 objects).
    #[serde(deserialize_with = "nullable")]
    pub status: Option<String>,
    /// When the condition was last updated (the approval time for `Approved`).
    #[serde(deserialize_with = "lenient_time")]
    pub last_update_time: Option<Timestamp>,
    /// Reason (`KubectlApprove`, `NodeCSRApprove`, `AutoApproved`, ...).
    #[serde(deserialize_with = "nullable")]
    pub reason: Option<String>,
    /// Message.
    #[serde(deserialize_with = "nullable")]
    pub message: Option<String>,
}

impl CertificateSigningRequest {
    /// The condition of a type.
    pub fn condition(&self, kind: &str) -> Option<&CsrCondition> {
        self.status.conditions.iter().find(|c| c.kind == kind)
    }

    /// Whether a certificate was issued.
    pub fn is_issued(&self) -> bool {
        self.status
            .certificate
            .as_deref()
            .is_some_and(|c| !c.is_empty())
    }

    /// The issued certificate, decoded from base64 (PEM text), if any and valid.
    pub fn certificate_pem(&self) -> Option<Vec<u8>> {
        self.status
            .certificate
            .as_deref()
            .filter(|c| !c.is_empty())
            .and_then(decode_base64)
    }

    /// The CONDITION column of `oc get csr`: `Denied`, else `Approved`, else `Pending`;
    /// then `,Failed` and `,Issued` when they apply (kubectl ignores the condition status).
    pub fn condition_text(&self) -> String {
        let has = |k: &str| self.status.conditions.iter().any(|c| c.kind == k);
        let mut s = if has("Denied") {
            "Denied"
        } else if has("Approved") {
            "Approved"
        } else {
            "Pending"
        }
        .to_owned();
        if has("Failed") {
            s.push_str(",Failed");
        }
        if self.is_issued() {
            s.push_str(",Issued");
        }
        s
    }
}
