//! A fast decoder for the block YAML that `oc` writes, with serde-saphyr as the fallback.
//!
//! serde-saphyr decodes at 11–17 MB/s, and almost every object casefile decodes is block
//! YAML from Go's marshaller: two-space indentation, plain keys, plain / quoted / `|` / `>`
//! scalars, `{}` / `[]` and `- ` sequences. [`parse`] reads exactly that subset into a
//! borrowed tree ([`Node`]) and gives up (`None`) on anything else: tabs, carriage returns,
//! control characters, anchors, aliases, tags, directives, document markers past the first
//! line, complex keys, flow collections other than `{}` / `[]`, duplicate keys, explicit
//! block indentation indicators, nesting beyond [`MAX_DEPTH`], numbers it cannot resolve
//! exactly (underscores, `0x`, non-finite floats) and comments anywhere but after a value or
//! on their own line. [`Node`] is a `serde::Deserializer` that resolves plain scalars as
//! serde-saphyr does with casefile's options (YAML 1.1 booleans, core-schema null, integers,
//! floats; quoted and block scalars are strings). A caller falls back to serde-saphyr when the
//! parse gives up or the typed decode fails, so error messages stay serde-saphyr's.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// Deepest nesting of collections accepted (deeper text goes to serde-saphyr's budgets).
pub const MAX_DEPTH: usize = 48;

/// Longest implicit key accepted (YAML limits implicit keys to 1024 characters).
const MAX_KEY: usize = 1000;

/// A parsed YAML node, borrowing from the text where no unescaping or folding was needed.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// A scalar.
    Scalar(Scalar<'a>),
    /// A sequence.
    Seq(Vec<Node<'a>>),
    /// A mapping with string keys, in document order (no duplicates).
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// A scalar's text and whether it was plain (plain scalars resolve to null, bool, numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar<'a> {
    /// The scalar's value (unquoted, unescaped, folded).
    pub text: Cow<'a, str>,
    /// Plain (unquoted, not a block scalar).
    pub plain: bool,
}

/// The parser gave up: the text is outside the subset (or not YAML).
#[derive(Debug)]
struct Bail;

type R<T> = Result<T, Bail>;

/// Parses a whole document (optionally starting with a `---` line) whose root is a block
/// mapping or sequence at column 0. `None` when the text is outside the subset.
pub fn parse(text: &str) -> Option<Node<'_>> {
    if !plausible(text) {
        return None;
    }
    let mut p = Parser {
        src: text,
        b: text.as_bytes(),
        pos: 0,
    };
    p.root().ok()
}

/// Parses a List item (`- ` at column 0, a one-element sequence) and returns the element.
pub fn parse_item(text: &str) -> Option<Node<'_>> {
    match parse(text)? {
        Node::Seq(mut v) if v.len() == 1 => v.pop(),
        _ => None,
    }
}

/// Rejects characters the parser does not handle: tabs, carriage returns, other control
/// characters, the BOM, C1 controls, NEL, line/paragraph separators, non-characters.
fn plausible(text: &str) -> bool {
    let ascii_ok = !text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f);
    ascii_ok
        && (text.is_ascii()
            || !text.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

/// One line of the text.
#[derive(Clone, Copy)]
struct Line {
    /// Offset of the first byte.
    start: usize,
    /// Offset of the `\n` (or the text's end).
    end: usize,
    /// Offset after the `\n` (or the text's end).
    next: usize,
    /// Leading spaces.
    indent: usize,
}

impl Line {
    fn content(&self) -> usize {
        self.start + self.indent
    }
    fn blank(&self) -> bool {
        self.content() == self.end
    }
}

/// Where a value sits: after `key:` or after `- `.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    MapValue,
    SeqItem,
}

/// Characters that may not start a plain scalar or key (in this subset).
fn indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    /// Start of the first line not consumed yet.
    pos: usize,
}

impl<'a> Parser<'a> {
    fn line(&self, start: usize) -> Line {
        let rest = self.b.get(start..).unwrap_or_default();
        let end = memchr::memchr(b'\n', rest).map_or(self.b.len(), |i| start + i);
        let next = if end < self.b.len() { end + 1 } else { end };
        let indent = self
            .b
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
        Line {
            start,
            end,
            next,
            indent,
        }
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn slice(&self, from: usize, to: usize) -> R<&'a str> {
        self.src.get(from..to).ok_or(Bail)
    }

