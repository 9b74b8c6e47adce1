//! Warm re-runs against cold ones: `cargo reqleak` in workspace mode, run in-process through
//! `cargo_reqleak::run` (what the binary's `main` calls, standard streams aside) on
//! a copy in a temporary directory, so that the cache is the copy's own.
//!
//! Corpus:
//! - by default, a virtual workspace of six members, the libraries of `syn`, `reqwest`,
//!   `hyper`, `hyper-util`, `axum` and `tower` (the newest version of each in this
//!   workspace's `Cargo.lock`, found with `cargo metadata`: about 100k lines in the module
//!   trees), each with a manifest of its own that declares no dependencies (the run needs no
//!   dependency graph), and a `Cargo.lock`;
//! - with `REQLEAK_WARM_CRATE=DIR`, the crate in `DIR` instead, copied whole (a crate of the
//!   published corpus, from `corpus/list.sh`, such as `rig-core`).
//!
//! Group `warm` (each function one run of `--message-format json`, as an editor runs it):
//! - `cold`: `--no-cache`: discovery, `cargo metadata`, parse and analysis of every file;
//! - `unchanged`: nothing changed since the last run: answered from the cache;
//! - `one_file_touched`: one file (the largest) gains or loses a trailing comment line
//!   before each run: that file is parsed again and its functions analyzed again.
//!
//! `cargo bench -p cargo-reqleak --bench warm -- --test` runs each once (smoke mode).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cargo_metadata::MetadataCommand;
use criterion::{criterion_group, criterion_main, Criterion};

/// Copies the `.rs` files and manifests of `from` into `to`, leaving out build output and
/// hidden entries.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text == "target" || text.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name)).expect("copy file");
        }
    }
}

/// The members of the default corpus.
const MEMBERS: &[&str] = &["syn", "reqwest", "hyper", "hyper-util", "axum", "tower"];

/// The crate or workspace to run on, copied into `into`; its name.
fn corpus(into: &Path) -> String {
    if let Some(dir) = std::env::var_os("REQLEAK_WARM_CRATE") {
        let dir = PathBuf::from(dir);
        copy_tree(&dir, into);
        return dir.display().to_string();
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata on {}: {e}", manifest.display()));
    let mut names = Vec::new();
    let mut lock = "version = 4\n".to_owned();
    for member in MEMBERS {
        let package = metadata
            .packages
            .iter()
            .filter(|package| package.name.as_str() == *member)
            .max_by_key(|package| package.version.clone())
            .unwrap_or_else(|| panic!("`{member}` is not in this workspace's dependency graph"));
        let source = package
            .manifest_path
            .parent()
            .expect("manifest in a directory");
        let copy = into.join(member);
        copy_tree(source.join("src").as_std_path(), &copy.join("src"));
        std::fs::write(
            copy.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{member}\"\nversion = \"{}\"\nedition = \"2021\"\n\n[lib]\npath = \"src/lib.rs\"\n",
                package.version
            ),
        )
        .expect("write manifest");
        lock.push_str(&format!(
            "\n[[package]]\nname = \"{member}\"\nversion = \"{}\"\n",
            package.version
        ));
        names.push(format!("{member} {}", package.version));
    }
    let members: Vec<String> = MEMBERS.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        into.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    std::fs::write(into.join("Cargo.lock"), lock).expect("write lock file");
    format!("workspace of {}", names.join(", "))
}

/// The files a default run analyzes (every selected package's module trees), and their
/// lines.
fn analyzed(root: &Path) -> (usize, usize) {
    let targets = cargo_reqleak::args::Targets::default();
    let selection = cargo_reqleak::discovery::cargo::Selection {
        manifest_path: None,
        packages: &[],
        workspace: false,
        exclude: &[],
        targets: &targets,
    };
    let plan = cargo_reqleak::discovery::cargo::plan(root, &selection, &[], false)
        .unwrap_or_else(|e| panic!("cargo reqleak cannot run on the corpus: {e}"));
    let files: Vec<&String> = plan
        .units
        .iter()
        .flat_map(|unit| &unit.files)
        .filter_map(|file| file.text.as_ref().ok())
        .collect();
    let lines = files.iter().map(|text| text.lines().count()).sum();
    (files.len(), lines)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// One run of `cargo reqleak ARGS` in `cwd`; its exit status.
fn reqleak(cwd: &Path, args: &[&str]) -> i32 {
    let mut argv: Vec<std::ffi::OsString> = vec!["cargo-reqleak".into()];
    argv.extend(args.iter().map(Into::into));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let status = cargo_reqleak::run(argv, cwd, &mut out, &mut err);
    black_box((out, err));
    status
}

fn warm(c: &mut Criterion) {
    let dir = tempfile::Builder::new()
        .prefix("reqleak-warm-")
        .tempdir()
        .expect("temporary directory");
    let root = dir.path();
    let name = corpus(root);
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let (analyzed_files, lines) = analyzed(root);
    eprintln!("corpus: {name}: {analyzed_files} files analyzed, {lines} lines");
    let largest = files
        .iter()
        .max_by_key(|file| std::fs::metadata(file).map_or(0, |m| m.len()))
        .expect("a Rust file")
        .clone();
    let original = std::fs::read_to_string(&largest).expect("read the largest file");

    let args = ["--message-format", "json"];
    let cold_args = ["--message-format", "json", "--no-cache"];
    // The cache, filled.
    let status = reqleak(root, &args);
    assert!(status < 2, "cargo reqleak could not run on {name}");

    let mut group = c.benchmark_group("warm");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("cold", |b| b.iter(|| reqleak(root, &cold_args)));
    group.bench_function("unchanged", |b| b.iter(|| reqleak(root, &args)));
    let mut touched = false;
    group.bench_function("one_file_touched", |b| {
        b.iter(|| {
            touched = !touched;
            let text = if touched {
                format!("{original}\n// touched\n")
            } else {
                original.clone()
            };
            std::fs::write(&largest, text).expect("write the largest file");
            reqleak(root, &args)
        })
    });
    group.finish();
    std::fs::write(&largest, original).expect("restore the largest file");
}

criterion_group!(benches, warm);
criterion_main!(benches);
