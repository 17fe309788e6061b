//! One spanned value tree for everything users write as key/value data
//! (`book.toml`, TOML and YAML front matter), and a reader over its tables.
//!
//! Reading through this tree rather than serde lets every problem point at
//! its own line: a wrong type at the value, an unknown key at the key, a
//! missing key at the table, in either syntax, with one set of messages.

use std::ops::Range;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, FileId, Rule, did_you_mean};

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub value: Value,
    /// Byte range in the file the node came from.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// No key of sopbook's takes a fraction; `[extra]` keeps it.
    Float(f64),
    Str(String),
    Date(Date),
    /// A TOML date-time or time: kept as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

impl Value {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Date(_) | Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

impl Node {
    /// The value as JSON, for templates (`[extra]`): types kept, dates
    /// and date-times as the text they were written as (`2026-09-01`), a
    /// number JSON cannot hold (`inf`, `nan`) as text.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number)
            }
            Value::Str(s) | Value::Datetime(s) => J::String(s.clone()),
            Value::Date(d) => J::String(d.to_string()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Table(entries) => J::Object(json_object(entries)),
        }
    }
}

/// A table's entries as a JSON object, for templates (`[extra]`).
pub(crate) fn json_object(entries: &[Entry]) -> serde_json::Map<String, serde_json::Value> {
    entries
        .iter()
        .map(|e| (e.key.clone(), e.node.to_json()))
        .collect()
}

/// Converts a parsed TOML document (spans relative to `text`, which starts at
/// `base` in the file) into a [`Node`].
pub(crate) fn from_toml(value: &toml::Spanned<toml::de::DeValue<'_>>, base: usize) -> Node {
    use toml::de::DeValue;
    let span = value.span();
    let span = span.start + base..span.end + base;
    let value = match value.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Str(i.as_str().to_owned())),
        DeValue::Float(f) => f
            .as_str()
            .parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::Str(f.as_str().to_owned())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
                .map(Value::Date)
                .unwrap_or_else(|_| Value::Datetime(dt.to_string())),
            _ => Value::Datetime(dt.to_string()),
        },
        DeValue::Array(items) => Value::Array(items.iter().map(|n| from_toml(n, base)).collect()),
        DeValue::Table(table) => Value::Table(toml_entries(table, base)),
    };
    Node { value, span }
}

pub(crate) fn toml_entries(table: &toml::de::DeTable<'_>, base: usize) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| {
            let ks = k.span();
            Entry {
                key: k.get_ref().to_string(),
                key_span: ks.start + base..ks.end + base,
                node: from_toml(v, base),
            }
        })
        .collect();
    // The TOML map is sorted by key; report in the order of the file.
    entries.sort_by_key(|e| e.key_span.start);
    entries
}

/// Converts a YAML node into a [`Node`]. saphyr gives line and column in
/// characters; `text` (the YAML, starting at byte `base` of the file) turns
/// them back into byte offsets.
pub(crate) fn from_yaml(
    node: &saphyr::MarkedYaml<'_>,
    text: &LineIndex<'_>,
) -> Result<Node, (Range<usize>, String)> {
    use saphyr::{Scalar, YamlData};
    let start = text.offset(node.span.start.line(), node.span.start.col());
    let end = text
        .offset(node.span.end.line(), node.span.end.col())
        .max(start);
    let span = start..end;
    let value = match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Int(*i),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => Value::Str(s.to_string()),
        },
        YamlData::Representation(s, _, _) => Value::Str(s.to_string()),
        YamlData::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|n| from_yaml(n, text))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = from_yaml(k, text)?;
                let name = match key.value {
                    Value::Str(s) => s,
                    Value::Int(i) => i.to_string(),
                    Value::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            key.span,
                            format!("a key must be text, found {}", other.type_name()),
                        ));
                    }
                };
                entries.push(Entry {
                    key: name,
                    key_span: key.span,
                    node: from_yaml(v, text)?,
                });
            }
            Value::Table(entries)
        }
        YamlData::Tagged(_, inner) => return from_yaml(inner, text),
        YamlData::Alias(_) => {
            return Err((
                span,
                "YAML aliases (`*name`) are not supported in front matter".into(),
            ));
        }
        YamlData::BadValue => return Err((span, "this value could not be read".into())),
    };
    Ok(Node { value, span })
}

