//! "Changes in this revision" (SPEC §8): an SOP's steps compared with its
//! previous revision — the newest commit where its `revision` was
//! different, or, for an SOP without `revision`, its previous commit.
//! Old versions are read by their blob ids (from the log): from the object
//! database the history was read from, on every core, when it was read in
//! this process; else, and for any blob that cannot be read so, with one
//! `git cat-file --batch` per core for the whole book, however many SOPs
//! it has.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
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
    pub steps: Vec<Range<usize>>,
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

/// The blobs `wanted` (full hex ids), read by one `git cat-file
/// --batch`: the requests are written on a thread of their own while the
/// answers are read, so that neither pipe fills up. `None` where git has
/// no such blob (or could not run).
fn fetch_all(git: &Path, dir: &Path, wanted: &[&str]) -> Vec<Option<String>> {
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
    let requests: String = wanted.iter().map(|id| format!("{id}\n")).collect();
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
fn fetch_parallel(git: &Path, dir: &Path, wanted: &[&str]) -> Vec<Option<String>> {
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

/// The blobs `wanted` (full hex ids; `None` where there is no such blob):
/// from the object database `history` was read from when it was read in
/// this process, else with `git cat-file` run in `dir`.
pub(super) fn read_blobs(history: &History, dir: &Path, wanted: &[&str]) -> Vec<Option<String>> {
    let git = super::git_program();
    match &history.objects {
        Some(objects) => read_parallel(objects, &git, dir, wanted),
        None => fetch_parallel(&git, dir, wanted),
    }
}

/// The blobs `wanted`, read from `objects` on every core (each thread
/// reading a run of them with its own caches); those it cannot read
/// (missing: a partial clone fetches them on demand) by `git cat-file`.
fn read_parallel(
    objects: &super::odb::Objects,
    git: &Path,
    dir: &Path,
    wanted: &[&str],
) -> Vec<Option<String>> {
    use super::odb::{Kind, ObjectId};
    use rayon::prelude::*;
    let threads = rayon::current_num_threads().max(1);
    let per = wanted.len().div_ceil(threads * 4).max(64);
    // `None` inside: git has no such blob; `None` outside: not read here.
    let read: Vec<Vec<Option<Option<String>>>> = wanted
        .par_chunks(per)
        .map(|run| {
            let reader = objects.reader();
            let mut buf = Vec::new();
            run.iter()
                .map(|id| {
                    let Ok(id) = ObjectId::from_hex(id.as_bytes()) else {
                        return Some(None);
                    };
                    reader
                        .read(&id, Kind::Blob, &mut buf)
                        .ok()
                        .map(|()| Some(String::from_utf8_lossy(&buf).into_owned()))
                })
                .collect()
        })
        .collect();
    let mut texts: Vec<Option<Option<String>>> = read.into_iter().flatten().collect();
    let unread: Vec<usize> = (0..texts.len()).filter(|&i| texts[i].is_none()).collect();
    if !unread.is_empty() {
        let ids: Vec<&str> = unread.iter().map(|&i| wanted[i]).collect();
        for (i, text) in unread.into_iter().zip(fetch_parallel(git, dir, &ids)) {
            texts[i] = Some(text);
        }
    }
    texts.into_iter().map(Option::flatten).collect()
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
fn step_text(text: &str, span: &Range<usize>) -> String {
    let raw = text.get(span.clone()).unwrap_or("").trim_start();
    let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let raw = raw[digits..].trim_start_matches(['.', ')']);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An old version's revision and steps.
fn steps(rel: &str, text: &str) -> (Option<String>, Vec<String>) {
    let (parsed, _) = crate::parse::parse(rel, FileId(0), text, Default::default());
    let revision = match parsed.meta.as_deref() {
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

/// An old version's revision when its steps are those of the current
/// text, found without parsing its body (most edits of a big book touch
/// its front matter or the notes after the steps); `None` when that
/// cannot be shown, and the old version is parsed.
///
/// Either the bodies are the same bytes (only the front matter changed:
/// it is read for `revision`), or the front matter is the same and
/// everything that changed lies after the last step, where it cannot
/// change the steps:
///
/// - the changed lines, old and new, are plain paragraph text (no list
///   marker, fence, heading, quote, HTML, admonition or table line), so
///   they open or close nothing that reaches back into the steps;
/// - between the last step and them, a line at column 0 after a blank
///   line (a heading, a paragraph, another kind of list: anything but an
///   ordered list item) ends the list in both versions;
/// - from the changed lines on, the old version has no line that could
///   start an ordered list item (at any indentation, in a quote, in a
///   code block), so it had no step there either.
///
/// Before the changed lines the two texts are the same bytes, parsed
/// alike (Markdown's block structure depends on what comes before a line,
/// not after it, except setext headings and table rows, which hold no
/// steps): the old steps are the current ones.
fn unchanged_steps(
    current: &str,
    spans: &[Range<usize>],
    revision: &Option<String>,
    old: &str,
) -> Option<Option<String>> {
    use crate::parse::front_matter::{self, Meta};
    let new_split = front_matter::split(current, FileId(0)).ok()?;
    let new_body = &current[new_split.body.clone()];
    let old_split = front_matter::split(old, FileId(0)).ok()?;
    if &old[old_split.body.clone()] == new_body {
        // Only the front matter changed: the old one says the revision,
        // and whether the file was an SOP (whose lists are steps) then.
        let entries = front_matter::parse(old, &old_split, FileId(0)).ok()?;
        return match front_matter::read(&entries, &old_split, FileId(0)).0 {
            Some(Meta::Sop(m)) => Some(m.common.control.revision),
            _ => None,
        };
    }
    let (a, b) = (old.as_bytes(), current.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix < new_split.body.start {
        return None; // the front matter changed too
    }
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    // The whole lines the change touches, in each version (found by
    // bytes: a newline is always a character boundary).
    let from = b[..prefix]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = |t: &[u8], at: usize| {
        t[at..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(t.len(), |i| at + i)
    };
    let old_changed = &old[from..line_end(a, a.len() - suffix)];
    let new_changed = &current[from..line_end(b, b.len() - suffix)];
    if !old_changed.lines().chain(new_changed.lines()).all(plain) {
        return None;
    }
    if old[from..].lines().any(ordered_marker) {
        return None;
    }
    if let Some(last) = spans.iter().map(|s| s.end).max() {
        let between = current.get(last..from)?;
        let mut after_blank = false;
        let closed = between.lines().skip(1).any(|line| {
            let closes = after_blank
                && !line.starts_with([' ', '\t'])
                && !line.trim().is_empty()
                && !ordered_marker(line);
            after_blank = line.trim().is_empty();
            closes
        });
        if !closed {
            return None;
        }
    }
    // The front matter is the same bytes: so is `revision`.
    Some(revision.clone())
}

/// A line of paragraph text: blank, or starting (after its indentation)
/// with a letter, a digit that is no list marker, or an opening quote
/// or parenthesis.
fn plain(line: &str) -> bool {
    let t = line.trim_start();
    match t.chars().next() {
        None => true,
        Some(c) if c.is_ascii_digit() => !ordered_marker(line),
        Some(c) => c.is_alphabetic() || matches!(c, '"' | '\'' | '(' | '“' | '‘'),
    }
}

/// A line that could start an ordered list item: digits then `.` or `)`
/// and a space or the end, after any indentation and quote markers.
fn ordered_marker(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t', '>']);
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 9 {
        return false;
    }
    let rest = &t[digits..];
    rest.starts_with(['.', ')'])
        && rest[1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t' || c == '\r')
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

fn removed(out: &mut Vec<StepChange>, old: &[String], range: Range<usize>) {
    for (i, text) in old[range.clone()].iter().enumerate() {
        out.push(StepChange::Removed {
            number: range.start + i + 1,
            text: text.clone(),
        });
    }
}

fn added(out: &mut Vec<StepChange>, new: &[String], range: Range<usize>) {
    for (i, text) in new[range.clone()].iter().enumerate() {
        out.push(StepChange::Added {
            number: range.start + i + 1,
            text: text.clone(),
        });
    }
}

/// The blob that `commit` left for the file now at `rel`. A commit's
/// changes are in git's order, by path: a file not renamed since is found
/// by a binary search (the first commit of a big book holds every file).
fn blob_in<'a>(commit: &'a Commit, rel: &str) -> Option<&'a str> {
    let change = match commit
        .changes
        .binary_search_by(|c| c.path.as_str().cmp(rel))
    {
        Ok(i) if commit.changes[i].current.as_deref() == Some(rel) => &commit.changes[i],
        _ => commit
            .changes
            .iter()
            .find(|c| c.current.as_deref() == Some(rel))?,
    };
    change.blob.as_deref()
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
        /// Its text now, and where its steps are in it.
        text: &'a str,
        spans: Vec<Range<usize>>,
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
            Some(Candidate {
                id: sop.key,
                rel: sop.rel,
                commits,
                revision: sop.revision,
                text: sop.text,
                spans: sop.steps,
                next: 1,
            })
        })
        .collect();
    let mut out = HashMap::new();
    while !pending.is_empty() {
        // A commit always leaves a blob for a file it did not delete; a
        // missing one is read as "no such version" (git answers `missing`).
        let wanted: Vec<&str> = pending
            .iter()
            .map(|c| blob_in(c.commits[c.next], c.rel).unwrap_or("0"))
            .collect();
        let texts = read_blobs(history, content_dir, &wanted);
        // Each old version's revision and its step changes (none when the
        // shortcut shows its steps are today's).
        let read: Vec<Option<(Option<String>, Vec<StepChange>)>> = pending
            .par_iter()
            .zip(texts.into_par_iter())
            .map(|(c, text)| {
                let text = text?;
                if let Some(revision) = unchanged_steps(c.text, &c.spans, &c.revision, &text) {
                    return Some((revision, Vec::new()));
                }
                let (revision, old) = steps(c.rel, &text);
                if c.revision.is_some() && revision == c.revision {
                    return Some((revision, Vec::new())); // looked at no further
                }
                // The steps now: the file as the book read it, cut where
                // its steps are.
                let now: Vec<String> = c.spans.iter().map(|s| step_text(c.text, s)).collect();
                Some((revision, diff(&old, &now)))
            })
            .collect();
        let mut next_round = Vec::new();
        for (mut c, old) in pending.into_iter().zip(read) {
            let Some((old_revision, changes)) = old else {
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
                        steps: changes,
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
    use super::{StepChange, Word, diff, step_text, steps, unchanged_steps};
    use crate::diagnostics::FileId;
    use crate::parse::front_matter::Meta;

    /// The current text's step spans and revision, as the book reads them.
    fn current(text: &str) -> (Vec<std::ops::Range<usize>>, Option<String>) {
        let (parsed, _) = crate::parse::parse("p/x.md", FileId(0), text, Default::default());
        let Some(Meta::Sop(m)) = parsed.meta.as_deref() else {
            panic!("not an SOP: {text}");
        };
        let spans = parsed.body.steps.iter().map(|s| s.span.clone()).collect();
        (spans, m.common.control.revision.clone())
    }

    /// What the shortcut says about `old` against `new`, checked against
    /// parsing `old` whenever it answers.
    fn shortcut(new: &str, old: &str) -> Option<Option<String>> {
        let (spans, revision) = current(new);
        let answer = unchanged_steps(new, &spans, &revision, old);
        if let Some(r) = &answer {
            let now: Vec<String> = spans.iter().map(|s| step_text(new, s)).collect();
            assert_eq!(steps("p/x.md", old), (r.clone(), now), "{old}");
        }
        answer
    }

    const SOP: &str = "+++\nprocess = \"p\"\ntitle = \"T\"\nrevision = \"2\"\n+++\nIntro.\n\n1. Open the sheet.\n2. Send it.\n\nNotes after the steps.\n\nMore notes.\n";

    #[test]
    fn old_versions_that_differ_only_outside_the_steps_are_not_parsed() {
        // The front matter alone: its revision then is read.
        let old = SOP.replace("revision = \"2\"", "revision = \"1\"\nowner = \"Ann\"");
        assert_eq!(shortcut(SOP, &old), Some(Some("1".into())));
        // Notes after the steps, with a plain line closing the list.
        let old = SOP.replace("More notes.", "Other notes,\nover two lines.");
        assert_eq!(shortcut(SOP, &old), Some(Some("2".into())));
        // The intro changed: it is before the steps.
        assert_eq!(
            shortcut(SOP, &SOP.replace("Intro.", "Intro, longer.")),
            None
        );
        // A step changed.
        assert_eq!(shortcut(SOP, &SOP.replace("Send it.", "Post it.")), None);
    }

    #[test]
    fn changes_that_could_reach_the_steps_are_parsed() {
        // The first line after the steps changed: nothing closes the list
        // before it (in the old version it continues the last step).
        let old = SOP.replace("\nNotes after the steps.", "\n   Notes after the steps.");
        assert_eq!(shortcut(SOP, &old), None);
        // The old version had another step where the notes are.
        assert_eq!(
            shortcut(SOP, &SOP.replace("More notes.", "3. Archive it.")),
            None
        );
        // Lines that open structure: a fence, a rule, a quote, HTML.
        for line in ["```", "---", "> More", "<div>", "!!! note"] {
            assert_eq!(
                shortcut(SOP, &SOP.replace("More notes.", line)),
                None,
                "{line}"
            );
        }
        // A list marker after the change, in the old version's suffix.
        let new = format!("{SOP}\nEnd.\n\n```\n1. not a step\n```\n");
        let old = new.replace("More notes.", "More notes, changed.");
        assert_eq!(shortcut(&new, &old), None);
        // Bytes of one character differ: lines are still whole.
        let new = SOP.replace("More notes.", "Café notes.");
        assert_eq!(
            shortcut(&new, &new.replace("Café", "Cafè")),
            Some(Some("2".into()))
        );
    }

    /// Every example SOP, edited at random lines (biased to the end, where
    /// the shortcut applies) with lines that open, close or continue
    /// blocks: wherever the shortcut answers, parsing agrees with it, both
    /// ways round.
    #[test]
    fn the_shortcut_agrees_with_parsing_on_edited_example_sops() {
        let palette = [
            "",
            "   ",
            "Text here.",
            "1. new step",
            "2) other",
            "- bullet",
            "   indented",
            "    code",
            "```",
            "~~~",
            "---",
            "===",
            "| a | b |",
            "|---|---|",
            "> quote",
            "> 1. q",
            "# Heading",
            "!!! note",
            "    1. inner",
            "<div>",
            "</div>",
            "<!--",
            "-->",
            "[^1]: foot",
            "[x]: http://e",
            "Text 3. more",
            "* star",
            "10. ten",
            "\t1. tab",
            "  Two spaces",
            "*emph*",
            "(paren)",
            "\"quoted\"",
            ":::",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap_or(0)
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut tried, mut answered) = (0, 0);
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let path = entry.expect("walk").into_path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let (parsed, _) = crate::parse::parse("p/x.md", FileId(0), &text, Default::default());
            if !matches!(parsed.meta.as_deref(), Some(Meta::Sop(_))) {
                continue;
            }
            let lines: Vec<&str> = text.split('\n').collect();
            for _ in 0..40 {
                let mut edited: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
                for _ in 0..1 + rnd(3) {
                    let n = edited.len();
                    let at = if rnd(2) == 0 {
                        n - 1 - rnd(n.min(8))
                    } else {
                        rnd(n)
                    };
                    match rnd(3) {
                        0 => edited.insert(at, palette[rnd(palette.len())].to_owned()),
                        1 if n > 8 => drop(edited.remove(at)),
                        _ => edited[at] = palette[rnd(palette.len())].to_owned(),
                    }
                }
                let edited = edited.join("\n");
                tried += 2;
                answered += usize::from(shortcut(&text, &edited).is_some());
                let (p, _) = crate::parse::parse("p/x.md", FileId(0), &edited, Default::default());
                if matches!(p.meta.as_deref(), Some(Meta::Sop(_))) {
                    answered += usize::from(shortcut(&edited, &text).is_some());
                }
            }
        }
        // Not vacuous: the shortcut answered often enough to be tested.
        assert!(tried > 400 && answered > 20, "{answered} of {tried}");
    }

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
