//! The theme: the default one compiled into the binary (so sopbook works
//! from any folder), with a book's `themes/<name>/templates/*` and
//! `themes/<name>/static/*` laid over it file by file.

use std::collections::BTreeMap;
use std::path::Path;

use super::Data;
use crate::failure::Failure;
use crate::i18n::Strings;

macro_rules! embed {
    ($kind:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $kind, "/", $name)) as &[u8]),)*]
    };
}

const TEMPLATES: &[(&str, &[u8])] = embed!("templates": "base.html", "index.html", "process.html", "sop.html", "page.html", "reviews.html", "roles.html", "changes.html", "print.html", "404.html", "pagination.html");
const STATIC: &[(&str, &[u8])] =
    embed!("static": "style.css", "sopbook.js", "search.js", "favicon.svg");

/// The folder name under which every default template stays loaded.
pub(crate) const DEFAULT_PREFIX: &str = "default/";

/// The default theme's files, by their path in a theme folder
/// (`templates/base.html`, `static/style.css`): what `sopbook theme
/// export` writes out.
pub(crate) fn default_files() -> impl Iterator<Item = (String, &'static [u8])> {
    let templates = TEMPLATES
        .iter()
        .map(|(name, bytes)| (format!("templates/{name}"), *bytes));
    let statics = STATIC
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), *bytes));
    templates.chain(statics)
}

#[derive(Debug)]
pub struct Theme {
    tera: tera::Tera,
    /// Files copied to `_theme/` in the output.
    pub statics: BTreeMap<String, Data>,
    /// The templates as written, when `tera` holds them with the book's
    /// words written in ([`load_for`]): a template that fails is run
    /// again from these, so the error shows the theme's own text.
    written: Option<BTreeMap<String, String>>,
}

impl Theme {
    /// Renders `template` with `ctx` into `out`; the error, with its
    /// causes, as text.
    pub(crate) fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let Err(e) = self.tera.render_to(template, ctx, &mut *out) else {
            return Ok(());
        };
        // The same failure, told from the templates as written.
        if let Some(written) = &self.written
            && let Ok(tera) = compile(written)
            && let Err(e) = tera.render_to(template, ctx, std::io::sink())
        {
            return Err(error_chain(&e));
        }
        Err(error_chain(&e))
    }
}

/// [`load`], with the book's words written into the templates where they
/// print a word as it is (`{{ t.sop.kicker }}`), so each page does not
/// look them up: a build renders thousands of pages with the same words.
/// The pages are the same bytes either way; `serve`, which reloads the
/// words on their own, uses [`load`].
pub(crate) fn load_for(book_root: &Path, name: &str, words: &Strings) -> Result<Theme, Failure> {
    let (templates, statics, dir) = read(book_root, name)?;
    if let Some(Ok(tera)) = fold_words(&templates, words).map(|folded| compile(&folded)) {
        return Ok(Theme {
            tera,
            statics,
            written: Some(templates),
        });
    }
    // No word to write in, or a template that does not compile: compiled
    // as written, which tells the error from the theme's own text.
    let tera = compile(&templates).map_err(|e| load_failure(&e, &dir))?;
    Ok(Theme {
        tera,
        statics,
        written: None,
    })
}

/// Loads the theme `name`: the built-in default, overridden by
/// `<book>/themes/<name>/` when that folder exists.
pub fn load(book_root: &Path, name: &str) -> Result<Theme, Failure> {
    let (templates, statics, dir) = read(book_root, name)?;
    let tera = compile(&templates).map_err(|e| load_failure(&e, &dir))?;
    Ok(Theme {
        tera,
        statics,
        written: None,
    })
}

/// The templates by name, with Tera's functions and filters.
fn compile(templates: &BTreeMap<String, String>) -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::new();
    super::tr::register(&mut tera);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))?;
    Ok(tera)
}

