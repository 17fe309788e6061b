//! One file per command, each the same shape: options in, exit code out.

pub mod build;

use std::io::{IsTerminal, Write};

use crate::diagnostics::{Printer, Report, Sources};
use crate::failure::Failure;

/// How to talk to the user.
#[derive(Debug)]
pub struct Ui {
    pub quiet: bool,
    pub color: bool,
    /// stderr is a terminal: show progress lines that overwrite each other.
    pub live: bool,
}

impl Ui {
    pub fn new(quiet: bool, color: crate::cli::Color) -> Ui {
        let color = match color {
            crate::cli::Color::Always => true,
            crate::cli::Color::Never => false,
            crate::cli::Color::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let live = !quiet && std::io::stderr().is_terminal();
        Ui { quiet, color, live }
    }

    /// The phase a long build is in, on one line that the next phase (or
    /// the summary) overwrites. Only on a terminal.
    pub fn progress(&self, phase: &str) {
        if self.live {
            let _ = write!(std::io::stderr(), "\r\x1b[2K{phase}…");
        }
    }

    fn clear_progress(&self) {
        if self.live {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }

    /// A status line on stderr (a closed pipe is not an error).
    pub fn status(&self, line: &str) {
        self.clear_progress();
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }

    pub fn report(&self, report: &Report, sources: &Sources) {
        self.clear_progress();
        let printer = Printer::new(self.color);
        let mut err = std::io::stderr().lock();
        for d in &report.diagnostics {
            let _ = writeln!(err, "{}\n", printer.render(d, sources));
        }
    }

    pub fn failure(&self, failure: &Failure) {
        self.clear_progress();
        let mut err = std::io::stderr().lock();
        let prefix = if self.color {
            "\x1b[1;31merror\x1b[0m\x1b[1m:"
        } else {
            "error:"
        };
        let reset = if self.color { "\x1b[0m" } else { "" };
        let _ = writeln!(err, "{prefix} {}{reset}", failure.message);
        if let Some(help) = &failure.help {
            let _ = writeln!(err, "  = help: {help}");
        }
    }
}

pub const EXIT_OK: i32 = 0;
pub const EXIT_BOOK_ERRORS: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;
