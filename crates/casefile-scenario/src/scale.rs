//! The `scale` benchmark case: the healthy cluster grown to the size of a large customer upload.
//!
//! The must-gather gets hundreds of application namespaces in the `oc adm inspect` layout (every
//! List file a namespace inspect writes, most of them empty as in reality), with Deployments,
//! ReplicaSets, Pods (full spec and status), Services, Endpoints, EndpointSlices, Routes,
//! ConfigMaps, redacted Secrets, Events, CronJobs/Jobs, PDBs and HPAs, spread over extra worker
//! Nodes; pod logs (klog, JSON, Java, access logs, sidecars) with a heavy-tailed size
//! distribution stay the bulk. Node sosreports can be padded to a size with whole-node journals
//! (`journalctl --no-pager`), bigger kubelet and crio unit journals and `/var/log` files.
//! Everything is drawn from label-derived streams: same seed, same bytes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Result;

use crate::cluster::Case;
use crate::kube::{self, Data, Ids, Managed, Meta};
use crate::mgwrite::MgWriter;
use crate::model::{ContainerLogs, Journal, ListFile, Namespace, Pod, Role, SosReport};
use crate::rng::Rng;
use crate::soswrite::SosBulk;
use crate::t::{self, MIN, MS, SEC, T};
use crate::yaml::{self, V, b, empty, i, l, ls, m, s};

/// What `scale` generates.
#[derive(Clone, Debug, Default)]
pub struct ScaleOpts {
    /// Uncompressed payload of the must-gather.
    pub mg_bytes: u64,
    /// Number of node sosreports (None: the healthy case's single report).
    pub sos_count: Option<usize>,
    /// Uncompressed payload of each sosreport (0: no padding).
    pub sos_bytes: u64,
}

/// Order in which nodes get a sosreport: workers and masters alternating.
pub const SOS_NODE_ORDER: [usize; 6] = [3, 0, 4, 1, 5, 2];

/// xz preset of padded sosreports: what sos itself uses (Python `tarfile`, `preset=3`).
pub const SOS_XZ_PRESET: u32 = 3;

/// Counts of what the fill wrote, for `truth.json` and the generator's summary.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Application namespaces.
    pub namespaces: u64,
    /// Extra worker Nodes.
    pub extra_nodes: u64,
    /// Pods (each appears in `core/pods.yaml` and as `pods/<pod>/<pod>.yaml`).
    pub pods: u64,
    /// API objects written (List items, Namespaces, Nodes; a Pod counts once).
    pub objects: u64,
    /// Events among them.
    pub events: u64,
    /// Non-empty container log files.
    pub log_files: u64,
    /// Bytes of pod logs.
    pub log_bytes: u64,
    /// Bytes of YAML (everything else the fill wrote).
    pub yaml_bytes: u64,
}

/// A pod placed on one of the six base nodes (kubelet/crio journals of sosreports mention it).
#[derive(Clone, Debug)]
pub struct NodePod {
    /// Namespace.
    pub ns: String,
    /// Pod name.
    pub name: String,
    /// Pod uid.
    pub uid: String,
    /// Pod IP.
    pub ip: String,
    /// Containers (name, CRI-O container id).
    pub containers: Vec<(String, String)>,
    /// Sandbox id.
    pub sandbox: String,
}

/// The result of [`fill`].
pub struct Fill {
    /// Counts.
    pub stats: Stats,
    /// Application pods on each of the six base nodes.
    pub node_pods: Vec<Vec<NodePod>>,
    /// Images in use (for crio/kubelet image lines).
    pub images: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// fast time formatting (the generic `t` helpers go through strftime; these run per log line)

#[derive(Clone, Copy)]
struct Tm {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    ns: u32,
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(mo <= 2);
    (y, mo, d)
}

fn tm(x: T) -> Tm {
    let secs = x.div_euclid(SEC);
    let ns = x.rem_euclid(SEC) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    let (y, mo, d) = civil_from_days(days);
    Tm {
        y,
        mo,
        d,
        h: sod / 3600,
        mi: (sod / 60) % 60,
        s: sod % 60,
        ns,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn pad(o: &mut String, v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut n = v;
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = buf.len() - k;
    for _ in digits..width {
        o.push('0');
    }
    for &c in &buf[k..] {
        o.push(char::from(c));
    }
}

fn hms(o: &mut String, x: &Tm) {
    pad(o, u64::from(x.h), 2);
    o.push(':');
    pad(o, u64::from(x.mi), 2);
    o.push(':');
    pad(o, u64::from(x.s), 2);
}

fn ymd(o: &mut String, x: &Tm, sep: char) {
    pad(o, x.y as u64, 4);
    o.push(sep);
    pad(o, u64::from(x.mo), 2);
    o.push(sep);
    pad(o, u64::from(x.d), 2);
}

/// `I0320 10:01:02.123456       1 file.go:12] `
fn klog_head(o: &mut String, level: char, x: T, pid: u32, file: &str) {
    let z = tm(x);
    o.push(level);
    pad(o, u64::from(z.mo), 2);
    pad(o, u64::from(z.d), 2);
    o.push(' ');
    hms(o, &z);
    o.push('.');
    pad(o, u64::from(z.ns / 1000), 6);
    let _ = write!(o, " {pid:>7} {file}] ");
}

/// `2024-03-20T10:01:02.123Z` (`digits` fractional digits).
fn iso(o: &mut String, x: T, digits: u32) {
    let z = tm(x);
    ymd(o, &z, '-');
    o.push('T');
    hms(o, &z);
    if digits > 0 {
        o.push('.');
        pad(o, u64::from(z.ns / 10u32.pow(9 - digits)), digits as usize);
    }
    o.push('Z');
}

/// `Mar 20 10:01:02` (journalctl short).
fn jshort(o: &mut String, x: T) {
    let z = tm(x);
    o.push_str(MONTHS[(z.mo - 1) as usize]);
    o.push(' ');
    pad(o, u64::from(z.d), 2);
    o.push(' ');
    hms(o, &z);
}

// ---------------------------------------------------------------------------------------------
// vocabularies

const TEAMS: [&str; 25] = [
    "payments",
    "checkout",
    "catalog",
    "search",
    "identity",
    "billing",
    "inventory",
    "shipping",
    "analytics",
    "reporting",
    "notifications",
    "messaging",
    "ledger",
    "pricing",
    "orders",
    "customer",
    "fraud",
    "media",
    "content",
    "gateway",
    "platform",
    "data",
    "ml",
    "risk",
    "loyalty",
];
const PARTS: [&str; 12] = [
    "core",
    "edge",
    "jobs",
    "svc",
    "apps",
    "int",
    "ops",
    "stream",
    "batch",
    "web",
    "backoffice",
    "tools",
];
const ENVS: [&str; 8] = [
    "dev", "test", "qa", "stage", "prod", "perf", "uat", "sandbox",
];
const APPS: [&str; 24] = [
    "api",
    "web",
    "worker",
    "frontend",
    "backend",
    "scheduler",
    "consumer",
    "producer",
    "cache",
    "gateway",
    "auth",
    "indexer",
    "exporter",
    "sync",
    "processor",
    "notifier",
    "admin",
    "reporter",
    "importer",
    "router",
    "controller",
    "operator",
    "webhook",
    "ingest",
];
const RESOURCES: [&str; 14] = [
    "orders",
    "accounts",
    "invoices",
    "payments",
    "sessions",
    "items",
    "customers",
    "shipments",
    "tokens",
    "reports",
    "events",
    "carts",
    "profiles",
    "subscriptions",
];
const GO_FILES: [&str; 16] = [
    "controller.go:327",
    "controller.go:220",
    "reconciler.go:118",
    "server.go:88",
    "handler.go:154",
    "client.go:412",
    "worker.go:73",
    "queue.go:231",
    "store.go:96",
    "cache.go:61",
    "main.go:142",
    "leaderelection.go:260",
    "shared_informer.go:318",
    "reflector.go:351",
    "metrics.go:57",
    "sync.go:509",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Klog,
    Json,
    Java,
    Access,
    OauthProxy,
    Envoy,
    FluentBit,
    Init,
}

// ---------------------------------------------------------------------------------------------
// pod logs

struct LogCtx<'a> {
    ns: &'a str,
    app: &'a str,
    pod: &'a str,
    peers: &'a [String],
}

/// How many lines a container logs: heavy-tailed (most are quiet, a few are very chatty).
fn log_lines(rng: &mut Rng, cap: u64) -> u64 {
    let u = rng.below(1000);
    let n = if u < 600 {
        rng.range(6, 200)
    } else if u < 900 {
        rng.range(200, 900)
    } else if u < 985 {
        rng.range(900, 4_000)
    } else if u < 998 {
        rng.range(4_000, 16_000)
    } else {
        rng.range(16_000, 60_000)
    } as u64;
    n.min(cap.max(8))
}

fn dur_ms(rng: &mut Rng) -> String {
    let v = if rng.chance(90) {
        rng.range(1, 90_000)
    } else {
        rng.range(90_000, 4_000_000)
    };
    format!("{}.{:03}ms", v / 1000, v % 1000)
}

fn long_blob(rng: &mut Rng, min: usize) -> String {
    // a serialized configuration / object dump, as operators log at startup or on errors
    let mut o = String::from("{");
    let mut k = 0;
    while o.len() < min {
        if k > 0 {
            o.push(',');
        }
        let key = rng.pick(&RESOURCES);
        let _ = write!(
            o,
            "\"{key}{k}\":{{\"enabled\":{},\"replicas\":{},\"endpoint\":\"http://{key}.svc.cluster.local:{}/v1\",\"timeoutSeconds\":{},\"labels\":{{\"tier\":\"{}\",\"owner\":\"{}\"}}}}",
            rng.chance(80),
            rng.range(1, 9),
            8000 + rng.below(1000),
            rng.range(1, 120),
            rng.pick(&["frontend", "backend", "data", "batch"]),
            rng.pick(&TEAMS)
        );
        k += 1;
    }
    o.push('}');
    o
}

fn klog_msg(rng: &mut Rng, c: &LogCtx<'_>) -> (char, &'static str, String) {
    let res = *rng.pick(&RESOURCES);
    let obj = format!("{res}-{}", rng.k8s_suffix(5));
    let peer = if c.peers.is_empty() {
        "db".to_string()
    } else {
        rng.pick(c.peers).clone()
    };
    let u = rng.below(1000);
    match u {
        0..=279 => (
            'I',
            "controller.go:327",
            format!(
                "\"Reconciled object\" controller=\"{res}\" namespace=\"{}\" name=\"{obj}\" reconcileID=\"{}\" duration=\"{}\"",
                c.ns,
                rng.uuid(),
                dur_ms(rng)
            ),
        ),
        280..=439 => (
            'I',
            "server.go:88",
            format!(
                "\"HTTP request\" method=\"{}\" path=\"/api/v1/{res}/{}\" status={} bytes={} duration=\"{}\" remote=\"10.{}.{}.{}:{}\"",
                rng.pick(&["GET", "GET", "GET", "POST", "PUT", "DELETE"]),
                rng.below(100_000),
                rng.pick(&[200, 200, 200, 201, 204, 304, 404]),
                rng.below(40_000),
                dur_ms(rng),
                128 + rng.below(4),
                rng.below(256),
                2 + rng.below(250),
                30_000 + rng.below(30_000)
            ),
        ),
        440..=519 => (
            'I',
            "queue.go:231",
            format!(
                "\"Processed batch\" queue=\"{res}\" size={} pending={} oldest=\"{}s\"",
                rng.range(1, 500),
                rng.below(2_000),
                rng.below(90)
            ),
        ),
        520..=569 => (
            'I',
            "leaderelection.go:260",
            format!(
                "successfully renewed lease {}/{}-lock",
                c.ns,
                c.app
            ),
        ),
        570..=619 => (
            'I',
            "cache.go:61",
            format!(
                "\"Cache refreshed\" cache=\"{res}\" entries={} evicted={} hitRatio=0.{:03}",
                rng.below(200_000),
                rng.below(5_000),
                rng.below(1000)
            ),
        ),
        620..=649 => (
            'I',
            "shared_informer.go:318",
            format!("Caches are synced for {res}"),
        ),
        650..=689 => (
            'I',
            "metrics.go:57",
            format!(
                "\"Pool stats\" target=\"{peer}:5432\" open={} inUse={} idle={} waitCount={} waitDuration=\"{}\"",
                rng.range(1, 50),
                rng.range(0, 50),
                rng.range(0, 20),
                rng.below(100),
                dur_ms(rng)
            ),
        ),
        690..=709 => (
            'W',
            "warnings.go:70",
            "Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.".to_string(),
        ),
        710..=769 => (
            'W',
            "client.go:412",
            format!(
                "\"Slow request\" method=\"GET\" url=\"http://{peer}.{}.svc:8080/api/v1/{res}\" duration=\"{}.{:03}s\" threshold=\"1s\"",
                c.ns,
                rng.range(1, 9),
                rng.below(1000)
            ),
        ),
        770..=799 => (
            'W',
            "reflector.go:539",
            format!(
                "k8s.io/client-go@v0.28.4/tools/cache/reflector.go:229: watch of *v1.ConfigMap ended with: an error on the server (\"unable to decode an event from the watch stream: http2: client connection lost\") has prevented the request from succeeding ({}s)",
                rng.range(1, 9)
            ),
        ),
        800..=839 => (
            'W',
            "worker.go:73",
            format!(
                "\"Retrying\" attempt={} backoff=\"{}ms\" err=\"dial tcp 172.30.{}.{}:5432: connect: connection refused\"",
                rng.range(1, 5),
                100 * rng.range(1, 30),
                rng.below(256),
                rng.below(256)
            ),
        ),
        840..=909 => (
            'E',
            "controller.go:329",
            format!(
                "\"Reconciler error\" err=\"Operation cannot be fulfilled on {res}.apps.example.com \\\"{obj}\\\": the object has been modified; please apply your changes to the latest version and try again\" controller=\"{res}\" namespace=\"{}\" name=\"{obj}\" reconcileID=\"{}\"",
                c.ns,
                rng.uuid()
            ),
        ),
        910..=944 => (
            'E',
            "handler.go:154",
            format!(
                "\"Request failed\" method=\"POST\" path=\"/api/v1/{res}\" status=503 err=\"upstream {peer}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)\""
            ),
        ),
        945..=990 => (
            'E',
            "store.go:96",
            format!(
                "\"Query failed\" table=\"{res}\" err=\"pq: canceling statement due to statement timeout\" query=\"SELECT id, status, updated_at FROM {res} WHERE tenant_id = $1 AND updated_at > $2 ORDER BY updated_at LIMIT 500\" elapsed=\"{}.{:03}s\"",
                rng.range(5, 30),
                rng.below(1000)
            ),
        ),
        991..=996 => {
            let min = 1_000 + rng.below(3_000) as usize;
            let blob = long_blob(rng, min);
            (
                'I',
                "main.go:142",
                format!("\"Loaded configuration\" pod=\"{}\" config=\"{}\"", c.pod, lines_esc(&blob)),
            )
        }
        _ => {
            let min = 2_000 + rng.below(6_000) as usize;
            let blob = long_blob(rng, min);
            (
                'E',
                "sync.go:509",
                format!(
                    "\"Failed to apply\" object=\"{}/{obj}\" err=\"admission webhook \\\"validate.{res}.example.com\\\" denied the request: spec is invalid\" patch=\"{}\"",
                    c.ns,
                    lines_esc(&blob)
                ),
            )
        }
    }
}

fn lines_esc(x: &str) -> String {
    crate::lines::esc(x)
}

fn json_line(o: &mut String, rng: &mut Rng, x: T, c: &LogCtx<'_>) {
    let res = *rng.pick(&RESOURCES);
    let u = rng.below(100);
    let (level, logger, msg) = match u {
        0..=54 => ("info", "http", "request completed"),
        55..=69 => ("info", "worker", "job finished"),
        70..=77 => ("debug", "cache", "cache miss"),
        78..=89 => ("warn", "client", "retrying request"),
        _ => ("error", "worker", "job failed"),
    };
    o.push_str("{\"level\":\"");
    o.push_str(level);
    o.push_str("\",\"ts\":\"");
    iso(o, x, 3);
    let _ = write!(
        o,
        "\",\"logger\":\"{logger}\",\"caller\":\"{logger}/{}.go:{}\",\"msg\":\"{msg}\"",
        res.trim_end_matches('s'),
        rng.range(20, 400)
    );
    match u {
        0..=54 => {
            let _ = write!(
                o,
                ",\"method\":\"{}\",\"path\":\"/v2/{res}/{}\",\"status\":{},\"duration_ms\":{}.{},\"request_id\":\"{}\",\"user_agent\":\"{}\"",
                rng.pick(&["GET", "GET", "POST", "PATCH"]),
                rng.below(1_000_000),
                rng.pick(&[200, 200, 200, 201, 400, 404]),
                rng.below(400),
                rng.below(10),
                rng.uuid(),
                rng.pick(&[
                    "okhttp/4.12.0",
                    "Go-http-client/1.1",
                    "python-requests/2.31.0",
                    "axios/1.6.7"
                ])
            );
        }
        55..=69 => {
            let _ = write!(
                o,
                ",\"job\":\"{res}-export\",\"records\":{},\"elapsed\":\"{}\"",
                rng.below(100_000),
                dur_ms(rng)
            );
        }
        70..=77 => {
            let _ = write!(o, ",\"key\":\"{}:{}\"", res, rng.hex(12));
        }
        78..=89 => {
            let _ = write!(
                o,
                ",\"attempt\":{},\"url\":\"http://{}.{}.svc:8080/v1/{res}\",\"error\":\"EOF\"",
                rng.range(1, 4),
                c.peers.first().map_or("upstream", String::as_str),
                c.ns
            );
        }
        _ => {
            let _ = write!(
                o,
                ",\"job\":\"{res}-sync\",\"error\":\"write tcp 10.{}.{}.{}:{}->172.30.{}.{}:6379: i/o timeout\",\"stacktrace\":\"main.(*Worker).run\\n\\t/opt/app-root/src/worker/worker.go:{}\\nmain.(*Pool).start.func1\\n\\t/opt/app-root/src/worker/pool.go:{}\"",
                128 + rng.below(4),
                rng.below(256),
                rng.below(256),
                40_000 + rng.below(20_000),
                rng.below(256),
                rng.below(256),
                rng.range(50, 300),
                rng.range(20, 90)
            );
        }
    }
    o.push('}');
}

const JAVA_CLASSES: [&str; 8] = [
    "c.e.app.web.RestController",
    "c.e.app.service.OrderService",
    "o.s.web.servlet.DispatcherServlet",
    "c.e.app.repository.JdbcRepository",
    "o.h.engine.jdbc.spi.SqlExceptionHelper",
    "c.e.app.messaging.KafkaConsumer",
    "o.a.kafka.clients.NetworkClient",
    "c.z.hikari.pool.HikariPool",
];

fn java_lines(rng: &mut Rng, x: T, out: &mut Vec<(T, String)>) {
    let mut o = String::with_capacity(200);
    let z = tm(x);
    ymd(&mut o, &z, '-');
    o.push(' ');
    hms(&mut o, &z);
    o.push('.');
    pad(&mut o, u64::from(z.ns / 1_000_000), 3);
    let u = rng.below(100);
    let level = match u {
        0..=79 => " INFO",
        80..=92 => " WARN",
        93..=97 => "DEBUG",
        _ => "ERROR",
    };
    let class = *rng.pick(&JAVA_CLASSES);
    let _ = write!(
        o,
        " {level} 1 --- [{}] {class:<40} : ",
        rng.pick(&[
            "nio-8080-exec-1",
            "nio-8080-exec-7",
            "main",
            "scheduling-1",
            "kafka-consumer-3",
            "task-12"
        ])
    );
    let res = *rng.pick(&RESOURCES);
    match level {
        " INFO" => {
            let _ = write!(
                o,
                "Processed {} {res} for tenant {} in {} ms",
                rng.range(1, 200),
                rng.range(1000, 9999),
                rng.below(900)
            );
        }
        " WARN" => {
            let _ = write!(
                o,
                "HikariPool-1 - Connection is not available, request timed out after {}ms (total={}, active={}, idle=0, waiting={})",
                rng.range(1000, 30000),
                rng.range(5, 20),
                rng.range(5, 20),
                rng.below(40)
            );
        }
        "DEBUG" => {
            let _ = write!(o, "Cache lookup for {res}:{} -> miss", rng.hex(10));
        }
        _ => {
            let _ = write!(o, "Failed to process {res} batch {}", rng.below(100_000));
        }
    }
    out.push((x, o));
    if level == "ERROR" {
        // a stack trace: continuation lines, each its own CRI record
        let mut lines = vec![format!(
            "java.lang.IllegalStateException: could not update {res}: connection reset"
        )];
        let frames = rng.range(8, 40);
        for k in 0..frames {
            lines.push(format!(
                "\tat com.example.app.{}.{}(Service.java:{})",
                rng.pick(&["service", "repository", "web", "messaging"]),
                rng.pick(&[
                    "update",
                    "process",
                    "handle",
                    "lambda$run$0",
                    "invoke",
                    "doFilter"
                ]),
                rng.range(20, 900) + k
            ));
        }
        lines.push("Caused by: java.net.SocketException: Connection reset".into());
        lines.push(
            "\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)".into(),
        );
        lines.push("\t... 42 common frames omitted".into());
        for (k, ln) in lines.into_iter().enumerate() {
            out.push((x + (k as i64 + 1) * 1_000, ln));
        }
    }
}

const PATHS: [&str; 10] = [
    "/",
    "/healthz",
    "/readyz",
    "/static/js/main.8c3f1a.js",
    "/static/css/app.41d2.css",
    "/api/v1/items",
    "/api/v1/cart",
    "/favicon.ico",
    "/metrics",
    "/login",
];
const UAS: [&str; 5] = [
    "kube-probe/1.28",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Prometheus/2.48.1",
    "curl/8.5.0",
];

fn access_line(o: &mut String, rng: &mut Rng, x: T) {
    let z = tm(x);
    let _ = write!(
        o,
        "10.{}.{}.{} - - [",
        128 + rng.below(4),
        rng.below(256),
        2 + rng.below(250)
    );
    pad(o, u64::from(z.d), 2);
    o.push('/');
    o.push_str(MONTHS[(z.mo - 1) as usize]);
    o.push('/');
    pad(o, z.y as u64, 4);
    o.push(':');
    hms(o, &z);
    let path = *rng.pick(&PATHS);
    let status = if rng.chance(95) {
        *rng.pick(&[200, 200, 200, 304, 302])
    } else {
        *rng.pick(&[404, 499, 500, 502, 503])
    };
    let _ = write!(
        o,
        " +0000] \"{} {path} HTTP/1.1\" {status} {} \"-\" \"{}\" rt={}.{:03} uct=0.000 urt={}.{:03}",
        if rng.chance(85) { "GET" } else { "POST" },
        rng.below(60_000),
        rng.pick(&UAS),
        rng.below(2),
        rng.below(1000),
        rng.below(2),
        rng.below(1000)
    );
}

fn sidecar_line(o: &mut String, rng: &mut Rng, x: T, style: Style, c: &LogCtx<'_>) {
    match style {
        Style::OauthProxy => {
            let z = tm(x);
            ymd(o, &z, '/');
            o.push(' ');
            hms(o, &z);
            if rng.chance(85) {
                let _ = write!(
                    o,
                    " provider.go:{}: authorizer reason: allowed by user {}@example.com",
                    rng.range(100, 700),
                    rng.lower(6)
                );
            } else {
                let _ = write!(
                    o,
                    " server.go:3413: http: TLS handshake error from 10.{}.{}.{}:{}: EOF",
                    128 + rng.below(4),
                    rng.below(256),
                    2 + rng.below(250),
                    30_000 + rng.below(30_000)
                );
            }
        }
        Style::Envoy => {
            o.push('[');
            iso(o, x, 3);
            let _ = write!(
                o,
                "] \"{} /api/v1/{}/{} HTTP/1.1\" {} - via_upstream - \"-\" 0 {} {} {} \"-\" \"{}\" \"{}\" \"{}.{}.svc:8080\" \"10.{}.{}.{}:8080\"",
                rng.pick(&["GET", "POST"]),
                rng.pick(&RESOURCES),
                rng.below(100_000),
                rng.pick(&[200, 200, 200, 201, 404, 503]),
                rng.below(50_000),
                rng.below(900),
                rng.below(900),
                rng.pick(&UAS),
                rng.uuid(),
                c.app,
                c.ns,
                128 + rng.below(4),
                rng.below(256),
                2 + rng.below(250)
            );
        }
        Style::FluentBit => {
            let z = tm(x);
            o.push('[');
            ymd(o, &z, '/');
            o.push(' ');
            hms(o, &z);
            if rng.chance(80) {
                let _ = write!(
                    o,
                    "] [ info] [input:tail:tail.0] inotify_fs_add(): inode={} watch_fd={} name=/var/log/app/{}.log",
                    rng.range(100_000, 999_999),
                    rng.range(1, 60),
                    rng.pick(&RESOURCES)
                );
            } else {
                let _ = write!(
                    o,
                    "] [ warn] [engine] failed to flush chunk '1-{}.{}.flb', retry in {} seconds: task_id={}, input=tail.0 > output=es.0 (out_id=0)",
                    rng.range(1_700_000_000, 1_799_999_999),
                    rng.range(100_000_000, 999_999_999),
                    rng.range(5, 60),
                    rng.below(20)
                );
            }
        }
        _ => {
            let _ = write!(
                o,
                "waiting for {}.{}.svc:5432 ({}s)",
                c.peers.first().map_or("db", String::as_str),
                c.ns,
                rng.range(1, 30)
            );
        }
    }
}

/// Log lines of one container from `start` to `end`: (CRI receive time, line).
fn container_log(
    rng: &mut Rng,
    style: Style,
    c: &LogCtx<'_>,
    start: T,
    end: T,
    n: u64,
) -> Vec<(T, String)> {
    let mut out: Vec<(T, String)> = Vec::with_capacity(n as usize + 8);
    let span = (end - start).max(SEC);
    let step = (span / n.max(1) as i64).max(1_000);
    let mut x = start;
    if style == Style::Klog {
        let mut o = String::new();
        klog_head(&mut o, 'I', x, 1, "main.go:61");
        let _ = write!(
            o,
            "Starting {} version=v{}.{}.{} commit={} goVersion=go1.21.7",
            c.app,
            rng.range(0, 3),
            rng.range(0, 30),
            rng.range(0, 9),
            rng.hex(8)
        );
        out.push((x, o));
    }
    while (out.len() as u64) < n && x < end {
        x += rng.range(step / 4, step * 7 / 4).max(1_000);
        if x >= end {
            break;
        }
        match style {
            Style::Klog => {
                let (lvl, file, msg) = klog_msg(rng, c);
                let file = if rng.chance(15) {
                    *rng.pick(&GO_FILES)
                } else {
                    file
                };
                let mut o = String::with_capacity(64 + msg.len());
                klog_head(&mut o, lvl, x, 1, file);
                o.push_str(&msg);
                out.push((x, o));
            }
            Style::Json => {
                let mut o = String::with_capacity(256);
                json_line(&mut o, rng, x, c);
                out.push((x, o));
            }
            Style::Java => java_lines(rng, x, &mut out),
            Style::Access => {
                let mut o = String::with_capacity(220);
                access_line(&mut o, rng, x);
                out.push((x, o));
            }
            _ => {
                let mut o = String::with_capacity(200);
                sidecar_line(&mut o, rng, x, style, c);
                out.push((x, o));
            }
        }
    }
    // CRI-O receive time: a little after the application's own stamp, strictly increasing
    let mut prev = 0;
    for (t0, _) in &mut out {
        let mut nt = *t0 + rng.range(20_000, 900_000) + rng.range(0, 999);
        if nt <= prev {
            nt = prev + rng.range(1, 999);
        }
        *t0 = nt;
        prev = nt;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// objects

struct Worker {
    fqdn: String,
    ip: String,
    /// Index among the six base nodes, if it is one.
    base: Option<usize>,
    /// Pod network prefix: `10.a.b` (b even: a /23 per node).
    cidr: (u64, u64),
    zone: &'static str,
}

struct App {
    name: String,
    style: Style,
    image: String,
    port: i64,
    replicas: i64,
    sidecar: Option<(&'static str, Style)>,
    init: Option<&'static str>,
    created: T,
    revisions: u32,
    uid: String,
    config: Option<String>,
    secret: Option<String>,
    hpa: bool,
    pdb: bool,
    route: bool,
}

/// The writer-side state of the fill.
struct Scale<'c> {
    case: &'c Case,
    rng: Rng,
    workers: Vec<Worker>,
    root_ca: V,
    service_ca: V,
    used_ns: HashSet<String>,
    node_pods: Vec<Vec<NodePod>>,
    images: Vec<String>,
    domain: String,
    stats: Stats,
}

const POD_KCM: &[&str] = &[
    "f:metadata|f:generateName",
    "f:metadata|f:labels|f:app",
    "f:metadata|f:labels|f:pod-template-hash",
    "f:metadata|f:ownerReferences",
    "f:spec|f:containers",
    "f:spec|f:dnsPolicy",
    "f:spec|f:restartPolicy",
    "f:spec|f:securityContext",
    "f:spec|f:volumes",
];
const POD_STATUS: &[&str] = &[
    "f:status|f:conditions",
    "f:status|f:containerStatuses",
    "f:status|f:hostIP",
    "f:status|f:phase",
    "f:status|f:podIP",
    "f:status|f:podIPs",
    "f:status|f:startTime",
];
const APPLY: &[&str] = &[
    "f:metadata|f:annotations|f:kubectl.kubernetes.io/last-applied-configuration",
    "f:metadata|f:labels|f:app",
    "f:spec",
];
const DEPLOY_STATUS: &[&str] = &[
    "f:metadata|f:annotations|f:deployment.kubernetes.io/revision",
    "f:status|f:availableReplicas",
    "f:status|f:conditions",
    "f:status|f:observedGeneration",
    "f:status|f:readyReplicas",
    "f:status|f:replicas",
    "f:status|f:updatedReplicas",
];
const RS_FIELDS: &[&str] = &[
    "f:metadata|f:annotations|f:deployment.kubernetes.io/desired-replicas",
    "f:metadata|f:annotations|f:deployment.kubernetes.io/max-replicas",
    "f:metadata|f:annotations|f:deployment.kubernetes.io/revision",
    "f:metadata|f:labels|f:pod-template-hash",
    "f:metadata|f:ownerReferences",
    "f:spec|f:replicas",
    "f:spec|f:selector",
    "f:spec|f:template",
    "f:status|f:replicas",
];

fn managed<'a>(manager: &'a str, time: T, fields: &'a [&'a str], status: bool) -> Managed<'a> {
    Managed {
        manager,
        op: "Update",
        time,
        fields,
        status,
    }
}

fn ns_label_cfg() -> Vec<(&'static str, &'static str)> {
    vec![
        ("pod-security.kubernetes.io/audit", "restricted"),
        ("pod-security.kubernetes.io/audit-version", "v1.24"),
        ("pod-security.kubernetes.io/warn", "restricted"),
        ("pod-security.kubernetes.io/warn-version", "v1.24"),
    ]
}

fn pem_data(cm: &V, key: &str) -> V {
    cm.get("data")
        .and_then(|d| d.get(key))
        .cloned()
        .unwrap_or_else(|| s(""))
}

impl<'c> Scale<'c> {
    fn new(case: &'c Case) -> Self {
        let p = &case.plan;
        let rng = Rng::new(p.seed, "scale/v2");
        // the CA bundles every namespace carries, taken from a cluster namespace
        let mut root_ca = s("");
        let mut service_ca = s("");
        for ns in &case.mg.namespaces {
            for cm in &ns.configmaps {
                match cm
                    .get("metadata")
                    .and_then(|x| x.get("name"))
                    .and_then(|x| match x {
                        V::Str(n) => Some(n.as_str()),
                        _ => None,
                    }) {
                    Some("kube-root-ca.crt") if root_ca == s("") => {
                        root_ca = pem_data(cm, "ca.crt");
                    }
                    Some("openshift-service-ca.crt") if service_ca == s("") => {
                        service_ca = pem_data(cm, "service-ca.crt");
                    }
                    _ => {}
                }
            }
        }
        Self {
            case,
            rng,
            workers: Vec::new(),
            root_ca,
            service_ca,
            used_ns: HashSet::new(),
            node_pods: vec![Vec::new(); case.nodes.len()],
            images: Vec::new(),
            domain: format!("apps.{}.{}", p.cluster, p.domain),
            stats: Stats::default(),
        }
    }

