//! The built site served under a sub-path by a plain static file server,
//! the way GitHub Pages serves a project site: `https://owner.github.io/repo/`.
//! A crawler starts at `/handbook/` and follows every `href` and `src` of
//! every page, the URLs in `nav.js`, the search index, `graph.json` and
//! `sitemap.xml`, and the links of the 404 page served at a deep missing
//! path. Every URL must answer 200 and stay under `/handbook/`.
//!
//! The server is a few lines of std::net rather than `sopbook serve`, so
//! nothing sopbook-specific (rewrites, fallbacks) can hide a broken link:
//! it maps the decoded path to a file, a folder to its `index.html`, and
//! anything else to 404 with the site's `404.html`, as static hosts do.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{Book, TODAY};
use crate::site::{attrs, percent_decode, script_json, unescape};

const BASE: &str = "https://acme.example/handbook/";
const ORIGIN: &str = "https://acme.example";
const PREFIX: &str = "/handbook/";

/// Answers one request the way a static host does.
fn answer(root: &Path, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = String::from_utf8(percent_decode(path)).unwrap_or_default();
    let mut file = root.to_path_buf();
    let mut bad = !decoded.starts_with('/');
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        bad |= part == ".." || part == "." || part.contains('\\');
        file.push(part);
    }
    if file.is_dir() && !bad {
        if !decoded.ends_with('/') {
            let head = format!("HTTP/1.0 301 Moved Permanently\r\nLocation: {path}/\r\n\r\n");
            return (&stream).write_all(head.as_bytes());
        }
        file.push("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !bad => ("200 OK", body),
        _ => (
            "404 Not Found",
            std::fs::read(root.join("handbook/404.html")).unwrap_or_default(),
        ),
    };
    let head = format!(
        "HTTP/1.0 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut s = &stream;
    s.write_all(head.as_bytes())?;
    s.write_all(&body)
}

/// Serves `root` on a free port until the test process ends.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(&root, stream);
        }
    });
    port
}

/// Percent-encodes what a browser encodes in a URL path when it resolves
/// an `href` (spaces, quotes, `<>`, non-ASCII…); `%`, `#` and `?` keep
/// their meaning, as they do in a browser.
fn browser_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b <= b' ' || b >= 0x7f || matches!(b, b'"' | b'<' | b'>' | b'`' | b'{' | b'}') {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// A minimal HTTP/1.0 GET: status code and body.
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let reply = crate::harness::http(port, &format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1"));
    (reply.status, reply.body)
}

/// Resolves `url` as a browser would on the page at `from` (a path).
/// `Ok(None)` for a URL the crawler leaves alone (another host, mailto:…);
/// `Err` for a URL that leaves the site.
fn resolve(from: &str, url: &str) -> Result<Option<(String, Option<String>)>, String> {
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f.to_owned())),
        None => (url, None),
    };
    let url = &browser_encode(url);
    let path = if let Some(rest) = url.strip_prefix(ORIGIN) {
        rest.to_owned()
    } else if url.contains(':') || url.starts_with("//") {
        return Ok(None); // another host, mailto:, data:
    } else if url.starts_with('/') {
        url.to_owned()
    } else if url.is_empty() {
        from.to_owned()
    } else {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        let segments: Vec<&str> = url.split('/').collect();
        let last = segments.len() - 1;
        for (i, part) in segments.into_iter().enumerate() {
            match part {
                "." => {}
                ".." if parts.len() > 1 => {
                    parts.pop();
                }
                ".." => return Err(format!("{url:?} climbs above the host root")),
                p if p.is_empty() && i != last => {}
                p => parts.push(p),
            }
        }
        if url.ends_with("/.") || url.ends_with("/..") || url == "." || url == ".." {
            parts.push("");
        }
        parts.join("/")
    };
    if !path.starts_with(PREFIX) {
        return Err(format!("{url:?} -> {path} escapes {PREFIX}"));
    }
    Ok(Some((path, fragment)))
}

/// Every string under a key named `key`, however deep.
fn json_urls(value: &serde_json::Value, key: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_urls(v, key, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                match v {
                    serde_json::Value::String(s) if k == key => out.push(s.clone()),
                    _ => json_urls(v, key, out),
                }
            }
        }
        _ => {}
    }
}

