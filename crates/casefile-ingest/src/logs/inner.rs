//! Time and level found at the start of a message body.
//!
//! | body | example |
//! |---|---|
//! | klog | `E0803 09:17:48.107280    1354 kubelet.go:2223] "…"` |
//! | CRI-O logrus | `time="2021-08-03 09:21:22.276784981Z" level=info msg="…"` |
//! | logrus without time | `level=warning msg="…"` |
//! | Multus | `2021-08-03T09:20:20Z [error] Multus: …` |
//! | Multus entrypoint | `2021-08-03T09:20:48+00:00 WARN: {unknown parameter "-"}` |
//! | OVS | `2021-08-03T09:15:58Z\|00001\|dns_resolve\|WARN\|…`, `ovs\|00001\|vsctl\|INFO\|…` |
//! | `NetworkManager` | `<info>  [1627982159.5086] …` |
//! | bare level | `[error] …` |

use casefile_model::LogLevel;
use jiff::Timestamp;
use memchr::memchr;

use crate::timefmt::{iso_prefix, logrus_prefix, parse_klog_header, parse_unix_seconds};

/// Longest level word looked at (`critical`, `warning`).
const MAX_LEVEL: usize = 8;

/// What the start of a message says about itself.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Inner {
    /// Severity.
    pub(super) level: Option<LogLevel>,
    /// Time; a klog time gets the year nearest to the anchor (none without an anchor).
    pub(super) at: Option<Timestamp>,
}

/// Reads the level and time at the start of `msg`. `anchor` is `(year, month)` of the
/// line's prefix time, used to give year-less klog times a year.
pub(super) fn parse(msg: &[u8], anchor: Option<(i16, u8)>) -> Inner {
    match msg.first() {
        Some(b'I' | b'W' | b'E' | b'F') => klog(msg, anchor),
        Some(b't') => logrus(msg),
        Some(b'l') => Inner {
            level: logrus_level(msg.strip_prefix(b"level=")),
            at: None,
        },
        Some(b'0'..=b'9') => stamped(msg),
        Some(b'<') => network_manager(msg),
        Some(b'[') => Inner {
            level: bracket_level(msg),
            at: None,
        },
        Some(b'o') => Inner {
            level: msg.strip_prefix(b"ovs|").and_then(ovs_level),
            at: None,
        },
        _ => Inner::default(),
    }
}

fn klog(msg: &[u8], anchor: Option<(i16, u8)>) -> Inner {
    let Some((level, mdt, _)) = parse_klog_header(msg) else {
        return Inner::default();
    };
    let at = anchor.and_then(|(year, month)| mdt.with_year(mdt.year_near(year, month)));
    Inner {
        level: Some(level),
        at,
    }
}

/// `time="…" level=… msg=…`
fn logrus(msg: &[u8]) -> Inner {
    let Some(value) = msg.strip_prefix(b"time=\"") else {
        return Inner::default();
    };
    // the value is at most ~35 bytes; do not scan a long line for the quote
    let window = value.get(..value.len().min(48)).unwrap_or_default();
    let Some(close) = memchr(b'"', window) else {
        return Inner::default();
    };
    let at = logrus_prefix(value).and_then(|(t, n)| (n == close).then_some(t));
    let level = value
        .get(close + 1..)
        .and_then(|r| r.strip_prefix(b" level="))
        .and_then(|r| logrus_level(Some(r)));
    Inner { level, at }
}

/// The value of `level=` (`info`, `"warning"`), up to the next space.
fn logrus_level(value: Option<&[u8]>) -> Option<LogLevel> {
    let value = value?;
    let value = value.strip_prefix(b"\"").unwrap_or(value);
    let end = value
        .iter()
        .take(MAX_LEVEL + 1)
        .position(|&b| matches!(b, b' ' | b'"' | b'\t'));
    LogLevel::from_word(value.get(..end.unwrap_or(value.len()))?)
}

/// `<RFC 3339> [level] …`, `<RFC 3339> LEVEL: …`, `<RFC 3339>|seq|module|LEVEL|…`.
fn stamped(msg: &[u8]) -> Inner {
    let Some((civil, off, n)) = iso_prefix(msg) else {
        return Inner::default();
    };
    let rest = msg.get(n..).unwrap_or_default();
    let level = match rest.first() {
        Some(b' ' | b'\t') => {
            let rest = rest.get(1..).unwrap_or_default();
            bracket_level(rest).or_else(|| colon_level(rest))
        }
        Some(b'|') => ovs_level(rest.get(1..).unwrap_or_default()),
        None => None,
        Some(_) => return Inner::default(),
    };
    Inner {
        level,
        at: civil.to_timestamp(off),
    }
}

