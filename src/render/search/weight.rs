//! How much a word weighs in a passage, from where it is there: the page
//! title above everything, then a label (process, owner, role, outcome, a
//! heading), then a step's text, then other text. search.js ranks by it
//! (docs/reading.md, "Ranking") and tells a title word by [`TITLE`].

/// The weight a word gets from being in the page title; every other
/// source adds up to less, so the client tells a title word by its weight
/// (`meta.title`).
pub(super) const TITLE: u8 = 16;
/// Process, owner, roles and outcome (page top) and a heading (its
/// section): above any text, so a section named after the word comes
/// before a paragraph that mentions it. Counted up to twice.
const LABEL: u8 = 7;
/// Added to the text weight of a word in a step: what to do is what a
/// reader searches for, so a step outranks a paragraph around the steps.
const STEP: u8 = 3;
/// Each time the word is in the passage's text, up to this: a long
/// passage that repeats a word is not worth more than a step that says it
/// once or twice.
const TEXT_MAX: u8 = 3;

/// Where a word is found in one passage, in one byte (a posting holds it
/// until the forms of a stem are merged): bit 0 the title, bit 1 a step's
/// text, bits 2–3 how many labels (process, owner, role, outcome, the
/// heading), bits 4–5 how many times in the text, both counted up to 3.
#[derive(Default, Clone, Copy)]
pub(super) struct Found(pub(super) u8);

impl Found {
    const TITLE: u8 = 1;
    const STEP: u8 = 2;
    const LABELS: u32 = 2;
    const TEXTS: u32 = 4;

    fn count(self, at: u32) -> u8 {
        (self.0 >> at) & 3
    }

    fn with_count(self, at: u32, n: u8) -> Found {
        Found(self.0 & !(3 << at) | (n.min(3) << at))
    }

    pub(super) fn title(&mut self) {
        self.0 |= Found::TITLE;
    }

    pub(super) fn label(&mut self) {
        *self = self.with_count(Found::LABELS, self.count(Found::LABELS) + 1);
    }

    pub(super) fn text(&mut self) {
        *self = self.with_count(Found::TEXTS, self.count(Found::TEXTS) + 1);
    }

    pub(super) fn step(&mut self) {
        self.text();
        self.0 |= Found::STEP;
    }

    /// Two forms of a stem in one passage.
    pub(super) fn merge(self, other: Found) -> Found {
        let flags = (self.0 | other.0) & (Found::TITLE | Found::STEP);
        Found(flags)
            .with_count(
                Found::LABELS,
                self.count(Found::LABELS) + other.count(Found::LABELS),
            )
            .with_count(
                Found::TEXTS,
                self.count(Found::TEXTS) + other.count(Found::TEXTS),
            )
    }

    /// [`TITLE`] when the word is in the title, plus the rest, which
    /// stays below it: a label over a step's text over other text.
    pub(super) fn weight(self) -> u8 {
        let texts = self.count(Found::TEXTS).min(TEXT_MAX);
        let step = if self.0 & Found::STEP != 0 && texts > 0 {
            STEP
        } else {
            0
        };
        let rest = (LABEL * self.count(Found::LABELS).min(2) + step + texts).min(TITLE - 1);
        (if self.0 & Found::TITLE != 0 { TITLE } else { 0 }) + rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_weights_stand_out() {
        let mut title = Found::default();
        title.title();
        assert_eq!(title.weight(), TITLE);
        let mut most = Found::default();
        for _ in 0..9 {
            most.label();
            most.step();
        }
        assert!(most.weight() < TITLE);
        let mut once = Found::default();
        once.text();
        assert_eq!(once.weight(), 1);
    }

    #[test]
    fn a_label_outranks_a_step_which_outranks_other_text() {
        let weight = |add: &[fn(&mut Found)]| {
            let mut f = Found::default();
            add.iter().for_each(|a| a(&mut f));
            f.weight()
        };
        let body_most = weight(&[Found::text, Found::text, Found::text, Found::text]);
        let step_once = weight(&[Found::step]);
        let step_most = weight(&[Found::step, Found::step, Found::step, Found::step]);
        let label = weight(&[Found::label]);
        assert!(body_most < step_once, "{body_most} {step_once}");
        assert!(step_most < label, "{step_most} {label}");
        assert!(weight(&[Found::label, Found::label, Found::step]) < TITLE);
        // Two forms of a word in one passage add up, as one word twice would.
        let mut a = Found::default();
        a.step();
        let mut b = Found::default();
        b.text();
        b.title();
        let merged = a.merge(b);
        assert_eq!(
            merged.weight(),
            weight(&[Found::title, Found::step, Found::step])
        );
    }
}
