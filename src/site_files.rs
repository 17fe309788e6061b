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
/// The navigation every page shares: the processes, not their SOPs.
pub const NAV: &str = "nav.js";
/// Where each process's part of the navigation goes (its branches and
/// SOPs), loaded when the process is open in the sidebar.
const NAV_DIR: &str = "nav/";

/// The path of `process`'s part of the navigation: `nav/submit-payroll.js`.
pub(crate) fn process_nav(process: &str) -> String {
    format!("{NAV_DIR}{process}.js")
}

/// The process id of a path [`process_nav`] makes.
pub(crate) fn process_of_nav(path: &str) -> Option<&str> {
    path.strip_prefix(NAV_DIR)?.strip_suffix(".js")
}

/// Rows on one page of the reviews: the whole list at 10,000 SOPs is
/// 2.6 MB of HTML, too much for one page on a phone.
pub(crate) const REVIEWS_PER_PAGE: usize = 500;
/// Lines (a document under a role) on one page of the roles: a line is a
/// link, about half a reviews row.
pub(crate) const ROLES_PER_PAGE: usize = 1000;

/// How many pages a list of `rows` takes, `per_page` to a page (one at
/// least: an empty list says so on its page).
pub(crate) fn page_count(rows: usize, per_page: usize) -> usize {
    rows.div_ceil(per_page.max(1)).max(1)
}

/// Page `n` (from 1) of a list that takes several pages: the list's own
/// path first (`reviews.html`), then `reviews/2.html`, `reviews/3.html`…
pub(crate) fn list_page(first: &str, n: usize) -> String {
    match (n, first.strip_suffix(".html")) {
        (0 | 1, _) | (_, None) => first.to_owned(),
        (n, Some(stem)) => format!("{stem}/{n}.html"),
    }
}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_long_list() {
        assert_eq!(page_count(0, 500), 1);
        assert_eq!(page_count(500, 500), 1);
        assert_eq!(page_count(501, 500), 2);
        assert_eq!(list_page(REVIEWS, 1), "reviews.html");
        assert_eq!(list_page(REVIEWS, 2), "reviews/2.html");
        assert_eq!(list_page(ROLES, 3), "roles/3.html");
        assert_eq!(process_nav("a b"), "nav/a b.js");
        assert_eq!(process_of_nav("nav/a b.js"), Some("a b"));
        assert_eq!(process_of_nav("nav.js"), None);
        // `nav` and `reviews` are reserved: no page or process folder
        // takes the folders these files go to.
        assert!(reserved_names().contains(&"nav"));
        assert!(reserved_names().contains(&"reviews"));
        assert!(reserved_names().contains(&"roles"));
    }
}
