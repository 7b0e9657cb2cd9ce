//! Hostile and damaged inputs, generated in the test: every case must load without a panic,
//! report a diagnostic naming the offending member (or the archive), keep every other member,
//! and stay within small [`Limits`] in time and memory.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casefile_ingest::archive::{Codec, DataLoc, EntryKind, Limits};
use casefile_ingest::{Case, CaseOptions, Error};
use casefile_model::{Diagnostic, DiagnosticKind};
use tempfile::TempDir;

/// Member names and contents.
type Members = Vec<(String, Vec<u8>)>;

// ---------------------------------------------------------------------------------------------
// Building archives
// ---------------------------------------------------------------------------------------------

/// Writes tar members with raw names (no validation), so hostile names can be produced.
struct TarBuf {
    b: tar::Builder<Vec<u8>>,
}

impl TarBuf {
    fn new() -> Self {
        Self {
            b: tar::Builder::new(Vec::new()),
        }
    }

    fn header(name: &[u8], kind: tar::EntryType, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        let short = &name[..name.len().min(99)];
        h.as_old_mut().name[..short.len()].copy_from_slice(short);
        h.set_mode(0o644);
        h.set_mtime(1_627_985_533);
        h.set_size(size);
        h.set_entry_type(kind);
        h.set_cksum();
        h
    }

    /// Appends a member; names of 100 bytes or more get a GNU long-name record first.
    fn put(
        &mut self,
        name: &[u8],
        kind: tar::EntryType,
        data: &[u8],
        link: Option<&[u8]>,
    ) -> &mut Self {
        if name.len() >= 100 {
            let mut full = name.to_vec();
            full.push(0);
            let h = Self::header(
                b"././@LongLink",
                tar::EntryType::GNULongName,
                full.len() as u64,
            );
            self.b.append(&h, &full[..]).unwrap();
        }
        let mut h = Self::header(name, kind, data.len() as u64);
        if let Some(target) = link {
            h.set_link_name_literal(target).unwrap();
        }
        if matches!(kind, tar::EntryType::Char | tar::EntryType::Block) {
            h.set_device_major(1).unwrap();
            h.set_device_minor(3).unwrap();
        }
        h.set_cksum();
        self.b.append(&h, data).unwrap();
        self
    }

    fn file(&mut self, name: &[u8], data: &[u8]) -> &mut Self {
        self.put(name, tar::EntryType::Regular, data, None)
    }

    fn files(&mut self, members: &[(String, Vec<u8>)]) -> &mut Self {
        for (n, d) in members {
            self.file(n.as_bytes(), d);
        }
        self
    }

    fn link(&mut self, name: &[u8], target: &[u8], kind: tar::EntryType) -> &mut Self {
        self.put(name, kind, &[], Some(target))
    }

    fn special(&mut self, name: &[u8], kind: tar::EntryType) -> &mut Self {
        self.put(name, kind, &[], None)
    }

    /// A member whose header checksum does not match (its mtime was changed afterwards).
    fn bad_checksum(&mut self, name: &[u8], data: &[u8]) -> &mut Self {
        let mut h = Self::header(name, tar::EntryType::Regular, data.len() as u64);
        h.as_old_mut().mtime = *b"77777777777\0";
        self.b.append(&h, data).unwrap();
        self
    }

    /// A GNU long-name record followed by the member it names (whatever bytes the name has).
    fn long_name(&mut self, name: &[u8], data: &[u8]) -> &mut Self {
        let mut full = name.to_vec();
        full.push(0);
        let h = Self::header(
            b"././@LongLink",
            tar::EntryType::GNULongName,
            full.len() as u64,
        );
        self.b.append(&h, &full[..]).unwrap();
        let h = Self::header(b"placeholder", tar::EntryType::Regular, data.len() as u64);
        self.b.append(&h, data).unwrap();
        self
    }

    fn finish(&mut self) -> Vec<u8> {
        let b = std::mem::replace(&mut self.b, tar::Builder::new(Vec::new()));
        b.into_inner().unwrap()
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    liblzma::read::XzEncoder::new(data, 6)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn zst(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).unwrap()
}

/// Deterministic, poorly compressible text (so compressed offsets track member offsets).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.push(if i % 80 == 79 {
            b'\n'
        } else {
            b'!' + ((x >> 33) % 90) as u8
        });
    }
    out
}

/// Reads a (possibly damaged) gzip stream as far as it decodes.
fn gunzip_prefix(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut d = flate2::read::MultiGzDecoder::new(data);
    let mut buf = [0u8; 4096];
    loop {
        match d.read(&mut buf) {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A small but real-looking must-gather
// ---------------------------------------------------------------------------------------------

const IMG: &str = "mg/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0000";

fn good_members() -> Members {
    let cm = "---\napiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    k: v\n  kind: ConfigMap\n  metadata:\n    name: cm-a\n    namespace: ns1\n    uid: 11111111-0000-0000-0000-00000000000a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-b\n    namespace: ns1\n    uid: 11111111-0000-0000-0000-00000000000b\nkind: ConfigMapList\nmetadata:\n  resourceVersion: \"\"\n";
    let node = "---\napiVersion: v1\nkind: Node\nmetadata:\n  labels:\n    node-role.kubernetes.io/master: \"\"\n  name: ip-10-0-1-2.ec2.internal\n  uid: 22222222-0000-0000-0000-000000000001\nstatus:\n  nodeInfo:\n    kubeletVersion: v1.21.1\n";
    vec![
        (
            "mg/timestamp".into(),
            b"2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915\n".to_vec(),
        ),
        (
            format!("{IMG}/version"),
            b"openshift/must-gather\n4.0-art-dev\n".to_vec(),
        ),
        (
            format!("{IMG}/timestamp"),
            b"2021-08-03 10:12:00.016988581 +0000 UTC m=+0.380233555\n".to_vec(),
        ),
        (
            format!("{IMG}/namespaces/ns1/core/configmaps.yaml"),
            cm.as_bytes().to_vec(),
        ),
        (
            format!("{IMG}/cluster-scoped-resources/core/nodes/ip-10-0-1-2.ec2.internal.yaml"),
            node.as_bytes().to_vec(),
        ),
        (
            format!("{IMG}/host_service_logs/masters/kubelet_service.log"),
            b"Aug 03 09:17:42.077259 ip-10-0-1-2 systemd[1]: Starting Kubernetes Kubelet...\n"
                .to_vec(),
        ),
    ]
}

/// The good members split around a hostile middle.
fn good_halves() -> (Members, Members) {
    let mut all = good_members();
    let tail = all.split_off(3);
    (all, tail)
}

fn small_limits() -> Limits {
    Limits {
        max_entry_bytes: 32 << 20,
        max_total_bytes: 128 << 20,
        max_ratio: 50,
        ratio_floor_bytes: 1 << 20,
        max_nesting: 3,
        max_entries: 10_000,
        max_xz_memory: 64 << 20,
    }
}

/// A temporary input file plus the cache directory it is opened with.
struct Input {
    dir: TempDir,
    path: PathBuf,
}

fn write_input(name: &str, bytes: &[u8]) -> Input {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    Input { dir, path }
}

/// Opens an input with a fresh cache directory; fails the test if it takes absurdly long.
fn try_open(input: &Input, limits: Limits) -> Result<Case, Error> {
    let cache = input.dir.path().join("cache");
    let opts = CaseOptions {
        cache_dir: Some(cache),
        limits,
        ..CaseOptions::default()
    };
    let started = Instant::now();
    let r = Case::open(std::slice::from_ref(&input.path), &opts);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    r
}

fn open_ok(input: &Input, limits: Limits) -> Case {
    try_open(input, limits).unwrap_or_else(|e| panic!("{e}"))
}

fn open_bytes(name: &str, bytes: &[u8]) -> (Input, Case) {
    let input = write_input(name, bytes);
    let case = open_ok(&input, small_limits());
    (input, case)
}

fn find_diag(case: &Case, path: &str, kind: DiagnosticKind) -> Diagnostic {
    let all = case.diagnostics();
    all.iter()
        .find(|d| d.path == path && d.kind == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind:?} diagnostic for {path:?} in {all:#?}"))
}

fn content(case: &Case, path: &str) -> Option<Vec<u8>> {
    let data = &case.archives()[0].data;
    let id = data.find(path)?;
    data.content(id).ok().map(std::borrow::Cow::into_owned)
}

fn entry<'a>(case: &'a Case, path: &str) -> &'a casefile_ingest::archive::Entry {
    let data = &case.archives()[0].data;
    let id = data.find(path).unwrap_or_else(|| panic!("{path} missing"));
    &data.entries[id as usize]
}

/// Every good member is there, intact, and its objects are indexed.
fn assert_good_loaded(case: &Case, prefix: &str) {
    for (p, d) in good_members() {
        let p = format!("{prefix}{p}");
        assert_eq!(content(case, &p).as_deref(), Some(&d[..]), "{p}");
        assert!(!entry(case, &p).truncated, "{p}");
    }
    let mut names: Vec<String> = case
        .objects()
        .iter()
        .map(|r| case.record(*r).meta.name.clone())
        .collect();
    names.sort();
    for want in ["cm-a", "cm-b", "ip-10-0-1-2.ec2.internal"] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} not indexed: {names:?}"
        );
    }
}

