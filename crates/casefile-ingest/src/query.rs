//! What `oc get KIND [NAME] [-n NS | -A] [-l SELECTOR]` means, offline: resolving a kind
//! as typed to a resource type, and selecting the case's objects of that type.
//!
//! Resource types come from three places, in this order of preference:
//! 1. a built-in table of common Kubernetes and OpenShift kinds ([`Catalog::builtin`]);
//! 2. kinds discovered in the case: every indexed object's kind and group, with the
//!    resource plural taken from its path (`namespaces/x/core/configmaps.yaml`);
//! 3. the case's CustomResourceDefinitions (`spec.names`, `spec.group`, `spec.scope`),
//!    decoded only when a kind is not found otherwise ([`resolve`]).
//!
//! When several types answer to the same name, the first wins, so a built-in (core,
//! then the rest in table order) beats a discovered one, as `oc` prefers core kinds:
//! `events` is core/v1 Event, `networks` is `config.openshift.io`. A group, or its first
//! segments, picks another one: `network.operator`, `events.events.k8s.io`.
//!
//! Namespaces: a namespaced kind with neither a namespace nor all-namespaces selects
//! [`DEFAULT_NAMESPACE`] (`default`), as `oc` does outside a project; a cluster-scoped
//! kind ignores the namespace.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use casefile_model::{ObjectMetaLite, Timestamp};
use serde::Deserialize;

use crate::case::{Case, ObjectRef};
use crate::decode::DecodeError;

/// The namespace selected when neither a namespace nor all namespaces is asked for
/// (what `oc` uses when the kubeconfig names no project).
pub const DEFAULT_NAMESPACE: &str = "default";

/// Where a resource type's description came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeSource {
    /// The built-in table.
    Builtin,
    /// A CustomResourceDefinition in the case.
    Crd,
    /// Objects in the case (names guessed from their paths).
    Discovered,
}

/// One resource type: what a kind is called and whether it is namespaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// API group (`""` for core).
    pub group: String,
    /// Kind (`Pod`).
    pub kind: String,
    /// Resource plural, lower case (`pods`).
    pub plural: String,
    /// Singular, lower case (`pod`).
    pub singular: String,
    /// Short names, lower case (`po`).
    pub short_names: Vec<String>,
    /// Whether objects live in namespaces.
    pub namespaced: bool,
    /// Where this description came from.
    pub source: TypeSource,
}

impl ResourceType {
    /// The plural qualified by the group, as `oc` names resource types:
    /// `pods`, `clusteroperators.config.openshift.io`.
    pub fn qualified_plural(&self) -> String {
        qualify(&self.plural, &self.group)
    }

    /// The prefix `oc get -o name` prints before `/name`: the lower-case kind qualified
    /// by the group (`pod`, `deployment.apps`, `clusteroperator.config.openshift.io`).
    pub fn name_prefix(&self) -> String {
        qualify(&self.kind.to_ascii_lowercase(), &self.group)
    }

    /// Whether an indexed object is of this type (same kind and group).
    pub fn matches(&self, meta: &ObjectMetaLite) -> bool {
        meta.kind == self.kind && meta.group() == self.group
    }

    fn answers_to(&self, name: &str) -> bool {
        self.plural == name
            || self.singular == name
            || self.short_names.iter().any(|s| s == name)
            || self.kind.eq_ignore_ascii_case(name)
    }

    fn in_group(&self, group: Option<&str>) -> bool {
        match group {
            None => true,
            Some("core") => self.group.is_empty(),
            Some(g) => {
                self.group == g
                    || self
                        .group
                        .strip_prefix(g)
                        .is_some_and(|rest| rest.starts_with('.'))
            }
        }
    }
}

fn qualify(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_owned()
    } else {
        format!("{name}.{group}")
    }
}

/// (group, kind, plural, singular, short names, namespaced), in order of preference.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

