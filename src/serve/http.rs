//! The preview server: pages of the last good build rendered on request,
//! assets streamed from the book, the live-reload script and WebSocket.
//! Only paths of the site are answered: `..`, encoded slashes and anything
//! not in the site map are 404. Only requests for this machine's own names
//! are answered at all (a web page cannot reach the preview by DNS
//! rebinding), and only this server's own pages may open the WebSocket.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{Event, Shared, asset};
use crate::html::decode_url;
use crate::render;
use crate::render::Data;

const RELOAD_JS: &str = include_str!("reload.js");
const PREFIX: &str = "/__sopbook/";

/// What the handlers share.
#[derive(Debug, Clone)]
pub(super) struct App {
    pub shared: Arc<Shared>,
    /// A WebSocket silent for this long is closed; it is pinged well within.
    pub idle: Duration,
}

/// The host names a request may carry.
#[derive(Debug, Clone)]
pub(super) struct Access {
    /// Lowercase names and IP literals (IPv6 in brackets), without ports.
    names: Vec<String>,
    /// Listening on every interface: any IP literal is this machine (a
    /// rebinding attack needs a name, never a literal).
    any_ip: bool,
}

impl Access {
    /// `listening` is the address as given (`127.0.0.1`, `::1`,
    /// `0.0.0.0`, a name); `extra` the `--allow-host` names.
    pub(super) fn new(listening: &str, extra: &[String]) -> Access {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let listening = listening.trim().to_ascii_lowercase();
        let any_ip = match listening.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(ip) => {
                names.push(match ip {
                    IpAddr::V6(v6) => format!("[{v6}]"),
                    IpAddr::V4(v4) => v4.to_string(),
                });
                ip.is_unspecified()
            }
            Err(_) => {
                names.push(listening.trim_end_matches('.').to_owned());
                false
            }
        };
        for name in extra {
            if let Some(name) = host_name(name) {
                names.push(name);
            }
        }
        Access { names, any_ip }
    }

    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        self.names.contains(&name)
            || (self.any_ip && name.trim_matches(['[', ']']).parse::<IpAddr>().is_ok())
    }
}

/// The name part of a `Host` value (`Localhost:3000` → `localhost`,
/// `[::1]:3000` → `[::1]`), or `None` when it is not a plausible host.
fn host_name(value: &str) -> Option<String> {
    let value = value.trim().to_ascii_lowercase();
    let name = if value.starts_with('[') {
        let end = value.find(']')?;
        let (name, rest) = value.split_at(end + 1);
        if !(rest.is_empty() || rest.strip_prefix(':').is_some_and(all_digits)) {
            return None;
        }
        let ip: std::net::Ipv6Addr = name[1..name.len() - 1].parse().ok()?;
        format!("[{ip}]")
    } else {
        let name = match value.rsplit_once(':') {
            Some((name, port)) if all_digits(port) => name,
            Some(_) => return None,
            None => value.as_str(),
        };
        name.trim_end_matches('.').to_owned()
    };
    let plausible = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b));
    plausible.then_some(name)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn router(app: App, access: Access) -> Router {
    Router::new()
        .route("/__sopbook/ws", get(socket))
        .route("/__sopbook/reload.js", get(reload_js))
        .fallback(get(file))
        .with_state(app)
        .layer(middleware::from_fn_with_state(Arc::new(access), guard))
}

/// Refuses a request whose host is not one of this machine's names, and
/// one that another site's page makes for its own use (a `<script src>`
/// of `nav.js` or of the search index would hand that page the book).
async fn guard(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let hosts = headers.get_all(header::HOST).iter().count();
    // An absolute-form target (`GET http://x/`) names the host itself, and
    // then wins over `Host` (RFC 9112 §3.2.2); two `Host`s are an error.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    };
    if hosts > 1 {
        return refuse(StatusCode::BAD_REQUEST, "a request may name one Host\n");
    }
    if !host.is_some_and(|h| access.allows(h)) {
        return refuse(
            StatusCode::FORBIDDEN,
            "sopbook serve answers only requests for localhost, 127.0.0.1, [::1] and the address it listens on; start it with --allow-host NAME to be reached by another name\n",
        );
    }
    // Browsers say who asks (Fetch Metadata): following a link from
    // anywhere is fine, fetching the preview into another site is not.
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mode = headers
        .get("sec-fetch-mode")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if matches!(site, "cross-site" | "same-site") && mode != "navigate" {
        return refuse(
            StatusCode::FORBIDDEN,
            "the preview's files are for its own pages only\n",
        );
    }
    next.run(request).await
}

fn refuse(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn reload_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        RELOAD_JS,
    )
        .into_response()
}

