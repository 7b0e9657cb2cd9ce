//! `casefile get`: objects as `oc get` prints them.
//!
//! Kinds resolve through [`casefile_ingest::query`] (plural, singular, short name, Kind,
//! `kind.group`, kinds and CRDs found in the case). A namespaced kind without `-n` or
//! `-A` lists the `default` namespace, as `oc` does outside a project.
//!
//! Output formats:
//! - `table` / `wide`: the columns `oc get` prints for pods, nodes, clusteroperators,
//!   events, configmaps, secrets, CSRs and namespaces; a CRD's `additionalPrinterColumns`
//!   when the case holds the CRD (built-in copies for clusterversions, machineconfigpools
//!   and machineconfigs); else NAME AGE. AGE, SINCE and LAST SEEN are relative to the
//!   case's collection time, never the wall clock. Events are listed oldest first by
//!   LAST SEEN (`oc` leaves them in name order). The ClusterOperator MESSAGE column shows
//!   the message of the first condition that is not as it should be (Degraded=True, then
//!   Available≠True, then Progressing=True).
//! - `yaml`: each object's text as collected (List items unindented), separated by `---`.
//! - `json`: a v1 `List` of the objects (the bare object when a NAME was given).
//! - `name`: `kind.group/name` per line (`pod/x`, `clusteroperator.config.openshift.io/x`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use casefile_ingest::query::{self, LabelSelector, ResourceType, Selection};
use casefile_ingest::{Case, ObjectRef};
use casefile_model::Timestamp;
use casefile_model::kube::{
    CertificateSigningRequest, ClusterOperator, ConfigMap, Event, Node, Pod, Secret,
};
use serde_json::Value;

use crate::cli::{GetFormat, Global};

/// A `get` query.
pub struct Query<'a> {
    /// Kind as typed.
    pub kind: &'a str,
    /// Name.
    pub name: Option<&'a str>,
    /// Namespace.
    pub namespace: Option<&'a str>,
    /// All namespaces.
    pub all_namespaces: bool,
    /// Label selector.
    pub selector: Option<&'a str>,
    /// Output format.
    pub output: GetFormat,
}

/// Runs `casefile get`.
pub fn run(global: &Global, archives: &[PathBuf], q: &Query<'_>) -> anyhow::Result<ExitCode> {
    // `oc get pod/NAME` form.
    let (kind, name) = match (q.kind.split_once('/'), q.name) {
        (Some((k, n)), None) if !k.is_empty() && !n.is_empty() => (k, Some(n)),
        (Some(_), Some(_)) => anyhow::bail!("there is no need to give a NAME after KIND/NAME"),
        (Some(_), None) => anyhow::bail!("invalid KIND/NAME {:?}", q.kind),
        (None, n) => (q.kind, n),
    };
    let selector = q.selector.map(LabelSelector::parse).transpose()?;
    let facade = super::open_case(global, archives)?;
    let case = facade.ingest();
    let ty = query::resolve(case, kind)?;
    let sel = Selection {
        name,
        namespace: q.namespace,
        all_namespaces: q.all_namespaces,
        selector: selector.as_ref(),
    };
    let found = query::select(case, &ty, &sel);

    let mut warnings: Vec<String> = found
        .undecodable
        .iter()
        .map(|(r, e)| format!("{}: cannot read labels: {e}", describe(case, *r)))
        .collect();
    let objects = &found.objects;
    let mut out = String::new();
    let mut code = ExitCode::SUCCESS;
    // Part of the answer, printed on stderr even with --quiet (as `oc` does).
    let mut note = None;
    if objects.is_empty() {
        if let Some(n) = name {
            note = Some(format!(
                "casefile: {} \"{n}\" not found",
                ty.qualified_plural()
            ));
            code = ExitCode::from(1);
        } else if q.output == GetFormat::Json {
            out = list_json(Vec::new());
        } else {
            note = Some(match sel.namespace_for(&ty) {
                Some(ns) => format!("No resources found in {ns} namespace."),
                None => "No resources found".to_owned(),
            });
        }
    } else {
        let ctx = Ctx {
            facade,
            case,
            ty: &ty,
            now: case.collected_at(),
            wide: q.output == GetFormat::Wide,
            with_ns: ty.namespaced && sel.namespace_for(&ty).is_none(),
        };
        out = match q.output {
            GetFormat::Table | GetFormat::Wide => table(&ctx, objects, &mut warnings).render(),
            GetFormat::Yaml => yaml(case, objects, &mut warnings),
            GetFormat::Json => json(case, objects, name.is_some(), &mut warnings),
            GetFormat::Name => objects.iter().fold(String::new(), |mut s, r| {
                let _ = writeln!(s, "{}/{}", ty.name_prefix(), case.record(*r).meta.name);
                s
            }),
        };
    }

    // Raw objects can carry private keys (seen inside real CA bundles): never print them.
    let out = casefile_model::redact::private_keys(&out);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(code),
        r => r?,
    }
    if !global.quiet {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    if let Some(note) = note {
        eprintln!("{note}");
    }
    Ok(code)
}

