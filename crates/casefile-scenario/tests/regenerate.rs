//! (a) same seed ⇒ byte-identical archives; (b) the committed `testdata/` cases are current.
#![forbid(unsafe_code)]

mod common;

use std::path::Path;

use casefile_scenario::scenarios::{self, COMMITTED, DEFAULT_SEED};

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let p = e.expect("dirent").path();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("read file"))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn assert_same(a: &Path, b: &Path) {
    let fa = files(a);
    let fb = files(b);
    let na: Vec<&String> = fa.iter().map(|x| &x.0).collect();
    let nb: Vec<&String> = fb.iter().map(|x| &x.0).collect();
    assert_eq!(
        na,
        nb,
        "file lists differ: {} vs {}",
        a.display(),
        b.display()
    );
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn same_seed_gives_byte_identical_archives() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    scenarios::generate("okd-415-ca-rotation", &a, DEFAULT_SEED, 0).expect("generate a");
    scenarios::generate("okd-415-ca-rotation", &b, DEFAULT_SEED, 0).expect("generate b");
    assert_same(&a, &b);
}

#[test]
fn committed_testdata_is_current() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut total = 0u64;
    for name in COMMITTED {
        let out = tmp.path().join(name);
        scenarios::generate(name, &out, DEFAULT_SEED, 0).expect("generate");
        let committed = common::testdata().join(name);
        assert!(
            committed.is_dir(),
            "testdata/{name} missing: run `cargo xtask scenario all --out testdata`"
        );
        assert_same(&out, &committed);
        total += files(&committed)
            .iter()
            .map(|f| f.1.len() as u64)
            .sum::<u64>();
    }
    assert!(
        total < 5 * 1024 * 1024,
        "committed cases are {total} bytes (limit 5 MiB)"
    );
}
