//! `sopbook build`: check the whole book, then write the site. A book with
//! errors writes nothing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{EXIT_BOOK_ERRORS, EXIT_FAILURE, EXIT_OK, Ui};
use crate::config::{self, Config};
use crate::diagnostics::{Report, Sources};
use crate::failure::Failure;
use crate::model::{self, Handbook};
use crate::{load, output, parse, render, validate};

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

/// A book read and checked: everything `build`, `check` and `serve` share.
#[derive(Debug)]
pub struct Checked {
    pub config: Option<Config>,
    pub handbook: Option<Handbook>,
    pub sources: Sources,
    pub report: Report,
    pub out_dir: PathBuf,
    /// The date reviews are checked against.
    pub today: jiff::civil::Date,
}

pub fn run(opts: &BuildOptions, ui: &Ui) -> i32 {
    let start = Instant::now();
    let checked = match check(opts, ui) {
        Ok(c) => c,
        Err(f) => {
            ui.failure(&f);
            return EXIT_FAILURE;
        }
    };
    ui.report(&checked.report, &checked.sources);
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
    let site = render::render(hb, config, &theme, today)?;
    timer.lap("render");
    ui.progress(&format!("Writing {} files", site.files.len()));
    output::write(&site, out_dir)?;
    timer.lap("write");
    Ok(site.pages())
}

/// Reads, parses, models and checks the book. Operational problems are a
/// `Failure`; content problems are in the report.
pub fn check(opts: &BuildOptions, ui: &Ui) -> Result<Checked, Failure> {
    let today = super::today(opts.today.as_deref())?;
    let root = &opts.dir;
    let prefix = display_prefix(root);
    let toml_path = root.join("book.toml");
    let text = match std::fs::read(&toml_path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| Failure::new(format!("{} is not UTF-8 text", toml_path.display())))?,
        Err(_) if !root.is_dir() => {
            return Err(Failure::new(format!(
                "the book folder {} does not exist",
                root.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::new(format!("no book.toml in {}", root.display())).help("run sopbook in a book's folder (one with book.toml), or pass the folder: `sopbook build path/to/book`"));
        }
        Err(e) => return Err(Failure::io("read", &toml_path, &e)),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    let mut sources = Sources::default();
    let toml_file = sources.add(format!("{prefix}book.toml"), text);
    let (config, mut diags) = config::parse(&sources.get(toml_file).text, toml_file);
    let Some(mut config) = config else {
        let report = Report::finish(diags, |r| r.default_level(), &sources);
        return Ok(Checked {
            config: None,
            handbook: None,
            sources,
            report,
            out_dir: root.join("site"),
            today,
        });
    };
    if let Some(url) = &opts.base_url {
        config.build.base_url = Some(config::normalize_base_url(url).ok_or_else(|| {
            Failure::new(format!(
                "--base-url must be an absolute http(s) URL: `{url}`"
            ))
            .help("e.g. --base-url https://acme.example/handbook/")
        })?);
    }
    let drafts = opts.drafts || config.build.drafts;
    let content_dir = root.join(&config.build.content_dir);
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| root.join(&config.build.output_dir));
    let themes_dir = root.join("themes");
    if opts.writes {
        output::check_out_dir(
            &out_dir,
            &[
                ("book root", root.as_path()),
                ("content dir", &content_dir),
                ("themes dir", &themes_dir),
            ],
        )?;
    }

    let content_prefix = format!(
        "{prefix}{}/",
        config.build.content_dir.trim_end_matches('/')
    );
    ui.progress("Reading the content dir");
    let mut timer = super::Timer::new();
    let mut content = load::load(&content_dir, &content_prefix, &mut sources)?;
    timer.lap("read");
    ui.progress(&format!("Checking {} files", content.texts.len()));
    diags.append(&mut content.diagnostics);
    let texts = std::mem::take(&mut content.texts);
    let parsed: Vec<(parse::Parsed, Vec<_>)> = texts
        .par_iter()
        .map(|t| parse::parse(&t.rel, t.file, &sources.get(t.file).text))
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, d) in parsed {
        docs.push(doc);
        diags.extend(d);
    }
    timer.lap("parse");
    let (mut hb, d) = model::build(docs, content, &config, drafts);
    timer.lap("model");
    diags.extend(d);
    diags.extend(model::links::resolve(&mut hb));
    timer.lap("links");
    diags.extend(model::embed::check(&hb));
    hb.graph = model::graph::build(&hb);
    timer.lap("graph");
    diags.extend(validate::run(&hb, today, |r| config.level(r)));
    timer.lap("validate");
    let report = Report::finish(diags, |r| config.level(r), &sources);
    Ok(Checked {
        config: Some(config),
        handbook: Some(hb),
        sources,
        report,
        out_dir,
        today,
    })
}

/// `./site` reads better as `site`.
fn tidy(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// Paths in messages start from where the user is: `content/a.md` for the
/// current folder, `books/acme/content/a.md` for `sopbook build books/acme`.
fn display_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{s}/")
    }
}
