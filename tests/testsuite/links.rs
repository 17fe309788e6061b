//! Every link form of SPEC §2, embeds, backlinks and graph.json.

use crate::harness::{Book, fixtures};
use crate::site::link_problems;

/// The `href` of the list item that starts with `label:`.
fn href_of<'a>(html: &'a str, label: &str) -> &'a str {
    let start = html
        .find(&format!("<li>{label}: <a href=\""))
        .unwrap_or_else(|| panic!("no item {label:?}"));
    let rest = &html[start + label.len() + 15..];
    &rest[..rest.find('"').expect("end of href")]
}

#[test]
fn every_link_form_resolves_from_the_top_level() {
    let book = Book::fixture("links");
    book.build().success();
    let top = book.read("site/top.html");
    for (label, href) in [
        ("wiki", "pay/run-payroll.html"),
        ("wiki text", "pay/run-payroll.html"),
        ("wiki step", "pay/run-payroll.html#step-3"),
        ("wiki heading", "pay/run-payroll.html#before-you-close"),
        ("wiki custom", "pay/run-payroll.html#totals"),
        ("relative", "pay/run-payroll.html#totals"),
        ("dot slash", "pay/run-payroll.html"),
        ("trailing slash", "pay/run-payroll.html#step-1"),
        ("encoded", "pay/my%20file.html"),
        ("rooted", "pay/run-payroll.html"),
        ("folder", "pay/index.html"),
        ("no extension", "pay/run-payroll.html"),
        ("external", "https://example.com/x"),
        ("own anchor", "#top-section"),
    ] {
        assert_eq!(href_of(&top, label), href, "{label}");
    }
    assert!(top.contains("<li>wiki: <a href=\"pay/run-payroll.html\">How to run payroll</a>"));
    assert!(top.contains(">run it</a>"));
    assert!(top.contains(">How to run payroll, step 3</a>"));
    assert!(top.contains(">How to run payroll › Before you close</a>"));
    assert!(top.contains(">Top section</a>"));
    assert!(
        top.contains("<code>[[not-a-link]]</code>"),
        "code spans untouched"
    );
    assert!(top.contains("[[also-not-a-link]]"), "code blocks untouched");
}

#[test]
fn every_link_form_resolves_from_a_deeper_page() {
    let book = Book::fixture("links");
    book.build().success();
    // Pages are written at the top level whatever folder they come from.
    let nested = book.read("site/nested.html");
    for (label, href) in [
        ("wiki", "pay/run-payroll.html"),
        ("wiki step", "pay/run-payroll.html#step-3"),
        ("relative", "pay/run-payroll.html#totals"),
        ("rooted", "pay/run-payroll.html"),
        ("folder", "pay/index.html"),
        ("home", "index.html"),
        ("page", "top.html"),
    ] {
        assert_eq!(href_of(&nested, label), href, "{label}");
    }
    assert!(
        link_problems(&book.site()).is_empty(),
        "{:#?}",
        link_problems(&book.site())
    );
}

#[test]
fn every_link_form_resolves_from_an_sop_page_one_folder_down() {
    let book = Book::fixture("links");
    book.build().success();
    let sop = book.read("site/pay/from-sop.html");
    for (label, href) in [
        ("wiki", "run-payroll.html"),
        ("wiki step", "run-payroll.html#step-3"),
        ("relative", "run-payroll.html#totals"),
        ("rooted", "../top.html#top-section"),
        ("folder", "index.html"),
        ("home", "../index.html"),
        ("page", "../top.html"),
        ("nested page", "../nested.html"),
    ] {
        assert_eq!(href_of(&sop, label), href, "{label}");
    }
}

