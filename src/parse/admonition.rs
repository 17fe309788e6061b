//! MkDocs admonitions (`!!! note "Title"` over an indented block, and the
//! collapsible `??? note` / `???+ note`), for handbooks migrated from
//! MkDocs. CommonMark would show the marker as text and the indented body
//! as a code block; here they become the theme's callouts.
//!
//! It runs before the one Markdown pass, on text that has admonitions at
//! all: the marker line becomes an HTML opening tag, the body loses one
//! level of indentation, and a closing tag follows it. The Markdown inside
//! stays Markdown. A [`Map`] takes positions in the rewritten text back to
//! the file, so diagnostics still point at the right line and column.

use std::ops::Range;

use crate::html::escape_text;

/// Positions in rewritten text → positions in the source.
#[derive(Debug, Default)]
pub(crate) struct Map {
    /// (start in the new text, start in the source, written by sopbook),
    /// sorted by the first.
    segments: Vec<(usize, usize, bool)>,
}

impl Map {
    fn find(&self, pos: usize) -> Option<&(usize, usize, bool)> {
        let i = self.segments.partition_point(|s| s.0 <= pos);
        self.segments.get(i.checked_sub(1)?)
    }

    /// The source position of `pos`; text sopbook wrote maps to the start
    /// of the marker line it replaces.
    pub(crate) fn source(&self, pos: usize) -> usize {
        match self.find(pos) {
            Some(&(new, old, false)) => old + (pos - new),
            Some(&(_, old, true)) => old,
            None => pos,
        }
    }

    /// Whether the text at `pos` was written by sopbook, not the author.
    pub(crate) fn generated(&self, pos: usize) -> bool {
        self.find(pos).is_some_and(|s| s.2)
    }

    pub(crate) fn range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.source(r.start);
        start..self.source(r.end).max(start)
    }
}

/// The callout kind of a MkDocs admonition type.
fn kind(kind: &str) -> &'static str {
    match kind {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" => "important",
        "warning" | "caution" | "attention" => "warning",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

struct Opener<'a> {
    collapsible: bool,
    open: bool,
    kind: &'a str,
    title: Option<&'a str>,
}

/// `!!! note`, `!!! note "Title"`, `??? tip ""`, `???+ danger "T"`.
fn opener(line: &str) -> Option<Opener<'_>> {
    let (collapsible, open, rest) = if let Some(r) = line.strip_prefix("!!!") {
        (false, false, r)
    } else if let Some(r) = line.strip_prefix("???+") {
        (true, true, r)
    } else {
        (true, false, line.strip_prefix("???")?)
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let (kind, title) = match rest.find([' ', '\t']) {
        Some(i) => (&rest[..i], Some(rest[i..].trim())),
        None => (rest, None),
    };
    let valid = !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let title = match title {
        None => None,
        Some(t) if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') => {
            Some(&t[1..t.len() - 1])
        }
        Some(_) => return None,
    };
    valid.then_some(Opener {
        collapsible,
        open,
        kind,
        title,
    })
}

/// Columns of leading whitespace (a tab counts as 4) and its byte length.
fn indent(line: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => cols += 1,
            '\t' => cols += 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// Whether `text` may hold an admonition: a line starting with `!!!` or
/// `???` (after indentation).
pub(crate) fn any(text: &str) -> bool {
    // A substring search is much cheaper than walking the lines.
    if !crate::html::has(text, "!!!") && !crate::html::has(text, "???") {
        return false;
    }
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("!!!") || t.starts_with("???")
    })
}

