//! Normalizing member paths: casefile treats them as opaque strings and never writes them
//! to disk, but `..`, absolute paths and odd separators still have to be made safe for
//! lookups and display.

/// Why a member path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// The path climbs out of the archive root with `..`.
    EscapesRoot,
    /// The path is empty after normalization.
    Empty,
    /// The path contains a NUL byte.
    Nul,
}

/// The result of normalizing a member path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// `/`-separated, relative, without `.` or empty components.
    pub path: String,
    /// The original path was absolute (the leading `/` was dropped).
    pub was_absolute: bool,
}

/// Normalizes a path from an archive: drops a leading `/` (noting it), `.` and empty
/// components, resolves `..` lexically and refuses paths that would climb above the root.
pub fn normalize(raw: &str) -> Result<Normalized, PathProblem> {
    if raw.contains('\0') {
        return Err(PathProblem::Nul);
    }
    let was_absolute = raw.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for comp in raw.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::EscapesRoot);
                }
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Empty);
    }
    Ok(Normalized {
        path: parts.join("/"),
        was_absolute,
    })
}

/// Resolves a link target relative to the directory of `link_path`, inside the archive.
/// Returns `None` when the target leaves the archive.
pub fn resolve_link(link_path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        // An absolute target means the host's filesystem, never the archive root.
        return None;
    }
    let dir = link_path.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if dir.is_empty() {
        target.to_owned()
    } else {
        format!("{dir}/{target}")
    };
    normalize(&joined).ok().map(|n| n.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_member_paths() {
        let cases: &[(&str, Result<&str, PathProblem>)] = &[
            ("a/b/c.yaml", Ok("a/b/c.yaml")),
            ("./a//b/./c", Ok("a/b/c")),
            ("a/b/", Ok("a/b")),
            ("/etc/passwd", Ok("etc/passwd")),
            ("a/../b", Ok("b")),
            ("a/b/../../c", Ok("c")),
            ("../etc/passwd", Err(PathProblem::EscapesRoot)),
            ("a/../../x", Err(PathProblem::EscapesRoot)),
            ("./", Err(PathProblem::Empty)),
            ("a\0b", Err(PathProblem::Nul)),
            (
                "system:openshift:openshift-authenticator.yaml",
                Ok("system:openshift:openshift-authenticator.yaml"),
            ),
        ];
        for (raw, want) in cases {
            let got = normalize(raw).map(|n| n.path);
            assert_eq!(got.as_deref(), want.as_ref().map(|s| *s), "{raw}");
        }
        assert!(normalize("/x").is_ok_and(|n| n.was_absolute));
    }

    #[test]
    fn resolves_links_inside_the_archive_only() {
        assert_eq!(
            resolve_link("sos/hostname", "sos_commands/host/hostname").as_deref(),
            Some("sos/sos_commands/host/hostname")
        );
        assert_eq!(resolve_link("sos/etc/x", "../y").as_deref(), Some("sos/y"));
        assert_eq!(
            resolve_link("hostname", "sos_commands/host/hostname").as_deref(),
            Some("sos_commands/host/hostname")
        );
        assert_eq!(resolve_link("sos/x", "../../../etc/shadow"), None);
        assert_eq!(resolve_link("sos/x", "/etc/shadow"), None);
    }
}
