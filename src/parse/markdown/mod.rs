//! The one pulldown-cmark pass over a body. It writes HTML and, in the same
//! walk, collects what the rest of the build needs: steps, heading anchors,
//! links and top-level blocks.
//!
//! What cannot be known while parsing one file (where a link points, the
//! title a bare `[[id]]` shows, the final id of an anchor when the text is
//! embedded elsewhere) is left as a hole in the HTML. The renderer fills the
//! holes per page, so one parse serves every page that shows the text.

use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};

use crate::html::{escape_attr, escape_text, is_external_url, is_plain_scheme};
use crate::parse::ParseOptions;
use crate::parse::admonition;
use crate::parse::highlight;
use crate::parse::plain::Plain;
use crate::parse::raw_html::{self, Syntax};
use crate::parse::slug::slugify;
use crate::parse::unsafe_url::{self, Finding, What};
use crate::theme_ids;

mod anchors;
mod links;
mod tags;

pub(crate) use crate::parse::body::*;
pub(crate) use crate::parse::text::{normalize, text_check, text_hash};

pub(crate) use crate::theme_ids::branch_anchor;

/// The parser configuration used for every file.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_DEFINITION_LIST
}

/// Parses `text[range]`; `steps` is true for SOPs, whose top-level ordered
/// list items are numbered steps. Headings never take an id in `reserved`
/// (the branch anchors of a process page).
pub(crate) fn parse(
    text: &str,
    range: Range<usize>,
    steps: bool,
    reserved: &[String],
    opts: ParseOptions,
) -> Body {
    let mut w = Writer {
        source: text,
        body: Body::default(),
        number_steps: steps,
        plain: opts.plain.then(Plain::default),
        highlight: opts.highlight,
        code: None,
        depth: 0,
        block_start: None,
        in_steps: false,
        step_start: None,
        heading: None,
        image: None,
        wiki_text: false,
        table: Vec::new(),
        table_cell: 0,
        table_head: false,
        paragraph: None,
        footnotes: Vec::new(),
        custom_ids: Vec::new(),
        step_text: None,
        in_code: false,
        html_block: None,
        tags_possible: false,
    };
    let rewritten = admonition::rewrite(&text[range.clone()]);
    let (body_text, map) = match &rewritten {
        Some((t, map)) => (t.as_str(), Some(map)),
        None => (&text[range.clone()], None),
    };
    w.tags_possible = may_hold_template_tags(body_text);
    // HTML runs longer than its Markdown: room for most bodies at once
    // (trimmed at the end) instead of a dozen doublings.
    w.body.html.reserve(body_text.len() * 3 / 2 + 64);
    let base = range.start;
    let to_source = |r: Range<usize>| {
        let r = map.map_or(r.clone(), |m| m.range(r));
        r.start + base..r.end + base
    };
    // Consecutive text events, scanned together for template tags: the
    // parser splits `<%= x %>` at the `<`.
    let mut run: Option<Range<usize>> = None;
    for (event, span) in Parser::new_ext(body_text, options()).into_offset_iter() {
        let text = matches!(event, Event::Text(_));
        match run.take() {
            Some(r) if text && r.end == span.start => run = Some(r.start..span.end),
            Some(r) => {
                w.note_template(&body_text[r.clone()], to_source(r).start);
                run = text.then(|| span.clone());
            }
            None => run = text.then(|| span.clone()),
        }
        if let Event::Html(_) | Event::InlineHtml(_) = &event {
            w.note_template(&body_text[span.clone()], to_source(span.clone()).start);
        }
        // The callout markup an admonition became is sopbook's, not raw
        // HTML; it nests what it holds, like a block quote.
        if let (Event::Html(t), Some(m)) = (&event, map)
            && m.generated(span.start)
        {
            let tag = t.trim_start();
            if tag.starts_with("<div class=\"callout")
                || tag.starts_with("<details class=\"callout")
            {
                // At the top level the HTML block it opens is a callout.
                if w.depth == 1
                    && let Some((kind @ BlockKind::Other, _, _)) = &mut w.block_start
                {
                    *kind = BlockKind::Callout;
                }
                w.depth += 1;
            } else if tag.starts_with("</div>") || tag.starts_with("</details>") {
                w.depth = w.depth.saturating_sub(1);
            }
            w.push(t);
            continue;
        }
        w.event(event, to_source(span));
    }
    if let Some(r) = run {
        w.note_template(&body_text[r.clone()], to_source(r).start);
    }
    w.finish_anchors(reserved);
    // An item's range runs to the next item; a finding marks its text only.
    for step in &mut w.body.steps {
        let trimmed = text[step.span.clone()].trim_end().len();
        step.span.end = step.span.start + trimmed;
    }
    // Bodies are kept for the whole build: drop what growing left spare.
    let mut body = w.body;
    body.html.shrink_to_fit();
    body.plain = w.plain.map(|p| p.seal(&body.html)).unwrap_or_default();
    body.holes.shrink_to_fit();
    body.anchors.shrink_to_fit();
    body.steps.shrink_to_fit();
    body.links.shrink_to_fit();
    body.blocks.shrink_to_fit();
    body.unsafe_urls.shrink_to_fit();
    body
}