/// Opens the live-reload socket for this server's own pages only: a
/// browser always sends `Origin` with a WebSocket handshake, and it must
/// name the host the request came to. (Tools without a browser send none.)
async fn socket(ws: WebSocketUpgrade, State(app): State<App>, headers: HeaderMap) -> Response {
    if headers.get_all(header::ORIGIN).iter().count() > 1 {
        return refuse(StatusCode::FORBIDDEN, "a handshake may name one Origin\n");
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let same = match (origin.to_str(), host) {
            (Ok(origin), Some(host)) => origin
                .strip_prefix("http://")
                .is_some_and(|o| o.eq_ignore_ascii_case(host)),
            _ => false,
        };
        if !same {
            return (
                StatusCode::FORBIDDEN,
                "the live-reload socket is only for pages of this server\n",
            )
                .into_response();
        }
    }
    ws.on_upgrade(move |socket| talk(socket, app))
}

/// Says hello (with the current generation, so a tab that missed a reload
/// reloads now), sends the current errors if any, then forwards events.
/// Pings the tab; a socket that answers nothing for the idle time, or
/// takes longer than that to accept a message, is closed.
async fn talk(mut socket: WebSocket, app: App) {
    let shared = &app.shared;
    let mut events = shared.events.subscribe();
    let generation = shared.generation.load(Ordering::SeqCst);
    let hello = format!("{{\"type\":\"hello\",\"generation\":{generation}}}");
    if !send(&mut socket, Message::Text(hello.into()), app.idle).await {
        return;
    }
    let error = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(text) = error
        && !send(
            &mut socket,
            Message::Text(error_message(&text).into()),
            app.idle,
        )
        .await
    {
        return;
    }
    let mut ping = tokio::time::interval(app.idle / 3);
    ping.tick().await;
    let mut heard = Instant::now();
    loop {
        let silent = tokio::time::sleep_until((heard + app.idle).into());
        tokio::select! {
            event = events.recv() => {
                let text = match event {
                    Ok(Event::Reload(g)) => format!("{{\"type\":\"reload\",\"generation\":{g}}}"),
                    Ok(Event::Error(text)) => error_message(&text),
                    // Fell behind a burst: the newest state is what counts.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => "{\"type\":\"reload\"}".to_owned(),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                };
                if !send(&mut socket, Message::Text(text.into()), app.idle).await {
                    return;
                }
            }
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => heard = Instant::now(),
                }
            }
            _ = ping.tick() => {
                if !send(&mut socket, Message::Ping(Vec::new().into()), app.idle).await {
                    return;
                }
            }
            () = silent => return,
        }
    }
}

/// Sends one message; false when the socket is gone or did not take it
/// within `limit` (a tab that stopped reading fills the connection's
/// buffers, and would otherwise hold its slot forever).
async fn send(socket: &mut WebSocket, message: Message, limit: Duration) -> bool {
    matches!(
        tokio::time::timeout(limit, socket.send(message)).await,
        Ok(Ok(()))
    )
}

fn error_message(text: &str) -> String {
    serde_json::json!({ "type": "error", "text": text }).to_string()
}

/// The site path a request asks for, or `None` for anything that could
/// step outside the site: `..`, `.`, encoded slashes or backslashes, NUL.
pub(super) fn site_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = decode_url(raw);
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

