//! History from git (SPEC §8): every content file's commits, from one
//! pass over the repository's first-parent line, run beside the rest of
//! the build.
//!
//! ```text
//! git rev-parse  (work tree? shallow? HEAD? content dir's path, objects) → Probe
//! git log --first-parent -z --format=<hash, tree, parent, date, author, subject>
//!                                                         → direct::listing
//! each commit's content dir against its first parent's, in-process
//!   (git's objects via gix-odb; tree_diff, renames)       → parse::Log
//! walk newest → oldest, following renames                 → History
//! ```
//!
//! Three `git` processes (two `rev-parse`s, one `log`), whatever the
//! number of files or commits.
//!
//! **Why the trees are compared here.** At 10,000 SOPs × 20,000 commits
//! (docs/BENCHMARKS.md, "History from git") `git log --raw -M` spent
//! 0.7-1.1 CPU-s on tree diffs: the content dir's 45 KB tree is rewritten
//! by every commit and git compares it entry by entry. Listing the commits
//! costs git 0.08 s; reading the trees from git's object files (gix-odb:
//! packs, deltas, loose objects, alternates, multi-pack indexes) and
//! comparing them here costs 0.31 CPU-s on the same line, spread over the
//! cores (the whole pass: 1.09 → 0.38 CPU-s, 0.64 → 0.26 s): equal
//! subtrees are never read, and a changed big tree is compared with slice
//! comparisons, parsed only around its differences (tree_diff.rs).
//! Rename detection follows `-M -l1000`'s rules
//! (renames.rs; docs/document-control.md says where it can differ). Not
//! `gix` whole: it would add 86 crates, and its own diff took 2.7 CPU-s on
//! this line; gix-odb adds 37 (measured in docs/BENCHMARKS.md).
//!
//! **What stays git's.** Which commits (the first-parent line, grafts,
//! shallow boundaries), mailmap and encodings: `git log` lists them. And
//! the whole comparison whenever the in-process reader cannot be trusted —
//! SHA-256 objects, replace refs, an objects dir it cannot locate, an
//! object missing (a partial clone's blobs; alternates only git's
//! environment names) or any read or parse error: then `git log --raw -M`
//! (cli.rs) makes the diffs as before ([`History::via_cli`] says why), and
//! the result is the same (tests compare the two on many repositories).
//!
//! **Why the first-parent line.** The history of a published SOP is the
//! line its book is built from: each entry is one change as it landed
//! there (a merge commit counts as the change its branch brought, diffed
//! against the line before it; squash and rebase workflows look the same).
//! A linear walk makes following renames exact with one map of names, and
//! the order is the line's order, not a guess from dates. Side-branch
//! commits (drafts) are not listed; a merge's subject is what is shown.
//!
//! **Deterministic.** The data depends on the repository only: author
//! dates as UTC, full hashes, short hashes of one fixed rule (the shortest
//! prefix, at least 7, unique among the listed commits), no clock,
//! `SOURCE_DATE_EPOCH` or `--today`. Options that user configuration could
//! change (signatures, root commits, rename limits, encodings, diff order,
//! ignored submodules) are set on git's command line.
//!
//! Each change keeps the file's blob id, so that "Changes in this
//! revision" ([`revisions`]) reads old versions by id — from the same
//! object database, or with `git cat-file --batch` after the CLI path —
//! not by `commit:path` (which makes git read the commit's trees again: 8
//! times the CPU at 10,000 SOPs). Uncommitted edits are not part of any
//! history.

mod cli;
mod direct;
pub(crate) mod moves;
mod odb;
mod parse;
mod renames;
pub(crate) mod revisions;
mod tree_diff;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use jiff::civil::Date;

pub use parse::Status;

