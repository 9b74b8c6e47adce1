//! Prints the analyzer's findings for the files given on the command line (a debugging aid).

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let sources: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (path, result) in paths.iter().zip(reqleak_analysis::analyze_files(&sources)) {
        match result {
            Ok(diagnostics) => {
                for d in diagnostics {
                    println!(
                        "{path}:{}:{}: {} [{}]{}",
                        d.span.start.line,
                        d.span.start.column,
                        d.message,
                        d.lint.name,
                        d.labels
                            .iter()
                            .map(|l| format!(
                                " ({}:{} {})",
                                l.span.start.line, l.span.start.column, l.message
                            ))
                            .collect::<String>()
                    );
                }
            }
            Err(e) => println!(
                "{path}:{}:{}: parse error: {}",
                e.span.start.line, e.span.start.column, e.message
            ),
        }
    }
}
