//! `unsafe-url` (#12): `javascript:`, `vbscript:` and non-image `data:`
//! URLs in every form a link takes, `on*` heading attributes (never
//! written), event handlers and such URLs in raw HTML, each warned at its
//! own line and column; and, with `sanitize-html = true`, SVG files that
//! hold a script. Books are written at run time: the cases are bytes (a
//! tab, a file over the SVG size limit) that read badly as fixtures.

use crate::check::findings;
use crate::harness::{Book, main_of};
use crate::site::attrs;

/// The `href` and `src` values of a page's `<main>` that hold a URL a
/// browser would run or open as a document of its own.
fn unsafe_targets(page: &str) -> Vec<String> {
    let main = main_of(page);
    let mut values = attrs(main, "href");
    values.extend(attrs(main, "src"));
    values
        .into_iter()
        .map(|v| v.to_lowercase().replace(['\t', '\n'], ""))
        .filter(|v| {
            ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| v.starts_with(s))
        })
        .collect()
}

const BOOK: &str = "[book]\ntitle = \"Unsafe\"\n";
const SANITIZE: &str = "[book]\ntitle = \"Unsafe\"\n[build]\nsanitize-html = true\n";

/// Every form of Markdown link pulldown-cmark produces.
const LINKS: &str = "+++\ntitle = \"Links\"\n+++\n\
[inline](javascript:alert(1)) and [ref][r]\n\
and <javascript:alert(3)> and [enc](&#106;avascript:alert(4))\n\
[vb](VBScript:msgbox(5)) [html](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==) \
![png](data:image/png;base64,iVBORw0KGgo=) [ok](https://example.com/javascript:no)\n\
\n\
[r]: JaVaScRiPt:alert(2)\n";

fn unsafe_only(found: Vec<(String, String)>) -> Vec<String> {
    found
        .into_iter()
        .filter(|(rule, _)| rule == "unsafe-url")
        .map(|(_, at)| at)
        .collect()
}

fn book_with(toml: &str, page: &str) -> Book {
    let book = Book::empty();
    book.write("book.toml", toml).write("content/p.md", page);
    book
}

#[test]
fn every_form_of_an_unsafe_link_is_warned_at_the_link() {
    let book = book_with(BOOK, LINKS);
    assert_eq!(
        findings(&book, &[]),
        [
            "content/p.md:4:1",
            "content/p.md:4:35",
            "content/p.md:5:5",
            "content/p.md:5:31",
            "content/p.md:6:1",
            "content/p.md:6:26",
        ]
        .map(|at| ("unsafe-url".to_owned(), at.to_owned()))
    );
    let run = book.build();
    run.success()
        .stderr_has("warning[unsafe-url]: link to a `javascript:` URL: `JaVaScRiPt:alert(2)`")
        .stderr_has("link to a `vbscript:` URL")
        .stderr_has("link to a `data:` URL that is not an image")
        .stderr_lacks("image to");
    // The default configuration writes the links as they are.
    let page = book.read("site/p.html");
    let main = main_of(&page);
    for kept in [
        "href=\"javascript:alert(1)\"",
        "href=\"JaVaScRiPt:alert(2)\"",
        "href=\"javascript:alert(4)\"",
        "href=\"VBScript:msgbox(5)\"",
        "src=\"data:image/png;base64,iVBORw0KGgo=\"",
    ] {
        assert!(main.contains(kept), "{kept} missing from\n{main}");
    }
}

#[cfg(feature = "sanitize")]
#[test]
fn sanitize_html_removes_unsafe_links_and_still_warns() {
    let book = book_with(SANITIZE, LINKS);
    assert_eq!(unsafe_only(findings(&book, &[])).len(), 6);
    book.build().success().stderr_has("warning[unsafe-url]");
    let page = book.read("site/p.html");
    assert_eq!(unsafe_targets(&page), Vec::<String>::new());
    assert!(page.contains("href=\"https://example.com/javascript:no\""));
}

/// A tab inside the scheme is a scheme to a browser: an unsafe URL, not a
/// link to a page. A wikilink names an id, so `[[javascript:…]]` is also a
/// broken link; lowered to a warning, it is written as written, and a
/// browser would still run it.
const TAB_AND_WIKI: &str =
    "+++\ntitle = \"Tab\"\n+++\n[tab](<JaVa\tScRiPt:alert(7)>) and [[javascript:alert(8)]]\n";

