//! Scenario plans: the cluster, its history and what goes wrong when.

use crate::t::{T, Zone};

/// One ClusterVersion history entry.
#[derive(Clone, Debug)]
pub struct Hist {
    /// Version string.
    pub version: &'static str,
    /// startedTime.
    pub started: T,
    /// completionTime.
    pub completed: T,
}

/// How a node's kubelet lost its API connection.
#[derive(Clone, Copy, Debug)]
pub enum Break {
    /// The node was rebooted at this time; the new kubelet never connects.
    Reboot(T),
    /// The long-lived HTTP/2 connection dropped at this time; reconnects fail.
    ConnLost(T),
}

impl Break {
    /// When it happened.
    pub fn at(self) -> T {
        match self {
            Break::Reboot(t) | Break::ConnLost(t) => t,
        }
    }
}

/// Per-node outcome in an api-int CA rotation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fate {
    /// When this node's Multus client first reconnected after the serving cert switch.
    pub multus_break: Option<T>,
    /// When this node's kubelet reconnected after the switch.
    pub kubelet_break: Option<Break>,
}

/// An api-int (loadbalancer-serving-signer) CA rotation.
#[derive(Clone, Debug)]
pub struct ApiIntRotation {
    /// When the new signer was minted.
    pub rotation: T,
    /// Rotation came from the 4.15 upgrade race (true) or an administrator deleting the signer.
    pub upgrade_race: bool,
    /// notBefore of the internal-LB serving cert in use before the switch (old CA).
    pub prev_target: T,
    /// When `internal-loadbalancer-serving-certkey` was re-issued by the new CA.
    pub switch: T,
    /// notBefore of the external-LB serving cert (still from the old CA at collection).
    pub external_issued: T,
    /// Per node (same order as the node list): what happened.
    pub fates: Vec<Fate>,
    /// The MCO propagated the new CA to nodes (4.16 `kubeconfig-data`).
    pub propagated: bool,
}

/// A `kube-apiserver-to-kubelet-signer` rotation blocked by a paused worker pool.
#[derive(Clone, Debug)]
pub struct KubeletClientRotation {
    /// Creation of the signer in use before the rotation.
    pub prev_signer: T,
    /// When the new signer was minted.
    pub rotation: T,
    /// notBefore of the `kubelet-client` cert before the switch.
    pub prev_target: T,
    /// When `kubelet-client` was re-issued by the new signer.
    pub switch: T,
    /// When the worker pool was paused.
    pub paused_since: T,
}

/// What the scenario is about.
#[derive(Clone, Debug)]
pub enum Story {
    /// Nothing wrong; the cluster is young (bootstrap noise).
    Healthy,
    /// api-int CA rotated.
    ApiInt(ApiIntRotation),
    /// kubelet client CA rotated, a consumer kept the old bundle.
    KubeletClient(KubeletClientRotation),
}

/// A scenario plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Scenario id.
    pub scenario: &'static str,
    /// Seed.
    pub seed: u64,
    /// OKD (true) or OCP.
    pub okd: bool,
    /// Cluster name.
    pub cluster: &'static str,
    /// Base domain.
    pub domain: &'static str,
    /// AWS region (`us-east-1` gives `ec2.internal` names).
    pub region: &'static str,
    /// ClusterVersion history, newest first; `history[0]` is the current version.
    pub history: Vec<Hist>,
    /// Installation time.
    pub born: T,
    /// must-gather start time (UTC).
    pub collected: T,
    /// Time zone of the workstation running `oc`.
    pub zone: Zone,
    /// kubelet version (`v1.28.6+6216ea1`).
    pub kube_version: &'static str,
    /// cri-o version.
    pub crio_version: &'static str,
    /// Node OS image.
    pub os_image: &'static str,
    /// Kernel release.
    pub kernel: &'static str,
    /// Story.
    pub story: Story,
    /// Journal header style `-- Journal begins at …` (true) or `-- Logs begin at …`.
    pub journal_begins_style: bool,
    /// Node indexes that get a sosreport, with their collection start times.
    pub sos: Vec<(usize, T)>,
    /// sos version.
    pub sos_version: &'static str,
    /// Support case id.
    pub case_id: &'static str,
    /// Extra namespaces for the scale scenario (0 for the committed cases).
    pub scale_bytes: u64,
}

impl Plan {
    /// Current version.
    pub fn version(&self) -> &'static str {
        self.history[0].version
    }

    /// Version the cluster was installed with.
    pub fn born_version(&self) -> &'static str {
        self.history[self.history.len() - 1].version
    }

    /// Minor version number of the current release (15 for 4.15).
    pub fn minor(&self) -> u32 {
        self.version()
            .split('.')
            .nth(1)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0)
    }

    /// Minor version the cluster was born with.
    pub fn born_minor(&self) -> u32 {
        self.born_version()
            .split('.')
            .nth(1)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0)
    }
}
