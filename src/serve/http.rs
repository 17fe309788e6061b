//! The preview server: pages of the last good build rendered on request,
//! the live-reload script and WebSocket. Only paths of the site are
//! answered: `..`, encoded slashes and anything not in the site map are 404.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{Event, Shared};
use crate::html::decode_url;
use crate::output::Data;
use crate::render;

const RELOAD_JS: &str = include_str!("reload.js");
const PREFIX: &str = "/__sopbook/";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__sopbook/ws", get(socket))
        .route("/__sopbook/reload.js", get(reload_js))
        .fallback(get(file))
        .with_state(shared)
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

async fn socket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| talk(socket, shared))
}

/// Says hello (with the current generation, so a tab that missed a reload
/// reloads now), sends the current errors if any, then forwards events.
async fn talk(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut events = shared.events.subscribe();
    let generation = shared.generation.load(Ordering::SeqCst);
    let hello = format!("{{\"type\":\"hello\",\"generation\":{generation}}}");
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    let error = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(text) = error
        && socket
            .send(Message::Text(error_message(&text).into()))
            .await
            .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => {
                let text = match event {
                    Ok(Event::Reload(g)) => format!("{{\"type\":\"reload\",\"generation\":{g}}}"),
                    Ok(Event::Error(text)) => error_message(&text),
                    // Fell behind a burst: the newest state is what counts.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => "{\"type\":\"reload\"}".to_owned(),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => {}
                }
            }
        }
    }
}

fn error_message(text: &str) -> String {
    serde_json::json!({ "type": "error", "text": text }).to_string()
}

/// The site path a request asks for, or `None` for anything that could
/// step outside the site: `..`, `.`, encoded slashes or backslashes, NUL.
pub fn site_path(raw: &str) -> Option<String> {
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

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(path) = site_path(uri.path()) else {
        return not_found(&shared);
    };
    if path.starts_with(&PREFIX[1..]) {
        return not_found(&shared);
    }
    let Some(site) = shared
        .site
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    else {
        return no_site(&shared);
    };
    let generation = shared.generation.load(Ordering::SeqCst);
    // `/payroll` → `/payroll/`, as static hosts do.
    if !site.pages.contains_key(&path)
        && !site.files.contains_key(&path)
        && site.pages.contains_key(&format!("{path}/index.html"))
    {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("{}/", uri.path()))],
        )
            .into_response();
    }
    if let Some(job) = site.pages.get(&path) {
        return match render::page(&site.handbook, &site.config, &site.theme, site.today, *job) {
            Ok(html) => html_response(StatusCode::OK, &html, generation),
            Err(f) => (StatusCode::INTERNAL_SERVER_ERROR, f.message).into_response(),
        };
    }
    if path.starts_with("search/") && site.config.build.search {
        let index = site
            .search
            .get_or_init(|| render::search::files(&site.handbook).into_iter().collect());
        if let Some(text) = index.get(&path) {
            return bytes_response(&path, text.clone().into_bytes());
        }
    }
    if let Some(text) = render::generated(&site.handbook, &site.config, &path) {
        return bytes_response(&path, text.into_bytes());
    }
    match site.files.get(&path) {
        Some(Data::Bytes(bytes)) => bytes_response(&path, bytes.clone()),
        Some(Data::Copy(from)) => match tokio::fs::read(from).await {
            Ok(bytes) => bytes_response(&path, bytes),
            Err(_) => not_found(&shared),
        },
        None => not_found(&shared),
    }
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
                .get("404.html")
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
            (header::CONTENT_TYPE, content_type(path)),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::site_path;

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
}
