//! Document control (SPEC §8): `superseded-link`, a link or embed from a
//! current page to one that is superseded or retired; `role-spelling`, two
//! roles that differ only in case or spacing.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::status::role_key;
use crate::model::{DocId, Handbook, Status, Target};
use crate::parse::body::LinkKind;

pub(crate) fn superseded_links(hb: &Handbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let from = DocId(i as u32);
        if !hb.is_current(from) || !hb.has_own_page(from) && hb.home != Some(from) {
            continue;
        }
        for (link, target) in doc.body.links.iter().zip(&doc.targets) {
            let Target::Doc { doc: to, .. } = target else {
                continue;
            };
            let target_doc = hb.doc(*to);
            let (what, help) = match target_doc.status {
                Status::Current => continue,
                Status::Superseded(_) => {
                    let now = hb.replacement(*to).map(|r| hb.doc(r));
                    (
                        "which is superseded".to_owned(),
                        match now {
                            Some(r) => format!(
                                "link to its replacement instead: [[{}]] ({})",
                                r.id, r.title
                            ),
                            None => "link to the SOP that replaces it".to_owned(),
                        },
                    )
                }
                Status::Retired(date) => (
                    format!("which was retired on {date}"),
                    "remove the link, or link to what is done now".to_owned(),
                ),
            };
            let verb = if link.kind == LinkKind::Embed {
                "embeds"
            } else {
                "links to"
            };
            diags.push(
                Diagnostic::new(
                    Rule::SupersededLink,
                    format!("this page {verb} `{}`, {what}", target_doc.id),
                )
                .at(doc.file, link.span.clone())
                .label("not current")
                .help(help),
            );
        }
    }
    diags
}

pub(crate) fn role_spelling(hb: &Handbook) -> Vec<Diagnostic> {
    let names = hb.role_names();
    // Where each role is first written in the book's spelling.
    let mut first: HashMap<String, (crate::diagnostics::FileId, std::ops::Range<usize>)> =
        HashMap::new();
    for doc in &hb.docs {
        for role in &doc.control.roles {
            let key = role_key(&role.value);
            if names.get(&key) == Some(&role.value) {
                first.entry(key).or_insert((doc.file, role.span.clone()));
            }
        }
    }
    let mut diags = Vec::new();
    for doc in &hb.docs {
        for role in &doc.control.roles {
            let key = role_key(&role.value);
            let Some(spelled) = names.get(&key).filter(|s| **s != role.value) else {
                continue;
            };
            let mut d = Diagnostic::new(
                Rule::RoleSpelling,
                format!("the role `{}` is also spelled `{spelled}`", role.value),
            )
            .at(doc.file, role.span.clone())
            .label("another spelling")
            .help(format!("spell it `{spelled}`, as the book mostly does, so that roles.html and search see one role"));
            if let Some((file, span)) = first.get(&key) {
                d = d.related(*file, span.clone(), "spelled so here");
            }
            diags.push(d);
        }
    }
    diags
}
