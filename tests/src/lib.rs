//! Shared test support: a real HTTP/1.1 server on 127.0.0.1 that counts the TCP connections it
//! accepts, and helpers to read `reqleak` reports.
//!
//! Routes:
//! - `GET /bytes/{n}`: 200 with `n` bytes of `x` (`Content-Length: n`);
//! - `GET /error/{n}`: 500 with `n` bytes;
//! - `GET /json`: 200 `{"hello":"world","n":42}`;
//! - `GET /empty`: 204, no body;
//! - `GET /chunked/{n}`: 200 with `n` bytes in 1 KiB chunks, no `Content-Length` (chunked);
//! - `GET /hang`: never answers.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;

/// A test HTTP server running on its own thread and runtime until the process ends.
#[derive(Debug, Clone)]
pub struct TestServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

struct CountingListener {
    inner: tokio::net::TcpListener,
    connections: Arc<AtomicUsize>,
}

impl axum::serve::Listener for CountingListener {
    type Io = tokio::net::TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            if let Ok((io, addr)) = self.inner.accept().await {
                self.connections.fetch_add(1, Ordering::SeqCst);
                return (io, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

fn body(n: usize) -> Bytes {
    Bytes::from(vec![b'x'; n])
}

fn router() -> Router {
    Router::new()
        .route(
            "/bytes/{n}",
            get(|Path(n): Path<usize>| async move { body(n) }),
        )
        .route(
            "/error/{n}",
            get(|Path(n): Path<usize>| async move { (StatusCode::INTERNAL_SERVER_ERROR, body(n)) }),
        )
        .route(
            "/json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"hello":"world","n":42}"#,
                )
                    .into_response()
            }),
        )
        .route("/empty", get(|| async { StatusCode::NO_CONTENT }))
        .route(
            "/chunked/{n}",
            get(|Path(n): Path<usize>| async move {
                let chunks: Vec<Result<Bytes, std::io::Error>> = (0..n)
                    .step_by(1024)
                    .map(|at| Ok(body((n - at).min(1024))))
                    .collect();
                axum::body::Body::from_stream(futures_util::stream::iter(chunks))
            }),
        )
        .route(
            "/hang",
            get(|| async {
                std::future::pending::<()>().await;
                StatusCode::OK
            }),
        )
}

impl TestServer {
    /// Starts a server on 127.0.0.1 with a free port.
    pub fn start() -> TestServer {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        std::thread::Builder::new()
            .name(format!("test-server-{}", addr.port()))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(async move {
                    let listener = CountingListener {
                        inner: tokio::net::TcpListener::from_std(std_listener).expect("listener"),
                        connections: counted,
                    };
                    axum::serve(listener, router()).await.expect("serve");
                });
            })
            .expect("server thread");
        TestServer { addr, connections }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// One response of a report, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The status code.
    pub status: u16,
    /// The URL.
    pub url: String,
    /// The state (`unread`, `partly read, 10 bytes`, `forgotten`, `dropped unread, 0 of 10 bytes read`).
    pub state: String,
    /// `file:line` of the creation.
    pub file: String,
    /// Line of the creation.
    pub line: u32,
}

/// Parses the responses listed in a printed report, one entry per response: a group
/// (`N × STATUS (state, ..)`, its creation line, then its URLs) gives one entry per URL shown
/// (`URL (k ×)`: k entries), and one with the URL `...` per response it does not show.
pub fn parse_report(report: &str) -> Vec<Reported> {
    let mut out = Vec::new();
    let mut lines = report.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let Some((num, rest)) = trimmed.split_once(". ") else {
            continue;
        };
        if num.parse::<usize>().is_err() || !line.starts_with("  ") {
            continue;
        }
        // `200 OK http://.. (state, alive 1.2ms)` or `3 × 200 OK (state, alive 1ms to 2ms)`
        let (count, rest) = match rest.split_once(" × ") {
            Some((n, after)) if n.parse::<usize>().is_ok() => (Some(n.parse().unwrap()), after),
            _ => (None, rest),
        };
        let status: u16 = rest[..3].parse().expect("status");
        let open = rest.rfind(" (").expect("state");
        let url = rest[..open].rsplit(' ').next().expect("url").to_string();
        let inside = &rest[open + 2..rest.len() - 1];
        let state = inside[..inside.rfind(", alive").expect("age")].to_string();
        let created = lines.next().expect("created line").trim_start();
        let loc = created
            .strip_prefix("created at ")
            .expect("created at")
            .split(' ')
            .next()
            .expect("location");
        let mut parts = loc.rsplitn(3, ':');
        let _col = parts.next();
        let line_no: u32 = parts.next().expect("line").parse().expect("line number");
        let file = parts.next().expect("file").to_string();
        let entry = |url: &str| Reported {
            status,
            url: url.to_string(),
            state: state.clone(),
            file: file.clone(),
            line: line_no,
        };
        let Some(count) = count else {
            out.push(entry(&url));
            continue;
        };
        let mut listed = 0;
        while let Some(next) = lines.peek() {
            let shown = next.trim_start();
            if !next.starts_with("     ")
                || !(shown.starts_with("http") || shown.starts_with("and "))
            {
                break;
            }
            lines.next();
            if shown.starts_with("and ") {
                break;
            }
            let (url, times) = match shown.strip_suffix(" ×)").and_then(|s| s.rsplit_once(" (")) {
                Some((url, n)) => (url, n.parse::<usize>().expect("count")),
                None => (shown, 1),
            };
            for _ in 0..times {
                out.push(entry(url));
            }
            listed += times;
        }
        for _ in listed..count {
            out.push(entry("..."));
        }
    }
    out
}

/// The message of a panic payload.
pub fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => match p.downcast::<&'static str>() {
            Ok(s) => s.to_string(),
            Err(_) => "<non-string panic>".to_string(),
        },
    }
}

/// Runs `f`, which must panic, and returns its message.
pub fn expect_panic<R>(f: impl FnOnce() -> R) -> String {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a reqleak report (a panic), got none"),
        Err(p) => panic_message(p),
    }
}

/// Awaits `fut`, which must panic, and returns its message.
pub async fn expect_panic_async<F: Future>(fut: F) -> String {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(_)) => {
                panic!("expected a reqleak report (a panic), got none")
            }
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(p) => std::task::Poll::Ready(panic_message(p)),
        }
    })
    .await
}

/// The 1-based line of `source` that ends with `marker` (exactly one).
pub fn line_of(source: &str, marker: &str) -> u32 {
    let found: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with(marker))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "marker {marker} must occur once");
    found[0] as u32
}
