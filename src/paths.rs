//! Paths as sopbook compares them: absolute, without `.`/`..`, with the
//! links of the part that exists resolved, so that two spellings of one
//! folder are one path (the output guard, the watcher, the content dir).

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Lexically absolute form of `path` (no `.`/`..`), resolving symlinks of
/// the part that exists, so that two spellings of one folder compare equal.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Canonicalise the longest existing prefix.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut result = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    result
}

/// The components of `path` below `base`, or `None` when it is not below
/// it: `["payroll", "run.md"]` for `content/payroll/run.md` under
/// `content`.
pub(crate) fn parts_under(base: &Path, path: &Path) -> Option<Vec<String>> {
    let rel = path.strip_prefix(base).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
    )
}

/// `path` below `base` as the site and the book's messages write it:
/// `/`-separated on every platform.
pub(crate) fn rel_under(base: &Path, path: &Path) -> Option<String> {
    parts_under(base, path).map(|parts| parts.join("/"))
}

/// A path `/`-separated on every platform.
pub(crate) fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_base_are_slash_separated() {
        let base = Path::new("book/content");
        let file = base.join("payroll").join("run.md");
        assert_eq!(rel_under(base, &file).as_deref(), Some("payroll/run.md"));
        assert_eq!(rel_under(base, Path::new("elsewhere/x.md")), None);
        assert_eq!(slashed(&Path::new("a").join("b.md")), "a/b.md");
    }
}
