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

use crate::html::{escape_attr, escape_text};
use crate::parse::admonition;
use crate::parse::plain::Plain;
use crate::parse::raw_html::{self, Syntax};
use crate::parse::slug::slugify;
use crate::parse::unsafe_url::{self, Finding, What};
use crate::theme_ids;

/// Lowercase words joined by single spaces: `"Export the CSV, then
/// *check* it!"` → `"export the csv then check it"`.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        // Most steps: bytes, without decoding or case tables.
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if start < i {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend_from_slice(&bytes[start..i]);
            }
        }
        out.make_ascii_lowercase();
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let word = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !word {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A hash that is the same in every run (cached parses are compared with
/// new ones in `serve`).
pub fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x50_50_b0_0c).hash_one(text)
}

pub use crate::theme_ids::branch_anchor;

/// The parser configuration used for every file.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hole {
    /// The `href`/`src` value of link `n`.
    Href(u32),
    /// The text of a `[[id]]` link: the target's title.
    LinkText(u32),
    /// ` id="…"` of anchor `n`.
    Id(u32),
    /// An `href` to anchor `n` of this same text (footnotes): `#…` where
    /// the anchor is on the page, the source page's URL where it is not.
    LocalHref(u32),
    /// An embed `![[id]]`: replaced by the embedded block.
    Embed(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorKind {
    Step(u32),
    Heading(u8),
    Footnote,
    FootnoteRef,
}

#[derive(Debug, Clone)]
pub struct Anchor {
    /// The final id, unique within the text.
    pub id: String,
    pub kind: AnchorKind,
    /// Heading text; empty for other anchors.
    pub text: String,
    /// Written as `{#id}`.
    pub custom: bool,
    /// The id the heading asked for when that is one of the theme's
    /// (`search-results` for "Search results"), which moved it to
    /// `search-results-1`: a link written with the asked-for id leads here.
    pub wanted: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[id]]` (label: false) or `[[id|text]]` (label: true).
    Wiki { label: bool },
    /// `[text](dest)`, reference links, autolinks without a scheme.
    Markdown,
    /// `![alt](src)`.
    Image,
    /// `![[id]]`.
    Embed,
}

#[derive(Debug, Clone)]
pub struct Link {
    /// As written (fragment included), not yet resolved.
    pub dest: String,
    pub kind: LinkKind,
    /// Byte range in the file.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub span: Range<usize>,
    /// The step's words, lowercased, without punctuation or markup: what
    /// `repeated-steps` compares.
    pub text: String,
    /// A hash of `text`, made once per parse: `repeated-steps` compares
    /// hashes first and text only when they match.
    pub hash: u64,
    /// The number of words in `text`.
    pub words: u32,
    /// Byte range of the step's `<li>…</li>` in the HTML, and its holes.
    pub html: Range<usize>,
    pub holes: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading {
        level: u8,
        anchor: u32,
    },
    Steps,
    /// A GitHub alert (`> [!NOTE]`) or a MkDocs admonition: an embed of
    /// the steps carries the ones between them.
    Callout,
    Other,
}

/// A top-level block, for embedding a section or the steps elsewhere.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub html: Range<usize>,
    pub holes: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    /// Sorted by position in `html`.
    pub holes: Vec<(usize, Hole)>,
    pub anchors: Vec<Anchor>,
    pub steps: Vec<Step>,
    pub links: Vec<Link>,
    pub blocks: Vec<Block>,
    /// Text of the first level-1 heading, a fallback title for pages.
    pub first_h1: Option<String>,
    /// The text as a reader sees it, cut into sections, for the search
    /// index; empty when the book has no search.
    pub plain: Plain,
    /// Template tags of other generators (`{% %}`, `{{ }}`, `<% %>`) in the
    /// text: where the first is, what it looks like, how many there are.
    pub templates: Option<(Range<usize>, String, usize)>,
    /// The HTML holds markup sopbook did not make: raw HTML, heading
    /// attributes, or a link or image with a scheme other than http(s) or
    /// mailto. Only such text needs `sanitize-html`.
    pub raw: bool,
    /// `javascript:` and other unsafe URLs, and event handlers, in links,
    /// heading attributes and raw HTML: the `unsafe-url` rule's findings.
    pub unsafe_urls: Vec<Finding>,
}

impl Body {
    pub fn anchor(&self, id: &str) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.id == id)
    }

    /// The anchor a link's `#fragment` means: the one with that id, else
    /// the heading that asked for it but gave way to the theme's id.
    pub fn linked_anchor(&self, fragment: &str) -> Option<&Anchor> {
        self.anchor(fragment).or_else(|| {
            self.anchors
                .iter()
                .find(|a| a.wanted.as_deref() == Some(fragment))
        })
    }
}

