//! Where each page of the source is on its own site, and what a link
//! written for that site reaches: a file path (`../x.md`), a site URL
//! (`/manual/x.html`, `../x/`, `/docs/x`), a permalink or an alias.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::data;
use super::detect::{Flavor, Site};
use super::source::Page;
use super::source::strip_number_prefix;
use crate::parse::slug;

/// `%20` → ` `; invalid sequences stay as written.
pub(super) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Joins `rel` (which may climb with `..`) onto the folder `base`; `None`
/// when it climbs above the top.
pub(super) fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if rel.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// A site path as the lookup compares it: no leading or trailing `/`, no
/// `index.html`, no `.html`/`.md` extension.
pub(super) fn normalize(path: &str) -> String {
    let mut p = path.trim_matches('/');
    for suffix in [
        "index.html",
        "index.htm",
        "index.md",
        "index.mdx",
        "README.md",
        "readme.md",
        "_index.md",
        "index",
    ] {
        if p == suffix {
            return String::new();
        }
        if let Some(rest) = p.strip_suffix(suffix)
            && rest.ends_with('/')
        {
            p = rest.trim_end_matches('/');
            break;
        }
    }
    let p = super::source::strip_markdown_ext(p).unwrap_or(p);
    let p = p
        .strip_suffix(".html")
        .or_else(|| p.strip_suffix(".htm"))
        .unwrap_or(p);
    p.trim_matches('/').to_owned()
}

/// What a link reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Page(usize),
    /// The site's home page (`/`).
    Home,
    /// A section's own page, which the source's tool generated
    /// (Docusaurus's category index).
    Section(usize),
    /// A file that is not a page, under SRC.
    File(PathBuf),
}

/// A page's headings, for fragments.
#[derive(Debug, Default)]
pub(super) struct Anchors {
    /// Ids a heading gets under GitHub's rule, ids written on headings,
    /// and ids in raw HTML.
    pub ids: Vec<String>,
    /// Other tools' slug of a heading → its GitHub id.
    pub other: HashMap<String, String>,
}

#[derive(Debug)]
pub(super) struct Index<'a> {
    site: &'a Site,
    by_file: HashMap<String, usize>,
    by_url: HashMap<String, usize>,
    by_url_lower: HashMap<String, usize>,
    sections: HashMap<String, usize>,
    /// Each page's URL folder: what a relative site URL is read against.
    base: Vec<String>,
    /// Filled once the pages' text is converted.
    pub anchors: Vec<Anchors>,
}

impl<'a> Index<'a> {
    pub(super) fn new(site: &'a Site, pages: &[Page]) -> Index<'a> {
        let mut index = Index {
            site,
            by_file: HashMap::new(),
            by_url: HashMap::new(),
            by_url_lower: HashMap::new(),
            sections: HashMap::new(),
            base: Vec::with_capacity(pages.len()),
            anchors: Vec::with_capacity(pages.len()),
        };
        let content_in_src = crate::paths::rel_under(&site.src, &site.content).unwrap_or_default();
        for (i, page) in pages.iter().enumerate() {
            index.by_file.insert(page.rel.clone(), i);
            if !content_in_src.is_empty() {
                index
                    .by_file
                    .insert(format!("{content_in_src}/{}", page.rel), i);
            }
            let urls = urls_of(site, page);
            let first = urls.first().cloned().unwrap_or_default();
            let folder = if page.is_index() || (site.pretty && !first.is_empty()) {
                first
            } else {
                first
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_owned())
            };
            index.base.push(folder);
            for url in urls {
                index.by_url_lower.entry(url.to_lowercase()).or_insert(i);
                index.by_url.entry(url).or_insert(i);
            }
        }
        for (old, new) in &site.redirects {
            let new = new.split('#').next().unwrap_or("");
            if let Some(Target::Page(i)) = new.strip_prefix('/').and_then(|n| index.lookup_url(n)) {
                index.by_url.entry(normalize(old)).or_insert(i);
            }
        }
        index
    }

    /// The page at `path` under the content folder or SRC.
    pub(super) fn file(&self, path: &str) -> Option<usize> {
        self.by_file.get(path).copied()
    }

    /// Resolves `url` written in page `from`: its target and its fragment.
    pub(super) fn resolve(
        &self,
        url: &str,
        from: &Page,
        from_index: usize,
    ) -> Option<(Target, Option<String>)> {
        let (rest, fragment) = match url.split_once('#') {
            Some((r, f)) => (r, Some(percent_decode(f))),
            None => (url, None),
        };
        let path = rest.split('?').next().unwrap_or("");
        if path.is_empty() {
            return Some((Target::Page(from_index), fragment));
        }
        let path = percent_decode(path);
        let site_path = self.site.hosts.iter().find_map(|h| {
            let r = path.strip_prefix(h.as_str())?;
            (r.is_empty() || r.starts_with('/')).then(|| format!("/{}", r.trim_start_matches('/')))
        });
        let path = match site_path {
            Some(p) => p,
            None if path.contains("://") || path.starts_with("//") => return None,
            None => path,
        };
        let target = if let Some(root) = path.strip_prefix('/') {
            self.at_root(root)
        } else {
            self.relative(&path, from, from_index)
        }?;
        Some((target, fragment))
    }

