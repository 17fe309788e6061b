//! Which tool a source folder was written for, from its files, and what
//! that tool's configuration says about where the pages are, how their
//! URLs look and in what order they come.

use std::fs;
use std::path::{Path, PathBuf};

use super::data::{self, Table};
use crate::parse::front_matter::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    MdBook,
    MkDocs,
    Docusaurus,
    Hugo,
    Jekyll,
    Eleventy,
    Middleman,
    Wiki,
    Plain,
}

impl Flavor {
    pub(super) fn name(self) -> &'static str {
        match self {
            Flavor::MdBook => "mdBook",
            Flavor::MkDocs => "MkDocs",
            Flavor::Docusaurus => "Docusaurus",
            Flavor::Hugo => "Hugo",
            Flavor::Jekyll => "Jekyll",
            Flavor::Eleventy => "Eleventy",
            Flavor::Middleman => "Middleman",
            Flavor::Wiki => "GitHub wiki",
            Flavor::Plain => "plain Markdown",
        }
    }
}

/// What the source's configuration says.
#[derive(Debug)]
pub(super) struct Site {
    pub flavor: Flavor,
    /// SRC, absolute.
    pub src: PathBuf,
    /// The folder the pages are in (`src/`, `docs/`, `content/`…).
    pub content: PathBuf,
    /// Folders the tool serves at the site's root (Hugo's and
    /// Docusaurus's `static/`).
    pub statics: Vec<PathBuf>,
    /// URL paths the site is served under (`/handbook`, Docusaurus's
    /// `/docs`): a root-relative link is read without them.
    pub prefixes: Vec<String>,
    /// Absolute URLs of the site itself: a link to one is internal.
    pub hosts: Vec<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    /// Paths under SRC the tool leaves out (Jekyll's `exclude`,
    /// `.eleventyignore`), as written there.
    pub excluded: Vec<String>,
    /// Files whose path names a page the tool builds nothing from
    /// (`SUMMARY.md`, `_Sidebar.md`…), relative to the content folder.
    pub not_pages: Vec<String>,
    /// Pages are served at folder URLs (`x/`) rather than `x.html`.
    pub pretty: bool,
    /// The tool's own navigation file, relative to SRC: mdBook's
    /// `SUMMARY.md`, the wiki's `_Sidebar.md`.
    pub nav_file: Option<PathBuf>,
    /// MkDocs' `nav`, Docusaurus's sidebars file, as read.
    pub nav_table: Option<Table>,
    pub sidebars: Option<String>,
    /// Old site paths the tool redirects to new ones (tech-docs'
    /// `redirects:`): a link to an old path reaches the new page.
    pub redirects: Vec<(String, String)>,
    /// just-the-docs' callouts (`callouts:` in `_config.yml`): (class,
    /// title).
    pub callouts: Vec<(String, Option<String>)>,
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn first_existing(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

fn syntax_of(path: &Path) -> Syntax {
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => Syntax::Toml,
        _ => Syntax::Yaml,
    }
}

/// The URL path of an absolute or root-relative URL, without its trailing
/// `/`: `https://x.gov/handbook/` → `/handbook`.
fn url_path(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("", |j| &after[j..])
        }
        None => url,
    };
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.starts_with('/') {
        rest.to_owned()
    } else {
        format!("/{rest}")
    }
}

impl Site {
    fn new(flavor: Flavor, src: &Path, content: PathBuf) -> Site {
        Site {
            flavor,
            src: src.to_path_buf(),
            content,
            statics: Vec::new(),
            prefixes: Vec::new(),
            hosts: Vec::new(),
            title: None,
            description: None,
            language: None,
            excluded: Vec::new(),
            not_pages: Vec::new(),
            pretty: true,
            nav_file: None,
            nav_table: None,
            sidebars: None,
            redirects: Vec::new(),
            callouts: Vec::new(),
        }
    }

