//! What an embed shows, and embed cycles.
//!
//! `![[sop]]` shows the SOP's steps, `![[page]]` or `![[process]]` its whole
//! body, `![[x#heading]]` the section under that heading, `![[sop#step-3]]`
//! one step. The selection is a list of pieces of the source's parsed HTML,
//! so an embed is the single source rendered again, never a copy.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostics::{Diagnostic, Rule};
use crate::model::{Doc, DocId, Handbook, Kind, Target};
use crate::parse::markdown::{AnchorKind, BlockKind, Body, Hole, LinkKind};

/// A slice of a body: bytes of its HTML and the holes inside them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub html: Range<usize>,
    pub holes: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    pub pieces: Vec<Piece>,
    /// The pieces are `<li>` steps: wrap them in a list starting here.
    pub steps_from: Option<usize>,
    /// "Title", or "Title › Heading" for a section.
    pub label: Option<String>,
    /// The step embedded alone: "Title › step 3", in the book's language.
    pub step: Option<u32>,
}

/// What `![[doc#anchor]]` shows, or why it shows nothing.
pub(crate) fn select(doc: &Doc, anchor: Option<&str>) -> Result<Selection, String> {
    let body = &doc.body;
    let Some(anchor) = anchor else {
        if matches!(doc.kind, Kind::Sop(_)) {
            if body.steps.is_empty() {
                return Err(format!("`{}` has no steps to embed", doc.id));
            }
            return Ok(steps_and_callouts(body));
        }
        if body.html.trim().is_empty() && body.holes.is_empty() {
            return Err(format!("`{}` has no text to embed", doc.id));
        }
        return Ok(Selection {
            pieces: vec![Piece {
                html: 0..body.html.len(),
                holes: 0..body.holes.len(),
            }],
            steps_from: None,
            label: None,
            step: None,
        });
    };
    let Some((index, a)) = body
        .anchors
        .iter()
        .enumerate()
        .find(|(_, a)| a.id == anchor)
    else {
        return Err(format!("`{}` has no anchor `#{anchor}`", doc.id));
    };
    match a.kind {
        AnchorKind::Step(n) => {
            let s = &body.steps[n as usize - 1];
            Ok(Selection {
                pieces: vec![Piece {
                    html: s.html.clone(),
                    holes: s.holes.clone(),
                }],
                steps_from: Some(n as usize),
                label: None,
                step: Some(n),
            })
        }
        AnchorKind::Heading(_) => {
            let start = body
                .blocks
                .iter()
                .position(|b| matches!(b.kind, BlockKind::Heading { anchor, .. } if anchor as usize == index))
                .ok_or_else(|| format!("the heading `#{anchor}` of `{}` is inside a quote or list; only top-level sections can be embedded", doc.id))?;
            let BlockKind::Heading { level, .. } = body.blocks[start].kind else {
                return Err(format!("`#{anchor}` is not a section"));
            };
            let end = body.blocks[start + 1..]
                .iter()
                .position(|b| matches!(b.kind, BlockKind::Heading { level: l, .. } if l <= level))
                .map_or(body.blocks.len(), |i| start + 1 + i);
            if end == start + 1 {
                return Err(format!("the section `#{anchor}` of `{}` is empty", doc.id));
            }
            let (first, last) = (&body.blocks[start + 1], &body.blocks[end - 1]);
            Ok(Selection {
                pieces: vec![Piece {
                    html: first.html.start..last.html.end,
                    holes: first.holes.start..last.holes.end,
                }],
                steps_from: None,
                label: Some(a.text.clone()),
                step: None,
            })
        }
        AnchorKind::Footnote | AnchorKind::FootnoteRef => Err(format!(
            "`#{anchor}` is a footnote; embed a section or the steps"
        )),
        AnchorKind::Html => Err(format!(
            "`#{anchor}` is an id in raw HTML, not a section; embed a section or the steps"
        )),
    }
}

