//! Builders for the Kubernetes objects `oc adm inspect` writes.

use base64::Engine as _;

use crate::rng::Rng;
use crate::t::{self, T};
use crate::yaml::{V, empty, i, l, ls, m, s};

/// Object identity source: uids and resourceVersions.
pub struct Ids {
    /// Random stream for uids.
    pub rng: Rng,
    /// Cluster birth (resourceVersion origin).
    pub born: T,
}

impl Ids {
    /// A new uid.
    pub fn uid(&mut self) -> String {
        self.rng.uuid()
    }

    /// A resourceVersion that grows with time (etcd revision of a write at `t`).
    pub fn rv(&mut self, t: T) -> String {
        let base = ((t - self.born).max(0) / (2 * t::SEC)) + 1_000;
        (base + self.rng.range(0, 900)).to_string()
    }
}

/// A managedFields entry.
pub struct Managed<'a> {
    /// Field manager.
    pub manager: &'a str,
    /// `Update` or `Apply`.
    pub op: &'a str,
    /// Write time.
    pub time: T,
    /// Owned field paths, `/`-separated (`f:data|f:ca-bundle.crt`).
    pub fields: &'a [&'a str],
    /// `subresource: status`.
    pub status: bool,
}

/// Build a FieldsV1 tree from `|`-separated paths; inner maps get the `.: {}` marker except at
/// the top (`f:metadata`, `f:spec`, `f:status`, `f:data`'s parent).
pub fn fields_v1(paths: &[&str]) -> V {
    let mut root = empty();
    for p in paths {
        let parts: Vec<&str> = p.split('|').collect();
        insert_path(&mut root, &parts, 0);
    }
    root
}

fn insert_path(node: &mut V, parts: &[&str], depth: usize) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if node.get(first).is_none() {
        node.set(first, empty());
    }
    let Some(child) = node.get_mut(first) else {
        return;
    };
    if !rest.is_empty() {
        let top = depth == 0 && matches!(*first, "f:metadata" | "f:spec" | "f:status");
        if !top && child.get(".").is_none() {
            child.set(".", empty());
        }
        insert_path(child, rest, depth + 1);
    }
}

/// ObjectMeta builder.
pub struct Meta {
    v: Vec<(String, V)>,
    labels: Vec<(String, V)>,
    annotations: Vec<(String, V)>,
    owners: Vec<V>,
    managed: Vec<V>,
}

impl Meta {
    /// Name, namespace, uid, resourceVersion, creationTimestamp.
    pub fn new(ids: &mut Ids, name: &str, ns: Option<&str>, created: T, updated: T) -> Self {
        let mut v = vec![
            ("name".to_string(), s(name)),
            ("creationTimestamp".to_string(), s(t::rfc3339(created))),
            ("uid".to_string(), s(ids.uid())),
            (
                "resourceVersion".to_string(),
                s(ids.rv(updated.max(created))),
            ),
        ];
        if let Some(n) = ns {
            v.push(("namespace".to_string(), s(n)));
        }
        Self {
            v,
            labels: Vec::new(),
            annotations: Vec::new(),
            owners: Vec::new(),
            managed: Vec::new(),
        }
    }

    /// Add a label.
    #[must_use]
    pub fn label(mut self, k: &str, val: &str) -> Self {
        self.labels.push((k.to_string(), s(val)));
        self
    }

    /// Add an annotation.
    #[must_use]
    pub fn annot(mut self, k: &str, val: &str) -> Self {
        self.annotations.push((k.to_string(), s(val)));
        self
    }

    /// Add an owner reference.
    #[must_use]
    pub fn owner(mut self, api: &str, kind: &str, name: &str, uid: &str, controller: bool) -> Self {
        let mut o = vec![
            ("apiVersion", s(api)),
            ("kind", s(kind)),
            ("name", s(name)),
            ("uid", s(uid)),
        ];
        if controller {
            o.push(("controller", V::Bool(true)));
            o.push(("blockOwnerDeletion", V::Bool(true)));
        }
        self.owners.push(m(o));
        self
    }

    /// Add a managedFields entry.
    #[must_use]
    pub fn managed(mut self, mf: &Managed<'_>) -> Self {
        let mut e = vec![
            ("apiVersion", s("v1")),
            ("fieldsType", s("FieldsV1")),
            ("fieldsV1", fields_v1(mf.fields)),
            ("manager", s(mf.manager)),
            ("operation", s(mf.op)),
            ("time", s(t::rfc3339(mf.time))),
        ];
        if mf.status {
            e.push(("subresource", s("status")));
        }
        self.managed.push(m(e));
        self
    }