/// Maps (1-based line, 0-based char column) to byte offsets.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    base: usize,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str, base: usize) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            base,
            line_starts,
        }
    }

    pub(crate) fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.base + self.text.len();
        };
        let rest = &self.text[start..];
        let within = rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i);
        self.base + start + within
    }
}

/// Reads the keys of one table, reporting wrong types, missing keys and
/// (at `finish`) unknown keys. Every known key must be asked for, even when
/// the caller ignores it, so that the unknown-key check knows it.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    entries: &'a [Entry],
    used: Vec<bool>,
    known: Vec<&'static str>,
    file: FileId,
    /// Where a missing key is reported.
    span: Range<usize>,
    /// "front matter", "[build]"…: names the table in messages.
    context: String,
    rule: Rule,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(
        entries: &'a [Entry],
        file: FileId,
        span: Range<usize>,
        context: impl Into<String>,
        rule: Rule,
    ) -> Fields<'a> {
        Fields {
            entries,
            used: vec![false; entries.len()],
            known: Vec::new(),
            file,
            span,
            context: context.into(),
            rule,
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn file(&self) -> FileId {
        self.file
    }

    /// The raw node of `key`, marking it known and used.
    pub(crate) fn node(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        let entries = self.entries;
        let i = entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        Some(&entries[i].node)
    }

    /// Where the value of `key` is written, if it is.
    pub(crate) fn span_of(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.node.span.clone())
    }

    /// Where `key` itself is written, if it is.
    pub(crate) fn key_span_of(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.key_span.clone())
    }

    /// Where a missing key is reported: the table (or front matter) itself.
    pub(crate) fn table_span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub(crate) fn wrong_type(&mut self, key: &str, node: &Node, expected: &str) {
        let d = Diagnostic::new(
            self.rule,
            format!(
                "`{key}` must be {expected}, found {}",
                node.value.type_name()
            ),
        )
        .at(self.file, node.span.clone())
        .label(format!("expected {expected}"));
        self.diagnostics.push(d);
    }

    pub(crate) fn invalid(
        &mut self,
        node: &Node,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let d = Diagnostic::new(self.rule, message)
            .at(self.file, node.span.clone())
            .help_opt(help);
        self.diagnostics.push(d);
    }

    pub(crate) fn missing(&mut self, key: &str, help: impl Into<String>) {
        let d = Diagnostic::new(
            self.rule,
            format!("{} is missing the required key `{key}`", self.context),
        )
        .at(self.file, self.span.clone())
        .help(help);
        self.diagnostics.push(d);
    }

    pub(crate) fn string(&mut self, key: &'static str) -> Option<String> {
        let node = self.node(key)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    /// A string that must be there and not blank.
    pub(crate) fn required_string(&mut self, key: &'static str, help: &str) -> Option<String> {
        let present = self.entries.iter().any(|e| e.key == key);
        let value = self.string(key);
        match value {
            Some(s) if s.trim().is_empty() => {
                if let Some(node) = self.entries.iter().find(|e| e.key == key).map(|e| &e.node) {
                    self.invalid(
                        node,
                        format!("`{key}` must not be empty"),
                        Some(help.to_owned()),
                    );
                }
                None
            }
            None if !present => {
                self.missing(key, help);
                None
            }
            other => other,
        }
    }

    pub(crate) fn bool(&mut self, key: &'static str) -> Option<bool> {
        let node = self.node(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(key, node, "`true` or `false`");
                None
            }
        }
    }

    pub(crate) fn int(&mut self, key: &'static str) -> Option<i64> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                self.wrong_type(key, node, "an integer");
                None
            }
        }
    }

    /// A date written as a TOML date (`2026-09-01`) or a string.
    pub(crate) fn date(&mut self, key: &'static str) -> Option<Date> {
        let node = self.node(key)?;
        match &node.value {
            Value::Date(d) => Some(*d),
            Value::Str(s) => match s.trim().parse::<Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    self.invalid(
                        node,
                        format!("`{key}` is not a valid date: `{s}`"),
                        Some("write the date as YYYY-MM-DD, e.g. 2026-09-01".into()),
                    );
                    None
                }
            },
            Value::Datetime(s) => match s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
                Some(d) => Some(d),
                None => {
                    self.wrong_type(key, node, "a date (YYYY-MM-DD)");
                    None
                }
            },
            _ => {
                self.wrong_type(key, node, "a date (YYYY-MM-DD)");
                None
            }
        }
    }

    pub(crate) fn array(&mut self, key: &'static str) -> Option<&'a [Node]> {
        let node = self.node(key)?;
        match &node.value {
            Value::Array(items) => Some(items),
            _ => {
                self.wrong_type(key, node, "a list");
                None
            }
        }
    }

    pub(crate) fn table(&mut self, key: &'static str) -> Option<(&'a [Entry], &'a Node)> {
        let node = self.node(key)?;
        match &node.value {
            Value::Table(entries) => Some((entries, node)),
            _ => {
                self.wrong_type(key, node, "a table");
                None
            }
        }
    }

    /// `extra`: a table of the author's own keys, for templates. Its keys
    /// are never checked; anything but a table (or nothing, `extra:` left
    /// empty in YAML) is a wrong type.
    pub(crate) fn extra(&mut self) -> serde_json::Map<String, serde_json::Value> {
        match self.node("extra") {
            Some(Node {
                value: Value::Table(entries),
                ..
            }) => json_object(entries),
            Some(Node {
                value: Value::Null, ..
            })
            | None => serde_json::Map::new(),
            Some(node) => {
                self.wrong_type("extra", node, "a table of your own keys");
                serde_json::Map::new()
            }
        }
    }

    /// Warns about every key that was never asked for, with did-you-mean,
    /// and returns all diagnostics.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        for (entry, used) in self.entries.iter().zip(&self.used) {
            if *used || self.known.contains(&entry.key.as_str()) {
                continue;
            }
            let suggestion = did_you_mean(&entry.key, self.known.iter().copied());
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {}", self.known.join(", ")),
            };
            self.diagnostics.push(
                Diagnostic::new(
                    Rule::UnknownKey,
                    format!("unknown key `{}` in {}", entry.key, self.context),
                )
                .at(self.file, entry.key_span.clone())
                .label("not a key sopbook knows")
                .help(help),
            );
        }
        self.diagnostics
    }
}

