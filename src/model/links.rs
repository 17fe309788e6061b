//! Resolves every link, image and media reference against the index of ids,
//! source paths and assets built before rendering; reports what points
//! nowhere at its file:line:column with a did-you-mean.

use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Rule, did_you_mean};
use crate::html::decode_url;
use crate::model::{Doc, DocId, Handbook, Kind};
use crate::parse::markdown::{AnchorKind, Link, LinkKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page of the book, at an anchor or its top.
    Doc { doc: DocId, anchor: Option<String> },
    /// A file copied from the content dir.
    Asset {
        rel: String,
        fragment: Option<String>,
    },
    /// A page the site writes itself (the home page when there is no index.md).
    Site(&'static str),
    /// Reported as broken; rendered as written.
    Broken,
}

/// A URL or path written in front matter: an SOP's `media`, a process's
/// equipment `url`.
#[derive(Debug, Clone, PartialEq)]
pub enum FileRef {
    /// A URL on another host: shown as a link, never loaded by the page.
    Hosted { url: String, span: Range<usize> },
    /// A file in the content dir (an asset or a page), found by [`resolve`].
    Local {
        written: String,
        span: Range<usize>,
        target: Option<Target>,
    },
}

impl FileRef {
    pub fn new(value: &str, span: Range<usize>) -> FileRef {
        if crate::html::is_external_url(value) {
            FileRef::Hosted {
                url: value.to_owned(),
                span,
            }
        } else {
            FileRef::Local {
                written: value.to_owned(),
                span,
                target: None,
            }
        }
    }
}

/// Schemes a front-matter URL may use: front matter is shown as a link on
/// pages, so `javascript:` and the like are refused.
const SAFE_SCHEMES: &[&str] = &["https:", "http:", "mailto:"];

/// Resolves a front-matter reference; problems are reported at its value.
fn resolve_ref(
    hb: &Handbook,
    doc: &Doc,
    r: &FileRef,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Target> {
    match r {
        FileRef::Hosted { url, span } => {
            let lower = url.to_ascii_lowercase();
            if !SAFE_SCHEMES.iter().any(|s| lower.starts_with(s)) && !url.starts_with("//") {
                diags.push(
                    Diagnostic::new(
                        Rule::FrontMatter,
                        format!(
                            "`{key}` must be an http(s) URL or a file in the content dir: `{url}`"
                        ),
                    )
                    .at(doc.file, span.clone())
                    .help("links in front matter may use https:, http: or mailto:"),
                );
            }
            None
        }
        FileRef::Local { written, span, .. } => {
            let decoded = decode_url(written);
            let (path, fragment) = split_fragment(&decoded);
            let found = resolve_path(&doc.rel, path).ok().and_then(|rel| {
                let rel = rel.trim_end_matches('/').to_owned();
                if let Some(&d) = hb.by_path.get(&rel) {
                    Some(Target::Doc {
                        doc: d,
                        anchor: None,
                    })
                } else {
                    hb.assets.get(&rel).map(|a| Target::Asset {
                        rel: a.rel.clone(),
                        fragment: fragment.map(str::to_owned),
                    })
                }
            });
            if found.is_none() {
                diags.push(
                    Diagnostic::new(Rule::MissingAsset, format!("`{key}` points to a file that does not exist: `{written}`"))
                        .at(doc.file, span.clone())
                        .help("put the file in the content dir (paths are relative to this file, or to the content dir when they start with `/`), or give a full https:// URL"),
                );
            }
            found
        }
    }
}

/// Per document: link targets, front-matter references, problems.
pub(crate) type Resolved = Vec<(Vec<Target>, Vec<Option<Target>>, Vec<Diagnostic>)>;

/// Every document's link targets and the files and URLs its front matter
/// points to, found on every thread without changing the book (so other
/// readers can run beside it); [`apply`] writes them in.
pub(crate) fn find(hb: &Handbook) -> Resolved {
    hb
        .docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let mut diags = Vec::new();
            let mut targets = Vec::with_capacity(doc.body.links.len());
            for link in &doc.body.links {
                if link.dest.trim().is_empty() && matches!(link.kind, LinkKind::Markdown | LinkKind::Image) {
                    diags.push(
                        Diagnostic::new(Rule::EmptyLink, "this link has an empty target")
                            .at(doc.file, link.span.clone())
                            .label("`()` points nowhere")
                            .help("write the target between the parentheses, e.g. [text](other-page.md) or [[id]]"),
                    );
                    targets.push(Target::Broken);
                    continue;
                }
                targets.push(match resolve_link(hb, DocId(i as u32), doc, link) {
                    Ok(t) => t,
                    Err(d) => {
                        diags.extend(d);
                        Target::Broken
                    }
                });
            }
            let refs = match &doc.kind {
                Kind::Sop(s) => s.media.iter().map(|m| resolve_ref(hb, doc, m, "media", &mut diags)).collect(),
                Kind::Process(p) => p
                    .equipment
                    .iter()
                    .map(|t| t.link.as_ref().and_then(|l| resolve_ref(hb, doc, l, "url", &mut diags)))
                    .collect(),
                Kind::Page => Vec::new(),
            };
            (targets, refs, diags)
        })
        .collect()
}