    fn at_root(&self, root: &str) -> Option<Target> {
        let mut tries = vec![root.to_owned()];
        if normalize(root).is_empty() {
            return Some(
                self.by_url
                    .get("")
                    .map_or(Target::Home, |&i| Target::Page(i)),
            );
        }
        for prefix in &self.site.prefixes {
            let prefix = prefix.trim_matches('/');
            if let Some(r) = root.strip_prefix(prefix)
                && (r.is_empty() || r.starts_with('/'))
            {
                if normalize(r).is_empty() {
                    return Some(
                        self.by_url
                            .get("")
                            .map_or(Target::Home, |&i| Target::Page(i)),
                    );
                }
                tries.push(r.trim_start_matches('/').to_owned());
            }
        }
        for t in &tries {
            if let Some(target) = self.lookup_file(t).or_else(|| self.lookup_url(t)) {
                return Some(target);
            }
        }
        for t in &tries {
            for dir in &self.site.statics {
                let file = dir.join(t);
                if file.is_file() {
                    return Some(Target::File(file));
                }
            }
        }
        None
    }

    fn relative(&self, path: &str, from: &Page, from_index: usize) -> Option<Target> {
        if let Some(joined) = join(from.dir(), path)
            && let Some(t) = self.lookup_file(&joined)
        {
            return Some(t);
        }
        if let Some(joined) = join(&self.base[from_index], path)
            && let Some(t) = self
                .lookup_url(&joined)
                .or_else(|| self.lookup_file(&joined))
        {
            return Some(t);
        }
        if let Some(t) = join(from.dir(), path).and_then(|j| self.lookup_url(&j)) {
            return Some(t);
        }
        // Docusaurus reads a relative file path from the docs folder when
        // the page's own folder has no such file.
        if self.site.flavor == Flavor::Docusaurus {
            let top = join("", path)?;
            return self.lookup_file(&top).or_else(|| self.lookup_url(&top));
        }
        None
    }

    fn lookup_file(&self, rel: &str) -> Option<Target> {
        if let Some(&i) = self.by_file.get(rel.trim_end_matches('/')) {
            return Some(Target::Page(i));
        }
        for root in [&self.site.content, &self.site.src] {
            let file = root.join(rel);
            if file.is_file() && !is_markdown(&file) {
                return Some(Target::File(file));
            }
        }
        None
    }

    fn lookup_url(&self, path: &str) -> Option<Target> {
        let key = normalize(path);
        self.by_url
            .get(&key)
            .or_else(|| self.by_url_lower.get(&key.to_lowercase()))
            .map(|&i| Target::Page(i))
            .or_else(|| self.sections.get(&key).map(|&s| Target::Section(s)))
    }

    /// `url` is the page the source's tool made for section `s`.
    pub(super) fn add_section(&mut self, url: &str, s: usize) {
        self.sections.entry(normalize(url)).or_insert(s);
    }
}

fn is_markdown(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| super::source::strip_markdown_ext(n).is_some())
}

/// Every URL the page answers to on its own site, normalized, the main
/// one first.
fn urls_of(site: &Site, page: &Page) -> Vec<String> {
    let mut urls = Vec::new();
    let docusaurus = site.flavor == Flavor::Docusaurus;
    let dir: Vec<&str> = page
        .dir()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if docusaurus {
                strip_number_prefix(s)
            } else {
                s
            }
        })
        .collect();
    let dir = dir.join("/");
    let at = |name: &str| {
        if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}/{name}")
        }
    };
    let fm = &page.fm;
    for key in ["permalink", "url"] {
        if let Some(p) = data::string(fm, &[key]).filter(|p| !p.contains(':') && !p.contains("{{"))
        {
            urls.push(normalize(&p));
        }
    }
    if let Some(slug) = data::string(fm, &["slug"]) {
        urls.push(normalize(&if slug.starts_with('/') {
            slug
        } else {
            at(&slug)
        }));
    }
    let stem = if docusaurus {
        data::string(fm, &["id"]).unwrap_or_else(|| strip_number_prefix(page.stem()).to_owned())
    } else {
        page.stem().to_owned()
    };
    // Jekyll posts: /2024/05/01/title.html.
    if site.flavor == Flavor::Jekyll
        && page.dir().ends_with("_posts")
        && let Some((date, title)) = split_post(&stem)
    {
        urls.push(normalize(&format!("{}/{title}", date.replace('-', "/"))));
    }
    let mut own =
        if page.is_index() || (docusaurus && dir.rsplit('/').next() == Some(stem.as_str())) {
            dir.clone()
        } else {
            at(&stem)
        };
    // Jekyll collections (`_pages/x.md`) are served without the `_`.
    if page.is_folder_page() && !docusaurus {
        urls.push(normalize(&dir));
    }
    if site.flavor == Flavor::Jekyll && own.starts_with('_') {
        urls.push(normalize(&own[1..]));
        if let Some((_, rest)) = own.split_once('/') {
            urls.push(normalize(rest));
        }
    }
    own = normalize(&own);
    urls.push(own);
    for key in ["aliases", "redirect_from"] {
        for alias in data::strings(fm, &[key]) {
            urls.push(normalize(&alias));
        }
    }
    urls
}

