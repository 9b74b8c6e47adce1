//! The analyzer never panics and parses every file rustc accepts: it is run over every `.rs`
//! file of this workspace's packages and of the `syn` and `reqwest` packages this workspace
//! depends on (their sources in the local cargo registry, found with `cargo metadata`).
//!
//! Each package is analyzed as one crate with [`reqleak_lint::analyze_files`] under
//! `catch_unwind`; when that panics, its files are analyzed one by one with
//! [`reqleak_lint::analyze_source`] to name the offenders. Every offender is reported, then the
//! test fails once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

/// Registry packages whose sources are analyzed besides the workspace's own.
const REGISTRY_PACKAGES: &[&str] = &["syn", "reqwest"];

/// Files that are deliberately not valid Rust and so may fail to parse: (package name, path
/// relative to the package's directory, why). Every other file is accepted by rustc and must
/// parse. An entry whose file parses (or is gone) is itself reported, so the list stays true.
const INVALID_ON_PURPOSE: &[(&str, &str, &str)] = &[];

/// Directories never walked: build output and hidden directories (`.git`, `.ci`...).
fn skipped_dir(name: &str) -> bool {
    name == "target" || name == "targets" || name.starts_with('.')
}

/// One package's sources.
struct Package {
    name: String,
    version: String,
    root: PathBuf,
    /// Paths relative to `root`, with their text.
    files: Vec<(String, String)>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read directory {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.expect("directory entry");
        let path = entry.path();
        let kind = entry.file_type().expect("file type");
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            if !skipped_dir(&name) {
                rust_files(&path, out);
            }
        } else if kind.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The packages to analyze: the workspace members, then the registry packages named in
/// [`REGISTRY_PACKAGES`] (every version the workspace resolves).
fn packages() -> Vec<Package> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata on {}: {e}", manifest.display()));
    let members = metadata.workspace_packages();
    let mut selected: Vec<&cargo_metadata::Package> = members;
    for package in &metadata.packages {
        if REGISTRY_PACKAGES.contains(&package.name.as_str()) {
            selected.push(package);
        }
    }
    for wanted in REGISTRY_PACKAGES {
        assert!(
            selected.iter().any(|p| p.name.as_str() == *wanted),
            "package `{wanted}` is not in this workspace's dependency graph"
        );
    }
    selected
        .into_iter()
        .map(|package| {
            let root: PathBuf = package
                .manifest_path
                .parent()
                .expect("manifest in a directory")
                .into();
            let mut paths = Vec::new();
            rust_files(&root, &mut paths);
            paths.sort();
            let files = paths
                .into_iter()
                .map(|path| {
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                    let relative = path
                        .strip_prefix(&root)
                        .expect("under the package root")
                        .to_string_lossy()
                        .replace('\\', "/");
                    (relative, text)
                })
                .collect();
            Package {
                name: package.name.to_string(),
                version: package.version.to_string(),
                root,
                files,
            }
        })
        .collect()
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-string panic payload".to_owned())
}

fn invalid_on_purpose(package: &str, file: &str) -> bool {
    INVALID_ON_PURPOSE
        .iter()
        .any(|(p, f, _)| *p == package && *f == file)
}

/// Analyzes one package; returns one line per offender.
fn check(package: &Package) -> Vec<String> {
    let label = format!("{} {}", package.name, package.version);
    let texts: Vec<&str> = package
        .files
        .iter()
        .map(|(_, text)| text.as_str())
        .collect();
    let mut failures = Vec::new();
    match catch_unwind(AssertUnwindSafe(|| reqleak_lint::analyze_files(&texts))) {
        Ok(results) => {
            if results.len() != texts.len() {
                failures.push(format!(
                    "{label}: analyze_files returned {} results for {} files",
                    results.len(),
                    texts.len()
                ));
            }
            for ((file, _), result) in package.files.iter().zip(&results) {
                match result {
                    Err(error) if !invalid_on_purpose(&package.name, file) => {
                        failures.push(format!(
                            "{label}: {}:{}:{}: parse error on a file rustc accepts: {}",
                            package.root.join(file).display(),
                            error.span.start.line,
                            error.span.start.column,
                            error.message
                        ));
                    }
                    Ok(_) if invalid_on_purpose(&package.name, file) => {
                        failures.push(format!(
                            "{label}: {file} is listed as invalid on purpose but parses"
                        ));
                    }
                    _ => {}
                }
            }
        }
        Err(payload) => {
            let whole = panic_message(payload.as_ref());
            let before = failures.len();
            for (file, text) in &package.files {
                if let Err(payload) =
                    catch_unwind(AssertUnwindSafe(|| reqleak_lint::analyze_source(text)))
                {
                    failures.push(format!(
                        "{label}: {}: the analyzer panicked: {}",
                        package.root.join(file).display(),
                        panic_message(payload.as_ref())
                    ));
                }
            }
            if failures.len() == before {
                failures.push(format!(
                    "{label}: analyze_files panicked on the crate as a whole \
                     (no file panics on its own): {whole}"
                ));
            }
        }
    }
    failures
}

#[test]
fn analyzer_never_panics_and_parses_what_rustc_accepts() {
    let packages = packages();
    let mut failures = Vec::new();
    for (name, file, reason) in INVALID_ON_PURPOSE {
        let listed = packages
            .iter()
            .any(|p| p.name == *name && p.files.iter().any(|(f, _)| f == file));
        if !listed {
            failures.push(format!(
                "{name}: {file} is listed as invalid on purpose ({reason}) but is not found"
            ));
        }
    }
    let mut files = 0;
    for package in &packages {
        files += package.files.len();
        failures.extend(check(package));
    }
    assert!(
        files > 100,
        "only {files} files found: the corpus is incomplete"
    );
    assert!(
        failures.is_empty(),
        "{} problems over {} packages ({files} files):\n{}",
        failures.len(),
        packages.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_holds_the_registry_sources() {
    let packages = packages();
    for wanted in REGISTRY_PACKAGES {
        let found: Vec<&Package> = packages.iter().filter(|p| p.name == *wanted).collect();
        assert!(!found.is_empty(), "{wanted} not found");
        for package in found {
            assert!(
                package.files.iter().any(|(file, _)| file == "src/lib.rs"),
                "{wanted} {} at {} has no src/lib.rs",
                package.version,
                package.root.display()
            );
        }
    }
}