const BUILTIN: &[Row] = &[
    // core
    ("", "Pod", "pods", "pod", &["po"], true),
    ("", "Node", "nodes", "node", &["no"], false),
    ("", "ConfigMap", "configmaps", "configmap", &["cm"], true),
    ("", "Secret", "secrets", "secret", &[], true),
    ("", "Event", "events", "event", &["ev"], true),
    ("", "Namespace", "namespaces", "namespace", &["ns"], false),
    ("", "Service", "services", "service", &["svc"], true),
    ("", "Endpoints", "endpoints", "endpoints", &["ep"], true),
    (
        "",
        "ServiceAccount",
        "serviceaccounts",
        "serviceaccount",
        &["sa"],
        true,
    ),
    (
        "",
        "PersistentVolume",
        "persistentvolumes",
        "persistentvolume",
        &["pv"],
        false,
    ),
    (
        "",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        &["pvc"],
        true,
    ),
    (
        "",
        "ReplicationController",
        "replicationcontrollers",
        "replicationcontroller",
        &["rc"],
        true,
    ),
    (
        "",
        "ResourceQuota",
        "resourcequotas",
        "resourcequota",
        &["quota"],
        true,
    ),
    (
        "",
        "LimitRange",
        "limitranges",
        "limitrange",
        &["limits"],
        true,
    ),
    ("", "PodTemplate", "podtemplates", "podtemplate", &[], true),
    (
        "",
        "ComponentStatus",
        "componentstatuses",
        "componentstatus",
        &["cs"],
        false,
    ),
    // Kubernetes groups
    (
        "apps",
        "Deployment",
        "deployments",
        "deployment",
        &["deploy"],
        true,
    ),
    (
        "apps",
        "DaemonSet",
        "daemonsets",
        "daemonset",
        &["ds"],
        true,
    ),
    (
        "apps",
        "ReplicaSet",
        "replicasets",
        "replicaset",
        &["rs"],
        true,
    ),
    (
        "apps",
        "StatefulSet",
        "statefulsets",
        "statefulset",
        &["sts"],
        true,
    ),
    (
        "apps",
        "ControllerRevision",
        "controllerrevisions",
        "controllerrevision",
        &[],
        true,
    ),
    ("batch", "Job", "jobs", "job", &[], true),
    ("batch", "CronJob", "cronjobs", "cronjob", &["cj"], true),
    (
        "autoscaling",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        &["hpa"],
        true,
    ),
    (
        "policy",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        &["pdb"],
        true,
    ),
    (
        "certificates.k8s.io",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        "certificatesigningrequest",
        &["csr"],
        false,
    ),
    ("coordination.k8s.io", "Lease", "leases", "lease", &[], true),
    ("events.k8s.io", "Event", "events", "event", &["ev"], true),
    (
        "discovery.k8s.io",
        "EndpointSlice",
        "endpointslices",
        "endpointslice",
        &[],
        true,
    ),
    (
        "networking.k8s.io",
        "NetworkPolicy",
        "networkpolicies",
        "networkpolicy",
        &["netpol"],
        true,
    ),
    (
        "networking.k8s.io",
        "Ingress",
        "ingresses",
        "ingress",
        &["ing"],
        true,
    ),
    (
        "networking.k8s.io",
        "IngressClass",
        "ingressclasses",
        "ingressclass",
        &[],
        false,
    ),
    (
        "rbac.authorization.k8s.io",
        "Role",
        "roles",
        "role",
        &[],
        true,
    ),
    (
        "rbac.authorization.k8s.io",
        "RoleBinding",
        "rolebindings",
        "rolebinding",
        &[],
        true,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRole",
        "clusterroles",
        "clusterrole",
        &[],
        false,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        "clusterrolebindings",
        "clusterrolebinding",
        &[],
        false,
    ),
    (
        "storage.k8s.io",
        "StorageClass",
        "storageclasses",
        "storageclass",
        &["sc"],
        false,
    ),
    (
        "storage.k8s.io",
        "CSINode",
        "csinodes",
        "csinode",
        &[],
        false,
    ),
    (
        "storage.k8s.io",
        "CSIDriver",
        "csidrivers",
        "csidriver",
        &[],
        false,
    ),
    (
        "storage.k8s.io",
        "VolumeAttachment",
        "volumeattachments",
        "volumeattachment",
        &[],
        false,
    ),
    (
        "apiregistration.k8s.io",
        "APIService",
        "apiservices",
        "apiservice",
        &[],
        false,
    ),
    (
        "apiextensions.k8s.io",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        "customresourcedefinition",
        &["crd", "crds"],
        false,
    ),
    (
        "admissionregistration.k8s.io",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        "mutatingwebhookconfiguration",
        &[],
        false,
    ),
    (
        "admissionregistration.k8s.io",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        "validatingwebhookconfiguration",
        &[],
        false,
    ),
    (
        "scheduling.k8s.io",
        "PriorityClass",
        "priorityclasses",
        "priorityclass",
        &["pc"],
        false,
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        "FlowSchema",
        "flowschemas",
        "flowschema",
        &[],
        false,
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        "PriorityLevelConfiguration",
        "prioritylevelconfigurations",
        "prioritylevelconfiguration",
        &[],
        false,
    ),
    // OpenShift cluster configuration
    (
        "config.openshift.io",
        "ClusterOperator",
        "clusteroperators",
        "clusteroperator",
        &["co"],
        false,
    ),
    (
        "config.openshift.io",
        "ClusterVersion",
        "clusterversions",
        "clusterversion",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Infrastructure",
        "infrastructures",
        "infrastructure",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Network",
        "networks",
        "network",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Proxy",
        "proxies",
        "proxy",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "APIServer",
        "apiservers",
        "apiserver",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Authentication",
        "authentications",
        "authentication",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Console",
        "consoles",
        "console",
        &[],
        false,
    ),
    ("config.openshift.io", "DNS", "dnses", "dns", &[], false),
    (
        "config.openshift.io",
        "FeatureGate",
        "featuregates",
        "featuregate",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Image",
        "images",
        "image",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "OAuth",
        "oauths",
        "oauth",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "OperatorHub",
        "operatorhubs",
        "operatorhub",
        &[],
        false,
    ),
    (
        "config.openshift.io",
        "Scheduler",
        "schedulers",
        "scheduler",
        &[],
        false,
    ),
    // OpenShift machines and nodes
    (
        "machineconfiguration.openshift.io",
        "MachineConfigPool",
        "machineconfigpools",
        "machineconfigpool",
        &["mcp"],
        false,
    ),
    (
        "machineconfiguration.openshift.io",
        "MachineConfig",
        "machineconfigs",
        "machineconfig",
        &["mc"],
        false,
    ),
    (
        "machineconfiguration.openshift.io",
        "ControllerConfig",
        "controllerconfigs",
        "controllerconfig",
        &[],
        false,
    ),
    (
        "machineconfiguration.openshift.io",
        "KubeletConfig",
        "kubeletconfigs",
        "kubeletconfig",
        &[],
        false,
    ),
    (
        "machineconfiguration.openshift.io",
        "ContainerRuntimeConfig",
        "containerruntimeconfigs",
        "containerruntimeconfig",
        &["ctrcfg"],
        false,
    ),
    (
        "machine.openshift.io",
        "Machine",
        "machines",
        "machine",
        &[],
        true,
    ),
    (
        "machine.openshift.io",
        "MachineSet",
        "machinesets",
        "machineset",
        &[],
        true,
    ),
    (
        "machine.openshift.io",
        "MachineHealthCheck",
        "machinehealthchecks",
        "machinehealthcheck",
        &["mhc", "mhcs"],
        true,
    ),
    // Other OpenShift APIs
    ("route.openshift.io", "Route", "routes", "route", &[], true),
    (
        "project.openshift.io",
        "Project",
        "projects",
        "project",
        &[],
        false,
    ),
    (
        "security.openshift.io",
        "SecurityContextConstraints",
        "securitycontextconstraints",
        "securitycontextconstraints",
        &["scc"],
        false,
    ),
    (
        "apps.openshift.io",
        "DeploymentConfig",
        "deploymentconfigs",
        "deploymentconfig",
        &["dc"],
        true,
    ),
    (
        "build.openshift.io",
        "BuildConfig",
        "buildconfigs",
        "buildconfig",
        &["bc"],
        true,
    ),
    ("build.openshift.io", "Build", "builds", "build", &[], true),
    (
        "image.openshift.io",
        "ImageStream",
        "imagestreams",
        "imagestream",
        &["is"],
        true,
    ),
    (
        "network.openshift.io",
        "ClusterNetwork",
        "clusternetworks",
        "clusternetwork",
        &[],
        false,
    ),
    (
        "network.openshift.io",
        "HostSubnet",
        "hostsubnets",
        "hostsubnet",
        &[],
        false,
    ),
    (
        "network.openshift.io",
        "NetNamespace",
        "netnamespaces",
        "netnamespace",
        &[],
        false,
    ),
    (
        "network.openshift.io",
        "EgressNetworkPolicy",
        "egressnetworkpolicies",
        "egressnetworkpolicy",
        &[],
        true,
    ),
    (
        "k8s.cni.cncf.io",
        "NetworkAttachmentDefinition",
        "network-attachment-definitions",
        "network-attachment-definition",
        &["net-attach-def"],
        true,
    ),
    (
        "apiserver.openshift.io",
        "APIRequestCount",
        "apirequestcounts",
        "apirequestcount",
        &[],
        false,
    ),
    (
        "operators.coreos.com",
        "ClusterServiceVersion",
        "clusterserviceversions",
        "clusterserviceversion",
        &["csv", "csvs"],
        true,
    ),
    (
        "operators.coreos.com",
        "Subscription",
        "subscriptions",
        "subscription",
        &["sub", "subs"],
        true,
    ),
    (
        "operators.coreos.com",
        "InstallPlan",
        "installplans",
        "installplan",
        &["ip"],
        true,
    ),
    (
        "operators.coreos.com",
        "CatalogSource",
        "catalogsources",
        "catalogsource",
        &["catsrc"],
        true,
    ),
    (
        "operators.coreos.com",
        "OperatorGroup",
        "operatorgroups",
        "operatorgroup",
        &["og"],
        true,
    ),
    (
        "monitoring.coreos.com",
        "PrometheusRule",
        "prometheusrules",
        "prometheusrule",
        &["promrule"],
        true,
    ),
    (
        "monitoring.coreos.com",
        "ServiceMonitor",
        "servicemonitors",
        "servicemonitor",
        &["smon"],
        true,
    ),
    (
        "monitoring.coreos.com",
        "PodMonitor",
        "podmonitors",
        "podmonitor",
        &["pmon"],
        true,
    ),
];

