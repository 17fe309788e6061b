//! The files two git trees differ in, as `git diff-tree -r` lists them:
//! entries merged in git's tree order, equal subtrees never opened,
//! changed ones compared in turn.
//!
//! Most of the history's cost is here, so work is skipped where it can
//! be. A subtree whose id did not change is never read. A tree that did
//! change is not parsed entry by entry on both sides: one side is parsed
//! (or known: the tree one commit starts from is the one the commit after
//! it left, kept in [`Recent`]), and the other is walked with slice
//! comparisons over the bytes the two share, parsing only around each
//! difference. On a book with 1,000 process folders (a 45 KB content dir
//! rewritten by every commit, 1 to 3 folders changed) that is a few
//! entries parsed per commit instead of 2,000.

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use super::odb::{Kind, ObjectId, Unreadable};

/// Where trees come from: the object database, or a map in tests.
pub(crate) trait Source {
    fn read(&self, id: &ObjectId, kind: Kind, out: &mut Vec<u8>) -> Result<(), Unreadable>;
}

/// One side of a changed file: its mode as git reads it (canonical:
/// 100644, 100755, 120000 or 160000) and its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Side {
    pub mode: u32,
    pub id: ObjectId,
}

/// A file (anything but a tree) that differs, with its path below the
/// trees compared: added (`old` is `None`), deleted (`new` is `None`) or
/// changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub path: Vec<u8>,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

const HASH_LEN: usize = 20;
const DIR: u32 = 0o040000;

/// git's canonical form of a tree entry's mode (what `git diff-tree`
/// compares and prints).
fn canonical(mode: u32) -> u32 {
    match mode & 0o170000 {
        0o100000 if mode & 0o100 != 0 => 0o100755,
        0o100000 => 0o100644,
        0o120000 => 0o120000,
        DIR => DIR,
        _ => 0o160000,
    }
}

/// An entry of a tree.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    id: &'a [u8],
}

impl Entry<'_> {
    fn is_dir(&self) -> bool {
        self.mode == DIR
    }

    fn object(&self) -> ObjectId {
        ObjectId::from_bytes_or_panic(self.id)
    }

    fn side(&self) -> Side {
        Side {
            mode: self.mode,
            id: self.object(),
        }
    }
}

fn corrupt(what: &str) -> Unreadable {
    Unreadable(format!("a tree object is malformed ({what})"))
}

/// The entry that starts at `at` in the tree `data`, and where the next
/// one starts.
fn entry_at(data: &[u8], at: usize) -> Result<(Entry<'_>, usize), Unreadable> {
    let rest = data.get(at..).ok_or_else(|| corrupt("offset"))?;
    let space = rest
        .iter()
        .take(8)
        .position(|&b| b == b' ')
        .filter(|&n| n > 0)
        .ok_or_else(|| corrupt("mode"))?;
    let mut mode = 0u32;
    for &d in &rest[..space] {
        if !(b'0'..=b'7').contains(&d) {
            return Err(corrupt("mode"));
        }
        mode = mode * 8 + u32::from(d - b'0');
    }
    let name = &rest[space + 1..];
    let len = name
        .iter()
        .position(|&b| b == 0)
        .filter(|&n| n > 0)
        .ok_or_else(|| corrupt("name"))?;
    let id = name
        .get(len + 1..len + 1 + HASH_LEN)
        .ok_or_else(|| corrupt("object id"))?;
    Ok((
        Entry {
            mode: canonical(mode),
            name: &name[..len],
            id,
        },
        at + space + 1 + len + 1 + HASH_LEN,
    ))
}

/// The entry named `name` that is a tree, in the tree `data`.
fn subtree(data: &[u8], name: &[u8]) -> Result<Option<ObjectId>, Unreadable> {
    let mut at = 0;
    while at < data.len() {
        let (e, next) = entry_at(data, at)?;
        if e.name == name && e.is_dir() {
            return Ok(Some(e.object()));
        }
        at = next;
    }
    Ok(None)
}

fn offset(at: usize) -> Result<u32, Unreadable> {
    u32::try_from(at).map_err(|_| corrupt("over 4 GB"))
}

