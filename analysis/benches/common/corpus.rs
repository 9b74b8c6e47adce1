//! The corpora the benchmarks and the robustness tests read. Shared by `analysis/benches/*.rs`
//! and `tests/it/{fuzz,no_panic}.rs`, which include this file with `#[path]` (the including
//! crate's manifest directory must sit one level below the workspace root).
//!
//! - [`workspace`]: this workspace's packages, and the `syn` and `reqwest` packages it depends
//!   on (every resolved version), their sources found with `cargo metadata`. Always there.
//! - [`published`]: the published reqwest-using crates of `corpus/` (`corpus/README.md`),
//!   pinned by `corpus/Cargo.lock`, read from the local cargo registry. They are there once
//!   `cargo fetch --manifest-path corpus/Cargo.toml` has run; otherwise [`published`] says why
//!   not, and the caller skips them.
//!
//! Every package is every `.rs` file under its directory (build output and hidden directories
//! left out), as published; each file is placed in its package with
//! [`reqleak_analysis::ModulePlace::infer`], as path mode places it.

#![allow(dead_code)] // each includer uses a part

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;
use reqleak_analysis::{CrateFile, ModulePlace};

/// Registry packages in the workspace corpus, besides the workspace's own.
pub const REGISTRY_PACKAGES: &[&str] = &["syn", "reqwest"];

/// One package's sources.
pub struct Package {
    /// The package's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its directory (where its `Cargo.toml` is).
    pub root: PathBuf,
    /// Its library's crate name (or the package's name as a crate name, without a library).
    pub lib_name: String,
    /// Whether it has a library target.
    pub has_lib: bool,
    /// Its `.rs` files, sorted by path.
    pub files: Vec<SourceFile>,
}

/// One source file.
pub struct SourceFile {
    /// Its path relative to the package's directory, with `/` separators.
    pub path: String,
    /// Its text.
    pub text: String,
}

impl Package {
    /// `name version`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }

    /// Lines of source over all files.
    pub fn lines(&self) -> usize {
        self.files.iter().map(|f| f.text.lines().count()).sum()
    }

    /// Where `file` sits in the package.
    pub fn place(&self, file: &SourceFile) -> ModulePlace {
        ModulePlace::infer(Path::new(&file.path), &self.lib_name, self.has_lib)
    }

    /// The files as the analyzer takes them, each placed in the package.
    pub fn crate_files(&self) -> Vec<CrateFile<'_>> {
        self.files
            .iter()
            .map(|file| CrateFile::new(&file.text).at(self.place(file), &file.path))
            .collect()
    }
}

/// The workspace root (the including crate's manifest directory's parent).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the including crate sits below the workspace root")
        .to_path_buf()
}

/// This workspace's packages, then [`REGISTRY_PACKAGES`] (every version the workspace
/// resolves). Panics when `cargo metadata` fails or a registry package is missing: this corpus
/// is always there.
pub fn workspace() -> Vec<Package> {
    let manifest = workspace_root().join("Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata on {}: {e}", manifest.display()));
    let mut selected = metadata.workspace_packages();
    let mut registry: Vec<&cargo_metadata::Package> = metadata
        .packages
        .iter()
        .filter(|p| REGISTRY_PACKAGES.contains(&p.name.as_str()))
        .collect();
    registry.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    for wanted in REGISTRY_PACKAGES {
        assert!(
            registry.iter().any(|p| p.name.as_str() == *wanted),
            "package `{wanted}` is not in this workspace's dependency graph"
        );
    }
    selected.extend(registry);
    selected.into_iter().map(load).collect()
}

/// The published crates of `corpus/`, in name order, or why they cannot be read (`cargo
/// metadata --offline --locked` fails when their sources are not in the registry).
pub fn published() -> Result<Vec<Package>, String> {
    let manifest = workspace_root().join("corpus/Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .other_options(vec!["--offline".to_owned(), "--locked".to_owned()])
        .exec()
        .map_err(|e| {
            format!(
                "the published-crates corpus is not in the local registry (run `cargo fetch \
                 --manifest-path corpus/Cargo.toml`): cargo metadata: {}",
                e.to_string().lines().next().unwrap_or_default()
            )
        })?;
    let resolve = metadata
        .resolve
        .as_ref()
        .ok_or("cargo metadata gave no dependency graph for corpus/")?;
    let root = resolve.root.as_ref().ok_or("corpus/ has no root package")?;
    let node = resolve
        .nodes
        .iter()
        .find(|node| &node.id == root)
        .ok_or("corpus/'s root package is not in its graph")?;
    let mut packages: Vec<&cargo_metadata::Package> = node
        .deps
        .iter()
        .filter_map(|dep| metadata.packages.iter().find(|p| p.id == dep.pkg))
        .collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(missing) = packages
        .iter()
        .find(|p| !p.manifest_path.as_std_path().is_file())
    {
        return Err(format!(
            "{} {} is not in the local registry (run `cargo fetch --manifest-path corpus/Cargo.toml`)",
            missing.name, missing.version
        ));
    }
    Ok(packages.into_iter().map(load).collect())
}

fn load(package: &cargo_metadata::Package) -> Package {
    let root: PathBuf = package
        .manifest_path
        .parent()
        .expect("a manifest sits in a directory")
        .into();
    let lib = package.targets.iter().find(|target| {
        target.is_lib()
            || target.is_rlib()
            || target.is_proc_macro()
            || target.is_dylib()
            || target.is_cdylib()
            || target.is_staticlib()
    });
    let lib_name = lib
        .map(|target| target.name.as_str())
        .unwrap_or(package.name.as_str())
        .replace('-', "_");
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
                .expect("under the package's directory")
                .to_string_lossy()
                .replace('\\', "/");
            SourceFile {
                path: relative,
                text,
            }
        })
        .collect();
    Package {
        name: package.name.to_string(),
        version: package.version.to_string(),
        root,
        lib_name,
        has_lib: lib.is_some(),
        files,
    }
}

/// Every `.rs` file under `dir`, leaving out build output (`target`) and hidden directories.
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
