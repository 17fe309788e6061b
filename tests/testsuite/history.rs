//! History from git (SPEC §8, issue #16): repositories built here with
//! fixed names and dates, read through `sopbook::internals::read_history`
//! and through `sopbook check`: renames followed, odd file names, merges,
//! a book inside a bigger repository, no commits, no repository, no git,
//! a shallow clone, the `[build]` keys.

use std::path::{Path, PathBuf};
use std::process::Command;

use sopbook::internals::{History, Status, Unavailable, read_history, read_history_cli};

use crate::check::findings;
use crate::harness::Book;

/// A scratch repository driven by the `git` on PATH, with no user or
/// system configuration, fixed identities and a clock that moves one day
/// per commit from 2025-01-01T10:00:00Z. Other suites build their
/// repositories with it too (redirects.rs, history_objects.rs).
pub(crate) struct Repo {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) day: u32,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("repo");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let repo = Repo {
            _tmp: tmp,
            dir,
            day: 0,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        git_in(&self.dir, args, &self.date())
    }

    pub(crate) fn date(&self) -> String {
        format!("2025-01-{:02}T10:00:00Z", self.day + 1)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Repo {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// Commits everything as `author`; returns the full hash.
    pub(crate) fn commit(&mut self, author: &str, subject: &str) -> String {
        self.day += 1;
        self.git(&["add", "-A"]);
        let date = self.date();
        let out = Command::new("git")
            .current_dir(&self.dir)
            .args(["commit", "-q", "--allow-empty", "-m", subject])
            .envs(env(&date))
            .env("GIT_AUTHOR_NAME", author)
            .output()
            .expect("git commit");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    pub(crate) fn read(&self, content: &str) -> History {
        match read_history(&self.dir.join(content)) {
            Ok(Ok(h)) => (*h).clone(),
            other => panic!("no history: {other:?}"),
        }
    }
}

pub(crate) fn env(date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
        ("GIT_AUTHOR_NAME", "Ada Lovelace".into()),
        ("GIT_AUTHOR_EMAIL", "ada@example.com".into()),
        ("GIT_COMMITTER_NAME", "Ada Lovelace".into()),
        ("GIT_COMMITTER_EMAIL", "ada@example.com".into()),
        ("GIT_AUTHOR_DATE", date.into()),
        ("GIT_COMMITTER_DATE", date.into()),
    ]
}

pub(crate) fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .envs(env(date))
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn hashes<'a>(history: &'a History, rel: &str) -> Vec<&'a str> {
    history.of(rel).map(|c| c.hash.as_str()).collect()
}

const BOOK: &str = "[book]\ntitle = \"Support\"\n";
const PROCESS: &str =
    "+++\nkind = \"process\"\nid = \"support\"\ntitle = \"Support\"\noutcome = \"Answered\"\n+++\n";

fn sop(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nprocess = \"support\"\n+++\n1. Read it.\n2. Answer it.\n")
}

