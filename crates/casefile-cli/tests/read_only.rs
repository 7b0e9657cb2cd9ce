//! casefile never modifies its inputs and writes only inside its cache directory.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `root` with its bytes (the inputs are small).
fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn set_read_only(root: &Path, ro: bool) {
    for (p, _) in snapshot_tree(root) {
        let mut perm = std::fs::metadata(&p).unwrap().permissions();
        perm.set_readonly(ro);
        std::fs::set_permissions(&p, perm).unwrap();
    }
}

#[test]
fn inputs_are_never_modified_and_nothing_is_written_beside_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/okd-415-ca-rotation");
    let work = tempfile::tempdir().unwrap();
    let case = work.path().join("case");
    std::fs::create_dir(&case).unwrap();
    for (p, bytes) in snapshot_tree(&src) {
        std::fs::write(case.join(p.file_name().unwrap()), bytes).unwrap();
    }
    set_read_only(&case, true);
    let before = snapshot_tree(&case);
    let cache = work.path().join("cache");
    let cwd = work.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    for args in [
        vec!["index"],
        vec!["diagnose"],
        vec!["timeline", "--format", "csv"],
        vec!["certs", "--trust"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
            .args(&args)
            .arg(&case)
            .current_dir(&cwd)
            .env("CASEFILE_CACHE_DIR", &cache)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    set_read_only(&case, false);
    assert_eq!(
        snapshot_tree(&case),
        before,
        "an input changed or a file appeared beside the inputs"
    );
    assert!(
        std::fs::read_dir(&cwd).unwrap().next().is_none(),
        "something was written to the working directory"
    );
    // The persistent index went to the cache directory, and only there.
    assert!(!snapshot_tree(&cache).is_empty());
}

#[test]
fn an_unwritable_cache_directory_only_costs_the_persistent_index() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/healthy");
    let work = tempfile::tempdir().unwrap();
    // A regular file where the cache directory should be: nothing can be created under it.
    let blocker = work.path().join("not-a-dir");
    std::fs::write(&blocker, b"x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .arg("index")
        .arg(&src)
        .env("CASEFILE_CACHE_DIR", blocker.join("cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("persistent index"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nodes ("));
}
