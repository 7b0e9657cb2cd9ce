//! Full (typed) decoding of objects, on demand.

use serde::de::DeserializeOwned;

/// Parser options with a budget scaled to the input: real must-gather Lists exceed the
/// defaults, while the alias/anchor limits (YAML-bomb protection) stay as they are.
pub fn yaml_options(input_len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let scaled = input_len.saturating_mul(2).max(1_000_000);
    budget.max_events = scaled;
    budget.max_nodes = scaled;
    budget.max_documents = 100_000;
    budget.max_total_scalar_bytes = input_len.saturating_mul(2).max(64 << 20);
    budget.max_reader_input_bytes = None;
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    // oc never writes aliases: a small replay budget bounds alias bombs cheaply.
    opts.alias_limits.max_total_replayed_events = 10_000;
    opts
}

/// A decode failure, with a short message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// Decodes one object's text (a whole document, or a `- `-prefixed List item): with the
/// fast block-YAML path ([`crate::fastyaml`]) when the text is in its subset and decodes,
/// else with serde-saphyr (whose errors are the ones reported).
pub fn decode_object<T: DeserializeOwned>(text: &[u8]) -> Result<T, DecodeError> {
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'{') => {
            serde_json::from_slice(text).map_err(|e| DecodeError(format!("invalid JSON: {e}")))
        }
        Some(b'-') if text.starts_with(b"- ") || text.starts_with(b"-\n") => {
            let s =
                std::str::from_utf8(text).map_err(|e| DecodeError(format!("not UTF-8: {e}")))?;
            if let Some(Ok(v)) = crate::fastyaml::from_item_str::<T>(s) {
                return Ok(v);
            }
            let mut v: Vec<T> = serde_saphyr::from_str_with_options(s, yaml_options(text.len()))
                .map_err(|e| {
                    DecodeError(format!(
                        "invalid YAML: {}",
                        e.to_string().lines().next().unwrap_or_default()
                    ))
                })?;
            v.pop().ok_or_else(|| DecodeError("empty list item".into()))
        }
        _ => {
            let s =
                std::str::from_utf8(text).map_err(|e| DecodeError(format!("not UTF-8: {e}")))?;
            if let Some(Ok(v)) = crate::fastyaml::from_str::<T>(s) {
                return Ok(v);
            }
            serde_saphyr::from_str_with_options(s, yaml_options(text.len())).map_err(|e| {
                DecodeError(format!(
                    "invalid YAML: {}",
                    e.to_string().lines().next().unwrap_or_default()
                ))
            })
        }
    }
}

/// Decodes an object that a real parser located: document `doc` of the file, item `item`
/// of its List when set.
pub fn decode_fallback<T: DeserializeOwned>(
    file: &[u8],
    doc: u32,
    item: Option<u32>,
) -> Result<T, DecodeError> {
    #[derive(serde::Deserialize)]
    struct ListOf<T> {
        items: Vec<T>,
    }
    let s = std::str::from_utf8(file).map_err(|e| DecodeError(format!("not UTF-8: {e}")))?;
    let err = |e: serde_saphyr::Error| {
        DecodeError(format!(
            "invalid YAML: {}",
            e.to_string().lines().next().unwrap_or_default()
        ))
    };
    if let Some(item) = item {
        let lists: Vec<ListOf<T>> =
            serde_saphyr::from_multiple_with_options(s, yaml_options(file.len())).map_err(err)?;
        let list = lists
            .into_iter()
            .nth(doc as usize)
            .ok_or_else(|| DecodeError("document not found".into()))?;
        list.items
            .into_iter()
            .nth(item as usize)
            .ok_or_else(|| DecodeError("item not found".into()))
    } else {
        let docs: Vec<T> =
            serde_saphyr::from_multiple_with_options(s, yaml_options(file.len())).map_err(err)?;
        docs.into_iter()
            .nth(doc as usize)
            .ok_or_else(|| DecodeError("document not found".into()))
    }
}
