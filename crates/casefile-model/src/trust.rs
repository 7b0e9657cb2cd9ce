//! Certificate trust as analysis reports it: the signers of a case and their generations,
//! the rotations between generations, the serving (and client) chains that matter, and a
//! verdict per consumer copy of trust: does this CA bundle contain the CA that verifies the
//! certificate currently served, and since when not?
//!
//! Filled by the correlation crate (`casefile_correlate::trust`); every record carries the
//! [`Provenance`] it was derived from. Issuers are always established by verifying
//! signatures, never by matching names: two CAs with the same subject but different keys
//! are different generations.

use serde::{Deserialize, Serialize};

use crate::{CaRef, Provenance, Timestamp};

/// A reference to any certificate, CA or leaf (subject, SHA-256 of the DER, notBefore).
/// The same shape as [`CaRef`].
pub type CertRef = CaRef;

/// Everything the trust analysis found in one case. Every list is sorted; the output is
/// the same at any thread count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustReport {
    /// Signers (signing CAs grouped by the Secret that holds them), sorted by name.
    pub signers: Vec<Signer>,
    /// Changes from one generation of a signer to the next, sorted by time then signer.
    pub rotations: Vec<Rotation>,
    /// Serving and client chains: target Secrets whose certificate a known signer issued,
    /// sorted by target.
    pub serving: Vec<ServingChain>,
    /// One verdict per (consumer copy of trust, chain it is relevant to), sorted by consumer
    /// then chain.
    pub consumers: Vec<ConsumerVerdict>,
    /// Known hazards (legacy Secret types, premature re-creation of long-lived signers,
    /// signer Secrets deleted and re-created), sorted by kind then object.
    pub hazards: Vec<Hazard>,
}

impl TrustReport {
    /// The verdicts of consumers that do not trust what is served now and are not
    /// superseded by a live copy (see [`ConsumerVerdict::is_stale`]).
    pub fn stale(&self) -> impl Iterator<Item = &ConsumerVerdict> {
        self.consumers.iter().filter(|v| v.is_stale())
    }

    /// A signer by name (`ns/secret`).
    pub fn signer(&self, name: &str) -> Option<&Signer> {
        self.signers.iter().find(|s| s.name == name)
    }

    /// A serving chain by target (`ns/secret`).
    pub fn chain(&self, target: &str) -> Option<&ServingChain> {
        self.serving.iter().find(|c| c.target == target)
    }
}

/// A signing CA identity and every generation of it found in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The Secret that holds (or held) the signer, as `ns/name`, e.g.
    /// `openshift-kube-apiserver-operator/loadbalancer-serving-signer`.
    pub name: String,
    /// Generations, oldest first.
    pub generations: Vec<Generation>,
}

/// One generation of a signer: one CA certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation {
    /// The CA certificate.
    pub ca: CaRef,
    /// Its subject common name (`kube-apiserver-lb-signer`,
    /// `openshift-kube-apiserver-operator_loadbalancer-serving-signer@1706711832`).
    pub cn: String,
    /// SHA-256 of its SubjectPublicKeyInfo (a new key is a new CA even under the same name).
    pub spki_sha256: String,
    /// End of its validity.
    pub not_after: Timestamp,
    /// When this generation came into being, from the best evidence.
    pub born: Timestamp,
    /// Which evidence dated it: `@unix in CN`, `SecretCreated event`,
    /// `SignerUpdateRequired event` or `notBefore`, followed by the evidence that agrees
    /// within an hour, e.g. `@unix in CN (agreeing: SecretCreated event, creationTimestamp,
    /// certificate-not-before annotation, notBefore)`.
    pub born_from: String,
    /// Whether the signer Secret holds this generation now (older ones survive in bundles).
    pub current: bool,
    /// Where it was found and what dated it.
    pub evidence: Vec<Provenance>,
}

/// A signer moving from one generation to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    /// The signer (`ns/secret`).
    pub signer: String,
    /// The previous generation; `None` when it is not in the case but the new one is known
    /// to be a re-creation (a long-lived signer born well after the cluster).
    pub from: Option<CaRef>,
    /// The new generation.
    pub to: CaRef,
    /// When (the new generation's birth, see [`Generation::born`]).
    pub at: Timestamp,
    /// Evidence: the new CA's sources, operator events and log lines, the Secret.
    pub evidence: Vec<Provenance>,
    /// A long-lived (10-year) signer re-created long before its refresh time (8 years,
    /// 80 % of the validity): the 4.15 delete-and-create hazard, or a manual rotation.
    pub premature: bool,
}

