//! Measures `sopbook serve`'s latency: from the moment an editor finishes
//! writing one SOP to the reload message reaching a WebSocket client, and
//! on to that SOP's page served with the change (what a reader waits for:
//! the tab reloads and asks for the page, which serve renders on request).
//!
//!     cargo bench --bench serve_latency -- BOOK [RUNS] [SOPBOOK]
//!
//! BOOK is a book folder (e.g. the 10,000-SOP benchmark book that
//! scripts/bench-serve.sh writes with scripts/gen_book.py); SOPBOOK
//! defaults to the sopbook binary cargo built beside this one. Prints each
//! run and the median, min, p90 and max in milliseconds, for the reload
//! message and for the page. Like
//! benches/floor.rs, a `harness = false`, `bench = false` target: only run
//! by name.

#![allow(clippy::print_stdout, reason = "the report is what a benchmark prints")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` appends `--bench`; the positional arguments are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(book) = args.first().map(PathBuf::from) else {
        eprintln!("usage: serve_latency BOOK [RUNS] [SOPBOOK]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(20);
    let bin = args
        .get(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_sopbook")));
    let content = book.join("content");
    let sop = pick_sop(&content).expect("an SOP file in the book");
    let url = page_url(&content, &sop);
    let original = std::fs::read_to_string(&sop).expect("read the SOP");

    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--quiet"])
        .arg(&book)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sopbook serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("URL line");
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("port");
    println!(
        "server ready in {:.0} ms ({})",
        started.elapsed().as_secs_f64() * 1000.0,
        book.display()
    );

    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (mut ws, _) = tungstenite::client(
        format!("ws://127.0.0.1:{port}/__sopbook/ws").as_str(),
        stream,
    )
    .expect("handshake");
    read_until(&mut ws, "hello");
    // The page must exist before the first edit, or every run would wait
    // for a change that never shows.
    let first = get(port, &url);
    assert!(
        !first.contains("Latency probe"),
        "{url} already has a probe; restore the SOP"
    );

    let mut reloads = Vec::with_capacity(runs);
    let mut served = Vec::with_capacity(runs);
    for i in 0..runs {
        let probe = format!("Latency probe {i}.");
        let text = format!("{original}\n{probe}\n");
        let t0 = {
            std::fs::write(&sop, &text).expect("write");
            Instant::now()
        };
        read_until(&mut ws, "reload");
        let reload = t0.elapsed().as_secs_f64() * 1000.0;
        // What the tab does next: ask for the page. A page without the
        // change would be a stale answer; ask again until it has it.
        let mut tries = 0;
        while !get(port, &url).contains(&probe) {
            tries += 1;
            assert!(tries < 5000, "{url} never showed the change");
            std::thread::sleep(Duration::from_millis(1));
        }
        let page = t0.elapsed().as_secs_f64() * 1000.0;
        let stale = if tries > 0 {
            format!(" ({tries} stale answers first)")
        } else {
            String::new()
        };
        println!("run {i:>2}: {reload:7.1} ms reload, {page:7.1} ms page served{stale}");
        reloads.push(reload);
        served.push(page);
        // Let the tab's reload and any stray events settle between runs.
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&sop, &original).expect("restore the SOP");
    let _ = child.kill();
    let _ = child.wait();

    summary("reload message", &mut reloads);
    summary(&format!("page served with the change ({url})"), &mut served);
}

fn summary(what: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, min {:.1}, p90 {:.1}, max {:.1} ({} runs)",
        at(0.5),
        at(0.0),
        at(0.9),
        at(1.0),
        times.len()
    );
}

/// The SOP's address in the site: its path under the content dir, `.md`
/// made `.html` (the benchmark books set no `id` that would move it).
fn page_url(content: &Path, sop: &Path) -> String {
    let rel = sop
        .strip_prefix(content)
        .expect("the SOP is in the content dir");
    let parts: Vec<String> = rel
        .with_extension("html")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("/{}", parts.join("/"))
}

/// One HTTP/1.1 GET on a new connection, as a browser's reload does after
/// the WebSocket closes; returns the body of a 200 answer.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect for GET");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send GET");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read the answer");
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "GET {path}: {}",
        head.lines().next().unwrap_or("")
    );
    body.to_owned()
}

fn read_until(ws: &mut tungstenite::WebSocket<TcpStream>, kind: &str) {
    let want = format!("\"type\":\"{kind}\"");
    loop {
        match ws.read().expect("websocket") {
            tungstenite::Message::Text(t) if t.contains(&want) => return,
            tungstenite::Message::Text(t) if t.contains("\"error\"") => {
                panic!("the book has errors: {t}")
            }
            _ => {}
        }
    }
}

/// The first Markdown file that is not a process or index file.
fn pick_sop(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in &entries {
        let name = path.file_name()?.to_string_lossy().into_owned();
        if path.is_file()
            && name.ends_with(".md")
            && !matches!(name.as_str(), "process.md" | "index.md" | "_index.md")
        {
            return Some(path.clone());
        }
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|d| pick_sop(d))
}
