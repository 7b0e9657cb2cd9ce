//! Diagnosis: joins the certificate analysis and the symptom hits into findings, and the
//! trust-propagation root cause into a causal chain per node, with remediation.
//!
//! The root cause `ca-trust-propagation` is raised only when both sides agree: a signer was
//! re-created, a chain now serves a certificate from the new CA, and after that switch the
//! nodes show the failures a consumer without the new CA would show. A stale copy with no
//! symptom (the frozen day-1 bundle) or symptoms without a rotation (bootstrap noise) only
//! give lesser findings.

use std::collections::{BTreeMap, BTreeSet};

use casefile_model::trust::{Rotation, ServingChain, TrustReport};
use casefile_model::{
    CaRef, CascadeHop, Finding, Provenance, Severity, Snapshot, Stage, Timestamp,
};

use crate::remediation::{FixContext, api_int_trust_fix};
use crate::rules::Hit;

/// How many evidence lines a hop or finding carries at most.
const MAX_EVIDENCE: usize = 5;

/// Rules whose hits show that a TLS client rejected the server's (or client's) certificate
/// because it does not trust the issuing CA.
fn is_trust_symptom(h: &Hit) -> bool {
    let m = h.message.as_bytes();
    contains(m, b"x509: certificate signed by unknown authority")
        || contains(m, b"x509: certificate is not valid")
        || contains(m, b"tls: failed to verify certificate")
        || h.rule.contains("api-tls")
        || h.rule == "kubelet-rejects-client-certificate"
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Runs every diagnosis.
pub fn diagnose(snapshot: &Snapshot, trust: &TrustReport, hits: &[Hit]) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(trust_propagation(snapshot, trust, hits));
    findings.extend(api_int_rotation(trust));
    findings.extend(symptom_findings(snapshot, hits));
    findings.extend(legacy_signers(trust));
    findings.extend(paused_pools(snapshot));
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.started_at.cmp(&b.started_at))
            .then(a.id.cmp(&b.id))
    });
    findings
}

fn ca_of(r: &Rotation) -> CaRef {
    r.to.clone()
}

/// First hit per node for a stage, after `since`.
fn first_per_node(
    hits: &[Hit],
    stage: Stage,
    since: Timestamp,
    trust_only: bool,
) -> BTreeMap<String, Vec<&Hit>> {
    let mut out: BTreeMap<String, Vec<&Hit>> = BTreeMap::new();
    for h in hits {
        if h.stage != Some(stage) || h.severity < Severity::Warning {
            continue;
        }
        let (Some(node), Some(at)) = (&h.node, h.at) else {
            continue;
        };
        if at < since || (trust_only && !is_trust_symptom(h)) {
            continue;
        }
        out.entry(node.clone()).or_default().push(h);
    }
    for v in out.values_mut() {
        v.sort_by_key(|h| h.at);
    }
    out
}

fn hop(stage: Stage, node: Option<&str>, hits: &[&Hit], summary: String) -> CascadeHop {
    CascadeHop {
        stage,
        at: hits.first().and_then(|h| h.at),
        node: node.map(str::to_owned),
        summary,
        evidence: hits
            .iter()
            .take(MAX_EVIDENCE)
            .map(|h| h.provenance)
            .collect(),
    }
}