    /// Set `generateName`.
    #[must_use]
    pub fn generate_name(mut self, g: &str) -> Self {
        self.v.push(("generateName".to_string(), s(g)));
        self
    }

    /// Override the managedFields apiVersion of the last entry (non-core groups).
    #[must_use]
    pub fn managed_api(mut self, api: &str) -> Self {
        if let Some(last) = self.managed.last_mut() {
            last.set("apiVersion", s(api));
        }
        self
    }

    /// Finish.
    pub fn build(self) -> V {
        let mut v = self.v;
        if !self.labels.is_empty() {
            v.push(("labels".to_string(), V::Map(self.labels)));
        }
        if !self.annotations.is_empty() {
            v.push(("annotations".to_string(), V::Map(self.annotations)));
        }
        if !self.owners.is_empty() {
            v.push(("ownerReferences".to_string(), V::Seq(self.owners)));
        }
        if !self.managed.is_empty() {
            v.push(("managedFields".to_string(), V::Seq(self.managed)));
        }
        V::Map(v)
    }
}

/// Base64 (standard, padded).
pub fn b64(x: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(x)
}

/// A Secret data value as `oc adm inspect` leaves it.
pub enum Data {
    /// Kept verbatim (`tls.crt`, `ca.crt`, `service-ca.crt` only).
    Public(String),
    /// Elided: only the original length survives.
    Secret(usize),
}

/// A redacted Secret: every key except `tls.crt`/`ca.crt`/`service-ca.crt` becomes
/// base64("`<N>` bytes long").
pub fn secret(meta: V, type_: &str, data: Vec<(&str, Data)>) -> V {
    let mut d = Vec::new();
    for (k, val) in data {
        let enc = match val {
            Data::Public(text) => {
                debug_assert!(matches!(k, "tls.crt" | "ca.crt" | "service-ca.crt"));
                b64(text.as_bytes())
            }
            Data::Secret(n) => b64(format!("{n} bytes long").as_bytes()),
        };
        d.push((k.to_string(), s(enc)));
    }
    m([
        ("apiVersion", s("v1")),
        ("kind", s("Secret")),
        ("metadata", meta),
        ("data", V::Map(d)),
        ("type", s(type_)),
    ])
}

/// A ConfigMap.
pub fn configmap(meta: V, data: Vec<(&str, String)>) -> V {
    let d: Vec<(String, V)> = data
        .into_iter()
        .map(|(k, x)| (k.to_string(), s(x)))
        .collect();
    m([
        ("apiVersion", s("v1")),
        ("kind", s("ConfigMap")),
        ("metadata", meta),
        ("data", V::Map(d)),
    ])
}

/// A core/v1 Event as the legacy recorder writes it.
pub struct Ev<'a> {
    /// Namespace of the event.
    pub ns: &'a str,
    /// involvedObject kind.
    pub kind: &'a str,
    /// involvedObject name.
    pub name: &'a str,
    /// involvedObject namespace (None for cluster-scoped).
    pub obj_ns: Option<&'a str>,
    /// involvedObject uid.
    pub uid: &'a str,
    /// involvedObject apiVersion.
    pub api: &'a str,
    /// Reason.
    pub reason: &'a str,
    /// Message.
    pub message: String,
    /// `Normal` / `Warning`.
    pub type_: &'a str,
    /// Count.
    pub count: i64,
    /// First seen.
    pub first: T,
    /// Last seen.
    pub last: T,
    /// source.component.
    pub component: &'a str,
    /// source.host (FQDN) for kubelet events.
    pub host: Option<&'a str>,
    /// involvedObject.fieldPath.
    pub field_path: Option<&'a str>,
}