#[test]
fn every_file_gets_its_commits_newest_first_across_renames() {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/support/process.md", PROCESS)
        .write("content/support/answer.md", &sop("Answer"));
    let c1 = r.commit("Ada Lovelace", "Start the support handbook");
    r.write("content/support/answer.md", &sop("Answer a ticket"));
    let c2 = r.commit("Grace Hopper", "Answer: say what a ticket is");
    r.git(&[
        "mv",
        "content/support/answer.md",
        "content/support/reply.md",
    ]);
    let c3 = r.commit("Grace Hopper", "Rename answer to reply");
    r.write("README.md", "The handbook.\n");
    let c4 = r.commit("Ken Thompson", "Add a README");
    // Spaces, quotes, non-ASCII and a newline in file names.
    r.write("content/support/say \"hi\" é.md", &sop("Greet"))
        .write("content/support/two\nlines.md", &sop("Odd"));
    let c5 = r.commit("Frances Allen", "Add greetings: \"hi\" — ünïcode");
    r.write("content/support/reply.md", &sop("Reply to a ticket"));
    std::fs::remove_file(r.dir.join("content/support/two\nlines.md")).expect("rm");
    let c6 = r.commit("Ada Lovelace", "Reply; drop the odd one");
    r.commit("Ada Lovelace", "An empty commit");

    let h = r.read("content");
    assert!(!h.shallow);
    assert_eq!(
        h.head.as_deref(),
        Some(r.git(&["rev-parse", "HEAD"]).trim())
    );
    assert_eq!(hashes(&h, "support/reply.md"), [&c6, &c3, &c2, &c1]);
    assert_eq!(hashes(&h, "support/process.md"), [&c1]);
    assert_eq!(hashes(&h, "support/say \"hi\" é.md"), [&c5]);
    assert_eq!(hashes(&h, "support/answer.md"), Vec::<&str>::new());
    assert_eq!(hashes(&h, "support/two\nlines.md"), Vec::<&str>::new());
    assert_eq!(
        h.files(),
        [
            "support/process.md",
            "support/reply.md",
            "support/say \"hi\" é.md"
        ]
    );
    // Only the commits that changed the content dir, newest first.
    let all: Vec<&str> = h.commits.iter().map(|c| c.hash.as_str()).collect();
    assert_eq!(all, [&c6, &c5, &c3, &c2, &c1]);
    assert!(!all.contains(&c4.as_str()));

    let last = h.last("support/reply.md").expect("last");
    assert_eq!(last.author, "Ada Lovelace");
    assert_eq!(last.subject, "Reply; drop the odd one");
    assert_eq!(last.date.to_string(), "2025-01-07");
    assert_eq!(last.time, 1_736_244_000); // 2025-01-07T10:00:00Z
    assert!(last.short.len() >= 7 && c6.starts_with(&last.short));
    let greet = h.last("support/say \"hi\" é.md").expect("greet");
    assert_eq!(greet.subject, "Add greetings: \"hi\" — ünïcode");
    assert_eq!(greet.author, "Frances Allen");

    // What each commit changed, with where the file is now.
    let rename = &h.commits[2];
    assert_eq!(rename.changes.len(), 1);
    let ch = &rename.changes[0];
    assert_eq!(ch.status, Status::Renamed);
    assert_eq!(ch.from.as_deref(), Some("support/answer.md"));
    assert_eq!(ch.path, "support/reply.md");
    assert_eq!(ch.current.as_deref(), Some("support/reply.md"));
    let first = &h.commits[4];
    let answer = first
        .changes
        .iter()
        .find(|c| c.path == "support/answer.md")
        .expect("answer added");
    assert_eq!(answer.status, Status::Added);
    assert_eq!(answer.current.as_deref(), Some("support/reply.md"));
    let dropped = h.commits[0]
        .changes
        .iter()
        .find(|c| c.status == Status::Deleted)
        .expect("a deletion");
    assert_eq!(dropped.path, "support/two\nlines.md");
    assert_eq!(dropped.current, None);
    assert_eq!(h.recent(2).len(), 2);
    assert_eq!(h.recent(100).len(), 5);

    // Cut into ranges read by parallel `git log`s, the line gives the
    // same history (a range boundary falls on the rename, too).
    for (per_range, ranges) in [(1, 8), (2, 3), (3, 2)] {
        let split = match read_history_cli(&r.dir.join("content"), per_range, ranges) {
            Ok(Ok(h)) => h,
            other => panic!("{other:?}"),
        };
        assert_eq!(split.commits, h.commits, "{per_range} × {ranges}");
        assert_eq!(split.files(), h.files());
        assert_eq!(hashes(&split, "support/reply.md"), [&c6, &c3, &c2, &c1]);
    }
}

