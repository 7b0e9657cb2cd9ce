//! X.509 certificates found in a case, where each one was found, and what could not be
//! collected because the archive redacted or scrubbed it.
//!
//! These are plain records: decoding happens in the parser crate, analysis (signers,
//! generations, trust) in the correlation crate. A [`Certificate`] keeps its DER so that
//! signatures can be verified later without going back to the archive.

use serde::{Deserialize, Serialize};

use crate::{Provenance, Timestamp};

/// One decoded X.509 certificate, identified by the SHA-256 of its DER encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// SHA-256 of the DER encoding, lowercase hex (the identity of the certificate).
    pub sha256: String,
    /// Subject distinguished name in certificate order, e.g. `OU=openshift, CN=kubelet-signer`.
    pub subject: String,
    /// The (first) common name of the subject.
    pub subject_cn: Option<String>,
    /// Issuer distinguished name in certificate order.
    pub issuer: String,
    /// The (first) common name of the issuer.
    pub issuer_cn: Option<String>,
    /// Serial number, lowercase hex of the encoded integer bytes.
    pub serial: String,
    /// Start of validity.
    pub not_before: Timestamp,
    /// End of validity.
    pub not_after: Timestamp,
    /// Whether `basicConstraints` says `CA:TRUE`.
    pub is_ca: bool,
    /// Subject key identifier, lowercase hex, when the extension is present.
    pub ski: Option<String>,
    /// Authority key identifier (its key identifier part), lowercase hex, when present.
    pub aki: Option<String>,
    /// Subject alternative names: `DNS:<name>`, `IP:<address>`, `email:<addr>`, `URI:<uri>`.
    pub sans: Vec<String>,
    /// Public key type and size: `RSA 2048`, `EC P-256`, `Ed25519`, ...
    pub key_type: String,
    /// Whether the certificate is signed by its own key (issuer = subject and the
    /// signature verifies with the certificate's own public key).
    pub self_signed: bool,
    /// SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: tells apart two CAs that
    /// share a name but not a key, and links a re-issued certificate to the same key.
    pub spki_sha256: String,
    /// The DER encoding (kept for signature checks; never serialized).
    #[serde(skip)]
    pub der: Vec<u8>,
}

impl Certificate {
    /// The validity period's length.
    pub fn lifetime(&self) -> jiff::SignedDuration {
        self.not_after.duration_since(self.not_before)
    }

    /// Whether the certificate is valid (inside its validity period) at `at`.
    pub fn is_valid_at(&self, at: Timestamp) -> bool {
        self.not_before <= at && at <= self.not_after
    }
}

/// Where a certificate was found: one object key or kubeconfig field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CertSource {
    /// The archive, file and line: the object's first line for API objects, the field's
    /// line for kubeconfig files.
    pub provenance: Provenance,
    /// The object as `ns/Kind/name` (`Kind/name` when cluster-scoped); `None` for plain
    /// files such as a node's `/etc/kubernetes/kubeconfig`.
    pub object: Option<String>,
    /// The data key (`ca-bundle.crt`, `tls.crt`), `status.certificate` for a CSR, or the
    /// kubeconfig field (`certificate-authority-data`, `<data key>:certificate-authority-data`
    /// for a kubeconfig stored in an object).
    pub key: String,
}

/// One distinct certificate and every place it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryEntry {
    /// The certificate.
    pub cert: Certificate,
    /// Every source, sorted and without duplicates.
    pub sources: Vec<CertSource>,
}

/// A value that would have held certificates or secrets but was redacted or scrubbed by
/// the collection tool: "not collected", neither an error nor an absence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NotCollected {
    /// Where the value is: the object's first line, or the field's line in a file.
    pub provenance: Provenance,
    /// The object as `ns/Kind/name`; `None` for plain files.
    pub object: Option<String>,
    /// The data key or kubeconfig field.
    pub key: String,
    /// How it was hidden.
    pub why: Redaction,
}

/// How a collection tool hid a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Redaction {
    /// `oc adm inspect` replaced the value by the text `"<N> bytes long"`; N is the
    /// original length (saturated at `usize::MAX`).
    InspectBytesLong(usize),
    /// sosreport scrubbed the value to `*******`.
    SosScrubbed,
    /// The value is the marker `REDACTED` (must-gather-clean and similar tools).
    Redacted,
    /// The value is the marker `ANONYMIZED` (Insights archives and similar tools).
    Anonymized,
    /// The value is empty.
    Empty,
}

impl std::fmt::Display for Redaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InspectBytesLong(n) => write!(f, "redacted by oc adm inspect ({n} bytes long)"),
            Self::SosScrubbed => f.write_str("scrubbed by sosreport (*******)"),
            Self::Redacted => f.write_str("REDACTED"),
            Self::Anonymized => f.write_str("ANONYMIZED"),
            Self::Empty => f.write_str("empty"),
        }
    }
}
