//! Content problems as data: every check in sopbook produces `Diagnostic`s,
//! which are collected over the whole book, sorted, and printed together the
//! way rustc prints them (`error[rule]: message`, ` --> file:line:col`, the
//! source line with a caret, `help:`). Operational failures (I/O, usage) are
//! not diagnostics; they stop the run with a `Failure`.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One text file the book is made of: `book.toml` or a content file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown to the user: relative to the current directory when the
    /// book was given as a relative path, '/'-separated.
    pub display: String,
    pub text: String,
    /// Byte offsets of line starts, made on first use: a book with tens of
    /// thousands of findings must not rescan a file for each.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            let mut v = vec![0];
            v.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            v
        });
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Every file whose text a diagnostic may quote.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, display: String, text: String) -> FileId {
        self.files.push(Source {
            display,
            text,
            line_starts: std::sync::OnceLock::new(),
        });
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// A file's new text after an edit (`serve`); its id stays.
    pub fn replace(&mut self, id: FileId, text: String) {
        let source = &mut self.files[id.0 as usize];
        source.text = text;
        source.line_starts = std::sync::OnceLock::new();
    }

    /// The file shown as `display` with its new text, added if it is not
    /// there yet: what a check that reads a file on every run (`serve`)
    /// uses, so its sources do not grow with each run. A linear search:
    /// it serves the few files that have findings.
    pub fn add_or_replace(&mut self, display: String, text: String) -> FileId {
        match self.files.iter().position(|f| f.display == display) {
            Some(i) => {
                let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
                self.replace(id, text);
                id
            }
            None => self.add(display, text),
        }
    }

    pub fn get(&self, id: FileId) -> &Source {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// 1-based line and column (in characters) of a byte offset: what
/// [`Source::line_col`] gives from its line table, for tests of text
/// without one.
#[cfg(test)]
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule's configured level (`[check]` in book.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warn,
    Allow,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $level:ident, $lowerable:literal, $what:literal;)*) => {
        /// The stable rule ids of SPEC §5.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            pub fn default_level(self) -> RuleLevel {
                match self { $(Rule::$variant => RuleLevel::$level,)* }
            }

            /// Whether a book may lower this rule's level. Problems that leave
            /// the book without a consistent model (a file that does not
            /// parse, two pages with one id) always stop the build.
            pub fn lowerable(self) -> bool {
                match self { $(Rule::$variant => $lowerable,)* }
            }

            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $what,)* }
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    FrontMatter = "front-matter", Error, false, "front matter that does not parse, a missing required field, a wrong type";
    Config = "config", Error, false, "an invalid book.toml";
    Encoding = "encoding", Error, false, "a Markdown file that is not UTF-8 text";
    Symlink = "symlink", Warn, true, "a symbolic link in the content dir, which is not followed";
    SpecialFile = "special-file", Warn, true, "a FIFO, socket or device in the content dir, which is not read";
    DuplicateId = "duplicate-id", Error, false, "two files with one id";
    UnknownProcess = "unknown-process", Error, false, "an SOP whose `process` is not declared";
    UnknownBranch = "unknown-branch", Error, false, "a branch the process does not declare, or a missing branch";
    BrokenLink = "broken-link", Error, true, "a link or embed to an unknown id, file or anchor";
    EmbedCycle = "embed-cycle", Error, false, "embeds that include themselves";
    MissingAsset = "missing-asset", Error, true, "an image or file link to nothing";
    EmptyLink = "empty-link", Warn, true, "a link or image with an empty target: `[text]()`";
    TemplateSyntax = "template-syntax", Warn, true, "template tags of another generator (`{% %}`, `{{ }}`, `<% %>`) shown as text";
    BranchWithoutSop = "branch-without-sop", Warn, true, "a declared branch that no SOP walks";
    ProcessWithoutSop = "process-without-sop", Warn, true, "a process that is not automated and has no SOP";
    AutomatedWithSop = "automated-with-sop", Warn, true, "an automated process that still has SOPs";
    RepeatedSteps = "repeated-steps", Warn, true, "steps that appear again in another SOP";
    ReviewOverdue = "review-overdue", Warn, true, "an SOP whose last review is older than its interval";
    UnknownKey = "unknown-key", Warn, true, "an unknown key in book.toml or front matter";
    EmptySop = "empty-sop", Warn, true, "an SOP with no steps and no media";
    SupersededLink = "superseded-link", Warn, true, "a link or embed from a current page to a superseded or retired one";
    RoleSpelling = "role-spelling", Warn, true, "two roles that differ only in case or spacing";
    UnsafeUrl = "unsafe-url", Warn, true, "a `javascript:`, `vbscript:` or non-image `data:` URL, or an `on*` attribute, in a page (event-handler attributes are never written)";
    HistoryShallow = "history-shallow", Warn, true, "a shallow clone: the history of pages from git is cut short";
    UiLanguage = "ui-language", Warn, true, "a `language` sopbook has no words for, and no i18n/<language>.toml: the pages' words are English";
    UnusedGroup = "unused-group", Warn, true, "a group in `[book] groups` that no process is in";
}

