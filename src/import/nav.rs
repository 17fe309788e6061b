//! The order a source's tool gives its pages: mdBook's `SUMMARY.md`, a
//! wiki's `_Sidebar.md`, MkDocs' `nav`, Docusaurus's sidebars.

use super::data::Table;
use crate::spanned::Value;

/// One entry of a navigation: a page, a titled group, or both.
#[derive(Debug, Default)]
pub(super) struct Item {
    pub title: Option<String>,
    /// As written in the navigation (relative to its file, or a wiki name).
    pub target: Option<String>,
    pub children: Vec<Item>,
}

/// `[Title](target)` or `[[Target]]`/`[[Title|Target]]` at the start of
/// `line` (after a list marker): (title, target).
fn link_in(line: &str) -> Option<(String, Option<String>)> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("[[") {
        let inner = &rest[..rest.find("]]")?];
        return Some(match inner.split_once('|') {
            Some((text, target)) => (text.trim().to_owned(), Some(target.trim().to_owned())),
            None => (inner.trim().to_owned(), Some(inner.trim().to_owned())),
        });
    }
    let rest = line.strip_prefix('[')?;
    let close = rest.find("](")?;
    // A title is text: `Option`'s backticks and emphasis go.
    let title: String = rest[..close]
        .chars()
        .filter(|c| !matches!(c, '`' | '*'))
        .collect();
    let after = &rest[close + 2..];
    let end = after.rfind(')')?;
    let target = after[..end].trim();
    let target = target
        .split(' ')
        .next()
        .unwrap_or("")
        .trim_matches(['<', '>']);
    Some((title, (!target.is_empty()).then(|| target.to_owned())))
}

/// A Markdown navigation file: list items with links, nested by
/// indentation; `#` headings (mdBook parts) or lines in bold (wiki
/// sidebars) start a group. With `title`, a heading before the first link
/// is the file's title (mdBook's `# Summary`), not a group.
pub(super) fn markdown(text: &str, title: bool) -> Vec<Item> {
    let mut title_pending = title;
    let mut top: Vec<Item> = Vec::new();
    // Open items: (indentation, item) from the outermost.
    let mut open: Vec<(usize, Item)> = Vec::new();
    let mut group: Option<Item> = None;
    let mut fence = false;

    fn close_to(open: &mut Vec<(usize, Item)>, indent: usize, into: &mut Vec<Item>) {
        while let Some(&(i, _)) = open.last() {
            if i < indent {
                break;
            }
            let (_, item) = open.pop().unwrap_or_default();
            match open.last_mut() {
                Some((_, parent)) => parent.children.push(item),
                None => into.push(item),
            }
        }
    }

    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence || trimmed.is_empty() || trimmed.starts_with("---") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let heading = trimmed
            .strip_prefix('#')
            .map(|h| h.trim_start_matches('#').trim().to_owned())
            .or_else(|| {
                let bold = trimmed.strip_prefix("**")?.strip_suffix("**")?;
                (!bold.contains("**")).then(|| bold.trim().to_owned())
            });
        if let Some(title) = heading.filter(|t| !t.is_empty() && indent < 4) {
            if std::mem::take(&mut title_pending)
                && top.is_empty()
                && open.is_empty()
                && group.is_none()
            {
                continue;
            }
            let into = match &mut group {
                Some(g) => &mut g.children,
                None => &mut top,
            };
            close_to(&mut open, 0, into);
            if let Some(g) = group.take() {
                top.push(g);
            }
            group = Some(Item {
                title: Some(title),
                target: None,
                children: Vec::new(),
            });
            continue;
        }
        let marker = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| trimmed.strip_prefix(m))
            .or_else(|| {
                let digits = trimmed.find(|c: char| !c.is_ascii_digit())?;
                (digits > 0)
                    .then(|| trimmed[digits..].strip_prefix(". "))
                    .flatten()
            });
        let (body, indent) = match marker {
            Some(body) => (body, indent),
            // mdBook's prefix and suffix chapters: a link on its own line.
            None if indent == 0 => (trimmed, 0),
            None => continue,
        };
        let Some((title, target)) = link_in(body).or_else(|| {
            // A list item that is plain text titles a group of links.
            let t = body.trim().trim_matches('*').trim();
            (!t.is_empty() && marker.is_some()).then(|| (t.to_owned(), None))
        }) else {
            continue;
        };
        let into = match &mut group {
            Some(g) => &mut g.children,
            None => &mut top,
        };
        close_to(&mut open, indent, into);
        open.push((
            indent,
            Item {
                title: Some(title),
                target,
                children: Vec::new(),
            },
        ));
    }
    let into = match &mut group {
        Some(g) => &mut g.children,
        None => &mut top,
    };
    close_to(&mut open, 0, into);
    if let Some(g) = group.take() {
        top.push(g);
    }
    top
}

