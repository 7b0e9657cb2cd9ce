//! The in-memory shape of a case: what goes into the must-gather and each sosreport.

use crate::t::T;
use crate::yaml::V;

/// A journal entry.
#[derive(Clone, Debug)]
pub struct JEntry {
    /// journald receive time.
    pub t: T,
    /// Host name as journald printed it (short name, or `localhost` early in boot).
    pub host: String,
    /// Syslog identifier (`kubenswrapper`, `crio`, `systemd`).
    pub ident: String,
    /// Process id.
    pub pid: u32,
    /// Message text (may carry its own klog / logrus timestamp).
    pub msg: String,
}

/// Journal lines of one unit on one node.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    /// Entries (sorted by time before writing).
    pub entries: Vec<JEntry>,
    /// Boot ids in order; a `-- Boot <id> --` line is printed where `boot_marks` say.
    pub boot_marks: Vec<(T, String)>,
}

impl Journal {
    /// Sort entries by time (stable, so bursts keep their order).
    pub fn sort(&mut self) {
        self.entries.sort_by_key(|e| e.t);
        self.boot_marks.sort_by_key(|b| b.0);
    }

    /// First and last entry time.
    pub fn span(&self) -> Option<(T, T)> {
        Some((self.entries.first()?.t, self.entries.last()?.t))
    }
}

/// Node role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// control plane
    Master,
    /// worker
    Worker,
}

/// One cluster node.
#[derive(Clone, Debug)]
pub struct Node {
    /// Node object name (FQDN).
    pub fqdn: String,
    /// Short host name as journald prints it.
    pub short: String,
    /// Role.
    pub role: Role,
    /// Internal IP.
    pub ip: String,
    /// kubelet journal.
    pub kubelet: Journal,
    /// crio journal.
    pub crio: Journal,
    /// Other units for host_service_logs (unit name, journal).
    pub other_units: Vec<(String, Journal)>,
}

/// Container logs of one container.
#[derive(Clone, Debug, Default)]
pub struct ContainerLogs {
    /// Container name.
    pub name: String,
    /// `current.log` lines (time of the `oc` prefix, raw line).
    pub current: Vec<(T, String)>,
    /// `previous.log` lines.
    pub previous: Vec<(T, String)>,
    /// Write `current.insecure.log` (empty) too: the log fetch needed the insecure retry.
    pub insecure_current: bool,
}

/// A pod with its object and logs.
#[derive(Clone, Debug)]
pub struct Pod {
    /// Pod name.
    pub name: String,
    /// The Pod object.
    pub obj: V,
    /// Per-container logs (in container order).
    pub containers: Vec<ContainerLogs>,
}

/// A List file under a namespace or cluster scope (`apps/daemonsets.yaml`).
#[derive(Clone, Debug)]
pub struct ListFile {
    /// Path relative to the namespace (or image) directory.
    pub path: String,
    /// List apiVersion.
    pub api_version: String,
    /// List kind (`DaemonSetList`).
    pub kind: String,
    /// Items.
    pub items: Vec<V>,
}

/// One namespace directory.
#[derive(Clone, Debug)]
pub struct Namespace {
    /// Name.
    pub name: String,
    /// The Namespace object.
    pub obj: V,
    /// Whether `<ns>.yaml` begins with `---` (the `openshift-cluster-version` one does not).
    pub dashes: bool,
    /// ConfigMaps (`core/configmaps.yaml`).
    pub configmaps: Vec<V>,
    /// Secrets, already redacted (`core/secrets.yaml`).
    pub secrets: Vec<V>,
    /// Events (`core/events.yaml`).
    pub events: Vec<V>,
    /// Services (`core/services.yaml`).
    pub services: Vec<V>,
    /// Pods (`core/pods.yaml` and `pods/<pod>/…`).
    pub pods: Vec<Pod>,
    /// Other List files.
    pub lists: Vec<ListFile>,
    /// Single-object files (path relative to the namespace dir, object).
    pub singles: Vec<(String, V)>,
}

impl Namespace {
    /// An empty namespace directory for `obj`.
    pub fn new(name: &str, obj: V) -> Self {
        Self {
            name: name.to_string(),
            obj,
            dashes: true,
            configmaps: Vec::new(),
            secrets: Vec::new(),
            events: Vec::new(),
            services: Vec::new(),
            pods: Vec::new(),
            lists: Vec::new(),
            singles: Vec::new(),
        }
    }
}

/// Everything in the must-gather.
#[derive(Clone, Debug)]
pub struct MustGather {
    /// Archive file name (`must-gather.tar.gz`).
    pub file_name: String,
    /// Top directory (`must-gather.local.<digits>`).
    pub top: String,
    /// Image directory (`quay-io-…-sha256-<hex>`).
    pub image_dir: String,
    /// Outer `timestamp` file content.
    pub outer_timestamp: String,
    /// Inner `timestamp` file content.
    pub inner_timestamp: String,
    /// Files under the image dir, written before namespaces (path, content).
    pub files: Vec<(String, String)>,
    /// Namespaces.
    pub namespaces: Vec<Namespace>,
    /// Master units to merge into `host_service_logs/masters/<unit>_service.log`.
    pub units: Vec<String>,
    /// Header style for host_service_logs: `Journal begins at` (true) or `Logs begin at`.
    pub journal_begins_style: bool,
    /// Archive mtime.
    pub mtime: T,
}

/// One sosreport.
#[derive(Clone, Debug)]
pub struct SosReport {
    /// Node index in the cluster node list.
    pub node: usize,
    /// Archive base name (also the top directory).
    pub name: String,
    /// Collection start.
    pub start: T,
    /// Case id.
    pub case_id: String,
    /// sos version (`4.5.6`).
    pub sos_version: String,
    /// Extra files (path under the top dir, content).
    pub files: Vec<(String, String)>,
    /// `journalctl --unit kubelet` window start.
    pub journal_since: T,
}