/// How many bytes `a` and `b` share at their start: compared a block at a
/// time, then byte by byte in the block that differs.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    for block in [4096, 64] {
        while at + block <= n && a[at..at + block] == b[at..at + block] {
            at += block;
        }
    }
    at + a[at..n]
        .iter()
        .zip(&b[at..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// git's order of tree entries: by name, a tree's name as if it ended
/// with `/`.
fn tree_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let n = a.name.len().min(b.name.len());
    a.name[..n].cmp(&b.name[..n]).then_with(|| {
        let end = |e: &Entry<'_>| {
            e.name
                .get(n)
                .copied()
                .unwrap_or(if e.is_dir() { b'/' } else { 0 })
        };
        end(a).cmp(&end(b))
    })
}

/// A tree object and where each of its entries starts.
#[derive(Debug)]
pub(crate) struct Tree {
    data: Vec<u8>,
    starts: Vec<u32>,
}

/// Entries that differ between two trees: a run in each, between entries
/// the two share.
type Segment = (Range<usize>, Range<usize>);

impl Tree {
    /// Parses every entry.
    fn parse(data: Vec<u8>) -> Result<Tree, Unreadable> {
        let mut starts = Vec::with_capacity(data.len() / 32 + 1);
        let mut at = 0;
        while at < data.len() {
            starts.push(offset(at)?);
            at = entry_at(&data, at)?.1;
        }
        Ok(Tree { data, starts })
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Where entry `i` starts (the end for `len()`).
    fn start(&self, i: usize) -> usize {
        self.starts.get(i).map_or(self.data.len(), |&s| s as usize)
    }

    fn entry(&self, i: usize) -> Result<Entry<'_>, Unreadable> {
        entry_at(&self.data, self.start(i)).map(|(e, _)| e)
    }

    fn entry_bytes(&self, i: usize) -> &[u8] {
        &self.data[self.start(i)..self.start(i + 1)]
    }

    /// The tree `other` parsed with the help of this one, and the runs of
    /// entries where the two differ. From a point where both are at the
    /// start of an entry, the bytes they share are skipped with slice
    /// comparisons (their entries are the same, and this tree says where
    /// they start); from the entry where they differ, `other` is parsed
    /// and merged with this tree in tree order until both rest on the
    /// same entry again.
    fn derive(&self, other: Vec<u8>) -> Result<(Tree, Vec<Segment>), Unreadable> {
        let (a, b) = (self.data.as_slice(), other.as_slice());
        // Every offset below fits in 32 bits (this tree's were checked).
        offset(b.len())?;
        let mut starts: Vec<u32> = Vec::with_capacity(self.len() + 4);
        let mut segments = Vec::new();
        // Entry `mine` of this tree and byte `at` of `other` start the same.
        let (mut mine, mut at) = (0, 0);
        loop {
            let here = self.start(mine);
            let same = common_prefix(&a[here..], &b[at..]);
            // The entry holding the first byte that differs.
            let differs = if here + same == a.len() {
                self.len()
            } else {
                self.starts.partition_point(|&s| s as usize <= here + same) - 1
            };
            // The entries before it, where they start in `other` (modular
            // arithmetic: the results fit).
            let shift = offset(at)?.wrapping_sub(offset(here)?);
            starts.extend(
                self.starts[mine..differs]
                    .iter()
                    .map(|&s| s.wrapping_add(shift)),
            );
            at += self.start(differs) - here;
            mine = differs;
            if mine == self.len() && at == b.len() {
                break;
            }
            let run = (mine, starts.len());
            loop {
                let theirs = if at < b.len() {
                    Some(entry_at(b, at)?)
                } else {
                    None
                };
                let ours = if mine < self.len() {
                    Some(self.entry(mine)?)
                } else {
                    None
                };
                let order = match (&ours, &theirs) {
                    (None, None) => break,
                    (Some(_), Some((_, next))) if self.entry_bytes(mine) == &b[at..*next] => break,
                    (Some(o), Some((t, _))) => tree_order(o, t),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                };
                if order.is_le() {
                    mine += 1;
                }
                if let (Some((_, next)), true) = (theirs, order.is_ge()) {
                    starts.push(offset(at)?);
                    at = next;
                }
            }
            segments.push((run.0..mine, run.1..starts.len()));
            if mine == self.len() && at == b.len() {
                break;
            }
        }
        Ok((
            Tree {
                data: other,
                starts,
            },
            segments,
        ))
    }
}

