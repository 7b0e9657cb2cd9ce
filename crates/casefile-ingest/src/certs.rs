//! The certificate inventory of a case: every distinct certificate, every place it was
//! found, and every certificate-bearing value the collection tool hid.
//!
//! Sources read:
//! - ConfigMap `data` values containing `-----BEGIN CERTIFICATE` (any key) and `binaryData`
//!   values (base64 of PEM or DER);
//! - Secret keys `tls.crt`, `ca.crt`, `service-ca.crt` (and any other key whose decoded
//!   value holds PEM certificates); every value recognized as redacted becomes a
//!   [`NotCollected`];
//! - CertificateSigningRequest `status.certificate`;
//! - kubeconfigs: ConfigMap and Secret values with `certificate-authority-data` /
//!   `client-certificate-data`, and node kubeconfig files ([`ArtifactKind::Kubeconfig`],
//!   sosreport `etc/kubernetes/kubeconfig`) where `*******` means scrubbed.
//!
//! Only ConfigMap, Secret and CSR objects are decoded; the index's cheap metadata picks
//! them. Private key text is never decoded or copied (see [`crate::x509`]).

use std::collections::{BTreeMap, HashMap};

use casefile_model::kube::{CertificateSigningRequest, ConfigMap, Secret};
use casefile_model::{
    ArchiveId, ArtifactId, CertSource, Certificate, Diagnostic, DiagnosticKind, InventoryEntry,
    NotCollected, Provenance, Timestamp,
};
use rayon::prelude::*;
use serde::Serialize;

use crate::Case;
use crate::case::ObjectRef;
use crate::layout::ArtifactKind;
use crate::x509::{
    self, CertError, decode_base64, has_pem_certificate, kubeconfig_fields, looks_like_kubeconfig,
    redaction, redaction_of_base64, scan_pem, sha256_hex,
};

/// Secret keys `oc adm inspect` keeps because they hold public certificate data.
pub const SECRET_CERT_KEYS: [&str; 3] = ["tls.crt", "ca.crt", "service-ca.crt"];

/// The key used for a CSR's issued certificate.
pub const CSR_CERT_KEY: &str = "status.certificate";

/// Every certificate of a case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// Distinct certificates (by SHA-256 of the DER), sorted by subject then SHA-256.
    pub entries: Vec<InventoryEntry>,
    /// Values that were redacted or scrubbed, sorted by provenance, object, key.
    pub not_collected: Vec<NotCollected>,
    /// Blocks and values that could not be decoded, in case order.
    pub problems: Vec<Diagnostic>,
}

impl Inventory {
    /// The entry of a certificate by its SHA-256 (lowercase hex).
    pub fn get(&self, sha256: &str) -> Option<&InventoryEntry> {
        self.entries.iter().find(|e| e.cert.sha256 == sha256)
    }

    /// Every distinct certificate.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.entries.iter().map(|e| &e.cert)
    }

    /// Entries whose subject common name is `cn`.
    pub fn by_subject_cn<'a>(
        &'a self,
        cn: &'a str,
    ) -> impl Iterator<Item = &'a InventoryEntry> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.cert.subject_cn.as_deref() == Some(cn))
    }
}

/// Builds the certificate inventory of a case.
pub fn inventory(case: &Case) -> Inventory {
    let objects: Vec<ObjectRef> = case
        .objects()
        .iter()
        .copied()
        .filter(|r| object_kind(case, *r).is_some())
        .collect();
    let mut found: Vec<Found> = objects.par_iter().map(|r| scan_object(case, *r)).collect();
    case.release_content();
    for (id, entry, kind) in case.artifacts() {
        if kind == ArtifactKind::Kubeconfig {
            found.push(scan_kubeconfig_file(case, id, &entry.path));
        }
    }
    assemble(case, found)
}

/// The kinds of object read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ConfigMap,
    Secret,
    Csr,
    MachineConfig,
    ControllerConfig,
}

fn object_kind(case: &Case, r: ObjectRef) -> Option<Kind> {
    let m = &case.record(r).meta;
    match (m.group(), m.kind.as_str()) {
        ("", "ConfigMap") => Some(Kind::ConfigMap),
        ("", "Secret") => Some(Kind::Secret),
        ("certificates.k8s.io", "CertificateSigningRequest") => Some(Kind::Csr),
        ("machineconfiguration.openshift.io", "MachineConfig") => Some(Kind::MachineConfig),
        ("machineconfiguration.openshift.io", "ControllerConfig") => Some(Kind::ControllerConfig),
        _ => None,
    }
}