/// One commit of the first-parent line that changed the content dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub hash: String,
    /// The shortest prefix of `hash` (at least 7) that no other listed
    /// commit shares.
    pub short: String,
    /// Author date, seconds since 1970 (UTC).
    pub time: i64,
    /// The author date's UTC calendar day, for display.
    pub date: Date,
    /// Author name (through the repository's `.mailmap`).
    pub author: String,
    pub subject: String,
    /// The content files it changed, in git's order (by path).
    pub changes: Vec<Change>,
}

impl Commit {
    /// The commit without its changes: cheap to keep per document.
    pub fn clone_summary(&self) -> Commit {
        Commit {
            hash: self.hash.clone(),
            short: self.short.clone(),
            time: self.time,
            date: self.date,
            author: self.author.clone(),
            subject: self.subject.clone(),
            changes: Vec::new(),
        }
    }
}

/// A content file one commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: Status,
    /// The file's path (relative to the content dir) in that commit.
    pub path: String,
    /// For a rename, the path before it.
    pub from: Option<String>,
    /// The file's path now (in the checked-out HEAD), when it still
    /// exists: the key of [`History::of`]. `None` for a file deleted since.
    pub current: Option<String>,
    /// Its blob after the commit (full hex id); `None` for a deletion.
    pub blob: Option<String>,
}

/// The history of the content dir.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// A shallow clone: older commits are missing, and the oldest listed
    /// one shows every file as added (`history-shallow`).
    pub shallow: bool,
    /// The full hash of the HEAD it was read from; `None` in a repository
    /// with no commits.
    pub head: Option<String>,
    /// Every commit that changed a content file, newest first.
    pub commits: Vec<Commit>,
    /// A current file's commits (indices into `commits`, newest first),
    /// by its path relative to the content dir.
    files: foldhash::HashMap<String, Vec<u32>>,
    /// Why the commits' changes are `git log`'s own diffs, when they are;
    /// `None` when they were read from git's objects in this process (or
    /// there was nothing to read).
    pub via_cli: Option<String>,
    /// The object database the changes were read from, which "Changes in
    /// this revision" reads old versions from too.
    pub(crate) objects: Option<Arc<odb::Objects>>,
}

impl History {
    /// The commits of the file at `rel` (relative to the content dir, `/`
    /// separated, as in `Doc::path`), newest first, across renames. Empty
    /// for a file git does not know (new, untracked).
    pub fn of<'a>(&'a self, rel: &str) -> impl Iterator<Item = &'a Commit> + 'a {
        self.indices_of(rel).map(|i| &self.commits[i])
    }

    /// The indices into [`History::commits`] of the file at `rel`'s
    /// commits, newest first (smallest first: `commits` is newest first).
    pub fn indices_of<'a>(&'a self, rel: &str) -> impl Iterator<Item = usize> + 'a {
        self.files
            .get(rel)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| i as usize)
    }

    /// The newest commit of the file at `rel`: "Last changed".
    pub fn last(&self, rel: &str) -> Option<&Commit> {
        self.of(rel).next()
    }

    /// The last `n` content commits, newest first, each with its changes
    /// (`changes.html`).
    pub fn recent(&self, n: usize) -> &[Commit] {
        &self.commits[..n.min(self.commits.len())]
    }

    /// The content files git has a history for, sorted.
    pub fn files(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.files.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

/// Why there is no history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// `git` could not be started (not on PATH).
    NoGit(String),
    /// The content dir is not in a git work tree; git's message.
    NotARepository(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::NoGit(e) => write!(f, "`git` could not be run: {e}"),
            Unavailable::NotARepository(e) => {
                write!(f, "the content dir is not in a git work tree ({e})")
            }
        }
    }
}

/// A git that runs in a work tree and still fails (a damaged repository):
/// its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitFailed(pub String);

/// What reading the history gave.
pub type Outcome = Result<Result<Arc<History>, Unavailable>, GitFailed>;

