//! The link graph: every resolved link and embed between two documents,
//! built once after links are resolved. SOP pages read "Uses" and "Used by"
//! from it, process pages the processes that link in, and `graph.json`
//! publishes it for other tools.

use crate::model::{DocId, Handbook, Kind, Target};
use crate::parse::markdown::LinkKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Link,
    Embed,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Link => "link",
            EdgeKind::Embed => "embed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: DocId,
    pub to: DocId,
    pub kind: EdgeKind,
    pub anchor: Option<String>,
    /// How many times this exact link appears in `from`.
    pub count: u32,
}

#[derive(Debug, Default)]
pub struct LinkGraph {
    /// Sorted by (from, to, kind, anchor).
    pub edges: Vec<Edge>,
    /// Per document: indices into `edges` leaving it, and arriving at it.
    pub uses: Vec<Vec<usize>>,
    pub used_by: Vec<Vec<usize>>,
}

impl LinkGraph {
    /// Documents that `doc` links to or embeds, each once, by title; an
    /// embed wins over a plain link.
    pub fn targets_of(&self, hb: &Handbook, doc: DocId) -> Vec<(DocId, EdgeKind)> {
        self.collapse(
            hb,
            self.uses[doc.index()]
                .iter()
                .map(|&e| (self.edges[e].to, self.edges[e].kind)),
        )
    }

    /// Documents that link to or embed `doc`, each once, by title.
    pub fn sources_of(&self, hb: &Handbook, doc: DocId) -> Vec<(DocId, EdgeKind)> {
        self.collapse(
            hb,
            self.used_by[doc.index()]
                .iter()
                .map(|&e| (self.edges[e].from, self.edges[e].kind)),
        )
    }

    fn collapse(
        &self,
        hb: &Handbook,
        items: impl Iterator<Item = (DocId, EdgeKind)>,
    ) -> Vec<(DocId, EdgeKind)> {
        let mut list: Vec<(DocId, EdgeKind)> = items.collect();
        list.sort_by(|a, b| (a.0, b.1).cmp(&(b.0, a.1)));
        list.dedup_by_key(|(d, _)| *d);
        list.sort_by_cached_key(|(d, _)| (hb.doc(*d).title.to_lowercase(), hb.doc(*d).id.clone()));
        list
    }
}

/// The process a document belongs to: itself for a process, its process for
/// an SOP, none for a page.
pub(crate) fn process_of(hb: &Handbook, doc: DocId) -> Option<DocId> {
    match &hb.doc(doc).kind {
        Kind::Process(_) => Some(doc),
        Kind::Sop(s) => Some(s.process),
        Kind::Page => None,
    }
}

pub(crate) fn build(hb: &Handbook) -> LinkGraph {
    let mut edges: Vec<Edge> = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let from = DocId(i as u32);
        if hb.unplaced.contains(&from) {
            continue;
        }
        for (link, target) in doc.body.links.iter().zip(&doc.targets) {
            let Target::Doc { doc: to, anchor } = target else {
                continue;
            };
            if *to == from || hb.unplaced.contains(to) {
                continue;
            }
            let kind = if link.kind == LinkKind::Embed {
                EdgeKind::Embed
            } else {
                EdgeKind::Link
            };
            edges.push(Edge {
                from,
                to: *to,
                kind,
                anchor: anchor.clone(),
                count: 1,
            });
        }
    }
    edges.sort();
    edges.dedup_by(|next, kept| {
        let same = next.from == kept.from
            && next.to == kept.to
            && next.kind == kept.kind
            && next.anchor == kept.anchor;
        if same {
            kept.count += next.count;
        }
        same
    });
    let mut uses = vec![Vec::new(); hb.docs.len()];
    let mut used_by = vec![Vec::new(); hb.docs.len()];
    for (i, e) in edges.iter().enumerate() {
        uses[e.from.index()].push(i);
        used_by[e.to.index()].push(i);
    }
    LinkGraph {
        edges,
        uses,
        used_by,
    }
}
