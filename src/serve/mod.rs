//! `sopbook serve`: build, serve over HTTP, watch, rebuild, live reload.
//!
//! The site is never written to disk: the last good build (model, theme,
//! and the map of output paths) lives in memory and each page is rendered
//! when a browser asks for it. A rebuild therefore costs the re-parse of the
//! changed files plus the whole-book model and checks, not a render of
//! every page, and a request can only ever reach a path of the site — no
//! path is looked up on disk except an asset the content walk found.

mod asset;
mod http;
mod listen;
mod watch;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::book::{Book, Checked};
use crate::config::Config;
use crate::diagnostics::{Printer, Severity};
use crate::failure::Failure;
use crate::failure::{EXIT_FAILURE, EXIT_OK};
use crate::model::Handbook;
use crate::options::BuildOptions;
use crate::render::Data;
use crate::render::{self, Job, Theme};
use crate::ui::Ui;

#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub build: BuildOptions,
    pub address: Option<String>,
    pub port: Option<u16>,
    pub open: bool,
    pub poll: bool,
    /// More host names the server answers to (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// The last good build, as served.
#[derive(Debug)]
pub(crate) struct Site {
    pub handbook: Handbook,
    pub config: Config,
    pub theme: Arc<Theme>,
    pub today: jiff::civil::Date,
    pub pages: HashMap<String, Job>,
    pub files: HashMap<String, Data>,
    /// Files made from the whole book on request (`nav.js`…).
    pub generated: HashSet<String>,
    /// Whether the site has a search index.
    pub has_search: bool,
    /// The search index, made when a browser first asks for it after a
    /// build, never before the reload.
    pub search: std::sync::OnceLock<HashMap<String, String>>,
}

/// What the server shares with the rebuild loop.
#[derive(Debug)]
pub(crate) struct Shared {
    pub site: RwLock<Option<Arc<Site>>>,
    /// The diagnostics of the current build when it has errors: shown over
    /// the last good page.
    pub error: RwLock<Option<String>>,
    /// Counts good builds; pages carry it so a tab that missed a reload
    /// notices when it reconnects.
    pub generation: std::sync::atomic::AtomicU64,
    pub events: tokio::sync::broadcast::Sender<Event>,
    /// The book's folder as the user named it and as the system resolves
    /// it: replaced in everything sent to a browser, which must never
    /// learn a path of the machine.
    roots: Vec<String>,
    /// The last theme load failed: load it again on the next rebuild.
    theme_failed: std::sync::atomic::AtomicBool,
}

impl Shared {
    fn new(root: &std::path::Path, events: tokio::sync::broadcast::Sender<Event>) -> Shared {
        let mut roots: Vec<String> = [
            Some(root.to_path_buf()),
            std::path::absolute(root).ok(),
            Some(crate::paths::absolute(root)),
        ]
        .into_iter()
        .flatten()
        .filter(|p| p.is_absolute())
        .map(|p| p.to_string_lossy().trim_end_matches('/').to_owned())
        .filter(|p| !p.is_empty())
        .collect();
        // The longest first, so that a root inside another is replaced whole.
        roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
        roots.dedup();
        Shared {
            site: RwLock::new(None),
            error: RwLock::new(None),
            generation: std::sync::atomic::AtomicU64::new(0),
            events,
            roots,
            theme_failed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// `text` with the machine's absolute paths taken out: paths inside
    /// the book become relative to it, and any other absolute path (a
    /// content dir set by an absolute path, a symlink's target) relative to
    /// the book too, in every line but the quoted source lines.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for root in &self.roots {
            text = text
                .replace(&format!("{root}/"), "")
                .replace(root.as_str(), ".");
        }
        // The canonical root is the shortest; paths are reckoned from it.
        let Some(root) = self.roots.last() else {
            return text;
        };
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            if is_source_line(line) {
                out.push_str(line);
            } else {
                relativize_line(&mut out, line, std::path::Path::new(root));
            }
        }
        out
    }
}

