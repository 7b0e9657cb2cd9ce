//! Pruning of block YAML before a typed decode.
//!
//! The YAML parser runs at 10–15 MB/s here, and most of a Pod's text (managed fields,
//! container environments, volume mounts, probes) is never read by casefile's narrow views.
//! [`prune`] drops the subtrees at known key paths from the text, line by line, so the
//! parser sees a fraction of it. It understands just enough of block YAML to do that safely:
//! indentation, compact (`- `) sequences, block scalars (`|`, `>`) and quoted scalars that
//! span lines are carried through untouched. Anything it does not recognise is kept.
//!
//! Pruning is only right for a decode target that reads none of the dropped paths: the
//! snapshot's model types. Callers fall back to the whole text when the pruned text does
//! not decode, and a test compares both decodes on every object of the sample cases.

/// Key paths (from the object's root, sequence items transparent) whose subtrees the
/// snapshot's view of `kind` never reads.
pub fn dropped_paths(kind: &str) -> &'static [&'static [&'static str]] {
    const COMMON: &[&[&str]] = &[&["metadata", "managedFields"]];
    const POD: &[&[&str]] = &[
        &["metadata", "managedFields"],
        &["spec", "volumes"],
        &["spec", "affinity"],
        &["spec", "tolerations"],
        &["spec", "securityContext"],
        &["spec", "topologySpreadConstraints"],
        &["spec", "containers", "env"],
        &["spec", "containers", "envFrom"],
        &["spec", "containers", "volumeMounts"],
        &["spec", "containers", "resources"],
        &["spec", "containers", "livenessProbe"],
        &["spec", "containers", "readinessProbe"],
        &["spec", "containers", "startupProbe"],
        &["spec", "containers", "securityContext"],
        &["spec", "containers", "args"],
        &["spec", "containers", "command"],
        &["spec", "containers", "ports"],
        &["spec", "containers", "lifecycle"],
        &["spec", "initContainers", "env"],
        &["spec", "initContainers", "envFrom"],
        &["spec", "initContainers", "volumeMounts"],
        &["spec", "initContainers", "resources"],
        &["spec", "initContainers", "securityContext"],
        &["spec", "initContainers", "args"],
        &["spec", "initContainers", "command"],
    ];
    const NODE: &[&[&str]] = &[&["metadata", "managedFields"], &["status", "images"]];
    match kind {
        "Pod" => POD,
        "Node" => NODE,
        _ => COMMON,
    }
}

/// The frame name of a line that is not a plain `key:` (never equal to a path segment).
const OPAQUE: &[u8] = b"\0";

/// What the line scanner is inside of.
enum Mode {
    /// Structure: keys, sequence items.
    Normal,
    /// Skipping the subtree of a dropped key at this column.
    Skip(usize),
    /// Block scalar content more indented than this column.
    Block(usize),
    /// A quoted scalar still open (the quote character).
    Quoted(u8),
}