fn assert_one_sentence(e: &Error, file: &Path) {
    let text = e.to_string();
    assert!(text.contains(&file.display().to_string()), "{text}");
    assert!(!text.contains('\n'), "{text}");
    assert!(text.len() < 300, "{text}");
}

// ---------------------------------------------------------------------------------------------
// Truncation and corruption of the container
// ---------------------------------------------------------------------------------------------

/// Three members with known offsets in the tar stream: headers at 0, 3584 and 24576.
fn three_members() -> (Members, Vec<u8>) {
    let members = vec![
        ("mg/a.log".to_owned(), noise(3000, 1)),
        ("mg/b.log".to_owned(), noise(20_000, 2)),
        ("mg/c.log".to_owned(), noise(3000, 3)),
    ];
    let tar = TarBuf::new().files(&members).finish();
    (members, tar)
}

const HEADERS: [usize; 3] = [0, 3584, 24_576];

/// Checks a case read from a tar stream of [`three_members`] whose first `avail` bytes survive.
fn check_cut(r: Result<Case, Error>, input: &Input, avail: usize) {
    let (members, _) = three_members();
    if avail < 512 + 1 {
        // Not even one whole header: the archive as a whole is unreadable.
        let Err(e) = r else {
            panic!("a cut at {avail} should be fatal")
        };
        assert_one_sentence(&e, &input.path);
        return;
    }
    let case = r.unwrap_or_else(|e| panic!("cut at {avail}: {e}"));
    let diags = case.diagnostics();
    assert!(!diags.is_empty(), "cut at {avail}: no diagnostic");
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        diags.iter().all(|d| names.contains(&d.path.as_str())),
        "cut at {avail}: {diags:#?}"
    );
    for (i, (name, data)) in members.iter().enumerate() {
        let start = HEADERS[i] + 512;
        if start + data.len() <= avail {
            assert_eq!(
                content(&case, name).as_deref(),
                Some(&data[..]),
                "cut at {avail}: {name} intact"
            );
        } else if start <= avail {
            let got = content(&case, name).unwrap();
            assert!(
                data.starts_with(&got) && got.len() < data.len(),
                "cut at {avail}: {name} is a prefix"
            );
            assert!(
                entry(&case, name).truncated,
                "cut at {avail}: {name} flagged as cut"
            );
            assert!(
                diags.iter().any(|d| &d.path == name),
                "cut at {avail}: {name} named: {diags:#?}"
            );
        } else {
            assert!(
                content(&case, name).is_none(),
                "cut at {avail}: {name} absent"
            );
        }
    }
}

#[test]
fn truncated_plain_tar_at_several_offsets() {
    let (_, tar) = three_members();
    // mid-header of a, mid-data of b, mid-header of c, at the header boundary of c, inside c.
    for cut in [
        300,
        HEADERS[1] + 512 + 10_000,
        HEADERS[2] + 200,
        HEADERS[2],
        HEADERS[2] + 512 + 1000,
    ] {
        let input = write_input("cut.tar", &tar[..cut]);
        check_cut(try_open(&input, small_limits()), &input, cut);
    }
}

