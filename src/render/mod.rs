//! Handbook → site: builds the views for every page, renders them through
//! the theme's templates (in parallel), and adds the theme's files, the
//! content's assets, `404.html`, `.nojekyll` and `sitemap.xml`.

pub(crate) mod body;
pub(crate) mod branch_map;
mod feed;
pub(crate) mod graph_json;
mod lists;
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
    list_page,
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
    /// Files made from the whole book ([`generated`]): `nav.js` and each
    /// process's part of it, `graph.json`, and `sitemap.xml` when the book
    /// has a base URL.
    pub generated: Vec<String>,
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
            .chain(self.generated.iter().map(String::as_str))
            .chain(search)
            .chain(self.copied.iter().map(|(p, _)| p.as_str()))
    }
}

/// The plan of the site of `hb` with `theme`.
pub fn plan(hb: &Handbook, config: &Config, theme: &Theme) -> SitePlan {
    let mut pages = vec![
        (HOME.to_owned(), Job::Home),
        (NOT_FOUND.to_owned(), Job::NotFound),
    ];
    // reviews.html, and reviews/2.html… when the list runs on.
    for n in 1..=review_pages(hb) {
        pages.push((list_page(REVIEWS, n), Job::Reviews(n as u32)));
    }
    // changes.html when the history is read.
    if hb.history.is_some() {
        pages.push((CHANGES.to_owned(), Job::Changes));
    }
    // roles.html when a document names a role: its pages link there; and
    // roles/2.html… when its list runs on.
    if hb.docs.iter().any(|d| !d.control.roles.is_empty()) {
        for n in 1..=lists::role_pages(hb) {
            pages.push((list_page(ROLES, n), Job::Roles(n as u32)));
        }
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
    let mut generated = vec![NAV.to_owned(), GRAPH.to_owned()];
    generated.extend(nav::process_scripts(hb).map(|(path, _)| path));
    if config.build.base_url.is_some() {
        generated.push(SITEMAP.to_owned());
        if hb.history.is_some() {
            generated.push(CHANGES_FEED.to_owned());
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
        _ => {
            let process = crate::site_files::process_of_nav(path)?;
            let &id = hb.ids.get(process)?;
            nav::process_script(hb, id)
        }
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
    let (url, html) = r.page(job, &mut Group::default())?;
    String::from_utf8(html).map_err(|_| {
        Failure::new(format!(
            "the page {url} was rendered as something other than text"
        ))
    })
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
    // Only `build` writes a whole site, and it exits next: the caches'
    // values (one per document and per commit) are left to the exit rather
    // than freed one by one (10 ms at 10,000 SOPs, on one thread).
    let r = std::mem::ManuallyDrop::new(Renderer::new(hb, config, theme, today, true));
    // The book-wide files (nav.js, graph.json, the sitemap, the search
    // index) are made beside the pages and handed on one at a time: the
    // second thread is busy while the first renders, and none of them is
    // held while the other pages are.
    let units = units(hb, &plan.pages);
    let (rendered, shared) = rayon::join(
        || {
            // Every unit can move to an idle thread: rayon's own split
            // left one thread a run of units that the other could not
            // take (a 130 ms tail with the history on).
            units.par_iter().with_max_len(1).try_for_each(|unit| {
                let mut group = Group {
                    keep: unit.len() > 1,
                    ..Group::default()
                };
                unit.iter().try_for_each(|&job| {
                    let (path, html) = r.page(job, &mut group)?;
                    put(&path, &Data::Bytes(html))
                })
            })
        },
        || -> Result<(), Failure> {
            plan.generated
                .par_iter()
                .try_for_each(|path| match generated(hb, config, path) {
                    Some(text) => put(path, &Data::Bytes(text.into_bytes())),
                    None => Ok(()),
                })?;
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

/// The pages of `pages` in the units [`write`] renders them in: each
/// process's page, its current SOPs' pages and its print page together
/// (the print page repeats what the others made: see [`Group`]), every
/// other page alone.
fn units(hb: &Handbook, pages: &[(String, Job)]) -> Vec<Vec<Job>> {
    let mut grouped = vec![false; hb.docs.len()];
    let mut units: Vec<Vec<Job>> = Vec::with_capacity(pages.len());
    let sop_pages: std::collections::HashSet<DocId> = pages
        .iter()
        .filter_map(|(_, job)| match job {
            Job::Sop(id) => Some(*id),
            _ => None,
        })
        .collect();
    for (_, job) in pages {
        let Job::Print(id) = *job else { continue };
        let Kind::Process(p) = &hb.doc(id).kind else {
            continue;
        };
        let mut unit = vec![Job::Process(id)];
        grouped[id.0 as usize] = true;
        for &s in p.branches.iter().flat_map(|b| &b.sops).chain(&p.loose) {
            if sop_pages.contains(&s) && !grouped[s.0 as usize] {
                grouped[s.0 as usize] = true;
                unit.push(Job::Sop(s));
            }
        }
        unit.push(Job::Print(id));
        units.push(unit);
    }
    for (_, job) in pages {
        let alone = match *job {
            Job::Print(_) => false,
            Job::Process(id) | Job::Sop(id) => !grouped[id.0 as usize],
            _ => true,
        };
        if alone {
            units.push(vec![*job]);
        }
    }
    units
}

/// What the pages of one process share while [`write`] renders them one
/// after the other: the process's view, made for its page, and its SOPs'
/// bodies, which its print page shows again. Empty (and `keep` off) for a
/// page rendered alone.
#[derive(Default)]
struct Group {
    /// Keep what the pages after this one reuse.
    keep: bool,
    process: Option<(DocId, ProcessView)>,
    /// SOP bodies as their own pages show them.
    bodies: Vec<(DocId, String)>,
}

/// The room a page's HTML is given to start with.
const PAGE_BYTES: usize = 16 * 1024;

/// How many pages the reviews take.
fn review_pages(hb: &Handbook) -> usize {
    crate::site_files::page_count(
        hb.placed_sops().count(),
        crate::site_files::REVIEWS_PER_PAGE,
    )
}

/// What writes a page.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    NotFound,
    /// A page of the reviews, from 1.
    Reviews(u32),
    /// A page of the roles, from 1.
    Roles(u32),
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
    /// [`Renderer::commit_value`]'s values, by index into the history's
    /// commits; empty when only one page is rendered.
    commits: Vec<std::sync::OnceLock<tera::Value>>,
    /// The `site` value of pages 0, 1, 2… folders deep.
    sites: [std::sync::OnceLock<tera::Value>; 8],
    /// roles.html's list: its pages and every role link of the site need it.
    roles: std::sync::OnceLock<lists::RoleList>,
    /// The reviews' list, shared by its pages.
    reviews: std::sync::OnceLock<lists::ReviewList<'a>>,
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
        let commits = match hb.history.as_deref() {
            Some(history) if whole_site => history.commits.len(),
            _ => 0,
        };
        Renderer {
            hb,
            config,
            theme,
            today,
            cards: (0..cards).map(|_| Default::default()).collect(),
            commits: (0..commits).map(|_| Default::default()).collect(),
            sites: Default::default(),
            roles: Default::default(),
            reviews: Default::default(),
            t: config.book.strings.tera_value(),
        }
    }
}

impl Renderer<'_> {
    /// Renders the page of `job`: its URL and its HTML, as bytes (what
    /// is written; Tera writes only text).
    fn page(&self, job: Job, group: &mut Group) -> Result<(String, Vec<u8>), Failure> {
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
                return Ok((
                    r.from.clone(),
                    redirect::page(hb, self.config, r).into_bytes(),
                ));
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
            Job::Reviews(n) => {
                let n = n as usize;
                let url = list_page(REVIEWS, n);
                let crumbs = vec![self.home_crumb(&url)];
                let title = self.page_title("reviews.title", n, review_pages(hb));
                let meta = self.meta("reviews", &url, title, crumbs, None);
                let view = self.reviews_view(&url, n);
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
                let view = self.print_view(id, &url, group);
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
            Job::Roles(n) => {
                let n = n as usize;
                let url = list_page(ROLES, n);
                let crumbs = vec![self.home_crumb(&url)];
                let title = self.page_title("roles.title", n, lists::role_pages(hb));
                let meta = self.meta("roles", &url, title, crumbs, None);
                let view = self.roles_view(&url, n);
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
                    view: Box::new(self.process_view_in(id, group)),
                }
            }
            Job::Sop(id) => {
                let doc = hb.doc(id);
                let view = self.sop_view(id, group);
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
        // Room for the page's chrome and its text, so the buffer seldom
        // grows: a default SOP page is 5-15 KB, a print page 10 times that.
        let mut html =
            Vec::with_capacity(PAGE_BYTES * if template == "print.html" { 8 } else { 1 });
        self.theme
            .render_to(template, &ctx, &mut html)
            .map_err(|e| {
                Failure::new(format!(
                    "the template {template} failed while rendering {url}: {e}"
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
            nav: doc
                .and_then(|id| match &self.hb.doc(id).kind {
                    Kind::Process(_) => Some(id),
                    Kind::Sop(s) => Some(s.process),
                    Kind::Page => None,
                })
                .and_then(|pid| nav::process_script_path(self.hb, pid))
                .map(|path| body::relative(url, &path)),
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

    /// The title of page `n` of `pages` of a list titled by `key`: the
    /// list's title alone when it takes one page.
    fn page_title(&self, key: &str, n: usize, pages: usize) -> String {
        let title = self.words().text(key);
        match pages {
            1 => title.to_owned(),
            _ => self.words().fill(
                "pagination.title",
                &[
                    ("title", title),
                    ("n", &n.to_string()),
                    ("total", &pages.to_string()),
                ],
            ),
        }
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
