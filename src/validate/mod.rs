//! The handbook checks that need the whole model: coverage (branches and
//! processes without SOPs, automated processes with SOPs, empty SOPs),
//! repeated steps, overdue reviews and unsafe URLs. One file per rule
//! family; each is data in, diagnostics out. `build` and `check` run the
//! same set.

pub(crate) mod brand;
pub(crate) mod control;
pub(crate) mod coverage;
pub(crate) mod repeated;
pub(crate) mod reviews;
pub(crate) mod unsafe_url;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Rule, RuleLevel};
use std::collections::HashSet;

use crate::model::{DocId, Handbook};

/// Runs every rule the book has not set to `allow`: an allowed rule costs
/// nothing. With `only`, repeated steps are reported for those documents
/// alone (what `serve` shows after a save).
pub fn run(
    hb: &Handbook,
    today: Date,
    level: impl Fn(Rule) -> RuleLevel,
    only: Option<&HashSet<DocId>>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if level(Rule::RepeatedSteps) != RuleLevel::Allow {
        diags.extend(repeated::check(hb, only, None).0);
    }
    diags.extend(others(hb, today, level));
    diags
}

/// Every rule of [`run`] but copied steps, which `pipeline::check` runs
/// beside the link resolution.
pub(crate) fn others(
    hb: &Handbook,
    today: Date,
    level: impl Fn(Rule) -> RuleLevel,
) -> Vec<Diagnostic> {
    let on = |rule: Rule| level(rule) != RuleLevel::Allow;
    let mut diags = coverage::check(hb);
    if on(Rule::ReviewOverdue) {
        diags.extend(reviews::check(hb, today));
    }
    if on(Rule::UnsafeUrl) {
        diags.extend(unsafe_url::check(hb));
    }
    if on(Rule::SupersededLink) {
        diags.extend(control::superseded_links(hb));
    }
    if on(Rule::RoleSpelling) {
        diags.extend(control::role_spelling(hb));
    }
    diags
}
