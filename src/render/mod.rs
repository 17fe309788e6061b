//! Handbook → site: builds the views for every page, renders them through
//! the theme's templates (in parallel), and adds the theme's files, the
//! content's assets, `404.html`, `.nojekyll` and `sitemap.xml`.

pub mod body;
pub mod branch_map;
pub mod graph_json;
pub mod nav;
#[cfg(feature = "sanitize")]
pub mod sanitize;
pub mod search;
pub mod theme;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::failure::Failure;
use crate::html::encode_url_part;
use crate::model::{DocId, FileRef, Handbook, Kind, Sop, Target, Tool, branch_anchor, graph};
use crate::output::Data;
pub use theme::Theme;
use views::*;

pub use crate::site_files::THEME_DIR;
use crate::site_files::{GRAPH, HOME, NAV, NOJEKYLL, NOT_FOUND, REVIEWS, SITEMAP};

/// Every page of the site and what writes it, by output path.
pub fn pages(hb: &Handbook) -> Vec<(String, Job)> {
    let mut jobs = vec![
        (HOME.to_owned(), Job::Home),
        (NOT_FOUND.to_owned(), Job::NotFound),
        (REVIEWS.to_owned(), Job::Reviews),
    ];
    for (i, doc) in hb.docs.iter().enumerate() {
        let id = DocId(i as u32);
        if Some(id) == hb.home || hb.unplaced.contains(&id) {
            continue;
        }
        let job = match doc.kind {
            Kind::Process(_) => Job::Process(id),
            Kind::Sop(_) => Job::Sop(id),
            Kind::Page => Job::Page(id),
        };
        jobs.push((doc.url.clone(), job));
    }
    jobs
}

/// The files of the site copied as they are: theme files, assets and
/// `.nojekyll`.
pub fn files(hb: &Handbook, theme: &Theme) -> Vec<(String, Data)> {
    let mut out = Vec::with_capacity(theme.statics.len() + hb.assets.len() + 1);
    for (name, data) in &theme.statics {
        out.push((format!("{THEME_DIR}/{name}"), data.clone()));
    }
    for asset in hb.assets.values() {
        out.push((asset.rel.clone(), Data::Copy(asset.abs.clone())));
    }
    out.push((NOJEKYLL.to_owned(), Data::Bytes(Vec::new())));
    out
}

/// The files made from the whole book: `nav.js`, `graph.json`, and
/// `sitemap.xml` when the book has a base URL. `None` for any other path.
/// (The search index is [`search::files`].)
pub fn generated(hb: &Handbook, config: &Config, path: &str) -> Option<String> {
    match path {
        NAV => Some(nav::script(hb)),
        GRAPH => Some(graph_json::render(hb, &config.book.title)),
        SITEMAP => config.build.base_url.as_ref().map(|base| sitemap(hb, base)),
        _ => None,
    }
}

/// Paths [`generated`] answers.
pub const GENERATED: &[&str] = &[NAV, GRAPH, SITEMAP];

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

/// Renders the whole site straight into `staging`, page by page, so the
/// site is never held in memory whole; returns the number of HTML pages.
pub fn render_into(
    hb: &Handbook,
    config: &Config,
    theme: &Theme,
    today: jiff::civil::Date,
    staging: &crate::output::Staging,
) -> Result<usize, Failure> {
    let r = Renderer::new(hb, config, theme, today, true);
    let jobs = pages(hb);
    let files = files(hb, theme);
    let paths = jobs.iter().map(|(p, _)| p.as_str());
    staging.dirs(paths.chain(files.iter().map(|(p, _)| p.as_str())))?;
    // The book-wide files (nav.js, graph.json, the sitemap, the search
    // index) are made beside the pages and written one at a time: the
    // second thread is busy while the first renders, and none of them is
    // held while the other pages are.
    let (rendered, shared) = rayon::join(
        || {
            jobs.par_iter().try_for_each(|(_, job)| {
                let (path, html) = r.page(*job)?;
                staging.put(&path, &Data::Bytes(html.into_bytes()))
            })
        },
        || -> Result<(), Failure> {
            for path in GENERATED {
                if let Some(text) = generated(hb, config, path) {
                    staging.dirs(std::iter::once(*path))?;
                    staging.put(path, &Data::Bytes(text.into_bytes()))?;
                }
            }
            if config.build.search {
                let made = search::files(hb);
                staging.dirs(made.iter().map(|(p, _)| p.as_str()))?;
                made.into_par_iter().try_for_each(|(path, text)| {
                    staging.put(&path, &Data::Bytes(text.into_bytes()))
                })?;
            }
            files
                .par_iter()
                .try_for_each(|(path, data)| staging.put(path, data))
        },
    );
    rendered?;
    shared?;
    Ok(jobs.len())
}

