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

const TEMPLATES: &[(&str, &[u8])] = embed!("templates": "base.html", "index.html", "process.html", "sop.html", "page.html", "reviews.html", "roles.html", "changes.html", "print.html", "404.html", "pagination.html");
const STATIC: &[(&str, &[u8])] =
    embed!("static": "style.css", "sopbook.js", "search.js", "favicon.svg");

/// The folder name under which every default template stays loaded.
pub(crate) const DEFAULT_PREFIX: &str = "default/";

/// The default theme's files, by their path in a theme folder
/// (`templates/base.html`, `static/style.css`): what `sopbook theme
/// export` writes out.
pub(crate) fn default_files() -> impl Iterator<Item = (String, &'static [u8])> {
    let templates = TEMPLATES
        .iter()
        .map(|(name, bytes)| (format!("templates/{name}"), *bytes));
    let statics = STATIC
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), *bytes));
    templates.chain(statics)
}

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
        let text = String::from_utf8_lossy(bytes).into_owned();
        // Also under `default/`, never replaced: an override of base.html
        // can `{% extends "default/base.html" %}` and fill its blocks
        // rather than copy it.
        templates.insert(format!("{DEFAULT_PREFIX}{file}"), text.clone());
        templates.insert((*file).to_owned(), text);
    }
    let mut statics: BTreeMap<String, Data> = STATIC
        .iter()
        .map(|(n, b)| ((*n).to_owned(), Data::Bytes(b.to_vec())))
        .collect();
    if dir.is_dir() {
        for (rel, path) in files_under(&dir.join("templates"))? {
            if rel.starts_with(DEFAULT_PREFIX) {
                return Err(Failure::new(format!(
                    "{}: the folder `default/` of a theme's templates holds the built-in templates",
                    path.display()
                ))
                .help("move the file to another folder; `{% extends \"default/base.html\" %}` already reaches the default base.html"));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::io("read the template", &path, &e))?;
            templates.insert(rel, text);
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            statics.insert(rel, Data::Copy(path));
        }
    }
    let mut tera = tera::Tera::new();
    super::tr::register(&mut tera);
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

#[cfg(test)]
mod tests {
    use super::super::views::{IconView, LinkView, PageMeta, SiteView, SopView};

    fn sop(revision: Option<&str>, last_commit: Option<&str>) -> SopView {
        SopView {
            id: "run-payroll".to_owned(),
            title: "Pay \"everyone\" <now>".to_owned(),
            owner: None,
            format: "document",
            media: None,
            process: LinkView {
                title: "Payroll".to_owned(),
                url: "index.html".to_owned(),
                draft: false,
            },
            process_owner: None,
            branch: None,
            branched: false,
            reviewed: None,
            review_due: None,
            review_overdue: false,
            review_every: None,
            steps: 0,
            body_html: String::new(),
            other_paths: Vec::new(),
            prev: None,
            next: None,
            used_by: Vec::new(),
            uses: Vec::new(),
            draft: false,
            revision: revision.map(str::to_owned),
            last_commit: last_commit.map(str::to_owned),
            last_changed: None,
            history: Vec::new(),
            history_more: 0,
            changes: None,
        }
    }

    /// The `<article>` of sop.html rendered with `view`.
    fn article(view: &SopView) -> String {
        let theme = super::load(std::path::Path::new("/nonexistent"), "default")
            .expect("the default theme loads");
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", crate::i18n::Strings::default().tera_value());
        ctx.insert(
            "site",
            &SiteView {
                title: "Book".to_owned(),
                description: None,
                language: "en".to_owned(),
                root: "../".to_owned(),
                home: "../index.html".to_owned(),
                theme: "../_theme/".to_owned(),
                generator: "sopbook",
                search: false,
                extra: Default::default(),
                extra_css: Vec::new(),
                extra_js: Vec::new(),
                favicon: IconView {
                    url: "../_theme/favicon.svg".to_owned(),
                    mime: "image/svg+xml",
                },
                logo: None,
            },
        );
        ctx.insert(
            "page",
            &PageMeta {
                kind: "sop",
                url: "payroll/run-payroll.html".to_owned(),
                title: view.title.clone(),
                description: None,
                canonical: None,
                edit_url: None,
                breadcrumbs: Vec::new(),
                status: None,
                control: None,
                extra: Default::default(),
                contents: Vec::new(),
                nav: None,
            },
        );
        ctx.insert("view", view);
        let html = theme
            .tera
            .render("sop.html", &ctx)
            .expect("sop.html renders");
        let start = html.find("<article").expect("an <article>");
        let end = start + html[start..].find('>').expect("the tag ends");
        html[start..=end].to_owned()
    }

    /// The run record reads the SOP's id, title, revision and last commit
    /// from the page; revision and commit only when the view has them.
    #[test]
    fn sop_page_carries_what_a_run_record_needs() {
        assert_eq!(
            article(&sop(None, None)),
            r#"<article class="sop" data-sop-id="run-payroll" data-title="Pay &quot;everyone&quot; &lt;now&gt;">"#
        );
        assert_eq!(
            article(&sop(Some("B"), Some("1a2b3c4"))),
            r#"<article class="sop" data-sop-id="run-payroll" data-title="Pay &quot;everyone&quot; &lt;now&gt;" data-revision="B" data-commit="1a2b3c4">"#
        );
    }
}
