//! "Changes in this revision" (SPEC §8): an SOP's steps compared with its
//! previous revision — the newest commit where its `revision` was
//! different, or, for an SOP without `revision`, its previous commit.
//! Old versions are read with one `git cat-file --batch` for the whole
//! book, however many SOPs it has.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdout, Command, Stdio};

use super::{Commit, History};
use crate::diagnostics::FileId;

/// A current SOP, as the book read it: what [`compare`] starts from.
#[derive(Debug)]
pub(crate) struct Current<'a, K> {
    pub key: K,
    /// Its path in the content dir.
    pub rel: &'a str,
    /// Its text as the book read it.
    pub text: &'a str,
    pub revision: Option<String>,
    /// Where its steps are in the file.
    pub steps: Vec<std::ops::Range<usize>>,
}

/// What changed in an SOP's steps since its previous revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The commit of the version compared with.
    pub against: Commit,
    /// Its `revision`, as written then.
    pub against_revision: Option<String>,
    pub steps: Vec<StepChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepChange {
    /// A step of the new version (its number) that the old one lacks.
    Added { number: usize, text: String },
    /// A step of the old version (its number then) that is gone.
    Removed { number: usize, text: String },
    /// A step whose words changed: its number now, and the words, each
    /// kept, removed or inserted.
    Changed {
        number: usize,
        words: Vec<(Word, String)>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Kept,
    Removed,
    Inserted,
}

/// The files at `(commit, path)` (paths relative to the content dir),
/// read by one `git cat-file --batch`: the requests are written on a
/// thread of their own while the answers are read, so that neither pipe
/// fills up. `None` where git has no such file (or could not run).
fn fetch_all(git: &Path, dir: &Path, wanted: &[(String, String)]) -> Vec<Option<String>> {
    let none = || vec![None; wanted.len()];
    let Ok(mut child) = Command::new(git)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return none();
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return none();
    };
    let requests: String = wanted
        .iter()
        .map(|(commit, path)| {
            // A name with a newline cannot be asked for: ask for nothing.
            let path = if path.contains('\n') {
                "\u{0}"
            } else {
                path.as_str()
            };
            format!("{commit}:./{path}\n")
        })
        .collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(requests.as_bytes());
        // Dropping stdin ends git's input.
    });
    let mut stdout = BufReader::new(stdout);
    let mut out = Vec::with_capacity(wanted.len());
    for _ in wanted {
        out.push(read_answer(&mut stdout));
    }
    let _ = writer.join();
    let _ = child.kill();
    let _ = child.wait();
    out
}

/// [`fetch_all`] split over one `git cat-file` per core: git inflates
/// and resolves deltas on one core each.
fn fetch_parallel(git: &Path, dir: &Path, wanted: &[(String, String)]) -> Vec<Option<String>> {
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let per = wanted.len().div_ceil(cores).max(256);
    if wanted.len() <= per {
        return fetch_all(git, dir, wanted);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = wanted
            .chunks(per)
            .map(|chunk| (chunk.len(), scope.spawn(move || fetch_all(git, dir, chunk))))
            .collect();
        parts
            .into_iter()
            .flat_map(|(len, p)| p.join().unwrap_or_else(|_| vec![None; len]))
            .collect()
    })
}

/// One answer of `git cat-file --batch`: `<oid> blob <size>` and the
/// bytes, or `<spec> missing`.
fn read_answer(stdout: &mut BufReader<ChildStdout>) -> Option<String> {
    let mut header = String::new();
    stdout.read_line(&mut header).ok()?;
    let mut parts = header.split_whitespace();
    let (_, kind, size) = (parts.next()?, parts.next()?, parts.next());
    if kind != "blob" {
        return None;
    }
    let size: usize = size?.parse().ok()?;
    let mut bytes = vec![0; size + 1];
    stdout.read_exact(&mut bytes).ok()?;
    bytes.pop();
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A step as written, on one line: its list marker gone.
fn step_text(text: &str, span: &std::ops::Range<usize>) -> String {
    let raw = text.get(span.clone()).unwrap_or("").trim_start();
    let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let raw = raw[digits..].trim_start_matches(['.', ')']);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An old version's revision and steps.
fn steps(rel: &str, text: &str) -> (Option<String>, Vec<String>) {
    let (parsed, _) = crate::parse::parse(rel, FileId(0), text, false);
    let revision = match &parsed.meta {
        Some(crate::parse::front_matter::Meta::Sop(m)) => m.common.control.revision.clone(),
        _ => None,
    };
    let steps = parsed
        .body
        .steps
        .iter()
        .map(|s| step_text(text, &s.span))
        .collect();
    (revision, steps)
}

fn diff(old: &[String], new: &[String]) -> Vec<StepChange> {
    use similar::{Algorithm, DiffOp, capture_diff_slices};
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                removed(&mut out, old, old_index..old_index + old_len);
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                added(&mut out, new, new_index..new_index + new_len);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let paired = old_len.min(new_len);
                for k in 0..paired {
                    let (o, n) = (&old[old_index + k], &new[new_index + k]);
                    // Runs of one kind are one piece: `<ins>whole </ins>`.
                    let mut words: Vec<(Word, String)> = Vec::new();
                    for c in
                        similar::TextDiff::from_words(o.as_str(), n.as_str()).iter_all_changes()
                    {
                        let tag = match c.tag() {
                            similar::ChangeTag::Equal => Word::Kept,
                            similar::ChangeTag::Delete => Word::Removed,
                            similar::ChangeTag::Insert => Word::Inserted,
                        };
                        match words.last_mut() {
                            Some((t, text)) if *t == tag => text.push_str(c.value()),
                            _ => words.push((tag, c.value().to_owned())),
                        }
                    }
                    out.push(StepChange::Changed {
                        number: new_index + k + 1,
                        words,
                    });
                }
                removed(&mut out, old, old_index + paired..old_index + old_len);
                added(&mut out, new, new_index + paired..new_index + new_len);
            }
        }
    }
    out
}

