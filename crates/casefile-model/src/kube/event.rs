//! Event: one struct for core/v1 and events.k8s.io/v1 events.
//!
//! The two APIs describe the same thing with different field names. Serde aliases fold
//! the events.k8s.io/v1 names onto the core/v1 ones (`note` → `message`, `regarding` →
//! `involvedObject`, `deprecatedCount` → `count`, `deprecatedFirstTimestamp` →
//! `firstTimestamp`, `deprecatedLastTimestamp` → `lastTimestamp`, `deprecatedSource` →
//! `source`, `reportingController` → `reportingComponent`), so either form decodes into
//! [`Event`]. The accessors apply `kubectl`'s fallbacks (for example, a singleton event
//! in the new API has no count and means 1).
//!
//! An object that carries both spellings of one field (say `message` and `note`) is not
//! a valid Kubernetes object; decoding it fails with a "duplicate field" error.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::ObjectMeta;
use crate::Timestamp;

/// A Kubernetes Event (core/v1 or events.k8s.io/v1), narrowed to what casefile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    /// Metadata (`creationTimestamp` is the last fallback for the event's time).
    pub metadata: ObjectMeta,
    /// Machine-readable reason (`FailedMount`, `NetworkNotReady`, ...).
    #[serde(deserialize_with = "nullable")]
    pub reason: String,
    /// Human-readable text (`message` in core/v1, `note` in events.k8s.io/v1).
    #[serde(alias = "note", deserialize_with = "nullable")]
    pub message: String,
    /// `Normal` or `Warning`.
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub event_type: String,
    /// How many times it happened (`count` / `deprecatedCount`); see [`Event::count`].
    #[serde(alias = "deprecatedCount", deserialize_with = "lenient_int")]
    pub count: Option<i64>,
    /// First occurrence (`firstTimestamp` / `deprecatedFirstTimestamp`).
    #[serde(alias = "deprecatedFirstTimestamp", deserialize_with = "lenient_time")]
    pub first_timestamp: Option<Timestamp>,
    /// Last occurrence (`lastTimestamp` / `deprecatedLastTimestamp`).
    #[serde(alias = "deprecatedLastTimestamp", deserialize_with = "lenient_time")]
    pub last_timestamp: Option<Timestamp>,
    /// When the event was first observed, microsecond precision (`null` in most 4.x core/v1 events).
    #[serde(deserialize_with = "lenient_time")]
    pub event_time: Option<Timestamp>,
    /// The object the event is about (`involvedObject` / `regarding`).
    #[serde(alias = "regarding", deserialize_with = "nullable")]
    pub involved_object: ObjectReference,
    /// A second object involved, if any.
    #[serde(deserialize_with = "nullable")]
    pub related: Option<ObjectReference>,
    /// The component and host that reported it (`source` / `deprecatedSource`).
    #[serde(alias = "deprecatedSource", deserialize_with = "nullable")]
    pub source: EventSource,
    /// The controller that emitted it (`reportingComponent` / `reportingController`).
    #[serde(alias = "reportingController", deserialize_with = "nullable")]
    pub reporting_component: String,
    /// The instance of that controller (for the kubelet: the node name).
    #[serde(deserialize_with = "nullable")]
    pub reporting_instance: String,
    /// What was done (events.k8s.io/v1 `action`).
    #[serde(deserialize_with = "nullable")]
    pub action: String,
    /// Repetition data of a recurring event, when the emitter uses series.
    #[serde(deserialize_with = "nullable")]
    pub series: Option<EventSeries>,
}

/// The object an event is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectReference {
    /// Kind (`Pod`, `Node`, ...).
    #[serde(deserialize_with = "nullable")]
    pub kind: String,
    /// Namespace, for namespaced objects.
    #[serde(deserialize_with = "nullable")]
    pub namespace: Option<String>,
    /// Name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// UID.
    #[serde(deserialize_with = "nullable")]
    pub uid: Option<String>,
    /// `apiVersion` of the object.
    #[serde(deserialize_with = "nullable")]
    pub api_version: String,
    /// Part of the object, e.g. `spec.containers{kube-apiserver}`.
    #[serde(deserialize_with = "nullable")]
    pub field_path: String,
}

/// Who reported an event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventSource {
    /// Component (`kubelet`, `default-scheduler`, an operator name, ...).
    #[serde(deserialize_with = "nullable")]
    pub component: String,
    /// Node name (the FQDN as the Node object has it) for kubelet events.
    #[serde(deserialize_with = "nullable")]
    pub host: String,
}

/// Repetition data of a recurring event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventSeries {
    /// Occurrences so far.
    #[serde(deserialize_with = "lenient_int")]
    pub count: Option<i64>,
    /// Time of the last occurrence.
    #[serde(deserialize_with = "lenient_time")]
    pub last_observed_time: Option<Timestamp>,
}

impl Event {
    /// When it first happened: `firstTimestamp`, else `eventTime`, else the object's
    /// creation time.
    pub fn first_seen(&self) -> Option<Timestamp> {
        self.first_timestamp
            .or(self.event_time)
            .or(self.metadata.creation_timestamp)
    }

    /// When it last happened: the series' last observation, else `lastTimestamp`, else
    /// [`Event::first_seen`] (kubectl's LAST SEEN rule).
    pub fn last_seen(&self) -> Option<Timestamp> {
        self.series
            .as_ref()
            .and_then(|s| s.last_observed_time)
            .or(self.last_timestamp)
            .or_else(|| self.first_seen())
    }

    /// How many times it happened: the series count when there is a series, else
    /// `count`; a missing or zero count means 1 (a singleton in the new API).
    pub fn count(&self) -> i64 {
        if let Some(n) = self.series.as_ref().and_then(|s| s.count) {
            return n;
        }
        match self.count {
            Some(n) if n != 0 => n,
            _ => 1,
        }
    }

    /// The message, trimmed of surrounding white space.
    pub fn message(&self) -> &str {
        self.message.trim()
    }

    /// The object the event is about.
    pub fn involved(&self) -> &ObjectReference {
        &self.involved_object
    }

    /// The node that reported it: `source.host`, else the reporting instance of a
    /// kubelet event (events.k8s.io/v1 kubelet events name the node there).
    pub fn source_host(&self) -> Option<&str> {
        if !self.source.host.is_empty() {
            return Some(&self.source.host);
        }
        (self.source_component() == Some("kubelet") && !self.reporting_instance.is_empty())
            .then_some(self.reporting_instance.as_str())
    }

    /// The reporting component: `source.component`, else `reportingComponent`.
    pub fn source_component(&self) -> Option<&str> {
        [&self.source.component, &self.reporting_component]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
    }

    /// Whether the type is `Warning`.
    pub fn is_warning(&self) -> bool {
        self.event_type == "Warning"
    }
}

// ---------------------------------------------------------------------------------------
// Lenient field decoding shared by the typed views of this module.

/// Decodes a field whose value may be `null`: `null` becomes the type's default.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Decodes an optional timestamp without ever failing: `null`, an empty string, a
/// string that is not an RFC 3339 time, or any other value give `None`.
pub(crate) fn lenient_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    Ok(d.deserialize_any(Lenient)?.and_then(|s| s.parse().ok()))
}

/// Decodes an optional integer without ever failing: an integer (or an integer in a
/// string) gives its value, anything else `None`.
pub(crate) fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(d.deserialize_any(Lenient)?
        .and_then(|s| s.trim().parse().ok()))
}

/// Accepts any value; keeps scalars as text, drops everything else.
struct Lenient;

impl<'de> Visitor<'de> for Lenient {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Lenient)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}