#[test]
fn truncated_tar_gz_at_several_offsets() {
    let (_, tar) = three_members();
    let full = gz(&tar);
    // Pick compressed cut points whose decodable prefix lands where we want it.
    let targets = [
        100,
        HEADERS[1] + 512 + 10_000,
        HEADERS[2] + 100,
        HEADERS[2] + 512 + 1500,
        tar.len(),
    ];
    let mut seen = Vec::new();
    for target in targets {
        let (mut lo, mut hi) = (0, full.len() - 1);
        while lo < hi {
            let mid = usize::midpoint(lo, hi);
            if gunzip_prefix(&full[..mid]).len() >= target {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        seen.push(lo);
    }
    seen.push(full.len() - 4); // inside the gzip trailer: all data there, the CRC/size check fails
    for cut in seen {
        let avail = gunzip_prefix(&full[..cut]).len();
        let input = write_input("cut.tar.gz", &full[..cut]);
        check_cut(try_open(&input, small_limits()), &input, avail);
    }
}

#[test]
fn corrupt_gzip_bytes_in_the_middle() {
    let (members, tar) = three_members();
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    let full = gz(&tar);
    for (at, pattern) in [
        (full.len() / 3, 0x5a),
        (full.len() / 2, 0xff),
        (full.len() * 2 / 3, 0x5a),
        (full.len() * 2 / 3, 0x01),
    ] {
        let mut bad = full.clone();
        for b in &mut bad[at..at + 16] {
            *b ^= pattern;
        }
        let input = write_input("corrupt.tar.gz", &bad);
        let case = open_ok(&input, small_limits());
        let diags = case.diagnostics();
        eprintln!("corrupt at {at}: {diags:?}");
        // The damage is reported under a real member, and what was decoded before it is intact.
        assert!(!diags.is_empty(), "corrupt at {at}");
        assert!(
            diags
                .iter()
                .all(|d| names.contains(&d.path.as_str()) && d.kind == DiagnosticKind::Corrupt),
            "corrupt at {at}: {diags:#?}"
        );
        let decoded = gunzip_prefix(&bad[..at]).len();
        for (i, (name, data)) in members.iter().enumerate() {
            if HEADERS[i] + 512 + data.len() + 512 < decoded {
                assert_eq!(
                    content(&case, name).as_deref(),
                    Some(&data[..]),
                    "corrupt at {at}: {name}"
                );
            }
        }
    }
}

#[test]
fn corrupt_and_truncated_xz() {
    let (members, tar) = three_members();
    let full = xz(&tar);
    // Truncated at 60%: a is intact, a member is named.
    let input = write_input("cut.tar.xz", &full[..full.len() * 6 / 10]);
    let case = open_ok(&input, small_limits());
    assert_eq!(
        content(&case, "mg/a.log").as_deref(),
        Some(&members[0].1[..])
    );
    assert!(
        case.diagnostics()
            .iter()
            .any(|d| d.path.starts_with("mg/") && d.kind == DiagnosticKind::Corrupt),
        "{:#?}",
        case.diagnostics()
    );
    // Corrupt bytes in the middle.
    let mut bad = full.clone();
    let mid = bad.len() / 2;
    for b in &mut bad[mid..mid + 8] {
        *b ^= 0xff;
    }
    let input = write_input("corrupt.tar.xz", &bad);
    let case = open_ok(&input, small_limits());
    assert!(!case.diagnostics().is_empty());
    // Damaged right after the stream header: nothing readable, one sentence naming the file.
    let mut head = full.clone();
    for b in &mut head[12..40] {
        *b = 0;
    }
    let input = write_input("dead.tar.xz", &head);
    assert_one_sentence(
        &try_open(&input, small_limits()).err().unwrap(),
        &input.path,
    );
}

#[test]
fn bad_header_checksum_then_good_members() {
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .bad_checksum(b"mg/damaged.log", &noise(2000, 9))
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("bad-header.tar", &bytes);
    let d = find_diag(&case, "mg/damaged.log", DiagnosticKind::Corrupt);
    assert!(d.message.contains("checksum"), "{}", d.message);
    assert!(content(&case, "mg/damaged.log").is_none());
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
}

// ---------------------------------------------------------------------------------------------
// Paths and links
// ---------------------------------------------------------------------------------------------

#[test]
fn dotdot_and_absolute_member_paths() {
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"../../etc/evil", b"x")
        .file(b"mg/../../escape", b"y")
        .file(b"/etc/absolute.conf", b"z")
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("paths.tar.gz", &gz(&bytes));
    find_diag(&case, "../../etc/evil", DiagnosticKind::UnsafePath);
    find_diag(&case, "mg/../../escape", DiagnosticKind::UnsafePath);
    let data = &case.archives()[0].data;
    assert!(
        data.entries
            .iter()
            .all(|e| !e.path.contains("..") && !e.path.starts_with('/'))
    );
    // An absolute member is kept under its relative path, with a warning.
    find_diag(&case, "etc/absolute.conf", DiagnosticKind::UnsafePath);
    assert_eq!(
        content(&case, "etc/absolute.conf").as_deref(),
        Some(&b"z"[..])
    );
    assert_good_loaded(&case, "");
}

#[test]
fn members_left_unread_are_stepped_over_to_the_next_header() {
    // A refused member's data is never read: the reader skips it and its padding to reach
    // the next header. Sizes around a block and around the reader's skip chunk (8 KiB).
    for size in [1usize, 511, 512, 513, 8191, 8192, 8193, 100_003] {
        let (before, after) = good_halves();
        let tar = TarBuf::new()
            .files(&before)
            .file(b"../skipped", &noise(size, size as u64))
            .files(&after)
            .finish();
        for (name, bytes) in [
            ("s.tar", tar.clone()),
            ("s.tar.gz", gz(&tar)),
            ("s.tar.xz", xz(&tar)),
        ] {
            let (_in, case) = open_bytes(name, &bytes);
            find_diag(&case, "../skipped", DiagnosticKind::UnsafePath);
            assert_good_loaded(&case, "");
            assert!(
                case.diagnostics().len() == 1,
                "{name}, {size} bytes skipped: {:#?}",
                case.diagnostics()
            );
        }
    }
}

#[test]
fn a_stream_cut_inside_a_member_left_unread() {
    let (before, _) = good_halves();
    let tar = TarBuf::new()
        .files(&before)
        .file(b"../skipped", &noise(100_003, 7))
        .file(b"mg/after", b"never reached")
        .finish();
    let cut = tar.len() - 2 * 512 - 1024 - 60_000;
    let (_in, case) = open_bytes("cut.tar", &tar[..cut]);
    for (p, d) in &before {
        assert_eq!(content(&case, p).as_deref(), Some(&d[..]), "{p}");
    }
    assert!(content(&case, "mg/after").is_none());
    let last = &before.last().unwrap().0;
    let d = find_diag(&case, last, DiagnosticKind::Corrupt);
    assert!(d.message.contains("damaged or cut short"), "{}", d.message);
}

#[test]
fn symlinks_outside_and_in_a_loop() {
    let (before, after) = good_halves();
    let sym = tar::EntryType::Symlink;
    let bytes = TarBuf::new()
        .files(&before)
        .link(b"mg/passwd", b"../../etc/passwd", sym)
        .link(b"mg/shadow", b"/etc/shadow", sym)
        .link(b"mg/loop-a", b"loop-b", sym)
        .link(b"mg/loop-b", b"loop-a", sym)
        .link(b"mg/self", b"self", sym)
        .link(b"mg/ok", b"timestamp", sym)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("links.tar.gz", &gz(&bytes));
    let data = &case.archives()[0].data;
    for p in ["mg/passwd", "mg/shadow"] {
        find_diag(&case, p, DiagnosticKind::BadLink);
        assert_eq!(entry(&case, p).kind, EntryKind::Symlink(None));
        assert!(data.content(data.find(p).unwrap()).is_err(), "{p}");
    }
    for p in ["mg/loop-a", "mg/loop-b", "mg/self"] {
        let started = Instant::now();
        let r = data.content(data.find(p).unwrap());
        assert!(r.is_err(), "{p}");
        assert!(started.elapsed() < Duration::from_millis(100));
        assert_eq!(data.resolve(data.find(p).unwrap()), None);
    }
    // A link inside the archive is followed.
    assert_eq!(content(&case, "mg/ok"), content(&case, "mg/timestamp"));
    assert_good_loaded(&case, "");
}

#[test]
fn hard_links_to_a_member_and_to_a_missing_member() {
    let (before, after) = good_halves();
    let hard = tar::EntryType::Link;
    let bytes = TarBuf::new()
        .files(&before)
        .link(
            b"mg/copy-of-version",
            format!("{IMG}/version").as_bytes(),
            hard,
        )
        .link(b"mg/ghost", b"mg/not-there", hard)
        .link(b"mg/up", b"../../etc/passwd", hard)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("hardlinks.tar", &bytes);
    assert_eq!(
        content(&case, "mg/copy-of-version").as_deref(),
        Some(&b"openshift/must-gather\n4.0-art-dev\n"[..])
    );
    let data = &case.archives()[0].data;
    assert!(data.content(data.find("mg/ghost").unwrap()).is_err());
    let d = find_diag(&case, "mg/ghost", DiagnosticKind::BadLink);
    assert!(d.message.contains("mg/not-there"), "{}", d.message);
    find_diag(&case, "mg/up", DiagnosticKind::BadLink);
    assert!(data.content(data.find("mg/up").unwrap()).is_err());
    assert_good_loaded(&case, "");
}

#[test]
fn device_and_fifo_entries() {
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .special(b"mg/dev/null", tar::EntryType::Char)
        .special(b"mg/dev/sda", tar::EntryType::Block)
        .special(b"mg/pipe", tar::EntryType::Fifo)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("devices.tar.gz", &gz(&bytes));
    for p in ["mg/dev/null", "mg/dev/sda", "mg/pipe"] {
        find_diag(&case, p, DiagnosticKind::Unsupported);
        assert!(case.archives()[0].data.find(p).is_none());
    }
    assert_good_loaded(&case, "");
}

// ---------------------------------------------------------------------------------------------
// Sizes, ratios and nesting
// ---------------------------------------------------------------------------------------------

#[test]
fn gzip_bomb_member_is_cut_by_the_ratio_cap() {
    // 200 MB of zeros compress to about 200 KB.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    let (before, after) = good_halves();
    let name = format!("{IMG}/namespaces/ns1/pods/p/c/c/logs/rotated/0.log.20210803-101200.gz");
    let bytes = TarBuf::new()
        .files(&before)
        .file(name.as_bytes(), &bomb)
        .files(&after)
        .finish();
    let limits = Limits {
        max_ratio: 20,
        ratio_floor_bytes: 1 << 20,
        ..small_limits()
    };
    let cap = (bomb.len() as u64 * 20).max(1 << 20);
    let input = write_input("bomb.tar.gz", &gz(&bytes));
    let started = Instant::now();
    let case = open_ok(&input, limits);
    eprintln!(
        "gzip bomb ({} compressed bytes): {:?}",
        bomb.len(),
        started.elapsed()
    );
    let d = find_diag(&case, &name, DiagnosticKind::Limit);
    assert!(d.message.contains("cap"), "{}", d.message);
    let e = entry(&case, &name);
    assert_eq!(
        (e.size, e.truncated, e.codec),
        (cap, true, Some(Codec::Gzip))
    );
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1);
}

