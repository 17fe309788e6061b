//! The history read from git's objects in this process (src/history/
//! direct.rs) is the one `git log --raw -M` gives (src/history/cli.rs):
//! both readers on repositories built here — renames pure and edited,
//! odd names, merges, type changes, symlinks, submodules, a book in a
//! sub-folder, a shallow clone, generated and random histories — and the
//! cases where the in-process reader must step aside for the CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

use sopbook::internals::{History, read_history, read_history_cli};

use crate::history::{Repo, env, git_in, hashes};

/// Both readers on `content`: the in-process one must have been used (not
/// fallen back), and must give exactly the CLI's history.
fn same_both_ways(content: &Path) -> History {
    let direct = match read_history(content) {
        Ok(Ok(h)) => (*h).clone(),
        other => panic!("no history: {other:?}"),
    };
    assert_eq!(direct.via_cli, None, "the in-process reader was not used");
    let cli = cli(content);
    assert_same(&direct, &cli);
    direct
}

fn cli(content: &Path) -> History {
    match read_history_cli(content, 1_000_000, 1) {
        Ok(Ok(h)) => (*h).clone(),
        other => panic!("no history from git log: {other:?}"),
    }
}

fn assert_same(a: &History, b: &History) {
    assert_eq!((&a.head, a.shallow), (&b.head, b.shallow));
    assert_eq!(a.commits.len(), b.commits.len());
    for (x, y) in a.commits.iter().zip(&b.commits) {
        assert_eq!(x, y, "commit {} ({})", y.hash, y.subject);
    }
    assert_eq!(a.files(), b.files());
    for f in a.files() {
        assert_eq!(hashes(a, f), hashes(b, f), "{f}");
    }
}