/// MkDocs' `nav`: `- path.md`, `- Title: path.md`, `- Title: [ … ]`.
pub(super) fn mkdocs(config: &Table) -> Option<Vec<Item>> {
    let entry = config.iter().find(|e| e.key == "nav")?;
    let Value::Array(items) = &entry.node.value else {
        return None;
    };
    Some(mkdocs_items(items))
}

fn mkdocs_items(items: &[crate::spanned::Node]) -> Vec<Item> {
    let mut out = Vec::new();
    for node in items {
        match &node.value {
            Value::Str(path) => out.push(Item {
                title: None,
                target: Some(path.clone()),
                children: Vec::new(),
            }),
            Value::Table(entries) => {
                for e in entries {
                    match &e.node.value {
                        Value::Str(path) => out.push(Item {
                            title: Some(e.key.clone()),
                            target: Some(path.clone()),
                            children: Vec::new(),
                        }),
                        Value::Array(children) => out.push(Item {
                            title: Some(e.key.clone()),
                            target: None,
                            children: mkdocs_items(children),
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The doc ids a Docusaurus sidebars file names, in order: every string
/// literal, and the value of `id:`/`dirName:`; the caller keeps those
/// that are doc ids. `true` marks a category's `label:`.
pub(super) fn sidebar_strings(js: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let bytes = js.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = js[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = js[i + 2..].find("*/").map_or(bytes.len(), |n| i + n + 4);
            }
            q @ (b'"' | b'\'' | b'`') => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != q {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if let Some(s) = js.get(start..j.min(bytes.len())) {
                    let before = js[..i].trim_end();
                    let label = before
                        .strip_suffix(':')
                        .is_some_and(|b| b.trim_end().trim_matches(['"', '\'']).ends_with("label"));
                    out.push((label, s.to_owned()));
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Every page of a navigation, depth first: (target, title).
pub(super) fn flatten(items: &[Item], out: &mut Vec<(String, Option<String>)>) {
    for item in items {
        if let Some(t) = &item.target {
            out.push((t.clone(), item.title.clone()));
        }
        flatten(&item.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn summary_parts_chapters_and_titles() {
        let nav = markdown(
            "# Summary\n\n[Intro](intro.md)\n\n# Guide\n\n- [Setup](setup.md)\n  - [Linux](setup/linux.md)\n- [Draft]()\n\n---\n\n# Reference\n\n1. [API](api.md)\n",
            true,
        );
        let titles: Vec<_> = nav
            .iter()
            .map(|i| i.title.clone().unwrap_or_default())
            .collect();
        assert_eq!(titles, ["Intro", "Guide", "Reference"]);
        assert_eq!(nav[1].children[0].target.as_deref(), Some("setup.md"));
        assert_eq!(
            nav[1].children[0].children[0].target.as_deref(),
            Some("setup/linux.md")
        );
        assert_eq!(nav[1].children[1].target, None);
        assert_eq!(nav[2].children[0].target.as_deref(), Some("api.md"));
    }

    #[test]
    fn wiki_sidebars_group_by_bold_labels() {
        let nav = markdown(
            "**Start**\n* [[Getting started|Getting-Started]]\n* [[Release Process]]\n",
            false,
        );
        assert_eq!(nav.len(), 1);
        assert_eq!(nav[0].title.as_deref(), Some("Start"));
        assert_eq!(
            nav[0].children[1].target.as_deref(),
            Some("Release Process")
        );
    }
}
