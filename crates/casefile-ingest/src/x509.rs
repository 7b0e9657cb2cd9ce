//! Certificates in archive text: PEM extraction, DER decoding, kubeconfig fields, and the
//! markers collection tools leave where they hid a value.
//!
//! Everything here is total: malformed input yields an error value or a skipped block with
//! a reason, never a panic. Non-`CERTIFICATE` PEM blocks (private keys, `EC PARAMETERS`,
//! certificate requests, ...) are stepped over by their markers alone: their bodies are
//! never decoded or copied, and only their label is reported.
//!
//! ```
//! use casefile_ingest::x509::{redaction, scan_pem};
//! use casefile_model::Redaction;
//! let scan = scan_pem(b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n");
//! assert!(scan.certificates.is_empty());
//! assert_eq!(scan.skipped, vec!["EC PARAMETERS".to_owned()]);
//! assert_eq!(redaction(b"1679 bytes long"), Some(Redaction::InspectBytesLong(1679)));
//! ```

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use casefile_model::{Certificate, Redaction, Timestamp};
use memchr::memmem;
use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_DSA, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
    OID_PKCS1_RSAENCRYPTION, OID_PKCS1_RSASSAPSS, OID_SIG_ED448, OID_SIG_ED25519,
};
use x509_parser::public_key::PublicKey;
use x509_parser::x509::X509Name;

/// The PEM marker that starts a certificate block (without the trailing dashes).
pub const PEM_CERT_MARKER: &str = "-----BEGIN CERTIFICATE";

/// Kubeconfig fields that hold base64 PEM certificates. `client-key-data` is deliberately
/// absent: it is never read.
pub const KUBECONFIG_CERT_FIELDS: [&str; 2] =
    ["certificate-authority-data", "client-certificate-data"];

const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";
/// Longest PEM label accepted (`ENCRYPTED PRIVATE KEY` and friends are far shorter).
const MAX_LABEL: usize = 64;

/// Why a PEM block or DER certificate could not be read. Never carries key material or
/// certificate text, only positions and the decoder's own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// A `-----BEGIN ` line whose label is missing, too long or not `[A-Z0-9 -]`.
    #[error("malformed PEM header at byte {offset}")]
    MalformedHeader {
        /// Byte offset of the `-----BEGIN ` marker.
        offset: usize,
    },
    /// A block with no matching `-----END <label>-----` before the next block or the end.
    #[error("PEM block {label:?} at byte {offset} has no END line")]
    Unterminated {
        /// The block's label.
        label: String,
        /// Byte offset of the `-----BEGIN ` marker.
        offset: usize,
    },
    /// A certificate block whose body is not base64.
    #[error("PEM certificate at byte {offset} is not valid base64")]
    Base64 {
        /// Byte offset of the `-----BEGIN ` marker.
        offset: usize,
    },
    /// Bytes that do not decode as an X.509 certificate.
    #[error("not a valid X.509 certificate: {0}")]
    Der(String),
    /// A value that should be base64 is not.
    #[error("value is not valid base64")]
    NotBase64,
}

/// What [`scan_pem`] found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PemScan {
    /// DER bytes of every `CERTIFICATE` block, in text order.
    pub certificates: Vec<Vec<u8>>,
    /// Labels of the blocks stepped over (`RSA PRIVATE KEY`, `EC PARAMETERS`, ...), in
    /// text order. Only the label is kept.
    pub skipped: Vec<String>,
    /// Blocks that could not be read.
    pub problems: Vec<CertError>,
}

/// Whether a text contains a PEM certificate marker (a cheap test before decoding).
pub fn has_pem_certificate(text: &[u8]) -> bool {
    memmem::find(text, PEM_CERT_MARKER.as_bytes()).is_some()
}

