//! Handbook → site: builds the views for every page, renders them through
//! the theme's templates (in parallel), and adds the theme's files, the
//! content's assets, `404.html`, `.nojekyll` and `sitemap.xml`.

pub(crate) mod body;
pub(crate) mod branch_map;
mod feed;
pub(crate) mod graph_json;
pub(crate) mod nav;
mod page_views;
mod redirect;
#[cfg(feature = "sanitize")]
pub(crate) mod sanitize;
pub(crate) mod search;
mod sitemap;
pub(crate) mod theme;
mod tr;
pub(crate) mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::config::brand::BookFile;
use crate::failure::Failure;
use crate::html::encode_url_part;
use crate::model::{
    AnchorKind, DocId, FileRef, Handbook, Kind, Sop, Status, Target, Tool, branch_anchor, graph,
};
pub use theme::Theme;
use views::*;

pub(crate) use crate::site_files::THEME_DIR;
use crate::site_files::{
    CHANGES, CHANGES_FEED, GRAPH, HOME, NAV, NOJEKYLL, NOT_FOUND, REVIEWS, ROLES, SITEMAP,
};

/// A file of the site: made in memory, or copied from the book as it is
/// (assets can be large: they are never read into memory).
#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
}

/// Every file of the site and what makes it, decided once: `build` writes
/// it ([`write`]), `serve` answers from it, the fuzz target and the benches
/// walk it.
#[derive(Debug)]
pub struct SitePlan {
    /// HTML pages by output path, and what renders each.
    pub pages: Vec<(String, Job)>,
    /// Files made from the whole book ([`generated`]): `nav.js`,
    /// `graph.json`, and `sitemap.xml` when the book has a base URL.
    pub generated: Vec<&'static str>,
    /// Whether the search index is written: its files under `search/` are
    /// made together by [`search::write`].
    pub search: bool,
    /// Files copied as they are: the theme's static files, the book's
    /// assets, `.nojekyll`.
    pub copied: Vec<(String, Data)>,
}

impl SitePlan {
    /// Every path the plan writes, the search index's entry point standing
    /// for its folder: what needs a folder before the files come.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        let search = self.search.then_some(crate::site_files::SEARCH_META);
        self.pages
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(self.generated.iter().copied())
            .chain(search)
            .chain(self.copied.iter().map(|(p, _)| p.as_str()))
    }
}

/// The plan of the site of `hb` with `theme`.
pub fn plan(hb: &Handbook, config: &Config, theme: &Theme) -> SitePlan {
    let mut pages = vec![
        (HOME.to_owned(), Job::Home),
        (NOT_FOUND.to_owned(), Job::NotFound),
        (REVIEWS.to_owned(), Job::Reviews),
    ];
    // changes.html when the history is read.
    if hb.history.is_some() {
        pages.push((CHANGES.to_owned(), Job::Changes));
    }
    // roles.html when a document names a role: its pages link there.
    if hb.docs.iter().any(|d| !d.control.roles.is_empty()) {
        pages.push((ROLES.to_owned(), Job::Roles));
    }
    for (id, doc) in hb.own_pages() {
        if let Kind::Process(_) = doc.kind {
            pages.push((crate::site_files::print_page(&doc.id), Job::Print(id)));
        }
        let job = match doc.kind {
            Kind::Process(_) => Job::Process(id),
            Kind::Sop(_) => Job::Sop(id),
            Kind::Page => Job::Page(id),
        };
        pages.push((doc.url.clone(), job));
    }
    // Old paths that send the reader on (never in the sitemap, which
    // lists documents).
    for (i, r) in hb.redirects.iter().enumerate() {
        pages.push((r.from.clone(), Job::Redirect(i as u32)));
    }
    let mut generated = vec![NAV, GRAPH];
    if config.build.base_url.is_some() {
        generated.push(SITEMAP);
        if hb.history.is_some() {
            generated.push(CHANGES_FEED);
        }
    }
    let mut copied = Vec::with_capacity(theme.statics.len() + hb.assets.len() + 1);
    for (name, data) in &theme.statics {
        copied.push((format!("{THEME_DIR}/{name}"), data.clone()));
    }
    for asset in hb.assets.values() {
        copied.push((asset.rel.clone(), Data::Copy(asset.abs.clone())));
    }
    copied.push((NOJEKYLL.to_owned(), Data::Bytes(Vec::new())));
    SitePlan {
        pages,
        generated,
        search: config.build.search,
        copied,
    }
}