#[test]
fn a_tab_in_the_scheme_and_a_wikilink_are_caught() {
    let found = findings(&book_with(BOOK, TAB_AND_WIKI), &[]);
    for at in ["content/p.md:4:1", "content/p.md:4:35"] {
        assert!(
            found.contains(&("unsafe-url".to_owned(), at.to_owned())),
            "{at} in {found:?}"
        );
    }
    let broken = |at: &str| found.contains(&("broken-link".to_owned(), at.to_owned()));
    assert!(!broken("content/p.md:4:1"), "{found:?}");
    assert!(broken("content/p.md:4:35"), "{found:?}");
    let lowered = "[book]\ntitle = \"Unsafe\"\n[check]\nbroken-link = \"warn\"\n";
    let book = book_with(lowered, TAB_AND_WIKI);
    book.build()
        .success()
        .stderr_has("link to a `javascript:` URL: `JaVa\\tScRiPt:alert(7)`");
    let page = book.read("site/p.html");
    assert_eq!(
        unsafe_targets(&page),
        ["javascript:alert(7)", "javascript:alert(8)"]
    );
}

#[cfg(feature = "sanitize")]
#[test]
fn sanitize_html_cleans_a_page_whose_unsafe_link_was_taken_for_a_page() {
    let toml = "[book]\ntitle = \"Unsafe\"\n[build]\nsanitize-html = true\n[check]\nbroken-link = \"warn\"\n";
    let book = book_with(toml, TAB_AND_WIKI);
    book.build().success();
    let page = book.read("site/p.html");
    assert_eq!(unsafe_targets(&page), Vec::<String>::new());
}

const HEADINGS: &str = "+++\ntitle = \"Headings\"\n+++\n\
## Notes {onclick=alert(9) .note data-x=1}\n\
\n\
Other {OnMouseOver=\"alert(10)\"}\n\
-----\n";

#[test]
fn heading_event_handlers_are_never_written_and_warned() {
    for toml in [BOOK, SANITIZE] {
        if toml == SANITIZE && !cfg!(feature = "sanitize") {
            continue;
        }
        let book = book_with(toml, HEADINGS);
        assert_eq!(
            unsafe_only(findings(&book, &[])),
            ["content/p.md:4:11", "content/p.md:6:8"],
            "{toml}"
        );
        book.build().success().stderr_has(
            "`onclick` in a heading's attributes is an event handler; it is left out of the page",
        );
        let page = book.read("site/p.html");
        let main = main_of(&page);
        assert!(!main.to_lowercase().contains("alert"), "{toml}\n{main}");
        assert!(
            !main.to_lowercase().contains("onmouseover"),
            "{toml}\n{main}"
        );
        assert!(main.contains("<h2 id=\"notes\" class=\"note\""), "{main}");
    }
    // Other attributes are written as before.
    let book = book_with(BOOK, HEADINGS);
    book.build().success();
    assert!(
        book.read("site/p.html")
            .contains("<h2 id=\"notes\" class=\"note\" data-x=\"1\">")
    );
}

const RAW_HTML: &str = r#"+++
title = "Raw"
+++
Before <a href="javascript:alert(11)">raw</a>.

<div class="box">
<img src="x.png"
     onerror="alert(12)">
</div>

> Quoted <img
> src=x.png ONLOAD=alert(13)>
"#;

#[test]
fn raw_html_handlers_and_urls_are_warned_at_the_attribute() {
    let book = book_with(BOOK, RAW_HTML);
    book.write("content/x.png", b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        unsafe_only(findings(&book, &[])),
        [
            "content/p.md:4:11",
            "content/p.md:8:6",
            "content/p.md:12:13"
        ]
    );
    book.run(&["check"])
        .success()
        .stderr_has(
            "warning[unsafe-url]: `href` of `<a>` is a `javascript:` URL: `javascript:alert(11)`",
        )
        .stderr_has("warning[unsafe-url]: `onerror` on `<img>` is an event handler")
        .stderr_has(" --> content/p.md:8:6");
    // Raw HTML is the authors' own: written as it is.
    book.build().success();
    let page = book.read("site/p.html");
    let main = main_of(&page);
    assert!(main.contains("<a href=\"javascript:alert(11)\">"), "{main}");
    assert!(main.contains("onerror=\"alert(12)\""), "{main}");
}

#[cfg(feature = "sanitize")]
#[test]
fn sanitize_html_cleans_raw_html_and_still_warns() {
    let book = book_with(SANITIZE, RAW_HTML);
    book.write("content/x.png", b"\x89PNG\r\n\x1a\n");
    book.build().success().stderr_has("warning[unsafe-url]");
    let page = book.read("site/p.html");
    let main = main_of(&page).to_lowercase();
    for gone in ["javascript:", "onerror", "onload", "alert"] {
        assert!(!main.contains(gone), "{gone} left in\n{main}");
    }
}

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <rect width="10" height="10" onclick="alert(14)"/>
  <script>alert(15)</script>
