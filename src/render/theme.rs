//! The theme: the default one compiled into the binary (so sopbook works
//! from any folder), with a book's `themes/<name>/templates/*` and
//! `themes/<name>/static/*` laid over it file by file.

use std::collections::BTreeMap;
use std::path::Path;

use super::Data;
use crate::failure::Failure;

macro_rules! embed {
    ($kind:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $kind, "/", $name)) as &[u8]),)*]
    };
}

const TEMPLATES: &[(&str, &[u8])] = embed!("templates": "base.html", "index.html", "process.html", "sop.html", "page.html", "reviews.html", "roles.html", "print.html", "404.html");
const STATIC: &[(&str, &[u8])] =
    embed!("static": "style.css", "sopbook.js", "search.js", "favicon.svg");

#[derive(Debug)]
pub struct Theme {
    pub tera: tera::Tera,
    /// Files copied to `_theme/` in the output.
    pub statics: BTreeMap<String, Data>,
}

/// Loads the theme `name`: the built-in default, overridden by
/// `<book>/themes/<name>/` when that folder exists.
pub fn load(book_root: &Path, name: &str) -> Result<Theme, Failure> {
    let dir = book_root.join("themes").join(name);
    if name != "default" && !dir.is_dir() {
        return Err(Failure::new(format!("theme `{name}` not found: there is no folder {}", dir.display()))
            .help("create themes/<name>/ with templates/ and static/ overrides, or remove `theme` from [build]"));
    }
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    for (file, bytes) in TEMPLATES {
        templates.insert(
            (*file).to_owned(),
            String::from_utf8_lossy(bytes).into_owned(),
        );
    }
    let mut statics: BTreeMap<String, Data> = STATIC
        .iter()
        .map(|(n, b)| ((*n).to_owned(), Data::Bytes(b.to_vec())))
        .collect();
    if dir.is_dir() {
        for (rel, path) in files_under(&dir.join("templates"))? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::io("read the template", &path, &e))?;
            templates.insert(rel, text);
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            statics.insert(rel, Data::Copy(path));
        }
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| {
            Failure::new(format!(
                "the theme's templates do not load: {}",
                error_chain(&e)
            ))
            .help(format!(
                "check the templates in {}",
                dir.join("templates").display()
            ))
        })?;
    Ok(Theme { tera, statics })
}

/// A Tera error with its causes, which carry the template name and line.
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The files of a theme folder, by '/'-separated path, walked by the same
/// rules as the content dir (hidden and editor files, links and FIFOs left
/// out: a `page.html~` backup is not a template).
fn files_under(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, Failure> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let listing = crate::load::walk(dir)?;
    let markdown = listing.markdown.into_iter().map(|f| (f.rel, f.abs));
    let assets = listing.assets.into_iter().map(|a| (a.rel, a.abs));
    let mut files: Vec<_> = markdown.chain(assets).collect();
    files.sort();
    Ok(files)
}