/// The history of the content dir `content_dir`, read now: two `git
/// rev-parse`s and one `git log`, whatever the number of files, and the
/// trees compared in this process (or, where that cannot be trusted, a
/// `git log` that diffs).
pub fn read(content_dir: &Path) -> Outcome {
    read_with(&git_program(), content_dir, None, Via::Objects)
}

/// [`read`] by `git log`'s own diffs only, with the line cut into at most
/// `ranges` ranges of at least `per_range` commits each (tests: the same
/// history as [`read`]'s, and as one `git log`'s).
pub fn read_cli(content_dir: &Path, per_range: usize, ranges: usize) -> Outcome {
    let split = cli::Split {
        per_range: per_range.max(1),
        max: ranges.max(1),
    };
    read_with(&git_program(), content_dir, None, Via::Cli(split))
}

/// How the commits' changes are read.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// From git's objects in this process when it can be trusted, else
    /// by the `git` CLI.
    Objects,
    /// By the `git` CLI, the line cut so.
    Cli(cli::Split),
}

/// A history being read on a thread of its own, so that git's tree diffs
/// overlap the reading and parsing of the book.
#[derive(Debug)]
pub(crate) struct Pending(std::thread::JoinHandle<Outcome>);

impl Pending {
    /// Starts reading. `previous`, a history read before from the same
    /// content dir (`serve`), is given back as it is when HEAD and the
    /// shallowness have not changed: `git log` runs only after a commit.
    pub(crate) fn start(content_dir: PathBuf, previous: Option<Arc<History>>) -> Pending {
        let git = git_program();
        Pending(std::thread::spawn(move || {
            read_with(&git, &content_dir, previous, Via::Objects)
        }))
    }

    pub(crate) fn wait(self) -> Outcome {
        self.0
            .join()
            .unwrap_or_else(|_| Err(GitFailed("the history reader panicked".into())))
    }
}

fn git_program() -> PathBuf {
    // For tests: a git elsewhere, or none.
    std::env::var_os("SOPBOOK_GIT")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("git"), PathBuf::from)
}

fn read_with(git: &Path, content_dir: &Path, previous: Option<Arc<History>>, via: Via) -> Outcome {
    let probe = match probe(git, content_dir)? {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    if let Some(previous) = previous
        && previous.head == probe.head
        && previous.shallow == probe.shallow
    {
        return Ok(Ok(previous));
    }
    if probe.head.is_none() {
        return Ok(Ok(Arc::new(History {
            shallow: probe.shallow,
            ..History::default()
        })));
    }
    let direct = match (via, &probe.layout) {
        (Via::Objects, Ok(layout)) => direct_log(git, content_dir, layout),
        (Via::Objects, Err(why)) => Err(why.clone()),
        (Via::Cli(_), _) => Err("asked for".into()),
    };
    let (log, objects, via_cli) = match direct {
        Ok((log, objects)) => (log, Some(objects), None),
        Err(why) => {
            let split = match via {
                Via::Cli(split) => split,
                Via::Objects => cli::Split::default(),
            };
            (cli::log(git, content_dir, split)?, None, Some(why))
        }
    };
    let mut history = build(log, probe.shallow);
    history.head = probe.head;
    history.objects = objects;
    history.via_cli = via_cli;
    Ok(Ok(Arc::new(history)))
}

/// The line's changes read from git's objects in this process: one `git
/// log` lists the commits, the trees are compared here. Why not, when
/// anything fails (the caller then asks the `git` CLI).
fn direct_log(
    git: &Path,
    dir: &Path,
    layout: &Layout,
) -> Result<(parse::Log, Arc<odb::Objects>), String> {
    let objects = odb::Objects::open(&layout.objects).map_err(|e| e.0)?;
    let out = run(git, dir, &direct::LIST_ARGS).map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(stderr_line(&out.stderr));
    }
    let listed = direct::listing(&out.stdout)?;
    let log = direct::read(&objects, &layout.prefix, listed).map_err(|e| e.0)?;
    Ok((log, Arc::new(objects)))
}

