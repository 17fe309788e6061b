//! `book.toml` → [`Config`]: every key of SPEC §1, with defaults, type and
//! value checks at the key's line, and unknown keys as warnings.

pub(crate) mod brand;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, FileId, Rule, RuleLevel, did_you_mean};
use crate::spanned::{self, Fields, Node};

#[derive(Debug, Clone)]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub check: BTreeMap<Rule, RuleLevel>,
    pub serve: ServeConfig,
    /// `[extra]`: the book's own keys, for templates (`site.extra`).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct BookConfig {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Where `language` is written, for `ui-language`.
    pub language_span: Option<Range<usize>>,
    /// The words of the site in `language`: sopbook's table, with the
    /// book's `i18n/<language>.toml` laid over it (see `book.rs`).
    pub strings: std::sync::Arc<crate::i18n::Strings>,
    /// `groups`: the order of the process groups on the home page and in
    /// the navigation; groups not listed follow, alphabetically.
    pub groups: Vec<ListedGroup>,
}

/// A group named in `[book] groups`, with where, for the warning when no
/// process is in it.
#[derive(Debug, Clone)]
pub struct ListedGroup {
    pub name: String,
    pub file: FileId,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub content_dir: String,
    pub output_dir: String,
    pub theme: String,
    /// Always ends with `/`.
    pub base_url: Option<String>,
    pub edit_url: Option<String>,
    pub review_every: Option<ReviewInterval>,
    pub drafts: bool,
    pub search: bool,
    /// `page-contents`: "On this page" on pages with three headings or more.
    pub page_contents: bool,
    /// Highlight fenced code that names a language, at build time.
    pub highlight: bool,
    /// Clean the HTML of page bodies with ammonia (the `sanitize` feature).
    pub sanitize_html: bool,
    /// `history`: read the book's git history (SPEC §8).
    pub history: HistoryMode,
    /// Where `history` is written in book.toml, for the error when
    /// `history = true` finds no git.
    pub history_span: Option<Range<usize>>,
    /// `commit-url`, with a `{hash}` placeholder.
    pub commit_url: Option<String>,
    /// `redirects-from-history`: a page whose URL changed in the git
    /// history gets a redirect from each old URL.
    pub redirects_from_history: bool,
    /// `extra-css`, `extra-js`, `favicon`, `logo`, `logo-alt`.
    pub brand: brand::Brand,
}

/// `[build] history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryMode {
    /// The default: on when the book is in a git work tree and git runs.
    Auto,
    /// On; no git or no repository is a `config` error.
    On,
    Off,
}

impl BuildConfig {
    /// The commit's page, from `commit-url`.
    pub fn commit_link(&self, hash: &str) -> Option<String> {
        self.commit_url.as_ref().map(|u| u.replace("{hash}", hash))
    }
}

#[derive(Debug, Clone)]
pub struct ReviewInterval {
    pub text: String,
    pub span: jiff::Span,
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub address: String,
    pub port: u16,
}

impl Config {
    pub fn level(&self, rule: Rule) -> RuleLevel {
        self.check
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_level())
    }
}

