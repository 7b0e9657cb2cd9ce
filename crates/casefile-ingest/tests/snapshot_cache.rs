//! The decoded snapshot is kept beside the persistent index and read back by the next open
//! of the same inputs: the kept snapshot equals a fresh decode, and a changed input is
//! decoded again.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use casefile_ingest::{Case, CaseOptions};

fn open(paths: &[PathBuf], cache: Option<&Path>) -> Case {
    let opts = CaseOptions {
        cache_dir: cache.map(Path::to_path_buf),
        no_cache: cache.is_none(),
        ..CaseOptions::default()
    };
    Case::open(paths, &opts).unwrap()
}

/// The archives of the sample case, sorted.
fn sample_inputs() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "gz" || e == "xz"))
        .collect();
    inputs.sort();
    inputs
}

fn snap_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_kept_snapshot_equals_a_fresh_decode_and_follows_its_inputs() {
    // A private copy of the inputs, so one can be changed.
    let work = tempfile::tempdir().unwrap();
    let inputs: Vec<PathBuf> = sample_inputs()
        .into_iter()
        .map(|p| {
            let to = work.path().join(p.file_name().unwrap());
            std::fs::copy(&p, &to).unwrap();
            to
        })
        .collect();
    let cache = tempfile::tempdir().unwrap();

    let fresh = open(&inputs, None).snapshot();
    assert!(!fresh.snapshot.pods.is_empty() && !fresh.snapshot.logs.is_empty());

    let first = open(&inputs, Some(cache.path())).snapshot();
    assert_eq!(snap_files(cache.path()).len(), 1, "one snapshot kept");
    // The kept file really holds the snapshot (a failed read would decode again silently).
    let file = &snap_files(cache.path())[0];
    let read = casefile_ingest::assemble::load_kept(file).expect("the kept snapshot reads back");
    assert_eq!(read.snapshot.pods, fresh.snapshot.pods);
    assert_eq!(read.snapshot.events, fresh.snapshot.events);
    // Certificates come back with their DER (trust verifies signatures with it), which
    // their serialized form leaves out.
    assert!(!fresh.snapshot.certificates.is_empty());
    assert!(
        read.snapshot
            .certificates
            .iter()
            .all(|e| !e.cert.der.is_empty())
    );
    assert_eq!(read.snapshot.certificates, fresh.snapshot.certificates);
    let written = std::fs::metadata(file).unwrap().modified().unwrap();
    let kept = open(&inputs, Some(cache.path())).snapshot();
    assert_eq!(
        std::fs::metadata(file).unwrap().modified().unwrap(),
        written,
        "served from the file, not decoded and written again"
    );
    assert_eq!(first.snapshot, fresh.snapshot);
    assert_eq!(kept.snapshot, fresh.snapshot);
    assert_eq!(kept.diagnostics, fresh.diagnostics);

    // Another order of the same inputs is another case (archive ids differ).
    let mut reversed = inputs.clone();
    reversed.reverse();
    let other = open(&reversed, Some(cache.path())).snapshot();
    assert_eq!(snap_files(cache.path()).len(), 2);
    assert_ne!(other.snapshot, fresh.snapshot);

    // A changed input (here: one sosreport left out and the must-gather rewritten with a
    // newer modification time) is not served from the old snapshot.
    let mg = inputs
        .iter()
        .find(|p| p.to_string_lossy().contains("must-gather"))
        .unwrap()
        .clone();
    let bytes = std::fs::read(&mg).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&mg, &bytes).unwrap();
    let f = std::fs::File::options().write(true).open(&mg).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    let again = open(&inputs, Some(cache.path())).snapshot();
    assert_eq!(
        again.snapshot, fresh.snapshot,
        "same content, decoded again"
    );
    assert_eq!(
        snap_files(cache.path()).len(),
        3,
        "a new snapshot for the changed input"
    );
}