/// What one object or file yielded, before deduplication.
#[derive(Debug, Default)]
struct Found {
    /// DER blocks with their source.
    certs: Vec<(Vec<u8>, CertSource)>,
    not_collected: Vec<NotCollected>,
    problems: Vec<Diagnostic>,
}

/// Where values are being read from.
struct Ctx<'a> {
    archive: ArchiveId,
    path: &'a str,
    provenance: Provenance,
    object: Option<String>,
}

impl Ctx<'_> {
    fn source(&self, key: &str) -> CertSource {
        CertSource {
            provenance: self.provenance,
            object: self.object.clone(),
            key: key.to_owned(),
        }
    }

    fn at_line(&self, line: Option<u32>) -> Provenance {
        match line {
            Some(l) => Provenance::line(self.provenance.artifact, l),
            None => self.provenance,
        }
    }

    fn problem(&self, key: &str, what: &str) -> Diagnostic {
        let message = match &self.object {
            Some(o) => format!("{o} key {key}: {what}"),
            None => format!("{key}: {what}"),
        };
        Diagnostic {
            archive: self.archive,
            path: self.path.to_owned(),
            kind: DiagnosticKind::Parse,
            message,
        }
    }
}

impl Found {
    /// Adds every certificate of a PEM text.
    fn pem(&mut self, ctx: &Ctx<'_>, key: &str, text: &[u8]) {
        self.pem_at(ctx, key, text, None);
    }

    fn pem_at(&mut self, ctx: &Ctx<'_>, key: &str, text: &[u8], line: Option<u32>) {
        let scan = scan_pem(text);
        let src = CertSource {
            provenance: ctx.at_line(line),
            ..ctx.source(key)
        };
        for der in scan.certificates {
            self.certs.push((der, src.clone()));
        }
        for e in scan.problems {
            self.problems.push(ctx.problem(key, &e.to_string()));
        }
    }

    fn not_collected(
        &mut self,
        ctx: &Ctx<'_>,
        key: &str,
        why: casefile_model::Redaction,
        line: Option<u32>,
    ) {
        self.not_collected.push(NotCollected {
            provenance: ctx.at_line(line),
            object: ctx.object.clone(),
            key: key.to_owned(),
            why,
        });
    }

    /// Adds the certificates of a kubeconfig text; `prefix` is the data key when the
    /// kubeconfig is stored in an object, and `lines` says whether field lines are
    /// meaningful provenance (files) or the object's first line is (objects).
    fn kubeconfig(&mut self, ctx: &Ctx<'_>, text: &str, prefix: Option<&str>, lines: bool) {
        for f in kubeconfig_fields(text) {
            let key = prefix.map_or_else(|| f.field.to_owned(), |p| format!("{p}:{}", f.field));
            let line = lines.then_some(f.line);
            if let Some(why) = redaction_of_base64(f.value.as_bytes()) {
                self.not_collected(ctx, &key, why, line);
                continue;
            }
            match decode_base64(f.value.as_bytes()) {
                Some(pem) if has_pem_certificate(&pem) => self.pem_at(ctx, &key, &pem, line),
                Some(der) if x509::parse_der(&der).is_ok() => {
                    self.certs.push((
                        der,
                        CertSource {
                            provenance: ctx.at_line(line),
                            ..ctx.source(&key)
                        },
                    ));
                }
                Some(_) => self
                    .problems
                    .push(ctx.problem(&key, "holds no PEM certificate")),
                None => self
                    .problems
                    .push(ctx.problem(&key, &CertError::NotBase64.to_string())),
            }
        }
    }
}

fn object_name(case: &Case, r: ObjectRef) -> String {
    let m = &case.record(r).meta;
    match &m.namespace {
        Some(ns) => format!("{ns}/{}/{}", m.kind, m.name),
        None => format!("{}/{}", m.kind, m.name),
    }
}