fn write_bytes(r: &Repo, rel: &str, bytes: &[u8]) {
    let path = r.dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

fn remove(r: &Repo, rel: &str) {
    let path = r.dir.join(rel);
    if path.is_dir() {
        std::fs::remove_dir_all(path).expect("rm -r");
    } else {
        std::fs::remove_file(path).expect("rm");
    }
}

/// `git mv`, into a folder made first if need be.
fn mv(r: &Repo, from: &str, to: &str) {
    let parent = r.dir.join(to);
    std::fs::create_dir_all(parent.parent().expect("parent")).expect("mkdir");
    r.git(&["mv", from, to]);
}

#[cfg(unix)]
fn symlink(r: &Repo, target: &str, rel: &str) {
    let path = r.dir.join(rel);
    let _ = std::fs::remove_file(&path);
    std::os::unix::fs::symlink(target, path).expect("symlink");
}

/// Lines of text, `n` of them, the `k`th changed in each of `edits`.
fn text(seed: &str, n: usize, edits: &[usize]) -> String {
    (0..n)
        .map(|i| {
            if edits.contains(&i) {
                format!("{seed} line {i} was edited here\n")
            } else {
                format!("{seed} line {i} of the procedure, long enough\n")
            }
        })
        .collect()
}

#[test]
fn renames_edits_merges_and_odd_files_read_the_same_both_ways() {
    let mut r = Repo::new();
    r.write("README.md", "outside\n")
        .write("content/a/one.md", &text("one", 20, &[]))
        .write("content/a/two.md", &text("two", 20, &[]))
        .write("content/b/three.md", &text("three", 20, &[]))
        .write("content/sp ace/q\"uote é.md", &text("odd", 5, &[]))
        .write("content/new\nline.md", &text("nl", 5, &[]))
        .write("content/empty.md", "")
        .write("content/t.md", "a file that becomes a link\n")
        .write("content/d", "a file that becomes a folder\n");
    r.commit("Ada Lovelace", "Start");
    // Pure renames: same base name elsewhere, another base name.
    mv(&r, "content/a/one.md", "content/c/one.md");
    mv(&r, "content/a/two.md", "content/a/deux.md");
    r.commit("Ada Lovelace", "Move two files");
    // A rename with an edit (inexact), then an edit under the new name.
    remove(&r, "content/b/three.md");
    r.write("content/b/trois.md", &text("three", 20, &[3]));
    r.commit("Grace Hopper", "Rename and edit three");
    r.write("content/c/one.md", &text("one", 20, &[7]));
    r.commit("Grace Hopper", "Edit one");
    // Deleted, then a new file of the same name.
    remove(&r, "content/a/deux.md");
    r.commit("Ken Thompson", "Drop deux");
    r.write("content/a/deux.md", "something else entirely\n");
    r.commit("Ken Thompson", "A new deux");
    // Outside the content dir only; nothing at all.
    r.write("README.md", "outside, changed\n");
    r.commit("Ken Thompson", "Readme");
    r.commit("Ken Thompson", "Empty");
    // A side branch merged: diffed against the first parent.
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("content/b/trois.md", &text("three", 20, &[3, 9]))
        .write("content/b/side.md", "from the side\n");
    r.commit("Frances Allen", "On the side");
    r.git(&["checkout", "-q", "main"]);
    r.write("content/c/one.md", &text("one", 20, &[7, 8]));
    r.commit("Ada Lovelace", "On main");
    r.day += 1;
    r.git(&["merge", "-q", "--no-ff", "-m", "Merge side", "side"]);
    // Type changes: file → symlink, file → folder; a symlink; a mode.
    #[cfg(unix)]
    {
        symlink(&r, "c/one.md", "content/t.md");
        symlink(&r, "a/deux.md", "content/link.md");
    }
    remove(&r, "content/d");
    r.write("content/d/inside.md", "a folder now\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let one = r.dir.join("content/c/one.md");
        std::fs::set_permissions(one, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    r.commit("Ada Lovelace", "Types and modes");
    #[cfg(unix)]
    symlink(&r, "b/trois.md", "content/link.md");
    remove(&r, "content/d");
    r.write("content/d", "a file again\n");
    r.commit("Ada Lovelace", "Retarget a link, folder back to a file");
    // A submodule entry (a gitlink), added then moved.
    let head = r.git(&["rev-parse", "HEAD"]).trim().to_owned();
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},content/sub"),
    ]);
    r.day += 1;
    r.git(&["commit", "-q", "-m", "A submodule"]);
    r.git(&["rm", "-q", "--cached", "content/sub"]);
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},content/sub2"),
    ]);
    r.day += 1;
    r.git(&["commit", "-q", "-m", "Move the submodule"]);
    // A copy (no -C: an addition); identical files moved, base names
    // deciding which goes where; empty files moved.
    r.write("content/copy.md", &text("one", 20, &[7, 8]))
        .write("content/x/same.md", "identical\n")
        .write("content/y/same.md", "identical\n")
        .write("content/e1.md", "");
    r.commit("Grace Hopper", "Copies");
    mv(&r, "content/x/same.md", "content/z/same.md");
    mv(&r, "content/y/same.md", "content/z/other.md");
    mv(&r, "content/e1.md", "content/e2.md");
    mv(&r, "content/empty.md", "content/f/empty.md");
    r.commit("Grace Hopper", "Move identical and empty files");
    // CRLF text moved and converted; binary moved with an edit; a rename
    // whose size changes too much; a base-name match that wins over a
    // closer file of another name.
    write_bytes(
        &r,
        "content/crlf.md",
        text("crlf", 30, &[]).replace('\n', "\r\n").as_bytes(),
    );
    let mut binary = vec![0u8; 64];
    binary.extend(text("bin", 30, &[]).into_bytes());
    write_bytes(&r, "content/bin.dat", &binary);
    r.write("content/small.md", &text("small", 4, &[]))
        .write("content/p/a.md", &text("pa", 20, &[]));
    r.commit("Ken Thompson", "More files");
    remove(&r, "content/crlf.md");
    r.write("content/lf.md", &text("crlf", 30, &[2]));
    remove(&r, "content/bin.dat");
    binary.extend(b"more\n");
    write_bytes(&r, "content/bin2.dat", &binary);
    remove(&r, "content/small.md");
    r.write("content/big.md", &text("small", 14, &[]));
    remove(&r, "content/p/a.md");
    r.write("content/q/a.md", &text("pa", 20, &[1, 2, 3, 4]))
        .write("content/q/b.md", &text("pa", 20, &[1]));
    r.commit("Ken Thompson", "Renames the scores decide");

    // Configuration that would reorder or drop git's changes is undone.
    std::fs::write(r._tmp.path().join("order"), "z\nsub2\n").expect("write");
    let order = r._tmp.path().join("order").display().to_string();
    r.git(&["config", "diff.orderFile", &order]);
    r.git(&["config", "diff.ignoreSubmodules", "all"]);
    let h = same_both_ways(&r.dir.join("content"));
    // Not vacuous: renames of each kind were found.
    let from = |path: &str| {
        h.commits
            .iter()
            .flat_map(|c| &c.changes)
            .find(|c| c.path == path && c.from.is_some())
            .and_then(|c| c.from.clone())
    };
    assert_eq!(from("c/one.md").as_deref(), Some("a/one.md"));
    assert_eq!(from("b/trois.md").as_deref(), Some("b/three.md"));
    assert_eq!(from("sub2").as_deref(), Some("sub"));
    assert!(from("z/same.md").is_some() && from("f/empty.md").is_some());
    assert_eq!(from("lf.md").as_deref(), Some("crlf.md"));
    assert_eq!(from("q/a.md").as_deref(), Some("p/a.md"));
    assert_eq!(from("big.md"), None);
    // Added, moved, edited, edited on main, made executable.
    assert_eq!(hashes(&h, "c/one.md").len(), 5);
    // The same repository read from its top, and from a folder of it.
    same_both_ways(&r.dir);
    same_both_ways(&r.dir.join("content/c"));
}

