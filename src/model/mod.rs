//! The handbook as data: processes with their branches, the SOPs that walk
//! them, plain pages, and every link resolved. Built from parsed files;
//! reports duplicate ids, unknown processes and branches.

pub(crate) mod embed;
pub(crate) mod graph;
mod groups;
pub(crate) mod links;
mod output_paths;
pub(crate) mod redirects;
pub(crate) mod status;

use std::collections::BTreeMap;

// foldhash: ids and paths are looked up for every link of the book, and
// SipHash was a tenth of a rebuild in `serve`.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use jiff::civil::Date;

use crate::config::{Config, ListedGroup, ReviewInterval};
use crate::diagnostics::{Diagnostic, FileId, Rule, did_you_mean};
use crate::load::Asset;
use crate::parse::front_matter::{Control, Format, Meta, Syntax};
use crate::parse::{self, Body, Parsed};
pub(crate) use links::{FileRef, Target};
pub(crate) use redirects::{How, Moved, Redirect};

/// Index of a document in [`Handbook::docs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub u32);

impl DocId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug)]
pub struct Handbook {
    pub docs: Vec<Doc>,
    pub ids: HashMap<String, DocId>,
    /// Sorted by group, order, title.
    pub processes: Vec<DocId>,
    /// Plain pages (not the home page), sorted by order, title.
    pub pages: Vec<DocId>,
    /// `index.md` at the top of the content dir: the home page's text.
    pub home: Option<DocId>,
    pub by_path: HashMap<String, DocId>,
    pub assets: BTreeMap<String, Asset>,
    pub dirs: HashSet<String>,
    /// Ids of files left out because of errors, and of drafts: links to
    /// them are not reported again as broken.
    pub failed_ids: HashSet<String>,
    /// Paths of the Markdown files left out because of errors (front
    /// matter, not UTF-8, a taken id): a link to one finds a file that
    /// failed to load, whose error is the one to fix, so it is not
    /// reported again as a link to nothing.
    pub unloaded: HashSet<String>,
    pub draft_ids: HashSet<String>,
    /// SOPs whose process or branch is unknown (reported): kept for link
    /// resolution, never listed or written.
    pub unplaced: HashSet<DocId>,
    /// Filled by [`graph::build`] once links are resolved.
    pub graph: graph::LinkGraph,
    /// The content dir's history from git (SPEC §8), when it is read: a
    /// document's commits are `history.of(&doc.rel)`.
    pub history: Option<std::sync::Arc<crate::history::History>>,
    /// Each SOP's changes since its previous revision, from the history.
    pub revisions: std::collections::HashMap<DocId, crate::history::revisions::Revision>,
    /// Old paths that send the reader to a page, sorted by path: the
    /// documents' `aliases`, then (once the history is read) the URLs
    /// their pages had in it ([`redirects::add_moved`]).
    pub redirects: Vec<Redirect>,
}

#[derive(Debug)]
pub struct Doc {
    pub id: String,
    pub title: String,
    /// Where problems with the document as a whole are reported.
    pub title_span: std::ops::Range<usize>,
    /// Path inside the content dir.
    pub rel: String,
    pub file: FileId,
    pub order: Option<i64>,
    pub kind: Kind,
    pub body: std::sync::Arc<Body>,
    /// Output path, relative to the site root.
    pub url: String,
    /// One entry per `body.links`, filled by [`links::apply`].
    pub targets: Vec<Target>,
    /// How its front matter is written (`None`: it has none), so hints
    /// about its keys use that syntax.
    pub syntax: Option<Syntax>,
    /// `draft = true`, built because drafts are on (`--drafts`): its page
    /// and the lists it is in say so.
    pub draft: bool,
    /// Revision, approval, roles, replacement (SPEC §8).
    pub control: Control,
    /// Current, superseded or retired: filled by [`status::resolve`].
    pub status: Status,
    /// `[extra]` of its front matter, for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `aliases` of its front matter, as written.
    pub aliases: Vec<parse::front_matter::At<String>>,
}

