//! A body's text as a reader sees it, without markup, cut into the parts a
//! search result can land on: the page top, each heading's section, each
//! step. The search index is built from it (`render::search`); the parser
//! records it in the same pass that writes the HTML.
//!
//! What the parser cannot know yet stays a hole: the title a bare `[[id]]`
//! shows is known once links resolve, so the index puts it in then, the
//! way the renderer does for the page.
//!
//! Bodies are kept for the whole build, and the text is most of what the
//! HTML shows: the parse keeps what it did ([`Plain`]), each text as the
//! place in the body's HTML that shows it as it is, and the index replays
//! that into the text ([`Plain::read`]) a batch of pages at a time. Only
//! text the HTML shows otherwise (escaped characters, highlighted code)
//! is copied. At 10,000 SOPs: 12 MB kept instead of 24 MB of text
//! and offsets, from the parse to the end of the build.

mod text;

pub(crate) use text::PlainText;

/// Where a part of [`PlainText::text`] begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// The text of heading anchor `n` begins: the section's label.
    Heading(u32),
    /// Text that belongs to anchor `n` begins: a step's text, or what
    /// follows a heading. `None`: the page top (text before any heading,
    /// or after steps that come before any heading).
    Under(Option<u32>),
}

/// The calls the parser made, each a word of [`Plain::ops`]: a kind in the
/// top bits, then a length (texts) or nothing; then, but for a gap and a
/// step's end, a number (where the text is, a link, an anchor).
const KIND: u32 = 29;
const LEN: u32 = (1 << KIND) - 1;
/// A text: the HTML's bytes `[start, start + len)` (once sealed).
const HTML: u32 = 0;
/// A text: bytes of [`Plain::owned`].
const OWNED: u32 = 1;
const GAP: u32 = 2;
const TITLE: u32 = 3;
const HEADING_START: u32 = 4;
const HEADING_END: u32 = 5;
const STEP_START: u32 = 6;
const STEP_END: u32 = 7;
/// How far past the place the HTML had reached a text may be found
/// (inline code's `<code>`).
const SLACK: usize = 16;

/// What the parser did for the plain text, replayed by [`Plain::read`].
#[derive(Debug, Clone, Default)]
pub struct Plain {
    ops: Vec<u32>,
    /// The texts not found in the HTML (all of them until [`Plain::seal`]).
    owned: String,
    /// Until [`Plain::seal`]: for each text, how long the HTML was when it
    /// came, where its escaped form was about to be written.
    at: Vec<usize>,
}

