//! Front matter: find it (`+++` TOML or `---` YAML), parse it into the
//! spanned tree, and read it as a process, an SOP or a page.

use std::ops::Range;

use jiff::civil::Date;

use crate::config::{ReviewInterval, review_interval};
use crate::diagnostics::{Diagnostic, FileId, Rule};
use crate::spanned::{self, Entry, Fields, LineIndex, Node, Value};

mod meta;

pub(crate) use meta::*;

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
pub(crate) fn key_value(syntax: Option<Syntax>, key: &str, value: &str) -> String {
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
pub(crate) fn split(text: &str, file: FileId) -> Result<Split, Diagnostic> {
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
pub(crate) fn parse(text: &str, split: &Split, file: FileId) -> Result<Vec<Entry>, Diagnostic> {
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
    fn weight_is_order_and_extra_keeps_types() {
        let (m, d) = meta(
            "+++\ntitle = \"P\"\nweight = 5\n[extra]\nn = 1.5\nwhen = 2026-01-02\nat = 2026-01-02T10:00:00Z\n+++\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let Some(Meta::Page(p)) = m else {
            panic!("not a page")
        };
        assert_eq!(p.common.order, Some(5));
        assert_eq!(
            serde_json::Value::Object(p.common.extra).to_string(),
            r#"{"at":"2026-01-02T10:00:00Z","n":1.5,"when":"2026-01-02"}"#
        );
        let (m, d) = meta(
            "---\ntitle: P\nweight: 2\nextra:\n  tags: [a, 1, true, ~]\n  deep: {x: {y: z}}\n---\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let Some(Meta::Page(p)) = m else {
            panic!("not a page")
        };
        assert_eq!(p.common.order, Some(2));
        assert_eq!(
            serde_json::Value::Object(p.common.extra).to_string(),
            r#"{"deep":{"x":{"y":"z"}},"tags":["a",1,true,null]}"#
        );
        // Left empty in YAML, it is no table and no error.
        let (m, d) = meta("---\ntitle: P\nextra:\n---\n");
        assert!(d.is_empty() && m.is_some(), "{d:?}");
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