/// Extracts every `CERTIFICATE` block of a text.
///
/// Tolerates CRLF line ends, indentation and leading or trailing white space, text
/// between blocks, blocks concatenated without a newline, and JSON-style `\n` escapes
/// inside a body. Every other block type is skipped by its markers without decoding its
/// body.
pub fn scan_pem(text: &[u8]) -> PemScan {
    let mut out = PemScan::default();
    let begin_finder = memmem::Finder::new(BEGIN);
    let mut pos = 0;
    while let Some(found) = begin_finder.find(&text[pos..]) {
        let offset = pos + found;
        let label_start = offset + BEGIN.len();
        let Some(label_len) = label_end(&text[label_start..]) else {
            out.problems.push(CertError::MalformedHeader { offset });
            pos = label_start;
            continue;
        };
        // The label is validated ASCII, so this conversion is lossless.
        let label =
            String::from_utf8_lossy(&text[label_start..label_start + label_len]).into_owned();
        let body_start = label_start + label_len + DASHES.len();
        let mut end_marker = Vec::with_capacity(label_len + 14);
        end_marker.extend_from_slice(b"-----END ");
        end_marker.extend_from_slice(label.as_bytes());
        end_marker.extend_from_slice(DASHES);
        let rest = &text[body_start..];
        let next_begin = begin_finder.find(rest);
        let end = memmem::find(rest, &end_marker).filter(|e| next_begin.is_none_or(|b| *e < b));
        let Some(end) = end else {
            out.problems.push(CertError::Unterminated { label, offset });
            pos = next_begin.map_or(text.len(), |b| body_start + b);
            continue;
        };
        pos = body_start + end + end_marker.len();
        if label != "CERTIFICATE" {
            out.skipped.push(label);
            continue;
        }
        match decode_pem_body(&rest[..end]) {
            Some(der) => out.certificates.push(der),
            None => out.problems.push(CertError::Base64 { offset }),
        }
    }
    out
}

/// Length of a PEM label (`[A-Z0-9 ]`, at most [`MAX_LABEL`] bytes) that is followed by
/// `-----`, or `None` when the header is malformed.
fn label_end(s: &[u8]) -> Option<usize> {
    let len = s
        .iter()
        .take(MAX_LABEL + 1)
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b' ')
        .count();
    (len > 0 && len <= MAX_LABEL && s[len..].starts_with(DASHES)).then_some(len)
}

/// Decodes a PEM body: base64 with white space and `\n`/`\r`/`\t` escapes ignored.
fn decode_pem_body(body: &[u8]) -> Option<Vec<u8>> {
    let mut clean = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => clean.push(b),
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'\\' if matches!(body.get(i + 1), Some(b'n' | b'r' | b't')) => i += 1,
            _ => return None,
        }
        i += 1;
    }
    if clean.is_empty() {
        return None;
    }
    lenient_engine().decode(&clean).ok()
}

fn lenient_engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// Decodes standard base64, ignoring ASCII white space and accepting missing padding.
pub fn decode_base64(value: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = value
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    lenient_engine().decode(&clean).ok()
}

/// Recognizes a value a collection tool replaced, in the form it has after any base64
/// decoding: `<N> bytes long` (`oc adm inspect`), `*******` (sosreport, exactly seven
/// stars), `REDACTED`, `ANONYMIZED`, or an empty value. Surrounding white space is
/// ignored; anything else (`12 bytes longer`, `****`) is not a marker.
pub fn redaction(value: &[u8]) -> Option<Redaction> {
    let v = value.trim_ascii();
    match v {
        b"" => Some(Redaction::Empty),
        b"*******" => Some(Redaction::SosScrubbed),
        b"REDACTED" => Some(Redaction::Redacted),
        b"ANONYMIZED" => Some(Redaction::Anonymized),
        _ => {
            let digits = v.strip_suffix(b" bytes long")?;
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = digits
                .iter()
                .try_fold(0usize, |n, d| {
                    n.checked_mul(10)?.checked_add(usize::from(d - b'0'))
                })
                .unwrap_or(usize::MAX);
            Some(Redaction::InspectBytesLong(n))
        }
    }
}

/// Recognizes a redacted base64 value (a Secret `data` value, a kubeconfig `*-data`
/// field, a CSR `status.certificate`): either the raw value is a marker (`*******`,
/// `REDACTED`, `ANONYMIZED`, empty) or it decodes to one (`oc adm inspect`'s
/// base64 of `"<N> bytes long"`).
pub fn redaction_of_base64(value: &[u8]) -> Option<Redaction> {
    if let Some(r) = redaction(value) {
        return Some(r);
    }
    redaction(&decode_base64(value)?)
}

