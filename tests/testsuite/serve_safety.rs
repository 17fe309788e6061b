//! The preview server as an attacker meets it (SPEC §10): foreign `Host`
//! and `Origin` refused, silent and idle connections closed, a capped
//! number of them, assets streamed with ranges and never through a link,
//! redirects that cannot name another host, no path of the machine sent.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::Book;
use crate::serve::{Launch, PATIENCE, Server, next_message, start, start_with, wait_for};

fn get_as(server: &Server, path: &str, host: &str) -> u16 {
    server
        .request(&format!("GET {path} HTTP/1.1\r\nHost: {host}"))
        .status
}

#[test]
fn only_this_machines_names_are_answered() {
    let book = Book::fixture("full");
    let server = start_with(&book, &["--allow-host", "handbook.test"]);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("handbook.test:{port}"),
    ] {
        assert_eq!(get_as(&server, "/", &host), 200, "{host}");
    }
    // A page that rebinds its own name to 127.0.0.1 sends its own name.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("localhost.evil.example:{port}"),
        format!("10.1.2.3:{port}"),
    ] {
        assert_eq!(get_as(&server, "/", &host), 403, "{host}");
        assert_eq!(
            get_as(&server, "/payroll/img/flow.svg", &host),
            403,
            "{host}"
        );
        assert_eq!(get_as(&server, "/__sopbook/ws", &host), 403, "{host}");
    }
    let reply = server.request("GET / HTTP/1.0");
    assert_eq!(reply.status, 403, "no Host at all");
    // An absolute-form target names the host, whatever `Host` says.
    let absolute = server.request("GET http://evil.example/ HTTP/1.1\r\nHost: localhost");
    assert_eq!(absolute.status, 403, "absolute-form target");
    let own = server.request(&format!(
        "GET http://localhost:{port}/ HTTP/1.1\r\nHost: localhost"
    ));
    assert_eq!(own.status, 200, "absolute-form target of our own");
    let twice = server.request("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example");
    assert_eq!(twice.status, 400, "two Host headers");
}

#[test]
fn another_sites_page_cannot_load_the_previews_files() {
    let book = Book::fixture("full");
    let server = start(&book);
    let fetch = |path: &str, site: &str, mode: &str| {
        server
            .request(&format!(
                "GET {path} HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: {site}\r\nSec-Fetch-Mode: {mode}"
            ))
            .status
    };
    // `<script src="http://127.0.0.1:3000/nav.js">` on another site (or
    // another port of this machine) would hand that page the whole book.
    assert_eq!(fetch("/nav.js", "cross-site", "no-cors"), 403);
    assert_eq!(fetch("/nav.js", "same-site", "no-cors"), 403);
    assert_eq!(fetch("/payroll/img/flow.svg", "cross-site", "no-cors"), 403);
    assert_eq!(fetch("/graph.json", "cross-site", "cors"), 403);
    // The preview's own pages, and following a link to it from anywhere.
    assert_eq!(fetch("/nav.js", "same-origin", "no-cors"), 200);
    assert_eq!(fetch("/glossary.html", "cross-site", "navigate"), 200);
    assert_eq!(fetch("/glossary.html", "none", "navigate"), 200);
}

/// The WebSocket handshake with these extra headers; `Err` with the
/// status when it is refused.
fn handshake(server: &Server, host: &str, origin: Option<&str>) -> Result<(), u16> {
    let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut request = tungstenite::client::IntoClientRequest::into_client_request(format!(
        "ws://{host}/__sopbook/ws"
    ))
    .expect("request");
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().expect("origin"));
    }
    match tungstenite::client(request, stream) {
        Ok(_) => Ok(()),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            Err(response.status().as_u16())
        }
        Err(e) => panic!("handshake: {e}"),
    }
}

#[test]
fn the_live_reload_socket_is_for_this_servers_own_pages() {
    let book = Book::fixture("full");
    let server = start(&book);
    let host = format!("127.0.0.1:{}", server.port);
    assert_eq!(
        handshake(&server, &host, Some(&format!("http://{host}"))),
        Ok(())
    );
    assert_eq!(
        handshake(&server, &host, None),
        Ok(()),
        "a tool without a browser"
    );
    assert_eq!(
        handshake(&server, &host, Some("http://evil.example")),
        Err(403)
    );
    let other_port = format!("http://127.0.0.1:{}", server.port + 1);
    assert_eq!(handshake(&server, &host, Some(&other_port)), Err(403));
    assert_eq!(handshake(&server, &host, Some("null")), Err(403));
}

