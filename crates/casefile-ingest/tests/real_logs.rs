//! Log parsing against real archives, read in place from `/work/shared/realdata`
//! (never copied into the repository). Every test is skipped with a message when the
//! data is absent. The expected values were looked up in the files with grep/zcat.
#![forbid(unsafe_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

use casefile_ingest::logs::{parse_records, sniff_format};
use casefile_ingest::timefmt::{
    YearResolver, parse_date_output, parse_rfc3339, parse_timestamp_file,
};
use casefile_model::{LogFormat, LogLevel, LogRecord, Timestamp};

const AWS: &str = "openshift-must-gather-clean/test/files/must-gather-aws";
const AWS_IMAGE_DIR: &str = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-eede85cbd33388f7e18954e5ce8ad9616e91df05ace604966c0a44111d85c897";
const REDHATQE: &str =
    "RedHatQE-must-gather-explorer/must_gather_explorer/tests/manifests/must-gather-data/data";

fn realdata(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_gz(path: &Path) -> Vec<u8> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn count_level(recs: &[LogRecord], level: LogLevel) -> usize {
    recs.iter().filter(|r| r.level == Some(level)).count()
}

fn at_line(recs: &[LogRecord], line: u32) -> &LogRecord {
    recs.iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no record starts at line {line}"))
}

/// The AWS must-gather's collection time: the latest instant of the inner `timestamp` file.
fn aws_years() -> Option<YearResolver> {
    let path = realdata(&format!("{AWS}/{AWS_IMAGE_DIR}/timestamp"))?;
    let times = parse_timestamp_file(&read(&path));
    Some(YearResolver::new(
        times.into_iter().max().expect("timestamp file has times"),
    ))
}

fn aws_host_log(unit: &str) -> Option<Vec<u8>> {
    let path = realdata(&format!(
        "{AWS}/{AWS_IMAGE_DIR}/host_service_logs/masters/{unit}_service.log"
    ))?;
    Some(read(&path))
}

#[test]
fn aws_timestamp_files() {
    let Some(outer) = realdata(&format!("{AWS}/timestamp")) else {
        return;
    };
    assert_eq!(
        parse_timestamp_file(&read(&outer)),
        vec![
            ts("2021-08-03T10:11:56.91501602Z"),
            ts("2021-08-03T10:14:13.632016778Z")
        ],
        "outer file is +0200 CEST"
    );
    let Some(inner) = realdata(&format!("{AWS}/{AWS_IMAGE_DIR}/timestamp")) else {
        return;
    };
    let times = parse_timestamp_file(&read(&inner));
    assert_eq!(times.len(), 6);
    assert_eq!(times[0], ts("2021-08-03T10:12:00.016988581Z"));
    assert_eq!(times[5], ts("2021-08-03T10:13:47.364145495Z"));
}

#[test]
fn aws_kubelet_journal() {
    let (Some(data), Some(years)) = (aws_host_log("kubelet"), aws_years()) else {
        return;
    };
    assert_eq!(sniff_format(&data[..4096]), LogFormat::Journal);
    let recs = parse_records(&data, LogFormat::Journal, &years);
    // 13,516 lines minus 9 journald header lines; no continuation lines in this file
    assert_eq!(recs.len(), 13_507);
    assert!(
        recs.iter()
            .all(|r| r.end_line == r.line && r.at.is_some() && r.year_inferred)
    );

    let first = &recs[0];
    assert_eq!(first.line, 10);
    assert_eq!(first.at, Some(ts("2021-08-03T09:17:42.077259Z")));
    assert_eq!(first.host(&data), Some(&b"ip-10-0-195-177"[..]));
    assert_eq!(first.ident(&data), Some(&b"systemd"[..]));
    assert_eq!(first.pid, Some(1));
    assert_eq!(first.message(&data), b"Starting Kubernetes Kubelet...");
    assert_eq!(first.level, None);

    // Aug 03 09:17:48.107412 ip-10-0-195-177 hyperkube[1354]: E0803 09:17:48.107280 ... "Container runtime network not ready"
    let e = at_line(&recs, 322);
    assert_eq!(e.at, Some(ts("2021-08-03T09:17:48.107412Z")));
    assert_eq!(e.inner_at, Some(ts("2021-08-03T09:17:48.10728Z")));
    assert_eq!(e.level, Some(LogLevel::Error));
    assert_eq!(e.ident(&data), Some(&b"hyperkube"[..]));
    assert_eq!(e.pid, Some(1354));
    assert!(e.message(&data).starts_with(
        b"E0803 09:17:48.107280    1354 kubelet.go:2223] \"Container runtime network not ready\""
    ));

    // klog letters of the 12,756 hyperkube klog lines
    assert_eq!(count_level(&recs, LogLevel::Info), 10_361);
    assert_eq!(count_level(&recs, LogLevel::Warning), 583);
    assert_eq!(count_level(&recs, LogLevel::Error), 1_812);
    assert_eq!(recs.iter().filter(|r| r.inner_at.is_some()).count(), 12_756);

    let last = recs.last().expect("records");
    assert_eq!(last.at, Some(ts("2021-08-03T10:14:01.069246Z")));
    assert_eq!(last.inner_at, Some(ts("2021-08-03T10:14:01.069173Z")));
    assert_eq!(last.host(&data), Some(&b"ip-10-0-189-142"[..]));
}

#[test]
fn aws_crio_journal() {
    let (Some(data), Some(years)) = (aws_host_log("crio"), aws_years()) else {
        return;
    };
    assert_eq!(sniff_format(&data), LogFormat::Journal);
    let recs = parse_records(&data, LogFormat::Journal, &years);
    assert_eq!(recs.len(), 7_452);
    // 6 logrus `level=error` lines and 1 Multus `[error]` line
    assert_eq!(count_level(&recs, LogLevel::Error), 7);

    let multus = at_line(&recs, 1516);
    assert_eq!(multus.at, Some(ts("2021-08-03T09:20:20.302827Z")));
    assert_eq!(multus.inner_at, Some(ts("2021-08-03T09:20:20Z")));
    assert_eq!(multus.level, Some(LogLevel::Error));
    assert_eq!(multus.ident(&data), Some(&b"crio"[..]));

    let verbose = at_line(&recs, 192);
    assert_eq!(verbose.level, Some(LogLevel::Debug));
    assert_eq!(verbose.inner_at, Some(ts("2021-08-03T09:18:35Z")));

    let logrus = recs
        .iter()
        .find(|r| {
            r.message(&data)
                .starts_with(b"time=\"2021-08-03 09:21:22.276784981Z\"")
        })
        .expect("the formats.md crio line");
    assert_eq!(logrus.at, Some(ts("2021-08-03T09:21:22.276786Z")));
    assert_eq!(logrus.inner_at, Some(ts("2021-08-03T09:21:22.276784981Z")));
    assert_eq!(logrus.level, Some(LogLevel::Info));
}

#[test]
fn aws_network_manager_journal() {
    let (Some(data), Some(years)) = (aws_host_log("NetworkManager"), aws_years()) else {
        return;
    };
    let recs = parse_records(&data, LogFormat::Journal, &years);
    assert_eq!(recs.len(), 732);
    let info: Vec<_> = recs
        .iter()
        .filter(|r| r.level == Some(LogLevel::Info))
        .collect();
    assert_eq!(info.len(), 708);
    assert!(info.iter().all(|r| r.inner_at.is_some()));
    // Aug 03 09:15:59.508959 ... NetworkManager[1562]: <info>  [1627982159.5086] NetworkManager (version ...) is starting...
    let start = &recs[1];
    assert_eq!(start.at, Some(ts("2021-08-03T09:15:59.508959Z")));
    assert_eq!(start.inner_at, Some(ts("2021-08-03T09:15:59.5086Z")));
}

#[test]
fn aws_machine_config_daemon_host_has_only_headers() {
    let (Some(data), Some(years)) = (aws_host_log("machine-config-daemon-host"), aws_years())
    else {
        return;
    };
    assert_eq!(sniff_format(&data), LogFormat::Journal);
    assert!(parse_records(&data, LogFormat::Journal, &years).is_empty());
}

#[test]
fn aws_pod_logs() {
    let Some(years) = aws_years() else { return };
    let Some(sdn) = realdata(&format!(
        "{AWS}/{AWS_IMAGE_DIR}/namespaces/openshift-sdn/pods/sdn-4jf94/sdn/sdn/logs/current.log"
    )) else {
        return;
    };
    let data = read(&sdn);
    assert_eq!(sniff_format(&data), LogFormat::PodLog);
    let recs = parse_records(&data, LogFormat::PodLog, &years);
    assert_eq!(recs.len(), 1_689, "every line has an oc prefix");
    assert!(recs.iter().all(|r| !r.year_inferred && r.at.is_some()));
    let w = at_line(&recs, 8);
    assert_eq!(w.at, Some(ts("2021-08-03T09:18:29.911385129Z")));
    assert_eq!(w.inner_at, Some(ts("2021-08-03T09:18:29.911358Z")));
    assert_eq!(w.level, Some(LogLevel::Warning));
    assert_eq!(w.msg_start, 31);

    let Some(multus) = realdata(&format!(
        "{AWS}/{AWS_IMAGE_DIR}/namespaces/openshift-multus/pods/multus-jnt2b/kube-multus/kube-multus/logs/current.log"
    )) else {
        return;
    };
    let data = read(&multus);
    let recs = parse_records(&data, sniff_format(&data), &years);
    assert_eq!(recs.len(), 10);
    let warn = at_line(&recs, 2);
    assert_eq!(warn.at, Some(ts("2021-08-03T09:20:48.74147509Z")));
    assert_eq!(warn.inner_at, Some(ts("2021-08-03T09:20:48Z")));
    assert_eq!(warn.level, Some(LogLevel::Warning));
}

#[test]
fn hotsos_sosreport_journals() {
    let Some(date) = realdata("canonical-hotsos/sos_commands/date/date") else {
        return;
    };
    let collected = parse_date_output(&read(&date)).expect("sos date output");
    assert_eq!(collected, ts("2022-02-11T19:23:39Z"));
    let years = YearResolver::new(collected);

    let Some(kubelet) =
        realdata("canonical-hotsos/sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet")
    else {
        return;
    };
    let data = read(&kubelet);
    assert_eq!(sniff_format(&data), LogFormat::Journal);
    assert!(
        parse_records(&data, LogFormat::Journal, &years).is_empty(),
        "header + -- No entries --"
    );

    let Some(scheduler) = realdata(
        "canonical-hotsos/sos_commands/kubernetes/journalctl_--no-pager_--unit_snap.kube-scheduler.daemon",
    ) else {
        return;
    };
    let data = read(&scheduler);
    assert_eq!(sniff_format(&data), LogFormat::Journal);
    let recs = parse_records(&data, LogFormat::Journal, &years);
    assert_eq!(recs.len(), 1_740, "1,741 lines minus the header");
    let first = &recs[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.at, Some(ts("2022-02-11T19:03:12Z")));
    assert_eq!(first.host(&data), Some(&b"juju-110cc2-k8stest-4"[..]));
    assert_eq!(first.ident(&data), Some(&b"systemd"[..]));
    assert_eq!(count_level(&recs, LogLevel::Error), 107);
    assert_eq!(recs.iter().filter(|r| r.inner_at.is_some()).count(), 1_287);
}

#[test]
fn redhatqe_gzip_kubelet_journal() {
    // collection time: the must-gather pod's creationTimestamp in nodes/debug
    let Some(debug) = realdata(&format!("{REDHATQE}/nodes/debug")) else {
        return;
    };
    let debug = read(&debug);
    let key = b"\"creationTimestamp\": \"";
    let at = debug
        .windows(key.len())
        .position(|w| w == key)
        .expect("creationTimestamp in nodes/debug")
        + key.len();
    let collected = parse_rfc3339(&debug[at..at + 20]).expect("creationTimestamp value");
    assert_eq!(collected, ts("2024-12-01T11:14:42Z"));
    let years = YearResolver::new(collected);

    let Some(gz) = realdata(&format!(
        "{REDHATQE}/nodes/qemtv-05-s8dvn-master-1/qemtv-05-s8dvn-master-1_logs_kubelet.gz"
    )) else {
        return;
    };
    let data = read_gz(&gz);
    assert_eq!(
        sniff_format(&data),
        LogFormat::Journal,
        "no journald header in this file"
    );
    let recs = parse_records(&data, LogFormat::Journal, &years);
    assert_eq!(recs.len(), 1_413);
    let first = &recs[0];
    assert_eq!(first.line, 1);
    assert_eq!(first.at, Some(ts("2024-12-01T10:19:43.788674Z")));
    assert_eq!(first.inner_at, Some(ts("2024-12-01T10:19:43.787016Z")));
    assert_eq!(first.level, Some(LogLevel::Info));
    assert_eq!(first.ident(&data), Some(&b"kubenswrapper"[..]));
    assert_eq!(first.pid, Some(2992));
    assert_eq!(count_level(&recs, LogLevel::Error), 125);
    assert_eq!(
        recs.last().and_then(|r| r.at),
        Some(ts("2024-12-01T11:15:34.778609Z"))
    );
}

#[test]
fn insights_node_log() {
    let Some(path) = realdata(
        "openshift-insights-operator/docs/insights-archive-sample/config/node/logs/ip-10-0-135-228.us-east-2.compute.internal.log",
    ) else {
        return;
    };
    let data = read(&path);
    assert_eq!(sniff_format(&data), LogFormat::Journal);
    // the sample carries no collection time; the year does not matter for these checks
    let years = YearResolver::new(ts("2023-11-11T00:00:00Z"));
    let recs = parse_records(&data, LogFormat::Journal, &years);
    assert_eq!(recs.len(), 50);
    assert_eq!(count_level(&recs, LogLevel::Error), 42);
    assert_eq!(recs[0].at, Some(ts("2023-11-10T14:17:41.900439Z")));
    assert_eq!(recs[0].ident(&data), Some(&b"kubenswrapper"[..]));
    assert_eq!(recs[0].pid, Some(2296));
}
