//! The command line, as clap types only; turned at once into plain options
//! structs so nothing else depends on clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd::build::BuildOptions;

#[derive(Debug, Parser)]
#[command(name = "sopbook", version, about = "Build handbooks of processes and Standard Operating Procedures", long_about = None)]
pub struct Cli {
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
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the book, then write the site.
    Build {
        /// The book: a folder with book.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site here instead of the book's output-dir.
        #[arg(long, short)]
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
}

impl Command {
    pub fn build_options(self) -> BuildOptions {
        match self {
            Command::Build {
                dir,
                out,
                base_url,
                drafts,
                today,
            } => BuildOptions {
                dir,
                out,
                base_url,
                drafts,
                today,
            },
        }
    }
}