    /// The next line holding structure (blank and comment-only lines are consumed), or
    /// `None` at the end. Gives up on document markers and directives.
    fn peek(&mut self) -> R<Option<Line>> {
        while self.pos < self.b.len() {
            let l = self.line(self.pos);
            if l.blank() || self.byte(l.content()) == Some(b'#') {
                self.pos = l.next;
                continue;
            }
            if l.indent == 0 {
                let s = self.b.get(l.start..l.end).unwrap_or_default();
                if is_marker(s) || s.first() == Some(&b'%') {
                    return Err(Bail);
                }
            }
            return Ok(Some(l));
        }
        Ok(None)
    }

    fn root(&mut self) -> R<Node<'a>> {
        // A leading `---` line (alone) is allowed.
        if let Some(l) = self.peek_raw_first()
            && self.b.get(l.start..l.end) == Some(b"---".as_slice())
        {
            self.pos = l.next;
        }
        let l = self.peek()?.ok_or(Bail)?;
        if l.indent != 0 {
            return Err(Bail);
        }
        let node = if self.is_dash(l.content(), l.end) {
            self.seq(0, l, 1)?
        } else {
            self.map(0, l.content(), l, 1)?
        };
        if self.peek()?.is_some() {
            return Err(Bail);
        }
        Ok(node)
    }

    /// The first non-blank, non-comment line from the start, without consuming anything.
    fn peek_raw_first(&self) -> Option<Line> {
        let mut at = 0;
        while at < self.b.len() {
            let l = self.line(at);
            if l.blank() || self.byte(l.content()) == Some(b'#') {
                at = l.next;
                continue;
            }
            return Some(l);
        }
        None
    }

    /// `- ` or a lone `-` at `at`.
    fn is_dash(&self, at: usize, end: usize) -> bool {
        self.byte(at) == Some(b'-') && (at + 1 == end || self.byte(at + 1) == Some(b' '))
    }

    /// A block sequence whose dashes are at column `col`; `l` is the first item's line.
    fn seq(&mut self, col: usize, first: Line, depth: usize) -> R<Node<'a>> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        let mut items = Vec::new();
        let mut dash = first.start + col;
        let mut l = first;
        loop {
            self.pos = l.next;
            items.push(self.value(col, dash + 1, l, Ctx::SeqItem, depth)?);
            match self.peek()? {
                Some(n) if n.indent == col && self.is_dash(n.content(), n.end) => {
                    dash = n.content();
                    l = n;
                }
                Some(n) if n.indent > col => return Err(Bail),
                _ => break,
            }
        }
        Ok(Node::Seq(items))
    }

    /// A block mapping whose keys are at column `col`; the first key starts at `at` on `l`.
    fn map(&mut self, col: usize, mut at: usize, first: Line, depth: usize) -> R<Node<'a>> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        let mut entries: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut l = first;
        loop {
            self.pos = l.next;
            let (key, after) = self.key(at, l.end)?;
            let v = self.value(col, after, l, Ctx::MapValue, depth)?;
            entries.push((key, v));
            match self.peek()? {
                Some(n) if n.indent == col && !self.is_dash(n.content(), n.end) => {
                    at = n.content();
                    l = n;
                }
                Some(n) if n.indent > col => return Err(Bail),
                _ => break,
            }
        }
        if has_duplicates(&entries) {
            return Err(Bail);
        }
        Ok(Node::Map(entries))
    }

    /// A mapping key at `at` (before `end`, the line's end); returns it and the offset
    /// just after its `:`.
    fn key(&self, at: usize, end: usize) -> R<(Cow<'a, str>, usize)> {
        let c = self.byte(at).ok_or(Bail)?;
        if c == b'"' || c == b'\'' {
            let (text, close) = self.quoted_one_line(at, end)?;
            if self.byte(close) != Some(b':') {
                return Err(Bail);
            }
            let after = close + 1;
            if after != end && self.byte(after) != Some(b' ') {
                return Err(Bail);
            }
            return Ok((text, after));
        }
        if indicator(c) {
            return Err(Bail);
        }
        let line = self.b.get(at..end).ok_or(Bail)?;
        let colon = key_colon(line).ok_or(Bail)?;
        let key = line.get(..colon).ok_or(Bail)?;
        if colon > MAX_KEY
            || key.last() == Some(&b' ')
            || memchr::memmem::find(key, b" #").is_some()
        {
            return Err(Bail);
        }
        let key = self.slice(at, at + colon)?;
        if !matches!(resolve(key), Resolved::Str) {
            return Err(Bail);
        }
        Ok((Cow::Borrowed(key), at + colon + 1))
    }

    /// A single-line quoted scalar starting at `at`: its text and the offset after the
    /// closing quote.
    fn quoted_one_line(&self, at: usize, end: usize) -> R<(Cow<'a, str>, usize)> {
        let qs = self.byte(at).ok_or(Bail)?;
        let mut i = at + 1;
        while i < end {
            match self.byte(i) {
                Some(b'\\') if qs == b'"' => i += 2,
                Some(c) if c == qs => {
                    if qs == b'\'' && self.byte(i + 1) == Some(b'\'') {
                        i += 2;
                        continue;
                    }
                    let close = i + 1;
                    let mut p = Parser {
                        src: self.src,
                        b: self.b,
                        pos: 0,
                    };
                    let (text, after) = p.quoted(at, usize::MAX)?;
                    if after != close {
                        return Err(Bail);
                    }
                    return Ok((text, close));
                }
                _ => i += 1,
            }
        }
        Err(Bail)
    }

    /// The value after `key:` or `- ` (`after` is the offset just after the indicator on line
    /// `l`); `col` is the column of the key or dash.
    fn value(&mut self, col: usize, after: usize, l: Line, ctx: Ctx, depth: usize) -> R<Node<'a>> {
        if after < l.end && self.byte(after) != Some(b' ') {
            return Err(Bail);
        }
        let rest = self.b.get(after..l.end).ok_or(Bail)?;
        let spaces = rest.iter().take_while(|&&c| c == b' ').count();
        let q = after + spaces;
        if q == l.end {
            // The value is on the following lines, or null.
            return match self.peek()? {
                Some(n) if n.indent > col => {
                    if self.is_dash(n.content(), n.end) {
                        self.seq(n.indent, n, depth + 1)
                    } else {
                        self.map(n.indent, n.content(), n, depth + 1)
                    }
                }
                Some(n)
                    if ctx == Ctx::MapValue
                        && n.indent == col
                        && self.is_dash(n.content(), n.end) =>
                {
                    self.seq(col, n, depth + 1)
                }
                _ => Ok(plain("")),
            };
        }
        let qcol = q - l.start;
        let c = self.byte(q).ok_or(Bail)?;
        if self.is_dash(q, l.end) {
            // `- - x` is a nested sequence; `key: - x` is not YAML.
            return match ctx {
                Ctx::SeqItem => self.seq(qcol, l, depth + 1),
                Ctx::MapValue => Err(Bail),
            };
        }
        if ctx == Ctx::SeqItem && self.starts_key(q, l.end) {
            return self.map(qcol, q, l, depth + 1);
        }
        match c {
            b'"' | b'\'' => {
                let (text, close) = self.quoted(q, col)?;
                self.trailing(close)?;
                Ok(Node::Scalar(Scalar { text, plain: false }))
            }
            b'|' | b'>' => self.block_scalar(col, q, l),
            b'{' | b'[' => {
                let tail = self.b.get(q..l.end).ok_or(Bail)?;
                let tail = trim_end_spaces(tail);
                match tail {
                    b"{}" => Ok(Node::Map(Vec::new())),
                    b"[]" => Ok(Node::Seq(Vec::new())),
                    _ => Err(Bail),
                }
            }
            c if indicator(c) && c != b'-' => Err(Bail),
            _ => self.plain_scalar(col, q, l),
        }
    }

    /// Whether the text at `at` (up to `end`) is `key:` / `key: ...` (a compact mapping).
    fn starts_key(&self, at: usize, end: usize) -> bool {
        match self.byte(at) {
            Some(b'"' | b'\'') => {
                // A quoted key closes on this line and is followed by `:`.
                self.quoted_one_line(at, end)
                    .is_ok_and(|(_, close)| self.byte(close) == Some(b':'))
            }
            _ => self
                .b
                .get(at..end)
                .and_then(key_colon)
                .is_some_and(|colon| {
                    // A `#` after a space before the colon starts a comment: not a key.
                    self.b
                        .get(at..at + colon)
                        .is_some_and(|k| memchr::memmem::find(k, b" #").is_none())
                }),
        }
    }

    /// After a quoted scalar or flow collection: only spaces and a comment may follow.
    fn trailing(&self, at: usize) -> R<()> {
        let l = self.line_containing(at);
        let rest = self.b.get(at..l.end).ok_or(Bail)?;
        let spaces = rest.iter().take_while(|&&c| c == b' ').count();
        match rest.get(spaces) {
            None => Ok(()),
            Some(b'#') if spaces > 0 => Ok(()),
            _ => Err(Bail),
        }
    }

    /// The line that contains offset `at` (which must be at or after `self.pos`'s line).
    fn line_containing(&self, at: usize) -> Line {
        let start = self
            .b
            .get(..at)
            .and_then(|b| memchr::memrchr(b'\n', b))
            .map_or(0, |i| i + 1);
        self.line(start)
    }

    /// A plain scalar starting at `q` on line `l`, continued on lines indented past `col`.
    fn plain_scalar(&mut self, col: usize, qs: usize, ln: Line) -> R<Node<'a>> {
        let first = self.b.get(qs..ln.end).ok_or(Bail)?;
        let (first_len, commented) = match memchr::memmem::find(first, b" #") {
            Some(i) => (i, true),
            None => (first.len(), false),
        };
        let first = trim_end_spaces(first.get(..first_len).ok_or(Bail)?);
        check_plain_line(first)?;
        let first_str = self.slice(qs, qs + first.len())?;
        self.pos = ln.next;
        let mut text: Cow<'a, str> = Cow::Borrowed(first_str);
        if !commented {
            let mut breaks = 0usize;
            let mut at = ln.next;
            while at < self.b.len() {
                let n = self.line(at);
                if n.blank() {
                    breaks += 1;
                    at = n.next;
                    continue;
                }
                if n.indent <= col {
                    break;
                }
                let s = self.b.get(n.content()..n.end).ok_or(Bail)?;
                let s = trim_end_spaces(s);
                if s.first() == Some(&b'#') {
                    // A comment line ends the scalar.
                    break;
                }
                // Indicators are text on a continuation line, except `- `, `? `, `: `.
                if matches!(s, [b'-' | b'?' | b':'] | [b'-' | b'?' | b':', b' ', ..])
                    || memchr::memmem::find(s, b" #").is_some()
                {
                    return Err(Bail);
                }
                check_plain_line(s)?;
                let s = self.slice(n.content(), n.content() + s.len())?;
                let t = text.to_mut();
                if breaks == 0 {
                    t.push(' ');
                } else {
                    t.extend(std::iter::repeat_n('\n', breaks));
                }
                t.push_str(s);
                breaks = 0;
                at = n.next;
                self.pos = n.next;
            }
        }
        if matches!(resolve(&text), Resolved::Unsure) {
            return Err(Bail);
        }
        Ok(Node::Scalar(Scalar { text, plain: true }))
    }

    /// A quoted scalar starting at `q` (its quote), possibly over several lines, each
    /// continuation indented past `col`. Returns the text and the offset after the closing
    /// quote; consumes the lines it spans.
    #[allow(clippy::many_single_char_names)]
    fn quoted(&mut self, q: usize, col: usize) -> R<(Cow<'a, str>, usize)> {
        let quote = self.byte(q).ok_or(Bail)?;
        let double = quote == b'"';
        let start = q + 1;
        // Fast path: closes on the same line without escapes.
        let l = self.line_containing(q);
        let body = self.b.get(start..l.end).ok_or(Bail)?;
        if let Some(i) = memchr::memchr2(quote, b'\\', body)
            && body.get(i) == Some(&quote)
            && !(quote == b'\'' && body.get(i + 1) == Some(&b'\''))
        {
            let text = self.slice(start, start + i)?;
            self.pos = self.pos.max(l.next);
            return Ok((Cow::Borrowed(text), start + i + 1));
        }
        let mut out = String::new();
        // `out` may not be trimmed below this length (escaped white space).
        let mut floor = 0usize;
        let mut i = start;
        loop {
            let c = self.byte(i).ok_or(Bail)?;
            match c {
                b'\n' => {
                    // Fold: trailing white space dropped, then blank lines counted.
                    let keep = out.trim_end_matches(' ').len().max(floor);
                    out.truncate(keep);
                    let mut breaks = 0usize;
                    let mut at = i + 1;
                    let n = loop {
                        if at >= self.b.len() {
                            return Err(Bail);
                        }
                        let n = self.line(at);
                        if n.blank() {
                            breaks += 1;
                            at = n.next;
                            continue;
                        }
                        break n;
                    };
                    if n.indent <= col {
                        return Err(Bail);
                    }
                    if breaks == 0 {
                        out.push(' ');
                    } else {
                        out.extend(std::iter::repeat_n('\n', breaks));
                    }
                    floor = out.len();
                    i = n.content();
                }
                b'\\' if double => {
                    let e = self.byte(i + 1).ok_or(Bail)?;
                    i += 2;
                    match e {
                        b'0' => out.push('\0'),
                        b'a' => out.push('\u{7}'),
                        b'b' => out.push('\u{8}'),
                        b't' => out.push('\t'),
                        b'n' => out.push('\n'),
                        b'v' => out.push('\u{b}'),
                        b'f' => out.push('\u{c}'),
                        b'r' => out.push('\r'),
                        b'e' => out.push('\u{1b}'),
                        b' ' => out.push(' '),
                        b'"' => out.push('"'),
                        b'/' => out.push('/'),
                        b'\\' => out.push('\\'),
                        b'N' => out.push('\u{85}'),
                        b'_' => out.push('\u{a0}'),
                        b'L' => out.push('\u{2028}'),
                        b'P' => out.push('\u{2029}'),
                        b'x' | b'u' | b'U' => {
                            let len = match e {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let hex = self.b.get(i..i + len).ok_or(Bail)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return Err(Bail);
                            }
                            let hex = std::str::from_utf8(hex).map_err(|_| Bail)?;
                            let v = u32::from_str_radix(hex, 16).map_err(|_| Bail)?;
                            out.push(char::from_u32(v).ok_or(Bail)?);
                            i += len;
                        }
                        b'\n' => {
                            // Escaped line break: joined without a space; the next line's
                            // indentation is dropped. Blank lines after it: give up.
                            let n = self.line(i);
                            if n.blank() || n.indent <= col {
                                return Err(Bail);
                            }
                            i = n.content();
                        }
                        _ => return Err(Bail),
                    }
                    floor = out.len();
                }
                c if c == quote => {
                    if !double && self.byte(i + 1) == Some(b'\'') {
                        out.push('\'');
                        i += 2;
                        floor = out.len();
                        continue;
                    }
                    let close = i + 1;
                    let cl = self.line_containing(close.saturating_sub(1));
                    self.pos = self.pos.max(cl.next);
                    return Ok((Cow::Owned(out), close));
                }
                _ => {
                    // Copy a run of ordinary characters (at least the current one).
                    let run_end = self
                        .b
                        .get(i + 1..)
                        .and_then(|r| {
                            r.iter()
                                .position(|&b| b == b'\n' || b == b'\\' || b == quote)
                        })
                        .map_or(self.b.len(), |k| i + 1 + k);
                    out.push_str(self.slice(i, run_end)?);
                    i = run_end;
                }
            }
        }
    }

    /// A block scalar (`|` or `>`, optional `-`/`+`) whose header is at `q` on line `l`;
    /// content lines are indented past `col`.
    fn block_scalar(&mut self, col: usize, qs: usize, ln: Line) -> R<Node<'a>> {
        let header = trim_end_spaces(self.b.get(qs..ln.end).ok_or(Bail)?);
        let (literal, chomp) = match header {
            b"|" => (true, Chomp::Clip),
            b"|-" => (true, Chomp::Strip),
            b"|+" => (true, Chomp::Keep),
            b">" => (false, Chomp::Clip),
            b">-" => (false, Chomp::Strip),
            b">+" => (false, Chomp::Keep),
            _ => return Err(Bail),
        };
        // The first content line sets the indentation; no leading blank lines.
        if ln.next >= self.b.len() {
            return Err(Bail);
        }
        let first = self.line(ln.next);
        if first.blank() || first.indent <= col {
            return Err(Bail);
        }
        let k = first.indent;
        let mut out = String::new();
        let mut at = first.start;
        let mut breaks = 0usize; // blank lines since the last content line
        let mut last_end = first.start;
        let mut any = false;
        while at < self.b.len() {
            let n = self.line(at);
            if n.blank() {
                if n.end - n.start > k {
                    return Err(Bail);
                }
                breaks += 1;
                at = n.next;
                continue;
            }
            if n.indent < k {
                break;
            }
            if n.next == n.end {
                // Content at the end of the text without a line break: give up.
                return Err(Bail);
            }
            let s = self.slice(n.start + k, n.end)?;
            if any {
                if literal {
                    out.push('\n');
                    out.extend(std::iter::repeat_n('\n', breaks));
                } else if s.starts_with(' ') {
                    return Err(Bail);
                } else if breaks == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', breaks));
                }
            } else if !literal && s.starts_with(' ') {
                return Err(Bail);
            }
            out.push_str(s);
            any = true;
            breaks = 0;
            last_end = n.next;
            at = n.next;
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => out.push('\n'),
            Chomp::Keep => {
                if at >= self.b.len() && breaks > 0 {
                    // Trailing blank lines up to the end of the text: give up.
                    return Err(Bail);
                }
                out.push('\n');
                out.extend(std::iter::repeat_n('\n', breaks));
            }
        }
        self.pos = last_end;
        Ok(Node::Scalar(Scalar {
            text: Cow::Owned(out),
            plain: false,
        }))
    }
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

