//! Prints the reports of checks that met reqwest 0.12 and 0.11 responses while tracking 0.13 only.

use std::io::{Read, Write};
use std::sync::Mutex;

static KEPT: Mutex<Vec<reqwest::Response>> = Mutex::new(Vec::new());

/// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 answering `200 OK`, `hello`.
fn server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
            );
        }
    });
    format!("http://{addr}/")
}

#[reqleak::check]
async fn fetch(client: &reqwest::Client, url: &str) -> usize {
    let kept = client.get(url).send().await.unwrap(); // @kept
    KEPT.lock().unwrap().push(kept);
    let read = client.get(url).send().await.unwrap(); // @read
    read.bytes().await.unwrap().len()
}

#[reqleak::check]
async fn fetch_011(client: &reqwest011::Client, url: &str) -> usize {
    let read = client.get(url).send().await.unwrap(); // @read011
    read.bytes().await.unwrap().len()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = server();
    let client = reqwest::Client::new();
    let caught = futures_catch(std::panic::AssertUnwindSafe(fetch(&client, &url))).await;
    match caught {
        Ok(n) => println!("no report ({n} bytes read)"),
        Err(msg) => print!("{msg}"),
    }
    let client = reqwest011::Client::new();
    let caught = futures_catch(std::panic::AssertUnwindSafe(fetch_011(&client, &url))).await;
    match caught {
        Ok(n) => println!("no report ({n} bytes read)"),
        Err(msg) => print!("{msg}"),
    }
}

/// `catch_unwind` around each poll of a future.
async fn futures_catch<F: std::future::Future>(fut: F) -> Result<F::Output, String> {
    std::panic::set_hook(Box::new(|_| {}));
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(p) => std::task::Poll::Ready(Err(p
                .downcast::<String>()
                .map(|s| *s)
                .unwrap_or_else(|_| "<non-string panic>".into()))),
        }
    })
    .await
}
