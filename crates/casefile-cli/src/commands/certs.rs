//! `casefile certs`: the certificate inventory of a case, and with `--trust` its trust
//! propagation (the consumer x serving-chain matrix, signer rotations, hazards).
//!
//! "Now" is the case's collection time, never the wall clock. Private keys are never
//! printed: the inventory never reads them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use casefile_ingest::certs::{self, Inventory};
use casefile_model::{
    CertSource, ConsumerVerdict, ContentSource as _, InventoryEntry, NotCollected, Redaction,
    Timestamp, TrustReport,
};
use jiff::SignedDuration;

use crate::cli::{CertsFormat, Global};

/// A `certs` query.
pub struct Query<'a> {
    /// Output format.
    pub format: CertsFormat,
    /// Only CA certificates.
    pub ca: bool,
    /// Only certificates expiring within this duration of the collection time (`30d`).
    pub expiring: Option<&'a str>,
    /// Only sources in this namespace.
    pub namespace: Option<&'a str>,
    /// Trust propagation instead of the inventory.
    pub trust: bool,
}

/// Runs `casefile certs`.
pub fn run(global: &Global, archives: &[PathBuf], q: &Query<'_>) -> anyhow::Result<ExitCode> {
    if q.trust {
        return run_trust(global, archives, q.format);
    }
    let within = q
        .expiring
        .map(|s| parse_duration(s).with_context(|| format!("invalid --expiring {s:?}")))
        .transpose()?;
    let facade = super::open_case(global, archives)?;
    let inv: &Inventory = facade.certificates();
    let case = facade.ingest();
    if !global.quiet {
        for d in &inv.problems {
            let archive = case.archive(d.archive).data.label();
            eprintln!("warning: {archive}: {}: {}", d.path, d.message);
        }
    }
    let now = case.collected_at();
    let deadline = match within {
        Some(d) => {
            let now = now.ok_or_else(|| {
                anyhow!("--expiring is relative to the collection time, and this case has none")
            })?;
            Some(now.checked_add(d).context("--expiring is out of range")?)
        }
        None => None,
    };
    let rows = select(inv, q, deadline);
    match q.format {
        CertsFormat::Json => {
            let reports: Vec<_> = rows
                .iter()
                .map(|(e, srcs)| certs::cert_report(case, &e.cert, srcs))
                .collect();
            let mut text = serde_json::to_string_pretty(&reports)?;
            text.push('\n');
            emit(&text)?;
        }
        CertsFormat::Table => {
            let hidden: Vec<&NotCollected> = inv
                .not_collected
                .iter()
                .filter(|n| {
                    q.namespace
                        .is_none_or(|ns| in_namespace(n.object.as_deref(), ns))
                })
                .collect();
            emit(&render_table(&rows, &hidden, now))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `casefile certs --trust`.
fn run_trust(
    global: &Global,
    archives: &[PathBuf],
    format: CertsFormat,
) -> anyhow::Result<ExitCode> {
    let facade = super::open_case(global, archives)?;
    let case = facade.ingest();
    if !global.quiet {
        for d in facade.decode_warnings() {
            let archive = case.archive(d.archive).data.label();
            eprintln!("warning: {archive}: {}: {}", d.path, d.message);
        }
    }
    let report = facade.trust();
    match format {
        CertsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            emit(&text)?;
        }
        CertsFormat::Table => {
            let hidden: Vec<String> = facade
                .snapshot()
                .not_collected
                .iter()
                .filter(|n| is_trust_key(&n.key))
                .map(|n| {
                    let place = n.object.clone().unwrap_or_else(|| {
                        let a = n.provenance.artifact;
                        format!("{}:{}", case.archive_label(a.archive), case.path(a))
                    });
                    format!("{place} {}: {}", n.key, n.why)
                })
                .collect();
            emit(&render_trust(report, &hidden))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Keys that hold a copy of trust (CA bundles, kubeconfig CA data).
fn is_trust_key(key: &str) -> bool {
    key.ends_with("certificate-authority-data")
        || matches!(key, "ca.crt" | "service-ca.crt" | "ca-bundle.crt")
}

/// One matrix cell: `ok`, `STALE since <t>`, `superseded`, or `-` (not a consumer).
fn trust_cell(v: Option<&ConsumerVerdict>) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) if v.trusts_current => "ok".to_owned(),
        Some(v) if v.superseded_by.is_some() => "superseded".to_owned(),
        Some(v) => v
            .stale_since
            .map_or_else(|| "STALE".to_owned(), |t| format!("STALE since {t}")),
    }
}

/// The trust report as text: the chains, the consumer x chain matrix (stale rows first),
/// rotations, hazards, and the copies of trust that were not collected.
fn render_trust(report: &TrustReport, hidden: &[String]) -> String {
    let mut o = String::new();
    let chains = &report.serving;
    let _ = writeln!(o, "Serving chains");
    if chains.is_empty() {
        let _ = writeln!(
            o,
            "  (none: no target Secret holds a certificate from a known signer)"
        );
    }
    for (i, c) in chains.iter().enumerate() {
        let _ = writeln!(o, "  [{}] {:<20} {}", i + 1, c.purpose, c.target);
        let issuer = c
            .issued_by
            .as_ref()
            .map_or("an unknown CA", |x| x.subject.as_str());
        let _ = writeln!(
            o,
            "      serves {} (notBefore {}), signed by {issuer}",
            or_dash(&c.cert.subject),
            c.cert.not_before
        );
        if let Some(t) = c.switched_at {
            let from = c
                .previous_issuer
                .as_ref()
                .map_or("-", |x| x.subject.as_str());
            let _ = writeln!(o, "      switched at {t} from {from}");
        }
        if !c.same_issuer.is_empty() {
            let _ = writeln!(o, "      also: {}", c.same_issuer.join(", "));
        }
    }

    // Rows: every consumer with a verdict, stale rows first.
    let mut rows: BTreeMap<&str, Vec<Option<&ConsumerVerdict>>> = BTreeMap::new();
    for v in &report.consumers {
        let Some(col) = chains.iter().position(|c| c.target == v.chain) else {
            continue;
        };
        rows.entry(v.consumer.as_str())
            .or_insert_with(|| vec![None; chains.len()])[col] = Some(v);
    }
    let mut rows: Vec<(&str, Vec<String>, bool)> = rows
        .into_iter()
        .map(|(name, cells)| {
            let stale = cells.iter().flatten().any(|v| v.is_stale());
            (name, cells.into_iter().map(trust_cell).collect(), stale)
        })
        .collect();
    rows.sort_by(|a, b| (!a.2, a.0).cmp(&(!b.2, b.0)));
    let header: Vec<String> = std::iter::once("CONSUMER".to_owned())
        .chain((1..=chains.len()).map(|i| format!("[{i}]")))
        .collect();
    let mut widths: Vec<usize> = header.iter().map(String::len).collect();
    for (name, cells, _) in &rows {
        widths[0] = widths[0].max(name.chars().count());
        for (w, c) in widths.iter_mut().skip(1).zip(cells) {
            *w = (*w).max(c.len());
        }
    }
    let _ = writeln!(
        o,
        "\nTrust matrix: rows are copies of trust holding a CA of the chain's signer; ok = holds the CA that signed the certificate served now, STALE = lacks it, superseded = lacks it but a live copy replaced it, - = not a consumer of that chain"
    );
    let line = |o: &mut String, cells: &[&str]| {
        let mut s = String::new();
        for (cell, w) in cells.iter().zip(&widths) {
            let _ = write!(s, "{cell:<w$}   ");
        }
        let _ = writeln!(o, "{}", s.trim_end());
    };
    line(
        &mut o,
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for (name, cells, _) in &rows {
        let mut all = vec![*name];
        all.extend(cells.iter().map(String::as_str));
        line(&mut o, &all);
    }
    let stale = rows.iter().filter(|r| r.2).count();
    let _ = writeln!(o, "\n{stale} stale of {} consumers", rows.len());
    for v in report.stale() {
        let _ = writeln!(o, "  {} x {}: {}", v.consumer, v.chain, v.note);
    }

    let _ = writeln!(o, "\nRotations");
    if report.rotations.is_empty() {
        let _ = writeln!(o, "  (none)");
    }
    for r in &report.rotations {
        let from = r
            .from
            .as_ref()
            .map_or("(not in the case)", |f| f.subject.as_str());
        let flag = if r.premature { "   PREMATURE" } else { "" };
        let _ = writeln!(
            o,
            "  {}  {}  {from} -> {}{flag}",
            r.at, r.signer, r.to.subject
        );
    }
    let _ = writeln!(o, "\nHazards");
    if report.hazards.is_empty() {
        let _ = writeln!(o, "  (none)");
    }
    for h in &report.hazards {
        let at = h.at.map_or_else(|| "-".to_owned(), |t| t.to_string());
        let _ = writeln!(o, "  {}  {}  {at}\n      {}", h.kind, h.object, h.detail);
    }
    if !hidden.is_empty() {
        let _ = writeln!(
            o,
            "\nNot collected (copies of trust that could not be checked)"
        );
        for h in hidden {
            let _ = writeln!(o, "  {h}");
        }
    }
    o
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// A certificate with the sources that passed the filters.
type Row<'a> = (&'a InventoryEntry, Vec<&'a CertSource>);

fn select<'a>(inv: &'a Inventory, q: &Query<'_>, deadline: Option<Timestamp>) -> Vec<Row<'a>> {
    inv.entries
        .iter()
        .filter(|e| !q.ca || e.cert.is_ca)
        .filter(|e| deadline.is_none_or(|d| e.cert.not_after <= d))
        .filter_map(|e| {
            let srcs: Vec<&CertSource> = e
                .sources
                .iter()
                .filter(|s| {
                    q.namespace
                        .is_none_or(|ns| in_namespace(s.object.as_deref(), ns))
                })
                .collect();
            (!srcs.is_empty()).then_some((e, srcs))
        })
        .collect()
}

/// Whether an `ns/Kind/name` object is in `ns` (cluster-scoped `Kind/name` never is).
fn in_namespace(object: Option<&str>, ns: &str) -> bool {
    object.is_some_and(|o| o.split('/').count() == 3 && o.split('/').next() == Some(ns))
}

/// Parses `30d`, `12h`, `90m`, `45s`, `2w`, or a sum such as `1d12h`.
pub fn parse_duration(s: &str) -> anyhow::Result<SignedDuration> {
    let s = s.trim();
    if s.is_empty() {
        bail!("empty duration");
    }
    let mut total = SignedDuration::ZERO;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => bail!("unknown unit {c:?} (use s, m, h, d or w)"),
        };
        if digits.is_empty() {
            bail!("a number must come before {c:?}");
        }
        let n: i64 = digits.parse().context("number too large")?;
        let secs = n.checked_mul(unit).context("duration too large")?;
        total = total
            .checked_add(SignedDuration::from_secs(secs))
            .context("duration too large")?;
        digits.clear();
    }
    if !digits.is_empty() {
        bail!("a unit (s, m, h, d or w) must follow {digits}");
    }
    Ok(total)
}

/// `3d 4h`, `9y 362d`, `42m`; negative as `expired 3d 4h ago`.
pub fn expires_in(not_after: Timestamp, now: Timestamp) -> String {
    let d = not_after.duration_since(now);
    let secs = d.as_secs();
    let text = human(secs.unsigned_abs());
    if secs < 0 {
        format!("expired {text} ago")
    } else {
        text
    }
}

/// The two largest non-zero units: `9y 362d`, `3d 4h`, `42m`, `0s`.
fn human(secs: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (365 * 86_400, "y"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    let Some(first) = UNITS.iter().position(|(size, _)| secs >= *size) else {
        return "0s".to_owned();
    };
    let (size, name) = UNITS[first];
    let mut s = format!("{}{name}", secs / size);
    if let Some((next, next_name)) = UNITS.get(first + 1) {
        let n = (secs % size) / next;
        if n > 0 {
            let _ = write!(s, " {n}{next_name}");
        }
    }
    s
}

fn render_table(rows: &[Row<'_>], hidden: &[&NotCollected], now: Option<Timestamp>) -> String {
    let header = [
        "SUBJECT CN",
        "ISSUER CN",
        "NOT AFTER",
        "EXPIRES-IN",
        "CA",
        "SOURCES",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|(e, srcs)| {
            let c = &e.cert;
            [
                c.subject_cn.clone().unwrap_or_else(|| or_dash(&c.subject)),
                c.issuer_cn.clone().unwrap_or_else(|| or_dash(&c.issuer)),
                c.not_after.strftime("%Y-%m-%d %H:%M:%SZ").to_string(),
                now.map_or_else(|| "-".to_owned(), |n| expires_in(c.not_after, n)),
                if c.is_ca { "yes" } else { "no" }.to_owned(),
                srcs.len().to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut o = String::new();
    let line = |o: &mut String, row: &[&str]| {
        let mut s = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                s.push_str(cell);
            } else {
                let _ = write!(s, "{cell:<w$}   ");
            }
        }
        let _ = writeln!(o, "{}", s.trim_end());
    };
    line(&mut o, &header);
    for row in &cells {
        line(&mut o, &row.each_ref().map(String::as_str));
    }
    let _ = writeln!(o, "\n{} certificates", rows.len());
    if let Some(n) = now {
        let _ = writeln!(
            o,
            "Relative to the collection time {}",
            n.strftime("%Y-%m-%d %H:%M:%SZ")
        );
    } else {
        let _ = writeln!(
            o,
            "The case has no collection time: EXPIRES-IN is not computed"
        );
    }
    if !hidden.is_empty() {
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for n in hidden {
            *by_kind.entry(redaction_kind(n.why)).or_default() += 1;
        }
        let parts: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(
            o,
            "Not collected: {} values ({})",
            hidden.len(),
            parts.join(", ")
        );
    }
    o
}

fn redaction_kind(r: Redaction) -> &'static str {
    match r {
        Redaction::InspectBytesLong(_) => "redacted by oc adm inspect",
        Redaction::SosScrubbed => "scrubbed by sosreport",
        Redaction::Redacted => "REDACTED",
        Redaction::Anonymized => "ANONYMIZED",
        Redaction::Empty => "empty",
        _ => "hidden",
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok = [
            ("30d", 30 * 86_400),
            ("12h", 12 * 3600),
            ("90m", 90 * 60),
            ("45s", 45),
            ("2w", 14 * 86_400),
            ("1d12h", 36 * 3600),
            (" 0d ", 0),
        ];
        for (s, secs) in ok {
            assert_eq!(
                parse_duration(s).unwrap(),
                SignedDuration::from_secs(secs),
                "{s}"
            );
        }
        for bad in [
            "",
            "30",
            "d",
            "3x",
            "1.5d",
            "-1d",
            "99999999999999999999d",
            "9999999999999999w",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expiry_text() {
        let now: Timestamp = "2021-09-14T12:00:00Z".parse().unwrap();
        let cases = [
            ("2021-09-17T12:00:00Z", "3d"),
            ("2021-09-17T16:00:00Z", "3d 4h"),
            ("2021-09-14T12:42:00Z", "42m"),
            ("2021-09-14T12:00:00Z", "0s"),
            ("2031-09-12T12:00:00Z", "10y"),
            ("2021-09-11T12:00:00Z", "expired 3d ago"),
            ("2021-09-14T10:30:00Z", "expired 1h 30m ago"),
        ];
        for (t, want) in cases {
            assert_eq!(expires_in(t.parse().unwrap(), now), want, "{t}");
        }
    }

    #[test]
    fn trust_matrix() {
        use casefile_model::{ArchiveId, ArtifactId, CaRef, Provenance, Rotation, ServingChain};
        let t = |s: &str| -> Timestamp { s.parse().unwrap() };
        let ca = |s: &str| CaRef {
            subject: s.to_owned(),
            sha256: "00".to_owned(),
            not_before: t("2024-01-31T14:37:11Z"),
        };
        let p = Provenance::file(ArtifactId::new(ArchiveId(0), 0));
        let chain = |target: &str, purpose: &str| ServingChain {
            target: target.to_owned(),
            purpose: purpose.to_owned(),
            cert: ca("CN=api-int.example"),
            not_after: t("2024-03-10T00:00:00Z"),
            issued_by: Some(ca("CN=new@1706711832")),
            signer: Some("ns/signer".to_owned()),
            switched_at: (purpose == "api-int").then(|| t("2024-02-09T02:14:50Z")),
            previous_issuer: Some(ca("CN=old")),
            same_issuer: Vec::new(),
            evidence: vec![p],
        };
        let verdict =
            |consumer: &str, chain: &str, trusts: bool, sup: Option<&str>| ConsumerVerdict {
                consumer: consumer.to_owned(),
                chain: chain.to_owned(),
                trusts_current: trusts,
                missing_ca: None,
                stale_since: (!trusts && sup.is_none()).then(|| t("2024-02-09T02:14:50Z")),
                superseded_by: sup.map(str::to_owned),
                evidence: vec![p],
                note: "lacks CN=new".to_owned(),
            };
        let report = TrustReport {
            serving: vec![chain("a/api", "api"), chain("a/api-int", "api-int")],
            consumers: vec![
                verdict("b/ConfigMap/kube-root-ca.crt ca.crt", "a/api", true, None),
                verdict(
                    "b/ConfigMap/kube-root-ca.crt ca.crt",
                    "a/api-int",
                    true,
                    None,
                ),
                verdict(
                    "c/ConfigMap/kube-root-ca.crt ca.crt",
                    "a/api-int",
                    false,
                    None,
                ),
                verdict(
                    "d/ConfigMap/x-3 ca.crt",
                    "a/api-int",
                    false,
                    Some("d/ConfigMap/x"),
                ),
            ],
            rotations: vec![Rotation {
                signer: "ns/signer".to_owned(),
                from: Some(ca("CN=old")),
                to: ca("CN=new@1706711832"),
                at: t("2024-01-31T14:37:12Z"),
                evidence: vec![p],
                premature: true,
            }],
            ..TrustReport::default()
        };
        let text = render_trust(
            &report,
            &["node/etc/kubernetes/kubeconfig certificate-authority-data: scrubbed".to_owned()],
        );
        let rows: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("CONSUMER"))
            .take(4)
            .collect();
        assert_eq!(
            rows,
            [
                "CONSUMER                              [1]   [2]",
                "c/ConfigMap/kube-root-ca.crt ca.crt   -     STALE since 2024-02-09T02:14:50Z",
                "b/ConfigMap/kube-root-ca.crt ca.crt   ok    ok",
                "d/ConfigMap/x-3 ca.crt                -     superseded",
            ]
        );
        assert!(text.contains("1 stale of 3 consumers"), "{text}");
        assert!(text.contains("  [2] api-int"), "{text}");
        assert!(
            text.contains("switched at 2024-02-09T02:14:50Z from CN=old"),
            "{text}"
        );
        assert!(
            text.contains("CN=old -> CN=new@1706711832   PREMATURE"),
            "{text}"
        );
        assert!(text.contains("Not collected"), "{text}");
        let empty = render_trust(&TrustReport::default(), &[]);
        assert!(
            empty.contains("0 stale of 0 consumers") && empty.contains("(none)"),
            "{empty}"
        );
        assert!(is_trust_key("lb-int.kubeconfig:certificate-authority-data"));
        assert!(!is_trust_key("tls.key"));
    }

    #[test]
    fn namespaces() {
        assert!(in_namespace(
            Some("openshift-config/ConfigMap/x"),
            "openshift-config"
        ));
        assert!(!in_namespace(
            Some("openshift-config-managed/ConfigMap/x"),
            "openshift-config"
        ));
        assert!(!in_namespace(
            Some("CertificateSigningRequest/csr-1"),
            "CertificateSigningRequest"
        ));
        assert!(!in_namespace(None, "default"));
    }
}
