//! "On this page" (issue #19): a page with three headings or more lists
//! them, h3s under their h2, and an SOP's steps; a shorter page has none;
//! `[build] page-contents = false` turns it off.

use crate::harness::Book;

fn book(extra_build: &str) -> Book {
    let book = Book::empty();
    book.write(
        "book.toml",
        format!("[book]\ntitle = \"Contents\"\n\n[build]\n{extra_build}"),
    )
    .write(
        "content/p/process.md",
        "+++\nkind = \"process\"\nid = \"p\"\ntitle = \"Pay\"\noutcome = \"Paid\"\n+++\nWhy.\n",
    )
    .write(
        "content/p/long.md",
        "+++\ntitle = \"Long\"\nprocess = \"p\"\n+++\n## Before you start\n\nRead this.\n\n### Access\n\nAsk for it.\n\n### Tools\n\nInstall them.\n\nThe run:\n\n1. Export.\n2. Check.\n\n## If it fails\n\nCall us.\n",
    )
    .write(
        "content/p/headed.md",
        "+++\ntitle = \"Headed\"\nprocess = \"p\"\n+++\n## Before\n\nA.\n\n## Procedure\n\n1. Export.\n\n## After\n\nB.\n",
    )
    .write(
        "content/p/short.md",
        "+++\ntitle = \"Short\"\nprocess = \"p\"\n+++\n## Before\n\nA.\n\n1. Export.\n\n## After\n\nB.\n",
    );
    book
}

/// The `<nav class="page-contents">` of a page, if any.
fn contents(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"page-contents\"")?;
    let end = html[start..].find("</nav>")? + start;
    Some(&html[start..end])
}

#[test]
fn a_long_sop_lists_its_headings_nested_and_its_steps() {
    let book = book("");
    book.build().success();
    let html = book.read("site/p/long.html");
    let nav = contents(&html).expect("contents on a page with three headings");
    assert_eq!(
        nav,
        "<nav class=\"page-contents\" aria-label=\"On this page\">\n<details class=\"page-contents-box\" open>\n<summary>On this page</summary>\n<ol>\n<li><a href=\"#before-you-start\">Before you start</a><ol><li><a href=\"#access\">Access</a></li><li><a href=\"#tools\">Tools</a></li></ol></li>\n<li><a href=\"#step-1\">Steps</a></li>\n<li><a href=\"#if-it-fails\">If it fails</a></li>\n</ol>\n</details>\n"
    );
    // Every link leads to an id of the page.
    for id in [
        "before-you-start",
        "access",
        "tools",
        "step-1",
        "if-it-fails",
    ] {
        assert!(html.contains(&format!(" id=\"{id}\"")), "no #{id}");
    }
    assert!(html.contains("<main id=\"main\" class=\"has-contents\">"));
    // A heading right above the steps leads to them: no "Steps" line.
    let headed = book.read("site/p/headed.html");
    let nav = contents(&headed).expect("three headings");
    assert!(
        nav.contains("href=\"#procedure\">Procedure</a>") && !nav.contains("Steps"),
        "{nav}"
    );
}

#[test]
fn short_pages_the_print_page_and_a_book_that_turns_it_off_have_none() {
    let book = book("");
    book.build().success();
    let short = book.read("site/p/short.html");
    assert!(
        contents(&short).is_none() && short.contains("<main id=\"main\">"),
        "{short}"
    );
    assert!(contents(&book.read("site/p/print.html")).is_none());
    assert!(contents(&book.read("site/index.html")).is_none());
    let off = self::book("page-contents = false\n");
    off.build().success();
    assert!(contents(&off.read("site/p/long.html")).is_none());
}

#[test]
fn the_label_follows_the_books_language() {
    let book = book("");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Inhalt\"\nlanguage = \"de\"\n",
    );
    book.build().success();
    let html = book.read("site/p/long.html");
    let nav = contents(&html).expect("contents");
    assert!(
        nav.contains("aria-label=\"Auf dieser Seite\"") && nav.contains(">Schritte</a>"),
        "{nav}"
    );
}