/// The help for a value outside a closed set (`format = "vidoe"`): a
/// did-you-mean, as for an unknown key, then the values there are.
pub(crate) fn choice_help(key: &str, value: &str, choices: &[&str]) -> String {
    let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
    let list = match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    match did_you_mean(value, choices.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? `{key}` is {list}"),
        None => format!("`{key}` is {list}"),
    }
}

/// Parses a review interval such as `6 months`, `1 year`, `90 days`, `2 weeks`.
pub(crate) fn parse_interval(text: &str) -> Option<jiff::Span> {
    let mut words = text.split_whitespace();
    let n: i64 = words.next()?.parse().ok()?;
    let unit = words.next()?.to_ascii_lowercase();
    if words.next().is_some() || !(1..=1000).contains(&n) {
        return None;
    }
    match unit.as_str() {
        "day" | "days" => jiff::Span::new().try_days(n).ok(),
        "week" | "weeks" => jiff::Span::new().try_weeks(n).ok(),
        "month" | "months" => jiff::Span::new().try_months(n).ok(),
        "year" | "years" => jiff::Span::new().try_years(n).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert!(parse_interval("6 months").is_some());
        assert!(parse_interval("1 year").is_some());
        assert!(parse_interval("90 days").is_some());
        assert!(parse_interval("six months").is_none());
        assert!(parse_interval("6 fortnights").is_none());
        assert!(parse_interval("0 days").is_none());
    }

    #[test]
    fn closed_sets_suggest_the_nearest_value() {
        let formats = ["document", "video", "training"];
        assert_eq!(
            choice_help("format", "vidoe", &formats),
            "did you mean `video`? `format` is \"document\", \"video\" or \"training\""
        );
        assert_eq!(
            choice_help("format", "podcast", &formats),
            "`format` is \"document\", \"video\" or \"training\""
        );
        assert_eq!(
            choice_help("x", "a", &["b"]),
            "did you mean `b`? `x` is \"b\""
        );
    }

    #[test]
    fn line_index_maps_char_columns() {
        let text = "a: 1\nbé: x\n";
        let idx = LineIndex::new(text, 10);
        assert_eq!(idx.offset(1, 0), 10);
        assert_eq!(idx.offset(2, 4), 10 + 5 + 5);
    }
}
