//! Each page's view, built from the model: the home page's groups and
//! cards, a process with its branch map and review table, an SOP with its
//! other paths, neighbours and relations, the changes page. Templates get
//! these structs, never the model (the lists of the whole book, reviews
//! and roles, are in `lists.rs`).

use super::*;

impl Renderer<'_> {
    pub(super) fn home_view(&self, url: &str) -> HomeView {
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
            compact: hb.processes.len() > HOME_CARDS,
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
            changes_url: hb.history.is_some().then(|| body::relative(url, CHANGES)),
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
            reviewed: sop.and_then(|s| s.reviewed).map(|d| self.date_view(d)),
            review_due: sop.and_then(Sop::review_due).map(|d| self.date_view(d)),
            overdue: self.hb.is_current(id) && sop.is_some_and(|s| self.overdue(s)),
            draft: doc.draft,
            status: self.status_view(id, from),
        }
    }

    /// `<process>/print.html`: the process, then its current SOPs in
    /// branch order, each with its document-control block.
    pub(super) fn print_view(&self, id: DocId, url: &str, group: &mut Group) -> PrintView {
        let hb = self.hb;
        let Kind::Process(p) = &hb.doc(id).kind else {
            unreachable_card()
        };
        let mut sops = Vec::new();
        let walks = p
            .branches
            .iter()
            .map(|b| (Some(b.when.clone()), &b.sops))
            .chain(std::iter::once((None, &p.loose)));
        for (when, list) in walks {
            for &s in list {
                let doc = hb.doc(s);
                let sop = hb.sop(s);
                let anchor = format!("sop-{}", crate::parse::slug::slugify(&doc.id));
                sops.push(PrintSop {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    when: when.clone(),
                    owner: sop.and_then(|s| s.owner.clone()),
                    format: sop.map_or("document", |s| s.format.as_str()),
                    control: self.control_view(s, url),
                    reviewed: sop.and_then(|s| s.reviewed).map(|d| self.date_view(d)),
                    review_due: sop.and_then(Sop::review_due).map(|d| self.date_view(d)),
                    last_changed: hb
                        .history
                        .as_deref()
                        .and_then(|h| h.last(&doc.rel))
                        .map(|c| self.commit_view(c)),
                    body_html: prefix_ids(&self.shown_body(s, url, group), &anchor),
                    current_url: self.current_url(&doc.url),
                    anchor,
                });
            }
        }
        let mut process = match group.process.take() {
            Some((made, view)) if made == id => view,
            _ => self.process_view(id),
        };
        process.body_html = prefix_ids(&process.body_html, "process");
        PrintView {
            process,
            sops,
            current_url: self.current_url(&hb.doc(id).url),
        }
    }

    /// The words of the book's language.
    pub(super) fn words(&self) -> &crate::i18n::Strings {
        &self.config.book.strings
    }

    /// A date, as a `<time>` needs it and as the language writes it.
    pub(super) fn date_view(&self, d: jiff::civil::Date) -> DateView {
        DateView {
            iso: d.to_string(),
            text: self.words().date(d),
        }
    }

    /// A review interval in the book's language: "12 months", "12 Monate".
    pub(super) fn interval_text(&self, every: &crate::config::ReviewInterval) -> String {
        let span = every.span;
        let units = [
            ("interval.years", i64::from(span.get_years())),
            ("interval.months", i64::from(span.get_months())),
            ("interval.weeks", i64::from(span.get_weeks())),
            ("interval.days", i64::from(span.get_days())),
        ];
        units.iter().find(|(_, n)| *n != 0).map_or_else(
            || every.text.clone(),
            |(key, n)| {
                let n = usize::try_from(n.unsigned_abs()).unwrap_or(0);
                self.words().count(key, n)
            },
        )
    }

    fn commit_view(&self, c: &crate::history::Commit) -> CommitView {
        CommitView {
            date: self.date_view(c.date),
            short: c.short.clone(),
            url: self.config.build.commit_link(&c.hash),
            author: c.author.clone(),
            subject: c.subject.clone(),
        }
    }

    /// The history's commit `index` as a template value, made once per
    /// build: a commit is listed on the page of every file it changed and
    /// of every SOP that embeds one, always alike (its URL is absolute).
    fn commit_value(&self, history: &crate::history::History, index: usize) -> tera::Value {
        let make = || tera::Value::from_serializable(&self.commit_view(&history.commits[index]));
        match self.commits.get(index) {
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// An SOP's last commit and its History: its own commits and those of
    /// every document it embeds (transitively), newest first.
    fn history_of(&self, id: DocId, from: &str) -> (Option<tera::Value>, Vec<HistoryEntry>, usize) {
        let hb = self.hb;
        let Some(history) = hb.history.as_deref() else {
            return (None, Vec::new(), 0);
        };
        let doc = hb.doc(id);
        let last = history
            .indices_of(&doc.rel)
            .next()
            .map(|i| self.commit_value(history, i));
        // The documents it embeds, each once, in the order met.
        let mut embedded: Vec<DocId> = Vec::new();
        let mut queue = vec![id];
        while let Some(d) = queue.pop() {
            let doc = hb.doc(d);
            for (link, target) in doc.body.links.iter().zip(&doc.targets) {
                if link.kind == crate::parse::body::LinkKind::Embed
                    && let Target::Doc { doc: t, .. } = target
                    && *t != id
                    && !embedded.contains(t)
                {
                    embedded.push(*t);
                    queue.push(*t);
                }
            }
        }
        // Commit indices: smaller is newer (the history lists commits
        // newest first, by author date).
        let mut entries: Vec<(usize, Option<DocId>)> =
            history.indices_of(&doc.rel).map(|c| (c, None)).collect();
        for &e in &embedded {
            entries.extend(history.indices_of(&hb.doc(e).rel).map(|c| (c, Some(e))));
        }
        // Newest first; a commit that changed the SOP and what it embeds
        // is listed once, as its own.
        entries.sort_by(|a, b| {
            history.commits[b.0]
                .time
                .cmp(&history.commits[a.0].time)
                .then_with(|| a.0.cmp(&b.0))
                .then_with(|| a.1.is_some().cmp(&b.1.is_some()))
        });
        entries.dedup_by_key(|e| e.0);
        let more = entries.len().saturating_sub(HISTORY_SHOWN);
        let shown = entries
            .into_iter()
            .take(HISTORY_SHOWN)
            .map(|(c, via)| HistoryEntry {
                commit: self.commit_value(history, c),
                via: via.map(|v| self.link(v, from)),
            })
            .collect();
        (last, shown, more)
    }

    fn revision_view(&self, id: DocId) -> Option<RevisionView> {
        use crate::history::revisions::{StepChange, Word};
        use crate::html::escape_text;
        let r = self.hb.revisions.get(&id)?;
        let escaped = |t: &str| {
            let mut s = String::new();
            escape_text(&mut s, t);
            s
        };
        let steps = r
            .steps
            .iter()
            .map(|c| match c {
                StepChange::Added { number, text } => StepChangeView {
                    kind: "added",
                    number: *number,
                    html: escaped(text),
                },
                StepChange::Removed { number, text } => StepChangeView {
                    kind: "removed",
                    number: *number,
                    html: escaped(text),
                },
                StepChange::Changed { number, words } => {
                    let mut html = String::new();
                    for (word, text) in words {
                        match word {
                            Word::Kept => escape_text(&mut html, text),
                            Word::Removed => {
                                html.push_str("<del>");
                                escape_text(&mut html, text);
                                html.push_str("</del>");
                            }
                            Word::Inserted => {
                                html.push_str("<ins>");
                                escape_text(&mut html, text);
                                html.push_str("</ins>");
                            }
                        }
                    }
                    StepChangeView {
                        kind: "changed",
                        number: *number,
                        html,
                    }
                }
            })
            .collect();
        Some(RevisionView {
            against: r.against_revision.as_ref().map_or_else(
                || self.words().text("sop.against_previous").to_owned(),
                |v| {
                    self.words()
                        .fill("sop.against_revision", &[("revision", v)])
                },
            ),
            commit: self.commit_view(&r.against),
            steps,
        })
    }

    /// `changes.html`: the last [`CHANGES_SHOWN`] content commits, each
    /// with the pages it changed and those that embed them.
    pub(super) fn changes_view(&self, from: &str) -> ChangesView {
        let hb = self.hb;
        let Some(history) = hb.history.as_deref() else {
            return ChangesView {
                commits: Vec::new(),
                older: 0,
            };
        };
        let by_rel = pages_by_rel(hb);
        let recent = history.recent(CHANGES_SHOWN);
        let commits = recent
            .iter()
            .map(|c| {
                let (pages, mut files, through) = changed_docs(hb, &by_rel, c);
                let more = |n: usize| n.saturating_sub(CHANGE_ITEMS_SHOWN);
                let links = |list: Vec<DocId>| -> Vec<LinkView> {
                    list.into_iter()
                        .take(CHANGE_ITEMS_SHOWN)
                        .map(|d| self.link(d, from))
                        .collect()
                };
                let files_more = more(files.len());
                files.truncate(CHANGE_ITEMS_SHOWN);
                ChangeView {
                    commit: self.commit_view(c),
                    anchor: format!("c-{}", c.short),
                    pages_more: more(pages.len()),
                    through_more: more(through.len()),
                    files_more,
                    pages: links(pages),
                    files,
                    through: links(through),
                }
            })
            .collect();
        ChangesView {
            commits,
            older: history.commits.len() - recent.len(),
        }
    }

    /// The banner of a superseded or retired document.
    pub(super) fn status_view(&self, id: DocId, from: &str) -> Option<StatusView> {
        let hb = self.hb;
        match hb.doc(id).status {
            Status::Current => None,
            Status::Superseded(_) => Some(StatusView {
                kind: "superseded",
                replacement: hb.replacement(id).map(|r| self.link(r, from)),
                since: None,
            }),
            Status::Retired(date) => Some(StatusView {
                kind: "retired",
                replacement: None,
                since: Some(self.date_view(date)),
            }),
        }
    }

    /// Revision, approval and roles of a document; `None` when it has none.
    pub(super) fn control_view(&self, id: DocId, from: &str) -> Option<ControlView> {
        let c = &self.hb.doc(id).control;
        if c.revision.is_none()
            && c.effective.is_none()
            && c.approved_by.is_none()
            && c.approved.is_none()
            && c.roles.is_empty()
        {
            return None;
        }
        Some(ControlView {
            revision: c.revision.clone(),
            effective: c.effective.map(|d| self.date_view(d)),
            effective_future: c.effective.is_some_and(|d| d > self.today),
            approved_by: c.approved_by.clone(),
            approved: c.approved.map(|d| self.date_view(d)),
            roles: c
                .roles
                .iter()
                .map(|r| RoleRef {
                    title: r.value.clone(),
                    url: self.role_url(from, &r.value),
                })
                .collect(),
        })
    }

    pub(super) fn link(&self, id: DocId, from: &str) -> LinkView {
        let doc = self.hb.doc(id);
        LinkView {
            title: doc.title.clone(),
            url: body::relative(from, &doc.url),
            draft: doc.draft,
        }
    }

    /// Due today or earlier: the page shows a "review due" badge.
    pub(super) fn overdue(&self, sop: &Sop) -> bool {
        sop.review_due().is_some_and(|due| due <= self.today)
    }

    /// "Used by" (`incoming`) or "Uses" for a document.
    pub(super) fn uses(&self, id: DocId, from: &str, incoming: bool) -> Vec<UseView> {
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

    /// The body of SOP `id` as the page at `url` shows it: the one its
    /// own page showed, when that page was in the same folder, or made.
    fn shown_body(&self, id: DocId, url: &str, group: &mut Group) -> String {
        match group.bodies.iter().position(|(s, _)| *s == id) {
            Some(i) if folder(&self.hb.doc(id).url) == folder(url) => group.bodies.swap_remove(i).1,
            _ => self.body(id, url),
        }
    }

    /// [`Self::process_view`], kept in `group` for the print page.
    pub(super) fn process_view_in(&self, id: DocId, group: &mut Group) -> ProcessView {
        let view = self.process_view(id);
        if group.keep {
            group.process = Some((id, view.clone()));
        }
        view
    }

    pub(super) fn process_view(&self, id: DocId) -> ProcessView {
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
        let branch_map_html = (!branches.is_empty())
            .then(|| branch_map::svg(&doc.title, &branches, &loose, self.words()));
        let former: Vec<SopCard> = p
            .former
            .iter()
            .map(|&s| self.sop_card(s, &doc.url))
            .collect();
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
            former,
        }
    }

    pub(super) fn sop_view(&self, id: DocId, group: &mut Group) -> SopView {
        let hb = self.hb;
        let doc = hb.doc(id);
        let Kind::Sop(sop) = &doc.kind else {
            unreachable_card()
        };
        let (last_changed, history, history_more) = self.history_of(id, &doc.url);
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
            reviewed: sop.reviewed.map(|d| self.date_view(d)),
            review_due: sop.review_due().map(|d| self.date_view(d)),
            // No review is due on what is no longer in use.
            review_overdue: hb.is_current(id) && self.overdue(sop),
            review_every: sop.review_every.as_ref().map(|r| self.interval_text(r)),
            steps: doc.body.steps.len(),
            body_html: {
                let body = self.body(id, &doc.url);
                if group.keep {
                    group.bodies.push((id, body.clone()));
                }
                body
            },
            other_paths,
            prev: neighbour(prev),
            next: neighbour(next),
            used_by: self.uses(id, &doc.url, true),
            uses: self.uses(id, &doc.url, false),
            draft: doc.draft,
            revision: doc.control.revision.clone(),
            last_commit: hb
                .history
                .as_deref()
                .and_then(|h| h.last(&doc.rel))
                .map(|c| c.short.clone()),
            last_changed,
            history,
            history_more,
            changes: self.revision_view(id),
        }
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

/// Each page's document, by its path in the content dir.
pub(super) fn pages_by_rel(hb: &Handbook) -> std::collections::HashMap<&str, DocId> {
    hb.own_pages()
        .map(|(id, d)| (d.rel.as_str(), id))
        .chain(hb.home.map(|h| (hb.doc(h).rel.as_str(), h)))
        .collect()
}

/// What a commit changed: the pages (by title), the files that are no
/// page now, and the pages that show a changed page through embeds,
/// transitively.
pub(super) fn changed_docs(
    hb: &Handbook,
    by_rel: &std::collections::HashMap<&str, DocId>,
    commit: &crate::history::Commit,
) -> (Vec<DocId>, Vec<String>, Vec<DocId>) {
    let mut pages: Vec<DocId> = Vec::new();
    let mut files = Vec::new();
    for change in &commit.changes {
        match change.current.as_deref().and_then(|rel| by_rel.get(rel)) {
            Some(&id) => {
                if !pages.contains(&id) {
                    pages.push(id);
                }
            }
            None => files.push(change.path.clone()),
        }
    }
    let mut through: Vec<DocId> = Vec::new();
    let mut queue = pages.clone();
    while let Some(d) = queue.pop() {
        for (src, kind) in hb.graph.sources_of(hb, d) {
            if kind == graph::EdgeKind::Embed && !pages.contains(&src) && !through.contains(&src) {
                through.push(src);
                queue.push(src);
            }
        }
    }
    let title_key = |d: &DocId| hb.doc(*d).title.to_lowercase();
    pages.sort_by_key(title_key);
    through.sort_by_key(title_key);
    (pages, files, through)
}

/// `html` with every `id` and in-page `#fragment` given `prefix`, so that
/// several documents' bodies share one page without two equal ids: after
/// ` id="`, ` href="#` and ` aria-controls="`. One pass over the HTML,
/// from one `=` to the next (a print page holds every SOP of a process).
fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    // Every `=` is ASCII: the bytes around it split on char boundaries.
    for i in memchr::memchr_iter(b'=', html.as_bytes()) {
        let (before, after) = (&html[..i], &html[i + 1..]);
        let value = if before.ends_with(" id") || before.ends_with(" aria-controls") {
            after.starts_with('"').then_some(i + 2)
        } else if before.ends_with(" href") {
            after.starts_with("\"#").then_some(i + 3)
        } else {
            None
        };
        if let Some(at) = value {
            out.push_str(&html[copied..at]);
            out.push_str(prefix);
            out.push_str("--");
            copied = at;
        }
    }
    out.push_str(&html[copied..]);
    out
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

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn ids_and_in_page_links_get_the_prefix_and_nothing_else_does() {
        let html = concat!(
            "<h2 id=\"step-1\">A</h2>",
            "<a href=\"#step-1\">to it</a> <a href=\"other.html#x\">away</a>",
            "<button aria-controls=\"menu\">m</button>",
            "<p data-id=\"keep\" grid=\"keep\">a=b, id=\"text\" in words</p>",
            "<li id=\"\" class=\"step\">x</li><a href=\"#\">top</a>",
        );
        assert_eq!(
            prefix_ids(html, "sop-a"),
            concat!(
                "<h2 id=\"sop-a--step-1\">A</h2>",
                "<a href=\"#sop-a--step-1\">to it</a> <a href=\"other.html#x\">away</a>",
                "<button aria-controls=\"sop-a--menu\">m</button>",
                "<p data-id=\"keep\" grid=\"keep\">a=b, id=\"sop-a--text\" in words</p>",
                "<li id=\"sop-a--\" class=\"step\">x</li><a href=\"#sop-a--\">top</a>",
            )
        );
        assert_eq!(prefix_ids("", "p"), "");
        assert_eq!(
            prefix_ids("no attributes = here", "p"),
            "no attributes = here"
        );
        assert_eq!(prefix_ids("ends with id=", "p"), "ends with id=");
        assert_eq!(prefix_ids("é id=\"ü\"", "p"), "é id=\"p--ü\"");
    }
}