/// Trees read lately, parsed, by id: the tree one commit left is the one
/// the commit before it started from, and a folder changed by one commit
/// is the old side of the next (older) commit that changes it. Small
/// trees (most folders) are kept by the thousand; big ones (a book's
/// content dir) only the last few.
struct Recent {
    small: foldhash::HashMap<ObjectId, Rc<Tree>>,
    small_order: VecDeque<ObjectId>,
    big: VecDeque<(ObjectId, Rc<Tree>)>,
}

/// Above this size a tree is big.
const SMALL_TREE: usize = 16 << 10;
const SMALL_TREES: usize = 4096;
const BIG_TREES: usize = 4;

impl Recent {
    fn new() -> Recent {
        Recent {
            small: foldhash::HashMap::default(),
            small_order: VecDeque::new(),
            big: VecDeque::with_capacity(BIG_TREES + 1),
        }
    }

    fn get(&self, id: &ObjectId) -> Option<Rc<Tree>> {
        if let Some(t) = self.small.get(id) {
            return Some(Rc::clone(t));
        }
        self.big
            .iter()
            .rev()
            .find(|(k, _)| k == id)
            .map(|(_, t)| Rc::clone(t))
    }

    /// Keeps `tree`; gives back the buffer of a big one no longer kept.
    fn put(&mut self, id: ObjectId, tree: Rc<Tree>) -> Option<Vec<u8>> {
        if tree.data.len() <= SMALL_TREE {
            if self.small.insert(id, tree).is_none() {
                self.small_order.push_back(id);
            }
            if self.small_order.len() > SMALL_TREES
                && let Some(old) = self.small_order.pop_front()
            {
                self.small.remove(&old);
            }
            return None;
        }
        self.big.push_back((id, tree));
        if self.big.len() <= BIG_TREES {
            return None;
        }
        let (_, old) = self.big.pop_front()?;
        Rc::try_unwrap(old).ok().map(|t| t.data)
    }
}

/// Compares trees, for one thread.
pub(crate) struct Differ<'s, S> {
    source: &'s S,
    recent: Recent,
    /// What big trees are read into; buffers of big trees let go.
    scratch: Vec<u8>,
    spare: Vec<Vec<u8>>,
    path_tree: Vec<u8>,
}

impl<'s, S: Source> Differ<'s, S> {
    pub(crate) fn new(source: &'s S) -> Differ<'s, S> {
        Differ {
            source,
            recent: Recent::new(),
            scratch: Vec::new(),
            spare: Vec::new(),
            path_tree: Vec::new(),
        }
    }

    /// A tree's bytes: read into a buffer kept here, then copied when the
    /// tree is small, or handed over when big (the allocator would give
    /// a big buffer freed back to the system, and fault its pages in
    /// again on the next read).
    fn bytes(&mut self, id: &ObjectId) -> Result<Vec<u8>, Unreadable> {
        self.source.read(id, Kind::Tree, &mut self.scratch)?;
        if self.scratch.len() <= SMALL_TREE {
            return Ok(self.scratch.clone());
        }
        let next = self.spare.pop().unwrap_or_default();
        Ok(std::mem::replace(&mut self.scratch, next))
    }

    fn keep(&mut self, id: ObjectId, tree: &Rc<Tree>) {
        if let Some(data) = self.recent.put(id, Rc::clone(tree)) {
            self.spare.push(data);
        }
    }

    fn tree(&mut self, id: &ObjectId) -> Result<Rc<Tree>, Unreadable> {
        if let Some(t) = self.recent.get(id) {
            return Ok(t);
        }
        let t = Rc::new(Tree::parse(self.bytes(id)?)?);
        self.keep(*id, &t);
        Ok(t)
    }

    /// The tree at `path` (its components) below the tree `root`, if
    /// there is one.
    pub(crate) fn subtree(
        &mut self,
        root: ObjectId,
        path: &[&[u8]],
    ) -> Result<Option<ObjectId>, Unreadable> {
        let mut id = root;
        for name in path {
            self.source.read(&id, Kind::Tree, &mut self.path_tree)?;
            match subtree(&self.path_tree, name)? {
                Some(next) => id = next,
                None => return Ok(None),
            }
        }
        Ok(Some(id))
    }

    /// The files that differ from the tree `old` to the tree `new` (`None`:
    /// no tree), in git's order.
    pub(crate) fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<FileChange>, Unreadable> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        self.diff_into(old, new, &mut path, &mut out)?;
        Ok(out)
    }

