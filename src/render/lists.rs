//! The pages that list the whole book: the reviews (every SOP by owner)
//! and the roles (every document by role). Past a page's worth of lines
//! such a list runs on over pages (`reviews/2.html`…), each with links to
//! the others, and its first page lists what it holds (owners, roles)
//! with where each starts: at 10,000 SOPs either list on one page is
//! megabytes of HTML.

use super::*;
use crate::model::status::role_key;
use crate::site_files::{ROLES_PER_PAGE, list_page, page_count};

/// roles.html's list, made once for the site: each role (spelled as the
/// book mostly does, compared without case and spacing) with the current
/// documents that name it, by process in the book's order.
pub(super) struct RoleList {
    roles: Vec<RoleEntry>,
    /// Lines in all: a document is a line under each role it names.
    rows: usize,
    /// The page (from 1) each role starts on, by [`role_key`].
    starts: std::collections::HashMap<String, usize>,
}

struct RoleEntry {
    name: String,
    anchor: String,
    /// By process (`None`: pages and processes that name the role
    /// themselves), documents by title.
    processes: Vec<(Option<DocId>, Vec<DocId>)>,
    /// Its first line's place in the whole list.
    start: usize,
}

/// The reviews' list, made once for the site (its pages share it): every
/// current SOP by owner, in the order the pages show them.
pub(super) struct ReviewList<'a> {
    /// Per owner, their SOPs and the id of their heading (when the list
    /// takes more than one page).
    groups: Vec<(Owned<'a>, Option<String>)>,
    total: usize,
}

/// One owner's current SOPs.
type Owned<'a> = Vec<(DocId, &'a Sop)>;

impl<'a> Renderer<'a> {
    /// Owners with overdue reviews first (the longest overdue first), the
    /// rest alphabetical, no owner last; within an owner the overdue SOPs
    /// first, then by due date, then never reviewed.
    fn review_list(&self) -> &ReviewList<'a> {
        self.reviews.get_or_init(|| {
            use std::collections::BTreeMap;
            let hb: &'a Handbook = self.hb;
            let mut by_owner: BTreeMap<(bool, String), Owned<'a>> = BTreeMap::new();
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
            // With the first due date among the owner's overdue SOPs.
            let mut groups: Vec<(Option<jiff::civil::Date>, Owned<'a>)> = by_owner
                .into_values()
                .map(|mut list| {
                    list.sort_by_cached_key(row_key);
                    let first_overdue = list
                        .iter()
                        .filter(|(_, s)| self.overdue(s))
                        .filter_map(|(_, s)| s.review_due())
                        .min();
                    (first_overdue, list)
                })
                .collect();
            groups.sort_by_key(|(first, _)| (first.is_none(), *first));
            let total = groups.iter().map(|(_, list)| list.len()).sum();
            // Owners' headings have ids only when there are pages to find them on.
            let anchors = if page_count(total, crate::site_files::REVIEWS_PER_PAGE) > 1 {
                owner_anchors(groups.iter().map(|(_, list)| owner_of(list)))
            } else {
                vec![None; groups.len()]
            };
            ReviewList {
                groups: groups
                    .into_iter()
                    .map(|(_, list)| list)
                    .zip(anchors)
                    .collect(),
                total,
            }
        })
    }
}