    /// Worker pool: the three base workers plus one extra worker per ~24 MiB of target payload.
    fn workers(&mut self, w: &mut MgWriter) -> Result<()> {
        let case = self.case;
        let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
        let mut used: HashSet<String> = case.nodes.iter().map(|n| n.ip.clone()).collect();
        for (k, n) in case.nodes.iter().enumerate() {
            if n.role == Role::Worker {
                self.workers.push(Worker {
                    fqdn: n.fqdn.clone(),
                    ip: n.ip.clone(),
                    base: Some(k),
                    cidr: (128 + (k as u64 * 2) / 256, (k as u64 * 2) % 256),
                    zone: zones[k % 3],
                });
            }
        }
        let extra = (case.plan.scale_bytes / (24 << 20)).max(3);
        let mut rng = self.rng.fork("workers");
        let mut ids = Ids {
            rng: rng.fork("ids"),
            born: case.plan.born,
        };
        for e in 0..extra {
            let k = 6 + e;
            let zone = zones[(e % 3) as usize];
            let ip = loop {
                let ip = format!(
                    "10.0.{}.{}",
                    128 + 16 * (e % 3) + rng.below(15),
                    10 + rng.below(240)
                );
                if used.insert(ip.clone()) {
                    break ip;
                }
            };
            let fqdn = format!("ip-{}.ec2.internal", ip.replace('.', "-"));
            let created = case.plan.born + 40 * MIN + rng.range(0, 600) * SEC;
            let node = self.node_obj(&mut ids, &mut rng, &fqdn, &ip, zone, created);
            w.file(
                &format!("cluster-scoped-resources/core/nodes/{fqdn}.yaml"),
                yaml::doc(&node).as_bytes(),
            )?;
            self.stats.objects += 1;
            self.stats.extra_nodes += 1;
            self.workers.push(Worker {
                fqdn,
                ip,
                base: None,
                cidr: (128 + (k * 2) / 256, (k * 2) % 256),
                zone,
            });
        }
        Ok(())
    }

