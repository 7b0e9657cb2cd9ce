//! Resource lists, k9s-style: a kind as typed (`pods`, `no`, `co`, `events`, any kind or
//! CRD of the case) resolved with `casefile::ingest::query`, all namespaces, with the columns
//! `oc get` shows for the common kinds; plus YAML, describe and logs of one object.

use std::fmt::Write as _;

use casefile::ingest::query::{self, ResourceType, Selection};
use casefile::ingest::{Case, ObjectRef};
use casefile_model::kube::{ClusterOperator, Event, Node, Pod};
use casefile_model::{LogSource, Snapshot, Timestamp};

use crate::timeline::compile;
use crate::widgets::Cursor;

/// How a row reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Nothing to say.
    Normal,
    /// Something is wrong (NotReady, CrashLoopBackOff, Degraded, Warning event).
    Bad,
}

/// One object as a table row.
#[derive(Debug, Clone)]
pub struct ResourceRow {
    /// The object.
    pub obj: ObjectRef,
    /// Namespace (empty for cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Cells, in [`ResourcesState::columns`] order.
    pub cells: Vec<String>,
    /// How it reads.
    pub tone: Tone,
}

/// The resource view's state.
#[derive(Debug, Clone)]
pub struct ResourcesState {
    /// The kind as typed.
    pub input: String,
    /// The resolved type.
    pub ty: ResourceType,
    /// Column headers.
    pub columns: Vec<&'static str>,
    /// Every object of the type.
    pub rows: Vec<ResourceRow>,
    /// Rows passing the filter (indices into `rows`).
    pub shown: Vec<usize>,
    /// The `/` filter (regex over namespace/name and cells).
    pub filter: String,
    /// Cursor within `shown`.
    pub cur: Cursor,
}

fn age(t: Option<Timestamp>, now: Option<Timestamp>) -> String {
    query::age(t, now)
}