/// Drops the subtrees at `paths` from block-style YAML `text`. Returns `None` when nothing
/// was dropped (decode the original) or the text is not block YAML this scanner follows.
pub fn prune(text: &[u8], paths: &[&[&str]]) -> Option<Vec<u8>> {
    if paths.is_empty() {
        return None;
    }
    // Most texts hold none of the keys (an Event rarely has managed fields): one substring
    // search each spares the line walk and the copy.
    if !paths
        .iter()
        .filter_map(|p| p.last())
        .any(|key| memchr::memmem::find(text, key.as_bytes()).is_some())
    {
        return None;
    }
    let first = text.iter().find(|b| !b.is_ascii_whitespace())?;
    if matches!(first, b'{' | b'[') {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 2);
    // Open mapping keys: (column, name).
    let mut frames: Vec<(usize, &[u8])> = Vec::new();
    let mut mode = Mode::Normal;
    let mut dropped = false;
    for line in text.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let indent = body.iter().take_while(|b| **b == b' ').count();
        let rest = &body[indent..];
        let blank = rest.is_empty() || rest[0] == b'#';
        match mode {
            Mode::Quoted(q) => {
                out.extend_from_slice(line);
                if closes_quote(body, q, true) {
                    mode = Mode::Normal;
                }
                continue;
            }
            Mode::Block(col) => {
                if blank || indent > col {
                    out.extend_from_slice(line);
                    continue;
                }
                mode = Mode::Normal;
            }
            Mode::Skip(col) => {
                if blank || indent > col || (indent == col && is_dash(rest)) {
                    continue;
                }
                mode = Mode::Normal;
            }
            Mode::Normal => {}
        }
        if blank || rest == b"---" || rest == b"..." {
            out.extend_from_slice(line);
            continue;
        }
        if rest[0] == b'\t' {
            return None;
        }
        // `- ` items, possibly nested (`- - a`), then maybe a key on the same line.
        let mut col = indent;
        let mut item = rest;
        while is_dash(item) {
            let skip = 1 + item[1..].iter().take_while(|b| **b == b' ').count();
            col += skip;
            item = &item[skip..];
        }
        let dash_line = col != indent;
        while frames.last().is_some_and(|(c, _)| *c >= col) {
            frames.pop();
        }
        let Some((key, value)) = split_key(item) else {
            // A scalar item, a quoted key or something unrecognised: kept as is, and what
            // is nested under it matches no path.
            frames.push((col, OPAQUE));
            out.extend_from_slice(line);
            mode = after_value(item, col, dash_line.then_some(indent));
            continue;
        };
        let drop = paths.iter().any(|p| {
            p.len() == frames.len() + 1
                && p.last().is_some_and(|k| k.as_bytes() == key)
                && frames
                    .iter()
                    .zip(p.iter())
                    .all(|((_, f), k)| *f == k.as_bytes())
        });
        if drop {
            dropped = true;
            mode = Mode::Skip(col);
            if dash_line {
                // Keep the item itself: its other keys follow on the next lines.
                out.extend_from_slice(&body[..col.saturating_sub(1).max(indent + 1)]);
                out.push(b'\n');
            }
            continue;
        }
        frames.push((col, key));
        out.extend_from_slice(line);
        mode = after_value(value, col, None);
    }
    dropped.then_some(out)
}

/// The mode after a kept line whose value (after `key:` or `- `) is `value`.
fn after_value(value: &[u8], col: usize, dash_col: Option<usize>) -> Mode {
    let v = value.trim_ascii_start();
    match v.first() {
        Some(b'|' | b'>') => Mode::Block(dash_col.unwrap_or(col)),
        Some(&q @ (b'"' | b'\'')) if !closes_quote(&v[1..], q, false) => Mode::Quoted(q),
        _ => Mode::Normal,
    }
}

fn is_dash(s: &[u8]) -> bool {
    s == b"-" || s.starts_with(b"- ")
}

