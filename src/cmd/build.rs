//! `sopbook build`: check the whole book, then write the site. A book with
//! errors writes nothing.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use crate::book::{Book, Checked};
use crate::config::Config;
use crate::failure::{EXIT_BOOK_ERRORS, EXIT_FAILURE, EXIT_OK, Failure};
use crate::model::Handbook;
use crate::options::BuildOptions;
use crate::render::theme::Theme;
use crate::ui::{Timer, Ui, plural};
use crate::{output, render};

pub(crate) fn run(opts: &BuildOptions, ui: &Ui) -> i32 {
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
    let errors = checked.report.errors();
    let warnings = checked.report.warnings();
    let Checked {
        config: Some(config),
        handbook: Some(hb),
        report,
        out_dir,
        today,
        theme: Some(theme),
    } = checked
    else {
        ui.status(&summary_failed(errors, warnings));
        return EXIT_BOOK_ERRORS;
    };
    if errors > 0 {
        ui.status(&summary_failed(errors, warnings));
        return EXIT_BOOK_ERRORS;
    }
    // Rendering needs neither the sources nor the findings: freeing them
    // lowers a big book's peak memory.
    drop((book, report));
    let written = write(&config, &hb, &theme, &out_dir, today, ui);
    // The process exits next: the model (every document's text and HTML,
    // tens of thousands of allocations at 10,000 SOPs) and the theme are
    // left to the exit rather than freed one by one.
    std::mem::forget((config, hb, theme));
    match written {
        Ok(pages) => {
            ui.status(&format!(
                "Built {pages} pages into {}{} in {:.2}s",
                tidy(&out_dir),
                and_warnings(warnings),
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

fn summary_failed(errors: usize, warnings: usize) -> String {
    format!(
        "Nothing written: {}{}",
        plural(errors, "error"),
        and_warnings(warnings)
    )
}

/// `", 3 warnings"`, or nothing for none.
fn and_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        n => format!(", {}", plural(n, "warning")),
    }
}

/// Renders the checked book and swaps it into `out_dir`; returns the number
/// of HTML pages written.
pub(crate) fn write(
    config: &Config,
    hb: &Handbook,
    theme: &Theme,
    out_dir: &Path,
    today: jiff::civil::Date,
    ui: &Ui,
) -> Result<usize, Failure> {
    let mut timer = Timer::new();
    ui.progress(&format!("Rendering {} pages", hb.docs.len() + 2));
    let staging = output::Staging::begin(out_dir, || {
        ui.status(&format!(
            "Waiting for another build into {} to finish…",
            tidy(out_dir)
        ));
    })?;
    let plan = render::plan(hb, config, theme);
    staging.dirs(plan.paths())?;
    let pages = render::write(&plan, hb, config, theme, today, &|path, data| {
        staging.put(path, data)
    });
    // As the model (see `run`): the exit frees it.
    std::mem::forget(plan);
    let pages = pages?;
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
