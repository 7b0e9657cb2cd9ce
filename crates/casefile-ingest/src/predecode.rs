//! Objects decoded while an input is read.
//!
//! The spool thread (see [`crate::spool`]) has time to spare while the reader inflates: when
//! asked to ([`crate::CaseOptions::predecode`]), it decodes the Pods and Events of the
//! resource files it scans into casefile's model views, with exactly the code
//! [`crate::Case::decode_view`] runs (a pure function of the object's text), so a value is
//! the same whichever thread decoded it. [`crate::Case::decode_views`] takes them over
//! instead of reading and decoding those objects again.
//!
//! What is handed over is not loaded data: the index and content never change. Each value
//! is taken once; an object asked for a second time is decoded again, to the same value.

use std::any::Any;
use std::sync::{Mutex, PoisonError};

use casefile_model::kube::{Event, Pod};

use crate::decode::DecodeError;
use crate::yamlscan::ShallowObject;

/// One object's decoded value (a boxed `Result<T, DecodeError>`), if it was decoded.
pub type Decoded = Option<Box<dyn Any + Send>>;

/// Decodes `text`, the text of `obj`, when it is a kind worth decoding ahead (Pods, and
/// Events of either group) and was found by the shallow scanner (not a whole-file fallback).
pub fn decode(obj: &ShallowObject, text: &[u8]) -> Decoded {
    if obj.fallback.is_some() {
        return None;
    }
    let kind = obj.kind.as_deref()?;
    let api = obj.api_version.as_deref().unwrap_or_default();
    match kind {
        "Pod" if api == "v1" => Some(Box::new(decode_view_text::<Pod>(text, kind))),
        "Event" if api == "v1" || api.starts_with("events.k8s.io/") => {
            Some(Box::new(decode_view_text::<Event>(text, kind)))
        }
        _ => None,
    }
}

/// What [`crate::Case::decode_view`] does with an object's `text` of kind `kind` found by
/// the shallow scanner: prune the subtrees the views never read, decode, and decode the
/// whole text if that fails.
pub(crate) fn decode_view_text<T: serde::de::DeserializeOwned>(
    text: &[u8],
    kind: &str,
) -> Result<T, DecodeError> {
    if let Some(pruned) = crate::prune::prune(text, crate::prune::dropped_paths(kind))
        && let Ok(v) = crate::decode::decode_object(&pruned)
    {
        return Ok(v);
    }
    crate::decode::decode_object(text)
}

/// Decoded values waiting to be taken, one slot per object record of an input.
#[derive(Default)]
pub struct Handover(Mutex<Vec<Decoded>>);

impl std::fmt::Debug for Handover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handover")
            .field("waiting", &self.waiting())
            .finish()
    }
}

impl Handover {
    /// Values aligned with an input's object records.
    pub(crate) fn new(decoded: Vec<Decoded>) -> Self {
        Self(Mutex::new(decoded))
    }

    /// Takes the value decoded for object record `index`, if there is one of type `T`.
    pub(crate) fn take<T: 'static>(&self, index: u32) -> Option<Result<T, DecodeError>> {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots.get_mut(index as usize)?;
        let boxed = slot.take()?;
        match boxed.downcast::<Result<T, DecodeError>>() {
            Ok(v) => Some(*v),
            Err(other) => {
                // Decoded as another view: left for whoever asks for that one.
                *slot = Some(other);
                None
            }
        }
    }

    /// How many values are waiting.
    pub fn waiting(&self) -> usize {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|d| d.is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn object(api: &str, kind: &str, text: &str) -> (ShallowObject, Vec<u8>) {
        let found = crate::index::scan_text(text.as_bytes()).unwrap();
        assert_eq!(found.len(), 1, "{text}");
        let mut o = found.into_iter().next().unwrap();
        o.api_version = Some(api.to_owned());
        o.kind = Some(kind.to_owned());
        let bytes = text.as_bytes()[o.start..o.end].to_vec();
        (o, bytes)
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: shop\nspec:\n  nodeName: worker-1\n  volumes:\n  - name: data\n";
    const EVENT: &str = "apiVersion: v1\nkind: Event\nmetadata:\n  name: web-1.17a\n  namespace: shop\nreason: FailedCreatePodSandBox\nmessage: x509 failure\ninvolvedObject:\n  kind: Pod\n  name: web-1\n";

    #[test]
    fn decodes_pods_and_events_of_the_core_and_events_groups_only() {
        // (apiVersion, kind, decoded ahead?)
        let table = [
            ("v1", "Pod", true),
            ("v1", "Event", true),
            ("events.k8s.io/v1", "Event", true),
            ("events.k8s.io/v1beta1", "Event", true),
            // Near misses: another group, a List kind, a kind casefile reads elsewhere.
            ("example.com/v1", "Pod", false),
            ("example.com/v1", "Event", false),
            ("v1", "EventList", false),
            ("v1", "ConfigMap", false),
        ];
        for (api, kind, want) in table {
            let text = if kind == "Pod" { POD } else { EVENT };
            let (o, bytes) = object(api, kind, text);
            assert_eq!(decode(&o, &bytes).is_some(), want, "{api} {kind}");
        }
    }

    #[test]
    fn a_value_decoded_ahead_is_the_value_decoded_after_and_is_taken_once() {
        let (o, bytes) = object("v1", "Pod", POD);
        let after: Pod = decode_view_text(&bytes, "Pod").unwrap();
        assert_eq!(after.spec.node_name.as_deref(), Some("worker-1"));
        let handover = Handover::new(vec![None, decode(&o, &bytes)]);
        assert_eq!(handover.waiting(), 1);
        assert!(handover.take::<Pod>(0).is_none(), "nothing decoded there");
        assert!(handover.take::<Pod>(7).is_none(), "out of range");
        assert!(handover.take::<Event>(1).is_none(), "asked as another view");
        assert_eq!(handover.waiting(), 1, "left for the view it was decoded as");
        assert_eq!(handover.take::<Pod>(1).unwrap().unwrap(), after);
        assert!(handover.take::<Pod>(1).is_none(), "taken once");
        assert_eq!(handover.waiting(), 0);
    }

    #[test]
    fn a_whole_file_fallback_is_not_decoded_ahead() {
        let (mut o, bytes) = object("v1", "Pod", POD);
        o.fallback = Some((0, None));
        assert!(decode(&o, &bytes).is_none());
    }
}
