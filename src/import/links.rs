//! The second pass over a page: every link, image and raw-HTML `href`/
//! `src` written for the source's site is pointed at the file it reaches
//! in the new book, its fragment at the heading's GitHub id.

use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::urls::{Index, Target};

/// A link rewritten or found dangling, at a byte offset of the text.
#[derive(Debug)]
pub(super) struct Dangling {
    pub at: usize,
    pub link: String,
    pub why: &'static str,
}

/// What the pass needs: where each page and file goes in the new book.
pub(super) struct Places<'a> {
    /// The new path (under the new content folder) of each page.
    pub pages: &'a [String],
    /// The new path of a file a link reaches, noting it to be copied.
    pub file: &'a (dyn Fn(&PathBuf) -> Option<String> + Sync),
    /// The new path of each section's process.
    pub sections: &'a [String],
    /// The page each section has of its own.
    pub section_index: &'a [Option<usize>],
    /// The id of the `# heading` a page loses to its title: a link to it
    /// goes to the page.
    pub title_anchor: &'a [Option<String>],
    /// The new path of the home page, if the source has one.
    pub home: Option<&'a str>,
    /// Ids of the new book; empty when `[[x]]` is the source's own syntax.
    pub wiki_ids: &'a std::collections::HashSet<String>,
    /// Whether page n is an SOP (it has `#step-n` anchors).
    pub sop: &'a (dyn Fn(usize) -> bool + Sync),
}

#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub text: String,
    pub dangling: Vec<Dangling>,
    pub rewritten: usize,
}

fn options() -> Options {
    Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// `from_dir/…` → `to`, as a relative path (`../b/c.md`).
pub(super) fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Characters a link destination cannot hold as written.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// Where the destination of an inline link `[text](dest "title")` is in
/// its source `span`.
pub(super) fn inline_dest(text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let s = text.get(span.clone())?;
    let bytes = s.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'!'));
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                let n = s[i..].len() - s[i..].trim_start_matches('`').len();
                let ticks = &s[i..i + n];
                i = s[i + n..].find(ticks).map_or(i + n, |e| i + n + e + n) - 1;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    let mut j = i + 2;
    while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\n' || bytes[j] == b'\t') {
        j += 1;
    }
    let start = j;
    if bytes.get(j) == Some(&b'<') {
        let end = s[j..].find('>')? + j + 1;
        return Some(span.start + start..span.start + end);
    }
    let mut parens = 0usize;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            b'(' => parens += 1,
            b')' if parens == 0 => break,
            b')' => parens -= 1,
            b' ' | b'\n' | b'\t' => break,
            _ => {}
        }
        j += 1;
    }
    Some(span.start + start..span.start + j.min(bytes.len()))
}

/// Where the destination of a reference definition `[x]: dest` is.
fn definition_dest(text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let s = text.get(span.clone())?;
    let colon = s.find("]:")? + 2;
    let rest = &s[colon..];
    let start = colon + (rest.len() - rest.trim_start().len());
    let after = &s[start..];
    let len = if after.starts_with('<') {
        after.find('>')? + 1
    } else {
        after.find(char::is_whitespace).unwrap_or(after.len())
    };
    Some(span.start + start..span.start + start + len)
}