#[test]
fn merges_count_once_on_the_first_parent_line() {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/a.md", "A\n")
        .write("content/b.md", "B\n");
    let base = r.commit("Ada Lovelace", "Start");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("content/a.md", "A, drafted on a branch\n");
    let draft = r.commit("Grace Hopper", "Draft a change to a");
    r.git(&["checkout", "-q", "main"]);
    r.write("content/b.md", "B, changed on main\n");
    let main = r.commit("Ken Thompson", "Change b");
    r.day += 1;
    r.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge the review of a",
        "side",
    ]);
    let merge = r.git(&["rev-parse", "HEAD"]).trim().to_owned();

    let h = r.read("content");
    assert_eq!(hashes(&h, "a.md"), [&merge, &base]);
    assert_eq!(hashes(&h, "b.md"), [&main, &base]);
    assert!(h.commits.iter().all(|c| c.hash != draft));
    assert_eq!(h.commits[0].subject, "Merge the review of a");
    // A range that ends at the merge's first parent.
    match read_history_cli(&r.dir.join("content"), 1, 4) {
        Ok(Ok(split)) => assert_eq!(split.commits, h.commits),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_book_inside_a_bigger_repository_sees_only_its_content_dir() {
    let mut r = Repo::new();
    r.write("src/main.c", "int main;\n")
        .write("books/ops/book.toml", BOOK)
        .write("books/ops/content/x.md", "X\n")
        .write("books/ops/other.md", "not content\n");
    let c1 = r.commit("Ada Lovelace", "Everything");
    r.write("src/main.c", "int main(void);\n")
        .write("books/ops/other.md", "still not content\n");
    r.commit("Ada Lovelace", "Code only");
    r.git(&["mv", "books/ops/other.md", "books/ops/content/other.md"]);
    let c3 = r.commit("Ada Lovelace", "Move a file into the content dir");

    let h = r.read("books/ops/content");
    assert_eq!(hashes(&h, "x.md"), [&c1]);
    // Moved in from outside: its past outside is not the book's.
    assert_eq!(hashes(&h, "other.md"), [&c3]);
    assert_eq!(h.commits.len(), 2);
    assert_eq!(h.commits[0].changes[0].status, Status::Added);
}

#[test]
fn the_content_dir_may_be_the_repository_root() {
    let mut r = Repo::new();
    r.write("a.md", "A\n").write("sub/b.md", "B\n");
    let c1 = r.commit("Ada Lovelace", "One");
    r.write("sub/b.md", "B2\n");
    let c2 = r.commit("Ada Lovelace", "Two");
    let h = r.read("");
    assert_eq!(hashes(&h, "a.md"), [&c1]);
    assert_eq!(hashes(&h, "sub/b.md"), [&c2, &c1]);
}

#[test]
fn no_commits_no_repository() {
    let r = Repo::new();
    std::fs::create_dir_all(r.dir.join("content")).expect("mkdir");
    let h = r.read("content");
    assert!(h.commits.is_empty() && h.head.is_none() && !h.shallow);

    let outside = tempfile::tempdir().expect("tempdir");
    match read_history(outside.path()) {
        Ok(Err(Unavailable::NotARepository(_))) => {}
        other => panic!("expected no repository, got {other:?}"),
    }
}

#[test]
fn the_same_repository_gives_the_same_history_whatever_the_clock() {
    let mut r = Repo::new();
    r.write("content/a.md", "A\n");
    r.commit("Ada Lovelace", "One");
    let one = r.read("content");
    // The reading depends on the repository only (the process's own
    // SOURCE_DATE_EPOCH and --today are not read by it).
    let two = r.read("content");
    assert_eq!(one.commits, two.commits);
    assert_eq!(one.files(), two.files());
}

/// A book with two commits, as `sopbook check` sees it.
fn small_book() -> Repo {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/support/process.md", PROCESS)
        .write("content/support/answer.md", &sop("Answer"));
    r.commit("Ada Lovelace", "One");
    r.write("content/support/answer.md", &sop("Answer a ticket"));
    r.commit("Grace Hopper", "Two");
    r
}

fn check_in(dir: &Path, args: &[&str], path: Option<&str>) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sopbook"));
    c.arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", crate::harness::TODAY)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    if let Some(path) = path {
        c.env("PATH", path);
    }
    let out = c.output().expect("run sopbook");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_shallow_clone_is_a_history_shallow_warning() {
    let r = small_book();
    let (code, _, stderr) = check_in(&r.dir, &["--deny-warnings"], None);
    assert_eq!(code, 0, "{stderr}");

    let clone = r._tmp.path().join("clone");
    let url = format!("file://{}", r.dir.display());
    git_in(
        r._tmp.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        "2025-02-01T00:00:00Z",
    );
    let h = match read_history(&clone.join("content")) {
        Ok(Ok(h)) => h,
        other => panic!("{other:?}"),
    };
    assert!(h.shallow);
    // The one commit there looks as if it added every file.
    assert_eq!(h.of("support/answer.md").count(), 1);
    assert_eq!(h.commits[0].changes[0].status, Status::Added);

    let (code, stdout, stderr) = check_in(&clone, &["--format", "json"], None);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one finding");
    assert_eq!(v["rule"], "history-shallow");
    assert_eq!(v["severity"], "warning");
    assert!(v["help"].as_str().unwrap_or("").contains("--unshallow"));

    // Off: not read, not reported.
    let toml = format!("{BOOK}[build]\nhistory = false\n");
    std::fs::write(clone.join("book.toml"), &toml).expect("write");
    let (code, stdout, _) = check_in(&clone, &["--format", "json"], None);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // Allowed: read, not reported.
    let toml = format!("{BOOK}[check]\nhistory-shallow = \"allow\"\n");
    std::fs::write(clone.join("book.toml"), &toml).expect("write");
    let (code, stdout, _) = check_in(&clone, &["--format", "json"], None);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

/// A PATH with no git on it.
fn no_git_path(r: &Repo) -> String {
    let bin = r._tmp.path().join("empty-bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    bin.display().to_string()
}

#[test]
fn without_git_auto_builds_as_before_and_true_is_a_config_error() {
    let r = small_book();
    let path = no_git_path(&r);
    let (code, stdout, stderr) = check_in(&r.dir, &["--format", "json"], Some(&path));
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");

    std::fs::write(
        r.dir.join("book.toml"),
        format!("{BOOK}[build]\nhistory = true\n"),
    )
    .expect("write");
    let (code, _, _) = check_in(&r.dir, &[], None);
    assert_eq!(code, 0, "git is there: fine");
    let (code, _, stderr) = check_in(&r.dir, &[], Some(&path));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[config]: `history = true`, but `git`"),
        "{stderr}"
    );
    assert!(stderr.contains("book.toml:4:11"), "{stderr}");
}

#[test]
fn history_true_outside_a_repository_is_a_config_error() {
    let book = Book::empty();
    book.write("book.toml", format!("{BOOK}[build]\nhistory = true\n"))
        .write("content/support/process.md", PROCESS)
        .write("content/support/answer.md", sop("Answer"));
    assert_eq!(
        findings(&book, &[]),
        [("config".to_owned(), "book.toml:4:11".to_owned())]
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("not in a git work tree");
    // "auto" (the default) says nothing outside a repository.
    book.write("book.toml", format!("{BOOK}[build]\nhistory = \"auto\"\n"));
    assert_eq!(findings(&book, &[]), []);
}

#[test]
fn bad_history_and_commit_url_values_are_config_errors() {
    let book = Book::empty();
    book.write("content/support/process.md", PROCESS)
        .write("content/support/answer.md", sop("Answer"));
    for (build, at) in [
        ("history = \"always\"", "book.toml:4:11"),
        (
            "commit-url = \"https://git.example/commit/\"",
            "book.toml:4:14",
        ),
    ] {
        book.write("book.toml", format!("{BOOK}[build]\n{build}\n"));
        assert_eq!(
            findings(&book, &[]),
            [("config".to_owned(), at.to_owned())],
            "{build}"
        );
    }
    book.write(
        "book.toml",
        format!("{BOOK}[build]\ncommit-url = \"https://git.example/commit/{{hash}}\"\n"),
    );
    assert_eq!(findings(&book, &[]), []);
}

fn build_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .arg("build")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", crate::harness::TODAY)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run sopbook");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_sop_page_shows_its_last_change_and_its_history_with_what_it_embeds() {
    let mut r = Repo::new();
    r.write(
        "book.toml",
        "[book]\ntitle = \"Support\"\n\n[build]\ncommit-url = \"https://git.example/support/commit/{hash}\"\n",
    )
    .write("content/support/process.md", PROCESS)
    .write(
        "content/support/answer.md",
        "+++\ntitle = \"Answer a ticket\"\nprocess = \"support\"\n+++\n1. Read it.\n2. Check:\n\n   ![[check-account]]\n",
    );
    let first = r.commit("Ada Lovelace", "Write the answering SOP");
    r.write(
        "content/support/check-account.md",
        "+++\ntitle = \"Check an account\"\nprocess = \"support\"\n+++\n1. Open it.\n2. Look.\n",
    );
    r.commit("Grace Hopper", "Add the account check");
    r.write(
        "content/support/check-account.md",
        "+++\ntitle = \"Check an account\"\nprocess = \"support\"\n+++\n1. Open it in the CRM.\n2. Look.\n",
    );
    let via = r.commit("Grace Hopper", "Name the CRM");
    r.git(&[
        "mv",
        "content/support/answer.md",
        "content/support/answer-ticket.md",
    ]);
    r.write(
        "content/support/answer-ticket.md",
        "+++\ntitle = \"Answer a ticket\"\nid = \"answer\"\nprocess = \"support\"\n+++\n1. Read it all.\n2. Check:\n\n   ![[check-account]]\n",
    );
    let last = r.commit("Ada Lovelace", "Read the whole ticket first");
    let (code, stderr) = build_in(&r.dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(r.dir.join("site/support/answer.html")).expect("page");
    let short = |h: &str| h[..7].to_owned();
    assert!(
        page.contains(&format!(
            "<div><dt>Last changed</dt><dd><time datetime=\"2025-01-05\">5 January 2025</time> · <a href=\"https://git.example/support/commit/{last}\"><code>{}</code></a></dd></div>",
            short(&last)
        )),
        "{page}"
    );
    let history = page
        .split("<h2 id=\"history\">History</h2>")
        .nth(1)
        .expect("a History section");
    let history = history.split("</ol>").next().unwrap_or_default();
    let rows: Vec<&str> = history.split("<li>").skip(1).collect();
    assert_eq!(rows.len(), 4, "{history}");
    // Newest first, across the rename, with the embedded SOP's own commits.
    assert!(
        rows[0].contains("Read the whole ticket first") && rows[0].contains(&short(&last)),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("Name the CRM</span> <span class=\"muted\">· via <a href=\"check-account.html\">Check an account</a></span>"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains(&short(&via)), "{}", rows[1]);
    assert!(
        rows[2].contains("Add the account check") && rows[2].contains("via"),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].contains("Write the answering SOP")
            && rows[3].contains(&short(&first))
            && !rows[3].contains("via"),
        "{}",
        rows[3]
    );
    assert!(
        rows[3].contains("<span class=\"muted\">Ada Lovelace · "),
        "{}",
        rows[3]
    );
    // The printable version names the last change.
    let print = std::fs::read_to_string(r.dir.join("site/support/print.html")).expect("print");
    assert!(
        print.contains(&format!("<tr><th scope=\"row\">Last change</th><td><time datetime=\"2025-01-05\">5 January 2025</time>, commit <code>{}</code></td></tr>", short(&last))),
        "{print}"
    );
    // The run record names the last commit.
    assert!(
        page.contains(&format!("data-commit=\"{}\"", short(&last))),
        "{page}"
    );
    // The same repository builds the same bytes.
    let again = {
        let (code, stderr) = build_in(&r.dir, &[]);
        assert_eq!(code, 0, "{stderr}");
        std::fs::read_to_string(r.dir.join("site/support/answer.html")).expect("page")
    };
    assert_eq!(page, again);
    // With history off, or outside git, neither shows.
    r.write(
        "book.toml",
        "[book]\ntitle = \"Support\"\n\n[build]\nhistory = false\n",
    );
    let (code, stderr) = build_in(&r.dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(r.dir.join("site/support/answer.html")).expect("page");
    assert!(
        !page.contains("Last changed") && !page.contains("id=\"history\""),
        "{page}"
    );
}

#[test]
fn changes_in_this_revision_compare_the_steps_with_the_previous_revision() {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/support/process.md", PROCESS)
        .write(
            "content/support/answer.md",
            "+++\ntitle = \"Answer a ticket\"\nprocess = \"support\"\nrevision = 1\n+++\n1. Read the ticket.\n2. Check the account.\n3. Send the answer.\n",
        )
        .write("content/support/close.md", &sop("Close a ticket"));
    let first = r.commit("Ada Lovelace", "First revision");
    r.write(
        "content/support/answer.md",
        "+++\ntitle = \"Answer a ticket\"\nprocess = \"support\"\nrevision = 2\n+++\n1. Read the whole ticket.\n2. Check the account.\n3. Ask a colleague to read it.\n4. Send the answer.\n",
    );
    r.commit("Grace Hopper", "Second revision");
    // A fix that keeps the revision: still compared with revision 1.
    r.write(
        "content/support/answer.md",
        "+++\ntitle = \"Answer a ticket\"\nprocess = \"support\"\nrevision = 2\n+++\n1. Read the whole ticket.\n2. Check the account.\n3. Ask a colleague to read it.\n4. Send the answer.\n\nA typo fixed here.\n",
    );
    r.write(
        "content/support/close.md",
        "+++\ntitle = \"Close a ticket\"\nprocess = \"support\"\n+++\n1. Read it.\n",
    );
    r.commit("Ada Lovelace", "Fix a typo; shorten closing");
    let (code, stderr) = build_in(&r.dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(r.dir.join("site/support/answer.html")).expect("page");
    let changes = page
        .split("<h3 id=\"changes-in-this-revision\">Changes in this revision</h3>")
        .nth(1)
        .expect("a Changes in this revision section");
    assert!(
        changes.contains(&format!("Compared with revision 1 (<time datetime=\"2025-01-02\">2 January 2025</time>, <code>{}</code>)", &first[..7])),
        "{changes}"
    );
    assert!(
        changes.contains(
            "<span class=\"change-kind\">Step 1 changed:</span> Read the <ins>whole </ins>ticket."
        ) || changes.contains(
            "<span class=\"change-kind\">Step 1 changed:</span> Read <ins>the whole</ins>"
        ),
        "{changes}"
    );
    assert!(
        changes.contains("<span class=\"change-kind\">Step 3 added:</span> <ins>Ask a colleague to read it.</ins>"),
        "{changes}"
    );
    assert!(
        !changes.contains("Step 2"),
        "an unchanged step is not listed: {changes}"
    );
    // Without `revision`, the previous commit is the previous version.
    let close = std::fs::read_to_string(r.dir.join("site/support/close.html")).expect("page");
    assert!(
        close.contains("Compared with the previous version"),
        "{close}"
    );
    assert!(
        close.contains("<span class=\"change-kind\">Step 2 removed:</span> <del>Answer it.</del>"),
        "{close}"
    );
}

#[test]
fn changes_html_and_the_atom_feed_list_the_last_content_commits() {
    let mut r = Repo::new();
    r.write(
        "book.toml",
        "[book]\ntitle = \"Support\"\n\n[build]\nbase-url = \"https://help.example/handbook/\"\n",
    )
    .write("content/support/process.md", PROCESS)
    .write(
        "content/support/answer.md",
        "+++\ntitle = \"Answer a ticket\"\nprocess = \"support\"\n+++\n1. Read it.\n2. Check:\n\n   ![[check-account]]\n",
    )
    .write("content/support/check-account.md", &sop("Check an account"));
    r.commit("Ada Lovelace", "Start the support handbook");
    r.write(
        "content/support/check-account.md",
        &sop("Check an account & <plan>"),
    );
    let second = r.commit("Grace Hopper", "Rename the account check");
    r.write("README.md", "not content\n");
    r.commit("Grace Hopper", "Outside the content dir");
    let (code, stderr) = build_in(&r.dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(r.dir.join("site/changes.html")).expect("changes.html");
    let sections: Vec<&str> = html.split("<section class=\"change\"").skip(1).collect();
    assert_eq!(
        sections.len(),
        2,
        "a commit outside the content dir is no change: {html}"
    );
    let newest = sections[0];
    assert!(
        newest.contains(&format!("id=\"c-{}\"", &second[..7])),
        "{newest}"
    );
    assert!(
        newest.contains(
            "<time datetime=\"2025-01-03\">3 January 2025</time> · Rename the account check"
        ),
        "{newest}"
    );
    assert!(newest.contains("Pages changed:</p>\n  <ul><li><a href=\"support/check-account.html\">Check an account &amp; &lt;plan&gt;</a></li></ul>"), "{newest}");
    assert!(newest.contains("Shown through embeds on:</p>\n  <ul><li><a href=\"support/answer.html\">Answer a ticket</a></li></ul>"), "{newest}");
    assert!(
        std::fs::read_to_string(r.dir.join("site/nav.js"))
            .expect("nav")
            .contains("\"changes\":\"changes.html\"")
    );
    let feed = std::fs::read_to_string(r.dir.join("site/changes.xml")).expect("changes.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
    assert!(
        feed.contains("<updated>2025-01-03T10:00:00Z</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "<id>https://help.example/handbook/changes.html#c-{}</id>",
            &second[..7]
        )),
        "{feed}"
    );
    assert!(
        feed.contains("<author><name>Grace Hopper</name></author>"),
        "{feed}"
    );
    assert!(feed.contains("&lt;a href=\"https://help.example/handbook/support/check-account.html\"&gt;Check an account &amp;amp; &amp;lt;plan&amp;gt;&lt;/a&gt;"), "{feed}");
    // Outside git there is no changes page, and no feed.
    let plain = Book::fixture("full");
    plain.build().success();
    assert!(
        !plain.site().join("changes.html").exists() && !plain.site().join("changes.xml").exists()
    );
}

#[test]
fn a_change_to_many_pages_lists_the_first_fifty_and_counts_the_rest() {
    let mut r = Repo::new();
    r.write("book.toml", BOOK)
        .write("content/support/process.md", PROCESS);
    for n in 0..60 {
        r.write(
            &format!("content/support/s{n:02}.md"),
            &sop(&format!("Answer {n:02}")),
        );
        r.write(&format!("content/files/f{n:02}.txt"), "a file\n");
    }
    r.commit("Ada Lovelace", "Import the handbook");
    let (code, stderr) = build_in(&r.dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(r.dir.join("site/changes.html")).expect("changes.html");
    // 61 pages (the process and its SOPs) and 60 other files.
    assert_eq!(html.matches("<li><a href=\"support/").count(), 50, "{html}");
    assert!(
        html.contains("<li class=\"muted\">and 11 more</li>"),
        "{html}"
    );
    assert_eq!(html.matches("<li><code>files/").count(), 50, "{html}");
    assert!(
        html.contains("<li class=\"muted\">and 10 more</li>"),
        "{html}"
    );
}