#[test]
fn total_bytes_cap_lists_later_members_without_content() {
    let (before, after) = good_halves();
    let big: Members = (0..5)
        .map(|i| (format!("mg/big-{i}.log"), noise(1 << 20, i)))
        .collect();
    let bytes = TarBuf::new()
        .files(&before)
        .files(&big)
        .files(&after)
        .finish();
    let limits = Limits {
        max_total_bytes: (5 << 20) / 2,
        ..small_limits()
    };
    let input = write_input("total.tar.gz", &gz(&bytes));
    let case = open_ok(&input, limits);
    assert_eq!(
        content(&case, "mg/big-0.log").as_deref(),
        Some(&big[0].1[..])
    );
    assert_eq!(
        content(&case, "mg/big-1.log").as_deref(),
        Some(&big[1].1[..])
    );
    find_diag(&case, "mg/big-2.log", DiagnosticKind::Limit);
    for i in 2..5 {
        let e = entry(&case, &format!("mg/big-{i}.log"));
        assert_eq!((e.size, e.truncated), (0, true));
    }
    let stored: u64 = case.archives()[0].data.entries.iter().map(|e| e.size).sum();
    assert!(stored <= (5 << 20) / 2, "{stored}");
    // Members after the cap are still listed.
    for (p, _) in &after {
        assert!(case.archives()[0].data.find(p).is_some(), "{p}");
    }
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
}

#[test]
fn single_member_cap() {
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/huge.log", &noise(3 << 20, 5))
        .files(&after)
        .finish();
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        ..small_limits()
    };
    let input = write_input("entry.tar.xz", &xz(&bytes));
    let case = open_ok(&input, limits);
    find_diag(&case, "mg/huge.log", DiagnosticKind::Limit);
    let e = entry(&case, "mg/huge.log");
    assert_eq!((e.size, e.truncated), (1 << 20, true));
    assert_good_loaded(&case, "");
}

#[test]
fn nesting_deeper_than_the_cap() {
    // l1.tgz holds l2.tgz holds l3.tgz holds l4.tgz; each level also holds a note.
    let mut inner = TarBuf::new().file(b"note-4.txt", b"level 4").finish();
    for level in (1..=3).rev() {
        let name = format!("l{}.tgz", level + 1);
        inner = TarBuf::new()
            .file(
                format!("note-{level}.txt").as_bytes(),
                format!("level {level}").as_bytes(),
            )
            .file(name.as_bytes(), &gz(&inner))
            .finish();
    }
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/l1.tgz", &gz(&inner))
        .files(&after)
        .finish();
    let limits = Limits {
        max_nesting: 2,
        ..small_limits()
    };
    let input = write_input("nested.tar.gz", &gz(&bytes));
    let case = open_ok(&input, limits);
    assert_eq!(
        content(&case, "mg/l1.tgz!/note-1.txt").as_deref(),
        Some(&b"level 1"[..])
    );
    assert_eq!(
        content(&case, "mg/l1.tgz!/l2.tgz!/note-2.txt").as_deref(),
        Some(&b"level 2"[..])
    );
    // The third level is too deep: kept as the compressed bytes, with a warning.
    let deep = "mg/l1.tgz!/l2.tgz!/l3.tgz";
    find_diag(&case, deep, DiagnosticKind::Nesting);
    assert_eq!(entry(&case, deep).kind, EntryKind::File);
    assert!(content(&case, deep).unwrap().starts_with(&[0x1f, 0x8b]));
    assert!(
        case.archives()[0]
            .data
            .entries
            .iter()
            .all(|e| !e.path.contains("l3.tgz!/"))
    );
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
}

#[test]
fn concatenated_gzip_members_are_all_read() {
    let mut members = good_members();
    let mut multi = gz(b"first part\n");
    multi.extend(gz(b"second part\n"));
    members.push(("mg/rotated.log.gz".into(), multi));
    let tar = TarBuf::new().files(&members).finish();
    // The outer stream is itself two gzip members, split in the middle of a tar header.
    let split = 512 * 3 + 100;
    let mut outer = gz(&tar[..split]);
    outer.extend(gz(&tar[split..]));
    let (_in, case) = open_bytes("multi.tar.gz", &outer);
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    assert_good_loaded(&case, "");
    assert_eq!(
        content(&case, "mg/rotated.log.gz").as_deref(),
        Some(&b"first part\nsecond part\n"[..])
    );
    assert_eq!(entry(&case, "mg/rotated.log.gz").codec, Some(Codec::Gzip));
}

// ---------------------------------------------------------------------------------------------
// Names and content
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_member_name() {
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/bad-\xff\xfe.log", b"still here")
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("utf8.tar.gz", &gz(&bytes));
    let shown = "mg/bad-\u{fffd}\u{fffd}.log";
    find_diag(&case, shown, DiagnosticKind::Encoding);
    assert_eq!(content(&case, shown).as_deref(), Some(&b"still here"[..]));
    assert_good_loaded(&case, "");
}

