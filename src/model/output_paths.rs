//! One output path, one writer: a page, a folder of pages, an asset, an
//! alias and the site's own files must never claim the same path, or one
//! would overwrite the other.

use std::borrow::Cow;
use std::ops::Range;

use super::*;

/// A path the site writes, and what writes it.
#[derive(Debug)]
pub(super) struct Claim<'a> {
    pub path: Cow<'a, str>,
    /// Names the writer in messages; written out only for a clash.
    pub by: By<'a>,
    /// The file of the document that writes it, and the place in it (an
    /// alias) where a clash is reported.
    pub at: Option<(FileId, Option<Range<usize>>)>,
}

/// What writes a path: "`run-payroll` (payroll/run.md)".
#[derive(Debug, Clone, Copy)]
pub(super) enum By<'a> {
    Site,
    Page(&'a Doc),
    Asset(&'a str),
    Print(&'a Doc),
    Nav(&'a Doc),
    Alias(&'a Doc),
}

impl std::fmt::Display for By<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            By::Site => f.write_str("a file the site writes itself"),
            By::Page(doc) => write!(f, "`{}` ({})", doc.id, doc.rel),
            By::Asset(rel) => write!(f, "the file {rel}"),
            By::Print(doc) => write!(f, "the printable version of `{}`", doc.id),
            By::Nav(doc) => write!(f, "the navigation of `{}`", doc.id),
            By::Alias(doc) => write!(f, "an alias of `{}` ({})", doc.id, doc.rel),
        }
    }
}

/// `path` in lowercase, copied only when it has capitals: paths are
/// compared without case, as macOS and Windows name files.
pub(super) fn lowercase(path: &str) -> Cow<'_, str> {
    if path
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        Cow::Owned(path.to_lowercase())
    } else {
        Cow::Borrowed(path)
    }
}

/// Every path the site writes but the redirects from the history (which
/// take only what is left, [`redirects::add_moved`]): the site's own
/// files, the pages, the assets, the printable versions, then the
/// aliases, so that an alias is always the second claim of a path it
/// shares.
pub(super) fn claims(hb: &Handbook) -> Vec<Claim<'_>> {
    let mut claims: Vec<Claim<'_>> = Vec::with_capacity(hb.docs.len() + hb.assets.len() + 64);
    let mut claim = |path: Cow<'static, str>, by| {
        claims.push(Claim { path, by, at: None });
    };
    for generated in crate::site_files::RESERVED {
        claim(Cow::Borrowed(generated), By::Site);
    }
    // The pages the reviews and the roles run on to.
    let review_pages = crate::site_files::page_count(
        hb.placed_sops().count(),
        crate::site_files::REVIEWS_PER_PAGE,
    );
    for n in 2..=review_pages {
        claim(
            Cow::Owned(crate::site_files::list_page(crate::site_files::REVIEWS, n)),
            By::Site,
        );
    }
    let role_pages =
        crate::site_files::page_count(hb.role_rows(), crate::site_files::ROLES_PER_PAGE);
    for n in 2..=role_pages {
        claim(
            Cow::Owned(crate::site_files::list_page(crate::site_files::ROLES, n)),
            By::Site,
        );
    }
    for (_, doc) in hb.own_pages() {
        claims.push(Claim {
            path: Cow::Borrowed(&doc.url),
            by: By::Page(doc),
            at: Some((doc.file, None)),
        });
    }
    for rel in hb.assets.keys() {
        claims.push(Claim {
            path: Cow::Borrowed(rel),
            by: By::Asset(rel),
            at: None,
        });
    }
    for (_, doc) in hb.own_pages() {
        if let Kind::Process(_) = doc.kind {
            for (path, by) in [
                (crate::site_files::print_page(&doc.id), By::Print(doc)),
                (crate::site_files::process_nav(&doc.id), By::Nav(doc)),
            ] {
                claims.push(Claim {
                    path: Cow::Owned(path),
                    by,
                    at: None,
                });
            }
        }
    }
    for r in &hb.redirects {
        if let How::Alias(span) = &r.how {
            let doc = hb.doc(r.to);
            claims.push(Claim {
                path: Cow::Borrowed(&r.from),
                by: By::Alias(doc),
                at: Some((doc.file, Some(span.clone()))),
            });
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
    let mut files: HashMap<Cow<'_, str>, &Claim<'_>> = HashMap::with_capacity(claims.len());
    let mut folders: HashMap<Cow<'_, str>, &Claim<'_>> = HashMap::new();
    // The claims that took their path: a second claim was reported.
    let mut kept: Vec<(Cow<'_, str>, &Claim<'_>)> = Vec::with_capacity(claims.len());
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
        let key = lowercase(&c.path);
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
        files.insert(key.clone(), c);
        let mut dir = c.path.as_ref();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            folders.entry(lowercase(parent)).or_insert(c);
            dir = parent;
        }
        kept.push((key, c));
    }
    for (key, c) in kept {
        if let Some(folder) = folders.get(&key) {
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
fn alias_clash(
    alias: &Claim<'_>,
    first: &Claim<'_>,
    file: FileId,
    span: Range<usize>,
) -> Diagnostic {
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
