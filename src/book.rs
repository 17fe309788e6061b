//! A book read, parsed and checked — and kept up to date file by file.
//!
//! `build` and `check` use it once. `serve` keeps it: after a change it
//! walks the content dir again, reads and parses only the files whose size
//! or time changed (or that the watcher named), and builds a new model
//! from the cached parses. The model, links and whole-book rules are always
//! computed whole, so an incremental result is the same as a clean one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{self, Config, HistoryMode};
use crate::diagnostics::{Diagnostic, FileId, Report, Rule, Sources};
use crate::failure::Failure;
use crate::history::{self, History};
use crate::load::{self, Stamp};
use crate::model::Handbook;
use crate::options::BuildOptions;
use crate::render::theme::Theme;
use crate::ui::{Timer, Ui};
use crate::{output, parse, pipeline, render, validate};

#[doc(hidden)]
pub mod memory;

/// One checked state of the book.
#[derive(Debug)]
pub(crate) struct Checked {
    /// `None` when book.toml has errors: nothing else was read.
    pub config: Option<Config>,
    pub handbook: Option<Handbook>,
    pub report: Report,
    pub out_dir: PathBuf,
    /// The date reviews were checked against.
    pub today: Date,
    /// The loaded theme, with [`BuildOptions::preflight`]; `None` without
    /// it or when book.toml has errors.
    pub theme: Option<Theme>,
}

struct Cached {
    stamp: Stamp,
    file: FileId,
    /// What book.toml asked the parse for (search's plain text,
    /// highlighting): a change parses the file again.
    opts: parse::ParseOptions,
    parsed: Option<parse::Parsed>,
    diags: Vec<Diagnostic>,
}

pub(crate) struct Book {
    opts: BuildOptions,
    /// `content/a.md` for the current folder, `books/acme/content/a.md` for
    /// `sopbook build books/acme`: paths start from where the user is.
    prefix: String,
    pub sources: Sources,
    toml_file: Option<FileId>,
    /// The book's `i18n/<language>.toml`, by its name.
    i18n_file: Option<(String, FileId)>,
    /// By path in the content dir; foldhash: `serve` looks up every file
    /// on each save.
    files: foldhash::HashMap<String, Cached>,
    /// The last walk of the content dir, kept up to date from the paths a
    /// watcher reports; walked again when a folder changes.
    listing: Option<(PathBuf, load::Listing)>,
    /// The last check stopped before it had read the whole book (a broken
    /// book.toml, an unreadable file, a missing content dir): what changed
    /// meanwhile is unknown, so the next check reads everything.
    incomplete: bool,
    /// The last history read, and from which content dir: `serve` reads
    /// git's log again only when HEAD moved.
    history: Option<(PathBuf, Arc<History>)>,
    /// Old versions' front matter already read for the redirects from
    /// the history: read once, whatever the number of checks.
    seen: history::moves::Seen,
    /// Keep each file's parse for the next check (`serve`); otherwise
    /// ([`Book::new`]: `build`, `check`) the parses move into the model
    /// instead of being copied, which lowers a big book's peak memory.
    keep_parses: bool,
}

impl std::fmt::Debug for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Book")
            .field("dir", &self.opts.dir)
            .field("files", &self.files.len())
            .finish()
    }
}

/// A theme loading on its own thread.
type ThemeLoad = std::thread::JoinHandle<Result<Theme, Failure>>;

impl Book {
    /// A book checked once (`build`, `check`).
    pub(crate) fn new(opts: BuildOptions) -> Book {
        let prefix = display_prefix(&opts.dir);
        Book {
            keep_parses: false,
            opts,
            prefix,
            sources: Sources::default(),
            toml_file: None,
            i18n_file: None,
            files: foldhash::HashMap::default(),
            listing: None,
            incomplete: false,
            history: None,
            seen: history::moves::Seen::default(),
        }
    }

    /// A book checked again after each change (`serve`): what did not
    /// change is not read or parsed again.
    pub(crate) fn watched(opts: BuildOptions) -> Book {
        Book {
            keep_parses: true,
            ..Book::new(opts)
        }
    }

    /// Drops every cached file: the next check reads the whole book.
    pub(crate) fn forget(&mut self) {
        self.files.clear();
        self.listing = None;
    }