#[test]
fn nul_in_a_member_name() {
    // The 100-byte name field ends at the first NUL, so a NUL inside a name needs a GNU
    // long-name record.
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .long_name(b"mg/nul\0name.log", b"hidden")
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("nul.tar", &bytes);
    let d = find_diag(&case, "mg/nul\\0name.log", DiagnosticKind::UnsafePath);
    assert!(d.message.contains("refused"), "{}", d.message);
    assert!(
        case.archives()[0]
            .data
            .entries
            .iter()
            .all(|e| !e.path.contains('\0') && !e.path.contains("placeholder"))
    );
    assert_good_loaded(&case, "");
}

#[test]
fn ten_megabyte_single_line() {
    let mut line = noise(10 << 20, 7);
    line.retain(|b| *b != b'\n');
    let (before, after) = good_halves();
    let log = format!("{IMG}/namespaces/ns1/pods/p/c/c/logs/current.log");
    let mut yaml = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one-long-line\n  namespace: ns1\ndata:\n  blob: ".to_vec();
    yaml.extend_from_slice(&line[..5 << 20]);
    yaml.push(b'\n');
    let cm = format!("{IMG}/namespaces/ns1/core/configmaps/one-long-line.yaml");
    let bytes = TarBuf::new()
        .files(&before)
        .file(log.as_bytes(), &line)
        .file(cm.as_bytes(), &yaml)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("long-line.tar.gz", &gz(&bytes));
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    assert_eq!(entry(&case, &log).size, line.len() as u64);
    assert!(
        case.objects()
            .iter()
            .any(|r| case.record(*r).meta.name == "one-long-line")
    );
    assert_good_loaded(&case, "");
}

#[test]
fn invalid_yaml_resource_file() {
    let (before, after) = good_halves();
    let bad = format!("{IMG}/namespaces/x/core/configmaps.yaml");
    let bytes = TarBuf::new()
        .files(&before)
        .file(bad.as_bytes(), b": : :\n\t- [")
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("bad-yaml.tar.gz", &gz(&bytes));
    let d = find_diag(&case, &bad, DiagnosticKind::Parse);
    assert!(!d.message.contains('\n'));
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
}

#[test]
fn yaml_alias_bomb_in_a_resource_file() {
    let mut y = String::from(
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        writeln!(y, "    a{i}: &a{i} [{}]", vec![p; 9].join(",")).unwrap();
    }
    y.push_str("  kind: ConfigMap\n  metadata:\n    name: lol\n    namespace: x\nkind: ConfigMapList\nmetadata:\n  resourceVersion: \"\"\n");
    let (before, after) = good_halves();
    let bad = format!("{IMG}/namespaces/x/core/configmaps.yaml");
    let bytes = TarBuf::new()
        .files(&before)
        .file(bad.as_bytes(), y.as_bytes())
        .files(&after)
        .finish();
    let started = Instant::now();
    let (_in, case) = open_bytes("bomb-yaml.tar.gz", &gz(&bytes));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    find_diag(&case, &bad, DiagnosticKind::Parse);
    assert_good_loaded(&case, "");
}

// ---------------------------------------------------------------------------------------------
// Link loops, deep nesting, 100 MB lines, directory caps, xz memory
// ---------------------------------------------------------------------------------------------

#[test]
fn hard_link_loops_inside_a_tar() {
    let (before, after) = good_halves();
    let hard = tar::EntryType::Link;
    let bytes = TarBuf::new()
        .files(&before)
        .link(b"mg/loop-a", b"mg/loop-b", hard)
        .link(b"mg/loop-b", b"mg/loop-a", hard)
        .link(b"mg/self", b"mg/self", hard)
        .link(b"mg/via-sym", b"mg/sym", hard)
        .link(b"mg/sym", b"via-sym", tar::EntryType::Symlink)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("hardloop.tar.gz", &gz(&bytes));
    let data = &case.archives()[0].data;
    for p in ["mg/loop-a", "mg/loop-b", "mg/self", "mg/via-sym", "mg/sym"] {
        let d = find_diag(&case, p, DiagnosticKind::BadLink);
        assert!(d.message.contains("loop"), "{p}: {}", d.message);
        let started = Instant::now();
        assert!(data.content(data.find(p).unwrap()).is_err(), "{p}");
        assert!(started.elapsed() < Duration::from_millis(100), "{p}");
    }
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 5, "{:#?}", case.diagnostics());
}

#[test]
fn yaml_and_json_nested_100k_deep() {
    let deep = 100_000;
    let flow = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-flow\n  namespace: x\ndata:\n  a: {}\n",
        "[".repeat(deep)
    );
    let balanced = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-balanced\n  namespace: x\ndata:\n  a: {}{}\n",
        "[".repeat(deep),
        "]".repeat(deep)
    );
    let block = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-block\n  namespace: x\ndata:\n  a:\n  {}x\n",
        "- ".repeat(deep)
    );
    let in_metadata = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {}\n",
        "{a: ".repeat(deep)
    );
    let json = format!("{{\"kind\": \"ConfigMap\", \"data\": {}", "[".repeat(deep));
    let json_top = "[".repeat(deep);
    let files: Vec<(String, &str)> = [
        ("flow", flow.as_str()),
        ("balanced", balanced.as_str()),
        ("block", block.as_str()),
        ("in-metadata", in_metadata.as_str()),
        ("json", json.as_str()),
        ("json-top", json_top.as_str()),
    ]
    .into_iter()
    .map(|(n, y)| (format!("{IMG}/namespaces/x/core/configmaps/{n}.yaml"), y))
    .collect();
    let (before, after) = good_halves();
    let mut t = TarBuf::new();
    t.files(&before);
    for (p, y) in &files {
        t.file(p.as_bytes(), y.as_bytes());
    }
    let bytes = t.files(&after).finish();
    let started = Instant::now();
    let (_in, case) = open_bytes("deep.tar.gz", &gz(&bytes));
    eprintln!("100k-deep YAML/JSON: {:?}", started.elapsed());
    for (p, _) in &files {
        let d = find_diag(&case, p, DiagnosticKind::Parse);
        assert!(!d.message.contains('\n'), "{p}: {}", d.message);
    }
    // Nothing from the deep files was indexed (an object there could never be decoded).
    assert!(
        case.objects()
            .iter()
            .all(|r| !case.record(*r).meta.name.starts_with("deep-"))
    );
    assert_good_loaded(&case, "");
    assert_eq!(
        case.diagnostics().len(),
        files.len(),
        "{:#?}",
        case.diagnostics()
    );
}

/// `len` bytes of text without a newline, fast to make and to compress.
fn long_line(prefix: &[u8], len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + prefix.len());
    v.extend_from_slice(prefix);
    let pattern = b"abcdefghijklmnopqrstuvwxyz0123456789 ";
    while v.len() < len {
        let n = pattern.len().min(len - v.len());
        v.extend_from_slice(&pattern[..n]);
    }
    v
}

