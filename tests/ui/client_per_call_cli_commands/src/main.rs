//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
use client_per_call_cli_commands::cli::{BranchCommands, Commands, PingCommand, RepoCommands};
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

fn parse(mode: &str) -> Commands {
    match mode {
        "ping" => Commands::Ping(PingCommand {
            url: "https://example.com/ping".to_owned(),
        }),
        "sync" => Commands::Repo {
            command: RepoCommands::Sync {
                names: vec!["https://example.com/a".to_owned()],
            },
        },
        _ => Commands::Repo {
            command: RepoCommands::Branch {
                command: BranchCommands::List {
                    repo: "https://example.com/repo".to_owned(),
                },
            },
        },
    }
}
