//! The history read with git's objects in this process: one `git log`
//! lists the first-parent line without diffs, and each commit's content
//! dir is compared with its first parent's here ([`super::tree_diff`],
//! [`super::renames`]), on every core. The result is the [`parse::Log`]
//! the `git log --raw -M` of the CLI path gives.

use std::ops::Range;

use super::odb::{ObjectId, Objects, Unreadable};
use super::parse::{self, RawChange, RawCommit, Status};
use super::renames;
use super::tree_diff::{Differ, Source};

impl Source for super::odb::Reader {
    fn read(
        &self,
        id: &ObjectId,
        kind: super::odb::Kind,
        out: &mut Vec<u8>,
    ) -> Result<(), Unreadable> {
        super::odb::Reader::read(self, id, kind, out)
    }
}

/// A commit of the line as `git log` listed it.
#[derive(Debug)]
pub(crate) struct Listed {
    pub hash: String,
    pub id: ObjectId,
    pub tree: ObjectId,
    pub parent: Option<ObjectId>,
    pub time: i64,
    pub author: String,
    pub subject: String,
}

/// `git log` over the first-parent line, without diffs: mailmap,
/// encodings, grafts, replace refs and shallow boundaries stay git's.
/// Options user configuration could change are set here.
pub(crate) const LIST_ARGS: [&str; 10] = [
    "log",
    "--first-parent",
    "-z",
    "--no-color",
    "--no-show-signature",
    "--use-mailmap",
    "--encoding=UTF-8",
    "--no-notes",
    "--format=%H%x00%T%x00%P%x00%at%x00%aN%x00%s",
    "HEAD",
];

const FIELDS: usize = 6;

/// The commits in `git log -z --format=…` output ([`LIST_ARGS`]), newest first.
pub(crate) fn listing(bytes: &[u8]) -> Result<Vec<Listed>, String> {
    let bytes = bytes.strip_suffix(b"\0").unwrap_or(bytes);
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let fields: Vec<&[u8]> = bytes.split(|&b| b == 0).collect();
    if !fields.len().is_multiple_of(FIELDS) {
        return Err("git log's list of commits ends early".into());
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let id = |b: &[u8]| {
        ObjectId::from_hex(b)
            .map_err(|_| format!("git log gave an unexpected object id: `{}`", text(b)))
    };
    fields
        .chunks(FIELDS)
        .map(|f| {
            // Git may start a record with a newline.
            let hash = f[0].strip_prefix(b"\n").unwrap_or(f[0]);
            let time = text(f[3]);
            Ok(Listed {
                hash: text(hash),
                id: id(hash)?,
                tree: id(f[1])?,
                parent: match f[2].split(|&b| b == b' ').next() {
                    Some(p) if !p.is_empty() => Some(id(p)?),
                    _ => None,
                },
                time: time
                    .parse()
                    .map_err(|_| format!("git log gave a date that is not a number: `{time}`"))?,
                author: text(f[4]),
                subject: text(f[5]),
            })
        })
        .collect()
}

/// The line's changes to the content dir at `prefix` (its path in the
/// repository, as components; empty at the root).
pub(crate) fn read(
    objects: &Objects,
    prefix: &[Vec<u8>],
    listed: Vec<Listed>,
) -> Result<parse::Log, Unreadable> {
    use rayon::prelude::*;
    let prefix: Vec<&[u8]> = prefix.iter().map(Vec::as_slice).collect();
    let threads = rayon::current_num_threads().max(1);
    // One run of consecutive commits per thread, read in order: a tree
    // one commit left is the next one's starting point, and its delta base
    // one the reader just resolved. A run starts cold (each folder's first
    // version resolved down its delta chain): 4 runs a thread cost 15%
    // more CPU than 1 at 20,000 commits.
    let per = listed.len().div_ceil(threads).max(256);
    let runs: Vec<Range<usize>> = (0..listed.len())
        .step_by(per)
        .map(|start| start..(start + per).min(listed.len()))
        .collect();
    let changes: Vec<Vec<Vec<RawChange>>> = runs
        .into_par_iter()
        .map(|run| read_run(objects, &prefix, &listed, run))
        .collect::<Result<_, _>>()?;
    Ok(parse::Log {
        commits: listed
            .into_iter()
            .zip(changes.into_iter().flatten())
            .map(|(c, changes)| RawCommit {
                hash: c.hash,
                time: c.time,
                author: c.author,
                subject: c.subject,
                changes,
            })
            .collect(),
    })
}

fn read_run(
    objects: &Objects,
    prefix: &[&[u8]],
    listed: &[Listed],
    run: Range<usize>,
) -> Result<Vec<Vec<RawChange>>, Unreadable> {
    let reader = objects.reader();
    let mut differ = Differ::new(&reader);
    let mut out = Vec::with_capacity(run.len());
    // The content dir's tree in the commit at `run.start`, then in each
    // next one.
    let mut content = differ.subtree(listed[run.start].tree, prefix)?;
    for i in run {
        let c = &listed[i];
        let parent = match (c.parent, listed.get(i + 1)) {
            (None, _) => None,
            (Some(p), Some(next)) if next.id == p => differ.subtree(next.tree, prefix)?,
            (Some(p), _) => differ.subtree(reader.commit_tree(&p)?, prefix)?,
        };
        let changes = differ.diff(parent, content)?;
        let detected = renames::detect(changes, &reader)?;
        out.push(detected.into_iter().map(raw).collect());
        content = parent;
        if let Some(next) = listed.get(i + 1)
            && c.parent != Some(next.id)
        {
            content = differ.subtree(next.tree, prefix)?;
        }
    }
    Ok(out)
}

fn raw(d: renames::Detected) -> RawChange {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let status = match (&d.from, &d.change.old, &d.change.new) {
        (Some(_), _, _) => Status::Renamed,
        (None, None, _) => Status::Added,
        (None, _, None) => Status::Deleted,
        _ => Status::Modified,
    };
    RawChange {
        status,
        path: text(&d.change.path),
        from: d.from.as_deref().map(text),
        blob: d.change.new.map(|s| s.id.to_hex().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::listing;

    #[test]
    fn the_listing_is_read_field_by_field() {
        let (a, b, t) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let out = format!(
            "{a}\0{t}\0{b} {t}\0100\0Ada Lovelace\0Merge: a \"b\"\0{b}\0{t}\0\050\0Grace\0Root\0"
        );
        let listed = listing(out.as_bytes()).expect("parses");
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].hash, a);
        // The first parent only; none for a root (or a shallow boundary).
        assert_eq!(listed[0].parent.map(|p| p.to_string()), Some(b.clone()));
        assert_eq!(listed[1].parent, None);
        assert_eq!((listed[0].time, listed[1].time), (100, 50));
        assert_eq!(listed[0].subject, "Merge: a \"b\"");
        assert!(listing(b"").expect("empty").is_empty());
        assert!(listing(format!("{a}\0{t}\0\0100\0A").as_bytes()).is_err());
        assert!(listing(format!("{a}\0zz\0\0100\0A\0s\0").as_bytes()).is_err());
        assert!(listing(format!("{a}\0{t}\0\0soon\0A\0s\0").as_bytes()).is_err());
    }
}