#[test]
fn a_shallow_clone_reads_the_same_both_ways() {
    let mut r = Repo::new();
    for i in 0..6 {
        r.write(
            &format!("content/f{}.md", i % 3),
            &text(&format!("v{i}"), 5, &[]),
        );
        r.commit("Ada Lovelace", &format!("Commit {i}"));
    }
    let clone = r._tmp.path().join("clone");
    let url = format!("file://{}", r.dir.display());
    git_in(
        r._tmp.path(),
        &["clone", "-q", "--depth", "3", &url, "clone"],
        "2025-02-01T00:00:00Z",
    );
    let h = same_both_ways(&clone.join("content"));
    assert!(h.shallow);
    assert_eq!(h.commits.len(), 3);
}

/// `scripts/gen_history_repo.py` at `out`; `false` when python3 is not
/// there to run it.
fn generate(out: &Path, args: &[&str]) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_history_repo.py");
    let run = Command::new("python3")
        .arg(script)
        .arg("--out")
        .arg(out)
        .args(args)
        .envs(env("2025-01-01T00:00:00Z"))
        .output();
    match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("python3 is not installed: the generated repositories are not read");
            false
        }
        Err(e) => panic!("python3: {e}"),
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            true
        }
    }
}

#[test]
fn generated_histories_read_the_same_both_ways() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let top = tmp.path().join("top");
    if !generate(
        &top,
        &["--sops", "200", "--commits", "600", "--renames", "40"],
    ) {
        return;
    }
    let h = same_both_ways(&top.join("content"));
    assert!(h.commits.len() > 500, "{}", h.commits.len());
    let renamed = h
        .commits
        .iter()
        .flat_map(|c| &c.changes)
        .filter(|c| c.from.is_some());
    assert_eq!(renamed.count(), 40);
    // A book in a sub-folder of its repository, loose objects (not
    // repacked) this time.
    let sub = tmp.path().join("sub");
    assert!(generate(
        &sub,
        &[
            "--sops",
            "120",
            "--commits",
            "300",
            "--prefix",
            "books/ops",
            "--no-repack",
            "--seed",
            "7"
        ]
    ));
    same_both_ways(&sub.join("books/ops/content"));
}

/// A small generator of pseudo-random numbers, so the random history is
/// the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap_or(0)
    }
}