    /// `url` (`https://x.gov/handbook/`) is this site: links to it are
    /// internal, and its path is a prefix of the site's URLs.
    fn served_at(&mut self, url: &str) {
        let url = url.trim();
        if url.is_empty() {
            return;
        }
        if url.contains("://") {
            self.hosts.push(url.trim_end_matches('/').to_owned());
        }
        let path = url_path(url);
        if !path.is_empty() && !self.prefixes.contains(&path) {
            self.prefixes.push(path);
        }
    }
}

/// Detects the tool `src` (absolute) was written for.
pub(super) fn detect(src: &Path) -> Site {
    if let Some(site) = mdbook(src) {
        return site;
    }
    if let Some(config) = first_existing(src, &["mkdocs.yml", "mkdocs.yaml"]) {
        return mkdocs(src, &config);
    }
    if let Some(config) = first_existing(
        src,
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
            "docusaurus.config.cjs",
        ],
    ) {
        return docusaurus(src, &config);
    }
    if let Some(site) = hugo(src) {
        return site;
    }
    if src.join("config.rb").is_file() && src.join("source").is_dir() {
        return middleman(src);
    }
    if let Some(site) = eleventy(src) {
        return site;
    }
    if let Some(config) = first_existing(src, &["_config.yml", "_config.yaml", "_config.toml"]) {
        return jekyll(src, &config);
    }
    if src.join("_Sidebar.md").is_file() || src.join("Home.md").is_file() {
        let mut site = Site::new(Flavor::Wiki, src, src.to_path_buf());
        site.pretty = false;
        site.not_pages = vec![
            "_Sidebar.md".into(),
            "_Footer.md".into(),
            "_Header.md".into(),
        ];
        site.nav_file = src
            .join("_Sidebar.md")
            .is_file()
            .then(|| "_Sidebar.md".into());
        return site;
    }
    let mut site = Site::new(Flavor::Plain, src, src.to_path_buf());
    site.pretty = false;
    site
}

fn mdbook(src: &Path) -> Option<Site> {
    let config = data::parse_file(&read(&src.join("book.toml"))?, Syntax::Toml)?;
    let dir = data::string(&config, &["book", "src"]).unwrap_or_else(|| "src".into());
    let content = src.join(&dir);
    if !content.join("SUMMARY.md").is_file() {
        return None;
    }
    let mut site = Site::new(Flavor::MdBook, src, content);
    site.pretty = false;
    site.title = data::string(&config, &["book", "title"]);
    site.description = data::string(&config, &["book", "description"]);
    site.language = data::string(&config, &["book", "language"]);
    if let Some(url) = data::string(&config, &["output", "html", "site-url"]) {
        site.served_at(&url);
    }
    site.not_pages = vec!["SUMMARY.md".into()];
    site.nav_file = Some(PathBuf::from(dir).join("SUMMARY.md"));
    Some(site)
}

fn mkdocs(src: &Path, config_path: &Path) -> Site {
    let config = read(config_path)
        .and_then(|t| data::parse_file(&t, Syntax::Yaml))
        .unwrap_or_default();
    let dir = data::string(&config, &["docs_dir"]).unwrap_or_else(|| "docs".into());
    let mut site = Site::new(Flavor::MkDocs, src, src.join(dir));
    site.title = data::string(&config, &["site_name"]);
    site.description = data::string(&config, &["site_description"]);
    site.language = data::string(&config, &["theme", "language"]);
    site.pretty = data::boolean(&config, &["use_directory_urls"]).unwrap_or(true);
    if let Some(url) = data::string(&config, &["site_url"]) {
        site.served_at(&url);
    }
    site.nav_table = Some(config);
    site
}

