//! Signatures: what a log line, an event or a condition means, as data.
//!
//! A [`RuleSet`] is read from YAML (the built-in file `rules/builtin.yaml` is compiled into
//! the binary; users add their own with [`RuleSet::from_yaml`] and [`RuleSet::extend`]).
//! Each [`Rule`] selects sources (a journal unit, pod logs, events, Node or ClusterOperator
//! conditions), names cheap literal substrings (`any`) that must occur before its regular
//! expression runs, literals that rule a record out (`none`), a severity, an optional cascade
//! [`Stage`] and an explanation.
//!
//! [`scan`] runs a rule set over a [`Snapshot`] and returns [`Hit`]s: one per matching record
//! (the first matching rule wins), with the best time, the node (Node names, one way), the
//! evidence and hints such as whether an x509 error carried the Go 1.20 `tls: failed to verify
//! certificate:` prefix and which `candidate authority` it named. Logs are scanned in parallel;
//! the result is sorted (time, archive, path, line) and identical at any thread count.
//!
//! ```
//! use casefile_correlate::rules::RuleSet;
//!
//! let rules = RuleSet::builtin();
//! let rule = rules.get("kubelet-api-tls-unknown-authority").unwrap();
//! let line = br#""Unable to register node with API server" err="Post \"https://api-int.c.example:6443/api/v1/nodes\": tls: failed to verify certificate: x509: certificate signed by unknown authority""#;
//! assert!(rule.matches(line));
//! assert!(!rule.matches(b"dial tcp 10.0.0.1:6443: connect: connection refused"));
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use casefile_model::kube::Event;
use casefile_model::log::LogRecord;
use casefile_model::{
    ArtifactId, ContentSource, Located, LogFile, LogSource, Provenance, Severity, Snapshot, Stage,
    Timestamp,
};
use memchr::memmem::Finder;
use rayon::prelude::*;
use regex::bytes::{Regex, RegexBuilder};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

/// The built-in rules file (YAML), compiled into the binary.
pub const BUILTIN_RULES: &str = include_str!("../rules/builtin.yaml");

/// Longest hit message kept, in characters.
const MESSAGE_CHARS: usize = 500;

/// How far an inner (klog, logrus, Multus) time may be from the transport time and still be
/// preferred: farther means a skewed process clock or a local time zone, and the transport
/// time (journal, `oc logs --timestamps`) is the trustworthy one.
const INNER_TIME_TOLERANCE_SECS: i64 = 600;

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A systemd journal (host_service_logs, sosreport journalctl output, node logs).
    Journal,
    /// A container log (`oc logs` output in must-gather / inspect).
    PodLog,
    /// A Kubernetes Event (core/v1 or events.k8s.io/v1).
    Event,
    /// A Node condition, as `Type=Status Reason: message`.
    Node,
    /// A ClusterOperator condition, as `Type=Status Reason: message`.
    ClusterOperator,
}

impl SourceKind {
    /// The kebab-case name used in rules files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::PodLog => "pod-log",
            Self::Event => "event",
            Self::Node => "node",
            Self::ClusterOperator => "cluster-operator",
        }
    }
}

/// Which records a rule applies to. Every field but `kind` is an optional glob (`*` matches
/// any run of characters); an absent field matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSelector {
    /// The kind of source.
    pub kind: SourceKind,
    /// Journal unit (`kubelet`, `crio`). In a whole-node journal the unit is derived from the
    /// identifier (`kubenswrapper` and `hyperkube` are `kubelet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Namespace of a pod log or an event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Pod name of a pod log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// Container name of a pod log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Event reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Name of the Node, the ClusterOperator, or an event's involved object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl SourceSelector {
    fn check_fields(&self) -> Result<(), String> {
        let allowed: &[&str] = match self.kind {
            SourceKind::Journal => &["unit"],
            SourceKind::PodLog => &["namespace", "pod", "container"],
            SourceKind::Event => &["namespace", "reason", "name"],
            SourceKind::Node | SourceKind::ClusterOperator => &["name"],
        };
        let present = [
            ("unit", &self.unit),
            ("namespace", &self.namespace),
            ("pod", &self.pod),
            ("container", &self.container),
            ("reason", &self.reason),
            ("name", &self.name),
        ];
        for (field, value) in present {
            if value.is_some() && !allowed.contains(&field) {
                return Err(format!(
                    "source kind {} has no field `{field}` (allowed: {})",
                    self.kind.as_str(),
                    allowed.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Whether the selector can apply to a log file (for journals whose unit is not known
    /// per file, the unit is checked per record).
    fn applies_to_file(&self, file: &LogFile) -> bool {
        match (&file.source, self.kind) {
            (LogSource::Journal { unit }, SourceKind::Journal) => {
                unit.is_empty() || opt_glob(self.unit.as_deref(), unit)
            }
            (
                LogSource::Pod {
                    namespace,
                    pod,
                    container,
                    ..
                },
                SourceKind::PodLog,
            ) => {
                opt_glob(self.namespace.as_deref(), namespace)
                    && opt_glob(self.pod.as_deref(), pod)
                    && opt_glob(self.container.as_deref(), container)
            }
            _ => false,
        }
    }

    fn applies_to_event(&self, e: &Event) -> bool {
        self.kind == SourceKind::Event
            && opt_glob(self.reason.as_deref(), &e.reason)
            && opt_glob(self.namespace.as_deref(), event_namespace(e).unwrap_or(""))
            && opt_glob(self.name.as_deref(), &e.involved().name)
    }

    fn applies_to_object(&self, kind: SourceKind, name: &str) -> bool {
        self.kind == kind && opt_glob(self.name.as_deref(), name)
    }
}

/// One selector or a list of them (the `source` field of a rule).
struct OneOrMany(Vec<SourceSelector>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a source selector ({kind: ...}) or a list of them")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                SourceSelector::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|s| OneOrMany(vec![s]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<SourceSelector>()? {
                    v.push(s);
                }
                Ok(OneOrMany(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    #[serde(default)]
    title: String,
    source: OneOrMany,
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
    #[serde(default)]
    pattern: String,
    severity: Severity,
    #[serde(default)]
    stage: Option<Stage>,
    #[serde(default)]
    explain: String,
}

/// A rules file or rule that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The YAML does not have the expected shape (the message names the line).
    #[error("rules file: {0}")]
    Syntax(String),
    /// One rule is invalid.
    #[error("rule {id:?} (line {line}): {message}")]
    Invalid {
        /// The rule's id.
        id: String,
        /// 1-based line of the rule's `id` in the file.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// One signature, compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id (`kubelet-api-tls-unknown-authority`).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Which records it applies to.
    pub sources: Vec<SourceSelector>,
    /// Literal prefilter: a record must contain one of these (empty: no prefilter).
    pub any: Vec<String>,
    /// Literals that rule a record out.
    pub none: Vec<String>,
    /// The regular expression (empty matches everything).
    pub pattern: String,
    /// Severity of a hit.
    pub severity: Severity,
    /// Cascade stage, if the signature is evidence of one.
    pub stage: Option<Stage>,
    /// What a hit means.
    pub explain: String,
    /// 1-based line of the rule in its file (0 when unknown).
    pub line: u64,
    regex: Regex,
    any_finders: Vec<Finder<'static>>,
    none_finders: Vec<Finder<'static>>,
    has_groups: bool,
}

impl Rule {
    /// Whether `text` (a record's message, an event's message or a condition text) matches:
    /// one `any` literal present (when there are any), no `none` literal, and the pattern.
    /// Source selectors are not checked here.
    pub fn matches(&self, text: &[u8]) -> bool {
        self.match_text(text).is_some()
    }

    /// The named groups captured on a match, or `None` when the text does not match.
    pub fn captures(&self, text: &[u8]) -> Option<BTreeMap<String, String>> {
        self.match_text(text)
    }

    fn match_text(&self, text: &[u8]) -> Option<BTreeMap<String, String>> {
        if !self.any_finders.is_empty() && !self.any_finders.iter().any(|f| f.find(text).is_some())
        {
            return None;
        }
        if self.none_finders.iter().any(|f| f.find(text).is_some()) {
            return None;
        }
        if !self.has_groups {
            return self.regex.is_match(text).then(BTreeMap::new);
        }
        let caps = self.regex.captures(text)?;
        let mut out = BTreeMap::new();
        for name in self.regex.capture_names().flatten() {
            if let Some(m) = caps.name(name) {
                out.insert(
                    name.to_owned(),
                    String::from_utf8_lossy(m.as_bytes()).into_owned(),
                );
            }
        }
        Some(out)
    }

    fn selects(&self, kind: SourceKind) -> bool {
        self.sources.iter().any(|s| s.kind == kind)
    }
}

/// An ordered set of rules. A record gets at most one hit: from the first rule that matches.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// A short key that changes whenever any rule changes (every field, in order), for
    /// keeping results computed with this set. Not stable across casefile or Rust versions.
    pub fn fingerprint(&self) -> String {
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::hash::DefaultHasher::new();
        format!("{:?}", self.rules).hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// The built-in rules (`rules/builtin.yaml`).
    pub fn builtin() -> Self {
        // The file is checked by a unit test; an error here cannot happen in a tested build.
        Self::from_yaml(BUILTIN_RULES).unwrap_or_default()
    }

    /// Parses and compiles a rules file: a mapping with a `rules:` list (see
    /// `rules/builtin.yaml` for the format). Errors name the line and, once the rule is
    /// known, its id.
    pub fn from_yaml(text: &str) -> Result<Self, RuleError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let raw: RawFile =
            serde_saphyr::from_str(text).map_err(|e| RuleError::Syntax(e.to_string()))?;
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rules.len());
        for r in raw.rules {
            let rule = compile(r)?;
            if let Some(prev) = rules.iter().find(|p| p.id == rule.id) {
                return Err(RuleError::Invalid {
                    id: rule.id.clone(),
                    line: rule.line,
                    message: format!("duplicate id (first defined on line {})", prev.line),
                });
            }
            rules.push(rule);
        }
        Ok(Self { rules })
    }

    /// Adds `other`'s rules with precedence over the current ones: a rule with an id already
    /// present replaces it in place; the other new rules are tried before the existing ones,
    /// so a user signature can refine a built-in one.
    pub fn extend(&mut self, other: Self) {
        let mut front = Vec::new();
        for rule in other.rules {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(slot) => *slot = rule,
                None => front.push(rule),
            }
        }
        front.append(&mut self.rules);
        self.rules = front;
    }

    /// The rules, in the order they are tried.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

fn compile(r: RawRule) -> Result<Rule, RuleError> {
    let id = r.id.value.trim().to_owned();
    let line = r.id.referenced.line();
    let invalid = |message: String| RuleError::Invalid {
        id: id.clone(),
        line,
        message,
    };
    if id.is_empty() || id.chars().any(char::is_whitespace) {
        return Err(invalid(
            "the id must be a non-empty word (kebab-case)".into(),
        ));
    }
    if r.source.0.is_empty() {
        return Err(invalid("`source` selects nothing".into()));
    }
    for s in &r.source.0 {
        s.check_fields().map_err(&invalid)?;
    }
    if let Some(l) = r.any.iter().chain(&r.none).find(|l| l.is_empty()) {
        return Err(invalid(format!("empty literal {l:?} in `any`/`none`")));
    }
    let regex = RegexBuilder::new(&r.pattern)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| invalid(format!("pattern does not compile: {e}")))?;
    let has_groups = regex.capture_names().flatten().next().is_some();
    let finders = |v: &[String]| {
        v.iter()
            .map(|l| Finder::new(l.as_bytes()).into_owned())
            .collect()
    };
    Ok(Rule {
        title: if r.title.trim().is_empty() {
            id.clone()
        } else {
            r.title.trim().to_owned()
        },
        any_finders: finders(&r.any),
        none_finders: finders(&r.none),
        id,
        sources: r.source.0,
        any: r.any,
        none: r.none,
        pattern: r.pattern,
        severity: r.severity,
        stage: r.stage,
        explain: r.explain.trim().to_owned(),
        line,
        regex,
        has_groups,
    })
}

// ---------------------------------------------------------------------------------------
// Hits

/// Extra facts read from a matched text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    /// The x509 error carried Go 1.20's `tls: failed to verify certificate:` prefix.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tls_prefix: bool,
    /// The CN in `(possibly because of ... while trying to verify candidate authority
    /// certificate "<CN>")`: the client holds a CA of that name with another key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_authority: Option<String>,
    /// `host:port` of the last `https://` URL before the error (the endpoint that failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The endpoint is the internal API load balancer (`api-int.`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub api_int: bool,
    /// The pod concerned, `namespace/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// Other named groups of the rule's pattern.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub captures: BTreeMap<String, String>,
}

/// One record matched by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    /// The rule's id.
    pub rule: String,
    /// The rule's stage.
    pub stage: Option<Stage>,
    /// The rule's severity.
    pub severity: Severity,
    /// What was matched.
    pub source: SourceKind,
    /// When: a log record's inner (klog) time when it agrees with the transport time, else
    /// the transport time; an event's last occurrence; a condition's last transition.
    pub at: Option<Timestamp>,
    /// An event's first occurrence (`None` for other sources).
    pub first_at: Option<Timestamp>,
    /// An event's count (`None` for other sources).
    pub count: Option<i64>,
    /// The node concerned, as the Node object names it (host names are mapped).
    pub node: Option<String>,
    /// The namespace concerned.
    pub namespace: Option<String>,
    /// For Node and ClusterOperator hits: the condition type matched.
    pub condition: Option<String>,
    /// The matched text, trimmed to about 500 characters (lossy UTF-8).
    pub message: String,
    /// Where it was found (archive, file, line, byte offset).
    pub provenance: Provenance,
    /// Facts read from the text.
    pub hints: Hints,
}

/// The best time of a log record: the inner (klog / logrus / Multus) time when it is close to
/// the transport time (journal, `oc logs`) and not coarser than it, else the transport time.
pub fn record_time(rec: &LogRecord) -> Option<Timestamp> {
    match (rec.at, rec.inner_at) {
        (None, inner) => inner,
        (Some(at), None) => Some(at),
        (Some(at), Some(inner)) => {
            let skew = inner.duration_since(at).as_secs().abs();
            let coarser = inner.subsec_nanosecond() == 0 && at.subsec_nanosecond() != 0;
            Some(if skew > INNER_TIME_TOLERANCE_SECS || coarser {
                at
            } else {
                inner
            })
        }
    }
}

/// The unit a journal record belongs to: the file's unit, or in a whole-node journal the
/// identifier mapped to a unit name (`kubenswrapper`/`hyperkube` → `kubelet`).
pub fn record_unit<'a>(file_unit: &'a str, rec: &LogRecord, data: &'a [u8]) -> Cow<'a, str> {
    if !file_unit.is_empty() {
        return Cow::Borrowed(file_unit);
    }
    let ident = rec
        .ident(data)
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    match ident.as_ref() {
        "kubenswrapper" | "hyperkube" | "kubelet" => Cow::Borrowed("kubelet"),
        "crio" | "conmon" => Cow::Borrowed("crio"),
        _ => Cow::Owned(ident.into_owned()),
    }
}

/// Maps a name to the Node name when the snapshot knows the node; keeps it as given when the
/// case has no Node objects (sosreport only); `localhost` and empty names give `None`.
pub fn canonical_node(snapshot: &Snapshot, host: &str) -> Option<String> {
    let host = host.trim();
    if host.is_empty() || host == "localhost" || host.starts_with("localhost.") {
        return None;
    }
    match snapshot.node_for_host(host) {
        Some(n) => Some(n.to_owned()),
        None if snapshot.node_names.is_empty() => Some(host.to_owned()),
        None => None,
    }
}

/// The namespace an event belongs to: its involved object's, else its own.
pub fn event_namespace(e: &Event) -> Option<&str> {
    e.involved()
        .namespace
        .as_deref()
        .filter(|s| !s.is_empty())
        .or(e.metadata.namespace.as_deref())
        .filter(|s| !s.is_empty())
}

/// Lookups shared by the scanner and the timeline.
pub(crate) struct NodeIndex<'a> {
    snapshot: &'a Snapshot,
    pod_nodes: HashMap<(&'a str, &'a str), &'a str>,
}