/// Fills `Doc::targets` and the front matter's file references with what
/// [`find`] found; returns its findings.
pub(crate) fn apply(hb: &mut Handbook, results: Resolved) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (doc, (targets, refs, d)) in hb.docs.iter_mut().zip(results) {
        doc.targets = targets;
        let slots: Vec<&mut Option<FileRef>> = match &mut doc.kind {
            Kind::Sop(s) => vec![&mut s.media],
            Kind::Process(p) => p.equipment.iter_mut().map(|t| &mut t.link).collect(),
            Kind::Page => Vec::new(),
        };
        for (slot, found) in slots.into_iter().zip(refs) {
            if let Some(FileRef::Local { target, .. }) = slot {
                *target = found;
            }
        }
        diags.extend(d);
    }
    diags
}

fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((path, frag)) => (path, Some(frag)),
        None => (dest, None),
    }
}

fn resolve_link(
    hb: &Handbook,
    from: DocId,
    doc: &Doc,
    link: &Link,
) -> Result<Target, Option<Diagnostic>> {
    let (path, fragment) = split_fragment(&link.dest);
    let fragment = fragment.map(decode_url).filter(|f| !f.is_empty());
    match link.kind {
        LinkKind::Wiki { .. } | LinkKind::Embed => {
            let id = path.trim();
            let target = if id.is_empty() {
                from
            } else if let Some(&t) = hb.ids.get(id) {
                t
            } else {
                // `[[diagram.png]]`, `[[../payroll/run.md]]`: a file, not an id.
                match resolve_file(hb, doc, id, fragment.clone(), link) {
                    Ok(Target::Doc { doc: t, .. }) => t,
                    Ok(other) => return Ok(other),
                    // Say which file was looked for, not "unknown id".
                    Err(missing) if looks_like_path(id) => return Err(missing),
                    Err(_) => return Err(unknown_id(hb, doc, link, id)),
                }
            };
            check_anchor(hb, doc, link, target, fragment)
        }
        LinkKind::Markdown | LinkKind::Image => {
            let path = path.split('?').next().unwrap_or("");
            if path.is_empty() {
                return check_anchor(hb, doc, link, from, fragment);
            }
            let target = resolve_file(hb, doc, &decode_url(path), fragment.clone(), link)?;
            match target {
                Target::Doc { doc: t, .. } => check_anchor(hb, doc, link, t, fragment),
                other => Ok(other),
            }
        }
    }
}

