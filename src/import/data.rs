//! Reading the source tool's own data: front matter and config files
//! (`mkdocs.yml`, `_config.yml`, `hugo.toml`…) through the same spanned
//! reader as sopbook's front matter, and looking keys up in them.

use crate::diagnostics::FileId;
use crate::parse::front_matter::{self, Split, Syntax};
use crate::spanned::{Entry, Node, Value};

/// A table of keys, as read.
pub(super) type Table = Vec<Entry>;

/// Parses a whole file of YAML or TOML; `None` when it does not parse
/// (JSON is YAML, so `hugo.json` and `_category_.json` read too).
pub(super) fn parse_file(text: &str, syntax: Syntax) -> Option<Table> {
    let parse = |text: &str| {
        let split = Split {
            syntax: Some(syntax),
            inner: 0..text.len(),
            whole: 0..text.len(),
            body: text.len()..text.len(),
        };
        front_matter::parse(text, &split, FileId(0)).ok()
    };
    match parse(text) {
        Some(table) => Some(table),
        // MkDocs configs tag values for Python (`!!python/name:x`,
        // `!ENV VAR`): read them without their tags.
        None if syntax == Syntax::Yaml && text.contains('!') => parse(&without_tags(text)),
        None => None,
    }
}

/// YAML with its local and Python tags taken out: `!!python/name:a.b`
/// reads as nothing, `!ENV NAME` as `NAME`.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        loop {
            let at = [": !", "- !"]
                .iter()
                .filter_map(|m| rest.find(m).map(|i| i + 2))
                .min();
            let Some(at) = at else { break };
            out.push_str(&rest[..at]);
            let tag_end = rest[at..]
                .find(|c: char| c.is_whitespace())
                .map_or(rest.len(), |e| at + e);
            rest = rest[tag_end..].trim_start_matches(' ');
        }
        out.push_str(rest);
    }
    out
}

/// The front matter of a Markdown file: its table (empty when there is
/// none), where the body starts, and what went wrong reading it.
pub(super) fn front_matter(text: &str) -> (Table, usize, Option<String>) {
    let split = match front_matter::split(text, FileId(0)) {
        Ok(split) => split,
        Err(d) => return (Vec::new(), 0, Some(d.message)),
    };
    match front_matter::parse(text, &split, FileId(0)) {
        Ok(table) => (table, split.body.start, None),
        Err(d) => (Vec::new(), split.body.start, Some(d.message)),
    }
}

/// The node at a dotted path of keys.
pub(super) fn node<'a>(table: &'a [Entry], path: &[&str]) -> Option<&'a Node> {
    let (first, rest) = path.split_first()?;
    let entry = table.iter().find(|e| e.key == *first)?;
    if rest.is_empty() {
        return Some(&entry.node);
    }
    match &entry.node.value {
        Value::Table(inner) => node(inner, rest),
        _ => None,
    }
}

/// A string (or a number or boolean written where text was meant).
pub(super) fn string(table: &[Entry], path: &[&str]) -> Option<String> {
    match &node(table, path)?.value {
        Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Date(d) => Some(d.to_string()),
        _ => None,
    }
}

/// An integer (a YAML/TOML number, or text that is one).
pub(super) fn int(table: &[Entry], path: &[&str]) -> Option<i64> {
    match &node(table, path)?.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn boolean(table: &[Entry], path: &[&str]) -> Option<bool> {
    match &node(table, path)?.value {
        Value::Bool(b) => Some(*b),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list of strings; one string reads as a list of one.
pub(super) fn strings(table: &[Entry], path: &[&str]) -> Vec<String> {
    match node(table, path).map(|n| &n.value) {
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|n| match &n.value {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A date written as a date or as text (`2024-05-01`, `2024-05-01 10:00`).
pub(super) fn date(table: &[Entry], path: &[&str]) -> Option<jiff::civil::Date> {
    match &node(table, path)?.value {
        Value::Date(d) => Some(*d),
        Value::Str(s) | Value::Datetime(s) => s.get(..10)?.parse().ok(),
        _ => None,
    }
}
