//! How the pages of a source fall into sections, and in what order: the
//! tool's navigation where it has one, its folders, `weight`-like front
//! matter and file names otherwise. A section becomes a process.

use std::collections::{HashMap, HashSet};

use super::data;
use super::detect::{Flavor, Site};
use super::nav::{self, Item};
use super::source::Page;
pub(super) use super::source::strip_number_prefix;
use crate::parse::front_matter::Syntax;

#[derive(Debug)]
pub(super) struct Section {
    pub title: String,
    /// The folder its pages are in (relative to the content folder).
    pub folder: Option<String>,
    /// The page that introduces it (`index.md`, the chapter's own file).
    pub index: Option<usize>,
    /// Its other pages, in order.
    pub pages: Vec<usize>,
    pub weight: Option<i64>,
}

#[derive(Debug, Default)]
pub(super) struct Outline {
    /// The page at the top: the home page's text.
    pub home: Option<usize>,
    pub sections: Vec<Section>,
    /// Pages that belong to no section, in order.
    pub loose: Vec<usize>,
    /// Titles the navigation gives pages.
    pub nav_titles: HashMap<usize, String>,
    /// Where each page the navigation lists comes in it.
    pub nav_rank: HashMap<usize, usize>,
}

/// `Getting-started_guide` → `Getting started guide`.
pub(super) fn humanize(name: &str) -> String {
    let name = strip_number_prefix(name);
    let words: String = name
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_owned(),
    }
}

fn numeric_prefix(name: &str) -> Option<i64> {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0 && name[digits..].starts_with(['-', '_', '.', ' ']))
        .then(|| name[..digits].parse().ok())
        .flatten()
}

/// A Docusaurus `_category_.json`/`.yml`: (label, position).
fn category(site: &Site, dir: &str) -> (Option<String>, Option<i64>) {
    for name in ["_category_.json", "_category_.yml", "_category_.yaml"] {
        let path = site.content.join(dir).join(name);
        if let Some(table) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| data::parse_file(&t, Syntax::Yaml))
        {
            return (
                data::string(&table, &["label"]),
                data::int(&table, &["position"]),
            );
        }
    }
    (None, None)
}

/// The generated index pages of Docusaurus categories in `folder` and
/// below: (URL without the docs prefix, label).
pub(super) fn categories(site: &Site, folder: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(site.content.join(folder))
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if !name.starts_with("_category_.") {
            continue;
        }
        let Some(table) = std::fs::read_to_string(entry.path())
            .ok()
            .and_then(|t| data::parse_file(&t, Syntax::Yaml))
        else {
            continue;
        };
        let dir = entry
            .path()
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = data::string(&table, &["label"])
            .unwrap_or_else(|| strip_number_prefix(&dir).to_owned());
        let slug = data::string(&table, &["link", "slug"]).unwrap_or_else(|| {
            let words: Vec<String> = label.split_whitespace().map(str::to_lowercase).collect();
            format!("/category/{}", words.join("-"))
        });
        out.push((slug, label));
    }
    out
}

/// Docusaurus's generated category pages named in a sidebars file:
/// (`/category/<label>`, the label, the first doc listed after it).
pub(super) fn sidebar_categories(js: &str, pages: &[Page]) -> Vec<(String, String, usize)> {
    let ids = doc_ids(pages);
    let mut out = Vec::new();
    let mut open: Vec<(String, String)> = Vec::new();
    for (label, s) in nav::sidebar_strings(js) {
        if label {
            let words: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
            open.push((format!("/category/{}", words.join("-")), s));
        } else if let Some(&i) = ids.get(s.as_str()) {
            out.extend(open.drain(..).map(|(url, label)| (url, label, i)));
        }
    }
    out
}

/// Finds nav targets among the pages.
struct Finder<'a> {
    by_rel: HashMap<String, usize>,
    by_lower: HashMap<String, usize>,
    pages: &'a [Page],
}