#[test]
fn the_deduplicated_object_view_is_kept_and_checked_against_the_indexes() {
    let inputs = sample_inputs();
    let cache = tempfile::tempdir().unwrap();
    let fresh = open(&inputs, None).objects().to_vec();
    assert!(fresh.len() > 10);

    let first = open(&inputs, Some(cache.path())).objects().to_vec();
    assert_eq!(first, fresh);
    let kept: Vec<PathBuf> = walk(cache.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "objects"))
        .collect();
    assert_eq!(kept.len(), 1, "one object view kept: {kept:?}");
    let file = &kept[0];
    assert_eq!(open(&inputs, Some(cache.path())).objects(), fresh);

    // The file is what the next open serves: a kept view of two objects gives two.
    let two: Vec<(u16, u32)> = fresh
        .iter()
        .take(2)
        .map(|r| (r.archive.0, r.index))
        .collect();
    casefile_ingest::cache::write_compact(file, &two).unwrap();
    assert_eq!(open(&inputs, Some(cache.path())).objects(), &fresh[..2]);

    // A view that does not fit the indexes (an object out of range, an object twice, a
    // cut file) is not served: the view is computed again, the same as a fresh one.
    let first = (fresh[0].archive.0, fresh[0].index);
    let bad: [Vec<(u16, u32)>; 3] = [
        vec![first, (fresh[0].archive.0, u32::MAX)],
        vec![first, (u16::MAX, 0)],
        vec![first, first],
    ];
    for refs in bad {
        casefile_ingest::cache::write_compact(file, &refs).unwrap();
        assert_eq!(
            open(&inputs, Some(cache.path())).objects(),
            fresh,
            "{refs:?}"
        );
    }
    let bytes = std::fs::read(file).unwrap();
    std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(open(&inputs, Some(cache.path())).objects(), fresh);
}

#[test]
fn the_index_found_while_reading_equals_the_index_found_after() {
    // With a cache, the spool thread scans resource files while the input is read; without
    // one, every file is scanned after. Both must find the same objects, in the same order.
    let mut inputs = sample_inputs();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if real.exists() {
        inputs.push(real);
    }
    inputs.sort();
    for input in &inputs {
        let cache = tempfile::tempdir().unwrap();
        let read = open(std::slice::from_ref(input), Some(cache.path()));
        let after = open(std::slice::from_ref(input), None);
        let (a, b) = (&read.archives()[0], &after.archives()[0]);
        assert_eq!(
            a.mode,
            casefile_ingest::case::LoadMode::Indexed,
            "{input:?}"
        );
        assert!(!b.index.objects.is_empty() || !input.to_string_lossy().contains("must-gather"));
        assert_eq!(a.index.objects, b.index.objects, "{input:?}");
        assert_eq!(a.index.diagnostics, b.index.diagnostics, "{input:?}");
        assert_eq!(a.index.parts, b.index.parts, "{input:?}");
    }
}

