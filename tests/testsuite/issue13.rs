//! Issue #13, "The reader on real screens": what a reader and an author
//! meet on real pages — headings that collided with the theme's ids,
//! `check` passing where `build` failed, hints in the wrong syntax, embeds
//! that dropped callouts, drafts that did not look like drafts.

use crate::harness::Book;
use crate::site::{attrs, link_problems};

const BOOK_TOML: &str = "[book]\ntitle = \"Issue 13\"\n";
const PROCESS: &str = "+++\nkind = \"process\"\nid = \"pay\"\ntitle = \"Pay people\"\noutcome = \"Everyone is paid\"\n[[branches]]\nid = \"normal\"\nwhen = \"A period closes\"\n+++\n";

/// The literal ids of the default templates and the ids the default
/// scripts look up, read from the files themselves (not from sopbook's
/// own list, which is what is under test).
fn theme_ids() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut ids = Vec::new();
    for dir in ["templates", "static"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("theme dir") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            ids.extend(
                attrs(&text, "id")
                    .into_iter()
                    .filter(|id| !id.contains('{'))
                    .map(str::to_owned),
            );
            for (i, m) in text.match_indices("getElementById(\"") {
                let rest = &text[i + m.len()..];
                ids.extend(rest.find('"').map(|end| rest[..end].to_owned()));
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// "search-results" → "Search results".
fn heading_for(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn headings_named_like_the_themes_ids_give_way_and_links_follow_them() {
    let ids = theme_ids();
    for id in [
        "main",
        "search-results",
        "site-nav",
        "theme-toggle",
        "nav-toggle",
        "search-input",
        "used-by",
        "branch-map",
    ] {
        assert!(
            ids.iter().any(|i| i == id),
            "{id} not found in the theme: {ids:?}"
        );
    }
    let mut headings: String = ids
        .iter()
        .map(|id| format!("## {}\n\nText.\n\n", heading_for(id)))
        .collect();
    // sopbook.js numbers the sidebar's processes `nav-p-0`, `nav-p-1`…
    headings.push_str("## Nav p 0\n\n## Nav p 1\n\n## Branch normal\n\n");
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/process.md", format!("{PROCESS}{headings}[top](#main) and [results](#search-results)\n"))
        .write(
            "content/pay/run.md",
            format!("+++\ntitle = \"How to pay\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Open [[guide#search-results]].\n2. See [[pay#branch-normal]] and [the nav](../guide.md#site-nav).\n\n{headings}"),
        )
        .write("content/guide.md", format!("+++\ntitle = \"Guide\"\n+++\n{headings}[[run]] and [[#theme-toggle]]\n"));
    book.run(&["check", "--deny-warnings"]).success();
    book.build().success();
    let problems = link_problems(&book.site());
    assert!(problems.is_empty(), "{problems:#?}");
    for page in [
        "site/pay/index.html",
        "site/pay/run.html",
        "site/guide.html",
    ] {
        let html = book.read(page);
        for id in &ids {
            assert!(
                html.contains(&format!("<h2 id=\"{id}-1\">")),
                "{page}: the heading for {id} moved to {id}-1"
            );
        }
        assert!(
            html.contains("<h2 id=\"nav-p-0-1\">"),
            "{page}: nav-p-0 is the script's"
        );
        assert!(
            html.contains("<h2 id=\"nav-p-1-1\">"),
            "{page}: nav-p-1 is the script's"
        );
    }
    // On its process page a branch keeps its anchor; the heading gives way.
    let process = book.read("site/pay/index.html");
    assert!(process.contains("<li id=\"branch-normal\">"), "{process}");
    assert!(process.contains("<h2 id=\"branch-normal-1\">"), "{process}");
    assert!(
        process.contains("href=\"#main-1\""),
        "a link to #main is a link to the heading"
    );
    assert!(process.contains("href=\"#search-results-1\""));
    // Elsewhere a heading "Branch normal" keeps its slug.
    assert!(
        book.read("site/guide.html")
            .contains("<h2 id=\"branch-normal\">")
    );
    let run = book.read("site/pay/run.html");
    assert!(
        run.contains("href=\"../guide.html#search-results-1\""),
        "{run}"
    );
    assert!(run.contains("href=\"../guide.html#site-nav-1\""), "{run}");
    assert!(
        run.contains("href=\"index.html#branch-normal\""),
        "a branch anchor means the branch"
    );
    assert!(
        book.read("site/guide.html")
            .contains("href=\"#theme-toggle-1\""),
        "[[#theme-toggle]] on the page itself"
    );
}

/// A book that is fine but for one line of book.toml that `build` refuses.
fn book_with_build_line(line: &str) -> Book {
    let book = Book::empty();
    book.write("book.toml", format!("{BOOK_TOML}[build]\n{line}\n"))
        .write("content/pay/process.md", PROCESS)
        .write(
            "content/pay/run.md",
            "+++\ntitle = \"How to pay\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Pay.\n",
        );
    book
}

#[test]
fn check_refuses_what_build_refuses_with_the_same_message() {
    for (line, message) in [
        ("theme = \"missing\"", "error: theme `missing` not found"),
        (
            "output-dir = \"content/public\"",
            "error: refusing to write the site to ./content/public: it is inside the content dir",
        ),
        (
            "output-dir = \".\"",
            "error: refusing to write the site to ./.: it is the book root",
        ),
    ] {
        let book = book_with_build_line(line);
        let build = book.build();
        build.code(2).stderr_has(message);
        for args in [&["check"][..], &["check", "--format", "json"]] {
            let check = book.run(args);
            check.code(2).stderr_has(message);
            assert_eq!(
                check.stderr, build.stderr,
                "{line}: check and build say the same"
            );
        }
        assert!(!book.site().exists() && !book.root.join("content/public").exists());
    }
    // A theme whose template does not load: the same in both.
    let book = book_with_build_line("theme = \"acme\"");
    book.write(
        "themes/acme/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ view.title {% endblock content %}",
    );
    let build = book.build();
    build.code(2).stderr_has("page.html");
    let check = book.run(&["check"]);
    check.code(2);
    assert_eq!(check.stderr, build.stderr);
}

#[test]
fn review_overdue_help_is_written_in_the_sops_own_syntax() {
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/process.md", PROCESS)
        .write(
            "content/pay/yaml.md",
            "---\ntitle: How to pay in YAML\nprocess: pay\nbranch: normal\nreviewed: 2020-01-01\nreview-every: 6 months\n---\n1. Pay.\n",
        )
        .write(
            "content/pay/toml.md",
            "+++\ntitle = \"How to pay in TOML\"\nprocess = \"pay\"\nbranch = \"normal\"\nreviewed = 2020-01-01\nreview-every = \"6 months\"\n+++\n1. Pay by hand.\n",
        );
    let run = book.run(&["check"]);
    run.success()
        .stderr_has("set `reviewed: 2026-11-25`")
        .stderr_has("set `reviewed = 2026-11-25`");
    let yaml_part = &run.stderr[run
        .stderr
        .find("content/pay/yaml.md")
        .expect("yaml finding")..];
    let yaml_help = yaml_part
        .lines()
        .find(|l| l.contains("help:"))
        .expect("help");
    assert!(yaml_help.contains("`reviewed: 2026-11-25`"), "{yaml_help}");
    // A YAML SOP that names no branch is told to add `branch: …`.
    book.write(
        "content/pay/yaml.md",
        "---\ntitle: How to pay in YAML\nprocess: pay\n---\n1. Pay.\n",
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("add `branch: …` with one of: normal");
}

#[test]
fn a_tab_in_yaml_front_matter_is_pointed_at_and_named() {
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write(
            "content/indent.md",
            "---\ntitle: Tabs\ntags:\n\t- a\n---\nText.\n",
        )
        .write(
            "content/after-colon.md",
            "---\ntitle: After\nowner:\tBob\n---\nText.\n",
        )
        .write(
            "content/next-line.md",
            "---\ntitle: Next\nx:\n  a: 1\n\tb: 2\n---\nText.\n",
        );
    let found = crate::check::findings(&book, &[]);
    assert_eq!(
        found,
        [
            (
                "front-matter".to_owned(),
                "content/after-colon.md:3:7".to_owned()
            ),
            (
                "front-matter".to_owned(),
                "content/indent.md:4:1".to_owned()
            ),
            (
                "front-matter".to_owned(),
                "content/next-line.md:5:1".to_owned()
            ),
        ]
    );
    let run = book.run(&["check"]);
    run.code(1)
        .stderr_has("a tab where YAML needs spaces")
        .stderr_has("help: YAML indents with spaces, not tabs")
        // The caret is under the tab (shown as four spaces), not after it.
        .stderr_has("4 |     - a\n  | ^^^^ a tab")
        .stderr_has("3 | owner:    Bob\n  |       ^^^^ a tab");
}

#[test]
fn deny_warnings_says_that_the_warnings_were_denied() {
    let book = Book::fixture("rule-review-overdue");
    book.run(&["check", "--deny-warnings"])
        .code(1)
        .stderr_has("1 warning in ")
        .stderr_has(" files, denied by --deny-warnings\n");
    // Without the flag, or without warnings, the line is as before.
    book.run(&["check"]).success().stderr_lacks("denied");
    Book::fixture("clean")
        .run(&["check", "--deny-warnings"])
        .success()
        .stderr_lacks("denied");
}

#[test]
fn values_of_a_closed_set_get_a_did_you_mean() {
    let book = Book::empty();
    book.write(
        "book.toml",
        format!("{BOOK_TOML}[check]\nrepeated-steps = \"warm\"\n"),
    )
    .write("content/pay/process.md", PROCESS)
    .write(
        "content/pay/run.md",
        "+++\ntitle = \"How to pay\"\nprocess = \"pay\"\nbranch = \"normal\"\nformat = \"vidoe\"\n+++\n1. Pay.\n",
    )
    .write("content/guide.md", "---\ntitle: Guide\nkind: proces\n---\nText.\n");
    let run = book.run(&["check"]);
    run.code(1)
        .stderr_has("`repeated-steps` must be \"error\", \"warn\" or \"allow\"")
        .stderr_has("help: did you mean `warn`?");
    // book.toml with an error stops the check there; fix it to see the rest.
    book.write("book.toml", BOOK_TOML);
    book.run(&["check"])
        .code(1)
        .stderr_has("unknown format `vidoe`")
        .stderr_has("help: did you mean `video`? `format` is \"document\", \"video\" or \"training\"")
        .stderr_has("unknown kind `proces`")
        .stderr_has("help: did you mean `process`? `kind` is \"process\", \"sop\" or \"page\"; an SOP only needs `process: …`");
}

#[test]
fn a_wiki_target_that_is_a_file_says_which_file_was_looked_for() {
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/img/chart.png", "png")
        .write(
            "content/pay/guide.md",
            "+++\ntitle = \"Guide\"\n+++\n![[img/x.png]]\n\n[[files/form.pdf]] and [[../other.md]] and [[policy-v1.2]].\n\n![[img/chart.png]] and [[guide.md#nowhere]]\n",
        );
    assert_eq!(
        crate::check::findings(&book, &[]),
        [
            (
                "missing-asset".to_owned(),
                "content/pay/guide.md:4:1".to_owned()
            ),
            (
                "missing-asset".to_owned(),
                "content/pay/guide.md:6:1".to_owned()
            ),
            (
                "broken-link".to_owned(),
                "content/pay/guide.md:6:24".to_owned()
            ),
            (
                "broken-link".to_owned(),
                "content/pay/guide.md:6:44".to_owned()
            ),
            (
                "broken-link".to_owned(),
                "content/pay/guide.md:8:24".to_owned()
            ),
        ]
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("error[missing-asset]: no file at `img/x.png`")
        .stderr_has("looked for `pay/img/x.png` in the content dir")
        .stderr_has("did you mean `pay/img/chart.png`?")
        .stderr_has("error[missing-asset]: no file at `files/form.pdf`")
        .stderr_has("error[broken-link]: no page at `../other.md`")
        .stderr_has("looked for `other.md` in the content dir")
        // An id with a dot is still an id.
        .stderr_has("link to unknown id `policy-v1.2`")
        // A page found by its path has its anchors checked like an id's.
        .stderr_has("this page has no anchor `#nowhere`")
        .stderr_lacks("embed of unknown id");
}

#[test]
fn an_embedded_sop_keeps_its_callouts() {
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/process.md", PROCESS)
        .write(
            "content/pay/verify.md",
            "+++\ntitle = \"How to verify\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n> [!IMPORTANT]\n> You need the ledger role.\n\n1. Open the ledger.\n\n> [!WARNING]\n> Never on a Friday.\n\n2. Compare totals.\n\nA paragraph that stays on this page.\n\n!!! tip \"Shortcut\"\n    Press **F5**.\n\n3. Sign.\n",
        )
        .write(
            "content/pay/run.md",
            "+++\ntitle = \"How to pay\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Verify first:\n\n   ![[verify]]\n\n2. Pay.\n",
        );
    book.run(&["check", "--deny-warnings"]).success();
    book.build().success();
    assert!(link_problems(&book.site()).is_empty());
    let run = book.read("site/pay/run.html");
    let embed = &run[run.find("<details class=\"embed\"").expect("embed")..];
    let embed = &embed[..embed.find("</details>\n</li>").expect("end of embed")];
    let order: Vec<usize> = [
        "You need the ledger role.",
        "Open the ledger.",
        "Never on a Friday.",
        "<ol class=\"steps\" start=\"2\">",
        "Compare totals.",
        "callout-tip",
        "Press <strong>F5</strong>.",
        "<ol class=\"steps\" start=\"3\">",
        "Sign.",
    ]
    .iter()
    .map(|text| {
        embed
            .find(text)
            .unwrap_or_else(|| panic!("{text} not embedded:\n{embed}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "in the SOP's order: {order:?}\n{embed}"
    );
    assert!(!embed.contains("A paragraph that stays"), "{embed}");
    assert!(embed.contains("id=\"e1.step-2\""), "{embed}");
}

#[test]
fn drafts_built_with_drafts_say_draft_where_they_are_shown() {
    const BADGE: &str = "<span class=\"badge badge-draft\">Draft</span>";
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/process.md", PROCESS)
        .write(
            "content/pay/run.md",
            "+++\ntitle = \"How to pay\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Pay.\n",
        )
        .write(
            "content/pay/new-way.md",
            "---\ntitle: How to pay the new way\nprocess: pay\nbranch: normal\ndraft: true\n---\n1. Pay online.\n",
        )
        .write(
            "content/hire/process.md",
            "+++\nkind = \"process\"\nid = \"hire\"\ntitle = \"Hire people\"\noutcome = \"Seats are filled\"\n+++\n",
        )
        .write(
            "content/hire/interview.md",
            "+++\ntitle = \"How to interview\"\nprocess = \"hire\"\ndraft = true\n+++\n1. Ask.\n",
        )
        .write("content/policy.md", "+++\ntitle = \"Policy\"\ndraft = true\n+++\nText.\n")
        .write("content/notes.md", "+++\ndraft = true\n+++\n# Notes\n\nText.\n")
        .write("content/guide.md", "+++\ntitle = \"Guide\"\n+++\nText.\n");
    book.build().success();
    assert!(
        !book.site().join("pay/new-way.html").exists(),
        "no drafts by default"
    );
    for page in [
        "site/index.html",
        "site/pay/index.html",
        "site/pay/run.html",
        "site/guide.html",
    ] {
        assert!(!book.read(page).contains("badge-draft"), "{page}");
    }

    book.run(&["build", "--drafts"]).success();
    let has_badge = |page: &str, after: &str| {
        let html = book.read(page);
        let at = html
            .find(after)
            .unwrap_or_else(|| panic!("{page} lacks {after}"));
        let rest = &html[at + after.len()..];
        let end = rest
            .find("</li>")
            .or_else(|| rest.find("</h1>"))
            .unwrap_or(rest.len());
        assert!(
            rest[..end].contains(BADGE),
            "{page}: no Draft badge after {after}:\n{}",
            &rest[..end]
        );
    };
    // In the page header.
    has_badge("site/pay/new-way.html", "<h1>How to pay the new way");
    has_badge("site/hire/interview.html", "<h1>How to interview");
    has_badge("site/policy.html", "<h1>Policy");
    // A page whose title is its own `# heading` gets the badge above it.
    assert!(
        book.read("site/notes.html")
            .contains(&format!("<p class=\"kicker\">{BADGE}</p>"))
    );
    // Where the draft is listed: home, process page, other paths.
    // (Processes have no `draft`: drafts are SOPs and pages.)
    has_badge("site/index.html", ">Policy</a>");
    has_badge("site/pay/index.html", ">How to pay the new way</a>");
    has_badge("site/pay/run.html", ">How to pay the new way</a>");
    has_badge("site/hire/index.html", ">How to interview</a>");
    // What is not a draft has no badge.
    for (page, after) in [
        ("site/index.html", ">Pay people</a>"),
        ("site/index.html", ">Guide</a>"),
        ("site/pay/index.html", "<h1>Pay people"),
        ("site/pay/run.html", "<h1>How to pay"),
    ] {
        let html = book.read(page);
        let rest = &html[html.find(after).expect(after) + after.len()..];
        let end = rest
            .find("</li>")
            .or_else(|| rest.find("</h1>"))
            .unwrap_or(rest.len());
        assert!(!rest[..end].contains("badge-draft"), "{page} {after}");
    }
    assert!(link_problems(&book.site()).is_empty());
}

/// The reader book (`tests/fixtures/reader`, also the browser suite's):
/// a process without branches, an automated one, an autolink.
#[test]
fn pages_say_nothing_that_is_not_there() {
    let book = Book::fixture("reader");
    book.build().success();
    let home = book.read("site/index.html");
    let card = |title: &str| {
        let start = home
            .find(&format!(">{title}</a></h3>"))
            .expect("the process card");
        let end = home[start..].find("</li>").expect("card end") + start;
        home[start..end].to_owned()
    };
    assert!(
        !card("Open the building").contains("<dt>Branches</dt>"),
        "no `Branches: 0` on a process without branches"
    );
    assert!(
        card("Offboard an employee or contractor whose engagement with the clinic is ending")
            .contains("<dt>Branches</dt><dd>2</dd>")
    );
    let sop = book.read("site/open-the-building/morning-opening.html");
    assert!(sop.contains(">Other SOPs of this process</h2>"), "{sop}");
    assert!(!sop.contains("Not tied to a branch"));
    let branched = book.read("site/offboard-employee/wipe-laptop.html");
    assert!(branched.contains(">Other paths through this process</h2>"));
    // Print writes a link's URL after its text: not after an autolink's.
    let glossary = book.read("site/glossary.html");
    assert!(
        glossary.contains("<a href=\"https://riverside.example/it/identity\" class=\"autolink\">")
    );
    // Every page names the theme's icon, which is written: no favicon.ico 404.
    for (path, bytes) in crate::harness::tree(&book.site()) {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(html.contains("<link rel=\"icon\" href=\""), "{path}");
        }
    }
    assert!(book.site().join("_theme/favicon.svg").is_file());
}
