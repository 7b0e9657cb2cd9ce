//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Offline forensic analyzer for OpenShift must-gather, inspect and sosreport archives.
#[derive(Debug, Parser)]
#[command(name = "casefile", version, about, propagate_version = true)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent command-line switches, as clap parses them"
)]
pub struct Global {
    /// Directory for the persistent index (default: $CASEFILE_CACHE_DIR, else the XDG cache dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the persistent index.
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Print no warnings on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// In diagnose, report and timeline output, replace host names, IP and MAC addresses and
    /// the cluster domain with consistent tokens (host-1, ip-1, mac-1, domain-1) for sharing.
    #[arg(long, global = true)]
    pub redact: bool,
    /// Worker threads (default: one per core). The output is the same at any count.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// Print how long each phase took (reading, indexing, decoding, analysis) on stderr.
    #[arg(long, global = true)]
    pub timings: bool,
}

/// Output formats of `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Output formats of `get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GetFormat {
    /// Columns as `oc get` prints them.
    Table,
    /// More columns.
    Wide,
    /// The raw objects as YAML.
    Yaml,
    /// A v1 List of the raw objects as JSON.
    Json,
    /// `kind/name` per line.
    Name,
}

/// Output formats of `certs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CertsFormat {
    /// One row per certificate.
    Table,
    /// A JSON array of certificates with their sources.
    Json,
}

/// Output formats of `timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// One JSON object per line (Timesketch-ready; name the file `*.jsonl`).
    Jsonl,
    /// CSV with a header line (Timesketch-ready; name the file `*.csv`).
    Csv,
    /// A Markdown table.
    Markdown,
}

/// Output formats of `diagnose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnoseFormat {
    /// Human-readable text.
    Text,
    /// The JSON contract (`docs/schema/diagnose.schema.json`).
    Json,
    /// The Markdown post-mortem.
    Markdown,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index archives and print the case summary.
    Index {
        /// Archives or directories forming one case.
        #[arg(required = true, value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
    /// Print objects like `oc get`.
    Get {
        /// Kind: plural, singular, short name (po, no, cm, co, ...) or kind.group.
        kind: String,
        /// Object name.
        name: Option<String>,
        /// Namespace.
        #[arg(short, long)]
        namespace: Option<String>,
        /// All namespaces.
        #[arg(short = 'A', long)]
        all_namespaces: bool,
        /// Label selector (`k=v,k!=v,k,!k`).
        #[arg(short = 'l', long)]
        selector: Option<String>,
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = GetFormat::Table)]
        output: GetFormat,
        /// Archives or directories forming one case.
        #[arg(long = "archive", required = true, value_name = "PATH")]
        archives: Vec<PathBuf>,
    },
    /// List the certificates of a case (ConfigMaps, Secrets, CSRs, kubeconfigs).
    Certs {
        /// Archives or directories forming one case.
        #[arg(required = true, value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CertsFormat::Table)]
        format: CertsFormat,
        /// Only CA certificates.
        #[arg(long)]
        ca: bool,
        /// Only certificates expiring within DURATION of the case's collection time, or
        /// already expired (`30d`, `12h`, `1w2d`).
        #[arg(long, value_name = "DURATION")]
        expiring: Option<String>,
        /// Only certificates found in this namespace (and only those sources).
        #[arg(short = 'n', long)]
        namespace: Option<String>,
        /// Trust propagation instead of the inventory: the consumer x serving-chain matrix,
        /// then signer rotations and hazards (`--format json`: the trust report).
        #[arg(long, conflicts_with_all = ["ca", "expiring", "namespace"])]
        trust: bool,
    },
    /// The merged timeline of a case (logs, events, conditions, upgrades, CA validity), with
    /// rule hits and evidence; JSONL and CSV import into Timesketch as is.
    Timeline {
        /// Archives or directories forming one case.
        #[arg(required = true, value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TimelineFormat::Jsonl)]
        format: TimelineFormat,
        /// Only entries at or after T: RFC 3339, or relative to the collection time (`-2h`).
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        since: Option<String>,
        /// Only entries at or before T: RFC 3339, or relative to the collection time (`-30m`).
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        until: Option<String>,
        /// Only entries about this node (Node or host name; repeatable).
        #[arg(long = "node", value_name = "N")]
        nodes: Vec<String>,
        /// Only this source: journal, kubelet, crio, pod-log, event, node, clusteroperator,
        /// clusterversion, certificate (repeatable).
        #[arg(long = "source", value_name = "S")]
        sources: Vec<String>,
        /// Extra signature rules (YAML, the format of the built-in rules; repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Lowest severity kept: info, warning or critical.
        #[arg(long, value_name = "LEVEL", default_value = "info")]
        min_severity: String,
    },
    /// What broke, when, in what order and why: findings with the cascade per node, evidence
    /// and remediation for this cluster.
    Diagnose {
        /// Archives or directories forming one case.
        #[arg(required = true, value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiagnoseFormat::Text)]
        format: DiagnoseFormat,
        /// Extra signature rules (YAML; repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
    /// Write the Markdown post-mortem of a case.
    Report {
        /// Archives or directories forming one case.
        #[arg(required = true, value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Where to write it (`-` for stdout).
        #[arg(short, long, value_name = "FILE", default_value = "-")]
        output: PathBuf,
        /// Extra signature rules (YAML; repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
    /// Explore a case in the terminal UI (findings, cascade, timeline, certificates,
    /// resources, evidence).
    Open {
        /// Archives or directories forming one case.
        #[arg(required_unless_present = "print_keys", value_name = "ARCHIVE")]
        archives: Vec<PathBuf>,
        /// Extra signature rules (YAML; repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Key bindings patch (default: $XDG_CONFIG_HOME/casefile/keys.toml).
        #[arg(long, value_name = "FILE")]
        keys: Option<PathBuf>,
        /// Print the default key bindings as a keys.toml and exit.
        #[arg(long)]
        print_keys: bool,
    },
}
