//! Helpers shared by the integration tests: read generated archives back.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

/// One tar entry.
pub struct Entry {
    /// Path inside the archive.
    pub path: String,
    /// Entry type.
    pub kind: tar::EntryType,
    /// Content.
    pub data: Vec<u8>,
    /// Symlink target.
    pub link: Option<String>,
    /// mtime.
    pub mtime: u64,
}

/// `testdata/` at the workspace root.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Read every entry of a `.tar.gz` or `.tar.xz`.
pub fn read_archive(path: &Path) -> Vec<Entry> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let reader: Box<dyn Read> = if path.to_string_lossy().ends_with(".tar.xz") {
        Box::new(liblzma::read::XzDecoder::new(f))
    } else {
        Box::new(flate2::read::GzDecoder::new(f))
    };
    let mut ar = tar::Archive::new(reader);
    let mut out = Vec::new();
    for e in ar.entries().expect("tar entries") {
        let mut e = e.expect("tar entry");
        let path = e.path().expect("path").to_string_lossy().into_owned();
        let kind = e.header().entry_type();
        let link = e
            .link_name()
            .expect("link")
            .map(|l| l.to_string_lossy().into_owned());
        let mtime = e.header().mtime().expect("mtime");
        let mut data = Vec::new();
        e.read_to_end(&mut data).expect("read");
        out.push(Entry {
            path,
            kind,
            data,
            link,
            mtime,
        });
    }
    out
}

/// The must-gather archive of a case directory.
pub fn must_gather(case: &Path) -> Vec<Entry> {
    read_archive(&case.join("must-gather.tar.gz"))
}

/// All sosreport archives of a case directory (sorted by name).
pub fn sosreports(case: &Path) -> Vec<(String, Vec<Entry>)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("read case dir")
        .map(|e| e.expect("dirent").path())
        .filter(|p| p.to_string_lossy().ends_with(".tar.xz"))
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                read_archive(&p),
            )
        })
        .collect()
}

/// Find a file whose path ends with `suffix`.
pub fn find<'a>(entries: &'a [Entry], suffix: &str) -> &'a Entry {
    entries
        .iter()
        .find(|e| e.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no entry ending with {suffix}"))
}

/// Parse a YAML file into JSON values with the same YAML library the ingest crate uses.
pub fn yaml(e: &Entry) -> serde_json::Value {
    let text = std::str::from_utf8(&e.data).expect("utf8");
    serde_saphyr::from_str::<serde_json::Value>(text)
        .unwrap_or_else(|err| panic!("{}: {err}", e.path))
}

/// The item named `name` in a List.
pub fn item<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no item {name}"))
}

/// truth.json of a case.
pub fn truth(case: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(case.join("truth.json")).expect("truth.json");
    serde_json::from_str(&text).expect("truth json")
}

/// Decode standard base64.
pub fn b64(x: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(x)
        .expect("base64")
}

/// DER blocks of every CERTIFICATE in a PEM bundle (other PEM blocks skipped).
pub fn pem_certs(text: &[u8]) -> Vec<Vec<u8>> {
    x509_parser::pem::Pem::iter_from_buffer(text)
        .map(|p| p.expect("pem"))
        .filter(|p| p.label == "CERTIFICATE")
        .map(|p| p.contents)
        .collect()
}