fn split_post(stem: &str) -> Option<(&str, &str)> {
    let date = stem.get(..10)?;
    let ok = date.chars().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            c == '-'
        } else {
            c.is_ascii_digit()
        }
    });
    (ok && stem[10..].starts_with('-')).then(|| (date, &stem[11..]))
}

/// Python-Markdown's slug (MkDocs): ASCII letters, digits, `_`, spaces and
/// `-`; runs of spaces and `-` one `-`.
fn mkdocs_slug(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
        .collect();
    let mut out = String::new();
    let mut dash = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// kramdown's auto id (Jekyll): GitHub's rule, without what comes before
/// the first letter.
fn kramdown_slug(text: &str) -> String {
    let s = slug::slugify(text);
    s.trim_start_matches(|c: char| !c.is_alphabetic())
        .to_owned()
}

/// The anchors of a page's body.
pub(super) fn anchors(body: &str) -> Anchors {
    // Admonition bodies are indented: read them as sopbook does.
    let rewritten = crate::parse::admonition::rewrite(body);
    let body = rewritten.as_ref().map_or(body, |(text, _)| text.as_str());
    let mut out = Anchors::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(String, Option<String>)> = None;
    let options = Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Heading { id, attrs, .. }) => {
                // `{#x}`, or `{ id=x }` / `{:#x}` as sopbook reads them.
                let written = attrs.iter().rev().find_map(|(k, v)| {
                    if k.eq_ignore_ascii_case("id") {
                        v.as_ref().map(|v| v.trim_matches(['"', '\'']).to_owned())
                    } else {
                        k.strip_prefix(":#").map(str::to_owned)
                    }
                });
                heading = Some((String::new(), id.map(|i| i.to_string()).or(written)))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((text, _)) = &mut heading {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((text, id)) = heading.take() else {
                    continue;
                };
                let github = slug::slugify(text.trim());
                let n = seen.entry(github.clone()).or_insert(0);
                let unique = if *n == 0 {
                    github.clone()
                } else {
                    format!("{github}-{n}")
                };
                *n += 1;
                for other in [slug::older(&text), mkdocs_slug(&text), kramdown_slug(&text)] {
                    if other != unique && !other.is_empty() {
                        out.other.entry(other).or_insert_with(|| unique.clone());
                    }
                }
                if let Some(id) = id {
                    out.ids.push(id);
                }
                out.ids.push(unique);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                // kramdown writes `#fn:label`, GitHub `#user-content-fn-label`.
                let id = format!("fn-{}", slug::slugify(&label));
                out.other.insert(format!("fn:{label}"), id.clone());
                out.other
                    .insert(format!("user-content-fn-{label}"), id.clone());
                out.ids.push(id);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for tag in crate::parse::raw_html::tags(&h, crate::parse::raw_html::Syntax::Html) {
                    for attr in &tag.attrs {
                        if (attr.name == "id" || (attr.name == "name" && tag.name == "a"))
                            && let Some(v) = &attr.value
                        {
                            out.ids.push(v.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

impl Index<'_> {
    /// `url` is an absolute URL of the source's own site.
    pub(super) fn is_own(&self, url: &str) -> bool {
        self.site.hosts.iter().any(|h| {
            url.strip_prefix(h.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with(['/', '#', '?']))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{join, kramdown_slug, mkdocs_slug, normalize, percent_decode};

    #[test]
    fn site_paths_compare_without_index_extension_or_slashes() {
        assert_eq!(normalize("/docs/setup/"), "docs/setup");
        assert_eq!(normalize("docs/setup.html"), "docs/setup");
        assert_eq!(normalize("docs/setup/index.html"), "docs/setup");
        assert_eq!(normalize("guide/README.md"), "guide");
        assert_eq!(normalize("manual/x.html.md.erb"), "manual/x");
        assert_eq!(normalize("/"), "");
        assert_eq!(normalize("index.html"), "");
    }

    #[test]
    fn joins_climb_but_never_above_the_top() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "./x/").as_deref(), Some("a/x/"));
        assert_eq!(join("a", "../../x"), None);
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
    }

    #[test]
    fn other_tools_slugs() {
        assert_eq!(mkdocs_slug("Step 1 - Build"), "step-1-build");
        assert_eq!(mkdocs_slug("Q & A"), "q-a");
        assert_eq!(kramdown_slug("1. Intro"), "intro");
    }
}
