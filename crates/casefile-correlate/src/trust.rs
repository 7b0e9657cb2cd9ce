//! Certificate trust: signers, generations, signatures, consumers.
//!
//! From the certificate inventory of a [`Snapshot`] this module answers the questions of a
//! trust-propagation incident (the shared `incident.md`, §1.3, §2, §7):
//!
//! 1. **Who signed what.** Every issuer is established by verifying the signature with the
//!    candidate issuer's public key ([`is_signed_by`]); names only pick the candidates. Two
//!    CAs with the same subject and different keys are told apart.
//! 2. **Signers and generations.** CA certificates are grouped by signer identity: the
//!    `<ns>_<name>@<unix>` CN that library-go gives a CA it mints, the installer's CNs
//!    (`kube-apiserver-lb-signer`, …) mapped to the Secret that holds them, and otherwise the
//!    Secret whose `tls.crt` holds only that CA. Each generation is dated from the best
//!    evidence: the `@<unix>` in the CN, else the operator's `SecretCreated` /
//!    `SignerUpdateRequired` events (Event objects, or their klog `Event(...)` lines in the
//!    operator's pod log when a [`ContentSource`] is given), else `notBefore`; the holding
//!    Secret's `creationTimestamp` and `certificate-not-before` annotation corroborate.
//! 3. **Serving chains.** Every target Secret whose `tls.crt` leaf a known signer issued:
//!    api-int (`internal-loadbalancer-serving-certkey`), api, localhost, service-network,
//!    localhost-recovery, `kubelet-client` (kube-apiserver → kubelet), aggregator and
//!    control-plane clients; other targets (service-serving certificates, the router) only
//!    when their signer rotated, folded per issuing CA. The switch time is the `notBefore`
//!    of the first certificate of the target from its current CA when an earlier issuer is
//!    known (older revisioned copies of the target, or the signer's previous generation).
//! 4. **Consumers.** Every copy of trust in the inventory — ConfigMap bundles (every
//!    namespace's `kube-root-ca.crt`, `initial-kube-apiserver-server-ca`,
//!    `kube-apiserver-server-ca`, `serviceaccount-ca`, MCO `kubeconfig-data`, …), Secret
//!    `ca.crt` / `service-ca.crt` (`node-bootstrapper-token`, SA token Secrets), kubeconfig
//!    `certificate-authority-data` that was not scrubbed — is a consumer of a chain when it
//!    holds any generation of the chain's signer. The verdict says whether it holds a CA that
//!    verifies the certificate served now ("the producer contains a CA that currently signs
//!    a serving cert and the consumer does not"). Copies that no longer matter are marked
//!    superseded instead of stale: lower revisions of a revisioned ConfigMap, the frozen day-1
//!    `initial-kube-apiserver-server-ca` once MCO's `kubeconfig-data` carries the new CA, and
//!    rendered MachineConfigs no node runs.
//! 5. **Hazards.** Secrets of `type: SecretTypeTLS`, long-lived signers re-created long
//!    before their refresh time, and signer Secrets deleted and created again.
//!
//! "Now" is the snapshot; nothing reads the wall clock. Output lists are sorted, so the
//! report is the same at any thread count.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use casefile_model::kube::Secret;
use casefile_model::{
    ArtifactId, CaRef, Certificate, ConsumerVerdict, ContentSource, Generation, Hazard,
    InventoryEntry, Located, LogSource, Provenance, Rotation, ServingChain, Severity, Signer,
    Snapshot, Stage, TimelineEntry, Timestamp, TrustReport,
};
use jiff::SignedDuration;
use rayon::prelude::*;
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;

/// The Secret annotation library-go writes with a signer's or target's notBefore.
pub const NOT_BEFORE_ANNOTATION: &str = "auth.openshift.io/certificate-not-before";

/// The Node annotation naming the rendered MachineConfig the node runs.
pub const CURRENT_CONFIG_ANNOTATION: &str = "machineconfiguration.openshift.io/currentConfig";

/// The Secret type older bootkube manifests wrote on signer Secrets (the Go constant's name
/// instead of `kubernetes.io/tls`).
pub const LEGACY_TLS_TYPE: &str = "SecretTypeTLS";

/// Installer (and well-known operator) CA common names, without any `@<unix>` suffix, and
/// the Secret (`ns/name`) that holds that signer (incident.md §1.3, §2.1).
pub const KNOWN_SIGNER_CNS: &[(&str, &str)] = &[
    (
        "kube-apiserver-lb-signer",
        "openshift-kube-apiserver-operator/loadbalancer-serving-signer",
    ),
    (
        "kube-apiserver-localhost-signer",
        "openshift-kube-apiserver-operator/localhost-serving-signer",
    ),
    (
        "kube-apiserver-service-network-signer",
        "openshift-kube-apiserver-operator/service-network-serving-signer",
    ),
    (
        "kube-apiserver-to-kubelet-signer",
        "openshift-kube-apiserver-operator/kube-apiserver-to-kubelet-signer",
    ),
    (
        "kube-control-plane-signer",
        "openshift-kube-apiserver-operator/kube-control-plane-signer",
    ),
    (
        "aggregator-signer",
        "openshift-kube-apiserver-operator/aggregator-client-signer",
    ),
    (
        "kubelet-signer",
        "openshift-kube-controller-manager-operator/csr-signer-signer",
    ),
    (
        "kube-csr-signer_",
        "openshift-kube-controller-manager/csr-signer",
    ),
    (
        "openshift-service-serving-signer",
        "openshift-service-ca/signing-key",
    ),
    ("ingress-operator", "openshift-ingress-operator/router-ca"),
    ("etcd-signer", "openshift-config/etcd-signer"),
    ("etcd-metric-signer", "openshift-config/etcd-metric-signer"),
];

/// Target Secret names and what they are for. Targets not listed are `service-serving`
/// (signed by the service CA), `router` (signed by the ingress operator's CA) or `other`.
pub const KNOWN_TARGETS: &[(&str, &str)] = &[
    ("internal-loadbalancer-serving-certkey", "api-int"),
    ("external-loadbalancer-serving-certkey", "api"),
    ("localhost-serving-cert-certkey", "localhost"),
    ("service-network-serving-certkey", "service-network"),
    ("localhost-recovery-serving-certkey", "localhost-recovery"),
    ("kubelet-client", "kubelet-client"),
    ("aggregator-client", "aggregator-client"),
    (
        "kube-controller-manager-client-cert-key",
        "control-plane-client",
    ),
    ("kube-scheduler-client-cert-key", "control-plane-client"),
    ("check-endpoints-client-cert-key", "control-plane-client"),
    (
        "control-plane-node-admin-client-cert-key",
        "control-plane-client",
    ),
];

/// The `kubeconfig-data` ConfigMap the MCO (4.16+, MCO#4106) keeps in sync with
/// `kube-apiserver-server-ca` and writes into every node's `/etc/kubernetes/kubeconfig`.
const MCO_KUBECONFIG_DATA: &str = "openshift-machine-config-operator/ConfigMap/kubeconfig-data";
/// The frozen day-1 api-int trust bundle.
const INITIAL_SERVER_CA: &str = "openshift-config/ConfigMap/initial-kube-apiserver-server-ca";

/// How far from a certificate's notBefore an event or creation time may be and still date it.
const DATING_WINDOW: SignedDuration = SignedDuration::from_hours(1);
/// Signers valid this long or longer are the "10-year" kind with an 8-year refresh.
const LONG_LIVED: SignedDuration = SignedDuration::from_hours(5 * 365 * 24);
/// Slack before calling a re-creation premature or a Secret re-created.
const SLACK: SignedDuration = SignedDuration::from_hours(30 * 24);

/// Analyzes the trust of a snapshot from Event objects only (no log lines).
pub fn analyze(snapshot: &Snapshot) -> TrustReport {
    analyze_with(snapshot, None)
}

/// Analyzes the trust of a snapshot. With `content`, the operators' pod logs are also read
/// for klog `Event(...)` lines (rotation events outlive their Event objects there), and
/// kubeconfig files are named by their path.
pub fn analyze_with(snapshot: &Snapshot, content: Option<&dyn ContentSource>) -> TrustReport {
    let index = Index::build(snapshot, content);
    let names = resolve_signers(&index);
    let events = collect_events(snapshot, content, &names, &index);
    let secrets: HashMap<String, &Located<Secret>> = snapshot
        .secrets
        .iter()
        .map(|s| {
            (
                format!(
                    "{}/{}",
                    s.value.metadata.namespace.as_deref().unwrap_or_default(),
                    s.value.metadata.name
                ),
                s,
            )
        })
        .collect();
    let signers = build_signers(&index, &names, &events, &secrets);
    let born = cluster_birth(snapshot, &signers);
    let rotations = build_rotations(&index, &signers, &events, born);
    let gen_of: HashMap<usize, (&str, usize)> = signers
        .iter()
        .flat_map(|s| {
            s.gens
                .iter()
                .enumerate()
                .map(move |(k, g)| (g.idx, (s.name.as_str(), k)))
        })
        .collect();
    let chains = build_chains(&index, &signers, &gen_of, &events);
    let consumers = build_verdicts(snapshot, &index, &chains);
    let mut hazards = build_hazards(snapshot, &signers, &rotations, &events, &secrets, &index);
    hazards.sort_by(|a, b| (&a.kind, &a.object, a.at).cmp(&(&b.kind, &b.object, b.at)));

    TrustReport {
        signers: signers.iter().map(|s| s.to_model(&index)).collect(),
        rotations,
        serving: chains.iter().map(|c| c.model.clone()).collect(),
        consumers,
        hazards,
    }
}

/// Whether `issuer` signed `cert`: the issuer's subject is the certificate's issuer name and
/// the issuer's public key verifies the certificate's signature. When the signature cannot
/// be checked here (no DER, an algorithm `ring` does not support, an RSA key shorter than
/// 2048 bits), the key identifiers decide (AKI of `cert` = SKI of `issuer`); a name match
/// alone never does.
pub fn is_signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let c = parse(&cert.der);
    let i = parse(&issuer.der);
    verify(cert, c.as_ref(), issuer, i.as_ref())
}

