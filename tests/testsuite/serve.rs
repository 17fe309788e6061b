//! `sopbook serve`: a real server on a free port, a WebSocket client, and
//! every way editors save. Tests wait for events with generous timeouts,
//! never for fixed sleeps.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::{Book, Reply, TODAY};

pub(crate) const PATIENCE: Duration = Duration::from_secs(30);

pub(crate) struct Server {
    child: Child,
    pub port: u16,
    /// Everything the server wrote to stderr so far.
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(book: &Book) -> Server {
    Launch::new(book).start()
}

pub(crate) fn start_with(book: &Book, extra: &[&str]) -> Server {
    Launch::new(book).args(extra).start()
}

/// `sopbook serve` with chosen arguments, environment, working folder and
/// wrapper (`setpriv` to run as another user).
pub(crate) struct Launch<'a> {
    book: &'a Book,
    args: Vec<String>,
    env: Vec<(String, String)>,
    wrapper: Vec<String>,
    dir: Option<String>,
    /// The working folder, from the book root (default: the root).
    cwd: Option<String>,
}

impl<'a> Launch<'a> {
    pub(crate) fn new(book: &'a Book) -> Launch<'a> {
        Launch {
            book,
            args: Vec::new(),
            env: Vec::new(),
            wrapper: Vec::new(),
            dir: None,
            cwd: None,
        }
    }

    pub(crate) fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    pub(crate) fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    // Only the Unix tests run the server under another user.
    #[cfg(unix)]
    pub(crate) fn via(mut self, wrapper: &[&str]) -> Self {
        self.wrapper = wrapper.iter().map(|a| (*a).to_owned()).collect();
        self
    }

    /// Serve the book named by this path (e.g. its absolute path) instead
    /// of the working folder.
    pub(crate) fn dir(mut self, dir: &str) -> Self {
        self.dir = Some(dir.to_owned());
        self
    }

    /// Run from this folder inside the book, naming no book: serve finds
    /// it above.
    pub(crate) fn dir_from(mut self, folder: &str) -> Self {
        self.cwd = Some(folder.to_owned());
        self
    }

    pub(crate) fn start(self) -> Server {
        let bin = env!("CARGO_BIN_EXE_sopbook");
        let mut command = match self.wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        command.arg("serve");
        if let Some(dir) = &self.dir {
            command.arg(dir);
        }
        let mut child = command
            .args(["--port", "0"])
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.book.root.join(self.cwd.as_deref().unwrap_or("")))
            .env("NO_COLOR", "1")
            .env("SOPBOOK_TODAY", TODAY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sopbook serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap_or_else(|e| e.into_inner());
                all.push_str(&line);
                all.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the URL line");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                panic!(
                    "no port in {line:?}; stderr: {}",
                    stderr.lock().unwrap_or_else(|e| e.into_inner())
                )
            });
        Server {
            child,
            port,
            stderr,
        }
    }
}

pub(crate) type Socket = tungstenite::WebSocket<TcpStream>;

impl Server {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to stderr so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sends `head` (request line and headers, without the blank line
    /// that ends them) and reads the whole response.
    pub(crate) fn request(&self, head: &str) -> Reply {
        crate::harness::http(self.port, head)
    }

    pub(crate) fn socket(&self) -> Socket {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let url = format!("ws://127.0.0.1:{}/__sopbook/ws", self.port);
        let (mut ws, _) = tungstenite::client(url.as_str(), stream).expect("websocket handshake");
        ws.get_mut()
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let hello = next_message(&mut ws).expect("hello");
        assert!(hello.contains("\"hello\""), "{hello}");
        ws
    }

    /// `(status, body)` of a GET, on a raw HTTP/1.1 connection.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let reply = self.request(&format!("GET {path} HTTP/1.1\r\nHost: localhost"));
        (reply.status, reply.text())
    }
}

pub(crate) fn next_message(ws: &mut Socket) -> Option<String> {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        match ws.read() {
            Ok(tungstenite::Message::Text(t)) => return Some(t.to_string()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("websocket: {e}"),
        }
    }
    None
}

/// Waits for a message of `kind` ("reload" or "error"); returns it.
#[track_caller]
pub(crate) fn wait_for(ws: &mut Socket, kind: &str) -> String {
    let want = format!("\"type\":\"{kind}\"");
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if let Some(m) = next_message(ws)
            && m.contains(&want)
        {
            return m;
        }
    }
    panic!("no {kind} message within {PATIENCE:?}");
}

/// Waits until `path` answers with a body containing `text` (a burst may
/// need more than one rebuild).
#[track_caller]
pub(crate) fn wait_for_content(server: &Server, path: &str, text: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, body) = server.get(path);
        if status == 200 && body.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {text:?} (last status {status})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const PAGE: &str = "content/guides/glossary.md";

fn page(text: &str) -> String {
    format!("+++\ntitle = \"Glossary\"\n+++\n## Terms\n\n{text}\n")
}