fn plain(s: &'static str) -> Node<'static> {
    Node::Scalar(Scalar {
        text: Cow::Borrowed(s),
        plain: true,
    })
}

fn is_marker(line: &[u8]) -> bool {
    (line.starts_with(b"---") || line.starts_with(b"..."))
        && matches!(line.get(3), None | Some(b' '))
}

fn trim_end_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|&&c| c == b' ').count();
    s.get(..s.len() - n).unwrap_or_default()
}

/// The offset of the `:` that ends a plain key on this line: the first `: ` or a `:` at
/// the end.
fn key_colon(line: &[u8]) -> Option<usize> {
    let line = trim_end_spaces(line);
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', line.get(from..)?) {
        let at = from + i;
        match line.get(at + 1) {
            None | Some(b' ') => return Some(at),
            _ => from = at + 1,
        }
    }
    None
}

/// A line of a plain scalar: no `: ` inside, no `:` at the end.
fn check_plain_line(s: &[u8]) -> R<()> {
    if s.is_empty() || s.last() == Some(&b':') || memchr::memmem::find(s, b": ").is_some() {
        return Err(Bail);
    }
    Ok(())
}

fn has_duplicates(entries: &[(Cow<'_, str>, Node<'_>)]) -> bool {
    if entries.len() <= 16 {
        entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries.iter().skip(i + 1).any(|(k2, _)| k == k2))
    } else {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        keys.sort_unstable();
        keys.windows(2).any(|w| w.first() == w.get(1))
    }
}

