//! `sopbook check`: everything `build` checks, nothing written. Human
//! output for people, one JSON object per finding for editors and CI
//! (docs/rules.md#json-output), GitHub Actions annotations for a workflow
//! (docs/deploy.md), `--explain RULE` for the rule's page.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::book::Book;
use crate::diagnostics::{Diagnostic, FileId, Rule, Severity, Sources, did_you_mean};
use crate::failure::{EXIT_BOOK_ERRORS, EXIT_FAILURE, EXIT_OK, Failure};
use crate::model::{Handbook, How};
use crate::options::BuildOptions;
use crate::ui::{Ui, plural};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    /// GitHub Actions workflow commands (`::error file=…::message`).
    Github,
}

#[derive(Debug, Clone)]
pub(crate) struct CheckOptions {
    pub build: BuildOptions,
    pub format: Format,
    pub deny_warnings: bool,
}

/// docs/rules.md, compiled in: `--explain` prints its sections.
const RULES_DOC: &str = include_str!("../../docs/rules.md");

pub(crate) fn run(opts: &CheckOptions, ui: &Ui) -> i32 {
    let mut book = Book::new(opts.build.clone());
    let checked = match book.check(ui, &HashSet::new()) {
        Ok(c) => c,
        Err(f) => {
            ui.failure(&f);
            return EXIT_FAILURE;
        }
    };
    let report = &checked.report;
    let sources = &book.sources;
    match opts.format {
        Format::Human => {
            ui.report(report, sources);
            if let Some(hb) = &checked.handbook {
                moved_note(hb, sources, ui);
            }
            let files = sources.len();
            let mut line = count_line(report.errors(), report.warnings(), files);
            // Exit 1 for warnings alone would otherwise look like a bug.
            if opts.deny_warnings && report.warnings() > 0 {
                line.push_str(", denied by --deny-warnings");
            }
            ui.status(&line);
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &report.diagnostics {
                let line = serde_json::to_string(&Finding::of(d, sources)).unwrap_or_default();
                if writeln!(out, "{line}").is_err() {
                    break;
                }
            }
        }
        Format::Github => {
            let repo = repository_root(&opts.build.dir);
            // Each file's path is worked out once: a book can have
            // thousands of findings in one file.
            let mut paths: std::collections::HashMap<FileId, String> = Default::default();
            let mut out = std::io::stdout().lock();
            for d in &report.diagnostics {
                let path = d.file.map(|f| {
                    paths
                        .entry(f)
                        .or_insert_with(|| {
                            from_repository(&sources.get(f).display, repo.as_deref())
                        })
                        .as_str()
                });
                if writeln!(out, "{}", annotation(d, sources, path)).is_err() {
                    break;
                }
            }
            // The log shows the annotations' text too; the count is for
            // the reader of the log, on stderr with the other status lines.
            ui.status(&count_line(
                report.errors(),
                report.warnings(),
                sources.len(),
            ));
        }
    }
    if report.errors() > 0 || (opts.deny_warnings && report.warnings() > 0) {
        EXIT_BOOK_ERRORS
    } else {
        EXIT_OK
    }
}

/// The `moved` note: each page whose URL changed in the git history,
/// with the old URL that now redirects to it. Not a finding: a page that
/// moved is no problem once its old URL is kept.
fn moved_note(hb: &Handbook, sources: &Sources, ui: &Ui) {
    let lines: Vec<String> = hb
        .redirects
        .iter()
        .filter_map(|r| {
            let How::History(moved) = &r.how else {
                return None;
            };
            let doc = hb.doc(r.to);
            let when = match &moved.by {
                Some(c) => format!("moved in {} on {}", c.short, c.date),
                None => "moved in an edit not committed yet".to_owned(),
            };
            Some(format!(
                "{} → {}  ({}, {when})",
                r.from,
                doc.url,
                sources.get(doc.file).display
            ))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let message = format!(
        "{} from the git history now {} to where {} moved",
        plural(lines.len(), "old URL"),
        if lines.len() == 1 {
            "redirects"
        } else {
            "redirect"
        },
        if lines.len() == 1 {
            "its page"
        } else {
            "their pages"
        },
    );
    ui.note("note[moved]", &message, &lines);
}

fn count_line(errors: usize, warnings: usize, files: usize) -> String {
    match (errors, warnings) {
        (0, 0) => format!("No problems in {}", plural(files, "file")),
        (0, w) => format!("{} in {}", plural(w, "warning"), plural(files, "file")),
        (e, 0) => format!("{} in {}", plural(e, "error"), plural(files, "file")),
        (e, w) => format!(
            "{}, {} in {}",
            plural(e, "error"),
            plural(w, "warning"),
            plural(files, "file")
        ),
    }
}

/// One line of `--format json`; the field order is part of the format.
#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: &'static str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<Position>,
    message: &'a str,
    label: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<RelatedOut<'a>>,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    label: &'a str,
}

impl<'a> Finding<'a> {
    fn of(d: &'a Diagnostic, sources: &'a Sources) -> Finding<'a> {
        let source = d.file.map(|f| sources.get(f));
        let start = match (source, &d.span) {
            (Some(s), Some(span)) => Some(s.line_col(span.start)),
            _ => None,
        };
        let end = match (source, &d.span) {
            (Some(s), Some(span)) => {
                let (line, column) = s.line_col(span.end);
                Some(Position { line, column })
            }
            _ => None,
        };
        Finding {
            rule: d.rule.id(),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: source.map(|s| s.display.as_str()),
            line: start.map(|p| p.0),
            column: start.map(|p| p.1),
            end,
            message: &d.message,
            label: d.label.as_deref(),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|r| {
                    let s = sources.get(r.file);
                    let (line, column) = s.line_col(r.span.start);
                    RelatedOut {
                        file: &s.display,
                        line,
                        column,
                        label: &r.label,
                    }
                })
                .collect(),
        }
    }
}

