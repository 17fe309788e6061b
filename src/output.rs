//! The site as an in-memory tree of files, and the one place that writes it:
//! into a staging dir beside the output, then swapped in, so a failed build
//! leaves the previous site exactly as it was (SPEC §7). Two builds into
//! one output dir take turns: the second waits for the first's swap.

use std::fs;
use std::path::{Path, PathBuf};

use crate::failure::Failure;
use crate::paths::absolute;
use crate::render::Data;

const OWN_FOLDER: &str = "the output dir is replaced on every build; set `output-dir` under [build], or pass --out, to a folder of its own such as `site`";

/// Refuses an output dir that is the book root, the content dir, a theme
/// dir, a parent of any of them, or inside the content or theme dir.
pub(crate) fn check_out_dir(out: &Path, protected: &[(&str, &Path)]) -> Result<(), Failure> {
    let out_abs = absolute(out);
    if out_abs.parent().is_none() {
        return Err(Failure::new(format!(
            "refusing to write the site to {}: it is the file system root",
            out.display()
        ))
        .help(OWN_FOLDER));
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
            return Err(Failure::new(format!(
                "refusing to write the site to {}: {problem} ({})",
                out.display(),
                dir.display()
            ))
            .help(OWN_FOLDER));
        }
    }
    Ok(())
}

/// Written into every site: an existing folder is replaced only if it holds
/// this file, so a mistyped --out (or a GitHub Pages checkout with its own
/// `.nojekyll`) never loses a file.
pub(crate) use crate::site_files::MARKER;
const MARKER_TEXT: &str =
    "This folder is written by sopbook and replaced as a whole on every build.\n";

/// A site being written: a fresh folder beside the output dir, swapped in
/// by [`Staging::commit`]. Dropped without a commit, it is removed and the
/// previous site stays as it was. Pages go in as they are rendered, so the
/// whole site is never held in memory.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    shown: PathBuf,
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    done: bool,
    /// Held from the check of the output dir to the end of the swap.
    _lock: fs::File,
}

