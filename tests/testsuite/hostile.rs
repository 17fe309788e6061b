//! Hostile books (#8, "bad input never hurts"): every case gives a clear
//! error (the file, its line and column where there is one, what to do) or
//! a correct page; exits 0, 1 or 2, never with a panic; never leaves a
//! half-written site or deletes a file. Books are made at run time: some
//! are megabytes, binary, or hold links and FIFOs that git cannot store.
//! docs/robustness.md is the table of these outcomes: keep the two in step.
//! Cases that need Unix (links, modes, FIFOs) are `#[cfg(unix)]`, so the
//! rest of the suite still builds and runs on Windows.

use std::collections::BTreeMap;
#[cfg(unix)]
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

#[cfg(unix)]
use crate::harness::unprivileged;
use crate::harness::{Book, Run, tree};
use crate::site::{decode, link_problems};

const BOOK_TOML: &str = "[book]\ntitle = \"Hostile\"\n";
const PROCESS: &str = "+++\nkind = \"process\"\nid = \"pay\"\ntitle = \"Pay people\"\noutcome = \"Everyone is paid\"\n+++\n";
const SOP: &str =
    "+++\ntitle = \"How to pay\"\nprocess = \"pay\"\n+++\n1. Open the ledger.\n2. Pay.\n";

/// A book that built clean once: its site is what every later failed build
/// must leave exactly as it was.
struct Built {
    book: Book,
    site: BTreeMap<String, Vec<u8>>,
}

fn built() -> Built {
    let book = Book::empty();
    book.write("book.toml", BOOK_TOML)
        .write("content/pay/process.md", PROCESS)
        .write("content/pay/run.md", SOP);
    book.build().success();
    let site = tree(&book.site());
    Built { book, site }
}

/// Everything in the book but its site, without following links or reading
/// FIFOs: what a build must never delete or change.
fn sources(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(root).expect("prefix").to_string_lossy();
            if rel == "site" || rel.starts_with(".site") {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let what = if meta.file_type().is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(&path).expect("link").display()
                )
            } else if meta.is_dir() {
                stack.push(path.clone());
                "folder".to_owned()
            } else if meta.is_file() {
                format!("{} bytes, {}", meta.len(), mode(&meta))
            } else {
                "special".to_owned()
            };
            out.insert(rel.into_owned(), what);
        }
    }
    out
}

/// The permissions a build must leave as they were: the mode bits on Unix,
/// the read-only flag elsewhere.
#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> String {
    format!("mode {:o}", meta.permissions().mode())
}

#[cfg(not(unix))]
fn mode(meta: &std::fs::Metadata) -> String {
    format!("read-only {}", meta.permissions().readonly())
}

/// No panic, no abort: a crash is a bug to fix, not an outcome.
#[track_caller]
fn no_crash(run: &Run) {
    run.stderr_lacks("panicked").stderr_lacks("overflow");
    assert!(
        [0, 1, 2].contains(&run.code),
        "exit {}\n{}",
        run.code,
        run.stderr
    );
}

impl Built {
    /// Runs sopbook on the broken book and expects `code`, the previous
    /// site byte for byte, no staging folder left, and every source as it was.
    #[track_caller]
    fn fails(&self, args: &[&str], code: i32) -> Run {
        self.fails_via(&[], args, code)
    }

    #[track_caller]
    fn fails_via(&self, wrapper: &[&str], args: &[&str], code: i32) -> Run {
        let before = sources(&self.book.root);
        let run = self.book.run_via(wrapper, args);
        no_crash(&run);
        run.code(code);
        assert_eq!(sources(&self.book.root), before, "a source changed");
        assert!(tree(&self.book.site()) == self.site, "the site changed");
        let leftovers: Vec<String> = std::fs::read_dir(&self.book.root)
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site"))
            .collect();
        assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
        run
    }

    /// Builds and expects success; sources untouched.
    #[track_caller]
    fn builds(&self) -> Run {
        let before = sources(&self.book.root);
        let run = self.book.build();
        no_crash(&run);
        run.success();
        assert_eq!(sources(&self.book.root), before, "a source changed");
        run
    }

    fn page(&self, rel: &str) -> String {
        self.book.read(&format!("site/{rel}"))
    }
}

// ---- 1, 2: front matter that does not parse or never closes

