//! The history's diffs made by git: `git log --raw -M` over the
//! first-parent line, parsed ([`super::parse`]). The in-process reader
//! ([`super::direct`]) gives the same [`parse::Log`] faster; this is what
//! reads a repository it cannot trust itself with (SHA-256 objects, a
//! partial clone's missing objects, replace refs, any object it fails to
//! read), and what tests compare it with.

use std::path::Path;

use super::{GitFailed, parse, run, stderr_line};

/// The first-parent line's changes to the content dir `dir`, by one `git
/// log` per range of the line, all at once; their outputs, joined in
/// order, are the output of one `git log` over the whole line.
pub(super) fn log(git: &Path, dir: &Path, split: Split) -> Result<parse::Log, GitFailed> {
    let ranges = ranges(git, dir, split)?;
    let outputs: Vec<std::io::Result<std::process::Output>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|range| {
                scope.spawn(move || {
                    let mut args: Vec<&str> = LOG_ARGS.to_vec();
                    args.extend(range.iter().map(String::as_str));
                    run(git, dir, &args)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("git log reader panicked")))
            })
            .collect()
    });
    let mut stdout = Vec::new();
    for out in outputs {
        let out = out.map_err(|e| GitFailed(e.to_string()))?;
        if !out.status.success() {
            return Err(GitFailed(stderr_line(&out.stderr)));
        }
        stdout.extend_from_slice(&out.stdout);
    }
    parse::log(&stdout).map_err(GitFailed)
}

/// How the first-parent line is cut for parallel `git log`s.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub per_range: usize,
    pub max: usize,
}

impl Default for Split {
    fn default() -> Split {
        Split {
            per_range: COMMITS_PER_RANGE,
            max: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        }
    }
}

/// Below this many commits one `git log` reads the whole line.
const COMMITS_PER_RANGE: usize = 4000;

/// The first-parent line from HEAD cut into consecutive ranges, newest
/// first, each as revisions for `git log` (`X ^Y`: X and its first
/// parents down to, not including, Y): one per core, at most 4, each of
/// at least [`COMMITS_PER_RANGE`] commits (by default; see [`Split`]). Tree diffs are most of the
/// time of the pass (35 µs a commit on the 10,000-SOP book), and a range
/// costs git no more than its commits, so cores idle while the book is
/// checked finish it sooner. `git rev-list` costs ~0.07 s at 20,000.
fn ranges(git: &Path, dir: &Path, split: Split) -> Result<Vec<Vec<String>>, GitFailed> {
    let whole = vec![vec!["HEAD".to_owned()]];
    if split.max < 2 {
        return Ok(whole);
    }
    let out = run(git, dir, &["rev-list", "--first-parent", "HEAD"])
        .map_err(|e| GitFailed(e.to_string()))?;
    if !out.status.success() {
        return Err(GitFailed(stderr_line(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let count = split.max.min(line.len() / split.per_range).max(1);
    if count == 1 {
        return Ok(whole);
    }
    let bounds: Vec<usize> = (0..=count).map(|i| i * line.len() / count).collect();
    Ok(bounds
        .windows(2)
        .map(|w| {
            let mut revs = vec![line[w[0]].to_owned()];
            if let Some(stop) = line.get(w[1]) {
                revs.push(format!("^{stop}"));
            }
            revs
        })
        .collect())
}

/// `git log` over the first-parent line (the revisions are added). `-m` with
/// `--first-parent` diffs a merge against its first parent (also on git
/// before 2.31, which lacks `--diff-merges`); `--relative` run in the
/// content dir keeps only its files, with paths relative to it. No
/// pathspec: at 20,000 commits one diff per commit is faster than git's
/// pathspec pruning followed by the diff (measured). `-O/dev/null` and
/// `--ignore-submodules=none` undo `diff.orderFile` and
/// `diff.ignoreSubmodules`, which would reorder or drop changes (the
/// in-process reader lists them all, in git's order).
const LOG_ARGS: [&str; 20] = [
    "log",
    "--first-parent",
    "-m",
    "--root",
    "--raw",
    "--no-abbrev",
    "-M",
    "-l1000",
    "-z",
    "--relative",
    "--no-color",
    "--no-show-signature",
    "--no-ext-diff",
    "--no-textconv",
    "-O/dev/null",
    "--ignore-submodules=none",
    "--use-mailmap",
    "--encoding=UTF-8",
    "--no-notes",
    "--format=%x1e%H%x00%at%x00%aN%x00%s",
];
