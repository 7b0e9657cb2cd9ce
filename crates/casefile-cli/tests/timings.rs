//! `--timings` reports each phase on stderr and leaves stdout as it is.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn diagnose(timings: bool, cache: &Path) -> (Vec<u8>, String) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casefile"));
    if timings {
        cmd.arg("--timings");
    }
    let out = cmd
        .arg("diagnose")
        .arg(&case)
        .env("CASEFILE_CACHE_DIR", cache)
        .output()
        .unwrap();
    assert!(out.status.success());
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn timings_go_to_stderr_and_the_report_is_unchanged() {
    let cache = tempfile::tempdir().unwrap();
    let (cold, stderr) = diagnose(true, cache.path());
    // A cold open reads and indexes each input, then decodes the snapshot.
    for phase in [
        "open: read ",
        "open: index ",
        "snapshot: decode ",
        "signature scan",
        "total",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("timing: {phase}"))),
            "no {phase:?} line in:\n{stderr}"
        );
    }
    assert!(stderr.contains(" ms"));
    // Warm: the kept snapshot is loaded, not decoded; without the flag, no timing lines.
    let (warm, stderr) = diagnose(true, cache.path());
    assert!(stderr.contains("timing: snapshot: load kept"));
    assert!(!stderr.contains("timing: snapshot: decode "));
    let (plain, stderr) = diagnose(false, cache.path());
    assert!(!stderr.contains("timing:"), "{stderr}");
    assert_eq!(cold, plain);
    assert_eq!(warm, plain);
}