    fn node_obj(
        &self,
        ids: &mut Ids,
        rng: &mut Rng,
        fqdn: &str,
        ip: &str,
        zone: &str,
        created: T,
    ) -> V {
        let p = &self.case.plan;
        let hb = p.collected - rng.range(1, 50) * SEC;
        let short = fqdn.split('.').next().unwrap_or(fqdn);
        let machine = format!(
            "{}-{}-worker-{zone}-{}",
            p.cluster,
            rng.k8s_suffix(5),
            rng.k8s_suffix(5)
        );
        let rendered = format!("rendered-worker-{}", rng.hex(32));
        let meta = Meta::new(ids, fqdn, None, created, hb)
            .annot(
                "machine.openshift.io/machine",
                &format!("openshift-machine-api/{machine}"),
            )
            .annot(
                "machineconfiguration.openshift.io/controlPlaneTopology",
                "HighlyAvailable",
            )
            .annot("machineconfiguration.openshift.io/currentConfig", &rendered)
            .annot("machineconfiguration.openshift.io/desiredConfig", &rendered)
            .annot("machineconfiguration.openshift.io/reason", "")
            .annot("machineconfiguration.openshift.io/state", "Done")
            .annot(
                "volumes.kubernetes.io/controller-managed-attach-detach",
                "true",
            )
            .label("beta.kubernetes.io/arch", "amd64")
            .label("beta.kubernetes.io/instance-type", "m6i.2xlarge")
            .label("beta.kubernetes.io/os", "linux")
            .label("kubernetes.io/arch", "amd64")
            .label("kubernetes.io/hostname", short)
            .label("kubernetes.io/os", "linux")
            .label("node-role.kubernetes.io/worker", "")
            .label("node.kubernetes.io/instance-type", "m6i.2xlarge")
            .label("node.openshift.io/os_id", "rhcos")
            .label("topology.ebs.csi.aws.com/zone", zone)
            .label("topology.kubernetes.io/region", "us-east-1")
            .label("topology.kubernetes.io/zone", zone)
            .managed(&Managed {
                manager: "kubelet",
                op: "Update",
                time: hb,
                fields: &[
                    "f:status|f:conditions",
                    "f:status|f:images",
                    "f:status|f:nodeInfo",
                ],
                status: true,
            })
            .build();
        let ready_at = created + rng.range(60, 200) * SEC;
        let cond = |t_: &str, st: &str, reason: &str, msg: &str, tr: T| {
            m([
                ("lastHeartbeatTime", s(t::rfc3339(hb))),
                ("lastTransitionTime", s(t::rfc3339(tr))),
                ("message", s(msg)),
                ("reason", s(reason)),
                ("status", s(st)),
                ("type", s(t_)),
            ])
        };
        let res = |cpu: &str, eph: &str, mem: &str| {
            m([
                ("cpu", s(cpu)),
                ("ephemeral-storage", s(eph)),
                ("hugepages-1Gi", s("0")),
                ("hugepages-2Mi", s("0")),
                ("memory", s(mem)),
                ("pods", s("250")),
            ])
        };
        m([
            ("apiVersion", s("v1")),
            ("kind", s("Node")),
            ("metadata", meta),
            (
                "spec",
                m([("providerID", s(format!("aws:///{zone}/i-0{}", rng.hex(16))))]),
            ),
            (
                "status",
                m([
                    (
                        "addresses",
                        l([
                            m([("address", s(ip)), ("type", s("InternalIP"))]),
                            m([("address", s(fqdn)), ("type", s("Hostname"))]),
                            m([("address", s(fqdn)), ("type", s("InternalDNS"))]),
                        ]),
                    ),
                    ("allocatable", res("7500m", "114396791822", "31236736Ki")),
                    ("capacity", res("8", "125238252Ki", "32386112Ki")),
                    (
                        "conditions",
                        l([
                            cond(
                                "MemoryPressure",
                                "False",
                                "KubeletHasSufficientMemory",
                                "kubelet has sufficient memory available",
                                created + 5 * SEC,
                            ),
                            cond(
                                "DiskPressure",
                                "False",
                                "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure",
                                created + 5 * SEC,
                            ),
                            cond(
                                "PIDPressure",
                                "False",
                                "KubeletHasSufficientPID",
                                "kubelet has sufficient PID available",
                                created + 5 * SEC,
                            ),
                            cond(
                                "Ready",
                                "True",
                                "KubeletReady",
                                "kubelet is posting ready status",
                                ready_at,
                            ),
                        ]),
                    ),
                    (
                        "daemonEndpoints",
                        m([("kubeletEndpoint", m([("Port", i(10250))]))]),
                    ),
                    (
                        "nodeInfo",
                        m([
                            ("architecture", s("amd64")),
                            ("bootID", s(rng.uuid())),
                            (
                                "containerRuntimeVersion",
                                s(format!("cri-o://{}", p.crio_version)),
                            ),
                            ("kernelVersion", s(p.kernel)),
                            ("kubeProxyVersion", s(p.kube_version)),
                            ("kubeletVersion", s(p.kube_version)),
                            ("machineID", s(rng.hex(32))),
                            ("operatingSystem", s("linux")),
                            ("osImage", s(p.os_image)),
                            ("systemUUID", s(rng.uuid())),
                        ]),
                    ),
                ]),
            ),
        ])
    }

    fn ns_name(&mut self, rng: &mut Rng) -> String {
        loop {
            let name = if rng.chance(8) {
                format!("ci-op-{}", rng.k8s_suffix(8))
            } else {
                format!(
                    "{}-{}-{}",
                    rng.pick(&TEAMS),
                    rng.pick(&PARTS),
                    rng.pick(&ENVS)
                )
            };
            if self.used_ns.insert(name.clone()) {
                return name;
            }
        }
    }

