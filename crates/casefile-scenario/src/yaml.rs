//! A small YAML emitter that imitates what `oc adm inspect` writes (sigs.k8s.io/yaml → go-yaml v2):
//! keys sorted with go-yaml's natural order, block sequences not indented under their key,
//! strings that would resolve to another type double-quoted, long plain and single-quoted
//! scalars folded at column 80, multi-line strings as literal blocks.

use std::cmp::Ordering;
use std::fmt::Write as _;

/// A YAML/JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// an integer
    Int(i64),
    /// a string
    Str(String),
    /// a sequence
    Seq(Vec<V>),
    /// a mapping (emitted with sorted keys in YAML, in insertion order in JSON)
    Map(Vec<(String, V)>),
    /// a number written verbatim (JSON floats)
    Raw(String),
}

/// A string value.
pub fn s(x: impl Into<String>) -> V {
    V::Str(x.into())
}

/// An integer value.
pub fn i(x: i64) -> V {
    V::Int(x)
}

/// A boolean value.
pub fn b(x: bool) -> V {
    V::Bool(x)
}

/// A mapping from pairs.
pub fn m<K: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> V {
    V::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// A sequence.
pub fn l(items: impl IntoIterator<Item = V>) -> V {
    V::Seq(items.into_iter().collect())
}

/// A sequence of strings.
pub fn ls<S: Into<String>>(items: impl IntoIterator<Item = S>) -> V {
    V::Seq(items.into_iter().map(|x| V::Str(x.into())).collect())
}

/// An empty mapping `{}`.
pub fn empty() -> V {
    V::Map(Vec::new())
}

impl V {
    /// Insert or replace `key` in a mapping (no-op on other values).
    pub fn set(&mut self, key: &str, val: V) {
        if let V::Map(p) = self {
            if let Some(slot) = p.iter_mut().find(|(k, _)| k == key) {
                slot.1 = val;
            } else {
                p.push((key.to_string(), val));
            }
        }
    }

    /// Mutable access to a mapping entry.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        if let V::Map(p) = self {
            p.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
        } else {
            None
        }
    }

    /// Read access to a mapping entry.
    pub fn get(&self, key: &str) -> Option<&V> {
        if let V::Map(p) = self {
            p.iter().find(|(k, _)| k == key).map(|(_, v)| v)
        } else {
            None
        }
    }

    /// Append to a sequence (no-op on other values).
    pub fn push(&mut self, val: V) {
        if let V::Seq(x) = self {
            x.push(val);
        }
    }
}

/// go-yaml v2 `keyList.Less` for string keys (letters after non-letters, digit runs compared
/// numerically).
pub fn key_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

const WIDTH: usize = 80;

fn resolves_non_string(x: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y",
        "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if x.is_empty() || WORDS.contains(&x) {
        return true;
    }
    let first = x.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return false;
    }
    let plain: String = x.chars().filter(|&c| c != '_').collect();
    if looks_int(&plain) || looks_float(&plain) || is_base60(x) {
        return true;
    }
    first.is_ascii_digit() && looks_timestamp(x)
}

fn looks_int(x: &str) -> bool {
    let body = x.strip_prefix(['+', '-']).unwrap_or(x);
    if body.is_empty() {
        return false;
    }
    if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(h) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        return !h.is_empty() && h.chars().all(|c| c == '0' || c == '1');
    }
    if let Some(h) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        return !h.is_empty() && h.chars().all(|c| ('0'..='7').contains(&c));
    }
    body.chars().all(|c| c.is_ascii_digit())
}

fn looks_float(x: &str) -> bool {
    let body = x.strip_prefix(['+', '-']).unwrap_or(x);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    let mut parts = mant.splitn(2, '.');
    let ip = parts.next().unwrap_or("");
    let fp = parts.next();
    let ok_mant = match fp {
        Some(f) => {
            (!ip.is_empty() || !f.is_empty())
                && ip.chars().all(|c| c.is_ascii_digit())
                && f.chars().all(|c| c.is_ascii_digit())
        }
        None => !ip.is_empty() && ip.chars().all(|c| c.is_ascii_digit()),
    };
    let ok_exp = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        }
    };
    ok_mant && ok_exp
}