/// The resource types known for a case, in order of preference.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    types: Vec<ResourceType>,
    index: HashMap<(String, String), usize>,
}

impl Catalog {
    /// The built-in table only.
    pub fn builtin() -> Self {
        let mut c = Self::default();
        for &(group, kind, plural, singular, short, namespaced) in BUILTIN {
            c.push(ResourceType {
                group: group.to_owned(),
                kind: kind.to_owned(),
                plural: plural.to_owned(),
                singular: singular.to_owned(),
                short_names: short.iter().map(|s| (*s).to_owned()).collect(),
                namespaced,
                source: TypeSource::Builtin,
            });
        }
        c
    }

    /// The built-in table plus every kind that has objects in the case (no decoding).
    pub fn for_case(case: &Case) -> Self {
        let mut c = Self::builtin();
        // (group, kind) -> (plural votes, namespaced)
        let mut seen: BTreeMap<(String, String), (HashMap<String, usize>, bool)> = BTreeMap::new();
        for &r in case.objects() {
            let rec = case.record(r);
            let key = (rec.meta.group().to_owned(), rec.meta.kind.clone());
            if c.index.contains_key(&key) {
                continue;
            }
            let e = seen.entry(key).or_default();
            if let Some(res) = rec.resource.as_deref().filter(|s| !s.is_empty()) {
                *e.0.entry(res.to_ascii_lowercase()).or_default() += 1;
            }
            e.1 |= rec.meta.namespace.is_some();
        }
        let mut found: Vec<ResourceType> = seen
            .into_iter()
            .map(|((group, kind), (votes, namespaced))| {
                let plural = votes
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map_or_else(|| guess_plural(&kind), |(p, _)| p);
                ResourceType {
                    singular: kind.to_ascii_lowercase(),
                    plural,
                    short_names: Vec::new(),
                    namespaced,
                    source: TypeSource::Discovered,
                    group,
                    kind,
                }
            })
            .collect();
        found.sort_by(|a, b| {
            (!a.group.is_empty())
                .cmp(&!b.group.is_empty())
                .then_with(|| a.group.cmp(&b.group))
                .then_with(|| a.kind.cmp(&b.kind))
        });
        for t in found {
            c.push(t);
        }
        c
    }