impl Renderer<'_> {
    /// The list of roles, made on first use.
    fn role_list(&self) -> &RoleList {
        self.roles.get_or_init(|| role_list(self.hb))
    }

    /// Where `role`'s list starts, seen from `from`: `roles.html#role-x`,
    /// or the page it starts on when the list runs on over pages; `None`
    /// for a role no current document names (roles.html lists current
    /// documents only: a superseded SOP's role may be nowhere on it).
    pub(super) fn role_url(&self, from: &str, role: &str) -> Option<String> {
        let page = self.role_list().starts.get(&role_key(role)).copied()?;
        Some(format!(
            "{}#{}",
            body::relative(from, &list_page(ROLES, page)),
            role_anchor(role)
        ))
    }

    /// Page `page` (from 1) of `roles.html`: each role and the current
    /// documents that name it, by process.
    pub(super) fn roles_view(&self, from: &str, page: usize) -> RolesView {
        let list = self.role_list();
        let pages = page_count(list.rows, ROLES_PER_PAGE);
        let page = page.clamp(1, pages);
        let shown = (page - 1) * ROLES_PER_PAGE..page * ROLES_PER_PAGE;
        let mut roles = Vec::new();
        let mut index = Vec::new();
        for r in &list.roles {
            if pages > 1 && page == 1 {
                index.push(RoleSummary {
                    name: r.name.clone(),
                    url: format!(
                        "{}#{}",
                        body::relative(from, &list_page(ROLES, r.start / ROLES_PER_PAGE + 1)),
                        r.anchor
                    ),
                    docs: r.processes.iter().map(|(_, d)| d.len()).sum(),
                });
            }
            let mut at = r.start;
            let mut processes = Vec::new();
            for (process, docs) in &r.processes {
                let starts = at;
                at += docs.len();
                let (lo, hi) = (starts.max(shown.start), at.min(shown.end));
                if lo < hi {
                    processes.push(RoleProcess {
                        process: process.map(|p| self.link(p, from)),
                        continued: lo > starts,
                        docs: docs[lo - starts..hi - starts]
                            .iter()
                            .map(|&d| self.link(d, from))
                            .collect(),
                    });
                }
            }
            if !processes.is_empty() {
                roles.push(RoleView {
                    name: r.name.clone(),
                    anchor: r.anchor.clone(),
                    continued: shown.start > r.start,
                    processes,
                });
            }
        }
        RolesView {
            roles,
            index,
            pagination: pagination(from, ROLES, page, pages),
        }
    }

    /// Page `page` (from 1) of the reviews: every SOP by owner; owners with
    /// overdue reviews first, and within an owner the overdue SOPs first.
    /// Past [`REVIEWS_PER_PAGE`] SOPs the list runs on over pages
    /// (`reviews/2.html`…), and the first page lists the owners.
    pub(super) fn reviews_view(&self, from: &str, page: usize) -> ReviewsView {
        use crate::site_files::REVIEWS_PER_PAGE;
        let hb = self.hb;
        let ReviewList { groups, total } = self.review_list();
        let total = *total;
        let rows = || groups.iter().flat_map(|(list, _)| list.iter());
        let pages = page_count(total, REVIEWS_PER_PAGE);
        let page = page.clamp(1, pages);
        let shown = (page - 1) * REVIEWS_PER_PAGE..page * REVIEWS_PER_PAGE;
        let row = |&(id, sop): &(DocId, &Sop)| {
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
                reviewed: sop.reviewed.map(|d| self.date_view(d)),
                review_due: sop.review_due().map(|d| self.date_view(d)),
                review_every: sop.review_every.as_ref().map(|r| self.interval_text(r)),
                overdue: self.overdue(sop),
            }
        };
        let mut on_page = Vec::new();
        let mut owners = Vec::new();
        let mut at = 0;
        for (list, anchor) in groups {
            let starts = at;
            at += list.len();
            if pages > 1 && page == 1 {
                let url = body::relative(from, &list_page(REVIEWS, starts / REVIEWS_PER_PAGE + 1));
                owners.push(OwnerSummary {
                    owner: owner_of(list),
                    url: body::with_fragment(url, anchor.as_deref()),
                    total: list.len(),
                    overdue: list.iter().filter(|(_, s)| self.overdue(s)).count(),
                    never: list.iter().filter(|(_, s)| s.reviewed.is_none()).count(),
                });
            }
            let (lo, hi) = (starts.max(shown.start), at.min(shown.end));
            if lo < hi {
                on_page.push(ReviewGroup {
                    owner: owner_of(list),
                    anchor: anchor.clone().filter(|_| lo == starts),
                    continued: lo > starts,
                    sops: list[lo - starts..hi - starts].iter().map(row).collect(),
                });
            }
        }
        ReviewsView {
            today: self.date_view(self.today),
            total,
            overdue: rows().filter(|(_, s)| self.overdue(s)).count(),
            never: rows().filter(|(_, s)| s.reviewed.is_none()).count(),
            groups: on_page,
            pagination: pagination(from, REVIEWS, page, pages),
            owners,
        }
    }
}