    /// One application namespace; `budget` caps the log volume near the end of the fill.
    #[allow(clippy::too_many_lines)]
    fn namespace(&mut self, n: u64, budget: u64) -> (Namespace, u64) {
        let case = self.case;
        let p = &case.plan;
        let mut rng = self.rng.fork(&format!("ns/{n}"));
        let mut ids = Ids {
            rng: rng.fork("ids"),
            born: p.born,
        };
        let name = self.ns_name(&mut rng);
        let team = name.split('-').next().unwrap_or("app").to_string();
        let created = p.born + 42 * MIN + rng.range(0, 22 * 60) * SEC;
        let mut meta = Meta::new(&mut ids, &name, None, created, created)
            .annot("openshift.io/description", "")
            .annot("openshift.io/display-name", "")
            .annot("openshift.io/requester", if rng.chance(50) { "kube:admin" } else { "system:serviceaccount:openshift-gitops:openshift-gitops-argocd-application-controller" })
            .annot(
                "openshift.io/sa.scc.mcs",
                &format!("s0:c{},c{}", 26 + rng.below(20), rng.below(26)),
            )
            .annot(
                "openshift.io/sa.scc.supplemental-groups",
                &format!("10007{:02}000/10000", rng.below(100)),
            )
            .annot(
                "openshift.io/sa.scc.uid-range",
                &format!("10007{:02}000/10000", rng.below(100)),
            )
            .label("kubernetes.io/metadata.name", &name)
            .label("team", &team);
        for (k, v) in ns_label_cfg() {
            meta = meta.label(k, v);
        }
        let meta = meta
            .managed(&Managed {
                manager: "openshift-apiserver",
                op: "Update",
                time: created,
                fields: &[
                    "f:metadata|f:annotations|f:openshift.io/description",
                    "f:metadata|f:annotations|f:openshift.io/display-name",
                    "f:metadata|f:annotations|f:openshift.io/requester",
                    "f:metadata|f:labels|f:kubernetes.io/metadata.name",
                ],
                status: false,
            })
            .managed(&Managed {
                manager: "cluster-policy-controller",
                op: "Update",
                time: created + 2 * SEC,
                fields: &[
                    "f:metadata|f:annotations|f:openshift.io/sa.scc.mcs",
                    "f:metadata|f:annotations|f:openshift.io/sa.scc.supplemental-groups",
                    "f:metadata|f:annotations|f:openshift.io/sa.scc.uid-range",
                ],
                status: false,
            })
            .build();
        let obj = m([
            ("apiVersion", s("v1")),
            ("kind", s("Namespace")),
            ("metadata", meta),
            ("spec", m([("finalizers", ls(["kubernetes"]))])),
            ("status", m([("phase", s("Active"))])),
        ]);
        let mut ns = Namespace::new(&name, obj);

        // namespace-wide objects every namespace has
        for (cm_name, key, data, mgr) in [
            (
                "kube-root-ca.crt",
                "ca.crt",
                self.root_ca.clone(),
                "kube-controller-manager",
            ),
            (
                "openshift-service-ca.crt",
                "service-ca.crt",
                self.service_ca.clone(),
                "service-ca-operator",
            ),
        ] {
            let mut mb = Meta::new(&mut ids, cm_name, Some(&name), created + SEC, created + SEC);
            if cm_name == "openshift-service-ca.crt" {
                mb = mb.annot("service.beta.openshift.io/inject-cabundle", "true");
            }
            let meta = mb
                .managed(&Managed {
                    manager: mgr,
                    op: "Update",
                    time: created + SEC,
                    fields: &[&format!("f:data|f:{key}")],
                    status: false,
                })
                .build();
            ns.configmaps.push(m([
                ("apiVersion", s("v1")),
                ("kind", s("ConfigMap")),
                ("metadata", meta),
                ("data", m([(key, data)])),
            ]));
        }
        for sa in ["builder", "default", "deployer"] {
            let sec_name = format!("{sa}-dockercfg-{}", rng.k8s_suffix(5));
            let t0 = created + rng.range(1, 4) * SEC;
            let sa_uid = ids.uid();
            let meta = Meta::new(&mut ids, &sec_name, Some(&name), t0, t0)
                .annot("kubernetes.io/service-account.name", sa)
                .annot("kubernetes.io/service-account.uid", &sa_uid)
                .annot("openshift.io/internal-registry-auth-token.binding", "bound")
                .annot(
                    "openshift.io/internal-registry-auth-token.service-account",
                    sa,
                )
                .owner("v1", "ServiceAccount", sa, &sa_uid, false)
                .managed(&Managed {
                    manager: "openshift-controller-manager",
                    op: "Update",
                    time: t0,
                    fields: &[
                        "f:data|f:.dockercfg",
                        "f:metadata|f:annotations|f:kubernetes.io/service-account.name",
                    ],
                    status: false,
                })
                .build();
            ns.secrets.push(kube::secret(
                meta,
                "kubernetes.io/dockercfg",
                vec![(".dockercfg", Data::Secret(7_000 + rng.below(600) as usize))],
            ));
        }

        // applications
        let n_apps = *rng.pick(&[1u64, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 9]);
        let mut apps: Vec<App> = Vec::new();
        let mut app_names: Vec<String> = Vec::new();
        for _ in 0..n_apps {
            let mut an = (*rng.pick(&APPS)).to_string();
            if app_names.contains(&an) {
                an = format!(
                    "{an}-{}",
                    rng.pick(&["v2", "internal", "batch", "canary", "east"])
                );
                if app_names.contains(&an) {
                    continue;
                }
            }
            app_names.push(an.clone());
            let u = rng.below(100);
            let style = match u {
                0..=49 => Style::Klog,
                50..=71 => Style::Json,
                72..=85 => Style::Java,
                _ => Style::Access,
            };
            let image = match rng.below(3) {
                0 => format!(
                    "image-registry.openshift-image-registry.svc:5000/{name}/{an}@sha256:{}",
                    rng.hex(64)
                ),
                1 => format!(
                    "quay.io/{team}/{an}:v{}.{}.{}",
                    rng.range(1, 4),
                    rng.range(0, 30),
                    rng.range(0, 12)
                ),
                _ => format!("registry.example.com/{team}/{an}@sha256:{}", rng.hex(64)),
            };
            if self.images.len() < 4096 {
                self.images.push(image.clone());
            }
            let sidecar = match rng.below(100) {
                0..=11 => Some(("oauth-proxy", Style::OauthProxy)),
                12..=19 => Some(("envoy", Style::Envoy)),
                20..=25 => Some(("fluent-bit", Style::FluentBit)),
                _ => None,
            };
            let config = rng.chance(70).then(|| format!("{an}-config"));
            let secret = rng.chance(50).then(|| format!("{an}-credentials"));
            let replicas = if rng.chance(7) {
                0
            } else {
                *rng.pick(&[1, 1, 1, 2, 2, 2, 3, 3, 4, 6])
            };
            apps.push(App {
                name: an,
                style,
                image,
                port: *rng.pick(&[8080, 8080, 8443, 9090, 3000, 5000]),
                replicas,
                sidecar,
                init: rng.chance(20).then_some("wait-for-deps"),
                created: created + rng.range(20, 600) * SEC,
                revisions: *rng.pick(&[1, 1, 1, 2, 2, 3]),
                uid: ids.uid(),
                config,
                secret,
                hpa: rng.chance(15),
                pdb: rng.chance(20),
                route: style == Style::Access || rng.chance(25),
            });
        }

        let mut lists: Vec<(&str, &str, &str, Vec<V>)> = vec![
            ("core/endpoints.yaml", "v1", "EndpointsList", Vec::new()),
            (
                "core/persistentvolumeclaims.yaml",
                "v1",
                "PersistentVolumeClaimList",
                Vec::new(),
            ),
            (
                "core/replicationcontrollers.yaml",
                "v1",
                "ReplicationControllerList",
                Vec::new(),
            ),
            (
                "apps/daemonsets.yaml",
                "apps/v1",
                "DaemonSetList",
                Vec::new(),
            ),
            (
                "apps/deployments.yaml",
                "apps/v1",
                "DeploymentList",
                Vec::new(),
            ),
            (
                "apps/replicasets.yaml",
                "apps/v1",
                "ReplicaSetList",
                Vec::new(),
            ),
            (
                "apps/statefulsets.yaml",
                "apps/v1",
                "StatefulSetList",
                Vec::new(),
            ),
            (
                "apps.openshift.io/deploymentconfigs.yaml",
                "apps.openshift.io/v1",
                "DeploymentConfigList",
                Vec::new(),
            ),
            (
                "autoscaling/horizontalpodautoscalers.yaml",
                "autoscaling/v2",
                "HorizontalPodAutoscalerList",
                Vec::new(),
            ),
            ("batch/cronjobs.yaml", "batch/v1", "CronJobList", Vec::new()),
            ("batch/jobs.yaml", "batch/v1", "JobList", Vec::new()),
            (
                "build.openshift.io/buildconfigs.yaml",
                "build.openshift.io/v1",
                "BuildConfigList",
                Vec::new(),
            ),
            (
                "build.openshift.io/builds.yaml",
                "build.openshift.io/v1",
                "BuildList",
                Vec::new(),
            ),
            (
                "discovery.k8s.io/endpointslices.yaml",
                "discovery.k8s.io/v1",
                "EndpointSliceList",
                Vec::new(),
            ),
            (
                "image.openshift.io/imagestreams.yaml",
                "image.openshift.io/v1",
                "ImageStreamList",
                Vec::new(),
            ),
            (
                "policy/poddisruptionbudgets.yaml",
                "policy/v1",
                "PodDisruptionBudgetList",
                Vec::new(),
            ),
            (
                "route.openshift.io/routes.yaml",
                "route.openshift.io/v1",
                "RouteList",
                Vec::new(),
            ),
        ];
        let idx = |lists: &Vec<(&str, &str, &str, Vec<V>)>, path: &str| {
            lists.iter().position(|x| x.0 == path).unwrap_or(0)
        };
        let (i_ep, i_dep, i_rs, i_hpa, i_cj, i_job, i_eps, i_pdb, i_route) = (
            idx(&lists, "core/endpoints.yaml"),
            idx(&lists, "apps/deployments.yaml"),
            idx(&lists, "apps/replicasets.yaml"),
            idx(&lists, "autoscaling/horizontalpodautoscalers.yaml"),
            idx(&lists, "batch/cronjobs.yaml"),
            idx(&lists, "batch/jobs.yaml"),
            idx(&lists, "discovery.k8s.io/endpointslices.yaml"),
            idx(&lists, "policy/poddisruptionbudgets.yaml"),
            idx(&lists, "route.openshift.io/routes.yaml"),
        );

        let mut log_bytes = 0u64;
        let budget_per_ctr = budget / 4;
        for app in &apps {
            let peers: Vec<String> = app_names
                .iter()
                .filter(|x| **x != app.name)
                .cloned()
                .collect();
            // config and credentials
            if let Some(cfg) = &app.config {
                let meta = Meta::new(
                    &mut ids,
                    cfg,
                    Some(&name),
                    app.created - 5 * SEC,
                    app.created - 5 * SEC,
                )
                .label("app", &app.name)
                .managed(&managed(
                    "kubectl-client-side-apply",
                    app.created - 5 * SEC,
                    &["f:data"],
                    false,
                ))
                .build();
                let body = config_body(&mut rng, app, &name, &peers);
                ns.configmaps
                    .push(kube::configmap(meta, vec![(config_key(app.style), body)]));
            }
            if let Some(sec) = &app.secret {
                let meta = Meta::new(
                    &mut ids,
                    sec,
                    Some(&name),
                    app.created - 6 * SEC,
                    app.created - 6 * SEC,
                )
                .label("app", &app.name)
                .build();
                ns.secrets.push(kube::secret(
                    meta,
                    "Opaque",
                    vec![
                        ("DB_PASSWORD", Data::Secret(24 + rng.below(16) as usize)),
                        ("DB_USER", Data::Secret(6 + rng.below(8) as usize)),
                        ("API_KEY", Data::Secret(40)),
                    ],
                ));
            }
            // deployment, replica sets, pods
            let hashes: Vec<String> = (0..app.revisions).map(|_| rng.k8s_suffix(10)).collect();
            let rollout = |r: u32| app.created + i64::from(r) * rng_free_step(&app.name, r);
            let current = hashes.len() - 1;
            let dep = deployment(&mut ids, &name, app, &hashes[current], p.collected);
            lists[i_dep].3.push(dep);
            let mut pod_ips: Vec<(String, String, String, String)> = Vec::new(); // name, uid, ip, node
            for (r, hash) in hashes.iter().enumerate() {
                let rs_name = format!("{}-{hash}", app.name);
                let rs_uid = ids.uid();
                let rs_created = rollout(r as u32);
                let live = if r == current { app.replicas } else { 0 };
                lists[i_rs].3.push(replicaset(
                    &mut ids,
                    &name,
                    app,
                    &rs_name,
                    &rs_uid,
                    hash,
                    r as u32 + 1,
                    live,
                    rs_created,
                ));
                let born_pods = if r == current {
                    app.replicas
                } else {
                    app.replicas.max(1)
                };
                ns.events.push(event(
                    &mut ids,
                    &mut rng,
                    &name,
                    ("apps/v1", "Deployment", &app.name, &app.uid),
                    "Normal",
                    "ScalingReplicaSet",
                    &format!("Scaled up replica set {rs_name} to {}", born_pods.max(1)),
                    "deployment-controller",
                    None,
                    1,
                    rs_created,
                    rs_created,
                ));
                if r > 0 {
                    let prev = format!("{}-{}", app.name, hashes[r - 1]);
                    ns.events.push(event(
                        &mut ids,
                        &mut rng,
                        &name,
                        ("apps/v1", "Deployment", &app.name, &app.uid),
                        "Normal",
                        "ScalingReplicaSet",
                        &format!(
                            "Scaled down replica set {prev} to 0 from {}",
                            app.replicas.max(1)
                        ),
                        "deployment-controller",
                        None,
                        1,
                        rs_created + 40 * SEC,
                        rs_created + 40 * SEC,
                    ));
                }
                for _ in 0..born_pods {
                    let pod_name = format!("{rs_name}-{}", rng.k8s_suffix(5));
                    let pod_uid = ids.uid();
                    let wk = rng.below(self.workers.len() as u64) as usize;
                    let pstart = rs_created + rng.range(1, 20) * SEC;
                    ns.events.push(event(
                        &mut ids,
                        &mut rng,
                        &name,
                        ("apps/v1", "ReplicaSet", &rs_name, &rs_uid),
                        "Normal",
                        "SuccessfulCreate",
                        &format!("Created pod: {pod_name}"),
                        "replicaset-controller",
                        None,
                        1,
                        pstart - SEC,
                        pstart - SEC,
                    ));
                    if r != current {
                        // replaced in a rollout: only its events remain
                        let gone = rollout(r as u32 + 1) + 30 * SEC;
                        ns.events.push(event(
                            &mut ids,
                            &mut rng,
                            &name,
                            ("v1", "Pod", &pod_name, &pod_uid),
                            "Normal",
                            "Killing",
                            &format!("Stopping container {}", app.name),
                            "kubelet",
                            Some(self.workers[wk].fqdn.as_str()),
                            1,
                            gone,
                            gone,
                        ));
                        continue;
                    }
                    let ip = format!(
                        "10.{}.{}.{}",
                        self.workers[wk].cidr.0,
                        self.workers[wk].cidr.1 + rng.below(2),
                        2 + rng.below(250)
                    );
                    let (pod, ctr_ids, sandbox, restarts) = self.pod(
                        &mut ids, &mut rng, &name, app, &rs_name, &rs_uid, hash, &pod_name,
                        &pod_uid, wk, &ip, pstart,
                    );
                    self.pod_events(
                        &mut ids, &mut rng, &mut ns, app, &pod_name, &pod_uid, wk, &ip, pstart,
                        restarts,
                    );
                    if let Some(k) = self.workers[wk].base {
                        self.node_pods[k].push(NodePod {
                            ns: name.clone(),
                            name: pod_name.clone(),
                            uid: pod_uid.clone(),
                            ip: ip.clone(),
                            containers: ctr_ids.clone(),
                            sandbox,
                        });
                    }
                    // logs
                    let lctx = LogCtx {
                        ns: &name,
                        app: &app.name,
                        pod: &pod_name,
                        peers: &peers,
                    };
                    let mut containers = Vec::new();
                    let cap = budget_per_ctr / 160;
                    if let Some(init) = app.init {
                        let done = pstart + rng.range(2, 40) * SEC;
                        let nl = rng.range(1, 12) as u64;
                        let lines = container_log(&mut rng, Style::Init, &lctx, pstart, done, nl);
                        log_bytes += rendered(&lines);
                        containers.push(ContainerLogs {
                            name: init.into(),
                            current: lines,
                            previous: Vec::new(),
                            insecure_current: false,
                        });
                    }
                    let ready = pstart + rng.range(5, 40) * SEC + rng.range(0, 999) * MS;
                    let nl = log_lines(&mut rng, cap);
                    let lines = container_log(&mut rng, app.style, &lctx, ready, p.collected, nl);
                    log_bytes += rendered(&lines);
                    let previous = if restarts > 0 {
                        let nl = rng.range(20, 400) as u64;
                        let mut pl = container_log(&mut rng, app.style, &lctx, pstart, ready, nl);
                        let mut o = String::new();
                        let lt = pl.last().map_or(ready, |x| x.0) + MS;
                        klog_head(&mut o, 'E', lt, 1, "main.go:98");
                        o.push_str("\"Error running application\" err=\"failed to connect to database: dial tcp 172.30.41.7:5432: connect: connection refused\"");
                        pl.push((lt, o));
                        log_bytes += rendered(&pl);
                        pl
                    } else {
                        Vec::new()
                    };
                    containers.push(ContainerLogs {
                        name: app.name.clone(),
                        current: lines,
                        previous,
                        insecure_current: false,
                    });
                    if let Some((sc, st)) = app.sidecar {
                        let nl = log_lines(&mut rng, cap) / 3 + 2;
                        let lines = container_log(&mut rng, st, &lctx, ready, p.collected, nl);
                        log_bytes += rendered(&lines);
                        containers.push(ContainerLogs {
                            name: sc.into(),
                            current: lines,
                            previous: Vec::new(),
                            insecure_current: false,
                        });
                    }
                    self.stats.log_files +=
                        containers.iter().filter(|c| !c.current.is_empty()).count() as u64;
                    ns.pods.push(Pod {
                        name: pod_name.clone(),
                        obj: pod,
                        containers,
                    });
                    self.stats.pods += 1;
                    pod_ips.push((pod_name, pod_uid, ip, self.workers[wk].fqdn.clone()));
                }
            }
            // service, endpoints, endpoint slice, route
            let svc_uid = ids.uid();
            let svc_ip = format!("172.30.{}.{}", rng.below(256), 1 + rng.below(254));
            let svc_t = app.created - 4 * SEC;
            let mut smeta =
                Meta::new(&mut ids, &app.name, Some(&name), svc_t, svc_t).label("app", &app.name);
            if app.sidecar.is_some_and(|x| x.0 == "oauth-proxy") {
                smeta = smeta.annot(
                    "service.alpha.openshift.io/serving-cert-secret-name",
                    &format!("{}-tls", app.name),
                );
            }
            let smeta = smeta
                .managed(&managed(
                    "kubectl-client-side-apply",
                    svc_t,
                    &[
                        "f:metadata|f:labels|f:app",
                        "f:spec|f:ports",
                        "f:spec|f:selector",
                    ],
                    false,
                ))
                .build();
            ns.services.push(m([
                ("apiVersion", s("v1")),
                ("kind", s("Service")),
                ("metadata", smeta),
                (
                    "spec",
                    m([
                        ("clusterIP", s(svc_ip.clone())),
                        ("clusterIPs", ls([svc_ip.clone()])),
                        ("internalTrafficPolicy", s("Cluster")),
                        ("ipFamilies", ls(["IPv4"])),
                        ("ipFamilyPolicy", s("SingleStack")),
                        (
                            "ports",
                            l([m([
                                ("name", s(if app.port == 8443 { "https" } else { "http" })),
                                ("port", i(if app.port == 8443 { 443 } else { 80 })),
                                ("protocol", s("TCP")),
                                ("targetPort", i(app.port)),
                            ])]),
                        ),
                        ("selector", m([("app", s(app.name.clone()))])),
                        ("sessionAffinity", s("None")),
                        ("type", s("ClusterIP")),
                    ]),
                ),
                ("status", m([("loadBalancer", empty())])),
            ]));
            let epmeta = Meta::new(
                &mut ids,
                &app.name,
                Some(&name),
                svc_t,
                p.collected - rng.range(60, 1200) * SEC,
            )
            .annot(
                "endpoints.kubernetes.io/last-change-trigger-time",
                &t::rfc3339(app.created + 30 * SEC),
            )
            .label("app", &app.name)
            .build();
            let addr = |x: &(String, String, String, String), ids: &mut Ids| {
                m([
                    ("ip", s(x.2.clone())),
                    ("nodeName", s(x.3.clone())),
                    (
                        "targetRef",
                        m([
                            ("kind", s("Pod")),
                            ("name", s(x.0.clone())),
                            ("namespace", s(name.clone())),
                            ("uid", s(x.1.clone())),
                            ("resourceVersion", s(ids.rv(app.created + MIN))),
                        ]),
                    ),
                ])
            };
            let port_v = m([
                ("name", s(if app.port == 8443 { "https" } else { "http" })),
                ("port", i(app.port)),
                ("protocol", s("TCP")),
            ]);
            let mut ep = vec![
                ("apiVersion", s("v1")),
                ("kind", s("Endpoints")),
                ("metadata", epmeta),
            ];
            if !pod_ips.is_empty() {
                let addrs: Vec<V> = pod_ips.iter().map(|x| addr(x, &mut ids)).collect();
                ep.push((
                    "subsets",
                    l([m([
                        ("addresses", V::Seq(addrs)),
                        ("ports", l([port_v.clone()])),
                    ])]),
                ));
            }
            lists[i_ep].3.push(m(ep));
            let slice_name = format!("{}-{}", app.name, rng.k8s_suffix(5));
            let eslmeta = Meta::new(
                &mut ids,
                &slice_name,
                Some(&name),
                svc_t,
                p.collected - rng.range(60, 1200) * SEC,
            )
            .generate_name(&format!("{}-", app.name))
            .label("app", &app.name)
            .label(
                "endpointslice.kubernetes.io/managed-by",
                "endpointslice-controller.k8s.io",
            )
            .label("kubernetes.io/service-name", &app.name)
            .owner("v1", "Service", &app.name, &svc_uid, true)
            .build();
            let eps: Vec<V> = pod_ips
                .iter()
                .map(|x| {
                    m([
                        ("addresses", ls([x.2.clone()])),
                        (
                            "conditions",
                            m([
                                ("ready", b(true)),
                                ("serving", b(true)),
                                ("terminating", b(false)),
                            ]),
                        ),
                        ("nodeName", s(x.3.clone())),
                        (
                            "targetRef",
                            m([
                                ("kind", s("Pod")),
                                ("name", s(x.0.clone())),
                                ("namespace", s(name.clone())),
                                ("uid", s(x.1.clone())),
                            ]),
                        ),
                        (
                            "zone",
                            s(self
                                .workers
                                .iter()
                                .find(|w| w.fqdn == x.3)
                                .map_or("us-east-1a", |w| w.zone)),
                        ),
                    ])
                })
                .collect();
            lists[i_eps].3.push(m([
                ("addressType", s("IPv4")),
                ("apiVersion", s("discovery.k8s.io/v1")),
                (
                    "endpoints",
                    if eps.is_empty() { V::Null } else { V::Seq(eps) },
                ),
                ("kind", s("EndpointSlice")),
                ("metadata", eslmeta),
                ("ports", l([port_v])),
            ]));
            if app.route {
                let host = format!("{}-{name}.{}", app.name, self.domain);
                let rt = app.created + 2 * SEC;
                let rmeta = Meta::new(&mut ids, &app.name, Some(&name), rt, rt + SEC)
                    .annot("openshift.io/host.generated", "true")
                    .label("app", &app.name)
                    .managed(&managed(
                        "openshift-router",
                        rt + SEC,
                        &["f:status|f:ingress"],
                        true,
                    ))
                    .build();
                let mut spec = vec![
                    ("host", s(host.clone())),
                    (
                        "port",
                        m([(
                            "targetPort",
                            s(if app.port == 8443 { "https" } else { "http" }),
                        )]),
                    ),
                    (
                        "to",
                        m([
                            ("kind", s("Service")),
                            ("name", s(app.name.clone())),
                            ("weight", i(100)),
                        ]),
                    ),
                    ("wildcardPolicy", s("None")),
                ];
                if rng.chance(70) {
                    spec.push((
                        "tls",
                        m([
                            ("insecureEdgeTerminationPolicy", s("Redirect")),
                            ("termination", s("edge")),
                        ]),
                    ));
                }
                lists[i_route].3.push(m([
                    ("apiVersion", s("route.openshift.io/v1")),
                    ("kind", s("Route")),
                    ("metadata", rmeta),
                    ("spec", m(spec)),
                    (
                        "status",
                        m([(
                            "ingress",
                            l([m([
                                (
                                    "conditions",
                                    l([m([
                                        ("lastTransitionTime", s(t::rfc3339(rt + SEC))),
                                        ("status", s("True")),
                                        ("type", s("Admitted")),
                                    ])]),
                                ),
                                ("host", s(host)),
                                (
                                    "routerCanonicalHostname",
                                    s(format!("router-default.{}", self.domain)),
                                ),
                                ("routerName", s("default")),
                                ("wildcardPolicy", s("None")),
                            ])]),
                        )]),
                    ),
                ]));
            }
            if app.hpa {
                lists[i_hpa]
                    .3
                    .push(hpa(&mut ids, &mut rng, &name, app, p.collected));
            }
            if app.pdb {
                let pmeta = Meta::new(
                    &mut ids,
                    &app.name,
                    Some(&name),
                    app.created,
                    app.created + MIN,
                )
                .build();
                let healthy = app.replicas;
                lists[i_pdb].3.push(m([
                    ("apiVersion", s("policy/v1")),
                    ("kind", s("PodDisruptionBudget")),
                    ("metadata", pmeta),
                    (
                        "spec",
                        m([
                            ("minAvailable", i(1)),
                            (
                                "selector",
                                m([("matchLabels", m([("app", s(app.name.clone()))]))]),
                            ),
                        ]),
                    ),
                    (
                        "status",
                        m([
                            (
                                "conditions",
                                l([m([
                                    ("lastTransitionTime", s(t::rfc3339(app.created + MIN))),
                                    ("message", s("")),
                                    ("observedGeneration", i(1)),
                                    (
                                        "reason",
                                        s(if healthy > 1 {
                                            "SufficientPods"
                                        } else {
                                            "InsufficientPods"
                                        }),
                                    ),
                                    ("status", s(if healthy > 1 { "True" } else { "False" })),
                                    ("type", s("DisruptionAllowed")),
                                ])]),
                            ),
                            ("currentHealthy", i(healthy)),
                            ("desiredHealthy", i(1)),
                            ("disruptionsAllowed", i((healthy - 1).max(0))),
                            ("expectedPods", i(healthy)),
                            ("observedGeneration", i(1)),
                        ]),
                    ),
                ]));
            }
        }

        // a CronJob with its last Jobs and their completed pods in some namespaces
        if rng.chance(22) {
            let cj = format!(
                "{}-{}",
                rng.pick(&RESOURCES),
                rng.pick(&["cleanup", "report", "sync", "backup"])
            );
            let cj_uid = ids.uid();
            let cj_created = created + rng.range(60, 300) * SEC;
            let first_run = (cj_created / (10 * MIN) + 1) * 10 * MIN;
            let mut runs = Vec::new();
            let mut x = first_run;
            while x < p.collected - MIN {
                runs.push(x);
                x += 10 * MIN;
            }
            let keep: Vec<T> = runs.iter().rev().take(3).rev().copied().collect();
            let meta = Meta::new(
                &mut ids,
                &cj,
                Some(&name),
                cj_created,
                keep.last().copied().unwrap_or(cj_created),
            )
            .build();
            let mut status = vec![];
            if let Some(last) = keep.last() {
                status.push(("lastScheduleTime", s(t::rfc3339(*last))));
                status.push(("lastSuccessfulTime", s(t::rfc3339(*last + 40 * SEC))));
            }
            lists[i_cj].3.push(m([
                ("apiVersion", s("batch/v1")),
                ("kind", s("CronJob")),
                ("metadata", meta),
                (
                    "spec",
                    m([
                        ("concurrencyPolicy", s("Forbid")),
                        ("failedJobsHistoryLimit", i(1)),
                        ("schedule", s("*/10 * * * *")),
                        ("successfulJobsHistoryLimit", i(3)),
                        ("suspend", b(false)),
                        (
                            "jobTemplate",
                            m([
                                ("metadata", m([("creationTimestamp", V::Null)])),
                                ("spec", m([("backoffLimit", i(2))])),
                            ]),
                        ),
                    ]),
                ),
                ("status", m(status)),
            ]));
            for run in keep {
                let job = format!("{cj}-{}", run / SEC / 60);
                let job_uid = ids.uid();
                let jmeta = Meta::new(&mut ids, &job, Some(&name), run, run + 40 * SEC)
                    .label("controller-uid", &job_uid)
                    .label("job-name", &job)
                    .owner("batch/v1", "CronJob", &cj, &cj_uid, true)
                    .build();
                lists[i_job].3.push(m([
                    ("apiVersion", s("batch/v1")),
                    ("kind", s("Job")),
                    ("metadata", jmeta),
                    (
                        "spec",
                        m([
                            ("backoffLimit", i(2)),
                            ("completionMode", s("NonIndexed")),
                            ("completions", i(1)),
                            ("parallelism", i(1)),
                            (
                                "selector",
                                m([("matchLabels", m([("controller-uid", s(job_uid.clone()))]))]),
                            ),
                            ("suspend", b(false)),
                        ]),
                    ),
                    (
                        "status",
                        m([
                            ("completionTime", s(t::rfc3339(run + 38 * SEC))),
                            (
                                "conditions",
                                l([m([
                                    ("lastProbeTime", s(t::rfc3339(run + 38 * SEC))),
                                    ("lastTransitionTime", s(t::rfc3339(run + 38 * SEC))),
                                    ("status", s("True")),
                                    ("type", s("Complete")),
                                ])]),
                            ),
                            ("ready", i(0)),
                            ("startTime", s(t::rfc3339(run))),
                            ("succeeded", i(1)),
                            ("uncountedTerminatedPods", empty()),
                        ]),
                    ),
                ]));
                let pod_name = format!("{job}-{}", rng.k8s_suffix(5));
                let pod_uid = ids.uid();
                let wk = rng.below(self.workers.len() as u64) as usize;
                let pod = job_pod(
                    &mut ids,
                    &mut rng,
                    &name,
                    &job,
                    &job_uid,
                    (&pod_name, &pod_uid),
                    &self.workers[wk],
                    run,
                    &self.images,
                );
                ns.events.push(event(
                    &mut ids,
                    &mut rng,
                    &name,
                    ("batch/v1", "Job", &job, &job_uid),
                    "Normal",
                    "SuccessfulCreate",
                    &format!("Created pod: {pod_name}"),
                    "job-controller",
                    None,
                    1,
                    run,
                    run,
                ));
                ns.events.push(event(
                    &mut ids,
                    &mut rng,
                    &name,
                    ("batch/v1", "Job", &job, &job_uid),
                    "Normal",
                    "Completed",
                    "Job completed",
                    "job-controller",
                    None,
                    1,
                    run + 38 * SEC,
                    run + 38 * SEC,
                ));
                ns.events.push(event(
                    &mut ids,
                    &mut rng,
                    &name,
                    ("batch/v1", "CronJob", &cj, &cj_uid),
                    "Normal",
                    "SuccessfulCreate",
                    &format!("Created job {job}"),
                    "cronjob-controller",
                    None,
                    1,
                    run,
                    run,
                ));
                ns.events.push(event(
                    &mut ids,
                    &mut rng,
                    &name,
                    ("batch/v1", "CronJob", &cj, &cj_uid),
                    "Normal",
                    "SawCompletedJob",
                    &format!("Saw completed job: {job}, status: Complete"),
                    "cronjob-controller",
                    None,
                    1,
                    run + 39 * SEC,
                    run + 39 * SEC,
                ));
                let lctx = LogCtx {
                    ns: &name,
                    app: &cj,
                    pod: &pod_name,
                    peers: &[],
                };
                let nl = rng.range(10, 200) as u64;
                let lines = container_log(
                    &mut rng,
                    Style::Json,
                    &lctx,
                    run + 3 * SEC,
                    run + 37 * SEC,
                    nl,
                );
                log_bytes += rendered(&lines);
                self.stats.log_files += 1;
                ns.pods.push(Pod {
                    name: pod_name,
                    obj: pod,
                    containers: vec![ContainerLogs {
                        name: "job".into(),
                        current: lines,
                        previous: Vec::new(),
                        insecure_current: false,
                    }],
                });
                self.stats.pods += 1;
            }
        }
        let mut objects = 1
            + (ns.configmaps.len()
                + ns.secrets.len()
                + ns.services.len()
                + ns.pods.len()
                + ns.events.len()) as u64;
        for (path, api, kind, items) in lists {
            objects += items.len() as u64;
            ns.lists.push(ListFile {
                path: path.into(),
                api_version: api.into(),
                kind: kind.into(),
                items,
            });
        }
        self.stats.events += ns.events.len() as u64;
        self.stats.objects += objects;
        (ns, log_bytes)
    }