struct Probe {
    shallow: bool,
    head: Option<String>,
    /// Where the in-process reader finds what it needs, or why it cannot
    /// be used.
    layout: Result<Layout, String>,
}

/// Where the repository keeps its objects, and where the content dir is
/// in its trees.
struct Layout {
    objects: PathBuf,
    /// The content dir's path from the work tree's top, as components
    /// (none at the top).
    prefix: Vec<Vec<u8>>,
}

fn probe(git: &Path, dir: &Path) -> Result<Result<Probe, Unavailable>, GitFailed> {
    let out = match run(
        git,
        dir,
        &[
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
            "--show-prefix",
            "--git-path",
            "objects",
            "--glob=refs/replace/*",
        ],
    ) {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Err(Unavailable::NoGit(
                "it is not installed, or not on PATH".into(),
            )));
        }
        Err(e) => return Ok(Err(Unavailable::NoGit(e.to_string()))),
    };
    let mut lines = out.stdout.split(|&b| b == b'\n');
    if !out.status.success() || lines.next() != Some(b"true") {
        let why = match stderr_line(&out.stderr) {
            s if s.is_empty() => "not inside a work tree".to_owned(),
            s => s,
        };
        return Ok(Err(Unavailable::NotARepository(why)));
    }
    let shallow = lines.next() == Some(b"true");
    let rest: Vec<&[u8]> = lines.collect();
    let head = run(git, dir, &["rev-parse", "-q", "--verify", "HEAD^{commit}"])
        .map_err(|e| GitFailed(e.to_string()))?;
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let layout = layout(dir, &rest, &head);
    Ok(Ok(Probe {
        shallow,
        head: (!head.is_empty()).then_some(head),
        layout,
    }))
}

/// What `rev-parse --show-prefix --git-path objects --glob=refs/replace/*`
/// printed (`lines`, run in `dir`), as a [`Layout`]; why the in-process
/// reader cannot be used otherwise: the objects are not SHA-1 (`head` is
/// not 40 digits), git replaces objects (a replace ref is listed, or the
/// refs for it are elsewhere), or the output is not the one expected.
fn layout(dir: &Path, lines: &[&[u8]], head: &str) -> Result<Layout, String> {
    if head.len() != 40 {
        return Err("the repository's objects are not SHA-1".into());
    }
    if std::env::var_os("GIT_REPLACE_REF_BASE").is_some() {
        return Err("GIT_REPLACE_REF_BASE is set".into());
    }
    let [prefix, objects, end @ ..] = lines else {
        return Err("git rev-parse gave no object directory".into());
    };
    if end.iter().any(|l| !l.is_empty()) {
        return Err("the repository has replace refs".into());
    }
    Ok(Layout {
        objects: dir.join(os_path(objects)?),
        prefix: prefix
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .collect(),
    })
}