/// Rewrites the admonitions of `text`; `None` when there are none.
pub(crate) fn rewrite(text: &str) -> Option<(String, Map)> {
    if !any(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 256);
    let mut map = Map::default();
    // Open admonitions: (content indent in columns of the source line,
    // closing tag, indentation to write it with).
    let mut open: Vec<(usize, &'static str, String)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut found = false;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let (cols, _) = indent(content);
        let blank = content.trim().is_empty();
        if !blank && fence.is_none() {
            while open.last().is_some_and(|(need, _, _)| cols < *need) {
                let (_, close, pad) = open.pop().unwrap_or((0, "", String::new()));
                map.segments.push((out.len(), start, true));
                out.push_str(&format!("\n{pad}{close}\n\n"));
            }
        }
        // Drop one level of indentation per open admonition.
        let strip = open.len() * 4;
        let mut skip = 0;
        let mut removed = 0;
        for c in content.chars() {
            if removed >= strip {
                break;
            }
            match c {
                ' ' => removed += 1,
                '\t' => removed += 4,
                _ => break,
            }
            skip += c.len_utf8();
        }
        let line = &line[skip..];
        let stripped = line.trim_end_matches(['\n', '\r']);
        let (own_cols, own_bytes) = indent(stripped);
        let body = &stripped[own_bytes..];
        // Fenced code: no admonitions inside.
        let marker = body.chars().next().filter(|c| matches!(c, '`' | '~'));
        if let Some(m) = marker {
            let n = body.chars().take_while(|&c| c == m).count();
            if n >= 3 && own_cols < 4 {
                match fence {
                    None => fence = Some((m, n)),
                    Some((f, k)) if f == m && n >= k && body[n..].trim().is_empty() => fence = None,
                    _ => {}
                }
            }
        }
        let op = (fence.is_none() && own_cols < 4)
            .then(|| opener(body))
            .flatten();
        match op {
            Some(op) => {
                found = true;
                let pad = &stripped[..own_bytes];
                let k = kind(&op.kind.to_ascii_lowercase());
                let class = format!(
                    "callout callout-{k} admonition admonition-{}",
                    op.kind.to_ascii_lowercase()
                );
                let title = match op.title {
                    Some(t) => t.to_owned(),
                    None => {
                        let mut c = op.kind.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect())
                            .unwrap_or_default()
                    }
                };
                let mut html = String::new();
                map.segments.push((out.len(), start, true));
                if op.collapsible {
                    html.push_str(&format!(
                        "{pad}<details class=\"{class}\"{}>\n{pad}<summary class=\"callout-title\">",
                        if op.open { " open" } else { "" }
                    ));
                    escape_text(&mut html, if title.is_empty() { op.kind } else { &title });
                    html.push_str("</summary>\n\n");
                    open.push((cols + 4, "</details>", pad.to_owned()));
                } else {
                    html.push_str(&format!("{pad}<div class=\"{class}\" role=\"note\">\n"));
                    if !title.is_empty() {
                        html.push_str(&format!("{pad}<p class=\"callout-title\">"));
                        escape_text(&mut html, &title);
                        html.push_str("</p>\n");
                    }
                    html.push('\n');
                    open.push((cols + 4, "</div>", pad.to_owned()));
                }
                out.push_str(&html);
            }
            None => {
                map.segments.push((out.len(), start + skip, false));
                out.push_str(line);
            }
        }
    }
    while let Some((_, close, pad)) = open.pop() {
        map.segments.push((out.len(), text.len(), true));
        out.push_str(&format!("\n{pad}{close}\n\n"));
    }
    found.then_some((out, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_with_title_and_indented_body() {
        let text = "Intro.\n\n!!! note \"Before you start\"\n    Read **this**.\n\n    And this.\n\nAfter.\n";
        let (out, map) = rewrite(text).expect("rewritten");
        assert_eq!(
            out,
            "Intro.\n\n<div class=\"callout callout-note admonition admonition-note\" role=\"note\">\n<p class=\"callout-title\">Before you start</p>\n\nRead **this**.\n\nAnd this.\n\n\n</div>\n\nAfter.\n"
        );
        let at = out.find("Read").expect("body");
        assert_eq!(&text[map.source(at)..map.source(at) + 4], "Read");
        let after = out.find("After").expect("after");
        assert_eq!(&text[map.source(after)..], "After.\n");
        assert!(map.generated(out.find("<div").expect("div")));
        assert!(!map.generated(at));
    }

    #[test]
    fn kinds_titles_nesting_and_details() {
        let text = "!!! danger\n    Hot.\n\n    ??? tip \"<More>\"\n        Inner.\n\n!!! info \"\"\n    x\n";
        let (out, _) = rewrite(text).expect("rewritten");
        assert!(
            out.contains("callout-caution admonition admonition-danger"),
            "{out}"
        );
        assert!(
            out.contains("<p class=\"callout-title\">Danger</p>"),
            "{out}"
        );
        assert!(
            out.contains("<summary class=\"callout-title\">&lt;More&gt;</summary>"),
            "{out}"
        );
        assert!(out.contains("\nInner.\n"), "{out}");
        assert_eq!(out.matches("</div>").count(), 2, "{out}");
        assert_eq!(out.matches("</details>").count(), 1, "{out}");
        assert!(
            !out.contains("callout-title\"></p>"),
            "an empty title is left out: {out}"
        );
    }

    #[test]
    fn code_and_prose_are_left_alone() {
        assert!(rewrite("```\n!!! note\n    x\n```\n").is_none());
        assert!(rewrite("Wow!!! what\n").is_none());
        assert!(rewrite("!!!note\n").is_none());
        assert!(rewrite("    !!! note\n").is_none(), "indented code");
    }
}
