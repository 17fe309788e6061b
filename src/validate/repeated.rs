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

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Step;
use crate::model::{Doc, DocId, Handbook};

/// A copied run must hold at least this many words: two one-word steps
/// ("Save." "Close.") in common are not worth a finding.
const MIN_RUN_WORDS: usize = 6;
/// A single step this long, copied word for word, is a finding on its own.
const MIN_SINGLE_WORDS: usize = 15;

/// Finds copied steps. With `only`, findings are made for those SOPs
/// alone (`serve` shows the warnings of the files just saved); what counts
/// as a copy still depends on every SOP. With `keep`, only that many
/// findings are written, the first by file and place (the report's
/// order), and the rest counted: `build` prints the first few, and a big
/// book can have tens of thousands. Returns the findings and that count.
pub(crate) fn check(
    hb: &Handbook,
    only: Option<&HashSet<DocId>>,
    keep: Option<usize>,
) -> (Vec<Diagnostic>, usize) {
    let sops: Vec<(DocId, &Doc)> = hb.placed_sops().map(|(id, d, _)| (id, d)).collect();
    let total: usize = sops.iter().map(|(_, d)| d.body.steps.len()).sum();
    let mut pairs: foldhash::HashMap<(u64, u64), (usize, usize)> =
        foldhash::HashMap::with_capacity_and_hasher(total, Default::default());
    let mut singles: foldhash::HashMap<u64, (usize, usize)> = foldhash::HashMap::default();
    // (copy's SOP, its steps, original's SOP, its steps): the findings'
    // words are written after the pass, on every thread.
    let mut found: Vec<(usize, Range<usize>, usize, Range<usize>)> = Vec::new();
    let same = |a: &Step, b: &Step| a.hash == b.hash && a.check == b.check;
    for (b, (id, doc)) in sops.iter().enumerate() {
        let report = only.is_none_or(|o| o.contains(id));
        let steps = &doc.body.steps;
        // For each step i: the (sop, step) its pair (i, i+1) copies.
        let mut copies: Vec<Option<(usize, usize)>> = vec![None; steps.len()];
        for i in 0..steps.len().saturating_sub(1) {
            let (x, y) = (&steps[i], &steps[i + 1]);
            if x.words == 0 || y.words == 0 {
                continue;
            }
            match pairs.get(&(x.hash, y.hash)) {
                Some(&(a, j)) if a != b => {
                    let theirs = &sops[a].1.body.steps;
                    if same(x, &theirs[j]) && same(y, &theirs[j + 1]) {
                        copies[i] = Some((a, j));
                    }
                }
                Some(_) => {}
                None => {
                    pairs.insert((x.hash, y.hash), (b, i));
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
            let words_in_run: usize = steps[here.clone()].iter().map(|s| s.words as usize).sum();
            if words_in_run >= MIN_RUN_WORDS {
                covered[here.clone()].iter_mut().for_each(|c| *c = true);
                if report {
                    found.push((b, here, a, there));
                }
            }
            i = end + 1;
        }
        for (i, step) in steps.iter().enumerate() {
            if covered[i] || (step.words as usize) < MIN_SINGLE_WORDS {
                continue;
            }
            match singles.get(&step.hash) {
                Some(&(a, j)) if a != b && same(step, &sops[a].1.body.steps[j]) => {
                    if report {
                        found.push((b, i..i + 1, a, j..j + 1));
                    }
                }
                Some(_) => {}
                None => {
                    singles.insert(step.hash, (b, i));
                }
            }
        }
    }
    // The maps go before the findings come: a big book's peak memory.
    drop((pairs, singles));
    let mut unlisted = 0;
    if let Some(keep) = keep.filter(|&k| k < found.len()) {
        // The report sorts by file (all in the content dir: by path) and
        // place; a run and a single never start at the same step.
        let key = |(b, here, _, _): &(usize, Range<usize>, usize, Range<usize>)| {
            let doc = sops[*b].1;
            (doc.rel.as_str(), doc.body.steps[here.start].span.start)
        };
        if keep > 0 {
            found.select_nth_unstable_by(keep - 1, |x, y| key(x).cmp(&key(y)));
        }
        unlisted = found.len() - keep;
        found.truncate(keep);
    }
    use rayon::prelude::*;
    let diags = found
        .into_par_iter()
        .map(|(b, here, a, there)| finding(sops[b].1, here, sops[a].1, there))
        .collect();
    (diags, unlisted)
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