    /// Adds (or completes) types from the case's CustomResourceDefinitions. Returns the
    /// CRDs that could not be decoded.
    pub fn add_crds(&mut self, case: &Case) -> Vec<(ObjectRef, DecodeError)> {
        let mut bad = Vec::new();
        let crds: Vec<ObjectRef> = case
            .objects_of_kind("apiextensions.k8s.io", "CustomResourceDefinition")
            .collect();
        let mut added = Vec::new();
        for r in crds {
            let crd: Crd = match case.decode(r) {
                Ok(c) => c,
                Err(e) => {
                    bad.push((r, e));
                    continue;
                }
            };
            let Some(t) = crd.into_type() else { continue };
            match self.index.get(&(t.group.clone(), t.kind.clone())).copied() {
                Some(i) if self.types[i].source == TypeSource::Builtin => {}
                Some(i) => self.types[i] = t,
                None => added.push(t),
            }
        }
        added.sort_by(|a, b| a.group.cmp(&b.group).then_with(|| a.kind.cmp(&b.kind)));
        for t in added {
            self.push(t);
        }
        bad
    }

    fn push(&mut self, t: ResourceType) {
        let key = (t.group.clone(), t.kind.clone());
        if !self.index.contains_key(&key) {
            self.index.insert(key, self.types.len());
            self.types.push(t);
        }
    }

    /// Every type, in order of preference.
    pub fn types(&self) -> &[ResourceType] {
        &self.types
    }

    /// The type of a group and kind.
    pub fn find(&self, group: &str, kind: &str) -> Option<&ResourceType> {
        self.index
            .get(&(group.to_owned(), kind.to_owned()))
            .map(|&i| &self.types[i])
    }

    /// Resolves a kind as typed: plural, singular, short name or Kind (any case),
    /// optionally followed by `.group` (or `.version.group`, or the group's first
    /// segments: `network.operator`). The first type in order of preference wins.
    pub fn resolve(&self, input: &str) -> Option<&ResourceType> {
        let input = input.trim().to_ascii_lowercase();
        if input.is_empty() {
            return None;
        }
        let (name, group) = match input.split_once('.') {
            Some((n, g)) => (n, Some(strip_version(g))),
            None => (input.as_str(), None),
        };
        if name.is_empty() || group == Some("") {
            return None;
        }
        self.types
            .iter()
            .find(|t| t.answers_to(name) && t.in_group(group))
    }
}

/// `v1.apps` → `apps`; `v1beta1.batch` → `batch`; anything else unchanged.
fn strip_version(g: &str) -> &str {
    match g.split_once('.') {
        Some((v, rest)) if is_version(v) => rest,
        _ => g,
    }
}

fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let tail = &rest[digits..];
    tail.is_empty()
        || ["alpha", "beta"].iter().any(|p| {
            tail.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// kubectl's guess of a plural from a kind (used only when no path names it).
fn guess_plural(kind: &str) -> String {
    let k = kind.to_ascii_lowercase();
    if k.ends_with('s')
        || k.ends_with("ch")
        || k.ends_with("sh")
        || k.ends_with('x')
        || k.ends_with('z')
    {
        format!("{k}es")
    } else if let Some(stem) = k
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{k}s")
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Crd {
    spec: CrdSpec,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrdSpec {
    group: Option<String>,
    names: CrdNames,
    scope: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct CrdNames {
    kind: Option<String>,
    plural: Option<String>,
    singular: Option<String>,
    short_names: Option<Vec<String>>,
}

impl Crd {
    fn into_type(self) -> Option<ResourceType> {
        let CrdSpec {
            group,
            names,
            scope,
        } = self.spec;
        let kind = names.kind.filter(|k| !k.is_empty())?;
        let group = group.unwrap_or_default();
        let plural = names
            .plural
            .filter(|p| !p.is_empty())
            .map_or_else(|| guess_plural(&kind), |p| p.to_ascii_lowercase());
        let singular = names
            .singular
            .filter(|s| !s.is_empty())
            .map_or_else(|| kind.to_ascii_lowercase(), |s| s.to_ascii_lowercase());
        let short_names = names
            .short_names
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        Some(ResourceType {
            group,
            kind,
            plural,
            singular,
            short_names,
            namespaced: scope.as_deref() != Some("Cluster"),
            source: TypeSource::Crd,
        })
    }
}

/// Why a query could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// No resource type answers to the name.
    #[error("the case has no resource type \"{0}\"")]
    UnknownKind(String),
    /// The label selector does not parse.
    #[error("invalid label selector {selector:?}: {reason}")]
    BadSelector {
        /// The selector as given.
        selector: String,
        /// What is wrong.
        reason: String,
    },
}

/// Resolves a kind as typed against the case: the built-in table and the case's kinds
/// first, then (only if that fails) its CustomResourceDefinitions too.
pub fn resolve(case: &Case, input: &str) -> Result<ResourceType, QueryError> {
    let mut catalog = Catalog::for_case(case);
    if let Some(t) = catalog.resolve(input) {
        return Ok(t.clone());
    }
    let _undecodable = catalog.add_crds(case);
    catalog
        .resolve(input)
        .cloned()
        .ok_or_else(|| QueryError::UnknownKind(input.trim().to_owned()))
}

// ---------------------------------------------------------------------------------------
// Label selectors

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `k=v` or `k==v`.
    Equals(String, String),
    /// `k!=v` (also true when the label is absent).
    NotEquals(String, String),
    /// `k`: the label is present.
    Exists(String),
    /// `!k`: the label is absent.
    NotExists(String),
    /// `k in (a,b)`.
    In(String, Vec<String>),
    /// `k notin (a,b)` (also true when the label is absent).
    NotIn(String, Vec<String>),
}

impl Requirement {
    /// Whether a label set satisfies it.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Self::Equals(k, v) => labels.get(k) == Some(v),
            Self::NotEquals(k, v) => labels.get(k) != Some(v),
            Self::Exists(k) => labels.contains_key(k),
            Self::NotExists(k) => !labels.contains_key(k),
            Self::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Self::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
        }
    }
}

/// A label selector: requirements that must all hold (`k=v,k2!=v2,k3,!k4`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// The requirements, in the order given.
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// Parses `oc`'s selector syntax: comma-separated `k=v`, `k==v`, `k!=v`, `k`, `!k`,
    /// `k in (a,b)`, `k notin (a,b)`. Keys may carry a `prefix/`; values may be empty.
    pub fn parse(s: &str) -> Result<Self, QueryError> {
        let bad = |reason: String| QueryError::BadSelector {
            selector: s.to_owned(),
            reason,
        };
        let mut requirements = Vec::new();
        for term in split_terms(s).map_err(|r| bad(r.to_owned()))? {
            let term = term.trim();
            if term.is_empty() {
                if s.trim().is_empty() {
                    continue;
                }
                return Err(bad("empty requirement".to_owned()));
            }
            requirements.push(parse_term(term).map_err(|r| bad(format!("{term:?}: {r}")))?);
        }
        Ok(Self { requirements })
    }

    /// Whether a label set satisfies every requirement (an empty selector matches all).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

impl std::str::FromStr for LabelSelector {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match r {
                Requirement::Equals(k, v) => write!(f, "{k}={v}")?,
                Requirement::NotEquals(k, v) => write!(f, "{k}!={v}")?,
                Requirement::Exists(k) => write!(f, "{k}")?,
                Requirement::NotExists(k) => write!(f, "!{k}")?,
                Requirement::In(k, vs) => write!(f, "{k} in ({})", vs.join(","))?,
                Requirement::NotIn(k, vs) => write!(f, "{k} notin ({})", vs.join(","))?,
            }
        }
        Ok(())
    }
}

/// Splits on commas outside parentheses.
fn split_terms(s: &str) -> Result<Vec<&str>, &'static str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' if depth > 0 => return Err("nested parentheses"),
            '(' => depth += 1,
            ')' if depth == 0 => return Err("unbalanced parentheses"),
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err("unbalanced parentheses");
    }
    out.push(&s[start..]);
    Ok(out)
}

fn valid_key(k: &str) -> Result<String, &'static str> {
    let (prefix, name) = match k.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, k),
    };
    let ok_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if name.is_empty() || name.len() > 63 || !name.bytes().all(ok_char) {
        return Err("invalid label key");
    }
    if let Some(p) = prefix
        && (p.is_empty()
            || p.len() > 253
            || !p
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.')))
    {
        return Err("invalid label key prefix");
    }
    Ok(k.to_owned())
}

fn valid_value(v: &str) -> Result<String, &'static str> {
    if v.len() > 63
        || !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err("invalid label value");
    }
    Ok(v.to_owned())
}

