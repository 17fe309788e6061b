//! Rename detection over one commit's changes, as `git log -M -l1000`
//! does it (git 2.33 and later): a deleted file and an added one are one
//! file renamed when their contents are the same, or similar enough.
//!
//! 1. Exact: each added file, in path order, takes the first deleted file
//!    (in path order) with the same object id, preferring one with the
//!    same base name; symlinks and submodules only pair with the same
//!    mode. At most 100 candidates are looked at per added file.
//! 2. Same base name: an added and a deleted file whose base names are
//!    each unique among those left are paired when at least 75% similar.
//! 3. Inexact, unless more than 1000 × 1000 pairs are left: every pair of
//!    regular files scored, each added file keeps its 4 best candidates,
//!    all candidates sorted by score (then same base name first, then in
//!    the order they were found), and taken greedily from the best down
//!    to 50%, each file at most once.
//!
//! Similarity ([`similarity`]) is git's measure: the files are cut into
//! chunks (a line, or 64 bytes when a line is longer; a CR before a LF is
//! dropped in text), and the score is the bytes of chunks the two have in
//! common over the size of the larger file. git counts chunks by a hash
//! reduced modulo 107,927, so two different chunks may count as common
//! there; here chunks are compared by a 64-bit hash of their bytes. Text
//! and binary are told apart by a NUL in the first 8,000 bytes (git also
//! follows `.gitattributes`, which this ignores). docs/document-control.md
//! lists where the result can differ from git's.

use std::collections::HashMap;

use super::odb::{Kind, ObjectId, Unreadable};
use super::tree_diff::{FileChange, Side, Source};

/// What `-M` scores out of.
const MAX_SCORE: u64 = 60_000;
/// `-M`'s default threshold: 50%.
const MIN_SCORE: u64 = 30_000;
/// The threshold for files of the same base name: 75%.
const MIN_BASENAME_SCORE: u64 = MIN_SCORE + (MAX_SCORE - MIN_SCORE) / 2;
/// `-l1000`.
const RENAME_LIMIT: u64 = 1000;
const CANDIDATES: usize = 4;
const EXACT_CANDIDATES: usize = 100;

/// A change after rename detection: a rename's `from` is the deleted
/// path it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detected {
    pub change: FileChange,
    pub from: Option<Vec<u8>>,
}

fn is_regular(side: &Side) -> bool {
    side.mode & 0o170000 == 0o100000
}

fn basename(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// The changes with renames found, in the order given (a rename where
/// its added file was; the deleted file it came from dropped).
pub(crate) fn detect<S: Source>(
    changes: Vec<FileChange>,
    source: &S,
) -> Result<Vec<Detected>, Unreadable> {
    let dsts: Vec<usize> = (0..changes.len())
        .filter(|&i| changes[i].old.is_none() && changes[i].new.is_some())
        .collect();
    let srcs: Vec<usize> = (0..changes.len())
        .filter(|&i| changes[i].old.is_some() && changes[i].new.is_none())
        .collect();
    if dsts.is_empty() || srcs.is_empty() {
        // Most commits: nothing to pair.
        return Ok(changes
            .into_iter()
            .map(|change| Detected { change, from: None })
            .collect());
    }
    // For each added file (index into `dsts`), the deleted file it came from.
    let mut paired: Vec<Option<usize>> = vec![None; dsts.len()];
    let mut used = vec![false; srcs.len()];
    let mut scorer = Scorer {
        source,
        counts: HashMap::new(),
    };
    exact(&changes, &dsts, &srcs, &mut paired, &mut used);
    same_basename(&changes, &dsts, &srcs, &mut paired, &mut used, &mut scorer)?;
    inexact(&changes, &dsts, &srcs, &mut paired, &mut used, &mut scorer)?;
    // By change: the deleted file a rename came from; the deleted files
    // that became renames.
    let mut from: Vec<Option<(Vec<u8>, Option<Side>)>> = vec![None; changes.len()];
    for (d, s) in paired.iter().enumerate() {
        if let Some(s) = s {
            let source = &changes[srcs[*s]];
            from[dsts[d]] = Some((source.path.clone(), source.old));
        }
    }
    let mut dropped = vec![false; changes.len()];
    for (s, &u) in used.iter().enumerate() {
        dropped[srcs[s]] = u;
    }
    Ok(changes
        .into_iter()
        .zip(from)
        .zip(dropped)
        .filter(|(_, dropped)| !dropped)
        .map(|((mut change, from), _)| match from {
            Some((path, old)) => {
                change.old = old;
                Detected {
                    change,
                    from: Some(path),
                }
            }
            None => Detected { change, from: None },
        })
        .collect())
}

fn old(changes: &[FileChange], i: usize) -> Side {
    changes[i].old.unwrap_or(Side {
        mode: 0,
        id: ObjectId::null(gix_hash::Kind::Sha1),
    })
}

fn new(changes: &[FileChange], i: usize) -> Side {
    changes[i].new.unwrap_or(Side {
        mode: 0,
        id: ObjectId::null(gix_hash::Kind::Sha1),
    })
}

/// git's `basename_same`: the last path components are equal.
fn same_name(a: &[u8], b: &[u8]) -> bool {
    basename(a) == basename(b)
}

fn exact(
    changes: &[FileChange],
    dsts: &[usize],
    srcs: &[usize],
    paired: &mut [Option<usize>],
    used: &mut [bool],
) {
    let mut by_id: HashMap<ObjectId, Vec<usize>> = HashMap::new();
    for (s, &i) in srcs.iter().enumerate() {
        by_id.entry(old(changes, i).id).or_default().push(s);
    }
    for (d, &i) in dsts.iter().enumerate() {
        let target = new(changes, i);
        let Some(candidates) = by_id.get(&target.id) else {
            continue;
        };
        let mut best: Option<(usize, u8)> = None;
        let mut looked = 0;
        for &s in candidates {
            let source = old(changes, srcs[s]);
            if (!is_regular(&source) || !is_regular(&target)) && source.mode != target.mode {
                continue;
            }
            if used[s] {
                continue;
            }
            let score = 1 + u8::from(same_name(&changes[srcs[s]].path, &changes[i].path));
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((s, score));
                if score == 2 {
                    break;
                }
            }
            looked += 1;
            if looked == EXACT_CANDIDATES {
                break;
            }
        }
        if let Some((s, _)) = best {
            paired[d] = Some(s);
            used[s] = true;
        }
    }
}