    #[allow(clippy::too_many_arguments)]
    fn pod(
        &mut self,
        ids: &mut Ids,
        rng: &mut Rng,
        ns: &str,
        app: &App,
        rs: &str,
        rs_uid: &str,
        hash: &str,
        pod_name: &str,
        pod_uid: &str,
        wk: usize,
        ip: &str,
        start: T,
    ) -> (V, Vec<(String, String)>, String, i64) {
        let w = &self.workers[wk];
        let restarts: i64 = if rng.chance(6) { rng.range(1, 7) } else { 0 };
        let sa_tok = format!("kube-api-access-{}", rng.k8s_suffix(5));
        let dockercfg = format!("default-dockercfg-{}", rng.k8s_suffix(5));
        let mac = format!(
            "0a:58:{}:{}:{}:{}",
            rng.hex(2),
            rng.hex(2),
            rng.hex(2),
            rng.hex(2)
        );
        let netstatus = format!(
            "[{{\n    \"name\": \"ovn-kubernetes\",\n    \"interface\": \"eth0\",\n    \"ips\": [\n        \"{ip}\"\n    ],\n    \"mac\": \"{mac}\",\n    \"default\": true,\n    \"dns\": {{}}\n}}]"
        );
        let gw = format!("10.{}.{}.1", w.cidr.0, w.cidr.1);
        let ovn = format!(
            "{{\"default\":{{\"ip_addresses\":[\"{ip}/23\"],\"mac_address\":\"{mac}\",\"gateway_ips\":[\"{gw}\"],\"routes\":[{{\"dest\":\"10.128.0.0/14\",\"nextHop\":\"{gw}\"}},{{\"dest\":\"172.30.0.0/16\",\"nextHop\":\"{gw}\"}},{{\"dest\":\"100.64.0.0/16\",\"nextHop\":\"{gw}\"}}],\"ip_address\":\"{ip}/23\",\"gateway_ip\":\"{gw}\"}}}}"
        );
        let meta = Meta::new(ids, pod_name, Some(ns), start - 2 * SEC, start + 40 * SEC)
            .generate_name(&format!("{rs}-"))
            .annot("k8s.ovn.org/pod-networks", &ovn)
            .annot("k8s.v1.cni.cncf.io/network-status", &netstatus)
            .annot("openshift.io/scc", "restricted-v2")
            .annot(
                "seccomp.security.alpha.kubernetes.io/pod",
                "runtime/default",
            )
            .label("app", &app.name)
            .label("pod-template-hash", hash)
            .owner("apps/v1", "ReplicaSet", rs, rs_uid, true)
            .managed(&managed(
                "kube-controller-manager",
                start - 2 * SEC,
                POD_KCM,
                false,
            ))
            .managed(&managed(
                &w.fqdn,
                start - SEC,
                &["f:metadata|f:annotations|f:k8s.ovn.org/pod-networks"],
                false,
            ))
            .managed(&managed(
                "multus-daemon",
                start,
                &["f:metadata|f:annotations|f:k8s.v1.cni.cncf.io/network-status"],
                true,
            ))
            .managed(&managed("kubelet", start + 40 * SEC, POD_STATUS, true))
            .build();
        let mut meta = meta;
        meta.set("uid", s(pod_uid));
        let mut ctr_ids = Vec::new();
        let mut ctrs = vec![container_spec(
            app,
            &app.name,
            &app.image,
            app.port,
            Some(&sa_tok),
            true,
        )];
        let mut statuses = Vec::new();
        let ready_t = start + rng.range(5, 40) * SEC;
        let mut status_for = |name: &str, image: &str, rng: &mut Rng, restarts: i64| {
            let cid = rng.hex(64);
            ctr_ids.push((name.to_string(), cid.clone()));
            let mut last = empty();
            if restarts > 0 {
                last = m([(
                    "terminated",
                    m([
                        ("containerID", s(format!("cri-o://{}", rng.hex(64)))),
                        ("exitCode", i(1)),
                        ("finishedAt", s(t::rfc3339(ready_t - 3 * SEC))),
                        ("reason", s("Error")),
                        ("startedAt", s(t::rfc3339(start + SEC))),
                    ]),
                )]);
            }
            m([
                ("containerID", s(format!("cri-o://{cid}"))),
                ("image", s(image)),
                ("imageID", s(image_id(image, rng))),
                ("lastState", last),
                ("name", s(name)),
                ("ready", b(true)),
                ("restartCount", i(restarts)),
                ("started", b(true)),
                (
                    "state",
                    m([(
                        "running",
                        m([("startedAt", s(t::rfc3339(ready_t - 2 * SEC)))]),
                    )]),
                ),
            ])
        };
        statuses.push(status_for(&app.name, &app.image, rng, restarts));
        if let Some((sc, _)) = app.sidecar {
            let img = sidecar_image(sc);
            ctrs.push(container_spec(
                app,
                sc,
                img,
                sidecar_port(sc),
                Some(&sa_tok),
                false,
            ));
            // the kubelet lists container statuses sorted by name
            let st = status_for(sc, img, rng, 0);
            if sc < app.name.as_str() {
                statuses.insert(0, st);
            } else {
                statuses.push(st);
            }
        }
        let sandbox = rng.hex(64);
        let mut spec = vec![
            ("containers", V::Seq(ctrs)),
            ("dnsPolicy", s("ClusterFirst")),
            ("enableServiceLinks", b(true)),
            ("imagePullSecrets", l([m([("name", s(dockercfg))])])),
            ("nodeName", s(w.fqdn.clone())),
            ("preemptionPolicy", s("PreemptLowerPriority")),
            ("priority", i(0)),
            ("restartPolicy", s("Always")),
            ("schedulerName", s("default-scheduler")),
            (
                "securityContext",
                m([
                    ("fsGroup", i(1_000_700_000)),
                    ("seLinuxOptions", m([("level", s("s0:c26,c15"))])),
                    ("seccompProfile", m([("type", s("RuntimeDefault"))])),
                ]),
            ),
            ("serviceAccount", s("default")),
            ("serviceAccountName", s("default")),
            ("terminationGracePeriodSeconds", i(30)),
            (
                "tolerations",
                l([
                    m([
                        ("effect", s("NoExecute")),
                        ("key", s("node.kubernetes.io/not-ready")),
                        ("operator", s("Exists")),
                        ("tolerationSeconds", i(300)),
                    ]),
                    m([
                        ("effect", s("NoExecute")),
                        ("key", s("node.kubernetes.io/unreachable")),
                        ("operator", s("Exists")),
                        ("tolerationSeconds", i(300)),
                    ]),
                    m([
                        ("effect", s("NoSchedule")),
                        ("key", s("node.kubernetes.io/memory-pressure")),
                        ("operator", s("Exists")),
                    ]),
                ]),
            ),
            ("volumes", volumes(app, &sa_tok)),
        ];
        let mut conds = vec![
            ("Initialized", start),
            ("Ready", ready_t),
            ("ContainersReady", ready_t),
            ("PodScheduled", start - 2 * SEC),
        ];
        if app.init.is_some() {
            conds[0].1 = start + rng.range(3, 40) * SEC;
        }
        let mut status = vec![
            (
                "conditions",
                V::Seq(
                    conds
                        .into_iter()
                        .map(|(ty, at)| {
                            m([
                                ("lastProbeTime", V::Null),
                                ("lastTransitionTime", s(t::rfc3339(at))),
                                ("status", s("True")),
                                ("type", s(ty)),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("containerStatuses", V::Seq(statuses)),
            ("hostIP", s(w.ip.clone())),
            ("hostIPs", l([m([("ip", s(w.ip.clone()))])])),
            ("phase", s("Running")),
            ("podIP", s(ip)),
            ("podIPs", l([m([("ip", s(ip))])])),
            ("qosClass", s("Burstable")),
            ("startTime", s(t::rfc3339(start - SEC))),
        ];
        if let Some(init) = app.init {
            let img = "registry.access.redhat.com/ubi9/ubi-minimal:9.3";
            spec.push((
                "initContainers",
                l([m([
                    (
                        "command",
                        ls([
                            "/bin/sh",
                            "-c",
                            "until nc -z $DB_HOST 5432; do echo waiting; sleep 2; done",
                        ]),
                    ),
                    ("image", s(img)),
                    ("imagePullPolicy", s("IfNotPresent")),
                    ("name", s(init)),
                    ("resources", empty()),
                    ("terminationMessagePath", s("/dev/termination-log")),
                    ("terminationMessagePolicy", s("File")),
                ])]),
            ));
            let cid = rng.hex(64);
            status.push((
                "initContainerStatuses",
                l([m([
                    ("containerID", s(format!("cri-o://{cid}"))),
                    ("image", s(img)),
                    ("imageID", s(image_id(img, rng))),
                    ("lastState", empty()),
                    ("name", s(init)),
                    ("ready", b(true)),
                    ("restartCount", i(0)),
                    ("started", b(false)),
                    (
                        "state",
                        m([(
                            "terminated",
                            m([
                                ("containerID", s(format!("cri-o://{cid}"))),
                                ("exitCode", i(0)),
                                ("finishedAt", s(t::rfc3339(start + 3 * SEC))),
                                ("reason", s("Completed")),
                                ("startedAt", s(t::rfc3339(start + SEC))),
                            ]),
                        )]),
                    ),
                ])]),
            ));
        }
        let obj = m([
            ("apiVersion", s("v1")),
            ("kind", s("Pod")),
            ("metadata", meta),
            ("spec", m(spec)),
            ("status", m(status)),
        ]);
        (obj, ctr_ids, sandbox, restarts)
    }

    #[allow(clippy::too_many_arguments)]
    fn pod_events(
        &self,
        ids: &mut Ids,
        rng: &mut Rng,
        ns: &mut Namespace,
        app: &App,
        pod: &str,
        uid: &str,
        wk: usize,
        ip: &str,
        start: T,
        restarts: i64,
    ) {
        let w = &self.workers[wk];
        let node = Some(w.fqdn.as_str());
        let obj = ("v1", "Pod", pod, uid);
        let n = &ns.name.clone();
        let mut x = start - 2 * SEC;
        ns.events.push(scheduled(ids, rng, n, pod, uid, &w.fqdn, x));
        x += SEC + rng.range(0, 900) * MS;
        ns.events.push(event(
            ids,
            rng,
            n,
            obj,
            "Normal",
            "AddedInterface",
            &format!("Add eth0 [{ip}/23] from ovn-kubernetes"),
            "multus",
            None,
            1,
            x,
            x,
        ));
        let mut ctrs: Vec<(&str, &str)> = Vec::new();
        if let Some(init) = app.init {
            ctrs.push((init, "registry.access.redhat.com/ubi9/ubi-minimal:9.3"));
        }
        ctrs.push((&app.name, &app.image));
        if let Some((sc, _)) = app.sidecar {
            ctrs.push((sc, sc));
        }
        for (c, img) in ctrs {
            let fp = format!("spec.containers{{{c}}}");
            x += rng.range(100, 900) * MS;
            if rng.chance(60) {
                ns.events.push(event_fp(
                    ids,
                    rng,
                    n,
                    obj,
                    "Normal",
                    "Pulled",
                    &format!("Container image \"{img}\" already present on machine"),
                    node,
                    1,
                    x,
                    &fp,
                ));
            } else {
                ns.events.push(event_fp(
                    ids,
                    rng,
                    n,
                    obj,
                    "Normal",
                    "Pulling",
                    &format!("Pulling image \"{img}\""),
                    node,
                    1,
                    x,
                    &fp,
                ));
                let d = rng.range(800, 40_000);
                x += d * MS;
                ns.events.push(event_fp(
                    ids, rng, n, obj, "Normal", "Pulled",
                    &format!("Successfully pulled image \"{img}\" in {}.{:03}s ({}.{:03}s including waiting)", d / 1000, d % 1000, d / 1000, d % 1000 + 3),
                    node, 1, x, &fp,
                ));
            }
            x += rng.range(50, 400) * MS;
            ns.events.push(event_fp(
                ids,
                rng,
                n,
                obj,
                "Normal",
                "Created",
                &format!("Created container {c}"),
                node,
                1 + restarts,
                x,
                &fp,
            ));
            x += rng.range(50, 400) * MS;
            ns.events.push(event_fp(
                ids,
                rng,
                n,
                obj,
                "Normal",
                "Started",
                &format!("Started container {c}"),
                node,
                1 + restarts,
                x,
                &fp,
            ));
        }
        let fp = format!("spec.containers{{{}}}", app.name);
        if restarts > 0 {
            let last = x + i64::from(restarts as i32) * 40 * SEC;
            ns.events.push(event_fp(
                ids,
                rng,
                n,
                obj,
                "Warning",
                "BackOff",
                &format!(
                    "Back-off restarting failed container {} in pod {pod}_{}({uid})",
                    app.name, ns.name
                ),
                node,
                restarts * 3,
                last,
                &fp,
            ));
        }
        if rng.chance(15) {
            let cnt = rng.range(1, 40);
            let last = (x + cnt * 10 * SEC).min(self.case.plan.collected - SEC);
            ns.events.push(event_fp(
                ids, rng, n, obj, "Warning", "Unhealthy",
                &format!("Readiness probe failed: Get \"http://{ip}:{}/healthz\": dial tcp {ip}:{}: connect: connection refused", app.port, app.port),
                node, cnt, last, &fp,
            ));
        }
    }
}

fn rng_free_step(name: &str, r: u32) -> i64 {
    // rollouts a few minutes apart, derived from the name (no draw: keeps streams aligned)
    let h: i64 = name.bytes().map(i64::from).sum();
    (3 + (h + i64::from(r) * 7) % 9) * MIN
}

fn rendered(lines: &[(T, String)]) -> u64 {
    lines.iter().map(|x| x.1.len() as u64 + 32).sum()
}

fn image_id(image: &str, rng: &mut Rng) -> String {
    if image.contains('@') {
        image.to_string()
    } else {
        let repo = image.rsplit_once(':').map_or(image, |x| x.0);
        format!("{repo}@sha256:{}", rng.hex(64))
    }
}

fn config_key(style: Style) -> &'static str {
    match style {
        Style::Java => "application.properties",
        Style::Access => "nginx.conf",
        _ => "config.yaml",
    }
}

fn config_body(rng: &mut Rng, app: &App, ns: &str, peers: &[String]) -> String {
    let mut o = String::new();
    match app.style {
        Style::Java => {
            let _ = writeln!(o, "server.port={}", app.port);
            let _ = writeln!(o, "spring.application.name={}", app.name);
            let _ = writeln!(
                o,
                "spring.datasource.url=jdbc:postgresql://{}-db.{ns}.svc:5432/{}",
                app.name,
                app.name.replace('-', "_")
            );
            let _ = writeln!(
                o,
                "spring.datasource.hikari.maximum-pool-size={}",
                rng.range(5, 30)
            );
            let _ = writeln!(
                o,
                "spring.kafka.bootstrap-servers=kafka-bootstrap.kafka.svc:9092"
            );
            let _ = writeln!(
                o,
                "management.endpoints.web.exposure.include=health,info,prometheus"
            );
            for k in 0..rng.range(5, 60) {
                let _ = writeln!(
                    o,
                    "app.feature.{}-{k}.enabled={}",
                    rng.pick(&RESOURCES),
                    rng.chance(50)
                );
            }
        }
        Style::Access => {
            let _ = writeln!(
                o,
                "worker_processes auto;\nevents {{\n    worker_connections 1024;\n}}\nhttp {{\n    include /etc/nginx/mime.types;\n    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" rt=$request_time uct=$upstream_connect_time urt=$upstream_response_time';\n    access_log /dev/stdout main;\n    server {{\n        listen {};\n        location / {{\n            root /opt/app-root/src;\n            try_files $uri /index.html;\n        }}",
                app.port
            );
            for p in peers.iter().take(6) {
                let _ = writeln!(
                    o,
                    "        location /api/{p}/ {{\n            proxy_pass http://{p}.{ns}.svc:8080/;\n            proxy_read_timeout 60s;\n        }}"
                );
            }
            o.push_str("    }\n}\n");
        }
        _ => {
            let _ = writeln!(
                o,
                "server:\n  port: {}\n  readTimeout: 30s\nlog:\n  level: {}\n  format: {}",
                app.port,
                rng.pick(&["info", "info", "debug"]),
                if app.style == Style::Json {
                    "json"
                } else {
                    "text"
                }
            );
            o.push_str("upstreams:\n");
            for p in peers {
                let _ = writeln!(
                    o,
                    "  - name: {p}\n    url: http://{p}.{ns}.svc:8080\n    timeout: {}s",
                    rng.range(1, 30)
                );
            }
            o.push_str("features:\n");
            for _ in 0..rng.range(2, 40) {
                let _ = writeln!(
                    o,
                    "  {}-{}: {}",
                    rng.pick(&RESOURCES),
                    rng.lower(5),
                    rng.chance(50)
                );
            }
        }
    }
    o
}

fn container_spec(
    app: &App,
    name: &str,
    image: &str,
    port: i64,
    sa_tok: Option<&str>,
    main: bool,
) -> V {
    let mut env = vec![
        m([
            ("name", s("POD_NAMESPACE")),
            (
                "valueFrom",
                m([(
                    "fieldRef",
                    m([
                        ("apiVersion", s("v1")),
                        ("fieldPath", s("metadata.namespace")),
                    ]),
                )]),
            ),
        ]),
        m([("name", s("LOG_LEVEL")), ("value", s("info"))]),
    ];
    let mut mounts = Vec::new();
    if let Some(tok) = sa_tok {
        mounts.push(m([
            (
                "mountPath",
                s("/var/run/secrets/kubernetes.io/serviceaccount"),
            ),
            ("name", s(tok)),
            ("readOnly", b(true)),
        ]));
    }
    if main {
        if let Some(sec) = &app.secret {
            env.push(m([
                ("name", s("DB_PASSWORD")),
                (
                    "valueFrom",
                    m([(
                        "secretKeyRef",
                        m([("key", s("DB_PASSWORD")), ("name", s(sec.clone()))]),
                    )]),
                ),
            ]));
        }
        if app.config.is_some() {
            mounts.push(m([("mountPath", s("/etc/app")), ("name", s("config"))]));
        }
    }
    let probe = |path: &str| {
        m([
            ("failureThreshold", i(3)),
            (
                "httpGet",
                m([
                    ("path", s(path)),
                    ("port", i(port)),
                    ("scheme", s(if port == 8443 { "HTTPS" } else { "HTTP" })),
                ]),
            ),
            ("initialDelaySeconds", i(5)),
            ("periodSeconds", i(10)),
            ("successThreshold", i(1)),
            ("timeoutSeconds", i(1)),
        ])
    };
    let mut c = vec![
        ("env", V::Seq(env)),
        ("image", s(image)),
        ("imagePullPolicy", s("IfNotPresent")),
        ("livenessProbe", probe("/healthz")),
        ("name", s(name)),
        (
            "ports",
            l([m([
                ("containerPort", i(port)),
                ("name", s(if port == 8443 { "https" } else { "http" })),
                ("protocol", s("TCP")),
            ])]),
        ),
        ("readinessProbe", probe("/readyz")),
        (
            "resources",
            m([
                ("limits", m([("cpu", s("1")), ("memory", s("512Mi"))])),
                ("requests", m([("cpu", s("100m")), ("memory", s("128Mi"))])),
            ]),
        ),
        (
            "securityContext",
            m([
                ("allowPrivilegeEscalation", b(false)),
                ("capabilities", m([("drop", ls(["ALL"]))])),
                ("runAsNonRoot", b(true)),
                ("runAsUser", i(1_000_700_000)),
            ]),
        ),
        ("terminationMessagePath", s("/dev/termination-log")),
        ("terminationMessagePolicy", s("File")),
    ];
    if !mounts.is_empty() {
        c.push(("volumeMounts", V::Seq(mounts)));
    }
    m(c)
}

fn sidecar_image(sc: &str) -> &'static str {
    match sc {
        "oauth-proxy" => {
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:7c0b5d3b2ec0d2b8f5bbf0b9f8d6f0a6d2f0ed4a5c45ec0e4b1b1d66dffcb3e5"
        }
        "envoy" => "docker.io/envoyproxy/envoy:v1.29.2",
        _ => "cr.fluentbit.io/fluent/fluent-bit:2.2.2",
    }
}

fn sidecar_port(sc: &str) -> i64 {
    if sc == "oauth-proxy" { 8443 } else { 9901 }
}

fn volumes(app: &App, sa_tok: &str) -> V {
    let mut v = Vec::new();
    if let Some(cfg) = &app.config {
        v.push(m([
            (
                "configMap",
                m([("defaultMode", i(420)), ("name", s(cfg.clone()))]),
            ),
            ("name", s("config")),
        ]));
    }
    v.push(m([
        ("name", s(sa_tok)),
        (
            "projected",
            m([
                ("defaultMode", i(420)),
                (
                    "sources",
                    l([
                        m([(
                            "serviceAccountToken",
                            m([("expirationSeconds", i(3607)), ("path", s("token"))]),
                        )]),
                        m([(
                            "configMap",
                            m([
                                (
                                    "items",
                                    l([m([("key", s("ca.crt")), ("path", s("ca.crt"))])]),
                                ),
                                ("name", s("kube-root-ca.crt")),
                            ]),
                        )]),
                        m([(
                            "downwardAPI",
                            m([(
                                "items",
                                l([m([
                                    (
                                        "fieldRef",
                                        m([
                                            ("apiVersion", s("v1")),
                                            ("fieldPath", s("metadata.namespace")),
                                        ]),
                                    ),
                                    ("path", s("namespace")),
                                ])]),
                            )]),
                        )]),
                        m([(
                            "configMap",
                            m([
                                (
                                    "items",
                                    l([m([
                                        ("key", s("service-ca.crt")),
                                        ("path", s("service-ca.crt")),
                                    ])]),
                                ),
                                ("name", s("openshift-service-ca.crt")),
                            ]),
                        )]),
                    ]),
                ),
            ]),
        ),
    ]));
    V::Seq(v)
}

fn template(app: &App, hash: Option<&str>) -> V {
    let mut labels = vec![("app", s(app.name.clone()))];
    if let Some(h) = hash {
        labels.push(("pod-template-hash", s(h)));
    }
    let mut ctrs = vec![container_spec(
        app, &app.name, &app.image, app.port, None, true,
    )];
    if let Some((sc, _)) = app.sidecar {
        ctrs.push(container_spec(
            app,
            sc,
            sidecar_image(sc),
            sidecar_port(sc),
            None,
            false,
        ));
    }
    m([
        (
            "metadata",
            m([("creationTimestamp", V::Null), ("labels", m(labels))]),
        ),
        (
            "spec",
            m([
                ("containers", V::Seq(ctrs)),
                ("dnsPolicy", s("ClusterFirst")),
                ("restartPolicy", s("Always")),
                ("schedulerName", s("default-scheduler")),
                ("securityContext", empty()),
                ("terminationGracePeriodSeconds", i(30)),
            ]),
        ),
    ])
}

fn deployment(ids: &mut Ids, ns: &str, app: &App, hash: &str, collected: T) -> V {
    let last_applied = format!(
        "{{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{{\"annotations\":{{}},\"labels\":{{\"app\":\"{0}\"}},\"name\":\"{0}\",\"namespace\":\"{ns}\"}},\"spec\":{{\"replicas\":{1},\"selector\":{{\"matchLabels\":{{\"app\":\"{0}\"}}}},\"template\":{{\"metadata\":{{\"labels\":{{\"app\":\"{0}\"}}}},\"spec\":{{\"containers\":[{{\"image\":\"{2}\",\"name\":\"{0}\",\"ports\":[{{\"containerPort\":{3}}}]}}]}}}}}}}}\n",
        app.name, app.replicas, app.image, app.port
    );
    let updated = collected - 5 * MIN;
    let meta = Meta::new(ids, &app.name, Some(ns), app.created, updated)
        .annot(
            "deployment.kubernetes.io/revision",
            &app.revisions.to_string(),
        )
        .annot(
            "kubectl.kubernetes.io/last-applied-configuration",
            &last_applied,
        )
        .label("app", &app.name)
        .managed(&managed(
            "kubectl-client-side-apply",
            app.created,
            APPLY,
            false,
        ))
        .managed(&managed(
            "kube-controller-manager",
            updated,
            DEPLOY_STATUS,
            true,
        ))
        .build();
    let mut meta = meta;
    meta.set("generation", i(i64::from(app.revisions)));
    let r = app.replicas;
    let mut status = vec![
        (
            "conditions",
            l([
                m([
                    ("lastTransitionTime", s(t::rfc3339(app.created + MIN))),
                    ("lastUpdateTime", s(t::rfc3339(app.created + MIN))),
                    ("message", s("Deployment has minimum availability.")),
                    ("reason", s("MinimumReplicasAvailable")),
                    ("status", s("True")),
                    ("type", s("Available")),
                ]),
                m([
                    ("lastTransitionTime", s(t::rfc3339(app.created))),
                    ("lastUpdateTime", s(t::rfc3339(app.created + 2 * MIN))),
                    (
                        "message",
                        s(format!(
                            "ReplicaSet \"{}-{hash}\" has successfully progressed.",
                            app.name
                        )),
                    ),
                    ("reason", s("NewReplicaSetAvailable")),
                    ("status", s("True")),
                    ("type", s("Progressing")),
                ]),
            ]),
        ),
        ("observedGeneration", i(i64::from(app.revisions))),
    ];
    if r > 0 {
        status.push(("availableReplicas", i(r)));
        status.push(("readyReplicas", i(r)));
        status.push(("replicas", i(r)));
        status.push(("updatedReplicas", i(r)));
    }
    m([
        ("apiVersion", s("apps/v1")),
        ("kind", s("Deployment")),
        ("metadata", meta),
        (
            "spec",
            m([
                ("progressDeadlineSeconds", i(600)),
                ("replicas", i(r)),
                ("revisionHistoryLimit", i(10)),
                (
                    "selector",
                    m([("matchLabels", m([("app", s(app.name.clone()))]))]),
                ),
                (
                    "strategy",
                    m([
                        (
                            "rollingUpdate",
                            m([("maxSurge", s("25%")), ("maxUnavailable", s("25%"))]),
                        ),
                        ("type", s("RollingUpdate")),
                    ]),
                ),
                ("template", template(app, None)),
            ]),
        ),
        ("status", m(status)),
    ])
}

#[allow(clippy::too_many_arguments)]
fn replicaset(
    ids: &mut Ids,
    ns: &str,
    app: &App,
    name: &str,
    uid: &str,
    hash: &str,
    revision: u32,
    replicas: i64,
    created: T,
) -> V {
    let mut meta = Meta::new(ids, name, Some(ns), created, created + MIN)
        .annot(
            "deployment.kubernetes.io/desired-replicas",
            &app.replicas.to_string(),
        )
        .annot(
            "deployment.kubernetes.io/max-replicas",
            &(app.replicas + (app.replicas + 3) / 4).to_string(),
        )
        .annot("deployment.kubernetes.io/revision", &revision.to_string())
        .label("app", &app.name)
        .label("pod-template-hash", hash)
        .owner("apps/v1", "Deployment", &app.name, &app.uid, true)
        .managed(&managed(
            "kube-controller-manager",
            created + MIN,
            RS_FIELDS,
            false,
        ))
        .build();
    meta.set("uid", s(uid));
    meta.set("generation", i(if replicas == 0 { 2 } else { 1 }));
    let mut status = vec![("observedGeneration", i(1)), ("replicas", i(replicas))];
    if replicas > 0 {
        status.push(("availableReplicas", i(replicas)));
        status.push(("fullyLabeledReplicas", i(replicas)));
        status.push(("readyReplicas", i(replicas)));
    }
    m([
        ("apiVersion", s("apps/v1")),
        ("kind", s("ReplicaSet")),
        ("metadata", meta),
        (
            "spec",
            m([
                ("replicas", i(replicas)),
                (
                    "selector",
                    m([(
                        "matchLabels",
                        m([("app", s(app.name.clone())), ("pod-template-hash", s(hash))]),
                    )]),
                ),
                ("template", template(app, Some(hash))),
            ]),
        ),
        ("status", m(status)),
    ])
}

fn hpa(ids: &mut Ids, rng: &mut Rng, ns: &str, app: &App, collected: T) -> V {
    let meta = Meta::new(
        ids,
        &app.name,
        Some(ns),
        app.created,
        collected - rng.range(10, 300) * SEC,
    )
    .build();
    let cur = rng.range(5, 95);
    m([
        ("apiVersion", s("autoscaling/v2")),
        ("kind", s("HorizontalPodAutoscaler")),
        ("metadata", meta),
        (
            "spec",
            m([
                ("maxReplicas", i(app.replicas.max(1) * 3)),
                (
                    "metrics",
                    l([m([
                        (
                            "resource",
                            m([
                                ("name", s("cpu")),
                                (
                                    "target",
                                    m([("averageUtilization", i(75)), ("type", s("Utilization"))]),
                                ),
                            ]),
                        ),
                        ("type", s("Resource")),
                    ])]),
                ),
                ("minReplicas", i(app.replicas.max(1))),
                (
                    "scaleTargetRef",
                    m([
                        ("apiVersion", s("apps/v1")),
                        ("kind", s("Deployment")),
                        ("name", s(app.name.clone())),
                    ]),
                ),
            ]),
        ),
        (
            "status",
            m([
                (
                    "conditions",
                    l([
                        m([
                            ("lastTransitionTime", s(t::rfc3339(app.created + MIN))),
                            ("message", s("recommended size matches current size")),
                            ("reason", s("ReadyForNewScale")),
                            ("status", s("True")),
                            ("type", s("AbleToScale")),
                        ]),
                        m([
                            ("lastTransitionTime", s(t::rfc3339(app.created + 2 * MIN))),
                            (
                                "message",
                                s(
                                    "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
                                ),
                            ),
                            ("reason", s("ValidMetricFound")),
                            ("status", s("True")),
                            ("type", s("ScalingActive")),
                        ]),
                    ]),
                ),
                (
                    "currentMetrics",
                    l([m([
                        (
                            "resource",
                            m([
                                (
                                    "current",
                                    m([
                                        ("averageUtilization", i(cur)),
                                        ("averageValue", s(format!("{cur}m"))),
                                    ]),
                                ),
                                ("name", s("cpu")),
                            ]),
                        ),
                        ("type", s("Resource")),
                    ])]),
                ),
                ("currentReplicas", i(app.replicas)),
                ("desiredReplicas", i(app.replicas)),
            ]),
        ),
    ])
}

#[allow(clippy::too_many_arguments)]
fn job_pod(
    ids: &mut Ids,
    rng: &mut Rng,
    ns: &str,
    job: &str,
    job_uid: &str,
    (pod, pod_uid): (&str, &str),
    w: &Worker,
    run: T,
    images: &[String],
) -> V {
    let image = images
        .last()
        .cloned()
        .unwrap_or_else(|| "registry.access.redhat.com/ubi9/ubi-minimal:9.3".into());
    let meta = Meta::new(ids, pod, Some(ns), run, run + 40 * SEC)
        .generate_name(&format!("{job}-"))
        .annot("openshift.io/scc", "restricted-v2")
        .label("controller-uid", job_uid)
        .label("job-name", job)
        .owner("batch/v1", "Job", job, job_uid, true)
        .build();
    let mut meta = meta;
    meta.set("uid", s(pod_uid));
    let cid = rng.hex(64);
    let ip = format!(
        "10.{}.{}.{}",
        w.cidr.0,
        w.cidr.1 + rng.below(2),
        2 + rng.below(250)
    );
    m([
        ("apiVersion", s("v1")),
        ("kind", s("Pod")),
        ("metadata", meta),
        (
            "spec",
            m([
                (
                    "containers",
                    l([m([
                        ("command", ls(["/usr/local/bin/run-job"])),
                        ("image", s(image.clone())),
                        ("imagePullPolicy", s("IfNotPresent")),
                        ("name", s("job")),
                        ("resources", empty()),
                        ("terminationMessagePath", s("/dev/termination-log")),
                        ("terminationMessagePolicy", s("File")),
                    ])]),
                ),
                ("nodeName", s(w.fqdn.clone())),
                ("restartPolicy", s("Never")),
                ("schedulerName", s("default-scheduler")),
                ("serviceAccountName", s("default")),
            ]),
        ),
        (
            "status",
            m([
                (
                    "conditions",
                    l([
                        m([
                            ("lastProbeTime", V::Null),
                            ("lastTransitionTime", s(t::rfc3339(run + SEC))),
                            ("reason", s("PodCompleted")),
                            ("status", s("True")),
                            ("type", s("Initialized")),
                        ]),
                        m([
                            ("lastProbeTime", V::Null),
                            ("lastTransitionTime", s(t::rfc3339(run + 38 * SEC))),
                            ("reason", s("PodCompleted")),
                            ("status", s("False")),
                            ("type", s("Ready")),
                        ]),
                        m([
                            ("lastProbeTime", V::Null),
                            ("lastTransitionTime", s(t::rfc3339(run + 38 * SEC))),
                            ("reason", s("PodCompleted")),
                            ("status", s("False")),
                            ("type", s("ContainersReady")),
                        ]),
                        m([
                            ("lastProbeTime", V::Null),
                            ("lastTransitionTime", s(t::rfc3339(run))),
                            ("status", s("True")),
                            ("type", s("PodScheduled")),
                        ]),
                    ]),
                ),
                (
                    "containerStatuses",
                    l([m([
                        ("containerID", s(format!("cri-o://{cid}"))),
                        ("image", s(image.clone())),
                        ("imageID", s(image_id(&image, rng))),
                        ("lastState", empty()),
                        ("name", s("job")),
                        ("ready", b(false)),
                        ("restartCount", i(0)),
                        ("started", b(false)),
                        (
                            "state",
                            m([(
                                "terminated",
                                m([
                                    ("containerID", s(format!("cri-o://{cid}"))),
                                    ("exitCode", i(0)),
                                    ("finishedAt", s(t::rfc3339(run + 37 * SEC))),
                                    ("reason", s("Completed")),
                                    ("startedAt", s(t::rfc3339(run + 3 * SEC))),
                                ]),
                            )]),
                        ),
                    ])]),
                ),
                ("hostIP", s(w.ip.clone())),
                ("phase", s("Succeeded")),
                ("podIP", s(ip.clone())),
                ("podIPs", l([m([("ip", s(ip))])])),
                ("qosClass", s("BestEffort")),
                ("startTime", s(t::rfc3339(run))),
            ]),
        ),
    ])
}

/// A core/v1 Event as the legacy recorders write it.
#[allow(clippy::too_many_arguments)]
fn event(
    ids: &mut Ids,
    rng: &mut Rng,
    ns: &str,
    obj: (&str, &str, &str, &str),
    type_: &str,
    reason: &str,
    msg: &str,
    component: &str,
    host: Option<&str>,
    count: i64,
    first: T,
    last: T,
) -> V {
    event_full(
        ids, rng, ns, obj, type_, reason, msg, component, host, count, first, last, None,
    )
}

#[allow(clippy::too_many_arguments)]
fn event_fp(
    ids: &mut Ids,
    rng: &mut Rng,
    ns: &str,
    obj: (&str, &str, &str, &str),
    type_: &str,
    reason: &str,
    msg: &str,
    host: Option<&str>,
    count: i64,
    last: T,
    fp: &str,
) -> V {
    let first = if count > 1 {
        last - count * 10 * SEC
    } else {
        last
    };
    event_full(
        ids,
        rng,
        ns,
        obj,
        type_,
        reason,
        msg,
        "kubelet",
        host,
        count,
        first,
        last,
        Some(fp),
    )
}

#[allow(clippy::too_many_arguments)]
fn event_full(
    ids: &mut Ids,
    rng: &mut Rng,
    ns: &str,
    (api, kind, name, uid): (&str, &str, &str, &str),
    type_: &str,
    reason: &str,
    msg: &str,
    component: &str,
    host: Option<&str>,
    count: i64,
    first: T,
    last: T,
    fp: Option<&str>,
) -> V {
    let ev_name = format!("{name}.{:x}", first + rng.range(0, 999_999));
    let mut inv = vec![
        ("apiVersion", s(api)),
        ("kind", s(kind)),
        ("name", s(name)),
        ("namespace", s(ns)),
        ("uid", s(uid)),
    ];
    if let Some(f) = fp {
        inv.push(("fieldPath", s(f)));
    }
    if kind == "Pod" || kind == "ReplicaSet" || kind == "Deployment" {
        inv.push(("resourceVersion", s(ids.rv(first))));
    }
    let mut src = vec![("component", s(component))];
    if let Some(h) = host {
        src.push(("host", s(h)));
    }
    let meta = m([
        ("creationTimestamp", s(t::rfc3339(first))),
        ("name", s(ev_name)),
        ("namespace", s(ns)),
        ("resourceVersion", s(ids.rv(last))),
        ("uid", s(ids.uid())),
    ]);
    let (rc, ri) = match (component, host) {
        ("kubelet", Some(h)) => ("kubelet", h.to_string()),
        _ => ("", String::new()),
    };
    m([
        ("apiVersion", s("v1")),
        ("count", i(count)),
        ("eventTime", V::Null),
        ("firstTimestamp", s(t::rfc3339(first))),
        ("involvedObject", m(inv)),
        ("kind", s("Event")),
        ("lastTimestamp", s(t::rfc3339(last))),
        ("message", s(msg)),
        ("metadata", meta),
        ("reason", s(reason)),
        ("reportingComponent", s(rc)),
        ("reportingInstance", s(ri)),
        ("source", m(src)),
        ("type", s(type_)),
    ])
}

/// The scheduler's `Scheduled` event: events.k8s.io style (eventTime set, no timestamps).
fn scheduled(ids: &mut Ids, rng: &mut Rng, ns: &str, pod: &str, uid: &str, node: &str, at: T) -> V {
    let ev_name = format!("{pod}.{:x}", at + rng.range(0, 999_999));
    let meta = m([
        ("creationTimestamp", s(t::rfc3339(at))),
        ("name", s(ev_name)),
        ("namespace", s(ns)),
        ("resourceVersion", s(ids.rv(at))),
        ("uid", s(ids.uid())),
    ]);
    m([
        ("action", s("Binding")),
        ("apiVersion", s("v1")),
        ("eventTime", s(t::rfc3339_micro(at))),
        ("firstTimestamp", V::Null),
        (
            "involvedObject",
            m([
                ("apiVersion", s("v1")),
                ("kind", s("Pod")),
                ("name", s(pod)),
                ("namespace", s(ns)),
                ("uid", s(uid)),
            ]),
        ),
        ("kind", s("Event")),
        ("lastTimestamp", V::Null),
        (
            "message",
            s(format!("Successfully assigned {ns}/{pod} to {node}")),
        ),
        ("metadata", meta),
        ("reason", s("Scheduled")),
        ("reportingComponent", s("default-scheduler")),
        (
            "reportingInstance",
            s(format!(
                "default-scheduler-{}",
                rng.pick(&["master-0", "master-1", "master-2"])
            )),
        ),
        ("source", empty()),
        ("type", s("Normal")),
    ])
}

/// Stream application namespaces into the must-gather until its payload reaches the target.
pub fn fill(case: &Case, w: &mut MgWriter) -> Result<Fill> {
    let target = case.plan.scale_bytes;
    let before = w.payload_bytes();
    let mut sc = Scale::new(case);
    sc.workers(w)?;
    let mut n = 0u64;
    let mut log_bytes = 0u64;
    while w.payload_bytes() < target {
        n += 1;
        let remaining = target - w.payload_bytes();
        let (ns, lb) = sc.namespace(n, remaining);
        log_bytes += lb;
        w.namespace(&ns)?;
        sc.stats.namespaces += 1;
    }
    let total = w.payload_bytes() - before;
    sc.stats.log_bytes = log_bytes;
    sc.stats.yaml_bytes = total.saturating_sub(log_bytes);
    Ok(Fill {
        stats: sc.stats,
        node_pods: sc.node_pods,
        images: sc.images,
    })
}

// ---------------------------------------------------------------------------------------------
// sosreport padding

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Kubelet,
    Crio,
    Other,
}

struct Rec {
    t: T,
    unit: Unit,
    ident: Cow<'static, str>,
    pid: u32,
    msg: String,
}

impl Rec {
    fn new(t: T, unit: Unit, ident: &'static str, pid: u32, msg: String) -> Self {
        Self {
            t,
            unit,
            ident: Cow::Borrowed(ident),
            pid,
            msg,
        }
    }

    /// Bytes of the rendered `short` line.
    fn len(&self, host: &str) -> u64 {
        let pid = if self.pid > 0 {
            2 + digits(self.pid)
        } else {
            0
        };
        (15 + 1 + host.len() + 1 + self.ident.len() + pid + 2 + self.msg.len() + 1) as u64
    }
}

fn digits(mut x: u32) -> usize {
    let mut n = 1;
    while x >= 10 {
        x /= 10;
        n += 1;
    }
    n
}

fn render_rec(o: &mut String, host: &str, r: &Rec) {
    jshort(o, r.t);
    o.push(' ');
    o.push_str(host);
    o.push(' ');
    o.push_str(&r.ident);
    if r.pid > 0 {
        let _ = write!(o, "[{}]", r.pid);
    }
    o.push_str(": ");
    o.push_str(&r.msg);
    o.push('\n');
}

fn from_journal(j: &Journal, unit: Unit, since: T, until: T) -> Vec<Rec> {
    let mut out = Vec::new();
    for e in j.entries.iter().filter(|e| e.t >= since && e.t <= until) {
        for part in e.msg.split('\n') {
            out.push(Rec {
                t: e.t,
                unit,
                ident: Cow::Owned(e.ident.clone()),
                pid: e.pid,
                msg: part.to_string(),
            });
        }
    }
    out
}

/// `journalctl` short output: header, then entries with `-- Boot … --` lines where boots happened.
fn render_journal(header: &str, host: &str, recs: &[Rec], boots: &[(T, String)]) -> String {
    let mut o = String::with_capacity(recs.iter().map(|r| r.msg.len() + 64).sum::<usize>() + 256);
    o.push_str(header);
    o.push('\n');
    let Some(first) = recs.first() else {
        o.push_str("-- No entries --\n");
        return o;
    };
    let mut marks = boots.iter().filter(|b| b.0 > first.t).peekable();
    for r in recs {
        while let Some(bm) = marks.peek() {
            if bm.0 <= r.t {
                let _ = writeln!(o, "-- Boot {} --", bm.1);
                marks.next();
            } else {
                break;
            }
        }
        render_rec(&mut o, host, r);
    }
    o
}

struct NodeGen<'a> {
    rng: Rng,
    pods: &'a [NodePod],
    images: &'a [String],
    kpid: u32,
    cpid: u32,
    audit_serial: u64,
    ovs_seq: u64,
}

impl<'a> NodeGen<'a> {
    fn pick_pod(&mut self) -> &'a NodePod {
        let pods = self.pods;
        &pods[self.rng.below(pods.len() as u64) as usize]
    }

    fn pick_image(&mut self) -> &'a str {
        let images = self.images;
        if images.is_empty() {
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:5b1f0e6c3d0c4a7f6e8e1b2d4c9a8f7e6d5c4b3a29180706f5e4d3c2b1a09f8e"
        } else {
            &images[self.rng.below(images.len() as u64) as usize]
        }
    }