/// Whether a document is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Current,
    /// Replaced by this document (`superseded-by`).
    Superseded(DocId),
    /// No longer done, since this date (`retired`).
    Retired(Date),
}

#[derive(Debug)]
pub enum Kind {
    Process(Process),
    Sop(Sop),
    Page,
}

#[derive(Debug)]
pub struct Process {
    pub outcome: String,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub automated: bool,
    pub automated_span: Option<std::ops::Range<usize>>,
    pub equipment: Vec<Tool>,
    pub branches: Vec<Branch>,
    /// SOPs of this process that walk no declared branch.
    pub loose: Vec<DocId>,
    /// Its superseded and retired SOPs, out of `branches` and `loose`:
    /// written, listed under "Superseded and retired", nowhere else.
    pub former: Vec<DocId>,
}

/// What runs an automated process: a job, a template, a script.
#[derive(Debug)]
pub struct Tool {
    pub title: String,
    pub link: Option<FileRef>,
}

#[derive(Debug)]
pub struct Branch {
    pub id: String,
    pub when: String,
    /// The branch's `id` in the process's front matter.
    pub span: std::ops::Range<usize>,
    pub sops: Vec<DocId>,
}

#[derive(Debug)]
pub struct Sop {
    pub process: DocId,
    pub branch: Option<usize>,
    pub owner: Option<String>,
    pub format: Format,
    pub media: Option<FileRef>,
    pub reviewed: Option<Date>,
    pub reviewed_span: Option<std::ops::Range<usize>>,
    pub review_every: Option<ReviewInterval>,
}

impl Sop {
    /// When the next review is due: the last review plus the interval.
    /// `None` for an SOP never reviewed or without an interval.
    pub fn review_due(&self) -> Option<Date> {
        let reviewed = self.reviewed?;
        let every = self.review_every.as_ref()?;
        reviewed.checked_add(every.span).ok()
    }
}

impl Handbook {
    pub fn doc(&self, id: DocId) -> &Doc {
        &self.docs[id.index()]
    }

    pub fn process(&self, id: DocId) -> Option<&Process> {
        match &self.doc(id).kind {
            Kind::Process(p) => Some(p),
            _ => None,
        }
    }

    /// Whether `id` is written to the site as a page of its own: every
    /// document but the home page's text (`index.md`, shown on the home
    /// page) and those left unplaced (an SOP of an unknown process). The
    /// one answer the site's listing, search, sitemap and path checks use.
    pub fn has_own_page(&self, id: DocId) -> bool {
        Some(id) != self.home && !self.unplaced.contains(&id)
    }

    /// The documents with a page of their own, in book order.
    pub fn own_pages(&self) -> impl Iterator<Item = (DocId, &Doc)> {
        self.docs
            .iter()
            .enumerate()
            .map(|(i, d)| (DocId(i as u32), d))
            .filter(|(id, _)| self.has_own_page(*id))
    }

    /// Every current SOP written to the site, in book order: what reviews,
    /// coverage and repeated steps look at. Superseded and retired SOPs
    /// are written too, but are no longer in use.
    pub fn placed_sops(&self) -> impl Iterator<Item = (DocId, &Doc, &Sop)> {
        self.docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match &d.kind {
                Kind::Sop(s)
                    if !self.unplaced.contains(&DocId(i as u32)) && d.status == Status::Current =>
                {
                    Some((DocId(i as u32), d, s))
                }
                _ => None,
            })
    }

    pub fn sop(&self, id: DocId) -> Option<&Sop> {
        match &self.doc(id).kind {
            Kind::Sop(s) => Some(s),
            _ => None,
        }
    }

    /// Every SOP of a process, branch by branch, then those on no branch.
    pub fn sops_of(process: &Process) -> Vec<DocId> {
        let mut sops: Vec<DocId> = process
            .branches
            .iter()
            .flat_map(|b| b.sops.iter().copied())
            .collect();
        sops.extend(&process.loose);
        sops
    }
}