/// Parses `book.toml`. Returns `None` when the file has errors that leave no
/// usable configuration; the diagnostics say why.
pub fn parse(text: &str, file: FileId) -> (Option<Config>, Vec<Diagnostic>) {
    let table = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let d = Diagnostic::new(
                Rule::Config,
                format!("book.toml is not valid TOML: {}", e.message()),
            )
            .at(file, span)
            .help("see the book.toml reference in docs/configuration.md");
            return (None, vec![d]);
        }
    };
    let entries = spanned::toml_entries(table.get_ref(), 0);
    let whole = 0..text.len().min(1);
    let mut top = Fields::new(&entries, file, whole.clone(), "book.toml", Rule::Config);
    let mut diags = Vec::new();

    let book = match top.table("book") {
        Some((entries, node)) => read_book(entries, node, file, &mut diags),
        None => {
            if !entries.iter().any(|e| e.key == "book") {
                top.missing("book", "add a [book] table with at least `title = \"…\"`");
            }
            None
        }
    };
    let build = match top.table("build") {
        Some((entries, node)) => read_build(entries, node, file, &mut diags),
        None => Some(BuildConfig::default()),
    };
    let check = match top.table("check") {
        Some((entries, _)) => read_check(entries, file, &mut diags),
        None => BTreeMap::new(),
    };
    let serve = match top.table("serve") {
        Some((entries, node)) => read_serve(entries, node, file, &mut diags),
        None => Some(ServeConfig::default()),
    };
    let extra = top.extra();
    diags.extend(top.finish());

    let has_errors = diags.iter().any(|d| d.rule == Rule::Config);
    let config = match (book, build, serve) {
        (Some(book), Some(build), Some(serve)) if !has_errors => Some(Config {
            book,
            build,
            check,
            serve,
            extra,
        }),
        _ => None,
    };
    (config, diags)
}

fn read_book(
    entries: &[spanned::Entry],
    node: &Node,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<BookConfig> {
    let mut f = Fields::new(entries, file, header_span(node), "[book]", Rule::Config);
    let title = f.required_string(
        "title",
        "give the handbook a title, e.g. `title = \"Acme Handbook\"`",
    );
    let description = f.string("description").filter(|d| !d.trim().is_empty());
    let language_span = f.node("language").map(|n| n.span.clone());
    let language = match f.node("language") {
        Some(n) => match &n.value {
            spanned::Value::Str(s) if is_language_tag(s) => Some(s.clone()),
            spanned::Value::Str(s) => {
                f.invalid(
                    n,
                    format!("`language` is not a language tag: `{s}`"),
                    Some("use a BCP 47 tag such as `en`, `de` or `pt-BR`".into()),
                );
                None
            }
            _ => {
                f.wrong_type("language", n, "a string");
                None
            }
        },
        None => Some("en".to_owned()),
    };
    let groups = read_groups(&mut f);
    diags.extend(f.finish());
    let language = language?;
    let strings = std::sync::Arc::new(crate::i18n::Strings::builtin(&language).0);
    Some(BookConfig {
        title: title?,
        description,
        language,
        language_span,
        strings,
        groups,
    })
}

/// `groups = ["Support", "Finance"]`: names, each once.
fn read_groups(f: &mut Fields) -> Vec<ListedGroup> {
    let mut groups: Vec<ListedGroup> = Vec::new();
    for item in f.array("groups").unwrap_or_default() {
        let name = match &item.value {
            spanned::Value::Str(s) if !s.trim().is_empty() => s.clone(),
            _ => {
                f.wrong_type("groups", item, "a list of group names");
                continue;
            }
        };
        if let Some(first) = groups.iter().find(|g| g.name == name) {
            let d = Diagnostic::new(
                Rule::Config,
                format!("the group `{name}` is listed twice in `groups`"),
            )
            .at(f.file(), item.span.clone())
            .label("listed again")
            .related(f.file(), first.span.clone(), "first listed here")
            .help("list each group once, in the order the home page shows them");
            f.diagnostics.push(d);
            continue;
        }
        groups.push(ListedGroup {
            name,
            file: f.file(),
            span: item.span.clone(),
        });
    }
    groups
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 35
        && s.split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

impl Default for BuildConfig {
    fn default() -> BuildConfig {
        BuildConfig {
            content_dir: "content".into(),
            output_dir: "site".into(),
            theme: "default".into(),
            base_url: None,
            edit_url: None,
            review_every: None,
            drafts: false,
            search: true,
            page_contents: true,
            highlight: true,
            sanitize_html: false,
            history: HistoryMode::Auto,
            history_span: None,
            commit_url: None,
            redirects_from_history: true,
            brand: brand::Brand::default(),
        }
    }
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            address: "127.0.0.1".into(),
            port: 3000,
        }
    }
}