    #[allow(clippy::too_many_lines)]
    fn kubelet(&mut self, x: T) -> Rec {
        let mut o = String::with_capacity(240);
        let p = self.pick_pod();
        let (pns, pname, puid) = (&p.ns, &p.name, &p.uid);
        let (ctr, cid) = p
            .containers
            .first()
            .map_or(("app", ""), |c| (c.0.as_str(), c.1.as_str()));
        let kpid = self.kpid;
        let rng = &mut self.rng;
        match rng.below(1000) {
            0..=249 => {
                klog_head(&mut o, 'I', x, kpid, "kubelet.go:2536");
                let _ = write!(
                    o,
                    "\"SyncLoop (probe)\" probe=\"{}\" status=\"ready\" pod=\"{pns}/{pname}\"",
                    if rng.chance(50) {
                        "readiness"
                    } else {
                        "liveness"
                    }
                );
            }
            250..=399 => {
                klog_head(&mut o, 'I', x, kpid, "prober.go:107");
                let _ = write!(
                    o,
                    "\"Probe failed\" probeType=\"Readiness\" pod=\"{pns}/{pname}\" podUID=\"{puid}\" containerName=\"{ctr}\" probeResult=\"failure\" output=\"Get \\\"http://{}:8080/readyz\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"",
                    p.ip
                );
            }
            400..=489 => {
                klog_head(&mut o, 'I', x, kpid, "kubelet.go:2429");
                let _ = write!(
                    o,
                    "\"SyncLoop UPDATE\" source=\"api\" pods=[\"{pns}/{pname}\"]"
                );
            }
            490..=559 => {
                klog_head(&mut o, 'I', x, kpid, "kubelet.go:2461");
                let _ = write!(
                    o,
                    "\"SyncLoop (PLEG): event for pod\" pod=\"{pns}/{pname}\" event={{\"ID\":\"{puid}\",\"Type\":\"ContainerStarted\",\"Data\":\"{cid}\"}}"
                );
            }
            560..=619 => {
                klog_head(&mut o, 'I', x, kpid, "operation_generator.go:721");
                let tok = format!("kube-api-access-{}", rng.k8s_suffix(5));
                let _ = write!(
                    o,
                    "\"MountVolume.SetUp succeeded for volume \\\"{tok}\\\" (UniqueName: \\\"kubernetes.io/projected/{puid}-{tok}\\\") pod \\\"{pname}\\\" (UID: \\\"{puid}\\\") \" pod=\"{pns}/{pname}\""
                );
            }
            620..=669 => {
                klog_head(&mut o, 'I', x, kpid, "pod_startup_latency_tracker.go:102");
                let _ = write!(
                    o,
                    "\"Observed pod startup duration\" pod=\"{pns}/{pname}\" podStartSLOduration={}.{:09} podStartE2EDuration=\"{}.{:09}s\" podCreationTimestamp=\"",
                    rng.range(1, 40),
                    rng.below(1_000_000_000),
                    rng.range(1, 40),
                    rng.below(1_000_000_000)
                );
                let z = tm(x - rng.range(10, 60) * SEC);
                ymd(&mut o, &z, '-');
                o.push(' ');
                hms(&mut o, &z);
                let _ = write!(
                    o,
                    " +0000 UTC\" firstStartedPulling=\"0001-01-01 00:00:00 +0000 UTC\" lastFinishedPulling=\"0001-01-01 00:00:00 +0000 UTC\" observedRunningTime=\"{}\" watchObservedRunningTime=\"{}\"",
                    go_time(x - 2 * SEC + rng.range(0, 999_999_999)),
                    go_time(x - SEC + rng.range(0, 999_999_999))
                );
            }
            670..=719 => {
                klog_head(&mut o, 'I', x, kpid, "scope.go:117");
                let _ = write!(o, "\"RemoveContainer\" containerID=\"{}\"", rng.hex(64));
            }
            720..=759 => {
                klog_head(&mut o, 'E', x, kpid, "remote_runtime.go:432");
                let id = rng.hex(64);
                let _ = write!(
                    o,
                    "\"ContainerStatus from runtime service failed\" err=\"rpc error: code = NotFound desc = could not find container \\\"{id}\\\": container with ID starting with {id} not found: ID does not exist\" containerID=\"{id}\""
                );
            }
            760..=789 => {
                klog_head(&mut o, 'I', x, kpid, "pod_container_deletor.go:53");
                let id = rng.hex(64);
                let _ = write!(
                    o,
                    "\"DeleteContainer returned error\" containerID={{\"Type\":\"cri-o\",\"ID\":\"{id}\"}} err=\"failed to get container status \\\"{id}\\\": rpc error: code = NotFound desc = could not find container \\\"{id}\\\": container with ID starting with {id} not found: ID does not exist\""
                );
            }
            790..=829 => {
                klog_head(&mut o, 'E', x, kpid, "cadvisor_stats_provider.go:501");
                o.push_str("\"Partial failure issuing cadvisor.ContainerInfoV2\" err=\"partial failures: [\\\"/system.slice/rpm-ostreed.service\\\": RecentStats: unable to find data in memory cache]\"");
            }
            830..=869 => {
                klog_head(&mut o, 'W', x, kpid, "manager.go:1169");
                let id = rng.hex(64);
                let _ = write!(
                    o,
                    "Failed to process watch event {{EventType:0 Name:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{}.slice/crio-{id}.scope WatchSource:0}}: Error finding container {id}: Status 404 returned error can't find the container with id {id}",
                    puid.replace('-', "_")
                );
            }
            870..=899 => {
                klog_head(&mut o, 'I', x, kpid, "kubelet_getters.go:187");
                let _ = write!(
                    o,
                    "\"Pod status updated\" pod=\"{pns}/{pname}\" status=\"Running\""
                );
            }
            900..=939 => {
                klog_head(&mut o, 'I', x, kpid, "kuberuntime_container.go:770");
                let _ = write!(
                    o,
                    "\"Killing container with a grace period\" pod=\"{pns}/{pname}\" podUID=\"{puid}\" containerName=\"{ctr}\" containerID=\"cri-o://{cid}\" gracePeriod=30"
                );
            }
            940..=969 => {
                klog_head(&mut o, 'I', x, kpid, "kubelet_volumes.go:161");
                let u = rng.uuid();
                let _ = write!(
                    o,
                    "\"Cleaned up orphaned pod volumes dir\" podUID=\"{u}\" path=\"/var/lib/kubelet/pods/{u}/volumes\""
                );
            }
            970..=989 => {
                klog_head(&mut o, 'I', x, kpid, "image_gc_manager.go:343");
                let _ = write!(
                    o,
                    "\"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold\" usage=86 highThreshold=85 amountToFree={} lowThreshold=80",
                    6_000_000_000 + rng.below(2_000_000_000)
                );
            }
            _ => {
                // the long one: a whole status patch
                klog_head(&mut o, 'I', x, kpid, "status_manager.go:874");
                let _ = write!(
                    o,
                    "\"Patch status for pod\" pod=\"{pns}/{pname}\" podUID=\"{puid}\" patch=\"{{\\\"metadata\\\":{{\\\"uid\\\":\\\"{puid}\\\"}},\\\"status\\\":{{\\\"$setElementOrder/conditions\\\":[{{\\\"type\\\":\\\"Initialized\\\"}},{{\\\"type\\\":\\\"Ready\\\"}},{{\\\"type\\\":\\\"ContainersReady\\\"}},{{\\\"type\\\":\\\"PodScheduled\\\"}}],\\\"conditions\\\":[{{\\\"lastProbeTime\\\":null,\\\"lastTransitionTime\\\":\\\""
                );
                iso(&mut o, x - SEC, 0);
                let _ = write!(
                    o,
                    "\\\",\\\"status\\\":\\\"True\\\",\\\"type\\\":\\\"Ready\\\"}}],\\\"containerStatuses\\\":[{{\\\"containerID\\\":\\\"cri-o://{cid}\\\",\\\"image\\\":\\\"{}\\\",\\\"imageID\\\":\\\"{}\\\",\\\"lastState\\\":{{}},\\\"name\\\":\\\"{ctr}\\\",\\\"ready\\\":true,\\\"restartCount\\\":0,\\\"started\\\":true,\\\"state\\\":{{\\\"running\\\":{{\\\"startedAt\\\":\\\"",
                    self.images.first().map_or("", String::as_str),
                    self.images.first().map_or("", String::as_str)
                );
                iso(&mut o, x - 3 * SEC, 0);
                o.push_str("\\\"}}}],\\\"podIP\\\":null,\\\"podIPs\\\":null}}\"");
            }
        }
        Rec::new(x, Unit::Kubelet, "kubenswrapper", kpid, o)
    }