impl<'a> Finder<'a> {
    fn new(pages: &'a [Page]) -> Finder<'a> {
        let mut by_rel = HashMap::new();
        let mut by_lower = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            by_rel.insert(p.rel.clone(), i);
            by_lower.entry(p.rel.to_lowercase()).or_insert(i);
            // A wiki names a page by its file name without `.md`, spaces
            // for dashes.
            by_lower
                .entry(p.stem().to_lowercase().replace(' ', "-"))
                .or_insert(i);
        }
        Finder {
            by_rel,
            by_lower,
            pages,
        }
    }

    fn find(&self, target: &str, wiki: bool) -> Option<usize> {
        let target = target.split('#').next().unwrap_or("");
        let target = super::urls::percent_decode(target);
        let target = target.trim_start_matches("./").trim_start_matches('/');
        if target.is_empty() || target.contains("://") {
            let name = target.rsplit("/wiki/").next().filter(|_| wiki)?;
            return self
                .by_lower
                .get(&name.to_lowercase().replace(' ', "-"))
                .copied();
        }
        if let Some(&i) = self.by_rel.get(target) {
            return Some(i);
        }
        if let Some(&i) = self.by_lower.get(&target.to_lowercase()) {
            return Some(i);
        }
        if wiki {
            let name = target.to_lowercase().replace(' ', "-");
            return self.by_lower.get(&name).copied();
        }
        // A folder or an extension left out.
        let bare = target.trim_end_matches('/');
        ["/index.md", "/README.md", ".md", "/_index.md"]
            .iter()
            .find_map(|ext| self.by_rel.get(&format!("{bare}{ext}")).copied())
            .filter(|&i| i < self.pages.len())
    }
}

/// Orders the pages and groups them into sections.
pub(super) fn build(site: &Site, pages: &[Page]) -> Outline {
    let finder = Finder::new(pages);
    let wiki = site.flavor == Flavor::Wiki;
    let items = match site.flavor {
        Flavor::MdBook | Flavor::Wiki => site
            .nav_file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(site.src.join(f)).ok())
            .map(|t| nav::markdown(&t, site.flavor == Flavor::MdBook)),
        Flavor::MkDocs => site.nav_table.as_ref().and_then(nav::mkdocs),
        _ => None,
    };
    let mut outline = Outline::default();
    let mut placed: HashSet<usize> = HashSet::new();
    if let Some(items) = items {
        from_nav(&items, &finder, wiki, &mut outline, &mut placed);
    }
    // Docusaurus: the sidebars' order of doc ids ranks the pages.
    let mut rank: HashMap<usize, usize> = HashMap::new();
    if let Some(js) = &site.sidebars {
        let ids = doc_ids(pages);
        for (label, s) in nav::sidebar_strings(js) {
            if label {
                continue;
            }
            if let Some(&i) = ids.get(s.as_str()) {
                let n = rank.len();
                rank.entry(i).or_insert(n);
            }
        }
    }
    let rest: Vec<usize> = (0..pages.len()).filter(|i| !placed.contains(i)).collect();
    by_folder(site, pages, &rest, &rank, &mut outline);
    by_parent(pages, &mut outline);
    outline
}

/// Docusaurus's doc id for each page: its path without extension and
/// number prefixes, or its front matter `id` in its folder.
fn doc_ids(pages: &[Page]) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let dir: Vec<&str> = p
            .dir()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(strip_number_prefix)
            .collect();
        let name = data::string(&p.fm, &["id"])
            .unwrap_or_else(|| strip_number_prefix(p.stem()).to_owned());
        let mut path = dir.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(&name);
        ids.insert(path, i);
    }
    ids
}

