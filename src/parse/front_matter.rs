//! Front matter: find it (`+++` TOML or `---` YAML), parse it into the
//! spanned tree, and read it as a process, an SOP or a page.

use std::ops::Range;

use jiff::civil::Date;

use crate::config::{ReviewInterval, review_interval};
use crate::diagnostics::{Diagnostic, FileId, Rule};
use crate::spanned::{self, Entry, Fields, LineIndex, Node, Value};

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub syntax: Option<Syntax>,
    /// The text between the fences.
    pub inner: Range<usize>,
    /// The whole front matter including fences (for "missing key" errors).
    pub whole: Range<usize>,
    pub body: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// `key = value` the way a file with front matter in `syntax` writes it,
/// for hints: an author of YAML front matter is shown YAML. `value` is a
/// TOML literal (`"normal"`, `true`, `2026-11-25`); YAML gets a plain
/// string without its quotes. A file with no front matter is shown TOML,
/// the syntax `sopbook init` writes.
pub fn key_value(syntax: Option<Syntax>, key: &str, value: &str) -> String {
    match syntax {
        Some(Syntax::Yaml) => {
            let plain = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .filter(|v| {
                    !v.is_empty()
                        && !v.contains([':', '#', '"', '\\'])
                        && !v.starts_with(|c: char| "[]{}&*!|>'%@`-?,".contains(c) || c == ' ')
                });
            format!("{key}: {}", plain.unwrap_or(value))
        }
        Some(Syntax::Toml) | None => format!("{key} = {value}"),
    }
}

/// Finds the front matter. An opening fence without a closing one is an error.
pub fn split(text: &str, file: FileId) -> Result<Split, Diagnostic> {
    let (fence, syntax) = if first_line_is(text, "+++") {
        ("+++", Syntax::Toml)
    } else if first_line_is(text, "---") {
        ("---", Syntax::Yaml)
    } else {
        return Ok(Split {
            syntax: None,
            inner: 0..0,
            whole: 0..0,
            body: 0..text.len(),
        });
    };
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end();
        if line == fence || (syntax == Syntax::Yaml && line == "...") {
            return Ok(Split {
                syntax: Some(syntax),
                inner: first_end..pos,
                whole: 0..end,
                body: end..text.len(),
            });
        }
        pos = end;
    }
    let name = match syntax {
        Syntax::Toml => "TOML",
        Syntax::Yaml => "YAML",
    };
    Err(Diagnostic::new(
        Rule::FrontMatter,
        format!("the {name} front matter is never closed"),
    )
    .at(file, 0..fence.len())
    .label(format!("opened here with `{fence}`"))
    .help(format!(
        "end the front matter with a line that holds only `{fence}`"
    )))
}

fn first_line_is(text: &str, fence: &str) -> bool {
    let line = text.split('\n').next().unwrap_or("");
    line.trim_end() == fence
}

/// Nesting YAML front matter may have. saphyr limits flow collections
/// (`[[[…`) but recurses once per level of block collections, so a file
/// nested thousands of levels deep would overflow the stack.
const MAX_YAML_DEPTH: usize = 100;

/// The byte offset of the first line that may nest deeper than
/// [`MAX_YAML_DEPTH`]. An over-estimate: the open indentation levels plus
/// every indicator on the line that can open one more (`- - x`, `a: b: c`).
fn too_deep(yaml: &str) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim_start_matches([' ', '\t']);
        let content = trimmed.trim_end();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while indents.last().is_some_and(|&i| i >= indent) {
            indents.pop();
        }
        indents.push(indent);
        let openers = content.matches("- ").count()
            + content.matches(": ").count()
            + content.matches("? ").count()
            + content.matches(['[', '{']).count();
        if indents.len() + openers > MAX_YAML_DEPTH {
            return Some(start);
        }
    }
    None
}