pub(crate) use crate::theme_ids::branch_anchor;

// What a document's parsed body holds, as the stages after the model see
// it: they read it from the model, not from the parser.
pub(crate) use crate::parse::body::{AnchorKind, Hole, Step};
pub(crate) use crate::parse::front_matter::key_value;
pub(crate) use crate::parse::plain::Mark;

/// The whole model from the parsed files: documents placed by id and
/// kind, every link and embed resolved, embeds checked, the link graph
/// built. Complete when it returns; the rules over it (`validate::run`)
/// come next. `alongside` runs on the placed
/// documents while their links are resolved (on two cores, a check that
/// needs only where each document is costs no time of its own): its
/// result comes back with the model.
pub(crate) fn build<T: Send>(
    parsed: Vec<Parsed>,
    assets: Vec<Asset>,
    dirs: Vec<String>,
    unread: Vec<String>,
    config: &Config,
    drafts: bool,
    alongside: impl FnOnce(&Handbook) -> T + Send,
) -> (Handbook, Vec<Diagnostic>, T) {
    let (mut hb, mut diags) = place(parsed, assets, dirs, config, drafts);
    for rel in unread {
        hb.failed_ids.insert(parse::default_id(&rel));
        hb.unloaded.insert(rel);
    }
    let (resolved, beside) = rayon::join(|| links::find(&hb), || alongside(&hb));
    diags.extend(links::apply(&mut hb, resolved));
    diags.extend(embed::check(&hb));
    hb.graph = graph::build(&hb);
    (hb, diags, beside)
}

