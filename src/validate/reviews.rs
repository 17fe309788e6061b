//! `review-overdue`: an SOP whose last review plus its interval
//! (`review-every`, or the book's `build.review-every`) is today or earlier.

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Handbook;
use crate::model::key_value;

pub(crate) fn check(hb: &Handbook, today: Date) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (_, doc, sop) in hb.placed_sops() {
        let (Some(reviewed), Some(due), Some(every)) =
            (sop.reviewed, sop.review_due(), sop.review_every.as_ref())
        else {
            continue;
        };
        if due > today {
            continue;
        }
        let span = sop
            .reviewed_span
            .clone()
            .unwrap_or_else(|| doc.title_span.clone());
        let owner = sop
            .owner
            .as_deref()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default();
        diags.push(
            Diagnostic::new(Rule::ReviewOverdue, format!("the review of `{}` was due on {due}", doc.id))
                .at(doc.file, span)
                .label(format!("last reviewed {reviewed}, every {}", every.text))
                .help(format!(
                    "ask the SOP owner{owner} to walk through it; when it still matches what people do, set `{}`",
                    key_value(doc.syntax, "reviewed", &today.to_string())
                )),
        );
    }
    diags
}
