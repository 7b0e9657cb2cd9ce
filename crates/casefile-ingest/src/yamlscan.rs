//! The shallow scanner: finds Kubernetes objects in `oc`-written YAML at memory speed.
//!
//! `oc` writes block-style YAML with two-space indentation, sorted keys, and Lists whose
//! items start with `- ` in column 0 under a column-0 `items:` key (with `kind: XList` at
//! the end). The scanner records each object's byte range, first line, and the few fields
//! the index needs (`apiVersion`, `kind`, `metadata.{name,namespace,uid,creationTimestamp}`).
//! Anything outside that subset (tabs, flow collections, anchors, tags or block scalars where
//! those fields are) makes it give up so the caller can use a real YAML parser.

use memchr::memchr;

/// An object found by the scanner (fields are raw scalars, already unquoted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShallowObject {
    /// `apiVersion`.
    pub api_version: Option<String>,
    /// `kind`.
    pub kind: Option<String>,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
    /// `metadata.uid`.
    pub uid: Option<String>,
    /// `metadata.creationTimestamp` as written.
    pub created: Option<String>,
    /// Byte range of the object's text (for List items: from the `- ` line).
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// 1-based line of the first line.
    pub line: u32,
    /// Whether it is an item of a `kind: *List`.
    pub in_list: bool,
    /// Set when the byte range is the whole file (a real parser found the object):
    /// the document index and, for List items, the item index.
    pub fallback: Option<(u32, Option<u32>)>,
}

/// Why the scanner gave up on a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

#[derive(Default)]
struct Doc {
    obj: ShallowObject,
    items: Vec<ShallowObject>,
    in_items: bool,
}

/// Which key at the object's base indent we are under.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Under {
    Metadata,
    Other,
}

/// Scans YAML text; returns the objects found or why the shallow subset does not apply.
pub fn scan(data: &[u8]) -> Result<Vec<ShallowObject>, Unsupported> {
    let mut out = Vec::new();
    let mut doc = Doc::default();
    let mut doc_start = 0usize;
    let mut doc_line = 1u32;
    let mut item: Option<(ShallowObject, Under)> = None;
    let mut top_under = Under::Other;
    let mut pos = 0usize;
    let mut line_no = 0u32;
    let mut doc_has_content = false;
    // Indent of the key whose block scalar (`key: |`) is being read: deeper lines are text.
    let mut block_owner: Option<usize> = None;
    // The quote character of a quoted scalar still open at the end of the previous line.
    let mut open_quote: Option<u8> = None;
    // Indent of the key of an identity field just read with a plain (unquoted) value.
    let mut plain_owner: Option<usize> = None;

    while pos < data.len() {
        line_no += 1;
        let end = memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let next = (end + 1).min(data.len());
        let mut line = &data[pos..end];
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let line_start = pos;
        pos = if end == data.len() { data.len() } else { next };

        // Inside a quoted scalar that spans lines: everything is text up to its closing quote.
        if let Some(q) = open_quote {
            if quote_end(line, q).is_some() {
                open_quote = None;
            }
            continue;
        }
        if line.first() == Some(&b'\t') {
            return Err(Unsupported("tab indentation"));
        }
        if line == b"---" || line.starts_with(b"--- ") || line == b"..." {
            finish_item(&mut doc, &mut item, line_start);
            if doc_has_content {
                emit_doc(
                    &mut out,
                    std::mem::take(&mut doc),
                    doc_start,
                    line_start,
                    doc_line,
                );
            } else {
                doc = Doc::default();
            }
            doc_start = next.min(data.len());
            doc_line = line_no + 1;
            doc_has_content = false;
            top_under = Under::Other;
            plain_owner = None;
            continue;
        }
        let indent = line.iter().take_while(|b| **b == b' ').count();
        let body = &line[indent..];
        if body.is_empty() || body[0] == b'#' {
            continue;
        }
        // The line after an identity field with a plain value: deeper means it continues it.
        if plain_owner.take().is_some_and(|owner| indent > owner) {
            return Err(Unsupported("multi-line plain scalar in an identity field"));
        }
        if block_owner.is_none_or(|owner| indent <= owner) {
            block_owner = None;
            check_structure(body, indent, &mut block_owner, &mut open_quote)?;
        }
        if !doc_has_content {
            doc_start = line_start;
            doc_line = line_no;
            doc_has_content = true;
        }

        if indent == 0 {
            if body.starts_with(b"- ") || body == b"-" {
                if !doc.in_items {
                    return Err(Unsupported("top-level sequence"));
                }
                finish_item(&mut doc, &mut item, line_start);
                let obj = ShallowObject {
                    start: line_start,
                    line: line_no,
                    in_list: true,
                    ..ShallowObject::default()
                };
                let mut under = Under::Other;
                let rest = &body[1..];
                let rest_indent = rest.iter().take_while(|b| **b == b' ').count();
                let mut obj = obj;
                if rest_indent < rest.len()
                    && key_line(&rest[rest_indent..], 2, 2, &mut obj, &mut under)?
                {
                    plain_owner = Some(2);
                }
                item = Some((obj, under));
                continue;
            }
            // A column-0 key ends any open item.
            finish_item(&mut doc, &mut item, line_start);
            doc.in_items = false;
            if let Some((b"items", v)) = split_key(body) {
                let v = trim(v);
                if v.is_empty() {
                    doc.in_items = true;
                } else if v != b"[]" && v != b"null" && v != b"~" {
                    return Err(Unsupported("flow-style items"));
                }
                top_under = Under::Other;
                continue;
            }
            if key_line(body, 0, 0, &mut doc.obj, &mut top_under)? {
                plain_owner = Some(0);
            }
            continue;
        }

        if let Some((obj, under)) = item.as_mut() {
            if key_line(body, indent, 2, obj, under)? {
                plain_owner = Some(indent);
            }
        } else if !doc.in_items {
            if key_line(body, indent, 0, &mut doc.obj, &mut top_under)? {
                plain_owner = Some(indent);
            }
        } else {
            // `items:` followed by an indented `  - ` sequence (go-yaml v3, PyYAML with
            // indent): not oc's layout, and skipping these lines would lose every item.
            return Err(Unsupported("indented items"));
        }
    }
    finish_item(&mut doc, &mut item, data.len());
    if doc_has_content {
        emit_doc(&mut out, doc, doc_start, data.len(), doc_line);
    }
    Ok(out)
}