fn read_build(
    entries: &[spanned::Entry],
    node: &Node,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<BuildConfig> {
    let mut f = Fields::new(entries, file, header_span(node), "[build]", Rule::Config);
    let d = BuildConfig::default();
    let mut ok = true;
    let mut dir = |f: &mut Fields, key: &'static str, default: String| match f.node(key) {
        None => default,
        Some(n) => match &n.value {
            spanned::Value::Str(s) if !s.trim().is_empty() => s.clone(),
            spanned::Value::Str(_) => {
                f.invalid(n, format!("`{key}` must not be empty"), None);
                ok = false;
                default
            }
            _ => {
                f.wrong_type(key, n, "a path");
                ok = false;
                default
            }
        },
    };
    let content_dir = dir(&mut f, "content-dir", d.content_dir);
    let output_dir = dir(&mut f, "output-dir", d.output_dir);
    let theme = dir(&mut f, "theme", d.theme);
    if (theme.contains(['/', '\\']) || theme == "." || theme == "..")
        && let Some(n) = f.node("theme")
    {
        f.invalid(
            n,
            format!("`theme` must be a theme name, not a path: `{theme}`"),
            Some("put the theme in themes/<name>/ and set `theme = \"<name>\"`".into()),
        );
    }
    let base_url = f.node("base-url").and_then(|n| match &n.value {
        spanned::Value::Str(s) => match normalize_base_url(s) {
            Some(url) => Some(url),
            None => {
                f.invalid(
                    n,
                    format!("`base-url` must be an absolute http(s) URL: `{s}`"),
                    Some("e.g. `base-url = \"https://acme.example/handbook/\"`".into()),
                );
                None
            }
        },
        _ => {
            f.wrong_type("base-url", n, "a string");
            None
        }
    });
    let edit_url = f.node("edit-url").and_then(|n| match &n.value {
        spanned::Value::Str(s) if s.contains("{path}") => Some(s.clone()),
        spanned::Value::Str(s) => {
            f.invalid(n, format!("`edit-url` has no `{{path}}` placeholder: `{s}`"), Some("e.g. `edit-url = \"https://github.com/acme/handbook/edit/main/{path}\"`; {path} is the file's path from the book root".into()));
            None
        }
        _ => {
            f.wrong_type("edit-url", n, "a string");
            None
        }
    });
    let review_every = review_interval(&mut f, "review-every");
    let drafts = f.bool("drafts").unwrap_or(false);
    let search = f.bool("search").unwrap_or(true);
    let page_contents = f.bool("page-contents").unwrap_or(true);
    let highlight = f.bool("highlight").unwrap_or(true);
    let sanitize_html = f.bool("sanitize-html").unwrap_or(false);
    if sanitize_html
        && !cfg!(feature = "sanitize")
        && let Some(n) = f.node("sanitize-html")
    {
        f.invalid(
            n,
            "this sopbook was built without HTML sanitizing (the `sanitize` cargo feature)",
            Some("install a build with default features (`cargo install sopbook`, without `--no-default-features`), or remove this line".into()),
        );
    }
    let history_span = f.node("history").map(|n| n.span.clone());
    let history = match f.node("history") {
        None => HistoryMode::Auto,
        Some(n) => match &n.value {
            spanned::Value::Bool(true) => HistoryMode::On,
            spanned::Value::Bool(false) => HistoryMode::Off,
            spanned::Value::Str(s) if s == "auto" => HistoryMode::Auto,
            spanned::Value::Str(s) => {
                let help = match s.as_str() {
                    "true" | "on" | "yes" => "write `history = true` without quotes".to_owned(),
                    "false" | "off" | "no" => "write `history = false` without quotes".to_owned(),
                    _ => "`\"auto\"` (the default) reads it when the book is in a git work tree"
                        .to_owned(),
                };
                f.invalid(
                    n,
                    format!("`history` must be \"auto\", true or false, not `\"{s}\"`"),
                    Some(help),
                );
                HistoryMode::Auto
            }
            _ => {
                f.wrong_type("history", n, "\"auto\", true or false");
                HistoryMode::Auto
            }
        },
    };
    let commit_url = f.node("commit-url").and_then(|n| match &n.value {
        spanned::Value::Str(s) if s.contains("{hash}") && !s.trim().is_empty() => Some(s.trim().to_owned()),
        spanned::Value::Str(s) => {
            f.invalid(
                n,
                format!("`commit-url` has no `{{hash}}` placeholder: `{s}`"),
                Some("e.g. `commit-url = \"https://github.com/acme/handbook/commit/{hash}\"`; {hash} is the commit's full hash".into()),
            );
            None
        }
        _ => {
            f.wrong_type("commit-url", n, "a string");
            None
        }
    });
    let redirects_from_history = f.bool("redirects-from-history").unwrap_or(true);
    let brand = brand::read(&mut f);
    let errors = f.diagnostics.iter().any(|d| d.rule == Rule::Config);
    diags.extend(f.finish());
    (ok && !errors).then_some(BuildConfig {
        content_dir,
        output_dir,
        theme,
        base_url,
        edit_url,
        review_every,
        drafts,
        search,
        page_contents,
        highlight,
        sanitize_html,
        history,
        history_span,
        commit_url,
        redirects_from_history,
        brand,
    })
}

