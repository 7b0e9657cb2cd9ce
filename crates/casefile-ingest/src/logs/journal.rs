//! journalctl `short`, `short-precise` and `short-iso` lines.
//!
//! `Mon DD HH:MM:SS[.ffffff] host ident[pid]: msg`, `… host ident: msg`, an empty host
//! (`Apr 08 20:08:50  cluster-bootstrap[96008]: …`), or `YYYY-MM-DDTHH:MM:SS±hhmm host …`.

use casefile_model::log::LineSpan;
use memchr::{memchr, memchr3};

use super::{Head, Parsed, ends_or_space, inner, to_u32};
use crate::timefmt::{YearResolver, iso_prefix, parse_journal_prefix};

/// Identifiers longer than this are not looked for (the line is then a message after the host).
const MAX_IDENT: usize = 256;
/// At most this many pid digits (`u32`).
const MAX_PID_DIGITS: usize = 10;

/// journald meta lines: `-- Logs begin at … --`, `-- Journal begins at … --`,
/// `-- No entries --`, `-- Boot <id> --`, `-- Reboot --`.
pub(super) fn is_header(line: &[u8]) -> bool {
    line.starts_with(b"-- ") && {
        let t = line.trim_ascii_end();
        t.len() >= 6 && t.ends_with(b" --")
    }
}

/// One journal line.
pub(super) fn parse(line: &[u8], years: &YearResolver) -> Parsed {
    let (at, year_inferred, anchor, n) = match line.first() {
        Some(b'A'..=b'Z') => {
            let Some((mdt, n)) = parse_journal_prefix(line) else {
                return Parsed::Continue;
            };
            let year = years.year_for(mdt);
            let at = mdt.with_year(year);
            (at, at.is_some(), (year, mdt.month), n)
        }
        Some(b'0'..=b'9') => {
            let Some((civil, off, n)) = iso_prefix(line) else {
                return Parsed::Continue;
            };
            (civil.to_timestamp(off), false, (civil.year, civil.month), n)
        }
        Some(b'-') if is_header(line) => return Parsed::Skip,
        _ => return Parsed::Continue,
    };
    if !ends_or_space(line, n) {
        return Parsed::Continue;
    }
    let f = fields(line, n + 1);
    let inner = inner::parse(line.get(f.msg_start..).unwrap_or_default(), Some(anchor));
    Parsed::Record(Head {
        at,
        inner_at: inner.at,
        level: inner.level,
        host: f.host,
        ident: f.ident,
        pid: f.pid,
        msg_start: f.msg_start,
        year_inferred,
        ..Head::default()
    })
}

/// True when `host ident[pid]: ` starts at `p` (used to tell `short-iso` from pod logs).
pub(super) fn has_pid_fields(line: &[u8], p: usize) -> bool {
    let f = fields(line, p);
    f.ident.is_some() && f.pid.is_some()
}

/// Host, identifier, pid and message start of a journal line whose host starts at `p`.
struct Fields {
    host: Option<LineSpan>,
    ident: Option<LineSpan>,
    pid: Option<u32>,
    msg_start: usize,
}

fn span(start: usize, end: usize) -> LineSpan {
    LineSpan {
        start: to_u32(start),
        end: to_u32(end),
    }
}