/// `archive: path:line (ns/name)` for warnings.
fn describe(case: &Case, r: ObjectRef) -> String {
    let rec = case.record(r);
    let p = case.provenance(r);
    let ns = rec
        .meta
        .namespace
        .as_deref()
        .map(|n| format!("{n}/"))
        .unwrap_or_default();
    format!(
        "{}: {}:{} ({ns}{})",
        case.archive(r.archive).data.label(),
        case.artifact_path(p.artifact),
        rec.line,
        rec.meta.name
    )
}

// ---------------------------------------------------------------------------------------
// Tables

/// What every row builder needs.
struct Ctx<'a> {
    /// Whose worker threads decode many objects at once.
    facade: &'a casefile::Case,
    case: &'a Case,
    ty: &'a ResourceType,
    now: Option<Timestamp>,
    wide: bool,
    with_ns: bool,
}

impl Ctx<'_> {
    fn age(&self, r: ObjectRef) -> String {
        query::age(self.case.record(r).meta.created, self.now)
    }

    fn since(&self, t: Option<Timestamp>) -> String {
        t.map_or_else(String::new, |t| query::age(Some(t), self.now))
    }

    fn name(&self, r: ObjectRef) -> String {
        self.case.record(r).meta.name.clone()
    }
}

/// Rows of cells under a header, printed like Go's `tabwriter` as `kubectl` sets it up
/// (minimum width 6, padding 3, the last column unpadded).
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn render(&self) -> String {
        let ncols = self.header.len();
        let mut widths = vec![0usize; ncols];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in row.iter().enumerate().take(ncols) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, w) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                if i + 1 == ncols {
                    out.push_str(cell);
                } else {
                    let width = (w + 3).max(6);
                    out.push_str(cell);
                    out.extend(std::iter::repeat_n(
                        ' ',
                        width.saturating_sub(cell.chars().count()),
                    ));
                }
            }
            out.push('\n');
        }
        out
    }
}

/// A cell as `kubectl` prints it: cut at the first line break (adding `...`), other
/// control characters escaped.
fn cell(s: &str) -> String {
    let (head, cut) = match s.find(['\n', '\r', '\x0c']) {
        Some(i) => (&s[..i], true),
        None => (s, false),
    };
    let mut out = String::with_capacity(head.len() + 3);
    for c in head.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    if cut {
        out.push_str("...");
    }
    out
}

fn or_none(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty())
        .map_or_else(|| "<none>".to_owned(), cell)
}

