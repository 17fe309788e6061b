//! sopbook: a static site generator for handbooks of processes and SOPs.
//!
//! The data flows load → parse → model → render → output; `cmd` drives it.

// The package allows one `unsafe` item, the allocator's options in the
// binary (src/main.rs); the library has none.
#![forbid(unsafe_code)]

pub(crate) mod book;
pub(crate) mod cli;
pub(crate) mod clock;
pub(crate) mod cmd;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub(crate) mod failure;
pub(crate) mod history;
pub(crate) mod html;
pub(crate) mod i18n;
pub(crate) mod import;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod options;
pub(crate) mod output;
pub(crate) mod parse;
pub(crate) mod paths;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod serve;
pub(crate) mod site_files;
pub(crate) mod spanned;
pub(crate) mod theme_ids;
pub(crate) mod ui;
pub(crate) mod validate;

/// What the benches, the fuzz target and the corpus replay drive: the
/// stages one by one. Not a stable API; everything else is crate-private,
/// so the compiler reports what nothing uses.
#[doc(hidden)]
pub mod internals {
    pub use crate::book::memory;
    pub use crate::clock::today;
    pub use crate::config::{Config, parse as parse_config};
    pub use crate::diagnostics::{FileId, Severity, Sources};
    pub use crate::history::{
        Change, Commit, GitFailed, History, Outcome, Status, Unavailable, read as read_history,
        read_cli as read_history_cli,
    };
    pub use crate::model::{Doc, DocId, Handbook, Kind};
    pub use crate::parse::{ParseOptions, Parsed, parse};
    pub use crate::pipeline::{Read, Settings, check};
    pub use crate::render::theme::load as load_theme;
    pub use crate::render::{Job, SitePlan, Theme, generated, page, plan};
    pub use crate::site_files::{GRAPH, NAV};
    pub use crate::ui::Timer;
    pub use crate::validate::run as validate;
}

use std::ffi::OsString;

use clap::Parser;

/// Runs the command line and returns the exit code: 0 ok, 1 the book has
/// errors, 2 usage or I/O problems.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                failure::EXIT_FAILURE
            } else {
                failure::EXIT_OK
            };
        }
    };
    let ui = ui::Ui::new(cli.quiet, cli.color.into());
    match cli.command.action(&ui) {
        cli::Action::Build(opts) => cmd::build::run(&opts, &ui),
        cli::Action::Check(opts) => cmd::check::run(&opts, &ui),
        cli::Action::Serve(opts) => serve::run(&opts, &ui),
        cli::Action::Init(dir) => cmd::init::run(&dir, &ui),
        cli::Action::ThemeExport(dir) => cmd::theme::export(dir.as_deref(), &ui),
        cli::Action::Import(src, dest) => import::run(&src, dest.as_deref(), &ui),
        cli::Action::Explain(rule) => match cmd::check::explain(rule.as_deref()) {
            Ok(text) => {
                use std::io::Write;
                let _ = std::io::stdout().write_all(text.as_bytes());
                failure::EXIT_OK
            }
            Err(f) => {
                ui.failure(&f);
                failure::EXIT_FAILURE
            }
        },
    }
}
