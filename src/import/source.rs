//! The files of a source: its Markdown pages, read with their front
//! matter, and the assets beside them.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::data::{self, Table};
use super::detect::{Flavor, Site};

#[derive(Debug)]
pub(super) struct Page {
    /// Relative to the content folder, `/`-separated.
    pub rel: String,
    pub text: String,
    pub fm: Table,
    /// Why the front matter could not be read; the page keeps its text.
    pub fm_error: Option<String>,
    pub body_start: usize,
}

impl Page {
    pub(super) fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The file name without its Markdown extensions (`setup.html.md.erb`
    /// → `setup`).
    pub(super) fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        strip_markdown_ext(name).unwrap_or(name)
    }

    /// The folder the page is in, `""` at the top.
    pub(super) fn dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..i])
    }

    /// `index.md`, `_index.md`, `README.md`: the page of its folder.
    pub(super) fn is_index(&self) -> bool {
        matches!(
            self.stem().to_ascii_lowercase().as_str(),
            "index" | "_index" | "readme"
        )
    }

    /// `guide/guide.md`: named for its folder, which Docusaurus and many
    /// Eleventy sites serve as the folder's page.
    pub(super) fn is_folder_page(&self) -> bool {
        let dir = self.dir();
        !dir.is_empty() && dir.rsplit('/').next() == Some(self.stem())
    }

    /// The sort weight the source gave it.
    pub(super) fn weight(&self) -> Option<i64> {
        [
            "weight",
            "nav_order",
            "sidebar_position",
            "order",
            "position",
        ]
        .iter()
        .find_map(|k| data::int(&self.fm, &[k]))
        .or_else(|| data::int(&self.fm, &["eleventyNavigation", "order"]))
    }

    pub(super) fn title(&self) -> Option<String> {
        data::string(&self.fm, &["title"])
    }
}

/// `01-intro` → `intro` (Docusaurus and many folders order files so).
pub(super) fn strip_number_prefix(name: &str) -> &str {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0
        && let Some(rest) = name[digits..].strip_prefix(['-', '_', '.', ' '])
        && !rest.is_empty()
    {
        return rest;
    }
    name
}

/// Markdown extensions, longest first: what is left is the page's name.
const MARKDOWN_EXTS: &[&str] = &[
    ".html.md.erb",
    ".html.markdown",
    ".html.md",
    ".md.erb",
    ".markdown",
    ".mdown",
    ".mkdn",
    ".mkd",
    ".mdx",
    ".md",
];

pub(super) fn strip_markdown_ext(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    MARKDOWN_EXTS
        .iter()
        .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len())
        .map(|ext| &name[..name.len() - ext.len()])
}

/// Extensions of files copied as assets without being linked: documents
/// and media. Anything else (templates, scripts, styles, config) is copied
/// only when a page links to it.
const ASSET_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff", "pdf", "doc",
    "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "csv", "tsv", "txt", "zip",
    "mp4", "webm", "mov", "m4v", "mp3", "wav", "ogg", "oga", "ogv", "vtt", "drawio", "epub", "key",
    "numbers", "pages",
];

/// Folders no tool builds pages from.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "vendor",
    "_site",
    "_includes",
    "_layouts",
    "_sass",
    "_data",
    "_plugins",
    "_drafts",
];

/// Folders a tool writes its output to, skipped when the pages are at the
/// top of the source.
const OUTPUT_DIRS: &[&str] = &["site", "book", "public", "build", "dist", "resources"];

#[derive(Debug, Default)]
pub(super) struct Found {
    pub pages: Vec<Page>,
    /// Assets under the content folder and the static folders: (file,
    /// where it goes under the new content folder).
    pub assets: Vec<(PathBuf, String)>,
    /// Files that look like pages but are not Markdown: (path under SRC,
    /// why).
    pub skipped: Vec<(String, String)>,
}

/// A tiny glob: `*` matches any run of characters but `/`.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i) && !rest[..i].contains('/'))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

fn excluded(site: &Site, src_rel: &str) -> bool {
    site.excluded.iter().any(|pattern| {
        src_rel == pattern
            || src_rel.starts_with(&format!("{pattern}/"))
            || glob(pattern, src_rel)
            || glob(pattern, src_rel.rsplit('/').next().unwrap_or(src_rel))
    })
}

