//! `sopbook build`: check the whole book, then write the site. A book with
//! errors writes nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{EXIT_BOOK_ERRORS, EXIT_FAILURE, EXIT_OK, Ui};
use crate::book::Book;
use crate::config::Config;
use crate::diagnostics::Report;
use crate::failure::Failure;
use crate::model::Handbook;
use crate::{output, render};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub dir: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--today`; see [`super::today`] for the fallbacks.
    pub today: Option<String>,
    /// The site will be written: refuse a dangerous output dir up front.
    pub writes: bool,
}

impl BuildOptions {
    /// For `check` and `serve`: the book is read, no site is written.
    pub fn read_only(dir: PathBuf, drafts: bool, today: Option<String>) -> BuildOptions {
        BuildOptions {
            dir,
            out: None,
            base_url: None,
            drafts,
            today,
            writes: false,
        }
    }
}

pub fn run(opts: &BuildOptions, ui: &Ui) -> i32 {
    let start = Instant::now();
    let mut book = Book::new(opts.clone());
    let checked = match book.check(ui, &HashSet::new()) {
        Ok(c) => c,
        Err(f) => {
            ui.failure(&f);
            return EXIT_FAILURE;
        }
    };
    ui.report_brief(&checked.report, &book.sources);
    let (Some(config), Some(hb)) = (&checked.config, &checked.handbook) else {
        ui.status(&summary_failed(&checked.report));
        return EXIT_BOOK_ERRORS;
    };
    if checked.report.errors() > 0 {
        ui.status(&summary_failed(&checked.report));
        return EXIT_BOOK_ERRORS;
    }
    match write(config, hb, &opts.dir, &checked.out_dir, checked.today, ui) {
        Ok(pages) => {
            let warnings = checked.report.warnings();
            let w = match warnings {
                0 => String::new(),
                1 => ", 1 warning".to_owned(),
                n => format!(", {n} warnings"),
            };
            ui.status(&format!(
                "Built {pages} pages into {}{w} in {:.2}s",
                tidy(&checked.out_dir),
                start.elapsed().as_secs_f64()
            ));
            EXIT_OK
        }
        Err(f) => {
            ui.failure(&f);
            EXIT_FAILURE
        }
    }
}

fn summary_failed(report: &Report) -> String {
    let errors = report.errors();
    let warnings = report.warnings();
    format!(
        "Nothing written: {errors} error{}{}",
        if errors == 1 { "" } else { "s" },
        match warnings {
            0 => String::new(),
            1 => ", 1 warning".to_owned(),
            n => format!(", {n} warnings"),
        }
    )
}

/// Renders the checked book and swaps it into `out_dir`; returns the number
/// of HTML pages written.
pub fn write(
    config: &Config,
    hb: &Handbook,
    root: &Path,
    out_dir: &Path,
    today: jiff::civil::Date,
    ui: &Ui,
) -> Result<usize, Failure> {
    let theme = render::theme::load(root, &config.build.theme)?;
    let mut timer = super::Timer::new();
    ui.progress(&format!("Rendering {} pages", hb.docs.len() + 2));
    let staging = output::Staging::begin(out_dir)?;
    let pages = render::render_into(hb, config, &theme, today, &staging)?;
    timer.lap("render");
    ui.progress("Writing");
    staging.commit()?;
    timer.lap("write");
    Ok(pages)
}

/// `./site` reads better as `site`.
fn tidy(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}
