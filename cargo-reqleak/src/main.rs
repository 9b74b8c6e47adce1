//! `cargo-reqleak`: the command; the library of this package is its front-end.

// Syntax trees are many small allocations: mimalloc makes a run about 15% cheaper.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The dependency index parses files with syn, which recurses once per nesting level: run on
    // a stack as large as the analyzer's threads' (only reserved, not committed), or on the
    // main thread's if it cannot be had.
    let on_big_stack = {
        let args = args.clone();
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || cargo_reqleak::main(args))
    };
    let code = match on_big_stack {
        // A panic has printed its message, as on the main thread; exit as it would.
        Ok(thread) => thread.join().unwrap_or(101),
        Err(_) => cargo_reqleak::main(args),
    };
    std::process::exit(code);
}