#[cfg(unix)]
fn os_path(bytes: &[u8]) -> Result<PathBuf, String> {
    use std::os::unix::ffi::OsStrExt as _;
    Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn os_path(bytes: &[u8]) -> Result<PathBuf, String> {
    std::str::from_utf8(bytes)
        .map(PathBuf::from)
        .map_err(|_| "the object directory's path is not UTF-8".into())
}

fn run(git: &Path, dir: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    let mut child = Command::new(git)
        // Run from a git hook, these would point git elsewhere.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        // Into a pipe git flushes its output after every commit unless
        // told not to: 20,000 writes, and as many wake-ups of this
        // reader, cost more than `git log` itself (0.08 s).
        .env("GIT_FLUSH", "0")
        .arg("-C")
        .arg(dir)
        .arg("--no-pager")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // stderr is small; read stdout fully first, then stderr, then wait.
    let mut stdout = Vec::new();
    if let Some(mut s) = child.stdout.take() {
        s.read_to_end(&mut stdout)?;
    }
    let mut stderr = Vec::new();
    if let Some(mut s) = child.stderr.take() {
        s.read_to_end(&mut stderr)?;
    }
    let status = child.wait()?;
    Ok(std::process::Output {
        status,
        stdout,
        stderr,
    })
}

fn stderr_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .map(|l| l.trim().trim_start_matches("fatal: "))
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

/// Who a path belongs to while walking from HEAD back in time.
#[derive(Clone)]
enum Owner {
    /// The file now at this path.
    Current(String),
    /// A file deleted later in the history.
    Gone,
}

/// Walks the log newest first. `names` maps a path, as it is at the point
/// reached, to the file it belongs to: a rename `old → new` hands `new`'s
/// owner to `old`; an addition ends the file's past (an older file of the
/// same name is another file); a deletion starts a gone file's past.
fn build(log: parse::Log, shallow: bool) -> History {
    // One walk on one thread, several lookups a change (a big book's
    // first commit adds every file): the fast hash, not SipHash.
    let mut names: foldhash::HashMap<String, Owner> = foldhash::HashMap::default();
    let mut files: foldhash::HashMap<String, Vec<u32>> = foldhash::HashMap::default();
    let short_len = short_len(log.commits.iter().map(|c| c.hash.as_str()));
    let mut commits = Vec::with_capacity(log.commits.len());
    for c in log.commits {
        if c.changes.is_empty() {
            continue; // nothing in the content dir
        }
        let index = u32::try_from(commits.len()).unwrap_or(u32::MAX);
        let mut changes = Vec::with_capacity(c.changes.len());
        for ch in c.changes {
            let owner = match ch.status {
                Status::Deleted => {
                    names.insert(ch.path.clone(), Owner::Gone);
                    Owner::Gone
                }
                _ => names
                    .get(&ch.path)
                    .cloned()
                    .unwrap_or_else(|| Owner::Current(ch.path.clone())),
            };
            match (&ch.status, &ch.from) {
                (Status::Renamed, Some(from)) => {
                    names.remove(&ch.path);
                    names.insert(from.clone(), owner.clone());
                }
                (Status::Added, _) => {
                    names.remove(&ch.path);
                }
                (Status::Modified, _) => {
                    names.insert(ch.path.clone(), owner.clone());
                }
                _ => {}
            }
            let current = match owner {
                Owner::Current(path) => {
                    match files.get_mut(&path) {
                        // A commit that touches one file twice (a rename
                        // and an edit under the old name cannot, but be
                        // safe).
                        Some(list) if list.last() == Some(&index) => {}
                        Some(list) => list.push(index),
                        None => {
                            files.insert(path.clone(), vec![index]);
                        }
                    }
                    Some(path)
                }
                Owner::Gone => None,
            };
            changes.push(Change {
                status: ch.status,
                path: ch.path,
                from: ch.from,
                current,
                blob: ch.blob,
            });
        }
        commits.push(Commit {
            short: c.hash[..short_len.min(c.hash.len())].to_owned(),
            hash: c.hash,
            time: c.time,
            date: utc_date(c.time),
            author: c.author,
            subject: c.subject,
            changes,
        });
    }
    History {
        shallow,
        head: None,
        commits,
        files,
        via_cli: None,
        objects: None,
    }
}

/// The shortest prefix length, at least 7, that tells the hashes apart.
fn short_len<'a>(hashes: impl Iterator<Item = &'a str>) -> usize {
    let mut sorted: Vec<&str> = hashes.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let common = sorted
        .windows(2)
        .map(|w| {
            w[0].bytes()
                .zip(w[1].bytes())
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .unwrap_or(0);
    (common + 1).max(7)
}

fn utc_date(seconds: i64) -> Date {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(hash: &str, changes: &[(&str, &str, Option<&str>)]) -> parse::RawCommit {
        parse::RawCommit {
            hash: hash.to_owned(),
            time: 86_400,
            author: "A".into(),
            subject: "s".into(),
            changes: changes
                .iter()
                .map(|(s, p, from)| parse::RawChange {
                    status: match *s {
                        "A" => Status::Added,
                        "D" => Status::Deleted,
                        "R" => Status::Renamed,
                        _ => Status::Modified,
                    },
                    path: (*p).to_owned(),
                    from: from.map(str::to_owned),
                    blob: None,
                })
                .collect(),
        }
    }

    #[test]
    fn renames_are_followed_and_deleted_files_are_not_current() {
        // Newest first: c5 edits b; c4 renames a → b; c3 deletes x;
        // c2 edits a and x; c1 adds a and x; c0 touches nothing here.
        let log = parse::Log {
            commits: vec![
                raw("5555555555", &[("M", "b.md", None)]),
                raw("4444444444", &[("R", "b.md", Some("a.md"))]),
                raw("3333333333", &[("D", "x.md", None)]),
                raw("2222222222", &[("M", "a.md", None), ("M", "x.md", None)]),
                raw("1111111111", &[("A", "a.md", None), ("A", "x.md", None)]),
                raw("0000000000", &[]),
            ],
        };
        let h = build(log, false);
        assert_eq!(h.commits.len(), 5);
        let b: Vec<&str> = h.of("b.md").map(|c| c.hash.as_str()).collect();
        assert_eq!(b, ["5555555555", "4444444444", "2222222222", "1111111111"]);
        assert_eq!(h.of("a.md").count(), 0);
        assert_eq!(h.of("x.md").count(), 0);
        assert_eq!(h.files(), ["b.md"]);
        let c2 = &h.commits[3];
        assert_eq!(c2.changes[0].current.as_deref(), Some("b.md"));
        assert_eq!(c2.changes[1].current, None);
        assert_eq!(h.last("b.md").map(|c| c.short.as_str()), Some("5555555"));
        assert_eq!(h.commits[0].date, jiff::civil::date(1970, 1, 2));
    }

    #[test]
    fn a_name_used_again_after_a_deletion_is_another_file() {
        // Newest first: c3 adds a (new file); c2 deletes a; c1 adds a.
        let log = parse::Log {
            commits: vec![
                raw("3333333", &[("A", "a.md", None)]),
                raw("2222222", &[("D", "a.md", None)]),
                raw("1111111", &[("A", "a.md", None)]),
            ],
        };
        let h = build(log, false);
        let a: Vec<&str> = h.of("a.md").map(|c| c.hash.as_str()).collect();
        assert_eq!(a, ["3333333"]);
    }

    #[test]
    fn the_in_process_reader_is_used_only_where_it_can_be_trusted() {
        let head = "a".repeat(40);
        let dir = Path::new("/books/ops/content");
        let ok =
            layout(dir, &[b"ops/content/", b"../../.git/objects", b""], &head).expect("layout");
        assert_eq!(ok.prefix, [b"ops".to_vec(), b"content".to_vec()]);
        assert_eq!(ok.objects, dir.join("../../.git/objects"));
        let top = layout(dir, &[b"", b"/abs/objects", b""], &head).expect("layout");
        assert!(top.prefix.is_empty() && top.objects == Path::new("/abs/objects"));
        // SHA-256, replace refs, output not understood.
        assert!(layout(dir, &[b"", b".git/objects", b""], &"a".repeat(64)).is_err());
        let replaced: &[&[u8]] = &[
            b"",
            b".git/objects",
            b"0123456789abcdef0123456789abcdef01234567",
            b"",
        ];
        assert!(layout(dir, replaced, &head).is_err());
        assert!(layout(dir, &[b""], &head).is_err());
    }

    #[test]
    fn short_hashes_grow_until_they_differ() {
        assert_eq!(short_len(["abcdef01", "abcdef02"].into_iter()), 8);
        assert_eq!(short_len(["a1", "b2"].into_iter()), 7);
        assert_eq!(short_len(std::iter::empty()), 7);
    }
}
