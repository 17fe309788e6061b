//! `sopbook build` over a book held in memory, for the fuzz target
//! (`fuzz/`) and the test that replays its corpus: thousands of books a
//! second go through the real parse → model → validate → render code, with
//! nothing read from or written to the disk. Not part of the public API.

use std::collections::BTreeSet;
use std::path::PathBuf;

use jiff::civil::Date;

use crate::config;
use crate::diagnostics::{Printer, Report, Sources};
use crate::failure::Failure;
use crate::load::{self, Asset};
use crate::render::{self, Theme};
use crate::ui::Timer;
use crate::{parse, pipeline, validate};

/// What a build in memory made.
#[derive(Debug, Default)]
pub struct Built {
    /// Every diagnostic, rendered as `sopbook build` prints it.
    pub report: Vec<String>,
    pub errors: usize,
    /// Every generated file of the site by path (HTML pages, `nav.js`,
    /// the search index…); empty when the book has errors, as on disk.
    pub files: Vec<(String, String)>,
}

/// Builds the book whose `book.toml` is `toml` and whose content dir holds
/// `files` (paths inside it, '/'-separated). Paths that a walk of a real
/// folder cannot produce (empty or `.`/`..` parts, hidden or editor files,
/// a name that is also a folder, a repeat) are skipped. Non-Markdown files
/// are assets; with `sanitize-html` on, SVG ones are checked for scripts as
/// on disk. `theme` is used whatever book.toml names. Any `Err` is a
/// bug: a real build would stop with exit 2 on something not the user's.
pub fn build(
    toml: &str,
    files: &[(&str, &[u8])],
    theme: &Theme,
    today: Date,
) -> Result<Built, Failure> {
    let mut sources = Sources::default();
    let toml = toml.strip_prefix('\u{feff}').unwrap_or(toml);
    let toml_file = sources.add("book.toml".to_owned(), toml.to_owned());
    let (config, mut diags) = config::parse(&sources.get(toml_file).text, toml_file);
    let Some(config) = config else {
        let report = Report::finish(diags, |r| r.default_level(), &sources);
        return Ok(finish(&report, &sources));
    };

    let mut seen = BTreeSet::new();
    let mut kept: Vec<(&str, &[u8])> = files
        .iter()
        .filter(|(rel, _)| walkable(rel) && seen.insert(*rel))
        .copied()
        .collect();
    let dirs: BTreeSet<String> = kept
        .iter()
        .flat_map(|(rel, _)| {
            rel.match_indices('/')
                .map(|(i, _)| rel[..i].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    kept.retain(|(rel, _)| !dirs.contains(*rel));
    kept.sort_by_key(|(rel, _)| *rel);

    let mut docs = Vec::new();
    let mut unread = Vec::new();
    let mut assets = Vec::new();
    let mut svgs = Vec::new();
    for (rel, bytes) in kept {
        if !load::is_markdown(rel) {
            if load::is_svg(rel)
                && validate::unsafe_url::checks_svgs(&config)
                && let Some(text) = load::svg_text(bytes)
            {
                svgs.push(load::SvgText {
                    rel: rel.to_owned(),
                    text,
                });
            }
            assets.push(Asset {
                rel: rel.to_owned(),
                abs: PathBuf::from(rel),
            });
            continue;
        }
        match load::decode(bytes.to_vec()) {
            Ok(text) => {
                let file = sources.add(rel.to_owned(), text);
                let opts = parse::ParseOptions::of(&config);
                let (p, d) = parse::parse(rel, file, &sources.get(file).text, opts);
                docs.push(p);
                diags.extend(d);
            }
            Err(bad) => {
                let file = sources.add(rel.to_owned(), bad.valid);
                diags.push(super::not_utf8(rel, file, &sources, bad.binary));
                unread.push(rel.to_owned());
            }
        }
    }
    let read = pipeline::Read {
        docs,
        assets,
        dirs: dirs.into_iter().collect(),
        svgs,
        unread,
    };
    let settings = pipeline::Settings {
        config: &config,
        drafts: config.build.drafts,
        today,
        changed: None,
        svg_prefix: "",
        listed: None,
    };
    let (hb, d, _) = pipeline::check(read, &settings, &mut sources, &mut Timer::new());
    diags.extend(d);
    let report = Report::finish(diags, |r| config.level(r), &sources);
    let mut built = finish(&report, &sources);
    if built.errors > 0 {
        return Ok(built);
    }
    // The plan's made files; what it copies is not the fuzz target's concern.
    let plan = render::plan(&hb, &config, theme);
    for (path, job) in &plan.pages {
        let html = render::page(&hb, &config, theme, today, *job)?;
        built.files.push((path.clone(), html));
    }
    for path in &plan.generated {
        if let Some(text) = render::generated(&hb, &config, path) {
            built.files.push((path.clone(), text));
        }
    }
    if plan.search {
        built.files.extend(render::search::files(&hb, &config.book));
    }
    Ok(built)
}

/// Separates the files of a fuzz input.
pub const SEPARATOR: &[u8] = b"\n%%% ";

/// Used when a fuzz input has no book.toml text.
const DEFAULT_TOML: &str = "[book]\ntitle = \"Fuzz\"\n";

/// Cuts one fuzz input into a book: the text before the first `%%% ` line
/// is book.toml (a minimal one when empty); each `%%% <path>` line starts a
/// content file, which runs to the next such line. A file with an empty
/// path is named `<n>.md`.
pub fn split(data: &[u8]) -> (String, Vec<(String, Vec<u8>)>) {
    let mut chunks: Vec<&[u8]> = Vec::new();
    let mut rest = data.strip_prefix(&SEPARATOR[1..]).map_or(data, |r| {
        chunks.push(b"");
        r
    });
    while let Some(i) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        chunks.push(&rest[..i]);
        rest = &rest[i + SEPARATOR.len()..];
    }
    chunks.push(rest);
    let toml = String::from_utf8_lossy(chunks[0]);
    let toml = if toml.trim().is_empty() {
        DEFAULT_TOML.to_owned()
    } else {
        toml.into_owned()
    };
    let files = chunks[1..]
        .iter()
        .enumerate()
        .map(|(n, chunk)| {
            let (path, bytes) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], &chunk[i + 1..]),
                None => (*chunk, &[][..]),
            };
            let path = match String::from_utf8_lossy(path) {
                p if p.is_empty() => format!("{n}.md"),
                p => p.into_owned(),
            };
            (path, bytes.to_vec())
        })
        .collect();
    (toml, files)
}