fn parse(der: &[u8]) -> Option<X509Certificate<'_>> {
    if der.is_empty() {
        return None;
    }
    x509_parser::parse_x509_certificate(der)
        .ok()
        .map(|(_, x)| x)
}

fn verify(
    cert: &Certificate,
    c: Option<&X509Certificate<'_>>,
    issuer: &Certificate,
    i: Option<&X509Certificate<'_>>,
) -> bool {
    let ids_match = matches!((&cert.aki, &issuer.ski), (Some(a), Some(s)) if a == s);
    let (Some(c), Some(i)) = (c, i) else {
        return cert.issuer == issuer.subject && ids_match;
    };
    if c.issuer().as_raw() != i.subject().as_raw() {
        return false;
    }
    match c.verify_signature(Some(i.public_key())) {
        Ok(()) => true,
        Err(X509Error::SignatureUnsupportedAlgorithm) => ids_match,
        Err(_) if rsa_bits(issuer).is_some_and(|b| b < 2048) => ids_match,
        Err(_) => false,
    }
}

fn rsa_bits(cert: &Certificate) -> Option<u32> {
    cert.key_type.strip_prefix("RSA ")?.trim().parse().ok()
}

/// The timeline rows of a report: signer rotations, serving switches and consumers going
/// stale, each with its first evidence as provenance (rows without evidence are left out).
pub fn timeline(report: &TrustReport) -> Vec<TimelineEntry> {
    let mut rows = Vec::new();
    for r in &report.rotations {
        let Some(p) = r.evidence.first() else {
            continue;
        };
        let from = r
            .from
            .as_ref()
            .map_or_else(|| "an unknown earlier CA".to_owned(), |f| f.subject.clone());
        rows.push(TimelineEntry {
            at: r.at,
            time_desc: "CA generation born".to_owned(),
            source: "certificate".to_owned(),
            node: None,
            namespace: namespace_of(&r.signer),
            severity: if r.premature {
                Severity::Warning
            } else {
                Severity::Info
            },
            rule: Some(Stage::CaRotated.as_str().to_owned()),
            message: format!(
                "signer {} rotated{}: {from} -> {}",
                r.signer,
                if r.premature {
                    " long before its refresh time"
                } else {
                    ""
                },
                r.to.subject
            ),
            provenance: *p,
        });
    }
    for c in &report.serving {
        let (Some(at), Some(p)) = (c.switched_at, c.evidence.first()) else {
            continue;
        };
        let stale = report
            .consumers
            .iter()
            .any(|v| v.chain == c.target && v.is_stale());
        let issuer = c
            .issued_by
            .as_ref()
            .map_or("an unknown CA", |i| i.subject.as_str());
        rows.push(TimelineEntry {
            at,
            time_desc: "certificate notBefore".to_owned(),
            source: "certificate".to_owned(),
            node: None,
            namespace: namespace_of(&c.target),
            severity: if stale {
                Severity::Warning
            } else {
                Severity::Info
            },
            rule: Some(Stage::ServingCertReissued.as_str().to_owned()),
            message: format!(
                "{} ({}) now served with a certificate from {issuer}",
                c.target, c.purpose
            ),
            provenance: *p,
        });
    }
    for v in report.stale() {
        let (Some(at), Some(p)) = (v.stale_since, v.evidence.first()) else {
            continue;
        };
        rows.push(TimelineEntry {
            at,
            time_desc: "serving switch".to_owned(),
            source: "certificate".to_owned(),
            node: None,
            namespace: namespace_of(&v.consumer),
            severity: Severity::Critical,
            rule: Some(Stage::TrustNotPropagated.as_str().to_owned()),
            message: format!("{} does not trust {}: {}", v.consumer, v.chain, v.note),
            provenance: *p,
        });
    }
    rows.sort_by(|a, b| (a.at, &a.message).cmp(&(b.at, &b.message)));
    rows
}

/// The namespace part of `ns/...` (none for cluster-scoped `Kind/name` or files).
fn namespace_of(s: &str) -> Option<String> {
    let first = s.split_whitespace().next()?;
    let parts: Vec<&str> = first.split('/').collect();
    match parts.as_slice() {
        [ns, _] | [ns, _, _]
            if !ns.is_empty()
                && ns
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
        {
            // `Kind/name` (cluster-scoped) starts with an upper-case kind and is excluded above.
            Some((*ns).to_owned())
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Index: certificates, verified issuers, and the groups (bundles) certificates were found in.

/// What a group of certificates found under one object key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A Secret's `tls.crt`: a signer (CAs only) or a target (a leaf, maybe with its chain).
    Holder,
    /// A copy of trust: CA bundles, `ca.crt`, `certificate-authority-data`.
    Consumer,
    /// CSR certificates, client certificates.
    Other,
}

/// Certificates found under one object key (or one kubeconfig field of a file).
#[derive(Debug)]
struct Group {
    /// `ns/Kind/name` or `Kind/name`; `None` for files.
    object: Option<String>,
    /// The object's first line, or the field's line.
    provenance: Provenance,
    /// `ns/Kind/name key`, or `path field` for files.
    label: String,
    role: Role,
    /// Indexes into the inventory.
    certs: BTreeSet<usize>,
}

impl Group {
    /// `(ns, kind, name)` of the object, when it is a namespaced object.
    fn parts(&self) -> Option<(&str, &str, &str)> {
        let o = self.object.as_deref()?;
        let mut it = o.splitn(3, '/');
        match (it.next(), it.next(), it.next()) {
            (Some(ns), Some(kind), Some(name)) => Some((ns, kind, name)),
            _ => None,
        }
    }

    /// `ns/name` of a namespaced object.
    fn ns_name(&self) -> Option<String> {
        self.parts().map(|(ns, _, name)| format!("{ns}/{name}"))
    }
}

/// A group's identity: the object (or, for files, the artifact and line) and the key.
type GroupKey = (Option<String>, Option<(ArtifactId, Option<u32>)>, String);

struct Index<'a> {
    entries: &'a [InventoryEntry],
    /// For each certificate, every other certificate whose key verifies its signature.
    issuers: Vec<Vec<usize>>,
    /// Sorted by label.
    groups: Vec<Group>,
}

impl<'a> Index<'a> {
    fn build(snapshot: &'a Snapshot, content: Option<&dyn ContentSource>) -> Self {
        let entries = snapshot.certificates.as_slice();
        let parsed: Vec<Option<X509Certificate<'a>>> =
            entries.iter().map(|e| parse(&e.cert.der)).collect();
        // Candidates by issuer name: the raw subject DN when parsed, else the printed one.
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let key = parsed[i].as_ref().map_or_else(
                || e.cert.subject.as_bytes().to_vec(),
                |x| x.subject().as_raw().to_vec(),
            );
            by_subject.entry(key).or_default().push(i);
        }
        let issuers: Vec<Vec<usize>> = (0..entries.len())
            .into_par_iter()
            .map(|i| {
                let cert = &entries[i].cert;
                let key = parsed[i].as_ref().map_or_else(
                    || cert.issuer.as_bytes().to_vec(),
                    |x| x.issuer().as_raw().to_vec(),
                );
                by_subject
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&j| j != i)
                    .filter(|&j| {
                        verify(
                            cert,
                            parsed[i].as_ref(),
                            &entries[j].cert,
                            parsed[j].as_ref(),
                        )
                    })
                    .collect()
            })
            .collect();

        let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            for s in &e.sources {
                let file = s
                    .object
                    .is_none()
                    .then_some((s.provenance.artifact, s.provenance.line));
                let g = groups
                    .entry((s.object.clone(), file, s.key.clone()))
                    .or_insert_with(|| Group {
                        object: s.object.clone(),
                        provenance: s.provenance,
                        label: label(s.object.as_deref(), &s.key, s.provenance, content),
                        role: role(s.object.as_deref(), &s.key),
                        certs: BTreeSet::new(),
                    });
                g.provenance = g.provenance.min(s.provenance);
                g.certs.insert(i);
            }
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        groups.sort_by(|a, b| (&a.label, a.provenance).cmp(&(&b.label, b.provenance)));
        Index {
            entries,
            issuers,
            groups,
        }
    }

    fn cert(&self, i: usize) -> &'a Certificate {
        &self.entries[i].cert
    }

    fn ca_ref(&self, i: usize) -> CaRef {
        let c = self.cert(i);
        CaRef {
            subject: c.subject.clone(),
            sha256: c.sha256.clone(),
            not_before: c.not_before,
        }
    }

    /// The `tls.crt` group of a Secret `ns/name`.
    fn holder(&self, ns_name: &str) -> Option<&Group> {
        let (ns, name) = ns_name.split_once('/')?;
        let object = format!("{ns}/Secret/{name}");
        self.groups
            .iter()
            .find(|g| g.role == Role::Holder && g.object.as_deref() == Some(object.as_str()))
    }
}

fn label(
    object: Option<&str>,
    key: &str,
    p: Provenance,
    content: Option<&dyn ContentSource>,
) -> String {
    if let Some(o) = object {
        return format!("{o} {key}");
    }
    let path = content.map_or_else(
        || {
            format!(
                "archive {} entry {}",
                p.artifact.archive.0, p.artifact.entry
            )
        },
        |c| c.path(p.artifact).to_owned(),
    );
    match p.line {
        Some(l) => format!("{path}:{l} {key}"),
        None => format!("{path} {key}"),
    }
}

fn role(object: Option<&str>, key: &str) -> Role {
    if key.ends_with("client-certificate-data") || key == "status.certificate" {
        return Role::Other;
    }
    let Some(object) = object else {
        return if key.ends_with("certificate-authority-data") {
            Role::Consumer
        } else {
            Role::Other
        };
    };
    let parts: Vec<&str> = object.split('/').collect();
    let kind = match parts.as_slice() {
        [_, kind, _] | [kind, _] => *kind,
        _ => return Role::Other,
    };
    match kind {
        "Secret" if key == "tls.crt" => Role::Holder,
        "Secret" => {
            if matches!(key, "ca.crt" | "service-ca.crt" | "ca-bundle.crt")
                || key.ends_with("certificate-authority-data")
            {
                Role::Consumer
            } else {
                Role::Other
            }
        }
        "CertificateSigningRequest" => Role::Other,
        _ if key == "tls.crt" => Role::Other,
        _ => Role::Consumer,
    }
}

