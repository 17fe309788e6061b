//! The files every site holds besides its documents' pages and the
//! book's assets, named once: the renderer writes them, the model keeps
//! pages off their paths, the output guard knows its marker, and the
//! preview server finds its 404 page by them.

/// The home page.
pub const HOME: &str = "index.html";
/// The page a host shows for a path it does not have.
pub const NOT_FOUND: &str = "404.html";
/// Every SOP with its review dates.
pub const REVIEWS: &str = "reviews.html";
/// Written when the book has a `base-url`.
pub const SITEMAP: &str = "sitemap.xml";
/// The link graph for other tools (docs/graph-json.md).
pub const GRAPH: &str = "graph.json";
/// The navigation every page shares.
pub const NAV: &str = "nav.js";
/// The search index's entry point; its shards sit beside it in `search/`.
pub const SEARCH_META: &str = "search/meta.js";
/// Tells GitHub Pages not to run Jekyll over the site.
pub const NOJEKYLL: &str = ".nojekyll";
/// Marks a folder as a site sopbook wrote, and so may replace.
pub const MARKER: &str = ".sopbook";
/// Where the theme's static files go.
pub const THEME_DIR: &str = "_theme";

/// Paths no document's page may take.
pub const RESERVED: &[&str] = &[
    HOME,
    NOT_FOUND,
    REVIEWS,
    SITEMAP,
    GRAPH,
    NAV,
    SEARCH_META,
    NOJEKYLL,
    MARKER,
];