#[test]
fn hundred_megabyte_single_line_in_a_log_and_a_yaml_file() {
    let line = long_line(b"2024-02-10T08:00:00.000000000Z ", 100 << 20);
    let mut yaml = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge-line\n  namespace: ns1\ndata:\n  blob: ".to_vec();
    yaml.extend_from_slice(&long_line(b"", 100 << 20));
    yaml.push(b'\n');
    let log = format!("{IMG}/namespaces/ns1/pods/p/c/c/logs/current.log");
    let cm = format!("{IMG}/namespaces/ns1/core/configmaps/huge-line.yaml");
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(log.as_bytes(), &line)
        .file(cm.as_bytes(), &yaml)
        .files(&after)
        .finish();
    let archive = gz(&bytes);
    drop((bytes, line, yaml));
    // The per-member cap (32 MiB here) cuts both files, with a warning naming each.
    let started = Instant::now();
    let (_in, case) = open_bytes("huge-line.tar.gz", &archive);
    eprintln!("2 x 100 MB single lines: {:?}", started.elapsed());
    for p in [&log, &cm] {
        let d = find_diag(&case, p, DiagnosticKind::Limit);
        assert!(d.message.contains("cap"), "{}", d.message);
        let e = entry(&case, p);
        assert_eq!((e.size, e.truncated), (32 << 20, true), "{p}");
    }
    // What was kept is still usable: the object is indexed, the log line is one record.
    assert!(
        case.objects()
            .iter()
            .any(|r| case.record(*r).meta.name == "huge-line")
    );
    let text = content(&case, &log).unwrap();
    let years =
        casefile_ingest::timefmt::YearResolver::new("2024-02-10T09:00:00Z".parse().unwrap());
    let started = Instant::now();
    let format = casefile_ingest::logs::sniff_format(&text[..4096]);
    let records = casefile_ingest::logs::parse_records(&text, format, &years);
    assert_eq!(records.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 2, "{:#?}", case.diagnostics());
}

/// A directory input: the good members plus `n` files of 1 MiB under `mg/zz-bulk/`.
fn bulk_dir(n: u64) -> Input {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mg-dir");
    let mut all = good_members();
    all.extend((0..n).map(|i| (format!("mg/zz-bulk/f{i:03}.log"), noise(1 << 20, i))));
    for (p, d) in all {
        let f = root.join(&p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, d).unwrap();
    }
    Input { dir, path: root }
}

#[test]
fn directory_inputs_honor_the_total_and_entry_caps() {
    let input = bulk_dir(40);
    // Total cap: 8 MiB of 40 MiB; the good members come first (walk in name order).
    let case = open_ok(
        &input,
        Limits {
            max_total_bytes: 8 << 20,
            ..small_limits()
        },
    );
    let d = find_diag(&case, "mg/zz-bulk/f007.log", DiagnosticKind::Limit);
    assert!(d.message.contains("total cap"), "{}", d.message);
    let data = &case.archives()[0].data;
    let stored: u64 = data.entries.iter().map(|e| e.size).sum();
    assert!(stored <= 8 << 20, "{stored}");
    for i in 7..40 {
        let e = entry(&case, &format!("mg/zz-bulk/f{i:03}.log"));
        assert_eq!((e.size, e.truncated), (0, true), "{i}");
    }
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());

    // Entry cap: the walk stops at the cap, with one warning naming where.
    let case = open_ok(
        &input,
        Limits {
            max_entries: 30,
            ..small_limits()
        },
    );
    let data = &case.archives()[0].data;
    assert_eq!(data.entries.len(), 30);
    let limits: Vec<_> = case
        .diagnostics()
        .into_iter()
        .filter(|d| d.kind == DiagnosticKind::Limit)
        .collect();
    assert_eq!(limits.len(), 1, "{limits:#?}");
    assert!(limits[0].path.starts_with("mg/zz-bulk/f"), "{limits:#?}");
    assert!(
        limits[0].message.contains("too many entries"),
        "{limits:#?}"
    );
    assert_good_loaded(&case, "");
}

#[test]
fn entry_cap_warns_once_for_an_archive() {
    let mut t = TarBuf::new();
    t.files(&good_members());
    for i in 0..200 {
        t.file(format!("mg/zz/f{i}.txt").as_bytes(), b"x");
    }
    let bytes = t.finish();
    let input = write_input("many.tar", &bytes);
    let case = open_ok(
        &input,
        Limits {
            max_entries: 50,
            ..small_limits()
        },
    );
    assert_eq!(case.archives()[0].data.entries.len(), 50);
    let d = case.diagnostics();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].kind, DiagnosticKind::Limit);
    assert_good_loaded(&case, "");
}

#[test]
fn nested_archives_past_the_depth_cap_in_a_directory_input() {
    let input = bulk_dir(0);
    let mut inner = TarBuf::new().file(b"note-3.txt", b"level 3").finish();
    for level in (1..=2).rev() {
        inner = TarBuf::new()
            .file(format!("note-{level}.txt").as_bytes(), b"x")
            .file(format!("l{}.tgz", level + 1).as_bytes(), &gz(&inner))
            .finish();
    }
    std::fs::write(input.path.join("mg/l1.tgz"), gz(&inner)).unwrap();
    let case = open_ok(
        &input,
        Limits {
            max_nesting: 2,
            ..small_limits()
        },
    );
    find_diag(&case, "mg/l1.tgz!/l2.tgz!/l3.tgz", DiagnosticKind::Nesting);
    assert_eq!(
        content(&case, "mg/l1.tgz!/l2.tgz!/note-2.txt").as_deref(),
        Some(&b"x"[..])
    );
    assert_good_loaded(&case, "");
}

#[test]
fn xz_needing_more_decoder_memory_than_the_cap() {
    // preset 6 = an 8 MiB dictionary; the cap here is 1 MiB.
    let limits = Limits {
        max_xz_memory: 1 << 20,
        ..small_limits()
    };
    let tar = TarBuf::new().files(&good_members()).finish();
    let input = write_input("big-dictionary.tar.xz", &xz(&tar));
    let Err(e) = try_open(&input, limits.clone()) else {
        panic!("opened an xz archive over the memory cap")
    };
    assert_one_sentence(&e, &input.path);
    assert!(e.to_string().contains("memory cap"), "{e}");
    assert!(!e.to_string().contains("damaged"), "{e}");

    let name = "mg/sysinfo.tar.xz";
    let (before, after) = good_halves();
    let nested = xz(&TarBuf::new().file(b"a.txt", b"a").finish());
    let bytes = TarBuf::new()
        .files(&before)
        .file(name.as_bytes(), &nested)
        .files(&after)
        .finish();
    let input = write_input("outer.tar.gz", &gz(&bytes));
    let case = open_ok(&input, limits);
    let d = find_diag(&case, name, DiagnosticKind::Limit);
    assert!(d.message.contains("memory cap"), "{}", d.message);
    assert_good_loaded(&case, "");
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
}

// ---------------------------------------------------------------------------------------------
// Wholly unreadable inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn unreadable_inputs_are_one_clear_error() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.tar.gz", b"", "empty"),
        ("notes.txt", b"this is not an archive\n", "unrecognized"),
        (
            "must-gather.tar.bz2",
            b"BZh91AY&SY\x00\x00\x00\x00",
            "bzip2",
        ),
        (
            "log.gz",
            &gz(b"just a gzipped log line\n"),
            "does not hold a tar",
        ),
        ("zeros.tar", &[0u8; 2048], "unrecognized"),
    ];
    for (name, bytes, why) in cases {
        let input = write_input(name, bytes);
        let Err(e) = try_open(&input, small_limits()) else {
            panic!("{name} opened")
        };
        assert_one_sentence(&e, &input.path);
        assert!(e.to_string().contains(why), "{name}: {e}");
    }
    let missing = tempfile::tempdir().unwrap().path().join("missing.tar.gz");
    let e = Case::open(
        std::slice::from_ref(&missing),
        &CaseOptions {
            no_cache: true,
            ..CaseOptions::default()
        },
    )
    .err()
    .unwrap();
    assert_one_sentence(&e, &missing);
}