/// A `[[…]]` target that is a file rather than an id: it has a folder
/// (ids never hold `/`) or ends in an extension (`.png`, `.md`, `.pdf`:
/// letters and digits after the last dot, at least one a letter). An id
/// such as `policy-v1.2` is still an id.
fn looks_like_path(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    let extension = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => "",
    };
    target.contains('/')
        || (!extension.is_empty()
            && extension.len() <= 5
            && extension.bytes().all(|b| b.is_ascii_alphanumeric())
            && extension.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Resolves a path written in `doc` to a page, a folder's page or an asset.
fn resolve_file(
    hb: &Handbook,
    doc: &Doc,
    path: &str,
    fragment: Option<String>,
    link: &Link,
) -> Result<Target, Option<Diagnostic>> {
    let written = path;
    let rel = resolve_path(&doc.rel, path).map_err(|OutsideContent| {
        Some(
            Diagnostic::new(Rule::BrokenLink, format!("`{written}` points outside the content dir"))
                .at(doc.file, link.span.clone())
                .help("links are relative to this file; a link starting with `/` starts at the content dir"),
        )
    })?;
    let as_folder = path.ends_with('/') || rel.is_empty() || hb.dirs.contains(&rel);
    let md_dir = rel.strip_suffix('/').unwrap_or(&rel).to_owned();
    if let Some(&t) = hb.by_path.get(&md_dir) {
        return Ok(Target::Doc {
            doc: t,
            anchor: None,
        });
    }
    if as_folder {
        let prefix = if md_dir.is_empty() {
            String::new()
        } else {
            format!("{md_dir}/")
        };
        for name in ["process.md", "index.md", "_index.md", "README.md"] {
            if let Some(&t) = hb.by_path.get(&format!("{prefix}{name}")) {
                return Ok(Target::Doc {
                    doc: t,
                    anchor: None,
                });
            }
        }
        if md_dir.is_empty() {
            return Ok(Target::Site("index.html"));
        }
    }
    if let Some(asset) = hb.assets.get(&md_dir) {
        return Ok(Target::Asset {
            rel: asset.rel.clone(),
            fragment,
        });
    }
    // `run-payroll` for `run-payroll.md`: a common shorthand.
    if !md_dir.contains('.')
        && let Some(&t) = hb.by_path.get(&format!("{md_dir}.md"))
    {
        return Ok(Target::Doc {
            doc: t,
            anchor: None,
        });
    }
    if failed_to_load(hb, &md_dir, as_folder) {
        return Err(None);
    }
    Err(Some(missing_file(hb, doc, written, &md_dir, link)))
}

/// Whether the path `rel` (from the content dir, without a trailing `/`)
/// would have found a Markdown file that exists but failed to load: its
/// own error (front matter, encoding, a taken id) is what to fix, and a
/// `broken-link` here would point at the wrong file with a did-you-mean
/// to some other page. The link says nothing more.
fn failed_to_load(hb: &Handbook, rel: &str, as_folder: bool) -> bool {
    if hb.unloaded.is_empty() {
        return false;
    }
    if hb.unloaded.contains(rel)
        || (!rel.contains('.') && hb.unloaded.contains(&format!("{rel}.md")))
    {
        return true;
    }
    let prefix = if rel.is_empty() {
        String::new()
    } else {
        format!("{rel}/")
    };
    as_folder
        && ["process.md", "index.md", "_index.md", "README.md"]
            .iter()
            .any(|name| hb.unloaded.contains(&format!("{prefix}{name}")))
}

/// A path that climbs out of the content dir with `..`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OutsideContent;

/// Joins a written path to the linking file's folder (or the content root
/// for `/…`) and normalises `.` and `..`.
pub(crate) fn resolve_path(from_rel: &str, path: &str) -> Result<String, OutsideContent> {
    let mut parts: Vec<&str> = Vec::new();
    let path = if let Some(rooted) = path.strip_prefix('/') {
        rooted
    } else {
        parts.extend(from_rel.split('/'));
        parts.pop();
        path
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(OutsideContent)?;
            }
            p => parts.push(p),
        }
    }
    let mut rel = parts.join("/");
    if path.ends_with('/') && !rel.is_empty() {
        rel.push('/');
    }
    Ok(rel)
}

fn missing_file(hb: &Handbook, doc: &Doc, written: &str, rel: &str, link: &Link) -> Diagnostic {
    let span = &link.span;
    let is_page =
        crate::load::is_markdown(rel) || !rel.rsplit('/').next().unwrap_or("").contains('.');
    // `[[files/form.pdf]]` to nothing is a missing file like `[form](files/form.pdf)`.
    let rule = if is_page {
        Rule::BrokenLink
    } else {
        Rule::MissingAsset
    };
    let candidates = hb
        .by_path
        .keys()
        .map(String::as_str)
        .chain(hb.assets.keys().map(String::as_str));
    let help = match did_you_mean(rel, candidates) {
        // `#` and `?` end a URL's path: `a #1.png` is written `a%20%231.png`.
        Some(s) if s.contains(['#', '?']) => format!(
            "did you mean `{s}`? In a link, write `#` as `%23` and `?` as `%3F` (paths are relative to this file)"
        ),
        Some(s) => format!("did you mean `{s}`? (paths are relative to this file)"),
        None => {
            "paths are relative to this file; a path starting with `/` starts at the content dir"
                .to_owned()
        }
    };
    let help = template_help(written).unwrap_or(help);
    let what = if rule == Rule::MissingAsset {
        "file"
    } else {
        "page"
    };
    Diagnostic::new(rule, format!("no {what} at `{written}`"))
        .at(doc.file, span.clone())
        .label(format!("looked for `{rel}` in the content dir"))
        .help(help)
}

/// Links migrated from Jekyll, Hugo or Eleventy often still hold their
/// template tags; say so rather than suggest a file.
fn template_help(written: &str) -> Option<String> {
    ["{{", "{%", "<%"].iter().any(|t| written.contains(t)).then(|| {
        "this target is template syntax from another site generator, which sopbook does not run: write a relative link to the .md file or an [[id]] link instead".to_owned()
    })
}