/// Random commits of adds, near copies, edits, deletions, moves and moves
/// with edits,
/// over files that share many lines (so that similarity scores fall on
/// both sides of 50% and 75%), in a few folders with repeated base names.
#[test]
fn random_histories_read_the_same_both_ways() {
    let mut renames = 0;
    for seed in [0x2545_f491_4f6c_dd1d, 0x9e37_79b9_7f4a_7c15] {
        renames += random_history(seed);
    }
    assert!(renames > 20, "too few renames to test anything: {renames}");
}

/// Random commits of adds, near copies, edits, deletions, moves and moves
/// with edits,
/// over files that share many lines (so that similarity scores fall on
/// both sides of 50% and 75%), in a few folders with repeated base names;
/// the renames found.
fn random_history(seed: u64) -> usize {
    let mut r = Repo::new();
    let mut rng = Rng(seed);
    let folders = ["a", "b", "a/deep", "c d"];
    let names = ["x.md", "y.md", "z.md", "w.md", "same.md"];
    let mut files: Vec<(String, Vec<String>)> = Vec::new();
    let line = |rng: &mut Rng| format!("shared line {}\n", rng.below(40));
    for _ in 0..40 {
        for _ in 0..1 + rng.below(6) {
            match rng.below(7) {
                0 | 1 if files.len() < 18 => {
                    let path = format!("{}/{}", folders[rng.below(4)], names[rng.below(5)]);
                    if files.iter().all(|(p, _)| *p != path) {
                        let lines = (0..4 + rng.below(12)).map(|_| line(&mut rng)).collect();
                        files.push((path, lines));
                    }
                }
                2 if !files.is_empty() => {
                    let i = rng.below(files.len());
                    let n = files[i].1.len();
                    let at = rng.below(n);
                    files[i].1[at] = line(&mut rng);
                }
                3 if !files.is_empty() => {
                    files.remove(rng.below(files.len()));
                }
                4 if !files.is_empty() && files.len() < 18 => {
                    // A near copy: two files close to one (and to each other).
                    let i = rng.below(files.len());
                    let path = format!("{}/{}", folders[rng.below(4)], names[rng.below(5)]);
                    if files.iter().all(|(p, _)| *p != path) {
                        let mut lines = files[i].1.clone();
                        for _ in 0..1 + rng.below(3) {
                            let at = rng.below(lines.len());
                            lines[at] = line(&mut rng);
                        }
                        files.push((path, lines));
                    }
                }
                _ if !files.is_empty() => {
                    // A move (to another folder under the same name, or
                    // anywhere), with 0-3 lines changed.
                    let i = rng.below(files.len());
                    let name = match rng.below(2) {
                        0 => files[i].0.rsplit('/').next().unwrap_or("x.md").to_owned(),
                        _ => names[rng.below(5)].to_owned(),
                    };
                    let path = format!("{}/{name}", folders[rng.below(4)]);
                    if files.iter().all(|(p, _)| *p != path) {
                        files[i].0 = path;
                        for _ in 0..rng.below(4) {
                            let n = files[i].1.len();
                            let at = rng.below(n);
                            files[i].1[at] = line(&mut rng);
                        }
                    }
                }
                _ => {}
            }
        }
        let content = r.dir.join("content");
        if content.exists() {
            std::fs::remove_dir_all(&content).expect("rm content");
        }
        for (path, lines) in &files {
            r.write(&format!("content/{path}"), &lines.concat());
        }
        r.day = r.day.min(27);
        r.commit("Ada Lovelace", "Random changes");
    }
    let h = same_both_ways(&r.dir.join("content"));
    h.commits
        .iter()
        .flat_map(|c| &c.changes)
        .filter(|c| c.from.is_some())
        .count()
}

#[test]
fn sha256_repositories_are_read_with_the_git_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(dir.join("content")).expect("mkdir");
    git_in(
        &dir,
        &["init", "-q", "--object-format=sha256", "-b", "main"],
        "2025-01-01T10:00:00Z",
    );
    std::fs::write(dir.join("content/a.md"), "A\n").expect("write");
    git_in(&dir, &["add", "-A"], "2025-01-01T10:00:00Z");
    git_in(&dir, &["commit", "-q", "-m", "One"], "2025-01-01T10:00:00Z");
    let h = match read_history(&dir.join("content")) {
        Ok(Ok(h)) => h,
        other => panic!("{other:?}"),
    };
    assert!(
        h.via_cli.as_deref().is_some_and(|w| w.contains("SHA-1")),
        "{:?}",
        h.via_cli
    );
    assert_eq!(h.of("a.md").count(), 1);
    assert_eq!(h.commits[0].hash.len(), 64);
}

