//! `sopbook import SRC [DEST]` (SPEC §9): turns the sources of another
//! documentation tool into a sopbook book.
//!
//! detect (which tool, where its pages are, how its URLs look) → source
//! (read the pages) → outline (sections and order) → urls (what each page
//! answers to) → prepass (includes, admonitions, template links) → roles
//! (a section is a process, a page with numbered steps an SOP) → links
//! (every link pointed at the new files) → write, into a staging folder
//! renamed to DEST at the end, so DEST is whole or absent.

mod data;
mod detect;
mod links;
mod nav;
mod outline;
mod prepass;
mod report;
mod source;
mod urls;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::failure::{EXIT_FAILURE, EXIT_OK, Failure};
use crate::parse::slug;
use crate::ui::{Ui, plural};
use detect::{Flavor, Site};
use outline::Outline;
use source::Page;

/// What became of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Home,
    Process(usize),
    Sop(usize),
    Page(Option<usize>),
}

/// One file of the new book.
#[derive(Debug)]
struct Planned {
    role: Role,
    id: String,
    /// Under the new content folder.
    path: String,
    title: String,
    /// The title came from the page's first `# heading`, which goes: its
    /// anchor (a link to it leads to the page).
    drop_h1: Option<String>,
    order: usize,
}

/// A process written for a section with no page of its own.
#[derive(Debug)]
struct MadeProcess {
    section: usize,
    id: String,
    path: String,
}

/// Everything IMPORT.md reports.
#[derive(Debug, Default)]
struct Findings {
    /// (new file, line, what)
    notes: Vec<(String, usize, String)>,
    /// (new file, line, link, why)
    dangling: Vec<(String, usize, String, &'static str)>,
    /// (file under SRC, why)
    skipped: Vec<(String, String)>,
    dropped_keys: BTreeMap<String, usize>,
    rewritten: usize,
    assets: usize,
}

pub(crate) fn run(src: &Path, dest: Option<&Path>, ui: &Ui) -> i32 {
    match import(src, dest, ui) {
        Ok(()) => EXIT_OK,
        Err(f) => {
            ui.failure(&f);
            EXIT_FAILURE
        }
    }
}

/// DEST: given, or `SRC-sopbook` beside SRC.
fn destination(src: &Path, dest: Option<&Path>) -> Result<PathBuf, Failure> {
    let dest = match dest {
        Some(d) => crate::paths::absolute(d),
        None => {
            let name = src.file_name().ok_or_else(|| {
                Failure::new("give DEST: SRC has no folder name to name it after")
            })?;
            let mut name = name.to_os_string();
            name.push("-sopbook");
            src.with_file_name(name)
        }
    };
    if dest.starts_with(src) {
        return Err(Failure::new(format!(
            "{} is inside the source {}: import never writes inside its source",
            dest.display(),
            src.display()
        ))
        .help("give a DEST outside SRC"));
    }
    if src.starts_with(&dest) {
        return Err(Failure::new(format!(
            "{} holds the source: it is not empty",
            dest.display()
        )));
    }
    match fs::read_dir(&dest) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Failure::new(format!("{} is not empty", dest.display()))
                    .help("import writes a new book: give an empty or new folder as DEST"));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(Failure::new(format!(
                "{} is a file, not a folder",
                dest.display()
            )));
        }
        Err(e) => return Err(Failure::io("read", &dest, &e)),
    }
    Ok(dest)
}