fn trust_propagation(snapshot: &Snapshot, trust: &TrustReport, hits: &[Hit]) -> Vec<Finding> {
    let mut out = Vec::new();
    for chain in &trust.serving {
        let (Some(switched), Some(issuer)) = (chain.switched_at, chain.issued_by.as_ref()) else {
            continue;
        };
        let Some(rotation) = trust
            .rotations
            .iter()
            .find(|r| r.to.sha256 == issuer.sha256)
        else {
            continue;
        };
        if chain.purpose == "kubelet-client" {
            out.extend(kubelet_client_propagation(
                snapshot, trust, chain, rotation, hits,
            ));
            continue;
        }
        if chain.purpose != "api-int" {
            continue;
        }
        let stale: Vec<_> = trust.stale().filter(|v| v.chain == chain.target).collect();
        // Symptoms after the switch, per node: the kubelet, Multus and sandboxes failing TLS.
        let tls = first_per_node(hits, Stage::KubeletTlsFailure, switched, true);
        let multus = first_per_node(hits, Stage::MultusFailure, switched, true);
        let sandbox = first_per_node(hits, Stage::SandboxFailure, switched, false);
        let not_ready = first_per_node(hits, Stage::NodeNotReady, switched, false);
        let symptomatic: BTreeSet<&String> = tls.keys().chain(multus.keys()).collect();
        let sandbox_tls: BTreeSet<&String> = sandbox
            .iter()
            .filter(|(_, v)| v.iter().any(|h| is_trust_symptom(h)))
            .map(|(k, _)| k)
            .collect();
        let affected: BTreeSet<String> = symptomatic
            .iter()
            .chain(sandbox_tls.iter())
            .map(|s| (*s).clone())
            .collect();
        if affected.is_empty() {
            continue;
        }
        let ca = ca_of(rotation);
        let mut cascade = vec![
            CascadeHop {
                stage: Stage::CaRotated,
                at: Some(rotation.at),
                node: None,
                summary: format!(
                    "{} re-created: new CA {}{}",
                    rotation.signer,
                    ca.subject,
                    rotation
                        .from
                        .as_ref()
                        .map(|f| format!(" replaces {}", f.subject))
                        .unwrap_or_default()
                ),
                evidence: rotation
                    .evidence
                    .iter()
                    .take(MAX_EVIDENCE)
                    .copied()
                    .collect(),
            },
            CascadeHop {
                stage: Stage::ServingCertReissued,
                at: Some(switched),
                node: None,
                summary: format!(
                    "{} ({}) now served from the new CA",
                    chain.target, chain.purpose
                ),
                evidence: chain.evidence.iter().take(MAX_EVIDENCE).copied().collect(),
            },
        ];
        if !stale.is_empty() {
            let names: Vec<&str> = stale.iter().map(|v| v.consumer.as_str()).collect();
            cascade.push(CascadeHop {
                stage: Stage::TrustNotPropagated,
                at: stale.iter().filter_map(|v| v.stale_since).min(),
                node: None,
                summary: format!(
                    "copies of the trust bundle without the new CA: {}",
                    names.join(", ")
                ),
                evidence: stale
                    .iter()
                    .flat_map(|v| v.evidence.iter().copied())
                    .take(MAX_EVIDENCE)
                    .collect(),
            });
        }
        // Per node, in the order the nodes broke.
        let mut order: Vec<(Option<Timestamp>, &String)> = affected
            .iter()
            .map(|n| {
                let first = [&tls, &multus, &sandbox]
                    .iter()
                    .filter_map(|m| m.get(n).and_then(|v| v.first()).and_then(|h| h.at))
                    .min();
                (first, n)
            })
            .collect();
        order.sort();
        for (_, node) in &order {
            let n = Some(node.as_str());
            let first_hop = cascade.len();
            if let Some(v) = tls.get(*node) {
                cascade.push(hop(
                    Stage::KubeletTlsFailure,
                    n,
                    v,
                    format!(
                        "kubelet fails TLS verification toward the API ({} lines)",
                        v.len()
                    ),
                ));
            }
            if let Some(v) = not_ready.get(*node) {
                cascade.push(hop(
                    Stage::NodeNotReady,
                    n,
                    v,
                    "node stops posting status (NotReady / Unknown)".to_owned(),
                ));
            }
            if let Some(v) = multus.get(*node) {
                cascade.push(hop(
                    Stage::MultusFailure,
                    n,
                    v,
                    format!(
                        "Multus cannot reach the API: certificate not trusted ({} lines)",
                        v.len()
                    ),
                ));
            }
            if let Some(v) = sandbox.get(*node) {
                cascade.push(hop(
                    Stage::SandboxFailure,
                    n,
                    v,
                    format!("pod sandboxes cannot be created ({} occurrences)", v.len()),
                ));
            }
            // Within a node, in the order things happened (the stage names the causal role).
            cascade[first_hop..].sort_by_key(|h| (h.at.is_none(), h.at));
        }
        let degraded: Vec<&Hit> = hits
            .iter()
            .filter(|h| {
                h.stage == Some(Stage::NetworkDegraded)
                    && h.severity >= Severity::Warning
                    && h.at.is_some_and(|t| t >= switched)
            })
            .collect();
        if let Some(first) = degraded.iter().min_by_key(|h| h.at) {
            cascade.push(hop(
                Stage::NetworkDegraded,
                None,
                &[first],
                "the network ClusterOperator reports Degraded".to_owned(),
            ));
        }
        let affected_nodes: Vec<String> = affected.into_iter().collect();
        let stale_ns: Vec<String> = stale
            .iter()
            .filter(|v| v.consumer.contains("kube-root-ca.crt"))
            .filter_map(|v| v.consumer.split('/').next().map(str::to_owned))
            .collect();
        let bundle = "openshift-kube-apiserver-operator/loadbalancer-serving-ca";
        let version = snapshot
            .cluster_version
            .as_ref()
            .map(|c| c.value.status.desired.version.as_str());
        let api_int = snapshot
            .infrastructure
            .as_ref()
            .and_then(|i| i.value.status.api_server_internal_uri.as_deref());
        let remediation = api_int_trust_fix(&FixContext {
            nodes: &affected_nodes,
            bundle,
            api_int_url: api_int,
            version,
            stale_root_ca_namespaces: &stale_ns,
        });
        let born = snapshot
            .cluster_version
            .as_ref()
            .and_then(|c| c.value.born_version().map(str::to_owned));
        let summary = format!(
            "The api-int signing CA was re-created at {} ({}){}. At {} the api-int serving certificate switched to the new CA. \
             The nodes' kubeconfigs (and {} other copies of the trust bundle) still hold only the old CA, so from then on \
             {} node(s) fail TLS verification toward api-int: kubelets cannot post status, Multus cannot call the API, \
             and pod sandboxes cannot be created.",
            rotation.at,
            ca.subject,
            born.map(|b| format!(", on a cluster installed as {b}"))
                .unwrap_or_default(),
            switched,
            stale.len(),
            affected_nodes.len()
        );
        let mut evidence: Vec<Provenance> = rotation
            .evidence
            .iter()
            .chain(chain.evidence.iter())
            .copied()
            .take(MAX_EVIDENCE)
            .collect();
        evidence.extend(
            cascade
                .iter()
                .filter(|h| h.node.is_some())
                .filter_map(|h| h.evidence.first().copied())
                .take(MAX_EVIDENCE),
        );
        out.push(Finding {
            id: "ca-trust-propagation".to_owned(),
            severity: Severity::Critical,
            title: "A rotated CA never reached the nodes: api-int TLS failures cascade to the pod network".to_owned(),
            summary,
            started_at: Some(switched),
            affected_nodes,
            ca: Some(ca),
            cascade,
            remediation,
            evidence,
        });
    }
    out
}