/// `(base, N)` when `name` ends with `-<digits>`.
fn revision(name: &str) -> Option<(&str, u64)> {
    let (base, n) = name.rsplit_once('-')?;
    if base.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((base, n.parse().ok()?))
}

// ---------------------------------------------------------------------------------------
// Signers.

/// What a CN says about its signer: the Secret (`ns/name`) and the `@<unix>` time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CnInfo {
    /// From the `<ns>_<name>@<unix>` pattern.
    operator: Option<String>,
    /// From [`KNOWN_SIGNER_CNS`].
    known: Option<String>,
    /// The `@<unix>` suffix.
    unix: Option<i64>,
}

fn cn_info(cn: &str) -> CnInfo {
    let (base, unix) = match cn.rsplit_once('@') {
        Some((b, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
            (b, n.parse::<i64>().ok())
        }
        _ => (cn, None),
    };
    let operator = base.split_once('_').and_then(|(ns, name)| {
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        };
        (unix.is_some() && ok(ns) && ok(name)).then(|| format!("{ns}/{name}"))
    });
    let known = KNOWN_SIGNER_CNS
        .iter()
        .find(|(k, _)| *k == base)
        .map(|(_, s)| (*s).to_owned());
    CnInfo {
        operator,
        known,
        unix,
    }
}