fn is_base60(x: &str) -> bool {
    let body = x.strip_prefix(['+', '-']).unwrap_or(x);
    let mut segs = body.split(':');
    let Some(first) = segs.next() else {
        return false;
    };
    if first.is_empty() || !first.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    if !first.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let rest: Vec<&str> = segs.collect();
    if rest.is_empty() {
        return false;
    }
    for (k, seg) in rest.iter().enumerate() {
        let (num, fracp) = if k == rest.len() - 1 {
            match seg.split_once('.') {
                Some((a, f)) => (a, Some(f)),
                None => (*seg, None),
            }
        } else {
            (*seg, None)
        };
        if num.is_empty() || num.len() > 2 || !num.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        if num.len() == 2 && num.as_bytes()[0] > b'5' {
            return false;
        }
        if let Some(f) = fracp
            && !f.chars().all(|c| c.is_ascii_digit() || c == '_')
        {
            return false;
        }
    }
    true
}

fn looks_timestamp(x: &str) -> bool {
    // 2006-1-2, 2006-1-2T15:4:5.999Z07:00, 2006-1-2 15:4:5.999
    let b = x.as_bytes();
    let mut p = 0;
    let num = |p: &mut usize, min: usize, max: usize| -> bool {
        let st = *p;
        while *p < b.len() && b[*p].is_ascii_digit() && *p - st < max {
            *p += 1;
        }
        *p - st >= min
    };
    if !num(&mut p, 4, 4) || p >= b.len() || b[p] != b'-' {
        return false;
    }
    p += 1;
    if !num(&mut p, 1, 2) || p >= b.len() || b[p] != b'-' {
        return false;
    }
    p += 1;
    if !num(&mut p, 1, 2) {
        return false;
    }
    if p == b.len() {
        return true;
    }
    if !matches!(b[p], b'T' | b't' | b' ') {
        return false;
    }
    p += 1;
    for k in 0..3 {
        if !num(&mut p, 1, 2) {
            return false;
        }
        if k < 2 {
            if p >= b.len() || b[p] != b':' {
                return false;
            }
            p += 1;
        }
    }
    if p < b.len() && b[p] == b'.' {
        p += 1;
        if !num(&mut p, 1, 9) {
            return false;
        }
    }
    if p == b.len() {
        return true;
    }
    let rest = &x[p..];
    rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':')
}

fn printable(c: char) -> bool {
    c == '\n' || (c >= ' ' && c != '\u{7f}' && !('\u{80}'..='\u{9f}').contains(&c))
}

#[derive(PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

fn style_for(x: &str) -> Style {
    if x.contains('\n') {
        let block_ok = x.chars().all(printable)
            && !x.starts_with(' ')
            && !x.lines().any(|ln| ln.ends_with(' ') || ln.ends_with('\t'))
            && !x.contains('\t');
        return if block_ok {
            Style::Literal
        } else {
            Style::Double
        };
    }
    if resolves_non_string(x) {
        return Style::Double;
    }
    if !x.chars().all(printable) || x.contains('\t') {
        return Style::Double;
    }
    if plain_ok(x) {
        Style::Plain
    } else {
        Style::Single
    }
}

fn plain_ok(x: &str) -> bool {
    let c: Vec<char> = x.chars().collect();
    if c.is_empty() || c[0] == ' ' || c[c.len() - 1] == ' ' {
        return false;
    }
    let blank = |k: usize| k >= c.len() || c[k] == ' ';
    match c[0] {
        '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' => return false,
        '?' | ':' | '-' if blank(1) => return false,
        _ => {}
    }
    for k in 1..c.len() {
        if c[k] == ':' && blank(k + 1) {
            return false;
        }
        if c[k] == '#' && c[k - 1] == ' ' {
            return false;
        }
    }
    true
}

struct Emitter {
    out: String,
    col: usize,
}

impl Emitter {
    fn put(&mut self, x: &str) {
        self.out.push_str(x);
        match x.rfind('\n') {
            Some(p) => self.col = x[p + 1..].chars().count(),
            None => self.col += x.chars().count(),
        }
    }

    fn newline_indent(&mut self, indent: usize) {
        self.out.push('\n');
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.col = indent;
    }

    fn key(&mut self, k: &str) {
        match style_for(k) {
            Style::Plain => self.put(k),
            Style::Single => {
                let q = format!("'{}'", k.replace('\'', "''"));
                self.put(&q);
            }
            _ => {
                let q = dq(k);
                self.put(&q);
            }
        }
        self.put(":");
    }

    /// Scalar after `key:` or `- `; `indent` is the continuation indent.
    fn scalar(&mut self, x: &str, indent: usize) {
        match style_for(x) {
            Style::Plain => self.folded(x, indent, false),
            Style::Single => self.folded(x, indent, true),
            Style::Double => {
                let q = dq(x);
                self.put(&q);
            }
            Style::Literal => {
                let chomp = if x.ends_with("\n\n") {
                    "+"
                } else if x.ends_with('\n') {
                    ""
                } else {
                    "-"
                };
                self.put(&format!("|{chomp}"));
                let body = x.strip_suffix('\n').unwrap_or(x);
                for ln in body.split('\n') {
                    if ln.is_empty() {
                        self.out.push('\n');
                        self.col = 0;
                    } else {
                        self.newline_indent(indent);
                        self.put(ln);
                    }
                }
                if chomp == "+" {
                    // keep: trailing empty lines were already written by split
                }
            }
        }
    }