/// A line of a diagnostic that quotes the book's source (`12 | text`,
/// `   |     ^^^ label`): the author's own text, left as it is.
fn is_source_line(line: &str) -> bool {
    let rest = line
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    rest.trim_start().starts_with('|')
}

/// Copies `line` to `out` with each absolute path written relative to `root`.
fn relativize_line(out: &mut String, line: &str, root: &std::path::Path) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let boundary = i == 0 || b" ([`'\"=\t".contains(&bytes[i - 1]);
        let starts = bytes[i] == b'/' && bytes.get(i + 1).is_some_and(|b| *b != b'/' && *b != b' ');
        if boundary && starts {
            let end = line[i..]
                .find(|c: char| c.is_whitespace() || ")`'\",".contains(c))
                .map_or(line.len(), |n| i + n);
            out.push_str(&relative(std::path::Path::new(&line[i..end]), root));
            i = end;
        } else {
            let len = line[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&line[i..i + len]);
            i += len;
        }
    }
}

/// `path` from `root`: `../common/a.md` for `/books/common/a.md` seen from
/// `/books/acme`.
fn relative(path: &std::path::Path, root: &std::path::Path) -> String {
    let path: Vec<_> = path.components().collect();
    let root: Vec<_> = root.components().collect();
    let common = path.iter().zip(&root).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_owned(), root.len() - common).collect();
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Event {
    Reload(u64),
    Error(String),
}

pub(crate) fn run(opts: &ServeOptions, ui: &Ui) -> i32 {
    match serve(opts, ui) {
        Ok(()) => EXIT_OK,
        Err(f) => {
            ui.failure(&f);
            EXIT_FAILURE
        }
    }
}

fn serve(opts: &ServeOptions, ui: &Ui) -> Result<(), Failure> {
    let mut book = Book::watched(opts.build.clone());
    let (events, _) = tokio::sync::broadcast::channel(64);
    let shared = Arc::new(Shared::new(book.root(), events));
    let start = Instant::now();
    let first = rebuild(&mut book, &shared, ui, &HashSet::new(), true)?;
    let config = first.as_ref();
    let (address, from_toml) = match (&opts.address, config) {
        (Some(a), _) => (a.clone(), false),
        (None, Some(c)) => (c.serve.address.clone(), true),
        (None, None) => ("127.0.0.1".to_owned(), false),
    };
    let port = opts
        .port
        .or_else(|| config.map(|c| c.serve.port))
        .unwrap_or(3000);
    if !is_loopback(&address) {
        let source = if from_toml {
            " (set by `address` under [serve] in book.toml)"
        } else {
            ""
        };
        ui.warning(&format!(
            "listening on {address}{source}: the preview is reachable from other machines on the network, with every draft and unpublished page"
        ));
    }
    let limits = listen::Limits::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(format!("cannot start the server: {e}")))?;
    let listener = runtime.block_on(bind(&address, port))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::new(format!("cannot read the server's address: {e}")))?;
    // Listening on every interface, the URL to open here is loopback's.
    let shown = match local.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::from(([127, 0, 0, 1], local.port()))
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, local.port()))
        }
        _ => local,
    };
    let url = format!("http://{}/", display_addr(shown));
    ui.status(&format!("Built in {:.2}s", start.elapsed().as_secs_f64()));
    let root_display = book.root().display().to_string();
    // Watch before saying we are ready: a save right after the URL appears
    // must not be missed. Progress lines would fight with the rebuild
    // messages: plain lines only.
    let rebuild_ui = Ui {
        quiet: ui.quiet,
        color: ui.color,
        live: false,
    };
    let content = first
        .as_ref()
        .map_or_else(|| "content".to_owned(), |c| c.build.content_dir.clone());
    watch::start(book, Arc::clone(&shared), opts.poll, rebuild_ui, &content)?;
    // The URL goes to stdout so scripts can read the port `--port 0` chose.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Serving {root_display} at {url} (Ctrl-C to stop)");
        let _ = out.flush();
    }
    if opts.open {
        open_browser(&url, ui);
    }

    let app = http::App {
        shared: Arc::clone(&shared),
        idle: limits.idle,
    };
    let router = http::router(app, http::Access::new(&address, &opts.allow_hosts));
    runtime.block_on(async move {
        tokio::select! {
            () = listen::run(listener, router, limits) => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    });
    ui.status("Stopped.");
    Ok(())
}

