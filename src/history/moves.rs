//! The URLs a current file's page had in the history, for the redirects
//! from old URLs (docs/writing.md#moving-a-page): a file renamed or moved,
//! or whose `id` or `process` changed, had another URL before.
//!
//! A version's URL comes from its path and its front matter, so knowing
//! every one would mean reading every old version of every file: one blob
//! per change in the book's history. Instead each file's versions, newest
//! first, are cut where its path changed (renames are in the log, so those
//! versions are always read), and within a stretch the URL is read at both
//! ends: when they agree the stretch is taken to have had that URL
//! throughout; when they differ its middle is read, and so on down to the
//! two versions between which it changed. A file that never moved costs
//! one read (its oldest version), or none when its oldest version is the
//! file on disk (its blob id, computed, says so); all reads of a round go
//! to git at once. What this cannot see is a URL a page had for a while
//! and then gave back within a stretch (an `id` changed, then changed
//! back): an alias keeps that one.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use sha1::{Digest, Sha1};

use super::{Commit, History};

/// A file of the book now, whose page's old URLs are wanted.
#[derive(Debug)]
pub(crate) struct Current<'a, K> {
    pub key: K,
    /// Its path in the content dir.
    pub rel: &'a str,
    /// Its text as the book read it.
    pub text: &'a str,
    /// Its page's URL now.
    pub url: &'a str,
}

/// A URL a file's page had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Past<K> {
    pub key: K,
    pub url: String,
    /// The file's path in the content dir then.
    pub path: String,
    /// The newest commit in which its page had that URL.
    pub last: Commit,
    /// The commit after which it had another one; `None` for an edit not
    /// committed yet.
    pub by: Option<Commit>,
}

/// What earlier checks learnt, kept by `serve` from one check to the
/// next: the front matter of versions read, by blob id (a blob's text
/// never changes), and, for one history, each file's old URLs by its path
/// and its URL now (for one history they depend on nothing else), so an
/// edit costs neither a read nor a hash of the book's files.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    heads: HashMap<String, Option<Arc<str>>>,
    /// The history `found` is of: its newest commit and its length.
    of: Option<(String, usize)>,
    found: HashMap<(String, String), Vec<Past<()>>>,
}

/// One version of a file: index 0 is the file on disk, 1 the newest
/// commit's version, and so on back to its oldest.
struct Version<'h> {
    path: &'h str,
    /// Its blob id: git's for a committed version, computed for the file
    /// on disk.
    blob: Option<String>,
    commit: Option<&'h Commit>,
}

struct File<'h> {
    versions: Vec<Version<'h>>,
    /// Each version's URL once known: `Some(None)` when it had no page.
    urls: Vec<Option<Option<String>>>,
}