/// Builds the table for the objects of one type.
fn table(ctx: &Ctx<'_>, objects: &[ObjectRef], warnings: &mut Vec<String>) -> Table {
    let ty = ctx.ty;
    let mut objects = objects.to_vec();
    let mut t: Table;
    let mut fail = |r: ObjectRef, e: &dyn std::fmt::Display| {
        warnings.push(format!("{}: cannot decode: {e}", describe(ctx.case, r)));
    };
    match (ty.group.as_str(), ty.kind.as_str()) {
        ("", "Pod") => {
            let mut h = vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
            if ctx.wide {
                h.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
            }
            t = Table::new(&h);
            let pods = ctx
                .facade
                .in_pool(|| ctx.case.decode_views::<Pod>(&objects));
            for (&r, pod) in objects.iter().zip(pods) {
                let row = match pod {
                    Ok(p) => pod_row(ctx, r, &p),
                    Err(e) => {
                        fail(r, &e);
                        unknown_row(ctx, r, h.len(), Some(4))
                    }
                };
                t.rows.push(row);
            }
        }
        ("", "Node") => {
            let mut h = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
            if ctx.wide {
                h.extend([
                    "INTERNAL-IP",
                    "EXTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ]);
            }
            t = Table::new(&h);
            for &r in &objects {
                let row = match ctx
                    .case
                    .decode::<Value>(r)
                    .and_then(|v| node_row(ctx, r, &v))
                {
                    Ok(row) => row,
                    Err(e) => {
                        fail(r, &e);
                        unknown_row(ctx, r, h.len(), Some(3))
                    }
                };
                t.rows.push(row);
            }
        }
        ("config.openshift.io", "ClusterOperator") => {
            let h = [
                "NAME",
                "VERSION",
                "AVAILABLE",
                "PROGRESSING",
                "DEGRADED",
                "SINCE",
                "MESSAGE",
            ];
            t = Table::new(&h);
            for &r in &objects {
                let row = match ctx.case.decode_view::<ClusterOperator>(r) {
                    Ok(co) => co_row(ctx, r, &co),
                    Err(e) => {
                        fail(r, &e);
                        unknown_row(ctx, r, h.len(), None)
                    }
                };
                t.rows.push(row);
            }
        }
        ("" | "events.k8s.io", "Event") => {
            let h: &[&str] = if ctx.wide {
                &[
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "OBJECT",
                    "SUBOBJECT",
                    "SOURCE",
                    "MESSAGE",
                    "FIRST SEEN",
                    "COUNT",
                    "NAME",
                ]
            } else {
                &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
            };
            t = Table::new(h);
            let events = ctx
                .facade
                .in_pool(|| ctx.case.decode_views::<Event>(&objects));
            let mut decoded: Vec<(ObjectRef, Option<Event>)> = objects
                .iter()
                .zip(events)
                .map(|(&r, event)| match event {
                    Ok(e) => (r, Some(e)),
                    Err(e) => {
                        fail(r, &e);
                        (r, None)
                    }
                })
                .collect();
            // Oldest first by LAST SEEN; undated and undecodable events first.
            decoded.sort_by_key(|(_, e)| e.as_ref().and_then(Event::last_seen));
            objects = decoded.iter().map(|(r, _)| *r).collect();
            for (r, e) in &decoded {
                t.rows.push(if let Some(e) = e {
                    event_row(ctx, *r, e)
                } else {
                    let mut row = vec![String::new(); h.len()];
                    row[3] = ctx.name(*r);
                    "<unknown>".clone_into(&mut row[1]);
                    row
                });
            }
        }
        ("", "ConfigMap") => {
            t = Table::new(&["NAME", "DATA", "AGE"]);
            for &r in &objects {
                let data = ctx.case.decode_view::<ConfigMap>(r).map_or_else(
                    |e| {
                        fail(r, &e);
                        "<unknown>".to_owned()
                    },
                    |c| c.key_count().to_string(),
                );
                t.rows.push(vec![ctx.name(r), data, ctx.age(r)]);
            }
        }
        ("", "Secret") => {
            t = Table::new(&["NAME", "TYPE", "DATA", "AGE"]);
            for &r in &objects {
                t.rows.push(match ctx.case.decode::<Secret>(r) {
                    Ok(s) => vec![
                        ctx.name(r),
                        cell(&s.secret_type),
                        s.key_count().to_string(),
                        ctx.age(r),
                    ],
                    Err(e) => {
                        fail(r, &e);
                        unknown_row(ctx, r, 4, Some(3))
                    }
                });
            }
        }
        ("certificates.k8s.io", "CertificateSigningRequest") => {
            t = Table::new(&["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "CONDITION"]);
            for &r in &objects {
                t.rows
                    .push(match ctx.case.decode::<CertificateSigningRequest>(r) {
                        Ok(c) => vec![
                            ctx.name(r),
                            ctx.age(r),
                            or_none(c.spec.signer_name.as_deref()),
                            cell(&c.spec.username),
                            c.condition_text(),
                        ],
                        Err(e) => {
                            fail(r, &e);
                            unknown_row(ctx, r, 5, Some(1))
                        }
                    });
            }
        }
        ("", "Namespace") => {
            t = Table::new(&["NAME", "STATUS", "AGE"]);
            for &r in &objects {
                let phase = ctx.case.decode::<Value>(r).map_or_else(
                    |e| {
                        fail(r, &e);
                        "<unknown>".to_owned()
                    },
                    |v| {
                        v.pointer("/status/phase")
                            .and_then(Value::as_str)
                            .map(cell)
                            .unwrap_or_default()
                    },
                );
                t.rows.push(vec![ctx.name(r), phase, ctx.age(r)]);
            }
        }
        _ => {
            if let Some(cols) = printer_columns(ctx.case, ty) {
                let cols: Vec<PrinterColumn> = cols
                    .into_iter()
                    .filter(|c| ctx.wide || c.priority == 0)
                    .collect();
                let mut h = vec!["NAME".to_owned()];
                h.extend(cols.iter().map(|c| c.name.to_uppercase()));
                t = Table {
                    header: h,
                    rows: Vec::new(),
                };
                for &r in &objects {
                    let row = match ctx.case.decode::<Value>(r) {
                        Ok(v) => std::iter::once(ctx.name(r))
                            .chain(cols.iter().map(|c| c.value(&v, ctx.now)))
                            .collect(),
                        Err(e) => {
                            fail(r, &e);
                            unknown_row(ctx, r, cols.len() + 1, None)
                        }
                    };
                    t.rows.push(row);
                }
            } else {
                t = Table::new(&["NAME", "AGE"]);
                for &r in &objects {
                    t.rows.push(vec![ctx.name(r), ctx.age(r)]);
                }
            }
        }
    }
    if ctx.with_ns {
        t.header.insert(0, "NAMESPACE".to_owned());
        for (row, r) in t.rows.iter_mut().zip(&objects) {
            row.insert(
                0,
                ctx.case
                    .record(*r)
                    .meta
                    .namespace
                    .clone()
                    .unwrap_or_default(),
            );
        }
    }
    t
}

/// NAME, then `<unknown>` everywhere except AGE (at `age_at`, from the index).
fn unknown_row(ctx: &Ctx<'_>, r: ObjectRef, n: usize, age_at: Option<usize>) -> Vec<String> {
    let mut row = vec!["<unknown>".to_owned(); n];
    row[0] = ctx.name(r);
    if let Some(i) = age_at.filter(|i| *i < n) {
        row[i] = ctx.age(r);
    }
    row
}

fn pod_row(ctx: &Ctx<'_>, r: ObjectRef, p: &Pod) -> Vec<String> {
    let s = p.summary();
    let restarts = match (s.last_restart, ctx.now) {
        (Some(t), Some(now)) if s.restarts != 0 => format!(
            "{} ({} ago)",
            s.restarts,
            query::human_duration(now.duration_since(t))
        ),
        _ => s.restarts.to_string(),
    };
    let mut row = vec![
        ctx.name(r),
        s.ready_text(),
        cell(&s.status),
        restarts,
        ctx.age(r),
    ];
    if ctx.wide {
        row.extend([
            or_none(p.ip()),
            or_none(p.node_name()),
            or_none(p.status.nominated_node_name.as_deref()),
            or_none(p.readiness_gates_text().as_deref()),
        ]);
    }
    row
}

fn node_row(
    ctx: &Ctx<'_>,
    r: ObjectRef,
    v: &Value,
) -> Result<Vec<String>, casefile_ingest::decode::DecodeError> {
    let node: Node = serde_json::from_value(v.clone())
        .map_err(|e| casefile_ingest::decode::DecodeError(e.to_string()))?;
    let mut status = match node.ready().map(|c| c.status.as_str()) {
        Some("True") => "Ready".to_owned(),
        Some(_) => "NotReady".to_owned(),
        None => "Unknown".to_owned(),
    };
    if v.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<&str> = node
        .metadata
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) => Some(role),
            None if k == "kubernetes.io/role" => Some(v.as_str()),
            None => None,
        })
        .filter(|r| !r.is_empty())
        .collect();
    roles.sort_unstable();
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_owned()
    } else {
        cell(&roles.join(","))
    };
    let info = &node.status.node_info;
    let mut row = vec![
        ctx.name(r),
        status,
        roles,
        ctx.age(r),
        cell(&info.kubelet_version),
    ];
    if ctx.wide {
        let addr = |kind: &str| {
            or_none(
                node.status
                    .addresses
                    .iter()
                    .find(|a| a.kind == kind)
                    .map(|a| a.address.as_str()),
            )
        };
        let unknown = |s: &str| {
            if s.is_empty() {
                "<unknown>".to_owned()
            } else {
                cell(s)
            }
        };
        row.extend([
            addr("InternalIP"),
            addr("ExternalIP"),
            unknown(&info.os_image),
            unknown(&info.kernel_version),
            unknown(&info.container_runtime_version),
        ]);
    }
    Ok(row)
}

