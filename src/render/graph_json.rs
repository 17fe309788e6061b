//! `graph.json`: the handbook's processes, branches, SOPs, pages and every
//! resolved link between them, for other tools (docs/graph-json.md). Lists
//! are sorted by id so the file is stable from build to build.

use serde::Serialize;

use crate::model::{DocId, FileRef, Handbook, Kind, Target};

#[derive(Serialize)]
struct Graph<'a> {
    version: u32,
    title: &'a str,
    processes: Vec<ProcessNode<'a>>,
    sops: Vec<SopNode<'a>>,
    pages: Vec<PageNode<'a>>,
    edges: Vec<EdgeOut<'a>>,
}

#[derive(Serialize)]
struct ProcessNode<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    outcome: &'a str,
    owner: Option<&'a str>,
    group: Option<&'a str>,
    automated: bool,
    equipment: Vec<Equipment<'a>>,
    branches: Vec<BranchNode<'a>>,
    /// SOPs of the process that walk no branch.
    unbranched: Vec<&'a str>,
    aliases: Vec<&'a str>,
}

#[derive(Serialize)]
struct Equipment<'a> {
    title: &'a str,
    /// An absolute URL, or a path relative to the site root.
    url: Option<String>,
}

#[derive(Serialize)]
struct BranchNode<'a> {
    id: &'a str,
    when: &'a str,
    sops: Vec<&'a str>,
}

#[derive(Serialize)]
struct SopNode<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    process: &'a str,
    branch: Option<&'a str>,
    owner: Option<&'a str>,
    format: &'static str,
    steps: usize,
    reviewed: Option<String>,
    review_due: Option<String>,
    /// `current`, `superseded` or `retired`.
    status: &'static str,
    /// The id of the current document that replaces it.
    superseded_by: Option<&'a str>,
    retired: Option<String>,
    revision: Option<&'a str>,
    aliases: Vec<&'a str>,
}

#[derive(Serialize)]
struct PageNode<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    aliases: Vec<&'a str>,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    anchor: Option<&'a str>,
    count: u32,
}

pub(crate) fn render(hb: &Handbook, title: &str) -> String {
    let mut processes = Vec::new();
    let mut sops = Vec::new();
    let mut pages = Vec::new();
    let ids =
        |list: &[DocId]| -> Vec<&str> { list.iter().map(|&d| hb.doc(d).id.as_str()).collect() };
    // Every old path that sends the reader to a document (its aliases and
    // its URLs in the history), sorted: the redirects are.
    let mut aliases: std::collections::HashMap<DocId, Vec<&str>> = Default::default();
    for r in &hb.redirects {
        aliases.entry(r.to).or_default().push(&r.from);
    }
    let aliases_of = |i: usize| aliases.get(&DocId(i as u32)).cloned().unwrap_or_default();
    for (i, doc) in hb.docs.iter().enumerate() {
        if hb.unplaced.contains(&DocId(i as u32)) {
            continue;
        }
        match &doc.kind {
            Kind::Process(p) => processes.push(ProcessNode {
                id: &doc.id,
                title: &doc.title,
                url: &doc.url,
                source: &doc.rel,
                outcome: &p.outcome,
                owner: p.owner.as_deref(),
                group: p.group.as_deref(),
                automated: p.automated,
                equipment: p
                    .equipment
                    .iter()
                    .map(|e| Equipment {
                        title: &e.title,
                        url: e.link.as_ref().map(|l| match l {
                            FileRef::Hosted { url, .. } => url.clone(),
                            FileRef::Local {
                                target: Some(Target::Asset { rel, .. }),
                                ..
                            } => rel.clone(),
                            FileRef::Local {
                                target: Some(Target::Doc { doc, .. }),
                                ..
                            } => hb.doc(*doc).url.clone(),
                            FileRef::Local { written, .. } => written.clone(),
                        }),
                    })
                    .collect(),
                branches: p
                    .branches
                    .iter()
                    .map(|b| BranchNode {
                        id: &b.id,
                        when: &b.when,
                        sops: ids(&b.sops),
                    })
                    .collect(),
                unbranched: ids(&p.loose),
                aliases: aliases_of(i),
            }),
            Kind::Sop(s) => {
                let process = hb.doc(s.process);
                let branch = match (&process.kind, s.branch) {
                    (Kind::Process(p), Some(b)) => Some(p.branches[b].id.as_str()),
                    _ => None,
                };
                sops.push(SopNode {
                    id: &doc.id,
                    title: &doc.title,
                    url: &doc.url,
                    source: &doc.rel,
                    process: &process.id,
                    branch,
                    owner: s.owner.as_deref(),
                    format: s.format.as_str(),
                    steps: doc.body.steps.len(),
                    reviewed: s.reviewed.map(|d| d.to_string()),
                    review_due: s.review_due().map(|d| d.to_string()),
                    status: match doc.status {
                        crate::model::Status::Current => "current",
                        crate::model::Status::Superseded(_) => "superseded",
                        crate::model::Status::Retired(_) => "retired",
                    },
                    superseded_by: hb
                        .replacement(DocId(i as u32))
                        .map(|r| hb.doc(r).id.as_str()),
                    retired: match doc.status {
                        crate::model::Status::Retired(d) => Some(d.to_string()),
                        _ => None,
                    },
                    revision: doc.control.revision.as_deref(),
                    aliases: aliases_of(i),
                })
            }
            Kind::Page => pages.push(PageNode {
                id: &doc.id,
                title: &doc.title,
                url: &doc.url,
                source: &doc.rel,
                aliases: aliases_of(i),
            }),
        }
    }
    processes.sort_by(|a, b| a.id.cmp(b.id));
    sops.sort_by(|a, b| a.id.cmp(b.id));
    pages.sort_by(|a, b| a.id.cmp(b.id));
    let mut edges: Vec<EdgeOut> = hb
        .graph
        .edges
        .iter()
        .map(|e| EdgeOut {
            from: &hb.doc(e.from).id,
            to: &hb.doc(e.to).id,
            kind: e.kind.as_str(),
            anchor: e.anchor.as_deref(),
            count: e.count,
        })
        .collect();
    edges.sort_by(|a, b| (a.from, a.to, a.kind, a.anchor).cmp(&(b.from, b.to, b.kind, b.anchor)));
    let graph = Graph {
        version: 1,
        title,
        processes,
        sops,
        pages,
        edges,
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&graph).unwrap_or_default();
    text.push('\n');
    text
}
