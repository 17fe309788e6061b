//! The files every site holds besides its documents' pages and the
//! book's assets, named once: the renderer writes them, the model keeps
//! pages off their paths, the output guard knows its marker, and the
//! preview server finds its 404 page by them.

/// The home page.
pub(crate) const HOME: &str = "index.html";
/// The page a host shows for a path it does not have.
pub(crate) const NOT_FOUND: &str = "404.html";
/// Every SOP with its review dates.
pub(crate) const REVIEWS: &str = "reviews.html";
/// A process's printable version, in its folder: the process and every
/// current SOP of it (`submit-payroll/print.html`).
pub(crate) const PRINT: &str = "print.html";

/// The path of `process`'s printable version.
pub(crate) fn print_page(process: &str) -> String {
    format!("{process}/{PRINT}")
}

/// The book's recent changes from git, and their Atom feed (with a
/// `base-url`).
pub(crate) const CHANGES: &str = "changes.html";
pub(crate) const CHANGES_FEED: &str = "changes.xml";

/// Every role and the SOPs that name it.
pub(crate) const ROLES: &str = "roles.html";
/// Written when the book has a `base-url`.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// The link graph for other tools (docs/graph-json.md).
pub const GRAPH: &str = "graph.json";
/// The navigation every page shares.
pub const NAV: &str = "nav.js";
/// The search index's entry point; its shards sit beside it in `search/`.
pub(crate) const SEARCH_META: &str = "search/meta.js";
/// Tells GitHub Pages not to run Jekyll over the site.
pub(crate) const NOJEKYLL: &str = ".nojekyll";
/// Marks a folder as a site sopbook wrote, and so may replace.
pub(crate) const MARKER: &str = ".sopbook";
/// Where the theme's static files go.
pub(crate) const THEME_DIR: &str = "_theme";

/// The names a top-level page may not take (`reviews` for `reviews.html`,
/// `search` for the `search/` folder): every [`RESERVED`] path and the
/// theme's folder, without extension.
pub(crate) fn reserved_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = RESERVED
        .iter()
        .chain(&[THEME_DIR])
        .map(|path| {
            let first = path.split('/').next().unwrap_or(path);
            first.rsplit_once('.').map_or(first, |(name, _)| name)
        })
        .filter(|name| !name.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Paths no document's page may take.
pub(crate) const RESERVED: &[&str] = &[
    HOME,
    NOT_FOUND,
    REVIEWS,
    ROLES,
    CHANGES,
    CHANGES_FEED,
    SITEMAP,
    GRAPH,
    NAV,
    SEARCH_META,
    NOJEKYLL,
    MARKER,
];