/// How long until the server closes a connection that sent `bytes`.
fn closes_after(server: &Server, bytes: &[u8]) -> Duration {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.write_all(bytes).expect("write");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let start = Instant::now();
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!(
            "the connection stayed open ({e}) after {:?}",
            start.elapsed()
        ),
    }
    start.elapsed()
}

#[test]
fn silent_slow_and_idle_connections_are_closed() {
    let book = Book::fixture("full");
    let server = Launch::new(&book)
        .env("SOPBOOK_SERVE_HEADER_TIMEOUT", "0.5")
        .env("SOPBOOK_SERVE_IDLE_TIMEOUT", "1")
        .start();
    let limit = Duration::from_secs(10);
    assert!(closes_after(&server, b"") < limit, "never a byte");
    assert!(
        closes_after(&server, b"GET / HTTP/1.1\r\nHost: localhost\r\n") < limit,
        "headers never finished"
    );
    assert!(
        closes_after(&server, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n") < limit,
        "a kept-alive connection that asks nothing more"
    );
}

#[test]
fn connections_are_capped_and_the_server_recovers() {
    let book = Book::fixture("full");
    let server = Launch::new(&book)
        .env("SOPBOOK_SERVE_HEADER_TIMEOUT", "0.5")
        .env("SOPBOOK_SERVE_MAX_CONNECTIONS", "4")
        .start();
    let pid = server.pid();
    let silent: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    #[cfg(target_os = "linux")]
    {
        let open = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .expect("fds")
            .count();
        assert!(open < 30, "{open} descriptors open with a cap of 4");
    }
    let _ = pid;
    // Once the silent ones time out, a real request is served.
    let (status, body) = server.get("/glossary.html");
    assert_eq!(status, 200);
    assert!(body.contains("Glossary"));
    drop(silent);
}

#[test]
fn assets_are_streamed_with_ranges_and_their_types() {
    let book = Book::fixture("full");
    let video: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    book.write("content/approvals/media/long.mp4", &video);
    book.write("content/it/files/inventory.csv", "name,serial\nlaptop,1\n");
    book.write("content/it/files/form.docx", b"PK\x03\x04");
    let server = start(&book);

    let whole = server.request("GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, video);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.header("content-type"), Some("video/mp4"));
    let etag = whole.header("etag").expect("etag").to_owned();

    let part = server.request(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=100000-100009",
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some("bytes 100000-100009/300000")
    );
    assert_eq!(part.body, &video[100_000..100_010]);

    let tail = server
        .request("GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-5");
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, &video[video.len() - 5..]);

    let same = server.request(&format!(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\nIf-Range: {etag}"
    ));
    assert_eq!(same.status, 206, "If-Range of this version");
    let changed = server.request(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\nIf-Range: \"old\"",
    );
    assert_eq!(
        changed.status, 200,
        "If-Range of another version: the whole file"
    );
    assert_eq!(changed.body.len(), video.len());

    let longer = server.request(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-900000",
    );
    assert_eq!(
        longer.status, 206,
        "a suffix longer than the file is the file"
    );
    assert_eq!(
        longer.header("content-range"),
        Some("bytes 0-299999/300000")
    );
    let several = server.request(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-3,400000-400010",
    );
    assert_eq!(several.status, 200, "several ranges: the whole file");
    assert_eq!(several.body.len(), video.len());

    let past = server.request(
        "GET /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost\r\nRange: bytes=400000-",
    );
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), Some("bytes */300000"));

    let head = server.request("HEAD /approvals/media/long.mp4 HTTP/1.1\r\nHost: localhost");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("300000"));
    assert!(head.body.is_empty());

    let csv = server.request("GET /it/files/inventory.csv HTTP/1.1\r\nHost: localhost");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let docx = server.request("GET /it/files/form.docx HTTP/1.1\r\nHost: localhost");
    assert_eq!(
        docx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
}

