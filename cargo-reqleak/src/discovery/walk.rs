//! Path mode: the given files, and the `*.rs` files under the given directories (respecting
//! `.gitignore`, skipping hidden entries and Cargo build directories), filtered by the target
//! selection flags as in workspace mode: a file's target kind is told by the innermost of its
//! directories named `src`, `tests`, `benches` or `examples` (none: `src`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{io_message, read_source, Plan, Unit};
use crate::args::Targets;
use crate::levels::Levels;
use crate::units::SourceFile;

/// Collects the files of path mode. `cwd` resolves relative paths; paths are displayed as
/// given. A missing path or an unreadable directory is an error (exit status 2). A path
/// argument whose files all belong to targets that are not selected gets a note.
pub fn plan(
    cwd: &Path,
    paths: &[PathBuf],
    levels: Levels,
    targets: &Targets,
) -> Result<Plan, String> {
    let mut found = BTreeSet::new();
    // Each file's real path (symbolic links in the path arguments resolved), to place it in
    // its package: one `canonicalize` per argument, since the walk follows no links.
    let mut real_paths: HashMap<PathBuf, PathBuf> = HashMap::new();
    // What each path argument found, to say which ones were left out entirely.
    let mut by_argument: Vec<(&Path, Vec<PathBuf>)> = Vec::new();
    for given in paths {
        let absolute = cwd.join(given);
        let meta = std::fs::metadata(&absolute).map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                format!("no such file or directory: `{}`", given.display())
            } else {
                format!("cannot access `{}`: {}", given.display(), io_message(&err))
            }
        })?;
        let real_root = std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
        if !meta.is_dir() {
            let path = clean(given);
            real_paths.insert(path.clone(), real_root);
            found.insert(path.clone());
            by_argument.push((given, vec![path]));
            continue;
        }
        let mut under = Vec::new();
        let walker = ignore::WalkBuilder::new(&absolute)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|entry| !is_cargo_target_dir(entry.path()))
            .build();
        for entry in walker {
            let entry = entry.map_err(|err| walk_error(&err, cwd))?;
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && entry.path().extension().is_some_and(|e| e == "rs") {
                let relative = entry.path().strip_prefix(&absolute).unwrap_or(entry.path());
                let path = clean(&given.join(relative));
                real_paths.insert(path.clone(), real_root.join(relative));
                found.insert(path.clone());
                under.push(path);
            }
        }
        by_argument.push((given, under));
    }
    let mut chosen: [Vec<PathBuf>; 2] = [Vec::new(), Vec::new()];
    for path in found {
        if let Some(test_code) = select(&path, targets) {
            chosen[usize::from(test_code)].push(path);
        }
    }
    // A path argument whose files were all left out is named in a note.
    let skipped: Vec<String> = by_argument
        .iter()
        .filter(|(_, files)| {
            !files.is_empty() && files.iter().all(|f| select(f, targets).is_none())
        })
        .map(|(given, _)| given.to_string_lossy().into_owned())
        .collect();
    // Files whose test code is analyzed and the others are analyzed apart, and files of
    // different packages never together.
    let mut units = Vec::new();
    for (test_code, paths) in chosen.into_iter().enumerate() {
        let files: Vec<SourceFile> = paths
            .into_par_iter()
            .map(|path| SourceFile {
                display: path.to_string_lossy().into_owned(),
                text: read_source(&cwd.join(&path)),
                cargo: None,
                place: None,
            })
            .collect();
        for files in by_package(cwd, files, &real_paths) {
            units.push(Unit {
                files,
                levels: levels.clone(),
                test_code: test_code == 1,
                dependencies: Vec::new(),
            });
        }
    }
    let notes = if skipped.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "note: not analyzed, as their targets are not selected (add --tests, --benches, \
             --examples or --all-targets): {}",
            skipped.join(", ")
        )]
    };
    Ok(Plan {
        units,
        root: cwd.to_path_buf(),
        notes,
        cache: crate::cache::Cache::disabled(),
    })
}