/// Render an [`Ev`]; `first_nanos` gives the hex suffix of the event name.
pub fn event(ids: &mut Ids, e: &Ev<'_>) -> V {
    let name = format!("{}.{:x}", e.name, e.first + ids.rng.range(0, 999_999));
    let mut inv = vec![
        ("apiVersion", s(e.api)),
        ("kind", s(e.kind)),
        ("name", s(e.name)),
        ("uid", s(e.uid)),
    ];
    if let Some(n) = e.obj_ns {
        inv.push(("namespace", s(n)));
    }
    if let Some(fp) = e.field_path {
        inv.push(("fieldPath", s(fp)));
    }
    if e.kind == "Pod" {
        inv.push(("resourceVersion", s(ids.rv(e.first))));
    }
    let mut src = vec![("component", s(e.component))];
    if let Some(h) = e.host {
        src.push(("host", s(h)));
    }
    let meta = m([
        ("creationTimestamp", s(t::rfc3339(e.first))),
        ("name", s(name)),
        ("namespace", s(e.ns)),
        ("resourceVersion", s(ids.rv(e.last))),
        ("uid", s(ids.uid())),
    ]);
    let msg = if e.count > 10 && e.type_ == "Warning" && e.component == "kubelet" {
        format!("(combined from similar events): {}", e.message)
    } else {
        e.message.clone()
    };
    m([
        ("apiVersion", s("v1")),
        ("count", i(e.count)),
        ("eventTime", V::Null),
        ("firstTimestamp", s(t::rfc3339(e.first))),
        ("involvedObject", m(inv)),
        ("kind", s("Event")),
        ("lastTimestamp", s(t::rfc3339(e.last))),
        ("message", s(msg)),
        ("metadata", meta),
        ("reason", s(e.reason)),
        ("reportingComponent", s("")),
        ("reportingInstance", s("")),
        ("source", m(src)),
        ("type", s(e.type_)),
    ])
}

/// A Namespace object.
pub fn namespace(ids: &mut Ids, name: &str, created: T, run_level: Option<&str>) -> V {
    let mut meta = Meta::new(ids, name, None, created, created)
        .annot("openshift.io/node-selector", "")
        .annot(
            "openshift.io/sa.scc.mcs",
            &format!("s0:c{},c{}", 1 + ids.rng.below(30), ids.rng.below(30)),
        )
        .annot(
            "openshift.io/sa.scc.supplemental-groups",
            "1000050000/10000",
        )
        .annot("openshift.io/sa.scc.uid-range", "1000050000/10000")
        .annot("workload.openshift.io/allowed", "management")
        .label("kubernetes.io/metadata.name", name)
        .label("openshift.io/cluster-monitoring", "true")
        .label("pod-security.kubernetes.io/audit", "privileged")
        .label("pod-security.kubernetes.io/enforce", "privileged")
        .label("pod-security.kubernetes.io/warn", "privileged");
    if let Some(rl) = run_level {
        meta = meta.label("openshift.io/run-level", rl);
    }
    let meta = meta
        .managed(&Managed {
            manager: "cluster-version-operator",
            op: "Update",
            time: created,
            fields: &[
                "f:metadata|f:annotations|f:openshift.io/node-selector",
                "f:metadata|f:annotations|f:workload.openshift.io/allowed",
                "f:metadata|f:labels|f:openshift.io/cluster-monitoring",
            ],
            status: false,
        })
        .managed(&Managed {
            manager: "cluster-policy-controller",
            op: "Update",
            time: created + 40 * t::SEC,
            fields: &[
                "f:metadata|f:annotations|f:openshift.io/sa.scc.mcs",
                "f:metadata|f:annotations|f:openshift.io/sa.scc.supplemental-groups",
                "f:metadata|f:annotations|f:openshift.io/sa.scc.uid-range",
            ],
            status: false,
        })
        .build();
    m([
        ("apiVersion", s("v1")),
        ("kind", s("Namespace")),
        ("metadata", meta),
        ("spec", m([("finalizers", ls(["kubernetes"]))])),
        ("status", m([("phase", s("Active"))])),
    ])
}

/// A condition entry.
pub fn cond(
    type_: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    transition: T,
) -> V {
    let mut c = vec![
        ("type", s(type_)),
        ("status", s(status)),
        ("lastTransitionTime", s(t::rfc3339(transition))),
    ];
    if let Some(r) = reason {
        c.push(("reason", s(r)));
    }
    if let Some(msg) = message {
        c.push(("message", s(msg)));
    }
    m(c)
}

/// A list of `name=value` env entries.
pub fn env(pairs: &[(&str, &str)]) -> V {
    l(pairs
        .iter()
        .map(|(k, v)| m([("name", s(*k)), ("value", s(*v))])))
}