fn unknown_id(hb: &Handbook, doc: &Doc, link: &Link, id: &str) -> Option<Diagnostic> {
    if hb.failed_ids.contains(id) {
        return None;
    }
    let what = if link.kind == LinkKind::Embed {
        "embed of"
    } else {
        "link to"
    };
    let help = if hb.draft_ids.contains(id) {
        format!("`{id}` is a draft: build with --drafts, or remove `draft = true` from it")
    } else if hb.ids.contains_key(&link.dest) {
        format!(
            "the id `{}` holds a `#`, which `[[...]]` reads as the start of an anchor: give that file an `id` without `#` in its front matter",
            link.dest
        )
    } else {
        let by_id = did_you_mean(id, hb.ids.keys().map(String::as_str));
        let by_title = || {
            hb.docs
                .iter()
                .find(|d| d.title.eq_ignore_ascii_case(id))
                .map(|d| d.id.as_str())
        };
        match by_id.or_else(by_title) {
            Some(s) => format!("did you mean `[[{s}]]`?"),
            None => {
                "link with the target's id: its `id` in front matter, or its file name without .md"
                    .to_owned()
            }
        }
    };
    Some(
        Diagnostic::new(Rule::BrokenLink, format!("{what} unknown id `{id}`"))
            .at(doc.file, link.span.clone())
            .label("no process, SOP or page has this id")
            .help(help),
    )
}

fn check_anchor(
    hb: &Handbook,
    doc: &Doc,
    link: &Link,
    target: DocId,
    anchor: Option<String>,
) -> Result<Target, Option<Diagnostic>> {
    let Some(anchor) = anchor else {
        return Ok(Target::Doc {
            doc: target,
            anchor: None,
        });
    };
    let t = hb.doc(target);
    // A process page also has an anchor per branch (`#branch-normal`).
    let is_branch = match &t.kind {
        Kind::Process(p) => p
            .branches
            .iter()
            .any(|b| super::branch_anchor(&b.id) == anchor),
        _ => false,
    };
    if is_branch {
        return Ok(Target::Doc {
            doc: target,
            anchor: Some(anchor),
        });
    }
    // `#search-results` for a heading "Search results", which gave the
    // theme its id and took `search-results-1`: the heading is meant.
    if let Some(a) = t.body.linked_anchor(&anchor) {
        return Ok(Target::Doc {
            doc: target,
            anchor: Some(a.id.clone()),
        });
    }
    let linkable: Vec<&str> = t
        .body
        .anchors
        .iter()
        .filter(|a| !matches!(a.kind, AnchorKind::FootnoteRef | AnchorKind::Footnote))
        .map(|a| a.id.as_str())
        .collect();
    let steps = t.body.steps.len();
    // `#step-9` of a 7-step SOP: a near miss by spelling, not by number.
    let step_number = anchor
        .strip_prefix("step-")
        .is_some_and(|n| n.parse::<u32>().is_ok());
    let suggestion = if step_number {
        None
    } else {
        did_you_mean(&anchor, linkable.iter().copied())
    };
    let help = match suggestion {
        Some(s) => format!("did you mean `#{s}`?"),
        None => {
            let headings: Vec<String> = linkable
                .iter()
                .filter(|a| !a.starts_with("step-"))
                .take(8)
                .map(|a| format!("#{a}"))
                .collect();
            let mut parts = Vec::new();
            if steps > 0 {
                parts.push(format!("steps #step-1 … #step-{steps}"));
            }
            if !headings.is_empty() {
                parts.push(format!("headings {}", headings.join(", ")));
            }
            if parts.is_empty() {
                format!("`{}` has no headings or steps to link to", t.id)
            } else {
                format!("`{}` has {}", t.id, parts.join("; "))
            }
        }
    };
    Err(Some(
        Diagnostic::new(
            Rule::BrokenLink,
            if std::ptr::eq(t, doc) {
                format!("this page has no anchor `#{anchor}`")
            } else {
                format!("`{}` has no anchor `#{anchor}`", t.id)
            },
        )
        .at(doc.file, link.span.clone())
        .label("unknown anchor")
        .help(help),
    ))
}

#[cfg(test)]
mod tests {
    use super::{OutsideContent, resolve_path};

    #[test]
    fn wiki_targets_that_are_files() {
        for path in [
            "img/x.png",
            "x.png",
            "../a/run.md",
            "files/form",
            "chart.svg",
            "a.PDF",
        ] {
            assert!(super::looks_like_path(path), "{path}");
        }
        for id in [
            "run-payroll",
            "policy-v1.2",
            "v2.0",
            "a.b-c",
            ".hidden",
            "run.payroll",
        ] {
            assert!(!super::looks_like_path(id), "{id}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            resolve_path("payroll/run.md", "../contracts/new.md"),
            Ok("contracts/new.md".into())
        );
        assert_eq!(
            resolve_path("payroll/run.md", "./fix.md"),
            Ok("payroll/fix.md".into())
        );
        assert_eq!(
            resolve_path("payroll/run.md", "/guides/a.md"),
            Ok("guides/a.md".into())
        );
        assert_eq!(
            resolve_path("payroll/run.md", "../payroll/"),
            Ok("payroll/".into())
        );
        assert_eq!(
            resolve_path("payroll/run.md", "../../x.md"),
            Err(OutsideContent)
        );
        assert_eq!(resolve_path("a.md", "img/x.png"), Ok("img/x.png".into()));
    }
}