/// Groups path mode's files by their nearest `Cargo.toml`, so that files of different
/// packages never resolve against each other, and places each file in its package as cargo's
/// layout does. Files outside any package form one group, each file a crate of its own.
fn by_package(
    cwd: &Path,
    files: Vec<SourceFile>,
    real_paths: &HashMap<PathBuf, PathBuf>,
) -> Vec<Vec<SourceFile>> {
    let mut packages: BTreeMap<Option<PathBuf>, Vec<SourceFile>> = BTreeMap::new();
    let mut manifests: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let real = |file: &SourceFile| {
        real_paths
            .get(Path::new(&file.display))
            .cloned()
            .unwrap_or_else(|| cwd.join(&file.display))
    };
    for file in files {
        let absolute = real(&file);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let package = nearest_package(&dir, &mut manifests);
        packages.entry(package).or_default().push(file);
    }
    let mut units = Vec::new();
    for (package, mut files) in packages {
        if let Some(root) = &package {
            let (lib_name, has_lib) = package_names(root);
            for file in &mut files {
                let absolute = real(file);
                if let Ok(relative) = absolute.strip_prefix(root) {
                    file.place = Some(reqleak_analysis::ModulePlace::infer(
                        relative, &lib_name, has_lib,
                    ));
                }
            }
        }
        units.push(files);
    }
    units
}

/// The directory of the nearest `Cargo.toml` with a `[package]` at or above `dir`, a real path
/// (symbolic links resolved), as are its parents.
fn nearest_package(dir: &Path, cache: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let dir = dir.to_path_buf();
    if let Some(found) = cache.get(&dir) {
        return found.clone();
    }
    let manifest = dir.join("Cargo.toml");
    let found = if std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("package"))
    {
        Some(dir.clone())
    } else {
        dir.parent()
            .and_then(|parent| nearest_package(parent, cache))
    };
    cache.insert(dir, found.clone());
    found
}

/// The library's crate name (`[lib] name`, or the package name with `-` as `_`) and whether
/// the package has a library.
fn package_names(root: &Path) -> (String, bool) {
    let table = std::fs::read_to_string(root.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .unwrap_or_default();
    let name = |key: &str| {
        table
            .get(key)
            .and_then(|section| section.get("name"))
            .and_then(|name| name.as_str())
            .map(reqleak_analysis::source::crate_name)
    };
    let lib_name = name("lib")
        .or_else(|| name("package"))
        .unwrap_or_else(|| "crate".to_owned());
    let has_lib = table.contains_key("lib") || root.join("src/lib.rs").is_file();
    (lib_name, has_lib)
}

/// Whether the flags select the target `path` belongs to, and if so whether its test code is
/// analyzed: the same rules as workspace mode, with the target kind told by the directories.
fn select(path: &Path, flags: &Targets) -> Option<bool> {
    // A build script is built (and linted) with any target of its package.
    if path.file_name().is_some_and(|n| n == "build.rs") {
        return Some(false);
    }
    let kind = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .rev()
        .find_map(|c| match c.as_os_str().to_str() {
            Some(name @ ("src" | "tests" | "benches" | "examples")) => Some(name),
            _ => None,
        })
        .unwrap_or("src");
    let default = flags.is_default();
    let all = flags.all_targets;
    let tests = flags.tests || all;
    let benches = flags.benches || all;
    let (selected, test_code) = match kind {
        "tests" => (tests, true),
        "benches" => (benches, true),
        "examples" => (flags.examples || all, false),
        _ => (
            default || flags.lib || flags.bins || tests || benches || all,
            tests || benches,
        ),
    };
    selected.then_some(test_code)
}

/// `path` without `.` components (`./src/a.rs` is shown as `src/a.rs`).
fn clean(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// A `target` directory that Cargo made (it tags it with `CACHEDIR.TAG`).
fn is_cargo_target_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "target") && path.join("CACHEDIR.TAG").is_file()
}

fn walk_error(err: &ignore::Error, cwd: &Path) -> String {
    let mut path = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            ignore::Error::Io(io) => {
                let shown = path
                    .as_deref()
                    .map(|p| p.strip_prefix(cwd).unwrap_or(p).display().to_string())
                    .unwrap_or_default();
                return format!("cannot read directory `{shown}`: {}", io_message(io));
            }
            other => return format!("cannot walk the directory: {other}"),
        }
    }
}