/// A secondary place a diagnostic points at (the other file of a duplicate id).
#[derive(Debug, Clone)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub label: Cow<'static, str>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub file: Option<FileId>,
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Short text shown at the caret: most are the same words in every
    /// finding of a rule, kept once rather than copied into each.
    pub label: Option<Cow<'static, str>>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(rule: Rule, message: impl Into<String>) -> Diagnostic {
        let severity = match rule.default_level() {
            RuleLevel::Error => Severity::Error,
            RuleLevel::Warn | RuleLevel::Allow => Severity::Warning,
        };
        Diagnostic {
            rule,
            severity,
            file: None,
            span: None,
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Diagnostic {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    pub fn in_file(mut self, file: FileId) -> Diagnostic {
        self.file = Some(file);
        self
    }

    pub fn label(mut self, label: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn related(
        mut self,
        file: FileId,
        span: Range<usize>,
        label: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        self.related.push(Related {
            file,
            span,
            label: label.into(),
        });
        self
    }

    /// `(file, line, column)` for sorting and for machine output.
    pub fn position(&self, sources: &Sources) -> Option<(String, usize, usize)> {
        let file = self.file?;
        let source = sources.get(file);
        let (line, col) = match &self.span {
            Some(span) => source.line_col(span.start),
            None => (0, 0),
        };
        Some((source.display.clone(), line, col))
    }
}

/// A set of diagnostics with the levels of one book applied.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings found but not kept (`build` prints the first of each
    /// rule and counts the rest), by rule.
    pub unlisted: crate::pipeline::Unlisted,
}

impl Report {
    pub(crate) fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub(crate) fn warnings(&self) -> usize {
        self.count(Severity::Warning) + self.unlisted.iter().map(|(_, n)| n).sum::<usize>()
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Apply per-rule levels, then sort by file, line and column so output
    /// is stable whatever order the checks ran in.
    pub(crate) fn finish(
        mut diagnostics: Vec<Diagnostic>,
        level_of: impl Fn(Rule) -> RuleLevel,
        sources: &Sources,
    ) -> Report {
        diagnostics.retain_mut(|d| match level_of(d.rule) {
            RuleLevel::Allow => false,
            RuleLevel::Error => {
                d.severity = Severity::Error;
                true
            }
            RuleLevel::Warn => {
                d.severity = Severity::Warning;
                true
            }
        });
        // Byte offsets sort as lines and columns do, without working either out.
        let key = |d: &Diagnostic| {
            d.file.map(|f| {
                (
                    sources.get(f).display.as_str(),
                    d.span.as_ref().map(|s| s.start),
                )
            })
        };
        diagnostics.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup_by(|a, b| key(a) == key(b) && a.message == b.message);
        Report {
            diagnostics,
            unlisted: Vec::new(),
        }
    }
}

/// Renders diagnostics as rustc does.
#[derive(Debug)]
pub(crate) struct Printer {
    renderer: Renderer,
}

impl Printer {
    pub(crate) fn new(color: bool) -> Printer {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Printer { renderer }
    }

    pub(crate) fn render(&self, d: &Diagnostic, sources: &Sources) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.rule.id());
        let mut group = match (d.file, &d.span) {
            (Some(file), Some(span)) => {
                let source = sources.get(file);
                let mut spans = vec![clamp_span(&source.text, span.clone())];
                spans.extend(
                    d.related
                        .iter()
                        .filter(|r| r.file == file)
                        .map(|r| clamp_span(&source.text, r.span.clone())),
                );
                let (excerpt, line, base) = excerpt(source, &spans);
                let mut snippet = Snippet::source(excerpt)
                    .path(source.display.as_str())
                    .line_start(line)
                    .fold(true)
                    .annotation(
                        AnnotationKind::Primary
                            .span(shift(&spans[0], base))
                            .label(d.label.as_deref()),
                    );
                for (r, span) in d.related.iter().filter(|r| r.file == file).zip(&spans[1..]) {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(shift(span, base))
                            .label(&*r.label),
                    );
                }
                title.element(snippet)
            }
            (Some(file), None) => title.element(annotate_snippets::Origin::path(
                sources.get(file).display.as_str(),
            )),
            _ => Group::with_title(title),
        };
        for r in d.related.iter().filter(|r| Some(r.file) != d.file) {
            let source = sources.get(r.file);
            let spans = [clamp_span(&source.text, r.span.clone())];
            let (excerpt, line, base) = excerpt(source, &spans);
            group = group.element(
                Snippet::source(excerpt)
                    .path(source.display.as_str())
                    .line_start(line)
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(shift(&spans[0], base))
                            .label(&*r.label),
                    ),
            );
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        self.renderer.render(&[group])
    }
}