struct HeadingState {
    anchor: u32,
    level: u8,
    text: String,
}

/// An image (or `![[embed]]`) being read: its alt text comes as events.
struct OpenImage {
    /// Images inside its alt text, still open.
    depth: u32,
    /// The link of an `![[embed]]`; `None` for an image.
    embed: Option<u32>,
    alt: String,
}

/// A footnote, in the order of first use (its number).
struct Footnote {
    name: String,
    anchor: u32,
    defined: bool,
}

struct Writer<'a> {
    /// The whole file: where findings in raw HTML and heading attributes
    /// are looked up.
    source: &'a str,
    body: Body,
    number_steps: bool,
    /// Collects `body.plain` when the book has search.
    plain: Option<Plain>,
    /// Nesting of block-level tags; 0 between top-level blocks.
    depth: u32,
    block_start: Option<(BlockKind, usize, usize)>,
    in_steps: bool,
    step_start: Option<(Range<usize>, usize, usize)>,
    heading: Option<HeadingState>,
    /// Alt text being collected, and image nesting.
    image: Option<OpenImage>,
    /// Inside `[[id]]` without a label: its text is the target's title.
    wiki_text: bool,
    table: Vec<Alignment>,
    table_cell: usize,
    table_head: bool,
    /// (html position after `<p>`, position of `<p>`) of the open paragraph.
    paragraph: Option<(usize, usize)>,
    /// Footnotes in order of first use (numbering): name, anchor, defined.
    footnotes: Vec<Footnote>,
    /// Anchors written with `{#id}`, by index.
    custom_ids: Vec<u32>,
    /// Text of the step being read.
    step_text: Option<String>,
    /// Inside a code block.
    in_code: bool,
    /// The text holds `{%`, `{{` or `<%` somewhere: most files do not, and
    /// their runs of text are not scanned for template tags.
    tags_possible: bool,
    /// `[build] highlight`.
    highlight: bool,
    /// The language and text of the code block being read, when it is to
    /// be highlighted: a grammar reads the block whole, at its end.
    code: Option<(String, String)>,
    /// The text of the HTML block being read, and where each of its line
    /// events starts in it and comes from in the file: a tag can span lines.
    html_block: Option<(String, Vec<unsafe_url::Piece>)>,
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn level_num(level: HeadingLevel) -> u8 {
    level as u8
}

/// Whether `text` holds the start of a template tag anywhere: one
/// vectorised pass for the `{` and `<` bytes of the whole file.
fn may_hold_template_tags(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'{', b'<', bytes).any(|i| {
        matches!(
            (bytes[i], bytes.get(i + 1)),
            (b'{', Some(b'%' | b'{')) | (b'<', Some(b'%'))
        )
    })
}