#[test]
fn pods_and_events_decoded_while_reading_equal_those_decoded_after() {
    // With `predecode`, the spool thread decodes Pods and Events while the input is read,
    // and the snapshot takes them over: it must be the snapshot decoded after reading.
    let open_ahead = |inputs: &[PathBuf], cache: &Path| {
        Case::open(
            inputs,
            &CaseOptions {
                cache_dir: Some(cache.to_path_buf()),
                predecode: true,
                ..CaseOptions::default()
            },
        )
        .unwrap()
    };
    let waiting = |case: &Case| -> usize {
        case.archives()
            .iter()
            .map(casefile_ingest::LoadedArchive::predecoded_waiting)
            .sum()
    };
    let pods_and_events = |case: &Case| {
        case.objects()
            .iter()
            .filter(|r| matches!(case.record(**r).meta.kind.as_str(), "Pod" | "Event"))
            .count()
    };

    // The sample case is far smaller than the spool's budget, so the spool never falls
    // behind and sheds nothing: every Pod and Event is decoded ahead.
    let inputs = sample_inputs();
    let (cache_ahead, cache_after) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ahead = open_ahead(&inputs, cache_ahead.path());
    let after = open(&inputs, Some(cache_after.path()));
    let decoded_ahead = waiting(&ahead);
    assert!(
        decoded_ahead >= pods_and_events(&ahead),
        "every Pod and Event was decoded ahead: {decoded_ahead}"
    );
    assert_eq!(waiting(&after), 0, "nothing is decoded ahead unless asked");
    let (a, b) = (ahead.snapshot(), after.snapshot());
    assert!(!a.snapshot.pods.is_empty() && !a.snapshot.events.is_empty());
    assert_eq!(a.snapshot, b.snapshot);
    assert_eq!(a.diagnostics, b.diagnostics);
    assert_eq!(
        waiting(&ahead),
        decoded_ahead - pods_and_events(&ahead),
        "the snapshot took every value it used; only what deduplication dropped is left"
    );

    // A real must-gather: how much is decoded ahead depends on how busy the machine is,
    // the snapshot never does.
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if real.exists() {
        let inputs = [real];
        let (cache_ahead, cache_after) =
            (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let ahead = open_ahead(&inputs, cache_ahead.path());
        let after = open(&inputs, Some(cache_after.path()));
        let (a, b) = (ahead.snapshot(), after.snapshot());
        assert!(!a.snapshot.pods.is_empty());
        assert_eq!(a.snapshot, b.snapshot);
        assert_eq!(a.diagnostics, b.diagnostics);
    }
}

#[test]
fn an_input_is_indexed_once_opened_and_not_after_it_changes() {
    let work = tempfile::tempdir().unwrap();
    let src: PathBuf = sample_inputs()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("must-gather"))
        .unwrap();
    let input = work.path().join("must-gather.tar.gz");
    std::fs::copy(&src, &input).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let other_cache = tempfile::tempdir().unwrap();
    let is_indexed = |dir: &Path| casefile_ingest::cache::is_indexed(dir, &input);

    assert!(!is_indexed(cache.path()), "nothing written yet");
    open(std::slice::from_ref(&input), Some(cache.path()));
    assert!(is_indexed(cache.path()));
    // Near misses: another cache directory, a missing input, a cut index, a changed input.
    assert!(!is_indexed(other_cache.path()));
    assert!(!casefile_ingest::cache::is_indexed(
        cache.path(),
        &work.path().join("absent.tar.gz")
    ));
    let idx = walk(cache.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let bytes = std::fs::read(&idx).unwrap();
    std::fs::write(&idx, &bytes[..10]).unwrap();
    assert!(!is_indexed(cache.path()), "a cut index is not an index");
    std::fs::write(&idx, &bytes).unwrap();
    assert!(is_indexed(cache.path()));
    let f = std::fs::File::options().write(true).open(&input).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    assert!(!is_indexed(cache.path()), "the input changed since");
}

#[test]
fn writing_an_index_removes_what_other_format_versions_left_and_nothing_else() {
    let input: PathBuf = sample_inputs()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("must-gather"))
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("keep.txt"), b"not casefile's").unwrap();
    for old in ["v1", "v2"] {
        std::fs::create_dir_all(cache.path().join(old).join("sub")).unwrap();
        std::fs::write(cache.path().join(old).join("sub/a.blob"), b"old").unwrap();
    }
    // Near misses: not a version directory, a file named like one, a link named like one.
    std::fs::create_dir(cache.path().join("vx")).unwrap();
    std::fs::create_dir(cache.path().join("v")).unwrap();
    std::fs::write(cache.path().join("v7"), b"a file").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), cache.path().join("v9")).unwrap();

    let case = open(std::slice::from_ref(&input), Some(cache.path()));
    assert!(!case.objects().is_empty());
    let names: std::collections::BTreeSet<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.contains("v1") && !names.contains("v2"), "{names:?}");
    for kept in ["vx", "v", "v7"] {
        assert!(names.contains(kept), "{kept} kept: {names:?}");
    }
    #[cfg(unix)]
    {
        assert!(names.contains("v9"), "the link stays");
        assert!(
            outside.path().join("keep.txt").exists(),
            "nothing behind a link is touched"
        );
    }
    // One version directory is left, the current one, holding the new index; a warm open
    // uses it.
    let versions: Vec<&String> = names
        .iter()
        .filter(|n| n.len() > 1 && n.starts_with('v') && n[1..].parse::<u32>().is_ok())
        .filter(|n| {
            std::fs::symlink_metadata(cache.path().join(n.as_str())).is_ok_and(|m| m.is_dir())
        })
        .collect();
    assert_eq!(versions.len(), 1, "{versions:?}");
    let again = open(std::slice::from_ref(&input), Some(cache.path()));
    assert_eq!(
        again.archives()[0].mode,
        casefile_ingest::case::LoadMode::Cached
    );
}

