//! A body's text as a reader sees it, without markup, cut into the parts a
//! search result can land on: the page top, each heading's section, each
//! step. The search index is built from it (`render::search`); the parser
//! fills it in the same pass that writes the HTML.
//!
//! What the parser cannot know yet stays a hole: the title a bare `[[id]]`
//! shows is known once links resolve, so the index puts it in then, the
//! way the renderer does for the page.

/// Where a part of [`Plain::text`] begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The text of heading anchor `n` begins: the section's label.
    Heading(u32),
    /// Text that belongs to anchor `n` begins: a step's text, or what
    /// follows a heading. `None`: the page top (text before any heading,
    /// or after steps that come before any heading).
    Under(Option<u32>),
}

#[derive(Debug, Clone, Default)]
pub struct Plain {
    /// The words and punctuation as shown, one space between words and
    /// between blocks, none where markup was (`*a*.` → `a.`); no ids,
    /// anchors or URLs that the page does not show.
    pub text: String,
    /// `(offset in text, link n)`: where the title of the bare `[[id]]`
    /// link `n` goes.
    pub titles: Vec<(usize, u32)>,
    /// Sorted by offset; one mark per offset (a part with no text is
    /// replaced by the one that follows it).
    pub marks: Vec<(usize, Mark)>,
    /// The heading whose section the text is in: where it goes back to
    /// after a step.
    heading: Option<u32>,
}

impl Plain {
    /// Text as written in the source; runs of white space become one space.
    pub fn text(&mut self, t: &str) {
        if !t.is_ascii() {
            for (i, part) in t.split(char::is_whitespace).enumerate() {
                if i > 0 {
                    self.gap();
                }
                self.text.push_str(part);
            }
            return;
        }
        // Most text: the same split, byte by byte (the ASCII characters
        // that are white space, vertical tab included).
        let mut start = 0;
        for (i, b) in t.bytes().enumerate() {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
                self.text.push_str(&t[start..i]);
                self.gap();
                start = i + 1;
            }
        }
        self.text.push_str(&t[start..]);
    }

    /// A break between words: a block boundary or a line break.
    pub fn gap(&mut self) {
        // A link title still to come is a word too: `see [[x]]` + a break
        // needs a space after the title, though the text ends with one.
        let title_last = self
            .titles
            .last()
            .is_some_and(|&(at, _)| at == self.text.len());
        if title_last || !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// The title of bare link `n` goes here.
    pub fn link_title(&mut self, n: u32) {
        self.titles.push((self.text.len(), n));
    }

    pub fn heading_start(&mut self, anchor: u32) {
        self.mark(Mark::Heading(anchor));
    }

    pub fn heading_end(&mut self, anchor: u32) {
        self.heading = Some(anchor);
        self.mark(Mark::Under(Some(anchor)));
    }

    pub fn step_start(&mut self, anchor: u32) {
        self.mark(Mark::Under(Some(anchor)));
    }

    pub fn step_end(&mut self) {
        self.mark(Mark::Under(self.heading));
    }

    fn mark(&mut self, mark: Mark) {
        self.gap();
        let at = self.text.len();
        match self.marks.last_mut() {
            Some((last, m)) if *last == at => *m = mark,
            _ => self.marks.push((at, mark)),
        }
    }

    /// Bodies are kept for the whole build: drop what growing left spare.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.marks.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_and_gaps_do_not_repeat() {
        let mut p = Plain::default();
        p.gap();
        p.text("  a\n b ");
        p.gap();
        p.text("c");
        assert_eq!(p.text, "a b c");
    }

    #[test]
    fn ascii_text_splits_as_any_text_does() {
        for t in [
            "a  b\tc\x0Bd\x0Ce\r\nf ",
            " x",
            "",
            "  ",
            "no-space",
            "a\u{a0}b c",
        ] {
            let mut fast = Plain::default();
            fast.text("x ");
            fast.text(t);
            let mut slow = Plain::default();
            slow.text("x ");
            for (i, part) in t.split(char::is_whitespace).enumerate() {
                if i > 0 {
                    slow.gap();
                }
                slow.text.push_str(part);
            }
            assert_eq!(fast.text, slow.text, "{t:?}");
        }
    }

    #[test]
    fn a_link_title_at_the_end_of_a_block_is_followed_by_a_space() {
        let mut p = Plain::default();
        p.text("see ");
        p.link_title(0);
        p.gap();
        p.gap();
        p.text("next");
        assert_eq!(
            (p.text.as_str(), p.titles.as_slice()),
            ("see  next", &[(4, 0)][..])
        );
        let mut p = Plain::default();
        p.link_title(0);
        p.step_start(1);
        assert_eq!(p.marks, [(1, Mark::Under(Some(1)))]);
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
        let p = &body.plain;
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

    #[test]
    fn a_mark_with_no_text_after_it_is_replaced() {
        let mut p = Plain::default();
        p.text("intro");
        p.step_start(0);
        p.text("one");
        p.step_end();
        p.heading_start(1);
        p.text("Title");
        p.heading_end(1);
        p.text("under");
        p.step_start(2);
        p.text("two");
        p.step_end();
        assert_eq!(p.text, "intro one Title under two ");
        assert_eq!(
            p.marks,
            [
                (6, Mark::Under(Some(0))),
                (10, Mark::Heading(1)),
                (16, Mark::Under(Some(1))),
                (22, Mark::Under(Some(2))),
                (26, Mark::Under(Some(1))),
            ]
        );
    }
}
