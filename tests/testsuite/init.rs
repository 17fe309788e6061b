//! `sopbook init`: a handbook that builds clean, and no file ever overwritten.

use crate::harness::Book;

#[test]
fn init_writes_a_handbook_that_checks_clean() {
    let book = Book::empty();
    book.run(&["init", "acme-ops"])
        .success()
        .stderr_has("created acme-ops/book.toml")
        .stderr_has("created acme-ops/content/requests/process.md")
        .stderr_has("Next: cd acme-ops && sopbook serve");
    let run = book.run(&["check", "acme-ops", "--deny-warnings"]);
    run.success().stderr_has("No problems in 8 files");
    assert!(
        book.read("acme-ops/book.toml")
            .contains("title = \"Acme ops Handbook\"")
    );
    book.run(&["build", "acme-ops"]).success();
    assert!(
        book.root
            .join("acme-ops/site/handle-requests/answer-request.html")
            .is_file()
    );
}

#[test]
fn init_never_overwrites_a_file() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Mine\"\n");
    book.write("content/index.md", "+++\ntitle = \"My home\"\n+++\nMine.\n");
    book.run(&["init"])
        .success()
        .stderr_has("kept    ./book.toml (it exists already)")
        .stderr_has("kept    ./content/index.md")
        .stderr_has("created ./content/requests/process.md");
    assert_eq!(book.read("book.toml"), "[book]\ntitle = \"Mine\"\n");
    assert_eq!(
        book.read("content/index.md"),
        "+++\ntitle = \"My home\"\n+++\nMine.\n"
    );
    book.run(&["init"])
        .success()
        .stderr_has("Nothing created: every file exists already.");
}
