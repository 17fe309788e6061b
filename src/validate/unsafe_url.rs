//! `unsafe-url`: script that a page, or a file published beside it, would
//! carry. The Markdown pass finds links and images to `javascript:`,
//! `vbscript:` and non-image `data:` URLs, `on*` heading attributes (never
//! written) and, in raw HTML, event handlers and such URLs
//! (`parse::unsafe_url`); this file words them. With `sanitize-html` on it
//! also checks the SVG files of the content dir, which are published byte
//! for byte: no cleaning of pages reaches them.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, FileId, Rule, RuleLevel, Sources};
use crate::load::SvgText;
use crate::model::Handbook;
use crate::parse::unsafe_url::{self, Finding, Scheme, What};

/// The findings in every page's text.
pub(crate) fn check(hb: &Handbook) -> Vec<Diagnostic> {
    hb.docs
        .iter()
        .flat_map(|doc| {
            doc.body
                .unsafe_urls
                .iter()
                .map(move |f| in_page(doc.file, f))
        })
        .collect()
}

/// Whether SVG files are read for this check: only a book that asks for
/// clean pages (`sanitize-html`) is told that its SVGs are not cleaned.
pub(crate) fn checks_svgs(config: &Config) -> bool {
    config.build.sanitize_html && config.level(Rule::UnsafeUrl) != RuleLevel::Allow
}

/// The findings in SVG files. Each SVG with one joins `sources` as
/// `<prefix><rel>`, so the finding shows its line.
pub(crate) fn svgs(svgs: Vec<SvgText>, prefix: &str, sources: &mut Sources) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for svg in svgs {
        let found = unsafe_url::svg(&svg.text);
        if found.is_empty() {
            continue;
        }
        let file = sources.add_or_replace(format!("{prefix}{}", svg.rel), svg.text);
        diags.extend(found.iter().map(|f| in_svg(file, &svg.rel, f)));
    }
    diags
}

/// A URL as shown in a message: control characters made visible, long
/// ones cut.
fn shown(url: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in url.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// What a scheme does, for the caret's label.
fn effect(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Javascript | Scheme::Vbscript => "runs script",
        Scheme::Data => "opens a document made by the URL itself",
    }
}

/// The scheme as named in a message.
fn kind(scheme: Scheme) -> String {
    match scheme {
        Scheme::Data => "a `data:` URL that is not an image".to_owned(),
        s => format!("a `{}` URL", s.as_str()),
    }
}

const RAW_HTML_HELP: &str = "remove it; raw HTML is written as it is unless `[build] sanitize-html = true`, which cleans it from the page";

fn in_page(file: FileId, f: &Finding) -> Diagnostic {
    let d = match &f.what {
        What::Link { scheme, url, image } => Diagnostic::new(
            Rule::UnsafeUrl,
            format!(
                "{} to {}: `{}`",
                if *image { "image" } else { "link" },
                kind(*scheme),
                shown(url)
            ),
        )
        .label(effect(*scheme))
        .help("link to a page of the book or an https:// URL; with `[build] sanitize-html = true` such URLs are removed from the page"),
        What::HeadingHandler { attr } => Diagnostic::new(
            Rule::UnsafeUrl,
            format!("`{attr}` in a heading's attributes is an event handler; it is left out of the page"),
        )
        .label("not written")
        .help("remove it: sopbook never writes `on*` heading attributes (an id, classes and other attributes are kept)"),
        What::Handler { tag, attr } => Diagnostic::new(
            Rule::UnsafeUrl,
            format!("`{attr}` on `<{tag}>` is an event handler: it runs script in the page"),
        )
        .label("event handler")
        .help(RAW_HTML_HELP),
        What::UrlAttr {
            scheme,
            tag,
            attr,
            url,
        } => Diagnostic::new(
            Rule::UnsafeUrl,
            format!("`{attr}` of `<{tag}>` is {}: `{}`", kind(*scheme), shown(url)),
        )
        .label(effect(*scheme))
        .help(RAW_HTML_HELP),
        What::Script => Diagnostic::new(Rule::UnsafeUrl, "a `<script>` in a page"),
        What::Entity => Diagnostic::new(Rule::UnsafeUrl, "an entity declaration in a page"),
    };
    d.at(file, f.span.clone())
}

fn in_svg(file: FileId, rel: &str, f: &Finding) -> Diagnostic {
    let (message, label) = match &f.what {
        What::Script => (
            format!("{rel} holds a `<script>`, which runs when the SVG is opened on its own"),
            "script".to_owned(),
        ),
        What::Entity => (
            format!(
                "{rel} declares an entity, whose text becomes markup where it is used and can hold a script"
            ),
            "entity declaration".to_owned(),
        ),
        What::Handler { tag, attr } => (
            format!(
                "{rel} has an event handler, `{attr}` on `<{tag}>`, which runs when the SVG is opened on its own"
            ),
            "event handler".to_owned(),
        ),
        What::UrlAttr {
            scheme,
            tag,
            attr,
            url,
        } => (
            format!(
                "{rel} has {}, `{attr}` of `<{tag}>`: `{}`",
                kind(*scheme),
                shown(url)
            ),
            effect(*scheme).to_owned(),
        ),
        // Findings of Markdown text; an SVG has none.
        What::Link { .. } | What::HeadingHandler { .. } => return in_page(file, f),
    };
    Diagnostic::new(Rule::UnsafeUrl, message)
        .at(file, f.span.clone())
        .label(label)
        .help("files in the content dir are published byte for byte: `sanitize-html` cleans pages, not SVG files; remove the script, or keep the file out of the content dir")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_are_short_and_visible() {
        assert_eq!(shown("java\tscript:x"), "java\\tscript:x");
        let long = "javascript:".to_owned() + &"é".repeat(100);
        let s = shown(&long);
        assert_eq!(s.chars().count(), 61);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn svg_findings_join_the_sources_once() {
        let mut sources = Sources::default();
        let svg = || SvgText {
            rel: "img/a.svg".into(),
            text: "<svg>\n<script>x</script></svg>".into(),
        };
        let clean = SvgText {
            rel: "img/b.svg".into(),
            text: "<svg/>".into(),
        };
        let d = svgs(vec![svg(), clean], "content/", &mut sources);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].position(&sources),
            Some(("content/img/a.svg".to_owned(), 2, 1))
        );
        assert!(
            d[0].message.starts_with("img/a.svg holds a `<script>`"),
            "{}",
            d[0].message
        );
        // A second run (serve) replaces the text instead of adding it again.
        svgs(vec![svg()], "content/", &mut sources);
        assert_eq!(sources.len(), 1);
    }
}
