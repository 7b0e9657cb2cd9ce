//! Kubernetes objects of a case, selected `oc get`-style, typed or raw, with provenance.

use std::borrow::Cow;

use casefile_ingest::ObjectRef;
use casefile_ingest::query::{self, LabelSelector};
use casefile_model::kube::ObjectMetaLite;
use casefile_model::{Provenance, Timestamp};
use serde::de::DeserializeOwned;

use crate::{Error, ErrorKind};

/// Which objects of a kind to select (like `oc get`'s `NAME`, `-n`, `-A` and `-l`).
///
/// [`Selection::default`] is `oc get`'s default: namespace `default`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct Selection {
    /// Exact `metadata.name`.
    pub name: Option<String>,
    /// Namespace (`-n`); `default` when `None` and not `all_namespaces`.
    pub namespace: Option<String>,
    /// All namespaces (`-A`); wins over `namespace`.
    pub all_namespaces: bool,
    /// Label selector (`-l`), e.g. `app=etcd,tier!=test`.
    pub labels: Option<String>,
}

impl Selection {
    /// Every object of the kind, in all namespaces.
    pub fn all() -> Self {
        Self {
            all_namespaces: true,
            ..Self::default()
        }
    }

    /// The objects of one namespace.
    pub fn in_namespace(namespace: impl Into<String>) -> Self {
        Self {
            namespace: Some(namespace.into()),
            ..Self::default()
        }
    }

    /// Only the object with this name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only objects whose labels match the selector (`app=etcd,tier in (a,b),!canary`).
    pub fn labels(mut self, selector: impl Into<String>) -> Self {
        self.labels = Some(selector.into());
        self
    }
}

/// One object of a case: its identity and provenance, its raw text, or a typed view.
#[derive(Clone, Copy)]
pub struct Object<'c> {
    case: &'c casefile_ingest::Case,
    r: ObjectRef,
}

impl std::fmt::Debug for Object<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Object")
            .field("kind", &self.kind())
            .field("namespace", &self.namespace())
            .field("name", &self.name())
            .finish()
    }
}

impl<'c> Object<'c> {
    /// The object's metadata as indexed (apiVersion, kind, name, namespace, uid, creation).
    pub fn meta(&self) -> &'c ObjectMetaLite {
        &self.case.record(self.r).meta
    }

    /// `kind`.
    pub fn kind(&self) -> &'c str {
        &self.meta().kind
    }

    /// `metadata.name`.
    pub fn name(&self) -> &'c str {
        &self.meta().name
    }

    /// `metadata.namespace` (`None` when cluster-scoped).
    pub fn namespace(&self) -> Option<&'c str> {
        self.meta().namespace.as_deref()
    }

    /// `metadata.creationTimestamp`.
    pub fn created(&self) -> Option<Timestamp> {
        self.meta().created
    }

    /// Where it was read: archive, path, line.
    pub fn provenance(&self) -> Provenance {
        self.case.provenance(self.r)
    }

    /// The ingest-level reference (for [`casefile_ingest::Case`] calls).
    pub fn reference(&self) -> ObjectRef {
        self.r
    }

    /// The object's text as collected (YAML or JSON).
    pub fn raw(&self) -> Result<Cow<'c, [u8]>, Error> {
        self.case.object_text(self.r).map_err(|e| self.error(&e))
    }

    /// The whole object as JSON.
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        self.decode()
    }

    /// A typed view, e.g. [`casefile_model::kube::Pod`] or your own serde type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        self.case.decode(self.r).map_err(|e| self.error(&e))
    }

    fn error(&self, e: &dyn std::fmt::Display) -> Error {
        let m = self.meta();
        let object = match &m.namespace {
            Some(ns) => format!("{}/{ns}/{}", m.kind, m.name),
            None => format!("{}/{}", m.kind, m.name),
        };
        ErrorKind::Decode {
            object,
            message: e.to_string(),
        }
        .into()
    }
}

pub(crate) fn select<'c>(
    case: &'c casefile_ingest::Case,
    kind: &str,
    sel: &Selection,
) -> Result<Vec<Object<'c>>, Error> {
    let ty = query::resolve(case, kind)?;
    let selector = sel
        .labels
        .as_deref()
        .map(LabelSelector::parse)
        .transpose()?;
    let q = query::Selection {
        name: sel.name.as_deref(),
        namespace: sel.namespace.as_deref(),
        all_namespaces: sel.all_namespaces,
        selector: selector.as_ref(),
    };
    Ok(query::select(case, &ty, &q)
        .objects
        .into_iter()
        .map(|r| Object { case, r })
        .collect())
}
