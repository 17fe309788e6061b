//! `nav.js`: the whole book's navigation, written once and loaded by every
//! page, so a page's HTML does not grow with the book. It lists the
//! processes; each process's branches and SOPs are a script of their own
//! (`nav/<process>.js`), loaded by the pages of that process and when a
//! reader opens it in the sidebar, so what every page loads grows with the
//! number of processes, not of SOPs. Scripts rather than JSON because
//! `fetch` is refused on `file://`; a script tag is not. URLs in them are
//! percent-encoded paths from the site root, ready to follow (a page named
//! `a#b.md` is `a%23b.html`).

use serde::Serialize;

use super::body::{relative, with_fragment};
use crate::model::{DocId, Handbook, Kind};
use crate::site_files::process_nav;

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
    /// The script of its branches and SOPs; none when it has neither.
    nav: Option<String>,
}

/// What `nav/<process>.js` holds.
#[derive(Serialize)]
struct ProcessNav<'a> {
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
            nav: process_script_path(hb, pid).map(|path| relative("", &path)),
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
    format!("window.SOPBOOK_NAV={};\n", json(&nav))
}

/// The scripts of the processes' parts of the navigation: the path of
/// each and the process it is made from.
pub(crate) fn process_scripts(hb: &Handbook) -> impl Iterator<Item = (String, DocId)> + '_ {
    hb.processes
        .iter()
        .filter_map(|&pid| process_script_path(hb, pid).map(|path| (path, pid)))
}

/// The path of the script of `pid`'s branches and SOPs; `None` when it
/// is no process or has neither (an automated one, one with no SOP yet).
pub(crate) fn process_script_path(hb: &Handbook, pid: DocId) -> Option<String> {
    let doc = hb.doc(pid);
    match &doc.kind {
        Kind::Process(p) if !p.branches.is_empty() || !p.loose.is_empty() => {
            Some(process_nav(&doc.id))
        }
        _ => None,
    }
}

/// `nav/<process>.js`: the process's branches and SOPs, added to
/// `window.SOPBOOK_NAV_PROCESSES` under the process's URL in `nav.js`
/// (several may load at once, in any order).
pub(crate) fn process_script(hb: &Handbook, pid: DocId) -> Option<String> {
    let item = |id: DocId| Item {
        title: &hb.doc(id).title,
        url: relative("", &hb.doc(id).url),
    };
    let doc = hb.doc(pid);
    let Kind::Process(p) = &doc.kind else {
        return None;
    };
    let nav = ProcessNav {
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
    Some(format!(
        "(window.SOPBOOK_NAV_PROCESSES=window.SOPBOOK_NAV_PROCESSES||{{}})[{}]={};\n",
        json(&relative("", &doc.url)),
        json(&nav)
    ))
}

/// `value` as JSON that cannot end the script it is in.
fn json<T: Serialize>(value: &T) -> String {
    // Serialising plain strings cannot fail.
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace("</", "<\\/")
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
