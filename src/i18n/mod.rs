//! The words of the site in the book's language (`[book] language`): one
//! table per shipped language (en, de, fr, es, nl) compiled in, a book's
//! own `i18n/<language>.toml` laid over it key by key, English under both
//! for anything missing. Templates read the table as `t`, the scripts get
//! the `script` section in `nav.js`, and the rest of the renderer asks
//! [`Strings`] directly, so no page of a German book carries an English
//! word of sopbook's.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, FileId, Rule, did_you_mean};

/// The shipped tables, by primary language subtag. English is complete by
/// definition; the others have exactly its keys (tested).
const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("en.toml")),
    ("de", include_str!("de.toml")),
    ("fr", include_str!("fr.toml")),
    ("es", include_str!("es.toml")),
    ("nl", include_str!("nl.toml")),
];

/// One string of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    Text(String),
    /// Chosen by a number: `zero` (where a language says "0 item"),
    /// `one`, `other`.
    Plural {
        zero: Option<String>,
        one: String,
        other: String,
    },
    /// The month names.
    List(Vec<String>),
}

/// The words of one book's site, by `section.key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    entries: BTreeMap<String, Entry>,
}

impl Default for Strings {
    fn default() -> Strings {
        Strings::builtin("en").0
    }
}

/// The primary subtag of a BCP 47 tag, lowercased: `de` of `de-CH`.
pub(crate) fn primary(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase()
}

impl Strings {
    /// The shipped words for `language`, and whether sopbook has a table
    /// for it (English otherwise).
    pub fn builtin(language: &str) -> (Strings, bool) {
        let mut entries = read_table(TABLES[0].1);
        let wanted = primary(language);
        let found = TABLES.iter().find(|(tag, _)| *tag == wanted);
        if let Some((tag, text)) = found
            && *tag != "en"
        {
            entries.extend(read_table(text));
        }
        (Strings { entries }, found.is_some())
    }