/// One certificate-bearing field of a kubeconfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubeconfigField<'a> {
    /// `certificate-authority-data` or `client-certificate-data`.
    pub field: &'static str,
    /// The raw value (base64 PEM, or a scrub marker), quotes removed.
    pub value: &'a str,
    /// 1-based line number within the text.
    pub line: u32,
}

/// Whether a text mentions a kubeconfig certificate field (a cheap test).
pub fn looks_like_kubeconfig(text: &[u8]) -> bool {
    KUBECONFIG_CERT_FIELDS
        .iter()
        .any(|f| memmem::find(text, f.as_bytes()).is_some())
}

/// Finds the certificate-bearing fields of a kubeconfig (YAML, or JSON even on one line)
/// by their names, so that scrubbed or otherwise invalid YAML still yields its fields, in
/// text order. `client-key-data` is never read.
pub fn kubeconfig_fields(text: &str) -> Vec<KubeconfigField<'_>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut hits: Vec<(usize, KubeconfigField<'_>)> = Vec::new();
        for field in KUBECONFIG_CERT_FIELDS {
            for (at, _) in line.match_indices(field) {
                if let Some(value) = field_value(line, at, field) {
                    hits.push((
                        at,
                        KubeconfigField {
                            field,
                            value,
                            line: line_no,
                        },
                    ));
                }
            }
        }
        hits.sort_by_key(|(at, _)| *at);
        out.extend(hits.into_iter().map(|(_, f)| f));
    }
    out
}

/// The value of `field` found at byte `at` of `line`, when it is a key: preceded by a
/// boundary, followed by an optional quote, optional blanks and `:`.
fn field_value<'a>(line: &'a str, at: usize, field: &str) -> Option<&'a str> {
    let before = line[..at].chars().next_back();
    if !before.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '{' | ',')) {
        return None;
    }
    let mut rest = &line[at + field.len()..];
    rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    if let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let inner = &rest[1..];
        return Some(inner.find(q).map_or(inner, |end| &inner[..end]));
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Decodes one DER certificate. Trailing bytes after the certificate are ignored; the
/// fingerprint and the kept DER cover the certificate itself.
pub fn parse_der(der: &[u8]) -> Result<Certificate, CertError> {
    let (_, x) =
        x509_parser::parse_x509_certificate(der).map_err(|e| CertError::Der(e.to_string()))?;
    let raw = x.as_raw();
    let validity = x.validity();
    let time = |t: i64| {
        Timestamp::from_second(t).map_err(|e| CertError::Der(format!("validity out of range: {e}")))
    };
    let not_before = time(validity.not_before.timestamp())?;
    let not_after = time(validity.not_after.timestamp())?;
    let mut ski = None;
    let mut aki = None;
    for ext in x.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(hex(k.0)),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| hex(k.0));
            }
            _ => {}
        }
    }
    let sans = match x.subject_alternative_name() {
        Ok(Some(ext)) => ext.value.general_names.iter().map(general_name).collect(),
        _ => Vec::new(),
    };
    let (key_type, rsa_bits) = key_type(&x);
    let subject = name_string(x.subject());
    let issuer = name_string(x.issuer());
    let self_signed = self_signed(&x, ski.as_deref(), aki.as_deref(), rsa_bits);
    Ok(Certificate {
        sha256: sha256_hex(raw),
        subject_cn: common_name(x.subject()),
        subject,
        issuer_cn: common_name(x.issuer()),
        issuer,
        serial: serial_hex(x.raw_serial()),
        not_before,
        not_after,
        is_ca: x.is_ca(),
        ski,
        aki,
        sans,
        key_type,
        self_signed,
        spki_sha256: sha256_hex(x.public_key().raw),
        der: raw.to_vec(),
    })
}

fn name_string(n: &X509Name<'_>) -> String {
    n.to_string()
}

