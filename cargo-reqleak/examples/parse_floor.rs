//! The parse floor: what any syn-based analyzer pays at least. Finds the `*.rs` files under
//! the given paths as `cargo reqleak`'s path mode does (respecting `.gitignore`, skipping
//! hidden entries, the files of the default targets unless `--all-targets`), reads each one,
//! runs `syn::parse_file` and walks the whole tree, on every core (rayon). Prints what it
//! saw. `docs/benchmarks.md` times it against `cargo-reqleak` on the same paths.
//!
//! ```sh
//! cargo run --release -p cargo-reqleak --example parse_floor -- [--all-targets] PATH..
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use syn::visit::Visit;

/// Counts every node of a tree (so the walk cannot be skipped).
#[derive(Default)]
struct Walk {
    idents: usize,
    exprs: usize,
}

impl<'ast> Visit<'ast> for Walk {
    fn visit_ident(&mut self, _: &'ast proc_macro2::Ident) {
        self.idents += 1;
    }
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        self.exprs += 1;
        syn::visit::visit_expr(self, expr);
    }
}

/// Whether path mode analyzes `path` by default: its innermost directory named `src`,
/// `tests`, `benches` or `examples` is `src`, or there is none.
fn default_target(path: &Path) -> bool {
    path.parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| c.as_os_str().to_str())
        .rfind(|c| matches!(*c, "src" | "tests" | "benches" | "examples"))
        .is_none_or(|innermost| innermost == "src")
}

fn main() {
    let mut all_targets = false;
    let mut roots = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--all-targets" => all_targets = true,
            _ => roots.push(PathBuf::from(arg)),
        }
    }
    let mut paths = Vec::new();
    for root in &roots {
        let walker = ignore::WalkBuilder::new(root)
            .require_git(false)
            .filter_entry(|entry| entry.file_name() != "target")
            .build();
        for entry in walker.flatten() {
            let path = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && path.extension().is_some_and(|e| e == "rs")
                && (all_targets || default_target(path.strip_prefix(root).unwrap_or(path)))
            {
                paths.push(path.to_path_buf());
            }
        }
    }
    let lines = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let walked: Vec<Walk> = paths
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            lines.fetch_add(text.lines().count(), Ordering::Relaxed);
            let mut walk = Walk::default();
            match syn::parse_file(&text) {
                Ok(file) => walk.visit_file(&file),
                Err(_) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
            proc_macro2::extra::invalidate_current_thread_spans();
            walk
        })
        .collect();
    println!(
        "{} files, {} lines, {} identifiers, {} expressions, {} parse errors",
        paths.len(),
        lines.into_inner(),
        walked.iter().map(|w| w.idents).sum::<usize>(),
        walked.iter().map(|w| w.exprs).sum::<usize>(),
        failed.into_inner()
    );
}
