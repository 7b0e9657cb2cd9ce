//! Format detection by magic bytes, never by file name.

/// A byte-stream format recognized from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    /// gzip (`1f 8b`).
    Gzip,
    /// xz (`fd 37 7a 58 5a 00`).
    Xz,
    /// zstd (`28 b5 2f fd`).
    Zstd,
    /// zip local file header or empty central directory.
    Zip,
    /// bzip2 (`BZh`): recognized so we can say we do not read it.
    Bzip2,
    /// A POSIX/GNU tar (`ustar` at offset 257).
    Tar,
    /// Anything else.
    Unknown,
}

/// Detects the format of a byte stream from its first bytes (at least 262 for tar).
pub fn sniff(head: &[u8]) -> Magic {
    if head.starts_with(&[0x1f, 0x8b]) {
        Magic::Gzip
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Magic::Xz
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Magic::Zstd
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Magic::Zip
    } else if head.starts_with(b"BZh") {
        Magic::Bzip2
    } else if head.get(257..262) == Some(b"ustar") {
        Magic::Tar
    } else {
        Magic::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        let cases: &[(&[u8], Magic)] = &[
            (&[0x1f, 0x8b, 8, 0], Magic::Gzip),
            (&[0x1f, 0x8c], Magic::Unknown),
            (&[0xfd, b'7', b'z', b'X', b'Z', 0], Magic::Xz),
            (&[0xfd, b'7', b'z', b'X', b'Z', 1], Magic::Unknown),
            (&[0x28, 0xb5, 0x2f, 0xfd], Magic::Zstd),
            (b"PK\x03\x04", Magic::Zip),
            (b"PK\x01\x02", Magic::Unknown),
            (b"BZh9", Magic::Bzip2),
            (&tar, Magic::Tar),
            (&tar[..261], Magic::Unknown),
            (b"", Magic::Unknown),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{bytes:?}");
        }
    }
}
