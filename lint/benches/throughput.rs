//! Analyzer throughput, in lines of source per second, against the floor of `syn::parse_file`
//! alone on the same files.
//!
//! Corpus: the `syn` and `reqwest` packages this workspace depends on (their sources in the
//! local cargo registry, found with `cargo metadata`; every resolved version) and this
//! workspace's `lint/src`. Each package is one crate.
//!
//! Group `throughput`, both functions measured in `Throughput::Elements(lines)`:
//! - `syn_parse_file`: every file parsed with `syn::parse_file`, the files of a crate in
//!   parallel (rayon), as the analyzer parses them: the floor;
//! - `analyze_files`: [`reqleak_lint::analyze_files`] on each crate's files together.
//!
//! `cargo bench -p reqleak-lint --bench throughput -- --test` runs each once (smoke mode).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cargo_metadata::MetadataCommand;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

/// Registry packages in the corpus.
const REGISTRY_PACKAGES: &[&str] = &["syn", "reqwest"];

/// One crate of the corpus: its name and its files' text.
struct Crate {
    name: String,
    files: Vec<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read directory {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.expect("directory entry");
        let path = entry.path();
        let kind = entry.file_type().expect("file type");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if kind.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn load(name: String, dir: &Path) -> Crate {
    let mut paths = Vec::new();
    rust_files(dir, &mut paths);
    paths.sort();
    let files = paths
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        })
        .collect();
    Crate { name, files }
}

/// The corpus: the registry packages, then `lint/src`.
fn corpus() -> Vec<Crate> {
    let lint_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = lint_dir.join("../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata on {}: {e}", manifest.display()));
    let mut crates: Vec<Crate> = metadata
        .packages
        .iter()
        .filter(|package| REGISTRY_PACKAGES.contains(&package.name.as_str()))
        .map(|package| {
            let dir = package
                .manifest_path
                .parent()
                .expect("manifest in a directory");
            load(
                format!("{} {}", package.name, package.version),
                dir.as_std_path(),
            )
        })
        .collect();
    for wanted in REGISTRY_PACKAGES {
        assert!(
            crates
                .iter()
                .any(|c| c.name.split(' ').next() == Some(wanted)),
            "package `{wanted}` is not in this workspace's dependency graph"
        );
    }
    crates.push(load(
        "reqleak-lint (lint/src)".to_owned(),
        &lint_dir.join("src"),
    ));
    crates
}

fn throughput(c: &mut Criterion) {
    let corpus = corpus();
    let lines: usize = corpus
        .iter()
        .flat_map(|krate| &krate.files)
        .map(|text| text.lines().count())
        .sum();
    let files: usize = corpus.iter().map(|krate| krate.files.len()).sum();
    let names: Vec<&str> = corpus.iter().map(|krate| krate.name.as_str()).collect();
    eprintln!(
        "corpus: {files} files, {lines} lines ({})",
        names.join(", ")
    );
    let corpus: Vec<Vec<&str>> = corpus
        .iter()
        .map(|krate| krate.files.iter().map(String::as_str).collect())
        .collect();

    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("syn_parse_file", |b| {
        b.iter(|| {
            for files in &corpus {
                let parsed: Vec<bool> = files
                    .par_iter()
                    .map(|text| syn::parse_file(black_box(text)).is_ok())
                    .collect();
                black_box(parsed);
            }
        })
    });
    group.bench_function("analyze_files", |b| {
        b.iter(|| {
            for files in &corpus {
                black_box(reqleak_lint::analyze_files(black_box(files)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
