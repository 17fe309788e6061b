//! A page cut into the parts a search result can land on (the page top,
//! each heading's section, each step), each with its anchor, its label
//! and its text as the page shows it: the parse's plain text with the
//! titles of bare `[[id]]` links put in, now that links are resolved.

use crate::model::{AnchorKind, Doc, Handbook, Mark};

/// A part of a page a result can land on.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Passage {
    /// `None`: the page top.
    pub(super) anchor: Option<u32>,
    /// A heading's text, or "Step n".
    pub(super) label: String,
    pub(super) text: String,
    /// A step, whose words outrank the text around the steps.
    pub(super) step: bool,
}

/// The passages of `doc`, the page top first (always there: the title and
/// the page's facts are indexed in it), then each heading's section and
/// each step with some text, in page order.
pub(super) fn passages(hb: &Handbook, doc: &Doc, words: &crate::i18n::Strings) -> Vec<Passage> {
    let plain = doc.body.plain.read(&doc.body.html);
    let mut out = vec![Passage::default()];
    let mut current = 0;
    // Between a heading mark and the text under it: the heading's words.
    let mut in_label = false;
    let mut pos = 0;
    let mut titles = plain.titles.iter().peekable();
    // Which passage holds an anchor's text (`None`: the page top).
    let mut by_anchor: foldhash::HashMap<Option<u32>, usize> = foldhash::HashMap::default();
    by_anchor.insert(None, 0);
    let put = |out: &mut Vec<Passage>, current: usize, in_label: bool, s: &str| {
        let p = &mut out[current];
        if in_label {
            p.label.push_str(s);
        } else {
            p.text.push_str(s);
        }
    };
    // Offsets were taken from the text as it grew: always in it.
    let text = |r: std::ops::Range<usize>| plain.text.get(r).unwrap_or_default();
    let ends = plain
        .marks
        .iter()
        .map(|&(at, m)| (at, Some(m)))
        .chain(std::iter::once((plain.text.len(), None)));
    for (at, mark) in ends {
        // A title at the mark's offset comes after it: `## [[x]]`.
        while let Some(&&(t_at, n)) = titles.peek()
            && (t_at < at || mark.is_none() && t_at == at)
        {
            put(&mut out, current, in_label, text(pos..t_at));
            put(
                &mut out,
                current,
                in_label,
                &crate::render::body::link_label(hb, doc, n as usize, words),
            );
            pos = t_at;
            titles.next();
        }
        put(&mut out, current, in_label, text(pos..at));
        pos = at;
        match mark {
            Some(Mark::Heading(a)) => {
                out.push(Passage {
                    anchor: Some(a),
                    ..Passage::default()
                });
                current = out.len() - 1;
                by_anchor.insert(Some(a), current);
                in_label = true;
            }
            Some(Mark::Under(anchor)) => {
                in_label = false;
                // Text under a heading that steps interrupted goes on in
                // the heading's passage.
                current = *by_anchor.entry(anchor).or_insert_with(|| {
                    out.push(Passage {
                        anchor,
                        ..Passage::default()
                    });
                    out.len() - 1
                });
            }
            None => {}
        }
    }
    let anchors = &doc.body.anchors;
    for p in &mut out {
        p.text.truncate(p.text.trim_end().len());
        p.label.truncate(p.label.trim_end().len());
        let Some(a) = p.anchor.and_then(|a| anchors.get(a as usize)) else {
            continue;
        };
        match a.kind {
            AnchorKind::Step(n) => {
                p.label = words.fill("search.step", &[("n", &n.to_string())]);
                p.step = true;
            }
            _ if p.label.is_empty() => p.label.clone_from(&a.text),
            _ => {}
        }
    }
    let mut first = true;
    out.retain(|p| std::mem::take(&mut first) || !p.text.is_empty() || !p.label.is_empty());
    out
}