/// The documents placed by id and kind, with their pages' URLs; links,
/// embeds and the graph are [`build`]'s next steps.
fn place(
    parsed: Vec<Parsed>,
    assets: Vec<Asset>,
    dirs: Vec<String>,
    config: &Config,
    drafts: bool,
) -> (Handbook, Vec<Diagnostic>) {
    let reserved = crate::site_files::reserved_names();
    let mut diags = Vec::new();
    let mut hb = Handbook {
        docs: Vec::with_capacity(parsed.len()),
        ids: HashMap::with_capacity(parsed.len()),
        processes: Vec::new(),
        pages: Vec::new(),
        home: None,
        by_path: HashMap::with_capacity(parsed.len()),
        assets: assets.into_iter().map(|a| (a.rel.clone(), a)).collect(),
        dirs: dirs.into_iter().collect(),
        failed_ids: HashSet::new(),
        unloaded: HashSet::new(),
        draft_ids: HashSet::new(),
        unplaced: HashSet::new(),
        graph: graph::LinkGraph::default(),
        history: None,
        revisions: std::collections::HashMap::new(),
        redirects: Vec::new(),
    };
    // SOP metadata waits until every process is known.
    let mut pending: Vec<(DocId, parse::front_matter::SopMeta)> = Vec::with_capacity(parsed.len());
    let mut id_spans: HashMap<DocId, std::ops::Range<usize>> = HashMap::new();

    for p in parsed {
        let Some(mut meta) = p.meta.map(|m| *m) else {
            hb.failed_ids.insert(parse::default_id(&p.rel));
            hb.unloaded.insert(p.rel);
            continue;
        };
        let common = match &mut meta {
            Meta::Process(m) => &mut m.common,
            Meta::Sop(m) => &mut m.common,
            Meta::Page(m) => &mut m.common,
        };
        let id_span = common
            .id
            .as_ref()
            .map_or(p.split.whole.start..p.split.whole.start, |a| a.span.clone());
        let id = common
            .id
            .take()
            .map_or_else(|| parse::default_id(&p.rel), |a| a.value);
        let draft = common.draft;
        // Moved out: the rest of the front matter is read below.
        let control = std::mem::take(&mut common.control);
        let extra = std::mem::take(&mut common.extra);
        let aliases = std::mem::take(&mut common.aliases);
        let title_span = common.title_span.clone();
        if draft && !drafts {
            hb.draft_ids.insert(id);
            continue;
        }
        let is_home = p.rel == "index.md" || p.rel == "_index.md";
        if let Some(&first) = hb.ids.get(&id) {
            let first_doc = hb.doc(first);
            let first_span = id_spans.get(&first).cloned().unwrap_or(0..0);
            diags.push(
                Diagnostic::new(Rule::DuplicateId, format!("the id `{id}` is used by {} and {}", first_doc.rel, p.rel))
                    .at(p.file, id_span)
                    .label("second use")
                    .related(first_doc.file, first_span, "first used here")
                    .help("ids are one namespace across the book: rename one file or set a different `id` in its front matter"),
            );
            hb.failed_ids.insert(id);
            hb.unloaded.insert(p.rel);
            continue;
        }
        if !is_home && matches!(meta, Meta::Page(_)) && reserved.contains(&id.as_str()) {
            diags.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    format!("the id `{id}` is reserved for a page the site writes itself"),
                )
                .at(p.file, id_span)
                .help(format!(
                    "rename the file or set another `id`; reserved: {}",
                    reserved.join(", ")
                )),
            );
            hb.failed_ids.insert(id);
            hb.unloaded.insert(p.rel);
            continue;
        }
        let doc_id = DocId(hb.docs.len() as u32);
        let (title, order, kind) = match meta {
            Meta::Process(m) => (
                m.common.title.unwrap_or_default(),
                m.common.order,
                Kind::Process(Process {
                    outcome: m.outcome,
                    owner: m.owner,
                    group: m.group,
                    automated: m.automated,
                    automated_span: m.automated_span,
                    equipment: m
                        .equipment
                        .into_iter()
                        .map(|e| Tool {
                            title: e.title,
                            link: e.url.map(|u| FileRef::new(&u.value, u.span)),
                        })
                        .collect(),
                    branches: m
                        .branches
                        .into_iter()
                        .map(|b| Branch {
                            id: b.id,
                            when: b.when,
                            span: b.span,
                            sops: Vec::new(),
                        })
                        .collect(),
                    loose: Vec::new(),
                    former: Vec::new(),
                }),
            ),
            Meta::Sop(m) => {
                let title = m.common.title.clone().unwrap_or_default();
                let order = m.common.order;
                pending.push((doc_id, m));
                (title, order, Kind::Page)
            }
            Meta::Page(m) => {
                let title = m
                    .common
                    .title
                    .or_else(|| p.body.first_h1.clone())
                    .unwrap_or_else(|| id.clone());
                (title, m.common.order, Kind::Page)
            }
        };
        if is_home {
            hb.home = Some(doc_id);
        }
        id_spans.insert(doc_id, id_span);
        hb.ids.insert(id.clone(), doc_id);
        hb.by_path.insert(p.rel.clone(), doc_id);
        hb.docs.push(Doc {
            id,
            title,
            title_span,
            rel: p.rel,
            file: p.file,
            order,
            kind,
            body: p.body,
            url: String::new(),
            targets: Vec::new(),
            syntax: p.split.syntax,
            draft,
            control,
            status: Status::Current,
            extra,
            aliases,
        });
    }

    for (doc_id, m) in pending {
        let file = hb.doc(doc_id).file;
        let Some(process) = find_process(&hb, &m.process.value) else {
            let ids: Vec<&str> = hb
                .docs
                .iter()
                .filter(|d| matches!(d.kind, Kind::Process(_)))
                .map(|d| d.id.as_str())
                .collect();
            let help = match (
                hb.ids.get(&m.process.value),
                did_you_mean(&m.process.value, ids.iter().copied()),
            ) {
                (Some(other), _) => format!(
                    "`{}` is {}, not a process; a process file has `kind = \"process\"`",
                    m.process.value,
                    kind_name(&hb.doc(*other).kind)
                ),
                (None, Some(s)) => format!("did you mean `{s}`?"),
                (None, None) if ids.is_empty() => {
                    "declare the process in a file with `kind = \"process\"`".to_owned()
                }
                (None, None) => format!("declared processes: {}", ids.join(", ")),
            };
            if !hb.failed_ids.contains(&m.process.value) {
                diags.push(
                    Diagnostic::new(
                        Rule::UnknownProcess,
                        format!("unknown process `{}`", m.process.value),
                    )
                    .at(file, m.process.span.clone())
                    .label("no process has this id")
                    .help(help),
                );
            }
            hb.unplaced.insert(doc_id);
            continue;
        };
        let Kind::Process(p) = &hb.docs[process.index()].kind else {
            hb.unplaced.insert(doc_id);
            continue;
        };
        let declared: Vec<&str> = p.branches.iter().map(|b| b.id.as_str()).collect();
        let branch = match (&m.branch, declared.is_empty()) {
            (None, true) => None,
            (None, false) => {
                diags.push(
                    Diagnostic::new(
                        Rule::UnknownBranch,
                        format!(
                            "this SOP names no branch, but `{}` declares branches",
                            m.process.value
                        ),
                    )
                    .at(file, m.process.span.clone())
                    .help(format!(
                        "add `{}` with one of: {}",
                        key_value(hb.doc(doc_id).syntax, "branch", "\"…\""),
                        declared.join(", ")
                    )),
                );
                hb.unplaced.insert(doc_id);
                continue;
            }
            (Some(b), true) => {
                diags.push(
                    Diagnostic::new(Rule::UnknownBranch, format!("the process `{}` declares no branches", m.process.value))
                        .at(file, b.span.clone())
                        .label("unknown branch")
                        .help(format!("remove `branch`, or declare it in the process file with [[branches]] id = \"{}\"", b.value)),
                );
                hb.unplaced.insert(doc_id);
                continue;
            }
            (Some(b), false) => match declared.iter().position(|d| *d == b.value) {
                Some(i) => Some(i),
                None => {
                    let suggestion = did_you_mean(&b.value, declared.iter().copied());
                    let help = match suggestion {
                        Some(s) => format!(
                            "did you mean `{s}`? declared branches: {}",
                            declared.join(", ")
                        ),
                        None => format!(
                            "declared branches of `{}`: {}",
                            m.process.value,
                            declared.join(", ")
                        ),
                    };
                    diags.push(
                        Diagnostic::new(
                            Rule::UnknownBranch,
                            format!(
                                "unknown branch `{}` of process `{}`",
                                b.value, m.process.value
                            ),
                        )
                        .at(file, b.span.clone())
                        .label("not declared by the process")
                        .help(help),
                    );
                    hb.unplaced.insert(doc_id);
                    continue;
                }
            },
        };
        let Kind::Process(p) = &mut hb.docs[process.index()].kind else {
            hb.unplaced.insert(doc_id);
            continue;
        };
        match branch {
            Some(i) => p.branches[i].sops.push(doc_id),
            None => p.loose.push(doc_id),
        }
        let media = m.media.map(|media| FileRef::new(&media.value, media.span));
        hb.docs[doc_id.index()].kind = Kind::Sop(Sop {
            process,
            branch,
            owner: m.owner,
            format: m.format,
            media,
            reviewed: m.reviewed,
            reviewed_span: m.reviewed_span,
            review_every: m.review_every.or_else(|| config.build.review_every.clone()),
        });
    }

    diags.extend(status::resolve(&mut hb));
    assign_urls(&mut hb);
    sort(&mut hb, &config.book.groups);
    diags.extend(groups::unused(&hb, &config.book.groups));
    let (aliases, found) = redirects::aliases(&hb);
    hb.redirects = aliases;
    diags.extend(found);
    diags.extend(output_paths::check(&hb));
    (hb, diags)
}