/// `127.0.0.1` and the rest of 127/8, `::1`, `localhost`: addresses only
/// this machine can reach.
fn is_loopback(address: &str) -> bool {
    let address = address.trim().trim_matches(['[', ']']);
    address.eq_ignore_ascii_case("localhost")
        || address
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn bind(address: &str, port: u16) -> Result<tokio::net::TcpListener, Failure> {
    tokio::net::TcpListener::bind((address, port)).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => Failure::new(format!("port {port} on {address} is already in use"))
            .help("stop the other server, pick another port with --port, or pass --port 0 to take any free one"),
        std::io::ErrorKind::AddrNotAvailable => Failure::new(format!("cannot listen on {address}: no such address on this machine"))
            .help("use 127.0.0.1, or 0.0.0.0 to be reachable from other machines"),
        _ => Failure::new(format!("cannot listen on {address}:{port}: {}", crate::failure::plain_io(&e))),
    })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => format!("{}:{}", v4.ip(), v4.port()),
    }
}

/// Opens `url` in the default browser; when that fails the server runs on
/// and a warning says so. `SOPBOOK_BROWSER` names a program to run with the
/// URL instead: the test suite's hook, so that no test opens a real browser.
fn open_browser(url: &str, ui: &Ui) {
    let opened = match std::env::var_os("SOPBOOK_BROWSER") {
        Some(program) => open::with_detached(url, program.to_string_lossy()),
        None => open::that_detached(url),
    };
    if let Err(e) = opened {
        ui.warning(&format!(
            "could not open a browser at {url}: {}",
            crate::failure::plain_io(&e)
        ));
    }
}

/// Checks the book again and, when it is good, swaps in the new site and
/// tells every tab to reload; when it has errors, keeps the last good site
/// and sends the diagnostics instead. Returns the config in use.
pub(crate) fn rebuild(
    book: &mut Book,
    shared: &Shared,
    ui: &Ui,
    touched: &HashSet<PathBuf>,
    first: bool,
) -> Result<Option<Config>, Failure> {
    let checked = match book.check(ui, touched) {
        Ok(c) => c,
        // A folder deleted mid-save, an unreadable file: the server lives on.
        Err(f) if !first => {
            ui.failure(&f);
            set_error(shared, failure_text(&f));
            return Ok(None);
        }
        Err(f) => return Err(f),
    };
    print_report(book, &checked, ui, touched, first);
    let Checked {
        config,
        handbook,
        report,
        today,
        ..
    } = checked;
    let errors = report.errors();
    let (Some(config), Some(handbook)) = (config, handbook) else {
        set_error(shared, plain_report(book, &report));
        return Ok(None);
    };
    if errors > 0 {
        set_error(shared, plain_report(book, &report));
        return Ok(Some(config));
    }
    // The theme is loaded again only when book.toml or a theme file changed.
    let root = crate::paths::absolute(book.root());
    let theme_touched = touched
        .iter()
        .any(|p| p.starts_with(root.join("themes")) || *p == root.join("book.toml"));
    let current = shared
        .site
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    // A theme that failed to load is loaded again until it loads: the
    // overlay stays until it is fixed, whatever else is saved.
    let theme_failed = shared
        .theme_failed
        .load(std::sync::atomic::Ordering::SeqCst);
    let theme = match current.filter(|_| !first && !theme_touched && !theme_failed) {
        Some(site) => Arc::clone(&site.theme),
        None => match render::theme::load(book.root(), &config.build.theme) {
            Ok(t) => {
                shared
                    .theme_failed
                    .store(false, std::sync::atomic::Ordering::SeqCst);
                Arc::new(t)
            }
            Err(f) => {
                ui.failure(&f);
                shared
                    .theme_failed
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                set_error(shared, failure_text(&f));
                return Ok(Some(config));
            }
        },
    };
    let plan = render::plan(&handbook, &config, &theme);
    let site = Site {
        handbook,
        config: config.clone(),
        theme,
        today,
        pages: plan.pages.into_iter().collect(),
        files: plan.copied.into_iter().collect(),
        generated: plan.generated.into_iter().collect(),
        has_search: plan.search,
        search: std::sync::OnceLock::new(),
    };
    let old = shared
        .site
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .replace(Arc::new(site));
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = None;
    let generation = shared
        .generation
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        + 1;
    let _ = shared.events.send(Event::Reload(generation));
    // Freeing the previous build (thousands of pages) waits until the tabs
    // have been told to reload.
    drop(old);
    Ok(Some(config))
}