    fn diff_into(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        path: &mut Vec<u8>,
        out: &mut Vec<FileChange>,
    ) -> Result<(), Unreadable> {
        let (old, new) = match (old, new) {
            (Some(o), Some(n)) if o == n => return Ok(()),
            (Some(o), Some(n)) => (o, n),
            (Some(o), None) => return self.one_side(o, path, out, true),
            (None, Some(n)) => return self.one_side(n, path, out, false),
            (None, None) => return Ok(()),
        };
        // One side parsed (or known), the other derived from it.
        let (old_tree, new_tree, segments) = match self.recent.get(&old) {
            Some(o) => {
                let (n, segments) = o.derive(self.bytes(&new)?)?;
                let n = Rc::new(n);
                self.keep(new, &n);
                (o, n, segments)
            }
            None => {
                let n = self.tree(&new)?;
                let (o, segments) = n.derive(self.bytes(&old)?)?;
                let o = Rc::new(o);
                self.keep(old, &o);
                let segments = segments.into_iter().map(|(n, o)| (o, n)).collect();
                (o, n, segments)
            }
        };
        let base = path.len();
        for (olds, news) in segments {
            let (mut i, mut j) = (olds.start, news.start);
            while i < olds.end || j < news.end {
                let a = if i < olds.end {
                    Some(old_tree.entry(i)?)
                } else {
                    None
                };
                let b = if j < news.end {
                    Some(new_tree.entry(j)?)
                } else {
                    None
                };
                let order = match (&a, &b) {
                    (Some(a), Some(b)) => tree_order(a, b),
                    (Some(_), None) => Ordering::Less,
                    _ => Ordering::Greater,
                };
                let a = a.filter(|_| order.is_le());
                let b = b.filter(|_| order.is_ge());
                i += usize::from(a.is_some());
                j += usize::from(b.is_some());
                path.truncate(base);
                path.extend_from_slice(a.or(b).map(|e| e.name).unwrap_or_default());
                self.pair(a, b, path, out)?;
            }
        }
        path.truncate(base);
        Ok(())
    }

    /// Entries of the same name (or one alone) at `path`.
    fn pair(
        &mut self,
        a: Option<Entry<'_>>,
        b: Option<Entry<'_>>,
        path: &mut Vec<u8>,
        out: &mut Vec<FileChange>,
    ) -> Result<(), Unreadable> {
        match (a, b) {
            (Some(a), Some(b)) if a.mode == b.mode && a.id == b.id => Ok(()),
            // Same name and order: both trees, or neither.
            (Some(a), Some(b)) if a.is_dir() => {
                path.push(b'/');
                self.diff_into(Some(a.object()), Some(b.object()), path, out)
            }
            (Some(a), None) if a.is_dir() => {
                path.push(b'/');
                self.one_side(a.object(), path, out, true)
            }
            (None, Some(b)) if b.is_dir() => {
                path.push(b'/');
                self.one_side(b.object(), path, out, false)
            }
            (a, b) => {
                out.push(FileChange {
                    path: path.clone(),
                    old: a.map(|e| e.side()),
                    new: b.map(|e| e.side()),
                });
                Ok(())
            }
        }
    }

    /// Every file below the tree `id`, all added or all deleted.
    fn one_side(
        &mut self,
        id: ObjectId,
        path: &mut Vec<u8>,
        out: &mut Vec<FileChange>,
        deleted: bool,
    ) -> Result<(), Unreadable> {
        let tree = self.tree(&id)?;
        let base = path.len();
        for i in 0..tree.len() {
            let e = tree.entry(i)?;
            path.truncate(base);
            path.extend_from_slice(e.name);
            if e.is_dir() {
                path.push(b'/');
                self.one_side(e.object(), path, out, deleted)?;
            } else {
                let side = Some(e.side());
                out.push(FileChange {
                    path: path.clone(),
                    old: if deleted { side } else { None },
                    new: if deleted { None } else { side },
                });
            }
        }
        path.truncate(base);
        Ok(())
    }
}

