//! Walks the content dir in a stable order and reads the Markdown sources
//! (and, for the `unsafe-url` check, the SVG assets).
//! Together with `output` and `serve`, the only code that reads the disk.
//!
//! Walking and reading are separate so that `serve` can walk on every
//! change and read only the files whose size or time changed.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::failure::Failure;

/// A Markdown source found by the walk.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Path inside the content dir, '/'-separated.
    pub rel: String,
    pub abs: PathBuf,
    /// `None` until it is read or compared: a first check takes it from
    /// the open file while reading it ([`read`]), one system call fewer
    /// a file than a separate look at its path.
    pub stamp: Option<Stamp>,
}

/// Size and modification time: a file whose stamp is unchanged is not
/// read again by `serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// Any other file: copied to the same path in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub abs: PathBuf,
}

/// What the content dir holds, in sorted order.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub markdown: Vec<Found>,
    pub assets: Vec<Asset>,
    /// Folders, for links to a folder (`[x](../payroll/)`).
    pub dirs: Vec<String>,
    /// Entries that are neither files nor folders: not read, and warned
    /// about so that a page does not vanish without a word.
    pub skipped: Vec<Skipped>,
}

/// An entry of the content dir that sopbook does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    pub rel: String,
    pub why: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SkipReason {
    /// Not followed: a book never reads or publishes a file from outside
    /// its content dir, and a link loop cannot trap the walk. Holds where
    /// the link points, as written in it.
    Symlink(String),
    /// A FIFO, socket or device: reading one could block forever.
    Special,
}

pub(crate) fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Files an editor or the OS leaves behind, never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Lists the content dir.
pub(crate) fn walk(content_dir: &Path) -> Result<Listing, Failure> {
    let meta = std::fs::metadata(content_dir).map_err(|e| {
        Failure::io("read the content dir", content_dir, &e)
            .help("create it, or set `content-dir` under [build] in book.toml")
    })?;
    if !meta.is_dir() {
        return Err(Failure::new(format!(
            "the content dir {} is not a folder",
            content_dir.display()
        )));
    }
    let mut listing = Listing::default();
    for entry in walker(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(not_ignored)
    {
        visit(entry, content_dir, &mut listing)?;
    }
    use rayon::prelude::*;
    // `build` copies the assets: one it could not read must stop `check`
    // too (and the serve overlay), not only the copy. One deleted since
    // the walk is not there.
    let opened: Vec<Result<bool, Failure>> = listing
        .assets
        .par_iter()
        .map(|a| match std::fs::File::open(&a.abs) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(unreadable(Failure::io("read", &a.abs, &e), &e)),
        })
        .collect();
    let mut kept = Vec::with_capacity(listing.assets.len());
    for (asset, opened) in std::mem::take(&mut listing.assets).into_iter().zip(opened) {
        if opened? {
            kept.push(asset);
        }
    }
    listing.assets = kept;
    // By path, not walk order (`a-b.md` before `a/x.md`): `serve` inserts
    // new files with a binary search.
    listing.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.dirs.sort();
    listing.skipped.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(listing)
}

/// A walk of `dir` below itself, never following links.
fn walker(dir: &Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(dir).min_depth(1).follow_links(false)
}

fn not_ignored(e: &walkdir::DirEntry) -> bool {
    !is_ignored(&e.file_name().to_string_lossy())
}

/// Adds one entry of the walk to `listing`: a Markdown file, an asset, a
/// folder, or what is skipped (links, sockets…).
fn visit(
    entry: walkdir::Result<walkdir::DirEntry>,
    content_dir: &Path,
    listing: &mut Listing,
) -> Result<(), Failure> {
    let entry = match entry {
        Ok(entry) => entry,
        // A file deleted while we walk (an editor's save) is not there.
        Err(e)
            if e.io_error()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
        {
            return Ok(());
        }
        Err(e) => {
            let path = e.path().unwrap_or(content_dir).to_path_buf();
            return Err(match e.io_error() {
                Some(io) => unreadable(Failure::io("read", &path, io), io),
                None => Failure::new(format!("cannot read {}: {e}", path.display())),
            });
        }
    };
    let Some(rel) = relative(content_dir, entry.path()) else {
        return Ok(());
    };
    let file_type = entry.file_type();
    if file_type.is_symlink() {
        let target = std::fs::read_link(entry.path())
            .map(|t| t.to_string_lossy().into_owned())
            .unwrap_or_default();
        listing.skipped.push(Skipped {
            rel,
            why: SkipReason::Symlink(target),
        });
    } else if !file_type.is_dir() && !file_type.is_file() {
        listing.skipped.push(Skipped {
            rel,
            why: SkipReason::Special,
        });
    } else if file_type.is_dir() {
        listing.dirs.push(rel);
    } else if is_markdown(&rel) {
        // Its size and time are taken when it is read or compared.
        listing.markdown.push(Found {
            rel,
            abs: entry.into_path(),
            stamp: None,
        });
    } else {
        listing.assets.push(Asset {
            rel,
            abs: entry.into_path(),
        });
    }
    Ok(())
}

