//! Markdown written for other tools: heading ids given as a key-value
//! attribute (MkDocs' attr_list, kramdown) and definition lists (MkDocs'
//! def_list, Hugo, kramdown, PHP Markdown Extra).

use crate::harness::{Book, main_of};

/// The opening tag of the `<h2>` whose text is `text`.
fn h2_of<'a>(html: &'a str, text: &str) -> &'a str {
    let end = html
        .find(&format!(">{text}</h2>"))
        .unwrap_or_else(|| panic!("no heading {text:?} in\n{html}"));
    let start = html[..end].rfind("<h2").expect("opening <h2");
    &html[start..=end]
}

/// `{ id=x }`, `{ id="x" }`, `{: #x }` and `{:#x}` are the heading's id,
/// written once and without quotes, and links to it arrive; an `id` never
/// comes from the key-value list, other values lose their quotes and
/// handlers stay unwritten.
#[test]
fn key_value_heading_ids_are_the_anchor_links_reach() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Ids\"\n")
        .write(
            "content/guide.md",
            "+++\ntitle = \"Guide\"\n+++\n\
             ## Navigation path (breadcrumbs) { id=navigation-path }\n\n\
             ## 9.7.0 { id=\"9.7.0\" }\n\n\
             ## Release notes {: #notes }\n\n\
             ## Kramdown {:#kd}\n\n\
             ## Attributes {#attrs data-x=\"y\" title='t' ID=other onclick=\"alert(1)\"}\n",
        )
        .write(
            "content/links.md",
            "+++\ntitle = \"Links\"\n+++\n\
             [a](guide.md#navigation-path) [[guide#9.7.0]] [c](guide.md#notes) \
             [d](guide.md#kd) [e](guide.md#attrs)\n",
        );
    let run = book.run(&["check"]);
    run.stderr_lacks("broken-link")
        .stderr_lacks("error")
        .stderr_has("warning[unsafe-url]");
    let json = book.run(&["check", "--format", "json"]);
    assert!(
        !json.stdout.contains("broken-link"),
        "links reach the ids:\n{}",
        json.stdout
    );

    book.build().success();
    let guide = book.read("site/guide.html");
    let main = main_of(&guide);
    for (text, tag) in [
        (
            "Navigation path (breadcrumbs)",
            "<h2 id=\"navigation-path\">",
        ),
        ("9.7.0", "<h2 id=\"9.7.0\">"),
        ("Release notes", "<h2 id=\"notes\">"),
        ("Kramdown", "<h2 id=\"kd\">"),
        ("Attributes", "<h2 id=\"attrs\" data-x=\"y\" title=\"t\">"),
    ] {
        assert_eq!(h2_of(main, text), tag, "{text}");
    }
    assert!(!main.contains("&quot;"), "{main}");
    assert!(!main.to_lowercase().contains("onclick"), "{main}");
    let links = book.read("site/links.html");
    for href in [
        "guide.html#navigation-path",
        "guide.html#9.7.0",
        "guide.html#notes",
        "guide.html#kd",
        "guide.html#attrs",
    ] {
        assert!(
            links.contains(&format!("href=\"{href}\"")),
            "{href}\n{links}"
        );
    }
}

/// `Term` over `: definition` is a `<dl>`, on pages and in SOPs; a
/// numbered list inside a definition is not a step, and search reads the
/// term and its definition as words apart.
#[test]
fn definition_lists_are_written_as_dl_and_hold_no_steps() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Terms\"\n")
        .write(
            "content/pay/process.md",
            "+++\nkind = \"process\"\nid = \"pay\"\ntitle = \"Pay people\"\noutcome = \"Paid\"\n+++\n",
        )
        .write(
            "content/pay/run.md",
            "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\n+++\n\
             1. Open the ledger.\n\n\
             Approver\n\
             : The person who signs the run.\n\
             : 1. Reads the totals.\n   2. Signs.\n\n\
             Cut-off\n\n\
             : The last day for changes, see [[glossary]].\n\n\
             2. Send the payments.\n",
        )
        .write(
            "content/glossary.md",
            "+++\ntitle = \"Glossary\"\n+++\nLedger\n: Where the run is recorded.\n\n![[run#step-2]]\n",
        );
    book.run(&["check"]).success().stderr_lacks("warning");
    book.build().success();
    let run = book.read("site/pay/run.html");
    let main = main_of(&run);
    assert!(
        main.contains("<dl>\n<dt>Approver</dt>\n<dd><p>The person who signs the run.</p>\n</dd>\n<dd><ol>\n<li>Reads the totals.</li>\n<li>Signs.</li>\n</ol>\n</dd>\n"),
        "{main}"
    );
    assert!(
        main.contains("<dt>Cut-off</dt>\n<dd><p>The last day for changes, see <a href=\"../glossary.html\">Glossary</a>.</p>\n</dd>\n</dl>"),
        "{main}"
    );
    assert!(!main.contains(": The person"), "{main}");
    assert_eq!(main.matches("class=\"step\"").count(), 2, "{main}");
    assert!(main.contains("<ol class=\"steps\" start=\"2\">\n<li id=\"step-2\" class=\"step\">Send the payments.</li>"), "{main}");
    assert!(!main.contains("step-3"), "{main}");

    let glossary = book.read("site/glossary.html");
    assert!(
        main_of(&glossary)
            .contains("<dl>\n<dt>Ledger</dt>\n<dd>Where the run is recorded.</dd>\n</dl>"),
        "{glossary}"
    );
    assert!(glossary.contains("Send the payments."), "the embed");

    let index = std::fs::read_dir(book.site().join("search"))
        .expect("search folder")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect::<String>();
    assert!(
        index.contains("Approver The person who signs the run. Reads the totals. Signs."),
        "{index}"
    );
    assert!(
        index.contains("Ledger Where the run is recorded."),
        "{index}"
    );
}
