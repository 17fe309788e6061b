//! The first pass over a page's text, line by line: what only the source
//! tool could read becomes Markdown sopbook reads. Includes are inlined,
//! admonitions of other syntaxes become MkDocs admonitions (sopbook's
//! callouts), template tags that make links become the paths they make,
//! wiki links become Markdown links; what stays is noted.

use std::path::Path;

use super::detect::Flavor;
use super::source;

/// Something left as written, or dropped, at a line of the new text.
#[derive(Debug, Clone)]
pub(super) struct Note {
    pub line: usize,
    pub what: String,
}

/// What the pass needs to know of the book.
pub(super) struct Context<'a> {
    pub flavor: Flavor,
    /// SRC, canonical: includes never read outside it.
    pub src: &'a Path,
    /// The page's own folder, absolute.
    pub dir: &'a Path,
    /// The source's pages folder, absolute.
    pub content: &'a Path,
    /// Finds a page for a Hugo `ref`, a Jekyll `post_url` or a wiki name:
    /// its path under the content folder.
    pub find: &'a dyn Fn(Lookup<'_>) -> Option<String>,
    /// The page's title in its front matter (Middleman pages print it with
    /// `<%= current_page.data.title %>`).
    pub title: Option<&'a str>,
    /// Callout classes the source declares, with their titles.
    pub callouts: &'a [(String, Option<String>)],
    /// Docusaurus partials imported so far: component name → file.
    pub partials: &'a std::cell::RefCell<std::collections::HashMap<String, std::path::PathBuf>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Lookup<'a> {
    Hugo(&'a str),
    Post(&'a str),
    Wiki(&'a str),
}

struct Out {
    text: String,
    lines: usize,
    notes: Vec<Note>,
}

impl Out {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines += 1;
    }

    /// Blanks the line written last when it is a one-line list item.
    fn drop_list_item(&mut self) {
        let body = self.text.strip_suffix('\n').unwrap_or(&self.text);
        let start = body.rfind('\n').map_or(0, |i| i + 1);
        let last = body[start..].trim_start();
        let bullet = ["* ", "- ", "+ ", "1. "]
            .iter()
            .any(|b| last.starts_with(b));
        if bullet {
            self.text.truncate(start);
            self.text.push('\n');
        }
    }

    fn note(&mut self, what: String) {
        self.notes.push(Note {
            line: self.lines + 1,
            what,
        });
    }
}

/// Runs the pass over `body`. Notes count lines from the body's first.
pub(super) fn run(body: &str, cx: &Context) -> (String, Vec<Note>) {
    let mut out = Out {
        text: String::with_capacity(body.len() + 64),
        lines: 0,
        notes: Vec::new(),
    };
    let lines: Vec<&str> = body.lines().collect();
    block(&lines, cx, &mut out, 0);
    if !body.ends_with('\n') && out.text.ends_with('\n') {
        out.text.pop();
    }
    (out.text, out.notes)
}

/// An open code fence: its character and length.
fn fence_of(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.len() - t.trim_start_matches(c).len();
    (n >= 3).then(|| (c, n, t[n..].trim()))
}

fn closes(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.len() >= n && t.chars().all(|x| x == c)
}

const MAX_DEPTH: usize = 8;

fn block(lines: &[&str], cx: &Context, out: &mut Out, depth: usize) {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((c, n, info)) = fence_of(line) {
            let end = (i + 1..lines.len())
                .find(|&j| closes(lines[j], (c, n)))
                .unwrap_or(lines.len());
            // mdBook-admonish: ```admonish warning title="…"
            if let Some(spec) = info.strip_prefix("admonish")
                && (spec.is_empty() || spec.starts_with(' '))
            {
                let (kind, title, collapsible) = admonish_spec(spec);
                admonition(
                    &lines[i + 1..end],
                    &kind,
                    title.as_deref(),
                    collapsible,
                    cx,
                    out,
                    depth,
                );
                i = end + 1;
                continue;
            }
            out.line(line);
            // mdBook hides `# ` lines of Rust examples (rustdoc's hidden lines).
            let hides =
                cx.flavor == Flavor::MdBook && info.split([',', ' ']).next() == Some("rust");
            for inner in &lines[(i + 1).min(lines.len())..end] {
                if hides && (inner.trim_start() == "#" || inner.trim_start().starts_with("# ")) {
                    continue;
                }
                if cx.flavor == Flavor::MdBook && inner.contains("{{#") {
                    let expanded = includes(inner, cx, out, depth);
                    for l in expanded.lines() {
                        out.line(l);
                    }
                    if expanded.is_empty() {
                        continue;
                    }
                } else {
                    out.line(inner);
                }
            }
            if end < lines.len() {
                out.line(lines[end]);
            }
            i = end + 1;
            continue;
        }
        // MkDocs admonitions and content tabs hold an indented body: it is
        // read as Markdown of its own (its fences and tags too).
        if let Some(tab) = indented_container(line) {
            let end = indented_end(lines, i + 1);
            let body: Vec<&str> = lines[i + 1..end].iter().map(|l| dedent(l)).collect();
            match tab {
                Some(title) => {
                    // A tab: its title in bold, its body below.
                    out.line(&format!("**{title}**"));
                    out.line("");
                    nested(&body, cx, out, depth, false);
                }
                None => {
                    out.line(line);
                    nested(&body, cx, out, depth, true);
                }
            }
            i = end;
            continue;
        }
        // Liquid: {% highlight ruby %} … {% endhighlight %} is a code block.
        if let Some(lang) =
            liquid_tag(line).and_then(|(name, args)| (name == "highlight").then_some(args))
        {
            let end = (i + 1..lines.len())
                .find(|&j| liquid_tag(lines[j]).is_some_and(|(n, _)| n == "endhighlight"))
                .unwrap_or(lines.len());
            let lang = lang.split_whitespace().next().unwrap_or("");
            out.line(&format!("```{lang}"));
            for l in &lines[(i + 1).min(lines.len())..end] {
                out.line(l);
            }
            out.line("```");
            i = end + 1;
            continue;
        }
        // Liquid: {% raw %} … {% endraw %} only stops Liquid; what it holds
        // is kept as written.
        if let Some(at) = raw_tag(line, "raw") {
            let mut j = i;
            let mut first = Some(at);
            loop {
                let l = lines[j];
                let from = first.take().unwrap_or(0);
                let (before, after) = l.split_at(from.min(l.len()));
                let (held, rest, done) = match raw_tag(after, "endraw") {
                    Some(e) => (&after[..e], &after[e..], true),
                    None => (after, "", false),
                };
                let held = strip_tag(held, "raw");
                let rest = strip_tag(rest, "endraw");
                out.line(&format!("{before}{held}{rest}"));
                j += 1;
                if done || j >= lines.len() {
                    break;
                }
            }
            i = j;
            continue;
        }
        // kramdown block attributes on their own line: `{: .note }` before
        // a paragraph or quote is just-the-docs' callout; others go.
        if let Some(classes) = ial(line) {
            let declared = classes
                .iter()
                .find_map(|c| cx.callouts.iter().find(|(name, _)| name == c));
            let callout = declared
                .map(|(name, _)| name)
                .or_else(|| classes.iter().find(|c| IAL_CALLOUTS.contains(&c.as_str())));
            let title = declared.and_then(|(_, t)| t.as_deref());
            let next = lines.get(i + 1).map_or("", |l| l.trim());
            if let Some(kind) = callout
                && !next.is_empty()
            {
                let end = (i + 1..lines.len())
                    .find(|&j| lines[j].trim().is_empty())
                    .unwrap_or(lines.len());
                let body: Vec<&str> = lines[i + 1..end]
                    .iter()
                    .map(|l| {
                        l.trim_start()
                            .strip_prefix('>')
                            .map_or(*l, |r| r.strip_prefix(' ').unwrap_or(r))
                    })
                    .collect();
                let kind = match kind.as_str() {
                    "highlight" | "new" => "note",
                    k => k,
                };
                admonition(&body, kind, title, false, cx, out, depth);
                i = end;
                continue;
            }
            // `* TOC` over `{:toc}`: kramdown's table of contents; sopbook
            // has none in the text, so the bullet goes too.
            if classes.is_empty() && line.contains("toc") {
                out.drop_list_item();
            }
            out.note(format!("kramdown attribute list `{}` dropped", clip(line)));
            out.line("");
            i += 1;
            continue;
        }
        // mdBook: <div class="warning"> … </div> is its warning box.
        if line.trim() == "<div class=\"warning\">"
            && let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].trim() == "</div>")
            && !lines[i + 1..end]
                .iter()
                .any(|l| l.trim_start().starts_with("<div"))
        {
            admonition(&lines[i + 1..end], "warning", None, false, cx, out, depth);
            i = end + 1;
            continue;
        }
        // Docusaurus and VuePress: :::note Title … :::
        if let Some((colons, kind, title)) = colon_fence(line) {
            let mut open = 1;
            let mut j = i + 1;
            while j < lines.len() {
                let t = lines[j].trim();
                if colon_fence(lines[j]).is_some() {
                    open += 1;
                } else if t.len() >= 3
                    && t.chars().all(|c| c == ':')
                    && (t.len() == colons || open > 1)
                {
                    open -= 1;
                    if open == 0 {
                        break;
                    }
                }
                j += 1;
            }
            let collapsible = kind == "details";
            let kind = if collapsible { "note".to_owned() } else { kind };
            admonition(
                &lines[i + 1..j.min(lines.len())],
                &kind,
                title.as_deref(),
                collapsible,
                cx,
                out,
                depth,
            );
            i = j + 1;
            continue;
        }
        // Liquid/Nunjucks paired callouts: {% alert "Title", "warning" %} … {% endalert %}
        if let Some((name, args)) = liquid_tag(line)
            && CALLOUT_SHORTCODES.contains(&name)
            && let Some(end) = (i + 1..lines.len())
                .find(|&j| liquid_tag(lines[j]).is_some_and(|(n, _)| n == format!("end{name}")))
        {
            let args: Vec<String> = attributes(&args.replace(',', " "))
                .into_iter()
                .map(|(k, v)| v.unwrap_or(k))
                .collect();
            let (kind, title) = match args.as_slice() {
                [] => ("note".to_owned(), None),
                [one] if CALLOUT_SHORTCODES.contains(&one.as_str()) => (one.clone(), None),
                [one] => ("note".to_owned(), Some(one.clone())),
                [title, kind, ..] => (kind.clone(), Some(title.clone())),
            };
            let kind = if ["alert", "callout", "notice", "hint", "admonition"].contains(&name)
                && !CALLOUT_SHORTCODES.contains(&kind.as_str())
            {
                kind
            } else if ["alert", "callout", "notice", "hint", "admonition"].contains(&kind.as_str())
            {
                "note".to_owned()
            } else {
                kind
            };
            admonition(
                &lines[i + 1..end],
                &kind,
                title.as_deref(),
                false,
                cx,
                out,
                depth,
            );
            i = end + 1;
            continue;
        }
        // Hugo: {{% include "/_common/x.md" %}} (the docs' own shortcode)
        // and {{< readfile file="x.md" >}}: the file's text.
        if cx.flavor == Flavor::Hugo
            && let Some(path) = hugo_include(line)
        {
            let rel = path.trim_start_matches('/');
            let candidates = if path.starts_with('/') {
                vec![cx.content.join(rel)]
            } else {
                vec![cx.dir.join(rel), cx.content.join(rel)]
            };
            match candidates
                .iter()
                .find_map(|p| source::read_inside(cx.src, p).map(|t| (p, t)))
            {
                Some((file, text)) if depth < MAX_DEPTH => {
                    inline_file(file, &text, false, cx, out, depth);
                }
                _ => {
                    out.note(format!(
                        "`{}` reaches no file in the source: left as written",
                        clip(line)
                    ));
                    out.line(line);
                }
            }
            i += 1;
            continue;
        }
        // Hugo: {{< highlight go >}} … {{< /highlight >}} and code-toggle
        // are code blocks.
        if let Some((name, lang)) = hugo_code(line)
            && let Some(end) = shortcode_end(lines, i + 1, &name)
        {
            out.line(&format!("```{lang}"));
            for l in &lines[i + 1..end] {
                out.line(l);
            }
            out.line("```");
            i = end + 1;
            continue;
        }
        // Hugo callout shortcodes: {{< hint warning >}} … {{< /hint >}}
        if let Some((name, kind, title)) = callout_shortcode(line)
            && let Some(end) = shortcode_end(lines, i + 1, &name)
        {
            admonition(
                &lines[i + 1..end],
                &kind,
                title.as_deref(),
                false,
                cx,
                out,
                depth,
            );
            i = end + 1;
            continue;
        }
        let t = line.trim_start();
        if cx.flavor == Flavor::Docusaurus
            && ((t.starts_with("import ")
                && (t.contains(" from ") || t.contains('\'') || t.contains('"')))
                || t.starts_with("export "))
        {
            // `import Note from './_note.mdx'`: a partial, inlined where
            // `<Note />` is used.
            if let Some((name, path)) = partial_import(t) {
                cx.partials.borrow_mut().insert(name, cx.dir.join(path));
            } else {
                out.note(format!(
                    "MDX `{}` dropped: sopbook runs no JavaScript in pages",
                    clip(t)
                ));
            }
            out.line("");
            i += 1;
            continue;
        }
        if t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_uppercase()) {
            let name: String = t[1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let partial = cx.partials.borrow().get(&name).cloned();
            let self_closing = t.trim_end().ends_with("/>");
            if let Some(path) = partial.filter(|_| self_closing && depth < MAX_DEPTH)
                && let Some(text) = source::read_inside(cx.src, &path)
            {
                // Its links are written from its own folder.
                inline_file(&path, &text, true, cx, out, depth);
                i += 1;
                continue;
            }
            out.note(format!(
                "component `{}` left as HTML: sopbook does not run it",
                clip(t)
            ));
        }
        let converted = inline(line, cx, out, depth);
        for l in converted.split('\n') {
            out.line(l);
        }
        i += 1;
    }
}