/// Elements and attributes whose value is a link (as sopbook checks them).
const LINK_ATTRS: &[(&str, &str)] = &[
    ("a", "href"),
    ("img", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
    ("iframe", "src"),
];

/// `https://…`, `mailto:…`, `//host/…`: a URL with a scheme or a host.
pub(super) fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A destination made by a template (`{{ site.url }}/x`): only the source
/// tool could say where it goes.
fn is_template(url: &str) -> bool {
    url.contains("{{") || url.contains("{%") || url.contains("<%")
}

/// Rewrites the links of `text` (page `me`, whose new path is
/// `places.pages[me]`).
pub(super) fn run(
    text: &str,
    me: usize,
    index: &Index,
    pages: &[super::source::Page],
    places: &Places,
) -> Outcome {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut out = Outcome::default();
    let new_dir = places.pages[me].rsplit_once('/').map_or("", |(d, _)| d);
    let rewrite = |dest: &str, at: usize, out: &mut Outcome| -> Option<String> {
        let dest = dest.trim();
        if dest.is_empty() || (is_external(dest) && !index.is_own(dest)) {
            return None;
        }
        if is_template(dest) {
            out.dangling.push(Dangling {
                at,
                link: dest.to_owned(),
                why: "is made by a template tag sopbook does not run",
            });
            return None;
        }
        let Some((target, fragment)) = index.resolve(dest, &pages[me], me) else {
            // A page of the source's live site that the source does not
            // hold: the link still leads there.
            if is_external(dest) {
                return None;
            }
            out.dangling.push(Dangling {
                at,
                link: dest.to_owned(),
                why: "reaches no page or file of the source",
            });
            return None;
        };
        let target = match target {
            Target::Section(s) => places.section_index[s].map_or(Target::Section(s), Target::Page),
            t => t,
        };
        let (path, fragment) = match target {
            Target::Home => match places.home {
                Some(home) => (relative(new_dir, home), fragment),
                // sopbook makes a home page of its own: `/` reaches it.
                None => return None,
            },
            Target::Page(j) => {
                let fragment = match fragment {
                    None => None,
                    Some(f) if places.title_anchor[j].as_deref() == Some(f.as_str()) => None,
                    Some(f) => {
                        let anchors = &index.anchors[j];
                        let step = f
                            .strip_prefix("step-")
                            .is_some_and(|n| n.parse::<u32>().is_ok())
                            && (places.sop)(j);
                        if anchors.ids.contains(&f) || step {
                            Some(f)
                        } else if let Some(id) = anchors
                            .other
                            .get(&f)
                            .or_else(|| anchors.other.get(&f.to_lowercase()))
                        {
                            Some(id.clone())
                        } else if let Some(id) =
                            anchors.ids.iter().find(|id| id.eq_ignore_ascii_case(&f))
                        {
                            Some(id.clone())
                        } else {
                            out.dangling.push(Dangling {
                                at,
                                link: dest.to_owned(),
                                why: "reaches a page without that heading",
                            });
                            Some(f)
                        }
                    }
                };
                let path = if j == me && fragment.is_some() {
                    String::new()
                } else {
                    relative(new_dir, &places.pages[j])
                };
                (path, fragment)
            }
            Target::Section(s) => {
                if fragment.is_some() {
                    out.dangling.push(Dangling {
                        at,
                        link: dest.to_owned(),
                        why: "reaches a page without that heading",
                    });
                }
                (relative(new_dir, &places.sections[s]), fragment)
            }
            Target::File(file) => match (places.file)(&file) {
                Some(to) => (relative(new_dir, &to), fragment),
                None => {
                    out.dangling.push(Dangling {
                        at,
                        link: dest.to_owned(),
                        why: "reaches a file outside the source, which is not copied",
                    });
                    return None;
                }
            },
        };
        let mut new = encode(&path);
        if let Some(f) = fragment {
            new.push('#');
            new.push_str(&f);
        }
        if new.is_empty() {
            return None;
        }
        (new != dest).then_some(new)
    };

    // Admonition bodies are indented: read as sopbook reads them, with
    // positions taken back to the text.
    let rewritten = crate::parse::admonition::rewrite(text);
    let (view, map) = match &rewritten {
        Some((view, map)) => (view.as_str(), Some(map)),
        None => (text, None),
    };
    let back = |r: Range<usize>| -> Option<Range<usize>> {
        let Some(map) = map else { return Some(r) };
        if map.generated(r.start) {
            return None;
        }
        let source = map.range(r.clone());
        (text.get(source.clone())? == view.get(r)?).then_some(source)
    };
    let edit = |range: Option<Range<usize>>,
                dest: &str,
                out: &mut Outcome,
                edits: &mut Vec<(Range<usize>, String)>| {
        let Some(range) = range.and_then(&back) else {
            return;
        };
        if let Some(new) = rewrite(dest, range.start, out) {
            edits.push((range, new));
        }
    };
    // Reference definitions, by label: each is rewritten once, when a
    // link uses it (an unused one links nothing, as sopbook reads it).
    let parser = Parser::new_ext(view, options());
    let defs: std::collections::HashMap<String, (String, Range<usize>)> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label.to_lowercase(),
                (def.dest.to_string(), def.span.clone()),
            )
        })
        .collect();
    let mut defs_done: std::collections::HashMap<usize, Option<&'static str>> =
        std::collections::HashMap::new();
    for (event, span) in Parser::new_ext(view, options()).into_offset_iter() {
        match event {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                },
            ) if link_type == LinkType::Inline => {
                edit(inline_dest(view, &span), &dest_url, &mut out, &mut edits);
            }
            Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. })
                if matches!(
                    link_type,
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
                ) =>
            {
                // The definition is rewritten once; a definition that
                // reaches nothing is listed at each link that uses it, where
                // `check` reports it.
                let Some((dest, def_span)) = defs.get(&id.to_lowercase()) else {
                    continue;
                };
                let used_at = back(span.start..span.start).map(|r| r.start);
                match defs_done.get(&def_span.start) {
                    None => {
                        let before = out.dangling.len();
                        edit(definition_dest(view, def_span), dest, &mut out, &mut edits);
                        let why = out.dangling.get_mut(before).map(|d| {
                            if let Some(at) = used_at {
                                d.at = at;
                            }
                            d.why
                        });
                        defs_done.insert(def_span.start, why);
                    }
                    Some(Some(why)) => {
                        if let Some(at) = used_at {
                            out.dangling.push(Dangling {
                                at,
                                link: dest.clone(),
                                why,
                            });
                        }
                    }
                    Some(None) => {}
                }
            }
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { .. },
                    dest_url,
                    ..
                },
            ) if !places.wiki_ids.is_empty() => {
                // `[[x]]` is text to every other tool: it stays text
                // unless it names a page of the book.
                let id = dest_url.split('#').next().unwrap_or("");
                if !places.wiki_ids.contains(id) {
                    let at = span.start + view[span.clone()].find('[').unwrap_or(0);
                    if let Some(at) = back(at..at) {
                        edits.push((at.start..at.start, "\\".into()));
                    }
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let html = &view[span.clone()];
                for tag in crate::parse::raw_html::tags(html, crate::parse::raw_html::Syntax::Html)
                {
                    for attr in &tag.attrs {
                        if !LINK_ATTRS.contains(&(tag.name.as_str(), attr.name.as_str())) {
                            continue;
                        }
                        let Some(value) = &attr.value else { continue };
                        if is_template(value) {
                            continue;
                        }
                        let range =
                            span.start + attr.value_span.start..span.start + attr.value_span.end;
                        let Some(range) = back(range) else { continue };
                        if let Some(new) = rewrite(value, range.start, &mut out) {
                            let escaped = new.replace('&', "&amp;").replace('"', "&quot;");
                            edits.push((range, format!("\"{escaped}\"")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut result = String::with_capacity(text.len() + edits.len() * 8);
    let mut pos = 0;
    for (range, new) in edits {
        if range.start < pos {
            continue;
        }
        result.push_str(&text[pos..range.start]);
        result.push_str(&new);
        pos = range.end;
        out.rewritten += 1;
    }
    result.push_str(&text[pos..]);
    out.text = result;
    out
}

#[cfg(test)]
mod tests {
    use super::{definition_dest, inline_dest, is_external, relative};

    #[test]
    fn relative_paths_between_files() {
        assert_eq!(relative("a/b", "a/c.md"), "../c.md");
        assert_eq!(relative("", "a/c.md"), "a/c.md");
        assert_eq!(relative("a", "a/c.md"), "c.md");
        assert_eq!(relative("a/b", "index.md"), "../../index.md");
    }

    #[test]
    fn destinations_are_found_where_they_are_written() {
        let text = "see [a [nested] `](x)`](../x.md#y \"t\") and ![i](<my img.png>)";
        let first = text.find("[a").expect("in the text");
        let end = text.find(" and").expect("in the text");
        let r = inline_dest(text, &(first..end)).expect("in the text");
        assert_eq!(&text[r], "../x.md#y");
        let img = text.find("![").expect("in the text");
        let r = inline_dest(text, &(img..text.len())).expect("in the text");
        assert_eq!(&text[r], "<my img.png>");
        let def = "[ref]:\n  /docs/x.html 'T'";
        let r = definition_dest(def, &(0..def.len())).expect("in the text");
        assert_eq!(&def[r], "/docs/x.html");
    }

    #[test]
    fn schemes_make_a_url_external() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.x/y"));
        assert!(!is_external("a.md#b:c"));
        assert!(!is_external("[url](https://x)"));
        assert!(!is_external("/docs/x"));
    }
}
