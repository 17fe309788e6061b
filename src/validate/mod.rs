//! The handbook checks that need the whole model: coverage (branches and
//! processes without SOPs, automated processes with SOPs, empty SOPs),
//! repeated steps and overdue reviews. One file per rule family; each is
//! data in, diagnostics out. `build` and `check` run the same set.

pub mod coverage;
pub mod repeated;
pub mod reviews;

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;
use crate::model::Handbook;

pub fn run(hb: &Handbook, today: Date) -> Vec<Diagnostic> {
    let mut diags = coverage::check(hb);
    diags.extend(repeated::check(hb));
    diags.extend(reviews::check(hb, today));
    diags
}
