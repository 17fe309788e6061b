//! "Changes in this revision" (SPEC §8): an SOP's steps compared with its
//! previous revision — the newest commit where its `revision` was
//! different, or, for an SOP without `revision`, its previous commit.
//! Old versions are read with one `git cat-file --batch` for the whole
//! book, however many SOPs it has.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use super::{Commit, History};
use crate::diagnostics::FileId;
use crate::model::{DocId, Handbook};

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

/// One `git cat-file --batch` that answers `<commit>:<path>` questions.
struct Blobs {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Blobs {
    fn start(git: &Path, dir: &Path) -> Option<Blobs> {
        let mut child = Command::new(git)
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
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(Blobs {
            child,
            stdin,
            stdout,
        })
    }

    /// The file at `path` (relative to the content dir) in `commit`.
    fn read(&mut self, commit: &str, path: &str) -> Option<String> {
        if path.contains('\n') {
            return None;
        }
        writeln!(self.stdin, "{commit}:./{path}").ok()?;
        self.stdin.flush().ok()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).ok()?;
        let mut parts = header.split_whitespace();
        let (_, kind, size) = (parts.next()?, parts.next()?, parts.next());
        if kind != "blob" {
            // "<spec> missing": nothing follows.
            return None;
        }
        let size: usize = size?.parse().ok()?;
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes).ok()?;
        bytes.pop();
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An SOP's steps as written, one line each: the list marker gone, the
/// words as they read.
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
        .map(|s| {
            let raw = text.get(s.span.clone()).unwrap_or("");
            let raw = raw.trim_start();
            let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let raw = raw[digits..].trim_start_matches(['.', ')']);
            raw.split_whitespace().collect::<Vec<_>>().join(" ")
        })
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

/// The path the file now at `rel` had in `commit`.
fn path_in<'a>(commit: &'a Commit, rel: &'a str) -> &'a str {
    commit
        .changes
        .iter()
        .find(|c| c.current.as_deref() == Some(rel))
        .map_or(rel, |c| c.path.as_str())
}

/// Each current SOP's changes since its previous revision.
pub(crate) fn compare(
    hb: &Handbook,
    history: &History,
    content_dir: &Path,
) -> HashMap<DocId, Revision> {
    let mut out = HashMap::new();
    let mut blobs: Option<Blobs> = None;
    for (id, doc, _) in hb.placed_sops() {
        let commits: Vec<&Commit> = history.of(&doc.rel).collect();
        if commits.len() < 2 {
            continue;
        }
        let Ok(now) = std::fs::read_to_string(content_dir.join(&doc.rel)) else {
            continue;
        };
        let (revision, new_steps) = steps(&doc.rel, &now);
        let blobs = match &mut blobs {
            Some(b) => b,
            None => match Blobs::start(&super::git_program(), content_dir) {
                Some(b) => blobs.insert(b),
                None => return out,
            },
        };
        let mut found = None;
        for commit in &commits[1..] {
            let Some(old) = blobs.read(&commit.hash, path_in(commit, &doc.rel)) else {
                break;
            };
            let (old_revision, old_steps) = steps(&doc.rel, &old);
            // Without `revision`, the previous commit is the previous
            // version; with it, the newest commit of another revision.
            if revision.is_none() || old_revision != revision {
                found = Some(((*commit).clone(), old_revision, old_steps));
                break;
            }
        }
        if let Some((against, against_revision, old_steps)) = found {
            out.insert(
                id,
                Revision {
                    against,
                    against_revision,
                    steps: diff(&old_steps, &new_steps),
                },
            );
        }
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
