//! `casefile index` on bad input, as a user runs it: an unreadable input is one sentence on
//! stderr and a non-zero exit; a partly damaged archive still prints its summary, with a
//! `warning:` line naming the damaged member.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `casefile index` with a private cache directory.
fn index(cache: &Path, inputs: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casefile"))
        .env("CASEFILE_CACHE_DIR", cache)
        .arg("index")
        .args(inputs)
        .output()
        .unwrap()
}

fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A POSIX tar header block, written by hand (the binary crate does not depend on `tar`).
fn header(name: &str, size: usize) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"14100000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

fn member(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    out.extend_from_slice(&header(name, data.len()));
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

const IMG: &str = "mg/quay-io-openshift-release-dev-ocp-v4-0-art-dev";

fn must_gather_members(out: &mut Vec<u8>) {
    member(
        out,
        "mg/timestamp",
        b"2021-08-03 10:12:00.016988581 +0000 UTC m=+0.380233555\n",
    );
    member(
        out,
        &format!("{IMG}/version"),
        b"openshift/must-gather\n4.0-art-dev\n",
    );
    let node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: ip-10-0-1-2.ec2.internal\n";
    member(
        out,
        &format!("{IMG}/cluster-scoped-resources/core/nodes/n1.yaml"),
        node.as_bytes(),
    );
}

#[test]
fn non_archive_is_one_line_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "this is not an archive\n").unwrap();
    let empty = dir.path().join("must-gather.tar.gz");
    std::fs::write(&empty, b"").unwrap();
    let bzip2 = dir.path().join("sosreport.tar.bz2");
    std::fs::write(&bzip2, b"BZh91AY&SY\0\0\0\0").unwrap();
    let missing = dir.path().join("missing.tar.xz");
    for input in [&notes, &empty, &bzip2, &missing] {
        let out = index(&cache, &[input]);
        assert!(!out.status.success(), "{}", input.display());
        let lines = stderr_lines(&out);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains(&input.display().to_string()), "{lines:?}");
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // One unreadable input fails the whole case, even next to a good one.
    let mut good = Vec::new();
    must_gather_members(&mut good);
    good.resize(good.len() + 1024, 0);
    let good_path = dir.path().join("good.tar");
    std::fs::write(&good_path, &good).unwrap();
    let out = index(&cache, &[&good_path, &notes]);
    assert!(!out.status.success());
    assert_eq!(stderr_lines(&out).len(), 1);
}

#[test]
fn damaged_member_is_a_warning_and_the_rest_is_summarized() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let mut tar = Vec::new();
    must_gather_members(&mut tar);
    // A member whose header checksum is wrong, then more good members.
    let damaged_at = tar.len();
    member(&mut tar, "mg/damaged.log", b"lost\n");
    tar[damaged_at + 136] = b'7';
    let cm = "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-a\n    namespace: ns1\nkind: ConfigMapList\n";
    member(
        &mut tar,
        &format!("{IMG}/namespaces/ns1/core/configmaps.yaml"),
        cm.as_bytes(),
    );
    tar.resize(tar.len() + 1024, 0);
    let path = dir.path().join("damaged.tar");
    std::fs::write(&path, &tar).unwrap();

    let out = index(&cache, &[&path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = stderr_lines(&out);
    assert!(out.status.success(), "{lines:?}");
    assert!(
        stdout.contains("Nodes (1):") && stdout.contains("ip-10-0-1-2.ec2.internal"),
        "{stdout}"
    );
    assert!(stdout.contains("Objects: 2"), "{stdout}");
    assert!(stdout.contains("Warnings: 1"), "{stdout}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("warning: ")
            && lines[0].contains(&path.display().to_string())
            && lines[0].contains("mg/damaged.log"),
        "{lines:?}"
    );

    // A member cut short at the end of the file: the summary still prints, the member is named.
    let mut cut = Vec::new();
    must_gather_members(&mut cut);
    member(&mut cut, "mg/kubelet.log", &vec![b'x'; 4096]);
    cut.truncate(cut.len() - 3000);
    let path = dir.path().join("cut.tar");
    std::fs::write(&path, &cut).unwrap();
    let out = index(&cache, &[&path]);
    let lines = stderr_lines(&out);
    assert!(out.status.success(), "{lines:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ip-10-0-1-2.ec2.internal"));
    assert!(
        !lines.is_empty()
            && lines
                .iter()
                .all(|l| l.starts_with("warning: ") && l.contains("mg/kubelet.log")),
        "{lines:?}"
    );
}