fn scan_object(case: &Case, r: ObjectRef) -> Found {
    let mut found = Found::default();
    let Some(kind) = object_kind(case, r) else {
        return found;
    };
    let provenance = case.provenance(r);
    let ctx = Ctx {
        archive: r.archive,
        path: case.artifact_path(provenance.artifact),
        provenance,
        object: Some(object_name(case, r)),
    };
    if kind == Kind::ConfigMap {
        // Most ConfigMaps hold no certificate: look at the raw text before decoding.
        match case.object_text(r) {
            Ok(t)
                if has_pem_certificate(&t)
                    || looks_like_kubeconfig(&t)
                    || memchr::memmem::find(&t, b"binaryData").is_some() => {}
            Ok(_) => return found,
            Err(e) => {
                found
                    .problems
                    .push(ctx.problem("-", &format!("cannot read: {e}")));
                return found;
            }
        }
    }
    match kind {
        Kind::ConfigMap => match case.decode::<ConfigMap>(r) {
            Ok(cm) => scan_configmap(&mut found, &ctx, &cm),
            Err(e) => found
                .problems
                .push(ctx.problem("-", &format!("cannot decode: {e}"))),
        },
        Kind::Secret => match case.decode::<Secret>(r) {
            Ok(s) => scan_secret(&mut found, &ctx, &s),
            Err(e) => found
                .problems
                .push(ctx.problem("-", &format!("cannot decode: {e}"))),
        },
        Kind::Csr => match case.decode::<CertificateSigningRequest>(r) {
            Ok(csr) => scan_csr(&mut found, &ctx, &csr),
            Err(e) => found
                .problems
                .push(ctx.problem("-", &format!("cannot decode: {e}"))),
        },
        Kind::ControllerConfig => match case.decode::<ControllerConfigCas>(r) {
            Ok(cc) => {
                for (key, value) in &cc.spec {
                    if !key.ends_with("Data") && key != "additionalTrustBundle" {
                        continue;
                    }
                    let Some(text) = value.as_str() else { continue };
                    let key = format!("spec.{key}");
                    match decode_base64(text.as_bytes()) {
                        Some(pem) if has_pem_certificate(&pem) => found.pem(&ctx, &key, &pem),
                        _ if has_pem_certificate(text.as_bytes()) => {
                            found.pem(&ctx, &key, text.as_bytes());
                        }
                        _ => {}
                    }
                }
            }
            Err(e) => found
                .problems
                .push(ctx.problem("-", &format!("cannot decode: {e}"))),
        },
        Kind::MachineConfig => match case.decode::<MachineConfigFiles>(r) {
            Ok(mc) => scan_machineconfig(&mut found, &ctx, &mc),
            Err(e) => found
                .problems
                .push(ctx.problem("-", &format!("cannot decode: {e}"))),
        },
    }
    found
}

