//! Private keys are never shown: PEM private-key blocks and base64-encoded ones (as in
//! Secret `data`) are masked line by line, so line numbers stay true to the file.

use std::borrow::Cow;

use base64::Engine as _;

/// What replaces a hidden line (or token).
pub const HIDDEN: &str = "‹private key hidden by casefile›";

/// Masks private keys in consecutive lines of one text. `in_pem` carries the state of an
/// open PEM private-key block from one line to the next.
pub fn line<'a>(text: &'a str, in_pem: &mut bool) -> Cow<'a, str> {
    if *in_pem {
        if text.contains("-----END") {
            *in_pem = false;
        }
        return Cow::Borrowed(HIDDEN);
    }
    if let Some(at) = text.find("-----BEGIN")
        && text[at..].contains("PRIVATE KEY-----")
    {
        // A whole key on one line (JSON `\n` escapes) or the start of a block.
        let rest = &text[at..];
        if !rest.contains("-----END") {
            *in_pem = true;
        }
        return Cow::Owned(format!("{}{HIDDEN}", &text[..at]));
    }
    if text.contains("LS0tLS1CRUdJT") {
        return mask_base64(text);
    }
    Cow::Borrowed(text)
}

/// Masks base64 tokens that decode to a PEM private key.
fn mask_base64(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(at) = rest.find("LS0tLS1CRUdJT") {
        out.push_str(&rest[..at]);
        let token_len = rest[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
            .unwrap_or(rest.len() - at);
        let token = &rest[at..at + token_len];
        // Decode a prefix (a multiple of 4 characters) to read the PEM label.
        let prefix = &token[..token.len().min(64) / 4 * 4];
        let is_key = base64::engine::general_purpose::STANDARD
            .decode(prefix)
            .is_ok_and(|b| String::from_utf8_lossy(&b).contains("PRIVATE KEY"));
        if is_key {
            out.push_str(HIDDEN);
            changed = true;
        } else {
            out.push_str(token);
        }
        rest = &rest[at + token_len..];
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_hidden_line_by_line() {
        let text = "a: 1\ntls.key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\ntls.crt: x";
        let mut st = false;
        let out: Vec<String> = text
            .lines()
            .map(|l| line(l, &mut st).into_owned())
            .collect();
        assert_eq!(out.len(), 6);
        assert_eq!(out[0], "a: 1");
        assert!(out[2].ends_with(HIDDEN));
        assert_eq!(out[3], HIDDEN);
        assert_eq!(out[4], HIDDEN);
        assert_eq!(out[5], "tls.crt: x");
        assert!(!out.join("\n").contains("MIIEow"));
    }

    #[test]
    fn base64_keys_are_hidden_but_certs_are_not() {
        let key = base64::engine::general_purpose::STANDARD
            .encode("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n");
        let cert = base64::engine::general_purpose::STANDARD
            .encode("-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
        let mut st = false;
        let l = format!("  tls.key: {key}");
        assert_eq!(line(&l, &mut st), format!("  tls.key: {HIDDEN}"));
        let l = format!("  tls.crt: {cert}");
        assert_eq!(line(&l, &mut st), l);
        let l = "inline -----BEGIN EC PRIVATE KEY-----\\nAAA\\n-----END EC PRIVATE KEY-----";
        assert_eq!(line(l, &mut st), format!("inline {HIDDEN}"));
        assert!(!st);
    }
}