fn parse_term(term: &str) -> Result<Requirement, &'static str> {
    if let Some(k) = term.strip_prefix('!') {
        return Ok(Requirement::NotExists(valid_key(k.trim())?));
    }
    if let Some(open) = term.find('(') {
        let head = term[..open].trim();
        let list = term[open + 1..]
            .strip_suffix(')')
            .ok_or("text after the closing parenthesis")?;
        let (key, op) = head
            .rsplit_once(char::is_whitespace)
            .ok_or("expected `key in (...)` or `key notin (...)`")?;
        let key = valid_key(key.trim())?;
        let values = list
            .split(',')
            .map(|v| valid_value(v.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        return match op {
            "in" => Ok(Requirement::In(key, values)),
            "notin" => Ok(Requirement::NotIn(key, values)),
            _ => Err("expected `in` or `notin` before the parenthesis"),
        };
    }
    if let Some((k, v)) = term.split_once("!=") {
        return Ok(Requirement::NotEquals(
            valid_key(k.trim())?,
            valid_value(v.trim())?,
        ));
    }
    if let Some((k, v)) = term.split_once("==") {
        return Ok(Requirement::Equals(
            valid_key(k.trim())?,
            valid_value(v.trim())?,
        ));
    }
    if let Some((k, v)) = term.split_once('=') {
        return Ok(Requirement::Equals(
            valid_key(k.trim())?,
            valid_value(v.trim())?,
        ));
    }
    Ok(Requirement::Exists(valid_key(term)?))
}

// ---------------------------------------------------------------------------------------
// Selection

/// Which objects of a type to select.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    /// Exact `metadata.name`.
    pub name: Option<&'a str>,
    /// Namespace (`-n`); [`DEFAULT_NAMESPACE`] when `None` and not `all_namespaces`.
    pub namespace: Option<&'a str>,
    /// All namespaces (`-A`); wins over `namespace`.
    pub all_namespaces: bool,
    /// Label selector (`-l`).
    pub selector: Option<&'a LabelSelector>,
}

impl Selection<'_> {
    /// The namespace objects of `ty` must be in: `None` for all namespaces or a
    /// cluster-scoped type.
    pub fn namespace_for(&self, ty: &ResourceType) -> Option<&str> {
        if !ty.namespaced || self.all_namespaces {
            None
        } else {
            Some(self.namespace.unwrap_or(DEFAULT_NAMESPACE))
        }
    }
}

/// The result of [`select`].
#[derive(Debug, Default)]
pub struct Selected {
    /// Matching objects, ordered by namespace (cluster-scoped first), then name.
    pub objects: Vec<ObjectRef>,
    /// Candidates whose labels could not be decoded (left out of `objects`).
    pub undecodable: Vec<(ObjectRef, DecodeError)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LabelsDoc {
    metadata: Option<LabelsMeta>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LabelsMeta {
    labels: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The labels of an object (decodes it; scalar values are kept as text).
pub fn labels_of(case: &Case, r: ObjectRef) -> Result<BTreeMap<String, String>, DecodeError> {
    let doc: LabelsDoc = case.decode(r)?;
    let map = doc.metadata.and_then(|m| m.labels).unwrap_or_default();
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((k, v))
        })
        .collect())
}

/// Selects the objects of a type: by name, namespace and labels (labels are decoded
/// only for the candidates left after the name and namespace filters).
pub fn select(case: &Case, ty: &ResourceType, sel: &Selection<'_>) -> Selected {
    let ns = sel.namespace_for(ty);
    let mut candidates: Vec<ObjectRef> = case
        .objects()
        .iter()
        .copied()
        .filter(|&r| {
            let m = &case.record(r).meta;
            ty.matches(m)
                && sel.name.is_none_or(|n| m.name == n)
                && ns.is_none_or(|ns| m.namespace.as_deref() == Some(ns))
        })
        .collect();
    let mut out = Selected::default();
    if let Some(selector) = sel.selector.filter(|s| !s.requirements.is_empty()) {
        candidates.retain(|&r| match labels_of(case, r) {
            Ok(labels) => selector.matches(&labels),
            Err(e) => {
                out.undecodable.push((r, e));
                false
            }
        });
    }
    candidates.sort_by(|&a, &b| {
        let (ma, mb) = (&case.record(a).meta, &case.record(b).meta);
        ma.namespace
            .cmp(&mb.namespace)
            .then_with(|| ma.name.cmp(&mb.name))
            .then(a.cmp(&b))
    });
    out.objects = candidates;
    out
}

// ---------------------------------------------------------------------------------------
// Ages

