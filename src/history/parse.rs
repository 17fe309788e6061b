//! The output of `git log -z --raw --no-abbrev --format=%x1e%H%x00%at%x00%aN%x00%s`:
//! NUL-separated fields, so any file name (spaces, quotes, newlines,
//! non-ASCII) comes through unquoted.
//!
//! ```text
//! \x1e<hash>\0<seconds>\0<author>\0<subject>\0   a commit (git may put
//! \n                                              a newline before its files)
//! :<mode> <mode> <old> <new> <status>\0<path>\0    A, M, D, T, …
//! :<mode> <mode> <old> <new> R<score>\0<from>\0<to>\0   a rename
//! ```
//!
//! `<new>` is the file's blob after the commit (zeros for a deletion):
//! "Changes in this revision" reads old versions by it, with no tree to
//! walk. Fields are read by position, so a path may hold any byte but
//! NUL; a commit's header is recognised only where a change is expected.

/// What happened to a file in one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Modified,
    Deleted,
    /// Moved (and perhaps edited): [`super::Change::from`] is the old path.
    Renamed,
}

#[derive(Debug)]
pub(crate) struct Log {
    pub commits: Vec<RawCommit>,
}

#[derive(Debug)]
pub(crate) struct RawCommit {
    pub hash: String,
    pub time: i64,
    pub author: String,
    pub subject: String,
    pub changes: Vec<RawChange>,
}

#[derive(Debug)]
pub(crate) struct RawChange {
    pub status: Status,
    pub path: String,
    pub from: Option<String>,
    /// The file's blob after the commit; `None` for a deletion.
    pub blob: Option<String>,
}

const START: u8 = 0x1e;

pub(crate) fn log(bytes: &[u8]) -> Result<Log, String> {
    let mut fields = Fields { bytes, at: 0 };
    let mut commits: Vec<RawCommit> = Vec::new();
    loop {
        fields.skip_newlines();
        let Some(token) = fields.next() else { break };
        if let Some(hash) = token.strip_prefix(&[START]) {
            let hash = text(hash);
            let time = text(fields.need("date")?);
            let time: i64 = time
                .parse()
                .map_err(|_| format!("git log gave a date that is not a number: `{time}`"))?;
            let author = text(fields.need("author")?);
            let subject = text(fields.need("subject")?);
            if hash.len() < 7 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("git log gave an unexpected commit hash: `{hash}`"));
            }
            commits.push(RawCommit {
                hash,
                time,
                author,
                subject,
                changes: Vec::new(),
            });
            continue;
        }
        let Some(commit) = commits.last_mut() else {
            return Err("git log gave files before any commit".into());
        };
        let (status, blob) = raw_fields(token)?;
        let (status, paths) = match status.first() {
            Some(b'A') => (Status::Added, 1),
            Some(b'D') => (Status::Deleted, 1),
            Some(b'R') => (Status::Renamed, 2),
            // A copy (not asked for) is an addition of its target.
            Some(b'C') => (Status::Added, 2),
            // M, T (type change), U, X, B: the file changed.
            Some(b'M' | b'T' | b'U' | b'X' | b'B') => (Status::Modified, 1),
            _ => {
                return Err(format!(
                    "git log gave an unexpected file status: `{}`",
                    text(status)
                ));
            }
        };
        let first = text(fields.need("path")?);
        let (path, from) = if paths == 2 {
            let second = text(fields.need("path")?);
            match status {
                Status::Renamed => (second, Some(first)),
                _ => (second, None),
            }
        } else {
            (first, None)
        };
        commit.changes.push(RawChange {
            status,
            path,
            from,
            blob,
        });
    }
    Ok(Log { commits })
}