fn co_row(ctx: &Ctx<'_>, r: ObjectRef, co: &ClusterOperator) -> Vec<String> {
    let status = |k: &str| co.condition_status(k).map(cell).unwrap_or_default();
    let since = ctx.since(
        co.condition("Available")
            .and_then(|c| c.last_transition_time),
    );
    let msg_of = |k: &str, bad: &dyn Fn(&str) -> bool| {
        co.condition(k)
            .filter(|c| bad(&c.status))
            .and_then(|c| c.message.as_deref())
            .filter(|m| !m.trim().is_empty())
    };
    let message = msg_of("Degraded", &|s| s == "True")
        .or_else(|| msg_of("Available", &|s| s != "True"))
        .or_else(|| msg_of("Progressing", &|s| s == "True"))
        .map(|m| cell(m.trim()))
        .unwrap_or_default();
    vec![
        ctx.name(r),
        co.operator_version().map(cell).unwrap_or_default(),
        status("Available"),
        status("Progressing"),
        status("Degraded"),
        since,
        message,
    ]
}

fn event_row(ctx: &Ctx<'_>, r: ObjectRef, e: &Event) -> Vec<String> {
    let last = e
        .last_seen()
        .map_or_else(|| "<unknown>".to_owned(), |t| query::age(Some(t), ctx.now));
    let regarding = e.involved();
    let kind = regarding.kind.to_lowercase();
    let object = if regarding.name.is_empty() {
        kind
    } else {
        format!("{kind}/{}", regarding.name)
    };
    if ctx.wide {
        let first = e
            .first_seen()
            .map_or_else(|| "<unknown>".to_owned(), |t| query::age(Some(t), ctx.now));
        let source = match (
            e.source_component(),
            e.source.host.as_str(),
            e.reporting_instance.as_str(),
        ) {
            (None, _, _) => String::new(),
            (Some(component), "", "") => component.to_owned(),
            (Some(component), "", host) | (Some(component), host, _) => {
                format!("{component}, {host}")
            }
        };
        vec![
            last,
            cell(&e.event_type),
            cell(&e.reason),
            cell(&object),
            cell(&regarding.field_path),
            cell(&source),
            cell(e.message()),
            first,
            e.count().to_string(),
            ctx.name(r),
        ]
    } else {
        vec![
            last,
            cell(&e.event_type),
            cell(&e.reason),
            cell(&object),
            cell(e.message()),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// CRD printer columns (a JSONPath subset)

/// One `additionalPrinterColumns` entry.
#[derive(Debug, Clone)]
struct PrinterColumn {
    name: String,
    path: Option<Vec<Seg>>,
    kind: String,
    priority: i64,
}

impl PrinterColumn {
    fn new(name: &str, path: &str, kind: &str, priority: i64) -> Self {
        Self {
            name: name.to_owned(),
            path: parse_path(path),
            kind: kind.to_owned(),
            priority,
        }
    }

    /// The cell for an object: the first JSONPath result formatted by column type
    /// (`date` as an age); empty when the path finds nothing.
    fn value(&self, obj: &Value, now: Option<Timestamp>) -> String {
        let Some(path) = &self.path else {
            return String::new();
        };
        let Some(v) = eval(obj, path).into_iter().next() else {
            return String::new();
        };
        match (self.kind.as_str(), v) {
            (_, Value::Null) => String::new(),
            ("date", Value::String(s)) => s
                .parse::<Timestamp>()
                .map_or_else(|_| cell(s), |t| query::age(Some(t), now)),
            (_, Value::String(s)) => cell(s),
            (_, Value::Bool(b)) => b.to_string(),
            (_, Value::Number(n)) => n.to_string(),
            (_, other) => cell(&other.to_string()),
        }
    }
}

/// Columns for a CRD-defined type: from the case's CRD when present, else built-in
/// copies for a few OpenShift kinds; `None` for everything else.
fn printer_columns(case: &Case, ty: &ResourceType) -> Option<Vec<PrinterColumn>> {
    if !ty.group.is_empty() {
        let crd_name = format!("{}.{}", ty.plural, ty.group);
        let crd = case
            .objects_of_kind("apiextensions.k8s.io", "CustomResourceDefinition")
            .find(|r| case.record(*r).meta.name == crd_name);
        if let Some(cols) = crd
            .and_then(|r| case.decode::<Value>(r).ok())
            .and_then(|v| crd_columns(&v))
        {
            return Some(cols);
        }
    }
    let c = PrinterColumn::new;
    match (ty.group.as_str(), ty.kind.as_str()) {
        ("config.openshift.io", "ClusterVersion") => Some(vec![
            c(
                "Version",
                r#".status.history[?(@.state=="Completed")].version"#,
                "string",
                0,
            ),
            c(
                "Available",
                r#".status.conditions[?(@.type=="Available")].status"#,
                "string",
                0,
            ),
            c(
                "Progressing",
                r#".status.conditions[?(@.type=="Progressing")].status"#,
                "string",
                0,
            ),
            c(
                "Since",
                r#".status.conditions[?(@.type=="Progressing")].lastTransitionTime"#,
                "date",
                0,
            ),
            c(
                "Status",
                r#".status.conditions[?(@.type=="Progressing")].message"#,
                "string",
                0,
            ),
        ]),
        ("machineconfiguration.openshift.io", "MachineConfigPool") => Some(vec![
            c("Config", ".status.configuration.name", "string", 0),
            c(
                "Updated",
                r#".status.conditions[?(@.type=="Updated")].status"#,
                "string",
                0,
            ),
            c(
                "Updating",
                r#".status.conditions[?(@.type=="Updating")].status"#,
                "string",
                0,
            ),
            c(
                "Degraded",
                r#".status.conditions[?(@.type=="Degraded")].status"#,
                "string",
                0,
            ),
            c("MachineCount", ".status.machineCount", "number", 0),
            c(
                "ReadyMachineCount",
                ".status.readyMachineCount",
                "number",
                0,
            ),
            c(
                "UpdatedMachineCount",
                ".status.updatedMachineCount",
                "number",
                0,
            ),
            c(
                "DegradedMachineCount",
                ".status.degradedMachineCount",
                "number",
                0,
            ),
            c("Age", ".metadata.creationTimestamp", "date", 0),
        ]),
        ("machineconfiguration.openshift.io", "MachineConfig") => Some(vec![
            c(
                "GeneratedByController",
                r".metadata.annotations.machineconfiguration\.openshift\.io/generated-by-controller-version",
                "string",
                0,
            ),
            c(
                "IgnitionVersion",
                ".spec.config.ignition.version",
                "string",
                0,
            ),
            c("Age", ".metadata.creationTimestamp", "date", 0),
        ]),
        _ => None,
    }
}

/// `additionalPrinterColumns` of a CRD (v1: per version, the storage version's; v1beta1:
/// `spec.additionalPrinterColumns` with `JSONPath`). `None` when it defines none.
fn crd_columns(crd: &Value) -> Option<Vec<PrinterColumn>> {
    let spec = crd.get("spec")?;
    let versions = spec.get("versions").and_then(Value::as_array);
    let version = versions.and_then(|vs| {
        vs.iter()
            .find(|v| {
                v.get("storage").and_then(Value::as_bool) == Some(true)
                    && v.get("additionalPrinterColumns").is_some()
            })
            .or_else(|| {
                vs.iter()
                    .find(|v| v.get("additionalPrinterColumns").is_some())
            })
    });
    let cols = version
        .and_then(|v| v.get("additionalPrinterColumns"))
        .or_else(|| spec.get("additionalPrinterColumns"))?
        .as_array()?;
    let out: Vec<PrinterColumn> = cols
        .iter()
        .filter_map(|c| {
            let name = c.get("name")?.as_str()?;
            let path = c.get("jsonPath").or_else(|| c.get("JSONPath"))?.as_str()?;
            let kind = c.get("type").and_then(Value::as_str).unwrap_or("string");
            let priority = c.get("priority").and_then(Value::as_i64).unwrap_or(0);
            Some(PrinterColumn::new(name, path, kind, priority))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// One step of a JSONPath.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    /// `.name`, `['name']`.
    Field(String),
    /// `[n]` (negative counts from the end).
    Index(i64),
    /// `[*]`.
    All,
    /// `[?(@.a.b == literal)]`, or `[?(@.a.b)]` (exists) when `cmp` is `None`.
    Filter {
        path: Vec<String>,
        cmp: Option<(bool, Value)>,
    },
}

/// Parses the JSONPath subset printer columns use; `None` for anything else.
fn parse_path(p: &str) -> Option<Vec<Seg>> {
    let p = p.trim();
    let p = p
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(p)
        .trim();
    let b: Vec<char> = p.chars().collect();
    let mut segs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '$' if i == 0 => i += 1,
            '.' => {
                if b.get(i + 1) == Some(&'.') {
                    return None; // recursive descent is not supported
                }
                let (name, next) = field_name(&b, i + 1);
                if !name.is_empty() {
                    segs.push(Seg::Field(name));
                }
                i = next;
            }
            '[' => {
                let end = closing_bracket(&b, i)?;
                let inner: String = b[i + 1..end].iter().collect();
                segs.push(bracket(inner.trim())?);
                i = end + 1;
            }
            _ if i == 0 => {
                let (name, next) = field_name(&b, 0);
                segs.push(Seg::Field(name));
                i = next;
            }
            _ => return None,
        }
    }
    Some(segs)
}

/// A field name up to an unescaped `.` or `[`; `\.` is a literal dot.
fn field_name(b: &[char], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while i < b.len() {
        match b[i] {
            '\\' if i + 1 < b.len() => {
                name.push(b[i + 1]);
                i += 2;
            }
            '.' | '[' => break,
            c => {
                name.push(c);
                i += 1;
            }
        }
    }
    (name, i)
}

/// The `]` matching the `[` at `open`, skipping quoted text and nested brackets.
fn closing_bracket(b: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (j, &c) in b.iter().enumerate().skip(open) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> Option<&str> {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
}

fn bracket(inner: &str) -> Option<Seg> {
    if inner == "*" {
        return Some(Seg::All);
    }
    if let Some(name) = unquote(inner) {
        return Some(Seg::Field(name.to_owned()));
    }
    if let Ok(n) = inner.parse::<i64>() {
        return Some(Seg::Index(n));
    }
    let expr = inner
        .strip_prefix('?')?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let (lhs, cmp) = match (expr.find("=="), expr.find("!=")) {
        (Some(i), _) => (&expr[..i], Some((true, &expr[i + 2..]))),
        (None, Some(i)) => (&expr[..i], Some((false, &expr[i + 2..]))),
        (None, None) => (expr, None),
    };
    let path_text = lhs.trim().strip_prefix('@')?;
    let mut path = Vec::new();
    for s in parse_path(path_text)? {
        match s {
            Seg::Field(f) => path.push(f),
            _ => return None,
        }
    }
    let cmp = match cmp {
        None => None,
        Some((eq, lit)) => {
            let lit = lit.trim();
            let v = match unquote(lit) {
                Some(s) => Value::String(s.to_owned()),
                None => serde_json::from_str::<Value>(lit).ok()?,
            };
            Some((eq, v))
        }
    };
    Some(Seg::Filter { path, cmp })
}

/// Every value a path selects, in document order.
fn eval<'v>(root: &'v Value, segs: &[Seg]) -> Vec<&'v Value> {
    let mut cur = vec![root];
    for seg in segs {
        let mut next = Vec::new();
        for v in cur {
            match (seg, v) {
                (Seg::Field(f), Value::Object(m)) => next.extend(m.get(f)),
                (Seg::Index(i), Value::Array(a)) => {
                    let idx = if *i < 0 {
                        a.len().checked_sub(i.unsigned_abs() as usize)
                    } else {
                        Some(*i as usize)
                    };
                    next.extend(idx.and_then(|i| a.get(i)));
                }
                (Seg::All, Value::Array(a)) => next.extend(a.iter()),
                (Seg::All, Value::Object(m)) => next.extend(m.values()),
                (Seg::Filter { path, cmp }, Value::Array(a)) => {
                    next.extend(a.iter().filter(|item| {
                        let found = path.iter().try_fold(*item, |v, f| v.get(f));
                        match (cmp, found) {
                            (None, Some(v)) => !v.is_null() && v != &Value::Bool(false),
                            (None, None) => false,
                            (Some((eq, lit)), found) => (found == Some(lit)) == *eq,
                        }
                    }));
                }
                _ => {}
            }
        }
        cur = next;
    }
    cur
}

// ---------------------------------------------------------------------------------------
// YAML, JSON

/// The raw YAML of each object, List items unindented, separated by `---`.
fn yaml(case: &Case, objects: &[ObjectRef], warnings: &mut Vec<String>) -> String {
    let mut out = String::new();
    for (i, &r) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let rec = case.record(r);
        let doc = if rec.fallback.is_some() {
            // The index range is the whole file: re-serialize the decoded object (JSON is YAML).
            case.decode::<Value>(r)
                .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default() + "\n")
                .map_err(|e| e.to_string())
        } else {
            case.object_text(r)
                .map(|t| standalone(&String::from_utf8_lossy(&t)))
                .map_err(|e| e.to_string())
        };
        match doc {
            Ok(d) => out.push_str(&d),
            Err(e) => {
                warnings.push(format!("{}: cannot read: {e}", describe(case, r)));
                let _ = writeln!(out, "# {}/{}: unreadable", rec.meta.kind, rec.meta.name);
            }
        }
    }
    out
}