fn find_process(hb: &Handbook, id: &str) -> Option<DocId> {
    let &doc = hb.ids.get(id)?;
    matches!(hb.doc(doc).kind, Kind::Process(_)).then_some(doc)
}

pub(crate) fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Process(_) => "a process",
        Kind::Sop(_) => "an SOP",
        Kind::Page => "a page",
    }
}

/// What a document is, as far as the path of its page goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    /// `index.md` at the top of the content dir.
    Home,
    Process,
    /// An SOP of the process with this id.
    Sop(&'a str),
    Page,
}

/// The path of a document's page in the site, from its id and what it
/// is: the one rule, for today's pages and for the pages a document had
/// in its history ([`redirects::url_then`]).
pub(crate) fn page_url(id: &str, place: Place<'_>) -> String {
    match place {
        Place::Home => crate::site_files::HOME.to_owned(),
        Place::Process => format!("{id}/index.html"),
        Place::Sop(process) => format!("{process}/{id}.html"),
        Place::Page => format!("{id}.html"),
    }
}

fn assign_urls(hb: &mut Handbook) {
    let urls: Vec<String> = hb
        .docs
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let place = match &doc.kind {
                Kind::Process(_) => Place::Process,
                Kind::Sop(s) => Place::Sop(&hb.docs[s.process.index()].id),
                Kind::Page if Some(DocId(i as u32)) == hb.home => Place::Home,
                Kind::Page => Place::Page,
            };
            page_url(&doc.id, place)
        })
        .collect();
    for (doc, url) in hb.docs.iter_mut().zip(urls) {
        doc.url = url;
    }
}

