//! `sopbook serve`: a real server on a free port, a WebSocket client, and
//! every way editors save. Tests wait for events with generous timeouts,
//! never for fixed sleeps.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Book, TODAY};

const PATIENCE: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(book: &Book) -> Server {
    start_with(book, &[])
}

fn start_with(book: &Book, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(&book.root)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", TODAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sopbook serve");
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
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server { child, port }
}

type Socket = tungstenite::WebSocket<TcpStream>;

impl Server {
    fn socket(&self) -> Socket {
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
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("response");
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }
}

fn next_message(ws: &mut Socket) -> Option<String> {
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
fn wait_for(ws: &mut Socket, kind: &str) -> String {
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
fn wait_for_content(server: &Server, path: &str, text: &str) {
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
