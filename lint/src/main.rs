//! `cargo-reqleak`: see the `frontend` module of the library.

fn main() {
    let code = reqleak_lint::frontend::main(std::env::args_os().collect());
    std::process::exit(code);
}