/// `[error] …`
fn bracket_level(s: &[u8]) -> Option<LogLevel> {
    let inner = s.strip_prefix(b"[")?;
    let close = inner.iter().take(MAX_LEVEL + 1).position(|&b| b == b']')?;
    LogLevel::from_word(inner.get(..close)?)
}

/// `WARN: …` (a level word directly followed by a colon).
fn colon_level(s: &[u8]) -> Option<LogLevel> {
    let colon = s.iter().take(MAX_LEVEL + 1).position(|&b| b == b':')?;
    LogLevel::from_word(s.get(..colon)?)
}

/// After the first `|` of an OVS line: `seq|module|LEVEL|…`.
fn ovs_level(s: &[u8]) -> Option<LogLevel> {
    let mut fields = s.splitn(4, |&b| b == b'|');
    let seq = fields.next()?;
    let _module = fields.next()?;
    let level = fields.next()?;
    fields.next()?;
    if seq.is_empty() || !seq.iter().all(u8::is_ascii_digit) {
        return None;
    }
    LogLevel::from_word(level)
}

/// `<info>  [1627982159.5086] …`
fn network_manager(msg: &[u8]) -> Inner {
    let Some(close) = msg.iter().take(MAX_LEVEL + 2).position(|&b| b == b'>') else {
        return Inner::default();
    };
    let level = msg.get(..=close).and_then(LogLevel::from_word);
    if level.is_none() {
        return Inner::default();
    }
    let rest = msg.get(close + 1..).unwrap_or_default();
    let rest = rest
        .get(rest.iter().take(8).take_while(|&&b| b == b' ').count()..)
        .unwrap_or_default();
    let at = rest.strip_prefix(b"[").and_then(|r| {
        let end = r.iter().take(24).position(|&b| b == b']')?;
        parse_unix_seconds(r.get(..end)?)
    });
    Inner { level, at }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use LogLevel::{Debug, Error, Info, Warning};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn inner_table() {
        let anchor = Some((2021i16, 8u8));
        let cases: &[(&str, Option<LogLevel>, Option<&str>)] = &[
            // klog
            (
                "I0803 09:17:43.005444    1354 server.go:895] \"Starting client certificate rotation\"",
                Some(Info),
                Some("2021-08-03T09:17:43.005444Z"),
            ),
            (
                "E0803 09:17:48.107280    1354 kubelet.go:2223] x",
                Some(Error),
                Some("2021-08-03T09:17:48.10728Z"),
            ),
            (
                "W0803 09:18:29.911358    2427 subnets.go:160] Could not find",
                Some(Warning),
                Some("2021-08-03T09:18:29.911358Z"),
            ),
            (
                "I0803 09:17:43.005444",
                Some(Info),
                Some("2021-08-03T09:17:43.005444Z"),
            ),
            // klog near misses
            ("I0803 09:17:43 1354 server.go:895] x", None, None),
            ("I1303 09:17:43.005444 1 a.go:1] x", None, None),
            (
                "Flag --minimum-container-ttl-duration has been deprecated",
                None,
                None,
            ),
            ("Error: something", None, None),
            // logrus
            (
                "time=\"2021-08-03 09:21:22.276784981Z\" level=info msg=\"Adding pod\"",
                Some(Info),
                Some("2021-08-03T09:21:22.276784981Z"),
            ),
            (
                "time=\"2021-08-03 09:17:42.066240444Z\" level=error msg=\"Remove /var/lib/crio/clean.shutdown\"",
                Some(Error),
                Some("2021-08-03T09:17:42.066240444Z"),
            ),
            (
                "time=\"2021-08-03 09:17:42.066240444Z\" level=warning",
                Some(Warning),
                Some("2021-08-03T09:17:42.066240444Z"),
            ),
            (
                "time=\"2021-08-03T09:17:42Z\" level=\"debug\" msg=x",
                Some(Debug),
                Some("2021-08-03T09:17:42Z"),
            ),
            ("level=warning msg=\"x\"", Some(Warning), None),
            // logrus near misses
            (
                "time=\"2021-08-03 09:21:22.276784981\" level=info",
                Some(Info),
                None,
            ), // no zone
            ("time=\"2021-08-03 09:21:22Z level=info", None, None), // no closing quote
            (
                "time=\"2021-08-03 09:21:22Z\"level=info",
                None,
                Some("2021-08-03T09:21:22Z"),
            ),
            (
                "time=\"2021-08-03 09:21:22Z\" level=infos",
                None,
                Some("2021-08-03T09:21:22Z"),
            ),
            ("timeout=5s", None, None),
            ("level=", None, None),
            // Multus
            (
                "2021-08-03T09:20:20Z [error] Multus: failed to get the cached delegates file",
                Some(Error),
                Some("2021-08-03T09:20:20Z"),
            ),
            (
                "2021-08-03T09:18:35Z [verbose] Add: openshift-network-diagnostics",
                Some(Debug),
                Some("2021-08-03T09:18:35Z"),
            ),
            (
                "2021-08-03T09:20:48+00:00 WARN: {unknown parameter \"-\"}",
                Some(Warning),
                Some("2021-08-03T09:20:48Z"),
            ),
            (
                "2021-08-03T09:20:50+00:00 Config file created @ /host/etc/cni/net.d/00-multus.conf",
                None,
                Some("2021-08-03T09:20:50Z"),
            ),
            (
                "2021-08-03T09:20:50+00:00",
                None,
                Some("2021-08-03T09:20:50Z"),
            ),
            // Multus near misses
            (
                "2021-08-03T09:20:20Z [errors] x",
                None,
                Some("2021-08-03T09:20:20Z"),
            ),
            ("2021-08-03T09:20:20Z[error] x", None, None),
            ("2021-08-03T09:20:20 [error] x", None, None),
            ("2021-13-03T09:20:20Z [error] x", None, None),
            // OVS
            (
                "2021-08-03T09:15:58Z|00001|dns_resolve|WARN|Failed to read /etc/resolv.conf",
                Some(Warning),
                Some("2021-08-03T09:15:58Z"),
            ),
            (
                "ovs|00001|vsctl|INFO|Called as ovs-vsctl --no-wait",
                Some(Info),
                None,
            ),
            ("ovs|00001|vsctl|ERR|x", Some(Error), None),
            ("ovs|x|vsctl|INFO|x", None, None),
            ("ovs|00001|vsctl|INFO", None, None),
            ("ovs-vsctl: x", None, None),
            // NetworkManager
            (
                "<info>  [1627982159.5086] NetworkManager (version 1.30.0-8.el8_4) is starting...",
                Some(Info),
                Some("2021-08-03T09:15:59.5086Z"),
            ),
            (
                "<warn>  [1627982160.1234] dhcp4 (ens5): request timed out",
                Some(Warning),
                Some("2021-08-03T09:16:00.1234Z"),
            ),
            (
                "<error> [1627982160] x",
                Some(Error),
                Some("2021-08-03T09:16:00Z"),
            ),
            ("<info> no time here", Some(Info), None),
            ("<infos>  [1627982159.5086] x", None, None),
            ("<html>", None, None),
            ("<", None, None),
            // bare levels
            ("[error] x", Some(Error), None),
            ("[pod/x] x", None, None),
            ("", None, None),
        ];
        for (msg, level, at) in cases {
            let got = parse(msg.as_bytes(), anchor);
            assert_eq!(
                got,
                Inner {
                    level: *level,
                    at: at.map(ts)
                },
                "{msg:?}"
            );
        }
    }

    #[test]
    fn klog_year_follows_anchor() {
        let msg = b"I1231 23:59:59.900000 1 a.go:1] x";
        assert_eq!(
            parse(msg, Some((2022, 1))).at,
            Some(ts("2021-12-31T23:59:59.9Z"))
        );
        assert_eq!(
            parse(msg, Some((2021, 12))).at,
            Some(ts("2021-12-31T23:59:59.9Z"))
        );
        let jan = b"I0101 00:00:00.100000 1 a.go:1] x";
        assert_eq!(
            parse(jan, Some((2021, 12))).at,
            Some(ts("2022-01-01T00:00:00.1Z"))
        );
        // no anchor: level only
        assert_eq!(
            parse(jan, None),
            Inner {
                level: Some(Info),
                at: None
            }
        );
        // leap day against a common-year anchor
        let leap = b"E0229 12:00:00.000000 1 a.go:1] x";
        assert_eq!(
            parse(leap, Some((2024, 3))).at,
            Some(ts("2024-02-29T12:00:00Z"))
        );
        assert_eq!(
            parse(leap, Some((2023, 3))),
            Inner {
                level: Some(Error),
                at: None
            }
        );
    }
}