/// Whether a quoted scalar closes in `s` (`continuation`: `s` is a whole later line).
fn closes_quote(s: &[u8], q: u8, continuation: bool) -> bool {
    let _ = continuation;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if q == b'"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == q {
            if q == b'\'' && s.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

/// Splits `key: value` (or `key:` at the end of the line) with a plain key; quoted keys and
/// anything else give `None`.
fn split_key(s: &[u8]) -> Option<(&[u8], &[u8])> {
    if matches!(
        s.first(),
        None | Some(b'"' | b'\'' | b'{' | b'[' | b'?' | b'&' | b'*' | b'!')
    ) {
        return None;
    }
    let end = s
        .windows(2)
        .position(|w| w == b": ")
        .or_else(|| s.ends_with(b":").then(|| s.len() - 1))?;
    let key = &s[..end];
    if key.contains(&b'#') || key.ends_with(b" ") {
        return None;
    }
    Some((key, &s[end + 1..]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn run(text: &str, paths: &[&[&str]]) -> Option<String> {
        prune(text.as_bytes(), paths).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn drops_managed_fields_and_nothing_else() {
        let text = "apiVersion: v1\nkind: Event\nmetadata:\n  managedFields:\n  - apiVersion: v1\n    fieldsV1:\n      f:count: {}\n  name: e1\n  labels:\n    managedFields: kept\nmessage: hi\n";
        let got = run(text, &[&["metadata", "managedFields"]]).unwrap();
        assert_eq!(
            got,
            "apiVersion: v1\nkind: Event\nmetadata:\n  name: e1\n  labels:\n    managedFields: kept\nmessage: hi\n"
        );
    }

    #[test]
    fn a_text_without_the_keys_is_left_whole() {
        let paths: &[&[&str]] = &[&["metadata", "managedFields"]];
        // No key anywhere: the substring check answers before the line walk.
        assert!(run("kind: Event\nmetadata:\n  name: e\nmessage: hi\n", paths).is_none());
        // The word in a value, or as a key elsewhere, drops nothing either.
        assert!(run("kind: Event\nmessage: managedFields were cut\n", paths).is_none());
        assert!(run("kind: Event\nspec:\n  managedFields: []\n", paths).is_none());
        // The key where the path says is dropped.
        assert_eq!(
            run(
                "kind: Event\nmetadata:\n  managedFields: []\n  name: e\n",
                paths
            )
            .unwrap(),
            "kind: Event\nmetadata:\n  name: e\n"
        );
    }

    #[test]
    fn drops_keys_inside_compact_sequence_items() {
        let text = "spec:\n  containers:\n  - env:\n    - name: A\n      value: b\n    image: x\n    name: app\n  - name: side\n    env:\n    - name: B\n  nodeName: n1\n";
        let got = run(text, &[&["spec", "containers", "env"]]).unwrap();
        assert_eq!(
            got,
            "spec:\n  containers:\n  -\n    image: x\n    name: app\n  - name: side\n  nodeName: n1\n"
        );
    }

    #[test]
    fn list_items_with_the_first_key_on_the_dash_line() {
        let text = "- apiVersion: v1\n  metadata:\n    managedFields:\n    - manager: x\n    name: a\n  reason: Started\n";
        let got = run(text, &[&["metadata", "managedFields"]]).unwrap();
        assert_eq!(
            got,
            "- apiVersion: v1\n  metadata:\n    name: a\n  reason: Started\n"
        );
    }

    #[test]
    fn block_and_quoted_scalars_are_carried_through() {
        // Lines inside scalars that look like dropped keys are content, not structure.
        let text = "metadata:\n  annotations:\n    a: |\n      managedFields:\n        - x\n    b: \"one\n      managedFields: two\"\n    c: 'it''s\n      managedFields: y'\n  managedFields:\n  - x: 1\n  name: n\n";
        let got = run(text, &[&["metadata", "managedFields"]]).unwrap();
        assert_eq!(
            got,
            "metadata:\n  annotations:\n    a: |\n      managedFields:\n        - x\n    b: \"one\n      managedFields: two\"\n    c: 'it''s\n      managedFields: y'\n  name: n\n"
        );
    }

    #[test]
    fn near_misses_are_kept() {
        // Same key at another path, a key that only starts alike, JSON, nothing to drop.
        let paths: &[&[&str]] = &[&["metadata", "managedFields"]];
        assert_eq!(run("status:\n  managedFields:\n  - a\n", paths), None);
        assert_eq!(run("metadata:\n  managedFieldsX: 1\n", paths), None);
        assert_eq!(run("{\"metadata\": {\"managedFields\": []}}", paths), None);
        assert_eq!(run("metadata:\n  name: a\n", paths), None);
        assert_eq!(run("metadata:\n\tmanagedFields: 1\n", paths), None);
        // Under a quoted key the path is unknown: nothing is dropped.
        assert_eq!(
            run("metadata:\n  \"q\":\n    managedFields: 1\n", paths),
            None
        );
    }
}
