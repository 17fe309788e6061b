//! A link walk over a built site, as a browser would follow it: every
//! `href`/`src` must reach a file inside the site, every `#fragment` an id
//! on the target page, and no page may hold one id twice. Links must be
//! relative and point at files, so the site works under any sub-path
//! (served at `/handbook/`) and opened from disk (`file://`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Values of `name="…"` attributes in `html`, as written (still escaped).
pub(crate) fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pattern = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pattern) {
        rest = &rest[i + pattern.len()..];
        if let Some(end) = rest.find('"') {
            values.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    values
}

/// `%xx` decoded to bytes; an invalid escape is kept as written. The
/// tests' own copy, so a bug in sopbook's decoding is not shared.
pub(crate) fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// A URL of the site decoded; it must be UTF-8.
pub(crate) fn decode(s: &str) -> String {
    String::from_utf8(percent_decode(s)).expect("utf-8 url")
}

pub(crate) fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The JSON inside a data script (`window.SOPBOOK_NAV=…;`,
/// `sopbookSearch.load("x",…);`).
pub(crate) fn script_json(text: &str) -> serde_json::Value {
    let start = text.find(['{', '[']).expect("json in script");
    let end = text.rfind(['}', ']']).expect("json end") + 1;
    serde_json::from_str(&text[start..end]).expect("valid json")
}

/// `html` without what `<pre>` and `<code>` hold: HTML shown as code
/// (`&lt;img src="x"&gt;`) is text, not a link.
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["<pre", "<code"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = if tag == "<pre" { "</pre>" } else { "</code>" };
        rest = rest[i..]
            .find(close)
            .map_or("", |e| &rest[i + e + close.len()..]);
    }
}

/// Problems found in the site at `dir`, one line each; empty when clean.
pub(crate) fn link_problems(dir: &Path) -> Vec<String> {
    let files = crate::harness::tree(dir);
    let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut seen = HashSet::new();
        for id in attrs(&html, "id") {
            if !seen.insert(unescape(id)) {
                problems.push(format!("{path}: duplicate id {id:?}"));
            }
        }
        // A browser scrolls to `<a name="x">` for `#x` too.
        for piece in html.split("<a name=\"").skip(1) {
            if let Some(end) = piece.find('"') {
                seen.insert(unescape(&piece[..end]));
            }
        }
        ids.insert(path.clone(), seen);
    }
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = without_code(&String::from_utf8_lossy(bytes));
        let mut urls = attrs(&html, "href");
        urls.extend(attrs(&html, "src"));
        for raw in urls {
            let url = unescape(raw);
            if url.contains("://")
                || ["mailto:", "data:", "javascript:"]
                    .iter()
                    .any(|s| url.starts_with(s))
            {
                continue;
            }
            if url.starts_with('/') {
                problems.push(format!(
                    "{path}: {url:?} is root-relative, which breaks under a sub-path"
                ));
                continue;
            }
            let (file_part, fragment) = match url.split_once('#') {
                Some((f, frag)) => (f, Some(decode(frag))),
                None => (url.as_str(), None),
            };
            if file_part.ends_with('/') {
                problems.push(format!(
                    "{path}: {url:?} points at a folder, which fails from file://"
                ));
                continue;
            }
            let target = if file_part.is_empty() {
                Some(path.clone())
            } else {
                resolve(path, &decode(file_part))
            };
            let Some(target) = target else {
                problems.push(format!("{path}: {url:?} climbs above the site root"));
                continue;
            };
            if !files.contains_key(&target) {
                problems.push(format!("{path}: {url:?} -> {target} does not exist"));
                continue;
            }
            if let Some(fragment) = fragment
                && let Some(page_ids) = ids.get(&target)
                && !page_ids.contains(&fragment)
            {
                problems.push(format!("{path}: {url:?} -> no id {fragment:?} in {target}"));
            }
        }
    }
    problems
}

/// Resolves a relative URL from the page at `from` the way a browser does
/// for a site served at `/handbook/`; `None` if it leaves the site.
fn resolve(from: &str, url: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in url.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn the_walker_catches_what_it_should() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    std::fs::create_dir_all(d.join("a")).expect("mkdir");
    std::fs::write(d.join("index.html"), r#"<p id="x" id="x"><a href="a/b.html#y"></a><a href="a/"></a><a href="/abs.html"></a><a href="missing.html"></a><a href="../out.html"></a></p>"#).expect("write");
    std::fs::write(
        d.join("a/b.html"),
        r#"<p id="z"></p><a href="../index.html#x"></a>"#,
    )
    .expect("write");
    let problems = link_problems(d);
    assert_eq!(problems.len(), 6, "{problems:#?}");
}
