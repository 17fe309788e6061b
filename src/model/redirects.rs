//! Old paths that send the reader to a document's page, so that bookmarks
//! and links pasted into tickets keep working after a handbook is
//! reorganised: the `aliases` a document's front matter names (checked
//! here: each must be a path inside the site that nothing else writes),
//! and the URLs its page had in the git history (SPEC §8), which take
//! only the paths nothing else claims.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use super::*;
use crate::history::Commit;

/// An old path in the site whose page sends the reader to a document.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// Where it is written, from the site root (`payroll/old-name.html`).
    pub from: String,
    pub to: DocId,
    pub how: How,
}

/// Why a redirect is written.
#[derive(Debug, Clone)]
pub enum How {
    /// Named in the document's `aliases`, at this place.
    Alias(Range<usize>),
    /// The URL the document's page had in the history (boxed: most
    /// redirects of a big book are aliases or none).
    History(Box<Moved>),
}

/// An old URL of a page, found in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The file's path in the content dir when its page had that URL.
    pub path: String,
    /// The newest commit in which the page had it.
    pub last: Commit,
    /// The commit that gave the page another URL; `None` when that change
    /// is not committed yet.
    pub by: Option<Commit>,
}

/// The path in the site an alias names (`/` at its start allowed: it is
/// read from the site root either way), or the message and help of why
/// it names none.
pub(crate) fn alias_path(written: &str) -> Result<String, (String, &'static str)> {
    let bad = |why: &str, help: &'static str| Err((format!("the alias `{written}` {why}"), help));
    let inside =
        "an alias is a path inside the site, from its root, such as `payroll/old-name.html`";
    let trimmed = written.trim();
    if trimmed.is_empty() {
        return bad("is empty", inside);
    }
    let lower = trimmed.to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme || lower.starts_with("//") {
        return bad("is a URL, not a path in the site", inside);
    }
    if trimmed.contains(['?', '#']) {
        return bad(
            "has a query or a fragment",
            "an alias names a file: write its path without `?…` or `#…` (a reader's `#fragment` is kept when they are sent on)",
        );
    }
    if trimmed.contains('\\') {
        return bad("has a `\\`", "separate folders with `/`");
    }
    let path = crate::html::decode_url(trimmed.strip_prefix('/').unwrap_or(trimmed));
    if path.ends_with('/') {
        return Err((
            format!("the alias `{written}` is a folder"),
            "name the old page's file: `old-folder/index.html` for a folder",
        ));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
        || path.chars().any(char::is_control)
    {
        return bad("is not a plain path inside the site", inside);
    }
    if !path.ends_with(".html") {
        return Err((
            format!("the alias `{written}` does not end in `.html`"),
            "an alias is written as a page: name the old page's `.html` path",
        ));
    }
    Ok(path)
}

/// The documents' aliases that name a path inside the site, and an error
/// at each that does not. Whether the path is free is
/// [`super::output_paths`]' question.
pub(super) fn aliases(hb: &Handbook) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut redirects = Vec::new();
    let mut diags = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let id = DocId(i as u32);
        // The home page's text is written, as the home page, too.
        if !hb.has_own_page(id) && hb.home != Some(id) {
            continue;
        }
        for alias in &doc.aliases {
            match alias_path(&alias.value) {
                Ok(from) => redirects.push(Redirect {
                    from,
                    to: id,
                    how: How::Alias(alias.span.clone()),
                }),
                Err((message, help)) => diags.push(
                    Diagnostic::new(Rule::FrontMatter, message)
                        .at(doc.file, alias.span.clone())
                        .label("not a path in the site")
                        .help(help),
                ),
            }
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    (redirects, diags)
}

/// The URL the page of the file at `rel` had with this text (the front
/// matter is enough), by the rule of [`page_url`]: `None` when it had no
/// page (front matter that did not parse, a draft, the home page's text).
pub(crate) fn url_then(rel: &str, text: &str) -> Option<String> {
    use crate::parse::front_matter::{self, Meta};
    let file = FileId(0);
    let split = front_matter::split(text, file).ok()?;
    let entries = front_matter::parse(text, &split, file).ok()?;
    let (meta, _) = front_matter::read(&entries, &split, file);
    let meta = meta?;
    let (common, place) = match &meta {
        Meta::Process(m) => (&m.common, Place::Process),
        Meta::Sop(m) => (&m.common, Place::Sop(&m.process.value)),
        Meta::Page(m) => (&m.common, Place::Page),
    };
    if common.draft || rel == "index.md" || rel == "_index.md" {
        return None;
    }
    let id = common
        .id
        .as_ref()
        .map_or_else(|| parse::default_id(rel), |a| a.value.clone());
    Some(page_url(&id, place))
}

/// Adds the old URLs of pages found in the history, each as a redirect to
/// its page, except where something else is written (a page, a file, an
/// alias: those win, silently). An old URL of two pages goes to the one
/// that had it last.
pub(crate) fn add_moved(hb: &mut Handbook, found: Vec<(DocId, String, Moved)>) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut folders: HashSet<String> = HashSet::new();
    for c in output_paths::claims(hb) {
        let path = output_paths::lowercase(&c.path).into_owned();
        let mut dir = path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            folders.insert(parent.to_owned());
            dir = parent;
        }
        taken.insert(path);
    }
    let free = |path: &str| {
        let path = path.to_lowercase();
        let mut ancestors = path.match_indices('/').map(|(i, _)| &path[..i]);
        !taken.contains(&path)
            && !folders.contains(&path)
            && !ancestors.any(|dir| taken.contains(dir))
    };
    // Keyed by the lowercase path: two old URLs that differ only in case
    // would be one file on some systems.
    let mut chosen: BTreeMap<String, (String, DocId, Moved)> = BTreeMap::new();
    for (doc, url, moved) in found {
        if !free(&url) || !hb.has_own_page(doc) {
            continue;
        }
        let key = url.to_lowercase();
        if let Some((_, have_doc, have)) = chosen.get(&key) {
            let rank =
                |d: DocId, m: &Moved| (m.last.time, m.last.hash.clone(), std::cmp::Reverse(d));
            if rank(doc, &moved) <= rank(*have_doc, have) {
                continue;
            }
        }
        chosen.insert(key, (url, doc, moved));
    }
    hb.redirects
        .extend(chosen.into_values().map(|(from, to, moved)| Redirect {
            from,
            to,
            how: How::History(Box::new(moved)),
        }));
    hb.redirects.sort_by(|a, b| a.from.cmp(&b.from));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_html_paths_inside_the_site() {
        assert_eq!(
            alias_path("payroll/old.html").as_deref(),
            Ok("payroll/old.html")
        );
        // From the site root either way; escapes are the file's name.
        assert_eq!(
            alias_path("/old%20name.html").as_deref(),
            Ok("old name.html")
        );
        for (bad, why) in [
            ("", "is empty"),
            ("https://acme.example/old.html", "is a URL"),
            ("//acme.example/old.html", "is a URL"),
            ("mailto:a@b.html", "is a URL"),
            ("../old.html", "not a plain path"),
            ("a/%2e%2e/b.html", "not a plain path"),
            ("a//b.html", "not a plain path"),
            ("./a.html", "not a plain path"),
            ("old.html#step-2", "query or a fragment"),
            ("old.html?x=1", "query or a fragment"),
            ("old\\a.html", "`\\`"),
            ("old-folder/", "is a folder"),
            ("old.htm", "does not end in `.html`"),
            ("old", "does not end in `.html`"),
        ] {
            let (message, _) = alias_path(bad).expect_err(bad);
            assert!(message.contains(why), "{bad}: {message}");
        }
    }

    #[test]
    fn a_version_s_url_follows_the_model_s_rule() {
        let sop = "+++\ntitle = \"T\"\nprocess = \"support\"\n+++\n";
        assert_eq!(
            url_then("s/answer.md", sop).as_deref(),
            Some("support/answer.html")
        );
        let with_id = "+++\ntitle = \"T\"\nprocess = \"help\"\nid = \"reply\"\n+++\n";
        assert_eq!(
            url_then("s/answer.md", with_id).as_deref(),
            Some("help/reply.html")
        );
        let process = "---\nkind: process\ntitle: S\noutcome: O\n---\n";
        assert_eq!(
            url_then("support/process.md", process).as_deref(),
            Some("support/index.html")
        );
        assert_eq!(
            url_then("guides/glossary.md", "# Words\n").as_deref(),
            Some("glossary.html")
        );
        // No page then: a draft, a file that did not parse, the home page.
        let draft = "+++\ntitle = \"T\"\nprocess = \"s\"\ndraft = true\n+++\n";
        assert_eq!(url_then("s/a.md", draft), None);
        assert_eq!(url_then("s/a.md", "+++\nprocess = \"s\"\n+++\n"), None);
        assert_eq!(url_then("index.md", "# Home\n"), None);
    }
}
