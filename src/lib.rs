//! sopbook: a static site generator for handbooks of processes and SOPs.
//!
//! The data flows load → parse → model → render → output; `cmd` drives it.

pub mod book;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod failure;
pub mod html;
pub mod load;
pub mod model;
pub mod options;
pub mod output;
pub mod parse;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site_files;
pub mod spanned;
pub mod theme_ids;
pub mod ui;
pub mod validate;

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
    match cli.command.action() {
        cli::Action::Build(opts) => cmd::build::run(&opts, &ui),
        cli::Action::Check(opts) => cmd::check::run(&opts, &ui),
        cli::Action::Serve(opts) => serve::run(&opts, &ui),
        cli::Action::Init(dir) => cmd::init::run(&dir, &ui),
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