/// URLs a fetched file points to, relative to the page (`Ok`) or to the
/// site root (`Err`, for data files whose URLs the theme prefixes with it).
fn links_of(path: &str, body: &str) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    if path.ends_with(".html") || path.ends_with('/') {
        for name in ["href", "src", "poster", "data-root"] {
            out.extend(attrs(body, name).into_iter().map(|a| Ok(unescape(a))));
        }
    } else if path.ends_with("/nav.js") {
        let mut urls = Vec::new();
        json_urls(&script_json(body), "url", &mut urls);
        out.extend(urls.into_iter().map(Err));
    } else if path.ends_with("/graph.json") {
        let mut urls = Vec::new();
        json_urls(
            &serde_json::from_str(body).expect("graph.json"),
            "url",
            &mut urls,
        );
        out.extend(urls.into_iter().map(Err));
    } else if path.ends_with("/search/meta.js") {
        let meta = script_json(body);
        if let Some(shards) = meta["shards"].as_object() {
            for name in shards.values().filter_map(|v| v.as_str()) {
                out.push(Err(format!("search/{name}.js")));
            }
        }
        // One chunk file per count in `chunks`.
        let chunks = meta["chunks"].as_array().map_or(0, Vec::len);
        for c in 0..chunks {
            out.push(Err(format!("search/d-{c}.js")));
        }
    } else if path.contains("/search/d-") {
        // [title, context, url, [[anchor, label, text], …]] per document:
        // the page, and each passage's anchor on it.
        if let serde_json::Value::Array(docs) = script_json(body) {
            for doc in docs {
                let Some(url) = doc.get(2).and_then(|u| u.as_str()) else {
                    continue;
                };
                out.push(Err(url.to_owned()));
                for passage in doc.get(3).and_then(|p| p.as_array()).into_iter().flatten() {
                    match passage.get(0).and_then(|a| a.as_str()) {
                        Some("") => {}
                        Some(anchor) => out.push(Err(format!("{url}#{anchor}"))),
                        None => out.push(Err(format!("{url}#no-anchor-in-search-index"))),
                    }
                }
            }
        }
    } else if path.ends_with("/sitemap.xml") {
        for loc in body.split("<loc>").skip(1) {
            let url = unescape(loc.split("</loc>").next().unwrap_or(""));
            assert!(url.starts_with(BASE), "sitemap: {url} is not under {BASE}");
            out.push(Ok(url));
        }
    }
    out
}

/// Crawls the site served on `port`; returns the problems found and the
/// paths fetched with a 200.
fn crawl(port: u16) -> (Vec<String>, BTreeSet<String>) {
    let mut problems = Vec::new();
    let mut queue: VecDeque<(String, String)> = [
        (PREFIX.to_owned(), "start".to_owned()),
        (format!("{PREFIX}nav.js"), "start".to_owned()),
        (format!("{PREFIX}graph.json"), "start".to_owned()),
        (format!("{PREFIX}sitemap.xml"), "start".to_owned()),
        (format!("{PREFIX}search/meta.js"), "start".to_owned()),
    ]
    .into();
    // The 404 page, served at a deep path that does not exist.
    let missing = format!("{PREFIX}no/such/page.html");
    let mut seen: BTreeSet<String> = queue.iter().map(|(p, _)| p.clone()).collect();
    seen.insert(missing.clone());
    let mut ok = BTreeSet::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut pages = |path: &str,
                     body: &str,
                     queue: &mut VecDeque<(String, String)>,
                     problems: &mut Vec<String>| {
        for link in links_of(path, body) {
            let resolved = match &link {
                Ok(url) => resolve(path, url),
                Err(url) => resolve(PREFIX, url),
            };
            match resolved {
                Ok(Some((target, fragment))) => {
                    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                        fragments.push((path.to_owned(), target.clone(), f));
                    }
                    if seen.insert(target.clone()) {
                        queue.push_back((target, path.to_owned()));
                    }
                }
                Ok(None) => {}
                Err(e) => problems.push(format!("{path}: {e}")),
            }
        }
    };
    let (status, body) = get(port, &missing);
    assert_eq!(status, 404);
    let body = String::from_utf8_lossy(&body).into_owned();
    assert!(body.contains("Page not found"), "{body}");
    pages(&missing, &body, &mut queue, &mut problems);
    while let Some((path, from)) = queue.pop_front() {
        let (status, body) = get(port, &path);
        if status != 200 {
            problems.push(format!("{from}: {path} answers {status}"));
            continue;
        }
        ok.insert(path.clone());
        let is_text = [".html", "/", ".js", ".json", ".xml"]
            .iter()
            .any(|e| path.ends_with(e));
        if !is_text {
            continue;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        if path.ends_with(".html") || path.ends_with('/') {
            let key = if path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.clone()
            };
            let page_ids = attrs(&body, "id")
                .into_iter()
                .map(|id| String::from_utf8_lossy(&percent_decode(&unescape(id))).into_owned());
            ids.insert(key, page_ids.collect());
        }
        pages(&path, &body, &mut queue, &mut problems);
    }
    for (from, target, fragment) in fragments {
        let fragment = String::from_utf8_lossy(&percent_decode(&fragment)).into_owned();
        if let Some(page_ids) = ids.get(&target)
            && !page_ids.contains(&fragment)
        {
            problems.push(format!("{from}: no id {fragment:?} on {target}"));
        }
    }
    (problems, ok)
}