/// A duration as `kubectl` prints ages (`duration.HumanDuration`): `45s`, `9m5s`, `12m`,
/// `3h5m`, `20h`, `2d3h`, `45d`, `2y10d`, `9y`; `0s` for up to a second in the future
/// and `<invalid>` beyond.
pub fn human_duration(d: jiff::SignedDuration) -> String {
    let secs = d.as_secs();
    if secs < -1 {
        return "<invalid>".to_owned();
    }
    if secs < 0 {
        return "0s".to_owned();
    }
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// The age of `t` at `now` as `kubectl` prints it; `<unknown>` when either is missing.
pub fn age(t: Option<Timestamp>, now: Option<Timestamp>) -> String {
    match (t, now) {
        (Some(t), Some(now)) => human_duration(now.duration_since(t)),
        _ => "<unknown>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn resolves_builtin_names() {
        let c = Catalog::builtin();
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("pods", Some(("", "Pod"))),
            ("pod", Some(("", "Pod"))),
            ("po", Some(("", "Pod"))),
            ("Pod", Some(("", "Pod"))),
            ("PODS", Some(("", "Pod"))),
            ("  po ", Some(("", "Pod"))),
            ("no", Some(("", "Node"))),
            ("cm", Some(("", "ConfigMap"))),
            ("ev", Some(("", "Event"))),
            ("events", Some(("", "Event"))),
            ("events.events.k8s.io", Some(("events.k8s.io", "Event"))),
            ("ev.events.k8s.io", Some(("events.k8s.io", "Event"))),
            ("events.v1.events.k8s.io", Some(("events.k8s.io", "Event"))),
            ("pods.core", Some(("", "Pod"))),
            ("co", Some(("config.openshift.io", "ClusterOperator"))),
            (
                "clusteroperator.config.openshift.io",
                Some(("config.openshift.io", "ClusterOperator")),
            ),
            (
                "clusteroperators.config",
                Some(("config.openshift.io", "ClusterOperator")),
            ),
            (
                "ClusterOperator",
                Some(("config.openshift.io", "ClusterOperator")),
            ),
            (
                "mcp",
                Some(("machineconfiguration.openshift.io", "MachineConfigPool")),
            ),
            (
                "mc",
                Some(("machineconfiguration.openshift.io", "MachineConfig")),
            ),
            (
                "csr",
                Some(("certificates.k8s.io", "CertificateSigningRequest")),
            ),
            ("deploy", Some(("apps", "Deployment"))),
            ("deployments.apps", Some(("apps", "Deployment"))),
            ("deployments.v1.apps", Some(("apps", "Deployment"))),
            ("ds", Some(("apps", "DaemonSet"))),
            ("sts", Some(("apps", "StatefulSet"))),
            ("cj", Some(("batch", "CronJob"))),
            ("networks", Some(("config.openshift.io", "Network"))),
            ("ingresses", Some(("networking.k8s.io", "Ingress"))),
            ("ingress.config.openshift.io", None), // not in the built-in table
            ("proxies", Some(("config.openshift.io", "Proxy"))),
            ("pv", Some(("", "PersistentVolume"))),
            ("pvc", Some(("", "PersistentVolumeClaim"))),
            // near misses
            ("pdo", None),
            ("p", None),
            ("pods.apps", None),
            ("deployments.app", None), // a group prefix must end at a dot
            ("deployments.", None),
            (".apps", None),
            ("", None),
            ("co.operator.openshift.io", None),
            ("podss", None),
        ];
        for (input, want) in cases {
            let got = c
                .resolve(input)
                .map(|t| (t.group.as_str(), t.kind.as_str()));
            assert_eq!(got, *want, "resolving {input:?}");
        }
    }

    #[test]
    fn names_and_prefixes() {
        let c = Catalog::builtin();
        let co = c.resolve("co").expect("co");
        assert_eq!(co.name_prefix(), "clusteroperator.config.openshift.io");
        assert_eq!(
            co.qualified_plural(),
            "clusteroperators.config.openshift.io"
        );
        assert!(!co.namespaced);
        let po = c.resolve("po").expect("po");
        assert_eq!(po.name_prefix(), "pod");
        assert_eq!(po.qualified_plural(), "pods");
        assert!(po.namespaced);
        assert_eq!(
            c.resolve("deploy").expect("deploy").name_prefix(),
            "deployment.apps"
        );
    }

    #[test]
    fn version_segments() {
        for (s, want) in [
            ("v1", true),
            ("v1beta1", true),
            ("v2alpha3", true),
            ("v", false),
            ("v1beta", false),
            ("1", false),
            ("vx", false),
            ("v1gamma1", false),
        ] {
            assert_eq!(is_version(s), want, "{s}");
        }
    }

    #[test]
    fn guesses_plurals() {
        for (k, p) in [
            ("Pod", "pods"),
            ("Proxy", "proxies"),
            ("Ingress", "ingresses"),
            ("Gateway", "gateways"),
            ("Box", "boxes"),
            ("Policy", "policies"),
        ] {
            assert_eq!(guess_plural(k), p);
        }
    }

    #[test]
    fn parses_selectors() {
        let ok: &[(&str, Vec<Requirement>)] = &[
            (
                "app=web",
                vec![Requirement::Equals("app".into(), "web".into())],
            ),
            (
                "app==web",
                vec![Requirement::Equals("app".into(), "web".into())],
            ),
            (
                "app!=web",
                vec![Requirement::NotEquals("app".into(), "web".into())],
            ),
            ("app", vec![Requirement::Exists("app".into())]),
            ("!app", vec![Requirement::NotExists("app".into())]),
            (
                "app=",
                vec![Requirement::Equals("app".into(), String::new())],
            ),
            (
                " a = b , !c ",
                vec![
                    Requirement::Equals("a".into(), "b".into()),
                    Requirement::NotExists("c".into()),
                ],
            ),
            (
                "node-role.kubernetes.io/master,k8s-app=sdn",
                vec![
                    Requirement::Exists("node-role.kubernetes.io/master".into()),
                    Requirement::Equals("k8s-app".into(), "sdn".into()),
                ],
            ),
            (
                "env in (prod,dev),tier notin (x)",
                vec![
                    Requirement::In("env".into(), vec!["prod".into(), "dev".into()]),
                    Requirement::NotIn("tier".into(), vec!["x".into()]),
                ],
            ),
            ("", vec![]),
        ];
        for (s, want) in ok {
            let got = LabelSelector::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
            assert_eq!(&got.requirements, want, "{s:?}");
        }
        for bad in [
            "a=b=c",
            "a,,b",
            "a b",
            "=b",
            "!",
            "a!=",
            "a in (b",
            "a in b)",
            "a foo (b)",
            "a in (b) c",
            "k=v w",
            "/x=y",
            "a/b/c=d",
            "a,",
            "é=1",
        ] {
            if let Ok(sel) = LabelSelector::parse(bad) {
                // `a!=` is a valid empty-value requirement; everything else must fail.
                assert_eq!(bad, "a!=", "{bad:?} parsed as {sel:?}");
            }
        }
    }

    #[test]
    fn matches_selectors() {
        let l = labels(&[
            ("app", "web"),
            ("tier", "front"),
            ("node-role.kubernetes.io/master", ""),
        ]);
        let cases = [
            ("app=web", true),
            ("app=db", false),
            ("app!=db", true),
            ("app!=web", false),
            ("missing!=x", true),
            ("app", true),
            ("missing", false),
            ("!missing", true),
            ("!app", false),
            ("app=web,tier=front", true),
            ("app=web,tier=back", false),
            ("node-role.kubernetes.io/master", true),
            ("node-role.kubernetes.io/master=", true),
            ("node-role.kubernetes.io/worker", false),
            ("tier in (front,back)", true),
            ("tier in (back)", false),
            ("tier notin (back)", true),
            ("missing notin (x)", true),
            ("missing in (x)", false),
            ("", true),
        ];
        for (s, want) in cases {
            let sel = LabelSelector::parse(s).expect("selector parses");
            assert_eq!(sel.matches(&l), want, "{s:?}");
        }
    }

    /// Every short string over the selector alphabet parses or fails cleanly, and what
    /// parses prints back to something that parses the same.
    #[test]
    fn selector_parser_never_panics() {
        let alphabet: Vec<char> = "a=!,() in/".chars().collect();
        let mut stack = vec![String::new()];
        while let Some(s) = stack.pop() {
            if let Ok(sel) = LabelSelector::parse(&s) {
                let again =
                    LabelSelector::parse(&sel.to_string()).expect("printed selector parses");
                assert_eq!(again, sel, "{s:?}");
                let _ = sel.matches(&labels(&[("a", "a")]));
            }
            if s.chars().count() < 5 {
                stack.extend(alphabet.iter().map(|c| format!("{s}{c}")));
            }
        }
    }

    #[test]
    fn selector_round_trips() {
        let s = "a=b,c!=d,e,!f,g in (h,i),j notin (k)";
        assert_eq!(LabelSelector::parse(s).expect("parses").to_string(), s);
    }

    #[test]
    fn human_durations_match_kubectl() {
        let cases: &[(i64, &str)] = &[
            (-3, "<invalid>"),
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (45, "45s"),
            (119, "119s"),
            (120, "2m"),
            (125, "2m5s"),
            (599, "9m59s"),
            (600, "10m"),
            (12 * 60 + 30, "12m"),
            (179 * 60 + 59, "179m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 5 * 60 + 59, "3h5m"),
            (8 * 3600, "8h"),
            (47 * 3600 + 3599, "47h"),
            (48 * 3600, "2d"),
            (51 * 3600, "2d3h"),
            (8 * 86400 - 1, "7d23h"),
            (8 * 86400, "8d"),
            (45 * 86400, "45d"),
            (730 * 86400 - 1, "729d"),
            (730 * 86400, "2y"),
            (740 * 86400, "2y10d"),
            (8 * 365 * 86400, "8y"),
            (20 * 365 * 86400 + 100 * 86400, "20y"),
        ];
        for &(secs, want) in cases {
            assert_eq!(
                human_duration(jiff::SignedDuration::from_secs(secs)),
                want,
                "{secs}s"
            );
        }
        assert_eq!(
            human_duration(jiff::SignedDuration::from_millis(-1500)),
            "0s"
        );
        assert_eq!(
            human_duration(jiff::SignedDuration::from_millis(119_999)),
            "119s"
        );
        let t: Timestamp = "2021-09-13T14:51:30Z".parse().expect("ts");
        let now: Timestamp = "2021-09-13T15:34:43Z".parse().expect("ts");
        assert_eq!(age(Some(t), Some(now)), "43m");
        assert_eq!(age(None, Some(now)), "<unknown>");
        assert_eq!(age(Some(t), None), "<unknown>");
    }
}
