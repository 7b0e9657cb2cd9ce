//! Writes a [`MustGather`] as `must-gather.tar.gz` with the `oc adm must-gather` layout.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use anyhow::Result;

use crate::archive::{Owner, TarOut};
use crate::model::{Journal, MustGather, Namespace, Node, Role};
use crate::t::{self, T};
use crate::yaml::{self, V};

/// Owner of must-gather entries: the engineer's workstation user (GNU tar).
pub const MG_OWNER: Owner = Owner {
    uid: 1000,
    gid: 1000,
    user: "core",
    group: "core",
    gnu: true,
};

const EVENT_FILTER_STUB: &str = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
<title>Events</title>\n</head>\n<body>\n<!-- event-filter.html: the real file is a 3 MB \
page of events with an embedded filter script; the scenario generator writes this stub. -->\n\
<table id=\"events\"></table>\n</body>\n</html>\n";

/// Streaming must-gather writer.
pub struct MgWriter {
    tar: TarOut,
    base: String,
}

impl MgWriter {
    /// Create the archive and write the timestamp/version/cluster-scoped files.
    pub fn begin(dir: &Path, mg: &MustGather, level: u32) -> Result<Self> {
        let mut tar = TarOut::gz(
            &dir.join(&mg.file_name),
            t::unix(mg.mtime) as u64,
            MG_OWNER,
            level,
        )?;
        let top = &mg.top;
        tar.file(&format!("{top}/timestamp"), mg.outer_timestamp.as_bytes())?;
        tar.file(
            &format!("{top}/event-filter.html"),
            EVENT_FILTER_STUB.as_bytes(),
        )?;
        let base = format!("{top}/{}", mg.image_dir);
        tar.file(
            &format!("{base}/version"),
            b"openshift/must-gather\n4.0-art-dev\n",
        )?;
        tar.file(&format!("{base}/timestamp"), mg.inner_timestamp.as_bytes())?;
        tar.file(
            &format!("{base}/event-filter.html"),
            EVENT_FILTER_STUB.as_bytes(),
        )?;
        for (p, c) in &mg.files {
            tar.file(&format!("{base}/{p}"), c.as_bytes())?;
        }
        Ok(Self { tar, base })
    }

    /// Uncompressed bytes written so far.
    pub fn payload_bytes(&self) -> u64 {
        self.tar.payload_bytes()
    }

    /// Write an arbitrary file under the image directory.
    pub fn file(&mut self, rel: &str, data: &[u8]) -> Result<()> {
        let p = format!("{}/{rel}", self.base);
        self.tar.file(&p, data)
    }

    /// Write one namespace directory.
    pub fn namespace(&mut self, ns: &Namespace) -> Result<()> {
        let d = format!("{}/namespaces/{}", self.base, ns.name);
        let nsdoc = if ns.dashes {
            yaml::doc(&ns.obj)
        } else {
            yaml::to_yaml(&ns.obj)
        };
        self.tar
            .file(&format!("{d}/{}.yaml", ns.name), nsdoc.as_bytes())?;
        let rv = list_rv(ns);
        let core: [(&str, &str, &[V]); 4] = [
            ("configmaps", "ConfigMapList", &ns.configmaps),
            ("events", "EventList", &ns.events),
            ("secrets", "SecretList", &ns.secrets),
            ("services", "ServiceList", &ns.services),
        ];
        let pods: Vec<V> = ns.pods.iter().map(|p| p.obj.clone()).collect();
        for (res, kind, items) in core {
            let sorted = sorted_by_name(items);
            self.tar.file(
                &format!("{d}/core/{res}.yaml"),
                yaml::list_doc("v1", kind, &rv, &sorted).as_bytes(),
            )?;
        }
        let sorted_pods = sorted_by_name(&pods);
        self.tar.file(
            &format!("{d}/core/pods.yaml"),
            yaml::list_doc("v1", "PodList", &rv, &sorted_pods).as_bytes(),
        )?;
        for lf in &ns.lists {
            let sorted = sorted_by_name(&lf.items);
            self.tar.file(
                &format!("{d}/{}", lf.path),
                yaml::list_doc(&lf.api_version, &lf.kind, &rv, &sorted).as_bytes(),
            )?;
        }
        for (p, obj) in &ns.singles {
            self.tar
                .file(&format!("{d}/{p}"), yaml::doc(obj).as_bytes())?;
        }
        for pod in &ns.pods {
            let pd = format!("{d}/pods/{}", pod.name);
            self.tar.file(
                &format!("{pd}/{}.yaml", pod.name),
                yaml::doc(&pod.obj).as_bytes(),
            )?;
            for c in &pod.containers {
                let ld = format!("{pd}/{0}/{0}/logs", c.name);
                if c.insecure_current {
                    // the log fetch through the kubelet failed; oc retried without verification
                    self.tar.file(&format!("{ld}/current.log"), b"")?;
                    self.tar.file(&format!("{ld}/current.insecure.log"), b"")?;
                } else {
                    let text = render_log(&c.current);
                    self.tar
                        .file(&format!("{ld}/current.log"), text.as_bytes())?;
                }
                self.tar.file(&format!("{ld}/previous.insecure.log"), b"")?;
                self.tar.file(
                    &format!("{ld}/previous.log"),
                    render_log(&c.previous).as_bytes(),
                )?;
            }
        }
        Ok(())
    }