    fn crio(&mut self, x: T) -> Rec {
        let mut o = String::with_capacity(240);
        o.push_str("time=\"");
        let z = tm(x);
        ymd(&mut o, &z, '-');
        o.push(' ');
        hms(&mut o, &z);
        o.push('.');
        pad(&mut o, u64::from(z.ns), 9);
        o.push_str("Z\" ");
        let img = self.pick_image();
        let p = self.pick_pod();
        let (pns, pname, sandbox) = (&p.ns, &p.name, &p.sandbox);
        let (ctr, cid) = p
            .containers
            .first()
            .map_or(("app", ""), |c| (c.0.as_str(), c.1.as_str()));
        let rng = &mut self.rng;
        let id = rng.uuid();
        match rng.below(100) {
            0..=39 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Checking image status: {img}\" id={id} name=/runtime.v1.ImageService/ImageStatus"
                );
            }
            40..=64 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Image status: &ImageStatusResponse{{Image:&Image{{Id:{},RepoTags:[],RepoDigests:[{img}],Size_:{},Uid:nil,Username:,Spec:&ImageSpec{{Image:{img},Annotations:map[string]string{{}},}},Pinned:false,}},Info:map[string]string{{}},}}\" id={id} name=/runtime.v1.ImageService/ImageStatus",
                    rng.hex(64),
                    rng.range(50_000_000, 900_000_000)
                );
            }
            65..=74 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Stopping container: {cid} (timeout: 30s)\" id={id} name=/runtime.v1.RuntimeService/StopContainer"
                );
            }
            75..=82 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Removed container {}: {pns}/{pname}/{ctr}\" id={id} name=/runtime.v1.RuntimeService/RemoveContainer",
                    rng.hex(64)
                );
            }
            83..=88 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Got pod network &{{Name:{pname} Namespace:{pns} ID:{sandbox} UID:{} NetNS:/var/run/netns/{} Networks:[] RuntimeConfig:map[multus-cni-network:{{IP: MAC: PortMappings:[] Bandwidth:<nil> IpRanges:[] CgroupPath: PodAnnotations:0xc000{}}}] Aliases:map[]}}\"",
                    p.uid,
                    rng.uuid(),
                    rng.hex(6)
                );
            }
            89..=93 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Created container {cid}: {pns}/{pname}/{ctr}\" id={id} name=/runtime.v1.RuntimeService/CreateContainer"
                );
            }
            94..=97 => {
                let _ = write!(
                    o,
                    "level=info msg=\"Started container\" PID={} containerID={cid} description={pns}/{pname}/{ctr} id={id} name=/runtime.v1.RuntimeService/StartContainer sandboxID={sandbox}",
                    rng.range(3000, 400_000)
                );
            }
            _ => {
                let _ = write!(
                    o,
                    "level=warning msg=\"Stopping container {cid} with stop signal timed out: timeout reached after 30 seconds waiting for container process to exit\" id={id} name=/runtime.v1.RuntimeService/StopContainer"
                );
            }
        }
        Rec::new(x, Unit::Crio, "crio", self.cpid, o)
    }

    fn other(&mut self, x: T) -> Rec {
        let rng = &mut self.rng;
        let mut o = String::with_capacity(160);
        let id = rng.hex(64);
        let dev = &id[..15];
        let (ident, pid) = match rng.below(100) {
            0..=34 => {
                match rng.below(5) {
                    0 => {
                        let _ = write!(
                            o,
                            "Started crio-conmon-{id}.scope - crio-conmon-{id}.scope."
                        );
                    }
                    1 => {
                        let _ = write!(o, "crio-{id}.scope: Deactivated successfully.");
                    }
                    2 => {
                        let _ = write!(
                            o,
                            "crio-{id}.scope: Consumed {}.{:03}s CPU time.",
                            rng.below(90),
                            rng.below(1000)
                        );
                    }
                    3 => {
                        let _ = write!(
                            o,
                            "var-lib-containers-storage-overlay-{id}-merged.mount: Deactivated successfully."
                        );
                    }
                    _ => {
                        let _ = write!(
                            o,
                            "run-netns-{}.mount: Deactivated successfully.",
                            rng.uuid()
                        );
                    }
                }
                ("systemd", 1)
            }
            35..=54 => {
                match rng.below(4) {
                    0 => {
                        let _ = write!(o, "device {dev} entered promiscuous mode");
                    }
                    1 => {
                        let _ = write!(o, "device {dev} left promiscuous mode");
                    }
                    2 => {
                        let _ = write!(
                            o,
                            "audit: type=1400 audit({}.{:03}:{}): avc:  granted  {{ setsecparam }} for  pid={} comm=\"tuned\" scontext=system_u:system_r:spc_t:s0 tcontext=system_u:object_r:security_t:s0 tclass=security",
                            t::unix(x),
                            rng.below(1000),
                            self.audit_serial,
                            rng.range(2000, 9000)
                        );
                        self.audit_serial += 1;
                    }
                    _ => {
                        let _ = write!(
                            o,
                            "IPv6: ADDRCONF(NETDEV_CHANGE): {dev}: link becomes ready"
                        );
                    }
                }
                ("kernel", 0)
            }
            55..=72 => {
                self.ovs_seq += 1;
                let _ = write!(o, "ovs|{:05}|", self.ovs_seq % 100_000);
                match rng.below(3) {
                    0 => {
                        let _ = write!(
                            o,
                            "bridge|INFO|bridge br-int: added interface {dev} on port {}",
                            rng.range(10, 900)
                        );
                    }
                    1 => {
                        let _ = write!(
                            o,
                            "bridge|INFO|bridge br-int: deleted interface {dev} on port {}",
                            rng.range(10, 900)
                        );
                    }
                    _ => {
                        let _ = write!(
                            o,
                            "connmgr|INFO|br-int<->unix#{}: {} flow_mods in the {} s starting {} s ago ({} adds, {} deletes)",
                            rng.range(1, 9),
                            rng.range(2, 400),
                            rng.range(1, 9),
                            rng.range(10, 59),
                            rng.range(1, 300),
                            rng.range(0, 100)
                        );
                    }
                }
                ("ovs-vswitchd", 1052)
            }
            73..=84 => {
                let _ = write!(
                    o,
                    "<info>  [{}.{:04}] device ({dev}): carrier: link connected",
                    t::unix(x),
                    rng.below(10_000)
                );
                ("NetworkManager", 1121)
            }
            85..=97 => {
                let _ = write!(
                    o,
                    "conmon {} <ninfo>: container PID: {}",
                    &id[..20],
                    rng.range(3000, 400_000)
                );
                ("conmon", rng.range(3000, 400_000) as u32)
            }
            _ => {
                o.push_str("Selected source 169.254.169.123");
                ("chronyd", 1041)
            }
        };
        Rec::new(x, Unit::Other, ident, pid, o)
    }
}