fn fields(line: &[u8], p: usize) -> Fields {
    let mut f = Fields {
        host: None,
        ident: None,
        pid: None,
        msg_start: line.len(),
    };
    let Some(rest) = line.get(p..) else {
        return f;
    };
    let host_len = memchr(b' ', rest).unwrap_or(rest.len());
    if host_len > 0 {
        f.host = Some(span(p, p + host_len));
    }
    let q = p + host_len + 1;
    let Some(rest) = line.get(q..) else {
        return f;
    };
    f.msg_start = q;
    let window = rest.get(..rest.len().min(MAX_IDENT)).unwrap_or_default();
    let Some(i) = memchr3(b'[', b':', b' ', window) else {
        return f;
    };
    if i == 0 {
        return f;
    }
    let after_colon = match window.get(i) {
        Some(b'[') => {
            let digits = rest.get(i + 1..).unwrap_or_default();
            let len = digits
                .iter()
                .take(MAX_PID_DIGITS + 1)
                .take_while(|b| b.is_ascii_digit())
                .count();
            if len == 0 || len > MAX_PID_DIGITS || digits.get(len..len + 2) != Some(b"]:") {
                return f;
            }
            let pid = digits
                .get(..len)
                .unwrap_or_default()
                .iter()
                .try_fold(0u32, |acc, &b| {
                    acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
                });
            let Some(pid) = pid else {
                return f;
            };
            f.pid = Some(pid);
            q + i + 1 + len + 2
        }
        Some(b':') => q + i + 1,
        _ => return f,
    };
    // `ident: msg` (or `ident:` at the end of the line)
    match line.get(after_colon) {
        Some(b' ') => f.msg_start = after_colon + 1,
        None => f.msg_start = after_colon,
        Some(_) => {
            f.pid = None;
            return f;
        }
    }
    f.ident = Some(span(q, q + i));
    f
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// (line, host, ident, pid, message)
    #[test]
    fn fields_table() {
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<u32>,
            &'a str,
        );
        let cases: &[Case<'_>] = &[
            (
                "Aug 03 09:17:42.077259 ip-10-0-195-177 systemd[1]: Starting Kubernetes Kubelet...",
                Some("ip-10-0-195-177"),
                Some("systemd"),
                Some(1),
                "Starting Kubernetes Kubelet...",
            ),
            (
                "Feb 11 19:03:32 juju-110cc2-k8stest-4 kube-proxy.daemon[23328]: I0211 x",
                Some("juju-110cc2-k8stest-4"),
                Some("kube-proxy.daemon"),
                Some(23328),
                "I0211 x",
            ),
            (
                "Aug 03 09:17:41.226560 ip-10-0-195-177 configure-ovs.sh[1209]: + touch",
                Some("ip-10-0-195-177"),
                Some("configure-ovs.sh"),
                Some(1209),
                "+ touch",
            ),
            (
                "Aug 03 09:17:40.991466 localhost kernel: Linux version",
                Some("localhost"),
                Some("kernel"),
                None,
                "Linux version",
            ),
            (
                "Apr 08 20:08:50  cluster-bootstrap[96008]: W0408 x",
                None,
                Some("cluster-bootstrap"),
                Some(96008),
                "W0408 x",
            ),
            (
                "Aug 03 09:17:42 host systemd[1]:",
                Some("host"),
                Some("systemd"),
                Some(1),
                "",
            ),
            (
                "Aug 03 09:17:42 host systemd[1]: ",
                Some("host"),
                Some("systemd"),
                Some(1),
                "",
            ),
            (
                "Aug 03 09:17:42 host kernel:",
                Some("host"),
                Some("kernel"),
                None,
                "",
            ),
            // near misses: message right after the host
            (
                "Aug 03 09:17:42 host just some text",
                Some("host"),
                None,
                None,
                "just some text",
            ),
            (
                "Aug 03 09:17:42 host systemd[]: x",
                Some("host"),
                None,
                None,
                "systemd[]: x",
            ),
            (
                "Aug 03 09:17:42 host systemd[1x]: x",
                Some("host"),
                None,
                None,
                "systemd[1x]: x",
            ),
            (
                "Aug 03 09:17:42 host systemd[1] x",
                Some("host"),
                None,
                None,
                "systemd[1] x",
            ),
            (
                "Aug 03 09:17:42 host systemd[99999999999]: x",
                Some("host"),
                None,
                None,
                "systemd[99999999999]: x",
            ),
            (
                "Aug 03 09:17:42 host systemd[4294967296]: x",
                Some("host"),
                None,
                None,
                "systemd[4294967296]: x",
            ),
            (
                "Aug 03 09:17:42 host a:b c",
                Some("host"),
                None,
                None,
                "a:b c",
            ),
            ("Aug 03 09:17:42 host :x", Some("host"), None, None, ":x"),
            ("Aug 03 09:17:42 host", Some("host"), None, None, ""),
            ("Aug 03 09:17:42 ", None, None, None, ""),
        ];
        let years = YearResolver::new("2021-08-03T10:12:00Z".parse().unwrap());
        for (line, host, ident, pid, msg) in cases {
            let data = line.as_bytes();
            let Parsed::Record(h) = parse(data, &years) else {
                panic!("not a record: {line:?}");
            };
            let get = |s: Option<LineSpan>| s.map(|s| &line[s.start as usize..s.end as usize]);
            assert_eq!(get(h.host), *host, "host {line:?}");
            assert_eq!(get(h.ident), *ident, "ident {line:?}");
            assert_eq!(h.pid, *pid, "pid {line:?}");
            assert_eq!(&line[h.msg_start..], *msg, "msg {line:?}");
        }
    }

    #[test]
    fn header_table() {
        let cases: &[(&str, bool)] = &[
            (
                "-- Logs begin at Tue 2021-08-03 09:10:29 UTC, end at Tue 2021-08-03 10:13:48 UTC. --",
                true,
            ),
            (
                "-- Journal begins at Mon 2024-02-05 10:00:00 UTC, ends at Sat 2024-02-10 12:00:00 UTC. --",
                true,
            ),
            ("-- No entries --", true),
            ("-- No entries --\r", true),
            ("-- Boot 3a2b7c0d9e8f4a1b2c3d4e5f60718293 --", true),
            ("-- Reboot --", true),
            ("--", false),
            ("-- --", false),
            ("-- No entries", false),
            ("--No entries --", false),
            ("- No entries --", false),
            (" -- No entries --", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_header(line.as_bytes()), *want, "{line:?}");
        }
    }
}
