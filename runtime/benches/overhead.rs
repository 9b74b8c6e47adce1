//! The cost of instrumenting a response: alone (ns per tracked response) and relative to a
//! loopback GET request, instrumented vs not, in one run; and the cost of a client construction
//! recorded by instrumented code running under a `pool` check, against the same construction
//! not instrumented.
//!
//! `cargo bench -p reqleak --bench overhead --features always` (without `always`, the
//! construction benchmarks are skipped: the attribute is inactive in a release build)

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
// The crate's own (renamed) reqwest 0.13 dependency: the bench needs the default feature.
use reqwest013 as reqwest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A minimal keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with 64 bytes.
fn start_server(rt: &tokio::runtime::Runtime) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut filled = 0;
                loop {
                    let Ok(n) = sock.read(&mut buf[filled..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    filled += n;
                    while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 64\r\n\r\n\
                            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
                        if sock.write_all(reply).await.is_err() {
                            return;
                        }
                        buf.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                }
            });
        }
    });
    format!("http://{addr}/")
}

fn synthetic() -> reqwest::Response {
    reqwest::Response::from(
        http::Response::builder()
            .status(200)
            .body("hello")
            .expect("response"),
    )
}

fn per_response(c: &mut Criterion) {
    let mut g = c.benchmark_group("per_response");
    g.bench_function("create_drop", |b| b.iter(|| drop(black_box(synthetic()))));
    g.bench_function("create_track_drop", |b| {
        b.iter(|| drop(black_box(reqleak::track(synthetic()))))
    });
    #[cfg(feature = "blocking")]
    let blocking = || {
        reqwest::blocking::Response::from(
            http::Response::builder()
                .status(200)
                .body("hello")
                .expect("response"),
        )
    };
    #[cfg(feature = "blocking")]
    g.bench_function("blocking_create_drop", |b| {
        b.iter(|| drop(black_box(blocking())))
    });
    #[cfg(feature = "blocking")]
    g.bench_function("blocking_create_track_drop", |b| {
        b.iter(|| drop(black_box(reqleak::track(blocking()))))
    });
    g.finish();
}

fn loopback_get(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let url = start_server(&rt);
    let client = reqwest::Client::new();
    let mut g = c.benchmark_group("loopback_get");
    g.bench_function("plain", |b| {
        b.iter(|| {
            rt.block_on(async {
                let resp = client.get(&url).send().await.expect("send");
                black_box(resp.bytes().await.expect("body"))
            })
        })
    });
    g.bench_function("instrumented", |b| {
        b.iter(|| {
            rt.block_on(async {
                let resp = reqleak::track(client.get(&url).send().await.expect("send"));
                black_box(resp.bytes().await.expect("body"))
            })
        })
    });
    g.finish();
}

/// A client construction in instrumented code: recorded into the running check.
#[reqleak::check]
mod instrumented {
    pub fn build() -> reqwest013::Client {
        reqwest013::Client::new()
    }
}

/// The same construction, not instrumented.
mod plain {
    pub fn build() -> reqwest013::Client {
        reqwest013::Client::new()
    }
}

/// Runs the construction benchmarks inside a `pool` check, so that each recorded construction
/// goes to a scope, as in a test (the check itself, entered once, is not measured).
#[reqleak::check(pool)]
fn per_client_in_a_check(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    g.bench_function("new_drop", |b| b.iter(|| drop(black_box(plain::build()))));
    g.bench_function("new_recorded_drop", |b| {
        b.iter(|| drop(black_box(instrumented::build())))
    });
}

fn per_client(c: &mut Criterion) {
    // The attribute instruments only under `debug_assertions` or the `always` feature; a bench
    // build has neither unless asked for.
    if !cfg!(any(debug_assertions, feature = "always")) {
        eprintln!("per_client: skipped (run with `--features always` to instrument the bench)");
        return;
    }
    let mut g = c.benchmark_group("per_client");
    per_client_in_a_check(&mut g);
    g.finish();
}

criterion_group!(benches, per_response, loopback_get, per_client);
criterion_main!(benches);
