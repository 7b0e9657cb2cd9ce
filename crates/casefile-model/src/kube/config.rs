//! ConfigMap and Secret data, with `oc adm inspect`'s secret redaction recognized.
//!
//! `oc adm inspect` (and so must-gather) replaces every Secret `data` value with the
//! base64 of the text `"<N> bytes long"`, except keys named `tls.crt`, `ca.crt` and
//! `service-ca.crt`. [`Secret::value`] tells the two apart: [`SecretValue::Redacted`]
//! keeps the original length, [`SecretValue::Present`] the real bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use super::event::nullable;

/// A ConfigMap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConfigMap {
    /// Metadata.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// Text values by key.
    #[serde(deserialize_with = "nullable")]
    pub data: BTreeMap<String, String>,
    /// Binary values by key, base64-encoded.
    #[serde(deserialize_with = "nullable")]
    pub binary_data: BTreeMap<String, String>,
}

impl ConfigMap {
    /// Number of keys (`data` plus `binaryData`; the DATA column of `oc get cm`).
    pub fn key_count(&self) -> usize {
        self.data.len() + self.binary_data.len()
    }

    /// A binary value, decoded (`None` if absent or not valid base64).
    pub fn binary(&self, key: &str) -> Option<Vec<u8>> {
        self.binary_data.get(key).and_then(|v| decode_base64(v))
    }
}

/// A Secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Secret {
    /// Metadata.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `kubernetes.io/tls`, `Opaque`, `kubernetes.io/service-account-token`, ...
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub secret_type: String,
    /// Values by key, base64-encoded (redacted by `oc adm inspect`, see [`SecretValue`]).
    #[serde(deserialize_with = "nullable")]
    pub data: BTreeMap<String, String>,
}

/// What a Secret value holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretValue {
    /// Redacted by `oc adm inspect`: the value was base64(`"N bytes long"`); `bytes` is N
    /// (saturated at `usize::MAX`).
    Redacted {
        /// Length of the original value.
        bytes: usize,
    },
    /// The real value, decoded.
    Present(Vec<u8>),
    /// Not valid base64.
    Invalid,
}

impl SecretValue {
    /// Classifies one base64 `data` value.
    pub fn classify(encoded: &str) -> Self {
        let Some(bytes) = decode_base64(encoded) else {
            return Self::Invalid;
        };
        match redacted_length(&bytes) {
            Some(n) => Self::Redacted { bytes: n },
            None => Self::Present(bytes),
        }
    }

    /// Whether it is a redaction marker.
    pub fn is_redacted(&self) -> bool {
        matches!(self, Self::Redacted { .. })
    }
}

/// N when `text` is exactly `<ASCII digits> bytes long` (no surrounding white space).
fn redacted_length(text: &[u8]) -> Option<usize> {
    let digits = text.strip_suffix(b" bytes long")?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits.iter().try_fold(0usize, |n, d| {
        n.checked_mul(10)?.checked_add(usize::from(d - b'0'))
    });
    Some(n.unwrap_or(usize::MAX))
}

impl Secret {
    /// Number of keys (the DATA column of `oc get secrets`).
    pub fn key_count(&self) -> usize {
        self.data.len()
    }

    /// One value, classified; `None` if the key is absent.
    pub fn value(&self, key: &str) -> Option<SecretValue> {
        self.data.get(key).map(|v| SecretValue::classify(v))
    }

    /// Every value, classified, in key order.
    pub fn values(&self) -> impl Iterator<Item = (&str, SecretValue)> {
        self.data
            .iter()
            .map(|(k, v)| (k.as_str(), SecretValue::classify(v)))
    }

    /// Whether every value is a redaction marker (and there is at least one).
    pub fn is_fully_redacted(&self) -> bool {
        !self.data.is_empty() && self.values().all(|(_, v)| v.is_redacted())
    }
}

/// Decodes standard base64 (RFC 4648 alphabet, `=` padding optional). Returns `None` on
/// any other character, on a bad length, or on non-zero trailing bits.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let bytes = s.as_bytes();
    let pad = bytes
        .iter()
        .rev()
        .take(2)
        .take_while(|b| **b == b'=')
        .count();
    let body = &bytes[..bytes.len() - pad];
    let padded = body.len() != bytes.len();
    if body.len() % 4 == 1 || (padded && !bytes.len().is_multiple_of(4)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | sextet(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => {
                if acc & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]);
            }
            2 => {
                if acc & 0b1111 != 0 {
                    return None;
                }
                out.push((acc >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}
