//! `changes.xml`, written with a `base-url` when the history is read: the
//! book's last content commits as an Atom feed (RFC 4287), each entry
//! naming the pages it changed.

use super::page_views::{changed_docs, pages_by_rel};
use crate::config::Config;
use crate::history::History;
use crate::html::{escape_attr, escape_text};
use crate::model::Handbook;
use crate::site_files::{CHANGES, CHANGES_FEED};

fn rfc3339(time: i64) -> String {
    jiff::Timestamp::from_second(time)
        .map_or_else(|_| "1970-01-01T00:00:00Z".to_owned(), |t| t.to_string())
}

fn text(out: &mut String, tag: &str, value: &str) {
    out.push_str(&format!("<{tag}>"));
    escape_text(out, value);
    out.push_str(&format!("</{tag}>"));
}

pub(super) fn atom(hb: &Handbook, config: &Config, history: &History, base: &str) -> String {
    let recent = history.recent(super::views::CHANGES_SHOWN);
    let by_rel = pages_by_rel(hb);
    let words = &config.book.strings;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  ",
    );
    text(
        &mut xml,
        "title",
        &format!("{}: {}", config.book.title, words.text("changes.title")),
    );
    xml.push_str("\n  ");
    text(&mut xml, "id", &format!("{base}{CHANGES_FEED}"));
    xml.push_str("\n  <link rel=\"self\" href=\"");
    escape_attr(&mut xml, &format!("{base}{CHANGES_FEED}"));
    xml.push_str("\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
    escape_attr(&mut xml, &format!("{base}{CHANGES}"));
    xml.push_str("\"/>\n  ");
    // The newest commit: the same history gives the same feed.
    text(
        &mut xml,
        "updated",
        &rfc3339(recent.first().map_or(0, |c| c.time)),
    );
    xml.push('\n');
    for c in recent {
        let (pages, files, through) = changed_docs(hb, &by_rel, c);
        let link = format!("{base}{CHANGES}#c-{}", c.short);
        xml.push_str("  <entry>\n    ");
        text(&mut xml, "title", &c.subject);
        xml.push_str("\n    ");
        text(&mut xml, "id", &link);
        xml.push_str("\n    <link href=\"");
        escape_attr(&mut xml, &link);
        xml.push_str("\"/>\n    ");
        text(&mut xml, "updated", &rfc3339(c.time));
        xml.push_str("\n    <author>");
        text(&mut xml, "name", &c.author);
        xml.push_str("</author>\n    <content type=\"html\">");
        let mut html = String::from("<p>");
        escape_text(
            &mut html,
            &words.fill("changes.commit", &[("commit", &c.short)]),
        );
        html.push_str("</p>");
        let list = |html: &mut String, label: &str, docs: &[crate::model::DocId]| {
            if docs.is_empty() {
                return;
            }
            html.push_str("<p>");
            escape_text(html, label);
            html.push_str("</p><ul>");
            for &d in docs {
                let doc = hb.doc(d);
                html.push_str("<li><a href=\"");
                escape_attr(
                    html,
                    &format!("{base}{}", super::body::relative("", &doc.url)),
                );
                html.push_str("\">");
                escape_text(html, &doc.title);
                html.push_str("</a></li>");
            }
            html.push_str("</ul>");
        };
        list(&mut html, words.text("changes.pages"), &pages);
        list(&mut html, words.text("changes.through"), &through);
        if !files.is_empty() {
            html.push_str("<p>");
            escape_text(
                &mut html,
                &format!("{} {}", words.text("changes.files"), files.join(", ")),
            );
            html.push_str("</p>");
        }
        escape_text(&mut xml, &html);
        xml.push_str("</content>\n  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
