//! What a command asks of the book, free of the command line: which book,
//! where its site goes, drafts, the date. Made by `cli`, read by `book`,
//! `cmd` and `serve`.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub(crate) struct BuildOptions {
    pub dir: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--today`; see [`crate::clock::today`] for the fallbacks.
    pub today: Option<String>,
    /// Also check what `build` refuses before it writes a file: an output
    /// dir it may not replace, a theme that does not load. On for `build`
    /// and `check` (a book that passes `check` builds); off for `serve`,
    /// which writes no output dir and reloads the theme itself.
    pub preflight: bool,
    /// Only the first warnings of each rule are printed (`build`): a rule
    /// that can find thousands (copied steps) keeps that many and counts
    /// the rest, and `check` lists them all.
    pub brief: bool,
}

impl BuildOptions {
    /// For `serve`: the book is read, no site is written.
    pub(crate) fn read_only(dir: PathBuf, drafts: bool, today: Option<String>) -> BuildOptions {
        BuildOptions {
            dir,
            out: None,
            base_url: None,
            drafts,
            today,
            preflight: false,
            brief: false,
        }
    }

    /// For `check`: nothing is written, but everything `build` would
    /// refuse is refused the same way.
    pub(crate) fn check_only(dir: PathBuf, drafts: bool, today: Option<String>) -> BuildOptions {
        BuildOptions {
            preflight: true,
            ..BuildOptions::read_only(dir, drafts, today)
        }
    }
}
