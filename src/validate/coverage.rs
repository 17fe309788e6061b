//! `branch-without-sop`, `process-without-sop`, `automated-with-sop`,
//! `empty-sop`: the shape of the handbook against the seed's rules — every
//! human path has its SOP, automation has equipment instead of SOPs, an SOP
//! says how.

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::key_value;
use crate::model::{Handbook, Kind};

pub(crate) fn check(hb: &Handbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // A file left out for an error (or an SOP whose process or branch is
    // unknown) may be the SOP a branch is missing: counting now would only
    // add noise to the real error. These rules wait until it is fixed.
    let complete = hb.failed_ids.is_empty() && hb.unplaced.is_empty();
    for &pid in hb.processes.iter().filter(|_| complete) {
        let doc = hb.doc(pid);
        let Kind::Process(p) = &doc.kind else {
            continue;
        };
        let sops = Handbook::sops_of(p);
        if p.automated {
            if !sops.is_empty() {
                let names: Vec<&str> = sops.iter().map(|&s| hb.doc(s).id.as_str()).collect();
                let span = p
                    .automated_span
                    .clone()
                    .unwrap_or_else(|| doc.title_span.clone());
                diags.push(
                    Diagnostic::new(Rule::AutomatedWithSop, format!("`{}` is automated but has {} SOP{}: {}", doc.id, sops.len(), if sops.len() == 1 { "" } else { "s" }, names.join(", ")))
                        .at(doc.file, span)
                        .label("marked automated here")
                        .help(format!("if people still do part of it by hand, remove `{}`; if not, the SOPs are out of date: delete them and list the automation under `equipment`", key_value(doc.syntax, "automated", "true"))),
                );
            }
            continue;
        }
        if sops.is_empty() {
            diags.push(
                Diagnostic::new(Rule::ProcessWithoutSop, format!("the process `{}` has no SOP", doc.id))
                    .at(doc.file, doc.title_span.clone())
                    .help(format!(
                        "write the SOP for its most common path (front matter `process = \"{}\"`), or set `automated = true` and list its `equipment` if no human runs it",
                        doc.id
                    )),
            );
            // Its branches are all without SOP: one warning says it.
            continue;
        }
        for b in p.branches.iter().filter(|b| b.sops.is_empty()) {
            diags.push(
                Diagnostic::new(Rule::BranchWithoutSop, format!("no SOP walks the branch `{}` of `{}`", b.id, doc.id))
                    .at(doc.file, b.span.clone())
                    .label(format!("when: {}", b.when))
                    .help(format!(
                        "write an SOP with `process = \"{}\"` and `branch = \"{}\"`, or remove the branch if the situation no longer happens",
                        doc.id, b.id
                    )),
            );
        }
    }
    for (_, doc, sop) in hb.placed_sops() {
        if doc.body.steps.is_empty() && sop.media.is_none() {
            diags.push(
                Diagnostic::new(Rule::EmptySop, format!("the SOP `{}` has no steps and no media", doc.id))
                    .at(doc.file, doc.title_span.clone())
                    .help("write its steps as a numbered list (`1. …`), give it a `media` video or training, or drop `process` to make it a plain page"),
            );
        }
    }
    diags
}
