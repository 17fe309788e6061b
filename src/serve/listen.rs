//! The accept loop: every connection gets a deadline for its request
//! headers, closes when it has been idle too long, and counts against a
//! cap. A preview server left running on a laptop must not be exhausted by
//! sockets that connect and never speak (axum::serve keeps them forever).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a server holds on to connections.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// A request's headers must be complete within this.
    pub header: Duration,
    /// A connection (or WebSocket) with no traffic for this long is closed.
    pub idle: Duration,
    /// Open connections at most; the next waits until one closes.
    pub connections: usize,
}

impl Limits {
    /// 10 s for headers, 60 s idle, and a cap that leaves half of the
    /// process's file descriptors for reading the book. Tests shorten them
    /// with `SOPBOOK_SERVE_HEADER_TIMEOUT`, `SOPBOOK_SERVE_IDLE_TIMEOUT`
    /// (seconds, fractions allowed) and `SOPBOOK_SERVE_MAX_CONNECTIONS`.
    pub(super) fn from_env() -> Limits {
        let seconds = |name: &str, default: f64| {
            let value = std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(default);
            Duration::from_secs_f64(value)
        };
        let connections = std::env::var("SOPBOOK_SERVE_MAX_CONNECTIONS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(default_cap);
        Limits {
            header: seconds("SOPBOOK_SERVE_HEADER_TIMEOUT", 10.0),
            idle: seconds("SOPBOOK_SERVE_IDLE_TIMEOUT", 60.0),
            connections,
        }
    }
}

/// 512, or half the descriptor limit when that is lower (macOS starts
/// shells at 256).
fn default_cap() -> usize {
    const CAP: usize = 512;
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        if let Some(limit) = limit {
            let half = usize::try_from(limit / 2).unwrap_or(CAP);
            return half.clamp(16, CAP);
        }
    }
    CAP
}

/// Accepts connections until the process ends.
pub(super) async fn run(listener: TcpListener, router: Router, limits: Limits) {
    let slots = Arc::new(Semaphore::new(limits.connections));
    let epoch = Instant::now();
    loop {
        // At the cap, stop accepting: new clients wait in the kernel's
        // queue until a connection closes (at worst when its header or
        // idle deadline passes).
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, or a connection reset before we took
            // it: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let last = Arc::new(AtomicU64::new(0));
        let io = Tracked {
            stream,
            epoch,
            last: Arc::clone(&last),
            _permit: permit,
        };
        // Idle from the moment it is accepted.
        io.touch();
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header)
                .serve_connection(TokioIo::new(io), service)
                .with_upgrades();
            tokio::select! {
                // Served, closed by the client, timed out, or upgraded to
                // a WebSocket (which keeps the stream, and its slot, and
                // watches its own idleness).
                _ = connection => {}
                () = idle(epoch, &last, limits.idle) => {}
            }
        });
    }
}

/// Resolves once nothing has been read or written for `limit`.
async fn idle(epoch: Instant, last: &AtomicU64, limit: Duration) {
    loop {
        let seen = epoch + Duration::from_millis(last.load(Ordering::Relaxed));
        let deadline = seen + limit;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// A TCP stream that notes when it last moved a byte, and holds its slot
/// under the cap for as long as it lives.
struct Tracked {
    stream: TcpStream,
    epoch: Instant,
    last: Arc<AtomicU64>,
    _permit: OwnedSemaphorePermit,
}

impl Tracked {
    fn touch(&self) {
        let ms = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// Passes a write's result on, noting it when it moved bytes.
    fn wrote(&self, result: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        result
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.touch();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, data);
        this.wrote(result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.wrote(result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