/// The file at `path` made from the whole book (see
/// [`SitePlan::generated`]); `None` for any other path.
pub fn generated(hb: &Handbook, config: &Config, path: &str) -> Option<String> {
    match path {
        NAV => Some(nav::script(hb, &config.book.strings)),
        GRAPH => Some(graph_json::render(hb, &config.book.title)),
        SITEMAP => config
            .build
            .base_url
            .as_ref()
            .map(|base| sitemap::sitemap(hb, base)),
        CHANGES_FEED => match (&config.build.base_url, hb.history.as_deref()) {
            (Some(base), Some(history)) => Some(feed::atom(hb, config, history, base)),
            _ => None,
        },
        _ => None,
    }
}

/// Renders one page; `today` decides which reviews are due.
pub fn page(
    hb: &Handbook,
    config: &Config,
    theme: &Theme,
    today: jiff::civil::Date,
    job: Job,
) -> Result<String, Failure> {
    // One page (serve, on request): nothing to share with other pages.
    let r = Renderer::new(hb, config, theme, today, false);
    r.page(job).map(|(_, html)| html)
}

/// Where [`write`] hands each file as it is made.
pub(crate) type Put<'a> = dyn Fn(&str, &Data) -> Result<(), Failure> + Sync + 'a;

/// Makes every file of `plan` and hands it to `put` as it is made, page
/// by page, so the site is never held in memory whole (and rendering never
/// touches the disk itself); returns the number of HTML pages.
pub(crate) fn write(
    plan: &SitePlan,
    hb: &Handbook,
    config: &Config,
    theme: &Theme,
    today: jiff::civil::Date,
    put: &Put<'_>,
) -> Result<usize, Failure> {
    let r = Renderer::new(hb, config, theme, today, true);
    // The book-wide files (nav.js, graph.json, the sitemap, the search
    // index) are made beside the pages and handed on one at a time: the
    // second thread is busy while the first renders, and none of them is
    // held while the other pages are.
    let (rendered, shared) = rayon::join(
        || {
            plan.pages.par_iter().try_for_each(|(_, job)| {
                let (path, html) = r.page(*job)?;
                put(&path, &Data::Bytes(html.into_bytes()))
            })
        },
        || -> Result<(), Failure> {
            for path in &plan.generated {
                if let Some(text) = generated(hb, config, path) {
                    put(path, &Data::Bytes(text.into_bytes()))?;
                }
            }
            if plan.search {
                search::write(hb, &config.book, &|path, text| {
                    put(&path, &Data::Bytes(text.into_bytes()))
                })?;
            }
            plan.copied
                .par_iter()
                .try_for_each(|(path, data)| put(path, data))
        },
    );
    rendered?;
    shared?;
    Ok(plan
        .pages
        .iter()
        .filter(|(_, job)| !matches!(job, Job::Redirect(_)))
        .count())
}

/// What writes a page.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    NotFound,
    Reviews,
    Roles,
    /// `changes.html`.
    Changes,
    /// A process's printable version.
    Print(DocId),
    Process(DocId),
    Sop(DocId),
    Page(DocId),
    /// The page at an old path: an index into [`Handbook::redirects`].
    Redirect(u32),
}

struct Renderer<'a> {
    hb: &'a Handbook,
    config: &'a Config,
    theme: &'a Theme,
    today: jiff::civil::Date,
    /// [`Renderer::shared_card`]'s values, by document; empty when only
    /// one page is rendered.
    cards: Vec<std::sync::OnceLock<tera::Value>>,
    /// The `site` value of pages 0, 1, 2… folders deep.
    sites: [std::sync::OnceLock<tera::Value>; 8],
    /// The words of the book's language, as the templates' `t`.
    t: tera::Value,
}

