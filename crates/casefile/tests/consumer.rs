//! A tiny crate outside the workspace, using only the facade (path dependency), diagnoses the
//! embedded sample case. It builds offline with the workspace's `Cargo.lock` and target
//! directory, so dependencies are already compiled.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const MAIN: &str = r#"
fn main() -> Result<(), casefile::Error> {
    let path = std::env::args().nth(1).expect("a case path");
    let case = casefile::Case::builder().no_cache(true).open(&[path])?;
    let report = case.diagnose();
    for finding in &report.findings {
        println!("{}", finding.id);
    }
    Ok(())
}
"#;

#[test]
fn external_crate_diagnoses_the_sample_with_the_facade_only() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.join("../..").canonicalize().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let facade = workspace.join("crates/casefile");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"casefile-consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncasefile = {{ path = {:?} }}\n\
             # unused: unifies features with the workspace (casefile-scenario) so ring is reused\n\
             getrandom = {{ version = \"0.2\", features = [\"std\"] }}\n\n[workspace]\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 2\n{}",
            facade.display().to_string(),
            // The workspace's own crates build unoptimized there, as here.
            ["casefile", "casefile-model", "casefile-ingest", "casefile-correlate", "casefile-export"]
                .map(|c| format!("[profile.dev.package.{c}]\nopt-level = 0\n"))
                .concat()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), MAIN).unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let mut build = Command::new(env!("CARGO"));
    build
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", &target);
    // Cargo gives this test its package's variables; a build script that tracks one of them
    // (ring tracks CARGO_MANIFEST_DIR) would otherwise rebuild, here and then again there.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_",
            "CARGO_TARGET_TMPDIR",
        ]
        .iter()
        .any(|p| key.starts_with(p))
        {
            build.env_remove(&*key);
        }
    }
    let status = build.status().unwrap();
    assert!(status.success(), "the consumer crate does not build");

    let bin = target
        .join("debug")
        .join(format!("casefile-consumer{}", std::env::consts::EXE_SUFFIX));
    let out = Command::new(bin)
        .arg(workspace.join("testdata/okd-415-ca-rotation"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().any(|l| l == "ca-trust-propagation"),
        "{stdout}"
    );
}