fn finish_item(doc: &mut Doc, item: &mut Option<(ShallowObject, Under)>, end: usize) {
    if let Some((mut obj, _)) = item.take() {
        obj.end = end;
        doc.items.push(obj);
    }
}

fn emit_doc(out: &mut Vec<ShallowObject>, mut doc: Doc, start: usize, end: usize, line: u32) {
    let is_list = doc.obj.kind.as_deref().is_none_or(|k| k.ends_with("List"))
        && (!doc.items.is_empty() || doc.obj.kind.as_deref().is_some_and(|k| k.ends_with("List")));
    if is_list {
        out.extend(doc.items.into_iter().filter(|o| o.kind.is_some()));
    } else if doc.obj.kind.is_some() {
        doc.obj.start = start;
        doc.obj.end = end;
        doc.obj.line = line;
        out.push(doc.obj);
    }
}

/// Checks one line (outside block scalars) for what the shallow subset cannot follow:
/// anchors and aliases anywhere (only a real parser resolves them, under its alias budget,
/// which is what stops a "billion laughs" file). Notes a block scalar starting here.
fn check_structure(
    body: &[u8],
    indent: usize,
    block_owner: &mut Option<usize>,
    open_quote: &mut Option<u8>,
) -> Result<(), Unsupported> {
    let mut rest = body;
    let mut key_indent = indent;
    let mut in_sequence = false;
    let mut dashes = 0usize;
    while rest.starts_with(b"- ") || rest == b"-" {
        let after = &rest[1..];
        let spaces = after.iter().take_while(|b| **b == b' ').count();
        key_indent += 1 + spaces;
        rest = &after[spaces..];
        in_sequence = true;
        dashes += 1;
        if dashes > MAX_FLOW_DEPTH {
            return Err(Unsupported("deeply nested block sequence"));
        }
    }
    let (value, is_key) = match split_key(rest) {
        Some((_, v)) => (trim(v), true),
        // A sequence item's scalar; other non-key lines are continuations of multi-line text.
        None if in_sequence => (trim(rest), false),
        None => return Ok(()),
    };
    match value.first() {
        Some(b'&' | b'*') => Err(Unsupported("anchor or alias")),
        Some(b'[' | b'{') if flow_depth(value) > MAX_FLOW_DEPTH => {
            Err(Unsupported("deeply nested flow collection"))
        }
        Some(b'[' | b'{')
            if value.windows(2).any(|w| {
                matches!(w[0], b'[' | b'{' | b',' | b' ') && matches!(w[1], b'&' | b'*')
            }) =>
        {
            Err(Unsupported("anchor or alias in a flow collection"))
        }
        Some(b'|' | b'>') => {
            *block_owner = Some(if is_key { key_indent } else { indent });
            Ok(())
        }
        Some(&q @ (b'"' | b'\'')) => {
            // A quoted scalar not closed on its line goes on over the next lines, whatever
            // they look like (even `key: value` lines at column 0).
            if quote_end(&value[1..], q).is_none() {
                *open_quote = Some(q);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Where a quoted scalar's closing quote `q` is in `s` (the text after the opening quote, or
/// a continuation line): `''` is an escaped quote in single quotes, `\` escapes in double quotes.
fn quote_end(s: &[u8], q: u8) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                if q == b'\'' && s.get(i + 1) == Some(&q) {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Deepest flow nesting (and `- - -` block nesting on one line) the scanner lets through. serde-saphyr refuses documents nested deeper
/// than its `Budget::max_depth` (64): an object the scanner indexed there could never be
/// decoded, so the scanner gives up and the real parser reports the file instead.
const MAX_FLOW_DEPTH: usize = 48;

/// The deepest bracket nesting in a flow value (quotes are not tracked: a bracket inside a
/// quoted string counts too, which can only make the scanner give up more often).
fn flow_depth(value: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for b in value {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Handles one `key: value` line of an object whose keys sit at `base` indent. Returns true
/// when it read an identity field whose value is not quoted: a plain scalar goes on over more
/// deeply indented lines (`uid: abc` then `    def` is `uid: "abc def"`), which the caller
/// checks on the next line.
fn key_line(
    body: &[u8],
    indent: usize,
    base: usize,
    obj: &mut ShallowObject,
    under: &mut Under,
) -> Result<bool, Unsupported> {
    let slot = if indent == base {
        if body.starts_with(b"- ") || body == b"-" {
            return Ok(false); // a sequence value of the current key, written at the key's indent
        }
        let Some((k, v)) = split_key(body) else {
            return Ok(false); // a continuation of a multi-line scalar cannot sit here in oc output
        };
        *under = if k == b"metadata" {
            Under::Metadata
        } else {
            Under::Other
        };
        match k {
            b"apiVersion" => (&mut obj.api_version, v),
            b"kind" => (&mut obj.kind, v),
            b"metadata" if !trim(v).is_empty() => return Err(Unsupported("flow-style metadata")),
            _ => return Ok(false),
        }
    } else if indent == base + 2 && *under == Under::Metadata {
        let Some((k, v)) = split_key(body) else {
            return Ok(false);
        };
        match k {
            b"name" => (&mut obj.name, v),
            b"namespace" => (&mut obj.namespace, v),
            b"uid" => (&mut obj.uid, v),
            b"creationTimestamp" => (&mut obj.created, v),
            _ => return Ok(false),
        }
    } else {
        return Ok(false);
    };
    let (field, v) = slot;
    *field = Some(scalar(v)?);
    Ok(!matches!(trim(v).first(), Some(b'"' | b'\'')))
}

/// Splits `key: value` (or `key:` at end of line). Returns `None` for non-key lines.
fn split_key(body: &[u8]) -> Option<(&[u8], &[u8])> {
    if matches!(body.first(), Some(b'"' | b'\'' | b'?' | b'{' | b'[')) {
        return None;
    }
    let mut i = 0;
    while i < body.len() {
        if body[i] == b':' && (i + 1 == body.len() || body[i + 1] == b' ') {
            return Some((&body[..i], body.get(i + 1..).unwrap_or(&[])));
        }
        i += 1;
    }
    None
}

fn trim(v: &[u8]) -> &[u8] {
    let s = v.iter().position(|b| *b != b' ').unwrap_or(v.len());
    let e = v.iter().rposition(|b| *b != b' ').map_or(s, |p| p + 1);
    &v[s..e.max(s)]
}

/// Reads a single-line scalar: plain, single-quoted or double-quoted (simple escapes).
fn scalar(v: &[u8]) -> Result<String, Unsupported> {
    let v = trim(v);
    match v.first() {
        None => Ok(String::new()),
        Some(b'\'') => {
            if v.len() < 2 || v.last() != Some(&b'\'') {
                return Err(Unsupported("multi-line quoted scalar"));
            }
            let inner = String::from_utf8_lossy(&v[1..v.len() - 1]);
            Ok(inner.replace("''", "'"))
        }
        Some(b'"') => {
            if v.len() < 2 || v.last() != Some(&b'"') {
                return Err(Unsupported("multi-line quoted scalar"));
            }
            let text = String::from_utf8_lossy(v);
            serde_json::from_str::<String>(&text)
                .map_err(|_| Unsupported("unusual escape in a quoted scalar"))
        }
        Some(b'&' | b'*' | b'!' | b'|' | b'>' | b'{' | b'[') => {
            Err(Unsupported("anchor, alias, tag, block or flow value"))
        }
        Some(_) => {
            let text = String::from_utf8_lossy(v);
            let text = text.split(" #").next().unwrap_or_default();
            if text == "null" || text == "~" {
                Ok(String::new())
            } else {
                Ok(text.to_owned())
            }
        }
    }
}

/// Object identity as the index compares it: (apiVersion, kind, name, namespace, uid), an
/// empty string read as absent.
pub type Identity = [Option<String>; 5];

impl ShallowObject {
    /// This object's [`Identity`].
    pub fn identity(&self) -> Identity {
        [
            self.api_version.clone(),
            self.kind.clone(),
            self.name.clone(),
            self.namespace.clone(),
            self.uid.clone(),
        ]
        .map(|v| v.filter(|s| !s.is_empty()))
    }
}

/// The oracle of the scanner's differential tests and fuzz target: the identities a full
/// serde-saphyr parse of `text` finds, under the scanner's rules for which documents are
/// objects (a document with a kind; the items with a kind of a `*List` or kind-less document
/// holding `items`). `None` when serde-saphyr rejects the text.
#[doc(hidden)]
pub fn reference_identities(text: &str) -> Option<Vec<Identity>> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default, rename_all = "camelCase")]
    struct MetaDoc {
        name: Option<String>,
        namespace: Option<String>,
        uid: Option<String>,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(default, rename_all = "camelCase")]
    struct Doc {
        api_version: Option<String>,
        kind: Option<String>,
        metadata: Option<MetaDoc>,
        items: Option<Vec<Doc>>,
    }
    fn ident(d: Doc) -> Identity {
        let m = d.metadata.unwrap_or_default();
        [d.api_version, d.kind, m.name, m.namespace, m.uid].map(|v| v.filter(|s| !s.is_empty()))
    }
    let docs: Vec<Doc> =
        serde_saphyr::from_multiple_with_options(text, crate::decode::yaml_options(text.len()))
            .ok()?;
    let mut out = Vec::new();
    for mut d in docs {
        let is_list_kind = d.kind.as_deref().is_some_and(|k| k.ends_with("List"));
        match d.items.take() {
            Some(items) if d.kind.is_none() || is_list_kind => {
                out.extend(items.into_iter().filter(|i| i.kind.is_some()).map(ident));
            }
            _ if is_list_kind || d.kind.is_none() => {}
            _ => out.push(ident(d)),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const LIST: &str = "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    ca-bundle.crt: |\n      -----BEGIN CERTIFICATE-----\n      name: not-a-key\n  kind: ConfigMap\n  metadata:\n    annotations:\n      name: nested-not-meta\n    creationTimestamp: \"2021-08-03T09:08:28Z\"\n    name: kube-root-ca.crt\n    namespace: openshift-config\n    uid: 11111111-aaaa\n- apiVersion: v1\n  kind: ConfigMap\n  message: 'multi line\n    name: continuation'\n  metadata:\n    name: 'it''s'\n    namespace: ns\nkind: ConfigMapList\nmetadata:\n  resourceVersion: \"\"\n";

    #[test]
    fn list_items_with_kind_last() {
        let objs = scan(LIST.as_bytes()).unwrap();
        assert_eq!(objs.len(), 2);
        let a = &objs[0];
        assert_eq!(a.kind.as_deref(), Some("ConfigMap"));
        assert_eq!(a.name.as_deref(), Some("kube-root-ca.crt"));
        assert_eq!(a.namespace.as_deref(), Some("openshift-config"));
        assert_eq!(a.uid.as_deref(), Some("11111111-aaaa"));
        assert_eq!(a.created.as_deref(), Some("2021-08-03T09:08:28Z"));
        assert_eq!(a.line, 4);
        assert!(LIST[a.start..a.end].starts_with("- apiVersion: v1\n  data:"));
        assert!(LIST[a.start..a.end].ends_with("uid: 11111111-aaaa\n"));
        let b = &objs[1];
        assert_eq!(b.name.as_deref(), Some("it's"));
        assert!(b.in_list);
        assert!(LIST[b.start..b.end].ends_with("namespace: ns\n"));
    }

    #[test]
    fn single_object_without_leading_dashes() {
        let y = "apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata:\n  name: version\n  uid: abc\nspec:\n  channel: stable-4.15\n";
        let objs = scan(y.as_bytes()).unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].name.as_deref(), Some("version"));
        assert_eq!(objs[0].namespace, None);
        assert!(!objs[0].in_list);
        assert_eq!((objs[0].start, objs[0].end, objs[0].line), (0, y.len(), 1));
    }

    #[test]
    fn several_documents() {
        let y = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n";
        let objs = scan(y.as_bytes()).unwrap();
        let names: Vec<_> = objs.iter().map(|o| o.name.clone().unwrap()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(objs[1].line, 7);
    }

    #[test]
    fn empty_and_null_items() {
        for y in [
            "apiVersion: v1\nitems: []\nkind: EventList\n",
            "apiVersion: v1\nitems: null\nkind: EventList\n",
            "apiVersion: v1\nitems:\nkind: EventList\nmetadata: {}\n",
        ] {
            let r = scan(y.as_bytes());
            assert!(matches!(r.as_deref(), Ok([]) | Err(_)), "{y}: {r:?}");
        }
        assert_eq!(
            scan(b"apiVersion: v1\nitems: []\nkind: EventList\n").unwrap(),
            vec![]
        );
    }

    #[test]
    fn crlf_and_comments() {
        let y = "# a comment\r\napiVersion: v1\r\nkind: Node\r\nmetadata:\r\n  name: ip-10-0-1-2.ec2.internal\r\n";
        let objs = scan(y.as_bytes()).unwrap();
        assert_eq!(objs[0].name.as_deref(), Some("ip-10-0-1-2.ec2.internal"));
    }

    #[test]
    fn gives_up_outside_the_subset() {
        let cases: &[(&str, &str)] = &[
            ("kind: Pod\nmetadata:\n\tname: x\n", "tab"),
            ("kind: &k Pod\n", "anchor"),
            ("kind: Pod\nmetadata: {name: x}\n", "flow metadata"),
            ("apiVersion: v1\nitems: [{kind: Pod}]\n", "flow items"),
            (
                "kind: Pod\nmetadata:\n  name: \"x\n    y\"\n",
                "multi-line name",
            ),
            ("- a\n- b\n", "top-level sequence"),
            (
                "apiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: a\nkind: PodList\n",
                "indented items",
            ),
            (
                "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: &a [lol, lol]\n  b: [*a, *a]\n",
                "anchor on a data key",
            ),
            (
                "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  b: [lol, *a]\n",
                "alias in a flow sequence",
            ),
            (
                "apiVersion: v1\nitems:\n- &item\n  kind: Pod\n- *item\nkind: PodList\n",
                "anchored item",
            ),
            (
                "kind: Pod\nspec:\n  <<: *defaults\nmetadata:\n  name: x\n",
                "merge key",
            ),
        ];
        for (y, why) in cases {
            assert!(scan(y.as_bytes()).is_err(), "{why}");
        }
    }

    #[test]
    fn anchor_lookalikes_in_block_scalars_and_quotes_are_text() {
        // A shell script and a quoted value: `*` and `&` here are text, not YAML.
        let y = "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  run.sh: |\n    case $1 in\n      a: *) echo &\n    esac\n  glob: '*.log'\n  list:\n  - '*'\n";
        let objs = scan(y.as_bytes()).unwrap();
        assert_eq!(objs[0].name.as_deref(), Some("x"));
        // After the block scalar ends, anchors are seen again.
        let y = "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  s: |\n    *text\n  t: *alias\n";
        assert!(scan(y.as_bytes()).is_err());
    }

    #[test]
    fn near_misses_are_not_objects() {
        // No kind: not an object. A key that merely contains "name" is ignored.
        assert_eq!(scan(b"foo: bar\n").unwrap(), vec![]);
        let y = "kind: Pod\nmetadata:\n  generateName: x-\n  name: real\n";
        assert_eq!(scan(y.as_bytes()).unwrap()[0].name.as_deref(), Some("real"));
        let y = "kind: Pod\nspec:\n  name: not-meta\nmetadata:\n  labels:\n    name: label\n";
        assert_eq!(scan(y.as_bytes()).unwrap()[0].name, None);
    }
}