fn import(src_arg: &Path, dest: Option<&Path>, ui: &Ui) -> Result<(), Failure> {
    let src = fs::canonicalize(src_arg).map_err(|e| Failure::io("read", src_arg, &e))?;
    if !src.is_dir() {
        return Err(Failure::new(format!(
            "{} is not a folder",
            src_arg.display()
        )));
    }
    let dest = destination(&src, dest)?;
    let site = detect::detect(&src);
    if !site.content.is_dir() {
        return Err(Failure::new(format!(
            "{} looks like a {} source, but its pages folder {} is missing",
            src_arg.display(),
            site.flavor.name(),
            site.content.display()
        )));
    }
    ui.status(&format!(
        "Importing {} ({})",
        src_arg.display(),
        site.flavor.name()
    ));
    let mut found = source::gather(&site, &|n| {
        if n.is_multiple_of(100) {
            ui.progress(&format!("Reading pages: {n}"));
        }
    });
    source::drop_unrendered(&site, &mut found);
    if found.pages.is_empty() {
        return Err(Failure::new(format!(
            "no Markdown pages in {}",
            site.content.display()
        )));
    }
    let book = convert(&site, &found, ui)?;
    write(&site, &dest, &found, &book, ui)?;
    let f = &book.findings;
    let counts = book.counts();
    ui.status(&format!(
        "Imported {} into {}: {} processes, {} SOPs, {} ({} assets); links reaching nothing: {}; constructs left unconverted: {} (see IMPORT.md)",
        plural(found.pages.len(), "page"),
        dest.display(),
        counts.0,
        counts.1,
        plural(counts.2, "page"),
        f.assets,
        f.dangling.len(),
        f.notes.len(),
    ));
    ui.status(&format!("Next: sopbook check {}", dest.display()));
    Ok(())
}

/// The converted book, in memory.
#[derive(Debug)]
struct Book {
    plan: Vec<Planned>,
    made: Vec<MadeProcess>,
    outline: Outline,
    /// New text of each page, front matter included.
    texts: Vec<String>,
    /// New text of each made process.
    made_texts: Vec<String>,
    /// Files to copy: source → path under the new content folder.
    files: BTreeMap<PathBuf, String>,
    findings: Findings,
}

impl Book {
    /// (processes, SOPs, pages)
    fn counts(&self) -> (usize, usize, usize) {
        let mut c = (self.made.len(), 0, 0);
        for p in &self.plan {
            match p.role {
                Role::Process(_) => c.0 += 1,
                Role::Sop(_) => c.1 += 1,
                Role::Home | Role::Page(_) => c.2 += 1,
            }
        }
        c
    }
}

/// The page has a top-level numbered list of two or more items: steps.
fn has_steps(text: &str) -> bool {
    let mut depth = 0usize;
    let mut ordered_items: Option<usize> = None;
    for event in Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_DEFINITION_LIST,
    ) {
        match event {
            Event::Start(Tag::List(Some(_))) if depth == 0 => {
                ordered_items = Some(0);
                depth += 1;
            }
            Event::Start(Tag::Item) if depth == 1 => {
                if let Some(n) = &mut ordered_items {
                    *n += 1;
                    if *n >= 2 {
                        return true;
                    }
                }
            }
            Event::Start(
                Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList,
            ) => {
                depth += 1;
            }
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList,
            ) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    ordered_items = None;
                }
            }
            _ => {}
        }
    }
    false
}

/// The first `# heading` when it opens the text: (its text, its lines).
fn leading_h1(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    let mut in_h1: Option<(String, usize)> = None;
    for (event, span) in
        Parser::new_ext(text, Options::ENABLE_HEADING_ATTRIBUTES).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_h1 = Some((String::new(), span.start)),
            Event::Text(t) | Event::Code(t) if in_h1.is_some() => {
                if let Some((s, _)) = &mut in_h1 {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let (title, start) = in_h1.take()?;
                return Some((title.trim().to_owned(), start..span.end));
            }
            _ if in_h1.is_some() => {}
            Event::Html(h) if h.trim().is_empty() || h.trim_start().starts_with("<!--") => {}
            _ => return None,
        }
    }
    None
}

