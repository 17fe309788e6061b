//! One output path, one writer: a page, a folder of pages, an asset and
//! the site's own files must never claim the same path, or one would
//! overwrite the other.

use super::*;

/// Two things written to one output path (a page `guide` and an asset
/// `guide.html`, a process folder and a file) would overwrite each other.
pub(super) fn check(hb: &Handbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut claims: Vec<(String, String, Option<FileId>)> = Vec::new();
    let mut claim = |path: String, by: String, file: Option<FileId>| {
        claims.push((path, by, file));
    };
    for generated in crate::site_files::RESERVED {
        claim((*generated).to_owned(), "the site itself".to_owned(), None);
    }
    for (_, doc) in hb.own_pages() {
        claim(
            doc.url.clone(),
            format!("`{}` ({})", doc.id, doc.rel),
            Some(doc.file),
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
        }
    }
    // Keys are lowercase: names that differ only in case clash on macOS
    // and Windows.
    let mut files: HashMap<String, (&str, Option<FileId>)> = HashMap::new();
    let mut folders: HashMap<String, &str> = HashMap::new();
    let clash = |path: &str, what: String, file: Option<FileId>| {
        let mut d = Diagnostic::new(Rule::DuplicateId, format!("`{path}` would be written twice: {what}"))
            .help("rename one of them; on case-insensitive file systems names that differ only in case clash too");
        if let Some(file) = file {
            d = d.in_file(file);
        }
        d
    };
    for (path, by, file) in &claims {
        let key = path.to_lowercase();
        if let Some(&(first, first_file)) = files.get(&key) {
            // Reported in the document's file when one of the two is one.
            let d = match (file, first_file) {
                (None, Some(f)) => clash(path, format!("for {by} and for {first}"), Some(f)),
                _ => clash(path, format!("for {first} and for {by}"), *file),
            };
            diags.push(d);
            continue;
        }
        files.insert(key, (by, *file));
        let mut dir = path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            folders.entry(parent.to_lowercase()).or_insert(by);
            dir = parent;
        }
    }
    for (path, by, file) in &claims {
        if let Some(folder_by) = folders.get(&path.to_lowercase()) {
            diags.push(clash(
                path,
                format!("as a file for {by}, and as a folder for {folder_by}"),
                *file,
            ));
        }
    }
    diags
}