fn clip(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_owned(),
    }
}

/// The body of a line that is one Hugo shortcode: `{{< x >}}` or
/// `{{% x %}}`.
fn shortcode_line(line: &str) -> Option<&str> {
    let t = line.trim();
    let inner = t
        .strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))?;
    Some(inner.trim())
}

/// `{{% include "/_common/x.md" %}}`, `{{< readfile file="x.md" >}}`: the path.
fn hugo_include(line: &str) -> Option<String> {
    let inner = shortcode_line(line)?;
    let (name, args) = inner.split_once(char::is_whitespace)?;
    if !matches!(name, "include" | "readfile") {
        return None;
    }
    first_arg(args).or_else(|| {
        attributes(args)
            .into_iter()
            .find(|(k, v)| k == "file" && v.is_some())
            .and_then(|(_, v)| v)
    })
}

/// `{{< highlight go "linenos=table" >}}`, `{{< code-toggle file=hugo >}}`:
/// (name, language).
fn hugo_code(line: &str) -> Option<(String, String)> {
    let inner = shortcode_line(line)?;
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    match name {
        "highlight" => Some((name.to_owned(), first_arg(args).unwrap_or_default())),
        "code-toggle" => Some((name.to_owned(), "toml".to_owned())),
        _ => None,
    }
}