/// A target Secret whose leaf certificate (serving or client) a known signer issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServingChain {
    /// The target Secret as `ns/name`, e.g.
    /// `openshift-kube-apiserver/internal-loadbalancer-serving-certkey`.
    pub target: String,
    /// What it is for: `api-int`, `api`, `localhost`, `service-network`,
    /// `localhost-recovery`, `kubelet-client`, `aggregator-client`, `control-plane-client`,
    /// `service-serving`, `router` or `other`.
    pub purpose: String,
    /// The certificate served now.
    pub cert: CertRef,
    /// End of its validity.
    pub not_after: Timestamp,
    /// The CA whose key verifies its signature (not matched by name).
    pub issued_by: Option<CaRef>,
    /// The signer that CA is a generation of (`ns/secret`).
    pub signer: Option<String>,
    /// When the current issuer started being served: the notBefore of the first
    /// certificate of this target from that CA (the certificate-not-before annotation on the
    /// target Secret says the same), set only when an earlier issuer is known. When the
    /// target was re-issued more than once by the new CA and the earlier copies are not in
    /// the case, this is the current certificate's notBefore, i.e. an upper bound.
    pub switched_at: Option<Timestamp>,
    /// The issuer before the switch: from an older copy of the target (revisioned Secrets)
    /// when there is one, else the signer's previous generation.
    pub previous_issuer: Option<CaRef>,
    /// Other targets served with certificates from the same CA and signer, folded into this
    /// chain (their verdicts would be identical); only for service-serving and other
    /// generic targets.
    pub same_issuer: Vec<String>,
    /// Evidence: the target Secret, older copies, operator events and log lines.
    pub evidence: Vec<Provenance>,
}

/// Whether one consumer copy of trust (a CA bundle) trusts one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerVerdict {
    /// The copy: `ns/Kind/name key` for objects (`openshift-multus/ConfigMap/kube-root-ca.crt
    /// ca.crt`), `path field` for files.
    pub consumer: String,
    /// The chain's target (`ns/name`).
    pub chain: String,
    /// Whether the bundle holds a CA that verifies the certificate served now.
    pub trusts_current: bool,
    /// The CA it lacks (the chain's current issuer), when it does not trust.
    pub missing_ca: Option<CaRef>,
    /// Since when it has not trusted what is served: the chain's switch time. `None` when
    /// it trusts, is superseded, or the switch could not be dated.
    pub stale_since: Option<Timestamp>,
    /// Why a non-trusting copy does not matter: the live copy that replaced it (a newer
    /// revision, MCO `kubeconfig-data` for the frozen day-1 bundle) or that no node runs it.
    pub superseded_by: Option<String>,
    /// Evidence: the consumer's source, then the chain's certificate source.
    pub evidence: Vec<Provenance>,
    /// One sentence for humans.
    pub note: String,
}

impl ConsumerVerdict {
    /// A live copy that does not trust the certificate served now.
    pub fn is_stale(&self) -> bool {
        !self.trusts_current && self.superseded_by.is_none()
    }
}

/// A known hazard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    /// `legacy-secret-type` (a Secret of `type: SecretTypeTLS`, written by older bootkube
    /// manifests, e.g. on clusters born on 4.6 or older), `premature-signer-rotation` (a
    /// long-lived signer re-created long before its refresh time), or
    /// `signer-secret-recreated` (a signer Secret deleted and created again while keeping its
    /// CA: the 4.15 delete-and-create path).
    pub kind: String,
    /// The object concerned (`ns/Secret/name`).
    pub object: String,
    /// When it happened or was created, if known.
    pub at: Option<Timestamp>,
    /// One sentence for humans.
    pub detail: String,
    /// Evidence.
    pub evidence: Vec<Provenance>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{ArchiveId, ArtifactId};

    fn verdict(trusts: bool, superseded: Option<&str>) -> ConsumerVerdict {
        ConsumerVerdict {
            consumer: "ns/ConfigMap/kube-root-ca.crt ca.crt".into(),
            chain: "openshift-kube-apiserver/internal-loadbalancer-serving-certkey".into(),
            trusts_current: trusts,
            missing_ca: None,
            stale_since: None,
            superseded_by: superseded.map(str::to_owned),
            evidence: vec![Provenance::file(ArtifactId::new(ArchiveId(0), 1))],
            note: String::new(),
        }
    }

    #[test]
    fn stale_means_live_and_not_trusting() {
        assert!(verdict(false, None).is_stale());
        assert!(!verdict(true, None).is_stale());
        assert!(!verdict(false, Some("newer revision")).is_stale());
        let report = TrustReport {
            consumers: vec![verdict(false, None), verdict(true, None)],
            ..TrustReport::default()
        };
        assert_eq!(report.stale().count(), 1);
        assert!(report.signer("x").is_none());
        assert!(report.chain("x").is_none());
    }
}