fn same_basename<S: Source>(
    changes: &[FileChange],
    dsts: &[usize],
    srcs: &[usize],
    paired: &mut [Option<usize>],
    used: &mut [bool],
    scorer: &mut Scorer<'_, S>,
) -> Result<(), Unreadable> {
    // A base name → the one file left that has it (None: several).
    let mut sources: HashMap<&[u8], Option<usize>> = HashMap::new();
    for (s, &i) in srcs.iter().enumerate().filter(|(s, _)| !used[*s]) {
        sources
            .entry(basename(&changes[i].path))
            .and_modify(|v| *v = None)
            .or_insert(Some(s));
    }
    let mut dests: HashMap<&[u8], Option<usize>> = HashMap::new();
    for (d, &i) in dsts
        .iter()
        .enumerate()
        .filter(|(d, _)| paired[*d].is_none())
    {
        dests
            .entry(basename(&changes[i].path))
            .and_modify(|v| *v = None)
            .or_insert(Some(d));
    }
    for (s, &i) in srcs.iter().enumerate() {
        if used[s] {
            continue;
        }
        let base = basename(&changes[i].path);
        let (Some(Some(s)), Some(Some(d))) = (sources.get(base).copied(), dests.get(base).copied())
        else {
            continue;
        };
        if paired[d].is_some() {
            continue;
        }
        let score = scorer.score(
            &old(changes, srcs[s]),
            &new(changes, dsts[d]),
            MIN_BASENAME_SCORE,
        )?;
        if score >= MIN_BASENAME_SCORE {
            paired[d] = Some(s);
            used[s] = true;
        }
    }
    Ok(())
}

/// A candidate pair of the inexact pass.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: u64,
    same_name: bool,
    dst: usize,
    src: usize,
}

/// git's `score_compare`: `Greater` when `a` is the worse candidate (an
/// empty slot is worst).
fn worse(a: &Option<Candidate>, b: &Option<Candidate>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => b.score.cmp(&a.score).then(b.same_name.cmp(&a.same_name)),
    }
}