/// `text`, written in folder `from`, with its relative links rewritten
/// for a page in folder `to_page`.
fn rebase(text: &str, to_page: &Path, from: &Path) -> String {
    let (Ok(page), Ok(own)) = (std::fs::canonicalize(to_page), std::fs::canonicalize(from)) else {
        return text.to_owned();
    };
    if page == own {
        return text.to_owned();
    }
    let (page, own) = (crate::paths::slashed(&page), crate::paths::slashed(&own));
    let mut edits = Vec::new();
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    for (event, span) in pulldown_cmark::Parser::new_ext(text, options).into_offset_iter() {
        if let pulldown_cmark::Event::Start(
            pulldown_cmark::Tag::Link {
                link_type: pulldown_cmark::LinkType::Inline,
                dest_url,
                ..
            }
            | pulldown_cmark::Tag::Image {
                link_type: pulldown_cmark::LinkType::Inline,
                dest_url,
                ..
            },
        ) = event
            && !dest_url.is_empty()
            && !dest_url.starts_with(['/', '#'])
            && !super::links::is_external(&dest_url)
            && let Some(range) = super::links::inline_dest(text, &span)
        {
            let joined = super::urls::join(&own, &dest_url).unwrap_or_default();
            edits.push((range, super::links::relative(&page, &joined)));
        }
    }
    let mut out = text.to_owned();
    for (range, new) in edits.into_iter().rev() {
        out.replace_range(range, &new);
    }
    out
}