/// Reads every page and lists the assets. `progress` is called as pages
/// are read.
pub(super) fn gather(site: &Site, progress: &dyn Fn(usize)) -> Found {
    let mut found = Found::default();
    let at_top = site.content == site.src;
    let walk = WalkDir::new(&site.content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') {
                return false;
            }
            if e.file_type().is_dir() {
                if SKIPPED_DIRS.contains(&name.as_ref()) {
                    return false;
                }
                if at_top && e.depth() == 1 && OUTPUT_DIRS.contains(&name.as_ref()) {
                    return false;
                }
            }
            true
        });
    for entry in walk.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Some(rel) = crate::paths::rel_under(&site.content, path) else {
            continue;
        };
        let src_rel = crate::paths::rel_under(&site.src, path).unwrap_or_else(|| rel.clone());
        if excluded(site, &src_rel) || site.not_pages.contains(&rel) {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        // Docusaurus partials (`_note.mdx`) are parts of pages, not pages.
        if site.flavor == Flavor::Docusaurus && name.starts_with('_') {
            continue;
        }
        if strip_markdown_ext(name).is_some() {
            match std::fs::read(path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let text = text
                        .strip_prefix('\u{feff}')
                        .unwrap_or(&text)
                        .replace("\r\n", "\n");
                    let (fm, body_start, fm_error) = data::front_matter(&text);
                    found.pages.push(Page {
                        rel,
                        text,
                        fm,
                        fm_error,
                        body_start,
                    });
                    progress(found.pages.len());
                }
                Err(e) => found.skipped.push((
                    src_rel,
                    format!("cannot be read: {}", crate::failure::plain_io(&e)),
                )),
            }
            continue;
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let ext = ext.as_deref().unwrap_or("");
        if matches!(
            ext,
            "html" | "htm" | "erb" | "haml" | "slim" | "njk" | "liquid"
        ) && !at_top_ignored(site, &rel)
        {
            found.skipped.push((
                src_rel,
                "a page written in HTML or a template, not Markdown".into(),
            ));
            continue;
        }
        if ASSET_EXTS.contains(&ext)
            && !(site.flavor == Flavor::Docusaurus && name.starts_with("_category_"))
        {
            found.assets.push((path.to_path_buf(), rel));
        }
    }
    for dir in &site.statics {
        for entry in WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file()
                && let Some(rel) = crate::paths::rel_under(dir, entry.path())
                && !rel.split('/').any(|c| c.starts_with('.'))
            {
                found.assets.push((entry.path().to_path_buf(), rel));
            }
        }
    }
    found
}

/// HTML files at the top of a Jekyll or plain source that are the site's
/// frame (`404.html`, `feed.xml`…), not pages someone wrote.
fn at_top_ignored(site: &Site, rel: &str) -> bool {
    !rel.contains('/') && matches!(rel, "404.html" | "index.html" | "search.html" | "feed.xml")
        || site.flavor == Flavor::Hugo
}

/// Reads a file inside `root` only: `None` for a path that leaves it.
pub(super) fn read_inside(root: &Path, path: &Path) -> Option<String> {
    let real = std::fs::canonicalize(path).ok()?;
    if !real.starts_with(root) {
        return None;
    }
    std::fs::read_to_string(real).ok()
}

/// Hugo pages the site never renders (`build.render: never` or `headless:
/// true` in a section's or bundle's index, and everything below it): the
/// snippets other pages include. They are not imported as pages; the
/// pages that include them get their text.
pub(super) fn drop_unrendered(site: &Site, found: &mut Found) {
    if site.flavor != Flavor::Hugo {
        return;
    }
    let never = |p: &Page| {
        let render = data::string(&p.fm, &["build", "render"])
            .or_else(|| data::string(&p.fm, &["_build", "render"]))
            .or_else(|| data::boolean(&p.fm, &["_build", "render"]).map(|b| b.to_string()));
        matches!(render.as_deref(), Some("never" | "false"))
            || data::boolean(&p.fm, &["headless"]) == Some(true)
    };
    let dirs: Vec<String> = found
        .pages
        .iter()
        .filter(|p| p.is_index() && never(p))
        .map(|p| p.dir().to_owned())
        .collect();
    if dirs.is_empty() {
        return;
    }
    let below = |rel: &str| {
        dirs.iter()
            .any(|d| d.is_empty() || rel.starts_with(&format!("{d}/")))
    };
    let content = crate::paths::rel_under(&site.src, &site.content).unwrap_or_default();
    let (dropped, kept): (Vec<Page>, Vec<Page>) = std::mem::take(&mut found.pages)
        .into_iter()
        .partition(|p| below(&p.rel));
    found.pages = kept;
    for p in dropped {
        let at = if content.is_empty() {
            p.rel.clone()
        } else {
            format!("{content}/{}", p.rel)
        };
        found
            .skipped
            .push((at, "Hugo never renders it (`build.render: never` or `headless`): only its text where pages include it".into()));
    }
}