/// A List item (`- ` on the first line, two spaces of indent after) as a standalone
/// document; other text unchanged. Always ends with a newline.
fn standalone(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.starts_with("- ") || text.starts_with("-\n") || text == "-" {
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if i == 0 {
                let rest = &line[1..];
                out.push_str(
                    rest.strip_prefix(' ')
                        .unwrap_or(rest)
                        .trim_start_matches(['\n']),
                );
            } else {
                let body = line
                    .strip_prefix("  ")
                    .or_else(|| line.strip_prefix(' '))
                    .unwrap_or(line);
                out.push_str(body);
            }
        }
    } else {
        out.push_str(text);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A v1 List of the objects as JSON (the bare object when one was asked for by name).
fn json(case: &Case, objects: &[ObjectRef], by_name: bool, warnings: &mut Vec<String>) -> String {
    let mut items = Vec::with_capacity(objects.len());
    for &r in objects {
        match case.decode::<Value>(r) {
            Ok(v) => items.push(v),
            Err(e) => warnings.push(format!("{}: cannot decode: {e}", describe(case, r))),
        }
    }
    if by_name && items.len() == 1 {
        return pretty(&items[0]);
    }
    list_json(items)
}

fn list_json(items: Vec<Value>) -> String {
    let mut list = serde_json::Map::new();
    list.insert("apiVersion".into(), Value::String("v1".into()));
    list.insert("items".into(), Value::Array(items));
    list.insert("kind".into(), Value::String("List".into()));
    pretty(&Value::Object(list))
}

/// JSON indented by four spaces, as `oc` prints it.
fn pretty(v: &Value) -> String {
    let two = serde_json::to_string_pretty(v).unwrap_or_default();
    // JSON text has no raw newlines inside strings, so leading spaces are indentation.
    let mut out = String::with_capacity(two.len() * 3 / 2);
    for line in two.lines() {
        let body = line.trim_start_matches(' ');
        out.extend(std::iter::repeat_n(' ', (line.len() - body.len()) * 2));
        out.push_str(body);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pads_like_tabwriter() {
        let mut t = Table::new(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        t.rows.push(vec![
            "etcd-0".into(),
            "4/4".into(),
            "Running".into(),
            "0".into(),
            "33m".into(),
        ]);
        t.rows.push(vec![
            "x".into(),
            "1/1".into(),
            "Completed".into(),
            "12".into(),
            "2d3h".into(),
        ]);
        assert_eq!(
            t.render(),
            "NAME     READY   STATUS      RESTARTS   AGE\netcd-0   4/4     Running     0          33m\nx        1/1     Completed   12         2d3h\n"
        );
        // Minimum width 6, and an empty last cell leaves the padding before it.
        let mut t = Table::new(&["A", "B"]);
        t.rows.push(vec!["x".into(), String::new()]);
        assert_eq!(t.render(), "A     B\nx     \n");
    }

    #[test]
    fn cells_are_one_line() {
        assert_eq!(cell("a\nb"), "a...");
        assert_eq!(cell("a\r\nb"), "a...");
        assert_eq!(cell("tab\there"), "tab here");
        assert_eq!(cell("esc\x1b[31m"), "esc\\u{1b}[31m");
        assert_eq!(cell("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn list_items_become_documents() {
        assert_eq!(
            standalone("- apiVersion: v1\n  kind: Pod\n  spec:\n    x: |\n      a\n\n      b\n"),
            "apiVersion: v1\nkind: Pod\nspec:\n  x: |\n    a\n\n    b\n"
        );
        assert_eq!(
            standalone("apiVersion: v1\nkind: Pod"),
            "apiVersion: v1\nkind: Pod\n"
        );
        assert_eq!(standalone("-\n  kind: Pod\n"), "kind: Pod\n");
        assert_eq!(standalone("{\"kind\":\"Pod\"}"), "{\"kind\":\"Pod\"}\n");
    }

    /// Every short string over the JSONPath alphabet parses or fails cleanly, and
    /// evaluation never panics.
    #[test]
    fn jsonpath_parser_never_panics() {
        let v = obj();
        let alphabet: Vec<char> = ".[]?()@=!\"'*\\a1-{}$".chars().collect();
        let mut stack = vec![String::new()];
        while let Some(s) = stack.pop() {
            if let Some(path) = parse_path(&s) {
                let _ = eval(&v, &path);
            }
            if s.chars().count() < 4 {
                stack.extend(alphabet.iter().map(|c| format!("{s}{c}")));
            }
        }
        for s in [
            "a[?(@.b==\"x\")]",
            "[?(@==1)]",
            ".a[?(@.b!=)]",
            ".a[-9223372036854775808]",
        ] {
            let _ = parse_path(s).map(|p| eval(&v, &p));
        }
    }

    fn obj() -> Value {
        serde_json::json!({
            "metadata": {"name": "x", "creationTimestamp": "2021-09-13T15:00:00Z",
                "annotations": {"machineconfiguration.openshift.io/generated-by-controller-version": "abc"}},
            "status": {
                "conditions": [
                    {"type": "Available", "status": "True", "lastTransitionTime": "2021-09-13T15:30:00Z"},
                    {"type": "Progressing", "status": "False", "message": "line1\nline2"}
                ],
                "history": [{"state": "Partial", "version": "4.9"}, {"state": "Completed", "version": "4.8.11"}],
                "count": 3,
                "flag": true,
                "items": ["a", "b", "c"]
            }
        })
    }

    #[test]
    fn jsonpath_subset() {
        let v = obj();
        let now: Timestamp = "2021-09-13T15:34:43Z".parse().expect("ts");
        let col = |p: &str, k: &str| PrinterColumn::new("c", p, k, 0).value(&v, Some(now));
        assert_eq!(
            col(
                r#".status.conditions[?(@.type=="Available")].status"#,
                "string"
            ),
            "True"
        );
        assert_eq!(
            col(
                r".status.conditions[?(@.type=='Progressing')].message",
                "string"
            ),
            "line1..."
        );
        assert_eq!(
            col(
                r#".status.conditions[?(@.type=="Available")].lastTransitionTime"#,
                "date"
            ),
            "4m43s"
        );
        assert_eq!(
            col(
                r#".status.conditions[?(@.type!="Available")].status"#,
                "string"
            ),
            "False"
        );
        assert_eq!(
            col(r".status.conditions[?(@.message)].type", "string"),
            "Progressing"
        );
        assert_eq!(
            col(
                r#".status.history[?(@.state=="Completed")].version"#,
                "string"
            ),
            "4.8.11"
        );
        assert_eq!(
            col(r#".status.conditions[?(@.type=="Nope")].status"#, "string"),
            ""
        );
        assert_eq!(col(".status.count", "integer"), "3");
        assert_eq!(col(".status.flag", "boolean"), "true");
        assert_eq!(col(".status.items[1]", "string"), "b");
        assert_eq!(col(".status.items[-1]", "string"), "c");
        assert_eq!(col(".status.items[-4]", "string"), "");
        assert_eq!(col(".status.items[*]", "string"), "a");
        assert_eq!(col("{.metadata.name}", "string"), "x");
        assert_eq!(col("$.metadata['name']", "string"), "x");
        assert_eq!(
            col(
                r".metadata.annotations.machineconfiguration\.openshift\.io/generated-by-controller-version",
                "string"
            ),
            "abc"
        );
        assert_eq!(col(".metadata.creationTimestamp", "date"), "34m");
        assert_eq!(col(".status.items", "string"), r#"["a","b","c"]"#);
        // Unsupported or broken paths give empty cells, never a panic.
        for p in [
            "..name",
            ".a[",
            ".a[?(@.x<1)]",
            ".a[1:2]",
            "[[",
            "]",
            ".a[?(@)]",
            ".a[?(x==1)]",
            "",
        ] {
            assert_eq!(
                col(p, "string"),
                if p.is_empty() {
                    cell(&v.to_string())
                } else {
                    String::new()
                },
                "{p:?}"
            );
        }
    }
}