/// `import Name from './_partial.mdx';`: (Name, path).
fn partial_import(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("import ")?;
    let (name, rest) = rest.split_once(" from ")?;
    let name = name.trim();
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') || name.is_empty() {
        return None;
    }
    let path = rest
        .trim()
        .trim_end_matches(';')
        .trim()
        .trim_matches(['"', '\'']);
    let lower = path.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".mdx")).then(|| (name.to_owned(), path.to_owned()))
}

/// Writes the text of an included file (`file`, read as `text`) without
/// its front matter, converted like the page; with `rebase`, its relative
/// links are rewritten from its folder to the page's.
fn inline_file(
    file: &Path,
    text: &str,
    rebase_links: bool,
    cx: &Context,
    out: &mut Out,
    depth: usize,
) {
    let (_, body_start, _) = super::data::front_matter(text);
    let dir = file.parent().unwrap_or(cx.dir).to_path_buf();
    let rebased;
    let body = if rebase_links {
        rebased = rebase(&text[body_start..], cx.dir, &dir);
        rebased.as_str()
    } else {
        &text[body_start..]
    };
    let lines: Vec<&str> = body.lines().collect();
    let inner_cx = Context { dir: &dir, ..*cx };
    block(&lines, &inner_cx, out, depth + 1);
}

/// The line after `from` that closes the Hugo shortcode `name`
/// (`{{< /name >}}` or `{{% /name %}}`, spaces anywhere).
fn shortcode_end(lines: &[&str], from: usize, name: &str) -> Option<usize> {
    let a = format!("{{{{</{name}>}}}}");
    let b = format!("{{{{%/{name}%}}}}");
    (from..lines.len()).find(|&j| {
        let t: String = lines[j].chars().filter(|c| !c.is_whitespace()).collect();
        t == a || t == b
    })
}

/// A MkDocs admonition marker (`!!! note`, `??? tip "T"`, `???+ x`):
/// `Some(None)`; a content tab (`=== "Title"`): `Some(Some(title))`.
fn indented_container(line: &str) -> Option<Option<String>> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    for marker in ["!!!", "???+", "???"] {
        if let Some(rest) = line.strip_prefix(marker)
            && rest.starts_with(' ')
            && rest.trim_start().starts_with(|c: char| c.is_alphanumeric())
        {
            return Some(None);
        }
    }
    let rest = line.strip_prefix("===")?;
    let rest = rest.strip_prefix(['!', '+']).unwrap_or(rest);
    let title = rest.strip_prefix(' ')?.trim();
    let title = title.strip_prefix('"')?.strip_suffix('"')?;
    Some(Some(title.to_owned()))
}

/// Where an indented body that starts at `from` ends: at the first line
/// indented less than four spaces (blank lines between count in).
fn indented_end(lines: &[&str], from: usize) -> usize {
    let mut end = from;
    for (j, l) in lines.iter().enumerate().skip(from) {
        if l.trim().is_empty() {
            continue;
        }
        if l.starts_with("    ") || l.starts_with('\t') {
            end = j + 1;
        } else {
            break;
        }
    }
    end
}

/// One level of indentation off.
fn dedent(line: &str) -> &str {
    line.strip_prefix("    ")
        .or_else(|| line.strip_prefix('\t'))
        .unwrap_or_else(|| line.trim_start())
}

/// `:::note Title`, `:::tip[Title]`, `::: warning`: (colons, kind, title).
fn colon_fence(line: &str) -> Option<(usize, String, Option<String>)> {
    let t = line.trim();
    let colons = t.len() - t.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let rest = t[colons..].trim_start();
    let kind: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if kind.is_empty() {
        return None;
    }
    let after = rest[kind.len()..].trim();
    let title = after
        .strip_prefix('[')
        .and_then(|a| a.strip_suffix(']'))
        .map(str::to_owned)
        .or_else(|| {
            let t = after.trim_start_matches('{').trim_end_matches('}');
            (!after.is_empty() && !after.starts_with('{')).then(|| t.trim_matches('"').to_owned())
        })
        .filter(|t| !t.is_empty());
    Some((colons, kind.to_lowercase(), title))
}

/// mdBook-admonish's info string after `admonish`.
fn admonish_spec(spec: &str) -> (String, Option<String>, bool) {
    let mut kind = "note".to_owned();
    let mut title = None;
    let mut collapsible = false;
    for (key, value) in attributes(spec) {
        match (key.as_str(), value) {
            ("title", Some(v)) => title = Some(v),
            ("collapsible", Some(v)) => collapsible = v == "true",
            (k, None) if !k.is_empty() && kind == "note" => kind = k.to_lowercase(),
            _ => {}
        }
    }
    (kind, title, collapsible)
}

/// `a b="c d" e=f`: (key, value) pairs; a bare word has no value.
fn attributes(spec: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].trim_matches(['"', '\'']).to_owned();
        rest = &rest[key_end..];
        if let Some(r) = rest.strip_prefix('=') {
            let (value, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => match r[1..].find(q) {
                    Some(e) => (&r[1..1 + e], &r[e + 2..]),
                    None => (&r[1..], ""),
                },
                _ => {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            out.push((key, Some(value.to_owned())));
            rest = after.trim_start();
        } else {
            if !key.is_empty() {
                out.push((key, None));
            }
            rest = rest.trim_start();
        }
    }
    out
}

const CALLOUT_SHORTCODES: &[&str] = &[
    "hint",
    "notice",
    "alert",
    "callout",
    "admonition",
    "pageinfo",
    "note",
    "tip",
    "warning",
    "info",
    "danger",
    "caution",
    "important",
    "success",
    "error",
];