/// A ControllerConfig's spec: the CA fields (`kubeAPIServerServingCAData`, `rootCAData`,
/// `cloudProviderCAData`, `additionalTrustBundle`) hold base64 PEM bundles the MCO writes to nodes.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ControllerConfigCas {
    spec: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The part of a MachineConfig that carries files: `spec.config.storage.files[]`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MachineConfigFiles {
    spec: McSpec,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct McSpec {
    config: McIgnition,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct McIgnition {
    storage: McStorage,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct McStorage {
    files: Vec<McFile>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct McFile {
    path: String,
    contents: McContents,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct McContents {
    source: String,
    compression: Option<String>,
}

/// Decodes an ignition `data:` URL: `data:;base64,<b64>` or `data:,<percent-encoded>`.
///
/// Public for fuzzing (`fuzz/`) only: not a stable API.
#[doc(hidden)]
pub fn data_url(source: &str) -> Option<Vec<u8>> {
    let rest = source.strip_prefix("data:")?;
    let (meta, payload) = rest.split_once(',')?;
    if meta.ends_with(";base64") {
        return decode_base64(payload.as_bytes());
    }
    let bytes = payload.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Certificates in MachineConfig files (e.g. `/etc/kubernetes/kubelet-ca.crt`): what the
/// nodes of a pool receive. Key = the file path on the node.
fn scan_machineconfig(found: &mut Found, ctx: &Ctx<'_>, mc: &MachineConfigFiles) {
    for f in &mc.spec.config.storage.files {
        if !f.contents.source.starts_with("data:") {
            continue;
        }
        let Some(mut bytes) = data_url(&f.contents.source) else {
            found
                .problems
                .push(ctx.problem(&f.path, "unreadable ignition data URL"));
            continue;
        };
        if f.contents.compression.as_deref() == Some("gzip") {
            use std::io::Read as _;
            let mut out = Vec::new();
            let limit = 64 << 20;
            if flate2::read::MultiGzDecoder::new(bytes.as_slice())
                .take(limit)
                .read_to_end(&mut out)
                .is_err()
            {
                found
                    .problems
                    .push(ctx.problem(&f.path, "gzip-compressed ignition file is damaged"));
                continue;
            }
            bytes = out;
        }
        if has_pem_certificate(&bytes) {
            found.pem(ctx, &f.path, &bytes);
        }
    }
}

fn scan_configmap(found: &mut Found, ctx: &Ctx<'_>, cm: &ConfigMap) {
    for (key, value) in &cm.data {
        if has_pem_certificate(value.as_bytes()) {
            found.pem(ctx, key, value.as_bytes());
        }
        if looks_like_kubeconfig(value.as_bytes()) {
            found.kubeconfig(ctx, value, Some(key), false);
        }
    }
    for (key, value) in &cm.binary_data {
        let Some(bytes) = decode_base64(value.as_bytes()) else {
            found
                .problems
                .push(ctx.problem(key, &CertError::NotBase64.to_string()));
            continue;
        };
        if has_pem_certificate(&bytes) {
            found.pem(ctx, key, &bytes);
        } else if looks_like_kubeconfig(&bytes) {
            found.kubeconfig(ctx, &String::from_utf8_lossy(&bytes), Some(key), false);
        } else if bytes.first() == Some(&0x30) && x509::parse_der(&bytes).is_ok() {
            found.certs.push((bytes, ctx.source(key)));
        }
    }
}

fn scan_secret(found: &mut Found, ctx: &Ctx<'_>, secret: &Secret) {
    for (key, value) in &secret.data {
        if let Some(why) = redaction_of_base64(value.as_bytes()) {
            found.not_collected(ctx, key, why, None);
            continue;
        }
        let Some(bytes) = decode_base64(value.as_bytes()) else {
            found
                .problems
                .push(ctx.problem(key, &CertError::NotBase64.to_string()));
            continue;
        };
        let cert_key = SECRET_CERT_KEYS.contains(&key.as_str());
        if has_pem_certificate(&bytes) {
            found.pem(ctx, key, &bytes);
        } else if cert_key {
            if bytes.first() == Some(&0x30) && x509::parse_der(&bytes).is_ok() {
                found.certs.push((bytes, ctx.source(key)));
            } else {
                found
                    .problems
                    .push(ctx.problem(key, "holds no PEM certificate"));
            }
            continue;
        }
        if looks_like_kubeconfig(&bytes) {
            found.kubeconfig(ctx, &String::from_utf8_lossy(&bytes), Some(key), false);
        }
    }
}

fn scan_csr(found: &mut Found, ctx: &Ctx<'_>, csr: &CertificateSigningRequest) {
    let Some(value) = csr.status.certificate.as_deref() else {
        return;
    };
    if value.trim().is_empty() {
        return; // not issued (yet): nothing was hidden
    }
    if let Some(why) = redaction_of_base64(value.as_bytes()) {
        found.not_collected(ctx, CSR_CERT_KEY, why, None);
        return;
    }
    match decode_base64(value.as_bytes()) {
        Some(pem) if has_pem_certificate(&pem) => found.pem(ctx, CSR_CERT_KEY, &pem),
        Some(_) => found
            .problems
            .push(ctx.problem(CSR_CERT_KEY, "holds no PEM certificate")),
        None => found
            .problems
            .push(ctx.problem(CSR_CERT_KEY, &CertError::NotBase64.to_string())),
    }
}

fn scan_kubeconfig_file(case: &Case, id: ArtifactId, path: &str) -> Found {
    let mut found = Found::default();
    let ctx = Ctx {
        archive: id.archive,
        path,
        provenance: Provenance::file(id),
        object: None,
    };
    match case.archive(id.archive).data.content(id.entry) {
        Ok(bytes) => {
            if redaction(&bytes) == Some(casefile_model::Redaction::Empty) {
                return found;
            }
            found.kubeconfig(&ctx, &String::from_utf8_lossy(&bytes), None, true);
        }
        Err(e) => found
            .problems
            .push(ctx.problem("-", &format!("cannot read: {e}"))),
    }
    found
}

/// Deduplicates by fingerprint, decodes each distinct DER once, and sorts.
fn assemble(case: &Case, found: Vec<Found>) -> Inventory {
    let mut by_block: BTreeMap<String, (Vec<u8>, Vec<CertSource>)> = BTreeMap::new();
    let mut not_collected = Vec::new();
    let mut problems = Vec::new();
    for f in found {
        for (der, src) in f.certs {
            let sha = sha256_hex(&der);
            by_block
                .entry(sha)
                .or_insert_with(|| (der, Vec::new()))
                .1
                .push(src);
        }
        not_collected.extend(f.not_collected);
        problems.extend(f.problems);
    }
    // Decode each distinct block once, in parallel; the order is kept.
    let decoded: Vec<_> = by_block
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(sha, (der, srcs))| (sha, x509::parse_der(&der), srcs))
        .collect();
    let mut entries: HashMap<String, InventoryEntry> = HashMap::new();
    for (block_sha, cert, sources) in decoded {
        match cert {
            Ok(cert) => {
                entries
                    .entry(cert.sha256.clone())
                    .or_insert_with(|| InventoryEntry {
                        cert,
                        sources: Vec::new(),
                    })
                    .sources
                    .extend(sources);
            }
            Err(e) => {
                // Sources are in case order: the first one is where the block was first seen.
                let Some(src) = sources.first() else { continue };
                problems.push(Diagnostic {
                    archive: src.provenance.artifact.archive,
                    path: case.artifact_path(src.provenance.artifact).to_owned(),
                    kind: DiagnosticKind::Parse,
                    message: format!(
                        "{}: certificate with sha256 {block_sha} ({} places): {e}",
                        describe(src),
                        sources.len()
                    ),
                });
            }
        }
    }
    let mut entries: Vec<InventoryEntry> = entries.into_values().collect();
    for e in &mut entries {
        e.sources.sort();
        e.sources.dedup();
    }
    entries.sort_by(|a, b| {
        a.cert
            .subject
            .cmp(&b.cert.subject)
            .then_with(|| a.cert.sha256.cmp(&b.cert.sha256))
    });
    not_collected.sort();
    not_collected.dedup();
    Inventory {
        entries,
        not_collected,
        problems,
    }
}

fn describe(src: &CertSource) -> String {
    match &src.object {
        Some(o) => format!("{o} key {}", src.key),
        None => src.key.clone(),
    }
}

/// One source, resolved to the archive label and path: the JSON shape of a source in
/// `casefile certs --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SourceReport {
    /// The archive as given on the command line.
    pub archive: String,
    /// The file inside the archive.
    pub path: String,
    /// The object as `ns/Kind/name`, or `null` for plain files.
    pub object: Option<String>,
    /// The data key or kubeconfig field.
    pub key: String,
    /// 1-based line of the object (or field, in files).
    pub line: Option<u32>,
}

/// One certificate with resolved sources: the JSON shape of `casefile certs --format json`
/// (fields in this order; the first eight are the stable contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CertReport<'a> {
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: &'a str,
    /// Subject DN.
    pub subject: &'a str,
    /// Issuer DN.
    pub issuer: &'a str,
    /// Serial, lowercase hex.
    pub serial: &'a str,
    /// Start of validity (RFC 3339).
    #[schemars(with = "String")]
    pub not_before: Timestamp,
    /// End of validity (RFC 3339).
    #[schemars(with = "String")]
    pub not_after: Timestamp,
    /// CA flag.
    pub is_ca: bool,
    /// Where it was found.
    pub sources: Vec<SourceReport>,
    /// Subject CN.
    pub subject_cn: Option<&'a str>,
    /// Issuer CN.
    pub issuer_cn: Option<&'a str>,
    /// Subject key identifier.
    pub ski: Option<&'a str>,
    /// Authority key identifier.
    pub aki: Option<&'a str>,
    /// Subject alternative names.
    pub sans: &'a [String],
    /// Key type.
    pub key_type: &'a str,
    /// Signed by its own key.
    pub self_signed: bool,
    /// SHA-256 of the SubjectPublicKeyInfo.
    pub spki_sha256: &'a str,
}

impl CertReport<'_> {
    /// The JSON Schema of `casefile certs --format json` (an array of these rows).
    pub fn schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Vec<CertReport<'static>>)).unwrap_or_default()
    }
}

/// Resolves a source's archive label and path.
pub fn source_report(case: &Case, src: &CertSource) -> SourceReport {
    let archive = case
        .archives()
        .get(usize::from(src.provenance.artifact.archive.0))
        .map(|a| a.data.label())
        .unwrap_or_default();
    SourceReport {
        archive,
        path: case.artifact_path(src.provenance.artifact).to_owned(),
        object: src.object.clone(),
        key: src.key.clone(),
        line: src.provenance.line,
    }
}

/// The report of one certificate with the given sources (all of an entry's, or a
/// filtered subset).
pub fn cert_report<'a>(
    case: &Case,
    cert: &'a Certificate,
    sources: &[&CertSource],
) -> CertReport<'a> {
    CertReport {
        sha256: &cert.sha256,
        subject: &cert.subject,
        issuer: &cert.issuer,
        serial: &cert.serial,
        not_before: cert.not_before,
        not_after: cert.not_after,
        is_ca: cert.is_ca,
        sources: sources.iter().map(|s| source_report(case, s)).collect(),
        subject_cn: cert.subject_cn.as_deref(),
        issuer_cn: cert.issuer_cn.as_deref(),
        ski: cert.ski.as_deref(),
        aki: cert.aki.as_deref(),
        sans: &cert.sans,
        key_type: &cert.key_type,
        self_signed: cert.self_signed,
        spki_sha256: &cert.spki_sha256,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use base64::Engine as _;
    use casefile_model::Redaction;
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    };

    use super::*;
    use crate::CaseOptions;

    struct Made {
        pem: String,
        der: Vec<u8>,
        params: CertificateParams,
        key: KeyPair,
    }

    fn make(cn: &str, ca: bool, by: Option<&Made>) -> Made {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, cn);
        if ca {
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        let key = KeyPair::generate().unwrap();
        let cert = match by {
            Some(i) => p
                .signed_by(&key, &Issuer::from_params(&i.params, &i.key))
                .unwrap(),
            None => p.self_signed(&key).unwrap(),
        };
        Made {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            params: p,
            key,
        }
    }

    fn b64(s: impl AsRef<[u8]>) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn indent(text: &str, n: usize) -> String {
        text.lines()
            .fold(String::new(), |acc, l| acc + &" ".repeat(n) + l + "\n")
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn sha(m: &Made) -> String {
        sha256_hex(&m.der)
    }

    #[test]
    fn inventory_of_a_synthetic_case() {
        let signer = make("kube-apiserver-lb-signer", true, None);
        let signer2 = make("kube-apiserver-lb-signer", true, None); // same name, other key
        let serving = make("api-int", false, Some(&signer));
        let kc_ca = make("kc-ca", true, None);
        let der_only = make("der-only", true, None);
        let secret_kc_ca = make("secret-kc-ca", true, None);
        let csr_leaf = make("system:node:master-0", false, Some(&signer));
        let node_client = make("system:node:worker-0", false, Some(&kc_ca));
        let key_pem = signer.key.serialize_pem();

        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let bundle = format!(
            "{}{}{}",
            signer.pem,
            key_pem.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
            signer2.pem
        );
        let kubeconfig = format!(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {}\n    server: https://api-int:6443\n  name: c\nkind: Config\n",
            b64(&kc_ca.pem)
        );
        let configmaps = format!(
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    ca-bundle.crt: |\n{}  kind: ConfigMap\n  metadata:\n    name: bundle\n    namespace: ns1\n- apiVersion: v1\n  data:\n    kubeconfig: |\n{}  kind: ConfigMap\n  metadata:\n    name: kc\n    namespace: ns1\n- apiVersion: v1\n  binaryData:\n    ca.der: {}\n  kind: ConfigMap\n  metadata:\n    name: der\n    namespace: ns1\n- apiVersion: v1\n  data:\n    script.sh: echo -----BEGIN\n  kind: ConfigMap\n  metadata:\n    name: script\n    namespace: ns1\nkind: ConfigMapList\nmetadata:\n  resourceVersion: \"\"\n",
            indent(&bundle, 6),
            indent(&kubeconfig, 6),
            b64(&der_only.der)
        );
        let secret_kc = format!(
            "clusters:\n- cluster:\n    certificate-authority-data: {}\n",
            b64(&secret_kc_ca.pem)
        );
        let secrets = format!(
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    tls.crt: {}\n    tls.key: {}\n    token: ANONYMIZED\n    other: '*******'\n    lb-int.kubeconfig: {}\n  kind: Secret\n  metadata:\n    name: s1\n    namespace: ns1\n  type: kubernetes.io/tls\n- apiVersion: v1\n  data:\n    tls.crt: {}\n    tls.key: {}\n  kind: Secret\n  metadata:\n    name: unredacted\n    namespace: ns2\n  type: kubernetes.io/tls\nkind: SecretList\nmetadata:\n  resourceVersion: \"\"\n",
            b64(&serving.pem),
            b64("1679 bytes long"),
            b64(&secret_kc),
            b64(&signer.pem),
            b64(&key_pem)
        );
        let csr = format!(
            "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: csr-1\nspec:\n  signerName: kubernetes.io/kubelet-serving\n  username: system:node:master-0\nstatus:\n  certificate: {}\n",
            b64(&csr_leaf.pem)
        );
        let pending = "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: csr-2\nspec:\n  username: system:node:master-1\nstatus: {}\n";
        let scrubbed = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: *******\n    server: https://api-int.example:6443\n  name: local\nusers:\n- name: kubelet\n  user:\n    token: *******\n";
        let node_kc = format!(
            "apiVersion: v1\nusers:\n- name: default-auth\n  user:\n    client-certificate-data: {}\n    client-key-data: {}\n",
            b64(&node_client.pem),
            b64(node_client.key.serialize_pem())
        );
        write(root, "mg/namespaces/ns1/core/configmaps.yaml", &configmaps);
        write(root, "mg/namespaces/ns1/core/secrets.yaml", &secrets);
        write(
            root,
            "mg/cluster-scoped-resources/certificates.k8s.io/certificatesigningrequests/csr-1.yaml",
            &csr,
        );
        write(
            root,
            "mg/cluster-scoped-resources/certificates.k8s.io/certificatesigningrequests/csr-2.yaml",
            pending,
        );
        write(
            root,
            "sosreport-worker-0/sos_commands/host/hostname",
            "worker-0\n",
        );
        write(
            root,
            "sosreport-worker-0/etc/kubernetes/kubeconfig",
            scrubbed,
        );
        write(
            root,
            "sosreport-worker-0/var/lib/kubelet/kubeconfig",
            &node_kc,
        );

        let case = Case::open(
            &[root.to_path_buf()],
            &CaseOptions {
                no_cache: true,
                ..CaseOptions::default()
            },
        )
        .unwrap();
        let inv = inventory(&case);
        assert!(inv.problems.is_empty(), "{:#?}", inv.problems);

        let mut want = vec![
            sha(&signer),
            sha(&signer2),
            sha(&serving),
            sha(&kc_ca),
            sha(&der_only),
            sha(&secret_kc_ca),
            sha(&csr_leaf),
            sha(&node_client),
        ];
        want.sort();
        let mut got: Vec<String> = inv.certificates().map(|c| c.sha256.clone()).collect();
        got.sort();
        assert_eq!(got, want);
        assert!(
            inv.entries
                .windows(2)
                .all(|w| (&w[0].cert.subject, &w[0].cert.sha256)
                    < (&w[1].cert.subject, &w[1].cert.sha256))
        );

        // Same-name CAs: two entries.
        assert_eq!(inv.by_subject_cn("kube-apiserver-lb-signer").count(), 2);
        let keys = |m: &Made| -> Vec<(Option<String>, String)> {
            inv.get(&sha(m))
                .unwrap()
                .sources
                .iter()
                .map(|s| (s.object.clone(), s.key.clone()))
                .collect()
        };
        let o = |s: &str| Some(s.to_owned());
        assert_eq!(
            keys(&signer),
            vec![
                (o("ns1/ConfigMap/bundle"), "ca-bundle.crt".into()),
                (o("ns2/Secret/unredacted"), "tls.crt".into())
            ]
        );
        assert_eq!(
            keys(&signer2),
            vec![(o("ns1/ConfigMap/bundle"), "ca-bundle.crt".into())]
        );
        assert_eq!(keys(&serving), vec![(o("ns1/Secret/s1"), "tls.crt".into())]);
        assert_eq!(
            keys(&kc_ca),
            vec![(
                o("ns1/ConfigMap/kc"),
                "kubeconfig:certificate-authority-data".into()
            )]
        );
        assert_eq!(
            keys(&der_only),
            vec![(o("ns1/ConfigMap/der"), "ca.der".into())]
        );
        assert_eq!(
            keys(&secret_kc_ca),
            vec![(
                o("ns1/Secret/s1"),
                "lb-int.kubeconfig:certificate-authority-data".into()
            )]
        );
        assert_eq!(
            keys(&csr_leaf),
            vec![(o("CertificateSigningRequest/csr-1"), CSR_CERT_KEY.into())]
        );
        assert_eq!(
            keys(&node_client),
            vec![(None, "client-certificate-data".into())]
        );

        // Provenance: the object's first line; the field's line in kubeconfig files.
        let bundle_src = &inv.get(&sha(&signer2)).unwrap().sources[0];
        assert_eq!(
            case.artifact_path(bundle_src.provenance.artifact),
            "mg/namespaces/ns1/core/configmaps.yaml"
        );
        assert_eq!(bundle_src.provenance.line, Some(3));
        let node_src = &inv.get(&sha(&node_client)).unwrap().sources[0];
        assert_eq!(
            case.artifact_path(node_src.provenance.artifact),
            "sosreport-worker-0/var/lib/kubelet/kubeconfig"
        );
        assert_eq!(node_src.provenance.line, Some(5));

        let hidden: Vec<(Option<&str>, &str, Redaction, Option<u32>)> = inv
            .not_collected
            .iter()
            .map(|n| {
                (
                    n.object.as_deref(),
                    n.key.as_str(),
                    n.why,
                    n.provenance.line,
                )
            })
            .collect();
        assert_eq!(
            hidden,
            vec![
                (
                    Some("ns1/Secret/s1"),
                    "other",
                    Redaction::SosScrubbed,
                    Some(3)
                ),
                (
                    Some("ns1/Secret/s1"),
                    "tls.key",
                    Redaction::InspectBytesLong(1679),
                    Some(3)
                ),
                (
                    Some("ns1/Secret/s1"),
                    "token",
                    Redaction::Anonymized,
                    Some(3)
                ),
                (
                    None,
                    "certificate-authority-data",
                    Redaction::SosScrubbed,
                    Some(4)
                ),
            ]
        );

        // No private key text anywhere in the result.
        let outputs = [format!("{inv:?}"), serde_json::to_string(&inv).unwrap()];
        for key in [&key_pem, &node_client.key.serialize_pem()] {
            for line in key.lines().filter(|l| !l.starts_with("-----")) {
                for out in &outputs {
                    assert!(!out.contains(line), "private key text leaked");
                }
            }
        }
        for out in &outputs {
            assert!(!out.contains("PRIVATE KEY") && !out.contains(&b64(&key_pem)));
        }
    }

    #[test]
    fn undecodable_certificates_are_problems_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cms = "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    ca.crt: |\n      -----BEGIN CERTIFICATE-----\n      MIIBAAAA\n      -----END CERTIFICATE-----\n  kind: ConfigMap\n  metadata:\n    name: broken\n    namespace: ns1\nkind: ConfigMapList\n";
        let secrets = "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    tls.crt: '!!!not base64'\n    ca.crt: aGVsbG8=\n  kind: Secret\n  metadata:\n    name: odd\n    namespace: ns1\nkind: SecretList\n";
        write(root, "mg/namespaces/ns1/core/configmaps.yaml", cms);
        write(root, "mg/namespaces/ns1/core/secrets.yaml", secrets);
        let case = Case::open(
            &[root.to_path_buf()],
            &CaseOptions {
                no_cache: true,
                ..CaseOptions::default()
            },
        )
        .unwrap();
        let inv = inventory(&case);
        assert!(inv.entries.is_empty());
        let messages: Vec<&str> = inv.problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages.iter().any(|m| m.starts_with("ns1/ConfigMap/broken key ca.crt: certificate with sha256 ")), "{messages:#?}");
        assert!(
            messages.contains(&"ns1/Secret/odd key tls.crt: value is not valid base64"),
            "{messages:#?}"
        );
        assert!(
            messages.contains(&"ns1/Secret/odd key ca.crt: holds no PEM certificate"),
            "{messages:#?}"
        );
        assert!(
            inv.problems
                .iter()
                .all(|d| d.path.starts_with("mg/namespaces/ns1/core/"))
        );
    }
}
