//! Each page type of SPEC §3, written from the `full` fixture.

use crate::harness::{Book, tree};
use crate::site::link_problems;

#[test]
fn full_book_writes_every_page() {
    let book = Book::fixture("full");
    book.build().success().stderr_has("Built 14 pages");
    for file in [
        "index.html",
        "404.html",
        "reviews.html",
        "graph.json",
        ".nojekyll",
        "sitemap.xml",
        "_theme/style.css",
        "pay/index.html",
        "pay/print.html",
        "pay/run.html",
        "pay/fix.html",
        "approve/index.html",
        "approve/get-approval.html",
        "approve/training.html",
        "backup/index.html",
        "backup/print.html",
        "approve/print.html",
        "glossary.html",
        "payroll/img/flow.svg",
        "approvals/media/walkthrough.mp4",
    ] {
        assert!(book.site().join(file).is_file(), "missing {file}");
    }
    // The home page's own text comes from content/index.md, not a page of its own.
    assert!(!book.site().join("welcome.html").exists());
}

#[test]
fn every_link_and_anchor_resolves_under_a_sub_path_and_from_disk() {
    let book = Book::fixture("full");
    book.build().success();
    let problems = link_problems(&book.site());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn home_page_groups_processes_with_outcome_owner_counts_and_equipment() {
    let book = Book::fixture("full");
    book.build().success();
    let home = book.read("site/index.html");
    assert!(home.contains("<h1>Full &lt;Book&gt;</h1>"), "title escaped");
    assert!(home.contains("<html lang=\"en-GB\">"));
    let finance = home.find("<h2>Finance</h2>").expect("Finance group");
    let operations = home.find("<h2>Operations</h2>").expect("Operations group");
    let pay = home.find(">Pay people</a></h3>").expect("pay card");
    let approve = home
        .find(">Approve spending</a></h3>")
        .expect("approve card");
    assert!(
        finance < pay && pay < approve && approve < operations,
        "groups and order"
    );
    assert!(home.contains("Everyone is paid the right amount"));
    assert!(home.contains("Head of Finance"));
    assert!(home.contains("<dt>Branches</dt><dd>2</dd>"));
    assert!(home.contains("<dt>SOPs</dt><dd>2</dd>"));
    assert!(home.contains("badge-automated"));
    assert!(home.contains("href=\"https://status.example.com/backup\">Nightly backup job</a>"));
    assert!(
        home.contains("Start with <a href=\"pay/index.html\">Pay people</a>"),
        "intro from index.md"
    );
    assert!(
        home.contains("<a href=\"glossary.html\">Glossary</a>"),
        "pages listed"
    );
}

#[test]
fn process_page_has_branch_map_as_diagram_and_list() {
    let book = Book::fixture("full");
    book.build().success();
    let page = book.read("site/pay/index.html");
    assert!(page.contains("<svg class=\"branch-map-svg\""));
    assert!(
        page.contains("<a href=\"run.html\"><rect class=\"bm-sop\""),
        "diagram links to the SOP"
    );
    assert!(page.contains("<li id=\"branch-normal\">"));
    assert!(page.contains("A pay period closes"));
    assert!(page.contains("<a href=\"fix.html\">How to fix a payroll mistake</a>"));
    assert!(page.contains("Why we pay people on time."));
    assert!(
        page.contains("<img src=\"../payroll/img/flow.svg\" alt=\"Flow\">"),
        "asset path from the process page"
    );
    assert!(
        page.contains("<time datetime=\"2027-03-01\">1 March 2027</time>"),
        "review due from review-every"
    );
    let automated = book.read("site/backup/index.html");
    assert!(automated.contains("No one runs this process by hand"));
    assert!(
        automated.contains("<a href=\"../it/files/restore%20checklist.pdf\">Restore checklist</a>"),
        "local equipment resolved"
    );
    assert!(
        automated.contains("<li>The backup disk in the office</li>"),
        "equipment without a link"
    );
    assert!(!automated.contains("branch-map-svg"));
}

#[test]
fn sop_page_has_breadcrumbs_owner_format_review_steps_and_other_paths() {
    let book = Book::fixture("full");
    book.build().success();
    let page = book.read("site/pay/run.html");
    assert!(page.contains("<li><a href=\"../index.html\">Home</a></li>"));
    assert!(page.contains("<li><a href=\"index.html\">Pay people</a></li>"));
    assert!(page.contains("<li><a href=\"index.html#branch-normal\">A pay period closes</a></li>"));
    assert!(page.contains("<dt>Owner</dt><dd>Payroll clerk</dd>"));
    assert!(page.contains("<dt>Format</dt><dd>document</dd>"));
    assert!(page.contains("<time datetime=\"2026-03-01\">1 March 2026</time>"));
    assert!(page.contains("<li id=\"step-3\" class=\"step\">"));
    assert!(page.contains("<h2 id=\"totals\">Check totals</h2>"));
    assert!(page.contains("<a href=\"#totals\">the totals section</a>"));
    assert!(
        page.contains("<a href=\"../approve/index.html\">Approve spending</a>"),
        "[[id]] shows the title"
    );
    assert!(
        page.contains("Someone was paid the wrong amount"),
        "other paths with their when"
    );
    assert!(page.contains("https://git.example/acme/edit/main/content/payroll/run.md"));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://acme.example/handbook/pay/run.html\">"
        )
    );
    let fix = book.read("site/pay/fix.html");
    assert!(fix.contains("<a href=\"run.html#step-2\">How to run payroll, step 2</a>"));
    assert!(fix.contains("<a href=\"run.html#totals\">the normal run</a>"));
    assert!(
        fix.contains("<a href=\"index.html\">the folder</a>"),
        "folder link goes to its process"
    );
    assert!(
        fix.contains("<a href=\"../glossary.html#terms\">glossary</a>"),
        "/-rooted link"
    );
}