impl Writer<'_> {
    /// Counts template tags (`{% … %}`, `{{ … }}`, `<% … %>`) left by
    /// another generator; sopbook shows them as text.
    /// `base` is where `source` starts in the file (a run of text is one
    /// line, so it maps back as a whole when an admonition moved it).
    fn note_template(&mut self, source: &str, base: usize) {
        if self.in_code || !self.tags_possible {
            return; // a code block may well show template syntax on purpose
        }
        // Most text holds no tag: one pass over its (short) bytes says so.
        if !source.bytes().any(|b| b == b'{' || b == b'<') {
            return;
        }
        for (open, close) in [("{%", "%}"), ("{{", "}}"), ("<%", "%>")] {
            let mut from = 0;
            while let Some(i) = source[from..].find(open) {
                let start = from + i;
                let Some(j) = source[start + 2..].find(close) else {
                    break;
                };
                let end = start + 2 + j + 2;
                let tag = &source[start..end];
                if tag.contains('\n') {
                    break;
                }
                match &mut self.body.templates {
                    Some((_, _, n)) => *n += 1,
                    None => {
                        self.body.templates = Some((base + start..base + end, tag.to_owned(), 1))
                    }
                }
                from = end;
            }
        }
    }

    fn push(&mut self, s: &str) {
        self.body.html.push_str(s);
    }

    fn hole(&mut self, hole: Hole) {
        self.body.holes.push((self.body.html.len(), hole));
    }

    fn event(&mut self, event: Event<'_>, span: Range<usize>) {
        if let Some(img) = &mut self.image {
            match &event {
                Event::Text(t) | Event::Code(t) => img.alt.push_str(t),
                Event::Start(Tag::Image { .. }) => img.depth += 1,
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        if let Some(p) = &mut self.plain {
            // A bare `[[id]]`'s own text is its id: the page shows the
            // target's title instead (a hole, see `start_link`). Words
            // break at blocks, not where inline markup ends.
            match &event {
                Event::Text(t) | Event::Code(t) if !self.wiki_text => {
                    p.text(t, self.body.html.len())
                }
                Event::SoftBreak | Event::HardBreak => p.gap(),
                Event::Start(tag) if is_block(tag) => p.gap(),
                Event::End(tag) if is_block_end(tag) => p.gap(),
                _ => {}
            }
        }
        if let (Some(t), Event::Text(s) | Event::Code(s)) = (&mut self.step_text, &event) {
            t.push_str(s);
            t.push(' ');
        }
        if let Some(h) = &mut self.heading
            && let Event::Text(t) | Event::Code(t) = &event
        {
            h.text.push_str(t);
        }
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&t);
                } else if !self.wiki_text {
                    escape_text(&mut self.body.html, &t);
                }
            }
            Event::Code(t) => {
                self.push("<code>");
                escape_text(&mut self.body.html, &t);
                self.push("</code>");
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => escape_text(&mut self.body.html, &t),
            Event::Html(t) => {
                self.body.raw = true;
                // A block is written whole at its end: a tag, and so a
                // link in it, can span its lines.
                match &mut self.html_block {
                    Some((text, pieces)) => {
                        pieces.push((text.len(), span));
                        text.push_str(&t);
                    }
                    None => self.raw_html(&t, &[(0, span)]),
                }
            }
            Event::InlineHtml(t) => {
                self.body.raw = true;
                self.raw_html(&t, &[(0, span)]);
            }
            Event::FootnoteReference(name) => self.footnote_ref(&name),
            Event::SoftBreak => self.push("\n"),
            Event::HardBreak => self.push("<br>\n"),
            Event::Rule => {
                let top = self.depth == 0;
                let (h, n) = (self.body.html.len(), self.body.holes.len());
                self.push("<hr>\n");
                if top {
                    self.body.blocks.push(Block {
                        kind: BlockKind::Other,
                        html: h..self.body.html.len(),
                        holes: n..n,
                    });
                }
            }
            Event::TaskListMarker(checked) => {
                self.push(if checked {
                    "<input type=\"checkbox\" disabled checked aria-label=\""
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\""
                });
                self.hole(Hole::Word(Word::Done));
                self.push("\"> ");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str, steps: bool) -> Body {
        let opts = ParseOptions {
            plain: true,
            highlight: true,
        };
        parse(text, 0..text.len(), steps, &[], opts)
    }

    #[test]
    fn steps_are_numbered_through_the_document() {
        let b = body("1. a\n2. b\n   1. nested\n\nText\n\n1. c\n", true);
        assert_eq!(b.steps.len(), 3);
        let ids: Vec<_> = b.anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["step-1", "step-2", "step-3"]);
        assert!(
            b.html.contains("<ol class=\"steps\" start=\"3\">"),
            "{}",
            b.html
        );
        assert_eq!(
            b.blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Steps)
                .count(),
            2
        );
        assert_eq!(b.steps[1].hash, text_hash("b nested"));
        assert_eq!(b.steps[1].check, text_check("b nested"));
        assert_eq!(
            normalize("Export the CSV, then *check* it!"),
            "export the csv then check it"
        );
        assert_eq!(
            normalize("  Größe ÄNDERN—jetzt, 2×! "),
            "größe ändern jetzt 2"
        );
    }

    #[test]
    fn lists_in_pages_and_nested_lists_are_not_steps() {
        assert!(body("1. a\n2. b\n", false).steps.is_empty());
        assert!(body("> 1. quoted\n", true).steps.is_empty());
        assert!(body("- a\n  1. inner\n", true).steps.is_empty());
    }

    #[test]
    fn heading_anchors_slugs_custom_and_dedup() {
        let b = body(
            "## Check totals\n\n## Check totals\n\n## Step 1\n\n## Other {#totals}\n\n1. x\n",
            true,
        );
        let ids: Vec<_> = b.anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "check-totals",
                "check-totals-1",
                "step-1-1",
                "totals",
                "step-1"
            ]
        );
        assert_eq!(b.anchors[3].text, "Other");
    }

    #[test]
    fn headings_give_the_theme_its_ids_and_remember_them() {
        let b = body(
            "## Main\n\n## Search results\n\n## Nav p 2\n\n## Other {#site-nav}\n\n## Main\n",
            false,
        );
        let ids: Vec<_> = b.anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "main-1",
                "search-results-1",
                "nav-p-2-1",
                "site-nav-1",
                "main-2"
            ]
        );
        assert_eq!(b.anchors[1].wanted.as_deref(), Some("search-results"));
        assert_eq!(
            b.linked_anchor("main").map(|a| a.id.as_str()),
            Some("main-1")
        );
        assert_eq!(
            b.linked_anchor("site-nav").map(|a| a.id.as_str()),
            Some("site-nav-1")
        );
        assert_eq!(
            b.linked_anchor("main-2").map(|a| a.id.as_str()),
            Some("main-2")
        );
        assert!(b.linked_anchor("uses").is_none());
    }

    #[test]
    fn alerts_and_admonitions_are_callout_blocks() {
        let b = body(
            "1. a\n\n> [!NOTE]\n> careful\n\n> a quote\n\n!!! warning \"Hot\"\n    Mind it.\n\n2. b\n",
            true,
        );
        let kinds: Vec<_> = b.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Steps,
                BlockKind::Callout,
                BlockKind::Other,
                BlockKind::Callout,
                BlockKind::Steps
            ]
        );
    }

    #[test]
    fn links_are_collected_and_left_as_holes() {
        let b = body(
            "See [[run-payroll]], [[x#step-2|the step]], [a](../a.md#t), [e](https://e.x), `[[code]]`.\n",
            false,
        );
        let dests: Vec<_> = b.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["run-payroll", "x#step-2", "../a.md#t"]);
        assert_eq!(b.links[0].kind, LinkKind::Wiki { label: false });
        assert_eq!(b.links[1].kind, LinkKind::Wiki { label: true });
        assert!(b.html.contains("href=\"https://e.x\""));
        assert!(b.html.contains("<code>[[code]]</code>"));
        assert!(b.holes.contains(&(b.holes[1].0, Hole::LinkText(0))));
    }

    #[test]
    fn link_spans_point_into_the_file() {
        let text = "+++\n+++\nGo to [[nowhere]].\n";
        let b = parse(text, 8..text.len(), false, &[], ParseOptions::default());
        assert_eq!(&text[b.links[0].span.clone()], "[[nowhere]]");
    }

    #[test]
    fn alerts_become_callouts() {
        let b = body("> [!WARNING]\n> Hot.\n", false);
        assert!(
            b.html.contains("class=\"callout callout-warning\""),
            "{}",
            b.html
        );
        assert!(!b.html.contains("[!WARNING]"));
    }

    #[test]
    fn embed_alone_in_paragraph_replaces_it() {
        let b = body("![[shared]]\n", true);
        assert_eq!(b.links[0].kind, LinkKind::Embed);
        assert!(!b.html.contains("<p>"), "{}", b.html);
    }

    #[test]
    fn embed_inside_a_paragraph_splits_it() {
        let b = body("Before: ![[shared]] after.\n\nNext.\n", true);
        let &(pos, _) = b
            .holes
            .iter()
            .find(|(_, h)| matches!(h, Hole::Embed(_)))
            .expect("embed hole");
        assert_eq!(&b.html[..pos], "<p>Before: </p>\n");
        assert_eq!(&b.html[pos..], "<p> after.</p>\n<p>Next.</p>\n");
        let b = body("Before:\n![[shared]]\n", true);
        let (pos, _) = b.holes[0];
        assert_eq!(
            &b.html[pos..],
            "",
            "no empty paragraph after a trailing embed"
        );
    }

    #[test]
    fn footnotes_get_prefixed_ids() {
        let b = body("Text[^1].\n\n[^1]: Note.\n", false);
        assert!(b.anchors.iter().any(|a| a.id == "fn-1"));
        assert!(b.anchors.iter().any(|a| a.id == "fnref-1"));
    }

    #[test]
    fn template_tags_are_counted_outside_code() {
        let b = body(
            "Ask in {% slack \"x\" %} or {{ site.url }}.\n\n```\n{% raw %}\n```\n\n`{{ code }}`\n",
            false,
        );
        let (span, tag, count) = b.templates.expect("found");
        assert_eq!(tag, "{% slack \"x\" %}");
        assert_eq!(span, 7..22);
        assert_eq!(count, 2);
    }

    #[test]
    fn raw_markup_is_flagged() {
        assert!(!body("[a](https://x.y) [b](b.md) ![c](c.png) [[d]]\n", false).raw);
        assert!(body("a <span>b</span>\n", false).raw);
        assert!(body("<div>\nx\n</div>\n", false).raw);
        assert!(body("## H {onclick=x}\n", false).raw);
        assert!(body("[a](javascript:alert(1))\n", false).raw);
        assert!(body("[a](JavaScript:alert(1))\n", false).raw);
    }

    /// `(text at the finding, its kind)` for each unsafe-url finding.
    fn unsafe_at(text: &str) -> Vec<(&str, &'static str)> {
        body(text, false)
            .unsafe_urls
            .iter()
            .map(|f| {
                let kind = match &f.what {
                    What::Link { .. } => "link",
                    What::HeadingHandler { .. } => "heading",
                    What::Handler { .. } => "handler",
                    What::UrlAttr { .. } => "url",
                    What::Script => "script",
                    What::Entity => "entity",
                };
                (&text[f.span.clone()], kind)
            })
            .collect()
    }

    #[test]
    fn unsafe_links_in_every_form_are_found() {
        let text = "[a](javascript:alert(1)) [b](&#106;avascript:x) <javascript:y> [c][r]\n\
                    [d](<JaVa\tScRiPt:z>) [[javascript:w]] ![i](data:image/png;base64,AA)\n\
                    [e](vbscript:v) [f](data:text/html,x) ![g](data:image/svg+xml,x) <a@b.c>\n\n\
                    [r]: JaVaScRiPt:alert(2)\n";
        assert_eq!(
            unsafe_at(text),
            [
                ("[a](javascript:alert(1))", "link"),
                ("[b](&#106;avascript:x)", "link"),
                ("<javascript:y>", "link"),
                ("[c][r]", "link"),
                ("[d](<JaVa\tScRiPt:z>)", "link"),
                ("[[javascript:w]]", "link"),
                ("[e](vbscript:v)", "link"),
                ("[f](data:text/html,x)", "link"),
            ]
        );
        // A target taken for a page is cleaned by sanitize-html too.
        assert!(body("[[javascript:w]]\n", false).raw);
        assert!(
            body("See [x](https://e.x) and ![i](i.png).\n", false)
                .unsafe_urls
                .is_empty()
        );
    }

    #[test]
    fn heading_handlers_are_never_written() {
        let text =
            "## Notes {#n onclick=alert(1) .c data-x=1 OnMouseOver=y}\n\nSetext {onfocus=z}\n---\n";
        let b = body(text, false);
        assert!(!b.html.to_lowercase().contains("alert"), "{}", b.html);
        assert!(!b.html.to_lowercase().contains("onmouseover"), "{}", b.html);
        assert!(
            b.html.contains(" class=\"c\" data-x=\"1\">Notes</h2>"),
            "{}",
            b.html
        );
        assert_eq!(
            unsafe_at(text),
            [
                ("onclick=alert(1)", "heading"),
                ("OnMouseOver=y", "heading"),
                ("onfocus=z", "heading")
            ]
        );
    }

    #[test]
    fn raw_html_findings_point_at_the_attribute() {
        let text = "<div\n onclick=\"x\">\n<a href=\"javascript:y\">z</a>\n</div>\n\n\
                    > <img\n> src=x onerror=alert(1)>\n\n\
                    Para <img src=x\nonerror=y> <a href='&#x6A;avascript:q'>end</a>\n";
        assert_eq!(
            unsafe_at(text),
            [
                ("onclick=\"x\"", "handler"),
                ("href=\"javascript:y\"", "url"),
                ("onerror=alert(1)", "handler"),
                ("onerror=y", "handler"),
                ("href='&#x6A;avascript:q'", "url"),
            ]
        );
        // Written as it is: sanitize-html is what cleans raw HTML.
        assert!(body(text, false).html.contains("onerror=alert(1)"));
    }

    #[test]
    fn raw_html_links_become_holes_at_their_values() {
        let text = "<table>\n<tr><td><a href=\"/pay/run.md\">a</a></td>\n\
                    <td><img\n src='img/x.png' alt=x></td></tr>\n</table>\n\n\
                    > See <a href=run.md#step-2 title=t>b</a> <a href=\"https://e.x\">e</a> \
                    <a href=\"mailto:a@b.c\">m</a> <a href=\"#\">top</a> <a href=\"\">none</a> \
                    <a href=\"{{ site.url }}\">t</a> <video poster=\"p.png\" src=\"v.mp4\"></video> \
                    <a href=\"a&amp;b.md\">amp</a>\n\n<div><a href=\"open.md\n";
        let b = body(text, false);
        let dests: Vec<_> = b.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(
            dests,
            [
                "/pay/run.md",
                "img/x.png",
                "run.md#step-2",
                "p.png",
                "v.mp4",
                "a&b.md"
            ]
        );
        let at: Vec<_> = b.links.iter().map(|l| &text[l.span.clone()]).collect();
        assert_eq!(
            at,
            [
                "/pay/run.md",
                "img/x.png",
                "run.md#step-2",
                "p.png",
                "v.mp4",
                "a&amp;b.md"
            ]
        );
        assert_eq!(b.links[1].kind, LinkKind::Image);
        assert_eq!(b.links[2].kind, LinkKind::Markdown);
        // Each value is a hole in double quotes; the rest is as written.
        let mut filled = String::new();
        let mut last = 0;
        for &(pos, hole) in &b.holes {
            filled.push_str(&b.html[last..pos]);
            filled.push_str(&format!("{hole:?}"));
            last = pos;
        }
        filled.push_str(&b.html[last..]);
        for written in [
            "<a href=\"Href(0)\">a</a>",
            "<img\n src=\"Href(1)\" alt=x>",
            "<a href=\"Href(2)\" title=t>b</a>",
            "<a href=\"https://e.x\">e</a>",
            "<a href=\"mailto:a@b.c\">m</a>",
            "<a href=\"#\">top</a> <a href=\"\">none</a>",
            "<a href=\"{{ site.url }}\">t</a>",
            "<video poster=\"Href(3)\" src=\"Href(4)\"></video>",
            "<div><a href=\"open.md\n",
        ] {
            assert!(filled.contains(written), "{written} not in\n{filled}");
        }
    }

    #[test]
    fn findings_inside_admonitions_point_into_the_file() {
        let text = "!!! note\n    See <b onclick=\"x\">this</b> and [j](javascript:y).\n\n    ## H {onclick=z}\n";
        assert_eq!(
            unsafe_at(text),
            [
                ("onclick=\"x\"", "handler"),
                ("[j](javascript:y)", "link"),
                ("onclick=z", "heading")
            ]
        );
    }

    #[test]
    fn erb_tags_split_by_the_parser_are_found() {
        let b = body("Hi <%= user.name %>, and <% if x %>.\n", false);
        let (span, tag, count) = b.templates.expect("found");
        assert_eq!((span, tag.as_str(), count), (3..19, "<%= user.name %>", 2));
    }

    #[test]
    fn admonitions_are_callouts_that_hold_their_lists() {
        let text = "!!! note \"Mind\"\n    1. inside\n\n    See [[x]].\n\n1. first step\n";
        let b = body(text, true);
        assert!(
            b.html.contains("<p class=\"callout-title\">Mind</p>"),
            "{}",
            b.html
        );
        assert_eq!(b.steps.len(), 1, "{}", b.html);
        assert!(b.html.contains("<ol>\n<li>inside</li>"), "{}", b.html);
        assert!(!b.raw, "the callout markup is sopbook's");
        assert_eq!(&text[b.links[0].span.clone()], "[[x]]");
        assert_eq!(b.blocks.len(), 2, "the admonition is one block");
    }

    #[test]
    fn key_value_ids_are_custom_ids_written_once() {
        let b = body(
            "## Navigation path (breadcrumbs) { id=navigation-path }\n\n## 9.7.0 { id=\"9.7.0\" }\n\n\
             ## Q {: #q }\n\n## K {:#k :.wide}\n\n## Both {#a ID='b' data-x=\"y\" title='t' onclick=\"z\"}\n\n\
             ## Empty { id=\"\" }\n",
            false,
        );
        let ids: Vec<_> = b.anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["navigation-path", "9.7.0", "q", "k", "a", "empty"]);
        assert!(b.anchors[..5].iter().all(|a| a.custom));
        let html = b.html.to_lowercase();
        assert!(
            !html.contains(" id="),
            "ids come from holes only: {}",
            b.html
        );
        assert!(!html.contains("&quot;"), "{}", b.html);
        assert!(!html.contains("onclick"), "{}", b.html);
        assert!(b.html.contains(" class=\"wide\">K</h2>"), "{}", b.html);
        assert!(
            b.html.contains(" data-x=\"y\" title=\"t\">Both</h2>"),
            "{}",
            b.html
        );
        assert!(!body("## H { id=x }\n\n## K {:#k :.c}\n", false).raw);
    }

    #[test]
    fn definition_lists_are_written_and_hold_no_steps() {
        let b = body(
            "1. First\n\nApprover\n: The person who signs.\n: 1. not a step\n\n2. Second\n",
            true,
        );
        assert!(
            b.html
                .contains("<dl>\n<dt>Approver</dt>\n<dd>The person who signs.</dd>\n"),
            "{}",
            b.html
        );
        assert_eq!(b.steps.len(), 2, "{}", b.html);
        assert_eq!(b.steps[1].hash, text_hash("second"));
        assert_eq!(b.steps[1].check, text_check("second"));
        assert!(
            b.plain
                .read(&b.html)
                .text
                .contains("First Approver The person who signs. not a step Second"),
            "{:?}",
            b.plain.read(&b.html).text
        );
    }

    #[test]
    fn fenced_code_is_highlighted_and_searched_as_written() {
        let md = "1. Run:\n\n   ```rust\n   fn main() { x < 1 }\n   ```\n\n\
                  ```nosuch\na < b && {{ c }}\n```\n\n```\nfn plain()\n```\n";
        let b = body(md, true);
        assert!(
            b.html.contains(
                "<pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span> \
                 <span class=\"hl-function\">main</span>() { x &lt; <span class=\"hl-constant\">1</span> }\n\
                 </code></pre>"
            ),
            "{}",
            b.html
        );
        // No grammar: written as before, escaped, the language kept.
        assert!(
            b.html.contains(
                "<pre><code class=\"language-nosuch\">a &lt; b &amp;&amp; {{ c }}\n</code></pre>"
            ),
            "{}",
            b.html
        );
        assert!(
            b.html.contains("<pre><code>fn plain()\n</code></pre>"),
            "{}",
            b.html
        );
        assert!(b.templates.is_none(), "code may show template syntax");
        // Search and the step read the code, not its markup.
        let plain = b.plain.read(&b.html).text;
        assert!(plain.contains("fn main() { x < 1 }"), "{plain:?}");
        assert!(!plain.contains("hl-"), "{plain:?}");
        assert_eq!(b.steps[0].hash, text_hash("run fn main x 1"));
        assert_eq!(b.steps[0].check, text_check("run fn main x 1"));

        let off = parse(md, 0..md.len(), true, &[], ParseOptions::default());
        assert!(!off.html.contains("<span"), "{}", off.html);
        assert!(
            off.html.contains(
                "<pre><code class=\"language-rust\">fn main() { x &lt; 1 }\n</code></pre>"
            ),
            "{}",
            off.html
        );
        assert_eq!(
            (off.steps[0].hash, off.steps[0].check),
            (b.steps[0].hash, b.steps[0].check)
        );
    }

    #[test]
    fn text_is_escaped() {
        let b = body("a < b & c\n", false);
        assert!(b.html.contains("a &lt; b &amp; c"));
    }
}
