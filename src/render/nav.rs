//! `nav.js`: the whole book's navigation, written once and loaded by every
//! page, so a page's HTML does not grow with the book. A script rather than
//! JSON because `fetch` is refused on `file://`; a script tag is not.
//! URLs in it are percent-encoded paths from the site root, ready to follow
//! (a page named `a#b.md` is `a%23b.html`).

use serde::Serialize;

use super::body::{relative, with_fragment};
use crate::model::{DocId, Handbook, Kind};

#[derive(Serialize)]
struct Nav<'a> {
    /// Processes grouped as on the home page.
    groups: Vec<Group<'a>>,
    pages: Vec<Item<'a>>,
    reviews: &'static str,
    /// `roles.html`, when an SOP names a role.
    roles: Option<&'static str>,
    /// `changes.html`, when the history is read.
    changes: Option<&'static str>,
    /// The words the scripts write (navigation, checklist, run records,
    /// search), in the book's language: the scripts hold none of their own.
    text: std::collections::BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Group<'a> {
    name: Option<&'a str>,
    processes: Vec<ProcessItem<'a>>,
}

#[derive(Serialize)]
struct ProcessItem<'a> {
    title: &'a str,
    url: String,
    automated: bool,
    branches: Vec<BranchItem<'a>>,
    /// SOPs on no branch.
    sops: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct BranchItem<'a> {
    when: &'a str,
    url: String,
    sops: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    url: String,
}

pub(crate) fn script<'a>(hb: &'a Handbook, words: &'a crate::i18n::Strings) -> String {
    let item = |id: DocId| Item {
        title: &hb.doc(id).title,
        url: relative("", &hb.doc(id).url),
    };
    let mut groups: Vec<Group> = Vec::new();
    for &pid in &hb.processes {
        let doc = hb.doc(pid);
        let Kind::Process(p) = &doc.kind else {
            continue;
        };
        let process = ProcessItem {
            title: &doc.title,
            url: relative("", &doc.url),
            automated: p.automated,
            branches: p
                .branches
                .iter()
                .map(|b| BranchItem {
                    when: &b.when,
                    url: with_fragment(
                        relative("", &doc.url),
                        Some(&crate::model::branch_anchor(&b.id)),
                    ),
                    sops: b.sops.iter().map(|&s| item(s)).collect(),
                })
                .collect(),
            sops: p.loose.iter().map(|&s| item(s)).collect(),
        };
        match groups.last_mut() {
            Some(g) if g.name == p.group.as_deref() => g.processes.push(process),
            _ => groups.push(Group {
                name: p.group.as_deref(),
                processes: vec![process],
            }),
        }
    }
    let nav = Nav {
        groups,
        pages: hb.pages.iter().map(|&id| item(id)).collect(),
        reviews: crate::site_files::REVIEWS,
        roles: hb
            .docs
            .iter()
            .any(|d| !d.control.roles.is_empty())
            .then_some(crate::site_files::ROLES),
        changes: hb.history.is_some().then_some(crate::site_files::CHANGES),
        text: script_words(words),
    };
    // Serialising plain strings cannot fail.
    let json = serde_json::to_string(&nav)
        .unwrap_or_default()
        .replace("</", "<\\/");
    format!("window.SOPBOOK_NAV={json};\n")
}

/// The `script` section, and the few words the scripts share with the
/// pages (under the names the scripts use).
fn script_words(words: &crate::i18n::Strings) -> std::collections::BTreeMap<&str, &str> {
    let mut text = words.section("script");
    for (name, key) in [
        ("home", "site.home"),
        ("processes", "home.all_processes"),
        ("other_processes", "home.other_processes"),
        ("pages", "home.pages"),
        ("reviews", "home.reviews"),
        ("changes", "home.changes"),
        ("no_matches", "search.no_matches"),
        ("serve_errors", "serve.errors"),
    ] {
        text.insert(name, words.text(key));
    }
    text
}