#[test]
fn malformed_toml_front_matter() {
    let b = built();
    b.book.write(
        "content/bad.md",
        "+++\ntitle = \"x\nowner = 3\n+++\nBody.\n",
    );
    b.fails(&["build"], 1)
        .stderr_has("error[front-matter]: the front matter is not valid TOML")
        .stderr_has("--> content/bad.md:2:11")
        .stderr_has("help: TOML front matter is `key = value` lines")
        .stderr_has("Nothing written: 1 error");
}

#[test]
fn malformed_yaml_front_matter() {
    let b = built();
    b.book.write(
        "content/bad.md",
        "---\ntitle: [unclosed\nowner: x\n---\nBody.\n",
    );
    b.fails(&["build"], 1)
        .stderr_has("error[front-matter]: the front matter is not valid YAML")
        .stderr_has("--> content/bad.md:3:6")
        .stderr_has("help: YAML front matter is `key: value` lines");
}

#[test]
fn front_matter_that_never_closes() {
    for (fence, text) in [
        ("---", "---\ntitle: x\n\nBody that goes on.\n"),
        ("+++", "+++\ntitle = \"x\"\n\nBody that goes on.\n"),
    ] {
        let b = built();
        b.book.write("content/open.md", text);
        b.fails(&["build"], 1)
            .stderr_has("front matter is never closed")
            .stderr_has("--> content/open.md:1:1")
            .stderr_has(&format!("opened here with `{fence}`"))
            .stderr_has(&format!(
                "help: end the front matter with a line that holds only `{fence}`"
            ));
    }
}

// ---- 3, 4: not text

#[test]
fn a_binary_file_named_md() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    for bytes in [&png[..], b"\0\0\0\0 hello \0"] {
        let b = built();
        b.book.write("content/photo.md", bytes);
        b.fails(&["build"], 1)
            .stderr_has("error[encoding]: photo.md is a binary file, not text")
            .stderr_has("--> content/photo.md:1:1")
            .stderr_has("give it its real extension and it is copied as an asset");
    }
}

#[test]
fn latin1_text_points_at_the_first_bad_byte() {
    let b = built();
    b.book.write(
        "content/cafe.md",
        b"+++\ntitle = \"Caf\xe9 rules\"\n+++\nPay \xa3 10.\n",
    );
    b.fails(&["build"], 1)
        .stderr_has("error[encoding]: cafe.md is not UTF-8 text")
        .stderr_has("--> content/cafe.md:2:13")
        .stderr_has("this byte is not UTF-8")
        .stderr_has("iconv -f WINDOWS-1252 -t UTF-8");
}

// ---- 5, 6, 7: size and depth

#[test]
fn a_5_mb_sop_builds() {
    let b = built();
    let mut text = String::from("+++\ntitle = \"Huge\"\nprocess = \"pay\"\n+++\n");
    let mut n = 0;
    while text.len() < 5 * 1024 * 1024 {
        n += 1;
        text.push_str(&format!(
            "{n}. Step {n}: check **row {n}** in `ledger` and see [the guide](https://example.com/{n}).\n"
        ));
    }
    b.book.write("content/pay/huge.md", &text);
    let start = std::time::Instant::now();
    b.builds();
    eprintln!(
        "5 MB SOP ({n} steps): {:.1}s",
        start.elapsed().as_secs_f64()
    );
    let page = b.page("pay/huge.html");
    assert!(
        page.contains(&format!("id=\"step-{n}\"")),
        "last step rendered"
    );
    assert!(page.contains(&format!("row {n}</strong>")));
}

#[test]
fn lists_and_quotes_nested_10000_deep() {
    let b = built();
    let deep = 10_000;
    b.book.write(
        "content/deep.md",
        format!(
            "+++\ntitle = \"Deep\"\n+++\n{}bullet\n\n{} quoted\n\n{}mixed\n",
            "- ".repeat(deep),
            ">".repeat(deep),
            "> - ".repeat(deep / 2)
        ),
    );
    // An SOP whose one step holds ordered lists 10,000 deep, and another
    // that embeds it: steps, embeds and rendering all walk the depth.
    b.book.write(
        "content/pay/nested.md",
        format!(
            "+++\ntitle = \"Nested\"\nprocess = \"pay\"\n+++\n{}innermost\n",
            "1. ".repeat(deep)
        ),
    );
    b.book.write(
        "content/pay/embeds.md",
        "+++\ntitle = \"Embeds\"\nprocess = \"pay\"\n+++\n1. First.\n\n   ![[nested]]\n",
    );
    b.builds();
    let page = b.page("deep.html");
    assert!(page.matches("<ul>").count() >= deep);
    assert!(page.matches("<blockquote>").count() >= deep);
    assert!(page.contains("mixed"));
    assert!(b.page("pay/nested.html").contains("innermost"));
    assert!(b.page("pay/embeds.html").contains("innermost"));
}