/// Shows `text` over every tab, with the machine's paths taken out.
fn set_error(shared: &Shared, text: String) {
    let text = shared.redact(&text);
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
    let _ = shared.events.send(Event::Error(text));
}

fn failure_text(f: &Failure) -> String {
    match &f.help {
        Some(help) => format!("error: {}\n  = help: {help}\n", f.message),
        None => format!("error: {}\n", f.message),
    }
}

/// Errors the browser overlay shows; a file with 100,000 broken links must
/// not send megabytes to every open tab.
const OVERLAY_ERRORS: usize = 100;

/// The errors as plain text for the browser overlay.
fn plain_report(book: &Book, report: &crate::diagnostics::Report) -> String {
    let printer = Printer::new(false);
    let mut text = String::new();
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error);
    for d in errors.clone().take(OVERLAY_ERRORS) {
        text.push_str(&printer.render(d, &book.sources));
        text.push_str("\n\n");
    }
    let more = errors.count().saturating_sub(OVERLAY_ERRORS);
    if more > 0 {
        text.push_str(&format!(
            "… and {more} more errors: `sopbook check --format json` lists them all\n"
        ));
    }
    text
}

/// On the first build, every finding; after a change, every error and the
/// warnings of the files that changed — a book-wide list of warnings on
/// each save would bury what the save did.
fn print_report(book: &Book, checked: &Checked, ui: &Ui, touched: &HashSet<PathBuf>, first: bool) {
    if first {
        ui.report_brief(&checked.report, &book.sources);
        return;
    }
    let root = book.root();
    let touched_display: HashSet<String> = touched
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok().or(Some(p.as_path())))
        .map(crate::paths::slashed)
        .collect();
    let shown: Vec<_> = checked
        .report
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == Severity::Error
                || d.file.is_some_and(|f| {
                    let display = &book.sources.get(f).display;
                    touched_display
                        .iter()
                        .any(|t| display.ends_with(t.as_str()))
                })
        })
        .cloned()
        .collect();
    let report = crate::diagnostics::Report {
        diagnostics: shown,
        unlisted: Vec::new(),
    };
    ui.report(&report, &book.sources);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_absolute_path_reaches_a_browser() {
        let (events, _) = tokio::sync::broadcast::channel(1);
        let shared = Shared::new(std::path::Path::new("/books/acme"), events);
        let text = "error: cannot read the content dir /books/common/x: gone\n \
                    --> /books/acme/content/a.md:3:1\n  |\n3 | see /etc/passwd\n  |\n\
                    warning[symlink]: content/l is a symbolic link (to /srv/secret/f.txt)\n\
                    https://example.com/a/b stays\n";
        let redacted = shared.redact(text);
        assert!(
            redacted.contains("content dir ../common/x: gone"),
            "{redacted}"
        );
        assert!(redacted.contains("--> content/a.md:3:1"), "{redacted}");
        assert!(
            redacted.contains("3 | see /etc/passwd"),
            "a quoted source line is the author's"
        );
        assert!(
            redacted.contains("(to ../../srv/secret/f.txt)"),
            "{redacted}"
        );
        assert!(
            redacted.contains("https://example.com/a/b stays"),
            "{redacted}"
        );
    }
}