/// just-the-docs' callout classes.
const IAL_CALLOUTS: &[&str] = &[
    "note",
    "warning",
    "important",
    "highlight",
    "new",
    "tip",
    "caution",
];

/// A line that is only a kramdown attribute list (`{: .note }`,
/// `{:toc}`): its classes.
fn ial(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let inner = t.strip_prefix("{:")?.strip_suffix('}')?;
    if inner.contains('{') || inner.contains('}') {
        return None;
    }
    Some(
        inner
            .split_whitespace()
            .filter_map(|w| w.strip_prefix('.'))
            .map(str::to_owned)
            .collect(),
    )
}

/// A line that is one Liquid tag: (name, arguments).
fn liquid_tag(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let inner = t.strip_prefix("{%")?.strip_suffix("%}")?;
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    if inner.contains("%}") {
        return None;
    }
    Some(
        inner
            .split_once(char::is_whitespace)
            .map_or((inner, ""), |(n, a)| (n, a.trim())),
    )
}

/// Where `{% name %}` (or `{%- name -%}`) starts in `text`.
fn raw_tag(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let at = from + i;
        let rest = text[at + 2..].trim_start_matches('-').trim_start();
        if let Some(after) = rest.strip_prefix(name)
            && after
                .trim_start()
                .trim_start_matches('-')
                .trim_start()
                .starts_with("%}")
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// `text` without its `{% name %}` tag.
fn strip_tag(text: &str, name: &str) -> String {
    match raw_tag(text, name) {
        Some(at) => {
            let end = text[at..].find("%}").map_or(text.len(), |e| at + e + 2);
            format!("{}{}", &text[..at], &text[end..])
        }
        None => text.to_owned(),
    }
}

/// `{{< hint warning >}}`, `{{% notice tip "Title" %}}`,
/// `{{< callout type="info" >}}`: (name, kind, title).
fn callout_shortcode(line: &str) -> Option<(String, String, Option<String>)> {
    let t = line.trim();
    let inner = t
        .strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))?
        .trim();
    let attrs = attributes(inner);
    let (name, _) = attrs.first()?;
    if !CALLOUT_SHORTCODES.contains(&name.as_str()) {
        return None;
    }
    let mut kind = if ["hint", "notice", "alert", "callout", "admonition"].contains(&name.as_str())
    {
        "note".to_owned()
    } else {
        name.clone()
    };
    let mut title = None;
    let mut positional = 0;
    for (k, v) in &attrs[1..] {
        match (k.as_str(), v) {
            ("type" | "theme" | "context", Some(v)) => kind = v.to_lowercase(),
            ("title", Some(v)) => title = Some(v.clone()),
            (word, None) if positional == 0 => {
                kind = word.to_lowercase();
                positional += 1;
            }
            (word, None) if positional == 1 => {
                title = Some(word.to_owned());
                positional += 1;
            }
            _ => {}
        }
    }
    Some((name.clone(), kind, title))
}

/// Writes an admonition: the marker line, then the body converted and
/// indented by four spaces, as MkDocs writes them and sopbook reads them.
fn admonition(
    body: &[&str],
    kind: &str,
    title: Option<&str>,
    collapsible: bool,
    cx: &Context,
    out: &mut Out,
    depth: usize,
) {
    let marker = if collapsible { "???" } else { "!!!" };
    let kind: String = kind
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let kind = if kind.is_empty() {
        "note".to_owned()
    } else {
        kind
    };
    match title {
        Some(t) => out.line(&format!("{marker} {kind} \"{}\"", t.replace('"', "'"))),
        None => out.line(&format!("{marker} {kind}")),
    }
    nested(body, cx, out, depth, true);
    out.line("");
}

/// Converts `body` as Markdown of its own (its fences, tags and callouts
/// too) and writes it indented by four spaces, or as it is.
fn nested(body: &[&str], cx: &Context, out: &mut Out, depth: usize, indent: bool) {
    let mut inner = Out {
        text: String::new(),
        lines: out.lines,
        notes: Vec::new(),
    };
    if depth < MAX_DEPTH {
        block(body, cx, &mut inner, depth + 1);
    } else {
        for l in body {
            inner.line(l);
        }
    }
    for l in inner.text.lines() {
        if !indent {
            out.line(l);
        } else if l.trim().is_empty() {
            out.line("");
        } else {
            out.line(&format!("    {l}"));
        }
    }
    out.notes.extend(inner.notes);
}

/// mdBook's `{{#include file}}`, `{{#rustdoc_include file:anchor}}`,
/// `{{#playground file}}` and `{{#title …}}` in `line`.
fn includes(line: &str, cx: &Context, out: &mut Out, depth: usize) -> String {
    let mut result = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        result.push_str(&rest[..start]);
        let directive = rest[start + 3..start + len].trim();
        rest = &rest[start + len + 2..];
        let (name, arg) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        match name {
            "title" => {}
            "include" | "rustdoc_include" | "playground" | "playpen" => {
                match include_text(arg.trim(), cx, depth) {
                    Some(text) => result.push_str(text.trim_end_matches('\n')),
                    None => {
                        out.note(format!(
                            "`{{{{#{name} {}}}}}` reaches no file in the source: left as written",
                            arg.trim()
                        ));
                        result.push_str(&format!("{{{{#{directive}}}}}"));
                    }
                }
            }
            _ => {
                out.note(format!("mdBook `{{{{#{name}}}}}` left as written"));
                result.push_str(&format!("{{{{#{directive}}}}}"));
            }
        }
    }
    result.push_str(rest);
    result
}

