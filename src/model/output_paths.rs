//! One output path, one writer: a page, a folder of pages, an asset, an
//! alias and the site's own files must never claim the same path, or one
//! would overwrite the other.

use std::ops::Range;

use super::*;

/// A path the site writes, and what writes it.
#[derive(Debug)]
pub(super) struct Claim {
    pub path: String,
    /// Names the writer in messages: "`run-payroll` (payroll/run.md)".
    pub by: String,
    /// The file of the document that writes it, and the place in it (an
    /// alias) where a clash is reported.
    pub at: Option<(FileId, Option<Range<usize>>)>,
}

/// Every path the site writes but the redirects from the history (which
/// take only what is left, [`redirects::add_moved`]): the site's own
/// files, the pages, the assets, the printable versions, then the
/// aliases, so that an alias is always the second claim of a path it
/// shares.
pub(super) fn claims(hb: &Handbook) -> Vec<Claim> {
    let mut claims: Vec<Claim> = Vec::new();
    let mut claim = |path: String, by: String, at: Option<(FileId, Option<Range<usize>>)>| {
        claims.push(Claim { path, by, at });
    };
    for generated in crate::site_files::RESERVED {
        claim(
            (*generated).to_owned(),
            "a file the site writes itself".to_owned(),
            None,
        );
    }
    // The pages the reviews and the roles run on to.
    let review_pages = crate::site_files::page_count(
        hb.placed_sops().count(),
        crate::site_files::REVIEWS_PER_PAGE,
    );
    for n in 2..=review_pages {
        claim(
            crate::site_files::list_page(crate::site_files::REVIEWS, n),
            "a file the site writes itself".to_owned(),
            None,
        );
    }
    let role_pages =
        crate::site_files::page_count(hb.role_rows(), crate::site_files::ROLES_PER_PAGE);
    for n in 2..=role_pages {
        claim(
            crate::site_files::list_page(crate::site_files::ROLES, n),
            "a file the site writes itself".to_owned(),
            None,
        );
    }
    for (_, doc) in hb.own_pages() {
        claim(
            doc.url.clone(),
            format!("`{}` ({})", doc.id, doc.rel),
            Some((doc.file, None)),
        );
    }
    for rel in hb.assets.keys() {
        claim(rel.clone(), format!("the file {rel}"), None);
    }
    for (_, doc) in hb.own_pages() {
        if let Kind::Process(_) = doc.kind {
            claim(
                crate::site_files::print_page(&doc.id),
                format!("the printable version of `{}`", doc.id),
                None,
            );
            claim(
                crate::site_files::process_nav(&doc.id),
                format!("the navigation of `{}`", doc.id),
                None,
            );
        }
    }
    for r in &hb.redirects {
        if let How::Alias(span) = &r.how {
            let doc = hb.doc(r.to);
            claim(
                r.from.clone(),
                format!("an alias of `{}` ({})", doc.id, doc.rel),
                Some((doc.file, Some(span.clone()))),
            );
        }
    }
    claims
}

/// Two things written to one output path (a page `guide` and an asset
/// `guide.html`, a process folder and a file, an alias and a page) would
/// overwrite each other.
pub(super) fn check(hb: &Handbook) -> Vec<Diagnostic> {
    let claims = claims(hb);
    let mut diags = Vec::new();
    // Keys are lowercase: names that differ only in case clash on macOS
    // and Windows.
    let mut files: HashMap<String, &Claim> = HashMap::new();
    let mut folders: HashMap<String, &Claim> = HashMap::new();
    // The claims that took their path: a second claim was reported.
    let mut kept: Vec<&Claim> = Vec::new();
    let clash = |path: &str, what: String, at: Option<&(FileId, Option<Range<usize>>)>| {
        let mut d = Diagnostic::new(Rule::DuplicateId, format!("`{path}` would be written twice: {what}"))
            .help("rename one of them; on case-insensitive file systems names that differ only in case clash too");
        match at {
            Some((file, Some(span))) => {
                d = d.at(*file, span.clone()).label("this path is taken");
            }
            Some((file, None)) => d = d.in_file(*file),
            None => {}
        }
        d
    };
    for c in &claims {
        let key = c.path.to_lowercase();
        if let Some(first) = files.get(&key) {
            let d = match (&c.at, &first.at) {
                // An alias is reported at itself, with the page it
                // would overwrite.
                (Some((file, Some(span))), _) => alias_clash(c, first, *file, span.clone()),
                // Reported in the document's file when one of the two is one.
                (None, Some(at)) => clash(
                    &c.path,
                    format!("for {} and for {}", c.by, first.by),
                    Some(at),
                ),
                _ => clash(
                    &c.path,
                    format!("for {} and for {}", first.by, c.by),
                    c.at.as_ref(),
                ),
            };
            diags.push(d);
            continue;
        }
        files.insert(key, c);
        kept.push(c);
        let mut dir = c.path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            folders.entry(parent.to_lowercase()).or_insert(c);
            dir = parent;
        }
    }
    for c in kept {
        if let Some(folder) = folders.get(&c.path.to_lowercase()) {
            // Where the alias is, when one of the two is an alias.
            let at = match (&folder.at, &c.at) {
                (Some((_, Some(_))), Some((_, None)) | None) => folder.at.as_ref(),
                _ => c.at.as_ref(),
            };
            diags.push(clash(
                &c.path,
                format!("as a file for {}, and as a folder for {}", c.by, folder.by),
                at,
            ));
        }
    }
    diags
}

/// An alias on a path something else writes: a page, a file, the site's
/// own files or another alias.
fn alias_clash(alias: &Claim, first: &Claim, file: FileId, span: Range<usize>) -> Diagnostic {
    let (message, help) = match &first.at {
        Some((first_file, Some(_))) if *first_file == file => (
            format!("the alias `{}` is given twice", alias.path),
            "remove one of them".to_owned(),
        ),
        Some((first_file, None)) if *first_file == file => (
            format!("the alias `{}` is this page's own path", alias.path),
            "an alias names an old path of the page: remove this one".to_owned(),
        ),
        Some((_, Some(_))) => (
            format!("the alias `{}` is also {}", alias.path, first.by),
            "one old path can send the reader to one page only: remove it from one of them"
                .to_owned(),
        ),
        _ => (
            format!("the alias `{}` is the path of {}", alias.path, first.by),
            "an alias names an old path that no page has any more: remove it, or rename what is there now".to_owned(),
        ),
    };
    let mut d = Diagnostic::new(Rule::DuplicateId, message)
        .at(file, span)
        .label("this path is taken")
        .help(help);
    if let Some((first_file, Some(first_span))) = &first.at {
        d = d.related(*first_file, first_span.clone(), "first claimed here");
    }
    d
}
