//! The output is byte-identical at any thread count: every command that prints an analysis
//! runs with `--threads 1` and `--threads 4` (cold cache each time, so reading, indexing,
//! parsing and analysis all run on the pool) and the outputs are compared.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn run(threads: usize, args: &[&str]) -> Vec<u8> {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casefile"))
        .arg("--threads")
        .arg(threads.to_string())
        .args(args)
        .env("CASEFILE_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    out.stdout
}

#[test]
fn output_is_identical_at_one_and_four_threads() {
    // Two inputs of one case (a folder of archives) and a plain case directory.
    let cases = [
        scenario("okd-415-ca-rotation"),
        scenario("kubelet-client-ca-rotation"),
    ];
    for case in &cases {
        let dir = case.to_str().unwrap();
        let commands: [&[&str]; 6] = [
            &["diagnose", "--format", "json", dir],
            &["diagnose", "--format", "markdown", dir],
            &["timeline", "--format", "jsonl", dir],
            &["certs", "--trust", "--format", "json", dir],
            &["get", "pods", "-A", "-o", "json", "--archive", dir],
            &["index", "--format", "json", dir],
        ];
        for args in commands {
            let (one, four) = if args[0] == "index" {
                // The summary reports how long reading took: the one field that may differ.
                (
                    without_elapsed(&run(1, args)),
                    without_elapsed(&run(4, args)),
                )
            } else {
                (run(1, args), run(4, args))
            };
            assert!(
                one == four,
                "{args:?} differs between 1 and 4 threads:\n--- 1 thread\n{}\n--- 4 threads\n{}",
                String::from_utf8_lossy(&one),
                String::from_utf8_lossy(&four)
            );
        }
    }
}

/// The JSON summary with its `elapsed_ms` timings removed.
fn without_elapsed(out: &[u8]) -> Vec<u8> {
    fn strip(v: &mut serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(m) => {
                let here = usize::from(m.remove("elapsed_ms").is_some());
                here + m.values_mut().map(strip).sum::<usize>()
            }
            serde_json::Value::Array(a) => a.iter_mut().map(strip).sum(),
            _ => 0,
        }
    }
    let mut v: serde_json::Value = serde_json::from_slice(out).unwrap();
    assert!(strip(&mut v) > 0, "the summary has timings to strip");
    serde_json::to_vec_pretty(&v).unwrap()
}
