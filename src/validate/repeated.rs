//! `repeated-steps`: steps copied between SOPs instead of written once and
//! linked or embedded — the seed's central rule.
//!
//! Steps are compared by their normalised words (case, punctuation and
//! markup ignored). Every pair of consecutive steps, and every long single
//! step, goes into a hash map on first sight; a later SOP that holds the
//! same pair is a copy. Consecutive matching pairs merge into one run, so a
//! copied block of five steps is one finding. One pass over all steps:
//! linear in their number, whatever the size of the book.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::{Doc, Handbook};

/// A copied run must hold at least this many words: two one-word steps
/// ("Save." "Close.") in common are not worth a finding.
const MIN_RUN_WORDS: usize = 6;
/// A single step this long, copied word for word, is a finding on its own.
const MIN_SINGLE_WORDS: usize = 15;

fn words(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.matches(' ').count() + 1
    }
}

pub fn check(hb: &Handbook) -> Vec<Diagnostic> {
    let sops: Vec<&Doc> = hb.placed_sops().map(|(_, d, _)| d).collect();
    let mut pairs: foldhash::HashMap<(&str, &str), (usize, usize)> = foldhash::HashMap::default();
    let mut singles: foldhash::HashMap<&str, (usize, usize)> = foldhash::HashMap::default();
    let mut diags = Vec::new();
    for (b, doc) in sops.iter().enumerate() {
        let steps = &doc.body.steps;
        // For each step i: the (sop, step) its pair (i, i+1) copies.
        let mut copies: Vec<Option<(usize, usize)>> = vec![None; steps.len()];
        for i in 0..steps.len().saturating_sub(1) {
            let (x, y) = (steps[i].text.as_str(), steps[i + 1].text.as_str());
            if x.is_empty() || y.is_empty() {
                continue;
            }
            match pairs.get(&(x, y)) {
                Some(&(a, j)) if a != b => copies[i] = Some((a, j)),
                Some(_) => {}
                None => {
                    pairs.insert((x, y), (b, i));
                }
            }
        }
        let mut covered = vec![false; steps.len()];
        let mut i = 0;
        while i < copies.len() {
            let Some((a, j)) = copies[i] else {
                i += 1;
                continue;
            };
            // Extend while the next pair continues the same run in `a`.
            let mut end = i;
            while end + 1 < copies.len() && copies[end + 1] == Some((a, j + end + 1 - i)) {
                end += 1;
            }
            let here = i..end + 2;
            let there = j..j + (end + 2 - i);
            let total: usize = steps[here.clone()].iter().map(|s| words(&s.text)).sum();
            if total >= MIN_RUN_WORDS {
                covered[here.clone()].iter_mut().for_each(|c| *c = true);
                diags.push(finding(doc, here, sops[a], there));
            }
            i = end + 1;
        }
        for (i, step) in steps.iter().enumerate() {
            if covered[i] || words(&step.text) < MIN_SINGLE_WORDS {
                continue;
            }
            match singles.get(step.text.as_str()) {
                Some(&(a, j)) if a != b => diags.push(finding(doc, i..i + 1, sops[a], j..j + 1)),
                Some(_) => {}
                None => {
                    singles.insert(step.text.as_str(), (b, i));
                }
            }
        }
    }
    diags
}

fn step_names(r: &Range<usize>) -> String {
    if r.len() == 1 {
        format!("step {}", r.start + 1)
    } else {
        format!("steps {}–{}", r.start + 1, r.end)
    }
}

fn finding(doc: &Doc, here: Range<usize>, first: &Doc, there: Range<usize>) -> Diagnostic {
    let steps = &doc.body.steps;
    let span = steps[here.start].span.start..steps[here.end - 1].span.end;
    let their = &first.body.steps;
    let their_span = their[there.start].span.start..their[there.end - 1].span.end;
    let whole = there.start == 0 && there.end == their.len();
    let help = if whole {
        format!(
            "write these steps once, in `{}`, and use ![[{}]] here instead of the copy",
            first.id, first.id
        )
    } else {
        format!(
            "write these steps once, e.g. in an SOP of their own, and use ![[that-sop]] in both places; or link to the original: [[{}#step-{}]]",
            first.id,
            there.start + 1
        )
    };
    Diagnostic::new(
        Rule::RepeatedSteps,
        format!(
            "{} repeat{} {} of `{}` ({})",
            step_names(&here),
            if here.len() == 1 { "s" } else { "" },
            step_names(&there),
            first.id,
            first.rel
        ),
    )
    .at(doc.file, span)
    .label("copied steps")
    .related(first.file, their_span, "the same steps here")
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn counts_words() {
        assert_eq!(words(""), 0);
        assert_eq!(words("open the ticket"), 3);
    }
}