fn load_failure(e: &tera::Error, dir: &Path) -> Failure {
    Failure::new(format!(
        "the theme's templates do not load: {}",
        error_chain(e)
    ))
    .help(format!(
        "check the templates in {}",
        dir.join("templates").display()
    ))
}

/// The templates with each `{{ t.section.name }}` that prints a plain word
/// replaced by that word, escaped as Tera would print it; `None` when
/// nothing is replaced. Nothing is replaced where it could mean anything
/// else: in any template when one of them binds a name `t` (`set`, `for`,
/// a component's argument); in a template with a `raw` block, or that
/// defines a component (a component's body sees its arguments only, not
/// `t`), or that Tera does not escape (not `.html`, `.htm` or `.xml`);
/// inside a tag or a comment; and for a word that is empty, has a brace
/// (template syntax once written in) or starts or ends with white space
/// (a neighbour's `{%-` or `-%}` would trim it once it is text).
fn fold_words(
    templates: &BTreeMap<String, String>,
    words: &Strings,
) -> Option<BTreeMap<String, String>> {
    if templates.values().any(|t| binds_t(t)) {
        return None;
    }
    let mut any = false;
    let folded = templates
        .iter()
        .map(|(name, text)| {
            let escaped = [".html", ".htm", ".xml"].iter().any(|s| name.ends_with(s));
            let plain =
                !tags(text).any(|tag| tag == "raw" || words_of(tag).next() == Some("component"));
            let folded = (escaped && plain).then(|| fold_one(text, words)).flatten();
            any |= folded.is_some();
            (name.clone(), folded.unwrap_or_else(|| text.clone()))
        })
        .collect();
    any.then_some(folded)
}