async fn file(State(app): State<App>, method: Method, headers: HeaderMap, uri: Uri) -> Response {
    let shared = &app.shared;
    let Some(path) = site_path(uri.path()) else {
        return not_found(shared);
    };
    if path.starts_with(&PREFIX[1..]) {
        return not_found(shared);
    }
    let Some(site) = shared
        .site
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    else {
        return no_site(shared);
    };
    let generation = shared.generation.load(Ordering::SeqCst);
    // `/payroll` → `/payroll/`, as static hosts do; relative, so that no
    // request path (`//evil.example`) can make it name another host.
    if !site.pages.contains_key(&path)
        && !site.files.contains_key(&path)
        && site.pages.contains_key(&format!("{path}/index.html"))
    {
        let last = uri.path().rsplit('/').next().unwrap_or_default();
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return (
            StatusCode::MOVED_PERMANENTLY,
            [
                (header::LOCATION, format!("./{last}/{query}")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        )
            .into_response();
    }
    if let Some(job) = site.pages.get(&path) {
        return match render::page(&site.handbook, &site.config, &site.theme, site.today, *job) {
            Ok(html) => html_response(StatusCode::OK, &html, generation),
            Err(f) => {
                (StatusCode::INTERNAL_SERVER_ERROR, shared.redact(&f.message)).into_response()
            }
        };
    }
    if path.starts_with("search/") && site.has_search {
        let index = site.search.get_or_init(|| {
            render::search::files(&site.handbook, &site.config.book)
                .into_iter()
                .collect()
        });
        if let Some(text) = index.get(&path) {
            return bytes_response(&path, text.clone().into_bytes());
        }
    }
    if site.generated.contains(&path)
        && let Some(text) = render::generated(&site.handbook, &site.config, &path)
    {
        return bytes_response(&path, text.into_bytes());
    }
    match site.files.get(&path) {
        Some(Data::Bytes(bytes)) => bytes_response(&path, bytes.clone()),
        Some(Data::Copy(from)) => {
            let (base, rel) = split_base(from, &path);
            match asset::serve(base, rel, &method, &headers).await {
                Some(response) => response,
                None => not_found(shared),
            }
        }
        None => not_found(shared),
    }
}

/// Splits a copied file's source path into the folder the site's tree
/// starts from and the part that mirrors the site path
/// (`/book/content/img/a.png` for `img/a.png` → `/book/content`,
/// `img/a.png`): links are refused within the mirrored part.
fn split_base(from: &Path, site_path: &str) -> (PathBuf, String) {
    let mut base = from.to_path_buf();
    let mut rel: Vec<&str> = Vec::new();
    for part in site_path.rsplit('/') {
        if base.file_name().is_none_or(|n| n.to_string_lossy() != part) {
            break;
        }
        rel.push(part);
        base.pop();
    }
    rel.reverse();
    (base, rel.join("/"))
}

fn no_site(shared: &Shared) -> Response {
    let generation = shared.generation.load(Ordering::SeqCst);
    let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sopbook</title></head><body><p>The handbook has errors, so there is nothing to show yet.</p></body></html>";
    html_response(StatusCode::SERVICE_UNAVAILABLE, html, generation)
}

fn not_found(shared: &Shared) -> Response {
    let generation = shared.generation.load(Ordering::SeqCst);
    let site = shared
        .site
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let html = site
        .and_then(|s| {
            s.pages
                .get(crate::site_files::NOT_FOUND)
                .and_then(|job| render::page(&s.handbook, &s.config, &s.theme, s.today, *job).ok())
        })
        .unwrap_or_else(|| "<!DOCTYPE html><title>Not found</title><p>Not found.</p>".to_owned());
    html_response(StatusCode::NOT_FOUND, &html, generation)
}

/// An HTML page with the live-reload script before `</body>`.
fn html_response(status: StatusCode, html: &str, generation: u64) -> Response {
    let script =
        format!("<script src=\"{PREFIX}reload.js\" data-generation=\"{generation}\"></script>\n");
    let body = match html.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
        None => format!("{html}{script}"),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn bytes_response(path: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, asset::content_type(path)),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        assert_eq!(site_path("/"), Some("index.html".into()));
        assert_eq!(site_path("/pay/run.html"), Some("pay/run.html".into()));
        assert_eq!(site_path("/pay/"), Some("pay/index.html".into()));
        assert_eq!(site_path("/my%20file.html"), Some("my file.html".into()));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/pay/%2E%2E/%2E%2E/x",
            "/a%2fb",
            "/a%5Cb",
            "/a\\b",
            "/./x",
            "/x%00",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_this_machines_names_are_answered() {
        let local = Access::new("127.0.0.1", &[]);
        for ok in [
            "localhost:3000",
            "LOCALHOST",
            "127.0.0.1:3000",
            "[::1]:3000",
            "localhost.",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "10.0.0.5:3000",
            "",
            "localhost:x",
            "[::1]x",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let named = Access::new("127.0.0.1", &["Handbook.Test".to_owned()]);
        assert!(named.allows("handbook.test:3000"));
        let every = Access::new("0.0.0.0", &[]);
        assert!(every.allows("192.168.1.20:3000"));
        assert!(every.allows("[fe80::1]:3000"));
        assert!(!every.allows("attacker.example:3000"));
        let v6 = Access::new("::1", &[]);
        assert!(v6.allows("[::1]:3000"));
    }

    #[test]
    fn the_mirrored_part_of_a_copied_file_is_split_off() {
        let (base, rel) = split_base(Path::new("/b/content/img/a.png"), "img/a.png");
        assert_eq!(
            (base.as_path(), rel.as_str()),
            (Path::new("/b/content"), "img/a.png")
        );
        let (base, rel) = split_base(Path::new("/b/themes/t/static/x.css"), "_theme/x.css");
        assert_eq!(
            (base.as_path(), rel.as_str()),
            (Path::new("/b/themes/t/static"), "x.css")
        );
    }
}