/// `2024-03-20 09:58:31.123456789 +0000 UTC` (Go `time.Time.String()` in UTC).
fn go_time(x: T) -> String {
    let z = tm(x);
    let mut o = String::with_capacity(40);
    ymd(&mut o, &z, '-');
    o.push(' ');
    hms(&mut o, &z);
    o.push('.');
    pad(&mut o, u64::from(z.ns), 9);
    o.push_str(" +0000 UTC");
    o
}

fn audit_log(rng: &mut Rng, since: T, until: T, budget: u64) -> String {
    let mut o = String::with_capacity(budget as usize + 1024);
    let n_est = (budget / 330).max(1) as i64;
    let step = ((until - since) / n_est).max(1_000);
    let mut x = since;
    let mut serial = 1_000u64;
    while (o.len() as u64) < budget {
        x += rng.range(step / 2, step * 3 / 2);
        let ts = format!("{}.{:03}:{serial}", t::unix(x), (x.rem_euclid(SEC)) / MS);
        serial += 1;
        match rng.below(10) {
            0..=5 => {
                let pid = rng.range(2000, 400_000);
                let _ = writeln!(
                    o,
                    "type=SYSCALL msg=audit({ts}): arch=c000003e syscall=59 success=yes exit=0 a0=c000{} a1=c000{} a2=c000{} a3=0 items=2 ppid={} pid={pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"runc\" exe=\"/usr/bin/runc\" subj=system_u:system_r:container_runtime_t:s0 key=(null)\u{1d}ARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
                    rng.hex(6),
                    rng.hex(6),
                    rng.hex(6),
                    pid - 3
                );
                let _ = writeln!(
                    o,
                    "type=EXECVE msg=audit({ts}): argc=4 a0=\"runc\" a1=\"--root\" a2=\"/run/runc\" a3=\"state\""
                );
                let _ = writeln!(
                    o,
                    "type=PROCTITLE msg=audit({ts}): proctitle=2F7573722F62696E2F72756E63002D2D726F6F74002F72756E2F72756E63"
                );
            }
            6..=7 => {
                let _ = writeln!(
                    o,
                    "type=NETFILTER_CFG msg=audit({ts}): table=filter family=2 entries={} op=xt_replace pid={} subj=system_u:system_r:spc_t:s0 comm=\"iptables-restor\"\u{1d}SYSCALL=setsockopt",
                    rng.range(10, 400),
                    rng.range(2000, 90000)
                );
            }
            8 => {
                let _ = writeln!(
                    o,
                    "type=SERVICE_START msg=audit({ts}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='unit=crio-{}.scope comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'\u{1d}UID=\"root\" AUID=\"unset\"",
                    rng.hex(64)
                );
            }
            _ => {
                let _ = writeln!(
                    o,
                    "type=ANOM_PROMISCUOUS msg=audit({ts}): dev={} prom=256 old_prom=0 auid=4294967295 uid=0 gid=0 ses=4294967295\u{1d}AUID=\"unset\" UID=\"root\" GID=\"root\"",
                    rng.hex(15)
                );
            }
        }
    }
    o
}

fn ovs_log(rng: &mut Rng, since: T, until: T, budget: u64, server: bool) -> String {
    let mut o = String::with_capacity(budget as usize + 512);
    let n_est = (budget / 120).max(1) as i64;
    let step = ((until - since) / n_est).max(1_000);
    let mut x = since;
    let mut seq = 1u64;
    while (o.len() as u64) < budget {
        x += rng.range(step / 2, step * 3 / 2);
        iso(&mut o, x, 3);
        let _ = write!(o, "|{:05}|", seq % 100_000);
        seq += 1;
        if server {
            match rng.below(3) {
                0 => {
                    let _ = writeln!(
                        o,
                        "jsonrpc|WARN|unix#{}: receive error: Connection reset by peer",
                        rng.range(100, 9999)
                    );
                }
                1 => {
                    let _ = writeln!(
                        o,
                        "reconnect|WARN|unix#{}: connection dropped (Connection reset by peer)",
                        rng.range(100, 9999)
                    );
                }
                _ => {
                    let _ = writeln!(
                        o,
                        "memory|INFO|{}kB peak resident set size after {}.{} seconds",
                        rng.range(9000, 30000),
                        rng.range(10, 999),
                        rng.below(10)
                    );
                }
            }
        } else {
            match rng.below(4) {
                0 => {
                    let _ = writeln!(
                        o,
                        "bridge|INFO|bridge br-int: added interface {} on port {}",
                        rng.hex(15),
                        rng.range(10, 999)
                    );
                }
                1 => {
                    let _ = writeln!(
                        o,
                        "bridge|INFO|bridge br-int: deleted interface {} on port {}",
                        rng.hex(15),
                        rng.range(10, 999)
                    );
                }
                2 => {
                    let _ = writeln!(
                        o,
                        "connmgr|INFO|br-int<->unix#{}: {} flow_mods in the {} s starting {} s ago ({} adds, {} deletes)",
                        rng.range(1, 9),
                        rng.range(2, 400),
                        rng.range(1, 9),
                        rng.range(10, 59),
                        rng.range(1, 300),
                        rng.range(0, 100)
                    );
                }
                _ => {
                    let _ = writeln!(
                        o,
                        "timeval|WARN|Unreasonably long {}ms poll interval ({}ms user, {}ms system)",
                        rng.range(1000, 4000),
                        rng.range(100, 2000),
                        rng.range(50, 900)
                    );
                }
            }
        }
    }
    o
}

/// Bulk content for sosreport `rep` so that its payload reaches about `bytes`: the whole node
/// journal (`sos_commands/logs/journalctl_--no-pager`), kubelet and crio unit journals that grow
/// with it (88 % together), then `var/log/audit/audit.log` and `var/log/openvswitch/*.log`.
pub fn sos_bulk(case: &Case, rep: &SosReport, fill: &Fill, bytes: u64) -> SosBulk {
    let node = &case.nodes[rep.node];
    let host = node.short.as_str();
    let since = rep.journal_since;
    let until = rep.start;
    let rng = Rng::new(case.plan.seed, &format!("scale/sos/{}", rep.node));
    // the pods this kubelet runs: its daemon-set pods plus the application pods scheduled here
    let mut ds_rng = rng.fork("ds");
    let mut pods: Vec<NodePod> = case.state[rep.node]
        .ds_pods
        .iter()
        .map(|p| NodePod {
            ns: p.ns.clone(),
            name: p.name.clone(),
            uid: p.uid.clone(),
            ip: node.ip.clone(),
            containers: p
                .containers
                .iter()
                .map(|c| (c.clone(), ds_rng.hex(64)))
                .collect(),
            sandbox: ds_rng.hex(64),
        })
        .collect();
    pods.extend(fill.node_pods[rep.node].iter().cloned());
    if pods.is_empty() {
        pods.push(NodePod {
            ns: "openshift-monitoring".into(),
            name: format!("node-exporter-{}", ds_rng.k8s_suffix(5)),
            uid: ds_rng.uuid(),
            ip: node.ip.clone(),
            containers: vec![("node-exporter".into(), ds_rng.hex(64))],
            sandbox: ds_rng.hex(64),
        });
    }
    let (kpid, cpid) = crate::soswrite::service_pids(node);
    let mut g = NodeGen {
        rng: rng.fork("journal"),
        pods: &pods,
        images: &fill.images,
        kpid,
        cpid,
        audit_serial: 412,
        ovs_seq: 0,
    };
    // what the node's journals already hold
    let kube_base = from_journal(&node.kubelet, Unit::Kubelet, since, until);
    let crio_base = from_journal(&node.crio, Unit::Crio, since, until);
    let mut other_base = Vec::new();
    for (_, j) in &node.other_units {
        other_base.extend(from_journal(j, Unit::Other, since, until));
    }
    other_base.sort_by_key(|r| r.t);
    let sum = |v: &[Rec]| v.iter().map(|r| r.len(host)).sum::<u64>();
    // the full journal holds every line; the kubelet and crio unit journals repeat theirs
    let journal_budget = bytes * 88 / 100;
    let mut used = 2 * (sum(&kube_base) + sum(&crio_base)) + sum(&other_base);
    let start = kube_base.first().map_or(since, |r| r.t) + 2 * MIN;
    let mut bulk = Vec::new();
    let mut x = start;
    let (mut lines, mut added) = (0u64, 0u64);
    while used < journal_budget {
        // spread what is left of the budget over what is left of the window
        let avg = added.checked_div(lines).unwrap_or(450).max(1);
        let left = ((journal_budget - used) / avg).max(1) as i64;
        let step = ((until - SEC - x) / left).max(1);
        x = (x + g.rng.range(step / 4, step * 7 / 4)).min(until - SEC);
        let u = g.rng.below(100);
        let rec = if u < 52 {
            g.kubelet(x)
        } else if u < 72 {
            g.crio(x)
        } else {
            g.other(x)
        };
        let len = rec.len(host);
        let inc = if rec.unit == Unit::Other {
            len
        } else {
            2 * len
        };
        used += inc;
        added += inc;
        lines += 1;
        bulk.push(rec);
    }
    let (mut kube_bulk, mut crio_bulk, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for rec in bulk {
        match rec.unit {
            Unit::Kubelet => kube_bulk.push(rec),
            Unit::Crio => crio_bulk.push(rec),
            Unit::Other => rest.push(rec),
        }
    }
    let merged = |mut a: Vec<Rec>, b: Vec<Rec>| {
        a.extend(b);
        a.sort_by_key(|r| r.t);
        a
    };
    let kube = merged(kube_base, kube_bulk);
    let crio = merged(crio_base, crio_bulk);
    let style = case.plan.journal_begins_style;
    let first_of = |j: &Journal| j.entries.first().map_or(since, |e| e.t);
    let boots = &node.kubelet.boot_marks;
    let kubelet_journal = render_journal(
        &crate::mgwrite::header_line(style, first_of(&node.kubelet), until),
        host,
        &kube,
        boots,
    );
    let crio_journal = render_journal(
        &crate::mgwrite::header_line(style, first_of(&node.crio), until),
        host,
        &crio,
        boots,
    );
    let mut all = kube;
    all.extend(crio);
    all.extend(other_base);
    all.extend(rest);
    all.sort_by_key(|r| r.t);
    let full = render_journal(
        &crate::mgwrite::header_line(style, all.first().map_or(since, |r| r.t), until),
        host,
        &all,
        boots,
    );
    drop(all);
    // about 60 kB of standard sos files come on top
    let so_far = (kubelet_journal.len() + crio_journal.len() + full.len()) as u64 + 60_000;
    let rest = bytes.saturating_sub(so_far);
    let mut r2 = rng.fork("varlog");
    let boot = start - 2 * MIN;
    let audit = audit_log(&mut r2, boot, until, rest * 75 / 100);
    let vswitchd = ovs_log(&mut r2, boot, until, rest * 20 / 100, false);
    let ovsdb = ovs_log(&mut r2, boot, until, rest * 5 / 100, true);
    SosBulk {
        kubelet_journal: Some(kubelet_journal),
        crio_journal: Some(crio_journal),
        cmds: vec![(
            "logs",
            "journalctl --no-pager".to_string(),
            vec!["journal_full", "journal_all"],
            full,
        )],
        files: vec![
            ("auditd", "var/log/audit/audit.log".to_string(), audit),
            (
                "openvswitch",
                "var/log/openvswitch/ovs-vswitchd.log".to_string(),
                vswitchd,
            ),
            (
                "openvswitch",
                "var/log/openvswitch/ovsdb-server.log".to_string(),
                ovsdb,
            ),
        ],
        xz_preset: Some(SOS_XZ_PRESET),
    }
}