impl<'a> Renderer<'a> {
    fn new(
        hb: &'a Handbook,
        config: &'a Config,
        theme: &'a Theme,
        today: jiff::civil::Date,
        whole_site: bool,
    ) -> Renderer<'a> {
        let cards = if whole_site { hb.docs.len() } else { 0 };
        Renderer {
            hb,
            config,
            theme,
            today,
            cards: (0..cards).map(|_| Default::default()).collect(),
            sites: Default::default(),
            t: config.book.strings.tera_value(),
        }
    }
}

impl Renderer<'_> {
    fn page(&self, job: Job) -> Result<(String, String), Failure> {
        let hb = self.hb;
        let Prepared {
            url,
            template,
            meta,
            view,
        } = match job {
            // A minimal page of its own, without the theme.
            Job::Redirect(i) => {
                let r = hb
                    .redirects
                    .get(i as usize)
                    .ok_or_else(|| Failure::new(format!("the site has no redirect number {i}")))?;
                return Ok((r.from.clone(), redirect::page(hb, self.config, r)));
            }
            Job::Home => {
                let url = HOME.to_owned();
                let meta = self.meta(
                    "home",
                    &url,
                    self.config.book.title.clone(),
                    Vec::new(),
                    hb.home,
                );
                let view = self.home_view(&url);
                Prepared {
                    url,
                    template: "index.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::Reviews => {
                let url = REVIEWS.to_owned();
                let crumbs = vec![self.home_crumb(&url)];
                let meta = self.meta(
                    "reviews",
                    &url,
                    self.words().text("reviews.title").to_owned(),
                    crumbs,
                    None,
                );
                let view = self.reviews_view(&url);
                Prepared {
                    url,
                    template: "reviews.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::Print(id) => {
                let doc = hb.doc(id);
                let url = crate::site_files::print_page(&doc.id);
                let crumbs = vec![
                    self.home_crumb(&url),
                    Crumb {
                        title: doc.title.clone(),
                        url: body::relative(&url, &doc.url),
                    },
                ];
                let meta = self.meta(
                    "print",
                    &url,
                    self.words().fill("print.title", &[("title", &doc.title)]),
                    crumbs,
                    None,
                );
                let view = self.print_view(id, &url);
                Prepared {
                    url,
                    template: "print.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::Changes => {
                let url = CHANGES.to_owned();
                let crumbs = vec![self.home_crumb(&url)];
                let meta = self.meta(
                    "changes",
                    &url,
                    self.words().text("changes.title").to_owned(),
                    crumbs,
                    None,
                );
                let view = self.changes_view(&url);
                Prepared {
                    url,
                    template: "changes.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::Roles => {
                let url = ROLES.to_owned();
                let crumbs = vec![self.home_crumb(&url)];
                let meta = self.meta(
                    "roles",
                    &url,
                    self.words().text("roles.title").to_owned(),
                    crumbs,
                    None,
                );
                let view = self.roles_view(&url);
                Prepared {
                    url,
                    template: "roles.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::NotFound => {
                let url = NOT_FOUND.to_owned();
                let mut meta = self.meta(
                    "404",
                    &url,
                    self.words().text("not_found.title").to_owned(),
                    Vec::new(),
                    None,
                );
                meta.canonical = None;
                Prepared {
                    url,
                    template: "404.html",
                    meta,
                    view: Box::new(()),
                }
            }
            Job::Process(id) => {
                let doc = hb.doc(id);
                let crumbs = vec![self.home_crumb(&doc.url)];
                let meta = self.meta("process", &doc.url, doc.title.clone(), crumbs, Some(id));
                Prepared {
                    url: doc.url.clone(),
                    template: "process.html",
                    meta,
                    view: Box::new(self.process_view(id)),
                }
            }
            Job::Sop(id) => {
                let doc = hb.doc(id);
                let view = self.sop_view(id);
                let mut crumbs = vec![
                    self.home_crumb(&doc.url),
                    Crumb {
                        title: view.process.title.clone(),
                        url: view.process.url.clone(),
                    },
                ];
                // A branch named like the SOP (an imported book's) adds
                // nothing to the trail.
                if let Some(b) = view.branch.as_ref().filter(|b| b.when != doc.title) {
                    crumbs.push(Crumb {
                        title: b.when.clone(),
                        url: b.url.clone(),
                    });
                }
                let meta = self.meta("sop", &doc.url, doc.title.clone(), crumbs, Some(id));
                Prepared {
                    url: doc.url.clone(),
                    template: "sop.html",
                    meta,
                    view: Box::new(view),
                }
            }
            Job::Page(id) => {
                let doc = hb.doc(id);
                let crumbs = vec![self.home_crumb(&doc.url)];
                let meta = self.meta("page", &doc.url, doc.title.clone(), crumbs, Some(id));
                let view = PlainView {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    show_title: doc.body.first_h1.is_none(),
                    body_html: self.body(id, &doc.url),
                    used_by: self.uses(id, &doc.url, true),
                    draft: doc.draft,
                };
                Prepared {
                    url: doc.url.clone(),
                    template: "page.html",
                    meta,
                    view: Box::new(view),
                }
            }
        };
        let mut ctx = tera::Context::new();
        let absolute = matches!(job, Job::NotFound);
        let depth = url.matches('/').count();
        let site = match self.sites.get(depth) {
            // The same for every page at one depth: made once.
            Some(cell) if !absolute => cell
                .get_or_init(|| tera::Value::from_serializable(&self.site(&url, false)))
                .clone(),
            _ => tera::Value::from_serializable(&self.site(&url, absolute)),
        };
        ctx.insert_value("site", site);
        ctx.insert_value("t", self.t.clone());
        ctx.insert("page", &meta);
        view.put_into(&mut ctx);
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Failure::new(format!(
                "the template {template} failed while rendering {url}: {}",
                theme::error_chain(&e)
            ))
        })?;
        Ok((url, html))
    }

    fn site(&self, url: &str, absolute: bool) -> SiteView {
        let book = &self.config.book;
        // 404.html is served at any path: with a base URL its links are absolute.
        let root = match (&self.config.build.base_url, absolute) {
            (Some(base), true) => base.clone(),
            _ => body::root(url),
        };
        let brand = &self.config.build.brand;
        let file_url = |f: &BookFile| format!("{root}{}", body::relative("", &f.path));
        SiteView {
            title: book.title.clone(),
            description: book.description.clone(),
            language: book.language.clone(),
            home: format!("{root}index.html"),
            theme: format!("{root}{THEME_DIR}/"),
            generator: concat!("sopbook ", env!("CARGO_PKG_VERSION")),
            search: self.config.build.search,
            extra: self.config.extra.clone(),
            extra_css: brand.extra_css.iter().map(file_url).collect(),
            extra_js: brand.extra_js.iter().map(file_url).collect(),
            favicon: match &brand.favicon {
                Some(f) => IconView {
                    url: file_url(f),
                    mime: f.icon_type(),
                },
                None => IconView {
                    url: format!("{root}{THEME_DIR}/favicon.svg"),
                    mime: "image/svg+xml",
                },
            },
            logo: brand.logo.as_ref().map(|f| LogoView {
                url: file_url(f),
                alt: brand.logo_alt.clone().unwrap_or_default(),
            }),
            root,
        }
    }

    fn meta(
        &self,
        kind: &'static str,
        url: &str,
        title: String,
        breadcrumbs: Vec<Crumb>,
        doc: Option<DocId>,
    ) -> PageMeta {
        let build = &self.config.build;
        let canonical = build
            .base_url
            .as_ref()
            .map(|base| format!("{base}{}", body::relative("", url)));
        let edit_url = match (doc, &build.edit_url) {
            (Some(id), Some(template)) => {
                let path = format!(
                    "{}/{}",
                    build.content_dir.trim_end_matches('/'),
                    self.hb.doc(id).rel
                );
                let mut encoded = String::new();
                for (i, part) in path.split('/').enumerate() {
                    if i > 0 {
                        encoded.push('/');
                    }
                    encode_url_part(&mut encoded, part);
                }
                Some(template.replace("{path}", &encoded))
            }
            _ => None,
        };
        let description = match doc.map(|id| &self.hb.doc(id).kind) {
            Some(Kind::Process(p)) => Some(p.outcome.clone()),
            _ if kind == "home" => self.config.book.description.clone(),
            _ => None,
        };
        PageMeta {
            kind,
            url: url.to_owned(),
            title,
            description,
            canonical,
            edit_url,
            breadcrumbs,
            status: doc.and_then(|id| self.status_view(id, url)),
            control: doc.and_then(|id| self.control_view(id, url)),
            extra: doc
                .map(|id| self.hb.doc(id).extra.clone())
                .unwrap_or_default(),
            contents: match doc {
                Some(id) if matches!(kind, "sop" | "process" | "page") => self.contents(id),
                _ => Vec::new(),
            },
        }
    }

    /// "On this page" of a document: its headings down to h3, the h3s
    /// under the h2 before them, and on an SOP "Steps" where its first
    /// step is; nothing under three headings.
    fn contents(&self, id: DocId) -> Vec<ContentsEntry> {
        if !self.config.build.page_contents {
            return Vec::new();
        }
        let doc = self.hb.doc(id);
        let anchors = &doc.body.anchors;
        let headings = anchors
            .iter()
            .filter(|a| matches!(a.kind, AnchorKind::Heading(1..=3)))
            .count();
        if headings < 3 {
            return Vec::new();
        }
        let mut out: Vec<ContentsEntry> = Vec::new();
        // "Steps" leads to the first step, unless a heading right above the
        // steps ("## Steps", "## Procedure") already does.
        let blocks = &doc.body.blocks;
        let headed = blocks
            .iter()
            .position(|b| b.kind == crate::parse::body::BlockKind::Steps)
            .is_some_and(|i| {
                i > 0
                    && matches!(
                        blocks[i - 1].kind,
                        crate::parse::body::BlockKind::Heading { .. }
                    )
            });
        let mut steps = headed;
        for a in anchors {
            let (level, text) = match a.kind {
                AnchorKind::Heading(level @ 1..=3) if a.text.is_empty() => (level, a.id.clone()),
                AnchorKind::Heading(level @ 1..=3) => (level, a.text.clone()),
                AnchorKind::Step(_) if !steps && matches!(doc.kind, Kind::Sop(_)) => {
                    steps = true;
                    (2, self.words().text("contents.steps").to_owned())
                }
                _ => continue,
            };
            let entry = ContentsEntry {
                id: a.id.clone(),
                text,
                children: Vec::new(),
            };
            match out.last_mut() {
                Some(parent) if level == 3 => parent.children.push(entry),
                _ => out.push(entry),
            }
        }
        out
    }

    fn home_crumb(&self, from: &str) -> Crumb {
        Crumb {
            title: self.words().text("site.home").to_owned(),
            url: body::relative(from, "index.html"),
        }
    }

    /// Where the current version of a page is, for a printed copy: its
    /// absolute URL with `base-url`, else its path in the site.
    fn current_url(&self, url: &str) -> String {
        match &self.config.build.base_url {
            Some(base) => format!("{base}{}", body::relative("", url)),
            None => body::relative("", url),
        }
    }

    fn body(&self, id: DocId, page_url: &str) -> String {
        let doc = self.hb.doc(id);
        let mut out = String::with_capacity(doc.body.html.len() + 256);
        let raw = body::fill(&mut out, self.hb, doc, page_url, self.words());
        // Config refuses `sanitize-html` in a build without the feature.
        #[cfg(feature = "sanitize")]
        if raw && self.config.build.sanitize_html {
            return sanitize::clean(&out);
        }
        let _ = raw;
        out
    }
}

/// A page ready to render: where it goes, its template, the `page` value
/// every template gets, and its own view.
struct Prepared<'a> {
    url: String,
    template: &'a str,
    meta: PageMeta,
    view: Box<dyn ErasedView>,
}

/// Views are of different types; this lets one match arm build any of them.
trait ErasedView {
    fn put_into(&self, ctx: &mut tera::Context);
}

impl<T: Serialize> ErasedView for T {
    fn put_into(&self, ctx: &mut tera::Context) {
        ctx.insert("view", self);
    }
}