/// The owner of a list of one owner's SOPs, as first written.
fn owner_of(list: &[(DocId, &Sop)]) -> Option<String> {
    list.first().and_then(|(_, s)| s.owner.clone())
}

/// The id of each owner's heading: `owner-finance`, `no-owner`; an owner
/// whose name makes an id taken before gets `-2`, `-3`…
fn owner_anchors(owners: impl Iterator<Item = Option<String>>) -> Vec<Option<String>> {
    let mut taken = std::collections::HashSet::new();
    owners
        .map(|owner| {
            let base = match owner {
                Some(o) => format!("owner-{}", crate::parse::slug::slugify(&o)),
                None => "no-owner".to_owned(),
            };
            let mut anchor = base.clone();
            let mut n = 1;
            while !taken.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            Some(anchor)
        })
        .collect()
}

/// The links between the pages of a list that takes `pages` pages, seen
/// from its page `page`; `None` when it takes one.
fn pagination(from: &str, first: &str, page: usize, pages: usize) -> Option<Pagination> {
    use crate::site_files::list_page;
    let url = |n: usize| body::relative(from, &list_page(first, n));
    (pages > 1).then(|| Pagination {
        current: page,
        pages: (1..=pages)
            .map(|number| PageLink {
                number,
                url: url(number),
            })
            .collect(),
        previous: (page > 1).then(|| url(page - 1)),
        next: (page < pages).then(|| url(page + 1)),
    })
}

/// Every role and the current documents that name it, by process.
fn role_list(hb: &Handbook) -> RoleList {
    use std::collections::BTreeMap;
    /// Per role key: its name as first written, and per (process rank,
    /// process) the documents that name it.
    type ByProcess = BTreeMap<(usize, Option<DocId>), Vec<DocId>>;
    let mut roles: BTreeMap<String, (String, ByProcess)> = BTreeMap::new();
    let names = hb.role_names();
    let process_rank: std::collections::HashMap<DocId, usize> = hb
        .processes
        .iter()
        .enumerate()
        .map(|(n, &p)| (p, n))
        .collect();
    for (id, doc) in hb.own_pages() {
        if !hb.is_current(id) {
            continue;
        }
        let process = match &doc.kind {
            Kind::Sop(s) => Some(s.process),
            _ => None,
        };
        let rank = process
            .and_then(|p| process_rank.get(&p).copied())
            .unwrap_or(usize::MAX);
        for role in &doc.control.roles {
            let key = role_key(&role.value);
            let name = names
                .get(&key)
                .cloned()
                .unwrap_or_else(|| role.value.clone());
            let entry = roles.entry(key).or_insert_with(|| (name, BTreeMap::new()));
            let docs = entry.1.entry((rank, process)).or_default();
            if !docs.contains(&id) {
                docs.push(id);
            }
        }
    }
    let mut rows = 0;
    let mut starts = std::collections::HashMap::new();
    let roles = roles
        .into_iter()
        .map(|(key, (name, by_process))| {
            let start = rows;
            starts.insert(key, start / ROLES_PER_PAGE + 1);
            let processes: Vec<(Option<DocId>, Vec<DocId>)> = by_process
                .into_iter()
                .map(|((_, process), mut docs)| {
                    docs.sort_by_key(|&d| hb.doc(d).title.to_lowercase());
                    rows += docs.len();
                    (process, docs)
                })
                .collect();
            RoleEntry {
                anchor: role_anchor(&name),
                name,
                processes,
                start,
            }
        })
        .collect();
    RoleList {
        roles,
        rows,
        starts,
    }
}

/// A role's anchor on roles.html: `role-payroll-clerk`.
pub(super) fn role_anchor(role: &str) -> String {
    format!("role-{}", crate::parse::slug::slugify(&role_key(role)))
}

/// How many pages roles.html takes.
pub(super) fn role_pages(hb: &Handbook) -> usize {
    page_count(hb.role_rows(), ROLES_PER_PAGE)
}
