//! Walks the content dir in a stable order and reads the Markdown sources.
//! Together with `output` and `serve`, the only code that reads the disk.
//!
//! Walking and reading are separate so that `serve` can walk on every
//! change and read only the files whose size or time changed.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::failure::Failure;

/// A Markdown source found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path inside the content dir, '/'-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub stamp: Stamp,
}

/// Size and modification time: a file whose stamp is unchanged is not
/// read again by `serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// Any other file: copied to the same path in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub abs: PathBuf,
}

/// What the content dir holds, in sorted order.
#[derive(Debug, Default)]
pub struct Listing {
    pub markdown: Vec<Found>,
    pub assets: Vec<Asset>,
    /// Folders, for links to a folder (`[x](../payroll/)`).
    pub dirs: Vec<String>,
}

pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Files an editor or the OS leaves behind, never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Lists the content dir.
pub fn walk(content_dir: &Path) -> Result<Listing, Failure> {
    let meta = std::fs::metadata(content_dir).map_err(|e| {
        Failure::io("read the content dir", content_dir, &e)
            .help("create it, or set `content-dir` under [build] in book.toml")
    })?;
    if !meta.is_dir() {
        return Err(Failure::new(format!(
            "the content dir {} is not a folder",
            content_dir.display()
        )));
    }
    let mut listing = Listing::default();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A file deleted while we walk (an editor's save) is not there.
            Err(e)
                if e.io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                continue;
            }
            Err(e) => {
                let path = e.path().unwrap_or(content_dir).to_path_buf();
                return Err(match e.io_error() {
                    Some(io) => Failure::io("read", &path, io),
                    None => Failure::new(format!("cannot read {}: {e}", path.display())),
                });
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Some(rel) = relative(content_dir, entry.path()) else {
            continue;
        };
        let file_type = entry.file_type();
        // Symbolic links are not followed: a book never reads or publishes
        // a file from outside its content dir.
        if file_type.is_symlink() {
            continue;
        }
        if file_type.is_dir() {
            listing.dirs.push(rel);
        } else if is_markdown(&rel) {
            let stamp = entry.metadata().map_or(
                Stamp {
                    len: 0,
                    modified: None,
                },
                |m| Stamp {
                    len: m.len(),
                    modified: m.modified().ok(),
                },
            );
            listing.markdown.push(Found {
                rel,
                abs: entry.into_path(),
                stamp,
            });
        } else if file_type.is_file() {
            listing.assets.push(Asset {
                rel,
                abs: entry.into_path(),
            });
        }
    }
    // By path, not walk order (`a-b.md` before `a/x.md`): `serve` inserts
    // new files with a binary search.
    listing.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.dirs.sort();
    Ok(listing)
}

/// Reads a Markdown file: its text (BOM removed), or the offset of the
/// first byte that is not UTF-8.
pub fn read(abs: &Path) -> Result<Result<String, usize>, Failure> {
    let bytes = std::fs::read(abs).map_err(|e| Failure::io("read", abs, &e))?;
    Ok(decode(bytes))
}

/// UTF-8 with an optional BOM; on failure, the offset of the first bad byte.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, usize> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| e.utf8_error().valid_up_to())
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_rejects_latin1() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_owned()));
        assert_eq!(decode(b"ab\xE9".to_vec()), Err(2));
    }
}
