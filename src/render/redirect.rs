//! The page written at an old path (an alias, or a URL the page had in
//! the history) that sends the reader on to the page's URL now. It is
//! written here, not from the theme: it is seen for an instant, and must
//! stay a minimal, valid page whatever the theme does. Its link is
//! relative, so it works under any sub-path and from disk; a script
//! keeps the reader's `#fragment` (`#step-3`), which a refresh drops.

use crate::config::Config;
use crate::html::{escape_attr, escape_text};
use crate::model::{Handbook, Redirect};

use super::body;

pub(super) fn page(hb: &Handbook, config: &Config, redirect: &Redirect) -> String {
    let doc = hb.doc(redirect.to);
    let words = &config.book.strings;
    let href = body::relative(&redirect.from, &doc.url);
    let mut html = String::with_capacity(1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"");
    escape_attr(&mut html, &config.book.language);
    html.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    escape_text(
        &mut html,
        &words.fill("redirect.title", &[("title", &doc.title)]),
    );
    html.push_str("</title>\n<meta name=\"robots\" content=\"noindex\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if let Some(base) = &config.build.base_url {
        html.push_str("<link rel=\"canonical\" href=\"");
        escape_attr(
            &mut html,
            &format!("{base}{}", body::relative("", &doc.url)),
        );
        html.push_str("\">\n");
    }
    // `relative` percent-encodes everything but URL-safe marks, so the
    // string needs no escaping beyond JSON's; `<` cannot occur in it.
    let script_url = serde_json::to_string(&href).unwrap_or_else(|_| "\"\"".to_owned());
    html.push_str("<script>location.replace(");
    html.push_str(&script_url.replace('<', "\\u003c"));
    html.push_str(" + location.hash)</script>\n");
    html.push_str("<meta http-equiv=\"refresh\" content=\"0; url=");
    escape_attr(&mut html, &href);
    html.push_str("\">\n</head>\n<body>\n<p>");
    let mut link = String::from("<a href=\"");
    escape_attr(&mut link, &href);
    link.push_str("\">");
    escape_text(&mut link, &doc.title);
    link.push_str("</a>");
    let mut text = String::new();
    escape_text(&mut text, words.text("redirect.text"));
    html.push_str(&crate::i18n::fill(&text, &[("link", &link)]));
    html.push_str("</p>\n</body>\n</html>\n");
    html
}