#[test]
fn an_embed_shows_the_source_steps_with_links_resolved_from_the_embedding_page() {
    let book = Book::fixture("embed");
    book.build().success();
    let bonus = book.read("site/pay/bonus.html");
    assert!(bonus.contains("<details class=\"embed\" open>"));
    // The summary names the source; the link to it opens the body (a link
    // inside <summary> is a control inside a control).
    assert!(bonus.contains("Embedded from</span> How to get approval</summary>"));
    assert!(bonus.contains(
        "<p class=\"embed-source\"><a href=\"../approve/get-approval.html\">Open the original</a></p>"
    ));
    assert!(
        bonus.contains("<li id=\"e1.step-1\" class=\"step\">"),
        "embedded step ids are prefixed"
    );
    assert!(
        bonus.contains("<li id=\"step-3\" class=\"step\">"),
        "own steps keep their numbers"
    );
    assert!(
        bonus.contains("<a href=\"../approve/get-approval.html#who\">the table</a>"),
        "links inside the embed"
    );
    assert!(
        bonus.contains("<a href=\"../chat.html\">Chat channels</a>"),
        "resolved from the embedding page"
    );
    assert!(
        bonus.contains("href=\"../approve/get-approval.html#fn-1\""),
        "a footnote left out of the embed is read at its source"
    );
    assert!(
        !bonus.contains("Intro that is not embedded"),
        "an SOP embed shows only the steps"
    );
    assert!(
        bonus.contains("How to get approval › Who approves</summary>"),
        "a section embed"
    );
    assert!(bonus.contains("<td>Head of Finance</td>"));
    assert!(
        bonus.contains("How to get approval › step 2</summary>"),
        "a step embed"
    );
    assert!(bonus.contains("<ol class=\"steps\" start=\"2\">"));
    let twice = book.read("site/twice.html");
    assert!(
        twice.contains("id=\"e1.step-1\"") && twice.contains("id=\"e2.step-1\""),
        "two embeds, unique ids"
    );
    let problems = link_problems(&book.site());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn backlinks_show_on_both_ends() {
    let book = Book::fixture("embed");
    book.build().success();
    let source = book.read("site/approve/get-approval.html");
    let used_by = &source[source.find("id=\"used-by\"").expect("Used by")..];
    assert!(used_by.contains("<a href=\"../pay/bonus.html\">How to pay a bonus</a> <span class=\"muted\">· Pay people</span> <span class=\"badge\">embeds it</span>"));
    assert!(used_by.contains("<a href=\"../twice.html\">Twice</a>"));
    let bonus = book.read("site/pay/bonus.html");
    let uses = &bonus[bonus.find("id=\"uses\"").expect("Uses")..];
    assert!(uses.contains("<a href=\"../approve/get-approval.html\">How to get approval</a>"));
    let process = book.read("site/approve/index.html");
    assert!(process.contains("Processes that link here"));
    assert!(process.contains("<a href=\"../pay/index.html\">Pay people</a>"));
    let chat = book.read("site/chat.html");
    assert!(
        chat.contains("How to get approval"),
        "a page shows what uses it"
    );
}

#[test]
fn graph_json_lists_nodes_and_every_edge() {
    let book = Book::fixture("embed");
    book.build().success();
    insta::assert_snapshot!("embed_graph_json", book.read("site/graph.json"));
}

#[test]
fn an_embed_cycle_of_two_prints_the_cycle() {
    let book = Book::fixture("err-embed-cycle-2");
    book.build()
        .code(1)
        .stderr_has("error[embed-cycle]: embed cycle: a → b → a")
        .stderr_has("help: an embed cannot show itself");
    assert!(!book.site().exists());
}

#[test]
fn an_embed_cycle_of_three_prints_the_cycle() {
    let book = Book::fixture("err-embed-cycle-3");
    let run = book.build();
    run.code(1).stderr_has("error[embed-cycle]: embed cycle: ");
    assert_eq!(
        run.stderr.matches("error[embed-cycle]").count(),
        1,
        "reported once:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("a → b → c → a")
            || run.stderr.contains("b → c → a → b")
            || run.stderr.contains("c → a → b → c"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_embed_of_an_sop_without_steps_is_an_error() {
    Book::fixture("err-embed-nothing")
        .build()
        .code(1)
        .stderr_has("error[broken-link]: nothing to embed: `b` has no steps to embed")
        .stderr_has("--> content/p/a.md:7:4")
        .stderr_has("link to it with [[b]]");
}

#[test]
fn an_empty_link_target_is_a_warning() {
    Book::fixture("empty-link")
        .build()
        .success()
        .stderr_has("warning[empty-link]: this link has an empty target")
        .stderr_has("--> content/a.md:4:5");
}

#[test]
fn every_fixture_that_builds_has_no_broken_link_or_duplicate_id() {
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with("err-") {
            continue;
        }
        let book = Book::fixture(&name);
        if book.build().code != 0 {
            continue;
        }
        let problems = link_problems(&book.site());
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn embeds_that_multiply_past_the_page_budget_are_an_error() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"T\"\n");
    // p0 embeds p1 eight times, p1 embeds p2 eight times…: 8^4 blocks on p0.
    for i in 0..5 {
        let body = if i < 4 {
            format!("![[p{}]]\n\n", i + 1).repeat(8)
        } else {
            "Leaf.\n".to_owned()
        };
        book.write(
            &format!("content/p{i}.md"),
            format!("+++\ntitle = \"P{i}\"\n+++\n{body}"),
        );
    }
    let run = book.build();
    run.code(1)
        .stderr_has(
            "error[embed-cycle]: the embeds on this page expand to more than 1000 embedded blocks",
        )
        .stderr_has("--> content/p0.md:4:1");
    assert!(
        !run.stderr.contains("content/p2.md"),
        "8 + 64 blocks is within budget:\n{}",
        run.stderr
    );
}

/// Headings take GitHub's anchors (SPEC §2); anchors written for GitHub,
/// and those Eleventy and Jekyll sites use, both lead to the heading.
#[test]
fn anchors_written_for_github_and_for_older_generators_both_arrive() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Anchors\"\n")
        .write(
            "content/ops.md",
            "+++\ntitle = \"Ops\"\n+++\n## Get an asset's ID\n\n## Database backup/restore not completed\n\n## Use the get_document rake task\n\n## Step 1 - Submit\n\n## Meals & Incidental Expenses (M&IE)\n",
        )
        .write(
            "content/links.md",
            "+++\ntitle = \"Links\"\n+++\n[a](ops.md#get-an-assets-id) [b](ops.md#database-backuprestore-not-completed) \
             [c](ops.md#use-the-get_document-rake-task) [d](ops.md#step-1---submit) \
             [e](ops.md#get-an-asset-s-id) [f](ops.md#meals-and-incidental-expenses-m-and-ie) \
             [g](ops.md#get-an-asset-id)\n",
        );
    let run = book.run(&["check", "--format", "json"]);
    let broken: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"broken-link\""))
        .collect();
    assert_eq!(broken.len(), 1, "{}", run.stdout);
    assert!(broken[0].contains("#get-an-asset-id`"), "{}", broken[0]);
    assert!(
        broken[0].contains("did you mean `#get-an-assets-id`"),
        "{}",
        broken[0]
    );
    let lowered = "[book]\ntitle = \"Anchors\"\n[check]\nbroken-link = \"warn\"\n";
    book.write("book.toml", lowered);
    book.build().success();
    let ops = book.read("site/ops.html");
    for id in [
        "get-an-assets-id",
        "database-backuprestore-not-completed",
        "use-the-get_document-rake-task",
        "step-1---submit",
        "meals--incidental-expenses-mie",
    ] {
        assert!(ops.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let links = book.read("site/links.html");
    assert!(links.contains("href=\"ops.html#get-an-assets-id\""));
    // Written for an Eleventy or Jekyll site: written with the real id.
    assert!(links.contains("href=\"ops.html#meals--incidental-expenses-mie\""));
    assert_eq!(
        links.matches("href=\"ops.html#get-an-assets-id\"").count(),
        2
    );
}

/// Issue #15: a link to a file that exists but failed to load (front
/// matter that does not parse, not UTF-8) is not a second, misleading
/// `broken-link` ("no page at …" with a did-you-mean to another page):
/// the file's own error is the one reported.
#[test]
fn links_to_a_file_that_failed_to_load_are_not_reported_again() {
    let book = Book::fixture("links");
    book.write(
        "content/payroll/broken.md",
        "+++\ntitle = \"Broken\nprocess = \"pay\"\n+++\n1. x\n",
    )
    .write("content/other/index.md", "+++\ntitle = 3\n+++\nx\n")
    .write(
        "content/payroll/latin.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\nx\n",
    )
    .write(
        "content/failing-links.md",
        "+++\ntitle = \"Failing links\"\n+++\n\
         [a](payroll/broken.md) [b](payroll/broken) [[payroll/broken.md]] [[broken]]\n\
         [c](other/) [d](/other/index.md) <a href=\"payroll/broken.md#step-1\">e</a>\n\
         [f](payroll/latin.md) [g](payroll/latin) [[latin]]\n",
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("error[front-matter]")
        .stderr_has("--> content/payroll/broken.md:2:")
        .stderr_has("--> content/other/index.md:2:9")
        .stderr_has("error[encoding]: payroll/latin.md is not UTF-8 text")
        .stderr_lacks("broken-link")
        .stderr_lacks("failing-links.md");
}
