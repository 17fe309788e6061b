//! git's object database, read in this process with `gix-odb` (packs,
//! deltas, loose objects, alternates, multi-pack indexes): the trees the
//! history pass compares ([`super::direct`]) and the old versions "Changes
//! in this revision" reads ([`super::revisions`]). It exists because
//! git's own tree diffs were most of the history's cost (see the module
//! doc of [`super`]); what git does cheaply and must decide (which commits,
//! mailmap, encodings, grafts, shallow boundaries) stays with git.
//!
//! Everything here only reads. A missing object or a read that fails is
//! an [`Unreadable`], never a panic: the caller goes back to the `git` CLI.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use gix_hash::ObjectId;
use gix_object::Find as _;

/// Why an object could not be read in-process: the history is then read
/// by the `git` CLI instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable(pub String);

/// An opened object database, shared by the threads that read it.
pub(crate) struct Objects {
    store: Arc<gix_odb::Store>,
    dir: PathBuf,
}

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Objects").field("dir", &self.dir).finish()
    }
}

/// The largest object read (a corrupt size cannot make it allocate more).
const ALLOC_LIMIT: usize = 1 << 30;

impl Objects {
    /// Opens the SHA-1 object database at `dir` (git's `objects`); the
    /// packs and indexes are read when first needed.
    pub(crate) fn open(dir: &Path) -> Result<Objects, Unreadable> {
        let options = gix_odb::store::init::Options {
            alloc_limit_bytes: Some(ALLOC_LIMIT),
            ..Default::default()
        };
        let store = gix_odb::Store::at_opts(
            dir.to_owned(),
            gix_hash::Kind::Sha1,
            &mut std::iter::empty(),
            options,
        )
        .map_err(|e| Unreadable(format!("{}: {e}", dir.display())))?;
        Ok(Objects {
            store: Arc::new(store),
            dir: dir.to_owned(),
        })
    }

    /// A reader for one thread, with its own caches.
    pub(crate) fn reader(&self) -> Reader {
        let mut handle = self.store.to_cache_arc();
        handle.set_pack_cache(|| Box::new(DeltaCache::new()));
        Reader { handle }
    }
}

/// Reads objects for one thread.
pub(crate) struct Reader {
    handle: gix_odb::HandleArc,
}

/// The kinds of object the history reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tree,
    Blob,
    Commit,
}

impl Reader {
    /// The object `id`, which must be of `kind`, into `out`.
    pub(crate) fn read(
        &self,
        id: &ObjectId,
        kind: Kind,
        out: &mut Vec<u8>,
    ) -> Result<(), Unreadable> {
        let found = self
            .handle
            .try_find(id, out)
            .map_err(|e| Unreadable(format!("{id}: {e}")))?;
        let Some(data) = found else {
            return Err(Unreadable(format!("object {id} is missing")));
        };
        let want = match kind {
            Kind::Tree => gix_object::Kind::Tree,
            Kind::Blob => gix_object::Kind::Blob,
            Kind::Commit => gix_object::Kind::Commit,
        };
        if data.kind != want {
            return Err(Unreadable(format!(
                "object {id} is a {}, not a {want}",
                data.kind
            )));
        }
        Ok(())
    }

    /// The tree of the commit `id` (its `tree` header line).
    pub(crate) fn commit_tree(&self, id: &ObjectId) -> Result<ObjectId, Unreadable> {
        let mut buf = Vec::new();
        self.read(id, Kind::Commit, &mut buf)?;
        buf.strip_prefix(b"tree ")
            .and_then(|rest| rest.get(..rest.iter().position(|&b| b == b'\n')?))
            .and_then(|hex| ObjectId::from_hex(hex).ok())
            .ok_or_else(|| Unreadable(format!("commit {id} has no tree line")))
    }
}

/// Objects resolved from delta chains, by their place in their pack, so
/// that the next object of a chain is one delta away. Small objects (most
/// trees and files) and big ones (a book's content dir) are kept apart,
/// each pool dropping its oldest first: walking history newest first, a
/// big tree's base is the version just read, while a small folder's is
/// the version read when that folder last changed, long before.
struct DeltaCache {
    small: Pool,
    big: Pool,
}

/// Up to this size an object is small.
const SMALL_OBJECT: usize = 16 << 10;

/// Objects kept up to a number of bytes and of objects, the oldest
/// dropped first; the buffers of a few dropped ones are reused (a big
/// buffer freed goes back to the system, and its pages fault in again).
struct Pool {
    map: foldhash::HashMap<(u32, u64), (Vec<u8>, gix_object::Kind, usize)>,
    order: VecDeque<(u32, u64)>,
    spare: Vec<Vec<u8>>,
    bytes: usize,
    limit: usize,
    count: usize,
}

impl Pool {
    fn new(limit: usize, count: usize) -> Pool {
        Pool {
            map: foldhash::HashMap::default(),
            order: VecDeque::new(),
            spare: Vec::new(),
            bytes: 0,
            limit,
            count,
        }
    }

    fn put(&mut self, key: (u32, u64), data: &[u8], kind: gix_object::Kind, packed: usize) {
        if data.len() > self.limit || self.map.contains_key(&key) {
            return;
        }
        self.bytes += data.len();
        let mut copy = self.spare.pop().unwrap_or_default();
        copy.clear();
        copy.extend_from_slice(data);
        self.map.insert(key, (copy, kind, packed));
        self.order.push_back(key);
        while self.bytes > self.limit || self.order.len() > self.count {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((d, _, _)) = self.map.remove(&old) {
                self.bytes -= d.len();
                if self.spare.len() < 4 {
                    self.spare.push(d);
                }
            }
        }
    }
}

impl DeltaCache {
    fn new() -> DeltaCache {
        DeltaCache {
            small: Pool::new(16 << 20, usize::MAX),
            big: Pool::new(64 << 20, 32),
        }
    }
}

impl gix_odb::pack::cache::DecodeEntry for DeltaCache {
    fn put(&mut self, pack: u32, offset: u64, data: &[u8], kind: gix_object::Kind, packed: usize) {
        let pool = if data.len() <= SMALL_OBJECT {
            &mut self.small
        } else {
            &mut self.big
        };
        pool.put((pack, offset), data, kind, packed);
    }

    fn get(
        &mut self,
        pack: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix_object::Kind, usize)> {
        let key = (pack, offset);
        let (data, kind, packed) = self
            .small
            .map
            .get(&key)
            .or_else(|| self.big.map.get(&key))?;
        out.clear();
        out.extend_from_slice(data);
        Some((*kind, *packed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_opened_or_found_is_unreadable_not_a_panic() {
        assert!(Objects::open(Path::new("/nonexistent/objects")).is_err());
        let empty = tempfile::tempdir().expect("tempdir");
        let objects = Objects::open(empty.path()).expect("an empty database opens");
        let reader = objects.reader();
        let id = ObjectId::from_hex(b"0123456789abcdef0123456789abcdef01234567").expect("hex");
        let mut out = Vec::new();
        let err = reader.read(&id, Kind::Tree, &mut out).expect_err("missing");
        assert!(err.0.contains("missing"), "{err:?}");
        assert!(reader.commit_tree(&id).is_err());
    }
}