/// The URLs the pages of `current` had in `history` other than their
/// URLs now, each with the newest version that had it. `url_of(path,
/// front matter)` is a version's URL (the model's rule). Old versions are
/// read as "Changes in this revision" reads them
/// ([`super::revisions::read_blobs`]).
pub(crate) fn past_urls<K: Copy + Sync>(
    current: &[Current<'_, K>],
    history: &History,
    content_dir: &Path,
    url_of: &(dyn Fn(&str, &str) -> Option<String> + Sync),
    seen: &mut Seen,
) -> Vec<Past<K>> {
    use rayon::prelude::*;
    let of = history
        .commits
        .first()
        .map(|c| (c.hash.clone(), history.commits.len()));
    if seen.of != of {
        seen.found.clear();
        seen.of = of;
    }
    let todo: Vec<&Current<'_, K>> = current
        .iter()
        .filter(|c| {
            !seen
                .found
                .contains_key(&(c.rel.to_owned(), c.url.to_owned()))
        })
        .collect();
    // Each file's versions, newest first, from one pass over the log
    // (a commit's changes are many in an import: no search per file).
    let mut versions: HashMap<&str, Vec<Version<'_>>> = HashMap::new();
    if !todo.is_empty() {
        for commit in &history.commits {
            for change in &commit.changes {
                let Some(now) = change.current.as_deref() else {
                    continue;
                };
                let list = versions.entry(now).or_default();
                if list
                    .last()
                    .is_some_and(|v| v.commit.is_some_and(|c| std::ptr::eq(c, commit)))
                {
                    continue;
                }
                list.push(Version {
                    path: &change.path,
                    blob: change.blob.clone(),
                    commit: Some(commit),
                });
            }
        }
    }
    let mut asked: Vec<&Current<'_, K>> = Vec::new();
    let mut lists: Vec<Vec<Version<'_>>> = Vec::new();
    for c in todo {
        match versions.remove(c.rel) {
            Some(v) => {
                asked.push(c);
                lists.push(v);
            }
            // A file git does not know: no past.
            None => {
                seen.found
                    .insert((c.rel.to_owned(), c.url.to_owned()), Vec::new());
            }
        }
    }
    // The file on disk is version 0; its blob id tells whether the newest
    // commit's version is the same text (no read needed).
    let blobs: Vec<String> = asked.par_iter().map(|c| blob_id(c.text)).collect();
    let mut files: Vec<File<'_>> = Vec::with_capacity(asked.len());
    for ((c, mut list), blob) in asked.iter().zip(lists).zip(blobs) {
        seen.heads
            .entry(blob.clone())
            .or_insert_with(|| Some(front_matter(c.text).into()));
        list.insert(
            0,
            Version {
                path: c.rel,
                blob: Some(blob),
                commit: None,
            },
        );
        let mut urls = vec![None; list.len()];
        urls[0] = Some(Some(c.url.to_owned()));
        files.push(File {
            versions: list,
            urls,
        });
    }
    resolve(
        &mut files,
        seen,
        &mut |wanted| super::revisions::read_blobs(history, content_dir, wanted),
        url_of,
    );
    for (c, file) in asked.iter().zip(&files) {
        let past = found(c.url, file);
        seen.found
            .insert((c.rel.to_owned(), c.url.to_owned()), past);
    }
    current
        .iter()
        .flat_map(|c| {
            let past = seen
                .found
                .get(&(c.rel.to_owned(), c.url.to_owned()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            past.iter().map(|p| Past {
                key: c.key,
                url: p.url.clone(),
                path: p.path.clone(),
                last: p.last.clone(),
                by: p.by.clone(),
            })
        })
        .collect()
}

/// A file's URLs other than `now`, each from the newest version that
/// had it.
fn found(now: &str, file: &File<'_>) -> Vec<Past<()>> {
    let mut found: Vec<Past<()>> = Vec::new();
    for (i, url) in file.urls.iter().enumerate() {
        let Some(Some(url)) = url else { continue };
        if url == now || found.iter().any(|p| &p.url == url) {
            continue;
        }
        let v = &file.versions[i];
        let Some(last) = v.commit else { continue };
        // The version before it (newer) is known: stretches whose ends
        // differ were split down to neighbours.
        found.push(Past {
            key: (),
            url: url.clone(),
            path: v.path.to_owned(),
            last: last.clone_summary(),
            by: file.versions[i - 1].commit.map(Commit::clone_summary),
        });
    }
    found
}

/// Finds the URL of each file's versions as [`past_urls`] says: first
/// the oldest version, both sides of every rename and the newest commit's
/// version when it is known already (the file on disk, or seen in an
/// earlier check); then, round by round, the middle of every stretch
/// whose ends differ. `read` reads a round's blobs.
fn resolve(
    files: &mut [File<'_>],
    seen: &mut Seen,
    read: &mut dyn FnMut(&[&str]) -> Vec<Option<String>>,
    url_of: &(dyn Fn(&str, &str) -> Option<String> + Sync),
) {
    let mut probes: Vec<(usize, usize)> = Vec::new();
    for (f, file) in files.iter().enumerate() {
        let n = file.versions.len() - 1;
        if n == 0 {
            continue;
        }
        let mut at: BTreeSet<usize> = BTreeSet::from([n]);
        if file.versions[1]
            .blob
            .as_ref()
            .is_some_and(|b| seen.heads.contains_key(b))
        {
            at.insert(1);
        }
        for i in 1..n {
            if file.versions[i].path != file.versions[i + 1].path {
                at.extend([i, i + 1]);
            }
        }
        probes.extend(at.into_iter().map(|i| (f, i)));
    }
    while !probes.is_empty() {
        let mut wanted: Vec<&str> = probes
            .iter()
            .filter_map(|&(f, i)| files[f].versions[i].blob.as_deref())
            .filter(|b| !seen.heads.contains_key(*b))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if !wanted.is_empty() {
            let texts = read(&wanted);
            for (blob, text) in wanted.iter().zip(texts) {
                let head = text.map(|t| Arc::from(front_matter(&t)));
                seen.heads.insert((*blob).to_owned(), head);
            }
        }
        for &(f, i) in &probes {
            let v = &files[f].versions[i];
            let now = &files[f].versions[0];
            // The file on disk, committed as it is: its URL is known.
            if v.blob.is_some() && v.blob == now.blob && v.path == now.path {
                files[f].urls[i] = files[f].urls[0].clone();
                continue;
            }
            let head = v
                .blob
                .as_ref()
                .and_then(|b| seen.heads.get(b))
                .cloned()
                .flatten();
            files[f].urls[i] = Some(head.and_then(|h| url_of(v.path, &h)));
        }
        probes = files
            .iter()
            .enumerate()
            .flat_map(|(f, file)| middles(&file.urls).into_iter().map(move |i| (f, i)))
            .collect();
    }
}

/// The versions to read next: the middle of every stretch between two
/// known versions whose URLs differ.
fn middles(urls: &[Option<Option<String>>]) -> Vec<usize> {
    let known: Vec<usize> = (0..urls.len()).filter(|&i| urls[i].is_some()).collect();
    known
        .windows(2)
        .filter(|w| w[1] - w[0] > 1 && urls[w[0]] != urls[w[1]])
        .map(|w| w[0] + (w[1] - w[0]) / 2)
        .collect()
}

/// The front matter of a text, fences included (all a URL needs); the
/// whole text when its front matter is never closed.
fn front_matter(text: &str) -> &str {
    match crate::parse::front_matter::split(text, crate::diagnostics::FileId(0)) {
        Ok(split) => &text[split.whole],
        Err(_) => text,
    }
}

/// git's blob id of `text`.
fn blob_id(text: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(format!("blob {}\0", text.len()));
    hash.update(text);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id("hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(blob_id(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    fn commit(n: u8) -> Commit {
        Commit {
            hash: format!("{n}{n}{n}{n}{n}{n}{n}"),
            short: format!("{n}{n}{n}{n}{n}{n}{n}"),
            time: i64::from(n),
            date: jiff::civil::date(2025, 1, i8::try_from(n).unwrap_or(1)),
            author: "A".into(),
            subject: format!("commit {n}"),
            changes: Vec::new(),
        }
    }

    /// A version's front matter here holds its id alone; without front
    /// matter, the file's stem is.
    fn url_of(path: &str, head: &str) -> Option<String> {
        let stem = path.rsplit('/').next()?.trim_end_matches(".md");
        Some(format!("{}.html", head.lines().nth(1).unwrap_or(stem)))
    }

    /// A file's text with `id` (if any) as its front matter.
    fn text(id: &str) -> String {
        if id.is_empty() {
            "Body.\n".to_owned()
        } else {
            format!("+++\n{id}\n+++\nBody.\n")
        }
    }

    #[test]
    fn a_file_renamed_then_given_an_id_has_two_old_urls_found_with_few_reads() {
        // Newest first: 12 commits. c12..c9 have `id = "respond"` (set in
        // c9); c8 renamed answer.md to reply.md; before that, answer.md.
        let commits: Vec<Commit> = (1..=12).rev().map(commit).collect();
        let head = |n: u8| if n >= 9 { "respond" } else { "" };
        let path = |n: u8| if n >= 8 { "s/reply.md" } else { "s/answer.md" };
        let mut versions = vec![Version {
            path: "s/reply.md",
            blob: Some("disk".into()),
            commit: None,
        }];
        for c in &commits {
            let n = u8::try_from(c.time).expect("small");
            versions.push(Version {
                path: path(n),
                blob: Some(format!("b{n}")),
                commit: Some(c),
            });
        }
        let urls = {
            let mut u = vec![None; versions.len()];
            u[0] = Some(Some("respond.html".to_owned()));
            u
        };
        let mut files = vec![File { versions, urls }];
        let mut seen = Seen::default();
        seen.heads
            .insert("disk".into(), Some(front_matter(&text("respond")).into()));
        let mut reads: Vec<String> = Vec::new();
        let mut read = |wanted: &[&str]| -> Vec<Option<String>> {
            reads.extend(wanted.iter().map(|w| (*w).to_owned()));
            wanted
                .iter()
                .map(|w| w[1..].parse::<u8>().ok().map(|n| text(head(n))))
                .collect()
        };
        resolve(&mut files, &mut seen, &mut read, &url_of);
        let past = found("respond.html", &files[0]);
        let summary: Vec<(&str, &str, &str, Option<&str>)> = past
            .iter()
            .map(|p| {
                (
                    p.url.as_str(),
                    p.path.as_str(),
                    p.last.subject.as_str(),
                    p.by.as_ref().map(|c| c.subject.as_str()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("reply.html", "s/reply.md", "commit 8", Some("commit 9")),
                ("answer.html", "s/answer.md", "commit 7", Some("commit 8")),
            ]
        );
        // Not all 12 versions: the oldest, the two sides of the rename,
        // and the stretch from HEAD to the rename split in halves.
        assert!(reads.len() <= 7, "{reads:?}");
        assert!(!reads.contains(&"b3".to_owned()), "{reads:?}");
    }

    #[test]
    fn a_file_that_never_moved_costs_one_read_or_none() {
        let commits: Vec<Commit> = (1..=5).rev().map(commit).collect();
        let versions = |disk: &str| {
            let mut v = vec![Version {
                path: "a.md",
                blob: Some(disk.to_owned()),
                commit: None,
            }];
            v.extend(commits.iter().map(|c| Version {
                path: "a.md",
                blob: Some(format!("b{}", c.time)),
                commit: Some(c),
            }));
            v
        };
        let urls = || {
            let mut u = vec![None; 6];
            u[0] = Some(Some("a.html".to_owned()));
            u
        };
        let reads = std::cell::Cell::new(0);
        let mut read = |wanted: &[&str]| {
            reads.set(reads.get() + wanted.len());
            vec![Some(String::new()); wanted.len()]
        };
        let mut files = vec![File {
            versions: versions("b5"),
            urls: urls(),
        }];
        let mut seen = Seen::default();
        seen.heads.insert("b5".into(), Some("".into()));
        resolve(&mut files, &mut seen, &mut read, &url_of);
        assert!(found("a.html", &files[0]).is_empty());
        assert_eq!(reads.get(), 1);
        // Seen before (serve's next check): nothing is read again.
        let mut files = vec![File {
            versions: versions("b5"),
            urls: urls(),
        }];
        resolve(&mut files, &mut seen, &mut read, &url_of);
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn only_stretches_whose_ends_differ_are_split() {
        let u = |s: &str| Some(Some(s.to_owned()));
        assert_eq!(
            middles(&[u("a"), None, None, None, u("a")]),
            Vec::<usize>::new()
        );
        assert_eq!(middles(&[u("a"), None, None, None, u("b")]), [2]);
        assert_eq!(
            middles(&[u("a"), u("b"), None, u("b"), None, None, Some(None)]),
            [4]
        );
        assert_eq!(middles(&[u("a"), u("b")]), Vec::<usize>::new());
    }
}