    pub(crate) fn root(&self) -> &Path {
        &self.opts.dir
    }

    /// Reads what changed since the last call (everything on the first)
    /// and checks the whole book. `touched` are files a watcher reported:
    /// read again even if their size and time look the same.
    pub(crate) fn check(
        &mut self,
        ui: &Ui,
        touched: &HashSet<PathBuf>,
    ) -> Result<Checked, Failure> {
        if self.incomplete {
            self.forget();
        }
        self.incomplete = true;
        let checked = self.check_all(ui, touched)?;
        self.incomplete = checked.config.is_none();
        Ok(checked)
    }

    fn check_all(&mut self, ui: &Ui, touched: &HashSet<PathBuf>) -> Result<Checked, Failure> {
        let today = crate::clock::today(self.opts.today.as_deref())?;
        let root = self.opts.dir.clone();
        let mut timer = Timer::new();
        let (config, mut diags) = self.read_config(&root)?;
        let Some(mut config) = config else {
            return Ok(Checked {
                config: None,
                handbook: None,
                report: self.finish_report(diags, None),
                out_dir: root.join("site"),
                today,
                theme: None,
            });
        };
        self.apply_overrides(&mut config)?;
        self.read_strings(&root, &mut config, &mut diags)?;
        // Absolute, so the files the walk finds and those a watcher names
        // are the same paths.
        let content_dir = crate::paths::absolute(&root.join(&config.build.content_dir));
        let out_dir = self
            .opts
            .out
            .clone()
            .unwrap_or_else(|| root.join(&config.build.output_dir));
        let theme = self.preflight(&root, &config, &content_dir, &out_dir)?;
        // git's log runs on its own thread while the book is read and
        // checked.
        let history = self.start_history(&config, &content_dir);

        timer.lap("config");
        ui.progress("Reading the content dir");
        let mut listing = self.list(&content_dir, touched)?;
        timer.lap("walk");
        let content_prefix = format!(
            "{}{}/",
            self.prefix,
            config.build.content_dir.trim_end_matches('/')
        );
        let opts = parse::ParseOptions::of(&config);
        self.read_changed(&mut listing, touched, opts, &content_prefix, &mut timer)?;
        ui.progress(&format!("Checking {} files", listing.markdown.len()));
        let svgs = if validate::unsafe_url::checks_svgs(&config) {
            load::read_svgs(&listing.assets)?
        } else {
            Vec::new()
        };
        diags.extend(listing.skipped.iter().map(|s| skipped(s, &content_prefix)));
        let (docs, unread, found) = self.gather(&listing);
        diags.extend(found);
        let read = pipeline::Read {
            docs,
            assets: listing.assets.clone(),
            dirs: listing.dirs.clone(),
            svgs,
            unread,
        };
        self.listing = Some((content_dir.clone(), listing));
        // After a change, copied steps are reported for the changed files.
        let changed: Option<Vec<String>> = (!touched.is_empty()).then(|| {
            touched
                .iter()
                .filter_map(|p| crate::paths::rel_under(&content_dir, p))
                .collect()
        });
        let settings = pipeline::Settings {
            config: &config,
            drafts: self.opts.drafts || config.build.drafts,
            today,
            changed: changed.as_deref(),
            svg_prefix: &content_prefix,
            listed: self
                .opts
                .brief
                .then_some(crate::ui::WARNINGS_SHOWN_PER_RULE),
        };
        let (mut hb, mut d, unlisted) =
            pipeline::check(read, &settings, &mut self.sources, &mut timer);
        // The long list takes the short one (the report sorts them all).
        d.append(&mut diags);
        diags = d;
        let history = match history {
            Some(pending) => self.finish_history(pending, &config, &content_dir, &mut diags)?,
            None => None,
        };
        timer.lap("history");
        if let Some(h) = &history {
            let current = hb
                .placed_sops()
                .map(|(id, doc, _)| history::revisions::Current {
                    key: id,
                    rel: doc.rel.as_str(),
                    text: &self.sources.get(doc.file).text,
                    revision: doc.control.revision.clone(),
                    steps: doc.body.steps.iter().map(|s| s.span.clone()).collect(),
                })
                .collect();
            // The old URLs of moved pages are found beside the revisions:
            // both wait on git reading old versions.
            let seen = &mut self.seen;
            let sources = &self.sources;
            let (revisions, moved) = std::thread::scope(|scope| {
                let moved = config
                    .build
                    .redirects_from_history
                    .then(|| scope.spawn(|| moved_pages(&hb, sources, h, &content_dir, seen)));
                let revisions = history::revisions::compare(current, h, &content_dir);
                // A panic there is a bug; the pages are built without
                // redirects from the history rather than not at all.
                let moved = moved.map(|t| t.join().unwrap_or_default());
                (revisions, moved)
            });
            hb.revisions = revisions;
            if let Some(found) = moved {
                crate::model::redirects::add_moved(&mut hb, found);
            }
            timer.lap("revisions");
        }
        hb.history = history;
        let theme = Book::theme(theme)?;
        let mut report = self.finish_report(diags, Some(&config));
        report.unlisted = unlisted;
        Ok(Checked {
            config: Some(config),
            handbook: Some(hb),
            report,
            out_dir,
            today,
            theme,
        })
    }