/// What `![[sop]]` shows: its step lists, each with its own `<ol>` (so
/// the numbers are the SOP's), and its callouts, in the order of the
/// SOP. A "do not run this on a Friday" warning is part of the procedure:
/// an embed that dropped it would show the steps without it. Other prose
/// and headings stay on the SOP's own page.
fn steps_and_callouts(body: &Body) -> Selection {
    let pieces: Vec<Piece> = body
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Steps | BlockKind::Callout))
        .map(|b| Piece {
            html: b.html.clone(),
            holes: b.holes.clone(),
        })
        .collect();
    if body.blocks.iter().any(|b| b.kind == BlockKind::Steps) {
        return Selection {
            pieces,
            steps_from: None,
            label: None,
            step: None,
        };
    }
    // Steps are the items of top-level lists, which are blocks: this is
    // only a guard, and shows the steps alone.
    Selection {
        pieces: body
            .steps
            .iter()
            .map(|s| Piece {
                html: s.html.clone(),
                holes: s.holes.clone(),
            })
            .collect(),
        steps_from: Some(1),
        label: None,
        step: None,
    }
}

/// The embeds inside a selection (or a whole body), with their link index.
fn embeds_in(doc: &Doc, pieces: Option<&[Piece]>) -> Vec<u32> {
    let holes = &doc.body.holes;
    let in_piece = |i: usize| pieces.is_none_or(|ps| ps.iter().any(|p| p.holes.contains(&i)));
    holes
        .iter()
        .enumerate()
        .filter_map(|(i, (_, h))| match h {
            Hole::Embed(n) if in_piece(i) => Some(*n),
            _ => None,
        })
        .collect()
}

type Node = (DocId, Option<String>);

/// A node on the search stack: its children (link index, node) and the
/// next child to visit.
type Frame = (Node, Vec<(u32, Node)>, usize);

/// Checks every embed: the target must have something to show, and no
/// chain of embeds may come back to where it started.
pub(crate) fn check(hb: &Handbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for doc in &hb.docs {
        for (n, link) in doc.body.links.iter().enumerate() {
            if link.kind != LinkKind::Embed {
                continue;
            }
            if let Target::Doc { doc: t, anchor } = &doc.targets[n]
                && let Err(why) = select(hb.doc(*t), anchor.as_deref())
            {
                let help = if anchor.is_none() && matches!(hb.doc(*t).kind, Kind::Sop(_)) {
                    format!(
                        "link to it with [[{}]], or embed one of its sections with ![[{}#heading]]",
                        hb.doc(*t).id,
                        hb.doc(*t).id
                    )
                } else {
                    format!("link to it with [[{}]] instead", link.dest)
                };
                diags.push(
                    Diagnostic::new(Rule::BrokenLink, format!("nothing to embed: {why}"))
                        .at(doc.file, link.span.clone())
                        .help(help),
                );
            }
        }
    }
    let cycles = cycles(hb);
    if cycles.is_empty() {
        diags.extend(runaway(hb));
    }
    diags.extend(cycles);
    diags
}

/// Embedded blocks one page may show, counting embeds inside embeds. Each
/// is the source rendered again, so a chain of pages that each embed the
/// next several times would otherwise grow the site exponentially.
pub(crate) const MAX_EMBEDS_PER_PAGE: u64 = 1000;

/// Pages whose embeds expand past [`MAX_EMBEDS_PER_PAGE`]. Runs only when
/// there is no cycle, so the search always ends; each node is counted once.
fn runaway(hb: &Handbook) -> Vec<Diagnostic> {
    let mut total: HashMap<Node, u64> = HashMap::new();
    let mut diags = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        if !doc.body.links.iter().any(|l| l.kind == LinkKind::Embed) {
            continue;
        }
        let root: Node = (DocId(i as u32), Some("\u{0}".to_owned()));
        // Post-order without recursion: a node is summed once its children are.
        let mut stack: Vec<(Node, bool)> = vec![(root.clone(), false)];
        while let Some((node, expanded)) = stack.pop() {
            if total.contains_key(&node) {
                continue;
            }
            let kids = children(hb, &node);
            if expanded {
                let sum = kids
                    .iter()
                    .map(|(_, k)| 1 + total.get(k).copied().unwrap_or(0))
                    .fold(0u64, |a, b| a.saturating_add(b))
                    .min(MAX_EMBEDS_PER_PAGE + 1);
                total.insert(node, sum);
            } else {
                stack.push((node, true));
                stack.extend(
                    kids.into_iter()
                        .filter(|(_, k)| !total.contains_key(k))
                        .map(|(_, k)| (k, false)),
                );
            }
        }
        if total.get(&root).copied().unwrap_or(0) > MAX_EMBEDS_PER_PAGE {
            let span = doc
                .body
                .links
                .iter()
                .find(|l| l.kind == LinkKind::Embed)
                .map_or(0..0, |l| l.span.clone());
            diags.push(
                Diagnostic::new(Rule::EmbedCycle, format!("the embeds on this page expand to more than {MAX_EMBEDS_PER_PAGE} embedded blocks"))
                    .at(doc.file, span)
                    .label("embeds inside embeds multiply from here")
                    .help("embed fewer times, or link to the shared SOP with [[…]] instead of embedding it"),
            );
        }
    }
    diags
}