impl<'a> NodeIndex<'a> {
    pub(crate) fn new(snapshot: &'a Snapshot) -> Self {
        let pod_nodes = snapshot
            .pods
            .iter()
            .filter_map(|p| {
                let m = &p.value.metadata;
                let node = p
                    .value
                    .spec
                    .node_name
                    .as_deref()
                    .filter(|n| !n.is_empty())?;
                Some((
                    (m.namespace.as_deref().unwrap_or(""), m.name.as_str()),
                    node,
                ))
            })
            .collect();
        Self {
            snapshot,
            pod_nodes,
        }
    }

    /// The node of a log record: the file's node, else the journal host.
    pub(crate) fn log_node(&self, file: &LogFile, rec: &LogRecord, data: &[u8]) -> Option<String> {
        if let Some(n) = &file.node {
            return canonical_node(self.snapshot, n).or_else(|| Some(n.clone()));
        }
        let host = rec.host(data)?;
        canonical_node(self.snapshot, &String::from_utf8_lossy(host))
    }

    /// The node of an event: `source.host`, else the involved Node, else the involved
    /// Pod's node.
    pub(crate) fn event_node(&self, e: &Event) -> Option<String> {
        if let Some(n) = e
            .source_host()
            .and_then(|h| canonical_node(self.snapshot, h))
        {
            return Some(n);
        }
        let inv = e.involved();
        match inv.kind.as_str() {
            "Node" => canonical_node(self.snapshot, &inv.name),
            "Pod" => {
                let ns = inv.namespace.as_deref().unwrap_or("");
                let node = self.pod_nodes.get(&(ns, inv.name.as_str()))?;
                canonical_node(self.snapshot, node)
            }
            _ => None,
        }
    }

    pub(crate) fn snapshot(&self) -> &'a Snapshot {
        self.snapshot
    }
}

/// The text of a Node or ClusterOperator condition as rules see it: `Type=Status Reason: message`.
pub fn condition_text(
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
) -> String {
    let mut s = format!("{kind}={status}");
    if let Some(r) = reason.filter(|r| !r.is_empty()) {
        s.push(' ');
        s.push_str(r);
    }
    if let Some(m) = message.map(str::trim).filter(|m| !m.is_empty()) {
        s.push_str(if reason.is_some_and(|r| !r.is_empty()) {
            ": "
        } else {
            " "
        });
        s.push_str(m);
    }
    s
}

/// Runs `rules` over every log, event, Node and ClusterOperator condition of the snapshot.
/// Hits are sorted by time (records without time last), then archive, path, line and rule.
pub fn scan(snapshot: &Snapshot, content: &dyn ContentSource, rules: &RuleSet) -> Vec<Hit> {
    let idx = NodeIndex::new(snapshot);
    let lits = LiteralTable::new(rules);
    // In slices, with mapped content let go after each: a fault maps neighbouring pages of
    // other files too, so releasing file by file alone leaves much of a large case resident.
    let mut hits: Vec<Hit> = Vec::new();
    for slice in snapshot.logs.chunks(LOG_SLICE) {
        hits.par_extend(slice.par_iter().flat_map_iter(|file| {
            let hits = scan_log(file, content, rules, &lits, &idx);
            content.release(file.artifact);
            hits
        }));
        content.release_all();
    }
    if rules.rules.iter().any(|r| r.selects(SourceKind::Event)) {
        hits.par_extend(
            snapshot
                .events
                .par_iter()
                .filter_map(|e| scan_event(e, rules, &idx)),
        );
    }
    hits.extend(scan_conditions(snapshot, rules));
    sort_hits(&mut hits, content);
    hits
}

/// Log files scanned between two releases of all mapped content.
const LOG_SLICE: usize = 1024;

/// Orders artifacts by archive, then path inside it.
pub(crate) fn artifact_order(
    a: ArtifactId,
    b: ArtifactId,
    content: &dyn ContentSource,
) -> std::cmp::Ordering {
    a.archive
        .cmp(&b.archive)
        .then_with(|| content.path(a).cmp(content.path(b)))
}

/// Orders evidence by (archive, path, line, offset): how hits and timeline rows that share
/// a time are ordered.
pub(crate) fn provenance_order(
    a: &Provenance,
    b: &Provenance,
    content: &dyn ContentSource,
) -> std::cmp::Ordering {
    artifact_order(a.artifact, b.artifact, content)
        .then(a.line.cmp(&b.line))
        .then(a.offset.cmp(&b.offset))
}

