//! Fills the holes the parser left in a body's HTML, for one page: links
//! become relative URLs from that page, bare `[[id]]` links get their
//! target's title, anchor ids get the page's prefix.

use crate::html::{encode_url_part, escape_attr, escape_text};
use crate::model::{Doc, Handbook, Target};
use crate::parse::markdown::{AnchorKind, Hole};

/// A relative URL from the page at `from` to the site path `to`, both
/// '/'-separated paths from the site root. Every link in the site goes
/// through here, so the site works under any sub-path and from disk.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, _) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - common);
    for (i, part) in to_parts[common..].iter().enumerate() {
        if i > 0 {
            url.push('/');
        }
        encode_url_part(&mut url, part);
    }
    url
}

/// The prefix from a page to the site root (`""`, `"../"`…).
pub fn root(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

pub fn with_fragment(mut url: String, fragment: Option<&str>) -> String {
    if let Some(f) = fragment {
        url.push('#');
        encode_url_part(&mut url, f);
    }
    url
}

/// Where `target` is from the page `page_url`.
pub fn target_url(hb: &Handbook, target: &Target, page_url: &str) -> Option<String> {
    match target {
        Target::Doc { doc, anchor } => {
            let t = hb.doc(*doc);
            if t.url == page_url && anchor.is_some() {
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

/// Appends `doc`'s body HTML as it appears on the page `page_url`.
pub fn fill(out: &mut String, hb: &Handbook, doc: &Doc, page_url: &str) {
    let body = &doc.body;
    let mut last = 0;
    for &(pos, hole) in &body.holes {
        out.push_str(&body.html[last..pos]);
        last = pos;
        match hole {
            Hole::Href(n) => {
                let target = &doc.targets[n as usize];
                match target_url(hb, target, page_url) {
                    Some(url) => escape_attr(out, &url),
                    None => escape_attr(out, &body.links[n as usize].dest),
                }
            }
            Hole::LinkText(n) => link_text(out, hb, doc, n as usize),
            Hole::Id(a) => {
                out.push_str(" id=\"");
                escape_attr(out, &body.anchors[a as usize].id);
                out.push('"');
            }
            Hole::LocalHref(a) => escape_attr(out, &body.anchors[a as usize].id),
            Hole::Embed(n) => {
                let target = &doc.targets[n as usize];
                let title = match target {
                    Target::Doc { doc: t, .. } => hb.doc(*t).title.as_str(),
                    _ => body.links[n as usize].dest.as_str(),
                };
                out.push_str("<p class=\"embed-link\"><a href=\"");
                match target_url(hb, target, page_url) {
                    Some(url) => escape_attr(out, &url),
                    None => escape_attr(out, &body.links[n as usize].dest),
                }
                out.push_str("\">");
                escape_text(out, title);
                out.push_str("</a></p>\n");
            }
        }
    }
    out.push_str(&body.html[last..]);
}

/// `[[run-payroll]]` shows "How to run the normal payroll";
/// `[[run-payroll#step-3]]` "How to run the normal payroll, step 3";
/// `[[run-payroll#totals]]` "How to run the normal payroll › Check totals".
fn link_text(out: &mut String, hb: &Handbook, doc: &Doc, n: usize) {
    let Target::Doc { doc: t, anchor } = &doc.targets[n] else {
        escape_text(out, &doc.body.links[n].dest);
        return;
    };
    let target = hb.doc(*t);
    let same_page = std::ptr::eq(target, doc);
    let anchor = anchor.as_deref().and_then(|a| target.body.anchor(a));
    match anchor {
        None => escape_text(out, &target.title),
        Some(a) => {
            let part = match a.kind {
                AnchorKind::Step(n) => format!("step {n}"),
                _ if a.text.is_empty() => a.id.clone(),
                _ => a.text.clone(),
            };
            if same_page {
                escape_text(out, &capitalize(&part));
            } else if matches!(a.kind, AnchorKind::Step(_)) {
                escape_text(out, &format!("{}, {part}", target.title));
            } else {
                escape_text(out, &format!("{} › {part}", target.title));
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
        assert_eq!(root("a/b.html"), "../");
    }
}