// ---------------------------------------------------------------------------------------
// Plain scalar resolution (serde-saphyr's `deserialize_any` with casefile's options).

/// What a plain scalar resolves to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str,
    /// A spelling resolved here not exactly as serde-saphyr does (underscores, radix
    /// prefixes, non-finite floats): the parser gives up on it.
    Unsure,
}

/// YAML 1.1 booleans, as serde-saphyr accepts them when `strict_booleans` is off.
fn yaml11_bool(t: &str) -> Option<bool> {
    let any = |w: &[&str]| w.iter().any(|x| t.eq_ignore_ascii_case(x));
    if any(&["true", "yes", "y", "on"]) {
        Some(true)
    } else if any(&["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// serde-saphyr's padding trim for scalar conversions.
fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn decimal(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.bytes().try_fold(0u64, |v, b| {
        v.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

fn resolve(text: &str) -> Resolved {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Resolved::Null;
    }
    let t = yaml_trim(text);
    if let Some(b) = yaml11_bool(t) {
        return Resolved::Bool(b);
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let Some(&first) = unsigned.as_bytes().first() else {
        return Resolved::Str;
    };
    if first == b'.' {
        if matches!(
            unsigned,
            ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
        ) {
            return Resolved::Unsure;
        }
    } else if !first.is_ascii_digit() {
        // serde-saphyr's numeric parsers need a digit (or `.inf`/`.nan`) here.
        return Resolved::Str;
    } else if let [b'0', p, rest @ ..] = unsigned.as_bytes()
        && matches!(p, b'x' | b'o' | b'b' | b'X' | b'O' | b'B')
    {
        // Upper-case prefixes stay strings in serde-saphyr; lower-case ones may parse.
        let digits = !rest.is_empty() && rest.iter().all(|c| c.is_ascii_hexdigit() || *c == b'_');
        return if p.is_ascii_lowercase() && digits {
            Resolved::Unsure
        } else {
            Resolved::Str
        };
    } else if unsigned.bytes().all(|c| c.is_ascii_digit() || c == b'_') && unsigned.contains('_') {
        // Digits with underscores: serde-saphyr's integer parser may accept them.
        return Resolved::Unsure;
    }
    let leading_zero = unsigned.len() > 1 && unsigned.starts_with('0');
    if let Some(d) = t.strip_prefix('-') {
        if !leading_zero
            && let Some(m) = decimal(d)
            && let Ok(v) = i64::try_from(-i128::from(m))
        {
            return Resolved::I64(v);
        }
    } else if !leading_zero && let Some(v) = decimal(unsigned) {
        return Resolved::U64(v);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Resolved::F64(v),
        Ok(_) => Resolved::Unsure,
        Err(_) => Resolved::Str,
    }
}

// ---------------------------------------------------------------------------------------
// serde

/// A decode error of the fast path (callers fall back to serde-saphyr on any error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

fn err<T>(what: &str) -> Result<T, Error> {
    Err(Error(what.to_owned()))
}

/// Decodes a document with the fast path: `None` when the text is outside the subset.
pub fn from_str<'a, T: de::Deserialize<'a>>(text: &'a str) -> Option<Result<T, Error>> {
    parse(text).map(T::deserialize)
}

/// Decodes a `- ` List item with the fast path: `None` when outside the subset.
pub fn from_item_str<'a, T: de::Deserialize<'a>>(text: &'a str) -> Option<Result<T, Error>> {
    parse_item(text).map(T::deserialize)
}

fn visit_text<'de, V: Visitor<'de>>(text: Cow<'de, str>, visitor: V) -> Result<V::Value, Error> {
    match text {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

impl Node<'_> {
    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(Scalar { text, plain: true }) if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"))
    }

    fn scalar_text(&self) -> Result<&str, Error> {
        match self {
            Node::Scalar(s) => Ok(&s.text),
            _ => err("expected a scalar"),
        }
    }

    fn signed(&self) -> Result<i64, Error> {
        let t = yaml_trim(self.scalar_text()?);
        let (neg, d) = match t.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        if d.len() > 1 && d.starts_with('0') {
            return err("invalid integer");
        }
        let m = decimal(d).ok_or_else(|| Error("invalid integer".into()))?;
        let v = i128::from(m);
        i64::try_from(if neg { -v } else { v }).map_err(|_| Error("invalid integer".into()))
    }

    fn unsigned(&self) -> Result<u64, Error> {
        let t = yaml_trim(self.scalar_text()?);
        let d = t.strip_prefix('+').unwrap_or(t);
        if d.len() > 1 && d.starts_with('0') {
            return err("invalid integer");
        }
        decimal(d).ok_or_else(|| Error("invalid integer".into()))
    }
}

macro_rules! int_method {
    ($name:ident, $visit:ident, $ty:ty, $get:ident) => {
        fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let v =
                <$ty>::try_from(self.$get()?).map_err(|_| Error("integer out of range".into()))?;
            visitor.$visit(v)
        }
    };
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Scalar(Scalar { text, plain: false }) => visit_text(text, visitor),
            Node::Scalar(Scalar { text, plain: true }) => match resolve(&text) {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::U64(v) => visitor.visit_u64(v),
                Resolved::I64(v) => visitor.visit_i64(v),
                Resolved::F64(v) => visitor.visit_f64(v),
                Resolved::Str => visit_text(text, visitor),
                Resolved::Unsure => err("unsure scalar"),
            },
            Node::Seq(items) => visitor.visit_seq(SeqAccess(items.into_iter())),
            Node::Map(entries) => visitor.visit_map(MapAccess {
                it: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let b = yaml11_bool(yaml_trim(self.scalar_text()?))
            .ok_or_else(|| Error("invalid boolean".into()))?;
        visitor.visit_bool(b)
    }

    int_method!(deserialize_i8, visit_i8, i8, signed);
    int_method!(deserialize_i16, visit_i16, i16, signed);
    int_method!(deserialize_i32, visit_i32, i32, signed);
    int_method!(deserialize_i64, visit_i64, i64, signed);
    int_method!(deserialize_u8, visit_u8, u8, unsigned);
    int_method!(deserialize_u16, visit_u16, u16, unsigned);
    int_method!(deserialize_u32, visit_u32, u32, unsigned);
    int_method!(deserialize_u64, visit_u64, u64, unsigned);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match yaml_trim(self.scalar_text()?).parse::<f32>() {
            Ok(v) if v.is_finite() => visitor.visit_f32(v),
            _ => err("invalid float"),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match yaml_trim(self.scalar_text()?).parse::<f64>() {
            Ok(v) if v.is_finite() => visitor.visit_f64(v),
            _ => err("invalid float"),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_null() {
            return err("null is not a char");
        }
        let mut it = self.scalar_text()?.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => err("not a single char"),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_null() {
            return err("null into string");
        }
        match self {
            Node::Scalar(s) => visit_text(s.text, visitor),
            _ => err("expected a string"),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        err("bytes are not supported")
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        err("bytes are not supported")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_null() {
            visitor.visit_unit()
        } else {
            err("expected null")
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Seq(items) => visitor.visit_seq(SeqAccess(items.into_iter())),
            _ => err("expected a sequence"),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Map(entries) => visitor.visit_map(MapAccess {
                it: entries.into_iter(),
                value: None,
            }),
            _ => err("expected a mapping"),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Scalar(Scalar { text, plain: true }) if !text.is_empty() => {
                let s: String = text.into_owned();
                visitor.visit_enum(s.into_deserializer())
            }
            _ => err("only unit variants are supported"),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Every scalar the parser kept resolves without error: nothing to check.
        visitor.visit_unit()
    }
}

struct SeqAccess<'de>(std::vec::IntoIter<Node<'de>>);

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|n| seed.deserialize(n)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapAccess<'de> {
    it: std::vec::IntoIter<(Cow<'de, str>, Node<'de>)>,
    value: Option<Node<'de>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.it.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(Key(k)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => err("value without a key"),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

/// A mapping key: always a string (the parser keeps only keys that resolve to strings).
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_text(self.0, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Fuzzing oracle: when the fast path accepts `text` (a List item when it starts with `- `,
/// else a document) into a `serde_json::Value`, serde-saphyr must decode it to the same
/// value. `Err` describes a disagreement.
#[doc(hidden)]
pub fn check_against_serde_saphyr(text: &str) -> Result<(), String> {
    use serde_json::Value;
    let opts = || crate::decode::yaml_options(text.len());
    let item = text.starts_with("- ") || text.starts_with("-\n");
    let (fast, slow) = if item {
        let Some(Ok(fast)) = from_item_str::<Value>(text) else {
            return Ok(());
        };
        let slow =
            serde_saphyr::from_str_with_options::<Vec<Value>>(text, opts()).map(|mut v| v.pop());
        (fast, slow.map(Option::unwrap_or_default))
    } else {
        let Some(Ok(fast)) = from_str::<Value>(text) else {
            return Ok(());
        };
        (
            fast,
            serde_saphyr::from_str_with_options::<Value>(text, opts()),
        )
    };
    match slow {
        Ok(slow) if slow == fast => Ok(()),
        Ok(slow) => Err(format!("fast {fast:?} vs serde-saphyr {slow:?}")),
        Err(e) => Err(format!("fast accepted {fast:?}, serde-saphyr: {e}")),
    }
}
