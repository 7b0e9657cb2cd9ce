//! The archive reader on arbitrary bytes: tar, tar.gz, tar.xz, tar.zst and zip (told apart by
//! magic bytes, like a file input), with nested and compressed members, then the layout
//! detection and object index over what was read, and every member's content.
#![no_main]

use casefile_ingest::archive::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Small caps so that one run stays bounded in time and memory.
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        max_ratio: 50,
        ratio_floor_bytes: 64 << 10,
        max_nesting: 2,
        max_entries: 2_000,
        max_xz_memory: 16 << 20,
    };
    let Some((data, diagnostics)) = archive::read_bytes(data, &limits) else {
        return;
    };
    let total: u64 = data.entries.iter().map(|e| e.size).sum();
    assert!(total <= limits.max_total_bytes, "{total} bytes stored");
    assert!(data.entries.len() <= limits.max_entries);
    for d in &diagnostics {
        assert!(!d.message.is_empty());
    }
    for id in 0..data.entries.len() as u32 {
        let _ = data.resolve(id);
        if let Ok(bytes) = data.content(id) {
            assert!(bytes.len() as u64 <= limits.max_entry_bytes);
        }
    }
    let index = casefile_ingest::index::build(&data);
    for o in &index.objects {
        assert!(o.start <= o.end);
    }
});
