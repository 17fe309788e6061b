//! Fills the holes the parser left in a body's HTML, for one page: links
//! become relative URLs from that page, bare `[[id]]` links get their
//! target's title, anchor ids get the page's prefix.

use crate::html::{encode_url_part, escape_attr, escape_text};
use crate::i18n::Strings;
use crate::model::{Doc, Handbook, Target};
use std::borrow::Cow;
use std::ops::Range;

use crate::model::embed::{Piece, select};
use crate::model::{AnchorKind, Hole};

/// A relative URL from the page at `from` to the site path `to`, both
/// '/'-separated paths from the site root. Every link in the site goes
/// through here, so the site works under any sub-path and from disk.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir = from.rfind('/').map_or("", |i| &from[..=i]);
    // The folders both paths start with: bytes equal up to a shared '/'.
    let mut common = 0;
    for (i, (a, b)) in from_dir.bytes().zip(to.bytes()).enumerate() {
        if a != b {
            break;
        }
        if a == b'/' {
            common = i + 1;
        }
    }
    let ups = from_dir[common..].bytes().filter(|&b| b == b'/').count();
    let mut url = String::with_capacity(3 * ups + (to.len() - common) + 8);
    for _ in 0..ups {
        url.push_str("../");
    }
    let rest = &to[common..];
    if rest.bytes().all(|b| b == b'/' || crate::html::url_safe(b)) {
        url.push_str(rest); // most paths: nothing to encode
        return url;
    }
    for (i, part) in rest.split('/').enumerate() {
        if i > 0 {
            url.push('/');
        }
        encode_url_part(&mut url, part);
    }
    url
}

/// The prefix from a page to the site root (`""`, `"../"`…).
pub(crate) fn root(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

pub(crate) fn with_fragment(mut url: String, fragment: Option<&str>) -> String {
    if let Some(f) = fragment {
        url.push('#');
        encode_url_part(&mut url, f);
    }
    url
}

/// Where `target` is from the page `page_url`.
pub(crate) fn target_url(hb: &Handbook, target: &Target, page_url: &str) -> Option<String> {
    target_url_in(hb, target, page_url, page_url)
}

/// Where `target` is from the page `page_url`, on which the document at
/// `own_url` is shown: a link to a place in that document stays on the
/// page (`#id`).
fn target_url_in(hb: &Handbook, target: &Target, page_url: &str, own_url: &str) -> Option<String> {
    match target {
        Target::Doc { doc, anchor } => {
            let t = hb.doc(*doc);
            if t.url == own_url && anchor.is_some() {
                return Some(with_fragment(String::new(), anchor.as_deref()));
            }
            Some(with_fragment(relative(page_url, &t.url), anchor.as_deref()))
        }
        Target::Asset { rel, fragment } => {
            Some(with_fragment(relative(page_url, rel), fragment.as_deref()))
        }
        Target::Site(path) => Some(relative(page_url, path)),
        Target::Broken => None,
    }
}

/// Embeds inside embeds stop here; cycles are errors before rendering,
/// this only bounds the work a pathological chain can cause.
const MAX_EMBED_DEPTH: usize = 16;

/// Appends `doc`'s body HTML as it appears on the page `page_url` (its
/// own, or a print page that shows it among others). Returns whether it
/// holds raw markup (its own or an embedded text's), which
/// `sanitize-html` then cleans.
///
/// Links to places in `doc` itself stay on the page (`#id`) wherever it
/// is shown, so the HTML depends on the folder of `page_url` alone: a
/// print page reuses the body of each SOP page in its folder.
pub(crate) fn fill(
    out: &mut String,
    hb: &Handbook,
    doc: &Doc,
    page_url: &str,
    words: &Strings,
) -> bool {
    let mut filler = Filler {
        hb,
        words,
        page_url,
        own_url: &doc.url,
        embeds: 0,
        scope: Vec::new(),
        raw: false,
    };
    filler.range(
        out,
        doc,
        0..doc.body.html.len(),
        0..doc.body.holes.len(),
        "",
    );
    filler.raw
}

struct Filler<'a> {
    hb: &'a Handbook,
    /// The words of the book's language.
    words: &'a Strings,
    page_url: &'a str,
    /// The URL of the document whose body this is: links to it stay on
    /// the page.
    own_url: &'a str,
    /// Embeds written so far on this page: numbers their id prefixes.
    embeds: u32,
    /// The pieces of each embed being written, innermost last.
    scope: Vec<Vec<Piece>>,
    /// A text written so far holds raw markup.
    raw: bool,
}

