//! What one parse of a body gives the rest of the build: its HTML with
//! holes, its steps, anchors, links, top-level blocks and findings. Data
//! only; `markdown` fills it.

use std::ops::Range;

use crate::parse::plain::Plain;
use crate::parse::unsafe_url::Finding;

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
    /// A word sopbook writes into the text (a callout's title, a task
    /// box's label), in the book's language.
    Word(Word),
}

/// The words a body's HTML holds: the renderer writes them in the book's
/// language, so one parse serves any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// The label of a task-list box.
    Done,
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Word {
    /// Its key in the words of the book's language ([`crate::i18n`]).
    pub fn key(self) -> &'static str {
        match self {
            Word::Done => "body.done",
            Word::Note => "body.note",
            Word::Tip => "body.tip",
            Word::Important => "body.important",
            Word::Warning => "body.warning",
            Word::Caution => "body.caution",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorKind {
    Step(u32),
    Heading(u8),
    Footnote,
    FootnoteRef,
    /// An `id` (or an `<a name>`) written in raw HTML: a link may lead to
    /// it, and it is kept as written.
    Html,
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
    /// The id Eleventy and Jekyll give the same heading
    /// ([`crate::parse::slug::older`]), when it differs: a link written
    /// for such a site still leads here.
    pub also: Option<String>,
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
    /// Two hashes of the step's words, lowercased, without punctuation or
    /// markup: what `repeated-steps` compares (the words themselves are
    /// not kept: 128 bits of two independent hashes stand for them).
    /// `hash` keys its maps; `check` confirms a match.
    pub hash: u64,
    pub check: u64,
    /// The number of words in the step (0: no words, never a copy).
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
    /// the heading that asked for it but gave way to the theme's id, else
    /// the heading whose Eleventy/Jekyll id it is.
    pub fn linked_anchor(&self, fragment: &str) -> Option<&Anchor> {
        self.anchor(fragment).or_else(|| {
            self.anchors
                .iter()
                .find(|a| a.wanted.as_deref() == Some(fragment))
                .or_else(|| {
                    self.anchors
                        .iter()
                        .find(|a| a.also.as_deref() == Some(fragment))
                })
        })
    }
}