/// A number that fits the ops: offsets in a body too big for them (4 GB)
/// read as nothing rather than as something else.
fn word(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Plain {
    /// Text as written in the source, about to be written into the HTML
    /// at `html_at`.
    pub fn text(&mut self, t: &str, html_at: usize) {
        // A text longer than a length can say goes in pieces: replayed,
        // they read as the whole.
        for (offset, piece) in pieces(t, LEN as usize) {
            self.ops.push(OWNED << KIND | word(piece.len()));
            self.ops.push(word(self.owned.len()));
            self.owned.push_str(piece);
            self.at.push(html_at + offset);
        }
    }

    /// A break between words: a block boundary or a line break.
    pub fn gap(&mut self) {
        self.ops.push(GAP << KIND);
    }

    /// The title of bare link `n` goes here.
    pub fn link_title(&mut self, n: u32) {
        self.ops.extend([TITLE << KIND, n]);
    }

    pub fn heading_start(&mut self, anchor: u32) {
        self.ops.extend([HEADING_START << KIND, anchor]);
    }

    pub fn heading_end(&mut self, anchor: u32) {
        self.ops.extend([HEADING_END << KIND, anchor]);
    }

    pub fn step_start(&mut self, anchor: u32) {
        self.ops.extend([STEP_START << KIND, anchor]);
    }

    pub fn step_end(&mut self) {
        self.ops.push(STEP_END << KIND);
    }

    /// Once the body's HTML is written: each text the HTML shows as it is
    /// becomes its place there; the others are kept. Bodies are kept for
    /// the whole build: nothing spare is left.
    pub fn seal(mut self, html: &str) -> Plain {
        let mut owned = String::new();
        let mut at = self.at.iter();
        let mut i = 0;
        // In place: a text is two words, where it is in the HTML or in
        // what is kept.
        while let Some(&op) = self.ops.get(i) {
            let kind = op >> KIND;
            if kind == OWNED {
                let len = (op & LEN) as usize;
                let start = self.ops.get(i + 1).copied().unwrap_or_default() as usize;
                let t = self.owned.get(start..start + len).unwrap_or_default();
                let found = at.next().and_then(|&a| find(html, a, t));
                let (kind, start) = match found.and_then(|h| u32::try_from(h).ok()) {
                    Some(h) => (HTML, h),
                    None => {
                        let start = word(owned.len());
                        owned.push_str(t);
                        (OWNED, start)
                    }
                };
                self.ops[i] = kind << KIND | op & LEN;
                if let Some(w) = self.ops.get_mut(i + 1) {
                    *w = start;
                }
            }
            i += if matches!(kind, GAP | STEP_END) { 1 } else { 2 };
        }
        self.ops.shrink_to_fit();
        owned.shrink_to_fit();
        Plain {
            ops: self.ops,
            owned,
            at: Vec::new(),
        }
    }

    /// The text, replayed from the parse; `html` is the body's HTML it
    /// was sealed with.
    pub(crate) fn read(&self, html: &str) -> PlainText {
        let mut p = PlainText::default();
        let mut i = 0;
        while let Some(&op) = self.ops.get(i) {
            let value = self.ops.get(i + 1).copied().unwrap_or_default();
            let kind = op >> KIND;
            match kind {
                HTML | OWNED => {
                    let start = value as usize;
                    let range = start..start + (op & LEN) as usize;
                    let from = if kind == HTML { html } else { &self.owned };
                    p.text(from.get(range).unwrap_or_default());
                }
                GAP => p.gap(),
                TITLE => p.link_title(value),
                HEADING_START => p.heading_start(value),
                HEADING_END => p.heading_end(value),
                STEP_START => p.step_start(value),
                _ => p.step_end(),
            }
            i += if matches!(kind, GAP | STEP_END) { 1 } else { 2 };
        }
        p
    }
}

/// `t` cut between characters into pieces of at most `most` bytes (a
/// character longer than that is a piece), each with its offset.
fn pieces(t: &str, most: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = t.get(at..).filter(|r| !r.is_empty())?;
        let mut cut = rest.len().min(most);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == 0 {
            cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let piece = (at, &rest[..cut]);
        at += cut;
        Some(piece)
    })
}