/// Parses `text[range]`; `steps` is true for SOPs, whose top-level ordered
/// list items are numbered steps. Headings never take an id in `reserved`
/// (the branch anchors of a process page).
pub fn parse(
    text: &str,
    range: Range<usize>,
    steps: bool,
    reserved: &[String],
    plain: bool,
) -> Body {
    let mut w = Writer {
        source: text,
        body: Body::default(),
        number_steps: steps,
        plain: plain.then(Plain::default),
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
    };
    let rewritten = admonition::rewrite(&text[range.clone()]);
    let (body_text, map) = match &rewritten {
        Some((t, map)) => (t.as_str(), Some(map)),
        None => (&text[range.clone()], None),
    };
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
    body.plain = w.plain.unwrap_or_default();
    body.html.shrink_to_fit();
    body.plain.shrink_to_fit();
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
    image: Option<(u32, Option<u32>, String)>,
    /// Inside `[[id]]` without a label: its text is the target's title.
    wiki_text: bool,
    table: Vec<Alignment>,
    table_cell: usize,
    table_head: bool,
    /// (html position after `<p>`, position of `<p>`) of the open paragraph.
    paragraph: Option<(usize, usize)>,
    /// Footnotes in order of first use (numbering): name, anchor, defined.
    footnotes: Vec<(String, u32, bool)>,
    /// Anchors written with `{#id}`, by index.
    custom_ids: Vec<u32>,
    /// Text of the step being read.
    step_text: Option<String>,
    /// Inside a code block.
    in_code: bool,
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

/// A URL with a scheme (`https:`, `mailto:`) or starting with `//`: left alone.
pub fn is_external_url(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A URL scheme: letters, digits, + - . before the first ':'
    match dest.find(':') {
        Some(i) if i > 1 => {
            let scheme = &dest[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// `http:`, `https:`, `mailto:` or `//`: URLs no sanitizer would touch.
fn is_plain_scheme(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    ["http:", "https:", "mailto:", "//"]
        .iter()
        .any(|s| lower.starts_with(s))
}

impl Writer<'_> {
    /// Counts template tags (`{% … %}`, `{{ … }}`, `<% … %>`) left by
    /// another generator; sopbook shows them as text.
    /// `base` is where `source` starts in the file (a run of text is one
    /// line, so it maps back as a whole when an admonition moved it).
    fn note_template(&mut self, source: &str, base: usize) {
        if self.in_code {
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

    fn new_anchor(&mut self, kind: AnchorKind, id: String, custom: bool) -> u32 {
        let n = self.body.anchors.len() as u32;
        if custom {
            self.custom_ids.push(n);
        }
        self.body.anchors.push(Anchor {
            id,
            kind,
            text: String::new(),
            custom,
            wanted: None,
        });
        n
    }

    fn event(&mut self, event: Event<'_>, span: Range<usize>) {
        if let Some((_, _, alt)) = &mut self.image {
            match &event {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::Start(Tag::Image { .. }) => {
                    if let Some(img) = &mut self.image {
                        img.0 += 1;
                    }
                }
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
                Event::Text(t) | Event::Code(t) if !self.wiki_text => p.text(t),
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
                if !self.wiki_text {
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
                match &mut self.html_block {
                    Some((text, pieces)) => {
                        pieces.push((text.len(), span));
                        text.push_str(&t);
                    }
                    None => self.check_html(&t, &[(0, span)]),
                }
                self.push(&t);
            }
            Event::InlineHtml(t) => {
                self.body.raw = true;
                self.check_html(&t, &[(0, span)]);
                self.push(&t);
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
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Done\"> "
                });
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Range<usize>) {
        if is_block(&tag) {
            if self.depth == 0 {
                let kind = match &tag {
                    Tag::List(Some(_)) if self.number_steps => BlockKind::Steps,
                    Tag::BlockQuote(Some(_)) => BlockKind::Callout,
                    _ => BlockKind::Other,
                };
                self.block_start = Some((kind, self.body.html.len(), self.body.holes.len()));
            }
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph => {
                let at = self.body.html.len();
                self.push("<p>");
                self.paragraph = Some((self.body.html.len(), at));
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let level = level_num(level);
                let custom = id.is_some();
                let anchor = self.new_anchor(
                    AnchorKind::Heading(level),
                    id.map(|s| s.to_string()).unwrap_or_default(),
                    custom,
                );
                if let Some(p) = &mut self.plain {
                    p.heading_start(anchor);
                }
                self.push(&format!("<h{level}"));
                self.hole(Hole::Id(anchor));
                if !classes.is_empty() {
                    self.push(" class=\"");
                    let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    escape_attr(&mut self.body.html, &joined.join(" "));
                    self.push("\"");
                }
                self.body.raw |= !attrs.is_empty();
                // Where each attribute is written, looked up once and only
                // for a heading that has a handler to report.
                let written: Vec<Range<usize>> =
                    if attrs.iter().any(|(name, _)| unsafe_url::is_handler(name)) {
                        self.source
                            .get(span.clone())
                            .map(unsafe_url::heading_attrs)
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                for (n, (name, value)) in attrs.iter().enumerate() {
                    if !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        continue;
                    }
                    // An event handler is never written, whatever the
                    // book's settings: a heading needs none.
                    if unsafe_url::is_handler(name) {
                        let at = written
                            .get(n)
                            .map(|r| span.start + r.start..span.start + r.end)
                            .filter(|r| {
                                self.source.get(r.clone()).is_some_and(|t| {
                                    t.split_once('=').map_or(t, |(k, _)| k) == &**name
                                })
                            })
                            .unwrap_or_else(|| span.clone());
                        self.body.unsafe_urls.push(Finding {
                            span: at,
                            what: What::HeadingHandler {
                                attr: name.to_string(),
                            },
                        });
                        continue;
                    }
                    self.push(" ");
                    self.push(name);
                    if let Some(value) = value {
                        self.push("=\"");
                        escape_attr(&mut self.body.html, value);
                        self.push("\"");
                    }
                }
                self.push(">");
                if let Some((BlockKind::Other, h, n)) =
                    self.block_start.take().filter(|_| self.depth == 1)
                {
                    self.block_start = Some((BlockKind::Heading { level, anchor }, h, n));
                }
                self.heading = Some(HeadingState {
                    anchor,
                    level,
                    text: String::new(),
                });
            }
            Tag::BlockQuote(kind) => match kind {
                None => self.push("<blockquote>\n"),
                Some(kind) => {
                    let (class, title) = match kind {
                        BlockQuoteKind::Note => ("note", "Note"),
                        BlockQuoteKind::Tip => ("tip", "Tip"),
                        BlockQuoteKind::Important => ("important", "Important"),
                        BlockQuoteKind::Warning => ("warning", "Warning"),
                        BlockQuoteKind::Caution => ("caution", "Caution"),
                    };
                    self.push(&format!(
                        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
                    ));
                }
            },
            Tag::CodeBlock(kind) => {
                self.in_code = true;
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                if lang.is_empty() {
                    self.push("<pre><code>");
                } else {
                    self.push("<pre><code class=\"language-");
                    escape_attr(&mut self.body.html, &lang);
                    self.push("\">");
                }
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), Vec::new())),
            Tag::List(Some(start)) => {
                if self.depth == 1 && self.number_steps {
                    self.in_steps = true;
                    let next = self.body.steps.len() + 1;
                    if next == 1 {
                        self.push("<ol class=\"steps\">\n");
                    } else {
                        self.push(&format!("<ol class=\"steps\" start=\"{next}\">\n"));
                    }
                } else if start == 1 {
                    self.push("<ol>\n");
                } else {
                    self.push(&format!("<ol start=\"{start}\">\n"));
                }
            }
            Tag::List(None) => self.push("<ul>\n"),
            Tag::Item => {
                if self.in_steps && self.depth == 2 {
                    let n = self.body.steps.len() as u32 + 1;
                    let anchor = self.new_anchor(AnchorKind::Step(n), format!("step-{n}"), false);
                    if let Some(p) = &mut self.plain {
                        p.step_start(anchor);
                    }
                    let (h, holes) = (self.body.html.len(), self.body.holes.len());
                    self.push("<li");
                    self.hole(Hole::Id(anchor));
                    self.push(" class=\"step\">");
                    self.step_start = Some((span, h, holes));
                    // Reserve the step's slot so numbering is right even if
                    // the item holds nested lists.
                    self.step_text = Some(String::new());
                    self.body.steps.push(Step {
                        text: String::new(),
                        hash: 0,
                        words: 0,
                        span: 0..0,
                        html: 0..0,
                        holes: 0..0,
                    });
                } else {
                    self.push("<li>");
                }
            }
            Tag::FootnoteDefinition(name) => {
                let (number, mut anchor) = self.footnote(&name);
                let i = number - 1;
                if self.footnotes[i].2 {
                    // Defined twice: the second gets an anchor of its own.
                    anchor = self.new_anchor(
                        AnchorKind::Footnote,
                        format!("fn-{}", slugify(&name)),
                        false,
                    );
                }
                self.footnotes[i].2 = true;
                self.push("<div class=\"footnote\"");
                self.hole(Hole::Id(anchor));
                self.push(&format!("><sup class=\"footnote-label\">{number}</sup>\n"));
            }
            Tag::DefinitionList => self.push("<dl>\n"),
            Tag::DefinitionListTitle => self.push("<dt>"),
            Tag::DefinitionListDefinition => self.push("<dd>"),
            Tag::Table(aligns) => {
                self.table = aligns;
                self.push("<div class=\"table-wrap\"><table>\n");
            }
            Tag::TableHead => {
                self.table_head = true;
                self.table_cell = 0;
                self.push("<thead>\n<tr>");
            }
            Tag::TableRow => {
                self.table_cell = 0;
                self.push("<tr>");
            }
            Tag::TableCell => {
                let cell = if self.table_head { "th" } else { "td" };
                let align = match self.table.get(self.table_cell) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                self.push(&format!("<{cell}{align}>"));
            }
            Tag::Emphasis => self.push("<em>"),
            Tag::Strong => self.push("<strong>"),
            Tag::Strikethrough => self.push("<del>"),
            Tag::Superscript => self.push("<sup>"),
            Tag::Subscript => self.push("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, span),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                self.check_url(&dest_url, &span, !wiki);
                let link = if wiki {
                    let n = self.add_link(&dest_url, LinkKind::Embed, span);
                    Some(n)
                } else if is_external_url(&dest_url) {
                    self.body.raw |= !is_plain_scheme(&dest_url);
                    self.push("<img src=\"");
                    escape_attr(&mut self.body.html, &dest_url);
                    self.push("\"");
                    None
                } else {
                    let n = self.add_link(&dest_url, LinkKind::Image, span);
                    self.push("<img src=\"");
                    self.hole(Hole::Href(n));
                    self.push("\"");
                    Some(n)
                };
                if !title.is_empty() && !matches!(link_type, LinkType::WikiLink { .. }) {
                    self.push(" title=\"");
                    escape_attr(&mut self.body.html, &title);
                    self.push("\"");
                }
                let embed = matches!(link_type, LinkType::WikiLink { .. })
                    .then_some(link)
                    .flatten();
                self.image = Some((0, embed, String::new()));
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end_image(&mut self) {
        let Some((depth, embed, alt)) = self.image.take() else {
            return;
        };
        if depth > 0 {
            self.image = Some((depth - 1, embed, alt));
            return;
        }
        match embed {
            Some(n) => {
                // The embedded block cannot sit inside a <p>: close the
                // paragraph before it (or drop it when the embed starts it)
                // and reopen it after; an empty reopened <p> is dropped at
                // the paragraph's end.
                match self.paragraph {
                    Some((after_p, p_at)) => {
                        if self.body.html.len() == after_p {
                            self.body.html.truncate(p_at);
                        } else {
                            self.push("</p>\n");
                        }
                        self.hole(Hole::Embed(n));
                        let at = self.body.html.len();
                        self.push("<p>");
                        self.paragraph = Some((self.body.html.len(), at));
                    }
                    None => self.hole(Hole::Embed(n)),
                }
            }
            None => {
                self.push(" alt=\"");
                escape_attr(&mut self.body.html, &alt);
                self.push("\">");
            }
        }
    }

    fn start_link(&mut self, link_type: LinkType, dest: &str, title: &str, span: Range<usize>) {
        if link_type != LinkType::Email {
            self.check_url(dest, &span, false);
        }
        let external = match link_type {
            LinkType::Email => Some(format!("mailto:{dest}")),
            LinkType::WikiLink { .. } => None,
            _ if is_external_url(dest) => Some(dest.to_owned()),
            // `java&#9;script:` is a scheme to a browser: the unsafe-url
            // warning says what it is, not a broken link to a page.
            _ if unsafe_url::scheme(dest, false).is_some() => Some(dest.to_owned()),
            _ => None,
        };
        self.push("<a href=\"");
        match external {
            Some(url) => {
                self.body.raw |= !is_plain_scheme(&url);
                escape_attr(&mut self.body.html, &url);
            }
            None => {
                let kind = match link_type {
                    LinkType::WikiLink { has_pothole } => LinkKind::Wiki { label: has_pothole },
                    _ => LinkKind::Markdown,
                };
                let n = self.add_link(dest, kind, span);
                self.hole(Hole::Href(n));
                if kind == (LinkKind::Wiki { label: false }) {
                    self.push("\">");
                    self.hole(Hole::LinkText(n));
                    if let Some(p) = &mut self.plain {
                        p.link_title(n);
                    }
                    self.wiki_text = true;
                    return;
                }
            }
        }
        self.push("\"");
        // Print writes each link's URL after its text; an autolink's text
        // is its URL already.
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            self.push(" class=\"autolink\"");
        }
        if !title.is_empty() {
            self.push(" title=\"");
            escape_attr(&mut self.body.html, title);
            self.push("\"");
        }
        self.push(">");
    }

    /// Notes a link or image target with an unsafe scheme. Its page is
    /// then cleaned when `sanitize-html` is on, even when the target was
    /// taken for a page (a broken link lowered to a warning is written as
    /// it was written).
    fn check_url(&mut self, url: &str, span: &Range<usize>, image: bool) {
        if let Some(scheme) = unsafe_url::scheme(url, image) {
            self.body.raw = true;
            self.body.unsafe_urls.push(Finding {
                span: span.clone(),
                what: What::Link {
                    scheme,
                    url: url.to_owned(),
                    image,
                },
            });
        }
    }

    /// Notes the event handlers and unsafe URLs in raw HTML, at their own
    /// place in the file. `pieces` say where each event's text starts in
    /// `html` and where it comes from (see [`unsafe_url::EventMap`]).
    fn check_html(&mut self, html: &str, pieces: &[unsafe_url::Piece]) {
        if !html.contains('<') {
            return;
        }
        let mut map = unsafe_url::EventMap::new(self.source, html, pieces);
        for tag in raw_html::tags(html, Syntax::Html) {
            for (range, what) in unsafe_url::check_tag(&tag) {
                let start = map.offset(range.start, false);
                let end = map.offset(range.end, true);
                self.body.unsafe_urls.push(Finding {
                    span: start..end.max(start),
                    what,
                });
            }
        }
    }

    fn add_link(&mut self, dest: &str, kind: LinkKind, span: Range<usize>) -> u32 {
        self.body.links.push(Link {
            dest: dest.to_owned(),
            kind,
            span,
        });
        self.body.links.len() as u32 - 1
    }

    /// The number and anchor of footnote `name`, made at its first use.
    fn footnote(&mut self, name: &str) -> (usize, u32) {
        if let Some(i) = self.footnotes.iter().position(|(n, _, _)| n == name) {
            return (i + 1, self.footnotes[i].1);
        }
        let anchor = self.new_anchor(AnchorKind::Footnote, format!("fn-{}", slugify(name)), false);
        self.footnotes.push((name.to_owned(), anchor, false));
        (self.footnotes.len(), anchor)
    }

    fn footnote_ref(&mut self, name: &str) {
        let (number, target) = self.footnote(name);
        let back = self.new_anchor(
            AnchorKind::FootnoteRef,
            format!("fnref-{}", slugify(name)),
            false,
        );
        self.push("<sup class=\"footnote-ref\"><a href=\"");
        self.hole(Hole::LocalHref(target));
        self.push("\"");
        self.hole(Hole::Id(back));
        self.push(&format!(">{number}</a></sup>"));
    }

    fn end(&mut self, tag: TagEnd) {
        let block = is_block_end(&tag);
        match tag {
            TagEnd::Paragraph => match self.paragraph.take() {
                Some((after_p, p_at)) if self.body.html.len() == after_p => {
                    self.body.html.truncate(p_at)
                }
                _ => self.push("</p>\n"),
            },
            TagEnd::Heading(level) => {
                let level = level_num(level);
                self.push(&format!("</h{level}>\n"));
                if let (Some(p), Some(h)) = (&mut self.plain, &self.heading) {
                    p.heading_end(h.anchor);
                }
                if let Some(h) = self.heading.take() {
                    let a = &mut self.body.anchors[h.anchor as usize];
                    let text = h.text.trim().to_owned();
                    if !a.custom {
                        a.id = slugify(&text);
                    }
                    if h.level == 1 && self.body.first_h1.is_none() && !text.is_empty() {
                        self.body.first_h1 = Some(text.clone());
                    }
                    a.text = text;
                }
            }
            TagEnd::BlockQuote(kind) => self.push(if kind.is_some() {
                "</div>\n"
            } else {
                "</blockquote>\n"
            }),
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.push("</code></pre>\n");
            }
            TagEnd::HtmlBlock => {
                if let Some((text, pieces)) = self.html_block.take() {
                    self.check_html(&text, &pieces);
                }
            }
            TagEnd::List(ordered) => {
                self.push(if ordered { "</ol>\n" } else { "</ul>\n" });
                if self.depth == 1 {
                    self.in_steps = false;
                }
            }
            TagEnd::Item => {
                self.push("</li>\n");
                if self.in_steps
                    && self.depth == 2
                    && let Some((span, h, n)) = self.step_start.take()
                    && let Some(step) = self.body.steps.last_mut()
                {
                    if let Some(p) = &mut self.plain {
                        p.step_end();
                    }
                    let text = normalize(&self.step_text.take().unwrap_or_default());
                    *step = Step {
                        hash: text_hash(&text),
                        words: if text.is_empty() {
                            0
                        } else {
                            text.matches(' ').count() as u32 + 1
                        },
                        text,
                        span,
                        html: h..self.body.html.len(),
                        holes: n..self.body.holes.len(),
                    };
                }
            }
            TagEnd::FootnoteDefinition => self.push("</div>\n"),
            TagEnd::DefinitionList => self.push("</dl>\n"),
            TagEnd::DefinitionListTitle => self.push("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.push("</dd>\n"),
            TagEnd::Table => self.push("</tbody></table></div>\n"),
            TagEnd::TableHead => {
                self.table_head = false;
                self.push("</tr>\n</thead>\n<tbody>\n");
            }
            TagEnd::TableRow => self.push("</tr>\n"),
            TagEnd::TableCell => {
                self.push(if self.table_head { "</th>" } else { "</td>" });
                self.table_cell += 1;
            }
            TagEnd::Emphasis => self.push("</em>"),
            TagEnd::Strong => self.push("</strong>"),
            TagEnd::Strikethrough => self.push("</del>"),
            TagEnd::Superscript => self.push("</sup>"),
            TagEnd::Subscript => self.push("</sub>"),
            TagEnd::Link => {
                self.wiki_text = false;
                self.push("</a>");
            }
            TagEnd::Image => {}
            TagEnd::MetadataBlock(_) => {}
        }
        if block {
            self.depth = self.depth.saturating_sub(1);
            if self.depth == 0
                && let Some((kind, h, n)) = self.block_start.take()
            {
                self.body.blocks.push(Block {
                    kind,
                    html: h..self.body.html.len(),
                    holes: n..self.body.holes.len(),
                });
            }
        }
    }

    /// Makes anchor ids unique: steps keep `step-n`, ids written with
    /// `{#id}` come next, then heading slugs and footnotes in order; a clash
    /// gets `-1`, `-2`… An id of the theme ([`theme_ids`]) or in
    /// `reserved` is never taken: the anchor moves to `-1` and remembers
    /// the id it wanted, so links written for it still arrive.
    fn finish_anchors(&mut self, reserved: &[String]) {
        use std::collections::HashSet;
        let anchors = &mut self.body.anchors;
        let mut taken: HashSet<String> = HashSet::with_capacity(anchors.len() + reserved.len());
        taken.extend(reserved.iter().cloned());
        for a in anchors
            .iter()
            .filter(|a| matches!(a.kind, AnchorKind::Step(_)))
        {
            taken.insert(a.id.clone());
        }
        let mut order: Vec<usize> = self.custom_ids.iter().map(|&i| i as usize).collect();
        order
            .extend((0..anchors.len()).filter(|&i| {
                !anchors[i].custom && !matches!(anchors[i].kind, AnchorKind::Step(_))
            }));
        for i in order {
            let a = &mut anchors[i];
            let base = if a.id.is_empty() {
                "section".to_owned()
            } else {
                a.id.clone()
            };
            let mut id = base.clone();
            let mut n = 1;
            // The theme's ids are matched by shape (`nav-p-3`), not listed.
            while taken.contains(&id) || theme_ids::is_theme_id(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            if id != base && theme_ids::is_theme_id(&base) {
                a.wanted = Some(base);
            }
            taken.insert(id.clone());
            a.id = id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str, steps: bool) -> Body {
        parse(text, 0..text.len(), steps, &[], true)
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
        assert_eq!(b.steps[1].text, "b nested");
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
        let b = parse(text, 8..text.len(), false, &[], true);
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
    fn text_is_escaped() {
        let b = body("a < b & c\n", false);
        assert!(b.html.contains("a &lt; b &amp; c"));
    }
}