#[test]
fn video_and_training_sops_show_player_or_link() {
    let book = Book::fixture("full");
    book.build().success();
    let video = book.read("site/approve/get-approval.html");
    assert!(video.contains(
        "<video controls preload=\"metadata\" src=\"../approvals/media/walkthrough.mp4\">"
    ));
    let training = book.read("site/approve/training.html");
    assert!(training.contains("href=\"https://videos.example.com/approvals\">Open the recorded training on videos.example.com</a>"));
    assert!(
        !training.contains("<iframe"),
        "nothing loads from another host until asked"
    );
}

#[test]
fn sitemap_and_404_use_the_base_url() {
    let book = Book::fixture("full");
    book.build().success();
    let sitemap = book.read("site/sitemap.xml");
    assert!(sitemap.contains("<loc>https://acme.example/handbook/pay/run.html</loc>"));
    assert!(sitemap.contains("<loc>https://acme.example/handbook/index.html</loc>"));
    let not_found = book.read("site/404.html");
    assert!(
        not_found.contains("href=\"https://acme.example/handbook/index.html\""),
        "404 links work at any depth"
    );
}

#[test]
fn no_base_url_means_no_sitemap_and_no_canonical() {
    let book = Book::fixture("full");
    let toml = book
        .read("book.toml")
        .replace("base-url = \"https://acme.example/handbook\"\n", "");
    book.write("book.toml", toml);
    book.build().success();
    assert!(!book.site().join("sitemap.xml").exists());
    assert!(!book.read("site/pay/run.html").contains("rel=\"canonical\""));
    // --base-url on the command line sets it for one build.
    book.run(&["build", "--base-url", "https://x.example/h"])
        .success();
    assert!(
        book.read("site/sitemap.xml")
            .contains("https://x.example/h/pay/run.html")
    );
}

#[test]
fn front_matter_text_is_escaped() {
    let book = Book::fixture("escaping");
    book.build().success();
    for (path, bytes) in tree(&book.site()) {
        // graph.json is data: it holds the titles as written, JSON-escaped.
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{path} has a raw script");
        assert!(!text.contains("<img src=x"), "{path} has a raw img");
        assert!(
            !text.contains("<b>owner</b>"),
            "{path} has raw markup from front matter"
        );
    }
    assert!(
        book.read("site/p/s.html")
            .contains("&lt;script&gt;alert(&#39;sop&#39;)&lt;/script&gt;")
    );
}

#[test]
fn builds_are_byte_identical() {
    let book = Book::fixture("full");
    book.run(&["build", "--out", "one"]).success();
    book.run(&["build", "--out", "two"]).success();
    let one = tree(&book.root.join("one"));
    let two = tree(&book.root.join("two"));
    assert!(!one.is_empty());
    assert_eq!(one, two);
}