/// Sorts hits by (time, archive, path, line, rule); hits without a time go last.
pub fn sort_hits(hits: &mut [Hit], content: &dyn ContentSource) {
    hits.sort_by(|a, b| {
        (a.at.is_none(), a.at)
            .cmp(&(b.at.is_none(), b.at))
            .then_with(|| provenance_order(&a.provenance, &b.provenance, content))
            .then_with(|| a.condition.cmp(&b.condition))
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

/// Distinct `any` literals of a rule set, each searched once per file.
struct LiteralTable {
    finders: Vec<Finder<'static>>,
    /// For each rule, the indices of its literals in `finders`.
    of_rule: Vec<Vec<usize>>,
}

impl LiteralTable {
    fn new(rules: &RuleSet) -> Self {
        let mut finders = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let of_rule = rules
            .rules
            .iter()
            .map(|r| {
                r.any
                    .iter()
                    .map(|l| {
                        *seen.entry(l.as_str()).or_insert_with(|| {
                            finders.push(Finder::new(l.as_bytes()).into_owned());
                            finders.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        Self { finders, of_rule }
    }
}

fn scan_log(
    file: &LogFile,
    content: &dyn ContentSource,
    rules: &RuleSet,
    lits: &LiteralTable,
    idx: &NodeIndex<'_>,
) -> Vec<Hit> {
    let applicable: Vec<usize> = rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.sources.iter().any(|s| s.applies_to_file(file)))
        .map(|(i, _)| i)
        .collect();
    if applicable.is_empty() {
        return Vec::new();
    }
    let Some(data) = content.content(file.artifact) else {
        return Vec::new();
    };
    let data: &[u8] = &data;
    // Literals first: a file none of them occurs in is never parsed.
    let positions = literal_positions(data, &applicable, lits, &|from, len| {
        content.release_part(file.artifact, from, len);
    });
    if positions.as_ref().is_some_and(Vec::is_empty) {
        return Vec::new();
    }
    let file_unit = match &file.source {
        LogSource::Journal { unit } => Some(unit.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    // Records are streamed, not collected: a node journal can hold millions. A record is a
    // candidate when a literal starts inside it (positions and records are both in order).
    let mut next_position = 0;
    file.for_each_record(content, &mut |rec| {
        if let Some(positions) = positions.as_deref() {
            while positions.get(next_position).is_some_and(|&p| p < rec.start) {
                next_position += 1;
            }
            if positions.get(next_position).is_none_or(|&p| p >= rec.end) {
                return;
            }
        }
        let text = rec.message(data);
        let unit = file_unit.map(|u| record_unit(u, rec, data));
        for &ri in &applicable {
            let rule = &rules.rules[ri];
            if let Some(u) = &unit
                && !rule
                    .sources
                    .iter()
                    .any(|s| s.kind == SourceKind::Journal && opt_glob(s.unit.as_deref(), u))
            {
                continue;
            }
            let Some(caps) = rule.match_text(text) else {
                continue;
            };
            let namespace = match &file.source {
                LogSource::Pod { namespace, .. } => Some(namespace.clone()),
                _ => None,
            };
            let node = idx.log_node(file, rec, data);
            out.push(make_hit(
                rule,
                if file_unit.is_some() {
                    SourceKind::Journal
                } else {
                    SourceKind::PodLog
                },
                text,
                caps,
                HitPlace {
                    at: record_time(rec),
                    first_at: None,
                    count: None,
                    node,
                    namespace,
                    condition: None,
                    pod: None,
                    provenance: Provenance::at(file.artifact, rec.line, rec.start),
                },
                idx,
            ));
            break;
        }
    });
    out
}

/// Byte offsets in `data` where a literal of an applicable rule starts, sorted; `None` when
/// an applicable rule has no literal (every record is then a candidate).
///
/// A long file is searched in windows that end at a line break, and `release` is told of
/// each window searched, so its mapped pages can go before the next is read. Literals
/// hold no line break (else the file is searched whole), so no match spans two windows.
fn literal_positions(
    data: &[u8],
    applicable: &[usize],
    lits: &LiteralTable,
    release: &dyn Fn(u64, u64),
) -> Option<Vec<u64>> {
    /// Bytes per window.
    const WINDOW: usize = 8 << 20;
    if applicable.iter().any(|&ri| lits.of_rule[ri].is_empty()) {
        return None;
    }
    let mut wanted: Vec<usize> = applicable
        .iter()
        .flat_map(|&ri| lits.of_rule[ri].iter().copied())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let windowed = !wanted
        .iter()
        .any(|&li| lits.finders[li].needle().contains(&b'\n'));
    let mut positions: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let end = if windowed && data.len() - start > WINDOW {
            memchr::memchr(b'\n', &data[start + WINDOW..])
                .map_or(data.len(), |i| start + WINDOW + i + 1)
        } else {
            data.len()
        };
        let window = &data[start..end];
        positions.extend(
            wanted
                .iter()
                .flat_map(|&li| lits.finders[li].find_iter(window))
                .map(|p| (start + p) as u64),
        );
        if end < data.len() {
            release(start as u64, (end - start) as u64);
        }
        start = end;
    }
    positions.sort_unstable();
    positions.dedup();
    Some(positions)
}

fn scan_event(e: &Located<Event>, rules: &RuleSet, idx: &NodeIndex<'_>) -> Option<Hit> {
    let ev = &e.value;
    let text = ev.message().as_bytes();
    for rule in &rules.rules {
        if !rule.sources.iter().any(|s| s.applies_to_event(ev)) {
            continue;
        }
        let Some(caps) = rule.match_text(text) else {
            continue;
        };
        let inv = ev.involved();
        let pod = (inv.kind == "Pod")
            .then(|| format!("{}/{}", inv.namespace.as_deref().unwrap_or(""), inv.name));
        return Some(make_hit(
            rule,
            SourceKind::Event,
            text,
            caps,
            HitPlace {
                at: ev.last_seen(),
                first_at: ev.first_seen(),
                count: Some(ev.count()),
                node: idx.event_node(ev),
                namespace: event_namespace(ev).map(str::to_owned),
                condition: None,
                pod,
                provenance: e.at,
            },
            idx,
        ));
    }
    None
}

fn scan_conditions(snapshot: &Snapshot, rules: &RuleSet) -> Vec<Hit> {
    let idx = NodeIndex::new(snapshot);
    let mut out = Vec::new();
    if rules.rules.iter().any(|r| r.selects(SourceKind::Node)) {
        for n in &snapshot.nodes {
            let name = &n.value.metadata.name;
            for c in &n.value.status.conditions {
                let text = condition_text(
                    &c.kind,
                    &c.status,
                    c.reason.as_deref(),
                    c.message.as_deref(),
                );
                let place = || HitPlace {
                    at: c.last_transition_time,
                    first_at: None,
                    count: None,
                    node: canonical_node(snapshot, name),
                    namespace: None,
                    condition: Some(c.kind.clone()),
                    pod: None,
                    provenance: n.at,
                };
                out.extend(first_match(
                    rules,
                    SourceKind::Node,
                    name,
                    &text,
                    place,
                    &idx,
                ));
            }
        }
    }
    if rules
        .rules
        .iter()
        .any(|r| r.selects(SourceKind::ClusterOperator))
    {
        for co in &snapshot.cluster_operators {
            let name = &co.value.metadata.name;
            for c in &co.value.status.conditions {
                let text = condition_text(
                    &c.kind,
                    &c.status,
                    c.reason.as_deref(),
                    c.message.as_deref(),
                );
                let place = || HitPlace {
                    at: c.last_transition_time,
                    first_at: None,
                    count: None,
                    node: None,
                    namespace: None,
                    condition: Some(c.kind.clone()),
                    pod: None,
                    provenance: co.at,
                };
                out.extend(first_match(
                    rules,
                    SourceKind::ClusterOperator,
                    name,
                    &text,
                    place,
                    &idx,
                ));
            }
        }
    }
    out
}

fn first_match(
    rules: &RuleSet,
    kind: SourceKind,
    name: &str,
    text: &str,
    place: impl Fn() -> HitPlace,
    idx: &NodeIndex<'_>,
) -> Option<Hit> {
    rules.rules.iter().find_map(|rule| {
        if !rule.sources.iter().any(|s| s.applies_to_object(kind, name)) {
            return None;
        }
        let caps = rule.match_text(text.as_bytes())?;
        Some(make_hit(rule, kind, text.as_bytes(), caps, place(), idx))
    })
}

/// Where and when a hit is, as the caller knows it.
struct HitPlace {
    at: Option<Timestamp>,
    first_at: Option<Timestamp>,
    count: Option<i64>,
    node: Option<String>,
    namespace: Option<String>,
    condition: Option<String>,
    pod: Option<String>,
    provenance: Provenance,
}

fn make_hit(
    rule: &Rule,
    source: SourceKind,
    text: &[u8],
    mut caps: BTreeMap<String, String>,
    place: HitPlace,
    idx: &NodeIndex<'_>,
) -> Hit {
    let mut hints = text_hints(text);
    // A `node` group names the node concerned (operator messages, events about other nodes).
    let node = caps
        .remove("node")
        .and_then(|n| canonical_node(idx.snapshot(), &n))
        .or(place.node);
    if let Some(p) = caps.remove("pod") {
        hints.pod = Some(p);
    } else if place.pod.is_some() {
        hints.pod = place.pod;
    }
    if let Some(e) = caps.remove("endpoint") {
        hints.api_int = e.starts_with("api-int.");
        hints.endpoint = Some(e);
    }
    hints.captures = caps;
    Hit {
        rule: rule.id.clone(),
        stage: rule.stage,
        severity: rule.severity,
        source,
        at: place.at,
        first_at: place.first_at,
        count: place.count,
        node,
        namespace: place.namespace,
        condition: place.condition,
        message: clip(text, MESSAGE_CHARS),
        provenance: place.provenance,
        hints,
    }
}

/// Hints read from any matched text: x509 details, the failing endpoint, the pod.
fn text_hints(text: &[u8]) -> Hints {
    let mut h = Hints::default();
    let x509 = memchr::memmem::find(text, b"x509: ");
    if let Some(pos) = x509 {
        h.tls_prefix =
            memchr::memmem::find(text, b"tls: failed to verify certificate: x509:").is_some();
        h.candidate_authority = candidate_authority(text);
        h.endpoint = last_endpoint(&text[..pos]);
        h.api_int = h
            .endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("api-int."));
    }
    h.pod = pod_of(text);
    h
}

fn candidate_authority(text: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"candidate authority certificate ";
    let start = memchr::memmem::find(text, KEY)? + KEY.len();
    let rest = &text[start..];
    // The CN is quoted, possibly with escaped quotes (`\"kube-ca\"` inside a klog value).
    let rest = trim_quote_prefix(rest);
    let end = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b == b')')?;
    let cn = String::from_utf8_lossy(&rest[..end]).into_owned();
    (!cn.is_empty()).then_some(cn)
}

fn trim_quote_prefix(mut s: &[u8]) -> &[u8] {
    while let [b'\\' | b'"', rest @ ..] = s {
        s = rest;
    }
    s
}

/// `host[:port]` of the last `https://` URL in `text`.
fn last_endpoint(text: &[u8]) -> Option<String> {
    let start = memchr::memmem::rfind(text, b"https://")? + b"https://".len();
    let rest = &text[start..];
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'"' | b'\\' | b'\'' | b' ' | b'?' | b'\n'))
        .unwrap_or(rest.len());
    let host = String::from_utf8_lossy(&rest[..end])
        .trim_matches(['[', ']'])
        .replace("]:", ":");
    (!host.is_empty()).then_some(host)
}

/// The pod a line is about: kubelet `pod="ns/name"`, Multus `[ns/name/uid]`, or CNI args.
fn pod_of(text: &[u8]) -> Option<String> {
    if let Some(p) = after_marker(text, b"K8S_POD_NAMESPACE=", b";").and_then(|ns| {
        let name = after_marker(text, b"K8S_POD_NAME=", b";")?;
        Some(format!("{ns}/{name}"))
    }) {
        return Some(p);
    }
    if let Some(i) = memchr::memmem::find(text, b"Multus: [") {
        let rest = &text[i + b"Multus: [".len()..];
        let end = rest.iter().position(|&b| b == b']')?;
        let parts: Vec<&[u8]> = rest[..end].split(|&b| b == b'/').collect();
        if let [ns, name, ..] = parts.as_slice()
            && !ns.is_empty()
            && !name.is_empty()
        {
            return Some(format!(
                "{}/{}",
                String::from_utf8_lossy(ns),
                String::from_utf8_lossy(name)
            ));
        }
    }
    let i = memchr::memmem::rfind(text, b" pod=")?;
    let rest = trim_quote_prefix(&text[i + b" pod=".len()..]);
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\' | b' '))
        .unwrap_or(rest.len());
    let pod = String::from_utf8_lossy(&rest[..end]).into_owned();
    pod.contains('/').then_some(pod)
}

fn after_marker(text: &[u8], marker: &[u8], stop: &[u8]) -> Option<String> {
    let i = memchr::memmem::find(text, marker)? + marker.len();
    let rest = &text[i..];
    let end = memchr::memmem::find(rest, stop).unwrap_or(rest.len()).min(
        rest.iter()
            .position(|&b| b == b' ' || b == b'\n')
            .unwrap_or(rest.len()),
    );
    let v = String::from_utf8_lossy(&rest[..end]).into_owned();
    (!v.is_empty()).then_some(v)
}

/// Lossy UTF-8, line breaks folded to spaces, trimmed, cut at `max` characters (with `…`).
pub(crate) fn clip(text: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(text);
    let s = s.trim();
    let mut out = String::with_capacity(s.len().min(max * 4 + 4));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

fn opt_glob(pattern: Option<&str>, s: &str) -> bool {
    pattern.is_none_or(|p| glob(p, s))
}

/// `*`-only glob match (no other metacharacters).
pub(crate) fn glob(pattern: &str, s: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), s.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn literals_are_found_alike_in_windows_and_the_searched_windows_are_released() {
        use std::cell::RefCell;
        let table = |lits: &[&str]| LiteralTable {
            finders: lits
                .iter()
                .map(|l| Finder::new(l.as_bytes()).into_owned())
                .collect(),
            of_rule: vec![(0..lits.len()).collect()],
        };
        // 20 MiB of lines, literals near every window edge and across none.
        let mut data = Vec::new();
        let mut i = 0u32;
        while data.len() < 20 << 20 {
            let line = match i % 9973 {
                0 => format!("{i} x509: certificate signed by unknown authority\n"),
                1 => format!("{i} aaaa NetworkNotReady aaa\n"),
                _ => format!("{i} nothing to see here, only filler text\n"),
            };
            data.extend_from_slice(line.as_bytes());
            i += 1;
        }
        let whole = |lits: &[&str]| {
            let mut v: Vec<u64> = lits
                .iter()
                .flat_map(|l| memchr::memmem::find_iter(&data, l.as_bytes()).map(|p| p as u64))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for lits in [
            &["x509: certificate", "NetworkNotReady"][..],
            &["aa"][..],
            &["filler text\n1"][..], // a line break in a literal: searched whole
        ] {
            let released = RefCell::new(Vec::new());
            let found = literal_positions(&data, &[0], &table(lits), &|from, len| {
                released.borrow_mut().push((from, len));
            })
            .unwrap();
            assert_eq!(found, whole(lits), "{lits:?}");
            assert!(!found.is_empty());
            let released = released.into_inner();
            if lits.iter().any(|l| l.contains('\n')) {
                assert!(released.is_empty());
            } else {
                // Windows in order, back to back, each ending after a line break.
                assert!(released.len() >= 2, "{released:?}");
                let mut at = 0;
                for (from, len) in released {
                    assert_eq!(from, at);
                    at = from + len;
                    assert_eq!(data[at as usize - 1], b'\n');
                }
            }
        }
        // A rule without literals: every record is a candidate.
        let mut t = table(&["x"]);
        t.of_rule = vec![vec![]];
        assert!(literal_positions(&data, &[0], &t, &|_, _| {}).is_none());
    }

    #[test]
    fn builtin_rules_parse_and_compile() {
        let rules = RuleSet::from_yaml(BUILTIN_RULES).unwrap_or_else(|e| panic!("{e}"));
        assert!(rules.len() >= 30, "{}", rules.len());
        assert_eq!(RuleSet::builtin().len(), rules.len());
        for r in rules.rules() {
            assert!(!r.explain.is_empty(), "{} has no explanation", r.id);
            assert!(!r.title.is_empty());
            assert!(r.line > 0);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn globs() {
        let cases = [
            (
                "openshift-*-operator",
                "openshift-kube-apiserver-operator",
                true,
            ),
            ("openshift-*-operator", "openshift-kube-apiserver", false),
            ("*", "", true),
            ("kubelet", "kubelet", true),
            ("kubelet", "kubelet2", false),
            (
                "*cert-regeneration-controller",
                "kube-apiserver-cert-regeneration-controller",
                true,
            ),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
        ];
        for (p, s, want) in cases {
            assert_eq!(glob(p, s), want, "{p} {s}");
        }
    }

    /// Real lines (formats.md, incident.md) and lines of the generated scenarios; every
    /// signature has hits and near misses. `None` means no built-in rule matches.
    #[test]
    #[allow(clippy::too_many_lines)]
    fn signatures_hits_and_near_misses() {
        use SourceKind::{
            ClusterOperator as Co, Event as Ev, Journal as J, Node as N, PodLog as P,
        };
        // (kind, unit / namespace / event reason / object name, container, text, expected rule)
        let cases: &[(SourceKind, &str, &str, &str, Option<&str>)] = &[
            // kubelet TLS toward the API (4.15 form from the okd scenario; bare pre-Go-1.20 form)
            (
                J,
                "kubelet",
                "",
                r#"E0209 08:13:52.927979    2709 kubelet_node_status.go:96] "Unable to register node with API server" err="Post \"https://api-int.okd4-prod.example-okd.net:6443/api/v1/nodes\": tls: failed to verify certificate: x509: certificate signed by unknown authority" node="ip-10-0-22-198.eu-central-1.compute.internal""#,
                Some("kubelet-api-tls-unknown-authority"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"W0209 08:13:52.928090    2709 reflector.go:539] k8s.io/client-go/informers/factory.go:159: failed to list *v1.Service: Get "https://api-int.okd4-prod.example-okd.net:6443/api/v1/services?limit=500&resourceVersion=0": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                Some("kubelet-api-tls-unknown-authority"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0629 05:29:43.583645    2413 kubelet_node_status.go:106] Unable to register node "bootstrap-e2e-minion-group-bxn4" with API server: Post https://35.192.63.12/api/v1/nodes: x509: certificate signed by unknown authority"#,
                Some("kubelet-api-tls-unknown-authority"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0408 20:08:50.339870 1 certificate_manager.go:562] kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Post "https://api-int.c.example:6443/apis/certificates.k8s.io/v1/certificatesigningrequests": x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kube-apiserver-lb-signer")"#,
                Some("kubelet-api-tls-unknown-authority"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0301 10:00:00.000000    2709 controller.go:146] "Failed to ensure lease exists, will retry" err="Get \"https://api-int.c.example:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n?timeout=10s\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-03-01T10:00:00Z is after 2024-02-29T09:00:00Z" interval="7s""#,
                Some("kubelet-api-tls-invalid-certificate"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0301 10:00:00.000000    2709 kubelet_node_status.go:96] "Unable to register node with API server" err="Post \"https://api-int.c.example:6443/api/v1/nodes\": tls: failed to verify certificate: x509: certificate is valid for api.c.example, not api-int.c.example""#,
                Some("kubelet-api-tls-invalid-certificate"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0301 10:00:00.000000    2709 server.go:310] "Unable to authenticate the request due to an error" err="verifying certificate SN=1 failed: x509: certificate has expired or is not yet valid""#,
                Some("kubelet-rejects-client-certificate"),
            ),
            // near misses: not TLS, not the kubelet, the sandbox form, the server side
            (
                J,
                "kubelet",
                "",
                r#"E0320 09:28:22.083316    2702 kubelet_node_status.go:96] "Unable to register node with API server" err="Post \"https://api-int.ci-ln-7kq2x4b.devcluster.example.com:6443/api/v1/nodes\": dial tcp 10.0.4.11:6443: connect: connection refused" node="ip-10-0-12-153.ec2.internal""#,
                None,
            ),
            (
                J,
                "crio",
                "",
                r#"time="2024-02-09 06:45:04.3Z" level=error msg="pinging container registry quay.io: Get \"https://quay.io/v2/\": x509: certificate signed by unknown authority""#,
                Some("x509-unknown-authority"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0621 12:14:55.916154    1508 server.go:299] "Unable to authenticate the request due to an error" err="verifying certificate SN=271132308545303815804978568557672067097, SKID=, AKID=1E:94 failed: x509: certificate signed by unknown authority""#,
                Some("kubelet-rejects-client-certificate"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0209 06:45:04.622061    2677 kuberuntime_manager.go:1172] "CreatePodSandbox for pod failed" err="rpc error: code = Unknown desc = failed to create pod network sandbox k8s_collect-profiles-28457685-8bc85_openshift-operator-lifecycle-manager_67f05a71_0(3ffe): error adding pod openshift-operator-lifecycle-manager_collect-profiles-28457685-8bc85 to CNI network \"multus-cni-network\": plugin type=\"multus-shim\" name=\"multus-cni-network\" failed (add): CmdAdd (shim): CNI request failed with status 400: '&{ContainerID:3ffe} ERRORED: error configuring pod [openshift-operator-lifecycle-manager/collect-profiles-28457685-8bc85] networking: Multus: [openshift-operator-lifecycle-manager/collect-profiles-28457685-8bc85/67f05a71]: error waiting for pod: Get \"https://api-int.okd4-prod.example-okd.net:6443/api/v1/namespaces/openshift-operator-lifecycle-manager/pods/collect-profiles-28457685-8bc85?timeout=1m0s\": tls: failed to verify certificate: x509: certificate signed by unknown authority\n'" pod="openshift-operator-lifecycle-manager/collect-profiles-28457685-8bc85""#,
                Some("kubelet-sandbox-failure-api-tls"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0209 06:45:04.622003    2677 remote_runtime.go:193] "RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to create pod network sandbox k8s_x: error adding pod x to CNI network \"multus-cni-network\": Multus: [a/b/c]: error waiting for pod: x509: certificate signed by unknown authority""#,
                Some("kubelet-sandbox-failure-detail"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0803 09:24:39.412089    1373 kuberuntime_manager.go:790] "CreatePodSandbox for pod failed" err="rpc error: code = Unknown desc = failed to create pod network sandbox k8s_revision-pruner-5-ip-10-0-187-218.ec2.internal_openshift-kube-controller-manager_ac7eb3fc-..._0(ca5a6b...): error adding pod openshift-kube-controller-manager_revision-pruner-5-ip-10-0-187-218.ec2.internal to CNI network \"multus-cni-network\": Multus: [openshift-kube-controller-manager/revision-pruner-5-ip-10-0-187-218.ec2.internal]: error setting the networks status, pod was already deleted: SetNetworkStatus: failed to query the pod ... in out of cluster comm: Get \"https://[api-int.ci-ln-5ylibmb-d5d6b.origin-ci-int-aws.dev.rhcloud.com]:6443/api/v1/namespaces/...?timeout=1m0s\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)" pod="openshift-kube-controller-manager/revision-pruner-5-ip-10-0-187-218.ec2.internal""#,
                Some("kubelet-sandbox-failure"),
            ),
            (
                // klog multi-line value (`err=<`): the error is on a continuation line
                J,
                "kubelet",
                "",
                "E0503 17:40:32.221354    5493 kuberuntime_manager.go:1172] \"CreatePodSandbox for pod failed\" err=<\n\t\trpc error: code = Unknown desc = failed to setup network for sandbox \"60a7\": Multus: [a/b]: error getting pod: x509: certificate signed by unknown authority\n > pod=\"a/b\"",
                Some("kubelet-sandbox-failure-api-tls"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"I0207 06:45:02.252141    2677 util.go:30] "No sandbox for pod can be found. Need to start a new one" pod="openshift-operator-lifecycle-manager/collect-profiles-28454805-ngrjm""#,
                None,
            ),
            // kubelet client credentials
            (
                J,
                "kubelet",
                "",
                r#"E0211 12:12:40.265448    3873 kubelet_node_status.go:95] "Unable to register node with API server" err="nodes is forbidden: User \"system:anonymous\" cannot create resource \"nodes\" in API group \"\" at the cluster scope" node="master-01.devqs.ars.de""#,
                Some("kubelet-api-unauthorized"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0913 14:50:20.141504    1528 reflector.go:138] k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.Service: failed to list *v1.Service: services is forbidden: User "system:anonymous" cannot list resource "services" in API group "" at the cluster scope"#,
                Some("kubelet-api-unauthorized"),
            ),
            (
                J,
                "kubelet",
                "",
                r"E0101 00:00:00.000000    1 reflector.go:138] failed to list *v1.Node: Unauthorized",
                Some("kubelet-api-unauthorized"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"I0101 00:00:00.000000    1 server.go:1] "Unauthorizedness is not a word""#,
                None,
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0209 03:05:55.000000    1 kubelet_node_status.go:527] "Unable to update node status" err="update node status exceeds retry count""#,
                Some("kubelet-node-status-retries-exceeded"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0209 03:05:55.000000    1 kubelet_node_status.go:540] "Error updating node status, will retry" err="failed to patch status: context deadline exceeded""#,
                None,
            ),
            // bootstrap noise
            (
                J,
                "kubelet",
                "",
                r#"E0803 09:17:48.107280    1354 kubelet.go:2223] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?""#,
                Some("bootstrap-cni-not-configured"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0803 09:18:08.344704    1354 pod_workers.go:190] "Error syncing pod, skipping" err="network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?" pod="openshift-multus/network-metrics-daemon-2ndw4""#,
                Some("bootstrap-cni-not-configured"),
            ),
            (
                J,
                "kubelet",
                "",
                r#"E0803 09:18:08.344704    1354 kubelet.go:2223] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized""#,
                None,
            ),
            (
                Ev,
                "NetworkNotReady",
                "",
                "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?",
                Some("bootstrap-cni-not-configured"),
            ),
            // Multus pod logs (thick daemon) and CRI-O journal (shim / thin plugin)
            (
                P,
                "openshift-multus",
                "kube-multus",
                r#"2024-02-09T05:47:11Z [error] failed to list pods with new certs: Get "https://api-int.okd4-prod.example-okd.net:6443/api/v1/pods?fieldSelector=spec.nodeName%3Dip-10-0-22-198.eu-central-1.compute.internal&limit=500&resourceVersion=0": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                Some("multus-api-tls-failure"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                r#"E0209 05:47:10.000257   11120 certificate_manager.go:562] kubernetes.io/kube-apiserver-client: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Post "https://api-int.okd4-prod.example-okd.net:6443/apis/certificates.k8s.io/v1/certificatesigningrequests": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                Some("multus-api-tls-failure"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                r#"2019-11-04T15:07:38Z [error] SetNetworkStatus: failed to query the pod test-l2fwd-1 in out of cluster comm: Get https://.../pods/test-l2fwd-1: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kube-ca")"#,
                Some("multus-api-tls-failure"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                "2019-11-04T15:07:38Z [error] SetNetworkStatus: failed to query the pod test-l2fwd-1 in out of cluster comm: Get https://10.0.0.1/pods/test-l2fwd-1: net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
                Some("multus-set-network-status-failed"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                "2024-02-09T06:45:04Z [error] Multus: [ns/pod/uid]: error waiting for pod: Unauthorized",
                Some("multus-api-unauthorized"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                "2024-02-09T06:45:04Z [error] Multus: [ns/pod/uid]: have you checked that your default network is ready? still waiting for readinessindicatorfile @ /host/run/multus/cni/net.d/10-ovn-kubernetes.conf. pollimmediate error: timed out waiting for the condition",
                Some("multus-readiness-indicator-wait"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                "2024-02-09T06:45:04Z [error] Multus: [ns/pod/uid]: error waiting for pod: context deadline exceeded",
                Some("multus-thin-error"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                r#"2024-02-09T06:45:04Z [verbose] ADD finished CNI request ContainerID:"3ffe" Netns:"/var/run/netns/387a" IfName:"eth0" Args:"IgnoreUnknown=1;K8S_POD_NAMESPACE=a;K8S_POD_NAME=b" Path:"", result: "", err: error configuring pod [a/b] networking: Multus: [a/b/c]: error waiting for pod: Get "https://api-int.x:6443/api/v1/namespaces/a/pods/b?timeout=1m0s": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                Some("multus-cni-request-result"),
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                "2021-08-03T09:20:50+00:00 Config file created @ /host/etc/cni/net.d/00-multus.conf",
                None,
            ),
            (
                P,
                "openshift-multus",
                "kube-multus",
                r#"2024-02-09T06:45:04Z [verbose] ADD finished CNI request ContainerID:"3ffe" Netns:"/var/run/netns/387a" IfName:"eth0" Args:"IgnoreUnknown=1;K8S_POD_NAMESPACE=a;K8S_POD_NAME=b""#,
                None,
            ),
            (
                J,
                "crio",
                "",
                r#"2024-02-09T06:45:04Z [error] CmdAdd (shim): CNI request failed with status 400: '&{ContainerID:3ffe Netns:/var/run/netns/387a IfName:eth0 Args:IgnoreUnknown=1;K8S_POD_NAMESPACE=openshift-operator-lifecycle-manager;K8S_POD_NAME=collect-profiles-28457685-8bc85;K8S_POD_INFRA_CONTAINER_ID=3ffe;K8S_POD_UID=67f0 Path: StdinData:[123 34]} ERRORED: error configuring pod [openshift-operator-lifecycle-manager/collect-profiles-28457685-8bc85] networking: Multus: [openshift-operator-lifecycle-manager/collect-profiles-28457685-8bc85/67f0]: error waiting for pod: Get "https://api-int.okd4-prod.example-okd.net:6443/api/v1/namespaces/x/pods/y?timeout=1m0s": tls: failed to verify certificate: x509: certificate signed by unknown authority'"#,
                Some("multus-shim-api-tls-failure"),
            ),
            (
                J,
                "crio",
                "",
                r"2024-02-09T06:45:04Z [error] CmdAdd (shim): CNI request failed with status 400: '&{ContainerID:3ffe} ERRORED: error configuring pod [a/b] networking: Multus: [a/b/c]: error waiting for pod: context deadline exceeded'",
                Some("multus-shim-request-failed"),
            ),
            (
                J,
                "crio",
                "",
                r#"time="2024-02-09 06:45:04.310957761Z" level=info msg="Deleting pod openshift-operator-lifecycle-manager_collect-profiles-28457685-8bc85 from CNI network \"multus-cni-network\" (type=multus-shim)""#,
                None,
            ),
            (
                J,
                "crio",
                "",
                r#"2019-05-03T15:07:25Z [error] Multus: [ns/pod]: error adding container to network "ovn-kubernetes": CNI request failed with status 400: 'failed to get pod annotation: timed out waiting for annotations'"#,
                Some("multus-thin-error"),
            ),
            (
                J,
                "crio",
                "",
                "2021-08-03T09:20:20Z [error] Multus: failed to get the cached delegates file: open /var/lib/cni/multus/af6a: no such file or directory, cannot properly delete",
                None,
            ),
            (
                J,
                "crio",
                "",
                r#"time="2019-05-03 15:07:24.792459494Z" level=error msg="Error deleting network: Multus: error in invoke Delegate del - \"openshift-sdn\": failed to send CNI request: Post http://dummy/: dial unix /var/run/openshift-sdn/cniserver/socket: connect: no such file or directory""#,
                Some("sdn-cni-server-unavailable"),
            ),
            (
                J,
                "crio",
                "",
                r#"time="2024-01-01 00:00:00Z" level=error msg="failed to get pod annotation: timed out waiting for annotations: context deadline exceeded""#,
                Some("ovn-pod-annotation-timeout"),
            ),
            (
                J,
                "crio",
                "",
                r#"time="2024-01-01 00:00:00Z" level=info msg="waiting for annotations on pod a/b""#,
                None,
            ),
            // events: sandboxes and nodes
            (
                Ev,
                "FailedCreatePodSandBox",
                "",
                "(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_x: error adding pod x to CNI network \"multus-cni-network\": plugin type=\"multus-shim\" name=\"multus-cni-network\" failed (add): CmdAdd (shim): CNI request failed with status 400: '&{...} ERRORED: error configuring pod [a/b] networking: Multus: [a/b/c]: error waiting for pod: Get \"https://api-int.x:6443/api/v1/namespaces/a/pods/b?timeout=1m0s\": tls: failed to verify certificate: x509: certificate signed by unknown authority\n'",
                Some("event-sandbox-failure-api-tls"),
            ),
            (
                Ev,
                "FailedCreatePodSandBox",
                "",
                "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"60a7cbd9\": Multus: [drone/drone-5c955bf8fd-lg5gg]: error getting pod: Get https://[10.53.0.1]:443/api/v1/namespaces/drone/pods/drone-5c955bf8fd-lg5gg?timeout=1m0s: x509: certificate signed by unknown authority",
                Some("event-sandbox-failure-api-tls"),
            ),
            (
                Ev,
                "FailedCreatePodSandBox",
                "",
                "(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_nova-gui-mr-496-was9-69559f9677-w...",
                Some("event-sandbox-failure"),
            ),
            (
                Ev,
                "FailedMount",
                "",
                "MountVolume.SetUp failed for volume \"webhook-certs\" : secret \"multus-admission-controller-secret\" not found",
                None,
            ),
            (
                Ev,
                "NodeNotReady",
                "",
                "Node ip-10-0-42-69.eu-central-1.compute.internal status is now: NodeNotReady",
                Some("event-node-not-ready"),
            ),
            (
                Ev,
                "NodeNotReady",
                "",
                "Node is not ready",
                Some("event-node-not-ready"),
            ),
            (
                Ev,
                "NodeReady",
                "",
                "Node ip-10-0-42-69.eu-central-1.compute.internal status is now: NodeReady",
                None,
            ),
            (
                Ev,
                "OperatorStatusChanged",
                "",
                r#"Status for clusteroperator/kube-apiserver changed: Degraded message changed from "NodeControllerDegraded: All master nodes are ready" to "NodeControllerDegraded: The master nodes not ready: node \"ip-10-0-42-69.eu-central-1.compute.internal\" not ready since 2024-02-10 03:05:48 +0000 UTC because NodeStatusUnknown (Kubelet stopped posting node status.)""#,
                Some("node-status-unknown-reported"),
            ),
            (
                Ev,
                "OperatorStatusChanged",
                "",
                r#"Status for clusteroperator/kube-apiserver changed: Degraded message changed from "NodeControllerDegraded: All master nodes are ready" to "NodeControllerDegraded: The master nodes not ready: node \"m-0\" not ready since 2024-03-20 09:20:00 +0000 UTC because KubeletNotReady (container runtime network not ready)""#,
                None,
            ),
            (
                Ev,
                "OperatorStatusChanged",
                "",
                "Status for clusteroperator/network changed: Degraded changed from False to True (\"RolloutHung: DaemonSet is not making progress\")",
                Some("network-operator-degraded-event"),
            ),
            (
                Ev,
                "OperatorStatusChanged",
                "",
                "Status for clusteroperator/network changed: Degraded changed from True to False",
                None,
            ),
            // Node conditions and ClusterOperators
            (
                N,
                "ip-10-0-42-69.eu-central-1.compute.internal",
                "",
                "Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.",
                Some("node-status-unknown"),
            ),
            (
                N,
                "ip-10-0-42-69.eu-central-1.compute.internal",
                "",
                "Ready=False KubeletNotReady: container runtime network not ready",
                Some("node-not-ready"),
            ),
            (
                N,
                "ip-10-0-42-69.eu-central-1.compute.internal",
                "",
                "Ready=True KubeletReady: kubelet is posting ready status",
                None,
            ),
            (
                N,
                "ip-10-0-42-69.eu-central-1.compute.internal",
                "",
                "MemoryPressure=Unknown NodeStatusUnknown: Kubelet stopped posting node status.",
                None,
            ),
            (
                Co,
                "network",
                "",
                "Degraded=True RolloutHung: DaemonSet \"/openshift-multus/multus\" rollout is not making progress - last change 2024-02-09T08:13:06Z",
                Some("network-operator-degraded"),
            ),
            (Co, "network", "", "Degraded=False", None),
            (
                Co,
                "kube-apiserver",
                "",
                "Degraded=True NodeController_MasterNodesReady: NodeControllerDegraded: The master nodes not ready: node \"ip-10-0-42-69.eu-central-1.compute.internal\" not ready since 2024-02-10 03:05:48 +0000 UTC because NodeStatusUnknown (Kubelet stopped posting node status.)",
                Some("node-status-unknown-reported"),
            ),
            (
                Co,
                "authentication",
                "",
                "Degraded=True OAuthServerRouteEndpointAccessibleController_SyncError: route not ready",
                Some("clusteroperator-degraded"),
            ),
            (
                Co,
                "authentication",
                "",
                "Available=False OAuthServerDeployment_NoPod: no oauth-openshift pods available on any node.",
                Some("clusteroperator-unavailable"),
            ),
            (
                Co,
                "authentication",
                "",
                "Available=True AsExpected: All is well",
                None,
            ),
            // signer rotation: events and their klog Event(...) lines
            (
                Ev,
                "SignerUpdateRequired",
                "",
                r#""loadbalancer-serving-signer" in "openshift-kube-apiserver-operator" requires a new signing cert/key pair: missing notAfter"#,
                Some("signer-update-required"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                r#"I0131 14:37:11.940200       1 event.go:298] Event(v1.ObjectReference{Kind:"Deployment", Namespace:"openshift-kube-apiserver-operator", Name:"kube-apiserver-operator", UID:"59a4", APIVersion:"apps/v1", ResourceVersion:"", FieldPath:""}): type: 'Normal' reason: 'SignerUpdateRequired' "loadbalancer-serving-signer" in "openshift-kube-apiserver-operator" requires a new signing cert/key pair: missing notAfter"#,
                Some("signer-update-required"),
            ),
            (
                P,
                "openshift-kube-apiserver",
                "kube-apiserver-cert-regeneration-controller",
                r#"I0131 14:37:11.940200       1 event.go:298] Event(v1.ObjectReference{Kind:"Namespace", Name:"openshift-kube-apiserver"}): type: 'Normal' reason: 'SignerUpdateRequired' "loadbalancer-serving-signer" in "openshift-kube-apiserver-operator" requires a new signing cert/key pair: missing notAfter"#,
                Some("signer-update-required"),
            ),
            (
                P,
                "openshift-kube-apiserver",
                "kube-apiserver",
                r#"I0131 14:37:11.940200       1 event.go:298] "loadbalancer-serving-signer" in "openshift-kube-apiserver-operator" requires a new signing cert/key pair: missing notAfter"#,
                None,
            ),
            (
                Ev,
                "SecretDeleted",
                "",
                "Deleted Secret/loadbalancer-serving-signer -n openshift-kube-apiserver-operator",
                Some("signer-secret-deleted"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                r#"I0131 14:37:11.880200       1 event.go:298] Event(v1.ObjectReference{Kind:"Deployment"}): type: 'Normal' reason: 'SecretDeleted' Deleted Secret/loadbalancer-serving-signer -n openshift-kube-apiserver-operator"#,
                Some("signer-secret-deleted"),
            ),
            (
                Ev,
                "SecretDeleted",
                "",
                "Deleted Secret/kubelet-client -n openshift-kube-apiserver",
                None,
            ),
            (
                Ev,
                "SecretCreated",
                "",
                "Created Secret/loadbalancer-serving-signer -n openshift-kube-apiserver-operator because it was missing",
                Some("signer-secret-created"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                r#"I0320 09:17:44.000200       1 event.go:298] Event(v1.ObjectReference{Kind:"Deployment"}): type: 'Normal' reason: 'SecretCreated' Created Secret/localhost-recovery-serving-signer -n openshift-kube-apiserver-operator because it was missing"#,
                Some("signer-secret-created"),
            ),
            (
                Ev,
                "SecretCreated",
                "",
                "Created Secret/aggregator-client -n openshift-kube-apiserver because it was missing",
                None,
            ),
            (
                Ev,
                "CABundleUpdateRequired",
                "",
                r#""kube-control-plane-signer-ca" in "openshift-kube-apiserver-operator" requires a new cert"#,
                Some("ca-bundle-update-required"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                r#"I0131 14:37:12.400200       1 event.go:298] Event(v1.ObjectReference{Kind:"Deployment"}): type: 'Normal' reason: 'CABundleUpdateRequired' "loadbalancer-serving-ca" in "openshift-kube-apiserver-operator" requires a new cert"#,
                Some("ca-bundle-update-required"),
            ),
            (
                Ev,
                "TargetUpdateRequired",
                "",
                r#""kubelet-client" in "openshift-kube-apiserver" requires a new target cert/key pair: missing notAfter"#,
                Some("target-update-required"),
            ),
            (
                Ev,
                "ConfigMapUpdated",
                "",
                "Updated ConfigMap/loadbalancer-serving-ca -n openshift-kube-apiserver-operator: cause by changes in data.ca-bundle.crt",
                None,
            ),
            (
                Ev,
                "RotationError",
                "",
                "secrets \"x\" already exists",
                Some("cert-rotation-error"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                r#"I0913 14:52:00.000000       1 event.go:282] Event(v1.ObjectReference{Kind:"Deployment"}): type: 'Warning' reason: 'RotationError' secrets "x" already exists"#,
                Some("cert-rotation-error-logged"),
            ),
            (
                P,
                "openshift-kube-apiserver-operator",
                "kube-apiserver-operator",
                "E0913 14:52:00.000000       1 base_controller.go:272] RotationError: retrying",
                None,
            ),
            // OVN-Kubernetes / openshift-sdn
            (
                P,
                "openshift-ovn-kubernetes",
                "ovnkube-controller",
                r#"E0209 16:51:43.000156    3289 certificate_manager.go:562] kubernetes.io/kube-apiserver-client: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Post "https://api-int.okd4-prod.example-okd.net:6443/apis/certificates.k8s.io/v1/certificatesigningrequests": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                Some("ovnkube-api-tls-failure"),
            ),
            (
                P,
                "openshift-sdn",
                "sdn",
                r#"E0803 09:18:29.911358    2427 reflector.go:138] k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.Node: failed to list *v1.Node: Get "https://api-int.x:6443/api/v1/nodes": dial tcp 10.0.0.1:6443: connect: connection refused"#,
                Some("ovnkube-api-unreachable"),
            ),
            (
                P,
                "openshift-sdn",
                "sdn",
                "W0803 09:18:29.911358    2427 subnets.go:160] Could not find an allocated subnet for node: ip-10-0-195-177.ec2.internal, Waiting...",
                None,
            ),
            (
                P,
                "openshift-ovn-kubernetes",
                "ovnkube-controller",
                "I0823 20:11:12.840320      32 obj_retry.go:498] Creating *v1.Pod steve/virt-launcher-vm-server-m2jmd took: 800ns",
                None,
            ),
            // kube-apiserver
            (
                P,
                "openshift-kube-apiserver",
                "kube-apiserver",
                "I0510 17:43:56.892900  790992 log.go:172] http: TLS handshake error from 10.13.96.11:36528: remote error: tls: bad certificate",
                Some("apiserver-client-rejected-certificate"),
            ),
            (
                P,
                "openshift-kube-apiserver",
                "kube-apiserver",
                "I0207 05:46:22.500278    2677 log.go:194] http: TLS handshake error from 10.0.25.182:51947: EOF",
                None,
            ),
            (
                P,
                "openshift-kube-apiserver",
                "kube-apiserver",
                r#"E0913 15:14:00.044709      20 dispatcher.go:130] failed calling webhook "prometheusrules.openshift.io": Post "https://prometheus-operator.openshift-monitoring.svc:8080/admission-prometheusrules/validate?timeout=5s": x509: certificate signed by unknown authority"#,
                Some("x509-unknown-authority"),
            ),
        ];
        let rules = RuleSet::builtin();
        for (kind, sel, container, text, want) in cases {
            let got = first_rule(&rules, *kind, sel, container, text.as_bytes());
            assert_eq!(got.as_deref(), *want, "{kind:?} {sel} {text}");
        }
        // Every built-in signature is exercised by at least one hit above.
        for r in rules.rules() {
            assert!(
                cases.iter().any(|c| c.4 == Some(r.id.as_str())),
                "no test hit for {}",
                r.id
            );
        }
    }

    /// Near misses per signature: text (or a source) that looks like the signature but must
    /// not be matched by that rule.
    #[test]
    fn every_signature_has_near_misses() {
        use SourceKind::{
            ClusterOperator as Co, Event as Ev, Journal as J, Node as N, PodLog as P,
        };
        #[rustfmt::skip]
        let cases: &[(&str, SourceKind, &str, &str, &str)] = &[
            ("kubelet-api-tls-unknown-authority", J, "kubelet", "", r#""Unable to register node with API server" err="Post \"https://api-int.c:6443/api/v1/nodes\": dial tcp 10.0.4.11:6443: connect: connection refused""#),
            ("kubelet-api-tls-unknown-authority", J, "kubelet", "", r#""CreatePodSandbox for pod failed" err="... Multus: [a/b]: error getting pod: x509: certificate signed by unknown authority""#),
            ("kubelet-api-tls-unknown-authority", J, "crio", "", r#"level=error msg="Get \"https://api-int.c:6443\": x509: certificate signed by unknown authority""#),
            ("kubelet-api-tls-invalid-certificate", J, "kubelet", "", r#"err="Get \"https://api-int.c:6443\": tls: failed to verify certificate: x509: certificate signed by unknown authority""#),
            ("kubelet-rejects-client-certificate", J, "kubelet", "", r#""Unable to authenticate the request due to an error" err="[invalid bearer token, token lookup failed]""#),
            ("kubelet-api-unauthorized", J, "kubelet", "", r#""Error syncing pod" err="Multus: [a/b]: error getting pod: Unauthorized""#),
            ("kubelet-api-unauthorized", J, "kubelet", "", "I0101 server.go:1] \"Unauthorizedness is not a word\""),
            ("kubelet-node-status-retries-exceeded", J, "kubelet", "", r#""Error updating node status, will retry" err="error getting node""#),
            ("kubelet-sandbox-failure-api-tls", J, "kubelet", "", r#""CreatePodSandbox for pod failed" err="... SetNetworkStatus: failed to query the pod ...: net/http: request canceled (Client.Timeout exceeded while awaiting headers)""#),
            ("kubelet-sandbox-failure", J, "kubelet", "", r#""No sandbox for pod can be found. Need to start a new one" pod="a/b""#),
            ("kubelet-sandbox-failure-detail", J, "kubelet", "", r#""SyncLoop (PLEG): event for pod" pod="a/b" event={"Type":"ContainerStarted"}"#),
            ("bootstrap-cni-not-configured", J, "kubelet", "", r#""Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized""#),
            ("multus-cni-request-result", P, "openshift-multus", "kube-multus", r#"2024-03-20T09:30:26Z [verbose] ADD finished CNI request ContainerID:"3ffe" Netns:"/var/run/netns/x" IfName:"eth0" Args:"K8S_POD_NAME=b" Path:"", result: "{\"Result\":{\"interfaces\":[]}}", err: <nil>"#),
            ("multus-api-tls-failure", P, "openshift-multus", "kube-multus", r#"2024-02-09T05:47:11Z [error] failed to list pods with new certs: Get "https://api-int.c:6443/api/v1/pods": dial tcp 10.0.4.11:6443: connect: connection refused"#),
            ("multus-api-tls-failure", P, "openshift-ovn-kubernetes", "ovnkube-controller", "x509: certificate signed by unknown authority"),
            ("multus-shim-api-tls-failure", J, "crio", "", r#"level=error msg="pinging container registry quay.io: Get \"https://quay.io/v2/\": x509: certificate signed by unknown authority""#),
            ("multus-api-unauthorized", J, "crio", "", r#"level=error msg="Error reading manifest: unauthorized: access to the requested resource is not authorized""#),
            ("multus-readiness-indicator-wait", P, "openshift-multus", "kube-multus", r#"2024-03-20T09:20:50Z [verbose] multus config: {"readinessindicatorfile":"/host/run/multus/cni/net.d/10-ovn-kubernetes.conf"}"#),
            ("multus-set-network-status-failed", P, "openshift-multus", "kube-multus", "2024-03-20T09:30:26Z [verbose] SetNetworkStatus: updated the network status of pod a/b"),
            ("multus-shim-request-failed", J, "crio", "", r#"level=info msg="Adding pod a_b to CNI network \"multus-cni-network\" (type=multus-shim)""#),
            ("multus-thin-error", J, "crio", "", "2021-08-03T09:20:20Z [error] Multus: failed to get the cached delegates file: open /var/lib/cni/multus/af6a: no such file or directory, cannot properly delete"),
            ("event-sandbox-failure-api-tls", Ev, "FailedCreatePodSandBox", "", "(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_nova-gui-mr-496-was9-69559f9677-w..."),
            ("event-sandbox-failure", Ev, "FailedMount", "", "MountVolume.SetUp failed for volume \"webhook-certs\" : secret \"multus-admission-controller-secret\" not found"),
            ("event-node-not-ready", Ev, "NodeReady", "", "Node m-0 status is now: NodeReady"),
            ("node-status-unknown", N, "m-0", "", "MemoryPressure=Unknown NodeStatusUnknown: Kubelet stopped posting node status."),
            ("node-not-ready", N, "m-0", "", "Ready=True KubeletReady: kubelet is posting ready status"),
            ("node-status-unknown-reported", Ev, "OperatorStatusChanged", "", r#"NodeControllerDegraded: The master nodes not ready: node \"m-0\" not ready since 2024-03-20 09:20:00 +0000 UTC because KubeletNotReady"#),
            ("network-operator-degraded", Co, "network", "", "Degraded=False"),
            ("network-operator-degraded", Co, "dns", "", "Degraded=True DNSDegraded: not all pods ready"),
            ("network-operator-degraded-event", Ev, "OperatorStatusChanged", "", "Status for clusteroperator/network changed: Degraded changed from True to False"),
            ("clusteroperator-degraded", Co, "dns", "", "Degraded=False AsExpected"),
            ("clusteroperator-unavailable", Co, "dns", "", "Available=True AsExpected"),
            ("signer-update-required", Ev, "TargetUpdateRequired", "", r#""kubelet-client" in "openshift-kube-apiserver" requires a new target cert/key pair: missing notAfter"#),
            ("signer-secret-deleted", Ev, "SecretDeleted", "", "Deleted Secret/kubelet-client -n openshift-kube-apiserver"),
            ("signer-secret-created", Ev, "SecretCreated", "", "Created Secret/aggregator-client -n openshift-kube-apiserver because it was missing"),
            ("ca-bundle-update-required", Ev, "CABundleUpdateRequired", "", r#""x" in "y" requires a new cert/key pair"#),
            ("target-update-required", Ev, "SignerUpdateRequired", "", r#""loadbalancer-serving-signer" in "openshift-kube-apiserver-operator" requires a new signing cert/key pair: missing notAfter"#),
            ("cert-rotation-error", Ev, "SecretCreateFailed", "", "Failed to create Secret/loadbalancer-serving-signer: already exists"),
            ("cert-rotation-error-logged", P, "openshift-kube-apiserver-operator", "kube-apiserver-operator", "E0913 14:52:00.000000 1 base_controller.go:272] RotationError: retrying"),
            ("ovnkube-api-tls-failure", P, "openshift-ovn-kubernetes", "ovnkube-controller", r#"E0209 reflector.go:147] failed to list *v1.Pod: Get "https://api-int.c:6443/api/v1/pods": dial tcp 10.0.4.11:6443: connect: connection refused"#),
            ("ovnkube-api-unreachable", P, "openshift-sdn", "sdn", "W0803 subnets.go:160] Could not find an allocated subnet for node: ip-10-0-195-177.ec2.internal, Waiting..."),
            ("ovn-pod-annotation-timeout", J, "crio", "", r#"level=info msg="waiting for annotations on pod a/b""#),
            ("sdn-cni-server-unavailable", J, "crio", "", r#"level=error msg="failed to send CNI request: Post http://dummy/: dial unix /var/run/openshift-sdn/cniserver/socket: connect: connection refused""#),
            ("apiserver-client-rejected-certificate", P, "openshift-kube-apiserver", "kube-apiserver", "I0207 log.go:194] http: TLS handshake error from 10.0.25.182:51947: EOF"),
            ("x509-unknown-authority", P, "openshift-kube-apiserver", "kube-apiserver", r#"failed calling webhook "x": Post "https://svc:8080": x509: certificate has expired or is not yet valid"#),
        ];
        let rules = RuleSet::builtin();
        for (id, kind, sel, container, text) in cases {
            let rule = rules.get(id).unwrap_or_else(|| panic!("unknown rule {id}"));
            assert!(
                !applies_and_matches(rule, *kind, sel, container, text.as_bytes()),
                "{id} must not match {kind:?} {sel}: {text}"
            );
        }
        for r in rules.rules() {
            assert!(
                cases.iter().any(|c| c.0 == r.id),
                "no near miss for {}",
                r.id
            );
        }
    }

    fn applies_and_matches(
        rule: &Rule,
        kind: SourceKind,
        sel: &str,
        container: &str,
        text: &[u8],
    ) -> bool {
        rule.sources.iter().any(|s| {
            s.kind == kind
                && match kind {
                    SourceKind::Journal => opt_glob(s.unit.as_deref(), sel),
                    SourceKind::PodLog => {
                        opt_glob(s.namespace.as_deref(), sel)
                            && opt_glob(s.container.as_deref(), container)
                    }
                    SourceKind::Event => opt_glob(s.reason.as_deref(), sel),
                    SourceKind::Node | SourceKind::ClusterOperator => {
                        opt_glob(s.name.as_deref(), sel)
                    }
                }
        }) && rule.matches(text)
    }

    /// The first rule matching `text` as if it came from the given source.
    fn first_rule(
        rules: &RuleSet,
        kind: SourceKind,
        sel: &str,
        container: &str,
        text: &[u8],
    ) -> Option<String> {
        rules
            .rules()
            .iter()
            .find(|r| applies_and_matches(r, kind, sel, container, text))
            .map(|r| r.id.clone())
    }

    #[test]
    fn hints_from_x509_lines() {
        let h = text_hints(br#""Error updating node status, will retry" err="error getting node \"n\": Get \"https://api-int.c.example.com:6443/api/v1/nodes/n?resourceVersion=0&timeout=10s\": tls: failed to verify certificate: x509: certificate signed by unknown authority""#);
        assert!(h.tls_prefix);
        assert!(h.api_int);
        assert_eq!(h.endpoint.as_deref(), Some("api-int.c.example.com:6443"));
        assert_eq!(h.candidate_authority, None);

        let h = text_hints(br#"Get https://api.okd.test1.com:6443/version?timeout=32s: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kube-apiserver-lb-signer")"#);
        assert!(!h.tls_prefix);
        assert!(!h.api_int);
        assert_eq!(h.endpoint.as_deref(), Some("api.okd.test1.com:6443"));
        assert_eq!(
            h.candidate_authority.as_deref(),
            Some("kube-apiserver-lb-signer")
        );

        // klog-escaped quotes around the CN
        let h = text_hints(br#"err="Get \"https://[api-int.x.y]:6443/api\": x509: certificate signed by unknown authority (possibly because of \"crypto/rsa: verification error\" while trying to verify candidate authority certificate \"kube-ca\")""#);
        assert_eq!(h.candidate_authority.as_deref(), Some("kube-ca"));
        assert_eq!(h.endpoint.as_deref(), Some("api-int.x.y:6443"));
        assert!(h.api_int);

        // pods
        assert_eq!(
            pod_of(br#""CreatePodSandbox for pod failed" err="x" pod="ns1/p1""#).as_deref(),
            Some("ns1/p1")
        );
        assert_eq!(
            pod_of(b"Multus: [ns2/p2/uid]: error waiting for pod").as_deref(),
            Some("ns2/p2")
        );
        assert_eq!(
            pod_of(b"Args:IgnoreUnknown=1;K8S_POD_NAMESPACE=ns3;K8S_POD_NAME=p3;K8S_POD_UID=u")
                .as_deref(),
            Some("ns3/p3")
        );
        assert_eq!(pod_of(b"nothing here"), None);
    }

    #[test]
    fn rule_errors_name_the_rule_and_line() {
        let bad_regex = "rules:\n  - id: ok\n    source: {kind: journal}\n    severity: info\n  - id: broken\n    source: {kind: journal}\n    pattern: 'x509: ('\n    severity: warning\n";
        match RuleSet::from_yaml(bad_regex) {
            Err(RuleError::Invalid { id, line, message }) => {
                assert_eq!(id, "broken");
                assert_eq!(line, 5);
                assert!(message.contains("pattern"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let bad_field =
            "rules:\n  - id: r\n    source: {kind: journal, reason: X}\n    severity: info\n";
        let e = RuleSet::from_yaml(bad_field).unwrap_err().to_string();
        assert!(e.contains("\"r\"") && e.contains("reason"), "{e}");
        let dup = "rules:\n  - id: a\n    source: {kind: event}\n    severity: info\n  - id: a\n    source: {kind: event}\n    severity: info\n";
        let e = RuleSet::from_yaml(dup).unwrap_err().to_string();
        assert!(e.contains("duplicate") && e.contains("line 5"), "{e}");
        let bad_severity = "rules:\n  - id: a\n    source: {kind: event}\n    severity: fatal\n";
        let e = RuleSet::from_yaml(bad_severity).unwrap_err().to_string();
        assert!(e.contains("fatal"), "{e}");
        let bad_kind = "rules:\n  - id: a\n    source: [{kind: syslog}]\n    severity: info\n";
        let e = RuleSet::from_yaml(bad_kind).unwrap_err().to_string();
        assert!(e.contains("syslog"), "{e}");
        let typo = "rules:\n  - id: a\n    source: {kind: event}\n    severty: info\n";
        assert!(RuleSet::from_yaml(typo).is_err());
        assert!(RuleSet::from_yaml("").unwrap().is_empty());
        assert!(RuleSet::from_yaml("rules: []").unwrap().is_empty());
    }

    #[test]
    fn extend_gives_user_rules_precedence() {
        let mut rules = RuleSet::builtin();
        let n = rules.len();
        let user = RuleSet::from_yaml(
            "rules:\n  - id: my-webhook\n    source: {kind: pod-log}\n    any: ['failed calling webhook']\n    pattern: 'failed calling webhook'\n    severity: critical\n    explain: ours\n  - id: x509-unknown-authority\n    source: {kind: journal}\n    pattern: 'never'\n    severity: info\n",
        )
        .unwrap();
        rules.extend(user);
        assert_eq!(rules.len(), n + 1);
        assert_eq!(rules.rules()[0].id, "my-webhook");
        assert_eq!(
            rules.get("x509-unknown-authority").unwrap().pattern,
            "never"
        );
        let got = first_rule(
            &rules,
            SourceKind::PodLog,
            "openshift-kube-apiserver",
            "kube-apiserver",
            br#"failed calling webhook "x": x509: certificate signed by unknown authority"#,
        );
        assert_eq!(got.as_deref(), Some("my-webhook"));
    }

    #[test]
    fn inner_time_is_preferred_only_when_it_agrees() {
        let ts = |s: &str| s.parse::<Timestamp>().unwrap();
        let rec = |at: Option<&str>, inner: Option<&str>| LogRecord {
            line: 1,
            end_line: 1,
            start: 0,
            end: 0,
            at: at.map(ts),
            inner_at: inner.map(ts),
            level: None,
            host: None,
            ident: None,
            pid: None,
            msg_start: 0,
            year_inferred: false,
        };
        // sosreport journal (seconds) + klog (microseconds): klog wins
        let r = rec(
            Some("2024-02-09T08:13:52Z"),
            Some("2024-02-09T08:13:52.927979Z"),
        );
        assert_eq!(record_time(&r), Some(ts("2024-02-09T08:13:52.927979Z")));
        // oc prefix (ns) + Multus (seconds): the finer prefix wins
        let r = rec(
            Some("2024-02-09T06:45:04.280246788Z"),
            Some("2024-02-09T06:45:04Z"),
        );
        assert_eq!(record_time(&r), Some(ts("2024-02-09T06:45:04.280246788Z")));
        // klog clock hours away from the transport time: transport wins
        let r = rec(
            Some("2024-02-09T08:14:14.000794073Z"),
            Some("2024-02-09T05:54:22.000316Z"),
        );
        assert_eq!(record_time(&r), Some(ts("2024-02-09T08:14:14.000794073Z")));
        assert_eq!(
            record_time(&rec(None, Some("2024-02-09T05:54:22Z"))),
            Some(ts("2024-02-09T05:54:22Z"))
        );
        assert_eq!(record_time(&rec(None, None)), None);
    }

    #[test]
    fn clip_folds_and_cuts() {
        assert_eq!(clip(b"  a\nb  ", 10), "a b");
        assert_eq!(clip("é".repeat(600).as_bytes(), 500).chars().count(), 501);
        assert_eq!(clip(b"\xff\xfeok", 10), "\u{fffd}\u{fffd}ok");
    }
}