/// `:<mode> <mode> <old> <new> <status>`: the status and the new blob
/// (`None` when git writes zeros: the file is gone).
fn raw_fields(token: &[u8]) -> Result<(&[u8], Option<String>), String> {
    let fields: Vec<&[u8]> = token
        .strip_prefix(b":")
        .unwrap_or_default()
        .split(|&b| b == b' ')
        .collect();
    let [_, _, _, new, status] = fields[..] else {
        return Err(format!(
            "git log gave an unexpected line where a changed file was expected: `{}`",
            text(token)
        ));
    };
    if new.len() < 40 || !new.iter().all(u8::is_ascii_hexdigit) {
        return Err(format!(
            "git log gave an unexpected object id: `{}`",
            text(new)
        ));
    }
    let blob = (!new.iter().all(|&b| b == b'0')).then(|| text(new));
    Ok((status, blob))
}

struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[self.at..];
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        self.at += end + 1;
        Some(&rest[..end])
    }

    fn need(&mut self, what: &str) -> Result<&'a [u8], String> {
        self.next()
            .ok_or_else(|| format!("git log's output ends where a {what} was expected"))
    }

    /// Git separates a commit's header from its files with a newline.
    fn skip_newlines(&mut self) {
        while self.bytes.get(self.at) == Some(&b'\n') {
            self.at += 1;
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_files_and_renames() {
        let z = "0".repeat(40);
        let (b1, b2) = ("1".repeat(40), "2".repeat(40));
        let out = [
            b"\x1eaaaaaaaa\x00100\x00A B\x00second: x\x00\n".to_vec(),
            format!(":100644 100644 {b1} {b2} R100\0").into_bytes(),
            b"\xc3\xa9\"q.md\x00renamed.md\x00".to_vec(),
            format!(":100644 100644 {b1} {b1} M\0sub dir/a b.md\0").into_bytes(),
            b"\x1ebbbbbbbb\x0050\x00C\x00first\x00\n".to_vec(),
            format!(":000000 100644 {z} {b2} A\0\nnew\nline.md\0").into_bytes(),
            format!(":100644 000000 {b2} {z} D\0gone.md\0").into_bytes(),
            b"\x1ecccccccc\x0040\x00D\x00empty\x00".to_vec(),
        ]
        .concat();
        let out = out.as_slice();
        let log = log(out).expect("parses");
        assert_eq!(log.commits.len(), 3);
        let c = &log.commits[0];
        assert_eq!(
            (c.hash.as_str(), c.time, c.author.as_str()),
            ("aaaaaaaa", 100, "A B")
        );
        assert_eq!(c.subject, "second: x");
        assert_eq!(c.changes[0].status, Status::Renamed);
        assert_eq!(c.changes[0].from.as_deref(), Some("é\"q.md"));
        assert_eq!(c.changes[0].path, "renamed.md");
        assert_eq!(c.changes[0].blob.as_deref(), Some(b2.as_str()));
        assert_eq!(c.changes[1].path, "sub dir/a b.md");
        // A file name that starts with a newline keeps it.
        assert_eq!(log.commits[1].changes[0].path, "\nnew\nline.md");
        assert_eq!(log.commits[1].changes[1].status, Status::Deleted);
        assert_eq!(log.commits[1].changes[1].blob, None);
        assert!(log.commits[2].changes.is_empty());
    }

    #[test]
    fn truncated_or_strange_output_is_an_error() {
        assert!(log(b"\x1eaaaaaaaa\x00100\x00").is_err());
        assert!(log(b"M\x00a.md\x00").is_err());
        assert!(log(b"\x1eaaaaaaaa\x00x\x00A\x00s\x00").is_err());
        assert!(log(b"\x1eaaaaaaaa\x001\x00A\x00s\x00\nQ\x00a\x00").is_err());
        let odd = format!(":100644 100644 {0} {0} Q\0a\0", "1".repeat(40));
        assert!(log(format!("\x1eaaaaaaaa\x001\x00A\x00s\x00\n{odd}").as_bytes()).is_err());
        assert!(
            log(b"\x1eaaaaaaaa\x001\x00A\x00s\x00\n:100644 100644 xyz abc M\x00a\x00").is_err()
        );
        assert!(log(b"").expect("empty").commits.is_empty());
    }
}
