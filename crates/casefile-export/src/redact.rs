//! `--redact`: consistent tokens for host names, IP and MAC addresses and the cluster domain, so
//! a post-mortem or timeline can be shared outside the company (in the spirit of
//! must-gather-clean and `sos clean`). The same value always gets the same token within one
//! output; tokens are numbered in a deterministic order (sorted seeds first, then first
//! appearance in the text).

use std::collections::BTreeMap;

use casefile_model::Snapshot;
use regex::Regex;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Domain,
    Host,
    Ip,
    Ip6,
    Mac,
}

impl Class {
    const fn prefix(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Host => "host",
            Self::Ip | Self::Ip6 => "ip",
            Self::Mac => "mac",
        }
    }
}

/// Replaces identifying values with stable tokens.
#[derive(Debug)]
pub struct Redactor {
    /// Known literal values (host names, domains) → token, applied longest first.
    literals: Vec<(String, String)>,
    /// Pattern-found values → token.
    seen: BTreeMap<(Class, String), String>,
    counters: BTreeMap<Class, usize>,
    ipv4: Regex,
    ipv6: Regex,
    mac: Regex,
}

impl Redactor {
    /// A redactor seeded with a case's node names, sosreport host names and cluster domain.
    pub fn for_snapshot(snapshot: &Snapshot) -> Self {
        let mut r = Self::empty();
        let mut domains: Vec<String> = Vec::new();
        if let Some(infra) = &snapshot.infrastructure {
            for url in [
                &infra.value.status.api_server_internal_uri,
                &infra.value.status.api_server_url,
            ]
            .into_iter()
            .flatten()
            {
                let host = url
                    .split("://")
                    .nth(1)
                    .unwrap_or(url)
                    .split([':', '/'])
                    .next()
                    .unwrap_or("");
                if let Some((_, domain)) = host.split_once('.') {
                    domains.push(domain.to_owned());
                }
            }
        }
        domains.sort();
        domains.dedup();
        for d in domains {
            r.literal(Class::Domain, &d);
        }
        let mut hosts: Vec<String> = snapshot.node_names.clone();
        hosts.extend(snapshot.parts.iter().filter_map(|p| p.hostname.clone()));
        // Fully qualified names first, so a bare host name (a sosreport's, a journal's) gets the
        // token of the node whose first label it is.
        hosts.sort_by(|a, b| b.contains('.').cmp(&a.contains('.')).then(a.cmp(b)));
        hosts.dedup();
        for h in &hosts {
            let token = r.literal(Class::Host, h);
            if let Some((short, _)) = h.split_once('.')
                && !r.literals.iter().any(|(v, _)| v == short)
            {
                r.literals.push((short.to_owned(), token));
            }
        }
        r.literals
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        r
    }

    fn empty() -> Self {
        Self {
            literals: Vec::new(),
            seen: BTreeMap::new(),
            counters: BTreeMap::new(),
            ipv4: Regex::new(r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b")
                .expect("valid IPv4 pattern"),
            ipv6: Regex::new(
                r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?\b",
            )
            .expect("valid IPv6 pattern"),
            mac: Regex::new(r"(?i)\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b").expect("valid MAC pattern"),
        }
    }

    fn next_token(&mut self, class: Class) -> String {
        let n = self.counters.entry(class).or_insert(0);
        *n += 1;
        format!("{}-{n}", class.prefix())
    }

    fn literal(&mut self, class: Class, value: &str) -> String {
        if let Some((_, t)) = self.literals.iter().find(|(v, _)| v == value) {
            return t.clone();
        }
        let token = self.next_token(class);
        self.literals.push((value.to_owned(), token.clone()));
        token
    }

    /// Redacts a whole output text.
    pub fn apply(&mut self, text: &str) -> String {
        let mut out = text.to_owned();
        for (value, token) in &self.literals {
            if !value.is_empty() && out.contains(value.as_str()) {
                out = out.replace(value.as_str(), token);
            }
        }
        // MACs before IPv6 (a MAC looks like a short IPv6 group run), IPv4 last; tokens are
        // numbered in that order.
        for class in [Class::Mac, Class::Ip6, Class::Ip] {
            let re = match class {
                Class::Mac => &self.mac,
                Class::Ip6 => &self.ipv6,
                _ => &self.ipv4,
            };
            let found: Vec<(usize, usize, String)> = re
                .find_iter(&out)
                .map(|m| (m.start(), m.end(), m.as_str().to_ascii_lowercase()))
                .collect();
            if found.is_empty() {
                continue;
            }
            let token_class = if class == Class::Ip6 {
                Class::Ip
            } else {
                class
            };
            let mut result = String::with_capacity(out.len());
            let mut last = 0;
            for (start, end, value) in found {
                result.push_str(&out[last..start]);
                let key = (token_class, value);
                let token = if let Some(t) = self.seen.get(&key) {
                    t.clone()
                } else {
                    let t = self.next_token(token_class);
                    self.seen.insert(key, t.clone());
                    t
                };
                result.push_str(&token);
                last = end;
            }
            result.push_str(&out[last..]);
            out = result;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(hosts: &[&str], domain: &str) -> Redactor {
        let mut r = Redactor::empty();
        r.literal(Class::Domain, domain);
        for h in hosts {
            let t = r.literal(Class::Host, h);
            if let Some((short, _)) = h.split_once('.') {
                r.literals.push((short.to_owned(), t));
            }
        }
        r.literals
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        r
    }

    #[test]
    fn consistent_tokens_and_near_misses() {
        let mut r = redactor(
            &["ip-10-0-1-85.eu-central-1.compute.internal"],
            "okd4-prod.example-okd.net",
        );
        let text = "node ip-10-0-1-85.eu-central-1.compute.internal (journal ip-10-0-1-85) \
                    Get https://api-int.okd4-prod.example-okd.net:6443 from 10.0.1.85 and 10.0.1.85, \
                    mac 0A:58:0a:80:00:01, v6 fd00::1:2, at 09:17:43.005444 version 4.15.0 id 1.2.3";
        let got = r.apply(text);
        assert_eq!(
            got,
            "node host-1 (journal host-1) \
                    Get https://api-int.domain-1:6443 from ip-2 and ip-2, \
                    mac mac-1, v6 ip-1, at 09:17:43.005444 version 4.15.0 id 1.2.3"
        );
        // A later output through the same redactor keeps the tokens.
        assert_eq!(r.apply("10.0.1.85 and 10.0.1.86"), "ip-2 and ip-3");
        // Near misses: not addresses.
        assert_eq!(
            r.apply("256.1.1.1 and 2024-02-09T08:13:52Z"),
            "256.1.1.1 and 2024-02-09T08:13:52Z"
        );
    }
}
