//! `unsafe-url`: script that a page would carry. The Markdown pass finds
//! links and images to `javascript:`, `vbscript:` and non-image `data:`
//! URLs, `on*` heading attributes (never written) and, in raw HTML, event
//! handlers and such URLs (`parse::unsafe_url`); this file words them.

use crate::diagnostics::{Diagnostic, FileId, Rule};
use crate::model::Handbook;
use crate::parse::unsafe_url::{Finding, Scheme, What};

/// The findings in every page's text.
pub fn check(hb: &Handbook) -> Vec<Diagnostic> {
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
    };
    d.at(file, f.span.clone())
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
}