impl ResourcesState {
    /// Resolves a kind and lists its objects in all namespaces.
    pub fn open(case: &Case, input: &str) -> Result<Self, String> {
        let ty = query::resolve(case, input).map_err(|e| e.to_string())?;
        let sel = Selection {
            all_namespaces: true,
            ..Selection::default()
        };
        let found = query::select(case, &ty, &sel);
        let now = case.collected_at();
        let mut rows = Vec::with_capacity(found.objects.len());
        let columns: Vec<&'static str> = match (ty.group.as_str(), ty.kind.as_str()) {
            ("", "Pod") => vec![
                "NAMESPACE",
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "NODE",
                "AGE",
            ],
            ("", "Node") => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            ("config.openshift.io", "ClusterOperator") => vec![
                "NAME",
                "VERSION",
                "AVAILABLE",
                "PROGRESSING",
                "DEGRADED",
                "SINCE",
                "MESSAGE",
            ],
            ("" | "events.k8s.io", "Event") => {
                vec![
                    "NAMESPACE",
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "OBJECT",
                    "MESSAGE",
                ]
            }
            _ if ty.namespaced => vec!["NAMESPACE", "NAME", "AGE"],
            _ => vec!["NAME", "AGE"],
        };
        let mut event_times: Vec<Option<Timestamp>> = Vec::new();
        for &r in &found.objects {
            let rec = case.record(r);
            let namespace = rec.meta.namespace.clone().unwrap_or_default();
            let name = rec.meta.name.clone();
            let created = rec.meta.created;
            let mut tone = Tone::Normal;
            let cells = match (ty.group.as_str(), ty.kind.as_str()) {
                ("", "Pod") => match case.decode::<Pod>(r) {
                    Ok(p) => {
                        let s = p.summary();
                        if !matches!(s.status.as_str(), "Running" | "Completed" | "Succeeded")
                            || s.ready < s.total && s.status == "Running"
                        {
                            tone = Tone::Bad;
                        }
                        vec![
                            namespace.clone(),
                            name.clone(),
                            s.ready_text(),
                            s.status.clone(),
                            s.restarts.to_string(),
                            crate::timeline::short_node(p.node_name().unwrap_or("")).to_owned(),
                            age(created, now),
                        ]
                    }
                    Err(e) => vec![namespace.clone(), name.clone(), format!("<{e}>")],
                },
                ("", "Node") => match case.decode::<Node>(r) {
                    Ok(n) => {
                        let status = n.ready_text();
                        if status != "Ready" {
                            tone = Tone::Bad;
                        }
                        let roles = n.roles();
                        vec![
                            name.clone(),
                            status.to_owned(),
                            if roles.is_empty() {
                                "<none>".to_owned()
                            } else {
                                roles.join(",")
                            },
                            age(created, now),
                            n.status.node_info.kubelet_version.clone(),
                        ]
                    }
                    Err(e) => vec![name.clone(), format!("<{e}>")],
                },
                ("config.openshift.io", "ClusterOperator") => {
                    match case.decode::<ClusterOperator>(r) {
                        Ok(co) => {
                            if !co.is_healthy() {
                                tone = Tone::Bad;
                            }
                            let st = |k: &str| co.condition_status(k).unwrap_or("").to_owned();
                            let msg = ["Degraded", "Available", "Progressing"]
                                .iter()
                                .filter_map(|k| co.condition(k))
                                .find(|c| match c.kind.as_str() {
                                    "Degraded" | "Progressing" => c.status == "True",
                                    _ => c.status != "True",
                                })
                                .and_then(|c| c.message.clone())
                                .unwrap_or_default();
                            vec![
                                name.clone(),
                                co.operator_version().unwrap_or("").to_owned(),
                                st("Available"),
                                st("Progressing"),
                                st("Degraded"),
                                age(
                                    co.condition("Available")
                                        .and_then(|c| c.last_transition_time),
                                    now,
                                ),
                                one_line(&msg),
                            ]
                        }
                        Err(e) => vec![name.clone(), format!("<{e}>")],
                    }
                }
                ("" | "events.k8s.io", "Event") => match case.decode::<Event>(r) {
                    Ok(e) => {
                        if e.is_warning() {
                            tone = Tone::Bad;
                        }
                        let inv = e.involved();
                        event_times.push(e.last_seen());
                        vec![
                            namespace.clone(),
                            e.last_seen()
                                .map_or_else(|| "<unknown>".to_owned(), |t| age(Some(t), now)),
                            e.event_type.clone(),
                            e.reason.clone(),
                            format!("{}/{}", inv.kind.to_lowercase(), inv.name),
                            one_line(e.message()),
                        ]
                    }
                    Err(err) => {
                        event_times.push(None);
                        vec![namespace.clone(), format!("<{err}>")]
                    }
                },
                _ if ty.namespaced => vec![namespace.clone(), name.clone(), age(created, now)],
                _ => vec![name.clone(), age(created, now)],
            };
            rows.push(ResourceRow {
                obj: r,
                namespace,
                name,
                cells,
                tone,
            });
        }
        if event_times.len() == rows.len() && !rows.is_empty() {
            // Events oldest first by last seen, as `casefile get events` lists them.
            let mut paired: Vec<_> = event_times.into_iter().zip(rows).collect();
            paired.sort_by_key(|p| p.0);
            rows = paired.into_iter().map(|(_, r)| r).collect();
        }
        let shown = (0..rows.len()).collect();
        Ok(Self {
            input: input.trim().to_owned(),
            ty,
            columns,
            rows,
            shown,
            filter: String::new(),
            cur: Cursor::default(),
        })
    }

    /// Applies the `/` filter.
    pub fn set_filter(&mut self, text: &str) -> Result<(), String> {
        let re = compile(text)?;
        text.clone_into(&mut self.filter);
        self.shown = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                re.as_ref().is_none_or(|re| {
                    re.is_match(&r.namespace)
                        || re.is_match(&r.name)
                        || r.cells.iter().any(|c| re.is_match(c))
                })
            })
            .map(|(i, _)| i)
            .collect();
        self.cur = Cursor::default();
        Ok(())
    }

    /// The selected row.
    pub fn selected(&self) -> Option<&ResourceRow> {
        self.shown.get(self.cur.sel).map(|&i| &self.rows[i])
    }

    /// `pods`, `nodes`, `clusteroperators.config.openshift.io` for breadcrumbs.
    pub fn title(&self) -> String {
        self.ty.qualified_plural()
    }
}

/// Collapses a message to one line.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, l) in s
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str(" ⏎ ");
        }
        out.push_str(l);
    }
    out
}

