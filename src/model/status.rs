//! Which documents are in use (SPEC §8): `superseded-by` names the
//! replacement, `retired` the date a procedure stopped. A superseded or
//! retired document is still written (old links keep working) but leaves
//! the navigation, the search index and the branch maps.

use super::{DocId, Handbook, Status};
use crate::diagnostics::{Diagnostic, Rule, did_you_mean};

/// Sets each document's [`Status`]; an unknown replacement is a broken
/// link, a document replaced by itself (directly or through others) an
/// error at its `superseded-by`.
pub(crate) fn resolve(hb: &mut Handbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for i in 0..hb.docs.len() {
        let doc = &hb.docs[i];
        let status = if let Some(by) = &doc.control.superseded_by {
            match hb.ids.get(&by.value) {
                Some(&target) if target.index() == i => {
                    diags.push(
                        Diagnostic::new(
                            Rule::BrokenLink,
                            format!("`{}` cannot supersede itself", doc.id),
                        )
                        .at(doc.file, by.span.clone())
                        .help("name the id of the SOP that replaces this one"),
                    );
                    Status::Current
                }
                Some(&target) => Status::Superseded(target),
                // A replacement that is a draft (drafts off) is not out
                // yet: this one stays current until it is.
                None if hb.draft_ids.contains(&by.value) => Status::Current,
                None if hb.failed_ids.contains(&by.value) => Status::Current,
                None => {
                    let help = match did_you_mean(&by.value, hb.ids.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "name the id of the SOP that replaces this one".to_owned(),
                    };
                    diags.push(
                        Diagnostic::new(
                            Rule::BrokenLink,
                            format!("`superseded-by` names an unknown id `{}`", by.value),
                        )
                        .at(doc.file, by.span.clone())
                        .label("no process, SOP or page has this id")
                        .help(help),
                    );
                    Status::Current
                }
            }
        } else if let Some(retired) = &doc.control.retired {
            Status::Retired(retired.value)
        } else {
            Status::Current
        };
        hb.docs[i].status = status;
    }
    // A chain that comes back to where it started replaces nothing.
    for i in 0..hb.docs.len() {
        let start = DocId(i as u32);
        let mut at = start;
        let mut steps = 0;
        while let Status::Superseded(next) = hb.doc(at).status {
            at = next;
            steps += 1;
            if at == start || steps > hb.docs.len() {
                let doc = hb.doc(start);
                if let Some(by) = &doc.control.superseded_by {
                    diags.push(
                        Diagnostic::new(
                            Rule::BrokenLink,
                            format!(
                                "`{}` is superseded in a circle: nothing current replaces it",
                                doc.id
                            ),
                        )
                        .at(doc.file, by.span.clone())
                        .help("the newest SOP of the chain must not name a `superseded-by`"),
                    );
                }
                break;
            }
        }
    }
    diags
}

impl Handbook {
    /// In use: neither superseded nor retired.
    pub fn is_current(&self, id: DocId) -> bool {
        self.doc(id).status == Status::Current
    }

    /// The current document at the end of a `superseded-by` chain.
    pub fn replacement(&self, id: DocId) -> Option<DocId> {
        let mut at = id;
        for _ in 0..self.docs.len() {
            match self.doc(at).status {
                Status::Superseded(next) => at = next,
                _ => return (at != id).then_some(at),
            }
        }
        None
    }
}

/// `Payroll Clerk`, `payroll  clerk` → `payroll clerk`: spellings of one
/// role.
pub(crate) fn role_key(role: &str) -> String {
    role.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Handbook {
    /// The lines of roles.html: each current document once under each role
    /// it names.
    pub(crate) fn role_rows(&self) -> usize {
        self.own_pages()
            .filter(|&(id, _)| self.is_current(id))
            .map(|(_, doc)| {
                let mut keys: Vec<String> = doc
                    .control
                    .roles
                    .iter()
                    .map(|r| role_key(&r.value))
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys.len()
            })
            .sum()
    }

    /// Each role (by [`role_key`]) with the spelling the book uses most
    /// (the first written, on a tie).
    pub fn role_names(&self) -> std::collections::HashMap<String, String> {
        let mut counts: std::collections::HashMap<String, Vec<(String, usize)>> =
            std::collections::HashMap::new();
        for doc in &self.docs {
            for role in &doc.control.roles {
                let spellings = counts.entry(role_key(&role.value)).or_default();
                match spellings.iter_mut().find(|(s, _)| *s == role.value) {
                    Some((_, n)) => *n += 1,
                    None => spellings.push((role.value.clone(), 1)),
                }
            }
        }
        counts
            .into_iter()
            .map(|(key, spellings)| {
                let best = spellings
                    .iter()
                    .enumerate()
                    .max_by(|(i, a), (j, b)| a.1.cmp(&b.1).then(j.cmp(i)))
                    .map(|(_, (s, _))| s.clone())
                    .unwrap_or_default();
                (key, best)
            })
            .collect()
    }
}