fn include_text(arg: &str, cx: &Context, depth: usize) -> Option<String> {
    let arg = arg.split_whitespace().next()?;
    let (file, selector) = match arg.split_once(':') {
        Some((f, s)) => (f, Some(s)),
        None => (arg, None),
    };
    let text = source::read_inside(cx.src, &cx.dir.join(file))?;
    let lines: Vec<&str> = text.lines().collect();
    let is_marker = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let picked: Vec<&str> = match selector {
        None => lines.iter().copied().filter(|l| !is_marker(l)).collect(),
        Some(s)
            if s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == ':') =>
        {
            let (a, b) = match s.split_once(':') {
                Some((a, b)) => (a.parse::<usize>().ok(), b.parse::<usize>().ok()),
                None => {
                    let n = s.parse::<usize>().ok();
                    (n, n)
                }
            };
            let from = a.unwrap_or(1).max(1) - 1;
            let to = b.unwrap_or(lines.len()).min(lines.len());
            lines.get(from..to.max(from)).unwrap_or(&[]).to_vec()
        }
        Some(anchor) => {
            let start = lines
                .iter()
                .position(|l| l.contains(&format!("ANCHOR: {anchor}")))?;
            let end = lines[start..]
                .iter()
                .position(|l| l.contains(&format!("ANCHOR_END: {anchor}")))
                .map_or(lines.len(), |e| start + e);
            lines[start + 1..end]
                .iter()
                .copied()
                .filter(|l| !is_marker(l))
                .collect()
        }
    };
    let joined = picked.join("\n");
    if depth < MAX_DEPTH && joined.contains("{{#") {
        let dir = cx.dir.join(file);
        let dir = dir.parent().unwrap_or(cx.dir);
        let inner_cx = Context { dir, ..*cx };
        let mut scratch = Out {
            text: String::new(),
            lines: 0,
            notes: Vec::new(),
        };
        return Some(
            joined
                .lines()
                .map(|l| includes(l, &inner_cx, &mut scratch, depth + 1))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    Some(joined)
}

/// Byte ranges of inline code spans in `line`, where nothing is rewritten.
fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let n = line[i..].len() - line[i..].trim_start_matches('`').len();
            let ticks = &line[i..i + n];
            if let Some(e) = line[i + n..].find(ticks) {
                spans.push(i..i + n + e + n);
                i += n + e + n;
                continue;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    spans
}

/// One line's template tags and wiki links.
fn inline(line: &str, cx: &Context, out: &mut Out, depth: usize) -> String {
    let mut line = if cx.flavor == Flavor::MdBook && line.contains("{{#") {
        let text = includes(line, cx, out, depth);
        if text.contains('\n') {
            return text;
        }
        text
    } else {
        line.to_owned()
    };
    if let Some(title) = cx.title
        && line.contains("current_page.data.title")
    {
        for tag in [
            "<%= current_page.data.title %>",
            "<%=current_page.data.title%>",
        ] {
            line = line.replace(tag, title);
        }
    }
    if cx.flavor == Flavor::Docusaurus && line.contains("@site/") {
        line = line.replace("](@site/", "](/").replace("\"@site/", "\"/");
    }
    if cx.flavor == Flavor::MkDocs {
        line = mkdocs_inline(&line, out);
    }
    if !line.contains("{{") && !line.contains("{%") && !line.contains("<%") && !line.contains("[[")
    {
        return line;
    }
    let code = code_spans(&line);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut result = String::with_capacity(line.len());
    let mut i = 0;
    let mut reported = false;
    while i < line.len() {
        let rest = &line[i..];
        if in_code(i) {
            let ch = rest.chars().next().map_or(1, char::len_utf8);
            result.push_str(&rest[..ch]);
            i += ch;
            continue;
        }
        if let Some((len, replacement)) = template_link(rest, cx).or_else(|| wiki_link(rest, cx)) {
            result.push_str(&replacement);
            i += len;
            continue;
        }
        // `style={{…}}` is JSX, not a template.
        let jsx = rest.starts_with("{{") && result.ends_with('=');
        if !reported
            && !jsx
            && (rest.starts_with("{%") || rest.starts_with("{{") || rest.starts_with("<%"))
        {
            let close = if rest.starts_with("{{") {
                "}}"
            } else if rest.starts_with("{%") {
                "%}"
            } else {
                "%>"
            };
            let end = rest.find(close).map_or(rest.len(), |e| e + close.len());
            let tag = rest.get(..end).unwrap_or(rest);
            out.note(format!(
                "template syntax `{}` left as written: sopbook runs no templates",
                clip(tag)
            ));
            reported = true;
        }
        let ch = rest.chars().next().map_or(1, char::len_utf8);
        result.push_str(&rest[..ch]);
        i += ch;
    }
    result
}

/// MkDocs Material's inline extras outside code: an attribute list after
/// a link or image (`[Go](x){ .md-button }`) is dropped; an icon
/// shortcode (`:octicons-heart-16:`) stays as text. Both are listed.
fn mkdocs_inline(line: &str, out: &mut Out) -> String {
    let code = code_spans(line);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut result = String::with_capacity(line.len());
    let mut i = 0;
    let mut noted_icon = false;
    while i < line.len() {
        let rest = &line[i..];
        if !in_code(i)
            && rest.starts_with('{')
            && (result.ends_with(')') || result.ends_with(']'))
            && let Some(end) = rest.find('}')
            && rest[1..end]
                .trim_start()
                .trim_start_matches(':')
                .trim_start()
                .starts_with(['.', '#'])
            && !rest[1..end].contains('{')
        {
            out.note(format!("attribute list `{}` dropped", &rest[..=end]));
            i += end + 1;
            continue;
        }
        if !in_code(i) && !noted_icon && rest.starts_with(':') {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if name.contains('-')
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && rest[1 + name.len()..].starts_with(':')
            {
                out.note(format!(
                    "icon `:{name}:` left as text: sopbook has no icon set"
                ));
                noted_icon = true;
            }
        }
        let ch = rest.chars().next().map_or(1, char::len_utf8);
        result.push_str(&rest[..ch]);
        i += ch;
    }
    result
}

/// The quoted or bare first argument of a tag body.
fn first_arg(body: &str) -> Option<String> {
    let attrs = attributes(body);
    attrs
        .iter()
        .find(|(k, v)| k == "path" && v.is_some())
        .and_then(|(_, v)| v.clone())
        .or_else(|| {
            attrs
                .first()
                .filter(|(_, v)| v.is_none())
                .map(|(k, _)| k.clone())
        })
}

/// A template tag that makes a link or a URL, at the start of `text`: its
/// length and what replaces it.
fn template_link(text: &str, cx: &Context) -> Option<(usize, String)> {
    if let Some(inner) = text.strip_prefix("{%") {
        let end = inner.find("%}")?;
        let body = inner[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let len = 2 + end + 2;
        let (tag, arg) = body.split_once(char::is_whitespace)?;
        let arg = arg.trim().trim_matches(['"', '\'']);
        return match tag {
            "link" if super::links::is_external(arg) => Some((len, arg.to_owned())),
            "link" | "page" => Some((len, format!("/{}", arg.trim_start_matches('/')))),
            "post_url" => (cx.find)(Lookup::Post(arg)).map(|p| (len, format!("/{p}"))),
            "image" | "img" => {
                let args: Vec<String> = attributes(&body[tag.len()..].replace(',', " "))
                    .into_iter()
                    .map(|(k, v)| v.unwrap_or(k))
                    .collect();
                let src = args.first()?;
                let alt = args.get(1).map_or("", String::as_str);
                let src = if super::links::is_external(src) {
                    src.clone()
                } else {
                    format!("/{}", src.trim_start_matches('/'))
                };
                Some((
                    len,
                    format!(
                        "![{}]({})",
                        alt.replace(['[', ']'], ""),
                        src.replace(' ', "%20")
                    ),
                ))
            }
            _ => None,
        };
    }
    let inner = text.strip_prefix("{{")?;
    let end = inner.find("}}")?;
    let len = 2 + end + 2;
    let raw = &inner[..end];
    let body = raw.trim();
    // Hugo: {{< ref "x" >}}, {{% relref "x" %}}
    if let Some(code) = body
        .strip_prefix('<')
        .and_then(|b| b.strip_suffix('>'))
        .or_else(|| body.strip_prefix('%').and_then(|b| b.strip_suffix('%')))
    {
        let code = code.trim();
        let (name, args) = code.split_once(char::is_whitespace)?;
        let args_list: Vec<(String, Option<String>)> = attributes(args);
        let named = |key: &str| {
            args_list
                .iter()
                .find(|(k, v)| k == key && v.is_some())
                .and_then(|(_, v)| v.clone())
        };
        match name {
            "figure" | "img" | "image" => {
                let src = named("src").or_else(|| first_arg(args))?;
                let alt = named("alt")
                    .or_else(|| named("caption"))
                    .or_else(|| named("title"))
                    .unwrap_or_default();
                return Some((
                    len,
                    format!(
                        "![{}]({})",
                        alt.replace(['[', ']'], ""),
                        src.replace(' ', "%20")
                    ),
                ));
            }
            "youtube" | "vimeo" => {
                let id = named("id").or_else(|| first_arg(args))?;
                let url = if name == "youtube" {
                    format!("https://www.youtube.com/watch?v={id}")
                } else {
                    format!("https://vimeo.com/{id}")
                };
                let site = if name == "youtube" {
                    "YouTube"
                } else {
                    "Vimeo"
                };
                return Some((len, format!("[Video on {site}]({url})")));
            }
            "new-in" => {
                let version = first_arg(args)?;
                let version = version.trim_start_matches('v');
                return Some((len, format!("*New in v{version}*")));
            }
            _ => {}
        }
        if name == "ref" || name == "relref" {
            let arg = first_arg(args)?;
            let (path, fragment) = match arg.split_once('#') {
                Some((p, f)) => (p.to_owned(), format!("#{f}")),
                None => (arg.clone(), String::new()),
            };
            if path.is_empty() {
                return Some((len, fragment));
            }
            return (cx.find)(Lookup::Hugo(&path)).map(|p| (len, format!("/{p}{fragment}")));
        }
        return None;
    }
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    // Jekyll's and Eleventy's site prefix: the links are read from the
    // site's root, so it becomes nothing.
    if matches!(
        compact.as_str(),
        "site.baseurl" | "site.url" | "site.github.url" | "site.url|append:site.baseurl"
    ) {
        return Some((len, String::new()));
    }
    // {{ "/x" | relative_url }}, {{ '/x' | url }}, {{ "/x" | prepend: site.baseurl }}
    let (value, filters) = body.split_once('|')?;
    let value = value.trim();
    let quoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
    let filter = filters.trim();
    let is_url_filter = [
        "relative_url",
        "absolute_url",
        "url",
        "prepend: site.baseurl",
        "prepend:site.baseurl",
    ]
    .iter()
    .any(|f| filter.starts_with(f));
    is_url_filter.then(|| (len, quoted.to_owned()))
}

/// A GitHub wiki link at the start of `text`: `[[Page]]`,
/// `[[Text|Page]]`, `[[image.png]]`.
fn wiki_link(text: &str, cx: &Context) -> Option<(usize, String)> {
    if cx.flavor != Flavor::Wiki {
        return None;
    }
    let inner = text.strip_prefix("[[")?;
    let end = inner.find("]]")?;
    let body = &inner[..end];
    if body.contains('[') || body.contains('\n') {
        return None;
    }
    let len = 2 + end + 2;
    let (label, target) = match body.split_once('|') {
        Some((l, t)) => (l.trim(), t.trim()),
        None => (body.trim(), body.trim()),
    };
    // An image names its file first: [[images/x.png|alt=Text]].
    let is_image = |t: &str| {
        let lower = t.to_ascii_lowercase();
        [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"]
            .iter()
            .any(|e| lower.ends_with(e))
    };
    if is_image(label) || is_image(target) {
        let (file, alt) = if is_image(label) {
            (label, target)
        } else {
            (target, label)
        };
        let alt = if file == alt {
            ""
        } else {
            alt.trim_start_matches("alt=")
        };
        return Some((
            len,
            format!(
                "![{}]({})",
                alt.replace(['[', ']'], ""),
                file.replace(' ', "%20")
            ),
        ));
    }
    if super::links::is_external(target) {
        return Some((len, format!("[{label}]({target})")));
    }
    let (page, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (target, String::new()),
    };
    let path = match (cx.find)(Lookup::Wiki(page)) {
        Some(p) => format!("/{p}"),
        None => format!("{}.md", page.replace(' ', "-")),
    };
    Some((
        len,
        format!("[{label}]({}{fragment})", path.replace(' ', "%20")),
    ))
}

#[cfg(test)]
mod tests {
    use super::{Context, Lookup, callout_shortcode, colon_fence, run};
    use crate::import::detect::Flavor;

    fn convert(flavor: Flavor, text: &str) -> (String, Vec<String>) {
        let find = |l: Lookup<'_>| match l {
            Lookup::Hugo("b") => Some("sec/b.md".to_owned()),
            _ => None,
        };
        let cx = Context {
            flavor,
            src: std::path::Path::new("/nonexistent"),
            dir: std::path::Path::new("/nonexistent"),
            content: std::path::Path::new("/nonexistent"),
            find: &find,
            title: Some("The title"),
            callouts: &[],
            partials: &Default::default(),
        };
        let (out, notes) = run(text, &cx);
        (
            out,
            notes
                .into_iter()
                .map(|n| format!("{}: {}", n.line, n.what))
                .collect(),
        )
    }

    #[test]
    fn colon_fences_nest_and_keep_titles() {
        let (out, _) = convert(
            Flavor::Docusaurus,
            ":::note[Outer]\nA\n\n::::tip\nB\n::::\n:::\nafter\n",
        );
        assert_eq!(
            out,
            "!!! note \"Outer\"\n    A\n\n    !!! tip\n        B\n\n\nafter\n"
        );
        assert_eq!(
            colon_fence("::: warning Mind the gap").map(|f| f.2),
            Some(Some("Mind the gap".into()))
        );
        assert_eq!(colon_fence(":::"), None);
    }

    #[test]
    fn template_tags_in_code_are_examples() {
        let (out, notes) = convert(
            Flavor::Hugo,
            "[b]({{< ref \"b\" >}}) and `{{< ref \"b\" >}}`\n\n```\n{{< ref \"b\" >}}\n```\n{{< tabs name=\"x\" >}}\n",
        );
        assert!(
            out.starts_with("[b](/sec/b.md) and `{{< ref \"b\" >}}`"),
            "{out}"
        );
        assert!(out.contains("```\n{{< ref \"b\" >}}\n```"), "{out}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0]
                == "6: template syntax `{{< tabs name=\"x\" >}}` left as written: sopbook runs no templates",
            "{notes:?}"
        );
    }

    #[test]
    fn hugo_callouts_take_their_kind_and_title() {
        assert_eq!(
            callout_shortcode("{{% alert title=\"Note\" color=\"info\" %}}"),
            Some(("alert".into(), "note".into(), Some("Note".into())))
        );
        assert_eq!(
            callout_shortcode("{{< hint warning >}}"),
            Some(("hint".into(), "warning".into(), None))
        );
        assert_eq!(callout_shortcode("{{< figure src=\"x\" >}}"), None);
    }

    #[test]
    fn middleman_titles_and_liquid_url_filters() {
        let (out, _) = convert(Flavor::Middleman, "# <%= current_page.data.title %>\n");
        assert_eq!(out, "# The title\n");
        let (out, _) = convert(
            Flavor::Jekyll,
            "[a]({{ \"/x/\" | relative_url }}) [b]({{ site.baseurl }}/y) [c]({% link z.md %})\n",
        );
        assert_eq!(out, "[a](/x/) [b](/y) [c](/z.md)\n");
    }
}

#[cfg(test)]
mod mkdocs_tests {
    use super::{Out, mkdocs_inline};

    #[test]
    fn attribute_lists_go_and_icons_are_listed() {
        let mut out = Out {
            text: String::new(),
            lines: 0,
            notes: Vec::new(),
        };
        let line = mkdocs_inline(
            "[Go](x.md){ .md-button } :octicons-heart-16: at 10:30-11:00: `{ .x }`",
            &mut out,
        );
        assert_eq!(
            line,
            "[Go](x.md) :octicons-heart-16: at 10:30-11:00: `{ .x }`"
        );
        let notes: Vec<&str> = out.notes.iter().map(|n| n.what.as_str()).collect();
        assert_eq!(
            notes,
            [
                "attribute list `{ .md-button }` dropped",
                "icon `:octicons-heart-16:` left as text: sopbook has no icon set"
            ]
        );
    }
}
