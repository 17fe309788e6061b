//! The plain text as the search index reads it, built by replaying what
//! the parse recorded ([`super::Plain`]): words and punctuation as shown,
//! one space between words and between blocks, and where each part a
//! search result can land on begins.

use super::Mark;

/// A body's plain text and where its parts begin: what [`super::Plain::read`]
/// gives the search index.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PlainText {
    /// The words and punctuation as shown, one space between words and
    /// between blocks, none where markup was (`*a*.` → `a.`); no ids,
    /// anchors or URLs that the page does not show.
    pub(crate) text: String,
    /// `(offset in text, link n)`: where the title of the bare `[[id]]`
    /// link `n` goes.
    pub(crate) titles: Vec<(usize, u32)>,
    /// Sorted by offset; one mark per offset (a part with no text is
    /// replaced by the one that follows it).
    pub(crate) marks: Vec<(usize, Mark)>,
    /// The heading whose section the text is in: where it goes back to
    /// after a step.
    heading: Option<u32>,
}

impl PlainText {
    /// Text as written in the source; runs of white space become one space.
    pub(crate) fn text(&mut self, t: &str) {
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
    pub(crate) fn gap(&mut self) {
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
    pub(crate) fn link_title(&mut self, n: u32) {
        self.titles.push((self.text.len(), n));
    }

    pub(crate) fn heading_start(&mut self, anchor: u32) {
        self.mark(Mark::Heading(anchor));
    }

    pub(crate) fn heading_end(&mut self, anchor: u32) {
        self.heading = Some(anchor);
        self.mark(Mark::Under(Some(anchor)));
    }

    pub(crate) fn step_start(&mut self, anchor: u32) {
        self.mark(Mark::Under(Some(anchor)));
    }

    pub(crate) fn step_end(&mut self) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_and_gaps_do_not_repeat() {
        let mut p = PlainText::default();
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
            let mut fast = PlainText::default();
            fast.text("x ");
            fast.text(t);
            let mut slow = PlainText::default();
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
        let mut p = PlainText::default();
        p.text("see ");
        p.link_title(0);
        p.gap();
        p.gap();
        p.text("next");
        assert_eq!(
            (p.text.as_str(), p.titles.as_slice()),
            ("see  next", &[(4, 0)][..])
        );
        let mut p = PlainText::default();
        p.link_title(0);
        p.step_start(1);
        assert_eq!(p.marks, [(1, Mark::Under(Some(1)))]);
    }

    #[test]
    fn a_mark_with_no_text_after_it_is_replaced() {
        let mut p = PlainText::default();
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