fn from_nav(
    items: &[Item],
    finder: &Finder,
    wiki: bool,
    outline: &mut Outline,
    placed: &mut HashSet<usize>,
) {
    let mut take =
        |target: &Option<String>, title: &Option<String>, placed: &mut HashSet<usize>| {
            let i = finder.find(target.as_deref()?, wiki)?;
            if !placed.insert(i) {
                return None;
            }
            if let Some(t) = title {
                outline.nav_titles.insert(i, t.clone());
            }
            let n = outline.nav_rank.len();
            outline.nav_rank.insert(i, n);
            Some(i)
        };
    for item in items {
        if item.children.is_empty() {
            if let Some(i) = take(&item.target, &item.title, placed) {
                let page = &finder.pages[i];
                if outline.home.is_none() && page.is_index() && page.dir().is_empty() {
                    outline.home = Some(i);
                } else {
                    outline.loose.push(i);
                }
            }
            continue;
        }
        let mut index = take(&item.target, &item.title, placed);
        let mut flat = Vec::new();
        nav::flatten(&item.children, &mut flat);
        let mut section_pages = Vec::new();
        for (target, title) in flat {
            if let Some(i) = take(&Some(target), &title, placed) {
                section_pages.push(i);
            }
        }
        // MkDocs' section index pages: the section's first page is its
        // folder's index.
        if index.is_none()
            && section_pages
                .first()
                .is_some_and(|&i| finder.pages[i].is_index())
        {
            index = Some(section_pages.remove(0));
        }
        let folder = common_folder(finder.pages, index.iter().chain(&section_pages));
        let title = item
            .title
            .clone()
            .or_else(|| index.and_then(|i| finder.pages[i].title()))
            .unwrap_or_else(|| folder.as_deref().map_or_else(|| "Section".into(), humanize));
        outline.sections.push(Section {
            title,
            folder,
            index,
            pages: section_pages,
            weight: None,
        });
    }
}

/// The top folder most of `pages` are in.
fn common_folder<'a>(pages: &[Page], ids: impl Iterator<Item = &'a usize>) -> Option<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for &i in ids {
        let rel = &pages[i].rel;
        if let Some((top, _)) = rel.split_once('/') {
            *count.entry(top).or_default() += 1;
        }
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(f, _)| f.to_owned())
}

/// Places pages the navigation did not: by folder, in the order of their
/// weights and names.
fn by_folder(
    site: &Site,
    pages: &[Page],
    rest: &[usize],
    rank: &HashMap<usize, usize>,
    outline: &mut Outline,
) {
    // Sort key of a path: per component (weight, name without number).
    let dir_weight = |dir: &str| -> Option<i64> {
        let index = pages.iter().find(|p| p.is_index() && p.dir() == dir);
        index
            .and_then(Page::weight)
            .or_else(|| category(site, dir).1)
            .or_else(|| numeric_prefix(dir.rsplit('/').next().unwrap_or(dir)))
    };
    let mut dir_weights: HashMap<String, Option<i64>> = HashMap::new();
    let mut key_of = |i: usize| {
        let p = &pages[i];
        let mut key: Vec<(i64, String)> = Vec::new();
        let parts: Vec<&str> = p.rel.split('/').collect();
        for depth in 0..parts.len() - 1 {
            let dir = parts[..=depth].join("/");
            let w = *dir_weights
                .entry(dir.clone())
                .or_insert_with(|| dir_weight(&dir));
            key.push((
                w.unwrap_or(i64::MAX),
                strip_number_prefix(parts[depth]).to_lowercase(),
            ));
        }
        let own = if p.is_index() {
            i64::MIN
        } else {
            p.weight()
                .or_else(|| numeric_prefix(p.stem()))
                .unwrap_or(i64::MAX)
        };
        let title = p
            .title()
            .unwrap_or_else(|| strip_number_prefix(p.stem()).to_owned());
        key.push((own, title.to_lowercase()));
        (rank.get(&i).copied().unwrap_or(usize::MAX), key)
    };
    let mut sorted: Vec<usize> = rest.to_vec();
    let keys: HashMap<usize, _> = sorted.iter().map(|&i| (i, key_of(i))).collect();
    sorted.sort_by(|a, b| keys[a].cmp(&keys[b]).then(a.cmp(b)));
    for i in sorted {
        let p = &pages[i];
        let Some((top, _)) = p.rel.split_once('/') else {
            let home = p.is_index()
                || (site.flavor == Flavor::Wiki && p.stem().eq_ignore_ascii_case("home"));
            if outline.home.is_none() && home {
                outline.home = Some(i);
            } else {
                outline.loose.push(i);
            }
            continue;
        };
        let is_index = (p.is_index() || p.is_folder_page()) && p.dir() == top;
        if let Some(s) = outline
            .sections
            .iter_mut()
            .find(|s| s.folder.as_deref() == Some(top))
        {
            if s.index.is_none() && is_index {
                s.index = Some(i);
            } else {
                s.pages.push(i);
            }
            continue;
        }
        let (label, position) = category(site, top);
        let title = label
            .or_else(|| is_index.then(|| p.title()).flatten())
            .unwrap_or_else(|| humanize(top));
        outline.sections.push(Section {
            title,
            folder: Some(top.to_owned()),
            index: is_index.then_some(i),
            pages: if is_index { Vec::new() } else { vec![i] },
            weight: position.or_else(|| dir_weight(top)),
        });
    }
}

