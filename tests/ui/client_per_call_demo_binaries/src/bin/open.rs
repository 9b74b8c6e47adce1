//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
// A demo: opens one order and exits.
use client_per_call_demo_binaries::orders;

#[tokio::main]
async fn main() -> Result<(), String> {
    println!("{}", orders::open("https://example.com/orders").await?);
    Ok(())
}
