//! The command line, as clap types only; turned at once into plain options
//! structs so nothing else depends on clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd::check::{CheckOptions, Format};
use crate::options::BuildOptions;
use crate::serve::ServeOptions;
use crate::ui::Ui;

/// The help of a book argument: where the book is when none is given.
const BOOK_HELP: &str = "The book: a folder with book.toml [default: the current folder, or the nearest folder above it with book.toml]";

#[derive(Debug, Parser)]
#[command(name = "sopbook", version, about = "Build handbooks of processes and Standard Operating Procedures", long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Color diagnostics: auto (when stderr is a terminal and NO_COLOR is unset), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl From<Color> for crate::ui::ColorChoice {
    fn from(color: Color) -> Self {
        match color {
            Color::Auto => crate::ui::ColorChoice::Auto,
            Color::Always => crate::ui::ColorChoice::Always,
            Color::Never => crate::ui::ColorChoice::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a small handbook to start from (never overwrites a file).
    Init {
        /// Where: a new or existing folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build, serve on 127.0.0.1, watch the book and reload open tabs on every change.
    Serve {
        #[arg(help = BOOK_HELP)]
        dir: Option<PathBuf>,
        /// Address to listen on [default: 127.0.0.1, or [serve] address].
        #[arg(long)]
        address: Option<String>,
        /// Port to listen on; 0 picks a free one [default: 3000, or [serve] port].
        #[arg(long, short)]
        port: Option<u16>,
        /// Open the site in the default browser.
        #[arg(long, short)]
        open: bool,
        /// Poll for changes instead of using OS events (network drives, some containers).
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (besides localhost, 127.0.0.1, [::1] and the address); repeatable.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Check reviews against this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Check the book without writing anything: every check `build` runs.
    Check {
        #[arg(help = BOOK_HELP)]
        dir: Option<PathBuf>,
        /// human: rustc-style messages; json: one JSON object per finding, on stdout; github: GitHub Actions annotations, on stdout.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Exit with 1 when there are warnings, too.
        #[arg(long)]
        deny_warnings: bool,
        /// Explain a rule (or list them all) and exit.
        #[arg(long, value_name = "RULE", num_args = 0..=1, default_missing_value = "")]
        explain: Option<String>,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Check reviews against this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Convert a folder of another tool (mdBook, MkDocs, Docusaurus, Hugo, Jekyll, Eleventy, Middleman, a GitHub wiki, plain Markdown) into a new book.
    Import {
        /// The source folder; nothing is written inside it.
        src: PathBuf,
        /// Where the new book goes: a new or empty folder [default: SRC-sopbook beside SRC].
        dest: Option<PathBuf>,
    },
    /// Check the book, then write the site.
    Build {
        #[arg(help = BOOK_HELP)]
        dir: Option<PathBuf>,
        /// Write the site here instead of the book's output-dir.
        #[arg(long, short, visible_short_alias = 'd', visible_alias = "dest-dir")]
        out: Option<PathBuf>,
        /// Absolute URL the site is served from (sitemap, canonical links).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Check reviews against this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Work with the default theme.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ThemeCommand {
    /// Write the default theme's templates and static files into a folder, to change any of them.
    Export {
        /// A new or empty folder [default: themes/default, which a book in the current folder uses at once].
        dir: Option<PathBuf>,
    },
}

/// What the command line asks for, free of clap types.
#[derive(Debug)]
pub(crate) enum Action {
    Build(BuildOptions),
    Check(CheckOptions),
    Serve(ServeOptions),
    Init(PathBuf),
    Import(PathBuf, Option<PathBuf>),
    /// `check --explain [RULE]`.
    Explain(Option<String>),
    /// `theme export [DIR]`.
    ThemeExport(Option<PathBuf>),
}

impl Command {
    /// The plain options; a command that takes a book and was given none
    /// looks for it from the current folder up ([`crate::cmd::book_dir`]).
    pub(crate) fn action(self, ui: &Ui) -> Action {
        let book = |dir: Option<PathBuf>| crate::cmd::book_dir(dir, ui);
        match self {
            Command::Build {
                dir,
                out,
                base_url,
                drafts,
                today,
            } => Action::Build(BuildOptions {
                dir: book(dir),
                out,
                base_url,
                drafts,
                today,
                preflight: true,
                brief: true,
            }),
            Command::Init { dir } => Action::Init(dir),
            Command::Theme {
                command: ThemeCommand::Export { dir },
            } => Action::ThemeExport(dir),
            Command::Import { src, dest } => Action::Import(src, dest),
            Command::Serve {
                dir,
                address,
                port,
                open,
                poll,
                allow_host,
                drafts,
                today,
            } => Action::Serve(ServeOptions {
                build: BuildOptions::read_only(book(dir), drafts, today),
                address,
                port,
                open,
                poll,
                allow_hosts: allow_host,
            }),
            Command::Check {
                explain: Some(rule),
                ..
            } => Action::Explain(Some(rule).filter(|r| !r.is_empty())),
            Command::Check {
                dir,
                format,
                deny_warnings,
                drafts,
                today,
                explain: None,
            } => Action::Check(CheckOptions {
                build: BuildOptions::check_only(book(dir), drafts, today),
                format: match format {
                    OutputFormat::Human => Format::Human,
                    OutputFormat::Json => Format::Json,
                    OutputFormat::Github => Format::Github,
                },
                deny_warnings,
            }),
        }
    }
}