    /// The text of `key`; the key itself if no table has it (a template
    /// of a theme asking for a word sopbook does not know).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(Entry::Text(s)) => s,
            Some(Entry::Plural { other, .. }) => other,
            _ => key,
        }
    }

    /// The text of `key` when it is a plain text (not a plural or a list):
    /// what a template's `{{ t.section.name }}` prints.
    pub fn plain(&self, key: &str) -> Option<&str> {
        match self.entries.get(key) {
            Some(Entry::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// `key` with its `{name}` placeholders filled (plain text: the caller
    /// escapes for HTML).
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args)
    }

    /// The form of `key` for the number `n`, with `{n}` filled.
    pub fn count(&self, key: &str, n: usize) -> String {
        let form = match self.entries.get(key) {
            Some(Entry::Plural { zero, one, other }) => plural(n, zero.as_deref(), one, other),
            Some(Entry::Text(s)) => s,
            _ => key,
        };
        fill(form, &[("n", &n.to_string())])
    }

    /// A date as the language writes it: "3 March 2026", "3. März 2026".
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let month = match self.entries.get("date.months") {
            Some(Entry::List(names)) => names
                .get(usize::try_from(d.month() - 1).unwrap_or(0))
                .map_or_else(|| d.month().to_string(), Clone::clone),
            _ => d.month().to_string(),
        };
        self.fill(
            "date.format",
            &[
                ("day", &d.day().to_string()),
                ("month", &month),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// Every entry of `section`, by key without the section: the scripts'
    /// words, written into `nav.js`.
    pub fn section(&self, section: &str) -> BTreeMap<&str, &str> {
        let prefix = format!("{section}.");
        self.entries
            .iter()
            .filter_map(|(k, e)| match e {
                Entry::Text(s) => Some((k.strip_prefix(&prefix)?, s.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The whole table as the templates' `t`: `t.sop.history` is a
    /// string, `t.home.sops` a table of plural forms (for the `tr` filter).
    pub fn tera_value(&self) -> tera::Value {
        let mut sections: BTreeMap<&str, BTreeMap<&str, tera::Value>> = BTreeMap::new();
        for (key, entry) in &self.entries {
            let Some((section, name)) = key.split_once('.') else {
                continue;
            };
            let value = match entry {
                Entry::Text(s) => tera::Value::from(s.as_str()),
                Entry::Plural { zero, one, other } => {
                    let mut forms: BTreeMap<&str, &str> = BTreeMap::new();
                    if let Some(z) = zero {
                        forms.insert("zero", z);
                    }
                    forms.insert("one", one);
                    forms.insert("other", other);
                    tera::Value::from_serializable(&forms)
                }
                Entry::List(items) => tera::Value::from_serializable(items),
            };
            sections.entry(section).or_default().insert(name, value);
        }
        tera::Value::from_serializable(&sections)
    }

    /// Lays a book's `i18n/<language>.toml` over the table. Unknown keys
    /// and values of the wrong shape are warnings at their place and are
    /// left out; the rest replaces sopbook's words.
    pub fn overlay(&mut self, text: &str, file: FileId, name: &str) -> Vec<Diagnostic> {
        let table = match toml::de::DeTable::parse(text) {
            Ok(t) => t,
            Err(e) => {
                return vec![
                    Diagnostic::new(
                        Rule::Config,
                        format!("{name} is not valid TOML: {}", e.message()),
                    )
                    .at(file, e.span().unwrap_or(0..0))
                    .help("see docs/i18n.md for the file's keys"),
                ];
            }
        };
        let entries = crate::spanned::toml_entries(table.get_ref(), 0);
        let mut diags = Vec::new();
        for section in &entries {
            let crate::spanned::Value::Table(keys) = &section.node.value else {
                diags.push(unknown(
                    &section.key,
                    section.key_span.clone(),
                    file,
                    self.sections(),
                ));
                continue;
            };
            for entry in keys {
                let key = format!("{}.{}", section.key, entry.key);
                let Some(known) = self.entries.get(&key) else {
                    let candidates = self.entries.keys().map(String::as_str);
                    diags.push(unknown(&key, entry.key_span.clone(), file, candidates));
                    continue;
                };
                match read_entry(&entry.node, known) {
                    Ok(e) => {
                        self.entries.insert(key, e);
                    }
                    Err(want) => diags.push(
                        Diagnostic::new(Rule::Config, format!("`{key}` in {name} must be {want}"))
                            .at(file, entry.node.span.clone())
                            .help("see docs/i18n.md for the shape of each key"),
                    ),
                }
            }
        }
        diags
    }

    fn sections(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = self
            .entries
            .keys()
            .filter_map(|k| k.split_once('.').map(|(s, _)| s))
            .collect();
        seen.dedup();
        seen.into_iter()
    }
}

fn unknown<'a>(
    key: &str,
    span: Range<usize>,
    file: FileId,
    candidates: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let help = match did_you_mean(key, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "docs/i18n.md lists every key".to_owned(),
    };
    Diagnostic::new(
        Rule::UnknownKey,
        format!("unknown key `{key}`: sopbook writes no such words"),
    )
    .at(file, span)
    .help(help)
}

/// A book's value for a key, in the shape sopbook's table has.
fn read_entry(node: &crate::spanned::Node, known: &Entry) -> Result<Entry, &'static str> {
    use crate::spanned::Value;
    let string = |n: &crate::spanned::Node| match &n.value {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    };
    match (known, &node.value) {
        (Entry::Text(_), Value::Str(s)) => Ok(Entry::Text(s.clone())),
        (Entry::Text(_), _) => Err("a string"),
        (Entry::Plural { .. }, Value::Str(s)) => Ok(Entry::Plural {
            zero: None,
            one: s.clone(),
            other: s.clone(),
        }),
        (Entry::Plural { .. }, Value::Table(forms)) => {
            let get = |name: &str| {
                forms
                    .iter()
                    .find(|e| e.key == name)
                    .and_then(|e| string(&e.node))
            };
            match (get("one"), get("other")) {
                (Some(one), Some(other))
                    if forms
                        .iter()
                        .all(|e| matches!(e.key.as_str(), "zero" | "one" | "other")) =>
                {
                    Ok(Entry::Plural {
                        zero: get("zero"),
                        one,
                        other,
                    })
                }
                _ => Err("a table of strings `one`, `other` (and `zero`)"),
            }
        }
        (Entry::Plural { .. }, _) => Err("a string or a table `{ one = \"…\", other = \"…\" }`"),
        (Entry::List(old), Value::Array(items)) => {
            let items: Option<Vec<String>> = items.iter().map(string).collect();
            match items {
                Some(items) if items.len() == old.len() => Ok(Entry::List(items)),
                _ => Err("a list of as many strings as sopbook's"),
            }
        }
        (Entry::List(_), _) => Err("a list of strings"),
    }
}

/// A shipped table, flattened to `section.key`. The tables are part of
/// the binary: one that does not parse is a bug the tests catch.
fn read_table(text: &str) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    let Ok(table) = text.parse::<toml::Table>() else {
        return out;
    };
    for (section, keys) in table {
        let toml::Value::Table(keys) = keys else {
            continue;
        };
        for (key, value) in keys {
            let entry = match value {
                toml::Value::String(s) => Entry::Text(s),
                toml::Value::Table(forms) => {
                    let get = |k: &str| forms.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                    Entry::Plural {
                        zero: get("zero"),
                        one: get("one").unwrap_or_default(),
                        other: get("other").unwrap_or_default(),
                    }
                }
                toml::Value::Array(items) => Entry::List(
                    items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                ),
                _ => continue,
            };
            out.insert(format!("{section}.{key}"), entry);
        }
    }
    out
}

/// The plural form for `n`.
pub(crate) fn plural<'a>(n: usize, zero: Option<&'a str>, one: &'a str, other: &'a str) -> &'a str {
    match (n, zero) {
        (0, Some(z)) => z,
        (1, _) => one,
        _ => other,
    }
}

/// `text` with each `{name}` of `args` replaced; other braces kept.
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_table_has_exactly_the_english_keys_and_shapes() {
        let english = read_table(TABLES[0].1);
        assert!(english.len() > 150, "{}", english.len());
        for (tag, text) in TABLES {
            let table = read_table(text);
            let missing: Vec<&String> =
                english.keys().filter(|k| !table.contains_key(*k)).collect();
            let extra: Vec<&String> = table.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{tag}: missing {missing:?}, extra {extra:?}"
            );
            for (key, entry) in &table {
                let same_shape = matches!(
                    (entry, &english[key]),
                    (Entry::Text(_), Entry::Text(_))
                        | (Entry::Plural { .. }, Entry::Plural { .. })
                        | (Entry::List(_), Entry::List(_))
                );
                assert!(same_shape, "{tag}: {key} has another shape than in English");
                // The placeholders are those of English.
                let names = |e: &Entry| {
                    let text = match e {
                        Entry::Text(s) => s.clone(),
                        Entry::Plural { one, other, .. } => format!("{one}{other}"),
                        Entry::List(_) => String::new(),
                    };
                    let mut v: Vec<String> = text
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                };
                assert_eq!(names(entry), names(&english[key]), "{tag}: {key}");
                if let Entry::List(items) = entry {
                    assert_eq!(items.len(), 12, "{tag}: {key}");
                }
            }
        }
    }

    /// docs/i18n.md lists every key, under its section.
    #[test]
    fn every_key_is_documented() {
        let docs = include_str!("../../docs/i18n.md");
        for key in read_table(TABLES[0].1).keys() {
            let (section, name) = key.split_once('.').unwrap_or_default();
            let at = docs
                .find(&format!("### `[{section}]`"))
                .unwrap_or_else(|| panic!("docs/i18n.md has no section [{section}]"));
            let end = docs[at + 1..]
                .find("### ")
                .map_or(docs.len(), |e| at + 1 + e);
            assert!(
                docs[at..end].contains(&format!("| `{name}` |")),
                "docs/i18n.md does not list {key}"
            );
        }
    }

    #[test]
    fn languages_dates_and_plurals() {
        let (de, found) = Strings::builtin("de-CH");
        assert!(found);
        assert_eq!(de.date(jiff::civil::date(2026, 3, 3)), "3. März 2026");
        let (en, _) = Strings::builtin("en-GB");
        assert_eq!(en.date(jiff::civil::date(2026, 3, 3)), "3 March 2026");
        assert_eq!(en.count("home.sops", 1), "1 SOP");
        assert_eq!(en.count("home.sops", 0), "0 SOPs");
        let (fr, _) = Strings::builtin("fr");
        assert_eq!(fr.count("home.processes", 0), "0 processus");
        let (ja, found) = Strings::builtin("ja");
        assert!(!found);
        assert_eq!(ja.text("facts.owner"), "Owner");
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(
            fill("{a} and {b} {c", &[("a", "1"), ("b", "{a}")]),
            "1 and {a} {c"
        );
        assert_eq!(fill("no {x}", &[]), "no {x}");
    }

    #[test]
    fn a_book_overrides_words_and_is_warned_of_unknown_keys() {
        let mut s = Strings::builtin("en").0;
        let text = "[facts]\nowner = \"Responsible\"\nownr = \"x\"\n[home]\nsops = { one = \"{n} procedure\", other = \"{n} procedures\" }\n[nope]\nx = 1\n[date]\nmonths = [\"a\"]\n";
        let diags = s.overlay(text, FileId(0), "i18n/en.toml");
        assert_eq!(s.text("facts.owner"), "Responsible");
        assert_eq!(s.count("home.sops", 2), "2 procedures");
        let rules: Vec<Rule> = diags.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [Rule::UnknownKey, Rule::UnknownKey, Rule::Config],
            "{diags:?}"
        );
        assert!(
            diags[0].message.contains("facts.ownr"),
            "{}",
            diags[0].message
        );
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `facts.owner`?")
        );
        // The month list kept its twelve names.
        assert_eq!(s.date(jiff::civil::date(2026, 1, 5)), "5 January 2026");
    }
}