fn inexact<S: Source>(
    changes: &[FileChange],
    dsts: &[usize],
    srcs: &[usize],
    paired: &mut [Option<usize>],
    used: &mut [bool],
    scorer: &mut Scorer<'_, S>,
) -> Result<(), Unreadable> {
    let left_dsts: Vec<usize> = (0..dsts.len()).filter(|&d| paired[d].is_none()).collect();
    let left_srcs: Vec<usize> = (0..srcs.len()).filter(|&s| !used[s]).collect();
    if left_dsts.is_empty() || left_srcs.is_empty() {
        return Ok(());
    }
    if (left_dsts.len() as u64) * (left_srcs.len() as u64) > RENAME_LIMIT * RENAME_LIMIT {
        return Ok(());
    }
    let mut all: Vec<Option<Candidate>> = Vec::with_capacity(left_dsts.len() * CANDIDATES);
    for &d in &left_dsts {
        let mut slots: [Option<Candidate>; CANDIDATES] = [None; CANDIDATES];
        for &s in &left_srcs {
            let (from, to) = (old(changes, srcs[s]), new(changes, dsts[d]));
            let candidate = Some(Candidate {
                score: scorer.score(&from, &to, MIN_SCORE)?,
                same_name: same_name(&changes[srcs[s]].path, &changes[dsts[d]].path),
                dst: d,
                src: s,
            });
            let mut worst = 0;
            for k in 1..CANDIDATES {
                if worse(&slots[k], &slots[worst]).is_gt() {
                    worst = k;
                }
            }
            if worse(&slots[worst], &candidate).is_gt() {
                slots[worst] = candidate;
            }
        }
        all.extend(slots);
    }
    // Stable: equal candidates keep the order they were found in.
    all.sort_by(worse);
    for c in all {
        let Some(c) = c else { break };
        if c.score < MIN_SCORE {
            break;
        }
        if paired[c.dst].is_some() || used[c.src] {
            continue;
        }
        paired[c.dst] = Some(c.src);
        used[c.src] = true;
    }
    Ok(())
}

/// Scores pairs, reading each file once.
struct Scorer<'s, S> {
    source: &'s S,
    counts: HashMap<ObjectId, Chunks>,
}

/// A file cut into chunks: its size, and the bytes of each distinct chunk.
struct Chunks {
    size: u64,
    bytes: HashMap<(u64, u64), u64>,
}

impl<S: Source> Scorer<'_, S> {
    /// git's `estimate_similarity` for `from` → `to`, 0 to [`MAX_SCORE`];
    /// `minimum` only decides when a size difference rules a pair out
    /// unread.
    fn score(&mut self, from: &Side, to: &Side, minimum: u64) -> Result<u64, Unreadable> {
        if !is_regular(from) || !is_regular(to) {
            return Ok(0);
        }
        let (a, b) = (self.size(&from.id)?, self.size(&to.id)?);
        let (max, min) = (a.max(b), a.min(b));
        if max * (MAX_SCORE - minimum) < (max - min) * MAX_SCORE {
            return Ok(0);
        }
        if max == 0 {
            return Ok(0);
        }
        let common = {
            let (x, y) = (&self.counts[&from.id], &self.counts[&to.id]);
            y.bytes
                .iter()
                .map(|(k, &n)| n.min(x.bytes.get(k).copied().unwrap_or(0)))
                .sum::<u64>()
        };
        Ok(common * MAX_SCORE / max)
    }

    fn size(&mut self, id: &ObjectId) -> Result<u64, Unreadable> {
        if let Some(c) = self.counts.get(id) {
            return Ok(c.size);
        }
        let mut data = Vec::new();
        self.source.read(id, Kind::Blob, &mut data)?;
        let c = similarity::chunks(&data);
        let size = c.size;
        self.counts.insert(*id, c);
        Ok(size)
    }
}

pub(crate) mod similarity {
    //! Chunk counts for the similarity score.
    use std::collections::HashMap;

    /// git treats a file with a NUL in its first 8,000 bytes as binary.
    const BINARY_PROBE: usize = 8000;
    const CHUNK: usize = 64;

    pub(super) fn chunks(data: &[u8]) -> super::Chunks {
        let text = !data[..data.len().min(BINARY_PROBE)].contains(&0);
        let mut bytes: HashMap<(u64, u64), u64> = HashMap::new();
        let mut hash = FNV_OFFSET;
        let mut n = 0u64;
        for (i, &c) in data.iter().enumerate() {
            if text && c == b'\r' && data.get(i + 1) == Some(&b'\n') {
                continue;
            }
            hash = (hash ^ u64::from(c)).wrapping_mul(FNV_PRIME);
            n += 1;
            if n < CHUNK as u64 && c != b'\n' {
                continue;
            }
            *bytes.entry((hash, n)).or_default() += n;
            hash = FNV_OFFSET;
            n = 0;
        }
        if n > 0 {
            *bytes.entry((hash, n)).or_default() += n;
        }
        super::Chunks {
            size: data.len() as u64,
            bytes,
        }
    }

    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::tree_diff::Memory as Blobs;

    /// Stores a text as a blob and gives it as a file's side.
    trait Store {
        fn side(&mut self, text: &str) -> Option<Side>;
    }

    impl Store for Blobs {
        fn side(&mut self, text: &str) -> Option<Side> {
            let mut bytes = [7u8; 20];
            let n = self.0.len() as u64 + 1;
            bytes[..8].copy_from_slice(&n.to_be_bytes());
            let id = self
                .0
                .iter()
                .find(|(_, v)| v.as_slice() == text.as_bytes())
                .map_or_else(|| ObjectId::from_bytes_or_panic(&bytes), |(k, _)| *k);
            self.0.insert(id, text.as_bytes().to_vec());
            Some(Side { mode: 0o100644, id })
        }
    }