    fn folded(&mut self, x: &str, indent: usize, quoted: bool) {
        if quoted {
            self.put("'");
        }
        let c: Vec<char> = x.chars().collect();
        let mut spaces = false;
        let mut buf = String::new();
        for k in 0..c.len() {
            if c[k] == ' ' {
                let next_space = k + 1 < c.len() && c[k + 1] == ' ';
                let inner = !quoted || (k > 0 && k + 1 < c.len());
                if !spaces && inner && self.col + buf.chars().count() > WIDTH && !next_space {
                    let flushed = std::mem::take(&mut buf);
                    self.put(&flushed);
                    self.newline_indent(indent);
                } else {
                    buf.push(' ');
                }
                spaces = true;
            } else {
                if quoted && c[k] == '\'' {
                    buf.push('\'');
                }
                buf.push(c[k]);
                spaces = false;
            }
        }
        self.put(&buf);
        if quoted {
            self.put("'");
        }
    }

    fn value_after_key(&mut self, v: &V, indent: usize) {
        match v {
            V::Map(p) if p.is_empty() => self.put(" {}"),
            V::Seq(x) if x.is_empty() => self.put(" []"),
            V::Map(_) => {
                self.out.push('\n');
                self.col = 0;
                self.map(v, indent + 2);
                return;
            }
            V::Seq(_) => {
                self.out.push('\n');
                self.col = 0;
                self.seq(v, indent);
                return;
            }
            _ => {
                self.put(" ");
                self.scalar_value(v, indent + 2);
            }
        }
        self.out.push('\n');
        self.col = 0;
    }

    fn scalar_value(&mut self, v: &V, indent: usize) {
        match v {
            V::Null => self.put("null"),
            V::Bool(x) => self.put(if *x { "true" } else { "false" }),
            V::Int(n) => {
                let s = n.to_string();
                self.put(&s);
            }
            V::Str(x) => self.scalar(x, indent),
            V::Raw(x) => self.put(x),
            _ => {}
        }
    }

    /// Mapping whose keys start at column `indent`; the cursor is at column 0 or already at
    /// `indent` when `first_inline` is set.
    fn map_entries(&mut self, v: &V, indent: usize, first_inline: bool) {
        let V::Map(pairs) = v else { return };
        let mut sorted: Vec<&(String, V)> = pairs.iter().collect();
        sorted.sort_by(|a, b| key_cmp(&a.0, &b.0));
        for (n, (k, val)) in sorted.into_iter().enumerate() {
            if !(n == 0 && first_inline) {
                for _ in 0..indent {
                    self.out.push(' ');
                }
                self.col = indent;
            }
            self.key(k);
            self.value_after_key(val, indent);
        }
    }

    fn map(&mut self, v: &V, indent: usize) {
        self.map_entries(v, indent, false);
    }

    fn seq(&mut self, v: &V, indent: usize) {
        let V::Seq(items) = v else { return };
        for item in items {
            for _ in 0..indent {
                self.out.push(' ');
            }
            self.col = indent;
            self.put("- ");
            match item {
                V::Map(p) if p.is_empty() => {
                    self.put("{}");
                    self.out.push('\n');
                    self.col = 0;
                }
                V::Seq(x) if x.is_empty() => {
                    self.put("[]");
                    self.out.push('\n');
                    self.col = 0;
                }
                V::Map(_) => self.map_entries(item, indent + 2, true),
                V::Seq(_) => {
                    self.out.push('\n');
                    self.col = 0;
                    self.seq(item, indent + 2);
                }
                _ => {
                    self.scalar_value(item, indent + 2);
                    self.out.push('\n');
                    self.col = 0;
                }
            }
        }
    }
}