</svg>
"#;

#[test]
fn svg_scripts_are_warned_only_with_sanitize_html() {
    let page = "+++\ntitle = \"Logo\"\n+++\n![logo](img/logo.svg)\n";
    let book = book_with(BOOK, page);
    // Not UTF-8 before the script: read all the same.
    let mut odd = b"<svg>\xFF\xFE\n".to_vec();
    odd.extend_from_slice(b"<a href=\"&#x6A;avascript:alert(16)\"><text>x</text></a></svg>\n");
    // Over the read limit: left alone, without a word.
    let mut huge = SVG.as_bytes().to_vec();
    huge.resize(5 * 1024 * 1024, b' ');
    book.write("content/img/logo.svg", SVG)
        .write("content/img/odd.svg", &odd)
        .write("content/img/huge.svg", &huge)
        .write(
            "content/img/clean.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
    assert!(findings(&book, &[]).is_empty());
    book.build().success().stderr_lacks("unsafe-url");
    assert_eq!(book.read("site/img/logo.svg"), SVG, "copied byte for byte");

    if !cfg!(feature = "sanitize") {
        return;
    }
    book.write("book.toml", SANITIZE);
    assert_eq!(
        unsafe_only(findings(&book, &[])),
        [
            "content/img/logo.svg:2:32",
            "content/img/logo.svg:3:3",
            "content/img/odd.svg:2:4",
        ]
    );
    let run = book.build();
    run.success()
        .stderr_has("warning[unsafe-url]: img/logo.svg holds a `<script>`")
        .stderr_has("3 |   <script>alert(15)</script>")
        .stderr_has("img/logo.svg has an event handler, `onclick` on `<rect>`")
        .stderr_has("img/odd.svg has a `javascript:` URL, `href` of `<a>`")
        .stderr_lacks("huge.svg")
        .stderr_lacks("clean.svg");
    // Published as it is: sanitize-html cleans pages, not files.
    assert_eq!(book.read("site/img/logo.svg"), SVG);
}

#[test]
fn json_findings_carry_line_and_column() {
    let book = book_with(BOOK, RAW_HTML);
    book.write("content/x.png", b"\x89PNG\r\n\x1a\n");
    let run = book.run(&["check", "--format", "json"]);
    run.success();
    let first: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().expect("a finding")).expect("JSON");
    assert_eq!(first["rule"], "unsafe-url");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "content/p.md");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(4), Some(11))
    );
    assert_eq!(
        (
            first["end"]["line"].as_u64(),
            first["end"]["column"].as_u64()
        ),
        (Some(4), Some(38))
    );
    assert_eq!(first["label"], "runs script");
}

#[test]
fn the_rule_can_be_raised_or_silenced() {
    let raised = "[book]\ntitle = \"Unsafe\"\n[check]\nunsafe-url = \"error\"\n";
    let book = book_with(raised, HEADINGS);
    book.build()
        .code(1)
        .stderr_has("error[unsafe-url]")
        .stderr_has("Nothing written");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Unsafe\"\n[check]\nunsafe-url = \"allow\"\n",
    );
    book.run(&["check"]).success().stderr_has("No problems");
    // Silenced, the handler is still not written.
    book.build().success();
    assert!(!book.read("site/p.html").contains("alert"));
}

#[test]
fn explain_prints_the_rule() {
    let book = Book::empty();
    let run = book.run(&["check", "--explain", "unsafe-url"]);
    assert!(run.stdout.starts_with("## unsafe-url\n"), "{}", run.stdout);
    assert!(run.stdout.contains("sanitize-html"), "{}", run.stdout);
    let list = book.run(&["check", "--explain"]);
    assert!(list.stdout.contains("unsafe-url"), "{}", list.stdout);
}

#[test]
fn thousands_of_findings_on_one_line_stay_quick() {
    // Each finding once looked its line up again: 150,000 of them on
    // lines of a megabyte took minutes.
    let heading: Vec<String> = (0..50_000).map(|_| "onclick=1".to_owned()).collect();
    let handlers: Vec<String> = (0..100_000).map(|i| format!("on{i}=1")).collect();
    let page = format!(
        "## H {{{}}}\n\n> x <b\n> {}>\n",
        heading.join(" "),
        handlers.join(" ")
    );
    let book = book_with(BOOK, &page);
    let started = std::time::Instant::now();
    book.run(&["check"]).success().stderr_has("150000 warnings");
    let took = started.elapsed();
    assert!(took.as_secs() < 30, "took {took:?}");
    // Written without them all the same.
    book.build().success();
    assert!(!book.read("site/p.html").contains("onclick"));
}
