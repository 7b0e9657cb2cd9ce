//! Never print a private key: every output path passes text through [`private_keys`].
//!
//! Real CA bundles have been seen carrying `-----BEGIN RSA PRIVATE KEY-----` blocks, and
//! archives not produced by `oc adm inspect` can hold base64-encoded keys (`tls.key`). Both
//! forms are replaced by a fixed marker.

use std::borrow::Cow;

/// What replaces a private key.
pub const MARKER: &str = "[private key removed by casefile]";

/// Base64 prefixes of `-----BEGIN <X> PRIVATE KEY` for the common X (none, RSA, EC,
/// ENCRYPTED, OPENSSH, DSA), at the three base64 alignments that matter for a value start.
const B64_PREFIXES: [&str; 6] = [
    "LS0tLS1CRUdJTiBQUklWQVRFIEtFW",      // -----BEGIN PRIVATE KEY
    "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRV", // -----BEGIN RSA PRIVATE KEY
    "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFW",  // -----BEGIN EC PRIVATE KEY
    "LS0tLS1CRUdJTiBFTkNSWVBURUQgUFJJVkFURSBLRV", // -----BEGIN ENCRYPTED PRIVATE KEY
    "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZ", // -----BEGIN OPENSSH PRIVATE KEY
    "LS0tLS1CRUdJTiBEU0EgUFJJVkFURSBLRV", // -----BEGIN DSA PRIVATE KEY
];

/// Replaces PEM private-key blocks (any indentation, CRLF or `\n` escapes) and base64-encoded
/// PEM private keys with [`MARKER`]. Returns the input unchanged (borrowed) when there is none.
pub fn private_keys(text: &str) -> Cow<'_, str> {
    if !text.contains("PRIVATE KEY") && !B64_PREFIXES.iter().any(|p| text.contains(p)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let pem = find_pem_key(rest);
        let b64 = B64_PREFIXES.iter().filter_map(|p| rest.find(p)).min();
        let (start, end) = match (pem, b64) {
            (Some((s, _)), Some(b)) if b < s => (b, b64_end(rest, b)),
            (Some((s, e)), _) => (s, e),
            (None, Some(b)) => (b, b64_end(rest, b)),
            (None, None) => {
                out.push_str(rest);
                break;
            }
        };
        out.push_str(&rest[..start]);
        out.push_str(MARKER);
        rest = &rest[end..];
    }
    Cow::Owned(out)
}

/// End of a base64 token starting at `from`.
fn b64_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .map_or(text.len(), |i| from + i)
}

/// Finds the first `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` block
/// (the end marker included); an unterminated block runs to the end of the text.
fn find_pem_key(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("-----BEGIN ") {
        let start = from + i;
        let line_end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |j| start + j);
        let header = &text[start..line_end.min(start + 80)];
        if header.contains("PRIVATE KEY-----") {
            let end = match text[start..]
                .find("PRIVATE KEY-----")
                .and_then(|_| text[start..].find("-----END "))
            {
                Some(j) => {
                    let end_start = start + j;
                    text[end_start + 9..]
                        .find("-----")
                        .map_or(text.len(), |k| end_start + 9 + k + 5)
                }
                None => text.len(),
            };
            return Some((start, end));
        }
        from = start + 11;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecret\nabc\n-----END RSA PRIVATE KEY-----";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----";

    #[test]
    fn removes_keys_and_keeps_certificates() {
        let cases: &[(&str, &str)] = &[
            (
                &format!("{CERT}\n{KEY}\n{CERT}"),
                &format!("{CERT}\n{MARKER}\n{CERT}"),
            ),
            (
                &format!(
                    "ca.crt: |\n      {CERT}\n      {}",
                    KEY.replace('\n', "\n      ")
                ),
                &format!("ca.crt: |\n      {CERT}\n      {MARKER}"),
            ),
            (&KEY.replace('\n', "\\n"), MARKER),
            ("-----BEGIN PRIVATE KEY-----\nMIIE unterminated", MARKER),
            (
                "tls.key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF== next",
                "tls.key: [private key removed by casefile] next",
            ),
            (
                "key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUU",
                "key: [private key removed by casefile]",
            ),
            // near misses stay as they are
            (CERT, CERT),
            (
                "a line about PRIVATE KEY rotation",
                "a line about PRIVATE KEY rotation",
            ),
            (
                "tls.key: MTY3OSBieXRlcyBsb25n",
                "tls.key: MTY3OSBieXRlcyBsb25n",
            ),
            (
                "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
                "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(private_keys(input), *want, "{input}");
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(private_keys("nothing here"), Cow::Borrowed(_)));
    }
}
