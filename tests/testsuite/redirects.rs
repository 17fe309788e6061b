//! Redirects for moved pages (issue #19): the page written at each alias
//! (exact HTML), kept out of the sitemap and listed in graph.json; every
//! `check` error of an alias at its line and column; and a git
//! repository in which pages are moved, renamed and re-identified, whose
//! old URLs redirect by themselves, listed in the `moved` note.
//! Following them in Chromium is tests/browser/redirects.mjs.

use std::path::Path;
use std::process::Command;

use crate::check::findings;
use crate::harness::{Book, TODAY};
use crate::history::Repo;
use crate::site::link_problems;

#[test]
fn an_alias_writes_a_page_that_sends_the_reader_on() {
    let book = Book::fixture("aliases");
    // The four redirects are not counted as pages.
    book.build().success().stderr_has("Built 7 pages");
    let nested = book.read("site/old-handbook/tickets/answer.html");
    assert_eq!(
        nested,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: How to answer a ticket</title>
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="https://help.example/handbook/support/answer-ticket.html">
<script>location.replace("../../support/answer-ticket.html" + location.hash)</script>
<meta http-equiv="refresh" content="0; url=../../support/answer-ticket.html">
</head>
<body>
<p>This page has moved to <a href="../../support/answer-ticket.html">How to answer a ticket</a>.</p>
</body>
</html>
"#
    );
    let sibling = book.read("site/support/answer.html");
    assert!(
        sibling.contains(r#"<meta http-equiv="refresh" content="0; url=answer-ticket.html">"#),
        "{sibling}"
    );
    // A page's title is escaped; the home page's text takes aliases too.
    let words = book.read("site/words.html");
    assert!(
        words.contains("<title>Moved: Words &amp; terms</title>"),
        "{words}"
    );
    assert!(
        words.contains(r#"<a href="glossary.html">Words &amp; terms</a>"#),
        "{words}"
    );
    assert!(
        book.read("site/start.html")
            .contains(r#"content="0; url=index.html""#)
    );
    // Every link of the site, the redirects' included, reaches a file.
    let problems = link_problems(&book.site());
    assert!(problems.is_empty(), "{problems:#?}");

    let sitemap = book.read("site/sitemap.xml");
    assert!(sitemap.contains("support/answer-ticket.html"), "{sitemap}");
    for alias in ["answer.html", "old-handbook", "words.html", "start.html"] {
        assert!(!sitemap.contains(alias), "{alias} in\n{sitemap}");
    }

    let graph: serde_json::Value =
        serde_json::from_str(&book.read("site/graph.json")).expect("graph.json");
    assert_eq!(
        graph["sops"][0]["aliases"],
        serde_json::json!(["old-handbook/tickets/answer.html", "support/answer.html"])
    );
    assert_eq!(graph["pages"][0]["id"], "glossary");
    assert_eq!(
        graph["pages"][0]["aliases"],
        serde_json::json!(["words.html"])
    );
    assert_eq!(graph["processes"][0]["aliases"], serde_json::json!([]));
}

#[test]
fn without_base_url_there_is_no_canonical_and_the_words_follow_the_language() {
    let book = Book::fixture("aliases");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Support\"\nlanguage = \"de\"\n",
    );
    book.build().success();
    let html = book.read("site/support/answer.html");
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(
        html.contains("<title>Verschoben: How to answer a ticket</title>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<p>Diese Seite wurde nach <a href=\"answer-ticket.html\">How to answer a ticket</a> verschoben.</p>"
        ),
        "{html}"
    );
    assert!(!html.contains("canonical"), "{html}");
    assert!(!book.site().join("sitemap.xml").exists());
}

#[test]
fn every_alias_error_is_reported_at_the_alias() {
    let book = Book::fixture("err-aliases");
    let at = |rule: &str, place: &str| (rule.to_owned(), place.to_owned());
    assert_eq!(
        findings(&book, &[]),
        [
            // A wrong type leaves the file out, as for any key.
            at("front-matter", "content/guides/typed.md:3:12"),
            // Not a path in the site.
            at("front-matter", "content/support/answer.md:5:3"),
            at("front-matter", "content/support/answer.md:6:3"),
            // 7: `/from-the-root.html` is read from the site root.
            at("front-matter", "content/support/answer.md:8:3"),
            at("front-matter", "content/support/answer.md:9:3"),
            at("front-matter", "content/support/answer.md:10:3"),
            // Taken: a page, the site's own file, a copied file, another
            // page's alias, the page itself, the same alias twice, a
            // page's path as the alias's folder.
            at("duplicate-id", "content/support/answer.md:11:3"),
            at("duplicate-id", "content/support/answer.md:12:3"),
            at("duplicate-id", "content/support/answer.md:13:3"),
            at("duplicate-id", "content/support/answer.md:14:3"),
            at("duplicate-id", "content/support/answer.md:15:3"),
            at("duplicate-id", "content/support/answer.md:16:3"),
            at("duplicate-id", "content/support/answer.md:17:3"),
        ]
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("error[front-matter]: the alias `https://help.example/old.html` is a URL, not a path in the site")
        .stderr_has("error[front-matter]: the alias `../outside.html` is not a plain path inside the site")
        .stderr_has("error[front-matter]: the alias `old.htm` does not end in `.html`")
        .stderr_has("error[front-matter]: the alias `old.html#step-2` has a query or a fragment")
        .stderr_has("error[front-matter]: the alias `old-folder/` is a folder")
        .stderr_has("help: name the old page's file: `old-folder/index.html` for a folder")
        .stderr_has("error[duplicate-id]: the alias `support/index.html` is the path of `support` (support/process.md)")
        .stderr_has("error[duplicate-id]: the alias `reviews.html` is the path of a file the site writes itself")
        .stderr_has("error[duplicate-id]: the alias `files/report.html` is the path of the file files/report.html")
        .stderr_has("error[duplicate-id]: the alias `shared.html` is also an alias of `faq` (guides/faq.md)")
        .stderr_has(" ::: content/guides/faq.md:4:5")
        .stderr_has("error[duplicate-id]: the alias `support/answer.html` is this page's own path")
        .stderr_has("error[duplicate-id]: the alias `from-the-root.html` is given twice")
        .stderr_has("error[duplicate-id]: `support/answer.html` would be written twice: as a file for `answer` (support/answer.md), and as a folder for an alias of `answer` (support/answer.md)");
    // `build` refuses it the same way and writes nothing.
    book.build().code(1);
    assert!(!book.site().exists());
}

const BOOK: &str = "[book]\ntitle = \"Support\"\n";

fn process(id: &str) -> String {
    format!(
        "+++\nkind = \"process\"\nid = \"{id}\"\ntitle = \"Support\"\noutcome = \"Answered\"\n+++\n"
    )
}

fn sop(process: &str, extra: &str, step: &str) -> String {
    format!(
        "+++\ntitle = \"Answer a ticket\"\nprocess = \"{process}\"\n{extra}+++\n1. Read it.\n2. {step}\n"
    )
}

fn page(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}+++\nText.\n")
}

/// `sopbook <args>` in `dir`: its exit code and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, _, stderr) = run_all(dir, args);
    (code, stderr)
}

/// `sopbook <args>` in `dir`: its exit code, stdout and stderr.
fn run_all(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", TODAY)
        .output()
        .expect("run sopbook");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Where the redirect page at `path` sends the reader.
fn target(site: &Path, path: &str) -> Option<String> {
    let html = std::fs::read_to_string(site.join(path)).ok()?;
    let start = html.find("content=\"0; url=")? + "content=\"0; url=".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

/// A support handbook whose answer SOP was edited, moved to another folder
/// and renamed, given an `id`, then moved to a renamed process; whose
/// glossary was renamed; whose FAQ was renamed with an alias for its old
/// name; and whose old "terms" page name was taken by a new page.
fn moved_book() -> Repo {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/support/process.md", &process("support"))
        .write(
            "content/support/answer.md",
            &sop("support", "", "Answer it."),
        )
        .write("content/guides/glossary.md", &page("Glossary", ""))
        .write("content/guides/faq.md", &page("FAQ", ""))
        .write("content/guides/terms.md", &page("Terms", ""));
    r.commit("Ada Lovelace", "Start the support handbook");
    r.write(
        "content/support/answer.md",
        &sop("support", "", "Answer it well."),
    );
    r.commit("Ada Lovelace", "Answer: say how");
    r.git(&["mv", "content/support", "content/help"]);
    r.git(&["mv", "content/help/answer.md", "content/help/reply.md"]);
    r.commit("Grace Hopper", "Move support to help, answer to reply");
    r.write(
        "content/help/reply.md",
        &sop("support", "id = \"respond\"\n", "Answer it well."),
    );
    r.commit("Grace Hopper", "Give the reply SOP its own id");
    r.git(&[
        "mv",
        "content/guides/glossary.md",
        "content/guides/words.md",
    ]);
    r.git(&["mv", "content/guides/faq.md", "content/guides/questions.md"]);
    r.git(&[
        "mv",
        "content/guides/terms.md",
        "content/guides/definitions.md",
    ]);
    r.write(
        "content/guides/questions.md",
        &page("FAQ", "aliases = [\"faq.html\"]\n"),
    );
    r.write("content/other/terms.md", &page("Terms of service", ""));
    r.commit("Ken Thompson", "Rename the guides");
    r.write("content/help/process.md", &process("helpdesk"))
        .write(
            "content/help/reply.md",
            &sop("helpdesk", "id = \"respond\"\n", "Answer it well."),
        );
    r.commit("Ken Thompson", "Rename the process to helpdesk");
    r
}

#[test]
fn a_page_moved_renamed_or_given_another_id_in_git_keeps_its_old_urls() {
    let r = moved_book();
    let (code, stderr) = run(&r.dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let site = r.dir.join("site");
    let to = |path: &str| target(&site, path);
    // The SOP's three old URLs: moved and renamed, then its own id, then
    // its process's new id. The process's old URL too.
    assert_eq!(
        to("support/answer.html").as_deref(),
        Some("../helpdesk/respond.html")
    );
    assert_eq!(
        to("support/reply.html").as_deref(),
        Some("../helpdesk/respond.html")
    );
    assert_eq!(
        to("support/respond.html").as_deref(),
        Some("../helpdesk/respond.html")
    );
    assert_eq!(
        to("support/index.html").as_deref(),
        Some("../helpdesk/index.html")
    );
    assert_eq!(to("glossary.html").as_deref(), Some("words.html"));
    // The alias wins over the same URL from the history; the new page
    // named "terms" wins over the old URL of the page now "definitions".
    assert_eq!(to("faq.html").as_deref(), Some("questions.html"));
    assert_eq!(to("terms.html"), None);
    assert!(
        std::fs::read_to_string(site.join("terms.html"))
            .expect("the new terms page")
            .contains("Terms of service")
    );
    let problems = link_problems(&site);
    assert!(problems.is_empty(), "{problems:#?}");
    let graph: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("graph.json")).expect("graph"))
            .expect("json");
    assert_eq!(
        graph["sops"][0]["aliases"],
        serde_json::json!([
            "support/answer.html",
            "support/reply.html",
            "support/respond.html"
        ])
    );

    let (code, stderr) = run(&r.dir, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    let note = stderr
        .split("note[moved]: ")
        .nth(1)
        .and_then(|n| n.split("\n\n").next())
        .unwrap_or_else(|| panic!("no moved note:\n{stderr}"));
    let hash = |subject: &str| {
        r.git(&["log", "--format=%h %s", "-n", "20"])
            .lines()
            .find(|l| l.ends_with(subject))
            .and_then(|l| l.split(' ').next())
            .map(str::to_owned)
            .expect("commit")
    };
    let moved = hash("Move support to help, answer to reply");
    let id = hash("Give the reply SOP its own id");
    let guides = hash("Rename the guides");
    let helpdesk = hash("Rename the process to helpdesk");
    assert_eq!(
        note,
        format!(
            "5 old URLs from the git history now redirect to where their pages moved
  glossary.html → words.html  (content/guides/words.md, moved in {guides} on 2025-01-06)
  support/answer.html → helpdesk/respond.html  (content/help/reply.md, moved in {moved} on 2025-01-04)
  support/index.html → helpdesk/index.html  (content/help/process.md, moved in {helpdesk} on 2025-01-07)
  support/reply.html → helpdesk/respond.html  (content/help/reply.md, moved in {id} on 2025-01-05)
  support/respond.html → helpdesk/respond.html  (content/help/reply.md, moved in {helpdesk} on 2025-01-07)"
        )
    );
    // The note is no finding: nothing in JSON, and the book is clean.
    let (code, stdout, stderr) = run_all(&r.dir, &["check", "--format", "json", "--deny-warnings"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
}

#[test]
fn an_id_changed_but_not_committed_redirects_from_its_committed_url() {
    let r = moved_book();
    r.write(
        "content/guides/words.md",
        &page("Glossary", "id = \"lexicon\"\n"),
    );
    let (code, stderr) = run(&r.dir, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("  words.html → lexicon.html  (content/guides/words.md, moved in an edit not committed yet)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  glossary.html → lexicon.html  (content/guides/words.md, moved in"),
        "{stderr}"
    );
}

#[test]
fn redirects_from_history_false_turns_them_off() {
    let r = moved_book();
    r.write(
        "book.toml",
        &format!("{BOOK}[build]\nredirects-from-history = false\n"),
    );
    let (code, stderr) = run(&r.dir, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("note[moved]"), "{stderr}");
    let (code, stderr) = run(&r.dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let site = r.dir.join("site");
    assert_eq!(target(&site, "support/answer.html"), None);
    assert_eq!(target(&site, "glossary.html"), None);
    // Aliases are written whatever the key says.
    assert_eq!(target(&site, "faq.html").as_deref(), Some("questions.html"));
    // As with `history = false`.
    r.write("book.toml", &format!("{BOOK}[build]\nhistory = false\n"));
    let (code, stderr) = run(&r.dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(target(&site, "support/answer.html"), None);
}

#[test]
fn serve_answers_an_alias_and_picks_up_a_new_one() {
    let book = Book::fixture("aliases");
    let server = crate::serve::start(&book);
    let (status, body) = server.get("/old-handbook/tickets/answer.html");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#"content="0; url=../../support/answer-ticket.html""#),
        "{body}"
    );
    book.write(
        "content/guides/glossary.md",
        "---\ntitle: Words & terms\naliases: [words.html, lexicon.html]\n---\nText.\n",
    );
    crate::serve::wait_for_content(&server, "/lexicon.html", "url=glossary.html");
}

#[test]
fn serve_keeps_the_history_redirects_through_edits() {
    let r = moved_book();
    let anywhere = Book::empty();
    let dir = r.dir.to_string_lossy().into_owned();
    let server = crate::serve::Launch::new(&anywhere).dir(&dir).start();
    let (status, body) = server.get("/support/answer.html");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("url=../helpdesk/respond.html"), "{body}");
    // A new id, not committed: the committed address redirects too, and
    // the old ones follow the page to its new address.
    r.write(
        "content/help/reply.md",
        &sop(
            "helpdesk",
            "id = \"reply-to-a-ticket\"\n",
            "Answer it well.",
        ),
    );
    crate::serve::wait_for_content(
        &server,
        "/helpdesk/respond.html",
        "url=reply-to-a-ticket.html",
    );
    let (_, body) = server.get("/support/answer.html");
    assert!(
        body.contains("url=../helpdesk/reply-to-a-ticket.html"),
        "{body}"
    );
    // An edit that keeps a page's address keeps its old ones.
    r.write("content/guides/words.md", &page("Lexicon", ""));
    crate::serve::wait_for_content(&server, "/words.html", "Lexicon");
    let (_, body) = server.get("/glossary.html");
    assert!(body.contains("<title>Moved: Lexicon</title>"), "{body}");
    assert!(body.contains("url=words.html"), "{body}");
}

#[test]
fn an_old_url_two_pages_had_goes_to_the_one_that_had_it_last() {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/notes.md", &page("Notes", ""));
    r.commit("Ada Lovelace", "Notes");
    r.git(&["mv", "content/notes.md", "content/minutes.md"]);
    r.commit("Ada Lovelace", "Notes are minutes");
    r.write("content/notes.md", &page("New notes", "\n"));
    r.commit("Ada Lovelace", "New notes");
    r.git(&["mv", "content/notes.md", "content/jottings.md"]);
    r.commit("Ada Lovelace", "New notes are jottings");
    let (code, stderr) = run(&r.dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let site = r.dir.join("site");
    assert_eq!(
        target(&site, "notes.html").as_deref(),
        Some("jottings.html")
    );
}
