//! The site as an in-memory tree of files, and the one place that writes it:
//! into a staging dir beside the output, then swapped in, so a failed build
//! leaves the previous site exactly as it was (SPEC §7).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::failure::Failure;

#[derive(Debug)]
pub enum Data {
    Bytes(Vec<u8>),
    /// A file copied as is (assets can be large: they are not read into memory).
    Copy(PathBuf),
}

#[derive(Debug, Default)]
pub struct Output {
    /// '/'-separated paths relative to the output dir.
    pub files: BTreeMap<String, Data>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, data: Data) {
        self.files.insert(path.into(), data);
    }

    pub fn add_text(&mut self, path: impl Into<String>, text: String) {
        self.add(path, Data::Bytes(text.into_bytes()));
    }

    pub fn pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// Lexically absolute form of `path` (no `.`/`..`), resolving symlinks of
/// the part that exists, so that two spellings of one folder compare equal.
pub fn absolute(path: &Path) -> PathBuf {
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

/// Refuses an output dir that is the book root, the content dir, a theme
/// dir, a parent of any of them, or inside the content or theme dir.
pub fn check_out_dir(out: &Path, protected: &[(&str, &Path)]) -> Result<(), Failure> {
    let out_abs = absolute(out);
    if out_abs.parent().is_none() {
        return Err(Failure::new(format!(
            "refusing to write the site to {}: it is the file system root",
            out.display()
        )));
    }
    for (what, dir) in protected {
        let dir_abs = absolute(dir);
        let problem = if out_abs == dir_abs {
            Some(format!("it is the {what}"))
        } else if dir_abs.starts_with(&out_abs) {
            Some(format!("it contains the {what}"))
        } else if *what != "book root" && out_abs.starts_with(&dir_abs) {
            Some(format!("it is inside the {what}"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Failure::new(format!("refusing to write the site to {}: {problem} ({})", out.display(), dir.display()))
                .help("the output dir is replaced on every build; set `output-dir` under [build], or pass --out, to a folder of its own such as `site`"));
        }
    }
    Ok(())
}

/// Written into every site: an existing folder is replaced only if it holds
/// this file, so a mistyped --out (or a GitHub Pages checkout with its own
/// `.nojekyll`) never loses a file.
pub const MARKER: &str = ".sopbook";
const MARKER_TEXT: &str =
    "This folder is written by sopbook and replaced as a whole on every build.\n";

/// Writes the tree to `out`: into a fresh staging folder beside it, then
/// swaps the folders, so readers see the old site or the new one, never a
/// mix, and a failure leaves the old one as it was.
pub fn write(output: &Output, out: &Path) -> Result<(), Failure> {
    let out_abs = absolute(out);
    let parent = out_abs
        .parent()
        .ok_or_else(|| Failure::new(format!("refusing to write the site to {}", out.display())))?;
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Failure::new(format!("the output dir {} has no name", out.display())))?;
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(Failure::new(format!(
                "the output path {} exists and is not a folder",
                out.display()
            )));
        }
        let empty = fs::read_dir(&out_abs)
            .map_err(|e| Failure::io("read", &out_abs, &e))?
            .next()
            .is_none();
        if !empty && !out_abs.join(MARKER).is_file() {
            return Err(Failure::new(format!(
                "{} exists and was not written by sopbook; refusing to replace it",
                out.display()
            ))
            .help("move it away, or choose another output dir with --out or `output-dir`"));
        }
    }
    fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
    remove_leftovers(parent, &name);
    let staging = fresh_dir(parent, &name, "new")?;
    if let Err(e) = write_tree(output, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if !out_abs.exists() {
        return fs::rename(&staging, &out_abs).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            Failure::io("move the new site into", &out_abs, &e)
        });
    }
    // `old` is created empty so its name is ours; the previous site is
    // moved inside it, then the new one into place.
    let old = fresh_dir(parent, &name, "old")?;
    let aside = old.join("site");
    fs::rename(&out_abs, &aside).map_err(|e| {
        let _ = fs::remove_dir_all(&staging);
        let _ = fs::remove_dir(&old);
        Failure::io("move aside the previous site", &out_abs, &e)
    })?;
    if let Err(e) = fs::rename(&staging, &out_abs) {
        let _ = fs::rename(&aside, &out_abs);
        let _ = fs::remove_dir_all(&staging);
        let _ = fs::remove_dir(&old);
        return Err(Failure::io("move the new site into", &out_abs, &e));
    }
    fs::remove_dir_all(&old).map_err(|e| Failure::io("remove the previous site", &old, &e))?;
    Ok(())
}

/// A new, empty folder `.<name>.sopbook-<what>-<pid>-<n>` beside the output.
fn fresh_dir(parent: &Path, name: &str, what: &str) -> Result<PathBuf, Failure> {
    let pid = std::process::id();
    for n in 0..1000 {
        let dir = parent.join(format!(".{name}.sopbook-{what}-{pid}-{n}"));
        match fs::create_dir(&dir) {
            Ok(()) => {
                // Marked at once, so a crash leaves a folder we may remove.
                fs::write(dir.join(MARKER), MARKER_TEXT)
                    .map_err(|e| Failure::io("write", &dir.join(MARKER), &e))?;
                return Ok(dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Failure::io("create", &dir, &e)),
        }
    }
    Err(Failure::new(format!(
        "cannot create a staging folder in {}",
        parent.display()
    )))
}

/// Folders an interrupted build left beside the output: removed only when
/// they carry our name pattern and our marker.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.sopbook-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if file_name.starts_with(&prefix) && path.is_dir() && path.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn write_tree(output: &Output, root: &Path) -> Result<(), Failure> {
    use rayon::prelude::*;
    fs::create_dir_all(root).map_err(|e| Failure::io("create", root, &e))?;
    let mut dirs: Vec<PathBuf> = output
        .files
        .keys()
        .filter_map(|p| {
            Path::new(p)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map(|d| root.join(d))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
    }
    fs::write(root.join(MARKER), MARKER_TEXT)
        .map_err(|e| Failure::io("write", &root.join(MARKER), &e))?;
    output.files.par_iter().try_for_each(|(rel, data)| {
        let path = root.join(rel);
        match data {
            Data::Bytes(bytes) => {
                fs::write(&path, bytes).map_err(|e| Failure::io("write", &path, &e))
            }
            Data::Copy(from) => fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Failure::io("copy", from, &e)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_book_root_and_parents() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let content = root.join("content");
        let protected = [("book root", root), ("content dir", content.as_path())];
        assert!(check_out_dir(root, &protected).is_err());
        assert!(check_out_dir(&content, &protected).is_err());
        assert!(check_out_dir(&content.join("site"), &protected).is_err());
        assert!(check_out_dir(root.parent().expect("parent"), &protected).is_err());
        assert!(check_out_dir(Path::new("/"), &protected).is_err());
        assert!(check_out_dir(&root.join("site"), &protected).is_ok());
    }

    #[test]
    fn write_replaces_only_sopbook_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");
        let mut o = Output::default();
        o.add_text(".nojekyll", String::new());
        o.add_text("a/b.html", "x".into());
        write(&o, &out).expect("first write");
        assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("read"), "x");
        write(&o, &out).expect("second write replaces");
        let foreign = tmp.path().join("docs");
        fs::create_dir_all(&foreign).expect("mkdir");
        fs::write(foreign.join("keep.txt"), "mine").expect("write");
        assert!(write(&o, &foreign).is_err());
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).expect("read"),
            "mine"
        );
    }
}