/// Reads a review interval such as `"6 months"`; shared with front matter.
pub(crate) fn review_interval(f: &mut Fields, key: &'static str) -> Option<ReviewInterval> {
    let n = f.node(key)?;
    match &n.value {
        spanned::Value::Str(s) => match spanned::parse_interval(s) {
            Some(span) => Some(ReviewInterval {
                text: s.trim().to_owned(),
                span,
            }),
            None => {
                f.invalid(n, format!("`{key}` is not an interval: `{s}`"), Some("write a number and a unit: \"90 days\", \"6 weeks\", \"6 months\", \"1 year\"".into()));
                None
            }
        },
        _ => {
            f.wrong_type(key, n, "a string such as \"6 months\"");
            None
        }
    }
}

pub(crate) fn normalize_base_url(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let host = rest.split('/').next()?;
    if host.is_empty() || s.contains(char::is_whitespace) {
        return None;
    }
    let mut url = s.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Some(url)
}

fn read_check(
    entries: &[spanned::Entry],
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<Rule, RuleLevel> {
    let mut levels = BTreeMap::new();
    let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    for entry in entries {
        let Some(rule) = Rule::from_id(&entry.key) else {
            let help = match did_you_mean(&entry.key, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "run `sopbook check --explain` to list the rules".to_owned(),
            };
            diags.push(
                Diagnostic::new(
                    Rule::UnknownKey,
                    format!("unknown rule `{}` in [check]", entry.key),
                )
                .at(file, entry.key_span.clone())
                .help(help),
            );
            continue;
        };
        let written = match &entry.node.value {
            spanned::Value::Str(s) => Some(s.as_str()),
            _ => None,
        };
        let level = match written {
            Some("error") => Some(RuleLevel::Error),
            Some("warn" | "warning") => Some(RuleLevel::Warn),
            Some("allow") => Some(RuleLevel::Allow),
            _ => None,
        };
        match level {
            Some(level) if level != RuleLevel::Error && !rule.lowerable() => diags.push(
                Diagnostic::new(
                    Rule::Config,
                    format!("the rule `{}` is always an error", rule.id()),
                )
                .at(file, entry.node.span.clone())
                .help("a book with this problem cannot be built; remove this line"),
            ),
            Some(level) => {
                levels.insert(rule, level);
            }
            None => diags.push(
                Diagnostic::new(
                    Rule::Config,
                    format!("`{}` must be \"error\", \"warn\" or \"allow\"", entry.key),
                )
                .at(file, entry.node.span.clone())
                // The message lists the levels; the help is the near miss.
                .help_opt(
                    written
                        .and_then(|w| did_you_mean(w, ["error", "warn", "allow"]))
                        .map(|s| format!("did you mean `{s}`?")),
                ),
            ),
        }
    }
    levels
}

fn read_serve(
    entries: &[spanned::Entry],
    node: &Node,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<ServeConfig> {
    let mut f = Fields::new(entries, file, header_span(node), "[serve]", Rule::Config);
    let d = ServeConfig::default();
    let address = f.string("address").unwrap_or(d.address);
    let port = match f.node("port") {
        None => Some(d.port),
        Some(n) => match n.value {
            spanned::Value::Int(p) => match u16::try_from(p) {
                Ok(p) => Some(p),
                Err(_) => {
                    f.invalid(
                        n,
                        format!("`port` must be between 0 and 65535, found {p}"),
                        None,
                    );
                    None
                }
            },
            _ => {
                f.wrong_type("port", n, "an integer");
                None
            }
        },
    };
    let errors = f.diagnostics.iter().any(|d| d.rule == Rule::Config);
    diags.extend(f.finish());
    (!errors).then_some(ServeConfig {
        address,
        port: port?,
    })
}

/// Where to report a missing key of a table: its first line.
fn header_span(node: &Node) -> Range<usize> {
    node.span.start..node.span.start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn parse_str(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
        parse(text, FileId(0))
    }

    #[test]
    fn defaults() {
        let (c, d) = parse_str("[book]\ntitle = \"A\"\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.expect("config");
        assert_eq!(c.build.content_dir, "content");
        assert_eq!(c.build.output_dir, "site");
        assert_eq!(c.book.language, "en");
        assert!(c.build.search);
        assert!(c.build.highlight);
        assert!(!c.build.sanitize_html);
        assert_eq!(c.serve.port, 3000);
        let (c, d) = parse_str("[book]\ntitle = \"A\"\n[build]\nhighlight = false\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(!c.expect("config").build.highlight);
    }

    #[test]
    fn unknown_key_warns_with_suggestion() {
        let (c, d) = parse_str("[book]\ntitle = \"A\"\n[build]\nouput-dir = \"x\"\n");
        assert!(c.is_some());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, Rule::UnknownKey);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `output-dir`?"));
        assert_eq!(d[0].span, Some(27..36));
    }

    #[test]
    fn wrong_type_is_an_error_at_the_value() {
        let text = "[book]\ntitle = \"A\"\n[build]\ndrafts = \"yes\"\n";
        let (c, d) = parse_str(text);
        assert!(c.is_none());
        assert_eq!(d[0].rule, Rule::Config);
        assert_eq!(&text[d[0].span.clone().expect("span")], "\"yes\"");
    }

    #[test]
    fn missing_title_and_bad_values() {
        let (c, d) = parse_str(
            "[book]\n[build]\nbase-url = \"acme.example\"\nreview-every = \"soon\"\n[serve]\nport = 70000\n",
        );
        assert!(c.is_none());
        let messages: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
    }

    #[test]
    fn check_levels() {
        let (c, d) = parse_str(
            "[book]\ntitle = \"A\"\n[check]\nrepeated-steps = \"error\"\nbroken-link = \"warn\"\nrepeted-steps = \"allow\"\n",
        );
        let c = c.expect("config");
        assert_eq!(c.level(Rule::RepeatedSteps), RuleLevel::Error);
        assert_eq!(c.level(Rule::BrokenLink), RuleLevel::Warn);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].help
                .as_deref()
                .unwrap_or("")
                .contains("repeated-steps")
        );
    }

    #[test]
    fn sanitize_html_needs_the_feature() {
        let text = "[book]\ntitle = \"A\"\n[build]\nsanitize-html = true\n";
        let (c, d) = parse_str(text);
        if cfg!(feature = "sanitize") {
            assert!(d.is_empty(), "{d:?}");
            assert!(c.expect("config").build.sanitize_html);
        } else {
            assert!(c.is_none());
            assert_eq!(d[0].rule, Rule::Config);
            assert_eq!(&text[d[0].span.clone().expect("span")], "true");
        }
    }

    #[test]
    fn history_and_commit_url() {
        let (c, d) = parse_str("[book]\ntitle = \"A\"\n");
        assert!(d.is_empty());
        let build = c.expect("config").build;
        assert_eq!(build.history, HistoryMode::Auto);
        assert_eq!(build.commit_link("abc"), None);
        for (value, mode) in [
            ("\"auto\"", HistoryMode::Auto),
            ("true", HistoryMode::On),
            ("false", HistoryMode::Off),
        ] {
            let text = format!("[book]\ntitle = \"A\"\n[build]\nhistory = {value}\n");
            let (c, d) = parse_str(&text);
            assert!(d.is_empty(), "{d:?}");
            let build = c.expect("config").build;
            assert_eq!(build.history, mode);
            assert_eq!(&text[build.history_span.expect("span")], value);
        }
        let text =
            "[book]\ntitle = \"A\"\n[build]\ncommit-url = \"https://git.example/c/{hash}\"\n";
        let (c, d) = parse_str(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            c.expect("config").build.commit_link("abc").as_deref(),
            Some("https://git.example/c/abc")
        );
    }

    #[test]
    fn bad_history_and_commit_url_are_errors_at_the_value() {
        for (line, at, help) in [
            ("history = \"yes\"", "\"yes\"", "without quotes"),
            ("history = \"sometimes\"", "\"sometimes\"", "auto"),
            ("history = 1", "1", ""),
            (
                "commit-url = \"https://git.example/c/\"",
                "\"https://git.example/c/\"",
                "{hash}",
            ),
            ("commit-url = 3", "3", ""),
        ] {
            let text = format!("[book]\ntitle = \"A\"\n[build]\n{line}\n");
            let (c, d) = parse_str(&text);
            assert!(c.is_none(), "{line}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].rule, Rule::Config);
            assert_eq!(&text[d[0].span.clone().expect("span")], at, "{line}");
            assert!(d[0].help.as_deref().unwrap_or("").contains(help), "{d:?}");
        }
    }

    #[test]
    fn groups_and_extra() {
        let text = "[book]\ntitle = \"A\"\ngroups = [\"Support\", \"Finance\"]\n[extra]\nteam = \"Ops\"\nsince = 2019\n[extra.contact]\nemail = \"a@b\"\n";
        let (c, d) = parse_str(text);
        assert!(d.is_empty(), "{d:?}");
        let c = c.expect("config");
        let names: Vec<&str> = c.book.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Support", "Finance"]);
        assert_eq!(&text[c.book.groups[1].span.clone()], "\"Finance\"");
        assert_eq!(
            serde_json::Value::Object(c.extra).to_string(),
            r#"{"contact":{"email":"a@b"},"since":2019,"team":"Ops"}"#
        );
    }

    #[test]
    fn bad_groups_are_errors_at_the_entry() {
        for (groups, at, message) in [
            ("[\"A\", 3]", "3", "`groups` must be a list of group names"),
            (
                "[\"A\", \"\"]",
                "\"\"",
                "`groups` must be a list of group names",
            ),
            ("[\"A\", \"B\", \"A\"]", "\"A\"", "listed twice"),
            ("\"A\"", "\"A\"", "`groups` must be a list"),
        ] {
            let text = format!("[book]\ntitle = \"T\"\ngroups = {groups}\n");
            let (c, d) = parse_str(&text);
            assert!(c.is_none(), "{groups}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(d[0].message.contains(message), "{}", d[0].message);
            // At the entry in question: the last one written like it.
            let span = d[0].span.clone().expect("span");
            assert_eq!(Some(span.start), text.rfind(at), "{groups}");
            assert_eq!(&text[span], at, "{groups}");
        }
    }

    #[test]
    fn structural_rules_cannot_be_lowered() {
        let (c, d) = parse_str("[book]\ntitle = \"A\"\n[check]\nduplicate-id = \"allow\"\n");
        assert!(c.is_none());
        assert_eq!(d[0].rule, Rule::Config);
    }
}