    fn change(path: &str, old: Option<Side>, new: Option<Side>) -> FileChange {
        FileChange {
            path: path.as_bytes().to_vec(),
            old,
            new,
        }
    }

    /// The pairs found, as `from → to`, in output order.
    fn renames(found: &[Detected]) -> Vec<String> {
        found
            .iter()
            .filter_map(|d| {
                let from = String::from_utf8_lossy(d.from.as_deref()?).into_owned();
                Some(format!(
                    "{from} → {}",
                    String::from_utf8_lossy(&d.change.path)
                ))
            })
            .collect()
    }

    fn lines(seed: &str, n: usize, changed: usize) -> String {
        (0..n)
            .map(|i| {
                if i < changed {
                    format!("{seed} {i} changed\n")
                } else {
                    format!("{seed} line {i} of it\n")
                }
            })
            .collect()
    }

    #[test]
    fn identical_files_pair_by_base_name_then_in_path_order() {
        let mut b = Blobs::default();
        let changes = vec![
            change("a/same.md", b.side("x\n"), None),
            change("b/same.md", b.side("x\n"), None),
            change("z/other.md", None, b.side("x\n")),
            change("z/same.md", None, b.side("x\n")),
        ];
        let found = detect(changes, &b).expect("detect");
        assert_eq!(
            renames(&found),
            ["a/same.md → z/other.md", "b/same.md → z/same.md"]
        );
        assert_eq!(found.len(), 2, "the deleted files are gone: {found:?}");
    }

    #[test]
    fn a_unique_base_name_wins_at_75_percent_over_a_closer_file() {
        let mut b = Blobs::default();
        let old = lines("p", 20, 0);
        let changes = vec![
            change("p/a.md", b.side(&old), None),
            change("q/a.md", None, b.side(&lines("p", 20, 4))),
            change("q/b.md", None, b.side(&lines("p", 20, 1))),
        ];
        assert_eq!(
            renames(&detect(changes.clone(), &b).expect("detect")),
            ["p/a.md → q/a.md"]
        );
        // Below 75% the base name does not decide: the closest file does.
        let mut b2 = Blobs::default();
        let changes = vec![
            change("p/a.md", b2.side(&old), None),
            change("q/a.md", None, b2.side(&lines("p", 20, 8))),
            change("q/b.md", None, b2.side(&lines("p", 20, 1))),
        ];
        assert_eq!(
            renames(&detect(changes, &b2).expect("detect")),
            ["p/a.md → q/b.md"]
        );
    }

    #[test]
    fn similarity_ignores_cr_before_lf_in_text_and_rules_out_big_size_changes() {
        let mut b = Blobs::default();
        let text = lines("t", 30, 0);
        let changes = vec![
            change("crlf.md", b.side(&text.replace('\n', "\r\n")), None),
            change("lf.md", None, b.side(&lines("t", 30, 1))),
            change("small.md", b.side(&lines("s", 4, 0)), None),
            change("large.md", None, b.side(&lines("s", 9, 0))),
        ];
        assert_eq!(
            renames(&detect(changes, &b).expect("detect")),
            ["crlf.md → lf.md"]
        );
    }

    /// `-l1000`: inexact detection runs on 1000 × 1000 pairs, not on 1001 × 1000.
    #[test]
    fn inexact_detection_stops_past_a_million_pairs() {
        let mut b = Blobs::default();
        let mut changes = Vec::new();
        for k in 0..1001 {
            changes.push(change(
                &format!("old/{k:04}.md"),
                b.side(&format!("line {k} of a file\n")),
                None,
            ));
        }
        for k in 0..1000 {
            changes.push(change(
                &format!("new/{k:04}.txt"),
                None,
                b.side(&format!("line {k} of a file\nmore\n")),
            ));
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(
            renames(&detect(changes.clone(), &b).expect("detect")).len(),
            0
        );
        changes.retain(|c| c.path != b"old/1000.md");
        let found = detect(changes, &b).expect("detect");
        assert_eq!(renames(&found).len(), 1000);
        assert_eq!(renames(&found)[7], "old/0007.md → new/0007.txt");
    }

    #[test]
    fn unreadable_contents_are_errors() {
        let mut b = Blobs::default();
        let changes = vec![
            change("a.md", b.side(&lines("a", 10, 0)), None),
            change("b.md", None, b.side(&lines("a", 10, 1))),
        ];
        assert!(detect(changes.clone(), &Blobs::default()).is_err());
        assert_eq!(
            renames(&detect(changes, &b).expect("detect")),
            ["a.md → b.md"]
        );
    }
}