#[test]
fn unknown_keys_warn_with_did_you_mean_and_still_build() {
    let book = Book::fixture("unknown-keys");
    book.build()
        .success()
        .stderr_has("warning[unknown-key]: unknown key `ouput-dir` in [build]")
        .stderr_has("--> book.toml:5:1")
        .stderr_has("did you mean `output-dir`?")
        .stderr_has("warning[unknown-key]: unknown key `titel` in the front matter")
        .stderr_has("--> content/p.md:3:1")
        .stderr_has("did you mean `title`?")
        .stderr_has("2 warnings");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let book = Book::fixture("full");
    book.write(
        "content/guides/draft.md",
        "+++\ntitle = \"Draft\"\ndraft = true\n+++\nSoon.\n",
    );
    book.build().success();
    assert!(!book.site().join("draft.html").exists());
    book.run(&["build", "--drafts"]).success();
    assert!(book.site().join("draft.html").exists());
}

#[test]
fn the_search_index_is_chunked_and_can_be_turned_off() {
    let book = Book::fixture("full");
    book.build().success();
    let meta = book.read("site/search/meta.js");
    assert!(
        meta.starts_with("sopbookSearch.load(\"meta\",{\"shards\":{"),
        "{meta}"
    );
    // "payroll" lives in the shard of its first letter (the book is
    // small), its postings under its stem.
    let shard = book.read("site/search/s-70.js");
    assert!(
        shard.contains("\"payrol\":[") && shard.contains("\"payroll\":6"),
        "{shard}"
    );
    let docs = book.read("site/search/d-0.js");
    assert!(
        docs.contains("\"How to run payroll\",\"Pay people\",\"pay/run.html\""),
        "{docs}"
    );
    assert!(
        book.read("site/nav.js")
            .starts_with("window.SOPBOOK_NAV={\"groups\":[")
    );
    assert!(book.read("site/index.html").contains("id=\"search-input\""));
    let toml = book
        .read("book.toml")
        .replace("[build]\n", "[build]\nsearch = false\n");
    book.write("book.toml", toml);
    book.build().success();
    assert!(!book.site().join("search").exists());
    assert!(!book.read("site/index.html").contains("id=\"search-input\""));
}

#[test]
fn an_sop_page_lists_at_most_twelve_sops_per_other_path_and_pages_across_branches() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Big\"\n").write(
        "content/big/process.md",
        "+++\nkind = \"process\"\nid = \"big\"\ntitle = \"Big\"\noutcome = \"Done\"\n\n\
         [[branches]]\nid = \"a\"\nwhen = \"Often\"\n\n[[branches]]\nid = \"b\"\nwhen = \"Rarely\"\n+++\n",
    );
    for i in 1..=20 {
        book.write(
            &format!("content/big/s{i:02}.md"),
            format!("+++\ntitle = \"Often {i:02}\"\nprocess = \"big\"\nbranch = \"a\"\n+++\n1. Step {i}.\n"),
        );
    }
    book.write(
        "content/big/t01.md",
        "+++\ntitle = \"Rarely 01\"\nprocess = \"big\"\nbranch = \"b\"\n+++\n1. Step.\n",
    );
    book.build().success();
    let page = book.read("site/big/s05.html");
    let listed = |page: &str| page.matches("<li><a href=\"s").count();
    assert_eq!(listed(&page), 12, "{page}");
    assert!(page.contains("and 7 more on <a href=\"index.html\">the process page</a>"));
    assert!(page.contains("<li><a href=\"t01.html\">Rarely 01</a></li>"));
    assert!(page.contains("rel=\"prev\" href=\"s04.html\""));
    assert!(page.contains("rel=\"next\" href=\"s06.html\""));
    // The pager runs on from the last SOP of a branch to the next branch.
    let last = book.read("site/big/s20.html");
    assert!(last.contains("rel=\"next\" href=\"t01.html\""));
    let other = book.read("site/big/t01.html");
    assert!(other.contains("rel=\"prev\" href=\"s20.html\""));
    assert!(!other.contains("rel=\"next\""));
    assert!(
        other.contains("and 8 more on"),
        "the other branch, 12 of 20"
    );
    // The process page lists them all.
    assert_eq!(listed(&book.read("site/big/index.html")), 20);
}
