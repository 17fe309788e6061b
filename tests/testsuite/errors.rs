//! Every error of the core build: exit code 1, the rule and the position
//! in stderr with a hint, and nothing written.

use crate::harness::Book;

/// Builds the fixture, expects exit 1 with `rule` at `position`, and checks
/// that no site (and no staging folder) was written.
#[track_caller]
fn fails(fixture: &str, rule: &str, position: &str) -> Book {
    let book = Book::fixture(fixture);
    let run = book.build();
    run.code(1)
        .stderr_has(&format!("error[{rule}]"))
        .stderr_has(&format!("--> {position}"))
        .stderr_has("Nothing written");
    let entries: Vec<_> = std::fs::read_dir(&book.root)
        .expect("read book")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !entries.iter().any(|e| e.contains("site")),
        "something was written: {entries:?}"
    );
    book
}

#[test]
fn toml_front_matter_that_does_not_parse() {
    let b = fails("err-toml-front-matter", "front-matter", "content/p.md:2:");
    b.build().stderr_has("not valid TOML");
}

#[test]
fn yaml_front_matter_that_does_not_parse_points_inside_it() {
    let b = fails("err-yaml-front-matter", "front-matter", "content/p.md:");
    let run = b.build();
    assert!(
        !run.stderr.contains("content/p.md:1:"),
        "points inside the front matter, not at the fence:\n{}",
        run.stderr
    );
}

#[test]
fn front_matter_that_never_closes() {
    fails(
        "err-unclosed-front-matter",
        "front-matter",
        "content/p.md:1:1",
    )
    .build()
    .stderr_has("never closed");
}

#[test]
fn missing_required_field() {
    fails(
        "err-missing-title",
        "front-matter",
        "content/pay/run.md:1:1",
    )
    .build()
    .stderr_has("missing the required key `title`")
    .stderr_has("help: name the SOP for its action");
}

#[test]
fn wrong_type() {
    fails("err-wrong-type", "front-matter", "content/p.md:3:9")
        .build()
        .stderr_has("`order` must be an integer, found a string");
}

#[test]
fn unknown_process_with_did_you_mean() {
    fails(
        "err-unknown-process",
        "unknown-process",
        "content/pay/run.md:3:11",
    )
    .build()
    .stderr_has("did you mean `pay`?");
}

#[test]
fn unknown_branch_lists_the_declared_ones() {
    fails(
        "err-unknown-branch",
        "unknown-branch",
        "content/pay/run.md:4:10",
    )
    .build()
    .stderr_has("did you mean `normal`? declared branches: normal, fix");
}

#[test]
fn missing_branch_where_branches_exist() {
    fails(
        "err-missing-branch",
        "unknown-branch",
        "content/pay/run.md:3:11",
    )
    .build()
    .stderr_has("add `branch = \"…\"` with one of: normal, fix");
}

#[test]
fn duplicate_id_names_both_files() {
    fails("err-duplicate-id", "duplicate-id", "content/pay/run.md:1:1")
        .build()
        .stderr_has("the id `run` is used by other/run.md and pay/run.md")
        .stderr_has("content/other/run.md:1:1");
}

#[test]
fn broken_link_with_did_you_mean() {
    fails("err-broken-link", "broken-link", "content/pay/run.md:8:9")
        .build()
        .stderr_has("link to unknown id `fix-payrol`")
        .stderr_has("did you mean `[[fix-payroll]]`?");
}

#[test]
fn broken_anchor_lists_the_targets_anchors() {
    fails("err-broken-anchor", "broken-link", "content/pay/fix.md:8:9")
        .build()
        .stderr_has("`run` has no anchor `#step-9`")
        .stderr_has("`run` has steps #step-1 … #step-2");
}

#[test]
fn missing_asset() {
    fails("err-missing-asset", "missing-asset", "content/p.md:6:1")
        .build()
        .stderr_has("no file at `img/chart.png`");
}