#[test]
fn write_in_place_reloads_and_serves_the_new_text() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    let (status, body) = server.get("/glossary.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("<script src=\"/__sopbook/reload.js\""),
        "the reload script is injected"
    );
    book.write(PAGE, page("Written in place."));
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Written in place.");
}

#[test]
fn polling_sees_a_write_too() {
    let book = Book::fixture("full");
    let server = start_with(&book, &["--poll"]);
    let mut ws = server.socket();
    book.write(PAGE, page("Seen by polling."));
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Seen by polling.");
}

#[test]
fn write_a_temp_file_then_rename_over() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    book.write("content/guides/.glossary.md.tmp", page("Renamed over."));
    std::fs::rename(
        book.root.join("content/guides/.glossary.md.tmp"),
        book.root.join(PAGE),
    )
    .expect("rename");
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Renamed over.");
}

#[test]
fn delete_then_recreate() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    std::fs::remove_file(book.root.join(PAGE)).expect("rm");
    book.write(PAGE, page("Recreated."));
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Recreated.");
}

#[test]
fn a_burst_of_a_hundred_writes_ends_in_the_last_one() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    for i in 0..100 {
        book.write(PAGE, page(&format!("Version {i}.")));
    }
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Version 99.");
}

#[test]
fn a_new_file_appears_and_a_deleted_one_is_gone_with_its_links_reported() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    book.write(
        "content/guides/holidays.md",
        "+++\ntitle = \"Holidays\"\n+++\nTwenty-five days.\n",
    );
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/holidays.html", "Twenty-five days.");
    // The glossary is linked from index.md and payroll/fix.md.
    std::fs::remove_file(book.root.join(PAGE)).expect("rm");
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("broken-link"), "{error}");
    assert!(error.contains("glossary"), "{error}");
    // The last good build stays up while the book is broken.
    assert_eq!(server.get("/glossary.html").0, 200);
}

#[test]
fn book_toml_and_template_changes_take_effect() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    let toml = book
        .read("book.toml")
        .replace("title = \"Full <Book>\"", "title = \"Renamed Book\"");
    book.write("book.toml", toml);
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/index.html", "Renamed Book");
    book.write("themes/default/templates/page.html", "{% extends \"base.html\" %}{% block content %}<p class=\"overridden\">{{ view.title }}</p>{% endblock content %}");
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "class=\"overridden\"");
}

#[test]
fn a_broken_edit_shows_an_overlay_and_the_next_good_save_clears_it() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    book.write(PAGE, "+++\ntitle = \"Glossary\n+++\n");
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("front-matter"), "{error}");
    assert!(error.contains("glossary.md"), "{error}");
    // A tab opened now is told about the errors at once.
    let mut late = server.socket();
    assert!(next_message(&mut late).is_some_and(|m| m.contains("\"error\"")));
    book.write(PAGE, page("Fixed."));
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "Fixed.");
    let mut fresh = server.socket();
    fresh
        .get_mut()
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    assert!(
        !matches!(fresh.read(), Ok(tungstenite::Message::Text(t)) if t.contains("\"error\"")),
        "no error after the fix"
    );
}

#[test]
fn only_files_of_the_site_are_served() {
    let book = Book::fixture("full");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", book.root.join("content/leak.txt"))
        .expect("symlink");
    let server = start(&book);
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/payroll/%2e%2e/%2e%2e/book.toml",
        "/a%2f..%2fbook.toml",
        "/content/payroll/run.md",
        "/book.toml",
        "/leak.txt",
        "//etc/passwd",
    ] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
    assert_eq!(
        server.get("/payroll/img/flow.svg").0,
        200,
        "assets are served"
    );
    assert_eq!(
        server.get("/pay").0,
        301,
        "a folder without its slash redirects"
    );
    // A process's part of the sidebar is made on request like nav.js; a
    // process that is not there has none.
    let (status, body) = server.get("/nav/pay.js");
    assert_eq!(status, 200);
    assert!(body.contains("[\"pay/index.html\"]="), "{body}");
    assert_eq!(server.get("/nav/nothing.js").0, 404);
}

#[test]
fn the_built_site_carries_no_reload_script() {
    let book = Book::fixture("full");
    book.build().success();
    for (path, bytes) in crate::harness::tree(&book.site()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__sopbook"),
            "{path}"
        );
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let book = Book::fixture("full");
    book.run(&["serve", "--port", &port])
        .code(2)
        .stderr_has(&format!("port {port} on 127.0.0.1 is already in use"))
        .stderr_has("--port 0");
}

// ---- The content dir replaced under the watcher, and recovery from
// rebuilds that stopped early (SPEC §10).

/// Edits the glossary and waits until the server shows the edit.
#[track_caller]
fn edit_is_served(book: &Book, server: &Server, text: &str) {
    book.write(PAGE, page(text));
    wait_for_content(server, "/glossary.html", text);
}