/// The first sentence of the first paragraph, for a process's outcome.
fn first_sentence(text: &str) -> Option<String> {
    // A callout's first paragraph counts; its marker line does not.
    let rewritten = crate::parse::admonition::rewrite(text);
    let text = rewritten.as_ref().map_or(text, |(t, _)| t.as_str());
    let mut para: Option<String> = None;
    for event in Parser::new_ext(text, Options::empty()) {
        match event {
            Event::Start(Tag::Paragraph) => para = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = &mut para {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = &mut para {
                    p.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph) => {
                let p = para.take()?;
                let p = p.trim();
                if p.is_empty() || p.contains("{{") || p.contains("{%") {
                    continue;
                }
                let end = p.find(". ").map_or(p.len(), |i| i + 1);
                let sentence = &p[..end];
                let sentence = match sentence.char_indices().nth(200) {
                    Some((i, _)) => format!("{}…", &sentence[..i]),
                    None => sentence.to_owned(),
                };
                return Some(sentence);
            }
            _ => {}
        }
    }
    None
}

/// An id from a name: lowercase words joined by `-`.
fn id_from(name: &str) -> String {
    let s = slug::older(name);
    if s.is_empty() { "page".into() } else { s }
}

/// Hands out ids: each once, never a name the site's own files use.
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    fn new() -> Ids {
        Ids {
            used: crate::site_files::reserved_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn take(&mut self, base: &str, folders: &[&str]) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut qualified = base.to_owned();
        for folder in folders.iter().rev() {
            qualified = format!("{}-{qualified}", id_from(folder));
            if self.used.insert(qualified.clone()) {
                return qualified;
            }
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap_or_default()
    }
}

fn convert(site: &Site, found: &source::Found, ui: &Ui) -> Result<Book, Failure> {
    let pages = &found.pages;
    ui.progress("Ordering pages");
    let mut outline = outline::build(site, pages);
    let mut index = urls::Index::new(site, pages);

    // Lookups the first pass makes: Hugo refs, Jekyll posts, wiki names.
    let by_stem: HashMap<String, Vec<usize>> = {
        let mut m: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            m.entry(p.stem().to_lowercase()).or_default().push(i);
        }
        m
    };
    let find = |lookup: prepass::Lookup<'_>, from: &Page| -> Option<String> {
        match lookup {
            prepass::Lookup::Hugo(path) => {
                let path = path.trim_start_matches("./");
                let tries: Vec<String> = if let Some(abs) = path.strip_prefix('/') {
                    vec![abs.to_owned()]
                } else {
                    let mut t = Vec::new();
                    if let Some(j) = urls::join(from.dir(), path) {
                        t.push(j);
                    }
                    t.push(path.to_owned());
                    t
                };
                for t in &tries {
                    for candidate in [
                        t.clone(),
                        format!("{t}.md"),
                        format!("{t}/_index.md"),
                        format!("{t}/index.md"),
                    ] {
                        if index.file(candidate.trim_end_matches('/')).is_some() {
                            return Some(candidate);
                        }
                    }
                }
                // A name alone: the one page with it anywhere.
                let name = path.rsplit('/').next().unwrap_or(path);
                let name = source::strip_markdown_ext(name)
                    .unwrap_or(name)
                    .to_lowercase();
                let matches: Vec<&usize> = by_stem
                    .get(&name)?
                    .iter()
                    .filter(|&&i| pages[i].rel.ends_with(path) || !path.contains('/'))
                    .collect();
                (matches.len() == 1).then(|| pages[*matches[0]].rel.clone())
            }
            prepass::Lookup::Post(name) => by_stem
                .get(&name.rsplit('/').next().unwrap_or(name).to_lowercase())?
                .iter()
                .find(|&&i| pages[i].rel.contains("_posts/"))
                .map(|&i| pages[i].rel.clone()),
            prepass::Lookup::Wiki(name) => {
                let key = name.trim().replace(' ', "-").to_lowercase();
                by_stem.get(&key)?.first().map(|&i| pages[i].rel.clone())
            }
        }
    };

    // First pass, in parallel.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = pages.len();
    let first: Vec<(String, Vec<prepass::Note>)> = pages
        .par_iter()
        .map(|page| {
            let dir = site.content.join(page.dir());
            let title = page.title();
            let partials = std::cell::RefCell::new(HashMap::new());
            let cx = prepass::Context {
                flavor: site.flavor,
                src: &site.src,
                dir: &dir,
                content: &site.content,
                find: &|l| find(l, page),
                title: title.as_deref(),
                callouts: &site.callouts,
                partials: &partials,
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n.is_multiple_of(200) {
                ui.progress(&format!("Converting pages: {n}/{total}"));
            }
            prepass::run(page.body(), &cx)
        })
        .collect();

    // A link to a section's folder reaches its process.
    for (s, section) in outline.sections.iter().enumerate() {
        if let Some(folder) = &section.folder {
            index.add_section(folder, s);
        }
    }
    if let Some(js) = &site.sidebars {
        let mut titled = HashSet::new();
        for (url, label, i) in outline::sidebar_categories(js, pages) {
            if let Some(s) = outline
                .sections
                .iter()
                .position(|s| s.index == Some(i) || s.pages.contains(&i))
            {
                index.add_section(&url, s);
                // The sidebar's outermost label over a section's first doc
                // names it, unless its own page has a title.
                let section = &mut outline.sections[s];
                let own = section.index.and_then(|x| pages[x].title());
                if own.is_none() && titled.insert(s) {
                    section.title = label;
                }
            }
        }
    }
    if site.flavor == Flavor::Docusaurus {
        for (s, section) in outline.sections.iter().enumerate() {
            if let Some(folder) = &section.folder {
                for (url, _) in outline::categories(site, folder) {
                    index.add_section(&url, s);
                }
            }
        }
    }
    index.anchors = first
        .par_iter()
        .map(|(text, _)| urls::anchors(text))
        .collect();

    // Roles.
    let mut roles: Vec<Role> = vec![Role::Page(None); pages.len()];
    if let Some(h) = outline.home {
        roles[h] = Role::Home;
    }
    for (s, section) in outline.sections.iter().enumerate() {
        if let Some(i) = section.index {
            roles[i] = Role::Process(s);
        }
        for &i in &section.pages {
            roles[i] = if has_steps(&first[i].0) {
                Role::Sop(s)
            } else {
                Role::Page(Some(s))
            };
        }
    }

    // Reading order: home, sections with their pages, loose pages.
    let mut order: Vec<usize> = Vec::with_capacity(pages.len());
    order.extend(outline.home);
    for section in &outline.sections {
        order.extend(section.index);
        order.extend(&section.pages);
    }
    order.extend(&outline.loose);
    // Where the tool's navigation lists the page, that is its place.
    order.sort_by_key(|i| outline.nav_rank.get(i).copied().unwrap_or(usize::MAX));
    let mut rank = vec![0usize; pages.len()];
    for (n, &i) in order.iter().enumerate() {
        rank[i] = n + 1;
    }

    // Ids and paths: processes first, then the pages in reading order.
    let mut ids = Ids::new();
    let mut paths: HashSet<String> = HashSet::new();
    let mut plan: Vec<Option<Planned>> = (0..pages.len()).map(|_| None).collect();
    let mut section_ids: Vec<String> = Vec::new();
    let mut made = Vec::new();
    let mut new_path = |rel: &str, home: bool| -> String {
        let base = if home {
            "index".to_owned()
        } else {
            let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
            let stem = source::strip_markdown_ext(name).unwrap_or(name);
            if dir.is_empty() {
                stem.to_owned()
            } else {
                format!("{dir}/{stem}")
            }
        };
        let mut candidate = format!("{base}.md");
        let mut n = 2;
        while !paths.insert(candidate.to_lowercase()) {
            candidate = format!("{base}-{n}.md");
            n += 1;
        }
        candidate
    };
    for (s, section) in outline.sections.iter().enumerate() {
        let base = match (section.index, &section.folder) {
            (Some(i), _) if !pages[i].is_index() => {
                id_from(outline::strip_number_prefix(pages[i].stem()))
            }
            (_, Some(folder)) => id_from(outline::strip_number_prefix(folder)),
            _ => id_from(&section.title),
        };
        let folders: Vec<&str> = section.folder.as_deref().into_iter().collect();
        let id = ids.take(&base, &folders);
        section_ids.push(id.clone());
        match section.index {
            Some(i) => {
                plan[i] = Some(Planned {
                    role: roles[i],
                    id: id.clone(),
                    path: new_path(&pages[i].rel, false),
                    title: section.title.clone(),
                    drop_h1: None,
                    order: s + 1,
                });
            }
            None => {
                let folder = section.folder.clone().unwrap_or_else(|| id.clone());
                let path = new_path(&format!("{folder}/process.md"), false);
                made.push(MadeProcess {
                    section: s,
                    id: id.clone(),
                    path,
                });
            }
        }
    }
    // Pages nearer the top take the plain ids (`upgrade.md` before
    // `insiders/upgrade.md`).
    let mut by_depth = order.clone();
    by_depth.sort_by_key(|&i| pages[i].rel.matches('/').count());
    for &i in &by_depth {
        if plan[i].is_some() {
            continue;
        }
        let page = &pages[i];
        let home = roles[i] == Role::Home;
        let docusaurus = site.flavor == Flavor::Docusaurus;
        let base = if home {
            "index".to_owned()
        } else if page.is_index() {
            id_from(outline::strip_number_prefix(
                page.dir().rsplit('/').next().unwrap_or("home"),
            ))
        } else if docusaurus {
            id_from(
                &data::string(&page.fm, &["id"])
                    .unwrap_or_else(|| outline::strip_number_prefix(page.stem()).to_owned()),
            )
        } else {
            id_from(page.stem())
        };
        let folders: Vec<&str> = page.dir().split('/').filter(|s| !s.is_empty()).collect();
        let id = if home {
            base
        } else {
            ids.take(&base, &folders)
        };
        plan[i] = Some(Planned {
            role: roles[i],
            id,
            path: new_path(&page.rel, home),
            title: String::new(),
            drop_h1: None,
            order: rank[i],
        });
    }
    let mut plan: Vec<Planned> = plan
        .into_iter()
        .map(|p| p.expect("every page is planned"))
        .collect();

    // Titles.
    for (i, page) in pages.iter().enumerate() {
        let h1 = leading_h1(&first[i].0);
        let p = &mut plan[i];
        // The page's own title, else the heading it opens with (the tool
        // showed it on the page), else the navigation's name for it.
        let own = page.title();
        if let Role::Process(s) = p.role {
            p.title = outline.sections[s].title.clone();
        } else {
            p.title = own
                .clone()
                .or_else(|| h1.as_ref().map(|(t, _)| t.clone()))
                .or_else(|| outline.nav_titles.get(&i).cloned())
                .unwrap_or_else(|| outline::humanize(page.stem()));
        }
        p.drop_h1 = h1
            .filter(|(t, _)| t.to_lowercase() == p.title.to_lowercase())
            .map(|(t, _)| slug::slugify(&t));
    }

    // Second pass: links.
    let new_paths: Vec<String> = plan.iter().map(|p| p.path.clone()).collect();
    let files: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());
    let content_assets: HashMap<&Path, &str> = found
        .assets
        .iter()
        .map(|(p, r)| (p.as_path(), r.as_str()))
        .collect();
    let file_place = |file: &PathBuf| -> Option<String> {
        let real = fs::canonicalize(file).ok()?;
        if !real.starts_with(&site.src) {
            return None;
        }
        let to = content_assets
            .get(file.as_path())
            .map(|r| (*r).to_owned())
            .or_else(|| crate::paths::rel_under(&site.content, file))
            .or_else(|| {
                site.statics
                    .iter()
                    .find_map(|d| crate::paths::rel_under(d, file))
            })
            .or_else(|| crate::paths::rel_under(&site.src, file))?;
        files.lock().ok()?.insert(file.clone(), to.clone());
        Some(to)
    };
    let is_sop = |j: usize| matches!(roles[j], Role::Sop(_));
    let section_paths: Vec<String> = (0..outline.sections.len())
        .map(|s| match outline.sections[s].index {
            Some(i) => plan[i].path.clone(),
            None => made
                .iter()
                .find(|m| m.section == s)
                .map(|m| m.path.clone())
                .unwrap_or_default(),
        })
        .collect();
    let title_anchor: Vec<Option<String>> = plan.iter().map(|p| p.drop_h1.clone()).collect();
    let home_path = outline.home.map(|h| plan[h].path.clone());
    let section_index: Vec<Option<usize>> = outline.sections.iter().map(|s| s.index).collect();
    let wiki_ids: HashSet<String> = if site.flavor == Flavor::Wiki {
        HashSet::new()
    } else {
        plan.iter()
            .map(|p| p.id.clone())
            .chain(made.iter().map(|m| m.id.clone()))
            .collect()
    };
    let places = links::Places {
        wiki_ids: &wiki_ids,
        section_index: &section_index,
        pages: &new_paths,
        title_anchor: &title_anchor,
        home: home_path.as_deref(),
        sections: &section_paths,
        file: &file_place,
        sop: &is_sop,
    };
    let second: Vec<links::Outcome> = (0..pages.len())
        .into_par_iter()
        .map(|i| links::run(&first[i].0, i, &index, pages, &places))
        .collect();

    // The new files.
    let mut findings = Findings {
        skipped: found.skipped.clone(),
        ..Findings::default()
    };
    let mut texts = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let p = &plan[i];
        let mut body = second[i].text.clone();
        if p.drop_h1.is_some()
            && let Some((_, range)) = leading_h1(&body)
        {
            let lines = body[range.clone()].matches('\n').count();
            body.replace_range(range, &"\n".repeat(lines));
        }
        if let Role::Process(s) = p.role {
            body.push_str(&section_list(&outline.sections[s], &plan, &roles));
        }
        let (front, used) = front_matter(page, i, &plan, &outline, &section_ids, &first);
        for e in &page.fm {
            if !used.contains(&e.key.as_str()) {
                *findings.dropped_keys.entry(e.key.clone()).or_default() += 1;
            }
        }
        if let Some(err) = &page.fm_error {
            findings.notes.push((
                p.path.clone(),
                1,
                format!("the front matter could not be read ({err}): only its text was kept"),
            ));
        }
        let offset = front.matches('\n').count();
        for note in &first[i].1 {
            findings
                .notes
                .push((p.path.clone(), note.line + offset, note.what.clone()));
        }
        let line_of =
            |at: usize| first[i].0[..at.min(first[i].0.len())].matches('\n').count() + 1 + offset;
        for d in &second[i].dangling {
            findings
                .dangling
                .push((p.path.clone(), line_of(d.at), d.link.clone(), d.why));
        }
        findings.rewritten += second[i].rewritten;
        texts.push(format!("{front}{body}"));
    }
    let mut made_texts = Vec::new();
    for m in &made {
        let section = &outline.sections[m.section];
        let mut text = String::from("+++\nkind = \"process\"\n");
        if crate::parse::default_id(&m.path) != m.id {
            text.push_str(&format!("id = {}\n", toml_string(&m.id)));
        }
        text.push_str(&format!("title = {}\n", toml_string(&section.title)));
        text.push_str(&format!("outcome = {}\n", toml_string(&section.title)));
        text.push_str(&format!("order = {}\n", m.section + 1));
        text.push_str(&branches(section, &plan));
        text.push_str("+++\n");
        text.push_str(section_list(section, &plan, &roles).trim_start());
        made_texts.push(text);
    }
    let mut files = files.into_inner().unwrap_or_default();
    for (path, rel) in &found.assets {
        files.entry(path.clone()).or_insert_with(|| rel.clone());
    }
    findings.assets = files.len();
    findings.notes.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    findings
        .dangling
        .sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(Book {
        plan,
        made,
        outline,
        texts,
        made_texts,
        files,
        findings,
    })
}