/// The same class, the other direction: kube-apiserver's kubelet-client certificate moved to
/// a new CA that some kubelets do not trust.
fn kubelet_client_propagation(
    snapshot: &Snapshot,
    trust: &TrustReport,
    chain: &ServingChain,
    rotation: &Rotation,
    hits: &[Hit],
) -> Option<Finding> {
    let switched = chain.switched_at?;
    let rejects: Vec<&Hit> = hits
        .iter()
        .filter(|h| {
            h.rule == "kubelet-rejects-client-certificate" && h.at.is_some_and(|t| t >= switched)
        })
        .collect();
    if rejects.is_empty() {
        return None;
    }
    let stale: Vec<_> = trust.stale().filter(|v| v.chain == chain.target).collect();
    let mut by_node: BTreeMap<String, Vec<&Hit>> = BTreeMap::new();
    for h in &rejects {
        if let Some(n) = &h.node {
            by_node.entry(n.clone()).or_default().push(h);
        }
    }
    // Nodes without a journal in the case still show it: the collector could not fetch their
    // pods' logs through the kubelet and fell back to `current.insecure.log`.
    let mut fetch_failed: BTreeMap<String, Vec<Provenance>> = BTreeMap::new();
    for f in &snapshot.log_fetch_failures {
        if let Some(n) = &f.value.node {
            fetch_failed.entry(n.clone()).or_default().push(f.at);
        }
    }
    let affected: Vec<String> = by_node
        .keys()
        .chain(fetch_failed.keys())
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut cascade = vec![
        CascadeHop {
            stage: Stage::CaRotated,
            at: Some(rotation.at),
            node: None,
            summary: format!(
                "{} rotated: new CA {}",
                rotation.signer, rotation.to.subject
            ),
            evidence: rotation
                .evidence
                .iter()
                .take(MAX_EVIDENCE)
                .copied()
                .collect(),
        },
        CascadeHop {
            stage: Stage::ServingCertReissued,
            at: Some(switched),
            node: None,
            summary: format!("{} now signed by the new CA", chain.target),
            evidence: chain.evidence.iter().take(MAX_EVIDENCE).copied().collect(),
        },
    ];
    if !stale.is_empty() {
        cascade.push(CascadeHop {
            stage: Stage::TrustNotPropagated,
            at: stale.iter().filter_map(|v| v.stale_since).min(),
            node: None,
            summary: format!(
                "copies without the new CA: {}",
                stale
                    .iter()
                    .map(|v| v.consumer.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence: stale
                .iter()
                .flat_map(|v| v.evidence.iter().copied())
                .take(MAX_EVIDENCE)
                .collect(),
        });
    }
    for node in &affected {
        if let Some(v) = by_node.get(node) {
            let mut v = v.clone();
            v.sort_by_key(|h| h.at);
            cascade.push(hop(
                Stage::KubeletTlsFailure,
                Some(node),
                &v,
                format!(
                    "kubelet rejects kube-apiserver's client certificate ({} lines)",
                    v.len()
                ),
            ));
        } else if let Some(p) = fetch_failed.get(node) {
            cascade.push(CascadeHop {
                stage: Stage::KubeletTlsFailure,
                at: None,
                node: Some(node.clone()),
                summary: format!(
                    "no journal in the case; the collector could not fetch {} container log(s) from this node's kubelet",
                    p.len()
                ),
                evidence: p.iter().take(MAX_EVIDENCE).copied().collect(),
            });
        }
    }
    let paused: Vec<&str> = snapshot
        .machine_config_pools
        .iter()
        .filter(|p| p.value.spec.paused)
        .map(|p| p.value.metadata.name.as_str())
        .collect();
    let mut remediation = Vec::new();
    if !paused.is_empty() {
        remediation.push(format!(
            "Unpause the MachineConfigPool(s) {} so the rendered config with the new /etc/kubernetes/kubelet-ca.crt reaches the nodes: {}",
            paused.join(", "),
            paused.iter().map(|p| format!("oc patch mcp {p} --type merge -p '{{\"spec\":{{\"paused\":false}}}}'")).collect::<Vec<_>>().join("; ")
        ));
    }
    remediation.push("Watch the pool roll out (`oc get mcp -w`); `oc logs` and `oc exec` to pods on the affected nodes work again once each node has the new kubelet-ca.crt.".to_owned());
    Some(Finding {
        id: "ca-trust-propagation".to_owned(),
        severity: Severity::Critical,
        title: "A rotated CA never reached the kubelets: they reject kube-apiserver's client certificate".to_owned(),
        summary: format!(
            "{} was rotated at {}; from {} kube-apiserver presents a kubelet-client certificate from the new CA, \
             which the kubelets on {} node(s) do not trust (logs, exec and port-forward to their pods fail).",
            rotation.signer,
            rotation.at,
            switched,
            affected.len()
        ),
        started_at: Some(switched),
        affected_nodes: affected,
        ca: Some(rotation.to.clone()),
        cascade,
        remediation,
        evidence: rejects.iter().take(MAX_EVIDENCE).map(|h| h.provenance).collect(),
    })
}

fn api_int_rotation(trust: &TrustReport) -> Option<Finding> {
    let r = trust
        .rotations
        .iter()
        .filter(|r| r.signer.ends_with("/loadbalancer-serving-signer"))
        .max_by_key(|r| r.at)?;
    Some(Finding {
        id: "api-int-ca-rotated".to_owned(),
        severity: if r.premature { Severity::Warning } else { Severity::Info },
        title: "The api-int / api load-balancer signing CA was re-created".to_owned(),
        summary: format!(
            "{} got a new CA at {} ({}){}. Every client of api-int must trust it before the serving certificate switches.",
            r.signer,
            r.at,
            r.to.subject,
            if r.premature { "; this 10-year signer was re-created long before its refresh time" } else { "" }
        ),
        started_at: Some(r.at),
        affected_nodes: vec![],
        ca: Some(r.to.clone()),
        cascade: vec![],
        remediation: vec!["Check that the new CA is in every node's /etc/kubernetes/kubeconfig before the api-int serving certificate is re-issued.".to_owned()],
        evidence: r.evidence.iter().take(MAX_EVIDENCE).copied().collect(),
    })
}

/// Findings that restate symptoms on their own (useful when the root cause is elsewhere).
fn symptom_findings(snapshot: &Snapshot, hits: &[Hit]) -> Vec<Finding> {
    let mut out = Vec::new();
    let group = |pred: &dyn Fn(&Hit) -> bool| -> BTreeMap<String, Vec<&Hit>> {
        let mut m: BTreeMap<String, Vec<&Hit>> = BTreeMap::new();
        for h in hits.iter().filter(|h| pred(h)) {
            m.entry(h.node.clone().unwrap_or_default())
                .or_default()
                .push(h);
        }
        m
    };
    let mut simple =
        |id: &str, severity: Severity, title: &str, what: &str, m: BTreeMap<String, Vec<&Hit>>| {
            if m.is_empty() {
                return;
            }
            let all: Vec<&Hit> = m.values().flatten().copied().collect();
            let started_at = all.iter().filter_map(|h| h.at).min();
            let nodes: Vec<String> = m.keys().filter(|k| !k.is_empty()).cloned().collect();
            out.push(Finding {
                id: id.to_owned(),
                severity,
                title: title.to_owned(),
                summary: format!(
                    "{} {what} on {} node(s){}",
                    all.len(),
                    nodes.len(),
                    started_at
                        .map(|t| format!(", first at {t}"))
                        .unwrap_or_default()
                ),
                started_at,
                affected_nodes: nodes,
                ca: None,
                cascade: vec![],
                remediation: vec![],
                evidence: {
                    let mut firsts: Vec<&Hit> = m
                        .values()
                        .filter_map(|v| v.iter().min_by_key(|h| h.at).copied())
                        .collect();
                    firsts.sort_by_key(|h| h.at);
                    firsts
                        .iter()
                        .take(MAX_EVIDENCE)
                        .map(|h| h.provenance)
                        .collect()
                },
            });
        };
    simple(
        "kubelet-api-tls-failure",
        Severity::Critical,
        "Kubelets fail TLS verification toward the API server",
        "kubelet TLS failures",
        group(&|h| h.stage == Some(Stage::KubeletTlsFailure) && h.severity >= Severity::Warning),
    );
    simple(
        "kubelet-client-auth-failure",
        Severity::Critical,
        "Kubelets reject kube-apiserver's client certificate",
        "rejected client certificates",
        group(&|h| h.rule == "kubelet-rejects-client-certificate"),
    );
    simple(
        "sandbox-creation-failure",
        Severity::Warning,
        "Pod sandboxes cannot be created",
        "sandbox failures",
        group(&|h| h.stage == Some(Stage::SandboxFailure) && h.severity >= Severity::Warning),
    );
    // Nodes not Ready at collection time, from the Node objects themselves.
    let not_ready: Vec<(&str, Option<Timestamp>, Provenance)> = snapshot
        .nodes
        .iter()
        .filter_map(|n| {
            let ready = n.value.ready();
            (ready.map(|c| c.status.as_str()) != Some("True")).then(|| {
                (
                    n.value.metadata.name.as_str(),
                    ready.and_then(|c| c.last_transition_time),
                    n.at,
                )
            })
        })
        .collect();
    if !not_ready.is_empty() {
        out.push(Finding {
            id: "node-not-ready".to_owned(),
            severity: Severity::Critical,
            title: "Nodes are not Ready".to_owned(),
            summary: format!(
                "{} of {} nodes were not Ready when the data was collected",
                not_ready.len(),
                snapshot.nodes.len()
            ),
            started_at: not_ready.iter().filter_map(|n| n.1).min(),
            affected_nodes: not_ready.iter().map(|n| n.0.to_owned()).collect(),
            ca: None,
            cascade: vec![],
            remediation: vec![],
            evidence: not_ready.iter().map(|n| n.2).take(MAX_EVIDENCE).collect(),
        });
    }
    let degraded: Vec<(&str, Option<Timestamp>, Provenance)> = snapshot
        .cluster_operators
        .iter()
        .filter_map(|co| {
            let d = co
                .value
                .condition("Degraded")
                .filter(|c| c.status == "True");
            let unavailable = co
                .value
                .condition("Available")
                .filter(|c| c.status == "False");
            d.or(unavailable).map(|c| {
                (
                    co.value.metadata.name.as_str(),
                    c.last_transition_time,
                    co.at,
                )
            })
        })
        .collect();
    if !degraded.is_empty() {
        let names: Vec<&str> = degraded.iter().map(|d| d.0).collect();
        out.push(Finding {
            id: "clusteroperator-degraded".to_owned(),
            severity: Severity::Warning,
            title: "ClusterOperators are degraded or unavailable".to_owned(),
            summary: format!("degraded or unavailable: {}", names.join(", ")),
            started_at: degraded.iter().filter_map(|d| d.1).min(),
            affected_nodes: vec![],
            ca: None,
            cascade: vec![],
            remediation: vec![],
            evidence: degraded.iter().map(|d| d.2).take(MAX_EVIDENCE).collect(),
        });
    }
    out
}

fn legacy_signers(trust: &TrustReport) -> Option<Finding> {
    let legacy: Vec<_> = trust
        .hazards
        .iter()
        .filter(|h| h.kind == "legacy-secret-type")
        .collect();
    if legacy.is_empty() {
        return None;
    }
    Some(Finding {
        id: "legacy-signer-secret-type".to_owned(),
        severity: Severity::Warning,
        title: "Signer Secrets still have the legacy type `SecretTypeTLS`".to_owned(),
        summary: format!(
            "{} signer Secret(s) were created by an old installer with `type: SecretTypeTLS` ({}); \
             on 4.15 before 4.15.10 the operator may delete and re-create them, minting a new CA.",
            legacy.len(),
            legacy.iter().map(|h| h.object.as_str()).collect::<Vec<_>>().join(", ")
        ),
        started_at: None,
        affected_nodes: vec![],
        ca: None,
        cascade: vec![],
        remediation: vec!["Upgrade within 4.15 only to 4.15.10 or later (OKD: 4.15.0-0.okd-2024-03-10-010116 or later).".to_owned()],
        evidence: legacy.iter().flat_map(|h| h.evidence.iter().copied()).take(MAX_EVIDENCE).collect(),
    })
}

fn paused_pools(snapshot: &Snapshot) -> Option<Finding> {
    let paused: Vec<_> = snapshot
        .machine_config_pools
        .iter()
        .filter(|p| p.value.spec.paused)
        .collect();
    if paused.is_empty() {
        return None;
    }
    Some(Finding {
        id: "machineconfigpool-paused".to_owned(),
        severity: Severity::Warning,
        title: "MachineConfigPools are paused".to_owned(),
        summary: format!(
            "paused: {}; their nodes receive no new configuration (including rotated CA bundles){}",
            paused
                .iter()
                .map(|p| p.value.metadata.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if paused.iter().any(|p| p.value.is_behind()) {
                ", and at least one pool is behind its rendered config"
            } else {
                ""
            }
        ),
        started_at: None,
        affected_nodes: vec![],
        ca: None,
        cascade: vec![],
        remediation: vec![],
        evidence: paused.iter().map(|p| p.at).collect(),
    })
}
