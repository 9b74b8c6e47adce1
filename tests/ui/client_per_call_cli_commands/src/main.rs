//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
use client_per_call_cli_commands::cli::Commands;
use client_per_call_cli_commands::commands;

#[tokio::main]
async fn main() -> Result<(), String> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "init" {
        println!("{}", commands::init("https://example.com/site").await?);
    } else {
        println!("{}", commands::status("https://example.com/status").await?);
    }
    for url in ["https://example.com/a", "https://example.com/b"] {
        println!("{}", commands::fetch(url).await?);
    }
    let command = parse(&mode);
    let output = match command {
        Commands::Repo { command } => command.run().await?,
        Commands::Ping(ping) => ping.run().await?,
    };
    println!("{output}");
    Ok(())
}

fn parse(_mode: &str) -> Commands {
    unimplemented!("the fixture is analyzed, never run")
}