fn children(hb: &Handbook, node: &Node) -> Vec<(u32, Node)> {
    let doc = hb.doc(node.0);
    let pieces = match &node.1 {
        Some(anchor) if anchor == "\u{0}" => None,
        anchor => match select(doc, anchor.as_deref()) {
            Ok(sel) => Some(sel.pieces),
            Err(_) => return Vec::new(),
        },
    };
    embeds_in(doc, pieces.as_deref())
        .into_iter()
        .filter_map(|n| match &doc.targets[n as usize] {
            Target::Doc { doc: t, anchor } => Some((n, (*t, anchor.clone()))),
            _ => None,
        })
        .collect()
}

/// Depth-first search over "shows" edges; each node is finished once, so
/// the whole check is linear in the number of embeds.
fn cycles(hb: &Handbook) -> Vec<Diagnostic> {
    #[derive(PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: HashMap<Node, State> = HashMap::new();
    let mut reported: HashSet<Vec<Node>> = HashSet::new();
    let mut diags = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        if !doc.body.links.iter().any(|l| l.kind == LinkKind::Embed) {
            continue;
        }
        // The root is the whole document ("\0" marks "all of it").
        let root: Node = (DocId(i as u32), Some("\u{0}".to_owned()));
        let mut stack: Vec<Frame> = vec![(root.clone(), children(hb, &root), 0)];
        state.insert(root, State::Open);
        while let Some((node, kids, next)) = stack.last_mut() {
            if *next == kids.len() {
                state.insert(node.clone(), State::Done);
                stack.pop();
                continue;
            }
            let (link, child) = kids[*next].clone();
            *next += 1;
            let from = node.clone();
            match state.get(&child) {
                Some(State::Done) => {}
                Some(State::Open) => {
                    let mut cycle: Vec<Node> = stack.iter().map(|(n, _, _)| n.clone()).collect();
                    let start = cycle.iter().position(|n| *n == child).unwrap_or(0);
                    cycle.drain(..start);
                    let mut key = cycle.clone();
                    key.sort();
                    if reported.insert(key) {
                        diags.push(cycle_error(hb, &cycle, &from, link, &child));
                    }
                }
                None => {
                    state.insert(child.clone(), State::Open);
                    let kids = children(hb, &child);
                    stack.push((child, kids, 0));
                }
            }
        }
    }
    diags
}

fn cycle_error(
    hb: &Handbook,
    cycle: &[Node],
    from: &Node,
    link: u32,
    back_to: &Node,
) -> Diagnostic {
    let name = |n: &Node| {
        let id = &hb.doc(n.0).id;
        match n.1.as_deref() {
            Some(a) if a != "\u{0}" => format!("{id}#{a}"),
            _ => id.clone(),
        }
    };
    // Start the printed cycle where it is reported: at `from`, whose embed
    // of `back_to` closes it.
    let mut names: Vec<String> = vec![name(from)];
    names.extend(cycle.iter().take(cycle.len().saturating_sub(1)).map(name));
    names.push(name(from));
    debug_assert!(cycle.first() == Some(back_to));
    let doc = hb.doc(from.0);
    let span = doc.body.links[link as usize].span.clone();
    Diagnostic::new(
        Rule::EmbedCycle,
        format!("embed cycle: {}", names.join(" → ")),
    )
    .at(doc.file, span)
    .label("this embed leads back to itself")
    .help("an embed cannot show itself; replace one of these embeds with a link [[…]]")
}
