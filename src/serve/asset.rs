//! Assets (images, PDFs, videos) streamed from the book: `Range`,
//! `If-Range` and HEAD, so video seeking works in every browser (Safari
//! plays nothing without ranges), and never more than a chunk in memory.
//! Files are opened one path component at a time without following
//! symbolic links: an asset swapped for a link to a file outside the book
//! is refused even in the instant before the watcher notices.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::io::{AsyncRead, AsyncSeekExt, ReadBuf};

/// Bytes read from disk per body frame.
const CHUNK: usize = 64 * 1024;

/// Answers a GET or HEAD for the file at `base/rel` (`rel` '/'-separated,
/// inside the site); `None` when it cannot be opened as a regular file
/// without crossing a symbolic link.
pub(super) async fn serve(
    base: PathBuf,
    rel: String,
    method: &Method,
    headers: &HeaderMap,
) -> Option<Response> {
    let kind = content_type(&rel);
    let file = tokio::task::spawn_blocking(move || open_inside(&base, &rel))
        .await
        .ok()?
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let len = meta.len();
    let modified = meta.modified().ok();
    let etag = etag(len, modified);
    let mut out = HeaderMap::new();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    insert(&mut out, header::ETAG, &etag);
    if let Some(m) = modified {
        insert(&mut out, header::LAST_MODIFIED, &httpdate::fmt_http_date(m));
    }
    let (status, range) = match wanted(headers, len, &etag, modified) {
        Wanted::Whole => (StatusCode::OK, 0..len),
        Wanted::Part(range) => {
            let value = format!("bytes {}-{}/{len}", range.start, range.end - 1);
            insert(&mut out, header::CONTENT_RANGE, &value);
            (StatusCode::PARTIAL_CONTENT, range)
        }
        Wanted::Unsatisfiable => {
            insert(&mut out, header::CONTENT_RANGE, &format!("bytes */{len}"));
            return Some((StatusCode::RANGE_NOT_SATISFIABLE, out).into_response());
        }
    };
    insert(
        &mut out,
        header::CONTENT_LENGTH,
        &(range.end - range.start).to_string(),
    );
    if method == Method::HEAD {
        return Some((status, out).into_response());
    }
    let mut file = tokio::fs::File::from_std(file);
    if range.start > 0 && file.seek(io::SeekFrom::Start(range.start)).await.is_err() {
        return None;
    }
    let body = Body::new(FileBody {
        file,
        remaining: range.end - range.start,
        buf: vec![0; CHUNK],
    });
    Some((status, out, body).into_response())
}

fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// A validator that changes whenever the file's size or time does.
fn etag(len: u64, modified: Option<SystemTime>) -> String {
    let nanos = modified
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{len:x}-{nanos:x}\"")
}

#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// What part of a file of `len` bytes the request asks for (RFC 9110
/// §14.2). A `Range` the server cannot honour whole (several ranges, a
/// malformed header, another unit, an `If-Range` for another version) gets
/// the whole file, as the RFC allows; a single range that starts past the
/// end is 416; a suffix longer than the file, or an end past it, is cut
/// to the file.
fn wanted(headers: &HeaderMap, len: u64, etag: &str, modified: Option<SystemTime>) -> Wanted {
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::Whole;
    };
    if let Some(condition) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        let condition = condition.trim();
        let same = if condition.starts_with('"') {
            condition == etag
        } else {
            // A date matches only the exact second the file was changed.
            match (httpdate::parse_http_date(condition), modified) {
                (Ok(date), Some(m)) => httpdate::fmt_http_date(m) == httpdate::fmt_http_date(date),
                _ => false,
            }
        };
        if !same {
            return Wanted::Whole;
        }
    }
    let Some(spec) = range
        .trim()
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
    else {
        return Wanted::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // `-N`: the last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                Wanted::Unsatisfiable
            } else {
                Wanted::Part(len.saturating_sub(suffix)..len)
            }
        }
        // `N-` or `N-M`.
        (false, Some(start), end)
            if end.is_none_or(|e| e >= start) && last.trim().is_empty() == end.is_none() =>
        {
            if start >= len {
                Wanted::Unsatisfiable
            } else {
                let end = end.map_or(len, |e| e.saturating_add(1).min(len));
                Wanted::Part(start..end)
            }
        }
        _ => Wanted::Whole,
    }
}

/// The `Content-Type` for a served file, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        // Text gets its charset; the guesser gives the bare type.
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        _ => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

