//! Output safety (SPEC §7): refused output dirs, a failed build leaving the
//! previous site untouched, a foreign folder never replaced.

use crate::harness::{Book, tree};

#[test]
fn refuses_output_dirs_that_would_destroy_the_book() {
    let book = Book::fixture("full");
    for (out, why) in [
        (".", "it is the book root"),
        ("content", "it is the content dir"),
        ("..", "it contains the book root"),
        ("content/site", "it is inside the content dir"),
        ("/", "file system root"),
    ] {
        book.run(&["build", "--out", out]).code(2).stderr_has(why);
    }
    let book_toml = book.read("book.toml");
    assert!(book_toml.contains("Full <Book>"), "nothing touched");
    assert!(book.root.join("content/payroll/run.md").is_file());
    book.write(
        "book.toml",
        format!("{book_toml}output-dir = \"content\"\n").replace("[build]\n", "[build]\n"),
    );
}

#[test]
fn output_dir_in_book_toml_is_checked_too() {
    let book = Book::fixture("unknown-keys");
    book.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[build]\noutput-dir = \"content\"\n",
    );
    book.build()
        .code(2)
        .stderr_has("refusing to write the site to ./content: it is the content dir");
    assert!(book.root.join("content/p.md").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let book = Book::fixture("full");
    book.build().success();
    let before = tree(&book.site());
    book.write(
        "content/payroll/run.md",
        "+++\ntitle = \"Broken\"\nprocess = \"nope\"\n+++\n",
    );
    book.build().code(1);
    assert_eq!(tree(&book.site()), before);
    let leftovers: Vec<_> = std::fs::read_dir(&book.root)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn a_folder_sopbook_did_not_write_is_never_replaced() {
    let book = Book::fixture("full");
    book.write("docs/notes.txt", "keep me");
    // A GitHub Pages checkout has its own .nojekyll: that is not ours.
    book.write("docs/.nojekyll", "");
    book.write("docs/.git/HEAD", "ref: refs/heads/gh-pages\n");
    book.run(&["build", "--out", "docs"])
        .code(2)
        .stderr_has("was not written by sopbook");
    assert_eq!(book.read("docs/notes.txt"), "keep me");
    assert!(book.root.join("docs/.git/HEAD").is_file());
}

#[test]
fn rebuilding_removes_pages_that_are_gone() {
    let book = Book::fixture("full");
    book.build().success();
    assert!(book.site().join("glossary.html").exists());
    std::fs::remove_file(book.root.join("content/guides/glossary.md")).expect("rm");
    std::fs::write(
        book.root.join("content/index.md"),
        "+++\ntitle = \"Welcome\"\n+++\nHi.\n",
    )
    .expect("write");
    let fix = book
        .read("content/payroll/fix.md")
        .replace("3. Read the [glossary](/guides/glossary.md#terms).\n", "");
    book.write("content/payroll/fix.md", fix);
    book.build().success();
    assert!(!book.site().join("glossary.html").exists());
}

/// Two builds into one output dir at once: both succeed (one waits for the
/// other's swap), the site keeps its marker, and the next build is never
/// refused. Before the lock, about one pair in seventy left a site that
/// every later build refused, and others failed with ENOENT.
#[test]
fn builds_into_one_folder_at_once_take_turns() {
    let book = Book::fixture("full");
    let bin = env!("CARGO_BIN_EXE_sopbook");
    let build = || {
        std::process::Command::new(bin)
            .args(["build", "--quiet"])
            .current_dir(&book.root)
            .env("SOPBOOK_TODAY", crate::harness::TODAY)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start a build")
    };
    for pair in 0..60 {
        let (a, b) = (build(), build());
        for child in [a, b] {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "pair {pair}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            book.site().join(".sopbook").is_file(),
            "pair {pair}: marker"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&book.root)
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".sopbook-"))
            .collect();
        assert!(leftovers.is_empty(), "pair {pair}: {leftovers:?}");
    }
    book.build().success();
    assert!(book.site().join("index.html").is_file());
}

#[test]
fn a_dead_builds_staging_folder_is_cleaned_up() {
    let book = Book::fixture("full");
    book.build().success();
    // What a build killed mid-write leaves: its staging folder, marked.
    let dead = book.root.join(".site.sopbook-new-4000000-0");
    std::fs::create_dir_all(dead.join("payroll")).expect("mkdir");
    std::fs::write(dead.join(".sopbook"), "").expect("marker");
    std::fs::write(dead.join("payroll/half.html"), "<p>half").expect("write");
    // A folder of the same shape without the marker is not ours.
    let foreign = book.root.join(".site.sopbook-new-mine");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    book.build().success();
    assert!(!dead.exists(), "the leftover is removed");
    assert!(foreign.is_dir(), "a folder without the marker is kept");
    assert!(!book.site().join("payroll/half.html").exists());
}