fn common_name(n: &X509Name<'_>) -> Option<String> {
    let cn = n.iter_common_name().next()?;
    Some(cn.as_str().map_or_else(
        |_| String::from_utf8_lossy(cn.as_slice()).into_owned(),
        str::to_owned,
    ))
}

/// Serial as lowercase hex without the sign-padding zero bytes (as `openssl x509 -serial`).
fn serial_hex(raw: &[u8]) -> String {
    let first = raw
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(raw.len().saturating_sub(1));
    hex(&raw[first.min(raw.len())..])
}

fn general_name(g: &GeneralName<'_>) -> String {
    match g {
        GeneralName::DNSName(s) => format!("DNS:{s}"),
        GeneralName::RFC822Name(s) => format!("email:{s}"),
        GeneralName::URI(s) => format!("URI:{s}"),
        GeneralName::IPAddress(b) => match b.len() {
            4 => format!("IP:{}", Ipv4Addr::new(b[0], b[1], b[2], b[3])),
            16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(b);
                format!("IP:{}", Ipv6Addr::from(a))
            }
            _ => format!("IP:{}", hex(b)),
        },
        GeneralName::DirectoryName(n) => format!("DirName:{n}"),
        other => other.to_string(),
    }
}

/// Key type text and, for RSA, the modulus size.
fn key_type(x: &X509Certificate<'_>) -> (String, Option<usize>) {
    let spki = x.public_key();
    let alg = &spki.algorithm.algorithm;
    if *alg == OID_PKCS1_RSAENCRYPTION || *alg == OID_PKCS1_RSASSAPSS {
        let bits = match spki.parsed() {
            Ok(PublicKey::RSA(k)) => Some(k.key_size()),
            _ => None,
        };
        let name = if *alg == OID_PKCS1_RSAENCRYPTION {
            "RSA"
        } else {
            "RSA-PSS"
        };
        return (
            bits.map_or_else(|| name.to_owned(), |b| format!("{name} {b}")),
            bits,
        );
    }
    if *alg == OID_KEY_TYPE_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok());
        let name = match curve {
            Some(c) if c == OID_EC_P256 => "P-256".to_owned(),
            Some(c) if c == OID_NIST_EC_P384 => "P-384".to_owned(),
            Some(c) if c == OID_NIST_EC_P521 => "P-521".to_owned(),
            Some(c) => c.to_id_string(),
            None => "unknown curve".to_owned(),
        };
        return (format!("EC {name}"), None);
    }
    if *alg == OID_SIG_ED25519 {
        return ("Ed25519".to_owned(), None);
    }
    if *alg == OID_SIG_ED448 {
        return ("Ed448".to_owned(), None);
    }
    if *alg == OID_KEY_TYPE_DSA {
        let bits = spki.parsed().map_or(0, |k| k.key_size());
        return (format!("DSA {bits}"), None);
    }
    (alg.to_id_string(), None)
}

