//! Walks the content dir in a stable order and reads the Markdown sources.
//! Together with `output` and `serve`, the only code that reads the disk.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Rule, Sources};
use crate::failure::Failure;

/// A Markdown source, read and decoded.
#[derive(Debug)]
pub struct Text {
    /// Path inside the content dir, '/'-separated.
    pub rel: String,
    pub file: crate::diagnostics::FileId,
}

/// Any other file: copied to the same path in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub abs: PathBuf,
}

#[derive(Debug, Default)]
pub struct Content {
    pub texts: Vec<Text>,
    pub assets: Vec<Asset>,
    /// Folders, for links to a folder (`[x](../payroll/)`).
    pub dirs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Files an editor or the OS leaves behind, never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// Reads the content dir. `display_prefix` is prepended to paths shown to
/// the user (the book dir as given on the command line, plus the content dir).
pub fn load(
    content_dir: &Path,
    display_prefix: &str,
    sources: &mut Sources,
) -> Result<Content, Failure> {
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
    let mut content = Content::default();
    let mut markdown = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(content_dir).to_path_buf();
            match e.io_error() {
                Some(io) => Failure::io("read", &path, io),
                None => Failure::new(format!("cannot read {}: {e}", path.display())),
            }
        })?;
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
            content.dirs.push(rel);
        } else if is_markdown(&rel) {
            markdown.push((rel, entry.into_path()));
        } else if file_type.is_file() {
            content.assets.push(Asset {
                rel,
                abs: entry.into_path(),
            });
        }
    }

    let read: Vec<_> = markdown
        .into_par_iter()
        .map(|(rel, abs)| {
            let bytes = std::fs::read(&abs).map_err(|e| Failure::io("read", &abs, &e))?;
            Ok((rel, decode(bytes)))
        })
        .collect::<Result<_, Failure>>()?;
    for (rel, decoded) in read {
        let display = format!("{display_prefix}{rel}");
        match decoded {
            Ok(text) => {
                let file = sources.add(display, text);
                content.texts.push(Text { rel, file });
            }
            Err(offset) => {
                let file = sources.add(display, String::new());
                content.diagnostics.push(
                    Diagnostic::new(Rule::Encoding, format!("{rel} is not UTF-8 text (invalid byte at offset {offset})"))
                        .in_file(file)
                        .help("save the file as UTF-8, or give it another extension if it is not Markdown"),
                );
            }
        }
    }
    Ok(content)
}

/// UTF-8 with an optional BOM; on failure, the offset of the first bad byte.
fn decode(mut bytes: Vec<u8>) -> Result<String, usize> {
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