#[test]
fn redirects_are_relative_and_never_name_a_host() {
    let book = Book::fixture("full");
    let server = start(&book);
    for (path, location) in [
        ("/pay", "./pay/"),
        ("//pay", "./pay/"),
        ("///pay", "./pay/"),
        ("//pay?x=1", "./pay/?x=1"),
    ] {
        let reply = server.request(&format!("GET {path} HTTP/1.1\r\nHost: localhost"));
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), Some(location), "{path}");
    }
}

#[cfg(unix)]
#[test]
fn an_asset_swapped_for_a_link_is_never_read_through_it() {
    let book = Book::fixture("full");
    book.write("content/it/files/notes.txt", "inside the book\n");
    let outside = book.root.parent().expect("tmp").join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("notes.txt"), "SECRET outside the book\n").expect("write");
    let server = start(&book);
    assert_eq!(server.get("/it/files/notes.txt").0, 200);

    let files = book.root.join("content/it/files");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = std::sync::Arc::clone(&stop);
        let files = files.clone();
        let outside = outside.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // The file, then the folder holding it, swapped by rename.
                let (from, to) = if n % 2 == 0 {
                    (files.join(".link"), files.join("notes.txt"))
                } else {
                    (
                        files.parent().expect("it").join(".folder-link"),
                        files.clone(),
                    )
                };
                let target = if n % 2 == 0 {
                    outside.join("notes.txt")
                } else {
                    outside.clone()
                };
                let keep = to.with_extension("keep");
                let _ = std::fs::remove_file(&from);
                std::os::unix::fs::symlink(&target, &from).expect("symlink");
                std::fs::rename(&to, &keep).expect("aside");
                std::fs::rename(&from, &to).expect("link in");
                std::thread::sleep(Duration::from_millis(2));
                std::fs::remove_file(&to).expect("link out");
                std::fs::rename(&keep, &to).expect("back");
                n += 1;
            }
        })
    };
    for _ in 0..600 {
        let (_, body) = server.get("/it/files/notes.txt");
        assert!(!body.contains("SECRET"), "read through a symlink");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().expect("swapper");
    // The file in its place again is served again.
    crate::serve::wait_for_content(&server, "/it/files/notes.txt", "inside the book");
}

#[test]
fn listening_beyond_this_machine_is_warned_about() {
    let book = Book::fixture("full");
    let server = start_with(&book, &["--address", "0.0.0.0"]);
    wait_for_stderr(
        &server,
        "warning: listening on 0.0.0.0: the preview is reachable from other machines",
    );
    assert!(!server.stderr().contains("book.toml"));
    assert_eq!(server.get("/").0, 200);
    drop(server);

    let toml = book.read("book.toml") + "\n[serve]\naddress = \"0.0.0.0\"\n";
    book.write("book.toml", toml);
    let server = start(&book);
    wait_for_stderr(&server, "(set by `address` under [serve] in book.toml)");

    let quiet = start_with(&book, &["--address", "127.0.0.1"]);
    assert_eq!(quiet.get("/").0, 200);
    assert!(
        !quiet.stderr().contains("warning: listening"),
        "{}",
        quiet.stderr()
    );
}

#[track_caller]
fn wait_for_stderr(server: &Server, text: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !server.stderr().contains(text) {
        assert!(
            Instant::now() < deadline,
            "stderr never said {text:?}:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn nothing_sent_to_a_browser_names_a_path_of_the_machine() {
    let book = Book::fixture("full");
    let root = book.root.to_string_lossy().into_owned();
    // Named by its absolute path, the book's diagnostics carry it.
    let server = Launch::new(&book).dir(&root).start();
    let mut ws = server.socket();
    book.write(
        "content/guides/glossary.md",
        "+++\ntitle = \"Glossary\n+++\n",
    );
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("glossary.md"), "{error}");
    assert!(!error.contains(&root), "{error}");
    std::fs::remove_dir_all(book.root.join("content")).expect("rm");
    let error = wait_for(&mut ws, "error");
    assert!(error.contains("content"), "{error}");
    assert!(!error.contains(&root), "{error}");
    let tmp = book
        .root
        .parent()
        .expect("tmp")
        .to_string_lossy()
        .into_owned();
    assert!(!error.contains(&tmp), "{error}");
    // A tab opened now gets the same text.
    let mut late = server.socket();
    let text = next_message(&mut late).expect("the errors");
    assert!(!text.contains(&root), "{text}");
}