    /// Starts reading the history, unless `history = false`.
    fn start_history(&mut self, config: &Config, content_dir: &Path) -> Option<history::Pending> {
        if config.build.history == HistoryMode::Off {
            self.history = None;
            return None;
        }
        let previous = self
            .history
            .take()
            .filter(|(dir, _)| dir == content_dir)
            .map(|(_, h)| h);
        Some(history::Pending::start(content_dir.to_owned(), previous))
    }

    /// The history read, with its findings: `history-shallow` on a
    /// shallow clone; with `history = true`, a `config` error when git or
    /// the repository is missing. A git that fails inside a repository
    /// stops the run.
    fn finish_history(
        &mut self,
        pending: history::Pending,
        config: &Config,
        content_dir: &Path,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Option<Arc<History>>, Failure> {
        match pending.wait() {
            Ok(Ok(h)) => {
                if h.shallow {
                    diags.push(
                        Diagnostic::new(
                            Rule::HistoryShallow,
                            "the book's repository is a shallow clone: the history of its pages is cut short",
                        )
                        .help("fetch the whole history: `git fetch --unshallow`; in CI, fetch with full depth (`fetch-depth: 0` with actions/checkout, `GIT_DEPTH: 0` on GitLab; see docs/deploy.md)"),
                    );
                }
                self.history = Some((content_dir.to_owned(), Arc::clone(&h)));
                Ok(Some(h))
            }
            Ok(Err(why)) => {
                self.history = None;
                if config.build.history == HistoryMode::On {
                    let mut d = Diagnostic::new(
                        Rule::Config,
                        format!("`history = true`, but {why}"),
                    )
                    .help("install git and build from a clone of the book's repository, or set `history = \"auto\"` to build without history where there is none");
                    if let Some(file) = self.toml_file {
                        d = match &config.build.history_span {
                            Some(span) => {
                                d.at(file, span.clone()).label("history is required here")
                            }
                            None => d.in_file(file),
                        };
                    }
                    diags.push(d);
                }
                Ok(None)
            }
            Err(history::GitFailed(msg)) => {
                self.history = None;
                Err(Failure::new(format!(
                    "git could not read the history of {}: {msg}",
                    content_dir.display()
                ))
                .help("run `git log` there to see the problem, or set `[build] history = false` in book.toml to build without history"))
            }
        }
    }

    /// What the command line says over book.toml.
    fn apply_overrides(&self, config: &mut Config) -> Result<(), Failure> {
        if let Some(url) = &self.opts.base_url {
            config.build.base_url = Some(config::normalize_base_url(url).ok_or_else(|| {
                Failure::new(format!(
                    "--base-url must be an absolute http(s) URL: `{url}`"
                ))
                .help("e.g. --base-url https://acme.example/handbook/")
            })?);
        }
        Ok(())
    }

    /// What `build` refuses before it writes, refused before any content
    /// is read, by `check` too: a book that passes `check` builds. The
    /// theme, when asked for, loads on a thread of its own while the
    /// content is read: join it with [`Book::theme`].
    fn preflight(
        &self,
        root: &Path,
        config: &Config,
        content_dir: &Path,
        out_dir: &Path,
    ) -> Result<Option<ThemeLoad>, Failure> {
        if !self.opts.preflight {
            return Ok(None);
        }
        let themes_dir = root.join("themes");
        output::check_out_dir(
            out_dir,
            &[
                ("book root", root),
                ("content dir", content_dir),
                ("themes dir", &themes_dir),
            ],
        )?;
        let (root, name) = (root.to_path_buf(), config.build.theme.clone());
        let words = Arc::clone(&config.book.strings);
        Ok(Some(std::thread::spawn(move || {
            render::theme::load_for(&root, &name, &words)
        })))
    }

    /// The theme [`Book::preflight`] started to load.
    fn theme(load: Option<ThemeLoad>) -> Result<Option<Theme>, Failure> {
        load.map(|t| {
            t.join()
                .map_err(|_| Failure::new("loading the theme failed unexpectedly"))?
        })
        .transpose()
    }

    /// The content dir's files: the last listing brought up to date with
    /// what a watcher reported, or a new walk.
    fn list(
        &mut self,
        content_dir: &Path,
        touched: &HashSet<PathBuf>,
    ) -> Result<load::Listing, Failure> {
        let cached = self
            .listing
            .take()
            .filter(|(dir, _)| dir == content_dir && !touched.is_empty());
        match cached.and_then(|(_, listing)| update(listing, content_dir, touched)) {
            Some(listing) => Ok(listing),
            None => load::walk(content_dir),
        }
    }

    /// Reads and parses, in parallel, the Markdown files that are new or
    /// changed since the last check (by size and time, or named by the
    /// watcher), into the cache; drops the files that are gone.
    fn read_changed(
        &mut self,
        listing: &mut load::Listing,
        touched: &HashSet<PathBuf>,
        opts: parse::ParseOptions,
        content_prefix: &str,
        timer: &mut Timer,
    ) -> Result<(), Failure> {
        // A cached file is compared by its stamp, taken now if the walk
        // was new; the others are read, and stamped as they are.
        let files = &self.files;
        listing
            .markdown
            .par_iter_mut()
            .filter(|f| f.stamp.is_none() && files.contains_key(&f.rel))
            .for_each(|f| {
                f.stamp = std::fs::symlink_metadata(&f.abs)
                    .ok()
                    .map(|m| Stamp::of(&m))
            });
        let stale: Vec<usize> = (0..listing.markdown.len())
            .filter(|&i| {
                let f = &listing.markdown[i];
                match self.files.get(&f.rel) {
                    Some(c) => {
                        Some(c.stamp) != f.stamp || c.opts != opts || touched.contains(&f.abs)
                    }
                    None => true,
                }
            })
            .collect();
        let read: Vec<(Result<String, load::Undecodable>, Stamp)> = stale
            .par_iter()
            .map(|&i| load::read(&listing.markdown[i].abs))
            .collect::<Result<_, Failure>>()?;
        timer.lap("read");
        let mut to_parse: Vec<(String, FileId)> = Vec::new();
        for (&i, (text, stamp)) in stale.iter().zip(read) {
            listing.markdown[i].stamp = Some(stamp);
            let found = &listing.markdown[i];
            // The text moves into the sources; an undecodable file keeps
            // what precedes its first bad byte, for the position.
            let (text, bad) = match text {
                Ok(text) => (text, None),
                Err(u) => (u.valid, Some(u.binary)),
            };
            let file = match self.files.get(&found.rel) {
                Some(c) => {
                    self.sources.replace(c.file, text);
                    c.file
                }
                None => self
                    .sources
                    .add(format!("{content_prefix}{}", found.rel), text),
            };
            let mut diags = Vec::new();
            match bad {
                None => to_parse.push((found.rel.clone(), file)),
                Some(binary) => diags.push(not_utf8(&found.rel, file, &self.sources, binary)),
            }
            self.files.insert(
                found.rel.clone(),
                Cached {
                    stamp,
                    file,
                    opts,
                    parsed: None,
                    diags,
                },
            );
        }
        let sources = &self.sources;
        let parsed: Vec<(String, parse::Parsed, Vec<Diagnostic>)> = to_parse
            .par_iter()
            .map(|(rel, file)| {
                let (p, d) = parse::parse(rel, *file, &sources.get(*file).text, opts);
                (rel.clone(), p, d)
            })
            .collect();
        for (rel, p, d) in parsed {
            if let Some(c) = self.files.get_mut(&rel) {
                c.parsed = Some(p);
                c.diags = d;
            }
        }
        // Every listed file is cached now: as many cached as listed means
        // none is gone.
        if self.files.len() != listing.markdown.len() {
            let present: HashSet<&str> = listing.markdown.iter().map(|f| f.rel.as_str()).collect();
            self.files.retain(|rel, _| present.contains(rel.as_str()));
        }
        timer.lap("parse");
        Ok(())
    }

    /// The cached parses of the listed files, in listing order, the files
    /// that could not be read as text, and the findings of reading and
    /// parsing them. Copied when the parses are kept, moved (and the
    /// cache emptied: the next check reads everything) when not.
    fn gather(
        &mut self,
        listing: &load::Listing,
    ) -> (Vec<parse::Parsed>, Vec<String>, Vec<Diagnostic>) {
        let mut docs = Vec::with_capacity(listing.markdown.len());
        let mut unread = Vec::new();
        let mut diags = Vec::new();
        // Copied on both threads: each save in `serve` copies every file's
        // front matter.
        let found: Vec<Option<(Option<parse::Parsed>, Vec<Diagnostic>)>> = if self.keep_parses {
            let files = &self.files;
            listing
                .markdown
                .par_iter()
                .map(|found| {
                    files
                        .get(&found.rel)
                        .map(|c| (c.parsed.clone(), c.diags.clone()))
                })
                .collect()
        } else {
            listing
                .markdown
                .iter()
                .map(|found| self.files.remove(&found.rel).map(|c| (c.parsed, c.diags)))
                .collect()
        };
        for (found, cached) in listing.markdown.iter().zip(found) {
            let Some((parsed, found_diags)) = cached else {
                continue;
            };
            diags.extend(found_diags);
            match parsed {
                Some(p) => docs.push(p),
                None => unread.push(found.rel.clone()),
            }
        }
        if !self.keep_parses {
            self.forget();
        }
        (docs, unread, diags)
    }

    fn finish_report(&self, diags: Vec<Diagnostic>, config: Option<&Config>) -> Report {
        match config {
            Some(c) => Report::finish(diags, |r| c.level(r), &self.sources),
            None => Report::finish(diags, |r| r.default_level(), &self.sources),
        }
    }

    /// Reads book.toml (every time: it is small); no config when it has errors.
    /// Lays the book's own words over sopbook's: `i18n/<language>.toml`,
    /// or the file of the language's primary subtag (`i18n/de.toml` for
    /// `de-CH`). A language sopbook has no words for, with no such file,
    /// is `ui-language`: its pages use English.
    fn read_strings(
        &mut self,
        root: &Path,
        config: &mut Config,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Failure> {
        let language = config.book.language.clone();
        let (mut strings, shipped) = crate::i18n::Strings::builtin(&language);
        let mut tags = vec![language.clone(), crate::i18n::primary(&language)];
        tags.dedup();
        let found = tags
            .into_iter()
            .map(|tag| {
                let path = root.join("i18n").join(format!("{tag}.toml"));
                (tag, path)
            })
            .find(|(_, path)| path.is_file());
        if let Some((tag, path)) = found {
            let bytes = std::fs::read(&path).map_err(|e| Failure::io("read", &path, &e))?;
            let name = format!("{}i18n/{tag}.toml", self.prefix);
            let text = match load::decode(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Err(Failure::new(format!("{name} is not UTF-8 text"))
                        .help("save it as UTF-8 (docs/i18n.md)"));
                }
            };
            let file = match &self.i18n_file {
                Some((known, file)) if *known == name => {
                    self.sources.replace(*file, text);
                    *file
                }
                _ => {
                    let file = self.sources.add(name.clone(), text);
                    self.i18n_file = Some((name.clone(), file));
                    file
                }
            };
            let text = self.sources.get(file).text.clone();
            diags.extend(strings.overlay(&text, file, &name));
        } else if !shipped {
            let mut d = Diagnostic::new(
                Rule::UiLanguage,
                format!("sopbook has no words for the language `{language}`: the pages' words are English"),
            )
            .help(format!("write them in i18n/{language}.toml (docs/i18n.md lists every key), or set `ui-language = \"allow\"` in [check]"));
            if let (Some(file), Some(span)) = (self.toml_file, &config.book.language_span) {
                d = d.at(file, span.clone()).label("no words for this language");
            }
            diags.push(d);
        }
        config.book.strings = Arc::new(strings);
        Ok(())
    }

    fn read_config(&mut self, root: &Path) -> Result<(Option<Config>, Vec<Diagnostic>), Failure> {
        let toml_path = root.join("book.toml");
        let decoded = match std::fs::read(&toml_path) {
            Ok(bytes) => load::decode(bytes),
            Err(_) if !root.is_dir() => {
                return Err(Failure::new(format!(
                    "the book folder {} does not exist",
                    root.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Failure::new(format!("no book.toml in {}", root.display()))
                    .help("run sopbook in a book's folder (one with book.toml) or a folder inside it, or pass the folder: `sopbook build path/to/book`"));
            }
            Err(e) => return Err(Failure::io("read", &toml_path, &e)),
        };
        let (text, bad) = match decoded {
            Ok(text) => (text, None),
            Err(u) => (u.valid, Some(u.binary)),
        };
        let file = match self.toml_file {
            Some(file) => {
                self.sources.replace(file, text);
                file
            }
            None => {
                let file = self.sources.add(format!("{}book.toml", self.prefix), text);
                self.toml_file = Some(file);
                file
            }
        };
        if let Some(binary) = bad {
            let d = not_utf8("book.toml", file, &self.sources, binary);
            let d = Diagnostic {
                rule: Rule::Config,
                help: Some("book.toml is TOML text: `[book]`, then `title = \"…\"` (see docs/configuration.md); save it as UTF-8".to_owned()),
                ..d
            };
            return Ok((None, vec![d]));
        }
        Ok(config::parse(&self.sources.get(file).text, file))
    }
}

/// The finding for a Markdown file that is not UTF-8, at its first bad byte.
fn not_utf8(rel: &str, file: FileId, sources: &Sources, binary: bool) -> Diagnostic {
    let at = sources.get(file).text.len();
    if binary {
        Diagnostic::new(Rule::Encoding, format!("{rel} is a binary file, not text"))
            .at(file, at..at)
            .label("binary data starts here")
            .help("this looks like a binary file (an image or a document) named .md: give it its real extension and it is copied as an asset")
    } else {
        Diagnostic::new(Rule::Encoding, format!("{rel} is not UTF-8 text"))
            .at(file, at..at)
            .label("this byte is not UTF-8")
            .help("re-save the file as UTF-8 (Latin-1 or Windows-1252 text: `iconv -f WINDOWS-1252 -t UTF-8`)")
    }
}

/// The warning for an entry of the content dir that is not read.
fn skipped(s: &load::Skipped, content_prefix: &str) -> Diagnostic {
    let path = format!("{content_prefix}{}", s.rel);
    match &s.why {
        load::SkipReason::Symlink(target) => Diagnostic::new(
            Rule::Symlink,
            format!("{path} is a symbolic link (to {target}); sopbook does not follow links, so it is left out"),
        )
        .help("copy the file or folder it points to into the content dir, or link to that file's own path instead"),
        load::SkipReason::Special => Diagnostic::new(
            Rule::SpecialFile,
            format!("{path} is not a regular file (a FIFO, socket or device); it is left out"),
        )
        .help("remove it from the content dir, or put a regular file in its place"),
    }
}

/// Applies the files a watcher reported to the last listing: a changed
/// file gets its new stamp, a new one is added, a deleted one removed.
/// `None` when a folder changed or a path is not understood: walk again.
fn update(
    mut listing: load::Listing,
    content_dir: &Path,
    touched: &HashSet<PathBuf>,
) -> Option<load::Listing> {
    for path in touched {
        let Some(parts) = crate::paths::parts_under(content_dir, path) else {
            continue; // book.toml, themes/: not content
        };
        if parts.is_empty() || parts.iter().any(|p| load::is_ignored(p)) {
            if parts.is_empty() {
                return None;
            }
            continue;
        }
        let rel = parts.join("/");
        let meta = std::fs::symlink_metadata(path);
        let markdown = load::is_markdown(&rel);
        match meta {
            // The walk decides what to make of folders, links and FIFOs.
            Ok(m) if !m.is_file() => return None,
            Ok(m) if markdown => {
                let stamp = Stamp {
                    len: m.len(),
                    modified: m.modified().ok(),
                };
                match listing
                    .markdown
                    .binary_search_by(|f| f.rel.as_str().cmp(&rel))
                {
                    Ok(i) => listing.markdown[i].stamp = Some(stamp),
                    Err(i) => listing.markdown.insert(
                        i,
                        load::Found {
                            rel,
                            abs: path.clone(),
                            stamp: Some(stamp),
                        },
                    ),
                }
            }
            Ok(_) => {
                // An unreadable asset: the walk reports it.
                if std::fs::File::open(path).is_err() {
                    return None;
                }
                if let Err(i) = listing
                    .assets
                    .binary_search_by(|a| a.rel.as_str().cmp(&rel))
                {
                    listing.assets.insert(
                        i,
                        load::Asset {
                            rel,
                            abs: path.clone(),
                        },
                    );
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Ok(i) = listing
                    .markdown
                    .binary_search_by(|f| f.rel.as_str().cmp(&rel))
                {
                    listing.markdown.remove(i);
                } else if let Ok(i) = listing
                    .assets
                    .binary_search_by(|a| a.rel.as_str().cmp(&rel))
                {
                    listing.assets.remove(i);
                } else if listing.dirs.binary_search(&rel).is_ok()
                    || listing.skipped.iter().any(|s| s.rel == rel)
                {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
    Some(listing)
}

/// The URLs the book's pages had in the history other than their URLs
/// now (`redirects-from-history`), for [`crate::model::redirects::add_moved`].
fn moved_pages(
    hb: &Handbook,
    sources: &Sources,
    history: &History,
    content_dir: &Path,
    seen: &mut history::moves::Seen,
) -> Vec<(crate::model::DocId, String, crate::model::Moved)> {
    let current: Vec<history::moves::Current<'_, crate::model::DocId>> = hb
        .own_pages()
        .map(|(id, doc)| history::moves::Current {
            key: id,
            rel: doc.rel.as_str(),
            text: &sources.get(doc.file).text,
            url: doc.url.as_str(),
        })
        .collect();
    history::moves::past_urls(
        &current,
        history,
        content_dir,
        &crate::model::redirects::url_then,
        seen,
    )
    .into_iter()
    .map(|p| {
        let moved = crate::model::Moved {
            path: p.path,
            last: p.last,
            by: p.by,
        };
        (p.key, p.url, moved)
    })
    .collect()
}

/// Paths in messages start from where the user is.
fn display_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{s}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(book: &Book, rel: &str) -> String {
        let file = book.files.get(rel).expect("the file is cached").file;
        book.sources.get(file).text.clone()
    }

    /// A check after the first reads a file again when its size or time
    /// changed, and not when both are as they were; the first check takes
    /// the stamps while reading.
    #[test]
    fn a_later_check_reads_again_only_what_changed() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"B\"\n").expect("write");
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        let a = root.join("content/a.md");
        let b = root.join("content/b.md");
        std::fs::write(&a, "+++\ntitle = \"A\"\n+++\nOne.\n").expect("write");
        std::fs::write(&b, "+++\ntitle = \"B\"\n+++\nTwo.\n").expect("write");
        let ui = Ui::new(true, crate::ui::ColorChoice::Never);
        let mut book = Book::watched(BuildOptions::read_only(root.to_path_buf(), false, None));
        book.check(&ui, &HashSet::new()).expect("checks");
        let (_, listing) = book.listing.as_ref().expect("the listing is kept");
        assert!(listing.markdown.iter().all(|f| f.stamp.is_some()));
        // a.md grows; b.md gets other words of the same length and its old
        // time back: by its stamp, unchanged.
        let b_time = std::fs::metadata(&b)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::fs::write(&a, "+++\ntitle = \"A\"\n+++\nOne more.\n").expect("write");
        std::fs::write(&b, "+++\ntitle = \"B\"\n+++\nTwe.\n").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&b)
            .and_then(|f| f.set_modified(b_time))
            .expect("set the time");
        book.check(&ui, &HashSet::new()).expect("checks");
        assert!(text_of(&book, "a.md").contains("One more."));
        assert!(text_of(&book, "b.md").contains("Two."));
        // Named by the watcher, it is read whatever its stamp.
        book.check(&ui, &HashSet::from([b.clone()]))
            .expect("checks");
        assert!(text_of(&book, "b.md").contains("Twe."));
    }
}
