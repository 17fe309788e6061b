//! Raw HTML in bodies passes through by default and is cleaned with
//! `sanitize-html = true`; text from front matter and book.toml is escaped
//! everywhere it is written, whatever the setting.

use crate::harness::{Book, main_of, tree};
use crate::site::script_json;

const SANITIZE: &str = "[book]\ntitle = \"Raw HTML\"\n[build]\nsanitize-html = true\n";

#[test]
fn raw_html_passes_through_by_default() {
    let book = Book::fixture("raw-html");
    book.build().success();
    let run = book.read("site/ops/run.html");
    let main = main_of(&run);
    for kept in [
        "<script>alert(\"body script\")</script>",
        "onerror=\"alert('img')\"",
        "href=\"javascript:alert(&#39;link&#39;)\"",
        "<a href=\"javascript:alert('raw')\">",
        "onmouseover=\"alert('embedded')\"",
        "onclick=\"alert('span')\"",
    ] {
        assert!(main.contains(kept), "{kept} missing from\n{main}");
    }
}

#[cfg(feature = "sanitize")]
#[test]
fn sanitize_html_removes_scripts_handlers_and_javascript_urls() {
    let book = Book::fixture("raw-html");
    book.write("book.toml", SANITIZE);
    book.build().success();
    let run = book.read("site/ops/run.html");
    let main = main_of(&run);
    for gone in [
        "<script",
        "alert",
        "javascript:",
        "onerror",
        "onclick",
        "onmouseover",
    ] {
        assert!(!main.contains(gone), "{gone} left in\n{main}");
    }
    // The user's harmless markup and sopbook's own survive.
    for kept in [
        "<kbd>Ctrl</kbd>",
        "<details><summary>Why</summary>",
        "<img src=\"console.png\" alt=\"console\">",
        "<li id=\"step-1\" class=\"step\">",
        "<details class=\"embed\" open=\"\">",
        "<h2 id=\"checks\">Checks</h2>",
        "<div class=\"footnote\" id=\"fn-1\">",
        "style=\"text-align:right\"",
        "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\">",
    ] {
        assert!(main.contains(kept), "{kept} missing from\n{main}");
    }
    // Ids and links still resolve, footnotes included.
    assert_eq!(
        crate::site::link_problems(&book.site()),
        Vec::<String>::new()
    );
    // The theme's own scripts are untouched.
    assert!(run.contains("sopbook.js"));
}

#[cfg(not(feature = "sanitize"))]
#[test]
fn sanitize_html_without_the_feature_is_an_error_at_the_key() {
    let book = Book::fixture("raw-html");
    book.write("book.toml", SANITIZE);
    book.build()
        .code(1)
        .stderr_has("built without HTML sanitizing")
        .stderr_has("book.toml:4:17");
}

/// Every string of a JSON document, however deep.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn front_matter_text_is_escaped_everywhere() {
    let book = Book::fixture("escaping");
    book.build().success();
    let files = tree(&book.site());
    let needles = [
        "'process'",
        "'sop'",
        "'owner'",
        "'when'",
        "'group'",
        "'page'",
        "'book'",
    ];
    let mut seen_as_data: Vec<String> = Vec::new();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") || path.ends_with(".xml") {
            assert!(!text.contains("<script>alert"), "{path} has a raw script");
            assert!(!text.contains("<img src=x"), "{path} has a raw img");
            assert!(!text.contains("<b>owner</b>"), "{path} has raw markup");
        } else if path.ends_with(".js") && (path == "nav.js" || path.starts_with("search/")) {
            // Data for scripts: a `</script` could end an inline script.
            assert!(!text.contains("</script"), "{path} can close a script");
            strings(&script_json(&text), &mut seen_as_data);
        } else if path == "graph.json" {
            strings(
                &serde_json::from_str(&text).expect("graph.json"),
                &mut seen_as_data,
            );
        }
    }
    // The titles reach the data files as the very strings written, for
    // scripts that insert them as text.
    for s in [
        "<script>alert('sop')</script>",
        "<script>alert('page')</script>",
    ] {
        assert!(seen_as_data.iter().any(|d| d == s), "{s} not in data files");
    }
    for (page, needle) in [
        (
            "site/p/s.html",
            "&lt;script&gt;alert(&#39;sop&#39;)&lt;/script&gt;",
        ),
        ("site/p/s.html", "&lt;script&gt;alert(&#39;owner&#39;)"),
        ("site/p/s.html", "&lt;script&gt;alert(&#39;when&#39;)"),
        (
            "site/p/index.html",
            "&lt;script&gt;alert(&#39;process&#39;)",
        ),
        ("site/p/index.html", "&lt;img src=x onerror=alert(1)&gt;"),
        ("site/index.html", "&lt;script&gt;alert(&#39;group&#39;)"),
        (
            "site/index.html",
            "&lt;script&gt;alert(&#39;equipment&#39;)",
        ),
        ("site/index.html", "&lt;script&gt;alert(&#39;book&#39;)"),
        ("site/reviews.html", "&lt;script&gt;alert(&#39;sop&#39;)"),
        ("site/reviews.html", "&lt;script&gt;alert(&#39;owner&#39;)"),
        ("site/page.html", "&lt;script&gt;alert(&#39;page&#39;)"),
    ] {
        assert!(book.read(page).contains(needle), "{needle} not in {page}");
    }
    assert!(needles.iter().all(|n| {
        files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains(&n.replace('\'', "&#39;")))
    }));
    // The theme's scripts put that data into the page as text, never as
    // markup.
    for (name, bytes) in
        tree(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static"))
    {
        let js = String::from_utf8_lossy(&bytes);
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ] {
            assert!(
                !js.contains(sink),
                "themes/default/static/{name} uses {sink}"
            );
        }
    }
}
