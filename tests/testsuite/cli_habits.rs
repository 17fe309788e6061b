//! The command line as mdBook, Zola and cargo users expect it: `build
//! -d/--dest-dir`, the book found from a folder inside it, `serve
//! -o/--open`, `check --format github` for GitHub Actions, and the
//! `.gitignore` that `init` writes.

use crate::harness::Book;
use crate::serve::{PATIENCE, Server};

/// Waits until the server has written `text` to stderr (its lines are
/// read on another thread).
#[track_caller]
fn wait_for_stderr(server: &Server, text: &str) {
    let deadline = std::time::Instant::now() + PATIENCE;
    while !server.stderr().contains(text) {
        assert!(
            std::time::Instant::now() < deadline,
            "stderr lacks {text:?}: {}",
            server.stderr()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn build_dest_dir_and_d_are_out() {
    let book = Book::fixture("clean");
    book.run(&["build", "-d", "elsewhere"])
        .success()
        .stderr_has("into elsewhere");
    assert!(book.root.join("elsewhere/index.html").is_file());
    book.run(&["build", "--dest-dir", "there"]).success();
    assert!(book.root.join("there/index.html").is_file());
    assert!(!book.site().exists(), "the output-dir is not written");
    let help = book.run(&["build", "--help"]);
    help.success();
    assert!(
        help.stdout.contains("-o, --out <OUT>")
            && help.stdout.contains("[aliases: -d, --dest-dir]"),
        "{}",
        help.stdout
    );
}

#[test]
fn check_from_a_folder_inside_the_book_finds_it_and_names_it() {
    let book = Book::fixture("unknown-keys");
    book.write("content/deep/er/x.md", "Text.\n");
    book.run_in("content/deep/er", &["check"])
        .success()
        .stderr_has("using the book at ../../..\n")
        // Paths still start from where the user is.
        .stderr_has(" --> ../../../content/p.md:3:1")
        .stderr_has(" --> ../../../book.toml:5:1");
    // From the book's own folder nothing is said.
    book.run(&["check"])
        .success()
        .stderr_lacks("using the book")
        .stderr_has(" --> content/p.md:3:1");
    // A path given keeps meaning that folder, with no search above it.
    book.run_in("content", &["check", "."])
        .code(2)
        .stderr_has("no book.toml in .");
}

#[test]
fn build_and_serve_find_the_book_above_too() {
    let book = Book::fixture("clean");
    book.run_in("content/support", &["build"])
        .success()
        .stderr_has("using the book at ../..");
    assert!(
        book.site().join("index.html").is_file(),
        "into the book's site/"
    );
    let server = crate::serve::Launch::new(&book)
        .dir_from("content/support")
        .start();
    assert_eq!(server.get("/index.html").0, 200);
    wait_for_stderr(&server, "using the book at ../..");
}

#[test]
fn check_format_github_prints_one_workflow_command_per_finding() {
    let book = Book::fixture("github-annotations");
    let warning = "::warning file=content/page.md,line=3,col=1,endLine=3,endColumn=5,title=unknown-key::unknown key `titel` in the front matter%0Ahelp: did you mean `title`?";
    let error = "::error file=content/page.md,line=5,col=5,endLine=5,endColumn=17,title=broken-link::link to unknown id `100%25-sure`%0Ahelp: link with the target's id: its `id` in front matter, or its file name without .md";
    let run = book.run(&["check", "--format", "github"]);
    run.code(1).stderr_has("1 error, 1 warning in 2 files");
    assert_eq!(run.stdout, format!("{warning}\n{error}\n"));
    // In a repository, paths are from its root, wherever sopbook runs.
    std::fs::create_dir(book.root.join(".git")).expect("mkdir .git");
    let run = book.run_in("content", &["check", "--format", "github"]);
    run.code(1);
    assert_eq!(run.stdout, format!("{warning}\n{error}\n"));
    // Warnings alone pass, as with --format human.
    book.write(
        "content/page.md",
        "+++\ntitle = \"Page\"\ntitel = \"typo\"\n+++\nFine.\n",
    );
    let run = book.run(&["check", "--format", "github"]);
    run.success();
    assert_eq!(run.stdout, format!("{warning}\n"));
    book.run(&["check", "--format", "github", "--deny-warnings"])
        .code(1);
}

#[test]
fn init_writes_a_gitignore_for_the_site() {
    let book = Book::empty();
    book.run(&["init", "fresh"])
        .success()
        .stderr_has("created fresh/.gitignore");
    assert_eq!(book.read("fresh/.gitignore"), "/site/\n");
    book.run(&["build", "fresh"]).success();

    // An existing one keeps its lines and gets the site's at the end.
    book.write("mine/.gitignore", "*.log\n# editors\n.idea");
    book.run(&["init", "mine"])
        .success()
        .stderr_has("updated mine/.gitignore (added /site/");
    assert_eq!(
        book.read("mine/.gitignore"),
        "*.log\n# editors\n.idea\n/site/\n"
    );

    // One that ignores the site already is left as it is.
    book.write("kept/.gitignore", "site/\n");
    book.run(&["init", "kept"])
        .success()
        .stderr_has("kept    kept/.gitignore (it ignores the site already)");
    assert_eq!(book.read("kept/.gitignore"), "site/\n");
    book.run(&["init", "mine"])
        .success()
        .stderr_has("Nothing created: every file exists already.");
    assert_eq!(
        book.read("mine/.gitignore"),
        "*.log\n# editors\n.idea\n/site/\n"
    );
}

#[test]
fn serve_help_lists_open_with_its_short_flag() {
    let book = Book::empty();
    let run = book.run(&["serve", "--help"]);
    run.success();
    assert!(run.stdout.contains("-o, --open"), "{}", run.stdout);
}

/// `serve -o` opens the served URL. `SOPBOOK_BROWSER` replaces the
/// system's browser launcher so that no test opens a real browser: a
/// script that writes down the URL it was given, or a program that does
/// not exist.
#[cfg(unix)]
#[test]
fn serve_open_opens_the_served_url_and_a_failure_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let book = Book::fixture("clean");
    let opened = book.root.join("opened.txt");
    let script = book.root.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" > '{}'\n",
            opened.display()
        ),
    )
    .expect("write the script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let server = crate::serve::Launch::new(&book)
        .args(&["-o"])
        .env("SOPBOOK_BROWSER", &script.to_string_lossy())
        .start();
    let deadline = std::time::Instant::now() + PATIENCE;
    while !opened.is_file() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut url = String::new();
    while !url.ends_with('\n') && std::time::Instant::now() < deadline {
        url = std::fs::read_to_string(&opened).unwrap_or_default();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(url, format!("http://127.0.0.1:{}/\n", server.port));
    assert!(!server.stderr().contains("warning"), "{}", server.stderr());
    drop(server);

    let server = crate::serve::Launch::new(&book)
        .args(&["--open"])
        .env("SOPBOOK_BROWSER", "/nonexistent/browser")
        .start();
    wait_for_stderr(
        &server,
        &format!(
            "warning: could not open a browser at http://127.0.0.1:{}/",
            server.port
        ),
    );
    // The server runs on.
    assert_eq!(server.get("/index.html").0, 200);
}