/// The signer name of every CA certificate that has one.
fn resolve_signers(index: &Index<'_>) -> BTreeMap<usize, String> {
    // Holders: Secrets whose tls.crt holds only CAs; the held CA is the one that signs no
    // other certificate of the same Secret (a chain `csr-signer` + `csr-signer-signer`
    // belongs to the former).
    let mut held: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for g in index.groups.iter().filter(|g| g.role == Role::Holder) {
        if !g.certs.iter().all(|&i| index.cert(i).is_ca) {
            continue;
        }
        let Some(name) = g.ns_name() else { continue };
        for &i in &g.certs {
            let signs_another = g
                .certs
                .iter()
                .any(|&j| j != i && index.issuers[j].contains(&i));
            if !signs_another {
                held.entry(i).or_default().insert(name.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for (i, e) in index.entries.iter().enumerate() {
        if !e.cert.is_ca {
            continue;
        }
        let info = cn_info(e.cert.subject_cn.as_deref().unwrap_or_default());
        let name = info
            .operator
            .or(info.known)
            .or_else(|| held.get(&i).and_then(pick_holder));
        if let Some(n) = name {
            out.insert(i, n);
        }
    }
    out
}

/// The holder among several: not a revisioned copy when the base is there, else the first.
fn pick_holder(names: &BTreeSet<String>) -> Option<String> {
    names
        .iter()
        .find(|n| {
            let name = n.rsplit('/').next().unwrap_or_default();
            revision(name).is_none_or(|(base, _)| {
                let ns = n.split('/').next().unwrap_or_default();
                !names.contains(&format!("{ns}/{base}"))
            })
        })
        .or_else(|| names.iter().next())
        .cloned()
}

struct Gen {
    idx: usize,
    born: Timestamp,
    born_from: String,
    current: bool,
    evidence: BTreeSet<Provenance>,
}

struct SignerData {
    name: String,
    /// Oldest first.
    gens: Vec<Gen>,
}

impl SignerData {
    fn to_model(&self, index: &Index<'_>) -> Signer {
        Signer {
            name: self.name.clone(),
            generations: self
                .gens
                .iter()
                .map(|g| {
                    let c = index.cert(g.idx);
                    Generation {
                        ca: index.ca_ref(g.idx),
                        cn: c.subject_cn.clone().unwrap_or_default(),
                        spki_sha256: c.spki_sha256.clone(),
                        not_after: c.not_after,
                        born: g.born,
                        born_from: g.born_from.clone(),
                        current: g.current,
                        evidence: g.evidence.iter().copied().collect(),
                    }
                })
                .collect(),
        }
    }

    fn ns(&self) -> &str {
        self.name.split('/').next().unwrap_or_default()
    }

    fn secret_name(&self) -> &str {
        self.name.split_once('/').map_or("", |(_, n)| n)
    }
}

fn build_signers(
    index: &Index<'_>,
    names: &BTreeMap<usize, String>,
    events: &[OpEvent],
    secrets: &HashMap<String, &Located<Secret>>,
) -> Vec<SignerData> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in names {
        by_name.entry(n.as_str()).or_default().push(*i);
    }
    by_name
        .into_iter()
        .map(|(name, idxs)| {
            let holder = index.holder(name);
            let (ns, secret) = name.split_once('/').unwrap_or(("", name));
            let secret_obj = secrets.get(name);
            let mut gens: Vec<Gen> = idxs
                .into_iter()
                .map(|i| {
                    let c = index.cert(i);
                    let current = holder.is_some_and(|h| h.certs.contains(&i));
                    let mut evidence = BTreeSet::new();
                    for s in &index.entries[i].sources {
                        let in_ns = s
                            .object
                            .as_deref()
                            .is_some_and(|o| o.split('/').next() == Some(ns));
                        if in_ns {
                            evidence.insert(s.provenance);
                        }
                    }
                    if evidence.is_empty()
                        && let Some(s) = index.entries[i].sources.first()
                    {
                        evidence.insert(s.provenance);
                    }
                    let info = cn_info(c.subject_cn.as_deref().unwrap_or_default());
                    let (born, born_from, agree) = date_generation(
                        c,
                        info.unix,
                        current.then_some(secret_obj).flatten().copied(),
                        events,
                        ns,
                        secret,
                    );
                    evidence.extend(agree);
                    Gen {
                        idx: i,
                        born,
                        born_from,
                        current,
                        evidence,
                    }
                })
                .collect();
            gens.sort_by(|a, b| {
                (a.born, &index.cert(a.idx).sha256).cmp(&(b.born, &index.cert(b.idx).sha256))
            });
            SignerData {
                name: name.to_owned(),
                gens,
            }
        })
        .collect()
}

/// When a generation was born and which evidence says so: the `@<unix>` in its CN, else the
/// earliest `SecretCreated` / `SignerUpdateRequired` event near its notBefore, else the
/// notBefore. Corroborating evidence within [`DATING_WINDOW`] (events, the holding Secret's
/// `creationTimestamp` and `certificate-not-before` annotation) is named in `born_from` and
/// its provenance returned.
fn date_generation(
    c: &Certificate,
    unix: Option<i64>,
    holder: Option<&Located<Secret>>,
    events: &[OpEvent],
    ns: &str,
    secret: &str,
) -> (Timestamp, String, Vec<Provenance>) {
    let from_cn = unix.and_then(|u| Timestamp::from_second(u).ok());
    let near = near_events(
        events,
        ns,
        secret,
        from_cn.unwrap_or(c.not_before),
        &["SecretCreated", "SignerUpdateRequired"],
    );
    let (born, primary) = if let Some(t) = from_cn {
        (t, "@unix in CN".to_owned())
    } else if let Some(e) = near.iter().min_by_key(|e| e.at) {
        (e.at, format!("{} event", e.reason))
    } else {
        (c.not_before, "notBefore".to_owned())
    };
    let mut agree: Vec<String> = Vec::new();
    let mut evidence: Vec<Provenance> = Vec::new();
    for e in &near {
        evidence.push(e.provenance);
        let what = format!("{} event", e.reason);
        if !agree.contains(&what) {
            agree.push(what);
        }
    }
    if let Some(s) = holder {
        let meta = &s.value.metadata;
        if meta
            .creation_timestamp
            .is_some_and(|t| within(t, born, DATING_WINDOW))
        {
            agree.push("creationTimestamp".to_owned());
            evidence.push(s.at);
        }
        let annotated = meta
            .annotations
            .get(NOT_BEFORE_ANNOTATION)
            .and_then(|v| v.parse::<Timestamp>().ok());
        if annotated.is_some_and(|t| within(t, born, DATING_WINDOW)) {
            agree.push("certificate-not-before annotation".to_owned());
            evidence.push(s.at);
        }
    }
    if primary != "notBefore" && within(c.not_before, born, DATING_WINDOW) {
        agree.push("notBefore".to_owned());
    }
    agree.retain(|a| *a != primary);
    let born_from = if agree.is_empty() {
        primary
    } else {
        format!("{primary} (agreeing: {})", agree.join(", "))
    };
    (born, born_from, evidence)
}

fn within(a: Timestamp, b: Timestamp, window: SignedDuration) -> bool {
    a.duration_since(b).abs() <= window
}

/// The cluster's birth: the oldest ClusterVersion history entry, else the oldest CA
/// generation dated by its notBefore.
fn cluster_birth(snapshot: &Snapshot, signers: &[SignerData]) -> Option<Timestamp> {
    let from_history = snapshot.cluster_version.as_ref().and_then(|cv| {
        cv.value
            .status
            .history
            .iter()
            .filter_map(|h| h.started_time.or(h.completion_time))
            .min()
    });
    from_history.or_else(|| {
        signers
            .iter()
            .flat_map(|s| s.gens.iter().map(|g| g.born))
            .min()
    })
}

fn long_lived(c: &Certificate) -> bool {
    c.lifetime() >= LONG_LIVED
}

fn build_rotations(
    index: &Index<'_>,
    signers: &[SignerData],
    events: &[OpEvent],
    cluster_born: Option<Timestamp>,
) -> Vec<Rotation> {
    let mut out = Vec::new();
    for s in signers {
        for (k, g) in s.gens.iter().enumerate() {
            let to = index.cert(g.idx);
            let from = k.checked_sub(1).and_then(|p| s.gens.get(p));
            let premature = if let Some(f) = from {
                // Refresh is at 80 % of the previous generation's validity.
                let prev = index.cert(f.idx);
                let refresh = prev
                    .not_before
                    .checked_add(prev.lifetime() * 4 / 5)
                    .unwrap_or(prev.not_after);
                long_lived(to)
                    && long_lived(prev)
                    && g.born < refresh.checked_sub(SLACK).unwrap_or(refresh)
            } else {
                // The first known generation: a re-creation only if a long-lived signer was
                // born well after the cluster (its predecessor is not in the case).
                let late = cluster_born.is_some_and(|b| g.born.duration_since(b) > SLACK);
                if !(long_lived(to) && late) {
                    continue;
                }
                true
            };
            let mut evidence = g.evidence.clone();
            for e in near_events(
                events,
                s.ns(),
                s.secret_name(),
                g.born,
                &["SecretDeleted", "SecretCreated", "SignerUpdateRequired"],
            ) {
                evidence.insert(e.provenance);
            }
            out.push(Rotation {
                signer: s.name.clone(),
                from: from.map(|f| index.ca_ref(f.idx)),
                to: index.ca_ref(g.idx),
                at: g.born,
                evidence: evidence.into_iter().collect(),
                premature,
            });
        }
    }
    out.sort_by(|a, b| (a.at, &a.signer, &a.to.sha256).cmp(&(b.at, &b.signer, &b.to.sha256)));
    out
}

// ---------------------------------------------------------------------------------------
// Operator events: Event objects and klog `Event(...)` lines.

/// An operator event about a Secret.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct OpEvent {
    at: Timestamp,
    reason: String,
    namespace: String,
    name: String,
    provenance: Provenance,
}

/// Reasons that date signer and target changes (incident.md §2.4).
const EVENT_REASONS: [&str; 5] = [
    "SignerUpdateRequired",
    "TargetUpdateRequired",
    "SecretDeleted",
    "SecretCreated",
    "SecretUpdated",
];

/// The Secret (`ns`, `name`) an event message is about.
fn event_subject(reason: &str, message: &str) -> Option<(String, String)> {
    let message = message.trim();
    match reason {
        "SignerUpdateRequired" | "TargetUpdateRequired" => {
            // "%q in %q requires a new ... cert/key pair: %v"
            let rest = message.strip_prefix('"')?;
            let (name, rest) = rest.split_once('"')?;
            let rest = rest.strip_prefix(" in \"")?;
            let (ns, _) = rest.split_once('"')?;
            Some((ns.to_owned(), name.to_owned()))
        }
        "SecretDeleted" | "SecretCreated" | "SecretUpdated" => {
            // "Deleted Secret/<name> -n <ns>", "Created Secret/<name> -n <ns> because it was missing"
            let at = message.find("Secret/")?;
            let rest = message.get(at + "Secret/".len()..)?;
            let (name, rest) = rest.split_once(char::is_whitespace)?;
            let rest = rest.trim_start().strip_prefix("-n")?.trim_start();
            let ns = rest.split(|c: char| c.is_whitespace() || c == ':').next()?;
            (!name.is_empty() && !ns.is_empty()).then(|| (ns.to_owned(), name.to_owned()))
        }
        _ => None,
    }
}

/// `reason` and message of a klog `Event(...)` line: `... type: 'Normal' reason: 'R' msg`.
fn klog_event(line: &str) -> Option<(&str, &str)> {
    let at = line.find("Event(")?;
    let rest = line.get(at..)?;
    let r = rest.find("reason: '")?;
    let rest = rest.get(r + "reason: '".len()..)?;
    let (reason, msg) = rest.split_once('\'')?;
    Some((reason, msg.lines().next().unwrap_or_default().trim()))
}

fn collect_events(
    snapshot: &Snapshot,
    content: Option<&dyn ContentSource>,
    names: &BTreeMap<usize, String>,
    index: &Index<'_>,
) -> Vec<OpEvent> {
    let mut out = Vec::new();
    for e in &snapshot.events {
        let reason = e.value.reason.as_str();
        if !EVENT_REASONS.contains(&reason) {
            continue;
        }
        let (Some((namespace, name)), Some(at)) = (
            event_subject(reason, e.value.message()),
            e.value.first_seen(),
        ) else {
            continue;
        };
        out.push(OpEvent {
            at,
            reason: reason.to_owned(),
            namespace,
            name,
            provenance: e.at,
        });
    }
    if let Some(content) = content {
        // The operators of the signers' and targets' namespaces.
        let mut namespaces: BTreeSet<String> = BTreeSet::new();
        let signer_ns = names.values().filter_map(|n| n.split('/').next());
        let target_ns = index
            .groups
            .iter()
            .filter(|g| g.role == Role::Holder)
            .filter_map(|g| g.parts().map(|p| p.0));
        for ns in signer_ns.chain(target_ns) {
            let base = ns.strip_suffix("-operator").unwrap_or(ns);
            namespaces.insert(base.to_owned());
            namespaces.insert(format!("{base}-operator"));
        }
        let found: Vec<Vec<OpEvent>> = snapshot
            .logs
            .par_iter()
            .filter(|l| matches!(&l.source, LogSource::Pod { namespace, .. } if namespaces.contains(namespace)))
            .map(|l| {
                let mut found = Vec::new();
                let Some(bytes) = content.content(l.artifact) else { return found };
                if memchr::memmem::find(&bytes, b"reason: '").is_none() {
                    return found;
                }
                for rec in l.load_records(content).iter() {
                    let msg = String::from_utf8_lossy(rec.message(&bytes));
                    let Some((reason, text)) = klog_event(&msg) else { continue };
                    if !EVENT_REASONS.contains(&reason) {
                        continue;
                    }
                    let (Some((namespace, name)), Some(at)) = (event_subject(reason, text), rec.at.or(rec.inner_at)) else {
                        continue;
                    };
                    found.push(OpEvent {
                        at,
                        reason: reason.to_owned(),
                        namespace,
                        name,
                        provenance: Provenance::at(l.artifact, rec.line, rec.start),
                    });
                }
                found
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }
    out.sort();
    out.dedup();
    out
}

/// Events about Secret `ns/name` with one of `reasons` within [`DATING_WINDOW`] of `at`.
fn near_events<'e>(
    events: &'e [OpEvent],
    ns: &str,
    name: &str,
    at: Timestamp,
    reasons: &[&str],
) -> Vec<&'e OpEvent> {
    events
        .iter()
        .filter(|e| {
            e.namespace == ns
                && e.name == name
                && reasons.contains(&e.reason.as_str())
                && within(e.at, at, DATING_WINDOW)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Serving chains.

struct ChainData {
    model: ServingChain,
    /// The current leaf.
    leaf: usize,
    /// The signer's generations (inventory indexes).
    signer_gens: BTreeSet<usize>,
}

/// A target Secret's leaf and its issuing generation.
struct TargetCopy<'g> {
    group: &'g Group,
    ns: String,
    name: String,
    leaf: usize,
    issuer: usize,
    signer: String,
}

fn purpose(name: &str, signer: &str) -> &'static str {
    if let Some((_, p)) = KNOWN_TARGETS.iter().find(|(n, _)| *n == name) {
        return p;
    }
    match signer {
        "openshift-service-ca/signing-key" => "service-serving",
        "openshift-ingress-operator/router-ca" => "router",
        _ => "other",
    }
}

fn build_chains(
    index: &Index<'_>,
    signers: &[SignerData],
    gen_of: &HashMap<usize, (&str, usize)>,
    events: &[OpEvent],
) -> Vec<ChainData> {
    let signer_by_name: HashMap<&str, &SignerData> =
        signers.iter().map(|s| (s.name.as_str(), s)).collect();
    // Every target copy: a Secret tls.crt with a leaf a known signer issued.
    let mut copies: Vec<TargetCopy<'_>> = Vec::new();
    for g in index.groups.iter().filter(|g| g.role == Role::Holder) {
        let Some((ns, _, name)) = g.parts() else {
            continue;
        };
        let Some(leaf) = g
            .certs
            .iter()
            .copied()
            .filter(|&i| !index.cert(i).is_ca)
            .max_by(|&a, &b| {
                (index.cert(a).not_before, &index.cert(a).sha256)
                    .cmp(&(index.cert(b).not_before, &index.cert(b).sha256))
            })
        else {
            continue;
        };
        // The issuing generation: prefer the signer's current one, then the newest.
        let Some((issuer, signer)) = index.issuers[leaf]
            .iter()
            .filter_map(|&j| gen_of.get(&j).map(|&(s, k)| (j, s, k)))
            .max_by_key(|&(j, s, k)| {
                let current = signer_by_name
                    .get(s)
                    .and_then(|sd| sd.gens.get(k))
                    .is_some_and(|g| g.current);
                (current, index.cert(j).not_before, &index.cert(j).sha256)
            })
            .map(|(j, s, _)| (j, s.to_owned()))
        else {
            continue;
        };
        copies.push(TargetCopy {
            group: g,
            ns: ns.to_owned(),
            name: name.to_owned(),
            leaf,
            issuer,
            signer,
        });
    }
    let present: BTreeSet<(String, String)> = copies
        .iter()
        .map(|c| (c.ns.clone(), c.name.clone()))
        .collect();
    // Older revisioned copies (`name-N`) belong to their base target.
    let mut older: BTreeMap<(String, String), Vec<&TargetCopy<'_>>> = BTreeMap::new();
    let mut bases: Vec<&TargetCopy<'_>> = Vec::new();
    for c in &copies {
        match revision(&c.name) {
            Some((base, _)) if present.contains(&(c.ns.clone(), base.to_owned())) => {
                older
                    .entry((c.ns.clone(), base.to_owned()))
                    .or_default()
                    .push(c);
            }
            _ => bases.push(c),
        }
    }

    let mut chains: Vec<ChainData> = Vec::new();
    // Generic targets fold per (signer, issuer).
    let mut folded: BTreeMap<(String, usize), usize> = BTreeMap::new();
    for c in bases {
        let Some(sd) = signer_by_name.get(c.signer.as_str()) else {
            continue;
        };
        let target = format!("{}/{}", c.ns, c.name);
        let purpose = purpose(&c.name, &c.signer);
        let generic = matches!(purpose, "service-serving" | "router" | "other");
        if generic && sd.gens.len() < 2 {
            continue;
        }
        if generic && let Some(&at) = folded.get(&(c.signer.clone(), c.issuer)) {
            chains[at].model.same_issuer.push(target);
            continue;
        }
        let olds = older
            .get(&(c.ns.clone(), c.name.clone()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (switched_at, previous) = switch_time(index, sd, gen_of, c, olds);
        let mut evidence: BTreeSet<Provenance> = BTreeSet::new();
        evidence.insert(c.group.provenance);
        for o in olds {
            evidence.insert(o.group.provenance);
        }
        let leaf = index.cert(c.leaf);
        let around = switched_at.unwrap_or(leaf.not_before);
        for e in near_events(
            events,
            &c.ns,
            &c.name,
            around,
            &["TargetUpdateRequired", "SecretUpdated", "SecretCreated"],
        ) {
            evidence.insert(e.provenance);
        }
        let model = ServingChain {
            target: target.clone(),
            purpose: purpose.to_owned(),
            cert: index.ca_ref(c.leaf),
            not_after: leaf.not_after,
            issued_by: Some(index.ca_ref(c.issuer)),
            signer: Some(c.signer.clone()),
            switched_at,
            previous_issuer: previous.map(|p| index.ca_ref(p)),
            same_issuer: Vec::new(),
            evidence: evidence.into_iter().collect(),
        };
        if generic {
            folded.insert((c.signer.clone(), c.issuer), chains.len());
        }
        chains.push(ChainData {
            model,
            leaf: c.leaf,
            signer_gens: sd.gens.iter().map(|g| g.idx).collect(),
        });
    }
    for c in &mut chains {
        c.model.same_issuer.sort();
    }
    chains.sort_by(|a, b| a.model.target.cmp(&b.model.target));
    chains
}

/// When the target's current issuer started being served, and the issuer before it.
fn switch_time(
    index: &Index<'_>,
    signer: &SignerData,
    gen_of: &HashMap<usize, (&str, usize)>,
    current: &TargetCopy<'_>,
    older: &[&TargetCopy<'_>],
) -> (Option<Timestamp>, Option<usize>) {
    // Every certificate of this target, oldest first, with its issuer.
    let mut history: Vec<(Timestamp, usize)> = older
        .iter()
        .map(|o| (index.cert(o.leaf).not_before, o.issuer))
        .collect();
    history.push((index.cert(current.leaf).not_before, current.issuer));
    history.sort_unstable();
    history.dedup();
    let same_key =
        |a: usize, b: usize| a == b || index.cert(a).spki_sha256 == index.cert(b).spki_sha256;
    // The run of certificates from the current issuer at the end of the history.
    let mut first = index.cert(current.leaf).not_before;
    let mut before: Option<usize> = None;
    for &(t, issuer) in history.iter().rev() {
        if t > index.cert(current.leaf).not_before {
            continue;
        }
        if same_key(issuer, current.issuer) {
            first = first.min(t);
        } else {
            before = Some(issuer);
            break;
        }
    }
    if let Some(b) = before {
        return (Some(first), Some(b));
    }
    // No older copy from another CA: the signer's previous generation, if any.
    let k = gen_of.get(&current.issuer).map_or(0, |g| g.1);
    let previous = k
        .checked_sub(1)
        .and_then(|p| signer.gens.get(p))
        .map(|g| g.idx);
    match previous {
        Some(p) => (Some(first), Some(p)),
        None => (None, None),
    }
}

// ---------------------------------------------------------------------------------------
// Consumers.

fn build_verdicts(
    snapshot: &Snapshot,
    index: &Index<'_>,
    chains: &[ChainData],
) -> Vec<ConsumerVerdict> {
    let consumers: Vec<&Group> = index
        .groups
        .iter()
        .filter(|g| g.role == Role::Consumer)
        .collect();
    // Every consumer object, to find the live copy of a revisioned one.
    let objects: BTreeSet<&str> = consumers
        .iter()
        .filter_map(|g| g.object.as_deref())
        .collect();
    let running: BTreeSet<&str> = snapshot
        .nodes
        .iter()
        .filter_map(|n| {
            n.value
                .metadata
                .annotations
                .get(CURRENT_CONFIG_ANNOTATION)
                .map(String::as_str)
        })
        .collect();
    let mut out = Vec::new();
    for chain in chains {
        let issuers: BTreeSet<usize> = index.issuers[chain.leaf].iter().copied().collect();
        for g in &consumers {
            if g.certs.is_disjoint(&chain.signer_gens) {
                continue;
            }
            let trusts = !g.certs.is_disjoint(&issuers);
            let trusts_of = |object: &str| {
                consumers
                    .iter()
                    .any(|c| c.object.as_deref() == Some(object) && !c.certs.is_disjoint(&issuers))
            };
            let superseded_by = if trusts {
                None
            } else {
                superseded(g, &objects, &running, &trusts_of)
            };
            let m = &chain.model;
            let issuer_cn = m
                .issued_by
                .as_ref()
                .map_or_else(String::new, |i| cn_of(&i.subject));
            let held: Vec<String> = g
                .certs
                .iter()
                .filter(|i| chain.signer_gens.contains(i))
                .map(|&i| {
                    index
                        .cert(i)
                        .subject_cn
                        .clone()
                        .unwrap_or_else(|| index.cert(i).subject.clone())
                })
                .collect();
            let note = if trusts {
                format!("holds {issuer_cn}, which signed the certificate served now")
            } else if let Some(s) = &superseded_by {
                format!("lacks {issuer_cn}; not live: {s}")
            } else {
                let since = m
                    .switched_at
                    .map_or_else(String::new, |t| format!(" since {t}"));
                format!(
                    "lacks {issuer_cn}, which has signed the certificate served{since}; holds only {}",
                    held.join(", ")
                )
            };
            // The consumer's own source first (timeline rows cite it), then the chain's.
            let mut evidence = vec![g.provenance];
            evidence.extend(m.evidence.first().filter(|p| **p != g.provenance));
            out.push(ConsumerVerdict {
                consumer: g.label.clone(),
                chain: m.target.clone(),
                trusts_current: trusts,
                missing_ca: (!trusts).then(|| m.issued_by.clone()).flatten(),
                stale_since: (!trusts && superseded_by.is_none())
                    .then_some(m.switched_at)
                    .flatten(),
                superseded_by,
                evidence,
                note,
            });
        }
    }
    out.sort_by(|a, b| (&a.consumer, &a.chain).cmp(&(&b.consumer, &b.chain)));
    out
}

/// Why a non-trusting copy is not live, if it is not.
fn superseded(
    g: &Group,
    objects: &BTreeSet<&str>,
    running: &BTreeSet<&str>,
    trusts_of: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let object = g.object.as_deref()?;
    // The frozen day-1 bundle, once the MCO keeps node kubeconfigs in sync (MCO#4106).
    if object == INITIAL_SERVER_CA && trusts_of(MCO_KUBECONFIG_DATA) {
        return Some(format!(
            "{MCO_KUBECONFIG_DATA} (the MCO writes it into node kubeconfigs)"
        ));
    }
    // A rendered MachineConfig no node runs.
    if let Some(name) = object.strip_prefix("MachineConfig/")
        && !running.is_empty()
        && !running.contains(name)
    {
        return Some("no node runs this MachineConfig".to_owned());
    }
    // A lower revision of a revisioned copy.
    let (ns, kind, name) = g.parts()?;
    let (base, n) = revision(name)?;
    let base_object = format!("{ns}/{kind}/{base}");
    if objects.contains(base_object.as_str()) {
        return Some(format!("{base_object} (newer copy)"));
    }
    let prefix = format!("{ns}/{kind}/{base}-");
    let highest = objects
        .iter()
        .filter_map(|o| {
            o.strip_prefix(prefix.as_str())
                .and_then(|r| r.parse::<u64>().ok())
                .map(|m| (m, *o))
        })
        .max()?;
    (highest.0 > n).then(|| format!("{} (newer revision)", highest.1))
}

/// The CN of a printed DN (`OU=openshift, CN=x` -> `x`), else the DN.
fn cn_of(subject: &str) -> String {
    subject
        .split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .unwrap_or(subject)
        .to_owned()
}

// ---------------------------------------------------------------------------------------
// Hazards.

fn build_hazards(
    snapshot: &Snapshot,
    signers: &[SignerData],
    rotations: &[Rotation],
    events: &[OpEvent],
    secrets: &HashMap<String, &Located<Secret>>,
    index: &Index<'_>,
) -> Vec<Hazard> {
    let signer_names: BTreeSet<&str> = signers.iter().map(|s| s.name.as_str()).collect();
    let mut out = Vec::new();
    for s in &snapshot.secrets {
        if s.value.secret_type != LEGACY_TLS_TYPE {
            continue;
        }
        let m = &s.value.metadata;
        let ns = m.namespace.as_deref().unwrap_or_default();
        let is_signer = signer_names.contains(format!("{ns}/{}", m.name).as_str());
        out.push(Hazard {
            kind: "legacy-secret-type".to_owned(),
            object: format!("{ns}/Secret/{}", m.name),
            at: m.creation_timestamp,
            detail: if is_signer {
                "signer Secret of type SecretTypeTLS (the Go constant's name that older bootkube manifests wrote instead of kubernetes.io/tls): 4.15 before its fixes (OCPBUGS-30304, OCPBUGS-31807) deletes and re-creates it to change the type, and a controller racing the re-creation can mint a new CA".to_owned()
            } else {
                "Secret of type SecretTypeTLS (the Go constant's name instead of kubernetes.io/tls): the type is immutable, so an apply that changes it deletes and re-creates the Secret".to_owned()
            },
            evidence: vec![s.at],
        });
    }
    for r in rotations.iter().filter(|r| r.premature) {
        let (ns, name) = r.signer.split_once('/').unwrap_or(("", r.signer.as_str()));
        let from = r.from.as_ref().map_or_else(
            || "a CA not in the case".to_owned(),
            |f| format!("{} (from {})", cn_of(&f.subject), f.not_before),
        );
        out.push(Hazard {
            kind: "premature-signer-rotation".to_owned(),
            object: format!("{ns}/Secret/{name}"),
            at: Some(r.at),
            detail: format!(
                "long-lived signer re-created at {} long before its refresh time: {from} replaced by {}; every copy of trust must receive the new CA before serving certificates move to it",
                r.at,
                cn_of(&r.to.subject)
            ),
            evidence: r.evidence.clone(),
        });
    }
    for s in signers {
        let Some(secret) = secrets.get(&s.name) else {
            continue;
        };
        let Some(created) = secret.value.metadata.creation_timestamp else {
            continue;
        };
        let Some(current) = s.gens.iter().find(|g| g.current) else {
            continue;
        };
        let ca = index.cert(current.idx);
        if created.duration_since(ca.not_before) <= SLACK.min(ca.lifetime() / 2) {
            continue;
        }
        let mut evidence = BTreeSet::from([secret.at]);
        for e in near_events(
            events,
            s.ns(),
            s.secret_name(),
            created,
            &["SecretDeleted", "SecretCreated"],
        ) {
            evidence.insert(e.provenance);
        }
        out.push(Hazard {
            kind: "signer-secret-recreated".to_owned(),
            object: format!("{}/Secret/{}", s.ns(), s.secret_name()),
            at: Some(created),
            detail: format!(
                "created {created} but holds {} from {}: the Secret was deleted and created again (the delete-and-create path of a Secret type change)",
                cn_of(&ca.subject),
                ca.not_before
            ),
            evidence: evidence.into_iter().collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::time::Duration;

    use casefile_model::kube::{Event, ObjectMeta};
    use casefile_model::{ArchiveId, CertSource};
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    };

    use super::*;

    const LB: &str = "openshift-kube-apiserver-operator/loadbalancer-serving-signer";
    const API_INT: &str = "openshift-kube-apiserver/internal-loadbalancer-serving-certkey";

    /// An rcgen certificate with what is needed to sign with it.
    struct Made {
        der: Vec<u8>,
        params: CertificateParams,
        key: KeyPair,
    }

    fn params(
        dn: &[(DnType, &str)],
        ca: bool,
        from: (i32, u8, u8),
        days: u64,
    ) -> CertificateParams {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name = DistinguishedName::new();
        for (t, v) in dn {
            p.distinguished_name.push(t.clone(), *v);
        }
        if ca {
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        p.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        p.not_after = p.not_before + Duration::from_secs(days * 86_400);
        p.use_authority_key_identifier_extension = !ca;
        p
    }

    /// A self-signed CA; `installer` CAs carry `OU=openshift` as the installer writes them.
    fn ca(cn: &str, from: (i32, u8, u8), years: u64) -> Made {
        let dn: Vec<(DnType, &str)> = if cn.contains('@') {
            vec![(DnType::CommonName, cn)]
        } else {
            vec![
                (DnType::OrganizationalUnitName, "openshift"),
                (DnType::CommonName, cn),
            ]
        };
        let p = params(&dn, true, from, years * 365);
        let key = KeyPair::generate().unwrap();
        let der = p.self_signed(&key).unwrap().der().to_vec();
        Made {
            der,
            params: p,
            key,
        }
    }

    fn leaf(cn: &str, by: &Made, from: (i32, u8, u8)) -> Made {
        let p = params(&[(DnType::CommonName, cn)], false, from, 30);
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&by.params, &by.key);
        let der = p.signed_by(&key, &issuer).unwrap().der().to_vec();
        Made {
            der,
            params: p,
            key,
        }
    }

    fn cert(m: &Made) -> Certificate {
        casefile_ingest::x509::parse_der(&m.der).unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// A snapshot whose inventory holds `placed` certificates under `ns/Kind/name key`
    /// objects; every object gets its own artifact.
    #[derive(Default)]
    struct Case {
        placed: Vec<(Vec<u8>, String, String)>,
        secrets: Vec<Located<Secret>>,
        events: Vec<Located<Event>>,
        nodes_running: Vec<String>,
    }

    impl Case {
        fn put(&mut self, m: &Made, object: &str, key: &str) -> &mut Self {
            self.placed
                .push((m.der.clone(), object.to_owned(), key.to_owned()));
            self
        }

        fn secret(&mut self, ns_name: &str, ty: &str, created: &str) -> &mut Self {
            let (ns, name) = ns_name.split_once('/').unwrap();
            let metadata = ObjectMeta {
                name: name.to_owned(),
                namespace: Some(ns.to_owned()),
                creation_timestamp: Some(ts(created)),
                ..ObjectMeta::default()
            };
            let at = Provenance::line(
                ArtifactId::new(ArchiveId(1), 900 + self.secrets.len() as u32),
                1,
            );
            self.secrets.push(Located {
                value: Secret {
                    metadata,
                    secret_type: ty.to_owned(),
                    ..Secret::default()
                },
                at,
            });
            self
        }

        fn snapshot(&self) -> Snapshot {
            let mut artifacts: BTreeMap<&str, u32> = BTreeMap::new();
            let mut entries: BTreeMap<String, InventoryEntry> = BTreeMap::new();
            for (der, object, key) in &self.placed {
                let n = artifacts.len() as u32;
                let artifact = *artifacts.entry(object.as_str()).or_insert(n);
                let c = casefile_ingest::x509::parse_der(der).unwrap();
                let e = entries
                    .entry(c.sha256.clone())
                    .or_insert_with(|| InventoryEntry {
                        cert: c,
                        sources: Vec::new(),
                    });
                e.sources.push(CertSource {
                    provenance: Provenance::line(ArtifactId::new(ArchiveId(0), artifact), 1),
                    object: Some(object.clone()),
                    key: key.clone(),
                });
            }
            let nodes = self
                .nodes_running
                .iter()
                .enumerate()
                .map(|(i, mc)| {
                    let mut n = casefile_model::kube::Node::default();
                    n.metadata.name = format!("node-{i}");
                    n.metadata
                        .annotations
                        .insert(CURRENT_CONFIG_ANNOTATION.to_owned(), mc.clone());
                    Located {
                        value: n,
                        at: Provenance::file(ArtifactId::new(ArchiveId(2), i as u32)),
                    }
                })
                .collect();
            Snapshot {
                certificates: entries.into_values().collect(),
                secrets: self.secrets.clone(),
                events: self.events.clone(),
                nodes,
                ..Snapshot::default()
            }
        }
    }

    fn verdict<'r>(r: &'r TrustReport, consumer: &str, chain: &str) -> &'r ConsumerVerdict {
        r.consumers
            .iter()
            .find(|v| v.consumer == consumer && v.chain == chain)
            .unwrap_or_else(|| panic!("no verdict for {consumer} x {chain}: {:#?}", r.consumers))
    }

    #[test]
    fn same_name_different_key_is_told_apart() {
        let a = ca("kube-apiserver-lb-signer", (2020, 12, 2), 10);
        let b = ca("kube-apiserver-lb-signer", (2021, 1, 5), 10);
        let served = leaf("api-int.example", &b, (2024, 2, 9));
        assert_eq!(cert(&a).subject, cert(&b).subject);
        assert!(is_signed_by(&cert(&served), &cert(&b)));
        assert!(
            !is_signed_by(&cert(&served), &cert(&a)),
            "same name, other key"
        );
        assert!(is_signed_by(&cert(&a), &cert(&a)), "self-signed");

        let mut case = Case::default();
        case.put(
            &b,
            &format!(
                "{}/Secret/{}",
                "openshift-kube-apiserver-operator", "loadbalancer-serving-signer"
            ),
            "tls.crt",
        )
        .put(
            &served,
            "openshift-kube-apiserver/Secret/internal-loadbalancer-serving-certkey",
            "tls.crt",
        )
        .put(
            &a,
            "openshift-config/ConfigMap/initial-kube-apiserver-server-ca",
            "ca-bundle.crt",
        )
        .put(&b, "openshift-multus/ConfigMap/kube-root-ca.crt", "ca.crt");
        let r = analyze(&case.snapshot());
        let s = r.signer(LB).unwrap();
        assert_eq!(
            s.generations.len(),
            2,
            "two keys under one name are two generations"
        );
        assert_ne!(s.generations[0].spki_sha256, s.generations[1].spki_sha256);
        let chain = r.chain(API_INT).unwrap();
        assert_eq!(chain.issued_by.as_ref().unwrap().sha256, cert(&b).sha256);
        assert_eq!(chain.purpose, "api-int");
        let old = verdict(
            &r,
            "openshift-config/ConfigMap/initial-kube-apiserver-server-ca ca-bundle.crt",
            API_INT,
        );
        assert!(!old.trusts_current && old.is_stale(), "{old:?}");
        assert_eq!(old.missing_ca.as_ref().unwrap().sha256, cert(&b).sha256);
        assert!(
            verdict(
                &r,
                "openshift-multus/ConfigMap/kube-root-ca.crt ca.crt",
                API_INT
            )
            .trusts_current
        );
    }

    /// The incident in miniature: the installer's 10-year LB signer is re-created early by
    /// the operator, the bundle gets both, api-int switches nine days later, and one copy of
    /// trust never receives the new CA.
    fn rotation_case() -> (Case, Made, Made, Made) {
        let old = ca("kube-apiserver-lb-signer", (2020, 12, 2), 10);
        // 2024-01-31T00:00:00Z = 1706659200
        let new = ca(
            "openshift-kube-apiserver-operator_loadbalancer-serving-signer@1706659200",
            (2024, 1, 31),
            10,
        );
        let served = leaf("api-int.example", &new, (2024, 2, 9));
        let api = leaf("api.example", &old, (2024, 1, 29));
        let mut case = Case::default();
        case.put(
            &new,
            "openshift-kube-apiserver-operator/Secret/loadbalancer-serving-signer",
            "tls.crt",
        )
        .put(
            &served,
            "openshift-kube-apiserver/Secret/internal-loadbalancer-serving-certkey",
            "tls.crt",
        )
        .put(
            &api,
            "openshift-kube-apiserver/Secret/external-loadbalancer-serving-certkey",
            "tls.crt",
        );
        for bundle in [
            "openshift-kube-apiserver-operator/ConfigMap/loadbalancer-serving-ca ca-bundle.crt",
            "openshift-kube-apiserver/ConfigMap/kube-apiserver-server-ca ca-bundle.crt",
            "openshift-kube-apiserver/ConfigMap/kube-apiserver-server-ca-17 ca-bundle.crt",
            "default/ConfigMap/kube-root-ca.crt ca.crt",
        ] {
            let (o, k) = bundle.split_once(' ').unwrap();
            case.put(&old, o, k).put(&new, o, k);
        }
        for bundle in [
            "openshift-multus/ConfigMap/kube-root-ca.crt ca.crt",
            "openshift-config/ConfigMap/initial-kube-apiserver-server-ca ca-bundle.crt",
            "openshift-machine-config-operator/Secret/node-bootstrapper-token ca.crt",
            "openshift-kube-apiserver/ConfigMap/kube-apiserver-server-ca-15 ca-bundle.crt",
        ] {
            let (o, k) = bundle.split_once(' ').unwrap();
            case.put(&old, o, k);
        }
        case.secret(LB, "kubernetes.io/tls", "2024-01-31T00:00:01Z");
        (case, old, new, served)
    }

    #[test]
    fn rotation_switch_and_stale_consumers() {
        let (case, old, new, served) = rotation_case();
        let r = analyze(&case.snapshot());

        let s = r.signer(LB).unwrap();
        let gens: Vec<(&str, Timestamp)> = s
            .generations
            .iter()
            .map(|g| (g.cn.as_str(), g.born))
            .collect();
        assert_eq!(
            gens,
            [
                ("kube-apiserver-lb-signer", ts("2020-12-02T00:00:00Z")),
                (
                    "openshift-kube-apiserver-operator_loadbalancer-serving-signer@1706659200",
                    ts("2024-01-31T00:00:00Z")
                ),
            ]
        );
        assert_eq!(s.generations[0].born_from, "notBefore");
        assert!(
            s.generations[1].born_from.starts_with("@unix in CN"),
            "{}",
            s.generations[1].born_from
        );
        assert!(
            s.generations[1].born_from.contains("creationTimestamp"),
            "{}",
            s.generations[1].born_from
        );
        assert!(!s.generations[0].current && s.generations[1].current);

        let rot: Vec<&Rotation> = r.rotations.iter().filter(|x| x.signer == LB).collect();
        assert_eq!(rot.len(), 1);
        assert_eq!(rot[0].from.as_ref().unwrap().sha256, cert(&old).sha256);
        assert_eq!(rot[0].to.sha256, cert(&new).sha256);
        assert_eq!(rot[0].at, ts("2024-01-31T00:00:00Z"));
        assert!(
            rot[0].premature,
            "a 10-year signer re-created after 3 years"
        );
        assert!(
            r.hazards
                .iter()
                .any(|h| h.kind == "premature-signer-rotation")
        );

        let chain = r.chain(API_INT).unwrap();
        assert_eq!(chain.cert.sha256, cert(&served).sha256);
        assert_eq!(chain.switched_at, Some(ts("2024-02-09T00:00:00Z")));
        assert_eq!(
            chain.previous_issuer.as_ref().unwrap().sha256,
            cert(&old).sha256
        );
        let api = r
            .chain("openshift-kube-apiserver/external-loadbalancer-serving-certkey")
            .unwrap();
        assert_eq!(
            api.switched_at, None,
            "still served by the first generation"
        );

        let stale: BTreeSet<&str> = r
            .stale()
            .filter(|v| v.chain == API_INT)
            .map(|v| v.consumer.as_str())
            .collect();
        assert_eq!(
            stale,
            BTreeSet::from([
                "openshift-config/ConfigMap/initial-kube-apiserver-server-ca ca-bundle.crt",
                "openshift-machine-config-operator/Secret/node-bootstrapper-token ca.crt",
                "openshift-multus/ConfigMap/kube-root-ca.crt ca.crt",
            ])
        );
        let multus = verdict(
            &r,
            "openshift-multus/ConfigMap/kube-root-ca.crt ca.crt",
            API_INT,
        );
        assert_eq!(multus.stale_since, Some(ts("2024-02-09T00:00:00Z")));
        assert!(
            multus.note.contains("holds only kube-apiserver-lb-signer"),
            "{}",
            multus.note
        );
        // A bundle with both CAs trusts; the lower revision without the new CA is superseded.
        assert!(verdict(&r, "default/ConfigMap/kube-root-ca.crt ca.crt", API_INT).trusts_current);
        let rev = verdict(
            &r,
            "openshift-kube-apiserver/ConfigMap/kube-apiserver-server-ca-15 ca-bundle.crt",
            API_INT,
        );
        assert!(!rev.trusts_current && !rev.is_stale());
        assert!(
            rev.superseded_by
                .as_deref()
                .unwrap()
                .starts_with("openshift-kube-apiserver/ConfigMap/kube-apiserver-server-ca ")
        );
        // The old-CA chain: every copy holds the old CA.
        assert!(r.stale().all(|v| v.chain == API_INT));

        let rows = timeline(&r);
        assert!(
            rows.iter()
                .any(|t| t.rule.as_deref() == Some("ca-rotated")
                    && t.at == ts("2024-01-31T00:00:00Z"))
        );
        assert!(
            rows.iter()
                .any(|t| t.rule.as_deref() == Some("serving-cert-reissued")
                    && t.severity == Severity::Warning)
        );
        assert_eq!(
            rows.iter()
                .filter(|t| t.rule.as_deref() == Some("trust-not-propagated"))
                .count(),
            3
        );
        assert!(rows.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn consumer_with_only_the_new_ca_trusts_and_mco_copy_supersedes_day_one_bundle() {
        let (mut case, _old, new, _) = rotation_case();
        case.put(
            &new,
            "openshift-machine-config-operator/ConfigMap/kubeconfig-data",
            "ca-bundle.crt",
        );
        case.put(&new, "ns-new/ConfigMap/only-new", "ca-bundle.crt");
        let r = analyze(&case.snapshot());
        let only_new = verdict(&r, "ns-new/ConfigMap/only-new ca-bundle.crt", API_INT);
        assert!(
            only_new.trusts_current
                && only_new.missing_ca.is_none()
                && only_new.stale_since.is_none()
        );
        let initial = verdict(
            &r,
            "openshift-config/ConfigMap/initial-kube-apiserver-server-ca ca-bundle.crt",
            API_INT,
        );
        assert!(!initial.trusts_current);
        assert!(
            initial
                .superseded_by
                .as_deref()
                .unwrap()
                .contains("kubeconfig-data")
        );
        assert!(!initial.is_stale());
        // The consumer holding only the new CA does not trust the api chain (old CA).
        let api = verdict(
            &r,
            "ns-new/ConfigMap/only-new ca-bundle.crt",
            "openshift-kube-apiserver/external-loadbalancer-serving-certkey",
        );
        assert!(
            !api.trusts_current && api.stale_since.is_none(),
            "the api chain never switched: {api:?}"
        );
    }

    #[test]
    fn machineconfig_consumers_follow_the_nodes() {
        let old = ca(
            "openshift-kube-apiserver-operator_kube-apiserver-to-kubelet-signer@1678248687",
            (2023, 3, 8),
            1,
        );
        let new = ca(
            "openshift-kube-apiserver-operator_kube-apiserver-to-kubelet-signer@1703477491",
            (2023, 12, 25),
            1,
        );
        let client = leaf("system:kube-apiserver", &new, (2023, 12, 29));
        let mut case = Case::default();
        case.put(
            &new,
            "openshift-kube-apiserver-operator/Secret/kube-apiserver-to-kubelet-signer",
            "tls.crt",
        )
        .put(
            &client,
            "openshift-kube-apiserver/Secret/kubelet-client",
            "tls.crt",
        )
        .put(
            &old,
            "MachineConfig/rendered-worker-old",
            "/etc/kubernetes/kubelet-ca.crt",
        )
        .put(
            &old,
            "MachineConfig/rendered-master-older",
            "/etc/kubernetes/kubelet-ca.crt",
        )
        .put(
            &old,
            "MachineConfig/rendered-worker-new",
            "/etc/kubernetes/kubelet-ca.crt",
        )
        .put(
            &new,
            "MachineConfig/rendered-worker-new",
            "/etc/kubernetes/kubelet-ca.crt",
        )
        .put(
            &old,
            "openshift-config-managed/ConfigMap/kube-apiserver-client-ca",
            "ca-bundle.crt",
        )
        .put(
            &new,
            "openshift-config-managed/ConfigMap/kube-apiserver-client-ca",
            "ca-bundle.crt",
        );
        case.nodes_running = vec!["rendered-worker-old".into(), "rendered-master-new".into()];
        let r = analyze(&case.snapshot());
        let chain = r.chain("openshift-kube-apiserver/kubelet-client").unwrap();
        assert_eq!(chain.purpose, "kubelet-client");
        assert_eq!(chain.switched_at, Some(ts("2023-12-29T00:00:00Z")));
        let rot = r
            .rotations
            .iter()
            .find(|x| x.signer.ends_with("kube-apiserver-to-kubelet-signer"))
            .unwrap();
        assert!(
            !rot.premature,
            "a 1-year signer rotating after ~9 months is routine"
        );
        let stale: Vec<&str> = r.stale().map(|v| v.consumer.as_str()).collect();
        assert_eq!(
            stale,
            ["MachineConfig/rendered-worker-old /etc/kubernetes/kubelet-ca.crt"]
        );
        let unused = verdict(
            &r,
            "MachineConfig/rendered-master-older /etc/kubernetes/kubelet-ca.crt",
            "openshift-kube-apiserver/kubelet-client",
        );
        assert_eq!(
            unused.superseded_by.as_deref(),
            Some("no node runs this MachineConfig")
        );
    }

    #[test]
    fn generic_targets_fold_per_issuer_and_only_when_their_signer_rotated() {
        let old = ca(
            "openshift-service-serving-signer@1675158493",
            (2023, 1, 31),
            2,
        );
        let new = ca(
            "openshift-service-serving-signer@1706694493",
            (2024, 1, 31),
            2,
        );
        let a = leaf("a.ns.svc", &new, (2024, 2, 1));
        let b = leaf("b.ns.svc", &new, (2024, 2, 2));
        let c = leaf("c.ns.svc", &old, (2023, 6, 1));
        let mut case = Case::default();
        case.put(&new, "openshift-service-ca/Secret/signing-key", "tls.crt")
            .put(&a, "ns-a/Secret/serving-cert", "tls.crt")
            .put(&b, "ns-b/Secret/serving-cert", "tls.crt")
            .put(&c, "ns-c/Secret/metrics-tls", "tls.crt")
            .put(
                &old,
                "ns-a/ConfigMap/openshift-service-ca.crt",
                "service-ca.crt",
            )
            .put(
                &old,
                "ns-b/ConfigMap/openshift-service-ca.crt",
                "service-ca.crt",
            )
            .put(
                &new,
                "ns-b/ConfigMap/openshift-service-ca.crt",
                "service-ca.crt",
            );
        let r = analyze(&case.snapshot());
        let targets: Vec<(&str, &str, &[String])> = r
            .serving
            .iter()
            .map(|c| {
                (
                    c.target.as_str(),
                    c.purpose.as_str(),
                    c.same_issuer.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            targets,
            [
                (
                    "ns-a/serving-cert",
                    "service-serving",
                    &["ns-b/serving-cert".to_owned()][..]
                ),
                ("ns-c/metrics-tls", "service-serving", &[][..]),
            ]
        );
        let stale: Vec<(&str, &str)> = r
            .stale()
            .map(|v| (v.consumer.as_str(), v.chain.as_str()))
            .collect();
        assert_eq!(
            stale,
            [(
                "ns-a/ConfigMap/openshift-service-ca.crt service-ca.crt",
                "ns-a/serving-cert"
            )]
        );

        // A single generation: service-serving targets are not chains at all.
        let mut single = Case::default();
        single
            .put(&old, "openshift-service-ca/Secret/signing-key", "tls.crt")
            .put(&c, "ns-c/Secret/metrics-tls", "tls.crt");
        assert!(analyze(&single.snapshot()).serving.is_empty());
    }

    #[test]
    fn hazards_and_event_dating() {
        let (mut case, ..) = rotation_case();
        case.secret(
            "openshift-kube-apiserver-operator/service-network-serving-signer",
            LEGACY_TLS_TYPE,
            "2020-12-02T00:00:00Z",
        );
        let localhost = ca("kube-apiserver-localhost-signer", (2020, 12, 2), 10);
        case.put(
            &localhost,
            "openshift-kube-apiserver-operator/Secret/localhost-serving-signer",
            "tls.crt",
        );
        case.secret(
            "openshift-kube-apiserver-operator/localhost-serving-signer",
            "kubernetes.io/tls",
            "2024-01-31T00:00:01Z",
        );
        // An operator event dating a generation without `@<unix>`.
        let mut e = Event {
            reason: "SecretCreated".into(),
            message: "Created Secret/etcd-signer -n openshift-config because it was missing".into(),
            first_timestamp: Some(ts("2020-12-02T00:10:00Z")),
            ..Event::default()
        };
        e.metadata.name = "x".into();
        case.events.push(Located {
            value: e,
            at: Provenance::line(ArtifactId::new(ArchiveId(3), 1), 7),
        });
        let etcd = ca("etcd-signer", (2020, 12, 2), 10);
        case.put(&etcd, "openshift-config/Secret/etcd-signer", "tls.crt");

        let r = analyze(&case.snapshot());
        let kinds: Vec<(&str, &str)> = r
            .hazards
            .iter()
            .map(|h| (h.kind.as_str(), h.object.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "legacy-secret-type",
                    "openshift-kube-apiserver-operator/Secret/service-network-serving-signer"
                ),
                (
                    "premature-signer-rotation",
                    "openshift-kube-apiserver-operator/Secret/loadbalancer-serving-signer"
                ),
                (
                    "signer-secret-recreated",
                    "openshift-kube-apiserver-operator/Secret/localhost-serving-signer"
                ),
            ]
        );
        let g = &r
            .signer("openshift-config/etcd-signer")
            .unwrap()
            .generations[0];
        assert_eq!(g.born, ts("2020-12-02T00:10:00Z"));
        assert_eq!(g.born_from, "SecretCreated event (agreeing: notBefore)");
        assert!(
            g.evidence
                .contains(&Provenance::line(ArtifactId::new(ArchiveId(3), 1), 7))
        );
    }

    #[test]
    fn output_does_not_depend_on_thread_count() {
        let (case, ..) = rotation_case();
        let snap = case.snapshot();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| analyze(&snap));
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| analyze(&snap));
        assert_eq!(one, four);
    }

    #[test]
    fn empty_and_hostile_inputs_do_not_panic() {
        assert_eq!(analyze(&Snapshot::default()), TrustReport::default());
        // A certificate without DER (e.g. a snapshot read back from JSON) and odd sources.
        let a = ca("kube-apiserver-lb-signer", (2020, 12, 2), 10);
        let mut c = cert(&a);
        c.der.clear();
        let snap = Snapshot {
            certificates: vec![InventoryEntry {
                cert: c,
                sources: vec![
                    CertSource {
                        provenance: Provenance::file(ArtifactId::new(ArchiveId(0), 0)),
                        object: None,
                        key: "certificate-authority-data".into(),
                    },
                    CertSource {
                        provenance: Provenance::file(ArtifactId::new(ArchiveId(0), 1)),
                        object: Some("/".into()),
                        key: String::new(),
                    },
                    CertSource {
                        provenance: Provenance::file(ArtifactId::new(ArchiveId(0), 2)),
                        object: Some("Secret/x".into()),
                        key: "tls.crt".into(),
                    },
                ],
            }],
            ..Snapshot::default()
        };
        let r = analyze(&snap);
        assert_eq!(r.signers.len(), 1);
        assert!(r.serving.is_empty() && r.consumers.is_empty());
    }

    #[test]
    fn parsers() {
        assert_eq!(
            event_subject(
                "SignerUpdateRequired",
                "\"loadbalancer-serving-signer\" in \"openshift-kube-apiserver-operator\" requires a new signing cert/key pair: missing notAfter"
            ),
            Some((
                "openshift-kube-apiserver-operator".into(),
                "loadbalancer-serving-signer".into()
            ))
        );
        assert_eq!(
            event_subject(
                "SecretCreated",
                "Created Secret/loadbalancer-serving-signer -n openshift-kube-apiserver-operator because it was missing"
            ),
            Some((
                "openshift-kube-apiserver-operator".into(),
                "loadbalancer-serving-signer".into()
            ))
        );
        assert_eq!(
            event_subject(
                "SecretDeleted",
                "Deleted Secret/localhost-serving-signer -n openshift-kube-apiserver-operator"
            ),
            Some((
                "openshift-kube-apiserver-operator".into(),
                "localhost-serving-signer".into()
            ))
        );
        for (reason, bad) in [
            ("SecretCreated", "Created Secret/ -n"),
            ("SecretCreated", "Created ConfigMap/x -n y"),
            ("SignerUpdateRequired", "\"x\" on \"y\""),
            ("Other", "\"x\" in \"y\""),
        ] {
            assert_eq!(event_subject(reason, bad), None, "{bad}");
        }
        let line = "I0131 14:37:12.080200       1 event.go:298] Event(v1.ObjectReference{Kind:\"Deployment\", Namespace:\"openshift-kube-apiserver-operator\", Name:\"kube-apiserver-operator\"}): type: 'Normal' reason: 'SecretCreated' Created Secret/loadbalancer-serving-signer -n openshift-kube-apiserver-operator because it was missing";
        let (reason, msg) = klog_event(line).unwrap();
        assert_eq!(reason, "SecretCreated");
        assert!(msg.starts_with("Created Secret/loadbalancer-serving-signer -n "));
        assert_eq!(klog_event("reason: 'X' no event"), None);

        let info =
            cn_info("openshift-kube-apiserver-operator_loadbalancer-serving-signer@1706711832");
        assert_eq!(info.operator.as_deref(), Some(LB));
        assert_eq!(info.unix, Some(1_706_711_832));
        let info = cn_info("kube-csr-signer_@1706695093");
        assert_eq!(
            (info.operator, info.known.as_deref(), info.unix),
            (
                None,
                Some("openshift-kube-controller-manager/csr-signer"),
                Some(1_706_695_093)
            )
        );
        assert_eq!(
            cn_info("kube-apiserver-lb-signer").known.as_deref(),
            Some(LB)
        );
        assert_eq!(cn_info("Some Root CA").known, None);
        assert_eq!(cn_info("a_b@notanumber").operator, None);

        assert_eq!(
            revision("kube-apiserver-server-ca-13"),
            Some(("kube-apiserver-server-ca", 13))
        );
        assert_eq!(revision("kube-root-ca.crt"), None);
        assert_eq!(revision("-1"), None);

        assert_eq!(role(Some("ns/Secret/x"), "tls.crt"), Role::Holder);
        assert_eq!(role(Some("ns/Secret/x"), "ca.crt"), Role::Consumer);
        assert_eq!(
            role(Some("ns/ConfigMap/x"), "ca-bundle.crt"),
            Role::Consumer
        );
        assert_eq!(
            role(Some("ns/ConfigMap/x"), "kubeconfig:client-certificate-data"),
            Role::Other
        );
        assert_eq!(
            role(
                Some("CertificateSigningRequest/csr-1"),
                "status.certificate"
            ),
            Role::Other
        );
        assert_eq!(role(None, "certificate-authority-data"), Role::Consumer);
        assert_eq!(
            role(
                Some("MachineConfig/rendered-worker-1"),
                "/etc/kubernetes/kubelet-ca.crt"
            ),
            Role::Consumer
        );

        assert_eq!(
            namespace_of("openshift-multus/ConfigMap/kube-root-ca.crt ca.crt").as_deref(),
            Some("openshift-multus")
        );
        assert_eq!(namespace_of("MachineConfig/rendered-worker-1 x"), None);
        assert_eq!(
            cn_of("OU=openshift, CN=kube-apiserver-lb-signer"),
            "kube-apiserver-lb-signer"
        );
    }
}