fn sort(hb: &mut Handbook, listed: &[ListedGroup]) {
    let key = |hb: &Handbook, id: DocId| {
        let d = hb.doc(id);
        (
            d.order.unwrap_or(i64::MAX),
            d.title.to_lowercase(),
            d.id.clone(),
        )
    };
    let mut processes: Vec<DocId> = Vec::new();
    let mut pages: Vec<DocId> = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let id = DocId(i as u32);
        match &doc.kind {
            Kind::Process(_) => processes.push(id),
            // SOPs whose process is unknown were reported and stay a page
            // only in the model; they are not listed or written.
            Kind::Page if hb.has_own_page(id) => pages.push(id),
            _ => {}
        }
    }
    processes.sort_by_cached_key(|&id| {
        let group = hb.process(id).and_then(|p| p.group.as_deref());
        (groups::rank(group, listed), key(hb, id))
    });
    pages.sort_by_cached_key(|&id| key(hb, id));
    // Superseded and retired processes and pages leave the lists (they
    // are still written).
    pages.retain(|&id| hb.is_current(id));
    processes.retain(|&id| hb.is_current(id));
    /// A process's SOP lists: (process, per branch, loose, former).
    type Lists = (usize, Vec<Vec<DocId>>, Vec<DocId>, Vec<DocId>);
    let mut sop_lists: Vec<Lists> = Vec::new();
    for &p in &processes {
        if let Some(process) = hb.process(p) {
            let mut former = Vec::new();
            let mut current = |list: &[DocId]| -> Vec<DocId> {
                let (now, then): (Vec<DocId>, Vec<DocId>) =
                    list.iter().partition(|&&id| hb.is_current(id));
                former.extend(then);
                let mut now = now;
                now.sort_by_cached_key(|&id| key(hb, id));
                now
            };
            let branches: Vec<Vec<DocId>> =
                process.branches.iter().map(|b| current(&b.sops)).collect();
            let loose = current(&process.loose);
            former.sort_by_cached_key(|&id| key(hb, id));
            sop_lists.push((p.index(), branches, loose, former));
        }
    }
    for (i, branches, loose, former) in sop_lists {
        if let Kind::Process(p) = &mut hb.docs[i].kind {
            for (b, list) in p.branches.iter_mut().zip(branches) {
                b.sops = list;
            }
            p.loose = loose;
            p.former = former;
        }
    }
    hb.processes = processes;
    hb.pages = pages;
}
