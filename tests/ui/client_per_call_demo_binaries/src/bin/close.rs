//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
// A demo: closes one order and exits.
use client_per_call_demo_binaries::orders;

#[tokio::main]
async fn main() -> Result<(), String> {
    println!("{}", orders::close("https://example.com/orders/1").await?);
    Ok(())
}