/// `text` with its foldable `{{ t.a.b }}` replaced; `None` if it has none.
/// Tags and comments are skipped whole (a `{{` inside a string of a tag is
/// not an expression), and the end of a tag or an expression is looked for
/// outside its strings.
fn fold_one(text: &str, words: &Strings) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(open) = text[at..].find('{').map(|i| at + i) {
        let rest = &text[open..];
        let close = if rest.starts_with("{{") {
            end_outside_strings(text, open + 2, "}}")
        } else if rest.starts_with("{%") {
            end_outside_strings(text, open + 2, "%}")
        } else if rest.starts_with("{#") {
            text[open + 2..].find("#}").map(|i| open + 2 + i)
        } else {
            at = open + 1;
            continue;
        };
        let Some(close) = close else {
            break; // unclosed: Tera reports it
        };
        at = close + 2;
        if !rest.starts_with("{{") {
            continue;
        }
        let inner = &text[open + 2..close];
        // `{{- … -}}` trims the text around it: left as it is.
        if inner.starts_with('-') || inner.ends_with('-') {
            continue;
        }
        let key = inner
            .trim_matches(|c: char| c == ' ' || c == '\t')
            .strip_prefix("t.")
            .filter(|k| {
                k.split('.').count() == 2
                    && k.split('.').all(|part| {
                        !part.is_empty()
                            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    })
            });
        let Some(word) = key.and_then(|k| words.plain(k)) else {
            continue;
        };
        if word.is_empty() || word.trim() != word || word.contains(['{', '}']) {
            continue;
        }
        let mut escaped = Vec::with_capacity(word.len());
        if tera::escape_html(word, &mut escaped).is_err() {
            continue;
        }
        let Ok(escaped) = String::from_utf8(escaped) else {
            continue;
        };
        out.push_str(&text[copied..open]);
        out.push_str(&escaped);
        copied = at;
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// Where `close` ends the tag or expression that starts at `from`, not
/// counting a `close` inside one of its strings (`"…"`, `'…'`, `` `…` ``).
fn end_outside_strings(text: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => {
                i += 1 + text[i + 1..].find(char::from(quote))? + 1;
            }
            _ if bytes[i..].starts_with(close.as_bytes()) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The names and keywords of a tag, in order: `component`, `Lbl`, `x` of
/// `component Lbl(x)`.
fn words_of(tag: &str) -> impl Iterator<Item = &str> {
    tag.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The contents of each `{% … %}` tag of `text`.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("{%").filter_map(move |(open, _)| {
        let rest = &text[open + 2..];
        rest.find("%}")
            .map(|close| rest[..close].trim_matches(['-', ' ', '\t', '\n', '\r']))
    })
}

/// Whether a tag of `text` binds a name `t`, which `{{ t.a.b }}` would
/// then read instead of the words.
fn binds_t(text: &str) -> bool {
    tags(text).any(|tag| {
        let mut words = words_of(tag);
        let binding = matches!(
            words.next(),
            Some("set" | "set_global" | "for" | "component" | "macro" | "with")
        );
        binding && words.any(|w| w == "t")
    })
}

/// The templates (by name) and static files of the theme `name`, and its
/// folder.
#[allow(clippy::type_complexity)]
fn read(
    book_root: &Path,
    name: &str,
) -> Result<
    (
        BTreeMap<String, String>,
        BTreeMap<String, Data>,
        std::path::PathBuf,
    ),
    Failure,
> {
    let dir = book_root.join("themes").join(name);
    if name != "default" && !dir.is_dir() {
        return Err(Failure::new(format!("theme `{name}` not found: there is no folder {}", dir.display()))
            .help("create themes/<name>/ with templates/ and static/ overrides, or remove `theme` from [build]"));
    }
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let overridden = dir.is_dir();
    for (file, bytes) in TEMPLATES {
        let text = String::from_utf8_lossy(bytes).into_owned();
        // Also under `default/`, never replaced: an override of base.html
        // can `{% extends "default/base.html" %}` and fill its blocks
        // rather than copy it. Without overrides nothing can: not compiled.
        if overridden {
            templates.insert(format!("{DEFAULT_PREFIX}{file}"), text.clone());
        }
        templates.insert((*file).to_owned(), text);
    }
    let mut statics: BTreeMap<String, Data> = STATIC
        .iter()
        .map(|(n, b)| ((*n).to_owned(), Data::Bytes(b.to_vec())))
        .collect();
    if overridden {
        for (rel, path) in files_under(&dir.join("templates"))? {
            if rel.starts_with(DEFAULT_PREFIX) {
                return Err(Failure::new(format!(
                    "{}: the folder `default/` of a theme's templates holds the built-in templates",
                    path.display()
                ))
                .help("move the file to another folder; `{% extends \"default/base.html\" %}` already reaches the default base.html"));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::io("read the template", &path, &e))?;
            templates.insert(rel, text);
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            statics.insert(rel, Data::Copy(path));
        }
    }
    Ok((templates, statics, dir))
}

/// A Tera error with its causes, which carry the template name and line.
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The files of a theme folder, by '/'-separated path, walked by the same
/// rules as the content dir (hidden and editor files, links and FIFOs left
/// out: a `page.html~` backup is not a template).
fn files_under(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, Failure> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let listing = crate::load::walk(dir)?;
    let markdown = listing.markdown.into_iter().map(|f| (f.rel, f.abs));
    let assets = listing.assets.into_iter().map(|a| (a.rel, a.abs));
    let mut files: Vec<_> = markdown.chain(assets).collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::super::views::{IconView, LinkView, PageMeta, SiteView, SopView};

    fn sop(revision: Option<&str>, last_commit: Option<&str>) -> SopView {
        SopView {
            id: "run-payroll".to_owned(),
            title: "Pay \"everyone\" <now>".to_owned(),
            owner: None,
            format: "document",
            media: None,
            process: LinkView {
                title: "Payroll".to_owned(),
                url: "index.html".to_owned(),
                draft: false,
            },
            process_owner: None,
            branch: None,
            branched: false,
            reviewed: None,
            review_due: None,
            review_overdue: false,
            review_every: None,
            steps: 0,
            body_html: String::new(),
            other_paths: Vec::new(),
            prev: None,
            next: None,
            used_by: Vec::new(),
            uses: Vec::new(),
            draft: false,
            revision: revision.map(str::to_owned),
            last_commit: last_commit.map(str::to_owned),
            last_changed: None,
            history: Vec::new(),
            history_more: 0,
            changes: None,
        }
    }

    fn site() -> SiteView {
        SiteView {
            title: "Book".to_owned(),
            description: None,
            language: "en".to_owned(),
            root: "../".to_owned(),
            home: "../index.html".to_owned(),
            theme: "../_theme/".to_owned(),
            generator: "sopbook",
            search: false,
            extra: Default::default(),
            extra_css: Vec::new(),
            extra_js: Vec::new(),
            favicon: IconView {
                url: "../_theme/favicon.svg".to_owned(),
                mime: "image/svg+xml",
            },
            logo: None,
        }
    }

    fn page() -> PageMeta {
        PageMeta {
            kind: "sop",
            url: "payroll/run-payroll.html".to_owned(),
            title: "Run payroll".to_owned(),
            description: None,
            canonical: None,
            edit_url: None,
            breadcrumbs: Vec::new(),
            status: None,
            control: None,
            extra: Default::default(),
            contents: Vec::new(),
            nav: None,
        }
    }

    /// The `<article>` of sop.html rendered with `view`.
    fn article(view: &SopView) -> String {
        let theme = super::load(std::path::Path::new("/nonexistent"), "default")
            .expect("the default theme loads");
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", crate::i18n::Strings::default().tera_value());
        ctx.insert("site", &site());
        ctx.insert("page", &page());
        ctx.insert("view", view);
        let html = theme
            .tera
            .render("sop.html", &ctx)
            .expect("sop.html renders");
        let start = html.find("<article").expect("an <article>");
        let end = start + html[start..].find('>').expect("the tag ends");
        html[start..=end].to_owned()
    }

    /// English words with one made to need escaping, one with white space
    /// at its ends and one empty.
    fn words() -> crate::i18n::Strings {
        let mut words = crate::i18n::Strings::builtin("en").0;
        let diags = words.overlay(
            "[sop]\nkicker = \"SOP & <co> \\\"x\\\"\"\nhistory = \" History \"\nuses = \"\"\n",
            crate::diagnostics::FileId(0),
            "i18n/en.toml",
        );
        assert!(diags.is_empty(), "{diags:?}");
        words
    }

    fn folded(text: &str) -> Option<String> {
        let templates = [("page.html".to_owned(), text.to_owned())].into();
        super::fold_words(&templates, &words()).map(|t| t["page.html"].clone())
    }

    #[test]
    fn plain_words_are_written_into_the_templates_escaped() {
        assert_eq!(
            folded("<p>{{ t.sop.kicker }}|{{t.facts.owner}}|{{ t.sop.via | tr(link=x) }}|{{ t.nope.none }}</p>")
                .as_deref(),
            Some("<p>SOP &amp; &lt;co&gt; &quot;x&quot;|Owner|{{ t.sop.via | tr(link=x) }}|{{ t.nope.none }}</p>")
        );
        // Whitespace control, and nothing to fold.
        assert_eq!(folded("{{- t.sop.kicker }} {{ t.sop.kicker -}}"), None);
        assert_eq!(folded("{{ view.title }}"), None);
        // Inside a tag's string or a comment it is not an expression; an
        // expression's end is found outside its strings.
        assert_eq!(
            folded(
                "{% if x == \"{{ t.sop.kicker }}\" %}{% endif %}{# {{ t.sop.kicker }} #}{{ \"}}\" }}"
            ),
            None
        );
        assert_eq!(
            folded("{{ '}}' ~ x }}{{ t.facts.owner }}").as_deref(),
            Some("{{ '}}' ~ x }}Owner")
        );
    }

    /// A word a neighbour's `{%-`/`-%}` would trim once it is text, and an
    /// empty one (the text on both sides would join), stay lookups.
    #[test]
    fn words_with_white_space_at_their_ends_or_none_stay_lookups() {
        for text in [
            "<b>{{ t.sop.history }}{%- if true %}x{% endif %}",
            "{% if true -%}{{ t.sop.history }}|{% endif %}",
            "x {{ t.sop.uses }} {%- if true %}y{% endif %}",
        ] {
            assert_eq!(folded(text), None, "{text}");
        }
        // The same words without a neighbour that trims are not written in
        // either: the rule is the word's, whatever is around it.
        assert_eq!(folded("<b>{{ t.sop.history }}</b>"), None);
    }

    #[test]
    fn words_are_left_alone_where_t_could_be_something_else() {
        for text in [
            "{% set t = view %}{{ t.sop.kicker }}",
            "{% for t in view.list %}{{ t.sop.kicker }}{% endfor %}",
            "{%- set_global t = 1 -%}{{ t.sop.kicker }}",
            "{% raw %}{{ t.sop.kicker }}{% endraw %}",
            // A component's body sees its arguments only: `t` is not there.
            "{% component Lbl(x) %}[{{ t.sop.kicker }}]{% endcomponent %}",
        ] {
            assert_eq!(folded(text), None, "{text}");
        }
        // A template Tera does not escape is left as written.
        let templates = [("feed.txt".to_owned(), "{{ t.sop.kicker }}".to_owned())].into();
        assert!(super::fold_words(&templates, &words()).is_none());
    }

    /// The default theme renders the same bytes with the words written in,
    /// and a failing template is reported from the text as written.
    #[test]
    fn folded_theme_renders_the_same_pages_and_errors() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let templates = dir.path().join("themes/broken/templates");
        std::fs::create_dir_all(&templates).expect("mkdir");
        std::fs::write(
            templates.join("page.html"),
            "<p>{{ t.sop.kicker }} {{ t.facts.owner }} {{ view.missing.field }}</p>",
        )
        .expect("write");
        let plain = super::load(dir.path(), "broken").expect("loads");
        let words = words();
        let folded = super::load_for(dir.path(), "broken", &words).expect("loads");
        assert!(folded.written.is_some());
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", words.tera_value());
        let render = |theme: &super::Theme, template: &str, ctx: &tera::Context| {
            let mut out = Vec::new();
            theme.render_to(template, ctx, &mut out).map(|()| out)
        };
        let (a, b) = (
            render(&plain, "page.html", &ctx).expect_err("fails"),
            render(&folded, "page.html", &ctx).expect_err("fails"),
        );
        assert_eq!(a, b);
        assert!(a.contains("view.missing.field"), "{a}");
        // The default templates, untouched by the theme, render alike.
        ctx.insert("view", &sop(Some("B"), None));
        ctx.insert_value("site", tera::Value::from_serializable(&site()));
        ctx.insert("page", &page());
        let a = render(&plain, "sop.html", &ctx).expect("renders");
        let b = render(&folded, "sop.html", &ctx).expect("renders");
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        assert!(String::from_utf8_lossy(&b).contains("SOP &amp; &lt;co&gt; &quot;x&quot;"));
    }

    /// The run record reads the SOP's id, title, revision and last commit
    /// from the page; revision and commit only when the view has them.
    #[test]
    fn sop_page_carries_what_a_run_record_needs() {
        assert_eq!(
            article(&sop(None, None)),
            r#"<article class="sop" data-sop-id="run-payroll" data-title="Pay &quot;everyone&quot; &lt;now&gt;">"#
        );
        assert_eq!(
            article(&sop(Some("B"), Some("1a2b3c4"))),
            r#"<article class="sop" data-sop-id="run-payroll" data-title="Pay &quot;everyone&quot; &lt;now&gt;" data-revision="B" data-commit="1a2b3c4">"#
        );
    }
}