/// A describe-like summary: metadata, conditions, container states and the events that
/// involve the object.
pub fn describe(case: &Case, snapshot: &Snapshot, r: ObjectRef) -> String {
    let rec = case.record(r);
    let meta = &rec.meta;
    let now = case.collected_at();
    let mut o = String::new();
    let _ = writeln!(o, "Name:         {}", meta.name);
    if let Some(ns) = &meta.namespace {
        let _ = writeln!(o, "Namespace:    {ns}");
    }
    let _ = writeln!(o, "Kind:         {} ({})", meta.kind, meta.api_version);
    if let Some(uid) = &meta.uid {
        let _ = writeln!(o, "UID:          {uid}");
    }
    if let Some(t) = meta.created {
        let _ = writeln!(
            o,
            "Created:      {} ({} before collection)",
            crate::view::fmt_time(t),
            age(Some(t), now)
        );
    }
    let value: Result<serde_json::Value, _> = case.decode(r);
    match value {
        Ok(v) => {
            if let Some(labels) = v.pointer("/metadata/labels").and_then(|l| l.as_object()) {
                let _ = writeln!(o, "Labels:");
                for (k, val) in labels {
                    let _ = writeln!(o, "  {k}={}", val.as_str().unwrap_or(""));
                }
            }
            if let Some(owners) = v
                .pointer("/metadata/ownerReferences")
                .and_then(|l| l.as_array())
            {
                for ow in owners {
                    let _ = writeln!(
                        o,
                        "Controlled by: {}/{}",
                        ow.get("kind").and_then(|x| x.as_str()).unwrap_or(""),
                        ow.get("name").and_then(|x| x.as_str()).unwrap_or("")
                    );
                }
            }
            if let Some(node) = v.pointer("/spec/nodeName").and_then(|x| x.as_str()) {
                let _ = writeln!(o, "Node:         {node}");
            }
            if let Some(phase) = v.pointer("/status/phase").and_then(|x| x.as_str()) {
                let _ = writeln!(o, "Phase:        {phase}");
            }
            if let Some(conds) = v.pointer("/status/conditions").and_then(|c| c.as_array()) {
                let _ = writeln!(o, "Conditions:");
                let _ = writeln!(
                    o,
                    "  {:<28} {:<8} {:<22} {:<24} MESSAGE",
                    "TYPE", "STATUS", "LAST TRANSITION", "REASON"
                );
                for c in conds {
                    let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("");
                    let _ = writeln!(
                        o,
                        "  {:<28} {:<8} {:<22} {:<24} {}",
                        s("type"),
                        s("status"),
                        s("lastTransitionTime"),
                        s("reason"),
                        one_line(s("message"))
                    );
                }
            }
            if let Some(cs) = v
                .pointer("/status/containerStatuses")
                .and_then(|c| c.as_array())
            {
                let _ = writeln!(o, "Containers:");
                for c in cs {
                    let name = c.get("name").and_then(|x| x.as_str()).unwrap_or("");
                    let ready = c
                        .get("ready")
                        .and_then(serde_json::Value::as_bool)
                        .unwrap_or(false);
                    let restarts = c
                        .get("restartCount")
                        .and_then(serde_json::Value::as_i64)
                        .unwrap_or(0);
                    let state = c
                        .get("state")
                        .and_then(|s| s.as_object())
                        .and_then(|s| s.keys().next().cloned())
                        .unwrap_or_default();
                    let _ = writeln!(o, "  {name}: {state}, ready={ready}, restarts={restarts}");
                }
            }
        }
        Err(e) => {
            let _ = writeln!(o, "(cannot decode: {e})");
        }
    }
    let mut events: Vec<_> = snapshot
        .events
        .iter()
        .filter(|e| {
            let inv = e.value.involved();
            inv.name == meta.name
                && inv.kind == meta.kind
                && (inv.namespace.is_none() || inv.namespace == meta.namespace)
        })
        .collect();
    events.sort_by_key(|e| e.value.last_seen());
    let _ = writeln!(o, "Events:");
    if events.is_empty() {
        let _ = writeln!(o, "  <none>");
    }
    for e in events {
        let ev = &e.value;
        let _ = writeln!(
            o,
            "  {:<8} {:<24} {:>4}x  last {}  {}",
            ev.event_type,
            ev.reason,
            ev.count(),
            ev.last_seen()
                .map_or_else(|| "-".to_owned(), crate::view::fmt_time),
            one_line(ev.message())
        );
    }
    o
}

/// The parsed logs of a pod (`previous`: `previous.log`, else `current.log`), per container.
pub fn pod_logs<'a>(
    snapshot: &'a Snapshot,
    namespace: &str,
    pod: &str,
    previous: bool,
) -> Vec<(&'a str, &'a casefile_model::LogFile)> {
    let want = if previous { "previous" } else { "current" };
    let mut out: Vec<(&str, &casefile_model::LogFile)> = snapshot
        .logs
        .iter()
        .filter_map(|f| match &f.source {
            LogSource::Pod {
                namespace: ns,
                pod: p,
                container,
                file,
            } if ns == namespace && p == pod && file.starts_with(want) => {
                Some((container.as_str(), f))
            }
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}