/// just-the-docs' `parent:` and Eleventy's `eleventyNavigation.parent`
/// name the page a page sits under: loose pages move under the section of
/// their top ancestor, and a loose parent becomes a section.
fn by_parent(pages: &[Page], outline: &mut Outline) {
    let parent_of = |i: usize| {
        data::string(&pages[i].fm, &["parent"])
            .or_else(|| data::string(&pages[i].fm, &["eleventyNavigation", "parent"]))
    };
    if !outline.loose.iter().any(|&i| parent_of(i).is_some()) {
        return;
    }
    let names = |i: usize| {
        let p = &pages[i];
        [
            p.title(),
            data::string(&p.fm, &["eleventyNavigation", "key"]),
        ]
    };
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for i in 0..pages.len() {
        for n in names(i).into_iter().flatten() {
            by_name.entry(n).or_insert(i);
        }
    }
    let top_of = |mut i: usize| {
        let mut seen = HashSet::new();
        while let Some(&up) = parent_of(i).and_then(|n| by_name.get(&n)) {
            if !seen.insert(i) {
                break;
            }
            i = up;
        }
        i
    };
    let loose = std::mem::take(&mut outline.loose);
    let mut sections_of: HashMap<usize, usize> = HashMap::new();
    for (s, section) in outline.sections.iter().enumerate() {
        for &i in section.index.iter().chain(&section.pages) {
            sections_of.insert(i, s);
        }
    }
    let mut kept = Vec::new();
    for &i in &loose {
        if parent_of(i).is_none() {
            kept.push(i);
        }
    }
    for &i in &loose {
        if parent_of(i).is_none() {
            continue;
        }
        let top = top_of(i);
        if top == i {
            kept.push(i);
            continue;
        }
        let s = match sections_of.get(&top) {
            Some(&s) => s,
            None => {
                kept.retain(|&k| k != top);
                outline.sections.push(Section {
                    title: pages[top]
                        .title()
                        .unwrap_or_else(|| humanize(pages[top].stem())),
                    folder: None,
                    index: Some(top),
                    pages: Vec::new(),
                    weight: pages[top].weight(),
                });
                let s = outline.sections.len() - 1;
                sections_of.insert(top, s);
                s
            }
        };
        outline.sections[s].pages.push(i);
    }
    // Keep the source's order among the loose pages that stayed.
    let position: HashMap<usize, usize> = loose.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    kept.sort_by_key(|i| position[i]);
    outline.loose = kept;
    for section in &mut outline.sections {
        section.pages.sort_by_key(|&i| {
            (
                pages[i].weight().unwrap_or(i64::MAX),
                position.get(&i).copied().unwrap_or(0),
            )
        });
    }
    outline
        .sections
        .sort_by_key(|s| s.weight.unwrap_or(i64::MAX));
}
