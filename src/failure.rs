//! Operational failures (I/O, usage): they stop the run and give exit code 2.
//! Every failure that concerns a file names it.

use std::fmt;
use std::io;
use std::path::Path;

/// The process's exit codes (README, "Command line").
pub(crate) const EXIT_OK: i32 = 0;
/// The book has errors (or warnings, with `--deny-warnings`).
pub(crate) const EXIT_BOOK_ERRORS: i32 = 1;
/// A usage or I/O problem: a [`Failure`].
pub(crate) const EXIT_FAILURE: i32 = 2;

#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            help: None,
        }
    }

    pub fn io(action: &str, path: &Path, err: &io::Error) -> Failure {
        Failure::new(format!(
            "cannot {action} {}: {}",
            path.display(),
            plain_io(err)
        ))
    }

    pub fn help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }
}

/// `io::Error`'s Display adds "(os error 2)"; users need the words only.
pub(crate) fn plain_io(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