impl Filler<'_> {
    /// Writes `html` of `doc` with the holes in `holes` filled; ids get
    /// `prefix` so text embedded on this page keeps its ids unique.
    fn range(
        &mut self,
        out: &mut String,
        doc: &Doc,
        html: Range<usize>,
        holes: Range<usize>,
        prefix: &str,
    ) {
        let body = &doc.body;
        self.raw |= body.raw;
        let mut last = html.start;
        for &(pos, hole) in &body.holes[holes] {
            out.push_str(&body.html[last..pos]);
            last = pos;
            match hole {
                Hole::Href(n) => {
                    let target = &doc.targets[n as usize];
                    match target_url_in(self.hb, target, self.page_url, self.own_url) {
                        Some(url) => escape_attr(out, &url),
                        None => escape_attr(out, &body.links[n as usize].dest),
                    }
                }
                Hole::LinkText(n) => link_text(out, self.hb, doc, n as usize, self.words),
                Hole::Word(w) => escape_attr(out, self.words.text(w.key())),
                Hole::Id(a) => {
                    out.push_str(" id=\"");
                    escape_attr(out, prefix);
                    escape_attr(out, &body.anchors[a as usize].id);
                    out.push('"');
                }
                Hole::LocalHref(a) => {
                    let id = &body.anchors[a as usize].id;
                    if self.shows_anchor(doc, a) {
                        out.push('#');
                        escape_attr(out, prefix);
                        escape_attr(out, id);
                    } else {
                        // A footnote whose text was not embedded: its source page.
                        let url = with_fragment(relative(self.page_url, &doc.url), Some(id));
                        escape_attr(out, &url);
                    }
                }
                Hole::Embed(n) => self.embed(out, doc, n as usize, prefix),
            }
        }
        out.push_str(&body.html[last..html.end]);
    }

    /// Whether anchor `a` of `doc` is written on this page: always for the
    /// page's own text, for embedded text when its id is inside the pieces.
    fn shows_anchor(&self, doc: &Doc, a: u32) -> bool {
        let Some(pieces) = self.scope.last() else {
            return true;
        };
        doc.body
            .holes
            .iter()
            .position(|(_, h)| *h == Hole::Id(a))
            .is_some_and(|i| pieces.iter().any(|p| p.holes.contains(&i)))
    }

    fn embed(&mut self, out: &mut String, doc: &Doc, n: usize, prefix: &str) {
        let target = &doc.targets[n];
        let url = target_url_in(self.hb, target, self.page_url, self.own_url);
        let selection = match target {
            Target::Doc { doc: t, anchor } if self.scope.len() < MAX_EMBED_DEPTH => {
                select(self.hb.doc(*t), anchor.as_deref())
                    .ok()
                    .map(|s| (self.hb.doc(*t), s))
            }
            _ => None,
        };
        let Some((source, selection)) = selection else {
            // An embedded file (`![[chart.png]]`) or a target reported as
            // broken with a lowered level: a plain image or link.
            let dest = &doc.body.links[n].dest;
            let href = url.unwrap_or_else(|| dest.clone());
            out.push_str("<p class=\"embed-link\">");
            if is_image(dest) {
                out.push_str("<img src=\"");
                escape_attr(out, &href);
                out.push_str("\" alt=\"");
                escape_attr(out, dest);
                out.push_str("\">");
            } else {
                out.push_str("<a href=\"");
                escape_attr(out, &href);
                out.push_str("\">");
                escape_text(out, dest);
                out.push_str("</a>");
            }
            out.push_str("</p>\n");
            return;
        };
        self.embeds += 1;
        // `.` never occurs in a slug or a step id, so a prefixed id cannot
        // meet one of the page's own.
        let inner = format!("{prefix}e{}.", self.embeds);
        // A link inside <summary> is a control inside a control (it
        // toggles the block and follows the link at once, and screen
        // readers announce neither well): the summary names the source,
        // the link to it opens the body.
        out.push_str("<details class=\"embed\" open>\n<summary><span class=\"embed-kind\">");
        escape_text(out, self.words.text("body.embedded_from"));
        out.push_str("</span> ");
        escape_text(out, &source.title);
        if let Some(label) = &selection.label {
            escape_text(out, " › ");
            escape_text(out, label);
        }
        if let Some(n) = selection.step {
            escape_text(out, " › ");
            escape_text(out, &self.words.fill("body.step", &[("n", &n.to_string())]));
        }
        out.push_str(
            "</summary>\n<div class=\"embed-body\">\n<p class=\"embed-source\"><a href=\"",
        );
        escape_attr(out, url.as_deref().unwrap_or(""));
        out.push_str("\">");
        escape_text(out, self.words.text("body.open_original"));
        out.push_str("</a></p>\n");
        match selection.steps_from {
            Some(1) => out.push_str("<ol class=\"steps\">\n"),
            Some(start) => out.push_str(&format!("<ol class=\"steps\" start=\"{start}\">\n")),
            None => {}
        }
        self.scope.push(selection.pieces.clone());
        for piece in &selection.pieces {
            self.range(out, source, piece.html.clone(), piece.holes.clone(), &inner);
        }
        self.scope.pop();
        if selection.steps_from.is_some() {
            out.push_str("</ol>\n");
        }
        out.push_str("</div>\n</details>\n");
    }
}

fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// `[[run-payroll]]` shows "How to run the normal payroll";
/// `[[run-payroll#step-3]]` "How to run the normal payroll, step 3";
/// `[[run-payroll#totals]]` "How to run the normal payroll › Check totals".
fn link_text(out: &mut String, hb: &Handbook, doc: &Doc, n: usize, words: &Strings) {
    escape_text(out, &link_label(hb, doc, n, words));
}

/// The text a bare `[[id]]` link `n` of `doc` shows, unescaped: the page
/// and the search index show the same words.
pub(crate) fn link_label<'a>(
    hb: &'a Handbook,
    doc: &'a Doc,
    n: usize,
    words: &Strings,
) -> Cow<'a, str> {
    let Some(Target::Doc { doc: t, anchor }) = doc.targets.get(n) else {
        return doc
            .body
            .links
            .get(n)
            .map_or(Cow::Borrowed(""), |l| Cow::Borrowed(l.dest.as_str()));
    };
    let target = hb.doc(*t);
    let same_page = std::ptr::eq(target, doc);
    let anchor = anchor.as_deref().and_then(|a| target.body.anchor(a));
    match anchor {
        None => Cow::Borrowed(target.title.as_str()),
        Some(a) => {
            let part = match a.kind {
                AnchorKind::Step(n) => words.fill("body.step", &[("n", &n.to_string())]),
                _ if a.text.is_empty() => a.id.clone(),
                _ => a.text.clone(),
            };
            if same_page {
                Cow::Owned(capitalize(&part))
            } else if matches!(a.kind, AnchorKind::Step(_)) {
                Cow::Owned(format!("{}, {part}", target.title))
            } else {
                Cow::Owned(format!("{} › {part}", target.title))
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative("index.html", "payroll/index.html"),
            "payroll/index.html"
        );
        assert_eq!(relative("payroll/run.html", "guide.html"), "../guide.html");
        assert_eq!(relative("payroll/run.html", "payroll/fix.html"), "fix.html");
        assert_eq!(relative("a/b/c.html", "a/d/e.html"), "../d/e.html");
        assert_eq!(relative("a/b.html", "index.html"), "../index.html");
        assert_eq!(
            relative("a.html", "files/my form.pdf"),
            "files/my%20form.pdf"
        );
        // Folders that share a prefix of their names are not shared.
        assert_eq!(relative("ab/c.html", "a/x.html"), "../a/x.html");
        assert_eq!(relative("a/c.html", "ab/x.html"), "../ab/x.html");
        assert_eq!(relative("a/b/c.html", "a/b.html"), "../b.html");
        assert_eq!(relative("é/a.html", "é/b#c.html"), "b%23c.html");
        assert_eq!(relative("é/a.html", "è/b.html"), "../%C3%A8/b.html");
        assert_eq!(root("a/b.html"), "../");
    }
}