/// Objects in memory, for the tests of the history's readers.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct Memory(pub std::collections::HashMap<ObjectId, Vec<u8>>);

#[cfg(test)]
impl Source for Memory {
    fn read(&self, id: &ObjectId, _: Kind, out: &mut Vec<u8>) -> Result<(), Unreadable> {
        let data = self
            .0
            .get(id)
            .ok_or_else(|| Unreadable(format!("{id} missing")))?;
        out.clear();
        out.extend_from_slice(data);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    use super::Memory as Map;

    fn id(n: u64) -> ObjectId {
        let mut bytes = [0u8; HASH_LEN];
        bytes[..8].copy_from_slice(&n.to_be_bytes());
        bytes[8] = 1;
        ObjectId::from_bytes_or_panic(&bytes)
    }

    /// Files by path: (mode as written in the tree, blob id).
    type Files = BTreeMap<Vec<u8>, (&'static str, u64)>;

    /// Stores the trees of `files` (below `prefix`) in `map`; the root's id.
    fn store(map: &mut Map, files: &Files, prefix: &[u8], next: &mut u64) -> ObjectId {
        let mut entries: Vec<(Vec<u8>, &str, ObjectId)> = Vec::new();
        let mut dirs: BTreeMap<Vec<u8>, ()> = BTreeMap::new();
        for (path, (mode, blob)) in files.range(prefix.to_vec()..) {
            let Some(rest) = path.strip_prefix(prefix) else {
                break;
            };
            match rest.iter().position(|&b| b == b'/') {
                None => entries.push((rest.to_vec(), mode, id(*blob))),
                Some(slash) => {
                    dirs.insert(rest[..slash].to_vec(), ());
                }
            }
        }
        for dir in dirs.keys() {
            let mut sub = prefix.to_vec();
            sub.extend_from_slice(dir);
            sub.push(b'/');
            entries.push((dir.clone(), "40000", store(map, files, &sub, next)));
        }
        let as_entry = |(name, mode, _): &(Vec<u8>, &str, ObjectId)| {
            (
                canonical(u32::from_str_radix(mode, 8).expect("octal")),
                name.clone(),
            )
        };
        entries.sort_by(|a, b| {
            let ((ma, na), (mb, nb)) = (as_entry(a), as_entry(b));
            let x = Entry {
                mode: ma,
                name: &na,
                id: &[],
            };
            let y = Entry {
                mode: mb,
                name: &nb,
                id: &[],
            };
            tree_order(&x, &y)
        });
        let data: Vec<u8> = entries
            .iter()
            .flat_map(|(n, m, i)| encode(n, m, i))
            .collect();
        *next += 1;
        let tree = id(1 << 40 | *next);
        map.0.insert(tree, data);
        tree
    }

    fn encode(name: &[u8], mode: &str, id: &ObjectId) -> Vec<u8> {
        [mode.as_bytes(), b" ", name, b"\0", id.as_bytes()].concat()
    }

    /// The changes from `old` to `new` as git lists them: by path, files
    /// whose canonical mode or blob differ.
    fn expected(old: &Files, new: &Files) -> Vec<FileChange> {
        let side = |f: Option<&(&str, u64)>| {
            f.map(|(m, b)| Side {
                mode: canonical(u32::from_str_radix(m, 8).expect("octal")),
                id: id(*b),
            })
        };
        let mut paths: Vec<&Vec<u8>> = old.keys().chain(new.keys()).collect();
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|p| {
                let (o, n) = (side(old.get(p)), side(new.get(p)));
                (o != n).then(|| FileChange {
                    path: p.clone(),
                    old: o,
                    new: n,
                })
            })
            .collect()
    }

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n as u64).unwrap_or(0)
        }
    }

    /// Random versions of a tree — a big folder, nested ones, names that
    /// sort around `/`, type changes file ↔ folder, modes — compared
    /// newest first by one differ (so one side is always known), against
    /// the flat lists of files.
    #[test]
    fn random_trees_differ_as_their_files_do() {
        let mut rng = Rng(0x853c_49e6_748f_ea9b);
        let names: [&[u8]; 9] = [
            b"a",
            b"a.md",
            b"a-b",
            b"a0",
            b"b",
            b"x y",
            "é".as_bytes(),
            b"q\"",
            b"z",
        ];
        let modes = ["100644", "100755", "120000", "160000", "100664"];
        let mut files = Files::new();
        for i in 0..400u64 {
            files.insert(format!("big/f{i:04}.md").into_bytes(), ("100644", i));
        }
        let mut versions = vec![files.clone()];
        let mut blob = 1000;
        for _ in 0..120 {
            for _ in 0..1 + rng.below(5) {
                let depth = rng.below(3);
                let mut path: Vec<u8> = Vec::new();
                for _ in 0..depth {
                    path.extend_from_slice(names[rng.below(names.len())]);
                    path.push(b'/');
                }
                path.extend_from_slice(names[rng.below(names.len())]);
                blob += 1;
                match rng.below(6) {
                    // Anything in the way of the new file goes: a file
                    // where its folder would be, a folder where it is.
                    0 | 1 => {
                        let below = |dir: &[u8], p: &[u8]| {
                            p.starts_with(dir) && p.get(dir.len()) == Some(&b'/')
                        };
                        files.retain(|p, _| !below(&path, p) && !below(p, &path));
                        files.insert(path, (modes[rng.below(modes.len())], blob));
                    }
                    2 => {
                        let k = format!("big/f{:04}.md", rng.below(420)).into_bytes();
                        files.insert(k, ("100644", blob));
                    }
                    3 => {
                        let k = format!("big/f{:04}.md", rng.below(420)).into_bytes();
                        files.remove(&k);
                    }
                    4 => {
                        let keys: Vec<Vec<u8>> = files.keys().cloned().collect();
                        let k = &keys[rng.below(keys.len())];
                        files.insert(k.clone(), (modes[rng.below(modes.len())], blob));
                    }
                    _ => {
                        // The mode alone (100664 is 100644 to git).
                        let keys: Vec<Vec<u8>> = files.keys().cloned().collect();
                        let k = &keys[rng.below(keys.len())];
                        let mode = modes[rng.below(modes.len())];
                        if let Some(f) = files.get_mut(k) {
                            f.0 = mode;
                        }
                    }
                }
            }
            versions.push(files.clone());
        }
        let mut map = Map::default();
        let mut next = 0;
        let roots: Vec<ObjectId> = versions
            .iter()
            .map(|f| store(&mut map, f, b"", &mut next))
            .collect();
        let mut differ = Differ::new(&map);
        for i in (1..versions.len()).rev() {
            let got = differ
                .diff(Some(roots[i - 1]), Some(roots[i]))
                .expect("diff");
            assert_eq!(got, expected(&versions[i - 1], &versions[i]), "version {i}");
        }
        // From nothing, and to nothing.
        let all = differ.diff(None, Some(roots[3])).expect("diff");
        assert_eq!(all, expected(&Files::new(), &versions[3]));
        let none = differ.diff(Some(roots[3]), None).expect("diff");
        assert_eq!(none, expected(&versions[3], &Files::new()));
        assert!(differ.subtree(roots[0], &[b"big"]).expect("read").is_some());
        assert_eq!(differ.subtree(roots[0], &[b"nothing"]).expect("read"), None);
    }

    #[test]
    fn malformed_trees_are_errors() {
        let good = encode(b"a", "100644", &id(1));
        for bad in [
            [good.clone(), b"100644 b".to_vec()].concat(),
            [
                good.clone(),
                b"10x644 b\0".to_vec(),
                id(2).as_bytes().to_vec(),
            ]
            .concat(),
            [
                good.clone(),
                b"100644 \0".to_vec(),
                id(2).as_bytes().to_vec(),
            ]
            .concat(),
            [good.clone(), b" b\0".to_vec(), id(2).as_bytes().to_vec()].concat(),
            good[..good.len() - 3].to_vec(),
        ] {
            let mut map = Map::default();
            map.0.insert(id(10), good.clone());
            map.0.insert(id(11), bad);
            let mut differ = Differ::new(&map);
            assert!(differ.diff(Some(id(10)), Some(id(11))).is_err());
            assert!(Differ::new(&map).diff(Some(id(11)), Some(id(10))).is_err());
            assert!(Differ::new(&map).diff(None, Some(id(11))).is_err());
        }
        // A missing tree.
        let map = Map::default();
        assert!(Differ::new(&map).diff(None, Some(id(3))).is_err());
    }
}