/// What writes a page.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    NotFound,
    Reviews,
    Process(DocId),
    Sop(DocId),
    Page(DocId),
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
        }
    }
}

impl Renderer<'_> {
    fn page(&self, job: Job) -> Result<(String, String), Failure> {
        let hb = self.hb;
        let (url, template, meta, view): (String, &str, PageMeta, Box<dyn ErasedView>) = match job {
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
                (url, "index.html", meta, Box::new(view))
            }
            Job::Reviews => {
                let url = REVIEWS.to_owned();
                let crumbs = vec![self.home_crumb(&url)];
                let meta = self.meta("reviews", &url, "Reviews".to_owned(), crumbs, None);
                let view = self.reviews_view(&url);
                (url, "reviews.html", meta, Box::new(view))
            }
            Job::NotFound => {
                let url = NOT_FOUND.to_owned();
                let mut meta =
                    self.meta("404", &url, "Page not found".to_owned(), Vec::new(), None);
                meta.canonical = None;
                (url, "404.html", meta, Box::new(()))
            }
            Job::Process(id) => {
                let doc = hb.doc(id);
                let crumbs = vec![self.home_crumb(&doc.url)];
                let meta = self.meta("process", &doc.url, doc.title.clone(), crumbs, Some(id));
                (
                    doc.url.clone(),
                    "process.html",
                    meta,
                    Box::new(self.process_view(id)),
                )
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
                if let Some(b) = &view.branch {
                    crumbs.push(Crumb {
                        title: b.when.clone(),
                        url: b.url.clone(),
                    });
                }
                let meta = self.meta("sop", &doc.url, doc.title.clone(), crumbs, Some(id));
                (doc.url.clone(), "sop.html", meta, Box::new(view))
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
                (doc.url.clone(), "page.html", meta, Box::new(view))
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
        SiteView {
            title: book.title.clone(),
            description: book.description.clone(),
            language: book.language.clone(),
            home: format!("{root}index.html"),
            theme: format!("{root}{THEME_DIR}/"),
            root,
            generator: concat!("sopbook ", env!("CARGO_PKG_VERSION")),
            search: self.config.build.search,
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
        }
    }

    fn home_crumb(&self, from: &str) -> Crumb {
        Crumb {
            title: "Home".to_owned(),
            url: body::relative(from, "index.html"),
        }
    }

    fn body(&self, id: DocId, page_url: &str) -> String {
        let doc = self.hb.doc(id);
        let mut out = String::with_capacity(doc.body.html.len() + 256);
        let raw = body::fill(&mut out, self.hb, doc, page_url);
        // Config refuses `sanitize-html` in a build without the feature.
        #[cfg(feature = "sanitize")]
        if raw && self.config.build.sanitize_html {
            return sanitize::clean(&out);
        }
        let _ = raw;
        out
    }

    fn home_view(&self, url: &str) -> HomeView {
        let hb = self.hb;
        let mut groups: Vec<GroupView> = Vec::new();
        let mut sop_count = 0;
        for &pid in &hb.processes {
            let Some(p) = hb.process(pid) else { continue };
            let card = self.process_card(pid, url);
            sop_count += card.sop_count;
            match groups.last_mut() {
                Some(g) if g.name == p.group => g.processes.push(card),
                _ => groups.push(GroupView {
                    name: p.group.clone(),
                    processes: vec![card],
                }),
            }
        }
        HomeView {
            intro_html: hb.home.map(|id| self.body(id, url)),
            groups,
            pages: hb
                .pages
                .iter()
                .map(|&id| LinkView {
                    title: hb.doc(id).title.clone(),
                    url: body::relative(url, &hb.doc(id).url),
                    draft: hb.doc(id).draft,
                })
                .collect(),
            process_count: hb.processes.len(),
            sop_count,
            overdue_count: hb.placed_sops().filter(|(_, _, s)| self.overdue(s)).count(),
            reviews_url: body::relative(url, REVIEWS),
        }
    }

    fn process_card(&self, id: DocId, from: &str) -> ProcessCard {
        let doc = self.hb.doc(id);
        let Kind::Process(p) = &doc.kind else {
            unreachable_card()
        };
        ProcessCard {
            id: doc.id.clone(),
            title: doc.title.clone(),
            url: body::relative(from, &doc.url),
            outcome: p.outcome.clone(),
            owner: p.owner.clone(),
            automated: p.automated,
            equipment: equipment(self.hb, &p.equipment, from),
            branch_count: p.branches.len(),
            sop_count: Handbook::sops_of(p).len(),
        }
    }

    /// An SOP's card as a template value, for the "other paths" of the
    /// pages around it. Seen from its own folder (as SOP pages of one
    /// process usually are) it is made once and shared: an SOP page lists
    /// a dozen cards, and each would otherwise be built and converted anew.
    fn shared_card(&self, id: DocId, from: &str) -> tera::Value {
        let url = &self.hb.doc(id).url;
        match self.cards.get(id.index()) {
            Some(cell) if folder(url) == folder(from) => cell
                .get_or_init(|| tera::Value::from_serializable(&self.sop_card(id, url)))
                .clone(),
            _ => tera::Value::from_serializable(&self.sop_card(id, from)),
        }
    }

    fn sop_card(&self, id: DocId, from: &str) -> SopCard {
        let doc = self.hb.doc(id);
        let sop = self.hb.sop(id);
        SopCard {
            id: doc.id.clone(),
            title: doc.title.clone(),
            url: body::relative(from, &doc.url),
            owner: sop.and_then(|s| s.owner.clone()),
            format: sop.map_or("document", |s| s.format.as_str()),
            steps: doc.body.steps.len(),
            reviewed: sop.and_then(|s| s.reviewed).map(date_view),
            review_due: sop.and_then(Sop::review_due).map(date_view),
            overdue: sop.is_some_and(|s| self.overdue(s)),
            draft: doc.draft,
        }
    }

    /// Due today or earlier: the page shows a "review due" badge.
    fn overdue(&self, sop: &Sop) -> bool {
        sop.review_due().is_some_and(|due| due <= self.today)
    }

    /// `reviews.html`: every SOP by owner; owners with overdue reviews
    /// first, and within an owner the overdue SOPs first.
    fn reviews_view(&self, from: &str) -> ReviewsView {
        use std::collections::BTreeMap;
        let hb = self.hb;
        let mut by_owner: BTreeMap<(bool, String), Vec<(DocId, &Sop)>> = BTreeMap::new();
        for (id, _, sop) in hb.placed_sops() {
            let owner = sop.owner.clone().unwrap_or_default();
            by_owner
                .entry((owner.is_empty(), owner.to_lowercase()))
                .or_default()
                .push((id, sop));
        }
        let row_key = |(id, sop): &(DocId, &Sop)| {
            let due = sop.review_due();
            (
                !self.overdue(sop),
                due.is_none(),
                due,
                hb.doc(*id).title.to_lowercase(),
            )
        };
        let mut groups: Vec<(Option<jiff::civil::Date>, ReviewGroup)> = by_owner
            .into_values()
            .map(|mut list| {
                list.sort_by_cached_key(row_key);
                let first_overdue = list
                    .iter()
                    .filter(|(_, s)| self.overdue(s))
                    .filter_map(|(_, s)| s.review_due())
                    .min();
                let owner = list.first().and_then(|(_, s)| s.owner.clone());
                let sops = list
                    .iter()
                    .map(|&(id, sop)| {
                        let doc = hb.doc(id);
                        let process = hb.doc(sop.process);
                        ReviewRow {
                            title: doc.title.clone(),
                            url: body::relative(from, &doc.url),
                            process: LinkView {
                                title: process.title.clone(),
                                url: body::relative(from, &process.url),
                                draft: process.draft,
                            },
                            reviewed: sop.reviewed.map(date_view),
                            review_due: sop.review_due().map(date_view),
                            review_every: sop.review_every.as_ref().map(|r| r.text.clone()),
                            overdue: self.overdue(sop),
                        }
                    })
                    .collect();
                (first_overdue, ReviewGroup { owner, sops })
            })
            .collect();
        // Owners with overdue reviews first (the longest overdue first); the
        // rest keep their alphabetical order.
        groups.sort_by_key(|(first, _)| (first.is_none(), *first));
        let rows = || groups.iter().flat_map(|(_, g)| g.sops.iter());
        ReviewsView {
            today: date_view(self.today),
            total: rows().count(),
            overdue: rows().filter(|r| r.overdue).count(),
            never: rows().filter(|r| r.reviewed.is_none()).count(),
            groups: groups.into_iter().map(|(_, g)| g).collect(),
        }
    }

    /// "Used by" (`incoming`) or "Uses" for a document.
    fn uses(&self, id: DocId, from: &str, incoming: bool) -> Vec<UseView> {
        let hb = self.hb;
        let list = if incoming {
            hb.graph.sources_of(hb, id)
        } else {
            hb.graph.targets_of(hb, id)
        };
        list.into_iter()
            .map(|(other, relation)| {
                let d = hb.doc(other);
                UseView {
                    title: d.title.clone(),
                    url: body::relative(from, &d.url),
                    kind: match d.kind {
                        Kind::Process(_) => "process",
                        Kind::Sop(_) => "sop",
                        Kind::Page => "page",
                    },
                    process: graph::process_of(hb, other).map(|p| hb.doc(p).title.clone()),
                    relation: relation.as_str(),
                }
            })
            .collect()
    }

    /// Processes other than `id` whose documents link to `id` or its SOPs.
    fn linked_from(&self, id: DocId, from: &str) -> Vec<LinkView> {
        let hb = self.hb;
        let Some(p) = hb.process(id) else {
            return Vec::new();
        };
        let mut mine = Handbook::sops_of(p);
        mine.push(id);
        let mut processes: Vec<DocId> = mine
            .iter()
            .flat_map(|&d| hb.graph.sources_of(hb, d))
            .filter_map(|(src, _)| graph::process_of(hb, src))
            .filter(|&q| q != id)
            .collect();
        processes.sort_by(|a, b| hb.doc(*a).title.cmp(&hb.doc(*b).title));
        processes.dedup();
        processes
            .into_iter()
            .map(|q| LinkView {
                title: hb.doc(q).title.clone(),
                url: body::relative(from, &hb.doc(q).url),
                draft: hb.doc(q).draft,
            })
            .collect()
    }

    fn process_view(&self, id: DocId) -> ProcessView {
        let hb = self.hb;
        let doc = hb.doc(id);
        let Kind::Process(p) = &doc.kind else {
            unreachable_card()
        };
        let branches: Vec<BranchView> = p
            .branches
            .iter()
            .map(|b| BranchView {
                id: b.id.clone(),
                anchor: branch_anchor(&b.id),
                when: b.when.clone(),
                sops: b.sops.iter().map(|&s| self.sop_card(s, &doc.url)).collect(),
            })
            .collect();
        let loose: Vec<SopCard> = p
            .loose
            .iter()
            .map(|&s| self.sop_card(s, &doc.url))
            .collect();
        let branch_map_html =
            (!branches.is_empty()).then(|| branch_map::svg(&doc.title, &branches, &loose));
        ProcessView {
            id: doc.id.clone(),
            title: doc.title.clone(),
            outcome: p.outcome.clone(),
            owner: p.owner.clone(),
            group: p.group.clone(),
            automated: p.automated,
            equipment: equipment(hb, &p.equipment, &doc.url),
            body_html: self.body(id, &doc.url),
            sop_count: branches.iter().map(|b| b.sops.len()).sum::<usize>() + loose.len(),
            branches,
            loose,
            branch_map_html,
            linked_from: self.linked_from(id, &doc.url),
        }
    }

    fn sop_view(&self, id: DocId) -> SopView {
        let hb = self.hb;
        let doc = hb.doc(id);
        let Kind::Sop(sop) = &doc.kind else {
            unreachable_card()
        };
        let process_doc = hb.doc(sop.process);
        let Kind::Process(process) = &process_doc.kind else {
            unreachable_card()
        };
        let process_url = body::relative(&doc.url, &process_doc.url);
        let branch = sop.branch.map(|i| {
            let b = &process.branches[i];
            BranchRef {
                id: b.id.clone(),
                when: b.when.clone(),
                url: format!("{process_url}#{}", branch_anchor(&b.id)),
            }
        });
        // `sops` holds this SOP when it is its own branch (or loose) list.
        let path = |when: Option<String>, branch: Option<String>, sops: &[DocId], own: bool| {
            let shown: Vec<tera::Value> = sops
                .iter()
                .filter(|&&s| s != id)
                .take(OTHER_PATH_SOPS)
                .map(|&s| self.shared_card(s, &doc.url))
                .collect();
            let others = sops.len() - usize::from(own);
            OtherPath {
                when,
                branch,
                more: others.saturating_sub(shown.len()),
                sops: shown,
            }
        };
        // SOPs on the same branch are other ways down the same path too:
        // they come first, then the other branches, then the loose SOPs.
        let mut other_paths = Vec::new();
        let own = sop
            .branch
            .map_or(&process.loose, |i| &process.branches[i].sops);
        if own.len() > 1 {
            other_paths.push(path(
                branch.as_ref().map(|b| b.when.clone()),
                branch.as_ref().map(|b| b.id.clone()),
                own,
                true,
            ));
        }
        for (i, b) in process.branches.iter().enumerate() {
            if Some(i) != sop.branch {
                other_paths.push(path(
                    Some(b.when.clone()),
                    Some(b.id.clone()),
                    &b.sops,
                    false,
                ));
            }
        }
        if sop.branch.is_some() && !process.loose.is_empty() {
            other_paths.push(path(None, None, &process.loose, false));
        }
        // Previous and next in the process's reading order (its branches in
        // order, then the loose SOPs), found from this SOP's own list: the
        // cost of a page does not grow with the size of its process.
        let lists: Vec<&[DocId]> = process
            .branches
            .iter()
            .map(|b| b.sops.as_slice())
            .chain(std::iter::once(process.loose.as_slice()))
            .collect();
        let list = sop.branch.unwrap_or(lists.len() - 1);
        let at = lists[list].iter().position(|&s| s == id);
        let prev = at.and_then(|at| match at {
            0 => lists[..list].iter().rev().find_map(|l| l.last()),
            _ => lists[list].get(at - 1),
        });
        let next = at.and_then(|at| {
            lists[list]
                .get(at + 1)
                .or_else(|| lists[list + 1..].iter().find_map(|l| l.first()))
        });
        let neighbour = |other: Option<&DocId>| {
            other.map(|&other| LinkView {
                title: hb.doc(other).title.clone(),
                url: body::relative(&doc.url, &hb.doc(other).url),
                draft: hb.doc(other).draft,
            })
        };
        SopView {
            id: doc.id.clone(),
            title: doc.title.clone(),
            owner: sop.owner.clone(),
            format: sop.format.as_str(),
            media: sop.media.as_ref().and_then(|m| media_view(hb, m, &doc.url)),
            process: LinkView {
                title: process_doc.title.clone(),
                url: process_url,
                draft: process_doc.draft,
            },
            process_owner: process.owner.clone(),
            branch,
            branched: !process.branches.is_empty(),
            reviewed: sop.reviewed.map(date_view),
            review_due: sop.review_due().map(date_view),
            review_overdue: self.overdue(sop),
            review_every: sop.review_every.as_ref().map(|r| r.text.clone()),
            steps: doc.body.steps.len(),
            body_html: self.body(id, &doc.url),
            other_paths,
            prev: neighbour(prev),
            next: neighbour(next),
            used_by: self.uses(id, &doc.url, true),
            uses: self.uses(id, &doc.url, false),
            draft: doc.draft,
        }
    }
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

/// The folder of a site path: `a/b` for `a/b/c.html`.
fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

#[track_caller]
fn unreachable_card() -> ! {
    // Jobs are made from the document's kind just above; a mismatch is a bug.
    unreachable!("a render job does not match its document kind")
}

fn equipment(hb: &Handbook, list: &[Tool], from: &str) -> Vec<EquipmentView> {
    list.iter()
        .map(|t| EquipmentView {
            title: t.title.clone(),
            url: t.link.as_ref().and_then(|l| ref_url(hb, l, from)),
        })
        .collect()
}

/// The URL of a front-matter reference as seen from the page `from`.
fn ref_url(hb: &Handbook, r: &FileRef, from: &str) -> Option<String> {
    match r {
        FileRef::Hosted { url, .. } => Some(url.clone()),
        FileRef::Local {
            target: Some(t), ..
        } => body::target_url(hb, t, from),
        FileRef::Local { target: None, .. } => None,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn date_view(d: jiff::civil::Date) -> DateView {
    let month = MONTHS[(d.month() - 1) as usize];
    DateView {
        iso: d.to_string(),
        text: format!("{} {month} {}", d.day(), d.year()),
    }
}

fn media_view(hb: &Handbook, media: &FileRef, page_url: &str) -> Option<MediaView> {
    let url = ref_url(hb, media, page_url)?;
    match media {
        FileRef::Hosted { url, .. } => Some(MediaView {
            source: "hosted",
            url: url.clone(),
            element: "link",
            host: url
                .split("//")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .map(|h| h.trim_start_matches("www.").to_owned()),
        }),
        FileRef::Local { target, .. } => {
            let lower = match target {
                Some(Target::Asset { rel, .. }) => rel.to_ascii_lowercase(),
                _ => String::new(),
            };
            let element = if [".mp4", ".webm", ".ogv", ".mov", ".m4v"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                "video"
            } else if [".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                "audio"
            } else {
                "file"
            };
            Some(MediaView {
                source: "local",
                url,
                element,
                host: None,
            })
        }
    }
}

fn sitemap(hb: &Handbook, base: &str) -> String {
    let mut urls = vec![HOME.to_owned()];
    for (i, doc) in hb.docs.iter().enumerate() {
        let id = DocId(i as u32);
        if Some(id) != hb.home && !hb.unplaced.contains(&id) {
            urls.push(doc.url.clone());
        }
    }
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str("  <url><loc>");
        crate::html::escape_text(&mut xml, &format!("{base}{}", body::relative("", &url)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