/// Issuer = subject and the signature verifies with the certificate's own key. When the
/// signature cannot be checked here (an algorithm `ring` does not support, or an RSA key
/// shorter than the 2048 bits `ring` accepts for SHA-2), the key identifiers decide.
fn self_signed(
    x: &X509Certificate<'_>,
    ski: Option<&str>,
    aki: Option<&str>,
    rsa_bits: Option<usize>,
) -> bool {
    if x.subject().as_raw() != x.issuer().as_raw() {
        return false;
    }
    let ids_match = match (ski, aki) {
        (Some(s), Some(a)) => s == a,
        _ => true,
    };
    match x.verify_signature(None) {
        Ok(()) => true,
        Err(X509Error::SignatureUnsupportedAlgorithm) => ids_match,
        Err(_) if rsa_bits.is_some_and(|b| b < 2048) => ids_match,
        Err(_) => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
        PKCS_ECDSA_P384_SHA384, PKCS_ED25519, SignatureAlgorithm,
    };

    use super::*;

    struct Made {
        pem: String,
        der: Vec<u8>,
        params: CertificateParams,
        key: KeyPair,
    }

    fn params(dn: &[(DnType, &str)], ca: bool, sans: &[&str]) -> CertificateParams {
        let mut p =
            CertificateParams::new(sans.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
                .unwrap();
        p.distinguished_name = DistinguishedName::new();
        for (t, v) in dn {
            p.distinguished_name.push(t.clone(), *v);
        }
        if ca {
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        p.not_before = rcgen::date_time_ymd(2021, 9, 13);
        p.not_after = p.not_before + Duration::from_secs(24 * 3600);
        p.use_authority_key_identifier_extension = !ca;
        p
    }

    fn self_signed_with(p: CertificateParams, alg: &'static SignatureAlgorithm) -> Made {
        let key = KeyPair::generate_for(alg).unwrap();
        let cert = p.self_signed(&key).unwrap();
        Made {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            params: p,
            key,
        }
    }

    fn ca(cn: &str) -> Made {
        self_signed_with(
            params(
                &[
                    (DnType::OrganizationalUnitName, "openshift"),
                    (DnType::CommonName, cn),
                ],
                true,
                &[],
            ),
            &rcgen::PKCS_ECDSA_P256_SHA256,
        )
    }

    fn leaf(cn: &str, sans: &[&str], by: &Made) -> Made {
        let p = params(&[(DnType::CommonName, cn)], false, sans);
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&by.params, &by.key);
        let cert = p.signed_by(&key, &issuer).unwrap();
        Made {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            params: p,
            key,
        }
    }

    /// The base64 lines of a PEM text (what must never leak).
    fn body_lines(pem: &str) -> Vec<String> {
        pem.lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 8)
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn redaction_forms_and_near_misses() {
        let cases: &[(&[u8], Option<Redaction>)] = &[
            (b"1679 bytes long", Some(Redaction::InspectBytesLong(1679))),
            (b"0 bytes long", Some(Redaction::InspectBytesLong(0))),
            (
                b"1679 bytes long\n",
                Some(Redaction::InspectBytesLong(1679)),
            ),
            (
                b"99999999999999999999999999999 bytes long",
                Some(Redaction::InspectBytesLong(usize::MAX)),
            ),
            (b"12 bytes longer", None),
            (b"12 byte long", None),
            (b"12 bytes  long", None),
            (b" bytes long", None),
            (b"-1 bytes long", None),
            (b"+1 bytes long", None),
            (b"twelve bytes long", None),
            (b"12 bytes long.", None),
            (b"1 2 bytes long", None),
            (b"*******", Some(Redaction::SosScrubbed)),
            (b"  *******\r\n", Some(Redaction::SosScrubbed)),
            (b"****", None),
            (b"******", None),
            (b"********", None),
            (b"*** ****", None),
            (b"REDACTED", Some(Redaction::Redacted)),
            (b"redacted", None),
            (b"REDACTED!", None),
            (b"<REDACTED>x", None),
            (b"ANONYMIZED", Some(Redaction::Anonymized)),
            (b"ANONYMISED", None),
            (b"anonymized", None),
            (b"", Some(Redaction::Empty)),
            (b" \n\t", Some(Redaction::Empty)),
            (b"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", None),
            (b"-----BEGIN CERTIFICATE-----", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                redaction(input),
                *want,
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn redaction_of_base64_values() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let cases: Vec<(String, Option<Redaction>)> = vec![
            // tls.key as oc adm inspect writes it (formats.md §1.3)
            (
                "MTY3OSBieXRlcyBsb25n".to_owned(),
                Some(Redaction::InspectBytesLong(1679)),
            ),
            (b64("4 bytes long"), Some(Redaction::InspectBytesLong(4))),
            (b64("12 bytes longer"), None),
            (b64("-----BEGIN CERTIFICATE-----\n"), None),
            ("*******".to_owned(), Some(Redaction::SosScrubbed)),
            ("****".to_owned(), None),
            // `REDACTED` happens to be valid base64: the raw marker wins
            ("REDACTED".to_owned(), Some(Redaction::Redacted)),
            (b64("REDACTED"), Some(Redaction::Redacted)),
            ("ANONYMIZED".to_owned(), Some(Redaction::Anonymized)),
            (String::new(), Some(Redaction::Empty)),
            ("not base64 at all!".to_owned(), None),
        ];
        for (input, want) in cases {
            assert_eq!(
                redaction_of_base64(input.as_bytes()),
                want,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn pem_oddities() {
        let a = ca("kubelet-signer");
        let b = leaf("system:node:master-0", &["master-0"], &a);
        let (pa, pb) = (a.pem.trim_end().to_owned(), b.pem.trim_end().to_owned());
        let indent = |p: &str| {
            p.lines()
                .fold(String::new(), |acc, l| acc + "      " + l + "\n")
        };
        let two = vec![a.der.clone(), b.der.clone()];
        let cases: Vec<(&str, String, Vec<Vec<u8>>)> = vec![
            ("plain LF", format!("{pa}\n{pb}\n"), two.clone()),
            (
                "CRLF",
                format!("{pa}\n{pb}\n").replace('\n', "\r\n"),
                two.clone(),
            ),
            (
                "indented like a YAML block scalar",
                format!("ca-bundle.crt: |\n{}{}", indent(&pa), indent(&pb)),
                two.clone(),
            ),
            (
                "leading and trailing white space",
                format!("\n\n   \t{pa}\n\n\n{pb}   \n\n"),
                two.clone(),
            ),
            (
                "concatenated without newline",
                format!("{pa}{pb}"),
                two.clone(),
            ),
            (
                "text between blocks",
                format!("# signer\n{pa}\nsome comment\n{pb}\nend"),
                two.clone(),
            ),
            (
                "JSON escapes",
                format!("{pa}\n{pb}\n").replace('\n', "\\n"),
                two.clone(),
            ),
            (
                "no trailing newline after END",
                pa.clone(),
                vec![a.der.clone()],
            ),
            (
                "certificate request is skipped",
                "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
                    .to_owned(),
                vec![],
            ),
            ("empty", String::new(), vec![]),
        ];
        for (name, text, want) in cases {
            let scan = scan_pem(text.as_bytes());
            assert_eq!(scan.certificates, want, "{name}");
            assert!(scan.problems.is_empty(), "{name}: {:?}", scan.problems);
        }
    }

    #[test]
    fn private_key_inside_a_bundle_is_skipped_and_never_copied() {
        let a = ca("kube-apiserver-lb-signer");
        let b = ca("kube-apiserver-localhost-signer");
        let key_pem = a.key.serialize_pem();
        let rsa_style = key_pem.replace("PRIVATE KEY", "RSA PRIVATE KEY");
        let ec_params =
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        let bundle = format!("{}{key_pem}{ec_params}{}{rsa_style}", a.pem, b.pem);
        let scan = scan_pem(bundle.as_bytes());
        assert_eq!(scan.certificates, vec![a.der.clone(), b.der.clone()]);
        assert_eq!(
            scan.skipped,
            vec!["PRIVATE KEY", "EC PARAMETERS", "RSA PRIVATE KEY"]
        );
        assert!(scan.problems.is_empty(), "{:?}", scan.problems);
        // A private key block without an END line is reported by label only.
        let cut = format!("{}{}", a.pem, &key_pem[..key_pem.len() / 2]);
        let scan_cut = scan_pem(cut.as_bytes());
        assert_eq!(scan_cut.certificates, vec![a.der.clone()]);
        assert_eq!(
            scan_cut.problems,
            vec![CertError::Unterminated {
                label: "PRIVATE KEY".into(),
                offset: a.pem.len()
            }]
        );
        // Nothing that comes out of the scan or the decoder holds key text.
        let decoded: Vec<Certificate> = scan
            .certificates
            .iter()
            .map(|d| parse_der(d).unwrap())
            .collect();
        let outputs = [
            format!("{scan:?}"),
            format!("{scan_cut:?}"),
            format!("{decoded:?}"),
            serde_json::to_string(&decoded).unwrap(),
            scan_cut
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<String>(),
        ];
        for line in body_lines(&key_pem) {
            for o in &outputs {
                assert!(!o.contains(&line), "private key text leaked");
            }
        }
        // The key's DER never appears as a "certificate" either.
        assert!(
            !scan
                .certificates
                .iter()
                .any(|d| d == a.key.serialized_der())
        );
    }

    #[test]
    fn malformed_pem_is_reported_not_panicked() {
        let a = ca("signer");
        let cases: Vec<(&str, String, usize, usize)> = vec![
            // (name, text, certificates, problems)
            (
                "bad base64",
                "-----BEGIN CERTIFICATE-----\nMII$$$\n-----END CERTIFICATE-----\n".into(),
                0,
                1,
            ),
            (
                "empty body",
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".into(),
                0,
                1,
            ),
            (
                "unterminated then a good block",
                format!("-----BEGIN CERTIFICATE-----\nMIIB\n{}", a.pem),
                1,
                1,
            ),
            (
                "lowercase label",
                "-----BEGIN certificate-----\n".into(),
                0,
                1,
            ),
            (
                "no closing dashes",
                "-----BEGIN CERTIFICATE\nMIIB".into(),
                0,
                1,
            ),
            ("marker only", "-----BEGIN ".into(), 0, 1),
        ];
        for (name, text, certs, problems) in cases {
            let scan = scan_pem(text.as_bytes());
            assert_eq!(
                (scan.certificates.len(), scan.problems.len()),
                (certs, problems),
                "{name}: {scan:?}"
            );
        }
        // Every prefix of a bundle with a key in it: no panic.
        let bundle = format!("{}{}", a.pem, a.key.serialize_pem());
        for i in 0..=bundle.len() {
            let _ = scan_pem(&bundle.as_bytes()[..i]);
        }
    }

    #[test]
    fn decodes_real_certificates() {
        let signer = ca("kubelet-signer");
        let c = parse_der(&signer.der).unwrap();
        assert_eq!(c.subject, "OU=openshift, CN=kubelet-signer");
        assert_eq!(c.subject_cn.as_deref(), Some("kubelet-signer"));
        assert_eq!(c.issuer, c.subject);
        assert!(c.is_ca && c.self_signed);
        assert_eq!(c.key_type, "EC P-256");
        assert_eq!(c.lifetime(), jiff::SignedDuration::from_hours(24));
        assert_eq!(
            c.not_before,
            "2021-09-13T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(c.sha256, sha256_hex(&signer.der));
        assert_eq!(c.sha256.len(), 64);
        assert!(
            c.sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert!(c.ski.is_some());
        assert!(
            !c.serial.is_empty()
                && c.serial
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(c.der, signer.der);

        let l = leaf(
            "system:node:master-0",
            &["master-0.example.com", "10.0.0.5", "fd00::1"],
            &signer,
        );
        let lc = parse_der(&l.der).unwrap();
        assert_eq!(lc.issuer, "OU=openshift, CN=kubelet-signer");
        assert_eq!(lc.issuer_cn.as_deref(), Some("kubelet-signer"));
        assert_eq!(lc.subject_cn.as_deref(), Some("system:node:master-0"));
        assert!(!lc.is_ca && !lc.self_signed);
        assert_eq!(
            lc.sans,
            vec!["DNS:master-0.example.com", "IP:10.0.0.5", "IP:fd00::1"]
        );
        assert_eq!(lc.aki, c.ski);

        let p384 = self_signed_with(
            params(&[(DnType::CommonName, "p384")], true, &[]),
            &PKCS_ECDSA_P384_SHA384,
        );
        assert_eq!(parse_der(&p384.der).unwrap().key_type, "EC P-384");
        let ed = self_signed_with(
            params(&[(DnType::CommonName, "ed")], false, &[]),
            &PKCS_ED25519,
        );
        let edc = parse_der(&ed.der).unwrap();
        assert_eq!(edc.key_type, "Ed25519");
        assert!(edc.self_signed && !edc.is_ca);
        // Trailing bytes after the DER are ignored; the fingerprint covers the certificate.
        let mut padded = signer.der.clone();
        padded.extend_from_slice(b"\0\0junk");
        assert_eq!(parse_der(&padded).unwrap().sha256, c.sha256);
    }

    #[test]
    fn same_name_cas_with_different_keys_are_told_apart() {
        let first = ca("kube-apiserver-lb-signer");
        let second = ca("kube-apiserver-lb-signer");
        let (a, b) = (
            parse_der(&first.der).unwrap(),
            parse_der(&second.der).unwrap(),
        );
        assert_eq!(a.subject, b.subject);
        assert_ne!(a.sha256, b.sha256);
        assert_ne!(a.spki_sha256, b.spki_sha256);
        assert_ne!(a.ski, b.ski);
        assert!(a.self_signed && b.self_signed);
        // Both are found in one bundle.
        let scan = scan_pem(format!("{}{}", first.pem, second.pem).as_bytes());
        let shas: Vec<String> = scan
            .certificates
            .iter()
            .map(|d| parse_der(d).unwrap().sha256)
            .collect();
        assert_eq!(shas, vec![a.sha256.clone(), b.sha256.clone()]);
        // A self-issued name signed by the *other* key is not self-signed.
        let p = params(
            &[
                (DnType::OrganizationalUnitName, "openshift"),
                (DnType::CommonName, "kube-apiserver-lb-signer"),
            ],
            true,
            &[],
        );
        let key = KeyPair::generate().unwrap();
        let cross = p
            .signed_by(&key, &Issuer::from_params(&first.params, &first.key))
            .unwrap();
        let x = parse_der(cross.der()).unwrap();
        assert_eq!(x.subject, x.issuer);
        assert!(!x.self_signed);
    }

    #[test]
    fn garbage_der_is_an_error() {
        let a = ca("signer");
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![0x30],
            vec![0x30, 0x82, 0xff, 0xff],
            b"not a certificate".to_vec(),
            a.der[..a.der.len() / 2].to_vec(),
        ];
        for c in cases {
            assert!(parse_der(&c).is_err(), "{c:?}");
        }
        for i in 0..a.der.len() {
            let _ = parse_der(&a.der[..i]);
        }
    }

    #[test]
    fn kubeconfig_fields_yaml_json_and_scrubbed() {
        let yaml = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tCg==\n    server: https://api-int:6443\n  name: local\nusers:\n- name: kubelet\n  user:\n    client-certificate-data: \"QUJD\"\n    client-key-data: c2VjcmV0\n";
        let got = kubeconfig_fields(yaml);
        assert_eq!(
            got,
            vec![
                KubeconfigField {
                    field: "certificate-authority-data",
                    value: "LS0tCg==",
                    line: 4
                },
                KubeconfigField {
                    field: "client-certificate-data",
                    value: "QUJD",
                    line: 10
                },
            ]
        );
        let json = r#"{"clusters":[{"cluster":{"certificate-authority-data":"LS0tCg==","server":"x"}},{"cluster":{"certificate-authority-data":"QUJD"}}],"users":[{"user":{"client-key-data":"c2VjcmV0"}}]}"#;
        let got: Vec<&str> = kubeconfig_fields(json).iter().map(|f| f.value).collect();
        assert_eq!(got, vec!["LS0tCg==", "QUJD"]);
        // A longer name that merely contains a field name is not that field.
        assert!(
            kubeconfig_fields(
                "x-certificate-authority-data-file: /a\nfoo-client-certificate-data: b"
            )
            .is_empty()
        );
        assert!(kubeconfig_fields("certificate-authority: /etc/kubernetes/ca.crt").is_empty());
        let json_lines = "{\n  \"clusters\": [{\n    \"cluster\": {\n      \"certificate-authority-data\": \"LS0tCg==\",\n      \"server\": \"x\"\n}}]}";
        assert_eq!(kubeconfig_fields(json_lines)[0].value, "LS0tCg==");
        let scrubbed = "clusters:\n- cluster:\n    certificate-authority-data: *******\n    server: https://api-int:6443\n";
        let f = kubeconfig_fields(scrubbed);
        assert_eq!(f.len(), 1);
        assert_eq!(
            redaction_of_base64(f[0].value.as_bytes()),
            Some(Redaction::SosScrubbed)
        );
        assert!(looks_like_kubeconfig(scrubbed.as_bytes()));
        assert!(!looks_like_kubeconfig(b"client-key-data: c2VjcmV0"));
    }
}