/// Opens `base/rel` for reading, refusing a symbolic link at any component
/// of `rel` and anything but a regular file at the end. `base` itself (the
/// content dir) may be a link: it is the book's own choice.
#[cfg(unix)]
fn open_inside(base: &Path, rel: &str) -> io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags, open, openat};
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    let mut fd = open(
        base,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    for (i, part) in parts.iter().enumerate() {
        let flags = if i + 1 == parts.len() {
            // NONBLOCK: a FIFO put in a file's place must not hang the
            // open; it is refused below as not a regular file.
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK
        } else {
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::DIRECTORY
        };
        fd = openat(&fd, *part, flags, Mode::empty())?;
    }
    let file = std::fs::File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    Ok(file)
}

/// Without `openat`, each component is checked before the open: a swap in
/// between is not caught, which only this platform's lack of the call
/// excuses.
#[cfg(not(unix))]
fn open_inside(base: &Path, rel: &str) -> io::Result<std::fs::File> {
    let mut path = base.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." {
            return Err(io::ErrorKind::InvalidInput.into());
        }
        path.push(part);
        if std::fs::symlink_metadata(&path)?.file_type().is_symlink() {
            return Err(io::ErrorKind::InvalidInput.into());
        }
    }
    let file = std::fs::File::open(&path)?;
    if !file.metadata()?.is_file() {
        return Err(io::ErrorKind::InvalidInput.into());
    }
    Ok(file)
}

/// The bytes of one range of a file, a chunk per frame.
struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
    buf: Vec<u8>,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = usize::try_from(this.remaining).map_or(CHUNK, |r| r.min(CHUNK));
        let mut buf = ReadBuf::new(&mut this.buf[..want]);
        match Pin::new(&mut this.file).poll_read(cx, &mut buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let n = buf.filled().len();
                if n == 0 {
                    // The file shrank while being sent: end the response
                    // as an error rather than short of its length.
                    return Poll::Ready(Some(Err(io::ErrorKind::UnexpectedEof.into())));
                }
                this.remaining -= n as u64;
                Poll::Ready(Some(Ok(Frame::data(Bytes::copy_from_slice(buf.filled())))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(name.clone(), HeaderValue::from_str(value).expect("value"));
        }
        h
    }

    #[test]
    fn ranges_are_honoured_one_at_a_time() {
        let tag = "\"a-1\"";
        let w = |pairs: &[(header::HeaderName, &str)]| wanted(&headers(pairs), 100, tag, None);
        assert_eq!(w(&[]), Wanted::Whole);
        assert_eq!(w(&[(header::RANGE, "bytes=0-9")]), Wanted::Part(0..10));
        assert_eq!(w(&[(header::RANGE, "bytes=90-")]), Wanted::Part(90..100));
        assert_eq!(w(&[(header::RANGE, "bytes=-5")]), Wanted::Part(95..100));
        assert_eq!(w(&[(header::RANGE, "bytes=0-1,5-6")]), Wanted::Whole);
        assert_eq!(w(&[(header::RANGE, "pages=1")]), Wanted::Whole);
        assert_eq!(
            w(&[(header::RANGE, "bytes=200-300")]),
            Wanted::Unsatisfiable
        );
        let same = [(header::RANGE, "bytes=0-9"), (header::IF_RANGE, tag)];
        assert_eq!(w(&same), Wanted::Part(0..10));
        let other = [(header::RANGE, "bytes=0-9"), (header::IF_RANGE, "\"b-2\"")];
        assert_eq!(w(&other), Wanted::Whole);
    }

    #[test]
    fn office_and_media_files_get_their_types() {
        assert_eq!(content_type("a/b.CSV"), "text/csv; charset=utf-8");
        assert_eq!(content_type("x.mp4"), "video/mp4");
        assert_eq!(content_type("x.webm"), "video/webm");
        assert_eq!(content_type("x.pdf"), "application/pdf");
        assert_eq!(
            content_type("x.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(
            content_type("x.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_base_are_never_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let base = tmp.path().join("content");
        std::fs::create_dir_all(base.join("docs")).expect("mkdir");
        std::fs::write(base.join("docs/a.txt"), "inside").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "secret").expect("write");
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), base.join("docs/b.txt"))
            .expect("link");
        std::os::unix::fs::symlink(tmp.path(), base.join("up")).expect("link");
        assert!(open_inside(&base, "docs/a.txt").is_ok());
        assert!(open_inside(&base, "docs/b.txt").is_err());
        assert!(open_inside(&base, "up/secret.txt").is_err());
        assert!(open_inside(&base, "docs/../../secret.txt").is_err());
        assert!(open_inside(&base, "docs").is_err());
    }
}