/// A string literal's value after `key:` in JavaScript (`url: 'https://…'`).
fn js_string(js: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = js[from..].find(key) {
        let at = from + i;
        from = at + key.len();
        let before = js[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = js[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if !matches!(quote, '"' | '\'' | '`') {
            continue;
        }
        let end = rest[1..].find(quote)?;
        return Some(rest[1..1 + end].to_owned());
    }
    None
}

fn docusaurus(src: &Path, config_path: &Path) -> Site {
    let js = read(config_path).unwrap_or_default();
    let mut site = Site::new(Flavor::Docusaurus, src, src.join("docs"));
    // Docusaurus serves `/docs/intro` (no trailing slash) unless told.
    site.pretty = js.contains("trailingSlash: true");
    site.title = js_string(&js, "title");
    site.description = js_string(&js, "tagline");
    site.language = js_string(&js, "defaultLocale");
    let base = js_string(&js, "baseUrl").unwrap_or_default();
    if let Some(url) = js_string(&js, "url") {
        site.served_at(&format!("{}{}", url.trim_end_matches('/'), base));
    } else {
        site.served_at(&base);
    }
    let route = js_string(&js, "routeBasePath").unwrap_or_else(|| "docs".into());
    let route = route.trim_matches('/');
    let base = url_path(&base);
    if let Some(path) = js_string(&js, "path") {
        let dir = src.join(path.trim_start_matches("./"));
        if dir.is_dir() {
            site.content = dir;
        }
    }
    if !route.is_empty() {
        site.prefixes.insert(0, format!("{base}/{route}"));
        site.prefixes.push(format!("/{route}"));
    }
    site.statics = vec![src.join("static")];
    site.sidebars = first_existing(
        src,
        &[
            "sidebars.js",
            "sidebars.ts",
            "sidebars.json",
            "sidebars.mjs",
            "sidebars.cjs",
        ],
    )
    .and_then(|p| read(&p));
    site
}

fn hugo(src: &Path) -> Option<Site> {
    let config = first_existing(
        src,
        &[
            "hugo.toml",
            "hugo.yaml",
            "hugo.yml",
            "hugo.json",
            "config.toml",
            "config.yaml",
            "config.yml",
            "config.json",
            "config/_default/hugo.toml",
            "config/_default/config.toml",
            "config/_default/hugo.yaml",
            "config/_default/config.yaml",
        ],
    );
    let table = config
        .as_ref()
        .and_then(|p| data::parse_file(&read(p)?, syntax_of(p)))
        .unwrap_or_default();
    let content_dir = data::string(&table, &["contentDir"]).unwrap_or_else(|| "content".into());
    let mut content = src.join(&content_dir);
    // Module mounts: `content/en` mounted as `content` (multilingual
    // sites); the default language's, or the last one mounted, is taken.
    if let Some(crate::spanned::Value::Array(mounts)) =
        data::node(&table, &["module", "mounts"]).map(|n| &n.value)
    {
        let sources: Vec<String> = mounts
            .iter()
            .filter_map(|m| match &m.value {
                crate::spanned::Value::Table(t)
                    if data::string(t, &["target"]).as_deref() == Some("content") =>
                {
                    data::string(t, &["source"])
                }
                _ => None,
            })
            .collect();
        let lang = data::string(&table, &["defaultContentLanguage"]).unwrap_or_else(|| "en".into());
        let pick = sources
            .iter()
            .find(|s| s.rsplit('/').next() == Some(lang.as_str()))
            .or(sources.last());
        if let Some(dir) = pick.map(|s| src.join(s)).filter(|d| d.is_dir()) {
            content = dir;
        }
    }
    let hugo_marks = ["archetypes", "layouts", "themes"]
        .iter()
        .any(|d| src.join(d).is_dir());
    if !content.is_dir() || (config.is_none() && !hugo_marks) {
        return None;
    }
    let mut site = Site::new(Flavor::Hugo, src, content);
    site.title = data::string(&table, &["title"]);
    site.description = data::string(&table, &["params", "description"]);
    site.language = data::string(&table, &["languageCode"])
        .or_else(|| data::string(&table, &["defaultContentLanguage"]));
    if let Some(url) =
        data::string(&table, &["baseURL"]).or_else(|| data::string(&table, &["baseurl"]))
    {
        site.served_at(&url);
    }
    site.pretty = !data::boolean(&table, &["uglyURLs"]).unwrap_or(false);
    let static_dir = data::string(&table, &["staticDir"]).unwrap_or_else(|| "static".into());
    site.statics = vec![src.join(static_dir)];
    Some(site)
}

fn middleman(src: &Path) -> Site {
    let mut site = Site::new(Flavor::Middleman, src, src.join("source"));
    // tech-docs-gem books keep their title and host in config/tech-docs.yml.
    if let Some(config) =
        read(&src.join("config/tech-docs.yml")).and_then(|t| data::parse_file(&t, Syntax::Yaml))
    {
        site.title = data::string(&config, &["service_name"])
            .or_else(|| data::string(&config, &["full_service_name"]));
        if let Some(url) = data::string(&config, &["host"]) {
            site.served_at(&url);
        }
        if let Some(crate::spanned::Value::Table(entries)) =
            data::node(&config, &["redirects"]).map(|n| &n.value)
        {
            for e in entries {
                if let crate::spanned::Value::Str(to) = &e.node.value {
                    site.redirects.push((e.key.clone(), to.clone()));
                }
            }
        }
    }
    let rb = read(&src.join("config.rb")).unwrap_or_default();
    site.pretty = rb.contains("directory_indexes");
    site
}

fn eleventy(src: &Path) -> Option<Site> {
    let config = first_existing(
        src,
        &[
            ".eleventy.js",
            "eleventy.config.js",
            "eleventy.config.mjs",
            "eleventy.config.cjs",
            "eleventy.config.ts",
        ],
    );
    let uses_eleventy = config.is_some()
        || read(&src.join("package.json")).is_some_and(|p| p.contains("@11ty/eleventy"));
    if !uses_eleventy {
        return None;
    }
    let js = config.as_ref().and_then(|p| read(p)).unwrap_or_default();
    let input = js_string(&js, "input").unwrap_or_else(|| ".".into());
    let mut site = Site::new(
        Flavor::Eleventy,
        src,
        src.join(input.trim_start_matches("./")),
    );
    if !site.content.is_dir() {
        site.content = src.to_path_buf();
    }
    if let Some(prefix) = js_string(&js, "pathPrefix") {
        site.served_at(&prefix);
    }
    if let Some(ignore) = read(&src.join(".eleventyignore")) {
        site.excluded = ignore
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches("./")
                    .trim_end_matches('/')
                    .to_owned()
            })
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
    }
    // Most Eleventy sites read site-wide data from _data/site.(json|yaml).
    for name in [
        "_data/site.json",
        "_data/site.yaml",
        "_data/site.yml",
        "_data/metadata.json",
    ] {
        let path = site.content.join(name);
        if let Some(table) = read(&path).and_then(|t| data::parse_file(&t, Syntax::Yaml)) {
            site.title = site.title.or_else(|| data::string(&table, &["title"]));
            site.description = site
                .description
                .or_else(|| data::string(&table, &["description"]));
            if let Some(url) = data::string(&table, &["url"]) {
                site.served_at(&url);
            }
        }
    }
    Some(site)
}