/// Builds the book at `dir` into `<tmp>/handbook`, serves `<tmp>` and
/// crawls it; every HTML file of the site must have been reached.
fn check_under_sub_path(dir: &Path) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("handbook");
    let out = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["build", "--quiet", "--base-url", BASE, "--out"])
        .arg(&site)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", TODAY)
        .output()
        .expect("run sopbook");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = serve(tmp.path().to_path_buf());
    let (problems, ok) = crawl(port);
    assert!(problems.is_empty(), "{problems:#?}");
    let reached: BTreeSet<String> = ok
        .iter()
        .map(|p| String::from_utf8_lossy(&percent_decode(p)).into_owned())
        .map(|p| match p.ends_with('/') {
            true => format!("{p}index.html"),
            false => p,
        })
        .collect();
    for (rel, bytes) in crate::harness::tree(&site) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        // A redirect's page (an old address) is linked from nowhere; the
        // page it sends the reader to must be reached.
        let html = String::from_utf8_lossy(&bytes);
        if let Some(to) = html
            .split("http-equiv=\"refresh\" content=\"0; url=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        {
            let mut parts: Vec<&str> = rel.split('/').collect();
            parts.pop();
            for part in to.split('/') {
                match part {
                    ".." => {
                        parts.pop();
                    }
                    _ => parts.push(part),
                }
            }
            let target = format!("{PREFIX}{}", parts.join("/"));
            assert!(
                reached.contains(&target),
                "{rel} sends the reader to {target}, which is not reached"
            );
            continue;
        }
        assert!(
            reached.contains(&format!("{PREFIX}{rel}")),
            "{rel} is not reachable from {PREFIX}"
        );
    }
}

#[test]
fn example_handbook_works_under_a_sub_path() {
    check_under_sub_path(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn full_fixture_works_under_a_sub_path() {
    let book = Book::fixture("full");
    check_under_sub_path(&book.root);
}

#[test]
fn odd_file_names_work_under_a_sub_path() {
    let book = Book::fixture("links");
    check_under_sub_path(&book.root);
}

#[test]
fn raw_html_links_work_under_a_sub_path() {
    let book = Book::fixture("raw-links");
    check_under_sub_path(&book.root);
}

#[test]
fn aliases_work_under_a_sub_path() {
    let book = Book::fixture("aliases");
    check_under_sub_path(&book.root);
}

#[test]
fn the_crawler_finds_a_broken_link() {
    let book = Book::fixture("full");
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("handbook");
    book.run(&["build", "--quiet"]).success();
    std::fs::rename(book.site(), &site).expect("move site");
    // A link that escapes the sub-path, and one to a file that is gone.
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    let index = index.replacen("href=\"", "href=\"../outside.html\" data-x=\"", 1);
    std::fs::write(site.join("index.html"), index).expect("write");
    std::fs::remove_file(site.join("reviews.html")).expect("remove");
    let port = serve(tmp.path().to_path_buf());
    let (problems, _) = crawl(port);
    let text = problems.join("\n");
    assert!(text.contains("escapes /handbook/"), "{text}");
    assert!(
        text.contains("/handbook/reviews.html answers 404"),
        "{text}"
    );
}