fn dq(x: &str) -> String {
    let mut o = String::from("\"");
    for c in x.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(o, "\\x{:02X}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// JSON text with `indent` spaces per level and keys in insertion order (Python `json.dumps`
/// with `indent=`; ASCII only).
pub fn to_json(v: &V, indent: usize) -> String {
    let mut o = String::new();
    json_into(&mut o, v, indent, 0);
    o
}

fn json_into(o: &mut String, v: &V, step: usize, level: usize) {
    let pad = |o: &mut String, n: usize| {
        for _ in 0..n {
            o.push(' ');
        }
    };
    match v {
        V::Null => o.push_str("null"),
        V::Bool(x) => o.push_str(if *x { "true" } else { "false" }),
        V::Int(n) => o.push_str(&n.to_string()),
        V::Raw(x) => o.push_str(x),
        V::Str(x) => json_str(o, x),
        V::Seq(items) if items.is_empty() => o.push_str("[]"),
        V::Map(p) if p.is_empty() => o.push_str("{}"),
        V::Seq(items) => {
            o.push_str("[\n");
            for (k, it) in items.iter().enumerate() {
                pad(o, step * (level + 1));
                json_into(o, it, step, level + 1);
                if k + 1 < items.len() {
                    o.push(',');
                }
                o.push('\n');
            }
            pad(o, step * level);
            o.push(']');
        }
        V::Map(p) => {
            o.push_str("{\n");
            for (k, (key, val)) in p.iter().enumerate() {
                pad(o, step * (level + 1));
                json_str(o, key);
                o.push_str(": ");
                json_into(o, val, step, level + 1);
                if k + 1 < p.len() {
                    o.push(',');
                }
                o.push('\n');
            }
            pad(o, step * level);
            o.push('}');
        }
    }
}

fn json_str(o: &mut String, x: &str) {
    o.push('"');
    for c in x.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    let _ = write!(o, "\\u{u:04x}");
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
}

/// Emit a document (no leading `---`).
pub fn to_yaml(v: &V) -> String {
    let mut e = Emitter {
        out: String::new(),
        col: 0,
    };
    match v {
        V::Map(_) => e.map(v, 0),
        V::Seq(_) => e.seq(v, 0),
        _ => {
            e.scalar_value(v, 0);
            e.out.push('\n');
        }
    }
    e.out
}

/// Emit one object as an `oc adm inspect` file: `---` then the document.
pub fn doc(v: &V) -> String {
    let mut o = String::from("---\n");
    o.push_str(&to_yaml(v));
    o
}

/// Emit a `<Kind>List` the way `oc adm inspect` writes `core/<resource>.yaml`: `---`,
/// `apiVersion`, `items`, then `kind` and `metadata` last.
pub fn list_doc(api_version: &str, kind: &str, resource_version: &str, items: &[V]) -> String {
    let mut o = String::from("---\n");
    let _ = writeln!(o, "apiVersion: {api_version}");
    if items.is_empty() {
        o.push_str("items: []\n");
    } else {
        o.push_str("items:\n");
        let mut e = Emitter {
            out: String::new(),
            col: 0,
        };
        e.seq(&V::Seq(items.to_vec()), 0);
        o.push_str(&e.out);
    }
    let _ = writeln!(o, "kind: {kind}");
    o.push_str("metadata:\n");
    let _ = writeln!(o, "  resourceVersion: \"{resource_version}\"");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let v = m([
            ("creationTimestamp", s("2021-08-03T09:14:06Z")),
            ("resourceVersion", s("8155")),
            ("empty", s("")),
            ("t", s("true")),
            ("mcs", s("s0:c7,c4")),
            ("json", s("{\"a\":\"b\"}")),
            ("colon", s("a: b")),
            ("list", ls(["kubernetes"])),
            (
                "pem",
                s("-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"),
            ),
        ]);
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "colon: 'a: b'\ncreationTimestamp: \"2021-08-03T09:14:06Z\"\nempty: \"\"\n\
             json: '{\"a\":\"b\"}'\nlist:\n- kubernetes\nmcs: s0:c7,c4\n\
             pem: |\n  -----BEGIN CERTIFICATE-----\n  AAA\n  -----END CERTIFICATE-----\n\
             resourceVersion: \"8155\"\nt: \"true\"\n"
        );
    }

    #[test]
    fn folding_matches_go_yaml() {
        let msg = "network is not ready: container runtime network not ready: NetworkReady=false \
                   reason:NetworkPluginNotReady message:Network plugin returns error: No CNI \
                   configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?";
        let v = m([("items", l([m([("message", s(msg))])]))]);
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "items:\n- message: 'network is not ready: container runtime network not ready: NetworkReady=false\n    \
             reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration\n    \
             file in /etc/kubernetes/cni/net.d/. Has your network provider started?'\n"
        );
    }

    #[test]
    fn key_order() {
        let mut k = vec!["b", "a-10", "a-9", "A", "_x", "a"];
        k.sort_by(|a, b| key_cmp(a, b));
        assert_eq!(k, vec!["_x", "A", "a", "a-9", "a-10", "b"]);
    }
}
