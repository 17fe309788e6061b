//! Copies a fixture into a temporary folder, runs `sopbook` on it and gives
//! chainable checks over the exit code, stderr and written files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The date every test build checks reviews against, so that tests give
/// the same result next year.
pub(crate) const TODAY: &str = "2026-11-25";

pub(crate) struct Book {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create fixture copy");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl Book {
    /// A fresh copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> Book {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join(name);
        copy_dir(&fixtures().join(name), &root);
        Book { _tmp: tmp, root }
    }

    /// An empty book folder, for cases built from bytes at run time.
    pub(crate) fn empty() -> Book {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("book");
        std::fs::create_dir_all(&root).expect("mkdir");
        Book { _tmp: tmp, root }
    }

    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// Runs `sopbook <args>` with the book root as working directory.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_via(&[], args)
    }

    /// Runs `<wrapper…> sopbook <args>`: e.g. under `setpriv` as another user.
    pub(crate) fn run_via(&self, wrapper: &[&str], args: &[&str]) -> Run {
        self.run_from(&self.root, wrapper, args)
    }

    /// Runs `sopbook <args>` with `dir` (a path from the book root) as
    /// working directory.
    pub(crate) fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        self.run_from(&self.root.join(dir), &[], args)
    }

    fn run_from(&self, dir: &Path, wrapper: &[&str], args: &[&str]) -> Run {
        let bin = env!("CARGO_BIN_EXE_sopbook");
        let mut command = match wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let out = command
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("SOPBOOK_TODAY", TODAY)
            .output()
            .expect("run sopbook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub(crate) fn site(&self) -> PathBuf {
        self.root.join("site")
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.root.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

impl Run {
    #[track_caller]
    pub(crate) fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.stderr, self.stdout
        );
        self
    }

    #[track_caller]
    pub(crate) fn success(&self) -> &Self {
        self.code(0)
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stderr.contains(text),
            "stderr has {text:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let entry = entry.expect("entry");
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

/// The `<main>` element of a page: what snapshots compare.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

#[cfg(unix)]
/// Runs as an unprivileged user when the tests run as root (as in CI),
/// since root reads a file whatever its mode.
pub(crate) fn unprivileged(book: &Book, locked: &Path) -> Vec<&'static str> {
    let readable = if locked.is_dir() {
        std::fs::read_dir(locked).is_ok()
    } else {
        std::fs::read(locked).is_ok()
    };
    if !readable {
        return Vec::new();
    }
    // The temp folder is private to its owner; the book must be reachable.
    let tmp = book.root.parent().expect("tempdir");
    std::fs::set_permissions(
        tmp,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .expect("chmod");
    vec![
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
    ]
}

/// A response read off a raw connection.
pub(crate) struct Reply {
    pub status: u16,
    /// Header lines, names lowercased: `("content-range", "bytes 0-9/100")`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `head` (request line and headers, without the blank line that
/// ends them) to a server on 127.0.0.1 and reads the whole response.
pub(crate) fn http(port: u16, head: &str) -> Reply {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("timeout");
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: response[split + 4..].to_vec(),
    }
}