#[test]
fn front_matter_nested_thousands_deep() {
    let by_indent: String = (0..5000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    let b = built();
    b.book.write(
        "content/deep.md",
        format!("---\ntitle: Deep\nextra:\n{by_indent}---\nBody.\n"),
    );
    b.fails(&["build"], 1)
        .stderr_has("the front matter nests more than 100 levels deep")
        .stderr_has("--> content/deep.md:");
    let b = built();
    b.book.write(
        "content/deep.md",
        format!(
            "---\ntitle: Deep\nextra:\n  {}x\n---\nBody.\n",
            "- ".repeat(10_000)
        ),
    );
    b.fails(&["build"], 1)
        .stderr_has("nests more than 100 levels deep")
        .stderr_has("--> content/deep.md:4:1");
    let b = built();
    b.book.write(
        "content/deep.md",
        format!(
            "+++\ntitle = \"Deep\"\nextra = {}{}\n+++\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    b.fails(&["build"], 1)
        .stderr_has("the front matter is not valid TOML")
        .stderr_has("--> content/deep.md:3:");
}

#[test]
fn a_hundred_thousand_links_in_one_file() {
    let b = built();
    b.book.write(
        "content/pay/other.md",
        "+++\ntitle = \"Other\"\nprocess = \"pay\"\n+++\n1. One.\n\n## Totals\n\nSum.\n",
    );
    let good: String = (0..25_000)
        .map(|_| "[[other]] [[other#step-1]] [t](pay/other.md#totals) [[other#totals|sum]]\n")
        .collect();
    b.book.write(
        "content/links.md",
        format!("+++\ntitle = \"Links\"\n+++\n{good}"),
    );
    b.builds();
    assert_eq!(
        b.page("links.html")
            .matches("href=\"pay/other.html")
            .count(),
        100_000
    );
    let site = tree(&b.book.site());

    let broken: String = (0..25_000)
        .map(|i| {
            format!(
                "[[nope{}]] [[other#gone]] [a](missing.md) [b](pay/other.md#zz{})\n",
                i % 100,
                i % 7
            )
        })
        .collect();
    b.book.write(
        "content/broken.md",
        format!("+++\ntitle = \"Broken\"\n+++\n{broken}"),
    );
    let again = Built { book: b.book, site };
    let run = again.fails(&["build"], 1);
    run.stderr_has("Nothing written: 100000 errors").stderr_has(
        "note: 99950 more [broken-link] findings in content/broken.md not shown; `sopbook check --format json` lists them all",
    );
    assert!(run.stderr.lines().count() < 1000, "bounded output");
    let json = again.book.run(&["check", "--format", "json"]);
    json.code(1);
    assert_eq!(
        json.stdout.lines().count(),
        100_000,
        "JSON lists every finding"
    );
}

// ---- 8, 9: symbolic links (Unix only: making one on Windows needs a
// privilege or developer mode, and std's call for it differs)

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_not_followed() {
    let b = built();
    let content = b.book.root.join("content");
    symlink(".", content.join("loop")).expect("link");
    symlink("b.md", content.join("a.md")).expect("link");
    symlink("a.md", content.join("b.md")).expect("link");
    symlink("self", content.join("self")).expect("link");
    let run = b.builds();
    run.stderr_has(
        "warning[symlink]: content/loop is a symbolic link (to .); sopbook does not follow links, so it is left out",
    )
    .stderr_has("warning[symlink]: content/a.md is a symbolic link (to b.md)")
    .stderr_has("warning[symlink]: content/self is a symbolic link (to self)")
    .stderr_has("help: copy the file or folder it points to into the content dir")
    .stderr_has("4 warnings");
    assert!(!b.book.site().join("loop").exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_book_is_not_followed() {
    let b = built();
    let outside = b.book.root.parent().expect("parent").join("secret");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(
        outside.join("keys.md"),
        "+++\ntitle = \"TOP SECRET\"\n+++\n",
    )
    .expect("write");
    let content = b.book.root.join("content");
    symlink(outside.join("keys.md"), content.join("keys.md")).expect("link");
    symlink(&outside, content.join("secret")).expect("link");
    let run = b.builds();
    run.stderr_has("warning[symlink]: content/keys.md is a symbolic link (to /")
        .stderr_has("warning[symlink]: content/secret is a symbolic link");
    let site = tree(&b.book.site());
    assert!(
        !site
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("TOP SECRET")),
        "nothing from outside the book is published"
    );
    // CI can insist; a book that means it can say so.
    b.book.run(&["check", "--deny-warnings"]).code(1);
    b.book.write(
        "book.toml",
        format!("{BOOK_TOML}[check]\nsymlink = \"allow\"\n"),
    );
    b.book.build().success().stderr_lacks("symlink");
    assert!(outside.join("keys.md").is_file(), "the target is untouched");
}

// ---- 10: unreadable files, FIFOs, sockets (Unix only: mode bits,
// `setpriv` and FIFOs have no Windows counterpart)

#[cfg(unix)]
#[test]
fn an_unreadable_file_stops_the_build_with_its_name() {
    let b = built();
    b.book
        .write("content/secret.md", "+++\ntitle = \"Secret\"\n+++\n");
    let path = b.book.root.join("content/secret.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let wrapper = unprivileged(&b.book, &path);
    b.fails_via(&wrapper, &["build"], 2)
        .stderr_has("error: cannot read ")
        .stderr_has("content/secret.md: Permission denied")
        .stderr_has("help: let sopbook's user read it (`chmod a+r`)");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
}

/// `check` passes only when `build` would: an asset `build` cannot copy
/// fails both the same way.
#[cfg(unix)]
#[test]
fn an_unreadable_asset_stops_check_and_build_alike() {
    let b = built();
    b.book.write("content/payroll/scan.png", "not really a png");
    let path = b.book.root.join("content/payroll/scan.png");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let wrapper = unprivileged(&b.book, &path);
    for command in ["check", "build"] {
        b.fails_via(&wrapper, &[command], 2)
            .stderr_has("error: cannot read ")
            .stderr_has("content/payroll/scan.png: Permission denied")
            .stderr_has("help: let sopbook's user read it (`chmod a+r`)");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_stops_the_build_with_its_name() {
    let b = built();
    b.book.write("content/private/a.md", "Private.\n");
    let dir = b.book.root.join("content/private");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let wrapper = unprivileged(&b.book, &dir);
    b.fails_via(&wrapper, &["build"], 2)
        .stderr_has("content/private: Permission denied")
        .stderr_has("chmod a+r");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_named_md_does_not_hang_the_build() {
    let b = built();
    let content = b.book.root.join("content");
    let status = std::process::Command::new("mkfifo")
        .arg(content.join("pipe.md"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let _socket =
        std::os::unix::net::UnixListener::bind(content.join("socket.md")).expect("socket");
    b.builds()
        .stderr_has("warning[special-file]: content/pipe.md is not a regular file (a FIFO, socket or device); it is left out")
        .stderr_has("warning[special-file]: content/socket.md is not a regular file");
}

// ---- 11: names that need encoding

/// Every `href`/`src` of every page leads to a file and id of the site
/// (the shared link walk), and so does every URL in nav.js.
#[track_caller]
fn every_link_resolves(site: &Path) {
    let problems = link_problems(site);
    assert!(problems.is_empty(), "{problems:#?}");
    let files = tree(site);
    let mut checked = 0;
    // nav.js and each process's part of the navigation (nav/<process>.js),
    // and the URLs of those parts that nav.js gives.
    for (name, bytes) in files
        .iter()
        .filter(|(p, _)| *p == "nav.js" || p.starts_with("nav/"))
    {
        let nav = String::from_utf8_lossy(bytes).into_owned();
        // A part is filed under its process's URL: `…PROCESSES||{})["pay/index.html"]=`.
        for url in ["\"url\":\"", "\"nav\":\"", "PROCESSES||{})[\""]
            .iter()
            .flat_map(|key| nav.split(key).skip(1))
            .filter_map(|r| r.split('"').next())
        {
            let path = url.split(['#', '?']).next().unwrap_or("");
            assert!(
                files.contains_key(&decode(path)),
                "{name}: `{url}` leads nowhere"
            );
            checked += 1;
        }
    }
    assert!(checked > 5, "only {checked} nav links checked");
}

#[test]
fn names_with_spaces_unicode_hash_question_mark_and_percent() {
    let b = built();
    let page = |title: &str| format!("+++\ntitle = \"{title}\"\n+++\nText of {title}.\n");
    for (file, title) in [
        ("a b.md", "Space"),
        ("café.md", "Cafe"),
        ("日本.md", "Japan"),
        ("a#b.md", "Hash"),
        ("q?.md", "Question"),
        ("100%.md", "Percent"),
        ("sp ace/in folder.md", "Folder"),
    ] {
        b.book.write(&format!("content/{file}"), page(title));
    }
    b.book.write(
        "content/pay/names.md",
        "+++\ntitle = \"Names\"\nprocess = \"pay\"\n+++\n\
         1. Encoded: [s](../a%20b.md) [c](../caf%C3%A9.md) [j](../%E6%97%A5%E6%9C%AC.md) \
         [h](../a%23b.md) [q](../q%3F.md) [p](../100%25.md) [f](/sp%20ace/in%20folder.md).\n\
         2. Raw: [s](<../a b.md>) [c](../café.md) [j](../日本.md) [f](</sp ace/in folder.md>).\n\
         3. By id: [[a b]] [[café]] [[日本]] [[q?]] [[100%]] [[in folder]].\n",
    );
    b.builds();
    for (out, text) in [
        ("a b.html", "Text of Space."),
        ("café.html", "Text of Cafe."),
        ("日本.html", "Text of Japan."),
        ("a#b.html", "Text of Hash."),
        ("q?.html", "Text of Question."),
        ("100%.html", "Text of Percent."),
        ("in folder.html", "Text of Folder."),
    ] {
        assert!(b.page(out).contains(text), "{out}");
    }
    let sop = b.page("pay/names.html");
    for href in [
        "../a%20b.html",
        "../caf%C3%A9.html",
        "../%E6%97%A5%E6%9C%AC.html",
        "../a%23b.html",
        "../q%3F.html",
        "../100%25.html",
        "../in%20folder.html",
    ] {
        let n = sop.matches(&format!("href=\"{href}\"")).count();
        assert!(n >= 2, "{href} linked {n} times");
    }
    every_link_resolves(&b.book.site());
    let nav = b.page("nav.js");
    assert!(nav.contains("\"url\":\"a%23b.html\""), "{nav}");
}

#[test]
fn a_wikilink_cannot_reach_an_id_with_a_hash_and_says_why() {
    let b = built();
    b.book.write("content/a#b.md", "Hash.\n");
    b.book.write("content/links.md", "See [[a#b]].\n");
    b.fails(&["build"], 1)
        .stderr_has("--> content/links.md:1:5")
        .stderr_has("the id `a#b` holds a `#`, which `[[...]]` reads as the start of an anchor");
}

// ---- 12: ids that differ only in case

#[test]
fn ids_that_differ_only_in_case() {
    let b = built();
    b.book.write("content/Payroll.md", "Upper.\n");
    b.book.write("content/payroll.md", "Lower.\n");
    b.fails(&["build"], 1)
        .stderr_has("error[duplicate-id]: `payroll.html` would be written twice: for `Payroll` (Payroll.md) and for `payroll` (payroll.md)")
        .stderr_has("names that differ only in case clash too");
    let b = built();
    b.book.write(
        "content/x.md",
        "+++\nid = \"Billing\"\ntitle = \"X\"\n+++\n",
    );
    b.book.write(
        "content/y.md",
        "+++\nid = \"billing\"\ntitle = \"Y\"\n+++\n",
    );
    b.fails(&["build"], 1)
        .stderr_has("error[duplicate-id]")
        .stderr_has("`Billing` (x.md)")
        .stderr_has("`billing` (y.md)");
}

// ---- 13: empty files

#[test]
fn empty_files_and_front_matter_only() {
    let b = built();
    b.book.write("content/empty.md", "");
    b.book.write(
        "content/only.md",
        "+++\ntitle = \"Only front matter\"\n+++\n",
    );
    b.book.write("content/dashes.md", "---\n---\n");
    b.book.write("content/pluses.md", "+++\n+++\n");
    b.book.write("content/blank.md", "\u{feff}\n\n   \n");
    b.book.write(
        "content/pay/nothing.md",
        "+++\ntitle = \"Empty SOP\"\nprocess = \"pay\"\n+++\n",
    );
    b.builds()
        .stderr_has("warning[empty-sop]")
        .stderr_has("content/pay/nothing.md");
    for (page, h1) in [
        ("empty.html", "<h1>empty</h1>"),
        ("only.html", "<h1>Only front matter</h1>"),
        ("dashes.html", "<h1>dashes</h1>"),
        ("pluses.html", "<h1>pluses</h1>"),
        ("blank.html", "<h1>blank</h1>"),
        ("pay/nothing.html", "<h1>Empty SOP</h1>"),
    ] {
        assert!(b.page(page).contains(h1), "{page}");
    }
}

// ---- 14: a book.toml that is not TOML

#[test]
fn a_book_toml_that_is_not_toml() {
    for (bytes, position, message) in [
        (
            &b"book:\n  title: Acme\n"[..],
            "--> book.toml:1:6",
            "book.toml is not valid TOML",
        ),
        (
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            "--> book.toml:1:1",
            "book.toml is a binary file, not text",
        ),
        (
            &b"[book]\ntitle = \"Caf\xe9\"\n"[..],
            "--> book.toml:2:13",
            "book.toml is not UTF-8 text",
        ),
        (&b""[..], "--> book.toml", "error[config]"),
    ] {
        let b = built();
        b.book.write("book.toml", bytes);
        b.fails(&["build"], 1)
            .stderr_has("error[config]")
            .stderr_has(message)
            .stderr_has(position)
            .stderr_has("help:");
    }
}

// ---- 15: output dirs that would destroy the book

#[test]
fn output_dirs_that_would_destroy_the_book_are_refused() {
    let b = built();
    for (out, why) in [
        (".", "it is the book root"),
        ("content", "it is the content dir"),
        ("content/pay", "it is inside the content dir"),
        ("/", "it is the file system root"),
        ("..", "it contains the book root"),
        ("../..", "it contains the book root"),
    ] {
        b.fails(&["build", "--out", out], 2)
            .stderr_has(&format!("refusing to write the site to {out}"))
            .stderr_has(why)
            .stderr_has("help: the output dir is replaced on every build");
    }
    b.fails(&["build", "--out", "book.toml"], 2)
        .stderr_has("the output path book.toml exists and is not a folder");
    b.book.write("notes/keep.txt", "mine");
    b.fails(&["build", "--out", "notes"], 2)
        .stderr_has("notes exists and was not written by sopbook; refusing to replace it");
}

#[test]
fn output_dir_in_book_toml_that_would_destroy_the_book_is_refused() {
    for (out, why) in [
        (".", "it is the book root"),
        ("content", "it is the content dir"),
        ("/", "it is the file system root"),
        ("..", "it contains the book root"),
    ] {
        let b = built();
        b.book.write(
            "book.toml",
            format!("{BOOK_TOML}[build]\noutput-dir = \"{out}\"\n"),
        );
        b.fails(&["build"], 2)
            .stderr_has("refusing to write the site to")
            .stderr_has(why);
    }
}

// ---- more that real teams hit

#[test]
fn crlf_bom_and_tabs() {
    let b = built();
    b.book.write(
        "content/pay/windows.md",
        "\u{feff}+++\r\ntitle = \"Saved on Windows\"\r\nprocess = \"pay\"\r\n+++\r\n1.\tOpen\tthe ledger.\r\n2.\tClose it.\r\n",
    );
    b.book.write(
        "content/yaml.md",
        "\u{feff}---\r\ntitle: YAML on Windows\r\n---\r\nText.\r\n",
    );
    b.builds();
    let sop = b.page("pay/windows.html");
    assert!(sop.contains("<h1>Saved on Windows</h1>"));
    assert!(sop.contains("id=\"step-2\""));
    assert!(b.page("yaml.html").contains("<h1>YAML on Windows</h1>"));
}

#[test]
fn a_folder_named_md_and_deep_folders() {
    let b = built();
    b.book.write("content/notes.md/inner.md", "Inner.\n");
    let deep = vec!["level"; 100].join("/");
    b.book
        .write(&format!("content/{deep}/bottom.md"), "Bottom.\n");
    b.builds();
    assert!(b.page("inner.html").contains("Inner."));
    assert!(b.page("bottom.html").contains("Bottom."));
}

#[test]
fn very_long_file_names() {
    // 250 + ".html" is 255 bytes, the longest name most file systems allow.
    let b = built();
    let name = "n".repeat(250);
    b.book.write(&format!("content/{name}.md"), "Long.\n");
    b.builds();
    assert!(b.page(&format!("{name}.html")).contains("Long."));
    // 252 + ".md" fits, 252 + ".html" does not: an I/O error naming the
    // page, and the previous site stays.
    let b = built();
    let name = "n".repeat(252);
    b.book.write(&format!("content/{name}.md"), "Too long.\n");
    b.fails(&["build"], 2)
        .stderr_has(&format!("{name}.html: File name too long"))
        .stderr_has("help: the page's name is too long for the file system");
}