fn jekyll(src: &Path, config_path: &Path) -> Site {
    let config = read(config_path)
        .and_then(|t| data::parse_file(&t, syntax_of(config_path)))
        .unwrap_or_default();
    let content =
        data::string(&config, &["source"]).map_or_else(|| src.to_path_buf(), |s| src.join(s));
    let mut site = Site::new(Flavor::Jekyll, src, content);
    site.title = data::string(&config, &["title"]);
    site.description = data::string(&config, &["description"]);
    site.language = data::string(&config, &["lang"]);
    let base = data::string(&config, &["baseurl"]).unwrap_or_default();
    match data::string(&config, &["url"]) {
        Some(url) => site.served_at(&format!("{}{}", url.trim_end_matches('/'), base)),
        None => site.served_at(&base),
    }
    site.pretty =
        data::string(&config, &["permalink"]).is_some_and(|p| p == "pretty" || p.ends_with('/'));
    if let Some(crate::spanned::Value::Table(entries)) =
        data::node(&config, &["callouts"]).map(|n| &n.value)
    {
        for e in entries {
            let title = match &e.node.value {
                crate::spanned::Value::Table(t) => data::string(t, &["title"]),
                _ => None,
            };
            site.callouts.push((e.key.clone(), title));
        }
    }
    site.excluded = data::strings(&config, &["exclude"])
        .into_iter()
        .map(|l| l.trim_start_matches("./").trim_end_matches('/').to_owned())
        .collect();
    site
}