#[test]
fn invalid_config_value() {
    fails("err-config", "config", "book.toml:5:10")
        .build()
        .stderr_has("`drafts` must be `true` or `false`, found a string");
}

#[test]
fn file_that_is_not_utf8() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"T\"\n");
    book.write("content/latin1.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n");
    book.build()
        .code(1)
        .stderr_has("error[encoding]: latin1.md is not UTF-8 text")
        .stderr_has("--> content/latin1.md");
    assert!(!book.site().exists());
}

#[test]
fn bom_and_crlf_are_accepted() {
    let book = Book::empty();
    book.write("book.toml", "\u{feff}[book]\r\ntitle = \"T\"\r\n");
    book.write(
        "content/p.md",
        "\u{feff}+++\r\ntitle = \"Windows page\"\r\n+++\r\nHello.\r\n",
    );
    book.build().success().stderr_lacks("warning");
    assert!(book.read("site/p.html").contains("Windows page"));
}

#[test]
fn no_book_toml_is_a_usage_error() {
    let book = Book::empty();
    book.build().code(2).stderr_has("no book.toml in .");
}

#[test]
fn several_errors_are_reported_together_and_sorted() {
    let book = Book::fixture("err-broken-link");
    book.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n[[nowhere]] and [[also-nowhere]]\n",
    );
    let run = book.build();
    run.code(1).stderr_has("3 errors");
    let a = run.stderr.find("content/a.md:4:1").expect("first");
    let a2 = run.stderr.find("content/a.md:4:17").expect("second");
    let b = run.stderr.find("content/pay/run.md").expect("third");
    assert!(
        a < a2 && a2 < b,
        "sorted by file and position:\n{}",
        run.stderr
    );
}

#[test]
fn front_matter_urls_must_be_safe_and_local_files_must_exist() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"T\"\n");
    book.write(
        "content/p/process.md",
        "+++\nkind = \"process\"\nid = \"p\"\ntitle = \"P\"\noutcome = \"O\"\nautomated = true\nequipment = [{ title = \"Job\", url = \"javascript:alert(1)\" }, { title = \"Sheet\", url = \"nope.xlsx\" }]\n+++\n",
    );
    book.write(
        "content/q/process.md",
        "+++\nkind = \"process\"\nid = \"q\"\ntitle = \"Q\"\noutcome = \"O\"\n+++\n",
    );
    book.write("content/q/s.md", "+++\ntitle = \"S\"\nprocess = \"q\"\nformat = \"video\"\nmedia = \"JavaScript:alert(2)\"\n+++\n1. x\n");
    let run = book.build();
    run.code(1)
        .stderr_has("error[front-matter]: `url` must be an http(s) URL or a file in the content dir: `javascript:alert(1)`")
        .stderr_has("--> content/p/process.md:7:")
        .stderr_has("error[missing-asset]: `url` points to a file that does not exist: `nope.xlsx`")
        .stderr_has("error[front-matter]: `media` must be an http(s) URL")
        .stderr_has("--> content/q/s.md:5:9");
    assert!(!book.site().exists());
}

#[test]
fn output_paths_that_clash_are_reported_before_anything_is_written() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"T\"\n");
    // A file named like a process folder, and two pages that differ only in case.
    book.write("content/notes", "plain file");
    book.write("content/n/process.md", "+++\nkind = \"process\"\nid = \"notes\"\ntitle = \"N\"\noutcome = \"O\"\nautomated = true\n+++\n");
    book.write("content/Guide.md", "+++\ntitle = \"Guide\"\n+++\n");
    book.write("content/a/guide.md", "+++\ntitle = \"guide\"\n+++\n");
    book.build()
        .code(1)
        .stderr_has("`notes` would be written twice: as a file for the file notes, and as a folder for `notes` (n/process.md)")
        .stderr_has("`guide.html` would be written twice: for `Guide` (Guide.md) and for `guide` (a/guide.md)");
    assert!(!book.site().exists());
}