// ---------------------------------------------------------------------------------------------
// zip and zstd
// ---------------------------------------------------------------------------------------------

fn zip_of(
    members: &[(String, Vec<u8>)],
    extra: impl FnOnce(&mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>),
) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (n, d) in members {
        w.start_file(n.as_str(), opts).unwrap();
        w.write_all(d).unwrap();
    }
    extra(&mut w);
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_with_symlink_and_dotdot_members() {
    let bytes = zip_of(&good_members(), |w| {
        let opts = zip::write::SimpleFileOptions::default();
        w.add_symlink("mg/passwd", "../../etc/passwd", opts)
            .unwrap();
        w.add_symlink("mg/ok", "timestamp", opts).unwrap();
        w.start_file("../evil.sh", opts).unwrap();
        w.write_all(b"rm -rf /").unwrap();
        w.start_file("mg/nul\0name", opts).unwrap();
        w.write_all(b"x").unwrap();
    });
    let (_in, case) = open_bytes("links.zip", &bytes);
    find_diag(&case, "mg/passwd", DiagnosticKind::BadLink);
    let data = &case.archives()[0].data;
    assert!(data.content(data.find("mg/passwd").unwrap()).is_err());
    assert_eq!(content(&case, "mg/ok"), content(&case, "mg/timestamp"));
    find_diag(&case, "../evil.sh", DiagnosticKind::UnsafePath);
    find_diag(&case, "mg/nul\\0name", DiagnosticKind::UnsafePath);
    assert!(
        data.entries
            .iter()
            .all(|e| !e.path.contains("evil") && !e.path.contains('\0'))
    );
    assert_good_loaded(&case, "");
}

/// File paths with sizes, and object metadata, of one load.
type Reference = (Vec<(String, u64)>, Vec<String>);

#[test]
fn every_container_format_loads_the_same_must_gather() {
    let members = good_members();
    let tar = TarBuf::new().files(&members).finish();
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("mg.tar", tar.clone()),
        ("mg.tar.gz", gz(&tar)),
        ("mg.tar.xz", xz(&tar)),
        ("mg.tar.zst", zst(&tar)),
        ("mg.zip", zip_of(&members, |_| {})),
        // Named like a plain tar but gzip inside: detected by content.
        ("must-gather.tar", gz(&tar)),
    ];
    let mut reference: Option<Reference> = None;
    for (name, bytes) in inputs {
        let (_in, case) = open_bytes(name, &bytes);
        assert!(
            case.diagnostics().is_empty(),
            "{name}: {:#?}",
            case.diagnostics()
        );
        assert_good_loaded(&case, "");
        let files: Vec<(String, u64)> = case.archives()[0]
            .data
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| (e.path.clone(), e.size))
            .collect();
        let objects: Vec<String> = case
            .objects()
            .iter()
            .map(|r| format!("{:?}", case.record(*r).meta))
            .collect();
        let parts = &case.archives()[0].index.parts;
        assert_eq!(parts.len(), 1, "{name}");
        assert_eq!(
            (
                parts[0].root.as_str(),
                parts[0].collected.as_ref().map(|c| c.at.to_string())
            ),
            ("mg", Some("2021-08-03T10:12:00.016988581Z".to_owned())),
            "{name}"
        );
        match &reference {
            None => reference = Some((files, objects)),
            Some((f, o)) => {
                assert_eq!(&files, f, "{name}");
                assert_eq!(&objects, o, "{name}");
            }
        }
    }
}

#[test]
fn nested_zip_and_tar_members_are_expanded() {
    let inner_zip = zip_of(&[("report.txt".into(), b"from the zip".to_vec())], |_| {});
    let inner_tar = TarBuf::new()
        .file(b"sos/version.txt", b"sosreport: 4.5\n")
        .finish();
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/bundle.zip", &inner_zip)
        .file(b"mg/sos.tar.zst", &zst(&inner_tar))
        .file(b"mg/sos.tar.xz", &xz(&inner_tar))
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("nested-formats.tar", &bytes);
    assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
    assert_eq!(
        content(&case, "mg/bundle.zip!/report.txt").as_deref(),
        Some(&b"from the zip"[..])
    );
    assert_eq!(
        content(&case, "mg/sos.tar.zst!/sos/version.txt").as_deref(),
        Some(&b"sosreport: 4.5\n"[..])
    );
    assert_eq!(
        content(&case, "mg/sos.tar.xz!/sos/version.txt").as_deref(),
        Some(&b"sosreport: 4.5\n"[..])
    );
    assert_good_loaded(&case, "");
}

#[test]
fn truncated_nested_tgz_member() {
    let inner_members: Members = (0..4)
        .map(|i| (format!("proc/file-{i}"), noise(5000, 20 + i)))
        .collect();
    let inner = gz(&TarBuf::new().files(&inner_members).finish());
    let (before, after) = good_halves();
    let cut = &inner[..inner.len() * 3 / 4];
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/sysinfo.tgz", cut)
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("nested-cut.tar.gz", &gz(&bytes));
    find_diag(&case, "mg/sysinfo.tgz", DiagnosticKind::Corrupt);
    // What the damaged member still holds is there; every diagnostic names it or a member in it.
    assert_eq!(
        content(&case, "mg/sysinfo.tgz!/proc/file-0").as_deref(),
        Some(&inner_members[0].1[..])
    );
    assert!(
        case.diagnostics()
            .iter()
            .all(|d| d.path.starts_with("mg/sysinfo.tgz")),
        "{:#?}",
        case.diagnostics()
    );
    assert_good_loaded(&case, "");
}

#[test]
fn zip_member_with_a_bad_crc() {
    let members = good_members();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, d) in &members {
        w.start_file(n.as_str(), stored).unwrap();
        w.write_all(d).unwrap();
    }
    w.start_file("mg/flipped.log", stored).unwrap();
    w.write_all(b"0123456789 original text").unwrap();
    let mut bytes = w.finish().unwrap().into_inner();
    let at = bytes.windows(8).position(|win| win == b"01234567").unwrap();
    bytes[at] = b'X';
    let (_in, case) = open_bytes("crc.zip", &bytes);
    find_diag(&case, "mg/flipped.log", DiagnosticKind::Corrupt);
    assert!(entry(&case, "mg/flipped.log").truncated);
    assert_eq!(case.diagnostics().len(), 1, "{:#?}", case.diagnostics());
    assert_good_loaded(&case, "");
}