/// Whether the walk of a content dir could name a file `rel`.
fn walkable(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && !load::is_ignored(part))
}

fn finish(report: &Report, sources: &Sources) -> Built {
    let printer = Printer::new(false);
    Built {
        report: report
            .diagnostics
            .iter()
            .map(|d| printer.render(d, sources))
            .collect(),
        errors: report.errors(),
        files: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme() -> Theme {
        render::theme::load(std::path::Path::new("/nonexistent"), "default")
            .expect("the built-in theme loads")
    }

    fn today() -> Date {
        Date::constant(2026, 1, 1)
    }

    #[test]
    fn builds_a_small_book() {
        let files: &[(&str, &[u8])] = &[
            (
                "pay/process.md",
                b"---\nkind: process\ntitle: Pay\noutcome: Paid\nbranches:\n  - id: run\n    when: Monthly\n---\nPaying.\n",
            ),
            (
                "pay/run.md",
                b"---\ntitle: Run payroll\nprocess: pay\nbranch: run\nreviewed: 2025-12-01\n---\n1. Open [[pay]].\n",
            ),
        ];
        let built = build("[book]\ntitle = \"T\"\n", files, &theme(), today()).expect("builds");
        assert_eq!(built.errors, 0, "{:#?}", built.report);
        let paths: Vec<&str> = built.files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"index.html"), "{paths:?}");
        assert!(paths.len() > 4, "{paths:?}");
    }

    #[test]
    fn reports_instead_of_rendering_a_broken_book() {
        let files: &[(&str, &[u8])] = &[("a.md", b"---\ntitle: [\n---\n"), ("b.md", b"\xff")];
        let built = build("[book]\ntitle = \"T\"\n", files, &theme(), today()).expect("builds");
        assert_eq!(built.errors, 2, "{:#?}", built.report);
        assert!(built.files.is_empty());
    }

    #[test]
    fn splits_a_fuzz_input_into_files() {
        let (toml, files) = split(b"%%% a.md\n# A\n%%% \nx\n%%% b/c.md");
        assert_eq!(toml, DEFAULT_TOML);
        assert_eq!(
            files,
            [
                ("a.md".to_owned(), b"# A".to_vec()),
                ("1.md".to_owned(), b"x".to_vec()),
                ("b/c.md".to_owned(), Vec::new()),
            ]
        );
        let (toml, files) = split(b"[book]\n%%% a.md\n");
        assert_eq!(toml, "[book]");
        assert_eq!(files, [("a.md".to_owned(), Vec::new())]);
    }

    #[test]
    fn skips_paths_a_walk_cannot_produce() {
        assert!(walkable("a/b.md"));
        for rel in [
            "",
            "/a.md",
            "a//b.md",
            "../a.md",
            ".git/x.md",
            "a.md~",
            "a\0.md",
        ] {
            assert!(!walkable(rel), "{rel:?}");
        }
    }
}
