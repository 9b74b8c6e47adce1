//! Analyzer throughput, in lines of source per second, against the parse floor, on two
//! corpora (see `common/corpus.rs`):
//!
//! - `workspace`: this workspace's packages and the `syn` and `reqwest` packages it depends on;
//! - `published`: the published reqwest-using crates of `corpus/`, pinned by
//!   `corpus/Cargo.lock`, when their sources are in the local registry (`cargo fetch
//!   --manifest-path corpus/Cargo.toml`); skipped with a message otherwise.
//!
//! Each package is one crate: every `.rs` file under its directory, placed as cargo lays the
//! package out ([`reqleak_analysis::ModulePlace::infer`]). Group `throughput/<corpus>`, measured in
//! `Throughput::Elements(lines)`, one package after the other:
//! - `parse_floor`: each file read by `syn::parse_file` and its whole tree walked (a
//!   `syn::visit::Visit`), the files of a package in parallel (rayon);
//! - `analyze_crate`: [`reqleak_analysis::analyze_crate`] on the package's files with
//!   [`reqleak_analysis::Options::default`] (as `cargo reqleak` runs by default).
//!
//! Both use every core the process may use: `taskset -c 0 cargo bench ..` gives the
//! single-threaded figures. `cargo bench -p reqleak-analysis --bench throughput -- --test` runs
//! each once (smoke mode). `docs/benchmarks.md` has the figures.

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use reqleak_analysis::{CrateFile, Options};
use syn::visit::Visit;

/// Counts every identifier and expression of a tree, so that the walk is not optimised away.
#[derive(Default)]
struct Walk {
    nodes: usize,
}

impl<'ast> Visit<'ast> for Walk {
    fn visit_ident(&mut self, _: &'ast proc_macro2::Ident) {
        self.nodes += 1;
    }
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        self.nodes += 1;
        syn::visit::visit_expr(self, expr);
    }
}

/// Parses and walks one file; its spans are dropped after (as the analyzer's workers do).
fn parse_and_walk(text: &str) -> usize {
    let mut walk = Walk::default();
    if let Ok(file) = syn::parse_file(text) {
        walk.visit_file(&file);
    }
    proc_macro2::extra::invalidate_current_thread_spans();
    walk.nodes
}

fn bench_corpus(c: &mut Criterion, name: &str, packages: &[corpus::Package]) {
    let files: usize = packages.iter().map(|p| p.files.len()).sum();
    let lines: usize = packages.iter().map(corpus::Package::lines).sum();
    let bytes: usize = packages
        .iter()
        .flat_map(|p| &p.files)
        .map(|f| f.text.len())
        .sum();
    let largest = packages.iter().max_by_key(|p| p.lines());
    eprintln!(
        "{name}: {} packages, {files} files, {lines} lines, {} MB; largest {} ({} lines)",
        packages.len(),
        bytes >> 20,
        largest.map(corpus::Package::label).unwrap_or_default(),
        largest.map(corpus::Package::lines).unwrap_or_default()
    );
    let crates: Vec<Vec<CrateFile<'_>>> = packages.iter().map(|p| p.crate_files()).collect();
    let texts: Vec<Vec<&str>> = packages
        .iter()
        .map(|p| p.files.iter().map(|f| f.text.as_str()).collect())
        .collect();
    let options = Options::default();

    let mut group = c.benchmark_group(format!("throughput/{name}"));
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("parse_floor", |b| {
        b.iter(|| {
            for files in &texts {
                let nodes: usize = files.par_iter().map(|text| parse_and_walk(text)).sum();
                black_box(nodes);
            }
        })
    });
    group.bench_function("analyze_crate", |b| {
        b.iter(|| {
            for files in &crates {
                black_box(reqleak_analysis::analyze_crate(black_box(files), &options));
            }
        })
    });
    group.finish();
}

fn throughput(c: &mut Criterion) {
    eprintln!(
        "threads: {} (rayon: {})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        rayon::current_num_threads()
    );
    bench_corpus(c, "workspace", &corpus::workspace());
    match corpus::published() {
        Ok(packages) => bench_corpus(c, "published", &packages),
        Err(why) => eprintln!("published: skipped: {why}"),
    }
}

criterion_group!(benches, throughput);
criterion_main!(benches);