/// The whole lines that hold `spans`, their first line number and byte
/// offset: the renderer gets a few lines, not the whole file, so a book
/// with thousands of findings prints them quickly.
fn excerpt<'a>(source: &'a Source, spans: &[Range<usize>]) -> (&'a str, usize, usize) {
    let text = source.text.as_str();
    let start = spans.iter().map(|s| s.start).min().unwrap_or(0);
    let end = spans.iter().map(|s| s.end).max().unwrap_or(0);
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    (&text[first..last], source.line_col(first).0, first)
}

fn shift(span: &Range<usize>, base: usize) -> Range<usize> {
    span.start - base..span.end - base
}

/// Keep a span inside the text and on character boundaries; an empty span
/// at the end of a line still shows a caret.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    start..end
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely
/// typo: a few edits away (a swap of two letters counts as one) or very
/// similar by Jaro-Winkler.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let max_edits = (lower.chars().count() / 3).max(1);
    let mut best: Option<(usize, f64, &str)> = None;
    for candidate in candidates {
        let c = candidate.to_lowercase();
        let edits = strsim::osa_distance(&lower, &c);
        let similarity = strsim::jaro_winkler(&lower, &c);
        if edits > max_edits && similarity < 0.88 {
            continue;
        }
        let better = match best {
            None => true,
            // Ties go to the alphabetically first, so the hint is the same
            // on every run whatever order the candidates came in.
            Some((e, s, c)) => {
                edits < e || (edits == e && (similarity > s || (similarity == s && candidate < c)))
            }
        };
        if better {
            best = Some((edits, similarity, candidate));
        }
    }
    best.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "a\nüb c\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        // 'c' is after "üb " = 4 bytes on line 2
        assert_eq!(line_col(text, 2 + 4), (2, 4));
    }

    #[test]
    fn cached_line_col_matches_the_scan() {
        let mut sources = Sources::default();
        let text = "a\nüb c\n\nlast";
        let f = sources.add("x".into(), text.into());
        for offset in 0..=text.len() {
            assert_eq!(
                sources.get(f).line_col(offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn did_you_mean_finds_one_letter_typo() {
        let ids = ["run-payroll", "fix-payroll-mistake", "renew-contract"];
        assert_eq!(did_you_mean("run-payrol", ids), Some("run-payroll"));
        assert_eq!(did_you_mean("zzz", ids), None);
        assert_eq!(did_you_mean("pya", ["pay", "approve"]), Some("pay"));
        assert_eq!(did_you_mean("normel", ["normal", "fix"]), Some("normal"));
    }

    #[test]
    fn rendered_diagnostic_has_rustc_shape() {
        let mut sources = Sources::default();
        let f = sources.add("content/a.md".into(), "+++\ntitle = 3\n+++\n".into());
        let d = Diagnostic::new(Rule::FrontMatter, "`title` must be a string")
            .at(f, 12..13)
            .label("found an integer")
            .help("quote it");
        let text = Printer::new(false).render(&d, &sources);
        assert!(
            text.starts_with("error[front-matter]: `title` must be a string"),
            "{text}"
        );
        assert!(text.contains("--> content/a.md:2:9"), "{text}");
        assert!(text.contains("title = 3"), "{text}");
        assert!(text.contains("help: quote it"), "{text}");
    }
}