fn removed(out: &mut Vec<StepChange>, old: &[String], range: std::ops::Range<usize>) {
    for (i, text) in old[range.clone()].iter().enumerate() {
        out.push(StepChange::Removed {
            number: range.start + i + 1,
            text: text.clone(),
        });
    }
}

fn added(out: &mut Vec<StepChange>, new: &[String], range: std::ops::Range<usize>) {
    for (i, text) in new[range.clone()].iter().enumerate() {
        out.push(StepChange::Added {
            number: range.start + i + 1,
            text: text.clone(),
        });
    }
}

/// The path the file now at `rel` had in `commit`. A commit's changes
/// are in git's order, by path: a file not renamed since is found by a
/// binary search (the first commit of a big book holds every file).
fn path_in<'a>(commit: &'a Commit, rel: &'a str) -> &'a str {
    if let Ok(i) = commit
        .changes
        .binary_search_by(|c| c.path.as_str().cmp(rel))
        && commit.changes[i].current.as_deref() == Some(rel)
    {
        return rel;
    }
    commit
        .changes
        .iter()
        .find(|c| c.current.as_deref() == Some(rel))
        .map_or(rel, |c| c.path.as_str())
}

/// Each current SOP's changes since its previous revision. Old versions
/// are read in rounds: every SOP's previous commit first, then, for the
/// SOPs whose `revision` was the same there, the commit before, and so on.
pub(crate) fn compare<K: Copy + Eq + std::hash::Hash + Send + Sync>(
    sops: Vec<Current<'_, K>>,
    history: &History,
    content_dir: &Path,
) -> HashMap<K, Revision> {
    use rayon::prelude::*;
    struct Candidate<'a, K> {
        id: K,
        rel: &'a str,
        commits: Vec<&'a Commit>,
        revision: Option<String>,
        steps: Vec<String>,
        /// The commit to look at next.
        next: usize,
    }
    let mut pending: Vec<Candidate<K>> = sops
        .into_par_iter()
        .filter_map(|sop| {
            let commits: Vec<&Commit> = history.of(sop.rel).collect();
            if commits.len() < 2 {
                return None;
            }
            // The steps now: the file as the book read it, cut where its
            // steps are.
            let steps = sop
                .steps
                .iter()
                .map(|span| step_text(sop.text, span))
                .collect();
            Some(Candidate {
                id: sop.key,
                rel: sop.rel,
                commits,
                revision: sop.revision,
                steps,
                next: 1,
            })
        })
        .collect();
    let git = super::git_program();
    let mut out = HashMap::new();
    while !pending.is_empty() {
        let wanted: Vec<(String, String)> = pending
            .iter()
            .map(|c| {
                let commit = c.commits[c.next];
                (commit.hash.clone(), path_in(commit, c.rel).to_owned())
            })
            .collect();
        let texts = fetch_parallel(&git, content_dir, &wanted);
        let read: Vec<Option<(Option<String>, Vec<String>)>> = pending
            .par_iter()
            .zip(texts.into_par_iter())
            .map(|(c, text)| text.map(|t| steps(c.rel, &t)))
            .collect();
        let mut next_round = Vec::new();
        for (mut c, old) in pending.into_iter().zip(read) {
            let Some((old_revision, old_steps)) = old else {
                continue;
            };
            // Without `revision`, the previous commit is the previous
            // version; with it, the newest commit of another revision.
            if c.revision.is_none() || old_revision != c.revision {
                out.insert(
                    c.id,
                    Revision {
                        // The commit without its list of changes (the
                        // first commit of a big book changes every file).
                        against: c.commits[c.next].clone_summary(),
                        against_revision: old_revision,
                        steps: diff(&old_steps, &c.steps),
                    },
                );
            } else if c.next + 1 < c.commits.len() {
                c.next += 1;
                next_round.push(c);
            }
        }
        pending = next_round;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{StepChange, Word, diff};

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn steps_added_removed_and_reworded() {
        let old = v(&["Open the sheet.", "Check the totals.", "Send it."]);
        let new = v(&[
            "Open the sheet.",
            "Check the totals twice.",
            "Ask for approval.",
            "Send it.",
        ]);
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let StepChange::Changed { number, words } = &changes[0] else {
            panic!("{changes:?}");
        };
        assert_eq!(*number, 2);
        assert_eq!(
            words,
            &[
                (Word::Kept, "Check the ".to_owned()),
                (Word::Removed, "totals.".to_owned()),
                (Word::Inserted, "totals twice.".to_owned())
            ]
        );
        assert_eq!(
            changes[1],
            StepChange::Added {
                number: 3,
                text: "Ask for approval.".into()
            }
        );
        let gone = diff(&new, &old);
        assert!(
            gone.contains(&StepChange::Removed {
                number: 3,
                text: "Ask for approval.".into()
            }),
            "{gone:?}"
        );
        assert!(diff(&old, &old).is_empty());
    }
}