/// A clone without blobs (`--filter=blob:none`): trees are there, so the
/// in-process reader starts, meets a missing blob where a rename needs
/// contents compared, and hands over to git, which fetches what it needs.
#[test]
fn a_missing_object_hands_over_to_the_git_cli() {
    let mut r = Repo::new();
    r.write("content/a.md", &text("a", 20, &[]))
        .write("content/b.md", "B\n");
    r.commit("Ada Lovelace", "One");
    remove(&r, "content/a.md");
    r.write("content/renamed.md", &text("a", 20, &[4]));
    r.commit("Ada Lovelace", "Rename with an edit");
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    let full = same_both_ways(&r.dir.join("content"));
    let clone = r._tmp.path().join("partial");
    let url = format!("file://{}", r.dir.display());
    git_in(
        r._tmp.path(),
        &["clone", "-q", "--filter=blob:none", &url, "partial"],
        "2025-02-01T00:00:00Z",
    );
    let h = match read_history(&clone.join("content")) {
        Ok(Ok(h)) => (*h).clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        h.via_cli.as_deref().is_some_and(|w| w.contains("missing")),
        "{:?}",
        h.via_cli
    );
    assert_same(&h, &full);
    assert_eq!(hashes(&h, "renamed.md").len(), 2);
}

/// The objects where git finds them and this process does not (an
/// alternate object directory named only in git's environment): the book
/// builds as it does with its objects at hand, pages, history and changes
/// in this revision alike, with no error.
#[test]
fn objects_out_of_reach_build_the_same_site_through_git() {
    let mut r = Repo::new();
    r.write("book.toml", "[book]\ntitle = \"Support\"\n")
        .write(
            "content/support/process.md",
            "+++\nkind = \"process\"\nid = \"support\"\ntitle = \"Support\"\noutcome = \"Answered\"\n+++\n",
        )
        .write(
            "content/support/answer.md",
            "+++\ntitle = \"Answer\"\nprocess = \"support\"\n+++\n1. Read it.\n2. Answer it.\n",
        );
    r.commit("Ada Lovelace", "One");
    r.write(
        "content/support/answer.md",
        "+++\ntitle = \"Answer\"\nprocess = \"support\"\n+++\n1. Read it all.\n2. Answer it.\n3. Close it.\n",
    );
    r.commit("Grace Hopper", "Two");
    r.git(&["repack", "-a", "-d", "-q"]);
    let site = |dir: &Path, alternates: Option<&Path>| {
        let out = r._tmp.path().join(format!("site-{}", alternates.is_some()));
        let mut c = Command::new(env!("CARGO_BIN_EXE_sopbook"));
        c.args(["build", "--out"])
            .arg(&out)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("SOPBOOK_TODAY", crate::harness::TODAY)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        if let Some(alt) = alternates {
            c.env("GIT_ALTERNATE_OBJECT_DIRECTORIES", alt);
        }
        let run = c.output().expect("run sopbook");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        crate::harness::tree(&out)
    };
    let at_hand = site(&r.dir, None);
    let page = String::from_utf8_lossy(&at_hand["support/answer.html"]).into_owned();
    assert!(page.contains("Step 3 added"), "{page}");
    // The pack moved where only git's environment points.
    let elsewhere: PathBuf = r._tmp.path().join("objects");
    std::fs::create_dir_all(elsewhere.join("pack")).expect("mkdir");
    for entry in std::fs::read_dir(r.dir.join(".git/objects/pack")).expect("ls") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        std::fs::rename(&path, elsewhere.join("pack").join(name)).expect("move");
    }
    let through_git = site(&r.dir, Some(&elsewhere));
    assert_eq!(at_hand, through_git);
}