/// The tab that a YAML error at `at` is about, if it is about one. saphyr
/// puts its marker after the tab (`\t- id: a` is reported at the `-`), or
/// at the end of the line before (a plain scalar runs on to a line that
/// starts with a tab), and sometimes does not name the tab at all
/// (`owner:\tBob`). So: the first tab on the marker's line or the next
/// one when the message names a tab; else a tab right before the marker.
fn tab_at_fault(yaml: &str, at: usize, message: &str) -> Option<usize> {
    let at = at.min(yaml.len());
    if message.contains("tab") {
        let start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = yaml[at..].find('\n').map_or(yaml.len(), |i| at + i + 1);
        let next_end = yaml[line_end..]
            .find('\n')
            .map_or(yaml.len(), |i| line_end + i + 1);
        return yaml[start..next_end].find('\t').map(|i| start + i);
    }
    yaml[..at].ends_with('\t').then(|| at - 1)
}

/// Parses the text between the fences into a table.
pub fn parse(text: &str, split: &Split, file: FileId) -> Result<Vec<Entry>, Diagnostic> {
    let inner = &text[split.inner.clone()];
    let base = split.inner.start;
    match split.syntax {
        None => Ok(Vec::new()),
        Some(Syntax::Toml) => match toml::de::DeTable::parse(inner) {
            Ok(table) => Ok(spanned::toml_entries(table.get_ref(), base)),
            Err(e) => {
                let span = e
                    .span()
                    .map_or(base..base, |s| s.start + base..s.end + base);
                Err(Diagnostic::new(Rule::FrontMatter, format!("the front matter is not valid TOML: {}", e.message().trim()))
                    .at(file, span)
                    .help("TOML front matter is `key = value` lines between `+++` fences; strings need quotes"))
            }
        },
        Some(Syntax::Yaml) => {
            use saphyr::LoadableYamlNode;
            if let Some(at) = too_deep(inner) {
                return Err(Diagnostic::new(
                    Rule::FrontMatter,
                    format!("the front matter nests more than {MAX_YAML_DEPTH} levels deep"),
                )
                .at(file, base + at..base + at)
                .label("too deep from here")
                .help("front matter needs a few levels at most (`key: value` lines and lists of them)"));
            }
            let index = LineIndex::new(inner, base);
            let docs = match saphyr::MarkedYaml::load_from_str(inner) {
                Ok(docs) => docs,
                Err(e) => {
                    let at = index.offset(e.marker().line(), e.marker().col());
                    if let Some(tab) = tab_at_fault(inner, at - base, e.info()) {
                        let tab = base + tab;
                        return Err(Diagnostic::new(
                            Rule::FrontMatter,
                            "the front matter is not valid YAML: a tab where YAML needs spaces",
                        )
                        .at(file, tab..tab + 1)
                        .label("a tab")
                        .help("YAML indents with spaces, not tabs: replace this tab with spaces (two per level of nesting, and one after a `:` or `-`)"));
                    }
                    return Err(Diagnostic::new(
                        Rule::FrontMatter,
                        format!("the front matter is not valid YAML: {}", e.info()),
                    )
                    .at(file, at..at)
                    .help("YAML front matter is `key: value` lines between `---` fences"));
                }
            };
            let Some(doc) = docs.first() else {
                return Ok(Vec::new());
            };
            let node = spanned::from_yaml(doc, &index).map_err(|(span, msg)| {
                Diagnostic::new(
                    Rule::FrontMatter,
                    format!("the front matter cannot be read: {msg}"),
                )
                .at(file, span)
            })?;
            match node.value {
                Value::Table(entries) => Ok(entries),
                Value::Null => Ok(Vec::new()),
                other => Err(Diagnostic::new(
                    Rule::FrontMatter,
                    format!(
                        "the front matter must be a set of `key: value` lines, found {}",
                        other.type_name()
                    ),
                )
                .at(file, node.span)),
            }
        }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum Meta {
    Process(ProcessMeta),
    Sop(SopMeta),
    Page(PageMeta),
}

#[derive(Debug, Clone)]
pub struct Common {
    pub id: Option<At<String>>,
    pub title: Option<String>,
    /// The title's value, or the front matter's first line: where problems
    /// with the file as a whole are reported.
    pub title_span: Range<usize>,
    pub order: Option<i64>,
    pub draft: bool,
}

#[derive(Debug, Clone)]
pub struct ProcessMeta {
    pub common: Common,
    pub outcome: String,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub automated: bool,
    pub automated_span: Option<Range<usize>>,
    pub equipment: Vec<Equipment>,
    pub branches: Vec<BranchMeta>,
}

#[derive(Debug, Clone)]
pub struct Equipment {
    pub title: String,
    pub url: Option<At<String>>,
}

#[derive(Debug, Clone)]
pub struct BranchMeta {
    pub id: String,
    pub when: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Document,
    Video,
    Training,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Document, Format::Video, Format::Training];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Document => "document",
            Format::Video => "video",
            Format::Training => "training",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SopMeta {
    pub common: Common,
    pub process: At<String>,
    pub branch: Option<At<String>>,
    pub owner: Option<String>,
    pub format: Format,
    pub media: Option<At<String>>,
    pub reviewed: Option<Date>,
    pub reviewed_span: Option<Range<usize>>,
    pub review_every: Option<ReviewInterval>,
}

#[derive(Debug, Clone)]
pub struct PageMeta {
    pub common: Common,
}

/// The values of `kind`.
const KINDS: &[&str] = &["process", "sop", "page"];

/// Reads the table as the kind of file it declares. `None` when a required
/// key is missing or has the wrong type; the diagnostics say which.
pub fn read(entries: &[Entry], split: &Split, file: FileId) -> (Option<Meta>, Vec<Diagnostic>) {
    let mut f = Fields::new(
        entries,
        file,
        split.whole.start..split.whole.start.max(split.whole.end.min(3)),
        "the front matter",
        Rule::FrontMatter,
    );
    let kind = f.string("kind");
    let has_process = entries.iter().any(|e| e.key == "process");
    let kv = |key: &str, value: &str| key_value(split.syntax, key, value);
    let meta = match kind.as_deref() {
        Some("process") => read_process(&mut f, &kv),
        Some("sop") => read_sop(&mut f, &kv),
        Some("page") => read_page(&mut f),
        None if has_process => read_sop(&mut f, &kv),
        None => read_page(&mut f),
        Some(other) => {
            if let Some(node) = entries.iter().find(|e| e.key == "kind").map(|e| &e.node) {
                let help = spanned::choice_help("kind", other, KINDS);
                f.invalid(
                    node,
                    format!("unknown kind `{other}`"),
                    Some(format!(
                        "{help}; an SOP only needs `{}`",
                        kv("process", "\"…\"")
                    )),
                );
            }
            None
        }
    };
    let diags = f.finish();
    let failed = diags.iter().any(|d| d.rule == Rule::FrontMatter);
    (if failed { None } else { meta }, diags)
}

fn read_common(f: &mut Fields, title_required: Option<&str>) -> Common {
    let id = f.node("id").and_then(|n| match &n.value {
        Value::Str(s) if valid_id(s) => Some(At {
            value: s.clone(),
            span: n.span.clone(),
        }),
        Value::Str(s) => {
            f.invalid(n, format!("`{s}` cannot be used as an id"), Some("an id is a non-empty name without `/`, `\\`, `#`, `|`, `[`, `]` or surrounding spaces".into()));
            None
        }
        _ => {
            f.wrong_type("id", n, "a string");
            None
        }
    });
    let title = match title_required {
        Some(help) => f.required_string("title", help),
        None => f.string("title").filter(|t| !t.trim().is_empty()),
    };
    let order = f.int("order");
    let title_span = f.span_of("title").unwrap_or_else(|| f.table_span());
    Common {
        title_span,
        id,
        title,
        order,
        draft: false,
    }
}

/// Ids become file names and link targets.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.trim() == id
        && id != "."
        && id != ".."
        && !id.contains(['/', '\\', '#', '|', '[', ']', '\n', '\r', '\t', '\0'])
}

/// `key = value` (or `key: value`) in the syntax of the file being read.
type KeyValue<'a> = dyn Fn(&str, &str) -> String + 'a;

fn read_process(f: &mut Fields, kv: &KeyValue) -> Option<Meta> {
    let common = read_common(
        f,
        Some(&format!(
            "name the process for its outcome, e.g. `{}`",
            kv("title", "\"Submit payroll\"")
        )),
    );
    let outcome = f.required_string(
        "outcome",
        &format!(
            "say what the process achieves, e.g. `{}`",
            kv("outcome", "\"Everyone is paid the right amount on time\"")
        ),
    );
    let owner = f.string("owner");
    let group = f.string("group").filter(|g| !g.trim().is_empty());
    let automated = f.bool("automated").unwrap_or(false);
    let automated_span = f.span_of("automated");
    let mut equipment = Vec::new();
    if let Some(items) = f.array("equipment") {
        for item in items {
            if let Some(e) = read_equipment(f, item, kv) {
                equipment.push(e);
            }
        }
    }
    let mut branches: Vec<BranchMeta> = Vec::new();
    if let Some(items) = f.array("branches") {
        for item in items {
            let Value::Table(entries) = &item.value else {
                f.wrong_type("branches", item, "a table with `id` and `when`");
                continue;
            };
            let mut b = Fields::new(
                entries,
                f.file(),
                item.span.clone(),
                "a branch",
                Rule::FrontMatter,
            );
            let id = b.required_string(
                "id",
                &format!("give the branch an id, e.g. `{}`", kv("id", "\"normal\"")),
            );
            let when = b.required_string(
                "when",
                &format!(
                    "say when this path applies, e.g. `{}`",
                    kv("when", "\"A regular pay period closes\"")
                ),
            );
            let id_node = entries
                .iter()
                .find(|e| e.key == "id")
                .map(|e| e.node.clone());
            f.diagnostics.extend(b.finish());
            let (Some(id), Some(when), Some(id_node)) = (id, when, id_node) else {
                continue;
            };
            if !valid_id(&id) {
                f.invalid(
                    &id_node,
                    format!("`{id}` cannot be used as a branch id"),
                    Some("use letters, digits and dashes, e.g. `fix-mistake`".into()),
                );
                continue;
            }
            if let Some(first) = branches.iter().find(|b| b.id == id) {
                let first = first.span.clone();
                let d = Diagnostic::new(
                    Rule::FrontMatter,
                    format!("the branch `{id}` is declared twice"),
                )
                .at(f.file(), id_node.span.clone())
                .related(f.file(), first, "first declared here")
                .help("give each branch its own id");
                f.diagnostics.push(d);
                continue;
            }
            branches.push(BranchMeta {
                id,
                when,
                span: id_node.span,
            });
        }
    }
    Some(Meta::Process(ProcessMeta {
        common,
        outcome: outcome?,
        owner,
        group,
        automated,
        automated_span,
        equipment,
        branches,
    }))
}

fn read_equipment(f: &mut Fields, item: &Node, kv: &KeyValue) -> Option<Equipment> {
    match &item.value {
        Value::Str(s) if !s.trim().is_empty() => Some(Equipment {
            title: s.clone(),
            url: None,
        }),
        Value::Table(entries) => {
            let mut e = Fields::new(
                entries,
                f.file(),
                item.span.clone(),
                "an equipment entry",
                Rule::FrontMatter,
            );
            let title = e.required_string(
                "title",
                &format!(
                    "name the automation or template, e.g. `{}`",
                    kv("title", "\"Payroll provider auto-run\"")
                ),
            );
            let url = at_string(&mut e, "url");
            f.diagnostics.extend(e.finish());
            Some(Equipment { title: title?, url })
        }
        _ => {
            f.wrong_type("equipment", item, "a table with `title` and `url`");
            None
        }
    }
}

fn read_sop(f: &mut Fields, kv: &KeyValue) -> Option<Meta> {
    let mut common = read_common(
        f,
        Some(&format!(
            "name the SOP for its action, e.g. `{}`",
            kv("title", "\"How to run the normal payroll\"")
        )),
    );
    let process = at_string(f, "process");
    if process.is_none()
        && !f
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`process`"))
    {
        f.missing(
            "process",
            format!(
                "name the process this SOP belongs to, e.g. `{}`",
                kv("process", "\"submit-payroll\"")
            ),
        );
    }
    let branch = at_string(f, "branch");
    let owner = f.string("owner");
    let format = match f.node("format") {
        None => Some(Format::Document),
        Some(n) => match &n.value {
            Value::Str(s) => match Format::ALL.iter().find(|f| f.as_str() == s) {
                Some(format) => Some(*format),
                None => {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                    f.invalid(
                        n,
                        format!("unknown format `{s}`"),
                        Some(spanned::choice_help("format", s, &names)),
                    );
                    None
                }
            },
            _ => {
                f.wrong_type("format", n, "a string");
                None
            }
        },
    };
    let media = at_string(f, "media");
    let reviewed = f.date("reviewed");
    let reviewed_span = f.span_of("reviewed");
    let review_every = review_interval(f, "review-every");
    common.draft = f.bool("draft").unwrap_or(false);
    Some(Meta::Sop(SopMeta {
        common,
        process: process?,
        branch,
        owner,
        format: format?,
        media,
        reviewed,
        reviewed_span,
        review_every,
    }))
}

fn at_string(f: &mut Fields, key: &'static str) -> Option<At<String>> {
    let n = f.node(key)?;
    match &n.value {
        Value::Str(s) if !s.trim().is_empty() => Some(At {
            value: s.trim().to_owned(),
            span: n.span.clone(),
        }),
        Value::Str(_) => {
            f.invalid(n, format!("`{key}` must not be empty"), None);
            None
        }
        _ => {
            f.wrong_type(key, n, "a string");
            None
        }
    }
}

fn read_page(f: &mut Fields) -> Option<Meta> {
    let mut common = read_common(f, None);
    common.draft = f.bool("draft").unwrap_or(false);
    Some(Meta::Page(PageMeta { common }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> (Option<Meta>, Vec<Diagnostic>) {
        let file = FileId(0);
        let split = split(text, file).expect("split");
        let entries = parse(text, &split, file).expect("parse");
        read(&entries, &split, file)
    }

    #[test]
    fn split_finds_toml_and_yaml_with_crlf() {
        let s = split("+++\r\ntitle = \"a\"\r\n+++\r\nbody", FileId(0)).expect("split");
        assert_eq!(s.syntax, Some(Syntax::Toml));
        assert_eq!(s.body, 23..27);
        let s = split("---\ntitle: a\n---\n", FileId(0)).expect("split");
        assert_eq!(s.syntax, Some(Syntax::Yaml));
        assert!(split("---\ntitle: a\n", FileId(0)).is_err());
        assert_eq!(split("# hi", FileId(0)).expect("split").syntax, None);
    }

    #[test]
    fn sop_in_yaml() {
        let (m, d) = meta(
            "---\ntitle: How to x\nprocess: p\nbranch: normal\nreviewed: 2026-01-31\nreview-every: 6 months\n---\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let Some(Meta::Sop(s)) = m else {
            panic!("not an sop")
        };
        assert_eq!(s.process.value, "p");
        assert_eq!(s.reviewed.map(|d| d.to_string()), Some("2026-01-31".into()));
        assert!(s.review_every.is_some());
    }

    #[test]
    fn process_with_branches_and_equipment() {
        let text = "+++\nkind = \"process\"\ntitle = \"T\"\noutcome = \"O\"\nautomated = true\nequipment = [{ title = \"Job\", url = \"https://x\" }]\n[[branches]]\nid = \"a\"\nwhen = \"w\"\n+++\n";
        let (m, d) = meta(text);
        assert!(d.is_empty(), "{d:?}");
        let Some(Meta::Process(p)) = m else {
            panic!("not a process")
        };
        assert_eq!(p.branches.len(), 1);
        assert_eq!(
            p.equipment[0].url.as_ref().map(|u| u.value.as_str()),
            Some("https://x")
        );
    }

    #[test]
    fn missing_title_points_at_front_matter() {
        let (m, d) = meta("+++\nprocess = \"p\"\n+++\n");
        assert!(m.is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`title`"), "{}", d[0].message);
    }

    #[test]
    fn wrong_type_points_at_value_and_unknown_key_warns() {
        let text = "+++\ntitle = \"T\"\nprocess = \"p\"\nreviewed = \"last year\"\nowner = \"x\"\nonwer = \"y\"\n+++\n";
        let (m, d) = meta(text);
        assert!(m.is_none());
        let bad = d
            .iter()
            .find(|d| d.rule == Rule::FrontMatter)
            .expect("error");
        assert_eq!(&text[bad.span.clone().expect("span")], "\"last year\"");
        let unknown = d
            .iter()
            .find(|d| d.rule == Rule::UnknownKey)
            .expect("warning");
        assert_eq!(unknown.help.as_deref(), Some("did you mean `owner`?"));
    }

    #[test]
    fn hints_are_written_in_the_files_syntax() {
        let yaml = Some(Syntax::Yaml);
        assert_eq!(
            key_value(yaml, "reviewed", "2026-11-25"),
            "reviewed: 2026-11-25"
        );
        assert_eq!(key_value(yaml, "branch", "\"normal\""), "branch: normal");
        assert_eq!(key_value(yaml, "title", "\"A: b\""), "title: \"A: b\"");
        assert_eq!(key_value(yaml, "draft", "true"), "draft: true");
        assert_eq!(
            key_value(Some(Syntax::Toml), "branch", "\"x\""),
            "branch = \"x\""
        );
        assert_eq!(
            key_value(None, "reviewed", "2026-11-25"),
            "reviewed = 2026-11-25"
        );
        let (_, d) = meta("---\nprocess: p\n---\n");
        assert!(
            d[0].help
                .as_deref()
                .is_some_and(|h| h.contains("`title: How to run the normal payroll`")),
            "{:?}",
            d[0].help
        );
    }

    #[test]
    fn yaml_nested_thousands_deep_is_refused_before_saphyr_recurses() {
        let file = FileId(0);
        let by_indent: String = (0..5000)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        let compact = format!("id:\n  {}x\n", "- ".repeat(5000));
        for yaml in [by_indent, compact] {
            let text = format!("---\ntitle: t\n{yaml}---\n");
            let s = split(&text, file).expect("split");
            let err = parse(&text, &s, file).expect_err("too deep");
            assert!(err.message.contains("levels deep"), "{}", err.message);
        }
        let usual = "---\ntitle: \"A: b - c\"\nbranches:\n  - id: a\n    when: \"x: y\"\n---\n";
        let s = split(usual, file).expect("split");
        assert!(parse(usual, &s, file).is_ok());
    }

    #[test]
    fn invalid_yaml_points_inside_the_front_matter() {
        let file = FileId(0);
        let text = "---\ntitle: a\nprocess: [unclosed\n---\n";
        let s = split(text, file).expect("split");
        let err = parse(text, &s, file).expect_err("invalid");
        assert!(err.span.expect("span").start >= 4);
    }
}