/// One finding as a GitHub Actions workflow command: `::error
/// file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`, the
/// end being the last character of the finding. The help joins the
/// message on a line of its own. sopbook's findings are errors and
/// warnings; none is a `::notice`.
/// `path` is the finding's file as GitHub places it.
fn annotation(d: &Diagnostic, sources: &Sources, path: Option<&str>) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let (Some(file), Some(path)) = (d.file, path) {
        let source = sources.get(file);
        props.push(format!("file={}", escape_property(path)));
        if let Some(span) = &d.span {
            let (line, col) = source.line_col(span.start);
            let last = if span.end > span.start {
                span.end - 1
            } else {
                span.start
            };
            let (end_line, end_col) = source.line_col(last);
            props.push(format!(
                "line={line},col={col},endLine={end_line},endColumn={end_col}"
            ));
        }
    }
    props.push(format!("title={}", escape_property(d.rule.id())));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{command} {}::{}", props.join(","), escape_data(&message))
}

/// A workflow command's message, escaped as GitHub's runner reads it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=…`): `:` and `,` end it
/// unless escaped.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The git repository the book is in: the nearest folder at or above it
/// with a `.git`. GitHub places annotations by paths from there.
fn repository_root(book: &Path) -> Option<PathBuf> {
    let book = crate::paths::absolute(book);
    book.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A finding's path (shown from where sopbook runs) from the repository
/// root, `/`-separated; as shown when the book is in no repository.
fn from_repository(shown: &str, repo: Option<&Path>) -> String {
    let Some(repo) = repo else {
        return shown.to_owned();
    };
    let path = crate::paths::absolute(Path::new(shown));
    crate::paths::rel_under(repo, &path).unwrap_or_else(|| shown.to_owned())
}

/// `--explain RULE` prints the rule's section of docs/rules.md; `--explain`
/// alone lists the rules.
pub(crate) fn explain(rule: Option<&str>) -> Result<String, Failure> {
    let Some(rule) = rule else {
        let mut text = String::from("Rules (sopbook check --explain RULE for one of them):\n\n");
        for r in Rule::ALL {
            let level = match r.default_level() {
                crate::diagnostics::RuleLevel::Error => "error",
                crate::diagnostics::RuleLevel::Warn => "warn",
                crate::diagnostics::RuleLevel::Allow => "allow",
            };
            text.push_str(&format!("  {:<20} {:<6} {}\n", r.id(), level, r.summary()));
        }
        return Ok(text);
    };
    let Some(r) = Rule::from_id(rule) else {
        let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        let help = match did_you_mean(rule, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "run `sopbook check --explain` for the list".to_owned(),
        };
        return Err(Failure::new(format!("no rule `{rule}`")).help(help));
    };
    section(r.id())
        .ok_or_else(|| Failure::new(format!("docs/rules.md has no section for `{}`", r.id())))
}

/// The text under `## <id>` up to the next `## ` heading.
fn section(id: &str) -> Option<String> {
    let heading = format!("## {id}\n");
    let start = RULES_DOC.find(&heading)?;
    let rest = &RULES_DOC[start..];
    let end = rest[heading.len()..]
        .find("\n## ")
        .map_or(rest.len(), |i| i + heading.len() + 1);
    Some(rest[..end].trim_end().to_owned() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_section_in_the_docs() {
        for r in Rule::ALL {
            let text =
                section(r.id()).unwrap_or_else(|| panic!("docs/rules.md lacks ## {}", r.id()));
            assert!(text.contains("**Fix.**"), "{} has no fix", r.id());
            assert!(!text.contains(&format!("\n## {}", "x")), "one section only");
        }
    }

    #[test]
    fn annotations_escape_as_github_reads_them() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%d"), "a%3Ab%2Cc%25d");
        let mut sources = Sources::default();
        let file = sources.add("content/a,b.md".into(), "x\nab [[c]]\n".into());
        let d = Diagnostic::new(Rule::BrokenLink, "no page `c`: 100%")
            .at(file, 5..10)
            .help("did you mean `a`?");
        assert_eq!(
            annotation(&d, &sources, Some("content/a,b.md")),
            "::error file=content/a%2Cb.md,line=2,col=4,endLine=2,endColumn=8,title=broken-link::no page `c`: 100%25%0Ahelp: did you mean `a`?"
        );
        let bookwide = Diagnostic::new(Rule::HistoryShallow, "shallow");
        assert_eq!(
            annotation(&bookwide, &sources, None),
            "::warning title=history-shallow::shallow"
        );
    }

    #[test]
    fn count_lines() {
        assert_eq!(count_line(0, 0, 1), "No problems in 1 file");
        assert_eq!(count_line(1, 2, 3), "1 error, 2 warnings in 3 files");
    }
}