/// Checks `content_range` of `case` (and of `others`) against slices of the content of
/// `file`: the records' own ranges (what the timeline stream reads) and ranges cut at or past
/// the end. Returns the number of ranges checked.
fn check_ranges(case: &Case, others: &[&Case], file: &casefile_model::LogFile) -> usize {
    use casefile_model::ContentSource as _;
    let whole = case.content(file.artifact).unwrap();
    let len = whole.len() as u64;
    let mut asked: Vec<(u64, u64)> = case
        .log_records(file)
        .iter()
        .map(|r| (r.start, r.end - r.start))
        .take(50)
        .collect();
    asked.extend([
        (0, len),
        (len / 2, len),
        (len / 3, len),
        (len, 10),
        (len + 5, 3),
        (0, 0),
    ]);
    for &(from, n) in &asked {
        let lo = usize::try_from(from.min(len)).unwrap();
        let hi = usize::try_from(from.saturating_add(n).min(len)).unwrap();
        for c in std::iter::once(case).chain(others.iter().copied()) {
            let got = c.content_range(file.artifact, from, n).unwrap();
            assert_eq!(&*got, &whole[lo..hi], "{:?} at {from}+{n}", file.artifact);
        }
    }
    asked.len()
}

#[test]
fn a_range_read_gives_the_bytes_of_the_content_with_or_without_a_cache_blob() {
    use casefile_model::ContentSource as _;
    let cache = tempfile::tempdir().unwrap();
    let cached = open(&sample_inputs(), Some(cache.path()));
    let in_memory = open(&sample_inputs(), None);
    let logs = cached.snapshot().snapshot.logs;
    assert!(logs.len() > 3, "the sample case has logs");
    let mut ranges = 0;
    for file in &logs {
        assert_eq!(
            cached.content(file.artifact).unwrap(),
            in_memory.content(file.artifact).unwrap()
        );
        ranges += check_ranges(&cached, &[&in_memory], file);
    }
    assert!(ranges > 50);
}

#[test]
fn a_range_read_from_a_directory_input_reads_the_range_of_the_file() {
    // The sample must-gather unpacked: its plain files stay on disk, read in place.
    let dir = tempfile::tempdir().unwrap();
    let mg = sample_inputs()
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with("must-gather.tar.gz"))
        .unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(mg).unwrap(),
    ))
    .unpack(dir.path())
    .unwrap();
    let case = open(&[dir.path().to_path_buf()], None);
    let logs = case.snapshot().snapshot.logs;
    assert!(logs.len() > 3, "the sample must-gather has logs");
    for file in &logs {
        check_ranges(&case, &[], file);
    }
}

#[test]
fn an_index_that_cannot_be_written_is_named_and_nothing_is_kept_against_it() {
    // The index is written while the objects are deduplicated. Where its file should go
    // sits a directory: the write fails, the case still loads whole, and nothing is kept
    // for a later open that could not find the index.
    let inputs = sample_inputs();
    let fresh = open(&inputs, None);
    let cache = tempfile::tempdir().unwrap();
    let written = open(&inputs, Some(cache.path()));
    let _ = written.snapshot();
    let idx: Vec<PathBuf> = walk(cache.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        .collect();
    assert_eq!(idx.len(), inputs.len());

    let blocked = tempfile::tempdir().unwrap();
    let must_gather = idx
        .iter()
        .find(|p| {
            let bytes = std::fs::read(p).unwrap();
            String::from_utf8_lossy(&bytes).contains("must-gather")
        })
        .unwrap();
    let rel = must_gather.strip_prefix(cache.path()).unwrap();
    std::fs::create_dir_all(blocked.path().join(rel).join("in-the-way")).unwrap();

    let case = open(&inputs, Some(blocked.path()));
    assert_eq!(case.objects(), fresh.objects(), "everything still loads");
    let named: Vec<String> = case
        .archives()
        .iter()
        .flat_map(|a| &a.read_diagnostics)
        .map(|d| d.message.clone())
        .filter(|m| m.contains("cannot write the persistent index"))
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    let _ = case.snapshot();
    let kept: Vec<PathBuf> = walk(blocked.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "snap" || e == "objects"))
        .collect();
    assert!(kept.is_empty(), "{kept:?}");
    // The other inputs' indexes were written.
    let other_idx = walk(blocked.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "idx") && p.is_file())
        .count();
    assert_eq!(other_idx, inputs.len() - 1);
}
