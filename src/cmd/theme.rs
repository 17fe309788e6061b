//! `sopbook theme export [DIR]`: the default theme is compiled into the
//! binary, so an installed sopbook has no `base.html` to copy. This writes
//! every default template and static file out as a theme folder, for a
//! book that wants to change more than the brand keys and blocks allow.

use std::path::{Path, PathBuf};

use crate::failure::{EXIT_FAILURE, EXIT_OK, Failure};
use crate::ui::Ui;

/// Where the files go without a DIR: the folder a book in the current
/// folder reads as overrides of the default theme, with no change to its
/// book.toml.
const DEFAULT_DIR: &str = "themes/default";

pub(crate) fn export(dir: Option<&Path>, ui: &Ui) -> i32 {
    let dir = dir.unwrap_or(Path::new(DEFAULT_DIR));
    match write(dir) {
        Ok(written) => {
            for path in &written {
                ui.status(&format!("  created {}", path.display()));
            }
            ui.status(&format!(
                "Wrote the default theme ({} files) to {}.",
                written.len(),
                dir.display()
            ));
            ui.status(&next_step(dir));
            EXIT_OK
        }
        Err(f) => {
            ui.failure(&f);
            EXIT_FAILURE
        }
    }
}

/// Writes every file of the default theme under `dir`, which must be new
/// or empty: a theme folder with files in it is someone's work.
fn write(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Failure::new(format!("{} is not empty", dir.display()))
                    .help("export into a new or empty folder, e.g. `sopbook theme export themes/acme`; nothing was written"));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(Failure::new(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        Err(e) => return Err(Failure::io("read", dir, &e)),
    }
    let mut written = Vec::new();
    for (rel, bytes) in crate::render::theme::default_files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
        }
        // create_new: a file that appears meanwhile is never overwritten.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Failure::io("create", &path, &e))?;
        std::io::Write::write_all(&mut file, bytes).map_err(|e| Failure::io("write", &path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// How a book comes to use the folder.
fn next_step(dir: &Path) -> String {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let in_themes = dir
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|p| p == "themes");
    let keep_few =
        "Delete the files you do not change: the others then keep following sopbook's updates.";
    match name {
        Some(name) if in_themes && name == "default" => format!(
            "A book in {} uses them now, unless its book.toml sets another `theme`. {keep_few}",
            dir.parent()
                .and_then(Path::parent)
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| "this folder".to_owned(), |p| p.display().to_string())
        ),
        Some(name) if in_themes => {
            format!("Set `theme = \"{name}\"` under [build] in book.toml to use them. {keep_few}")
        }
        _ => format!(
            "Move the folder to themes/<name>/ in a book and set `theme = \"<name>\"` under [build] to use it. {keep_few}"
        ),
    }
}