#[test]
fn the_content_dir_deleted_and_restored_is_watched_again() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    let content = book.root.join("content");
    let saved = book.root.parent().expect("tmp").join("saved");
    crate::harness::copy_dir(&content, &saved);
    std::fs::remove_dir_all(&content).expect("rm -rf content");
    wait_for(&mut ws, "error");
    crate::harness::copy_dir(&saved, &content);
    wait_for(&mut ws, "reload");
    edit_is_served(&book, &server, "After the restore.");
    edit_is_served(&book, &server, "And the next save.");
}

#[test]
fn the_content_dir_swapped_by_mv_is_watched_again() {
    let book = Book::fixture("full");
    let server = start(&book);
    let content = book.root.join("content");
    let fresh = book.root.join("content.new");
    crate::harness::copy_dir(&content, &fresh);
    std::fs::write(fresh.join("guides/glossary.md"), page("The new tree.")).expect("write");
    std::fs::rename(&content, book.root.join("content.old")).expect("mv content away");
    std::fs::rename(&fresh, &content).expect("mv the new one in");
    wait_for_content(&server, "/glossary.html", "The new tree.");
    edit_is_served(&book, &server, "Saved in the new tree.");
    // The old tree, still on disk under another name, is not the book.
    std::fs::write(
        book.root.join("content.old/guides/glossary.md"),
        page("Saved in the old tree."),
    )
    .expect("write");
    edit_is_served(&book, &server, "Saved in the new tree again.");
    assert!(!server.get("/glossary.html").1.contains("old tree"));
}

#[cfg(unix)]
#[test]
fn the_content_dir_replaced_by_a_link_is_followed() {
    let book = Book::fixture("full");
    let server = start(&book);
    let content = book.root.join("content");
    let elsewhere = book.root.parent().expect("tmp").join("elsewhere");
    crate::harness::copy_dir(&content, &elsewhere);
    std::fs::write(
        elsewhere.join("guides/glossary.md"),
        page("Through the link."),
    )
    .expect("write");
    std::fs::remove_dir_all(&content).expect("rm -rf content");
    std::os::unix::fs::symlink(&elsewhere, &content).expect("ln -s");
    wait_for_content(&server, "/glossary.html", "Through the link.");
    edit_is_served(&book, &server, "Saved through the link.");
    std::fs::write(
        elsewhere.join("guides/glossary.md"),
        page("Saved at the target."),
    )
    .expect("write");
    wait_for_content(&server, "/glossary.html", "Saved at the target.");
}

#[test]
fn an_edit_made_while_book_toml_was_broken_shows_once_it_is_fixed() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    let good = book.read("book.toml");
    book.write("book.toml", "[book\ntitle = \"Broken\"\n");
    wait_for(&mut ws, "error");
    book.write(PAGE, page("Edited while book.toml was broken."));
    wait_for(&mut ws, "error");
    book.write("book.toml", good);
    wait_for(&mut ws, "reload");
    wait_for_content(
        &server,
        "/glossary.html",
        "Edited while book.toml was broken.",
    );
}

#[test]
fn a_broken_theme_keeps_its_overlay_until_it_is_fixed() {
    let book = Book::fixture("full");
    let server = start(&book);
    let mut ws = server.socket();
    let template = "themes/default/templates/page.html";
    book.write(
        template,
        "{% extends \"base.html\" %}{% block content %}{{ view.title {% endblock content %}",
    );
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("template"), "{error}");
    // An unrelated save does not clear it: `check` still fails the same way.
    book.write(
        "content/guides/other.md",
        "+++\ntitle = \"Other\"\n+++\nText.\n",
    );
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("template"), "{error}");
    book.write(template, "{% extends \"base.html\" %}{% block content %}<p class=\"fixed\">{{ view.title }}</p>{% endblock content %}");
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "class=\"fixed\"");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_keeps_its_overlay_at_the_next_unrelated_save() {
    use std::os::unix::fs::PermissionsExt;
    let book = Book::fixture("full");
    book.write(
        "content/guides/secret.md",
        "+++\ntitle = \"Secret\"\n+++\nText.\n",
    );
    let secret = book.root.join("content/guides/secret.md");
    // Root reads a file whatever its mode: the server runs as nobody then.
    let wrapper = crate::harness::unprivileged(&book, &secret);
    let server = Launch::new(&book).via(&wrapper).start();
    let mut ws = server.socket();
    let secret = book.root.join("content/guides/secret.md");
    book.write(
        "content/guides/secret.md",
        "+++\ntitle = \"Secret\"\n+++\nText.\n",
    );
    wait_for(&mut ws, "reload");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("secret.md"), "{error}");
    book.write(PAGE, page("An unrelated save."));
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("secret.md"), "{error}");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    wait_for(&mut ws, "reload");
    wait_for_content(&server, "/glossary.html", "An unrelated save.");
}