/// Reads a Markdown file: its text (BOM removed), or what of it could be
/// decoded; and its stamp, from the open file.
pub(crate) fn read(abs: &Path) -> Result<(Result<String, Undecodable>, Stamp), Failure> {
    use std::io::Read;
    let fail = |e: std::io::Error| unreadable(Failure::io("read", abs, &e), &e);
    let mut file = std::fs::File::open(abs).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(meta.len()).unwrap_or(0))
        .map_err(|_| Failure::new(format!("{} is too large to read", abs.display())))?;
    file.read_to_end(&mut bytes).map_err(fail)?;
    Ok((decode(bytes), Stamp::of(&meta)))
}

impl Stamp {
    pub(crate) fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// SVG files larger than this are not read for the `unsafe-url` check: a
/// drawing that big is a diagram export, and reading it on every build
/// (and every `serve` rebuild) would cost more than the check is worth.
pub(crate) const SVG_READ_LIMIT: u64 = 4 * 1024 * 1024;

/// An SVG asset's text, for the `unsafe-url` check.
#[derive(Debug, Clone)]
pub struct SvgText {
    /// Path inside the content dir.
    pub rel: String,
    pub text: String,
}

pub(crate) fn is_svg(rel: &str) -> bool {
    rel.to_ascii_lowercase().ends_with(".svg")
}

/// An SVG's bytes as text: invalid UTF-8 becomes U+FFFD (the markup that
/// matters is ASCII), a BOM is dropped; `None` past [`SVG_READ_LIMIT`].
pub(crate) fn svg_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() as u64 > SVG_READ_LIMIT {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// Reads the SVG assets of the content dir, leaving out those over
/// [`SVG_READ_LIMIT`] and any deleted since the walk.
pub(crate) fn read_svgs(assets: &[Asset]) -> Result<Vec<SvgText>, Failure> {
    use std::io::Read;
    let mut svgs = Vec::new();
    for asset in assets.iter().filter(|a| is_svg(&a.rel)) {
        let file = match std::fs::File::open(&asset.abs) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(unreadable(Failure::io("read", &asset.abs, &e), &e)),
        };
        if file.metadata().is_ok_and(|m| m.len() > SVG_READ_LIMIT) {
            continue;
        }
        // Bounded even if the file grows after its size was read.
        let mut bytes = Vec::new();
        file.take(SVG_READ_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(Failure::io("read", &asset.abs, &e), &e))?;
        if let Some(text) = svg_text(&bytes) {
            svgs.push(SvgText {
                rel: asset.rel.clone(),
                text,
            });
        }
    }
    Ok(svgs)
}

/// A file that is not UTF-8 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Undecodable {
    /// The text before the first bad byte, so the finding can give its
    /// line and column (empty for a binary file).
    pub valid: String,
    /// A NUL byte in the first 8000 (git's test): an image or a document,
    /// not text.
    pub binary: bool,
}

/// UTF-8 with an optional BOM; on failure, the text up to the first bad
/// byte. A NUL near the start also fails: it is valid UTF-8, but no text
/// file holds one.
pub(crate) fn decode(mut bytes: Vec<u8>) -> Result<String, Undecodable> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes[..bytes.len().min(8000)].contains(&0) {
        // Its "lines" mean nothing: the finding points at the start.
        return Err(Undecodable {
            valid: String::new(),
            binary: true,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let end = e.utf8_error().valid_up_to();
        let mut bytes = e.into_bytes();
        bytes.truncate(end);
        Undecodable {
            valid: String::from_utf8(bytes).unwrap_or_default(),
            binary: false,
        }
    })
}

/// A permission problem says what to do about it.
fn unreadable(failure: Failure, err: &std::io::Error) -> Failure {
    if err.kind() == std::io::ErrorKind::PermissionDenied {
        failure.help("let sopbook's user read it (`chmod a+r`), or move it out of the content dir")
    } else {
        failure
    }
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    crate::paths::rel_under(base, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_rejects_latin1() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_owned()));
        let latin1 = decode(b"a\nb\xE9".to_vec()).expect_err("not UTF-8");
        assert_eq!((latin1.valid.as_str(), latin1.binary), ("a\nb", false));
        let png = decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec()).expect_err("not UTF-8");
        assert_eq!((png.valid.as_str(), png.binary), ("", true));
        let nul = decode(b"ok\n\0\0".to_vec()).expect_err("binary");
        assert_eq!((nul.valid.as_str(), nul.binary), ("", true));
    }

    #[test]
    fn svg_text_tolerates_bad_bytes_and_skips_huge_files() {
        assert_eq!(
            svg_text(b"\xEF\xBB\xBF<svg>\xFF</svg>").as_deref(),
            Some("<svg>\u{FFFD}</svg>")
        );
        assert!(svg_text(&vec![b' '; SVG_READ_LIMIT as usize + 1]).is_none());
        assert!(is_svg("img/Flow.SVG") && !is_svg("a.svgz"));
    }
}