    /// Write `host_service_logs/masters/<unit>_service.log` for each unit.
    pub fn host_service_logs(&mut self, mg: &MustGather, nodes: &[Node], until: T) -> Result<()> {
        let masters: Vec<&Node> = nodes.iter().filter(|n| n.role == Role::Master).collect();
        for unit in &mg.units {
            let streams: Vec<Vec<String>> = masters
                .iter()
                .map(|n| {
                    let j = match unit.as_str() {
                        "kubelet" => Some(&n.kubelet),
                        "crio" => Some(&n.crio),
                        u => n
                            .other_units
                            .iter()
                            .find(|(name, _)| name == u)
                            .map(|(_, j)| j),
                    };
                    precise_stream(j, mg.journal_begins_style, mg.mtime - 7 * t::DAY, until)
                })
                .collect();
            let merged = merge_lex(streams);
            self.tar.file(
                &format!("{}/host_service_logs/masters/{unit}_service.log", self.base),
                merged.as_bytes(),
            )?;
        }
        Ok(())
    }

    /// Finish the archive.
    pub fn finish(self) -> Result<()> {
        self.tar.finish()
    }
}

fn list_rv(ns: &Namespace) -> String {
    let mut max = 0i64;
    let all = ns.configmaps.iter().chain(&ns.secrets).chain(&ns.events);
    for o in all {
        if let Some(V::Str(rv)) = o.get("metadata").and_then(|m| m.get("resourceVersion"))
            && let Ok(n) = rv.parse::<i64>()
        {
            max = max.max(n);
        }
    }
    (max + 1 + (ns.name.len() as i64 % 7)).to_string()
}

fn name_of(v: &V) -> String {
    match v.get("metadata").and_then(|m| m.get("name")) {
        Some(V::Str(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Items sorted by `metadata.name` bytewise, the order the API server lists them in.
pub fn sorted_by_name(items: &[V]) -> Vec<V> {
    let mut v: Vec<V> = items.to_vec();
    v.sort_by_key(name_of);
    v
}

/// `oc logs --timestamps` rendering.
pub fn render_log(lines: &[(T, String)]) -> String {
    let mut o = String::new();
    for (t, l) in lines {
        o.push_str(&t::rfc3339_nano9(*t));
        o.push(' ');
        o.push_str(l);
        o.push('\n');
    }
    o
}

fn precise_stream(j: Option<&Journal>, begins_style: bool, since: T, until: T) -> Vec<String> {
    let mut out = Vec::new();
    let Some(j) = j else {
        out.push("-- No entries --".to_string());
        return out;
    };
    let entries: Vec<_> = j
        .entries
        .iter()
        .filter(|e| e.t >= since && e.t <= until)
        .collect();
    let journal_start = j.entries.first().map_or(since, |e| e.t);
    let first = entries.first().map_or(since, |e| e.t);
    out.push(header_line(begins_style, journal_start, until));
    if entries.is_empty() {
        out.push("-- No entries --".to_string());
        return out;
    }
    let mut marks = j.boot_marks.iter().filter(|b| b.0 > first).peekable();
    for e in entries {
        while let Some(b) = marks.peek() {
            if b.0 <= e.t {
                out.push(format!("-- Boot {} --", b.1));
                marks.next();
            } else {
                break;
            }
        }
        let prefix = format!(
            "{} {} {}[{}]: ",
            t::journal_precise(e.t),
            e.host,
            e.ident,
            e.pid
        );
        for part in e.msg.split('\n') {
            out.push(format!("{prefix}{part}"));
        }
    }
    out
}

/// Journal header line.
pub fn header_line(begins_style: bool, first: T, last: T) -> String {
    if begins_style {
        format!(
            "-- Journal begins at {}, ends at {}. --",
            t::journal_header_time(first),
            t::journal_header_time(last)
        )
    } else {
        format!(
            "-- Logs begin at {}, end at {}. --",
            t::journal_header_time(first),
            t::journal_header_time(last)
        )
    }
}

/// `oc adm node-logs` merge: repeatedly take the lexicographically smallest head line.
pub fn merge_lex(streams: Vec<Vec<String>>) -> String {
    let mut heap = BinaryHeap::new();
    let mut iters: Vec<std::vec::IntoIter<String>> =
        streams.into_iter().map(Vec::into_iter).collect();
    for (k, it) in iters.iter_mut().enumerate() {
        if let Some(l) = it.next() {
            heap.push(Reverse((l, k)));
        }
    }
    let mut out = String::new();
    while let Some(Reverse((line, k))) = heap.pop() {
        out.push_str(&line);
        out.push('\n');
        if let Some(l) = iters[k].next() {
            heap.push(Reverse((l, k)));
        }
    }
    out
}
