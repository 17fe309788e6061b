//! One file per command, each the same shape: options in, exit code out.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod theme;

use std::path::PathBuf;

use crate::ui::Ui;

/// The book a command works on: the folder given, else the current folder
/// or the nearest one above it that has a book.toml, as cargo finds
/// Cargo.toml, so a command run from `content/payroll/` works. A book
/// found above is named, relative (`../..`), so the user knows which one
/// it is; its paths in messages start from where the user is.
pub(crate) fn book_dir(given: Option<PathBuf>, ui: &Ui) -> PathBuf {
    if let Some(dir) = given {
        return dir;
    }
    let here = PathBuf::from(".");
    let Ok(cwd) = std::env::current_dir() else {
        return here;
    };
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join("book.toml").is_file() {
            if up.as_os_str().is_empty() {
                return here;
            }
            ui.status(&format!("using the book at {}", up.display()));
            return up;
        }
        up.push("..");
    }
    // No book anywhere above: the error names the current folder.
    here
}