impl Staging {
    /// Waits for any other build into the same folder (calling `waiting`
    /// first when there is one), checks that `out` may be replaced and
    /// makes the staging folder.
    pub(crate) fn begin(out: &Path, waiting: impl FnOnce()) -> Result<Staging, Failure> {
        let out_abs = absolute(out);
        let parent = out_abs
            .parent()
            .ok_or_else(|| {
                Failure::new(format!("refusing to write the site to {}", out.display()))
            })?
            .to_path_buf();
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Failure::new(format!("the output dir {} has no name", out.display())))?;
        fs::create_dir_all(&parent).map_err(|e| Failure::io("create", &parent, &e))?;
        let lock = lock(&parent, &name, waiting)?;
        restore_interrupted(&parent, &name);
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
        // Under the lock, a leftover is never another build's folder.
        remove_leftovers(&parent, &name);
        let dir = fresh_dir(&parent, &name, "new")?;
        Ok(Staging {
            out: out_abs,
            shown: out.to_path_buf(),
            dir,
            parent,
            name,
            done: false,
            _lock: lock,
        })
    }

    /// Makes the folders that `paths` (site paths of files) need.
    pub(crate) fn dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), Failure> {
        let mut dirs: Vec<&str> = paths
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs {
            let path = self.dir.join(d);
            fs::create_dir_all(&path).map_err(|e| Failure::io("create", &path, &e))?;
        }
        Ok(())
    }

    /// Writes one file; its folder must exist (see [`Staging::dirs`]).
    pub(crate) fn put(&self, rel: &str, data: &Data) -> Result<(), Failure> {
        let path = self.dir.join(rel);
        match data {
            Data::Bytes(bytes) => fs::write(&path, bytes).map_err(|e| {
                let failure = Failure::io("write", &path, &e);
                if e.kind() == std::io::ErrorKind::InvalidFilename {
                    failure.help("the page's name is too long for the file system: give the file a shorter name, or set a shorter `id` in its front matter")
                } else {
                    failure
                }
            }),
            Data::Copy(from) => fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Failure::io("copy", from, &e)),
        }
    }

    /// Swaps the new site in for the old one.
    pub(crate) fn commit(mut self) -> Result<(), Failure> {
        self.done = true;
        let (out, staging) = (&self.out, &self.dir);
        // The marker goes in with the swap whatever the pages did to it:
        // a site without it would be refused by every later build.
        let marker = staging.join(MARKER);
        if let Err(e) = fs::write(&marker, MARKER_TEXT) {
            let _ = fs::remove_dir_all(staging);
            return Err(Failure::io("write", &marker, &e));
        }
        if !out.exists() {
            return fs::rename(staging, out).map_err(|e| {
                let _ = fs::remove_dir_all(staging);
                Failure::io("move the new site into", &self.shown, &e)
            });
        }
        // One atomic exchange where the system has one: readers never see
        // the site missing, and a crash leaves the old site or the new.
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        if rustix::fs::renameat_with(
            rustix::fs::CWD,
            staging,
            rustix::fs::CWD,
            out,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .is_ok()
        {
            // The staging folder now holds the previous site.
            return fs::remove_dir_all(staging)
                .map_err(|e| Failure::io("remove the previous site", staging, &e));
        }
        // Elsewhere (or on a file system without the exchange): `old` is
        // created empty so its name is ours; the previous site is moved
        // inside it, then the new one into place. A crash in between is
        // undone by the next build (`restore_interrupted`).
        let old = fresh_dir(&self.parent, &self.name, "old")?;
        let aside = old.join("site");
        fs::rename(out, &aside).map_err(|e| {
            let _ = fs::remove_dir_all(staging);
            let _ = fs::remove_dir_all(&old);
            Failure::io("move aside the previous site", &self.shown, &e)
        })?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(&aside, out);
            let _ = fs::remove_dir_all(staging);
            let _ = fs::remove_dir_all(&old);
            return Err(Failure::io("move the new site into", &self.shown, &e));
        }
        fs::remove_dir_all(&old).map_err(|e| Failure::io("remove the previous site", &old, &e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// An exclusive lock for writing the output dir `parent/name`, waited for
/// when another build holds it. On Unix the lock is on the parent folder
/// itself, so nothing is left beside the site; where a folder cannot be
/// locked (Windows, some network file systems) it is a file
/// `.<name>.sopbook-lock` beside the output (kept: removing a lock file
/// while another process waits on it would let a third one in).
fn lock(parent: &Path, name: &str, waiting: impl FnOnce()) -> Result<fs::File, Failure> {
    let mut waiting = Some(waiting);
    if cfg!(unix)
        && let Ok(folder) = fs::File::open(parent)
        && let Ok(()) = take(&folder, &mut waiting)
    {
        return Ok(folder);
    }
    let path = parent.join(format!(".{name}.sopbook-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Failure::io("create the lock file", &path, &e))?;
    take(&file, &mut waiting).map_err(|e| Failure::io("lock", &path, &e))?;
    Ok(file)
}

/// Locks `file`, calling `waiting` (once) before blocking on another holder.
fn take(file: &fs::File, waiting: &mut Option<impl FnOnce()>) -> std::io::Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => {
            if let Some(waiting) = waiting.take() {
                waiting();
            }
            file.lock()
        }
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
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

/// A build that died between moving the previous site aside and moving the
/// new one in left no output dir and the previous site in
/// `.<name>.sopbook-old-<pid>-<n>/site`: put it back before anything else.
fn restore_interrupted(parent: &Path, name: &str) {
    let out = parent.join(name);
    if out.exists() {
        return;
    }
    let prefix = format!(".{name}.sopbook-old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let aside = entry.path().join("site");
        if entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.path().join(MARKER).is_file()
            && aside.join(MARKER).is_file()
            && fs::rename(&aside, &out).is_ok()
        {
            return;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (path, text) as a whole site to `out`.
    fn write(files: &[(&str, &str)], out: &Path) -> Result<(), Failure> {
        let staging = Staging::begin(out, || {})?;
        staging.dirs(files.iter().map(|(p, _)| *p))?;
        for (path, text) in files {
            staging.put(path, &Data::Bytes(text.as_bytes().to_vec()))?;
        }
        staging.commit()
    }

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
    fn a_swap_cut_short_is_undone_by_the_next_build() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");
        write(&[("index.html", "old")], &out).expect("first write");
        // What a build killed between its two renames leaves behind.
        let old = tmp.path().join(".site.sopbook-old-4000000-0");
        fs::create_dir(&old).expect("mkdir");
        fs::write(old.join(MARKER), MARKER_TEXT).expect("marker");
        fs::rename(&out, old.join("site")).expect("aside");
        assert!(!out.exists());
        let staging = Staging::begin(&out, || {}).expect("begin");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("restored"),
            "old"
        );
        assert!(!old.exists(), "the leftover is gone");
        drop(staging);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("kept"),
            "old"
        );
    }

    #[test]
    fn write_replaces_only_sopbook_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");
        let o = [(".nojekyll", ""), ("a/b.html", "x")];
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