/// The pages of a section that are not SOPs, listed on its process page
/// so that they stay reachable from it.
fn section_list(section: &outline::Section, plan: &[Planned], roles: &[Role]) -> String {
    let pages: Vec<&Planned> = section
        .pages
        .iter()
        .filter(|&&i| matches!(roles[i], Role::Page(_)))
        .map(|&i| &plan[i])
        .collect();
    if pages.is_empty() {
        return String::new();
    }
    let mut list = String::from("\n\n## In this section\n\n");
    for p in pages {
        list.push_str(&format!("- [[{}]]\n", p.id));
    }
    list
}

fn branches(section: &outline::Section, plan: &[Planned]) -> String {
    let mut out = String::new();
    for &i in &section.pages {
        if let Role::Sop(_) = plan[i].role {
            out.push_str(&format!(
                "\n[[branches]]\nid = {}\nwhen = {}\n",
                toml_string(&plan[i].id),
                toml_string(&plan[i].title)
            ));
        }
    }
    out
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The new front matter of page `i`, and the source keys it used.
#[allow(clippy::too_many_arguments)]
fn front_matter(
    page: &Page,
    i: usize,
    plan: &[Planned],
    outline: &Outline,
    section_ids: &[String],
    first: &[(String, Vec<prepass::Note>)],
) -> (String, Vec<&'static str>) {
    let p = &plan[i];
    let fm = &page.fm;
    let mut used: Vec<&'static str> = vec!["title"];
    let mut out = String::from("+++\n");
    let line =
        |out: &mut String, key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
    if let Role::Process(_) = p.role {
        line(&mut out, "kind", toml_string("process"));
    }
    if p.role != Role::Home && crate::parse::default_id(&p.path) != p.id {
        line(&mut out, "id", toml_string(&p.id));
    }
    line(&mut out, "title", toml_string(&p.title));
    match p.role {
        Role::Process(s) => {
            used.push("description");
            let outcome = data::string(fm, &["description"])
                .or_else(|| first_sentence(&first[i].0))
                .unwrap_or_else(|| outline.sections[s].title.clone());
            line(&mut out, "outcome", toml_string(&outcome));
        }
        Role::Sop(s) => {
            line(&mut out, "process", toml_string(&section_ids[s]));
            line(&mut out, "branch", toml_string(&p.id));
        }
        _ => {}
    }
    if matches!(p.role, Role::Process(_) | Role::Sop(_)) {
        for key in ["owner", "author", "maintainer", "owned_by"] {
            if let Some(owner) =
                data::string(fm, &[key]).or_else(|| data::strings(fm, &[key]).into_iter().next())
            {
                line(&mut out, "owner", toml_string(&owner));
                used.push(key);
                break;
            }
        }
    }
    if matches!(p.role, Role::Sop(_)) {
        for key in [
            "last_reviewed_on",
            "last_review_date",
            "reviewed",
            "last_reviewed",
            "reviewed_on",
            "review_date",
        ] {
            if let Some(d) = data::date(fm, &[key]) {
                line(&mut out, "reviewed", d.to_string());
                used.push(key);
                break;
            }
        }
        if let Some(every) =
            data::string(fm, &["review_in"]).filter(|e| crate::spanned::parse_interval(e).is_some())
        {
            line(&mut out, "review-every", toml_string(&every));
            used.push("review_in");
        }
    }
    if p.role != Role::Home {
        line(&mut out, "order", p.order.to_string());
    }
    if p.role != Role::Home && data::boolean(fm, &["draft"]) == Some(true) {
        line(&mut out, "draft", "true".into());
    }
    used.push("draft");
    if let Role::Process(s) = p.role {
        out.push_str(&branches(&outline.sections[s], plan));
    }
    out.push_str("+++\n");
    (out, used)
}

fn write(
    site: &Site,
    dest: &Path,
    found: &source::Found,
    book: &Book,
    ui: &Ui,
) -> Result<(), Failure> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.import-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = (|| {
        let content = staging.join("content");
        fs::create_dir_all(&content).map_err(|e| Failure::io("create", &content, &e))?;
        let put = |rel: &str, text: &str| -> Result<(), Failure> {
            let path = content.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
            }
            fs::write(&path, text).map_err(|e| Failure::io("write", &path, &e))
        };
        for (p, text) in book.plan.iter().zip(&book.texts) {
            put(&p.path, text)?;
        }
        for (m, text) in book.made.iter().zip(&book.made_texts) {
            put(&m.path, text)?;
        }
        let written: HashSet<String> = book
            .plan
            .iter()
            .map(|p| p.path.to_lowercase())
            .chain(book.made.iter().map(|m| m.path.to_lowercase()))
            .collect();
        for (n, (from, to)) in book.files.iter().enumerate() {
            if n.is_multiple_of(200) {
                ui.progress(&format!("Copying assets: {n}/{}", book.files.len()));
            }
            if written.contains(&to.to_lowercase()) {
                continue;
            }
            let path = content.join(to);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
            }
            fs::copy(from, &path).map_err(|e| Failure::io("copy", from, &e))?;
        }
        let toml = report::book_toml(site, book);
        fs::write(staging.join("book.toml"), toml)
            .map_err(|e| Failure::io("write", &staging.join("book.toml"), &e))?;
        let md = report::import_md(site, found, book);
        fs::write(staging.join("IMPORT.md"), md)
            .map_err(|e| Failure::io("write", &staging.join("IMPORT.md"), &e))?;
        if dest.is_dir() {
            fs::remove_dir(dest).map_err(|e| Failure::io("replace", dest, &e))?;
        }
        fs::rename(&staging, dest).map_err(|e| Failure::io("create", dest, &e))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}