#[test]
fn progress_counts_input_bytes_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let mut members = good_members();
    members.push((
        "mg/nested.tgz".into(),
        gz(&TarBuf::new().file(b"inner.log", &noise(50_000, 4)).finish()),
    ));
    let bytes = gz(&TarBuf::new().files(&members).finish());
    let input = write_input("progress.tar.gz", &bytes);
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    let files = Arc::new(AtomicU64::new(0));
    let files_counter = Arc::clone(&files);
    let opts = CaseOptions {
        no_cache: true,
        progress: Some(Arc::new(move |p: casefile_ingest::case::Progress| {
            counter.fetch_add(p.bytes, Ordering::Relaxed);
            files_counter.fetch_add(p.files, Ordering::Relaxed);
        })),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&input.path), &opts).unwrap();
    // Compressed input bytes, each counted once (not the decoded members on top).
    assert_eq!(seen.load(Ordering::Relaxed), bytes.len() as u64);
    // Every stored file counted once, the nested archive's member included.
    let stored = case.archives()[0]
        .data
        .entries
        .iter()
        .filter(|e| e.kind == casefile_ingest::archive::EntryKind::File)
        .count();
    assert!(
        case.archives()[0]
            .data
            .entries
            .iter()
            .any(|e| e.path.ends_with("inner.log")
                && e.kind == casefile_ingest::archive::EntryKind::File)
    );
    assert_eq!(files.load(Ordering::Relaxed), stored as u64);
}

#[test]
fn links_in_a_nested_archive_stay_inside_it() {
    let inner = TarBuf::new()
        .file(b"etc/hostname", b"node-1\n")
        .link(b"hostname", b"etc/hostname", tar::EntryType::Symlink)
        .link(b"escape", b"../outside.txt", tar::EntryType::Symlink)
        .finish();
    let (before, after) = good_halves();
    let bytes = TarBuf::new()
        .files(&before)
        .file(b"mg/outside.txt", b"outer")
        .file(b"mg/sysinfo.tgz", &gz(&inner))
        .files(&after)
        .finish();
    let (_in, case) = open_bytes("nested-links.tar.gz", &gz(&bytes));
    assert_eq!(
        content(&case, "mg/sysinfo.tgz!/hostname").as_deref(),
        Some(&b"node-1\n"[..])
    );
    find_diag(&case, "mg/sysinfo.tgz!/escape", DiagnosticKind::BadLink);
    assert_eq!(
        entry(&case, "mg/sysinfo.tgz!/escape").kind,
        EntryKind::Symlink(None)
    );
    assert_good_loaded(&case, "");
}

// ---------------------------------------------------------------------------------------------
// Directory inputs
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn directory_with_hostile_members() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("must-gather");
    for (p, d) in good_members() {
        let path = root.join(&p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, d).unwrap();
    }
    std::os::unix::fs::symlink("/etc/passwd", root.join("mg/passwd")).unwrap();
    std::os::unix::fs::symlink("../../../../etc/shadow", root.join("mg/shadow")).unwrap();
    std::os::unix::fs::symlink("timestamp", root.join("mg/ok")).unwrap();
    std::os::unix::fs::symlink("loop-b", root.join("mg/loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", root.join("mg/loop-b")).unwrap();
    std::fs::write(
        root.join(std::ffi::OsStr::from_bytes(b"mg/bad-\xff.log")),
        b"latin-1 name",
    )
    .unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("mg/pipe"))
        .status()
        .is_ok_and(|s| s.success());
    let opts = CaseOptions {
        cache_dir: Some(dir.path().join("cache")),
        limits: small_limits(),
        ..CaseOptions::default()
    };
    let case = Case::open(std::slice::from_ref(&root), &opts).unwrap();
    let data = &case.archives()[0].data;
    for p in ["mg/passwd", "mg/shadow"] {
        find_diag(&case, p, DiagnosticKind::BadLink);
        assert!(data.content(data.find(p).unwrap()).is_err());
    }
    assert!(data.content(data.find("mg/loop-a").unwrap()).is_err());
    assert_eq!(content(&case, "mg/ok"), content(&case, "mg/timestamp"));
    // A name that is not UTF-8 is shown with replacement characters and still readable.
    find_diag(&case, "mg/bad-\u{fffd}.log", DiagnosticKind::Encoding);
    assert_eq!(
        content(&case, "mg/bad-\u{fffd}.log").as_deref(),
        Some(&b"latin-1 name"[..])
    );
    if fifo {
        find_diag(&case, "mg/pipe", DiagnosticKind::Unsupported);
    } else {
        eprintln!("mkfifo unavailable; fifo case skipped");
    }
    assert_good_loaded(&case, "");
    assert!(
        data.entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .all(|e| e.data == DataLoc::Disk || e.path.contains('\u{fffd}'))
    );
}

#[test]
fn large_plain_members_are_streamed_and_read_back_whole() {
    // 20 MiB is above the streaming threshold (8 MiB): the member is copied in chunks.
    let big = noise(20 << 20, 9);
    let (before, after) = good_halves();
    let tar = TarBuf::new()
        .files(&before)
        .file(b"mg/journal.log", &big)
        .files(&after)
        .finish();
    for (name, bytes) in [("big.tar", tar.clone()), ("big.tar.gz", gz(&tar))] {
        let (_input, case) = open_bytes(name, &bytes);
        assert_eq!(
            content(&case, "mg/journal.log").as_deref(),
            Some(&big[..]),
            "{name}"
        );
        assert!(!entry(&case, "mg/journal.log").truncated, "{name}");
        assert_good_loaded(&case, "");
        assert!(case.diagnostics().is_empty(), "{:#?}", case.diagnostics());
        // Without the cache the content is kept in memory: the same bytes.
        let input = write_input(name, &bytes);
        let opts = CaseOptions {
            no_cache: true,
            limits: small_limits(),
            ..CaseOptions::default()
        };
        let mem = Case::open(std::slice::from_ref(&input.path), &opts).unwrap();
        assert_eq!(
            content(&mem, "mg/journal.log").as_deref(),
            Some(&big[..]),
            "{name}"
        );
    }

    // Cut inside the streamed member: what arrived is kept and the cut is named.
    let start = tar
        .windows(14)
        .position(|w| w == b"mg/journal.log")
        .unwrap();
    let cut = start + 512 + (12 << 20);
    let input = write_input("cut-big.tar", &tar[..cut]);
    let case = open_ok(&input, small_limits());
    let got = content(&case, "mg/journal.log").unwrap();
    assert_eq!(got, big[..got.len()]);
    assert!(
        got.len() >= 11 << 20 && got.len() <= 12 << 20,
        "{}",
        got.len()
    );
    assert!(entry(&case, "mg/journal.log").truncated);
    let d = find_diag(&case, "mg/journal.log", DiagnosticKind::Corrupt);
    assert!(d.message.contains("cut short"), "{}", d.message);

    // Over the entry cap: the start is kept up to the cap, with a warning.
    let limits = Limits {
        max_entry_bytes: 10 << 20,
        ..small_limits()
    };
    let input = write_input("capped.tar", &tar);
    let case = open_ok(&input, limits);
    let got = content(&case, "mg/journal.log").unwrap();
    assert_eq!(got, big[..10 << 20]);
    assert!(entry(&case, "mg/journal.log").truncated);
    let d = find_diag(&case, "mg/journal.log", DiagnosticKind::Limit);
    assert!(d.message.contains("cap"), "{}", d.message);
    assert_good_loaded(&case, "");
}