/// Where `html` shows `t` as it is, at `at` or up to [`SLACK`] bytes
/// after it. Text with characters the HTML escapes is not there.
fn find(html: &str, at: usize, t: &str) -> Option<usize> {
    if html.get(at..at + t.len()) == Some(t) {
        return Some(at);
    }
    if t.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
        return None;
    }
    let mut end = (at + t.len() + SLACK).min(html.len());
    while !html.is_char_boundary(end) {
        end += 1;
    }
    html.get(at..end)?.find(t).map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(md: &str) -> crate::parse::body::Body {
        let opts = crate::parse::ParseOptions {
            plain: true,
            highlight: true,
        };
        crate::parse::markdown::parse(md, 0..md.len(), true, &[], opts)
    }

    /// What the parse recorded, replayed without the HTML: every text
    /// as it came.
    fn unsealed(p: &Plain) -> PlainText {
        let mut all = p.clone();
        all.at.clear();
        all.read("")
    }

    #[test]
    fn texts_are_kept_as_places_in_the_html_and_read_back_the_same() {
        let md = "Read **this**: [[glossary#idp]]. *Then* `a < b` & `code`\n[go](x.md).\n\n\
                  1. One \"quoted\".\n2. Two\n   - nested [[a|label]]\n\n## Head [[b]]\n\n\
                  ```rust\nfn main() {}\n```\n\nAfter ünïcode.\n";
        let mut p = Plain::default();
        // The same calls as the parse, on an HTML of our own.
        let mut html = String::from("<p>");
        for (t, shown) in [
            ("Read ", "Read "),
            ("this", "this"),
            ("x < y", "x &lt; y"),
            ("ünï", "ünï"),
        ] {
            p.text(t, html.len());
            html.push_str(shown);
            p.gap();
        }
        p.text("code", html.len());
        html.push_str("<code>code</code>");
        p.step_start(3);
        p.link_title(7);
        p.step_end();
        let before = unsealed(&p);
        let sealed = p.seal(&html);
        assert_eq!(sealed.read(&html), before);
        // The link title goes between the last two spaces.
        assert_eq!(before.text, "Read this x < y ünï code  ");
        // Only the escaped text is copied.
        assert_eq!(sealed.owned, "x < y");

        let body = parsed(md);
        let text = body.plain.read(&body.html);
        assert!(
            text.text
                .starts_with("Read this: . Then a < b & code go. One \"quoted\". Two"),
            "{:?}",
            text.text
        );
        assert!(text.text.contains("fn main() {}"), "{:?}", text.text);
        assert!(
            body.plain.owned.len() < 40,
            "the HTML shows the rest as it is: {:?}",
            body.plain.owned
        );
    }

    #[test]
    fn a_text_is_found_after_the_markup_before_it_or_kept() {
        assert_eq!(find("<p>x<code>abc</code>", 4, "abc"), Some(10));
        assert_eq!(find("<p>abc", 3, "abc"), Some(3));
        assert_eq!(find("<p>a &amp; b", 3, "a & b"), None);
        assert_eq!(find("<p>é", 3, "e"), None);
        assert_eq!(find("<p>", 10, "abc"), None);
        // Far past the place: not looked for.
        assert_eq!(find(&format!("<p>{}abc", "x".repeat(40)), 3, "abc"), None);
    }

    #[test]
    fn a_long_text_is_cut_between_characters() {
        let cut: Vec<(usize, &str)> = pieces("abcdéfgh", 4).collect();
        assert_eq!(cut, [(0, "abcd"), (4, "éfg"), (8, "h")]);
        let cut: Vec<(usize, &str)> = pieces("abcéd", 4).collect();
        assert_eq!(cut, [(0, "abc"), (3, "éd")], "not inside é");
        let cut: Vec<(usize, &str)> = pieces("€€", 2).collect();
        assert_eq!(
            cut,
            [(0, "€"), (3, "€")],
            "a character longer than the most is one piece"
        );
        assert_eq!(pieces("", 4).count(), 0);
    }

    #[test]
    fn the_parser_leaves_no_markup_ids_or_stray_spaces() {
        let md = "Read **this**: [[glossary#idp]]. *Then*\n[go](x.md).\n\n\
                  1. One `code`.\n2. Two\n   - nested [[a|label]]\n\n## Head [[b]]\n\nAfter.\n";
        let opts = crate::parse::ParseOptions {
            plain: true,
            highlight: false,
        };
        let body = crate::parse::markdown::parse(md, 0..md.len(), true, &[], opts);
        let p = body.plain.read(&body.html);
        assert_eq!(
            p.text,
            // `[[b]]`'s title goes between the two spaces.
            "Read this: . Then go. One code. Two nested label Head  After. "
        );
        // The titles of bare links go where the links were.
        let at: Vec<&str> = p.titles.iter().map(|&(i, _)| &p.text[i..]).collect();
        assert_eq!(
            at,
            [
                ". Then go. One code. Two nested label Head  After. ",
                " After. "
            ]
        );
        let marks: Vec<(&str, Mark)> = p.marks.iter().map(|&(i, m)| (&p.text[i..], m)).collect();
        // Anchors 0 and 1 are the steps, 2 the heading.
        assert_eq!(
            marks,
            [
                (
                    "One code. Two nested label Head  After. ",
                    Mark::Under(Some(0))
                ),
                ("Two nested label Head  After. ", Mark::Under(Some(1))),
                ("Head  After. ", Mark::Heading(2)),
                ("After. ", Mark::Under(Some(2))),
            ]
        );
        assert!(
            body.html.contains("<strong>this</strong>:"),
            "{}",
            body.html
        );
    }
}
